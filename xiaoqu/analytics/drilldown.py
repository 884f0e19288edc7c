"""The records behind a figure (drill-down): `analytics:records`.

Query-parameter contract of `reverse("analytics:records") + "?" + urlencode({...})`
(build it with `records_url(...)` below rather than by hand):

    figure        what the number counted (default "complaints"):
                    complaints  complaints received in the period about estates in scope
                    due         deadline items due in the period
                    on_time     items due in the period finished by their deadline
                    late        items due in the period finished after their deadline
                    closed      items due in the period that were closed (finished)
                    reopened    items closed and reopened afterwards (rework, 返工)
                    extended    items due in the period whose deadline was extended
                    overdue     items open past their deadline now (the period is ignored)
                    leads       leads received in the period (not merged repeats) with an
                                estate and a violation type: the base of the recurrence rate
                    recurrence  leads that recur: the same violation type at the same estate
                                within 90 days after a closure (回潮), received in the period
    start, end    ISO dates (YYYY-MM-DD): first day of the first month (inclusive) and first
                  day of the month after the last (exclusive), as `figures.Period`. Default:
                  the last 12 months. `month=YYYY-MM` is a shortcut for one month.
    subdistrict   a subdistrict id        } the scope, as `figures.Scope`; narrowed inside the
    department    a department id         } user's own scope only (`figures.scope_for`): a
    estate        an estate id            } value outside it answers 403
    violation     a violation type code (one of the 13)
    channel       a complaint channel (complaints only)
    fold          "1": repeats folded (complaints only: a repeat of an open matter is not counted)
    kind          for item figures, which kind of item to list: lead (verification/handling),
                  reply (reply to the reporter), referral (referral answer), assistance
                  (assistance answer), case (case decision). Default: the first kind with rows;
                  the page shows every kind with its count as tabs.
    export        "xlsx": the whole filtered list as an Excel workbook
    plus the list's own filters (q, sort, page, per_page).

Every row goes through the jurisdiction filter (`.restrict(user)`) as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.cases.models import Case
from xiaoqu.intake.choices import Outcome
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.referrals.models import AssistanceRequest, Referral

from .definitions import RECURRENCE_DAYS
from .figures import Period, Scope, scope_for

FIGURES: dict[str, Any] = {
    "complaints": _("Complaints"),
    "due": _("Items due"),
    "on_time": _("Finished on time"),
    "late": _("Finished late"),
    "closed": _("Closed"),
    "reopened": _("Reopened (rework)"),
    "extended": _("Extended"),
    "overdue": _("Overdue now"),
    "leads": _("Leads received"),
    "recurrence": _("Recurrences"),
}
ITEM_FIGURES = ("due", "on_time", "late", "closed", "reopened", "extended", "overdue")
ITEM_KINDS: dict[str, Any] = {
    "lead": _("Leads (verification and handling)"),
    "reply": _("Replies to reporters"),
    "referral": _("Referrals"),
    "assistance": _("Assistance requests"),
    "case": _("Cases"),
}


def last_12_months(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    end = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    start_year, start_month = divmod(end.year * 12 + end.month - 1 - 12, 12)
    return Period(dt.date(start_year, start_month + 1, 1), end)


@dataclass(frozen=True)
class Drill:
    figure: str
    scope: Scope
    period: Period
    fold: bool = False
    kind: str = "lead"
    channel: str = ""

    def params(self, **override: Any) -> dict[str, str]:
        return drill_params(
            figure=override.get("figure", self.figure),
            scope=self.scope,
            period=self.period,
            fold=self.fold,
            kind=override.get("kind", self.kind),
            channel=self.channel,
        )


def drill_params(
    *,
    figure: str,
    scope: Scope,
    period: Period | None = None,
    fold: bool = False,
    kind: str | None = None,
    channel: str = "",
) -> dict[str, str]:
    params: dict[str, str] = {"figure": figure}
    if period is not None and figure != "overdue":
        params["start"] = period.start.isoformat()
        params["end"] = period.end.isoformat()
    for key, value in (
        ("subdistrict", scope.subdistrict_id),
        ("department", scope.department_id),
        ("estate", scope.estate_id),
        ("violation", scope.violation_code),
    ):
        if value:
            params[key] = str(value)
    if fold and figure == "complaints":
        params["fold"] = "1"
    if kind and figure in ITEM_FIGURES:
        params["kind"] = kind
    if channel:
        params["channel"] = channel
    return params


def records_url(
    *,
    figure: str,
    scope: Scope,
    period: Period | None = None,
    fold: bool = False,
    kind: str | None = None,
    channel: str = "",
) -> str:
    """The URL of the records behind a figure."""
    params = drill_params(
        figure=figure, scope=scope, period=period, fold=fold, kind=kind, channel=channel
    )
    return reverse("analytics:records") + "?" + urlencode(params)


def _int(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except ValueError as exc:
        raise PermissionDenied from exc


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def period_from(params: Mapping[str, str]) -> Period:
    month = params.get("month", "")
    if len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit():
        year, m = int(month[:4]), int(month[5:])
        if 1 <= m <= 12:
            return Period.month(year, m)
    start, end = _date(params.get("start")), _date(params.get("end"))
    if start and end and start < end:
        return Period(start.replace(day=1), end)
    return last_12_months()


def drill_from(params: Mapping[str, str], user: Any) -> Drill:
    """Read the contract's parameters; the scope is narrowed only inside the user's own
    (PermissionDenied otherwise)."""
    figure = params.get("figure") or "complaints"
    if figure not in FIGURES:
        figure = "complaints"
    narrow: dict[str, Any] = {}
    for key, name in (
        ("subdistrict", "subdistrict_id"),
        ("department", "department_id"),
        ("estate", "estate_id"),
    ):
        value = _int(params.get(key))
        if value is not None:
            narrow[name] = value
    if params.get("violation"):
        narrow["violation_code"] = params["violation"]
    scope = scope_for(user, **narrow)
    kind = params.get("kind") or ""
    return Drill(
        figure=figure,
        scope=scope,
        period=period_from(params),
        fold=params.get("fold") in ("1", "true", "on"),
        kind=kind if kind in ITEM_KINDS else "",
        channel=params.get("channel", ""),
    )


# ---------------------------------------------------------------------------------------------
# The rows


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end, dt.time.min, tzinfo=tz)
    return start, end


def _scoped(qs: QuerySet[Any], scope: Scope, *, prefix: str = "", team: str = "") -> QuerySet[Any]:
    """Filter `qs` by the scope; `prefix` leads from the model to the fields of its lead
    (estate, subdistrict, violation type); `team` is the path to the responsible department."""
    qs = qs.filter(**{f"{prefix}district_id": scope.district_id})
    if scope.subdistrict_id:
        qs = qs.filter(**{f"{prefix}subdistrict_id": scope.subdistrict_id})
    if scope.estate_id:
        qs = qs.filter(**{f"{prefix}estate_id": scope.estate_id})
    if scope.violation_code:
        qs = qs.filter(**{f"{prefix}violation_type__code": scope.violation_code})
    if scope.department_id:
        qs = qs.filter(**{team: scope.department_id}) if team else qs.none()
    return qs


def complaint_rows(drill: Drill, user: Any) -> QuerySet[Complaint]:
    start, end = _bounds(drill.period)
    qs: QuerySet[Complaint] = Complaint.objects.restrict(user).filter(
        received_at__gte=start, received_at__lt=end
    )
    qs = _scoped(qs, drill.scope, team="lead__team_id")
    if drill.fold:
        qs = qs.filter(is_repeat=False)
    if drill.channel:
        qs = qs.filter(channel=drill.channel)
    return qs


def lead_rows(drill: Drill, user: Any) -> QuerySet[Lead]:
    """Leads received in the period, not merged repeats, with an estate and a type."""
    start, end = _bounds(drill.period)
    qs = (
        Lead.objects.restrict(user)
        .filter(
            received_at__gte=start,
            received_at__lt=end,
            estate__isnull=False,
            violation_type__isnull=False,
        )
        .exclude(outcome=Outcome.REPEAT)
    )
    return _scoped(qs, drill.scope, team="team_id")


def recurrence_rows(drill: Drill, user: Any) -> QuerySet[Lead]:
    """Leads received in the period whose estate had a lead of the same type closed in the 90
    days before (回潮)."""
    earlier = Lead.objects.filter(
        estate_id=OuterRef("estate_id"),
        violation_type_id=OuterRef("violation_type_id"),
        closed_at__lt=OuterRef("received_at"),
        closed_at__gte=OuterRef("received_at") - dt.timedelta(days=RECURRENCE_DAYS),
    ).exclude(outcome=Outcome.REPEAT)
    return lead_rows(drill, user).filter(Exists(earlier))


ITEM_MODELS: dict[str, type[Any]] = {
    "lead": Lead,
    "reply": Complaint,
    "referral": Referral,
    "assistance": AssistanceRequest,
    "case": Case,
}
ITEM_FLAGS = {
    "on_time": "on_time",
    "late": "late",
    "closed": "closed",
    "reopened": "reopened",
    "extended": "extended",
    "overdue": "open_overdue",
}


def deadline_items(drill: Drill) -> QuerySet[Any]:
    """The deadline items (`models.DeadlineItem`, one row per item with its outcome, the table
    the figures are grouped from) behind an item figure, of every kind."""
    from .models import DeadlineItem

    qs = DeadlineItem.objects.filter(district_id=drill.scope.district_id)
    scope = drill.scope
    if scope.subdistrict_id:
        qs = qs.filter(subdistrict_id=scope.subdistrict_id)
    if scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    if scope.estate_id:
        qs = qs.filter(estate_id=scope.estate_id)
    if scope.violation_code:
        qs = qs.filter(violation_code=scope.violation_code)
    if drill.figure != "overdue":
        qs = qs.filter(month__gte=drill.period.start, month__lt=drill.period.end)
    flag = ITEM_FLAGS.get(drill.figure)
    if flag:
        qs = qs.filter(**{flag: True})
    return qs


def item_rows(drill: Drill, user: Any, kind: str) -> QuerySet[Any]:
    """The records of one kind behind an item figure, through the jurisdiction filter."""
    ids = deadline_items(drill).filter(kind=kind).values("record_id")
    return ITEM_MODELS[kind].objects.restrict(user).filter(pk__in=ids)


def item_counts(drill: Drill, user: Any) -> dict[str, int]:
    return {kind: item_rows(drill, user, kind).count() for kind in ITEM_KINDS}


def rows(drill: Drill, user: Any) -> tuple[str, QuerySet[Any]]:
    """(kind of record listed, rows) for the drill-down."""
    if drill.figure == "complaints":
        return "complaint", complaint_rows(drill, user)
    if drill.figure == "leads":
        return "lead", lead_rows(drill, user)
    if drill.figure == "recurrence":
        return "lead", recurrence_rows(drill, user)
    kind = drill.kind or "lead"
    return kind, item_rows(drill, user, kind)
