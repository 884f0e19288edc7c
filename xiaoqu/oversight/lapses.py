"""Finding inaction (不作为), slow action (慢作为) and wrong action (乱作为) in the event log.

Every deadline that passed is marked by the sweep with an `overdue` event on its record
(data: the deadline). For each such event:

- the party responsible for the step: the department a referral or an assistance request was
  sent to (its liaisons); the command centre (dispatchers, leaders) for a lead waiting to be
  dispatched; the enforcement side (officers, subdistrict managers) for anything else;
- the step started with the last event before the deadline recorded by anyone else (the
  dispatch, the sending, the filing…), or with the record's first event;
- inaction: nothing recorded by the responsible party between the start of the step and the
  deadline, whatever happened afterwards;
- slow action: the responsible party recorded something in time (a visit, a receipt
  confirmed, evidence added) but the step was finished only after the deadline, or not yet;
  a reply to the reporter, being a single act, is slow when given late and inaction when not
  given at all.

Wrong action: a lead reopened after its closure (rework), a case reopened, a decision returned
on legal review, a referral returned by the department as not its own. (Complaints about
enforcement conduct are not recorded on the platform yet.)

Attribution: the subdistrict of the matter; the department that had to act (the enforcement
team of a lead, a complaint or a case; the department a referral or a request was sent to).

`lapses_refresh` rebuilds the table for a window of time; it is idempotent and the sweep runs
it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.models import Event
from xiaoqu.cases.models import Case
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.models import DeadlineRule
from xiaoqu.referrals.models import AssistanceRequest, Referral

from .choices import ItemKind, LapseKind, LapseReason
from .models import Lapse

SYSTEM_ACTIONS = frozenset({"overdue", "urged"})
COMMAND = frozenset({Role.DISPATCHER, Role.LEADER, Role.ADMIN})
ENFORCEMENT = frozenset({Role.OFFICER, Role.SUBDISTRICT_MANAGER, Role.LEGAL})
WINDOW_DAYS = 400
CHUNK = 500

ITEM_MODELS: dict[str, type[models.Model]] = {
    ItemKind.LEAD: Lead,
    ItemKind.COMPLAINT: Complaint,
    ItemKind.REFERRAL: Referral,
    ItemKind.ASSISTANCE: AssistanceRequest,
    ItemKind.CASE: Case,
}
DETAIL_URLS: dict[str, str] = {
    ItemKind.LEAD: "intake:lead_detail",
    ItemKind.COMPLAINT: "intake:complaint_detail",
    ItemKind.REFERRAL: "referrals:referral_detail",
    ItemKind.ASSISTANCE: "referrals:assistance_detail",
    ItemKind.CASE: "cases:case_detail",
}
# (item kind, action) → reason, for wrong action.
WRONG_ACTIONS: dict[tuple[str, str], str] = {
    (ItemKind.LEAD, "reopen"): LapseReason.LEAD_REOPENED,
    (ItemKind.CASE, "reopen"): LapseReason.CASE_REOPENED,
    (ItemKind.CASE, "return_review"): LapseReason.REVIEW_RETURNED,
    (ItemKind.REFERRAL, "return"): LapseReason.REFERRAL_RETURNED,
}
RELATED: dict[str, tuple[str, ...]] = {
    ItemKind.LEAD: ("subdistrict", "team", "estate"),
    ItemKind.COMPLAINT: ("subdistrict", "lead", "estate"),
    ItemKind.REFERRAL: ("lead",),
    ItemKind.ASSISTANCE: ("lead",),
    ItemKind.CASE: ("lead",),
}
FIELDS = (
    "kind",
    "reason",
    "item_kind",
    "number",
    "link",
    "district_id",
    "subdistrict_id",
    "department_id",
    "estate_id",
    "occurred_at",
    "step_started_at",
    "finished_at",
    "late_days",
    "detail",
)


@dataclass
class _Ev:
    id: int
    seq: int
    at: dt.datetime
    actor_id: int | None
    action: str
    from_state: str
    to_state: str
    data: dict[str, Any]
    reason: str

    @property
    def by_someone(self) -> bool:
        return self.actor_id is not None and self.action not in SYSTEM_ACTIONS

    @property
    def changes_state(self) -> bool:
        return self.action not in SYSTEM_ACTIONS and self.from_state != self.to_state


def _attribution(kind: str, record: Any) -> tuple[int, int | None, int | None, int | None]:
    """(district, subdistrict, department, estate) of a record."""
    if kind == ItemKind.LEAD:
        return record.district_id, record.subdistrict_id, record.team_id, record.estate_id
    if kind == ItemKind.COMPLAINT:
        team = record.lead.team_id if record.lead_id else None
        return record.district_id, record.subdistrict_id, team, record.estate_id
    lead = record.lead
    if kind == ItemKind.CASE:
        return record.district_id, record.subdistrict_id, lead.team_id, record.estate_id
    return lead.district_id, lead.subdistrict_id, record.department_id, lead.estate_id


def _days(delta: dt.timedelta) -> Decimal:
    return Decimal(delta.total_seconds() / 86400).quantize(Decimal("0.1"))


def _is_responsible(
    kind: str, record: Any, state: str, actor: tuple[str, int | None] | None
) -> bool:
    if actor is None:
        return False
    role, department_id = actor
    if kind in (ItemKind.REFERRAL, ItemKind.ASSISTANCE):
        return department_id == record.department_id
    if kind == ItemKind.LEAD and state == LeadStatus.PENDING_DISPATCH:
        return role in COMMAND
    return role in ENFORCEMENT


def _deadline_lapse(
    kind: str,
    record: Any,
    mark: _Ev,
    history: list[_Ev],
    actors: dict[int | None, tuple[str, int | None]],
    rules: dict[str, str],
) -> dict[str, Any] | None:
    rule = str(mark.data.get("rule", ""))
    raw_due = mark.data.get("due_at")
    due = parse_datetime(raw_due) if isinstance(raw_due, str) else None
    due = due or mark.at
    before = [e for e in history if e.seq < mark.seq]
    after = [e for e in history if e.seq > mark.seq]
    if kind == ItemKind.COMPLAINT:
        started = record.received_at
        finished = record.replied_at
        if finished is not None:
            lapse_kind, reason = LapseKind.SLOW, LapseReason.REPLY_LATE
        else:
            lapse_kind, reason = LapseKind.INACTION, LapseReason.NO_ACTION
    else:

        def responsible(e: _Ev) -> bool:
            return e.by_someone and _is_responsible(
                kind, record, mark.from_state, actors.get(e.actor_id)
            )

        others = [e for e in before if e.by_someone and not responsible(e)]
        start_seq = others[-1].seq if others else (before[0].seq if before else 0)
        started = next((e.at for e in before if e.seq == start_seq), None)
        acted = any(responsible(e) and e.seq > start_seq and e.at <= due for e in before)
        done = next((e for e in after if e.changes_state), None)
        finished = done.at if done else None
        if not acted:
            lapse_kind, reason = LapseKind.INACTION, LapseReason.NO_ACTION
        else:
            lapse_kind = LapseKind.SLOW
            reason = LapseReason.FINISHED_LATE if finished else LapseReason.NOT_FINISHED
    late = _days(finished - due) if finished is not None and finished > due else None
    return {
        "kind": lapse_kind,
        "reason": reason,
        "occurred_at": due,
        "step_started_at": started,
        "finished_at": finished,
        "late_days": late,
        "detail": rules.get(rule, rule)[:300],
    }


def _wrong_lapse(kind: str, record: Any, event: _Ev) -> dict[str, Any] | None:
    reason = WRONG_ACTIONS.get((kind, event.action))
    if reason is None:
        return None
    return {
        "kind": LapseKind.WRONG,
        "reason": reason,
        "occurred_at": event.at,
        "step_started_at": None,
        "finished_at": None,
        "late_days": None,
        "detail": event.reason[:300],
    }


def _events(ct: ContentType, ids: list[int]) -> dict[int, list[_Ev]]:
    out: dict[int, list[_Ev]] = defaultdict(list)
    for i in range(0, len(ids), CHUNK):
        rows = (
            Event.objects.filter(record_type=ct, record_id__in=ids[i : i + CHUNK])
            .order_by("record_id", "seq")
            .values_list(
                "id",
                "record_id",
                "seq",
                "occurred_at",
                "actor_id",
                "action",
                "from_state",
                "to_state",
                "data",
                "reason",
            )
        )
        for eid, rid, seq, at, actor, action, fs, ts, data, reason in rows:
            out[rid].append(_Ev(eid, seq, at, actor, action, fs, ts, data or {}, reason))
    return out


def lapses_compute(
    *, district_id: int, since: dt.datetime, until: dt.datetime
) -> dict[int, dict[str, Any]]:
    """The lapses of a district whose event falls in [since, until), keyed by event id."""
    found: dict[int, dict[str, Any]] = {}
    # what had to be done by the deadline, in the rule's words
    rules = dict(DeadlineRule.objects.order_by("pk").values_list("code", "description"))
    for kind, model in ITEM_MODELS.items():
        ct = ContentType.objects.get_for_model(model)
        actions = ["overdue"] + [a for (k, a) in WRONG_ACTIONS if k == kind]
        marks = list(
            Event.objects.filter(
                record_type=ct,
                action__in=actions,
                occurred_at__gte=since,
                occurred_at__lt=until,
            ).values_list("record_id", flat=True)
        )
        ids = sorted(set(marks))
        if not ids:
            continue
        records: dict[int, Any] = {}
        for i in range(0, len(ids), CHUNK):
            qs = model._default_manager.filter(pk__in=ids[i : i + CHUNK]).select_related(
                *RELATED[kind]
            )
            records.update({r.pk: r for r in qs})
        histories = _events(ct, ids)
        actor_ids = {e.actor_id for h in histories.values() for e in h if e.actor_id}
        actors: dict[int | None, tuple[str, int | None]] = {
            pk: (role, dep)
            for pk, role, dep in User.objects.filter(pk__in=actor_ids).values_list(
                "pk", "role", "department_id"
            )
        }
        for rid, history in histories.items():
            record = records.get(rid)
            if record is None:
                continue
            district, subdistrict, department, estate = _attribution(kind, record)
            if district != district_id:
                continue
            for event in history:
                if not (since <= event.at < until):
                    continue
                if event.action == "overdue":
                    row = _deadline_lapse(kind, record, event, history, actors, rules)
                else:
                    row = _wrong_lapse(kind, record, event)
                if row is None:
                    continue
                row.update(
                    item_kind=kind,
                    number=str(record),
                    link=reverse(DETAIL_URLS[kind], args=[rid]),
                    district_id=district,
                    subdistrict_id=subdistrict,
                    department_id=department,
                    estate_id=estate,
                )
                found[event.id] = row
    return found


def lapses_refresh(
    *, district: Any, since: dt.datetime | None = None, at: dt.datetime | None = None
) -> dict[str, int]:
    """Bring the lapse table of a district up to date for the window [since, at]; returns
    how many rows were created, updated and deleted. Idempotent."""
    at = at or timezone.now()
    since = since or at - dt.timedelta(days=WINDOW_DAYS)
    until = at + dt.timedelta(microseconds=1)
    found = lapses_compute(district_id=district.pk, since=since, until=until)
    with transaction.atomic():
        existing = {
            lapse.event_id: lapse
            for lapse in Lapse.objects.filter(
                district=district, event__occurred_at__gte=since, event__occurred_at__lt=until
            )
        }
        stale = [pk for eid, lapse in existing.items() if eid not in found for pk in [lapse.pk]]
        Lapse.objects.filter(pk__in=stale).delete()
        changed: list[Lapse] = []
        new: list[Lapse] = []
        for eid, row in found.items():
            lapse = existing.get(eid)
            if lapse is None:
                new.append(Lapse(event_id=eid, **row))
                continue
            if any(getattr(lapse, f) != row[f] for f in FIELDS):
                for f in FIELDS:
                    setattr(lapse, f, row[f])
                changed.append(lapse)
        Lapse.objects.bulk_create(new, batch_size=500)
        if changed:
            Lapse.objects.bulk_update(changed, [f for f in FIELDS], batch_size=500)
    return {"created": len(new), "updated": len(changed), "deleted": len(stale)}


def lapses_refresh_all(*, at: dt.datetime | None = None) -> dict[str, int]:
    """For the sweep: every district."""
    from xiaoqu.regions.models import District

    total = {"created": 0, "updated": 0, "deleted": 0}
    for district in District.objects.all():
        for key, value in lapses_refresh(district=district, at=at).items():
            total[key] += value
    return total
