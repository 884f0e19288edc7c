"""The bulk path of the 12345 work-order import: the same outcome as complaint_create and
triage for each new order (complaint, triage record, lead or attachment to an open matter,
automatic dispatch, chronic mark, hash-chained events), written a chunk at a time.

Per chunk (CHUNK orders): one engine run, one number reservation per sequence and year, one
bulk insert per table; events are hashed here exactly as `audit.services.event_record` does
and inserted together, and the records' chain heads are written with one executemany.
Orders already stored (same work order number) are updated when their content, address,
time or reporter changed, with a "work_order_updated" event; they are not triaged again.
Runs inside the import's transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.chain import GENESIS, event_hash
from xiaoqu.audit.models import ChainedRecord, Event, Notification
from xiaoqu.audit.services import _jsonable, actor_label
from xiaoqu.core.numbers import number_format, number_reserve
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.departments.models import Department
from xiaoqu.intake.choices import OPEN_LEAD_STATUSES, Channel, LeadStatus
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.law.choices import DeadlineUnit
from xiaoqu.law.models import DeadlineRule
from xiaoqu.law.workdays import WorkCalendar, deadline_rule_in_force
from xiaoqu.regions.models import District, Subdistrict

from . import services
from .engine import TriageInput

CHUNK = 5000
SQL_IN = 500  # ids per IN (...) look-up (SQLite's variable limit)


@dataclass(frozen=True)
class WorkOrder:
    """One row of the hotline's export, parsed."""

    row: int
    external_no: str
    received_at: dt.datetime
    content: str
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    subdistrict: Subdistrict | None = None


@dataclass(frozen=True)
class Written:
    """What later orders need of a complaint already written (kept small: 100k of them)."""

    pk: int
    number: str
    lead_id: int | None


@dataclass
class BulkOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    outcomes: list[str] = field(default_factory=list)  # created | updated | unchanged


@dataclass(frozen=True)
class _NoGuess:
    """The result when no engine is available: nothing guessed, so everything is queued."""

    id: str
    violation_type: str = ""
    refer_to: str = ""
    confidence: float = 0.0
    type_reason: str = ""
    estate_id: int | None = None
    estate: str = ""
    subdistrict: str = ""
    estate_confidence: float = 0.0
    estate_reason: str = ""
    repeat_of: str | None = None
    repeat_reason: str = ""


class Chain:
    """Events of many records, hashed in memory and inserted at once."""

    def __init__(self, *, actor: Any, at: dt.datetime) -> None:
        self.actor = actor
        self.actor_id = getattr(actor, "pk", None)
        self.label = actor_label(actor)
        self.system_label = actor_label(None)
        self.at = at
        self.events: list[dict[str, Any]] = []
        self.touched: dict[tuple[type, int], ChainedRecord] = {}
        self.types: dict[type, ContentType] = {}
        # The data given here is plain JSON already (text, numbers, lists): it reads back as
        # it is, so the round trip through the encoder that event_record makes is skipped.
        self.jsonable = False

    def _type(self, record: ChainedRecord) -> ContentType:
        model = type(record)
        if model not in self.types:
            self.types[model] = ContentType.objects.get_for_model(model, for_concrete_model=True)
        return self.types[model]

    def add(
        self,
        record: ChainedRecord,
        action: str,
        *,
        from_state: str = "",
        to_state: str = "",
        data: dict[str, Any] | None = None,
        system: bool = False,
    ) -> None:
        """Add an event by the chain's actor, or by the system (`system=True`: what happens
        automatically, as automatic dispatch and the chronic mark, whoever imports)."""
        record_type = self._type(record)
        actor_id, label = (None, self.system_label) if system else (self.actor_id, self.label)
        seq = record.event_count + 1
        prev = record.last_event_hash or GENESIS
        payload = _jsonable(data) if self.jsonable else data
        digest = event_hash(
            record_type=f"{record_type.app_label}.{record_type.model}",
            record_id=record.pk,
            seq=seq,
            occurred_at=self.at,
            actor_id=actor_id,
            actor_label=label,
            action=action,
            from_state=from_state,
            to_state=to_state,
            reason="",
            data=payload,
            prev_hash=prev,
        )
        self.events.append(
            {
                "record_type_id": record_type.pk,
                "record_id": record.pk,
                "seq": seq,
                "occurred_at": self.at,
                "actor_id": actor_id,
                "actor_label": label,
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "reason": "",
                "data": payload,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        record.event_count, record.last_event_hash = seq, digest
        self.touched[(type(record), record.pk)] = record

    def flush(self, extra: dict[type, Sequence[str]] | None = None) -> None:
        """Insert the events and write the chain heads (and `extra` fields per model)."""
        _insert_events(self.events)
        self.events = []
        by_model: dict[type, list[ChainedRecord]] = defaultdict(list)
        for (model, _pk), record in self.touched.items():
            by_model[model].append(record)
        self.touched = {}
        for model, records in by_model.items():
            columns = ["event_count", "last_event_hash", *((extra or {}).get(model, ()))]
            _update_many(model, records, columns)


_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
    models.ForeignKey,
)


def _preparer(f: Any) -> Any:
    """How a field's value is prepared for the database: plain values (text, numbers,
    booleans, foreign key ids) as they are, the others by the field, as bulk_create does."""
    if isinstance(f, _PLAIN) and not isinstance(f, models.JSONField):
        return None
    return lambda value: f.get_db_prep_save(value, connection)


def _insert_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, returning: bool = False
) -> list[int]:
    """Insert rows (dicts by attname) with multi-row INSERTs, returning the new ids in order
    when asked (SQLite ≥ 3.35 and PostgreSQL both answer RETURNING). bulk_create does the
    same, but prepares every value through the field: most of its time on 100k rows."""
    if not rows:
        return []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    prepare = [_preparer(f) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_batch = max(1, min(1000, 30000 // len(fields)))
    ids: list[int] = []
    missing = object()
    plan = [
        (f.attname, prep, f.get_default() if f.has_default() else None, [missing, None])
        for f, prep in zip(fields, prepare, strict=True)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            params: list[Any] = []
            append = params.append
            for row in batch:
                for attname, prep, default, last in plan:
                    value = row.get(attname, default)
                    if prep is not None and value is not None:
                        if value is last[0] or value == last[0]:
                            value = last[1]  # the same time as the row before (events)
                        else:
                            last[0], last[1] = value, prep(value)
                            value = last[1]
                    append(value)
            sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES " + ", ".join(
                [one] * len(batch)
            )
            if returning:
                sql += f" RETURNING {quote(meta.pk.column)}"
            cursor.execute(sql, params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _insert_objects(objs: Sequence[models.Model], *, returning: bool = True) -> None:
    """Insert model instances (whose defaults are set) and give them their ids."""
    if not objs:
        return
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = [{f.attname: getattr(obj, f.attname) for f in fields} for obj in objs]
    ids = _insert_rows(model, rows, returning=returning)
    for obj, pk in zip(objs, ids, strict=False):
        obj.pk = pk
        obj._state.adding = False


def _insert_events(events: Sequence[dict[str, Any]]) -> None:
    _insert_rows(Event, events)


def _update_many(model: type[models.Model], records: Sequence[Any], names: Sequence[str]) -> None:
    meta = model._meta
    fields: list[Any] = [meta.get_field(n) for n in names]
    table = connection.ops.quote_name(meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name(meta.pk.column)} = %s"
    rows = [
        [f.get_db_prep_save(getattr(r, f.attname), connection) for f in fields] + [r.pk]
        for r in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class Deadlines:
    """Deadline rules and the working-day calendar read once per chunk (the same results as
    `reply_rule_for`/`deadline_for` and `lead_deadline`, without their per-record queries)."""

    def __init__(self, since: dt.date) -> None:
        self.calendar = WorkCalendar(since=since)
        self.rules: dict[tuple[str, dt.date], DeadlineRule] = {}
        self.versions: dict[str, list[DeadlineRule]] = defaultdict(list)
        for rule in DeadlineRule.objects.order_by("code", "-effective_from"):
            self.versions[rule.code].append(rule)

    def rule(self, code: str, day: dt.date) -> DeadlineRule:
        """The version in force on `day`, as deadline_rule_in_force finds it."""
        key = (code, day)
        if key not in self.rules:
            found = next(
                (
                    r
                    for r in self.versions.get(code, ())
                    if r.effective_from <= day and (r.effective_to is None or r.effective_to > day)
                ),
                None,
            )
            self.rules[key] = found or deadline_rule_in_force(code, on=day)  # raises if none
        return self.rules[key]

    def reply(self, received: dt.datetime) -> tuple[DeadlineRule, dt.datetime]:
        rule = self.rule("hotline_general", _local_day(received))
        return rule, self.calendar.due(rule, received)

    def lead(self, lead: Lead) -> None:
        """lead_deadline for a lead awaiting dispatch or verification, never on site."""
        start = lead.received_at
        day = _local_day(start)
        vt = lead.violation_type
        if vt is not None:
            for code in vt.deadline_codes or ():
                rule = self.rule(code, day)
                if rule.unit == DeadlineUnit.HOURS:
                    lead.due_at = self.calendar.due(rule, start, ongoing=lead.ongoing)
                    lead.due_rule, lead.due_note = rule, ""
                    return
        rule = self.rule("clue_verification", day)
        lead.due_at, lead.due_rule, lead.due_note = self.calendar.due(rule, start), rule, ""


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


class WorkOrderWriter:
    """Writes parsed work orders; one instance per import run."""

    def __init__(
        self,
        *,
        district: District,
        actor: User | None = None,
        engine: Any = None,
        at: dt.datetime | None = None,
        progress: Callable[[int, int], None] | None = None,
        chunk: int | None = None,
    ) -> None:
        """`actor` is the user importing (None: the system), named by the events of the
        orders; `progress(done, total)` is called after the stored orders are compared and
        after each chunk of new ones is written; `chunk` is the number of new orders written
        at a time (default CHUNK)."""
        self.district = district
        self.actor = actor
        self.progress = progress
        self.chunk = chunk or CHUNK
        self.at = at or timezone.now()
        self.engine = engine
        self.engine_loaded = engine is not None
        self.threshold = services.engine_threshold(engine) if engine is not None else 0.6
        self.outcome = BulkOutcome()
        self.teams: dict[int, Department | None] = {}
        self.open_leads: dict[tuple[int, str], Lead] = {}  # (estate, type code) → open lead
        self.leads: dict[int, Lead] = {}  # every lead touched, by pk
        self.by_input: dict[str, Written] = {}  # engine input id → complaint written
        self.dispatched: dict[int, int] = defaultdict(int)  # subdistrict → leads dispatched
        self.attached_to_stored: dict[int, int] = defaultdict(int)
        self.by_pk: dict[int, Written] = {}  # complaints written by this run
        self.stored_repeats: dict[int, Written] = {}  # stored complaints named as repeated
        self.chronic_marked: list[Lead] = []

    # -- engine --------------------------------------------------------------------------

    def _engine(self) -> Any:
        if not self.engine_loaded:
            self.engine_loaded = True
            try:
                self.engine = services.triage_engine(self.district, train=True)
            except Exception:  # no engine: the orders are imported and queued for triage
                services.logger.exception("triage engine unavailable for the import")
                self.engine = None
            if self.engine is not None:
                self.threshold = services.engine_threshold(self.engine)
        return self.engine

    # -- the whole run -------------------------------------------------------------------

    def write(self, orders: Sequence[WorkOrder]) -> BulkOutcome:
        stored = self._stored({o.external_no for o in orders})
        new: list[WorkOrder] = []
        updates: list[tuple[Complaint, list[str]]] = []
        for order in orders:
            existing = stored.get(order.external_no)
            if existing is None:
                new.append(order)
                self.outcome.outcomes.append("created")
                continue
            changed = self._changes(existing, order)
            if changed:
                updates.append((existing, changed))
                self.outcome.outcomes.append("updated")
            else:
                self.outcome.outcomes.append("unchanged")
        self._write_updates(updates)
        total = len(orders)
        done = total - len(new)
        self._report(done, total)
        # In order of receipt: a chunk spans a few days, so that the engine compares it with
        # few stored complaints, and "earlier" repeats are written before what repeats them.
        new.sort(key=lambda o: (o.received_at, o.row))
        for chunk in _chunks(new, self.chunk):
            self._write_new(chunk)
            done += len(chunk)
            self._report(done, total)
        self._notify()
        self.outcome.created = len(new)
        self.outcome.updated = len(updates)
        self.outcome.unchanged = len(orders) - len(new) - len(updates)
        return self.outcome

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)

    def _stored(self, numbers: set[str]) -> dict[str, Complaint]:
        found: dict[str, Complaint] = {}
        ordered = sorted(numbers)
        for part in _chunks(ordered, SQL_IN):
            for complaint in Complaint.objects.select_for_update().filter(external_no__in=part):
                found[complaint.external_no] = complaint
        return found

    # -- re-imported orders --------------------------------------------------------------

    FIELDS = ("content", "address", "received_at", "reporter_name", "reporter_phone")

    def _changes(self, complaint: Complaint, order: WorkOrder) -> list[str]:
        changed = []
        for name in self.FIELDS:
            value = getattr(order, name)
            if getattr(complaint, name) != value:
                setattr(complaint, name, value)
                changed.append(name)
        return changed

    def _write_updates(self, updates: Sequence[tuple[Complaint, list[str]]]) -> None:
        for part in _chunks(updates, self.chunk):
            chain = Chain(actor=self.actor, at=self.at)
            for complaint, changed in part:
                chain.add(
                    complaint,
                    "work_order_updated",
                    data={"external_no": complaint.external_no, "changed": changed},
                )
            chain.flush({Complaint: self.FIELDS})

    # -- new orders ----------------------------------------------------------------------

    def _write_new(self, orders: Sequence[WorkOrder]) -> None:
        engine = self._engine()
        ids = [f"row:{o.row}" for o in orders]
        if engine is not None:
            items = [
                TriageInput(
                    id=i,
                    text=o.content,
                    address=o.address,
                    received_at=o.received_at,
                    channel=Channel.HOTLINE,
                )
                for i, o in zip(ids, orders, strict=True)
            ]
            results = engine.run(items)
            version = str(getattr(engine, "version", ""))
        else:
            results = [_NoGuess(id=i) for i in ids]
            version = ""
        since = min(_local_day(o.received_at) for o in orders)
        catalog = services.Catalog.load(estate_ids=[r.estate_id for r in results if r.estate_id])
        deadlines = Deadlines(since)
        decisions = [
            services.triage_decide(
                result=r,
                estate=None,
                subdistrict=o.subdistrict,
                violation_type=None,
                threshold=self.threshold,
                catalog=catalog,
            )
            for o, r in zip(orders, results, strict=True)
        ]
        self._load_repeat_targets(results)
        self._load_open_leads(decisions)

        # Complaint numbers: one reservation per year.
        complaints: list[Complaint] = []
        years: dict[int, list[int]] = defaultdict(list)
        for index, order in enumerate(orders):
            years[order.received_at.year].append(index)
        numbers: dict[int, str] = {}
        for year, indexes in years.items():
            first = number_reserve(name="complaint", year=year, count=len(indexes))
            for offset, index in enumerate(indexes):
                numbers[index] = number_format(prefix="TS", year=year, value=first + offset)
        for index, (order, decision) in enumerate(zip(orders, decisions, strict=True)):
            complaint = Complaint(
                number=numbers[index],
                channel=Channel.HOTLINE,
                external_no=order.external_no,
                received_at=order.received_at,
                content=order.content,
                address=order.address,
                district=self.district,
                subdistrict=decision.subdistrict,
                estate=decision.estate,
                violation_type=decision.violation_type,
                reporter_name=order.reporter_name,
                reporter_phone=order.reporter_phone,
                entered_by=self.actor,
            )
            if order.reporter_phone or order.reporter_name:
                complaint.reply_rule, complaint.reply_due_at = deadlines.reply(order.received_at)
            complaints.append(complaint)

        # Leads: in order of receipt, each order repeats a matter or raises its own.
        order_of = sorted(range(len(orders)), key=lambda i: (orders[i].received_at, i))
        lead_of: dict[int, Lead] = {}
        created: list[Lead] = []
        creator: dict[int, int] = {}  # id(new lead) → index of the complaint that raised it
        attached: dict[int, list[int]] = defaultdict(list)  # id(lead) → indexes attached
        by_id: dict[str, int] = {i: n for n, i in enumerate(ids)}
        for index in order_of:
            result, decision = results[index], decisions[index]
            lead = self._repeat_lead(result.repeat_of, by_id, lead_of)
            if lead is None and decision.estate is not None and decision.violation_type:
                lead = self.open_leads.get((decision.estate.pk, decision.violation_type.code))
            if lead is not None:
                lead_of[index] = lead
                complaints[index].is_repeat = True
                attached[id(lead)].append(index)
                continue
            lead = self._lead_new(complaints[index], decision, deadlines)
            lead_of[index] = lead
            created.append(lead)
            creator[id(lead)] = index
            if decision.estate is not None and decision.violation_type is not None:
                self.open_leads[(decision.estate.pk, decision.violation_type.code)] = lead
        lead_years: dict[int, list[Lead]] = defaultdict(list)
        for lead in created:
            lead_years[lead.received_at.year].append(lead)
        for year, leads in lead_years.items():
            first = number_reserve(name="lead", year=year, count=len(leads))
            for offset, lead in enumerate(leads):
                lead.number = number_format(prefix="XS", year=year, value=first + offset)
        _insert_objects(created)
        for lead in created:
            self.leads[lead.pk] = lead
        for index, complaint in enumerate(complaints):
            complaint.lead = lead_of[index]
        _insert_objects(complaints)
        for i, complaint in zip(ids, complaints, strict=True):
            written = Written(complaint.pk, complaint.number, complaint.lead_id)
            self.by_input[i] = self.by_pk[complaint.pk] = written

        records = []
        for complaint, result, decision in zip(complaints, results, decisions, strict=True):
            repeat = self._repeat_complaint(result.repeat_of)
            if repeat is not None and repeat.pk == complaint.pk:
                repeat = None
            record = services.triage_record_build(
                complaint=complaint,
                result=result,
                catalog=catalog,
                decision=decision,
                repeat_of_id=repeat.pk if repeat else None,
                version=version,
                at=self.at,
            )
            record._repeat_number = repeat.number if repeat else ""  # type: ignore[attr-defined]
            records.append(record)
        _insert_objects(records, returning=False)

        # Events, in the order complaint_create writes them.
        chain = Chain(actor=self.actor, at=self.at)
        for lead in created:
            complaint = complaints[creator[id(lead)]]
            chain.add(
                lead,
                "created",
                to_state=LeadStatus.PENDING_DISPATCH,
                data={"complaint": complaint.number, "channel": complaint.channel},
            )
            if lead.status == LeadStatus.DISPATCHED:
                assert lead.team is not None and lead.subdistrict is not None
                chain.add(  # automatic: by the system, as triage_after_lead records it
                    lead,
                    "auto_dispatch",
                    from_state=LeadStatus.PENDING_DISPATCH,
                    to_state=LeadStatus.DISPATCHED,
                    data={"team": lead.team.name, "subdistrict": lead.subdistrict.name},
                    system=True,
                )
        for index in order_of:
            complaint, record = complaints[index], records[index]
            chain.add(
                complaint,
                "received",
                to_state="received",
                data={"channel": complaint.channel, "external_no": complaint.external_no},
            )
            chain.add(
                complaint,
                "triaged",
                data=services.triaged_event_data(
                    record=record,
                    decision=decisions[index],
                    repeat_number=record._repeat_number,  # type: ignore[attr-defined]
                ),
            )
            lead = lead_of[index]
            if complaint.is_repeat:
                chain.add(
                    lead,
                    "complaint_attached",
                    from_state=lead.status,
                    to_state=lead.status,
                    data={"complaint": complaint.number},
                )
                chain.add(complaint, "linked", data={"lead": lead.number, "repeat": True})
            else:
                chain.add(complaint, "lead_created", data={"lead": lead.number})
        for indexes in attached.values():
            lead = lead_of[indexes[0]]
            lead.complaint_count += len(indexes)
            self.leads[lead.pk] = lead
            if id(lead) not in creator:
                self.attached_to_stored[lead.pk] += len(indexes)
        self.outcome.counts["leads_created"] += len(created)
        self.outcome.counts["repeats_attached"] += sum(len(v) for v in attached.values())
        self.outcome.counts["queued"] += sum(1 for d in decisions if d.needs_review)
        self._chronic(chain, {lead_of[v[0]].pk for v in attached.values()})
        chain.flush({Lead: ("complaint_count", "chronic_since")})
        self._renovation_checks(complaints)

    def _renovation_checks(self, complaints: Sequence[Complaint]) -> None:
        """Work orders about renovation works at a unit are checked against the renovation
        register, as complaints entered one by one are (reloaded: their chains moved on)."""
        from xiaoqu.renovations.services import is_about_renovation, renovation_check_complaint

        wanted = [c.pk for c in complaints if c.estate_id and is_about_renovation(c)]
        for complaint in Complaint.objects.filter(pk__in=wanted).select_related(
            "estate", "lead__violation_type", "violation_type"
        ):
            if renovation_check_complaint(complaint=complaint, at=self.at) is not None:
                self.outcome.counts["renovation_checks"] += 1

    # -- helpers -------------------------------------------------------------------------

    def _load_repeat_targets(self, results: Sequence[Any]) -> None:
        """The stored complaints named as repeated (and their leads), in one query."""
        wanted = {pk for r in results if (pk := services.stored_repeat_pk(r.repeat_of)) is not None}
        missing = sorted(wanted - set(self.by_pk) - set(self.stored_repeats))
        for part in _chunks(missing, SQL_IN):
            for complaint in Complaint.objects.filter(
                pk__in=part, district=self.district
            ).select_related("lead"):
                self.stored_repeats[complaint.pk] = Written(
                    complaint.pk, complaint.number, complaint.lead_id
                )
                lead = complaint.lead
                if lead is not None and lead.pk not in self.leads:
                    self.leads[lead.pk] = lead

    def _repeat_complaint(self, repeat_of: str | None) -> Written | None:
        if not repeat_of:
            return None
        if repeat_of in self.by_input:
            return self.by_input[repeat_of]
        pk = services.stored_repeat_pk(repeat_of)
        if pk is None:
            return None
        return self.stored_repeats.get(pk) or self.by_pk.get(pk)

    def _repeat_lead(
        self, repeat_of: str | None, by_id: dict[str, int], lead_of: dict[int, Lead]
    ) -> Lead | None:
        if not repeat_of:
            return None
        if repeat_of in by_id:  # an earlier order of this chunk
            return lead_of.get(by_id[repeat_of])
        complaint = self._repeat_complaint(repeat_of)
        if complaint is None or complaint.lead_id is None:
            return None
        lead = self.leads.get(complaint.lead_id)
        if lead is None:
            return None
        return lead if lead.status in OPEN_LEAD_STATUSES else None

    def _load_open_leads(self, decisions: Sequence[services.Decision]) -> None:
        pairs = {
            (d.estate.pk, d.violation_type.code)
            for d in decisions
            if d.estate is not None and d.violation_type is not None
        }
        pairs -= set(self.open_leads)
        estates = sorted({e for e, _c in pairs})
        for part in _chunks(estates, SQL_IN):
            leads = (
                Lead.objects.select_for_update(of=("self",))
                .filter(estate_id__in=part, status__in=OPEN_LEAD_STATUSES)
                .select_related("violation_type")
                .order_by("received_at", "pk")
            )
            for lead in leads:
                if lead.violation_type is None:
                    continue
                key = (lead.estate_id, lead.violation_type.code)
                if key in pairs and key not in self.open_leads:
                    lead = self.leads.setdefault(lead.pk, lead)
                    self.open_leads[key] = lead

    def _team(self, subdistrict: Subdistrict) -> Department | None:
        if subdistrict.pk not in self.teams:
            from xiaoqu.intake.services import enforcement_team

            try:
                self.teams[subdistrict.pk] = enforcement_team(subdistrict)
            except TransitionRefused:
                self.teams[subdistrict.pk] = None
        return self.teams[subdistrict.pk]

    def _lead_new(
        self, complaint: Complaint, decision: services.Decision, deadlines: Deadlines
    ) -> Lead:
        lead = Lead(
            number="",
            district=self.district,
            subdistrict=complaint.subdistrict,
            estate=complaint.estate,
            address=complaint.address,
            violation_type=complaint.violation_type,
            summary=complaint.content[:2000],
            received_at=complaint.received_at,
            complaint_count=1,
        )
        deadlines.lead(lead)
        if decision.auto_dispatch and complaint.subdistrict is not None:
            team = self._team(complaint.subdistrict)
            if team is not None:
                lead.status, lead.team, lead.dispatched_at = LeadStatus.DISPATCHED, team, self.at
                self.dispatched[complaint.subdistrict.pk] += 1
                self.outcome.counts["dispatched"] += 1
        return lead

    def _chronic(self, chain: Chain, lead_ids: set[int]) -> None:
        candidates = [
            self.leads[pk]
            for pk in lead_ids
            if pk in self.leads
            and self.leads[pk].chronic_since is None
            and self.leads[pk].complaint_count >= services.CHRONIC_COMPLAINTS
        ]
        if not candidates:
            return
        times: dict[int, list[dt.datetime]] = defaultdict(list)
        for part in _chunks([lead.pk for lead in candidates], SQL_IN):
            for lead_id, received in Complaint.objects.filter(lead_id__in=part).values_list(
                "lead_id", "received_at"
            ):
                times[lead_id].append(received)
        marked = []
        for lead in candidates:
            if services.chronic_due(times[lead.pk]):
                lead.chronic_since = self.at
                chain.add(  # by the system, as lead_chronic_check records it
                    lead,
                    "chronic",
                    data={
                        "complaints": len(times[lead.pk]),
                        "window_days": services.CHRONIC_WINDOW.days,
                    },
                    system=True,
                )
                marked.append(lead)
        self.outcome.counts["chronic"] += len(marked)
        self.chronic_marked.extend(marked)

    def _notify(self) -> None:
        """One notice per team for the leads dispatched to it, one per open matter that
        received repeats, and the chronic matters to the dispatchers."""
        notes: list[Notification] = []
        if self.dispatched:
            officers = User.objects.filter(
                role=Role.OFFICER, subdistrict_id__in=list(self.dispatched), is_active=True
            )
            for officer in officers:
                n = self.dispatched.get(officer.subdistrict_id or 0, 0)
                notes.append(
                    Notification(
                        recipient=officer,
                        text=_("%(n)d new leads from the 12345 import dispatched to your team.")
                        % {"n": n},
                        link="",
                        created_at=self.at,
                    )
                )
        Notification.objects.bulk_create(notes, batch_size=2000)
        if self.chronic_marked:
            services.chronic_notify(leads=self.chronic_marked, at=self.at)
