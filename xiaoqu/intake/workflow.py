"""The transition table of a lead (线索), and how its next deadline is computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.roles import is_dispatcher, is_officer_of
from xiaoqu.core.workflow import NO_DEADLINE, Due, Move, Workflow
from xiaoqu.law.choices import DeadlineUnit
from xiaoqu.law.workdays import END_OF_DAY, WorkCalendar, deadline_rule_in_force

from .choices import LeadStatus as S
from .models import Lead

VERIFYING = frozenset({S.PENDING_DISPATCH, S.DISPATCHED, S.AWAITING_ASSISTANCE})


def _dispatcher(actor: Any, lead: Any) -> bool:
    return is_dispatcher(actor)


def _officer(actor: Any, lead: Any) -> bool:
    return is_officer_of(actor, lead.subdistrict_id)


def _officer_or_dispatcher(actor: Any, lead: Any) -> bool:
    return is_officer_of(actor, lead.subdistrict_id) or is_dispatcher(actor)


def _system(actor: Any, lead: Any) -> bool:
    return True  # internal moves are made by other services, which check their own actors


DISPATCHER = _("the dispatcher")
OFFICER = _("an enforcement officer of the lead's subdistrict")
OFFICER_OR_DISPATCHER = _("an enforcement officer of the lead's subdistrict or the dispatcher")

MOVES = (
    Move(
        "dispatch",
        _("Dispatch"),
        frozenset({S.PENDING_DISPATCH}),
        S.DISPATCHED,
        _dispatcher,
        DISPATCHER,
    ),
    Move(
        "auto_dispatch",
        _("Dispatched automatically (triage)"),
        frozenset({S.PENDING_DISPATCH}),
        S.DISPATCHED,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move(
        "reassign",
        _("Reassign"),
        frozenset({S.DISPATCHED}),
        S.DISPATCHED,
        _dispatcher,
        DISPATCHER,
        style="secondary",
    ),
    Move(
        "return_to_dispatch",
        _("Return to the dispatcher"),
        frozenset({S.DISPATCHED}),
        S.PENDING_DISPATCH,
        _officer,
        OFFICER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "record_visit",
        _("Record an on-site visit"),
        frozenset({S.DISPATCHED, S.AWAITING_ASSISTANCE}),
        None,
        _officer,
        OFFICER,
        style="secondary",
    ),
    Move(
        "close_no_violation",
        _("Close: no violation"),
        frozenset({S.DISPATCHED}),
        S.CLOSED,
        _officer,
        OFFICER,
        needs_reason=True,
        style="success",
    ),
    Move(
        "order_rectification",
        _("Order rectification"),
        frozenset({S.DISPATCHED}),
        S.RECTIFYING,
        _officer,
        OFFICER,
        style="warning",
    ),
    Move(
        "reinspect_corrected",
        _("Re-inspection: corrected"),
        frozenset({S.RECTIFYING}),
        S.CLOSED,
        _officer,
        OFFICER,
        style="success",
    ),
    Move(
        "reinspect_not_corrected",
        _("Re-inspection: not corrected, hand on to filing"),
        frozenset({S.RECTIFYING}),
        S.TO_FILING,
        _officer,
        OFFICER,
        style="danger",
    ),
    Move(
        "hand_to_filing",
        _("Hand on to filing"),
        frozenset({S.DISPATCHED}),
        S.TO_FILING,
        _officer,
        OFFICER,
        needs_reason=True,
        style="danger",
    ),
    Move(
        "refer",
        _("Refer to the competent department"),
        frozenset({S.PENDING_DISPATCH, S.DISPATCHED}),
        S.REFERRED,
        _officer_or_dispatcher,
        OFFICER_OR_DISPATCHER,
        style="info",
    ),
    Move(
        "request_assistance",
        _("Ask a department for assistance"),
        frozenset({S.DISPATCHED}),
        S.AWAITING_ASSISTANCE,
        _officer,
        OFFICER,
        style="info",
    ),
    Move(
        "merge_as_repeat",
        _("Close as a repeat of another lead"),
        frozenset({S.PENDING_DISPATCH, S.DISPATCHED}),
        S.CLOSED,
        _dispatcher,
        DISPATCHER,
        style="secondary",
    ),
    Move(
        "reopen",
        _("Reopen"),
        frozenset({S.CLOSED}),
        S.DISPATCHED,
        _dispatcher,
        DISPATCHER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "request_extension",
        _("Ask for more time"),
        VERIFYING,
        None,
        _officer,
        OFFICER,
        needs_reason=True,
        style="secondary",
    ),
    Move(
        "extend",
        _("Extend the deadline (approved)"),
        VERIFYING,
        None,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move(
        "extension_rejected",
        _("Extension refused"),
        frozenset(S.values),
        None,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move(
        "assistance_answered",
        _("Assistance answered"),
        frozenset({S.AWAITING_ASSISTANCE}),
        S.DISPATCHED,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move(
        "assistance_cancelled",
        _("Assistance cancelled"),
        frozenset({S.AWAITING_ASSISTANCE}),
        S.DISPATCHED,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move(
        "referral_answered",
        _("Referral answered"),
        frozenset({S.REFERRED}),
        S.CLOSED,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move(
        "referral_taken_back_to_dispatch",
        _("Referral taken back, to be dispatched"),
        frozenset({S.REFERRED}),
        S.PENDING_DISPATCH,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move(
        "referral_taken_back",
        _("Referral taken back"),
        frozenset({S.REFERRED}),
        S.DISPATCHED,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move(
        "complaint_attached",
        _("Repeat complaint attached"),
        frozenset(S.values),
        None,
        _system,
        DISPATCHER,
        internal=True,
    ),
    Move("overdue", _("Overdue"), frozenset(S.values), None, _system, DISPATCHER, internal=True),
    Move("urged", _("Urged"), frozenset(S.values), None, _system, DISPATCHER, internal=True),
)


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def lead_deadline(lead: Lead, at: dt.datetime) -> Due:
    """The next deadline of a lead, from the rules in force when its clock started.

    Until an officer has been on site, a violation type with an on-site rule (illegal
    construction: 24 hours, 2 while it is going on) runs on that rule; then, and for every
    other type, the clue-verification rule runs from the receipt (or from the reopening of a
    closed lead), plus approved extensions. A rectification order runs to its date, and the
    re-inspection rule runs from that date."""
    if lead.status in VERIFYING:
        start = max(lead.received_at, lead.reopened_at) if lead.reopened_at else lead.received_at
        day = _local_day(start)
        calendar = WorkCalendar(since=day)
        vt = lead.violation_type
        if lead.on_site_at is None and vt is not None:
            for code in vt.deadline_codes or ():
                rule = deadline_rule_in_force(code, on=day)
                if rule.unit == DeadlineUnit.HOURS:
                    return Due(calendar.due(rule, start, ongoing=lead.ongoing), rule)
        rule = deadline_rule_in_force("clue_verification", on=day)
        due = calendar.due(rule, start)
        if lead.extension_days:
            last = calendar.add_working_days(_local_day(due), lead.extension_days)
            due = timezone.make_aware(
                dt.datetime.combine(last, END_OF_DAY), timezone.get_default_timezone()
            )
            return Due(
                due, rule, str(_("extended by %(n)d working days") % {"n": lead.extension_days})
            )
        return Due(due, rule)
    if lead.status == S.RECTIFYING and lead.rectification_due is not None:
        rule = deadline_rule_in_force("reinspection", on=lead.rectification_due)
        start = timezone.make_aware(
            dt.datetime.combine(lead.rectification_due, END_OF_DAY), timezone.get_default_timezone()
        )
        return Due(
            WorkCalendar(since=lead.rectification_due).due(rule, start),
            rule,
            str(
                _("re-inspection after the rectification date %(date)s")
                % {"date": lead.rectification_due}
            ),
        )
    return NO_DEADLINE


LEAD_WORKFLOW = Workflow(name="lead", model=Lead, states=S, moves=MOVES, deadline=lead_deadline)
