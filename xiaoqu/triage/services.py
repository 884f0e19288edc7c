"""Writes of triage: the guesses made when a complaint arrives, what they fill in, the
automatic dispatch of confident guesses, chronic matters, and the dispatchers' corrections.

What triage fills in (never over what the person entering the complaint chose):
- the violation type, when the engine names one of the 13 bureau types with a confidence at
  or above the engine's THRESHOLD;
- the estate (and from it the subdistrict), when the engine matched one with an estate
  confidence at or above THRESHOLD and it does not contradict a subdistrict already given.

A complaint awaits manual triage (`TriageRecord.needs_review`) when, after triage, it still
lacks a violation type because the guess was below the threshold, or it has neither estate
nor subdistrict. So a complaint whose type and place the reporter gave is never queued. A
confident guess that the matter is another department's (a referral target) is not queued
either: its lead waits in the dispatcher's inbox with the department suggested, where one
click refers it (the lead workflow's "refer" move) after the dispatcher has read it.

A complaint is dispatched automatically to its subdistrict's enforcement team when triage
itself chose its type (confidently, a bureau type), its subdistrict is known, it raised a new
lead and the setting XIAOQU_TRIAGE_AUTO_DISPATCH (default on) allows it. A type chosen by the
person entering the complaint leaves the dispatch to the dispatcher, as before triage.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.accounts.roles import is_dispatcher
from xiaoqu.audit.services import event_record
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.estates.models import Estate
from xiaoqu.intake.choices import OPEN_LEAD_STATUSES, LeadStatus
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ReferralTarget, ViolationType
from xiaoqu.regions.models import Subdistrict

from .engine import TriageInput
from .models import Correction, TriageRecord

logger = logging.getLogger(__name__)

CHRONIC_COMPLAINTS = 3
CHRONIC_WINDOW = dt.timedelta(days=90)
STORED_PREFIX = "complaint:"


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


# ---------------------------------------------------------------------------------------------
# The engine


def triage_engine(district: Any = None, *, train: bool = False) -> Any:
    """The engine in use (cached per process by the engine itself), or None when no model is
    active: a complaint being entered never waits for a training run (`xiaoqu train-triage`
    or the "train now" button make the first model); with `train=True` (imports, which are
    long jobs anyway) the engine trains a first model from the shipped corpus."""
    from .engine import Triage
    from .models import ModelVersion

    if not train and not ModelVersion.objects.filter(active=True).exists():
        return None
    return Triage.load(district)


def engine_threshold(engine: Any) -> float:
    """Below this confidence a guess is not acted on. An engine may carry its own."""
    value = getattr(engine, "threshold", None)
    if value is None:
        from .engine import threshold

        value = threshold()
    return float(value)


def auto_dispatch_enabled() -> bool:
    return bool(getattr(settings, "XIAOQU_TRIAGE_AUTO_DISPATCH", True))


# ---------------------------------------------------------------------------------------------
# Deciding what a guess fills in (pure: shared by the one-by-one and the bulk paths)


@dataclass
class Catalog:
    """What guesses are resolved against: effective violation types by code, estates and
    subdistricts by id/code. Loaded once per complaint or once per import chunk."""

    types: dict[str, ViolationType]
    subdistricts_by_code: dict[str, Subdistrict]
    estates: dict[int, Estate] = field(default_factory=dict)

    @classmethod
    def load(cls, *, on: dt.date | None = None, estate_ids: Iterable[int] = ()) -> Catalog:
        types = {vt.code: vt for vt in ViolationType.objects.effective(on)}
        subdistricts = {s.code: s for s in Subdistrict.objects.all()}
        catalog = cls(types=types, subdistricts_by_code=subdistricts)
        catalog.add_estates(estate_ids)
        return catalog

    def add_estates(self, ids: Iterable[int]) -> None:
        missing = {i for i in ids if i and i not in self.estates}
        if missing:
            for estate in Estate.objects.filter(pk__in=missing).select_related("subdistrict"):
                self.estates[estate.pk] = estate


@dataclass
class Decision:
    estate: Estate | None
    subdistrict: Subdistrict | None
    violation_type: ViolationType | None
    filled: list[str]
    needs_review: bool
    review_reasons: list[str]
    auto_dispatch: bool


def _clip(text: Any, n: int = 300) -> str:
    return str(text or "")[:n]


def triage_decide(
    *,
    result: Any,
    estate: Estate | None,
    subdistrict: Subdistrict | None,
    violation_type: ViolationType | None,
    threshold: float,
    catalog: Catalog,
) -> Decision:
    """What the guess `result` fills in on a complaint that has `estate`, `subdistrict` and
    `violation_type` as entered, and whether it must be triaged by hand."""
    filled: list[str] = []
    reasons: list[str] = []
    guessed_estate = catalog.estates.get(result.estate_id) if result.estate_id else None
    if (
        estate is None
        and guessed_estate is not None
        and result.estate_confidence >= threshold
        and (
            subdistrict is None
            or guessed_estate.subdistrict_id is None
            or guessed_estate.subdistrict_id == subdistrict.pk
        )
    ):
        estate = guessed_estate
        filled.append("estate")
        if estate.subdistrict is not None and subdistrict is None:
            subdistrict = estate.subdistrict
            filled.append("subdistrict")
    if subdistrict is None and estate is None and result.subdistrict:
        # no estate, but the engine knows the subdistrict (from a road or a named 街道)
        guessed_sd = catalog.subdistricts_by_code.get(result.subdistrict)
        if guessed_sd is not None and result.estate_confidence >= threshold:
            subdistrict = guessed_sd
            filled.append("subdistrict")
    guessed_type = catalog.types.get(result.violation_type) if result.violation_type else None
    if (
        violation_type is None
        and guessed_type is not None
        and not result.refer_to
        and result.confidence >= threshold
    ):
        violation_type = guessed_type
        filled.append("violation_type")
    if violation_type is None:
        if result.confidence < threshold:
            reasons.append("low_confidence")
        elif not result.refer_to:
            reasons.append("no_type")
    if estate is None and subdistrict is None:
        reasons.append("no_place")
    auto = (
        not reasons
        and "violation_type" in filled
        and subdistrict is not None
        and auto_dispatch_enabled()
    )
    return Decision(
        estate=estate,
        subdistrict=subdistrict,
        violation_type=violation_type,
        filled=filled,
        needs_review=bool(reasons),
        review_reasons=reasons,
        auto_dispatch=auto,
    )


def stored_repeat_pk(repeat_of: str | None) -> int | None:
    """The complaint pk of a "complaint:<pk>" repeat guess."""
    if repeat_of and repeat_of.startswith(STORED_PREFIX):
        tail = repeat_of[len(STORED_PREFIX) :]
        if tail.isdigit():
            return int(tail)
    return None


def triage_record_build(
    *,
    complaint: Complaint,
    result: Any,
    catalog: Catalog,
    decision: Decision,
    repeat_of_id: int | None,
    version: str,
    at: dt.datetime,
) -> TriageRecord:
    return TriageRecord(
        complaint=complaint,
        violation_type=_clip(result.violation_type, 40),
        refer_to=_clip(result.refer_to, 30),
        confidence=float(result.confidence or 0),
        type_reason=_clip(result.type_reason),
        estate=catalog.estates.get(result.estate_id) if result.estate_id else None,
        estate_confidence=float(result.estate_confidence or 0),
        estate_reason=_clip(result.estate_reason),
        repeat_of_id=repeat_of_id,
        repeat_reason=_clip(result.repeat_reason) if repeat_of_id else "",
        model_version=_clip(version, 40),
        needs_review=decision.needs_review,
        triaged_at=at,
    )


def triaged_event_data(
    *, record: TriageRecord, decision: Decision, repeat_number: str = ""
) -> dict[str, Any]:
    """The data of the "triaged" event: the guesses, what they filled, and why queued."""
    return {
        "violation_type": record.violation_type,
        "refer_to": record.refer_to,
        "confidence": round(record.confidence, 3),
        "type_reason": record.type_reason,
        "estate": record.estate.name if record.estate else "",
        "estate_confidence": round(record.estate_confidence, 3),
        "estate_reason": record.estate_reason,
        "repeat_of": repeat_number,
        "repeat_reason": record.repeat_reason,
        "filled": decision.filled,
        "needs_review": decision.needs_review,
        "review_reasons": decision.review_reasons,
        "model_version": record.model_version,
    }


# ---------------------------------------------------------------------------------------------
# One complaint on arrival


@dataclass
class Triaged:
    """What triage of one complaint did, for complaint_create to continue with."""

    record: TriageRecord
    decision: Decision
    repeat_lead: Lead | None


def triage_complaint(
    complaint: Complaint,
    *,
    engine: Any = None,
    actor: User | None = None,
    at: dt.datetime | None = None,
) -> Triaged | None:
    """Triage a complaint just saved (inside complaint_create's transaction, before its lead
    is chosen): store the guesses, fill what the user left empty, record the event. Returns
    None when no engine is available (the complaint then waits for the dispatcher as before)."""
    moment = _now(at)
    try:
        engine = engine or triage_engine(complaint.district)
        if engine is None:
            return None
        # its pk as the id: the engine leaves the complaint itself out of the stored ones
        own_id = str(complaint.pk)
        item = TriageInput(
            id=own_id,
            text=complaint.content,
            address=complaint.address,
            received_at=complaint.received_at,
            channel=complaint.channel,
        )
        result = engine.run([item])[0]
        threshold = engine_threshold(engine)
    except Exception:  # triage must never stop a complaint from being recorded
        logger.exception("triage of complaint %s failed", complaint.pk)
        return None
    catalog = Catalog.load(
        on=timezone.localtime(complaint.received_at).date(),
        estate_ids=[result.estate_id] if result.estate_id else [],
    )
    decision = triage_decide(
        result=result,
        estate=complaint.estate,
        subdistrict=complaint.subdistrict,
        violation_type=complaint.violation_type,
        threshold=threshold,
        catalog=catalog,
    )
    repeat_pk = stored_repeat_pk(result.repeat_of)
    repeat: Complaint | None = None
    if repeat_pk is not None and repeat_pk != complaint.pk:
        repeat = (
            Complaint.objects.filter(pk=repeat_pk, district_id=complaint.district_id)
            .select_related("lead")
            .first()
        )
    record = triage_record_build(
        complaint=complaint,
        result=result,
        catalog=catalog,
        decision=decision,
        repeat_of_id=repeat.pk if repeat else None,
        version=str(getattr(engine, "version", "")),
        at=moment,
    )
    record.save()
    if decision.filled:
        complaint.estate = decision.estate
        complaint.subdistrict = decision.subdistrict
        complaint.violation_type = decision.violation_type
        complaint.save(update_fields=["estate", "subdistrict", "violation_type"])
    event_record(
        record=complaint,
        actor=actor,
        action="triaged",
        at=moment,
        data=triaged_event_data(
            record=record, decision=decision, repeat_number=repeat.number if repeat else ""
        ),
    )
    repeat_lead = None
    if repeat is not None and repeat.lead is not None and repeat.lead.status in OPEN_LEAD_STATUSES:
        repeat_lead = repeat.lead
    return Triaged(record=record, decision=decision, repeat_lead=repeat_lead)


def triage_after_lead(
    *,
    complaint: Complaint,
    triaged: Triaged | None,
    created: bool,
    at: dt.datetime,
) -> None:
    """After complaint_create chose the lead: dispatch a confident new lead automatically, or
    mark the matter chronic when this complaint was attached to it."""
    lead = complaint.lead
    if lead is None:
        return
    if not created:
        lead_chronic_check(lead=lead, at=at)
        return
    if triaged is None or not triaged.decision.auto_dispatch:
        return
    from xiaoqu.intake.services import lead_dispatch

    try:
        with transaction.atomic():
            complaint.lead = lead_dispatch(lead=lead, actor=None, at=at)
    except (TransitionRefused, ValidationError) as exc:
        # no team in the register, for instance: the lead waits for the dispatcher
        logger.info("automatic dispatch of %s refused: %s", lead, exc)


# ---------------------------------------------------------------------------------------------
# Chronic matters


def chronic_due(times: Sequence[dt.datetime]) -> bool:
    """Three or more complaints within 90 days."""
    ordered = sorted(times)
    n = CHRONIC_COMPLAINTS
    return any(
        ordered[i + n - 1] - ordered[i] <= CHRONIC_WINDOW for i in range(len(ordered) - n + 1)
    )


def lead_chronic_check(*, lead: Lead, at: dt.datetime | None = None) -> bool:
    """Mark the lead chronic (once) when it has 3 complaints within 90 days; tell the
    dispatchers, who put it before a case clinic (会诊). Returns whether it was marked now."""
    moment = _now(at)
    if lead.chronic_since is not None:
        return False
    times = list(Complaint.objects.filter(lead=lead).values_list("received_at", flat=True))
    if len(times) < CHRONIC_COMPLAINTS or not chronic_due(times):
        return False
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        if locked.chronic_since is not None:
            return False
        locked.chronic_since = moment
        locked.save(update_fields=["chronic_since"])
        event_record(
            record=locked,
            actor=None,
            action="chronic",
            at=moment,
            data={"complaints": len(times), "window_days": CHRONIC_WINDOW.days},
        )
    lead.chronic_since = moment
    lead.event_count, lead.last_event_hash = locked.event_count, locked.last_event_hash
    chronic_notify(leads=[locked], at=moment)
    return True


def chronic_notify(*, leads: Sequence[Lead], at: dt.datetime) -> None:
    """Tell the dispatchers of each lead's district (one notification per lead and
    dispatcher, written at once)."""
    from xiaoqu.audit.models import Notification

    districts = {lead.district_id for lead in leads}
    dispatchers: dict[int, list[User]] = {d: [] for d in districts}
    for user in User.objects.filter(
        role=Role.DISPATCHER, district_id__in=districts, is_active=True
    ):
        if user.district_id is not None:
            dispatchers[user.district_id].append(user)
    rows = [
        Notification(
            recipient=user,
            text=(
                _(
                    "Lead %(lead)s is chronic: %(n)d or more complaints within 90 days; put it "
                    "before a case clinic."
                )
                % {"lead": lead.number, "n": CHRONIC_COMPLAINTS}
            )[:300],
            link=lead.get_absolute_url(),
            created_at=at,
        )
        for lead in leads
        for user in dispatchers[lead.district_id]
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)


# ---------------------------------------------------------------------------------------------
# Corrections


def may_correct(user: Any, complaint: Complaint) -> bool:
    """Dispatchers, bureau leaders and administrators of the complaint's district."""
    return bool(
        is_dispatcher(user) and Complaint.objects.restrict(user).filter(pk=complaint.pk).exists()
    )


@dataclass
class CorrectionResult:
    complaint: Complaint
    changes: list[Correction]


def triage_correct(
    *,
    complaint: Complaint,
    actor: User,
    violation_type: str | None = None,
    refer_to: str | None = None,
    estate: Estate | None = None,
    not_repeat: bool = False,
    at: dt.datetime | None = None,
) -> CorrectionResult:
    """Correct the guesses about a complaint (or confirm them when nothing is given): the
    complaint, and its lead while it awaits dispatch, take the corrected values; each changed
    field is kept as a Correction for the next training run; the triage is marked reviewed."""
    moment = _now(at)
    if not may_correct(actor, complaint):
        raise TransitionRefused(
            _("Only the dispatchers and leaders of the district can correct the triage.")
        )
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("lead")
            .get(pk=complaint.pk)
        )
        record = TriageRecord.objects.filter(complaint=locked).select_related("estate").first()
        if record is None:
            record = TriageRecord(complaint=locked, triaged_at=moment, needs_review=True)
        on = timezone.localtime(locked.received_at).date()
        changes: list[Correction] = []

        def correction(name: str, old: str, new: str) -> None:
            changes.append(
                Correction(
                    complaint=locked,
                    field=name,
                    old_value=old[:100],
                    new_value=new[:100],
                    text=locked.content,
                    address=locked.address,
                    corrected_by=actor,
                    corrected_at=moment,
                )
            )

        update: list[str] = []
        if violation_type:
            vt = ViolationType.objects.effective(on).filter(code=violation_type).first()
            if vt is None:
                raise ValidationError(
                    _("Unknown violation type: %(code)s.") % {"code": violation_type}
                )
            guessed = record.violation_type or ""
            current = locked.violation_type.code if locked.violation_type else ""
            if vt.code != guessed or record.refer_to or vt.code != current:
                correction("violation_type", guessed or record.refer_to, vt.code)
            if locked.violation_type_id != vt.pk:
                locked.violation_type = vt
                update.append("violation_type")
        elif refer_to:
            if not ReferralTarget.objects.effective(on).filter(code=refer_to).exists():
                raise ValidationError(_("Unknown referral target: %(code)s.") % {"code": refer_to})
            if refer_to != record.refer_to or locked.violation_type_id is not None:
                correction("refer_to", record.refer_to or record.violation_type, refer_to)
            if locked.violation_type_id is not None:
                locked.violation_type = None
                update.append("violation_type")
        if estate is not None:
            if not Estate.objects.restrict(actor).filter(pk=estate.pk).exists():
                raise ValidationError(_("This estate is outside your jurisdiction."))
            guessed_estate = record.estate.name if record.estate else ""
            if estate.pk != record.estate_id or estate.pk != locked.estate_id:
                correction("estate", guessed_estate, estate.name)
            if locked.estate_id != estate.pk:
                locked.estate = estate
                update.append("estate")
                if estate.subdistrict_id and locked.subdistrict_id != estate.subdistrict_id:
                    locked.subdistrict_id = estate.subdistrict_id
                    update.append("subdistrict")
        detached_from: Lead | None = None
        if not_repeat and (record.repeat_of_id or locked.is_repeat):
            old = record.repeat_of.number if record.repeat_of else ""
            correction("repeat", old, "")
            record.repeat_of = None
            if locked.is_repeat and locked.lead is not None:
                detached_from = locked.lead
        if update:
            locked.save(update_fields=update)
        if detached_from is not None:
            _detach(complaint=locked, lead=detached_from, actor=actor, at=moment)
        elif locked.lead is not None and locked.lead.status == LeadStatus.PENDING_DISPATCH:
            _lead_follow(complaint=locked, lead=locked.lead, actor=actor, at=moment)
        Correction.objects.bulk_create(changes)
        record.reviewed_by, record.reviewed_at = actor, moment
        record.save()
        event_record(
            record=locked,
            actor=actor,
            action="triage_corrected" if changes else "triage_confirmed",
            at=moment,
            data={c.field: {"old": c.old_value, "new": c.new_value} for c in changes},
        )
    return CorrectionResult(complaint=locked, changes=changes)


def _lead_follow(*, complaint: Complaint, lead: Lead, actor: User, at: dt.datetime) -> None:
    """A lead awaiting dispatch takes the corrected type and place of its complaint."""
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    changed: dict[str, Any] = {}
    if locked.violation_type_id != complaint.violation_type_id:
        locked.violation_type_id = complaint.violation_type_id
        changed["violation_type"] = (
            complaint.violation_type.code if complaint.violation_type else ""
        )
    if complaint.estate_id and locked.estate_id != complaint.estate_id:
        locked.estate_id = complaint.estate_id
        changed["estate"] = complaint.estate.name if complaint.estate else ""
    if complaint.subdistrict_id and locked.subdistrict_id != complaint.subdistrict_id:
        locked.subdistrict_id = complaint.subdistrict_id
        changed["subdistrict"] = complaint.subdistrict.name if complaint.subdistrict else ""
    if not changed:
        return
    locked.save(update_fields=["violation_type", "estate", "subdistrict"])
    event_record(
        record=locked,
        actor=actor,
        action="triage_corrected",
        at=at,
        data={"complaint": complaint.number, **changed},
    )
    complaint.lead = locked


def _detach(*, complaint: Complaint, lead: Lead, actor: User, at: dt.datetime) -> None:
    """ "Not a repeat": the complaint leaves the matter it was attached to and raises its own."""
    from xiaoqu.intake.services import _lead_create

    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    Lead.objects.filter(pk=locked.pk).update(complaint_count=F("complaint_count") - 1)
    event_record(
        record=locked,
        actor=actor,
        action="complaint_detached",
        at=at,
        data={"complaint": complaint.number},
    )
    new = _lead_create(complaint=complaint, actor=actor, at=at)
    complaint.lead, complaint.is_repeat = new, False
    complaint.save(update_fields=["lead", "is_repeat"])
