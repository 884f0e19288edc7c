"""Reads of legal education events and trainings, always through the user's jurisdiction, and
the figures beside them:

- suggestions when planning: for each violation type, the estates where complaints about it
  were highest per 10,000 residents over the recent months, ranked on the empirical-Bayes
  shrunk rate with a minimum count (`xiaoqu.analytics.figures.estate_figures`), so that a tiny
  estate with one complaint is never on top;
- later figures of an event: complaints of its target estates about its themes in the months
  before and after it, from the pre-aggregated tables (`analytics.ComplaintEstateType`);
- a company's trainings: sessions it was invited to, with its attendance and its project
  managers' (for the credit record)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from xiaoqu.analytics.definitions import PER
from xiaoqu.analytics.figures import Period, Scope, estate_figures, scope_for
from xiaoqu.analytics.models import ComplaintEstate, ComplaintEstateType
from xiaoqu.core.aggregates import count_of
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.estates.models import Estate, PropertyCompany
from xiaoqu.intake.models import Complaint
from xiaoqu.law.models import ViolationType

from .choices import Presence
from .models import EventTarget, OutreachEvent, Training, TrainingAttendance

SUGGESTION_MONTHS = 6
SUGGESTED_ESTATES = 5
EFFECT_MONTHS = 6
MIN_MONTHS_AFTER = 3
MIN_COMPARED = 10  # complaints before and after together, to state a change


def event_list(*, user: Any) -> QuerySet[OutreachEvent]:
    return (
        OutreachEvent.objects.restrict(user)
        .select_related("organiser")
        .prefetch_related(
            Prefetch("targets", queryset=EventTarget.objects.select_related("estate")), "themes"
        )
    )


def event_get(*, user: Any, pk: int) -> OutreachEvent | None:
    return event_list(user=user).filter(pk=pk).first()


def training_list(*, user: Any) -> QuerySet[Training]:
    """The sessions the user may see, with the companies invited, present and absent (a
    company's staff: their own company only)."""
    rows = TrainingAttendance.objects.filter(manager__isnull=True)
    if getattr(user, "scope_kind", None) == ScopeKind.PROPERTY_COMPANY and not user.is_superuser:
        rows = rows.filter(company_id=user.property_company_id)
    return (
        Training.objects.restrict(user)
        .prefetch_related("organisers")
        .annotate(
            invited=count_of(rows, "training"),
            present=count_of(rows.filter(presence=Presence.PRESENT), "training"),
            absent=count_of(rows.filter(presence=Presence.ABSENT), "training"),
        )
    )


def training_attendances(*, user: Any, training: Training) -> QuerySet[TrainingAttendance]:
    """The attendance rows of a session the user may see (a company: its own rows)."""
    return (
        TrainingAttendance.objects.restrict(user)
        .filter(training=training)
        .select_related("company", "manager")
        .order_by("company__name", "manager__name", "pk")
    )


def type_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in ViolationType.objects.order_by(
        "sort_order", "code", "-effective_from"
    ).values_list("code", "name"):
        names.setdefault(code, name)
    return names


# ---------------------------------------------------------------------------------------------
# Suggestions


@dataclass(frozen=True)
class EstateSuggestion:
    estate_id: int
    name: str
    subdistrict_id: int | None
    complaints: int
    residents: int
    per_10k: float | None
    shrunk: float | None


@dataclass
class ThemeSuggestion:
    code: str
    name: str
    complaints: int
    estates: list[EstateSuggestion] = field(default_factory=list)

    @property
    def estate_ids(self) -> list[int]:
        return [e.estate_id for e in self.estates]


@dataclass
class Suggestions:
    period: Period
    themes: list[ThemeSuggestion] = field(default_factory=list)


def event_suggestions(
    *,
    user: Any,
    months: int = SUGGESTION_MONTHS,
    per_theme: int = SUGGESTED_ESTATES,
    today: dt.date | None = None,
) -> Suggestions:
    """The hotspots by violation type in the user's scope over the last `months` months
    (the current one included): the types by complaints, and for each the estates ranked on
    the shrunk rate among those with at least the minimum count."""
    period = Period.last_months(months, today=today)
    try:
        base = scope_for(user)
    except PermissionDenied:
        return Suggestions(period=period)
    if base.department_id is not None:  # departments do not plan events
        return Suggestions(period=period)
    names = type_names()
    totals = (
        ComplaintEstateType.objects.filter(
            district_id=base.district_id, month__gte=period.start, month__lt=period.end
        )
        .exclude(violation_code="")
        .exclude(estate_id=0)
    )
    if base.subdistrict_id is not None:
        totals = totals.filter(subdistrict_id=base.subdistrict_id)
    by_type = {
        r["violation_code"]: r["n"] or 0
        for r in totals.values("violation_code").annotate(n=Sum("complaints")).order_by()
    }
    themes = []
    for code, total in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])):
        if not total or code not in names:
            continue
        scope = Scope(
            district_id=base.district_id, subdistrict_id=base.subdistrict_id, violation_code=code
        )
        ranked = [f for f in estate_figures(scope, period) if f.ranked][:per_theme]
        themes.append(
            ThemeSuggestion(
                code=code,
                name=names[code],
                complaints=total,
                estates=[
                    EstateSuggestion(
                        estate_id=f.estate_id,
                        name=f.name,
                        subdistrict_id=f.subdistrict_id,
                        complaints=f.complaints,
                        residents=f.residents,
                        per_10k=f.per_10k.value,
                        shrunk=f.shrunk,
                    )
                    for f in ranked
                ],
            )
        )
    return Suggestions(period=period, themes=themes)


# ---------------------------------------------------------------------------------------------
# Later figures of an event


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class EffectMonth:
    month: dt.date
    complaints: int
    per_10k: float | None
    part: str  # before / event / after / running


@dataclass(frozen=True)
class EstateEffect:
    estate: Estate
    before: int
    after: int


@dataclass
class EventEffect:
    event_month: dt.date
    before: Period
    after: Period | None
    residents: int
    months_after: int
    before_count: int = 0
    after_count: int = 0
    series: list[EffectMonth] = field(default_factory=list)
    estates: list[EstateEffect] = field(default_factory=list)

    @property
    def too_early(self) -> bool:
        return self.months_after < MIN_MONTHS_AFTER

    def _monthly_rate(self, count: int, months: int) -> float | None:
        if not self.residents or not months:
            return None
        return count * PER / self.residents / months

    @property
    def before_monthly(self) -> float | None:
        """Complaints per 10,000 residents per month before the event."""
        return self._monthly_rate(self.before_count, len(self.before))

    @property
    def after_monthly(self) -> float | None:
        return self._monthly_rate(self.after_count, self.months_after)

    @property
    def min_count(self) -> int:
        return MIN_COMPARED

    @property
    def too_few(self) -> bool:
        """Too few complaints for a change to mean anything (DESIGN: no tiny samples)."""
        return self.before_count + self.after_count < MIN_COMPARED

    @property
    def change(self) -> float | None:
        """Relative change of the monthly rate, after against before (−0.25 = 25 % fewer)."""
        b, a = self.before_monthly, self.after_monthly
        if self.too_early or self.too_few or b is None or a is None or b == 0:
            return None
        return a / b - 1


def event_effect(
    *, event: OutreachEvent, months: int = EFFECT_MONTHS, today: dt.date | None = None
) -> EventEffect:
    """Complaints of the event's target estates about its themes (all types when it has none)
    in the `months` whole months before the event's month and the whole months after it up to
    the last complete month (at most `months`); "too early" with fewer than three after."""
    today = today or timezone.localdate()
    event_month = timezone.localtime(event.starts_at).date().replace(day=1)
    current = today.replace(day=1)
    before = Period(_add_months(event_month, -months), event_month)
    after_start = _add_months(event_month, 1)
    after_end = min(_add_months(after_start, months), current)
    after = Period(after_start, after_end) if after_end > after_start else None
    months_after = len(after) if after else 0
    targets = [t.estate for t in event.targets.all()]
    ids = [e.pk for e in targets]
    residents = sum(e.residents or 0 for e in targets)
    effect = EventEffect(
        event_month=event_month,
        before=before,
        after=after,
        residents=residents,
        months_after=months_after,
    )
    codes = event.theme_codes
    if not ids:
        return effect
    last = min(_add_months(after_start, months), _add_months(current, 1))
    if codes:
        table: QuerySet[Any] = ComplaintEstateType.objects.filter(violation_code__in=codes)
    else:
        table = ComplaintEstate.objects.all()
    rows = (
        table.filter(estate_id__in=ids, month__gte=before.start, month__lt=last)
        .values("estate_id", "month")
        .annotate(n=Sum("complaints"))
        .order_by()
    )
    per_month: dict[dt.date, int] = {}
    per_estate: dict[int, list[int]] = {pk: [0, 0] for pk in ids}
    for r in rows:
        month, n = r["month"], r["n"] or 0
        per_month[month] = per_month.get(month, 0) + n
        if before.start <= month < before.end:
            per_estate[r["estate_id"]][0] += n
        elif after and after.start <= month < after.end:
            per_estate[r["estate_id"]][1] += n
    month = before.start
    while month < last:
        n = per_month.get(month, 0)
        if month < event_month:
            part = "before"
        elif month == event_month:
            part = "event"
        elif after and month < after.end:
            part = "after"
        else:
            part = "running"
        effect.series.append(
            EffectMonth(
                month=month,
                complaints=n,
                per_10k=n * PER / residents if residents else None,
                part=part,
            )
        )
        month = _add_months(month, 1)
    effect.before_count = sum(m.complaints for m in effect.series if m.part == "before")
    effect.after_count = sum(m.complaints for m in effect.series if m.part == "after")
    effect.estates = sorted(
        (
            EstateEffect(estate=e, before=per_estate[e.pk][0], after=per_estate[e.pk][1])
            for e in targets
        ),
        key=lambda x: (-x.before, x.estate.name),
    )
    return effect


def effect_complaints(
    *, user: Any, event: OutreachEvent, part: str, months: int = EFFECT_MONTHS
) -> QuerySet[Complaint]:
    """The complaints behind the before or after figure of an event (drill-down)."""
    effect = event_effect(event=event, months=months)
    period = effect.before if part == "before" else effect.after
    if period is None:
        return Complaint.objects.none()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end, dt.time.min, tzinfo=tz)
    qs = Complaint.objects.restrict(user).filter(
        estate_id__in=[t.estate_id for t in event.targets.all()],
        received_at__gte=start,
        received_at__lt=end,
    )
    codes = event.theme_codes
    if codes:
        qs = qs.filter(violation_type__code__in=codes)
    return qs


# ---------------------------------------------------------------------------------------------
# A company's trainings (credit record)


@dataclass
class CompanySession:
    training: Training
    presence: str | None  # the company's own row
    present: list[str] = field(default_factory=list)  # project managers
    absent: list[str] = field(default_factory=list)
    excused: list[str] = field(default_factory=list)
    visible: bool = False  # the user may open the session's page

    @property
    def presence_label(self) -> str:
        return str(Presence(self.presence).label) if self.presence else ""


@dataclass
class CompanyTrainings:
    sessions: list[CompanySession] = field(default_factory=list)
    attended: int = 0
    absent: int = 0
    excused: int = 0
    manager_absences: int = 0

    @property
    def held(self) -> int:
        return self.attended + self.absent + self.excused


def sees_attendance(user: Any) -> bool:
    """Whether the user's scope may see training attendance at all (studios may not)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.scope_kind == ScopeKind.DISTRICT:
        return True
    return TrainingAttendance.jurisdiction.path_for(user.scope_kind) is not None


def company_trainings(*, user: Any, company: PropertyCompany) -> CompanyTrainings:
    """The sessions the company was invited to (held or planned, not cancelled), newest first,
    with the company's attendance and its project managers'."""
    rows = (
        TrainingAttendance.objects.restrict(user)
        .filter(company=company)
        .exclude(training__status="cancelled")
        .select_related("training", "manager")
        .order_by("-training__starts_at", "training_id", "manager__name")
    )
    sessions: dict[int, CompanySession] = {}
    for row in rows:
        session = sessions.setdefault(
            row.training_id, CompanySession(training=row.training, presence=None)
        )
        if row.manager_id is None:
            session.presence = row.presence
        elif row.presence == Presence.PRESENT:
            session.present.append(row.manager.name)
        elif row.presence == Presence.ABSENT:
            session.absent.append(row.manager.name)
        elif row.presence == Presence.EXCUSED:
            session.excused.append(row.manager.name)
    visible = set(
        training_list(user=user).filter(pk__in=list(sessions)).values_list("pk", flat=True)
    )
    out = CompanyTrainings(sessions=list(sessions.values()))
    for s in out.sessions:
        s.visible = s.training.pk in visible
        out.attended += s.presence == Presence.PRESENT
        out.absent += s.presence == Presence.ABSENT
        out.excused += s.presence == Presence.EXCUSED
        out.manager_absences += len(s.absent)
    return out
