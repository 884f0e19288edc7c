"""The agenda drafted from the data (`meeting_agenda_draft` writes it).

In this order: (1) the action items of earlier meetings not finished yet, overdue first;
(2) referrals and assistance requests the sweep marked overdue, one item per department;
(3) referrals returned by a department (competence disputed), with the department's reason
from the referral's events; (4) chronic matters: estates × violation types with many
complaints (and repeats) in the last 90 days, and recurrences (回潮); (5) the figures since
the previous meeting held (or the last 30 days). Everything is read as of `at`, so that an
agenda can be drafted for a meeting in the past (the demo) from what was known then."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xiaoqu.analytics import figures
from xiaoqu.analytics.definitions import PER
from xiaoqu.analytics.drilldown import drill_params
from xiaoqu.analytics.models import DeadlineItem, RecurrenceCount
from xiaoqu.audit.models import Event
from xiaoqu.estates.models import Estate
from xiaoqu.intake.models import Complaint
from xiaoqu.law.models import ViolationType
from xiaoqu.referrals.choices import AssistanceStatus, ReferralStatus
from xiaoqu.referrals.models import AssistanceRequest, Referral

from .choices import ActionItemStatus, AgendaSource, MeetingStatus
from .models import ActionItem, Meeting

CHRONIC_DAYS = 90
CHRONIC_MIN_COMPLAINTS = 3  # as `Lead.chronic_since`: three or more complaints within 90 days
CHRONIC_LIMIT = 8
RETURNED_LIMIT = 12
FIGURES_DAYS = 30


@dataclass
class Draft:
    source: str
    title: str
    detail: str = ""
    refs: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    action_item_id: int | None = None


def _local(moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _period(since: dt.datetime, until: dt.datetime) -> figures.Period:
    start = _month_start(timezone.localtime(since).date())
    end = _next_month(timezone.localtime(until).date())
    return figures.Period(start, end)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The district's last meeting held before this one."""
    return (
        Meeting.objects.filter(
            district_id=meeting.district_id,
            status__in=(MeetingStatus.HELD, MeetingStatus.CLOSED),
            scheduled_at__lt=meeting.scheduled_at,
        )
        .exclude(pk=meeting.pk)
        .order_by("-scheduled_at", "-pk")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# (1) action items not finished


def unfinished_action_items(meeting: Meeting, at: dt.datetime) -> list[ActionItem]:
    """Items of earlier meetings not finished as of `at`: open, reopened or reported done but
    not accepted yet (as of `at`: an item reported done later was still open then)."""
    still = Q(
        status__in=(ActionItemStatus.OPEN, ActionItemStatus.REOPENED, ActionItemStatus.DONE)
    ) | Q(done_at__gt=at)
    items = (
        ActionItem.objects.filter(district_id=meeting.district_id, created_at__lt=at)
        .filter(meeting__scheduled_at__lt=meeting.scheduled_at)
        .exclude(meeting=meeting)
        .exclude(status=ActionItemStatus.CANCELLED)
        .filter(still)
        .select_related("meeting", "department", "subdistrict")
    )

    def late(item: ActionItem) -> bool:
        return item.deadline < timezone.localtime(at).date()

    return sorted(items, key=lambda i: (not late(i), i.deadline, i.pk))


def _action_item_drafts(meeting: Meeting, at: dt.datetime) -> list[Draft]:
    drafts = []
    today = timezone.localtime(at).date()
    for item in unfinished_action_items(meeting, at):
        done_then = item.done_at is not None and item.done_at <= at
        if done_then and item.status == ActionItemStatus.DONE:
            state = _("reported done %(date)s, to be accepted") % {
                "date": timezone.localtime(item.done_at).strftime("%Y-%m-%d")
            }
        elif item.deadline < today:
            state = _("overdue by %(days)d days") % {"days": (today - item.deadline).days}
        else:
            state = _("open")
        description = item.description.strip().splitlines()[0] if item.description else ""
        drafts.append(
            Draft(
                source=AgendaSource.ACTION_ITEM,
                title=_("Action item %(number)s (%(unit)s, due %(deadline)s): %(text)s")
                % {
                    "number": item.number,
                    "unit": item.owner,
                    "deadline": item.deadline.isoformat(),
                    "text": description[:120],
                },
                detail=_("Decided at %(meeting)s; %(state)s.")
                % {"meeting": item.meeting.title, "state": state},
                refs=[
                    {"kind": "action_item", "pk": item.pk, "label": item.number},
                    {"kind": "meeting", "pk": item.meeting_id, "label": item.meeting.title},
                ],
                data={"deadline": item.deadline.isoformat(), "status": item.status},
                action_item_id=item.pk,
            )
        )
    return drafts


# ---------------------------------------------------------------------------------------------
# (2) overdue referrals and assistance requests


def _counted(row: dict[str, Any]) -> str:
    parts = []
    if row["referrals"]:
        n = len(row["referrals"])
        parts.append(ngettext("%(n)d referral", "%(n)d referrals", n) % {"n": n})
    if row["assistance"]:
        n = len(row["assistance"])
        parts.append(
            ngettext("%(n)d assistance request", "%(n)d assistance requests", n) % {"n": n}
        )
    return "、".join(parts)


def _overdue_drafts(meeting: Meeting, at: dt.datetime) -> list[Draft]:
    referrals = (
        Referral.objects.filter(lead__district_id=meeting.district_id, overdue_at__lte=at)
        .filter(
            Q(status__in=(ReferralStatus.SENT, ReferralStatus.RECEIVED))
            | Q(answered_at__gt=at)
            | Q(returned_at__gt=at)
        )
        .select_related("department")
        .order_by("due_at", "pk")
    )
    assistance = (
        AssistanceRequest.objects.filter(lead__district_id=meeting.district_id, overdue_at__lte=at)
        .filter(
            Q(status__in=(AssistanceStatus.SENT, AssistanceStatus.RECEIVED)) | Q(answered_at__gt=at)
        )
        .select_related("department")
        .order_by("due_at", "pk")
    )
    by_department: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"referrals": [], "assistance": [], "department": None}
    )
    for referral in referrals:
        row = by_department[referral.department_id]
        row["department"] = referral.department
        row["referrals"].append(referral)
    for request in assistance:
        row = by_department[request.department_id]
        row["department"] = request.department
        row["assistance"].append(request)
    rows = sorted(
        by_department.values(),
        key=lambda r: (-(len(r["referrals"]) + len(r["assistance"])), r["department"].name),
    )
    drafts = []
    for row in rows:
        records = [*row["referrals"], *row["assistance"]]
        oldest = min(r.due_at for r in records if r.due_at is not None)
        refs = [{"kind": "referral", "pk": r.pk, "label": r.number} for r in row["referrals"]]
        refs += [{"kind": "assistance", "pk": r.pk, "label": r.number} for r in row["assistance"]]
        drafts.append(
            Draft(
                source=AgendaSource.OVERDUE,
                title=_("%(department)s: %(items)s overdue")
                % {"department": row["department"].name, "items": _counted(row)},
                detail=_("Oldest deadline %(due)s; %(numbers)s.")
                % {"due": _local(oldest), "numbers": "、".join(r.number for r in records)},
                refs=refs,
                data={
                    "department": row["department"].pk,
                    "referrals": len(row["referrals"]),
                    "assistance": len(row["assistance"]),
                },
            )
        )
    return drafts


# ---------------------------------------------------------------------------------------------
# (3) returned referrals


def _return_reasons(referrals: list[Referral], at: dt.datetime) -> dict[int, str]:
    """The department's reason from each referral's latest "return" event up to `at`."""
    if not referrals:
        return {}
    record_type = ContentType.objects.get_for_model(Referral)
    reasons: dict[int, str] = {}
    for record_id, reason in (
        Event.objects.filter(
            record_type=record_type,
            record_id__in=[r.pk for r in referrals],
            action="return",
            occurred_at__lte=at,
        )
        .order_by("record_id", "seq")
        .values_list("record_id", "reason")
    ):
        reasons[int(record_id)] = reason  # the latest wins
    return reasons


def _returned_drafts(meeting: Meeting, at: dt.datetime, since: dt.datetime) -> list[Draft]:
    """Referrals still returned (awaiting the bureau's decision) and those returned since the
    previous meeting."""
    referrals = list(
        Referral.objects.filter(
            lead__district_id=meeting.district_id, returned_at__isnull=False, returned_at__lte=at
        )
        .filter(Q(status=ReferralStatus.RETURNED) | Q(returned_at__gte=since))
        .select_related("department", "lead", "lead__estate")
        .order_by("returned_at", "pk")[:RETURNED_LIMIT]
    )
    reasons = _return_reasons(referrals, at)
    drafts = []
    for referral in referrals:
        reason = reasons.get(referral.pk) or referral.return_reason or _("no reason recorded")
        lead = referral.lead
        refs: list[dict[str, Any]] = [
            {"kind": "referral", "pk": referral.pk, "label": referral.number},
            {"kind": "lead", "pk": lead.pk, "label": lead.number},
        ]
        if lead.estate_id:
            refs.append({"kind": "estate", "pk": lead.estate_id, "label": lead.estate.name})
        drafts.append(
            Draft(
                source=AgendaSource.RETURNED,
                title=_("Referral %(number)s returned by %(department)s: who is competent?")
                % {"number": referral.number, "department": referral.department.name},
                detail=_("Returned %(when)s. The department's reason: %(reason)s")
                % {"when": _local(referral.returned_at), "reason": reason},
                refs=refs,
                data={"referral": referral.pk, "department": referral.department_id},
            )
        )
    return drafts


# ---------------------------------------------------------------------------------------------
# (4) chronic matters


def _chronic_drafts(meeting: Meeting, at: dt.datetime) -> list[Draft]:
    since = at - dt.timedelta(days=CHRONIC_DAYS)
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for estate_id, type_id, n, repeats in (
        Complaint.objects.filter(
            district_id=meeting.district_id,
            received_at__gte=since,
            received_at__lt=at,
            estate__isnull=False,
            violation_type__isnull=False,
        )
        .order_by()
        .values_list("estate_id", "violation_type_id")
        .annotate(n=Count("pk"), repeats=Count("pk", filter=Q(is_repeat=True)))
    ):
        if n >= CHRONIC_MIN_COMPLAINTS:
            counts[(estate_id, type_id)] = {"complaints": n, "repeats": repeats, "recurrences": 0}
    # recurrences (回潮) from the aggregate table, months of the window
    codes = dict(ViolationType.objects.values_list("code", "pk"))
    window = _period(since, at)
    for estate_id, code, recurrences in (
        RecurrenceCount.objects.filter(
            district_id=meeting.district_id,
            month__gte=window.start,
            month__lt=window.end,
            recurrences__gt=0,
        )
        .order_by()
        .values_list("estate_id", "violation_code")
        .annotate(r=Sum("recurrences"))
    ):
        type_id = codes.get(code)
        if type_id is None:
            continue
        row = counts.setdefault(
            (estate_id, type_id), {"complaints": 0, "repeats": 0, "recurrences": 0}
        )
        row["recurrences"] = int(recurrences or 0)
    if not counts:
        return []
    ranked = sorted(
        counts.items(),
        key=lambda kv: (-(kv[1]["complaints"] + 3 * kv[1]["recurrences"]), kv[0]),
    )[:CHRONIC_LIMIT]
    estates = Estate.objects.in_bulk([k[0] for k, _v in ranked])
    types = ViolationType.objects.in_bulk([k[1] for k, _v in ranked])
    drafts = []
    for (estate_id, type_id), row in ranked:
        estate, vtype = estates.get(estate_id), types.get(type_id)
        if estate is None or vtype is None:
            continue
        scope = figures.Scope(
            district_id=meeting.district_id, estate_id=estate_id, violation_code=vtype.code
        )
        parts = [
            _("%(n)d complaints in %(days)d days") % {"n": row["complaints"], "days": CHRONIC_DAYS},
        ]
        if row["repeats"]:
            parts.append(_("%(n)d of them repeats of an open matter") % {"n": row["repeats"]})
        if row["recurrences"]:
            parts.append(_("%(n)d recurrences after a closure (回潮)") % {"n": row["recurrences"]})
        drafts.append(
            Draft(
                source=AgendaSource.CHRONIC,
                title=_("Chronic matter: %(type)s at %(estate)s")
                % {"type": vtype.name, "estate": estate.name},
                detail="；".join(parts),
                refs=[
                    {"kind": "estate", "pk": estate.pk, "label": estate.name},
                    {
                        "kind": "records",
                        "label": _("the complaints"),
                        "params": drill_params(figure="complaints", scope=scope, period=window),
                    },
                ],
                data={"estate": estate.pk, "violation_type": vtype.code, **row},
            )
        )
    return drafts


# ---------------------------------------------------------------------------------------------
# (5) figures since the last meeting


def _pct(numerator: int, denominator: int) -> str:
    if not denominator:
        return "—"
    return f"{numerator * 100 / denominator:.1f} %"


def figures_since(meeting: Meeting, at: dt.datetime) -> dict[str, Any]:
    """Complaints (raw and repeats), per 10,000 residents, and the deadline items due in the
    period with their outcomes (from the analytics table of deadline items), each with its
    count; the period runs from the previous meeting held (or 30 days back) to `at`."""
    previous = previous_meeting(meeting)
    since = previous.scheduled_at if previous is not None else at - dt.timedelta(days=FIGURES_DAYS)
    if since >= at:
        since = at - dt.timedelta(days=FIGURES_DAYS)
    scope = figures.Scope(district_id=meeting.district_id)
    complaints = Complaint.objects.filter(
        district_id=meeting.district_id, received_at__gte=since, received_at__lt=at
    ).aggregate(n=Count("pk"), repeats=Count("pk", filter=Q(is_repeat=True)))
    residents = figures.residents(scope)
    per_10k = figures.Rate(complaints["n"] or 0, residents, PER)
    items = DeadlineItem.objects.filter(
        district_id=meeting.district_id, due_at__gte=since, due_at__lt=at
    ).aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(on_time=True)),
        late=Count("pk", filter=Q(late=True)),
        closed=Count("pk", filter=Q(closed=True)),
        open_overdue=Count("pk", filter=Q(open_overdue=True)),
    )
    return {
        "since": since.isoformat(),
        "until": at.isoformat(),
        "previous_meeting": previous.pk if previous is not None else None,
        "complaints": int(complaints["n"] or 0),
        "repeats": int(complaints["repeats"] or 0),
        "residents": residents,
        "per_10k": None if per_10k.value is None else round(per_10k.value, 2),
        "due": int(items["due"] or 0),
        "on_time": int(items["on_time"] or 0),
        "late": int(items["late"] or 0),
        "closed": int(items["closed"] or 0),
        "open_overdue": int(items["open_overdue"] or 0),
    }


def _figures_draft(meeting: Meeting, at: dt.datetime) -> Draft:
    f = figures_since(meeting, at)
    since = dt.datetime.fromisoformat(f["since"])
    scope = figures.Scope(district_id=meeting.district_id)
    period = _period(since, at)
    per_10k = "—" if f["per_10k"] is None else f"{f['per_10k']:.2f}"
    lines = [
        _("Complaints: %(n)d (%(repeats)d repeats), %(per10k)s per 10,000 residents (%(res)s)")
        % {
            "n": f["complaints"],
            "repeats": f["repeats"],
            "per10k": per_10k,
            "res": f"{f['residents']:,}",
        },
        _("On time: %(pct)s (%(n)d of %(due)d items due)")
        % {"pct": _pct(f["on_time"], f["due"]), "n": f["on_time"], "due": f["due"]},
        _("Closed: %(pct)s (%(n)d of %(due)d); finished late: %(late)d")
        % {
            "pct": _pct(f["closed"], f["due"]),
            "n": f["closed"],
            "due": f["due"],
            "late": f["late"],
        },
        _("Of these, still open and overdue now: %(n)d") % {"n": f["open_overdue"]},
    ]
    return Draft(
        source=AgendaSource.FIGURES,
        title=_("Figures from %(since)s to %(until)s")
        % {
            "since": timezone.localtime(since).strftime("%Y-%m-%d"),
            "until": timezone.localtime(at).strftime("%Y-%m-%d"),
        },
        detail="\n".join(lines),
        refs=[
            {
                "kind": "records",
                "label": _("complaints of these months"),
                "params": drill_params(figure="complaints", scope=scope, period=period),
            },
            {
                "kind": "records",
                "label": _("items due in these months"),
                "params": drill_params(figure="due", scope=scope, period=period),
            },
            {
                "kind": "records",
                "label": _("overdue now"),
                "params": drill_params(figure="overdue", scope=scope),
            },
            {"kind": "dashboard", "label": _("district dashboard")},
        ],
        data=f,
    )


def agenda_drafts(meeting: Meeting, at: dt.datetime) -> list[Draft]:
    """The drafted agenda, in order of its sources."""
    previous = previous_meeting(meeting)
    since = previous.scheduled_at if previous is not None else at - dt.timedelta(days=FIGURES_DAYS)
    return [
        *_action_item_drafts(meeting, at),
        *_overdue_drafts(meeting, at),
        *_returned_drafts(meeting, at, since),
        *_chronic_drafts(meeting, at),
        _figures_draft(meeting, at),
    ]
