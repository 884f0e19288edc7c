"""Writes of credit demerits: the proposal made when a case is decided, the housing bureau's
confirmation or rejection, the scan for decided cases without a proposal and the sweep of
unanswered proposals. Every change goes through DEMERIT_WORKFLOW and its hash-chained events."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.services import event_record, notify
from xiaoqu.cases.choices import CaseStatus, PenaltyKind
from xiaoqu.cases.models import Case
from xiaoqu.core.numbers import number_format, number_next
from xiaoqu.core.workflow import TransitionRefused, deadline_update, transition
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import ProjectManager, PropertyCompany
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint
from xiaoqu.law.templatetags.law_tags import yuan

from .choices import OPEN_PROPOSAL_STATUSES, Situation
from .models import DemeritProposal, DemeritRule
from .workflow import DEMERIT_WORKFLOW

logger = logging.getLogger(__name__)

HOUSING = "housing"  # the department code of the housing bureau (区房管局)
NEGLIGENCE_CODE = "property_negligence"
# A property company's report about the same estate and violation type counts as a report of
# the case's matter when received from this many days before the lead up to the filing (the
# recurrence window of the design); reports attached to the case's lead always count.
SAME_MATTER_DAYS = 90
DECIDED_STATUSES = frozenset({CaseStatus.DECIDED, CaseStatus.EXECUTING, CaseStatus.CLOSED})


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%d")


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same local time `months` later (31 January + 1 month: the last day of February)."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    naive = local.replace(tzinfo=None).replace(year=year, month=month, day=day)
    return timezone.make_aware(naive, timezone.get_default_timezone())


# ---------------------------------------------------------------------------------------------
# When a case proposes a demerit


def is_penalised(case: Case) -> bool:
    """The case ended with a penalty: decided, with a penalty other than "no penalty"."""
    return bool(
        case.decided_at is not None
        and case.status in DECIDED_STATUSES
        and case.penalty
        and case.penalty != PenaltyKind.NONE
    )


def property_company_reports(case: Case, company: PropertyCompany) -> QuerySet[Complaint]:
    """The company's reports (发现、劝阻、报告) about the case's matter received before the
    case was filed: reports on the case's lead (or on leads merged into it), or about the same
    estate and violation type since SAME_MATTER_DAYS before the lead was received."""
    same_matter = Q(lead_id=case.lead_id) | Q(lead__repeat_of_id=case.lead_id)
    if case.estate_id is not None:
        since = case.lead.received_at - dt.timedelta(days=SAME_MATTER_DAYS)
        same_matter |= Q(
            estate_id=case.estate_id,
            violation_type__code=case.violation_type.code,
            received_at__gte=since,
        )
    return Complaint.objects.filter(
        same_matter,
        channel=Channel.PROPERTY_COMPANY,
        reporter_company=company,
        received_at__lt=case.filed_at,
    )


def demerit_rule_for(*, situation: str, violation_code: str, on: dt.date) -> DemeritRule | None:
    """The rule in force on `on` for the situation: one naming the violation type first,
    then one that applies to every type."""
    rules = [
        r
        for r in DemeritRule.objects.effective(on).filter(situation=situation)
        if r.applies_to(violation_code)
    ]
    rules.sort(key=lambda r: (not r.violation_codes, r.sort_order, r.code))
    return rules[0] if rules else None


def housing_department(district_id: int) -> Department | None:
    return Department.objects.filter(district_id=district_id, code=HOUSING, is_active=True).first()


@dataclass(frozen=True)
class Grounds:
    """Why a decided case holds the estate's property company responsible, and by which rule."""

    situation: str
    company: PropertyCompany
    manager: ProjectManager | None
    rule: DemeritRule
    department: Department


def demerit_grounds(case: Case) -> Grounds | None:
    """The grounds for a demerit of the case, or None when the case proposes none: not
    penalised, no estate or property company, the company reported it before filing, no rule
    in force for it, or no housing bureau in the district."""
    if not is_penalised(case) or case.estate is None:
        return None
    estate = case.estate
    company = case.property_company or estate.property_company
    if company is None:
        return None
    code = case.violation_type.code
    if code == NEGLIGENCE_CODE:
        situation = Situation.NEGLIGENCE
    elif property_company_reports(case, company).exists():
        return None
    else:
        situation = Situation.UNREPORTED
    assert case.decided_at is not None
    on = timezone.localtime(case.decided_at, timezone.get_default_timezone()).date()
    rule = demerit_rule_for(situation=situation, violation_code=code, on=on)
    department = housing_department(case.district_id)
    if rule is None or department is None:
        return None
    manager = estate.project_manager
    if manager is not None and manager.company_id != company.pk:
        manager = None  # the estate's manager works for another company: nobody to hold
    return Grounds(situation, company, manager, rule, department)


def demerit_facts(case: Case, grounds: Grounds) -> str:
    """The facts sent to the housing bureau, in the platform's language. The party of the case
    is not named: the record is shown to the property company."""
    estate, company, rule = case.estate, grounds.company, grounds.rule
    assert estate is not None and case.decided_at is not None
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Estate: %(estate)s (%(subdistrict)s).")
            % {"estate": estate.name, "subdistrict": case.subdistrict.name},
            _("Property company: %(company)s (unified social credit code %(uscc)s).")
            % {"company": company.name, "uscc": company.uscc},
            _("Project manager: %(manager)s.")
            % {"manager": grounds.manager.name if grounds.manager else _("none recorded")},
            _("Case %(case)s about %(violation)s, filed %(filed)s.")
            % {
                "case": case.number,
                "violation": case.violation_type.name,
                "filed": _day(case.filed_at),
            },
        ]
        penalty = case.get_penalty_display()
        if case.fine:
            penalty = _("%(penalty)s of %(fine)s yuan") % {
                "penalty": penalty,
                "fine": yuan(case.fine),
            }
        lines.append(
            _("Decision %(number)s of %(date)s: %(penalty)s.")
            % {"number": case.decision_number, "date": _day(case.decided_at), "penalty": penalty}
        )
        if grounds.situation == Situation.NEGLIGENCE:
            lines.append(
                _(
                    "The property company itself was penalised for failing its duties of "
                    "property management."
                )
            )
        else:
            lines.append(
                _(
                    "The property company had not reported the violation before the case was "
                    "filed: no report of it about this matter was received (a property company "
                    "must dissuade a violation it discovers and, failing that, report it within "
                    "24 hours)."
                )
            )
        lines.append(
            _(
                "Rule %(code)s (%(rule)s): %(company_points)d points for the company, "
                "%(manager_points)d for the project manager, counted for %(months)d months "
                "from the decision."
            )
            % {
                "code": rule.code,
                "rule": rule.description,
                "company_points": rule.company_points,
                "manager_points": rule.manager_points if grounds.manager else 0,
                "months": rule.window_months,
            }
        )
    return "\n".join(lines)


def liaisons(department: Department) -> list[User]:
    return list(User.objects.filter(role=Role.LIAISON, department=department, is_active=True))


def company_staff(company: PropertyCompany) -> list[User]:
    return list(
        User.objects.filter(role=Role.PROPERTY_STAFF, property_company=company, is_active=True)
    )


def demerit_propose_for_case(
    *, case: Case, at: dt.datetime | None = None
) -> DemeritProposal | None:
    """Propose a demerit to the housing bureau for a decided case when it holds the estate's
    property company responsible (see `demerit_grounds`). Idempotent: a case has at most one
    proposal, which is returned when it exists. None when the case proposes no demerit."""
    moment = _now(at)
    existing = DemeritProposal.objects.filter(case_id=case.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            # Locks the case's row only (PostgreSQL cannot lock the nullable side of a join).
            locked = (
                Case.objects.select_for_update(of=("self",))
                .select_related(
                    "estate__property_company",
                    "estate__project_manager",
                    "property_company",
                    "violation_type",
                    "subdistrict",
                    "lead",
                )
                .get(pk=case.pk)
            )
            existing = DemeritProposal.objects.filter(case_id=locked.pk).first()
            if existing is not None:
                return existing
            grounds = demerit_grounds(locked)
            if grounds is None:
                return None
            proposal = _proposal_create(case=locked, grounds=grounds, at=moment)
    except IntegrityError:
        # Another worker proposed it at the same moment: the case's one proposal stands.
        existing = DemeritProposal.objects.filter(case_id=case.pk).first()
        if existing is None:
            raise
        return existing
    notify(
        recipients=liaisons(proposal.department),
        text=_("Credit demerit %(number)s proposed for %(company)s (%(estate)s).")
        % {
            "number": proposal.number,
            "company": proposal.company.name,
            "estate": proposal.estate.name,
        },
        link=proposal.get_absolute_url(),
        at=moment,
    )
    return proposal


def _proposal_create(*, case: Case, grounds: Grounds, at: dt.datetime) -> DemeritProposal:
    assert case.decided_at is not None and case.estate is not None
    rule = grounds.rule
    year = timezone.localtime(at).year
    proposal = DemeritProposal(
        number=number_format(
            prefix="JF", year=year, value=number_next(name="demerit", year=year), width=5
        ),
        case=case,
        district_id=case.district_id,
        subdistrict_id=case.subdistrict_id,
        department=grounds.department,
        estate=case.estate,
        company=grounds.company,
        project_manager=grounds.manager,
        rule=rule,
        situation=grounds.situation,
        violation_type=case.violation_type,
        decision_number=case.decision_number,
        penalty=case.penalty,
        fine=case.fine,
        decided_at=case.decided_at,
        facts=demerit_facts(case, grounds),
        company_points=rule.company_points,
        manager_points=rule.manager_points if grounds.manager else 0,
        window_months=rule.window_months,
        counts_from=case.decided_at,
        counts_until=add_months(case.decided_at, rule.window_months),
        proposed_at=at,
        is_demo=case.is_demo,
    )
    deadline_update(workflow=DEMERIT_WORKFLOW, record=proposal, at=at)
    proposal.save()
    event_record(
        record=proposal,
        actor=None,
        action="proposed",
        to_state=proposal.status,
        at=at,
        data={
            "case": case.number,
            "decision": case.decision_number,
            "company": grounds.company.uscc,
            "project_manager": grounds.manager.name if grounds.manager else "",
            "rule": rule.code,
            "situation": grounds.situation,
            "company_points": proposal.company_points,
            "manager_points": proposal.manager_points,
            "window_months": proposal.window_months,
            "facts": proposal.facts,
        },
    )
    return proposal


# ---------------------------------------------------------------------------------------------
# The housing bureau's answer


def demerit_confirm(
    *, proposal: DemeritProposal, actor: User, note: str = "", at: dt.datetime | None = None
) -> DemeritProposal:
    """The housing liaison confirms: the points count for the company and its project
    manager from the decision for the rule's months."""
    moment = _now(at)

    def confirm(locked: DemeritProposal) -> dict[str, Any]:
        locked.answered_at, locked.answered_by, locked.answer = moment, actor, note.strip()
        return {
            "company_points": locked.company_points,
            "manager_points": locked.manager_points,
            "counts_until": locked.counts_until,
        }

    locked, _event = transition(
        workflow=DEMERIT_WORKFLOW,
        record=proposal,
        move="confirm",
        actor=actor,
        reason=note.strip(),
        apply=confirm,
        at=moment,
    )
    notify(
        recipients=[*company_staff(locked.company), locked.case.filed_by],
        text=_(
            "Credit demerit %(number)s confirmed by the housing bureau: %(points)d points for "
            "%(company)s."
        )
        % {"number": locked.number, "points": locked.company_points, "company": locked.company},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


def demerit_reject(
    *, proposal: DemeritProposal, actor: User, reason: str, at: dt.datetime | None = None
) -> DemeritProposal:
    """The housing liaison rejects the proposal with reasons; no points count."""
    moment = _now(at)

    def reject(locked: DemeritProposal) -> None:
        locked.answered_at, locked.answered_by, locked.answer = moment, actor, reason.strip()

    locked, _event = transition(
        workflow=DEMERIT_WORKFLOW,
        record=proposal,
        move="reject",
        actor=actor,
        reason=reason.strip(),
        apply=reject,
        at=moment,
    )
    case = locked.case
    notify(
        recipients=[case.filed_by, *([case.decided_by] if case.decided_by else [])],
        text=_("Credit demerit %(number)s rejected by the housing bureau: %(reason)s")
        % {"number": locked.number, "reason": reason.strip()},
        link=locked.get_absolute_url(),
        at=moment,
    )
    return locked


# ---------------------------------------------------------------------------------------------
# Periodic work: decided cases without a proposal, unanswered proposals


@dataclass
class ScanResult:
    checked: int = 0
    proposed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def cases_without_proposal(*, since: dt.datetime | None = None) -> QuerySet[Case]:
    """Decided cases with a penalty that have no proposal yet, oldest decision first."""
    qs = Case.objects.filter(
        status__in=list(DECIDED_STATUSES),
        decided_at__isnull=False,
        estate__isnull=False,
        demerit_proposal__isnull=True,
    ).exclude(penalty__in=["", PenaltyKind.NONE])
    if since is not None:
        qs = qs.filter(decided_at__gte=since)
    return qs.order_by("decided_at", "pk")


def demerits_propose_missing(
    *, since: dt.datetime | None = None, at: dt.datetime | None = None
) -> ScanResult:
    """Propose the demerits of decided cases that have none (a decision made before the hook,
    or while the rule table was empty). Idempotent; one failing case does not stop the scan."""
    moment = _now(at)
    result = ScanResult()
    for pk in list(cases_without_proposal(since=since).values_list("pk", flat=True)):
        result.checked += 1
        try:
            proposal = demerit_propose_for_case(case=Case(pk=pk), at=moment)
        except Exception as exc:
            logger.exception("propose-demerits: case #%s", pk)
            result.errors.append(f"{Case._meta.verbose_name} #{pk}: {exc}")
            continue
        if proposal is not None:
            result.proposed.append(proposal.number)
    return result


class _NotDue(Exception):
    """The guard no longer holds under the lock: answered meanwhile, or marked already."""


def demerit_sweep(*, at: dt.datetime | None = None) -> list[str]:
    """Mark unanswered proposals past the housing bureau's deadline as overdue, once each:
    an "overdue" event and notifications to the liaisons and the district's dispatchers and
    leaders. Safe to run concurrently. Returns the numbers marked."""
    from xiaoqu.supervision.services import supervisors

    moment = _now(at)
    marked: list[str] = []
    candidates = (
        DemeritProposal.objects.filter(
            status__in=list(OPEN_PROPOSAL_STATUSES), due_at__lt=moment, overdue_at__isnull=True
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in list(candidates):
        with transaction.atomic():

            def mark(locked: DemeritProposal) -> dict[str, Any]:
                deadline_update(workflow=DEMERIT_WORKFLOW, record=locked, at=moment)
                if (
                    locked.status not in OPEN_PROPOSAL_STATUSES
                    or locked.due_at is None
                    or locked.due_at >= moment
                    or locked.overdue_at is not None
                ):
                    raise _NotDue
                locked.overdue_at = locked.escalated_at = moment
                return {"due_at": locked.due_at}

            try:
                locked, _event = transition(
                    workflow=DEMERIT_WORKFLOW,
                    record=DemeritProposal(pk=pk),
                    move="overdue",
                    actor=None,
                    apply=mark,
                    at=moment,
                )
            except _NotDue:
                continue
            assert locked.due_at is not None
            notify(
                recipients=[*liaisons(locked.department), *supervisors(locked.district_id)],
                text=_(
                    "Overdue: the housing bureau's answer to credit demerit %(number)s was due "
                    "%(due)s."
                )
                % {
                    "number": locked.number,
                    "due": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M"),
                },
                link=locked.get_absolute_url(),
                at=moment,
            )
        marked.append(locked.number)
    return marked


__all__ = [
    "TransitionRefused",
    "add_months",
    "demerit_confirm",
    "demerit_grounds",
    "demerit_propose_for_case",
    "demerit_reject",
    "demerit_sweep",
    "demerits_propose_missing",
    "property_company_reports",
]
