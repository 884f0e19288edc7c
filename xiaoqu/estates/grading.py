"""Estate risk grades (分级分类检查): the monthly computation, overrides and the sweep.

The grade of month M is computed as of the first moment of M (local time) from the twelve
months before it, from recorded rows only, so that any past month can be recomputed:

- complaints per 10,000 residents: complaints about the estate received in the window (raw,
  repeats included) ÷ residents × 10,000. Residents unknown: households × 2.5; neither known:
  the input is left out (0 points, said so). Fewer residents than the scheme's
  `min_residents` are counted as `min_residents`.
- open violations: leads with a violation type of the bureau received before M and not
  closed by then (a lead handed on to filing stays open until its case is closed).
- recurring violations (回潮): leads received in the window at the estate whose violation
  type had a lead there closed within the 90 days before (merged repeats left out).
- repeat complaints: complaints marked as repeats received in the window.
- property company's demerits: confirmed points of the estate's company counting at M
  (confirmed before M, from the decision for the rule's number of months).
- pilot estate: the estate's current pilot flag (the flag has no history).

Each input counts `weight × min(value / reference, 1)` points (see `GradeScheme`).

The current grade (`Estate.risk_grade`) is the override that holds, if any (see
`EstateGrade`), otherwise the latest computed grade up to the current month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.roles import is_supervisor
from xiaoqu.audit.services import event_record
from xiaoqu.regions.models import District

from .choices import GRADED, GradeSource, RiskGrade
from .models import Estate, EstateGrade, GradeScheme

WINDOW_MONTHS = 12
RECURRENCE_DAYS = 90
PERSONS_PER_HOUSEHOLD = Decimal("2.5")
DEFAULT_EFFECTIVE_FROM = dt.date(2000, 1, 1)
CHUNK = 500  # estates per query (keeps `IN (…)` lists short on every engine)
TWO = Decimal("0.01")


@dataclass(frozen=True)
class InputSpec:
    code: str
    label: Promise
    weight_field: str
    reference_field: str | None
    unit: Promise


INPUTS: tuple[InputSpec, ...] = (
    InputSpec(
        "complaints",
        _("Complaints per 10,000 residents"),
        "complaints_weight",
        "complaints_reference",
        _("last 12 months"),
    ),
    InputSpec("open", _("Open violations"), "open_weight", "open_reference", _("leads not closed")),
    InputSpec(
        "recurrence",
        _("Recurring violations (回潮)"),
        "recurrence_weight",
        "recurrence_reference",
        _("within 90 days after a closure, last 12 months"),
    ),
    InputSpec(
        "repeat",
        _("Repeat complaints"),
        "repeat_weight",
        "repeat_reference",
        _("last 12 months"),
    ),
    InputSpec(
        "demerit",
        _("Property company's demerit points"),
        "demerit_weight",
        "demerit_reference",
        _("confirmed points counting"),
    ),
    InputSpec("pilot", _("Pilot estate"), "pilot_weight", None, _("yes or no")),
)
INPUT_BY_CODE = {spec.code: spec for spec in INPUTS}


# ---------------------------------------------------------------------------------------------
# Months and moments


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_moment(day: dt.date) -> dt.datetime:
    """Local midnight at the start of `day`, as an aware datetime."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone()
    )


def current_month(at: dt.datetime | None = None) -> dt.date:
    moment = at or timezone.now()
    return month_start(timezone.localtime(moment, timezone.get_default_timezone()).date())


def _dec(value: Decimal | float | int) -> Decimal:
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------
# Schemes


def grade_scheme_for(*, district: District, month: dt.date) -> GradeScheme:
    """The scheme that grades `month` in the district: the newest version applying by then.
    The district's first scheme (the documented defaults) is created on first use."""
    schemes = GradeScheme.objects.filter(district=district)
    scheme = schemes.filter(effective_from__lte=month).order_by("-effective_from", "-version")
    found = scheme.first() or schemes.order_by("effective_from", "version").first()
    if found is not None:
        return found
    with transaction.atomic():
        created, _created = GradeScheme.objects.get_or_create(
            district=district,
            version=1,
            defaults={
                "effective_from": DEFAULT_EFFECTIVE_FROM,
                "created_at": timezone.now(),
            },
        )
    return created


SCHEME_FIELDS: tuple[str, ...] = (
    *(f for spec in INPUTS for f in (spec.weight_field, spec.reference_field) if f),
    "key_threshold",
    "general_threshold",
    "min_residents",
)


def may_edit_scheme(user: Any) -> bool:
    """Bureau leaders and administrators edit the scheme; others read it."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or getattr(user, "role", None) in {Role.LEADER, Role.ADMIN})
    )


def may_override(user: Any) -> bool:
    """Dispatchers and bureau leaders set a grade by hand."""
    return is_supervisor(user)


def grade_scheme_create(
    *,
    district: District,
    actor: Any,
    effective_from: dt.date,
    values: dict[str, Any],
    note: str = "",
    at: dt.datetime | None = None,
) -> GradeScheme:
    """Record a new version of the district's scheme, applying from `effective_from`'s month.
    Earlier versions stay as they were: the grades computed with them keep them."""
    if not may_edit_scheme(actor):
        raise PermissionDenied(_("Only bureau leaders and administrators edit the scheme."))
    moment = at or timezone.now()
    with transaction.atomic():
        previous = grade_scheme_for(district=district, month=month_start(effective_from))
        last = (
            GradeScheme.objects.select_for_update()
            .filter(district=district)
            .order_by("-version")
            .first()
        )
        scheme = GradeScheme(
            district=district,
            version=(last.version if last else 0) + 1,
            effective_from=month_start(effective_from),
            note=note,
            created_by=actor,
            created_at=moment,
            **{f: getattr(previous, f) for f in SCHEME_FIELDS},
        )
        for name, value in values.items():
            if name not in SCHEME_FIELDS:
                raise ValueError(name)
            setattr(scheme, name, value)
        scheme.full_clean()
        scheme.save()
        changes = {
            f: [str(getattr(previous, f)), str(getattr(scheme, f))]
            for f in SCHEME_FIELDS
            if getattr(previous, f) != getattr(scheme, f)
        }
        event_record(
            record=scheme,
            actor=actor,
            action="created",
            to_state=f"v{scheme.version}",
            reason=note,
            data={
                "effective_from": scheme.effective_from.isoformat(),
                "previous": previous.version,
                "changes": changes,
            },
            at=moment,
        )
    return scheme


# ---------------------------------------------------------------------------------------------
# The computation


@dataclass
class InputResult:
    code: str
    raw: float | None
    normalised: float
    weight: float
    reference: float | None
    points: float
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def spec(self) -> InputSpec:
        return INPUT_BY_CODE[self.code]


@dataclass
class GradeResult:
    estate_id: int
    month: dt.date
    score: Decimal
    grade: str
    scheme: GradeScheme
    inputs: list[InputResult]

    def inputs_json(self) -> dict[str, Any]:
        return {
            "as_of": month_moment(self.month).isoformat(),
            "window_months": WINDOW_MONTHS,
            "thresholds": {
                "key": float(self.scheme.key_threshold),
                "general": float(self.scheme.general_threshold),
            },
            "inputs": {
                i.code: {
                    "raw": i.raw,
                    "normalised": i.normalised,
                    "weight": i.weight,
                    "reference": i.reference,
                    "points": i.points,
                    "detail": i.detail,
                }
                for i in self.inputs
            },
        }


@dataclass
class _Facts:
    complaints: int = 0
    repeats: int = 0
    open: int = 0
    recurrences: int = 0
    demerits: int = 0


def grade_for_score(score: Decimal, scheme: GradeScheme) -> str:
    if score >= scheme.key_threshold:
        return RiskGrade.KEY
    if score >= scheme.general_threshold:
        return RiskGrade.GENERAL
    return RiskGrade.GOOD


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _facts(estates: Sequence[Estate], month: dt.date) -> dict[int, _Facts]:
    """The raw inputs of every estate as of `month`, in a few grouped queries per chunk."""
    from xiaoqu.cases.models import Case
    from xiaoqu.credit.choices import ProposalStatus
    from xiaoqu.credit.models import DemeritProposal
    from xiaoqu.intake.choices import Outcome
    from xiaoqu.intake.models import Complaint, Lead

    end = month_moment(month)
    start = month_moment(add_months(month, -WINDOW_MONTHS))
    recurrence = dt.timedelta(days=RECURRENCE_DAYS)
    facts: dict[int, _Facts] = {e.pk: _Facts() for e in estates}
    for chunk in _chunks(list(estates)):
        ids = [e.pk for e in chunk]
        complaints = (
            Complaint.objects.filter(estate_id__in=ids, received_at__gte=start, received_at__lt=end)
            .values("estate_id")
            .annotate(n=Count("pk"), r=Count("pk", filter=Q(is_repeat=True)))
            .order_by()
        )
        for row in complaints:
            facts[row["estate_id"]].complaints = row["n"]
            facts[row["estate_id"]].repeats = row["r"]

        first_case_closed = (
            Case.objects.filter(lead=OuterRef("pk"), closed_at__isnull=False)
            .order_by("closed_at")
            .values("closed_at")[:1]
        )
        leads = (
            Lead.objects.filter(
                estate_id__in=ids, violation_type__isnull=False, received_at__lt=end
            )
            .filter(
                Q(closed_at__isnull=True)
                | Q(closed_at__gte=start - recurrence)
                | Q(received_at__gte=start)
            )
            .annotate(case_closed=Subquery(first_case_closed))
            .values_list(
                "estate_id",
                "violation_type__code",
                "received_at",
                "closed_at",
                "case_closed",
                "outcome",
                "repeat_of_id",
            )
            .order_by()
        )
        closures: dict[tuple[int, str], list[dt.datetime]] = defaultdict(list)
        received: list[tuple[int, str, dt.datetime]] = []
        for estate_id, code, received_at, closed_at, case_closed, outcome, repeat_of in leads:
            closed = closed_at or case_closed
            if closed is None or closed >= end:
                facts[estate_id].open += 1
            if closed is not None and outcome != Outcome.REPEAT:
                closures[(estate_id, code)].append(closed)
            if received_at >= start and repeat_of is None:
                received.append((estate_id, code, received_at))
        for estate_id, code, received_at in received:
            if any(
                received_at - recurrence <= closed < received_at
                for closed in closures.get((estate_id, code), ())
            ):
                facts[estate_id].recurrences += 1

    company_ids = {e.property_company_id for e in estates if e.property_company_id}
    points: dict[int, int] = {}
    for company_chunk in _chunks(sorted(company_ids)):
        rows = (
            DemeritProposal.objects.filter(
                company_id__in=company_chunk,
                status=ProposalStatus.CONFIRMED,
                answered_at__lt=end,
                counts_from__lte=end,
                counts_until__gt=end,
            )
            .values("company_id")
            .annotate(p=Sum("company_points"))
            .order_by()
        )
        points.update({row["company_id"]: int(row["p"] or 0) for row in rows})
    for estate in estates:
        if estate.property_company_id:
            facts[estate.pk].demerits = points.get(estate.property_company_id, 0)
    return facts


def _result(estate: Estate, month: dt.date, facts: _Facts, scheme: GradeScheme) -> GradeResult:
    def scored(code: str, raw: float | None, detail: dict[str, Any] | None = None) -> InputResult:
        spec = INPUT_BY_CODE[code]
        weight = float(getattr(scheme, spec.weight_field))
        reference = float(getattr(scheme, spec.reference_field)) if spec.reference_field else 1.0
        normalised = 0.0 if raw is None else min(raw / reference, 1.0) if reference > 0 else 1.0
        return InputResult(
            code=code,
            raw=raw,
            normalised=round(normalised, 4),
            weight=weight,
            reference=reference if spec.reference_field else None,
            points=float(_dec(weight * normalised)),
            detail=detail or {},
        )

    residents: Decimal | None = None
    estimated = False
    if estate.residents:
        residents = Decimal(estate.residents)
    elif estate.households:
        residents, estimated = Decimal(estate.households) * PERSONS_PER_HOUSEHOLD, True
    counted = max(residents, Decimal(scheme.min_residents)) if residents is not None else None
    rate = float(_dec(Decimal(facts.complaints) * 10000 / counted)) if counted else None
    inputs = [
        scored(
            "complaints",
            rate,
            {
                "complaints": facts.complaints,
                "residents": int(residents) if residents is not None else None,
                "residents_estimated": estimated,
                "residents_counted": int(counted) if counted else None,
            },
        ),
        scored("open", float(facts.open)),
        scored("recurrence", float(facts.recurrences)),
        scored("repeat", float(facts.repeats)),
        scored("demerit", float(facts.demerits), {"company_id": estate.property_company_id}),
        scored("pilot", 1.0 if estate.is_pilot else 0.0),
    ]
    score = _dec(sum(Decimal(str(i.points)) for i in inputs))
    return GradeResult(
        estate_id=estate.pk,
        month=month,
        score=score,
        grade=grade_for_score(score, scheme),
        scheme=scheme,
        inputs=inputs,
    )


def grades_compute(
    *, estates: Sequence[Estate], month: dt.date, scheme: GradeScheme
) -> dict[int, GradeResult]:
    """The grade of each estate for `month` (its first day), without writing anything."""
    month = month_start(month)
    facts = _facts(estates, month)
    return {e.pk: _result(e, month, facts[e.pk], scheme) for e in estates}


def estate_grade_compute(*, estate: Estate, as_of: dt.date, scheme: GradeScheme) -> GradeResult:
    """One estate's grade as of the month of `as_of` (nothing written)."""
    return grades_compute(estates=[estate], month=as_of, scheme=scheme)[estate.pk]


# ---------------------------------------------------------------------------------------------
# Writing grades


def estate_grades_recompute(
    *,
    district: District | None = None,
    month: dt.date,
    actor: Any = None,
    at: dt.datetime | None = None,
) -> dict[str, int]:
    """Compute every estate's grade for `month` (one district or all) and store it: a new row
    per estate, or the existing row updated when its result changed; an unchanged result
    writes nothing. Then the estates' current grades are brought up to date."""
    month = month_start(month)
    moment = at or timezone.now()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    districts = [district] if district is not None else list(District.objects.all())
    for d in districts:
        estates = list(
            Estate.objects.filter(district=d).only(
                "pk", "residents", "households", "is_pilot", "property_company_id", "is_demo"
            )
        )
        if not estates:
            continue
        scheme = grade_scheme_for(district=d, month=month)
        results = grades_compute(estates=estates, month=month, scheme=scheme)
        demo = {e.pk: e.is_demo for e in estates}
        with transaction.atomic():
            existing = {
                g.estate_id: g
                for g in EstateGrade.objects.select_for_update().filter(
                    estate__district=d, month=month, source=GradeSource.COMPUTED
                )
            }
            new, changed = [], []
            for estate_id, result in results.items():
                inputs = result.inputs_json()
                row = existing.get(estate_id)
                if row is None:
                    new.append(
                        EstateGrade(
                            estate_id=estate_id,
                            month=month,
                            source=GradeSource.COMPUTED,
                            grade=result.grade,
                            score=result.score,
                            inputs=inputs,
                            scheme=scheme,
                            computed_at=moment,
                            actor=actor,
                            is_demo=demo[estate_id],
                        )
                    )
                elif (
                    row.grade != result.grade
                    or row.score != result.score
                    or row.scheme_id != scheme.pk
                    or row.inputs != inputs
                ):
                    row.grade, row.score, row.inputs = result.grade, result.score, inputs
                    row.scheme, row.computed_at, row.actor = scheme, moment, actor
                    changed.append(row)
                else:
                    counts["unchanged"] += 1
            EstateGrade.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
            EstateGrade.objects.bulk_update(
                changed,
                ["grade", "score", "inputs", "scheme", "computed_at", "actor"],
                batch_size=500,
            )
            counts["created"] += len(new)
            counts["updated"] += len(changed)
            estate_risk_grades_refresh(district=d, at=moment)
    return counts


def _effective_grades(district: District, month: dt.date) -> dict[int, str]:
    """Each estate's grade in `month`: the override holding then, else the latest computed."""
    latest = (
        EstateGrade.objects.filter(
            estate=OuterRef("pk"), source=GradeSource.COMPUTED, month__lte=month
        )
        .order_by("-month")
        .values("grade")[:1]
    )
    holding = (
        EstateGrade.objects.filter(
            estate=OuterRef("pk"),
            source=GradeSource.OVERRIDE,
            lifted_at__isnull=True,
            month__lte=month,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=month))
        .order_by("-computed_at", "-pk")
        .values("grade")[:1]
    )
    rows = (
        Estate.objects.filter(district=district)
        .annotate(computed=Subquery(latest), override=Subquery(holding))
        .values_list("pk", "computed", "override")
    )
    return {pk: (override or computed or RiskGrade.UNRATED) for pk, computed, override in rows}


def estate_risk_grades_refresh(*, district: District, at: dt.datetime | None = None) -> int:
    """Set `Estate.risk_grade` to each estate's effective grade in the current month; returns
    how many estates changed."""
    month = current_month(at)
    target = _effective_grades(district, month)
    current = dict(Estate.objects.filter(district=district).values_list("pk", "risk_grade"))
    by_grade: dict[str, list[int]] = defaultdict(list)
    for pk, grade in target.items():
        if current.get(pk) != grade:
            by_grade[grade].append(pk)
    for grade, pks in by_grade.items():
        for chunk in _chunks(pks):
            Estate.objects.filter(pk__in=chunk).update(risk_grade=grade)
    return sum(len(p) for p in by_grade.values())


def estate_grade_override(
    *,
    estate: Estate,
    grade: str,
    reason: str,
    actor: Any,
    valid_until: dt.date | None = None,
    at: dt.datetime | None = None,
    is_demo: bool = False,
) -> EstateGrade:
    """Set the estate's grade by hand, with a reason. It holds from this month until lifted,
    replaced or past `valid_until`'s month; an earlier override still holding is replaced."""
    if not may_override(actor):
        raise PermissionDenied(_("Only dispatchers and bureau leaders override a grade."))
    if not Estate.objects.restrict(actor).filter(pk=estate.pk).exists():
        raise PermissionDenied(_("This estate is outside your jurisdiction."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the override.")})
    if grade not in GRADED:
        raise ValidationError({"grade": _("Choose key, general or good.")})
    moment = at or timezone.now()
    month = current_month(moment)
    if valid_until is not None:
        valid_until = month_start(valid_until)
        if valid_until < month:
            raise ValidationError({"valid_until": _("The last month cannot be before this one.")})
    with transaction.atomic():
        locked = Estate.objects.select_for_update().get(pk=estate.pk)
        previous = locked.risk_grade
        for old in EstateGrade.objects.select_for_update().filter(
            estate=locked, source=GradeSource.OVERRIDE, lifted_at__isnull=True
        ):
            old.lifted_at, old.lifted_by = moment, actor
            old.lift_reason = str(_("Replaced by a newer override."))
            old.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
            event_record(
                record=old,
                actor=actor,
                action="lifted",
                from_state=old.grade,
                reason=old.lift_reason,
                at=moment,
            )
        override = EstateGrade.objects.create(
            estate=locked,
            month=month,
            source=GradeSource.OVERRIDE,
            grade=grade,
            computed_at=moment,
            actor=actor,
            reason=reason,
            valid_until=valid_until,
            is_demo=is_demo,
        )
        event_record(
            record=override,
            actor=actor,
            action="override",
            from_state=previous,
            to_state=grade,
            reason=reason,
            data={"valid_until": valid_until.isoformat() if valid_until else None},
            at=moment,
        )
        estate_risk_grades_refresh(district=locked.district, at=moment)
    estate.refresh_from_db(fields=["risk_grade"])
    return override


def estate_grade_override_lift(
    *, override: EstateGrade, actor: Any, reason: str, at: dt.datetime | None = None
) -> EstateGrade:
    """End an override: the estate's computed grade applies again."""
    if not may_override(actor):
        raise PermissionDenied(_("Only dispatchers and bureau leaders override a grade."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": _("Give the reason for lifting the override.")})
    moment = at or timezone.now()
    with transaction.atomic():
        locked = EstateGrade.objects.select_for_update().get(pk=override.pk)
        if not locked.is_override or locked.lifted_at is not None:
            raise ValidationError(_("This override is no longer in force."))
        locked.lifted_at, locked.lifted_by, locked.lift_reason = moment, actor, reason
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        event_record(
            record=locked,
            actor=actor,
            action="lifted",
            from_state=locked.grade,
            reason=reason,
            at=moment,
        )
        estate_risk_grades_refresh(district=locked.estate.district, at=moment)
    return locked


def estate_grades_sweep(*, at: dt.datetime | None = None) -> int:
    """For the periodic sweep: compute the current month's grades of every district where
    some estate has none yet; returns the number of grades created (0 when all are there)."""
    moment = at or timezone.now()
    month = current_month(moment)
    created = 0
    for district in District.objects.all():
        estates = Estate.objects.filter(district=district).count()
        if not estates:
            continue
        done = EstateGrade.objects.filter(
            estate__district=district, month=month, source=GradeSource.COMPUTED
        ).count()
        if done < estates:
            created += estate_grades_recompute(district=district, month=month, at=moment)["created"]
        else:
            estate_risk_grades_refresh(district=district, at=moment)
    return created
