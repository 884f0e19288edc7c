"""Reads of the oversight app, through the user's jurisdiction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from xiaoqu.analytics.models import ComplaintEstateType
from xiaoqu.estates.models import Estate
from xiaoqu.law.models import ViolationType

from .candidates import Candidate, Suggestion, select_candidates
from .choices import LapseKind
from .did import DidResult, did_estimate, match_controls
from .models import Lapse, PilotEstate, PilotProgramme

MIN_RESIDENTS = 300  # smaller estates are left out of the comparison group (too noisy)
PRE_MONTHS = 12
CANDIDATE_POOL = 50
CANDIDATE_MIN_RESIDENTS = 500  # a single building is no estate to pilot a programme in


def lapse_list(*, user: Any) -> QuerySet[Lapse]:
    return Lapse.objects.restrict(user).select_related("subdistrict", "department", "estate")


@dataclass
class CountRow:
    id: int | None
    name: str
    inaction: int
    slow: int
    wrong: int

    @property
    def total(self) -> int:
        return self.inaction + self.slow + self.wrong


def lapse_counts(qs: QuerySet[Lapse], by: str) -> list[CountRow]:
    """Counts per kind, per subdistrict (`by="subdistrict"`) or department, most first."""
    rows = (
        qs.order_by()
        .values(f"{by}_id", f"{by}__name")
        .annotate(
            inaction=Count("pk", filter=Q(kind=LapseKind.INACTION)),
            slow=Count("pk", filter=Q(kind=LapseKind.SLOW)),
            wrong=Count("pk", filter=Q(kind=LapseKind.WRONG)),
        )
    )
    out = [
        CountRow(r[f"{by}_id"], r[f"{by}__name"] or "", r["inaction"], r["slow"], r["wrong"])
        for r in rows
    ]
    return sorted(out, key=lambda r: (-r.total, r.name))


# ---------------------------------------------------------------------------------------------
# Pilot


def programme_list(*, user: Any) -> QuerySet[PilotProgramme]:
    return PilotProgramme.objects.restrict(user)


def programme_current(*, user: Any) -> PilotProgramme | None:
    return programme_list(user=user).order_by("-starts_on", "-pk").first()


def programme_estates(programme: PilotProgramme) -> QuerySet[PilotEstate]:
    return programme.estates.select_related("estate", "estate__subdistrict", "chosen_by")


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def last_twelve_months(now: dt.datetime) -> tuple[dt.date, dt.date]:
    end = _month_start(timezone.localdate(now))
    return _add_months(end, -12), end


def pilot_candidates(
    *,
    user: Any,
    now: dt.datetime | None = None,
    target: int = 15,
    per_subdistrict: int = 2,
    per_type: int = 3,
) -> list[Suggestion]:
    """Estates ranked by shrunk complaints per 10k over the last 12 complete months, with the
    greedy spread selection applied (see `candidates.py`)."""
    from xiaoqu.analytics.figures import Period, scope_for, top_estates

    start, end = last_twelve_months(now or timezone.now())
    period = Period(start, end)
    scope = scope_for(user)
    figures = [
        f
        for f in top_estates(scope, period, limit=CANDIDATE_POOL * 3)
        if f.residents >= CANDIDATE_MIN_RESIDENTS
    ][:CANDIDATE_POOL]
    ids = [f.estate_id for f in figures]
    estates = Estate.objects.select_related("subdistrict").in_bulk(ids)
    main: dict[int, tuple[str, str, int]] = {}
    # the main type of each estate from the pre-aggregated counts, not the raw complaints
    rows = (
        ComplaintEstateType.objects.filter(
            estate_id__in=ids, month__gte=start, month__lt=end, complaints__gt=0
        )
        .exclude(violation_code="")
        .order_by()
        .values("estate_id", "violation_code")
        .annotate(n=Sum("complaints"))
    )
    names = dict(ViolationType.objects.values_list("code", "name").order_by("effective_from"))
    for r in rows:
        best = main.get(r["estate_id"])
        if best is None or r["n"] > best[2]:
            code = r["violation_code"]
            main[r["estate_id"]] = (code, names.get(code, code), r["n"])
    ranked = []
    for f in figures:
        estate = estates.get(f.estate_id)
        if estate is None:
            continue
        code, name, _n = main.get(f.estate_id, ("", "", 0))
        ranked.append(
            Candidate(
                estate_id=f.estate_id,
                name=estate.name,
                subdistrict_id=estate.subdistrict_id,
                subdistrict_name=estate.subdistrict.name if estate.subdistrict else "",
                main_type=code,
                main_type_name=name,
                complaints=f.complaints,
                residents=f.residents,
                rate=_rate_value(f.per_10k),
                shrunk=_rate_value(f.shrunk),
            )
        )
    return select_candidates(
        ranked, target=target, per_subdistrict=per_subdistrict, per_type=per_type
    )


def _rate_value(value: Any) -> float:
    inner = getattr(value, "value", value)
    return float(inner or 0.0)


@dataclass
class Evaluation:
    months: list[dt.date]
    start_index: int
    result: DidResult | None
    pilot_ids: list[int]
    control_ids: list[int]
    problem: str = ""  # why there is no estimate: "no_estates", "too_early", "no_controls"


def pilot_evaluation(
    *, programme: PilotProgramme, now: dt.datetime | None = None, per_pilot: int = 3
) -> Evaluation:
    """Difference in differences of complaints per 10k, pilot estates against matched
    comparison estates (`did.match_controls`), 12 months before the start to the last
    complete month (or the programme's end)."""
    from xiaoqu.analytics.figures import Period, estate_monthly

    start = _month_start(programme.starts_on)
    end = _month_start(timezone.localdate(now or timezone.now()))
    if programme.ends_on is not None:
        end = min(end, _add_months(_month_start(programme.ends_on), 1))
    first = _add_months(start, -PRE_MONTHS)
    months = []
    month = first
    while month < end:
        months.append(month)
        month = _add_months(month, 1)
    pilots = list(
        Estate.objects.filter(pilot_memberships__programme=programme, residents__gt=0).values(
            "pk", "subdistrict_id", "residents"
        )
    )
    if not pilots:
        return Evaluation(months, 0, None, [], [], "no_estates")
    if start not in months or months.index(start) == 0:
        return Evaluation(months, 0, None, [p["pk"] for p in pilots], [], "too_early")
    start_index = months.index(start)
    all_pilots = PilotEstate.objects.filter(programme__district_id=programme.district_id)
    pool = list(
        Estate.objects.filter(district_id=programme.district_id, residents__gte=MIN_RESIDENTS)
        .exclude(pk__in=all_pilots.values("estate_id"))
        .values("pk", "subdistrict_id", "residents")
    )
    if not pool:
        return Evaluation(months, start_index, None, [p["pk"] for p in pilots], [], "no_controls")
    info = {row["pk"]: row for row in pilots + pool}
    counts = estate_monthly(list(info), Period(first, end))
    # Months before the first recorded complaint of the district are no data, not zeros.
    totals = [sum(series[i] for series in counts.values()) for i in range(len(months))]
    recorded = next((i for i, n in enumerate(totals) if n), 0)
    if 0 < recorded < start_index:
        counts = {pk: series[recorded:] for pk, series in counts.items()}
        months, start_index = months[recorded:], start_index - recorded
    elif recorded >= start_index:
        return Evaluation(months, start_index, None, [p["pk"] for p in pilots], [], "too_early")

    def rates(pk: int) -> list[float]:
        series = list(counts.get(pk, []))
        series += [0] * (len(months) - len(series))
        return [c * 10000.0 / info[pk]["residents"] for c in series[: len(months)]]

    def pre(pk: int) -> float:
        values = rates(pk)[:start_index]
        return sum(values) / len(values)

    pilot_ids = [p["pk"] for p in pilots]
    controls = match_controls(
        {pk: (info[pk]["subdistrict_id"], pre(pk)) for pk in pilot_ids},
        {row["pk"]: (row["subdistrict_id"], pre(row["pk"])) for row in pool},
        per_pilot=per_pilot,
    )
    result = did_estimate(
        [rates(pk) for pk in pilot_ids], [rates(pk) for pk in controls], start_index
    )
    return Evaluation(months, start_index, result, pilot_ids, controls)
