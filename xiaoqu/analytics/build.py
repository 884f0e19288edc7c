"""Building and refreshing the pre-aggregated tables (`xiaoqu.analytics.models`).

`analytics_build` recomputes a district's tables from the records and their events with
grouped SQL and bulk writes. `analytics_refresh` (called by the sweep) recomputes only what
events newer than the stored watermark touched: the deadline items of the touched records,
and the month slices of the aggregates those records fall in. Slices are always replaced,
never incremented, so a repeated or overlapping refresh cannot double-count; the build state
row is locked for the duration of a refresh."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Case as CaseWhen
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Value, When
from django.utils import timezone

from xiaoqu.audit.models import Event
from xiaoqu.cases.choices import CaseStatus
from xiaoqu.cases.models import Case
from xiaoqu.intake.choices import OPEN_LEAD_STATUSES, LeadStatus, Outcome
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.referrals.choices import (
    OPEN_ASSISTANCE_STATUSES,
    OPEN_REFERRAL_STATUSES,
    AssistanceStatus,
    ReferralStatus,
)
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.regions.models import District

from .definitions import LEAD_FINISHED_STATES, OVERDUE_ACTION, RECURRENCE_WINDOW
from .models import (
    BuildState,
    ComplaintArea,
    ComplaintCount,
    ComplaintEstate,
    ComplaintEstateType,
    DeadlineCount,
    DeadlineEstate,
    DeadlineItem,
    ItemKind,
    RecurrenceArea,
    RecurrenceCount,
)

BATCH = 5000
# A refresh also looks again at events this much older than the watermark's time, in case a
# transaction that started earlier committed later (PostgreSQL sequences are not commit order).
OVERLAP = dt.timedelta(minutes=15)


def tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


def month_of(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment, tz()).date().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    nxt = (month + dt.timedelta(days=32)).replace(day=1)
    start = dt.datetime.combine(month, dt.time(), tzinfo=tz())
    end = dt.datetime.combine(nxt, dt.time(), tzinfo=tz())
    return start, end


def months_q(field_name: str, months: Iterable[dt.date] | None) -> Q:
    """A filter on `field_name` falling in one of `months` (all when None)."""
    if months is None:
        return Q()
    q = Q(pk__in=[])
    for month in sorted(set(months)):
        start, end = month_bounds(month)
        q |= Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
    return q


def _month_case(field_name: str, months: Iterable[dt.date]) -> CaseWhen | Value:
    """The local month of `field_name` as plain comparisons (no per-row date functions)."""
    whens = []
    for month in sorted(set(months)):
        start, end = month_bounds(month)
        whens.append(
            When(**{f"{field_name}__gte": start, f"{field_name}__lt": end}, then=Value(month))
        )
    if not whens:
        return Value(None, output_field=models.DateField())
    return CaseWhen(*whens, output_field=models.DateField())


def _months_of(
    queryset: models.QuerySet[Any], field_name: str, months: set[dt.date] | None
) -> set[dt.date]:
    """`months`, or every month from the first to the last value of `field_name`."""
    if months is not None:
        return months
    bounds = queryset.aggregate(first=Min(field_name), last=Max(field_name))
    first, last = month_of(bounds["first"]), month_of(bounds["last"])
    out: set[dt.date] = set()
    month = first
    while month is not None and last is not None and month <= last:
        out.add(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


SIMPLE_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def rows_insert(
    model: type[models.Model], objs: Iterable[models.Model], *, with_pk: bool = False
) -> int:
    """Insert model instances with one prepared statement per batch (`executemany`): Django's
    bulk_create is held to 999 parameters per statement on SQLite, i.e. a few dozen rows."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    simple = [f.get_internal_type() in SIMPLE_TYPES for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    n = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for obj in objs:
            batch.append(
                tuple(
                    getattr(obj, f.attname)
                    if plain
                    else f.get_db_prep_save(getattr(obj, f.attname), connection)
                    for f, plain in zip(fields, simple, strict=True)
                )
            )
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


@dataclass
class BuildReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name: str, n: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + n


# ---------------------------------------------------------------------------------------------
# Complaints


def _replace(table: type[models.Model], district_id: int, months: set[dt.date] | None) -> None:
    old = table._default_manager.filter(district_id=district_id)
    if months is not None:
        old = old.filter(month__in=months)
    old.delete()


def _roll_up(
    rows: Iterable[tuple[tuple[Any, ...], tuple[int, ...]]],
) -> dict[tuple[Any, ...], list[int]]:
    out: dict[tuple[Any, ...], list[int]] = {}
    for key, counts in rows:
        total = out.get(key)
        if total is None:
            out[key] = list(counts)
        else:
            for i, n in enumerate(counts):
                total[i] += n
    return out


def _complaints_slice(district_id: int, months: set[dt.date] | None, report: BuildReport) -> None:
    """Replace the complaint counts of `months` (all months when None)."""
    for table in (ComplaintCount, ComplaintArea, ComplaintEstate, ComplaintEstateType):
        _replace(table, district_id, months)
    source = Complaint.objects.filter(district_id=district_id)
    wanted = _months_of(source, "received_at", months)
    grouped = (
        source.filter(months_q("received_at", wanted))
        .annotate(m=_month_case("received_at", wanted))
        .values(
            "m", "subdistrict_id", "estate_id", "violation_type__code", "channel", "lead__team_id"
        )
        .annotate(n=Count("id"), r=Count("id", filter=Q(is_repeat=True)))
        .order_by()
    )
    fine = []
    for row in grouped.iterator(chunk_size=BATCH):
        key = (
            _as_date(row["m"]),
            row["subdistrict_id"] or 0,
            row["estate_id"] or 0,
            row["violation_type__code"] or "",
            row["channel"],
            row["lead__team_id"] or 0,
        )
        fine.append((key, (row["n"], row["r"])))
    # (month, sub, estate, code, channel, dept)
    area = _roll_up(((m, s, d, c, ch), v) for (m, s, _e, c, ch, d), v in fine)
    estate = _roll_up(((m, s, e, d), v) for (m, s, e, _c, _ch, d), v in fine if e)
    estate_type = _roll_up(((m, s, e, d, c), v) for (m, s, e, c, _ch, d), v in fine if e)
    written = rows_insert(
        ComplaintCount,
        (
            ComplaintCount(
                month=m, district_id=district_id, subdistrict_id=s, estate_id=e,
                violation_code=c, channel=ch, department_id=d, complaints=n, repeats=r,
            )
            for (m, s, e, c, ch, d), (n, r) in fine
        ),
    )  # fmt: skip
    report.add("complaint counts", written)
    report.add(
        "complaint counts by area",
        rows_insert(
            ComplaintArea,
            (
                ComplaintArea(
                    month=m, district_id=district_id, subdistrict_id=s, department_id=d,
                    violation_code=c, channel=ch, complaints=n, repeats=r,
                )
                for (m, s, d, c, ch), (n, r) in area.items()
            ),
        ),
    )  # fmt: skip
    report.add(
        "complaint counts by estate",
        rows_insert(
            ComplaintEstate,
            (
                ComplaintEstate(
                    month=m, district_id=district_id, subdistrict_id=s, estate_id=e,
                    department_id=d, complaints=n, repeats=r,
                )
                for (m, s, e, d), (n, r) in estate.items()
            ),
        ),
    )  # fmt: skip
    report.add(
        "complaint counts by estate and type",
        rows_insert(
            ComplaintEstateType,
            (
                ComplaintEstateType(
                    month=m, district_id=district_id, subdistrict_id=s, estate_id=e,
                    department_id=d, violation_code=c, complaints=n, repeats=r,
                )
                for (m, s, e, d, c), (n, r) in estate_type.items()
            ),
        ),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Recurrences


def _recurrences_slice(district_id: int, months: set[dt.date] | None, report: BuildReport) -> None:
    for table in (RecurrenceCount, RecurrenceArea):
        _replace(table, district_id, months)
    earlier = Lead.objects.filter(
        estate_id=OuterRef("estate_id"),
        violation_type_id=OuterRef("violation_type_id"),
        closed_at__lt=OuterRef("received_at"),
        closed_at__gte=OuterRef("received_at") - RECURRENCE_WINDOW,
    ).exclude(outcome=Outcome.REPEAT)
    source = Lead.objects.filter(
        district_id=district_id, estate__isnull=False, violation_type__isnull=False
    ).exclude(outcome=Outcome.REPEAT)
    wanted = _months_of(source, "received_at", months)
    grouped = (
        source.filter(months_q("received_at", wanted))
        .annotate(m=_month_case("received_at", wanted), rec=Exists(earlier))
        .values("m", "subdistrict_id", "team_id", "estate_id", "violation_type__code")
        .annotate(n=Count("id"), r=Count("id", filter=Q(rec=True)))
        .order_by()
    )
    fine = [
        (
            (
                _as_date(row["m"]),
                row["subdistrict_id"] or 0,
                row["team_id"] or 0,
                row["estate_id"],
                row["violation_type__code"],
            ),
            (row["n"], row["r"]),
        )
        for row in grouped.iterator(chunk_size=BATCH)
    ]
    area = _roll_up(((m, s, d, c), v) for (m, s, d, _e, c), v in fine)
    report.add(
        "recurrence counts",
        rows_insert(
            RecurrenceCount,
            (
                RecurrenceCount(
                    month=m, district_id=district_id, subdistrict_id=s, department_id=d,
                    estate_id=e, violation_code=c, leads=n, recurrences=r,
                )
                for (m, s, d, e, c), (n, r) in fine
            ),
        ),
    )  # fmt: skip
    report.add(
        "recurrence counts by area",
        rows_insert(
            RecurrenceArea,
            (
                RecurrenceArea(
                    month=m, district_id=district_id, subdistrict_id=s, department_id=d,
                    violation_code=c, leads=n, recurrences=r,
                )
                for (m, s, d, c), (n, r) in area.items()
            ),
        ),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Deadline items


def _event_moments(
    model: type[models.Model], ids: Any, *, action: str | None = None, to_states: Iterable[str] = ()
) -> dict[int, dt.datetime]:
    """record id → first overdue moment (action) or last moment it reached one of `to_states`."""
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    events = Event.objects.filter(record_type=ct, record_id__in=ids)
    if action is not None:
        rows = events.filter(action=action).values("record_id").annotate(at=Min("occurred_at"))
    else:
        rows = (
            events.filter(to_state__in=list(to_states))
            .values("record_id")
            .annotate(at=Max("occurred_at"))
        )
    return {r["record_id"]: r["at"] for r in rows.order_by().iterator(chunk_size=BATCH)}


def _finished_late(finished_at: dt.datetime | None, overdue_at: dt.datetime | None) -> bool:
    return finished_at is not None and overdue_at is not None and overdue_at <= finished_at


def _lead_items(district_id: int, ids: list[int] | None) -> Iterator[DeadlineItem]:
    leads = Lead.objects.filter(district_id=district_id).exclude(outcome=Outcome.REPEAT)
    if ids is not None:
        leads = leads.filter(pk__in=ids)
    id_query: Any = (
        ids if ids is not None else Lead.objects.filter(district_id=district_id).values("pk")
    )
    finished = _event_moments(Lead, id_query, to_states=LEAD_FINISHED_STATES)
    overdue = _event_moments(Lead, id_query, action=OVERDUE_ACTION)
    rows = leads.values_list(
        "pk", "status", "subdistrict_id", "estate_id", "team_id", "violation_type__code",
        "due_at", "closed_at", "overdue_at", "reopen_count", "extension_days",
    )  # fmt: skip
    for (
        pk,
        status,
        sub,
        estate,
        team,
        code,
        due,
        closed_at,
        overdue_at,
        reopens,
        ext,
    ) in rows.iterator(chunk_size=BATCH):
        done = status in LEAD_FINISHED_STATES
        finished_at = (finished.get(pk) or closed_at) if done else None
        late = _finished_late(finished_at, overdue.get(pk)) if done else False
        yield DeadlineItem(
            kind=ItemKind.LEAD,
            record_id=pk,
            month=month_of(finished_at) if done else month_of(due),
            district_id=district_id,
            subdistrict_id=sub or 0,
            estate_id=estate or 0,
            department_id=team or 0,
            violation_code=code or "",
            due_at=due,
            finished_at=finished_at,
            on_time=done and not late,
            late=late,
            open_overdue=status in OPEN_LEAD_STATUSES and overdue_at is not None,
            closed=status == LeadStatus.CLOSED,
            reopened=reopens > 0,
            extended=ext > 0,
        )


def _reply_items(district_id: int, ids: list[int] | None) -> Iterator[DeadlineItem]:
    complaints = Complaint.objects.filter(district_id=district_id, reply_due_at__isnull=False)
    if ids is not None:
        complaints = complaints.filter(pk__in=ids)
    rows = complaints.values_list(
        "pk", "subdistrict_id", "estate_id", "lead__team_id", "violation_type__code",
        "reply_due_at", "replied_at", "reply_overdue_at",
    )  # fmt: skip
    for pk, sub, estate, team, code, due, replied, overdue_at in rows.iterator(chunk_size=BATCH):
        done = replied is not None
        yield DeadlineItem(
            kind=ItemKind.REPLY,
            record_id=pk,
            month=month_of(due),
            district_id=district_id,
            subdistrict_id=sub or 0,
            estate_id=estate or 0,
            department_id=team or 0,
            violation_code=code or "",
            due_at=due,
            finished_at=replied,
            on_time=done and replied <= due,
            late=done and replied > due,
            open_overdue=not done and overdue_at is not None,
            closed=done,
        )


def _answer_items(
    district_id: int,
    ids: list[int] | None,
    *,
    model: type[Referral] | type[AssistanceRequest],
    kind: str,
    answered: str,
    dropped: str,
    open_states: frozenset[str],
) -> Iterator[DeadlineItem]:
    records = model.objects.filter(lead__district_id=district_id).exclude(status=dropped)
    if ids is not None:
        records = records.filter(pk__in=ids)
    id_query: Any = (
        ids if ids is not None else model.objects.filter(lead__district_id=district_id).values("pk")
    )
    overdue = _event_moments(model, id_query, action=OVERDUE_ACTION)
    rows = records.values_list(
        "pk", "status", "lead__subdistrict_id", "lead__estate_id", "department_id",
        "lead__violation_type__code", "due_at", "answered_at", "overdue_at",
    )  # fmt: skip
    for pk, status, sub, estate, dept, code, due, answered_at, overdue_at in rows.iterator(
        chunk_size=BATCH
    ):
        done = status == answered
        finished_at = answered_at if done else None
        late = _finished_late(finished_at, overdue.get(pk)) if done else False
        yield DeadlineItem(
            kind=kind,
            record_id=pk,
            month=month_of(finished_at) if done else month_of(due),
            district_id=district_id,
            subdistrict_id=sub or 0,
            estate_id=estate or 0,
            department_id=dept or 0,
            violation_code=code or "",
            due_at=due,
            finished_at=finished_at,
            on_time=done and not late,
            late=late,
            open_overdue=status in open_states and overdue_at is not None,
            closed=done,
        )


def _case_items(district_id: int, ids: list[int] | None) -> Iterator[DeadlineItem]:
    cases = Case.objects.filter(district_id=district_id)
    if ids is not None:
        cases = cases.filter(pk__in=ids)
    rows = cases.values_list(
        "pk", "status", "subdistrict_id", "estate_id", "lead__team_id", "violation_type__code",
        "decision_due_at", "decided_at", "overdue_at", "extension_days",
    )  # fmt: skip
    for pk, status, sub, estate, team, code, due, decided, overdue_at, ext in rows.iterator(
        chunk_size=BATCH
    ):
        done = decided is not None
        yield DeadlineItem(
            kind=ItemKind.CASE,
            record_id=pk,
            month=month_of(due),
            district_id=district_id,
            subdistrict_id=sub or 0,
            estate_id=estate or 0,
            department_id=team or 0,
            violation_code=code or "",
            due_at=due,
            finished_at=decided,
            on_time=done and decided <= due,
            late=done and decided > due,
            open_overdue=not done and overdue_at is not None,
            closed=status == CaseStatus.CLOSED,
            extended=ext > 0,
        )


def _items(district_id: int, touched: dict[str, list[int]] | None) -> Iterator[DeadlineItem]:
    def ids(kind: str) -> list[int] | None:
        return None if touched is None else touched.get(kind, [])

    def wanted(kind: str) -> bool:
        return touched is None or bool(touched.get(kind))

    if wanted(ItemKind.LEAD):
        yield from _lead_items(district_id, ids(ItemKind.LEAD))
    if wanted(ItemKind.REPLY):
        yield from _reply_items(district_id, ids(ItemKind.REPLY))
    if wanted(ItemKind.REFERRAL):
        yield from _answer_items(
            district_id,
            ids(ItemKind.REFERRAL),
            model=Referral,
            kind=ItemKind.REFERRAL,
            answered=ReferralStatus.ANSWERED,
            dropped=ReferralStatus.WITHDRAWN,
            open_states=OPEN_REFERRAL_STATUSES,
        )
    if wanted(ItemKind.ASSISTANCE):
        yield from _answer_items(
            district_id,
            ids(ItemKind.ASSISTANCE),
            model=AssistanceRequest,
            kind=ItemKind.ASSISTANCE,
            answered=AssistanceStatus.ANSWERED,
            dropped=AssistanceStatus.CANCELLED,
            open_states=OPEN_ASSISTANCE_STATUSES,
        )
    if wanted(ItemKind.CASE):
        yield from _case_items(district_id, ids(ItemKind.CASE))


def _bulk(items: Iterable[DeadlineItem]) -> int:
    return rows_insert(DeadlineItem, items)


DEADLINE_SUMS = ("on_time", "late", "open_overdue", "closed", "reopened", "extended")


def _deadline_slice(district_id: int, months: set[dt.date] | None, report: BuildReport) -> None:
    items = DeadlineItem.objects.filter(district_id=district_id, month__isnull=False)
    if months is not None:
        items = items.filter(month__in=months)
    sums = {name: Count("id", filter=Q(**{name: True})) for name in DEADLINE_SUMS}
    for table, keys in (
        (DeadlineCount, ("month", "kind", "subdistrict_id", "department_id", "violation_code")),
        (
            DeadlineEstate,
            ("month", "kind", "subdistrict_id", "estate_id", "department_id", "violation_code"),
        ),
    ):
        _replace(table, district_id, months)
        source = items.exclude(estate_id=0) if table is DeadlineEstate else items
        grouped = source.values(*keys).annotate(due=Count("id"), **sums).order_by()
        report.add(
            str(table._meta.verbose_name_plural),
            rows_insert(table, (table(district_id=district_id, **row) for row in grouped)),
        )


# ---------------------------------------------------------------------------------------------
# Build and refresh


def _districts(district: District | None) -> list[District]:
    return [district] if district is not None else list(District.objects.order_by("pk"))


def analytics_build(
    *, district: District | None = None, since: dt.date | None = None
) -> BuildReport:
    """Rebuild the tables of `district` (every district when None) from the records and
    their events. With `since`, only the months from `since` on are rebuilt (the deadline
    items are always recomputed)."""
    started = time.monotonic()
    report = BuildReport()
    for d in _districts(district):
        with transaction.atomic():
            state, _created = BuildState.objects.select_for_update().get_or_create(district_id=d.pk)
            watermark = Event.objects.aggregate(m=Max("pk"))["m"] or 0
            months = _months_since(d.pk, since) if since else None
            DeadlineItem.objects.filter(district_id=d.pk).delete()
            report.add("deadline items", _bulk(_items(d.pk, None)))
            _deadline_slice(d.pk, months, report)
            _complaints_slice(d.pk, months, report)
            _recurrences_slice(d.pk, months, report)
            state.last_event_id = watermark
            state.built_at = state.refreshed_at = timezone.now()
            state.save()
    _analyze()
    report.seconds = time.monotonic() - started
    return report


def _analyze() -> None:
    """A full build rewrites the tables: give PostgreSQL's planner their new statistics now
    rather than when autovacuum gets round to it (dashboards read them by index)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _months_since(district_id: int, since: dt.date) -> set[dt.date]:
    first = since.replace(day=1)
    last = month_of(timezone.now()) or first
    latest = Complaint.objects.filter(district_id=district_id).aggregate(m=Max("received_at"))["m"]
    if latest is not None:
        last = max(last, month_of(latest) or last)
    months = set()
    month = first
    while month <= last:
        months.add(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


RECORD_KINDS: dict[type[models.Model], str] = {
    Lead: ItemKind.LEAD,
    Complaint: ItemKind.REPLY,
    Referral: ItemKind.REFERRAL,
    AssistanceRequest: ItemKind.ASSISTANCE,
    Case: ItemKind.CASE,
}


def _touched(events: models.QuerySet[Event]) -> dict[str, set[int]]:
    by_type: dict[int, str] = {
        ContentType.objects.get_for_model(m, for_concrete_model=True).pk: k
        for m, k in RECORD_KINDS.items()
    }
    touched: dict[str, set[int]] = defaultdict(set)
    for type_id, record_id in events.values_list("record_type_id", "record_id").iterator(
        chunk_size=BATCH
    ):
        kind = by_type.get(type_id)
        if kind is not None:
            touched[kind].add(record_id)
    return touched


def _refresh_district(
    state: BuildState, events: models.QuerySet[Event], report: BuildReport
) -> None:
    district_id = state.district_id
    touched = _touched(events)
    lead_ids = set(
        Lead.objects.filter(district_id=district_id, pk__in=touched[ItemKind.LEAD]).values_list(
            "pk", flat=True
        )
    )
    # A lead's moves change its complaints (subdistrict, repeat flag) and vice versa.
    lead_ids |= set(
        Complaint.objects.filter(pk__in=touched[ItemKind.REPLY], lead__isnull=False).values_list(
            "lead_id", flat=True
        )
    )
    lead_ids |= set(
        Referral.objects.filter(pk__in=touched[ItemKind.REFERRAL]).values_list("lead_id", flat=True)
    )
    lead_ids |= set(
        AssistanceRequest.objects.filter(pk__in=touched[ItemKind.ASSISTANCE]).values_list(
            "lead_id", flat=True
        )
    )
    complaint_rows = list(
        Complaint.objects.filter(district_id=district_id)
        .filter(Q(pk__in=touched[ItemKind.REPLY]) | Q(lead_id__in=lead_ids))
        .values_list("pk", "received_at")
    )
    lead_rows = list(
        Lead.objects.filter(district_id=district_id, pk__in=lead_ids).values_list(
            "pk", "received_at", "closed_at"
        )
    )
    case_ids = set(
        Case.objects.filter(district_id=district_id)
        .filter(Q(pk__in=touched[ItemKind.CASE]) | Q(lead_id__in=lead_ids))
        .values_list("pk", flat=True)
    )
    ids: dict[str, list[int]] = {
        ItemKind.LEAD: sorted(lead_ids),
        ItemKind.REPLY: sorted(pk for pk, _at in complaint_rows),
        ItemKind.REFERRAL: sorted(
            Referral.objects.filter(lead__district_id=district_id)
            .filter(Q(pk__in=touched[ItemKind.REFERRAL]) | Q(lead_id__in=lead_ids))
            .values_list("pk", flat=True)
        ),
        ItemKind.ASSISTANCE: sorted(
            AssistanceRequest.objects.filter(lead__district_id=district_id)
            .filter(Q(pk__in=touched[ItemKind.ASSISTANCE]) | Q(lead_id__in=lead_ids))
            .values_list("pk", flat=True)
        ),
        ItemKind.CASE: sorted(case_ids),
    }
    if not any(ids.values()):
        return
    # Deadline items: replace the touched ones; re-aggregate their old and new months.
    item_months: set[dt.date] = set()
    for kind, pks in ids.items():
        old = DeadlineItem.objects.filter(district_id=district_id, kind=kind, record_id__in=pks)
        item_months |= {m for m in old.values_list("month", flat=True) if m}
        old.delete()
    new = list(_items(district_id, ids))
    item_months |= {i.month for i in new if i.month}
    rows_insert(DeadlineItem, new)
    report.add("deadline items", len(new))
    if item_months:
        _deadline_slice(district_id, item_months, report)
    complaint_months = {m for _pk, at in complaint_rows if (m := month_of(at))}
    if complaint_months:
        _complaints_slice(district_id, complaint_months, report)
    recurrence_months: set[dt.date] = set()
    for _pk, received, closed in lead_rows:
        recurrence_months.add(month_of(received))  # type: ignore[arg-type]
        if closed is not None:
            recurrence_months.add(month_of(closed))  # type: ignore[arg-type]
            recurrence_months.add(month_of(closed + RECURRENCE_WINDOW))  # type: ignore[arg-type]
    # A reopened lead no longer shows its former closure: recompute its window as well.
    if recurrence_months:
        first, last = min(recurrence_months), max(recurrence_months)
        month = first
        while month <= last:
            recurrence_months.add(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        _recurrences_slice(district_id, recurrence_months, report)


def analytics_refresh(*, at: dt.datetime | None = None) -> BuildReport:
    """Bring every district's tables up to date with the events recorded since the last build
    or refresh (the sweep calls this). A district never built is built in full."""
    started = time.monotonic()
    report = BuildReport()
    for d in District.objects.order_by("pk"):
        with transaction.atomic():
            state, _created = BuildState.objects.select_for_update().get_or_create(district_id=d.pk)
            if state.built_at is None:
                continue_full = True
            else:
                continue_full = False
                watermark = Event.objects.aggregate(m=Max("pk"))["m"] or 0
                if watermark <= state.last_event_id:
                    continue
                since = state.refreshed_at or state.built_at
                events = Event.objects.filter(pk__lte=watermark).filter(
                    Q(pk__gt=state.last_event_id)
                    | Q(
                        pk__gt=max(state.last_event_id - BATCH, 0), occurred_at__gte=since - OVERLAP
                    )
                )
                _refresh_district(state, events, report)
                state.last_event_id = watermark
                state.refreshed_at = at or timezone.now()
                state.save()
        if continue_full:
            sub = analytics_build(district=d)
            for name, n in sub.rows.items():
                report.add(name, n)
    report.seconds = time.monotonic() - started
    return report


TABLES: list[type[models.Model]] = [
    ComplaintCount,
    ComplaintArea,
    ComplaintEstate,
    ComplaintEstateType,
    DeadlineItem,
    DeadlineCount,
    DeadlineEstate,
    RecurrenceCount,
    RecurrenceArea,
]


def table_rows() -> dict[str, int]:
    """Rows in each table (for the command and the bench)."""
    return {t._meta.verbose_name_plural: t._default_manager.count() for t in TABLES}  # type: ignore[misc]
