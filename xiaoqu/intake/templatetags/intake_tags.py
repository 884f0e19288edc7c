"""Display helpers of the intake pages: status badges, deadlines with their rule, masked
phone numbers and the timeline of a record's events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoqu.audit.services import mask_phone
from xiaoqu.law.choices import DeadlineUnit
from xiaoqu.law.models import DeadlineRule
from xiaoqu.referrals.choices import AssistanceKind
from xiaoqu.renovations.choices import CheckResult
from xiaoqu.supervision.services import lateness

from ..choices import Channel, InspectionKind, LeadStatus, Outcome, PartyKind
from ..workflow import LEAD_WORKFLOW

register = template.Library()

STATUS_STYLE = {
    LeadStatus.PENDING_DISPATCH: "text-bg-warning",
    LeadStatus.DISPATCHED: "text-bg-primary",
    LeadStatus.AWAITING_ASSISTANCE: "text-bg-info",
    LeadStatus.RECTIFYING: "text-bg-warning",
    LeadStatus.REFERRED: "text-bg-info",
    LeadStatus.TO_FILING: "text-bg-danger",
    LeadStatus.CLOSED: "text-bg-success",
}


@register.simple_tag
def status_badge(lead: Any) -> SafeString:
    return format_html(
        '<span class="badge {}" data-testid="lead-status" data-status="{}">{}</span>',
        STATUS_STYLE.get(lead.status, "text-bg-secondary"),
        lead.status,
        lead.get_status_display(),
    )


@register.filter
def masked(phone: str) -> str:
    return mask_phone(phone or "")


# ---------------------------------------------------------------------------------------------
# Deadlines


def limit_text(rule: Any, *, ongoing: bool = False) -> str:
    """“15 working days” (the limit of a rule; the shorter one while the act goes on)."""
    limit = rule.limit_if_ongoing if ongoing and rule.limit_if_ongoing else rule.limit
    return _("%(limit)d %(unit)s") % {"limit": limit, "unit": rule.get_unit_display()}


@register.simple_tag
def rule_text(rule: Any, ongoing: bool = False) -> str:
    """“核查线索…: 15 工作日” — what the rule is about and its limit."""
    if rule is None:
        return ""
    return _("%(what)s: %(limit)s") % {
        "what": rule.description,
        "limit": limit_text(rule, ongoing=ongoing and rule.unit == DeadlineUnit.HOURS),
    }


@register.inclusion_tag("intake/_deadline.html")
def deadline(
    due_at: dt.datetime | None,
    rule: Any = None,
    note: str = "",
    ongoing: bool = False,
    done: bool = False,
    compact: bool = False,
) -> dict[str, Any]:
    """A deadline: when, the rule and its source, red when overdue."""
    now = timezone.now()
    return {
        "due_at": due_at,
        "rule": rule,
        "rule_text": rule_text(rule, ongoing) if rule is not None else "",
        "limit": limit_text(rule, ongoing=ongoing and rule.unit == DeadlineUnit.HOURS)
        if rule is not None
        else "",
        "note": note,
        "overdue": due_at is not None and not done and due_at < now,
        "soon": due_at is not None and not done and now <= due_at < now + dt.timedelta(days=2),
        "done": done,
        "compact": compact,
    }


# ---------------------------------------------------------------------------------------------
# Timeline

ACTIONS = {
    "created": gettext_lazy("Lead raised"),
    "received": gettext_lazy("Complaint received"),
    "lead_created": gettext_lazy("New lead raised"),
    "linked": gettext_lazy("Attached to an open lead"),
    "triaged": gettext_lazy("Triaged"),
    "triage_corrected": gettext_lazy("Triage corrected"),
    "triage_confirmed": gettext_lazy("Triage confirmed"),
    "chronic": gettext_lazy("Marked chronic: 3 or more complaints within 90 days"),
    "complaint_detached": gettext_lazy("Complaint detached: not a repeat"),
    "work_order_updated": gettext_lazy("Work order updated by a re-import"),
    "replied": gettext_lazy("Reply to the reporter recorded"),
    "referral_redirected": gettext_lazy("Referral sent to another department"),
    "document_generated": gettext_lazy("Document generated"),
    "renovation_checked": gettext_lazy("Checked against the renovation register"),
    "structure_check_flagged": gettext_lazy(
        "Flagged for a structure damage check (renovation register)"
    ),
}

DATA_LABELS = {
    "result": gettext_lazy("register check"),
    "unit": gettext_lazy("house unit"),
    "registration": gettext_lazy("registration"),
    "title": gettext_lazy("document"),
    "version": gettext_lazy("version"),
    "sha256": gettext_lazy("checksum"),
    "complaint": gettext_lazy("complaint"),
    "channel": gettext_lazy("channel"),
    "external_no": gettext_lazy("work order number"),
    "lead": gettext_lazy("lead"),
    "repeat": gettext_lazy("repeat"),
    "team": gettext_lazy("enforcement team"),
    "subdistrict": gettext_lazy("subdistrict"),
    "previous": gettext_lazy("previous subdistrict"),
    "inspection": gettext_lazy("inspection"),
    "inspected_at": gettext_lazy("time of the visit"),
    "place": gettext_lazy("place"),
    "party_kind": gettext_lazy("party"),
    "party_name": gettext_lazy("party's name"),
    "findings": gettext_lazy("findings"),
    "violation_found": gettext_lazy("violation found"),
    "rectify_by": gettext_lazy("rectify by"),
    "referral": gettext_lazy("referral"),
    "department": gettext_lazy("department"),
    "assistance": gettext_lazy("assistance request"),
    "kind": gettext_lazy("assistance asked"),
    "into": gettext_lazy("repeat of"),
    "merged": gettext_lazy("merged lead"),
    "previous_outcome": gettext_lazy("previous outcome"),
    "on_time": gettext_lazy("on time"),
    "from": gettext_lazy("from"),
    "to": gettext_lazy("to"),
    "days": gettext_lazy("working days"),
    "due_at": gettext_lazy("was due"),
    "previous_due_at": gettext_lazy("previous deadline"),
    "rule": gettext_lazy("deadline rule"),
    "late_minutes": gettext_lazy("late by"),
    "requested_reason": gettext_lazy("reason given"),
    # triage
    "violation_type": gettext_lazy("violation type"),
    "refer_to": gettext_lazy("referral target"),
    "confidence": gettext_lazy("confidence"),
    "type_reason": gettext_lazy("why this type"),
    "estate": gettext_lazy("estate"),
    "estate_confidence": gettext_lazy("estate confidence"),
    "estate_reason": gettext_lazy("why this estate"),
    "repeat_of": gettext_lazy("repeat of"),
    "repeat_reason": gettext_lazy("why a repeat"),
    "filled": gettext_lazy("filled in by triage"),
    "needs_review": gettext_lazy("awaits manual triage"),
    "review_reasons": gettext_lazy("why manual triage"),
    "model_version": gettext_lazy("model version"),
    "complaints": gettext_lazy("complaints"),
    "window_days": gettext_lazy("within (days)"),
    "changed": gettext_lazy("changed"),
}
# Codes in triage events, as a reader names them.
TRIAGE_WORDS = {
    "low_confidence": gettext_lazy("confidence below the threshold"),
    "no_type": gettext_lazy("no type"),
    "no_place": gettext_lazy("no estate or subdistrict"),
    "violation_type": gettext_lazy("violation type"),
    "refer_to": gettext_lazy("referral target"),
    "estate": gettext_lazy("estate"),
    "subdistrict": gettext_lazy("subdistrict"),
    "repeat": gettext_lazy("repeat"),
}
# Internal references that mean nothing to a reader.
HIDDEN = frozenset({"extension", "what"})

CHOICES: dict[str, Any] = {
    "channel": Channel,
    "party_kind": PartyKind,
    "inspection": InspectionKind,
    "kind": AssistanceKind,
    "previous_outcome": Outcome,
    "result": CheckResult,
}


def state_label(state: str) -> str:
    if state == "received":
        return _("Received")
    return LEAD_WORKFLOW.state_label(state)


@register.simple_tag
def event_label(event: Any) -> str:
    move = LEAD_WORKFLOW.moves.get(event.action)
    if move is not None:
        return str(move.label)
    return str(ACTIONS.get(event.action, event.action))


@register.simple_tag
def event_states(event: Any) -> str:
    """“待派单 → 待核查”, or the state it entered, or nothing when the state did not change."""
    if event.from_state and event.to_state and event.from_state != event.to_state:
        return f"{state_label(event.from_state)} → {state_label(event.to_state)}"
    if event.to_state and not event.from_state:
        return state_label(event.to_state)
    return ""


def _code_name(key: str, code: str) -> str:
    """A violation type's name or a referral target's department, by code."""
    from xiaoqu.law.models import ReferralTarget, ViolationType

    if key == "violation_type":
        vt = ViolationType.objects.filter(code=code).order_by("-effective_from").first()
        return vt.name if vt else code
    target = (
        ReferralTarget.objects.filter(code=code)
        .select_related("department")
        .order_by("-effective_from")
        .first()
    )
    return str(target.department) if target and target.department else code


def _value(key: str, value: Any, links: dict[str, str]) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return "—"
    if key in ("filled", "review_reasons") and isinstance(value, list):
        return "、".join(str(TRIAGE_WORDS.get(v, v)) for v in value) or "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(value, dict) and set(value) == {"old", "new"}:
        return f"{value['old'] or '—'} → {value['new'] or '—'}"
    if key in ("confidence", "estate_confidence") and isinstance(value, int | float):
        return f"{value:.0%}"
    if key in ("violation_type", "refer_to") and isinstance(value, str):
        return _code_name(key, value)
    choices = CHOICES.get(key)
    if choices is not None:
        try:
            return choices(value).label
        except ValueError:
            return value
    if key == "late_minutes" and isinstance(value, int):
        return lateness(dt.timedelta(minutes=value))
    if key == "rule" and isinstance(value, str):
        rule = DeadlineRule.objects.filter(code=value).order_by("-effective_from").first()
        return rule.description if rule else value
    if isinstance(value, str):
        if value in links:
            return format_html('<a href="{}">{}</a>', links[value], value)
        if key.endswith("_at"):
            moment = parse_datetime(value)
            if moment is not None:
                return date_format(timezone.localtime(moment), "Y-m-d H:i")
        if key.endswith("_by") or key == "date":
            day = parse_date(value)
            if day is not None:
                return date_format(day, "Y-m-d")
    return value


@register.simple_tag
def event_data(event: Any, links: dict[str, str] | None = None) -> list[tuple[str, Any]]:
    """The event's data as readable (label, value) rows."""
    links = links or {}
    rows = []
    for key, value in (event.data or {}).items():
        if key in HIDDEN or (key == "inspection" and event.action != "record_visit"):
            continue  # the move already says which inspection it was
        if value in (None, ""):
            continue
        label = DATA_LABELS.get(key) or TRIAGE_WORDS.get(key) or key.replace("_", " ")
        rows.append((str(label), _value(key, value, links)))
    return rows
