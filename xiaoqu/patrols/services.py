"""Writes of patrol plans: the frequencies per grade, the sweep that generates tasks and marks
the missed ones, and a patrol on the phone: check in, checklist, findings (one tap to a lead),
finish. Every change of a task is an event on its chain, written in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.models import Event
from xiaoqu.audit.services import attachments_store, attachments_validate, event_record
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.departments.models import Department
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate, Studio
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import District

from .bulk import EventBatch, insert_objects, update_many
from .choices import DEFAULT_INTERVALS, OPEN_PATROL_STATUSES, CheckResult, PatrolStatus
from .models import Finding, PatrolFrequency, PatrolTask

FREQUENCY_EDITORS = frozenset({Role.ADMIN, Role.LEADER, Role.DISPATCHER})
PATROLLERS = frozenset({Role.OFFICER, Role.SUBDISTRICT_MANAGER})
SQL_IN = 500


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


# ---------------------------------------------------------------------------------------------
# Frequencies


def can_edit_frequencies(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.role in FREQUENCY_EDITORS)
    )


def frequency_intervals(*, district: District | int | None) -> dict[str, int]:
    """Days between patrols by grade in a district: its own settings over the defaults."""
    intervals = {str(k): v for k, v in DEFAULT_INTERVALS.items()}
    district_id: Any = getattr(district, "pk", district)
    if district_id is not None:
        for grade, days in PatrolFrequency.objects.filter(district_id=district_id).values_list(
            "grade", "interval_days"
        ):
            intervals[grade] = days
    return intervals


def frequency_update(
    *, actor: User, district: District, intervals: Mapping[str, int]
) -> dict[str, int]:
    """Set the interval of each grade (1 to 366 days). Tasks already generated keep their due
    date; the next ones follow the new interval."""
    if not can_edit_frequencies(actor):
        raise ValidationError(
            _(
                "Only the bureau's dispatchers, leaders or administrators can "
                "change patrol frequencies."
            )
        )
    if not actor.is_superuser and actor.district_id not in (None, district.pk):
        raise ValidationError(_("You can only change the patrol frequencies of your district."))
    for grade, days in intervals.items():
        if grade not in RiskGrade.values:
            raise ValidationError(_("Unknown risk grade: %(grade)s.") % {"grade": grade})
        if not 1 <= int(days) <= 366:
            raise ValidationError(_("An interval is between 1 and 366 days."))
    with transaction.atomic():
        for grade, days in intervals.items():
            PatrolFrequency.objects.update_or_create(
                district=district,
                grade=grade,
                defaults={"interval_days": int(days), "updated_by": actor},
            )
    return frequency_intervals(district=district)


# ---------------------------------------------------------------------------------------------
# The sweep


@dataclass
class GenerateResult:
    created: int = 0
    missed: int = 0

    def __str__(self) -> str:
        return _("%(created)d patrol tasks created, %(missed)d marked missed.") % {
            "created": self.created,
            "missed": self.missed,
        }


def _chunks(items: Sequence[Any], size: int = SQL_IN) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _teams(subdistrict_ids: set[int]) -> dict[int, Department | None]:
    from xiaoqu.departments.choices import DepartmentKind

    teams: dict[int, Department | None] = dict.fromkeys(subdistrict_ids)
    for team in Department.objects.filter(
        subdistrict_id__in=subdistrict_ids,
        kind=DepartmentKind.ENFORCEMENT_TEAM,
        is_active=True,
    ).order_by("-code"):
        teams[team.subdistrict_id] = team  # the lowest code wins
    return teams


def _studios(estate_ids: Sequence[int]) -> dict[int, int]:
    """The (first) studio covering each estate."""
    through = Studio.estates.through
    found: dict[int, int] = {}
    for part in _chunks(list(estate_ids)):
        for estate_id, studio_id in (
            through.objects.filter(estate_id__in=part)
            .order_by("estate_id", "-studio_id")
            .values_list("estate_id", "studio_id")
        ):
            found[estate_id] = studio_id
    return found


def next_due(
    *, today: dt.date, interval: int, last_done: dt.date | None, last_missed: dt.date | None
) -> dt.date:
    """The due date of an estate's next patrol: `interval` days after its last done patrol
    (or after the due date of a window missed since), never before today; a never-patrolled
    estate is due `interval` days from today."""
    base = max((d for d in (last_done, last_missed) if d is not None), default=None)
    if base is None:
        return today + dt.timedelta(days=interval)
    return max(base + dt.timedelta(days=interval), today)


def patrol_tasks_generate(
    *, at: dt.datetime | None = None, district: District | None = None
) -> GenerateResult:
    """For `xiaoqu sweep`: mark the open tasks past their due date missed, then give every
    estate without a task to do its next one. Idempotent: a second run at the same time
    creates nothing (and the conditional unique constraint refuses a second open task per
    estate should two workers race). Bulk: a few queries and inserts for thousands of estates."""
    moment = _now(at)
    today = timezone.localtime(moment).date()
    result = GenerateResult()
    with transaction.atomic():
        batch = EventBatch()
        late = PatrolTask.objects.select_for_update().filter(
            status=PatrolStatus.OPEN, due_date__lt=today
        )
        if district is not None:
            late = late.filter(district=district)
        missed = list(late)
        for task in missed:
            task.status, task.missed_at = PatrolStatus.MISSED, moment
            batch.add(
                task,
                "missed",
                actor=None,
                at=moment,
                from_state=PatrolStatus.OPEN,
                to_state=PatrolStatus.MISSED,
                data={"due": task.due_date.isoformat()},
            )
        result.missed = len(missed)
        if missed:
            update_many(PatrolTask, missed, ["status", "missed_at"])

        estates = Estate.objects.filter(subdistrict__isnull=False).exclude(
            patrol_tasks__status__in=sorted(OPEN_PATROL_STATUSES)
        )
        if district is not None:
            estates = estates.filter(district=district)
        rows = list(
            estates.annotate(
                last_done=Max("patrol_tasks__finished_at", filter=Q(patrol_tasks__status="done")),
                last_missed=Max("patrol_tasks__due_date", filter=Q(patrol_tasks__status="missed")),
            ).values(
                "pk", "district_id", "subdistrict_id", "risk_grade", "last_done", "last_missed"
            )
        )
        intervals: dict[int, dict[str, int]] = {}
        teams = _teams({r["subdistrict_id"] for r in rows})
        studios = _studios([r["pk"] for r in rows])
        created: list[PatrolTask] = []
        for row in rows:
            if row["district_id"] not in intervals:
                intervals[row["district_id"]] = frequency_intervals(district=row["district_id"])
            grade = row["risk_grade"] or RiskGrade.UNRATED
            interval = intervals[row["district_id"]].get(grade, DEFAULT_INTERVALS[grade])
            last_done = timezone.localtime(row["last_done"]).date() if row["last_done"] else None
            team = teams.get(row["subdistrict_id"])
            created.append(
                PatrolTask(
                    district_id=row["district_id"],
                    subdistrict_id=row["subdistrict_id"],
                    estate_id=row["pk"],
                    team=team,
                    studio_id=studios.get(row["pk"]),
                    grade=grade,
                    interval_days=interval,
                    window_start=today,
                    due_date=next_due(
                        today=today,
                        interval=interval,
                        last_done=last_done,
                        last_missed=row["last_missed"],
                    ),
                    status=PatrolStatus.OPEN,
                    checklist={},
                )
            )
        insert_objects(created)
        for task in created:
            batch.add(
                task,
                "created",
                actor=None,
                at=moment,
                to_state=PatrolStatus.OPEN,
                data={
                    "grade": task.grade,
                    "interval_days": task.interval_days,
                    "due": task.due_date.isoformat(),
                },
            )
        result.created = len(created)
        batch.flush()
    return result


# ---------------------------------------------------------------------------------------------
# A patrol


def _locked(task: PatrolTask) -> PatrolTask:
    return PatrolTask.objects.select_for_update().select_related("estate").get(pk=task.pk)


def patrol_refusal(task: PatrolTask, actor: Any) -> str | None:
    """Why `actor` may not take part in this patrol (check in, record, finish), or None."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return _("Sign in first.")
    if actor.role not in PATROLLERS:
        return _("Only the enforcement officers and managers of the subdistrict patrol.")
    if actor.subdistrict_id != task.subdistrict_id:
        return _("This patrol belongs to another subdistrict's team: you cannot act on it.")
    return None


def _check(task: PatrolTask, actor: Any, *, states: Sequence[str]) -> None:
    problem = patrol_refusal(task, actor)
    if problem:
        raise TransitionRefused(problem)
    if task.status not in states:
        messages: dict[str, str] = {
            PatrolStatus.OPEN: _("Check in first: this patrol has not started."),
            PatrolStatus.IN_PROGRESS: _("You have already checked in to this patrol."),
            PatrolStatus.DONE: _("This patrol is already finished."),
            PatrolStatus.MISSED: _(
                "This patrol was missed (its due date passed); the next one is in your list."
            ),
        }
        raise TransitionRefused(messages.get(task.status, _("Not possible now.")))


def _coordinate(value: Any, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except Exception as exc:
        raise ValidationError(_("The location is not a valid coordinate.")) from exc
    if abs(number) > limit:
        raise ValidationError(_("The location is not a valid coordinate."))
    return number


def patrol_check_in(
    *,
    task: PatrolTask,
    actor: User,
    latitude: Any = None,
    longitude: Any = None,
    at: dt.datetime | None = None,
) -> PatrolTask:
    """Start the patrol on site: the time, and the phone's location when it gave one."""
    moment = _now(at)
    lat, lng = _coordinate(latitude, 90), _coordinate(longitude, 180)
    with transaction.atomic():
        locked = _locked(task)
        _check(locked, actor, states=[PatrolStatus.OPEN])
        locked.status = PatrolStatus.IN_PROGRESS
        locked.checked_in_by, locked.checked_in_at = actor, moment
        locked.latitude, locked.longitude = lat, lng
        locked.save()
        data: dict[str, Any] = {}
        if lat is not None and lng is not None:
            data = {"latitude": str(lat), "longitude": str(lng)}
        event_record(
            record=locked,
            actor=actor,
            action="checked_in",
            from_state=PatrolStatus.OPEN,
            to_state=PatrolStatus.IN_PROGRESS,
            data=data,
            at=moment,
        )
    return locked


def _clean_checklist(results: Mapping[str, str], codes: set[str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for code, value in results.items():
        if not value:
            continue
        if code not in codes:
            raise ValidationError(_("Unknown violation type: %(code)s.") % {"code": code})
        if value not in CheckResult.values:
            raise ValidationError(_("Mark each item normal or problem found."))
        clean[code] = value
    return clean


def checklist_codes(on: dt.date | None = None) -> list[str]:
    return list(
        ViolationType.objects.effective(on)
        .order_by("sort_order", "code")
        .values_list("code", flat=True)
    )


def patrol_checklist_save(
    *,
    task: PatrolTask,
    actor: User,
    results: Mapping[str, str],
    at: dt.datetime | None = None,
) -> PatrolTask:
    """Record the checklist marks given (normal / problem found) over those already saved."""
    moment = _now(at)
    clean = _clean_checklist(results, set(checklist_codes(timezone.localtime(moment).date())))
    with transaction.atomic():
        locked = _locked(task)
        _check(locked, actor, states=[PatrolStatus.IN_PROGRESS])
        checklist = {**(locked.checklist or {}), **clean}
        if checklist == locked.checklist:
            return locked
        locked.checklist = checklist
        locked.save(update_fields=["checklist"])
        event_record(
            record=locked,
            actor=actor,
            action="checklist_saved",
            data={
                "checked": len(checklist),
                "problems": sorted(c for c, v in checklist.items() if v == CheckResult.PROBLEM),
            },
            at=moment,
        )
    return locked


def finding_record(
    *,
    task: PatrolTask,
    actor: User,
    description: str,
    violation_type: ViolationType | None = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    ongoing: bool = False,
    uploads: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Finding:
    """Record what the patrol found, with its photos; its type is marked on the checklist."""
    moment = _now(at)
    description = description.strip()
    if not description:
        raise ValidationError(_("Describe what you found."))
    uploads = list(uploads)
    attachments_validate(uploads)
    lat, lng = _coordinate(latitude, 90), _coordinate(longitude, 180)
    with transaction.atomic():
        locked = _locked(task)
        _check(locked, actor, states=[PatrolStatus.IN_PROGRESS])
        if violation_type is not None:
            locked.checklist = {**(locked.checklist or {}), violation_type.code: "problem"}
            locked.save(update_fields=["checklist"])
        event = event_record(
            record=locked,
            actor=actor,
            action="finding",
            data={
                "violation_type": violation_type.name if violation_type else "",
                "description": description[:200],
                "address": address.strip(),
                "photos": len(uploads),
            },
            at=moment,
        )
        if uploads:
            attachments_store(record=locked, event=event, uploads=uploads, actor=actor, at=moment)
        finding = Finding.objects.create(
            task=locked,
            violation_type=violation_type,
            description=description,
            address=address.strip()[:200],
            latitude=lat,
            longitude=lng,
            ongoing=ongoing,
            found_at=moment,
            found_by=actor,
            event=event,
        )
    return finding


def finding_photos(finding: Finding) -> list[Any]:
    if finding.event_id is None:
        return []
    return list(finding.event.attachments.all()) if finding.event else []


def finding_to_lead(*, finding: Finding, actor: User, at: dt.datetime | None = None) -> Complaint:
    """One tap: the finding enters the loop as a patrol complaint about the task's estate
    (with its type, place and photos) and raises or joins a lead."""
    from xiaoqu.intake.services import complaint_create

    moment = _now(at)
    with transaction.atomic():
        locked = _locked(finding.task)
        problem = patrol_refusal(locked, actor)
        if problem:
            raise TransitionRefused(problem)
        current = Finding.objects.select_for_update().get(pk=finding.pk)
        if current.complaint_id is not None:
            raise TransitionRefused(_("This finding is already a lead."))
        files = []
        try:
            for attachment in finding_photos(current):
                files.append(File(attachment.file.open("rb"), name=attachment.name))
            complaint = complaint_create(
                actor=actor,
                channel=Channel.PATROL,
                content=current.description,
                received_at=current.found_at,
                estate=locked.estate,
                violation_type=current.violation_type,
                address=current.address,
                ongoing=current.ongoing,
                uploads=files,  # type: ignore[arg-type]
                at=moment,
            )
        finally:
            for f in files:
                f.close()
        current.complaint = complaint
        current.save(update_fields=["complaint"])
        lead = complaint.lead
        event_record(
            record=locked,
            actor=actor,
            action="finding_to_lead",
            data={
                "complaint": complaint.number,
                "lead": lead.number if lead else "",
                "description": current.description[:200],
            },
            at=moment,
        )
    finding.complaint = complaint
    return complaint


def patrol_finish(
    *,
    task: PatrolTask,
    actor: User,
    summary: str = "",
    results: Mapping[str, str] | None = None,
    at: dt.datetime | None = None,
) -> PatrolTask:
    """Finish the patrol: every item of the checklist must be marked (with `results` given
    here too, so that the page's one form saves and finishes)."""
    moment = _now(at)
    codes = checklist_codes(timezone.localtime(moment).date())
    clean = _clean_checklist(results or {}, set(codes))
    with transaction.atomic():
        locked = _locked(task)
        _check(locked, actor, states=[PatrolStatus.IN_PROGRESS])
        checklist = {**(locked.checklist or {}), **clean}
        missing = [c for c in codes if c not in checklist]
        if missing:
            names = dict(
                ViolationType.objects.effective(timezone.localtime(moment).date()).values_list(
                    "code", "name"
                )
            )
            raise ValidationError(
                _("Mark every item of the checklist before finishing: %(items)s.")
                % {"items": "、".join(names.get(c, c) for c in missing)}
            )
        locked.checklist = checklist
        locked.status = PatrolStatus.DONE
        locked.finished_at = moment
        locked.summary = summary.strip()
        locked.save()
        event_record(
            record=locked,
            actor=actor,
            action="finished",
            from_state=PatrolStatus.IN_PROGRESS,
            to_state=PatrolStatus.DONE,
            reason=locked.summary,
            data={
                "checked": len(checklist),
                "problems": sorted(c for c, v in checklist.items() if v == CheckResult.PROBLEM),
                "findings": locked.findings.count(),
            },
            at=moment,
        )
    return locked


def task_events(task: PatrolTask) -> list[Event]:
    from xiaoqu.audit.services import record_events

    return list(record_events(task))
