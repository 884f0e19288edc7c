"""Writes of the case clinics. Every write takes the acting user, checks who may make it,
changes the clinic in one transaction with its row locked and appends an event to its chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.audit.services import event_record
from xiaoqu.cases.models import Case
from xiaoqu.core.numbers import number_format, number_next
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import Subdistrict

from .choices import ClinicSource, ClinicStatus
from .figures import add_months
from .models import Clinic, Measure
from .workflow import CLINIC_WORKFLOW, may_run

GATHER_MONTHS = 12  # a suggestion gathers the records of the last 12 months
EDIT_FIELDS = ("title", "participants", "place", "analysis", "conclusion")


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _check_run(actor: Any, clinic: Clinic | None = None) -> None:
    if actor is not None and not may_run(actor, clinic):
        raise PermissionDenied(_("Only the dispatchers and bureau leaders run case clinics."))


def _lock(clinic: Clinic) -> Clinic:
    return Clinic.objects.select_for_update().get(pk=clinic.pk)


def _finish(clinic: Clinic, locked: Clinic) -> Clinic:
    """Bring the caller's object up to date with the locked row's chain fields."""
    for name in ("event_count", "last_event_hash", "status"):
        setattr(clinic, name, getattr(locked, name))
    return locked


def _sync_subdistricts(clinic: Clinic) -> None:
    """The subdistricts of the clinic's estates always take part."""
    ids = set(clinic.estates.exclude(subdistrict=None).values_list("subdistrict_id", flat=True))
    clinic.subdistricts.add(*ids)


def problem_records(
    *, district_id: int, estates: Sequence[Estate], code: str, since: dt.datetime | None
) -> tuple[Any, Any, Any]:
    """The complaints, leads and cases about a problem (estates × violation type), received or
    filed since `since` (everything when None)."""
    ids = [e.pk for e in estates]
    complaints = Complaint.objects.filter(
        district_id=district_id, estate_id__in=ids, violation_type__code=code
    )
    leads = Lead.objects.filter(
        district_id=district_id, estate_id__in=ids, violation_type__code=code
    )
    cases = Case.objects.filter(
        district_id=district_id, estate_id__in=ids, violation_type__code=code
    )
    if since is not None:
        complaints = complaints.filter(received_at__gte=since)
        leads = leads.filter(received_at__gte=since)
        cases = cases.filter(filed_at__gte=since)
    return complaints, leads, cases


def _check_scope(estates: Sequence[Estate], violation_type: ViolationType | None) -> None:
    if not estates:
        raise ValidationError(_("Choose at least one estate: the problem's scope."))
    if violation_type is None:
        raise ValidationError(_("Choose the violation type of the problem."))


def clinic_open(
    *,
    actor: Any,
    district: Any,
    title: str,
    violation_type: ViolationType,
    estates: Sequence[Estate],
    departments: Iterable[Department] = (),
    subdistricts: Iterable[Subdistrict] = (),
    participants: str = "",
    place: str = "",
    source: str = ClinicSource.HAND,
    complaints: Iterable[Complaint] = (),
    leads: Iterable[Lead] = (),
    cases: Iterable[Case] = (),
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> Clinic:
    """Open a clinic about one problem, with the records already gathered."""
    moment = _now(at)
    estates = list(estates)
    if actor is not None and not may_run(actor):
        _check_run(actor)
    if actor is not None and actor.district_id not in (None, district.pk):
        raise PermissionDenied(_("Only the dispatchers and bureau leaders run case clinics."))
    _check_scope(estates, violation_type)
    if any(e.district_id != district.pk for e in estates):
        raise ValidationError(_("Every estate must be in the clinic's district."))
    title = title.strip()
    if not title:
        raise ValidationError(_("The title of the clinic is required."))
    with transaction.atomic():
        year = timezone.localtime(moment).year
        value = number_next(name="clinic", year=year)
        clinic = Clinic.objects.create(
            number=number_format(prefix="HZ", year=year, value=value, width=4),
            title=title[:200],
            district=district,
            violation_type=violation_type,
            participants=participants.strip(),
            place=place.strip()[:200],
            source=source,
            opened_by=actor,
            opened_at=moment,
            is_demo=is_demo,
        )
        clinic.estates.set(estates)
        clinic.departments.set(list(departments))
        clinic.subdistricts.set(list(subdistricts))
        _sync_subdistricts(clinic)
        complaints, leads, cases = list(complaints), list(leads), list(cases)
        clinic.complaints.set(complaints)
        clinic.leads.set(leads)
        clinic.cases.set(cases)
        event_record(
            record=clinic,
            actor=actor,
            action="opened",
            to_state=ClinicStatus.OPEN,
            at=moment,
            data={
                "title": clinic.title,
                "violation_type": violation_type.code,
                "estates": [e.name for e in estates],
                "source": source,
                "complaints": len(complaints),
                "leads": len(leads),
                "cases": len(cases),
            },
        )
    return clinic


def clinic_open_from_suggestion(
    *,
    actor: Any,
    estate: Estate,
    violation_type: ViolationType,
    months: int = GATHER_MONTHS,
    is_demo: bool = False,
    at: dt.datetime | None = None,
) -> Clinic:
    """Open a clinic on a suggested chronic problem (one estate × one type) with its
    complaints, leads and cases of the last `months` months gathered."""
    moment = _now(at)
    since_day = add_months(timezone.localtime(moment).date().replace(day=1), -months + 1)
    since = dt.datetime.combine(since_day, dt.time.min, tzinfo=timezone.get_current_timezone())
    complaints, leads, cases = problem_records(
        district_id=estate.district_id, estates=[estate], code=violation_type.code, since=since
    )
    if actor is not None:  # what the actor may see, nothing more
        complaints = complaints.filter(pk__in=Complaint.objects.restrict(actor).values("pk"))
        leads = leads.filter(pk__in=Lead.objects.restrict(actor).values("pk"))
        cases = cases.filter(pk__in=Case.objects.restrict(actor).values("pk"))
    district = estate.district
    title = _("%(estate)s: %(type)s, repeated complaints") % {
        "estate": estate.name,
        "type": violation_type.name,
    }
    return clinic_open(
        actor=actor,
        district=district,
        title=title,
        violation_type=violation_type,
        estates=[estate],
        source=ClinicSource.SUGGESTION,
        complaints=complaints,
        leads=leads,
        cases=cases,
        is_demo=is_demo,
        at=moment,
    )


def clinic_update(
    *,
    actor: Any,
    clinic: Clinic,
    estates: Sequence[Estate] | None = None,
    violation_type: ViolationType | None = None,
    departments: Iterable[Department] | None = None,
    subdistricts: Iterable[Subdistrict] | None = None,
    at: dt.datetime | None = None,
    **changes: Any,
) -> Clinic:
    """Change the clinic's text, scope or participants (not once it is closed)."""
    unknown = set(changes) - set(EDIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    moment = _now(at)
    _check_run(actor, clinic)
    if clinic.status == ClinicStatus.CLOSED:
        raise TransitionRefused(_("A closed clinic cannot be changed; reopen it first."))
    if estates is not None or violation_type is not None:
        _check_scope(
            list(estates) if estates is not None else list(clinic.estates.all()),
            violation_type or clinic.violation_type,
        )
    if "title" in changes and not str(changes["title"]).strip():
        raise ValidationError(_("The title of the clinic is required."))
    with transaction.atomic():
        locked = _lock(clinic)
        changed: dict[str, Any] = {}
        for name, value in changes.items():
            value = (value or "").strip()
            if getattr(locked, name) != value:
                changed[name] = {"old": getattr(locked, name)[:100], "new": value[:100]}
                setattr(locked, name, value)
        if violation_type is not None and violation_type.pk != locked.violation_type_id:
            changed["violation_type"] = {
                "old": locked.violation_type.code,
                "new": violation_type.code,
            }
            locked.violation_type = violation_type
        locked.save()
        relations: list[tuple[str, Any, Any]] = [
            ("estates", locked.estates, estates),
            ("departments", locked.departments, departments),
            ("subdistricts", locked.subdistricts, subdistricts),
        ]
        for label, relation, values in relations:
            if values is None:
                continue
            values = list(values)
            old = {o.pk: str(o) for o in relation.all()}
            new = {o.pk: str(o) for o in values}
            if set(old) != set(new):
                changed[label] = {"old": sorted(old.values()), "new": sorted(new.values())}
                relation.set(values)
        _sync_subdistricts(locked)
        if changed:
            event_record(
                record=locked, actor=actor, action="edited", at=moment, data={"changed": changed}
            )
    clinic.refresh_from_db()
    return clinic


def _visible(actor: Any, model: Any, records: Iterable[Any]) -> list[Any]:
    records = list(records)
    if actor is None or not records:
        return records
    allowed = set(
        model.objects.restrict(actor)
        .filter(pk__in=[r.pk for r in records])
        .values_list("pk", flat=True)
    )
    if any(r.pk not in allowed for r in records):
        raise PermissionDenied(_("One of the records is outside your jurisdiction."))
    return records


def clinic_gather(
    *,
    actor: Any,
    clinic: Clinic,
    complaints: Iterable[Complaint] = (),
    leads: Iterable[Lead] = (),
    cases: Iterable[Case] = (),
    at: dt.datetime | None = None,
) -> Clinic:
    """Add complaints, leads and cases to the clinic (by hand)."""
    moment = _now(at)
    _check_run(actor, clinic)
    complaints = _visible(actor, Complaint, complaints)
    leads = _visible(actor, Lead, leads)
    cases = _visible(actor, Case, cases)
    if clinic.status == ClinicStatus.CLOSED:
        raise TransitionRefused(_("A closed clinic cannot be changed; reopen it first."))
    with transaction.atomic():
        locked = _lock(clinic)
        added: dict[str, list[str]] = {}
        groups: list[tuple[str, Any, list[Any]]] = [
            ("complaints", locked.complaints, complaints),
            ("leads", locked.leads, leads),
            ("cases", locked.cases, cases),
        ]
        for label, relation, records in groups:
            have = set(relation.values_list("pk", flat=True))
            new = [r for r in records if r.pk not in have]
            if new:
                relation.add(*new)
                added[label] = [r.number for r in new]
        if added:
            event_record(record=locked, actor=actor, action="gathered", at=moment, data=added)
    _finish(clinic, locked)
    return clinic


def clinic_release(
    *,
    actor: Any,
    clinic: Clinic,
    complaints: Iterable[Complaint] = (),
    leads: Iterable[Lead] = (),
    cases: Iterable[Case] = (),
    at: dt.datetime | None = None,
) -> Clinic:
    """Take records out of the clinic (they stay as they are elsewhere)."""
    moment = _now(at)
    _check_run(actor, clinic)
    if clinic.status == ClinicStatus.CLOSED:
        raise TransitionRefused(_("A closed clinic cannot be changed; reopen it first."))
    with transaction.atomic():
        locked = _lock(clinic)
        removed: dict[str, list[str]] = {}
        groups: list[tuple[str, Any, list[Any]]] = [
            ("complaints", locked.complaints, list(complaints)),
            ("leads", locked.leads, list(leads)),
            ("cases", locked.cases, list(cases)),
        ]
        for label, relation, records in groups:
            have = set(relation.values_list("pk", flat=True))
            gone = [r for r in records if r.pk in have]
            if gone:
                relation.remove(*gone)
                removed[label] = [r.number for r in gone]
        if removed:
            event_record(record=locked, actor=actor, action="released", at=moment, data=removed)
    _finish(clinic, locked)
    return clinic


def move_problem(clinic: Clinic, move: str) -> str | None:
    """Why the clinic's data do not allow `move` now (the workflow checks state and actor)."""
    if move == "hold" and not clinic.analysis.strip():
        return _("Record the analysis of the causes before the clinic is held.")
    if move == "follow_up" and not clinic.measures.exists():
        return _("Record at least one measure agreed before the follow-up.")
    if move == "close":
        open_measures = clinic.measures.filter(done_at__isnull=True).count()
        if open_measures:
            return _("%(n)d measures are not done yet; mark them done before closing.") % {
                "n": open_measures
            }
    if move == "reopen" and clinic.held_on is None:
        return _("A clinic dropped before it was held cannot be reopened.")
    return None


def clinic_transition(
    *,
    actor: Any,
    clinic: Clinic,
    move: str,
    reason: str = "",
    held_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Clinic:
    """Make one move of the clinic's workflow (`workflow.CLINIC_WORKFLOW`): row locked, move
    and actor checked, the move's conditions checked, event written, in one transaction."""
    moment = _now(at)
    step = CLINIC_WORKFLOW.moves.get(move)
    if step is not None and step.needs_reason and not reason.strip():
        raise TransitionRefused(_("“%(move)s” needs a reason.") % {"move": step.label})
    with transaction.atomic():
        locked = _lock(clinic)
        problem = CLINIC_WORKFLOW.refusal(locked, actor, move)
        if problem:
            raise TransitionRefused(problem)
        assert step is not None
        data: dict[str, Any] = {}
        problem = move_problem(locked, move)
        if problem:
            raise TransitionRefused(problem)
        if move == "hold":
            if held_on is None:
                raise TransitionRefused(_("Give the date the clinic was held."))
            if held_on > timezone.localtime(moment).date():
                raise TransitionRefused(_("The date held cannot be in the future."))
            if held_on < timezone.localtime(locked.opened_at).date() - dt.timedelta(days=31):
                raise TransitionRefused(_("The date held is long before the clinic was opened."))
            locked.held_on = held_on
            data["held_on"] = held_on.isoformat()
        elif move == "close":
            locked.closed_at = moment
            if reason.strip():
                locked.conclusion = reason.strip()
        elif move == "drop":
            locked.closed_at = moment
        elif move == "reopen":
            locked.closed_at = None
        from_state = locked.status
        locked.status = step.target or locked.status
        locked.save()
        event_record(
            record=locked,
            actor=actor,
            action=move,
            from_state=from_state,
            to_state=locked.status,
            reason=reason.strip(),
            data=data,
            at=moment,
        )
    clinic.refresh_from_db()
    return clinic


# ---------------------------------------------------------------------------------------------
# Measures


def may_mark_done(actor: Any, measure: Measure) -> bool:
    """The clinic's runners, the liaison of the responsible department, the staff of the
    responsible subdistrict."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if may_run(actor, measure.clinic):
        return True
    if measure.department_id is not None and actor.role == Role.LIAISON:
        return bool(actor.department_id == measure.department_id)
    if measure.subdistrict_id is not None and actor.role in (
        Role.OFFICER,
        Role.SUBDISTRICT_MANAGER,
    ):
        return bool(actor.subdistrict_id == measure.subdistrict_id)
    return False


def measure_add(
    *,
    actor: Any,
    clinic: Clinic,
    text: str,
    due_date: dt.date,
    department: Department | None = None,
    subdistrict: Subdistrict | None = None,
    at: dt.datetime | None = None,
) -> Measure:
    moment = _now(at)
    _check_run(actor, clinic)
    text = text.strip()
    if not text:
        raise ValidationError(_("Describe the measure."))
    if (department is None) == (subdistrict is None):
        raise ValidationError(_("Choose one responsible unit: a department or a subdistrict."))
    if clinic.status not in (ClinicStatus.OPEN, ClinicStatus.HELD, ClinicStatus.FOLLOW_UP):
        raise TransitionRefused(_("A closed clinic cannot be changed; reopen it first."))
    with transaction.atomic():
        locked = _lock(clinic)
        measure = Measure.objects.create(
            clinic=locked,
            text=text,
            due_date=due_date,
            department=department,
            subdistrict=subdistrict,
        )
        # the responsible unit takes part in the clinic (and sees it)
        if department is not None:
            locked.departments.add(department)
        if subdistrict is not None:
            locked.subdistricts.add(subdistrict)
        event_record(
            record=locked,
            actor=actor,
            action="measure_added",
            at=moment,
            data={
                "measure": text[:200],
                "responsible": measure.responsible,
                "due": due_date.isoformat(),
            },
        )
    _finish(clinic, locked)
    return measure


def measure_done(
    *, actor: Any, measure: Measure, note: str = "", at: dt.datetime | None = None
) -> Measure:
    moment = _now(at)
    if actor is not None and not may_mark_done(actor, measure):
        raise PermissionDenied(
            _("Only the responsible unit or the clinic's runners can mark it done.")
        )
    with transaction.atomic():
        clinic = _lock(measure.clinic)
        if clinic.status not in (ClinicStatus.HELD, ClinicStatus.FOLLOW_UP):
            raise TransitionRefused(_("Measures are marked done once the clinic has been held."))
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        if locked.done_at is not None:
            raise TransitionRefused(_("This measure is already marked done."))
        locked.done_at, locked.done_by, locked.done_note = moment, actor, note.strip()[:300]
        locked.save(update_fields=["done_at", "done_by", "done_note"])
        event_record(
            record=clinic,
            actor=actor,
            action="measure_done",
            at=moment,
            data={"measure": locked.text[:200], "note": locked.done_note},
        )
    return locked
