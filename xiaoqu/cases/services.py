"""Writes of the penalty procedure. Each step is a move of CASE_WORKFLOW made through
core.workflow.transition; the legal guards refuse a step with the article they apply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xiaoqu.accounts.models import User
from xiaoqu.audit.services import attachments_validate, event_record
from xiaoqu.core.numbers import number_format, number_next
from xiaoqu.core.workflow import TransitionRefused, deadline_update, transition
from xiaoqu.credit.services import demerit_propose_for_case
from xiaoqu.departments.models import Department
from xiaoqu.documents.context import article_zh
from xiaoqu.documents.numbering import document_number_format
from xiaoqu.estates.validators import normalize_uscc, uscc_problem
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.intake.models import Lead
from xiaoqu.intake.services import lead_hand_to_filing
from xiaoqu.law.models import Provision, ViolationType
from xiaoqu.law.selectors import threshold_get
from xiaoqu.law.workdays import deadline_for

from .choices import (
    OPEN_CASE_STATUSES,
    ClosureKind,
    EvidenceKind,
    ExecutionKind,
    PartyKind,
    PenaltyKind,
    Procedure,
    ReviewStatus,
)
from .models import Case, Evidence, Execution
from .workflow import CASE_WORKFLOW

LATE_FEE_RATE = Decimal("0.03")  # art. 72: 3 % of the fine a day, capped at the fine
CENT = Decimal("0.01")
PENALTIES_WITH_FINE = frozenset({PenaltyKind.FINE, PenaltyKind.FINE_AND_RESTORE})
# How heavy a penalty is, to compare the decision with the notice (art. 45).
SEVERITY: dict[str, int] = {
    PenaltyKind.NONE: 0,
    PenaltyKind.WARNING: 1,
    PenaltyKind.FINE: 2,
    PenaltyKind.FINE_AND_RESTORE: 3,
    PenaltyKind.DEMOLITION: 3,
}


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def articles_text(article: str) -> str:
    """“第六十二条” / “第四十四条、第六十二条” in Chinese, “article 62” / “articles 44, 62”
    otherwise: Chinese article numbers are written in Chinese numerals."""
    numbers = [a.strip() for a in article.split(",") if a.strip()]
    if (translation.get_language() or "").startswith("zh"):
        return article_zh("/".join(numbers))
    if len(numbers) > 1:
        return _("articles %(numbers)s") % {"numbers": ", ".join(numbers)}
    return _("article %(number)s") % {"number": article.strip()}


def _law(article: str) -> str:
    """“（《中华人民共和国行政处罚法》第六十二条）” for refusal messages."""
    return _("(Administrative Penalty Law, %(articles)s)") % {"articles": articles_text(article)}


def _yuan(amount: Any) -> str:
    """5000 → “5,000”; 1234.5 → “1,234.50” (amounts in messages)."""
    if amount is None:
        return "—"
    value = Decimal(str(amount))
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    amount = Decimal(str(value)).quantize(CENT)
    if amount < 0:
        raise ValidationError(_("An amount cannot be negative."))
    return amount


def _check_penalty(penalty: str, fine: Decimal | None) -> None:
    if penalty not in PenaltyKind.values:
        raise ValidationError(_("Unknown kind of penalty."))
    if penalty in PENALTIES_WITH_FINE and (fine is None or fine <= 0):
        raise ValidationError(_("A fine needs its amount."))
    if penalty not in PENALTIES_WITH_FINE and fine:
        raise ValidationError(_("Only a fine has an amount."))


def threshold_for(code: str, party_kind: str, *, on: dt.date) -> Decimal | None:
    threshold = threshold_get(code=code, on=on)
    if threshold is None:
        return None
    return threshold.organisation if party_kind == PartyKind.ORGANISATION else threshold.individual


def needs_review(case: Case, fine: Decimal | None, *, on: dt.date) -> bool:
    """A major decision (fine at or above the legal-review threshold) needs legal review."""
    limit = threshold_for("legal_review", case.party_kind, on=on)
    return bool(fine is not None and limit is not None and fine >= limit)


def has_hearing_right(party_kind: str, penalty: str, fine: Decimal | None, *, on: dt.date) -> bool:
    """Art. 63: large fines, demolition-like orders (and others the law lists) give the right to a hearing."""
    if penalty == PenaltyKind.DEMOLITION:
        return True
    limit = threshold_for("hearing", party_kind, on=on)
    return bool(fine is not None and limit is not None and fine >= limit)


def late_fee(
    *,
    fine: Decimal,
    payment_due: dt.datetime | None,
    paid_amount: Decimal = Decimal(0),
    on: dt.date | None = None,
) -> Decimal:
    """Art. 72: 3 % of the unpaid fine for each day after the payment deadline, never more than the fine."""
    if payment_due is None or fine <= 0:
        return Decimal(0)
    day = on or timezone.localdate()
    due_day = timezone.localtime(payment_due).date()
    days = (day - due_day).days
    unpaid = max(fine - paid_amount, Decimal(0))
    if days <= 0 or unpaid <= 0:
        return Decimal(0)
    fee = (unpaid * LATE_FEE_RATE * days).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(fee, unpaid)


def case_late_fee(case: Case, *, on: dt.date | None = None) -> Decimal:
    """The late fee owed on a case (art. 72), from its payments: 3 % a day on what was still
    unpaid, from the day after the payment deadline until each payment (payments settle the
    fine first) and, for what is still unpaid, until `on`; never more than the fine."""
    fine = case.fine or Decimal(0)
    if case.payment_due is None or fine <= 0:
        return Decimal(0)
    day = on or timezone.localdate()
    last = timezone.localtime(case.payment_due).date()
    unpaid, fee = fine, Decimal(0)
    payments = sorted(
        (timezone.localtime(e.executed_at).date(), e.amount or Decimal(0))
        for e in case.executions.all()
        if e.kind == ExecutionKind.PAYMENT
    )
    for paid_on, amount in payments:
        if paid_on > day:
            break
        if paid_on > last:
            fee += unpaid * LATE_FEE_RATE * (paid_on - last).days
            last = paid_on
        unpaid = max(unpaid - amount, Decimal(0))
    if day > last and unpaid > 0:
        fee += unpaid * LATE_FEE_RATE * (day - last).days
    return min(fee.quantize(CENT, rounding=ROUND_HALF_UP), fine)


def amount_due(case: Case, *, on: dt.date | None = None) -> Decimal:
    """What is still owed: the fine and the late fee, less what was paid."""
    fine = case.fine or Decimal(0)
    return max(fine + case_late_fee(case, on=on) - case.paid_amount, Decimal(0))


def _decision_number(year: int) -> str:
    """普城管罚字〔2026〕第0001号: an official number, the same whatever the user's language."""
    value = number_next(name="penalty-decision", year=year)
    return document_number_format(word="罚", year=year, value=value)


# ---------------------------------------------------------------------------------------------
# Filing


def _party(party_kind: str, party_name: str, party_uscc: str) -> str:
    if party_kind not in PartyKind.values:
        raise ValidationError(_("Choose whether the party is a person or an organisation."))
    if not party_name.strip():
        raise ValidationError(_("The party's name is required."))
    uscc = normalize_uscc(party_uscc or "")
    if party_kind == PartyKind.ORGANISATION:
        if not uscc:
            raise ValidationError(
                _("An organisation is identified by its unified social credit code.")
            )
        problem = uscc_problem(uscc)
        if problem:
            raise ValidationError(problem)
    return uscc


def case_file(
    *,
    lead: Lead,
    actor: User,
    party_kind: str,
    party_name: str,
    facts: str,
    party_uscc: str = "",
    party_id_number: str = "",
    party_representative: str = "",
    party_address: str = "",
    party_phone: str = "",
    violation_type: ViolationType | None = None,
    provisions: Iterable[Provision] = (),
    at: dt.datetime | None = None,
) -> Case:
    """File a case (立案) from a verified lead; the decision is due 90 days later (art. 60)."""
    moment = _now(at)
    uscc = _party(party_kind, party_name, party_uscc)
    if not facts.strip():
        raise ValidationError(_("State the facts of the case."))
    vt = violation_type or lead.violation_type
    if vt is None:
        raise ValidationError(_("Choose the violation type."))
    if lead.subdistrict_id is None:
        raise ValidationError(_("The lead has no subdistrict: dispatch it first."))
    if lead.status == LeadStatus.DISPATCHED:
        if lead.on_site_at is None:
            raise TransitionRefused(_("Verify the lead on site before filing a case."))
    elif lead.status != LeadStatus.TO_FILING:
        raise TransitionRefused(
            _(
                "A case is filed from a lead awaiting verification or handed on to filing; %(lead)s is “%(state)s”."
            )
            % {"lead": lead, "state": lead.get_status_display()}
        )
    if Case.objects.filter(lead=lead, status__in=OPEN_CASE_STATUSES).exists():
        raise TransitionRefused(_("%(lead)s already has an open case.") % {"lead": lead})
    with transaction.atomic():
        if lead.status == LeadStatus.DISPATCHED:
            lead = lead_hand_to_filing(lead=lead, actor=actor, reason=_("Case filed"), at=moment)
        year = timezone.localtime(moment).year
        case = Case(
            number=number_format(prefix="AJ", year=year, value=number_next(name="case", year=year)),
            lead=lead,
            district=lead.district,
            subdistrict=lead.subdistrict,
            estate=lead.estate,
            violation_type=vt,
            facts=facts.strip(),
            party_kind=party_kind,
            party_name=party_name.strip(),
            party_uscc=uscc,
            party_id_number=party_id_number.strip(),
            party_representative=party_representative.strip(),
            party_address=party_address.strip(),
            party_phone=party_phone.strip(),
            property_company=lead.estate.property_company if lead.estate else None,
            filed_at=moment,
            filed_by=actor,
            decision_due_at=deadline_for("decision_after_filing", moment),
        )
        deadline_update(workflow=CASE_WORKFLOW, record=case, at=moment)
        case.save()
        case.provisions.set(
            list(provisions)
            or list(vt.prohibitions.all())
            + ([vt.penalty_provision] if vt.penalty_provision else [])
        )
        event_record(
            record=case,
            actor=actor,
            action="filed",
            to_state=case.status,
            at=moment,
            data={"lead": lead.number, "party": case.party_name, "violation_type": vt.code},
        )
    return case


def case_simplified(
    *,
    lead: Lead,
    actor: User,
    party_kind: str,
    party_name: str,
    facts: str,
    penalty: str,
    fine: Any = None,
    party_uscc: str = "",
    party_id_number: str = "",
    party_address: str = "",
    decision_text: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Simplified procedure (简易程序, art. 51): a warning or a small fine decided and served on the
    spot. Anything above the threshold is refused on this path."""
    moment = _now(at)
    amount = _amount(fine)
    _check_penalty(penalty, amount)
    if penalty not in (PenaltyKind.WARNING, PenaltyKind.FINE):
        raise TransitionRefused(
            _("The simplified procedure allows only a warning or a fine %(law)s.")
            % {"law": _law("51")}
        )
    limit = threshold_for("simplified_procedure", party_kind, on=timezone.localtime(moment).date())
    if amount is not None and limit is not None and amount > limit:
        raise TransitionRefused(
            _(
                "On the spot, a fine may not exceed %(limit)s yuan for this party %(law)s: use the general procedure."
            )
            % {"limit": _yuan(limit), "law": _law("51")}
        )
    with transaction.atomic():
        case = case_file(
            lead=lead,
            actor=actor,
            party_kind=party_kind,
            party_name=party_name,
            facts=facts,
            party_uscc=party_uscc,
            party_id_number=party_id_number,
            party_address=party_address,
            at=moment,
        )
        Case.objects.filter(pk=case.pk).update(procedure=Procedure.SIMPLIFIED)
        case.procedure = Procedure.SIMPLIFIED

        def decide(locked: Case) -> dict[str, Any]:
            locked.procedure = Procedure.SIMPLIFIED
            # the party is told the facts, grounds and rights on the spot (art. 52)
            locked.notice_penalty, locked.notice_fine, locked.notice_served_at = (
                penalty,
                amount,
                moment,
            )
            locked.penalty, locked.fine = penalty, amount
            locked.decided_at, locked.decided_by = moment, actor
            locked.decision_text = decision_text.strip() or facts.strip()
            locked.decision_number = _decision_number(timezone.localtime(moment).year)
            return {
                "procedure": "simplified",
                "penalty": penalty,
                "fine": amount,
                "number": locked.decision_number,
            }

        def serve(locked: Case) -> dict[str, Any]:
            locked.served_at, locked.service_method = moment, str(_("handed over on the spot"))
            if amount:
                locked.payment_due = deadline_for("fine_payment", moment)
            return {"served_at": moment, "payment_due": locked.payment_due}

        # decided and handed over on the spot: the case goes straight to execution
        case, _e = transition(
            workflow=CASE_WORKFLOW,
            record=case,
            move="decide_on_the_spot",
            actor=actor,
            apply=decide,
            at=moment,
        )
        case, _e = transition(
            workflow=CASE_WORKFLOW,
            record=case,
            move="serve_decision",
            actor=actor,
            apply=serve,
            at=moment,
        )
        if not amount:
            case, _e = transition(
                workflow=CASE_WORKFLOW,
                record=case,
                move="close",
                actor=actor,
                apply=lambda c: _closing(
                    c, ClosureKind.EXECUTED, str(_("Warning given on the spot.")), moment
                ),
                at=moment,
            )
    demerit_propose_for_case(case=case, at=moment)
    return case


# ---------------------------------------------------------------------------------------------
# Investigation


def evidence_add(
    *,
    case: Case,
    actor: User,
    kind: str,
    description: str,
    collected_at: dt.datetime | None = None,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Evidence:
    moment = _now(at)
    if kind not in EvidenceKind.values:
        raise ValidationError(_("Unknown kind of evidence."))
    if not description.strip():
        raise ValidationError(_("Describe the evidence."))
    collected = collected_at or moment
    holder: dict[str, Evidence] = {}

    def add(locked: Case) -> dict[str, Any]:
        item = Evidence(
            case=locked,
            kind=kind,
            description=description.strip(),
            collected_at=collected,
            collected_by=actor,
        )
        if kind == EvidenceKind.PRESERVATION:
            item.preservation_due = deadline_for("evidence_preservation", collected)  # art. 56
        item.save()
        holder["item"] = item
        return {
            "evidence": kind,
            "description": item.description,
            "preservation_due": item.preservation_due,
        }

    _case, event = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="add_evidence",
        actor=actor,
        apply=add,
        uploads=uploads,
        at=moment,
    )
    Evidence.objects.filter(pk=holder["item"].pk).update(event=event)
    return holder["item"]


def preservation_resolve(
    *, evidence: Evidence, actor: User, outcome: str, at: dt.datetime | None = None
) -> Evidence:
    """Deal with evidence registered for preservation (within 7 days, art. 56)."""
    moment = _now(at)
    if evidence.kind != EvidenceKind.PRESERVATION or evidence.preservation_done_at is not None:
        raise TransitionRefused(_("This evidence is not awaiting a preservation decision."))
    if not outcome.strip():
        raise ValidationError(_("Write what was done with the preserved items."))

    def resolve(locked: Case) -> dict[str, Any]:
        Evidence.objects.filter(pk=evidence.pk).update(
            preservation_done_at=moment, preservation_outcome=outcome.strip()
        )
        late = evidence.preservation_due is not None and moment > evidence.preservation_due
        return {"evidence": evidence.pk, "outcome": outcome.strip(), "late": late}

    transition(
        workflow=CASE_WORKFLOW,
        record=evidence.case,
        move="resolve_preservation",
        actor=actor,
        apply=resolve,
        at=moment,
    )
    evidence.refresh_from_db()
    return evidence


# ---------------------------------------------------------------------------------------------
# Legal review and advance notice


def review_request(
    *, case: Case, actor: User, penalty: str, fine: Any = None, at: dt.datetime | None = None
) -> Case:
    amount = _amount(fine)
    _check_penalty(penalty, amount)

    def ask(locked: Case) -> dict[str, Any]:
        locked.proposed_penalty, locked.proposed_fine = penalty, amount
        locked.review_status = ReviewStatus.PENDING
        # the justice bureau reviews too (its liaison then sees the case), beside the legal section
        locked.review_department = Department.objects.filter(
            district_id=locked.district_id, code="justice", is_active=True
        ).first()
        return {"penalty": penalty, "fine": amount}

    locked, _e = transition(
        workflow=CASE_WORKFLOW, record=case, move="request_review", actor=actor, apply=ask, at=at
    )
    return locked


def review_decide(
    *, case: Case, actor: User, approve: bool, opinion: str, at: dt.datetime | None = None
) -> Case:
    moment = _now(at)
    if not opinion.strip():
        raise ValidationError(_("Write the review opinion."))

    def decide(locked: Case) -> dict[str, Any]:
        locked.review_status = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
        locked.reviewed_fine = locked.proposed_fine if approve else None
        locked.reviewed_by, locked.reviewed_at, locked.review_opinion = (
            actor,
            moment,
            opinion.strip(),
        )
        return {"approved": approve, "fine": locked.proposed_fine}

    move = "approve_review" if approve else "return_review"
    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move=move,
        actor=actor,
        reason=opinion if not approve else "",
        apply=decide,
        at=moment,
    )
    return locked


def _check_review(case: Case, penalty: str, fine: Decimal | None, *, on: dt.date) -> None:
    if needs_review(case, fine, on=on) or penalty == PenaltyKind.DEMOLITION:
        if case.review_status != ReviewStatus.APPROVED:
            raise TransitionRefused(
                _(
                    "A major decision needs legal review first (fine of %(limit)s yuan or more for this party)."
                )
                % {"limit": _yuan(threshold_for("legal_review", case.party_kind, on=on))}
            )
        if fine is not None and case.reviewed_fine is not None and fine > case.reviewed_fine:
            raise TransitionRefused(
                _(
                    "The fine exceeds the %(fine)s yuan approved in legal review: ask for a new review."
                )
                % {"fine": _yuan(case.reviewed_fine)}
            )


def notice_issue(
    *,
    case: Case,
    actor: User,
    penalty: str,
    fine: Any = None,
    served_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
    renew_reason: str = "",
) -> Case:
    """Serve the advance notice (告知, art. 44): the facts, grounds and penalty intended, and the
    rights to state, defend and (for large fines, art. 63) ask for a hearing within 5 days (art. 64)."""
    moment = _now(at)
    amount = _amount(fine)
    _check_penalty(penalty, amount)
    served = served_at or moment
    if served > moment + dt.timedelta(minutes=5):
        raise ValidationError(_("The time of service cannot be in the future."))
    day = timezone.localtime(served).date()

    def notify(locked: Case) -> dict[str, Any]:
        _check_review(locked, penalty, amount, on=day)
        locked.notice_penalty, locked.notice_fine, locked.notice_served_at = penalty, amount, served
        locked.hearing_right = has_hearing_right(locked.party_kind, penalty, amount, on=day)
        locked.statement_until = deadline_for("hearing_request", served)
        locked.waived_at = None
        return {
            "penalty": penalty,
            "fine": amount,
            "served_at": served,
            "hearing_right": locked.hearing_right,
            "statement_until": locked.statement_until,
        }

    move = "renotify" if renew_reason else "issue_notice"
    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move=move,
        actor=actor,
        reason=renew_reason,
        apply=notify,
        at=moment,
    )
    return locked


def statement_record(
    *, case: Case, actor: User, statement: str, at: dt.datetime | None = None
) -> Case:
    moment = _now(at)
    if not statement.strip():
        raise ValidationError(_("Write the party's statement and defence."))

    def record(locked: Case) -> dict[str, Any]:
        locked.statement_at = moment
        locked.statement = (locked.statement + "\n" if locked.statement else "") + statement.strip()
        return {"statement": statement.strip()}

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="record_statement",
        actor=actor,
        apply=record,
        at=moment,
    )
    return locked


def waiver_record(
    *, case: Case, actor: User, uploads: Sequence[UploadedFile] = (), at: dt.datetime | None = None
) -> Case:
    """The party waived the statement and hearing in writing (art. 62): no need to wait."""
    moment = _now(at)
    attachments_validate(uploads)

    def waive(locked: Case) -> None:
        locked.waived_at = moment

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="record_waiver",
        actor=actor,
        apply=waive,
        uploads=uploads,
        at=moment,
    )
    return locked


def hearing_request(
    *,
    case: Case,
    actor: User,
    requested_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """The party asks for a hearing: only with the right to one, within 5 days of the notice (art. 64)."""
    moment = _now(at)
    requested = requested_at or moment

    def ask(locked: Case) -> dict[str, Any]:
        if not locked.hearing_right:
            raise TransitionRefused(
                _("The penalty in the notice does not give a right to a hearing %(law)s.")
                % {"law": _law("63")}
            )
        if locked.statement_until is not None and requested > locked.statement_until:
            raise TransitionRefused(
                _(
                    "A hearing must be requested within 5 days of the notice; the period ended %(until)s %(law)s."
                )
                % {
                    "until": timezone.localtime(locked.statement_until).strftime("%Y-%m-%d %H:%M"),
                    "law": _law("64"),
                }
            )
        locked.hearing_requested_at = requested
        return {"requested_at": requested}

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="request_hearing",
        actor=actor,
        apply=ask,
        at=moment,
    )
    return locked


def hearing_schedule(
    *, case: Case, actor: User, hearing_at: dt.datetime, place: str, at: dt.datetime | None = None
) -> Case:
    """Notify the party of the hearing's time and place at least 7 days ahead (art. 64)."""
    moment = _now(at)
    earliest = deadline_for("hearing_notice", moment)
    if timezone.localtime(hearing_at).date() < timezone.localtime(earliest).date():
        raise TransitionRefused(
            _(
                "The party must be notified 7 days before the hearing: the earliest date is %(date)s %(law)s."
            )
            % {"date": timezone.localtime(earliest).strftime("%Y-%m-%d"), "law": _law("64")}
        )
    if not place.strip():
        raise ValidationError(_("Give the place of the hearing."))

    def schedule(locked: Case) -> dict[str, Any]:
        locked.hearing_at, locked.hearing_place, locked.hearing_notified_at = (
            hearing_at,
            place.strip(),
            moment,
        )
        return {"hearing_at": hearing_at, "place": place.strip()}

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="schedule_hearing",
        actor=actor,
        apply=schedule,
        at=moment,
    )
    return locked


def hearing_record(
    *,
    case: Case,
    actor: User,
    record: str,
    held_at: dt.datetime | None = None,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Case:
    moment = _now(at)
    held = held_at or moment
    if not record.strip():
        raise ValidationError(_("Write the hearing record."))

    def hold(locked: Case) -> dict[str, Any]:
        if locked.hearing_at is None:
            raise TransitionRefused(_("Schedule and notify the hearing first."))
        if held < locked.hearing_at - dt.timedelta(hours=1):
            raise TransitionRefused(_("The hearing cannot be held before the time notified."))
        locked.hearing_held_at, locked.hearing_record = held, record.strip()
        return {"held_at": held}

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="record_hearing",
        actor=actor,
        apply=hold,
        uploads=uploads,
        at=moment,
    )
    return locked


# ---------------------------------------------------------------------------------------------
# Decision, service, execution, closure


def fine_range(case: Case) -> tuple[Decimal | None, Decimal | None]:
    vt = case.violation_type
    return vt.fine_min, vt.fine_max


def case_decide(
    *,
    case: Case,
    actor: User,
    penalty: str,
    fine: Any = None,
    decision_text: str = "",
    out_of_range_reason: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """The penalty decision (处罚决定), refused when the law does not allow it yet."""
    moment = _now(at)
    amount = _amount(fine)
    _check_penalty(penalty, amount)
    if not decision_text.strip():
        raise ValidationError(
            _("Write the decision: the facts found, the grounds and the penalty.")
        )
    day = timezone.localtime(moment).date()

    def decide(locked: Case) -> dict[str, Any]:
        if locked.notice_served_at is None:
            raise TransitionRefused(
                _("No decision before the advance notice has been served %(law)s.")
                % {"law": _law("44, 62")}
            )
        if (
            locked.waived_at is None
            and locked.statement_until is not None
            and moment < locked.statement_until
        ):
            raise TransitionRefused(
                _(
                    "The party may state and defend until %(until)s; decide after that, or record a written waiver %(law)s."
                )
                % {
                    "until": timezone.localtime(locked.statement_until).strftime("%Y-%m-%d %H:%M"),
                    "law": _law("62"),
                }
            )
        if locked.hearing_requested_at is not None and locked.hearing_held_at is None:
            raise TransitionRefused(
                _("A hearing was requested: hold it before deciding %(law)s.")
                % {"law": _law("64, 65")}
            )
        if moment > locked.decision_due_at:
            raise TransitionRefused(
                _(
                    "The decision was due by %(due)s (90 days after filing); an extension must be approved first %(law)s."
                )
                % {
                    "due": timezone.localtime(locked.decision_due_at).strftime("%Y-%m-%d"),
                    "law": _law("60"),
                }
            )
        heavier = SEVERITY.get(penalty, 0) > SEVERITY.get(locked.notice_penalty, 0) or (
            amount is not None and (locked.notice_fine is None or amount > locked.notice_fine)
        )
        if heavier:
            raise TransitionRefused(
                _(
                    "The decision may not be heavier than the penalty in the advance notice; serve a new notice first %(law)s."
                )
                % {"law": _law("45")}
            )
        _check_review(locked, penalty, amount, on=day)
        low, high = fine_range(locked)
        outside = amount is not None and (
            (low is not None and amount < low) or (high is not None and amount > high)
        )
        if outside and not out_of_range_reason.strip():
            raise ValidationError(
                _(
                    "The fine is outside the catalog's range of %(low)s–%(high)s yuan for this violation: give the reason."
                )
                % {
                    "low": _yuan(low),
                    "high": _yuan(high),
                }
            )
        locked.penalty, locked.fine, locked.decided_at, locked.decided_by = (
            penalty,
            amount,
            moment,
            actor,
        )
        locked.decision_text = decision_text.strip()
        locked.out_of_range_reason = out_of_range_reason.strip() if outside else ""
        locked.decision_number = _decision_number(timezone.localtime(moment).year)
        return {
            "penalty": penalty,
            "fine": amount,
            "number": locked.decision_number,
            "out_of_range": outside,
        }

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="decide",
        actor=actor,
        reason=out_of_range_reason,
        apply=decide,
        at=moment,
    )
    # A penalty on an estate whose property company had not reported it: propose a demerit.
    demerit_propose_for_case(case=locked, at=moment)
    return locked


def decision_serve(
    *,
    case: Case,
    actor: User,
    served_at: dt.datetime | None = None,
    method: str = "",
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Case:
    """Service of the decision (within 7 days, art. 61); the fine is due 15 days later (art. 67)."""
    moment = _now(at)
    served = served_at or moment
    if served > moment + dt.timedelta(minutes=5):
        raise ValidationError(_("The time of service cannot be in the future."))

    def serve(locked: Case) -> dict[str, Any]:
        if locked.decided_at is not None and served < locked.decided_at - dt.timedelta(minutes=1):
            raise ValidationError(_("The decision cannot be served before it was made."))
        locked.served_at, locked.service_method = (
            served,
            method.strip() or str(_("served in person")),
        )
        if locked.fine:
            locked.payment_due = deadline_for("fine_payment", served)
        late = locked.decided_at is not None and served > deadline_for(
            "decision_service", locked.decided_at
        )
        return {
            "served_at": served,
            "method": locked.service_method,
            "late": late,
            "payment_due": locked.payment_due,
        }

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="serve_decision",
        actor=actor,
        apply=serve,
        uploads=uploads,
        at=moment,
    )
    return locked


def execution_record(
    *,
    case: Case,
    actor: User,
    kind: str,
    note: str = "",
    amount: Any = None,
    executed_at: dt.datetime | None = None,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Execution:
    moment = _now(at)
    if kind not in ExecutionKind.values:
        raise ValidationError(_("Unknown kind of execution."))
    value = _amount(amount)
    if kind == ExecutionKind.PAYMENT and not value:
        raise ValidationError(_("Give the amount paid."))
    when = executed_at or moment
    holder: dict[str, Execution] = {}

    def execute(locked: Case) -> dict[str, Any]:
        item = Execution.objects.create(
            case=locked,
            kind=kind,
            executed_at=when,
            amount=value,
            note=note.strip(),
            recorded_by=actor,
        )
        if kind == ExecutionKind.PAYMENT and value:
            locked.paid_amount = locked.paid_amount + value
        holder["item"] = item
        fee = (
            case_late_fee(locked, on=timezone.localtime(when).date())
            if kind == ExecutionKind.PAYMENT
            else Decimal(0)
        )
        return {"execution": kind, "amount": value, "late_fee_at_payment": fee}

    _case, event = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="record_execution",
        actor=actor,
        apply=execute,
        uploads=uploads,
        at=moment,
    )
    Execution.objects.filter(pk=holder["item"].pk).update(event=event)
    return holder["item"]


def _closing(locked: Case, kind: str, report: str, moment: dt.datetime) -> dict[str, Any]:
    locked.closed_at, locked.closure_kind, locked.closure_report = moment, kind, report.strip()
    return {"closure": kind}


def case_close(*, case: Case, actor: User, report: str, at: dt.datetime | None = None) -> Case:
    """Closure (结案) with its report: the fine and late fee paid, or court enforcement applied for."""
    moment = _now(at)
    if not report.strip():
        raise ValidationError(_("Write the closure report."))

    def close(locked: Case) -> dict[str, Any]:
        court = locked.executions.filter(kind=ExecutionKind.COURT_APPLICATION).exists()
        due = amount_due(locked, on=timezone.localtime(moment).date())
        if due > 0 and not court:
            raise TransitionRefused(
                _(
                    "%(due)s yuan (fine and late fee) are still unpaid: record the payment or the application for court enforcement %(law)s."
                )
                % {"due": _yuan(due), "law": _law("72")}
            )
        return _closing(
            locked, ClosureKind.COURT if court and due > 0 else ClosureKind.EXECUTED, report, moment
        )

    locked, _e = transition(
        workflow=CASE_WORKFLOW, record=case, move="close", actor=actor, apply=close, at=moment
    )
    return locked


def case_withdraw(*, case: Case, actor: User, reason: str, at: dt.datetime | None = None) -> Case:
    """Close without penalty (the facts are not established, or another reason of law)."""
    moment = _now(at)
    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="withdraw",
        actor=actor,
        reason=reason,
        apply=lambda c: _closing(c, ClosureKind.NOT_PENALISED, reason, moment),
        at=moment,
    )
    return locked


def extension_request(
    *, case: Case, actor: User, days: int, reason: str, at: dt.datetime | None = None
) -> Case:
    if days < 1:
        raise ValidationError(_("Ask for at least one day."))
    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="request_extension",
        actor=actor,
        reason=reason,
        data={"days": days},
        at=at,
    )
    return locked


def extension_approve(
    *, case: Case, actor: User, days: int, reason: str, at: dt.datetime | None = None
) -> Case:
    """A leader extends the decision deadline of art. 60 ("法律另有规定的除外; 经批准可以延长")."""
    if days < 1:
        raise ValidationError(_("Extend by at least one day."))

    def extend(locked: Case) -> dict[str, Any]:
        locked.extension_days += days
        locked.decision_due_at = locked.decision_due_at + dt.timedelta(days=days)
        locked.extension_reason = (
            locked.extension_reason + "\n" if locked.extension_reason else ""
        ) + reason.strip()
        return {"days": days, "decision_due_at": locked.decision_due_at}

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="approve_extension",
        actor=actor,
        reason=reason,
        apply=extend,
        at=at,
    )
    return locked


def extension_reject(
    *, case: Case, actor: User, reason: str, at: dt.datetime | None = None
) -> Case:
    """A leader refuses the extension asked for; the deadline stays."""
    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="reject_extension",
        actor=actor,
        reason=reason,
        at=at,
    )
    return locked


def reopen_request(*, case: Case, actor: User, reason: str, at: dt.datetime | None = None) -> Case:
    """Ask a leader to reopen a closed case (the reopening itself needs the approval)."""
    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="request_reopen",
        actor=actor,
        reason=reason,
        at=at,
    )
    return locked


def case_reopen(*, case: Case, actor: User, reason: str, at: dt.datetime | None = None) -> Case:
    """Reopening needs a leader's approval and counts as rework."""

    def reopen(locked: Case) -> dict[str, Any]:
        previous = locked.closure_kind
        locked.reopen_count += 1
        locked.closed_at, locked.closure_kind = None, ""
        return {"previous_closure": previous}

    locked, _e = transition(
        workflow=CASE_WORKFLOW,
        record=case,
        move="reopen",
        actor=actor,
        reason=reason,
        apply=reopen,
        at=at,
    )
    return locked
