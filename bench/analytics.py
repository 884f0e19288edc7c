"""Benchmark of the analytics: dashboards must not scan raw rows (issue 7).

    make bench-analytics   # or: .venv/bin/python bench/analytics.py [--quick] [--postgres URL]

A fresh database (SQLite in a temporary folder, or a database `xiaoqu_bench_analytics`
created on the PostgreSQL server of `--postgres URL` / DATABASE_URL) gets the demo district
(10 subdistricts, about 1,000 estates, `xiaoqu load-demo --no-history`), then 10,000
complaints over the last twelve months with their leads and the events the builder reads
(closures, overdue marks), written in bulk rather than through the services (on PostgreSQL
followed by ANALYZE, as a live server's autovacuum would have done). The tables are
built (time and rows printed) and every dashboard is rendered, in a fresh process as a
server would serve it (not in the generator's, whose million objects slow any page) (`analytics:district`,
`analytics:subdistrict`, `analytics:department`, `analytics:estate`, and the pages of the
oversight and assessment apps that take no argument, when they exist); then complaints are
added up to 1,000,000 (100,000 with `--quick`) and the same is done again. Prints each
page's time at both sizes and their ratio (target ≤ 1.5). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET = 1.5
SMALL = 10_000
LARGE = 1_000_000
QUICK_LARGE = 100_000
BATCH = 5_000
REPEATS = 7  # renders per page, the median is kept
PG_NAME = "xiaoqu_bench_analytics"


def _database(postgres: str | None) -> str:
    """Point Django at a fresh database; returns its description."""
    if postgres:
        import psycopg

        base = postgres.rstrip("/")
        server = base.rsplit("/", 1)[0] if base.count("/") > 2 else base
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            conn.execute(f"CREATE DATABASE {PG_NAME}")
        os.environ["DATABASE_URL"] = f"{server}/{PG_NAME}"
        return f"PostgreSQL {server}/{PG_NAME}"
    tmp = Path(tempfile.mkdtemp(prefix="xiaoqu-bench-analytics-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ["XIAOQU_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ["XIAOQU_DATA_DIR"] = str(tmp)
    return f"SQLite {tmp / 'bench.sqlite3'}"


class Generator:
    """Complaints, leads and events in bulk, deterministic from a seed."""

    def __init__(self, district: Any, now: dt.datetime, seed: int = 7) -> None:
        from django.contrib.contenttypes.models import ContentType

        from xiaoqu.audit.models import Event
        from xiaoqu.departments.models import Department
        from xiaoqu.estates.models import Estate
        from xiaoqu.intake.choices import Channel
        from xiaoqu.intake.models import Complaint, Lead
        from xiaoqu.law.models import ViolationType

        self.rng = random.Random(seed)
        self.district = district
        self.now = now
        estates = list(
            Estate.objects.filter(district=district, subdistrict__isnull=False).values_list(
                "pk", "subdistrict_id", "residents"
            )
        )
        # busier estates get more complaints (weights from their residents)
        self.estates = [(pk, sub) for pk, sub, _r in estates]
        weights = [max(r or 500, 100) for _pk, _sub, r in estates]
        self.cum_weights = list(itertools.accumulate(weights))
        self.teams = dict(
            Department.objects.filter(district=district, kind="enforcement_team").values_list(
                "subdistrict_id", "pk"
            )
        )
        self.types = list(ViolationType.objects.values_list("pk", flat=True).distinct())
        self.channels = [c.value for c in Channel]
        self.lead_ct = ContentType.objects.get_for_model(Lead)
        self.serial = 0
        self.open_leads: dict[tuple[int, int], int] = {}
        self.models = (Lead, Complaint, Event)
        self.ids: dict[Any, int] = {}

    def add(self, n: int) -> None:
        from django.db import transaction
        from django.db.models import Max

        # the pages rendered in between may have written rows (an audit event …)
        self.ids = {m: (m.objects.aggregate(n=Max("pk"))["n"] or 0) for m in self.models}
        done = 0
        while done < n:
            size = min(BATCH, n - done)
            with transaction.atomic():
                self._batch(size)
            done += size
        # rows were written with their ids: move PostgreSQL's sequences past them
        from django.core.management.color import no_style
        from django.db import connection

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.models)):
                cursor.execute(sql)

    def _batch(self, size: int) -> None:
        from xiaoqu.analytics.build import rows_insert
        from xiaoqu.audit.models import Event
        from xiaoqu.intake.models import Complaint, Lead

        rng, now = self.rng, self.now
        drafts = []
        for _ in range(size):
            self.serial += 1
            (estate, sub) = rng.choices(self.estates, cum_weights=self.cum_weights)[0]
            received = now - dt.timedelta(seconds=rng.randint(3600, 365 * 86400))
            drafts.append((self.serial, estate, sub, rng.choice(self.types), received))
        leads: list[Lead] = []
        lead_of: list[int | None] = []  # index into leads, or None: a repeat
        for serial, estate, sub, vtype, received in drafts:
            if rng.random() < 0.15 and (estate, vtype) in self.open_leads:
                lead_of.append(None)
                continue
            closed = rng.random() < 0.8
            late = rng.random() < 0.12
            due = received + dt.timedelta(days=21)
            done_at = received + dt.timedelta(
                days=rng.randint(1, 30) if late else rng.randint(1, 14)
            )
            if done_at > now:
                closed = False
            leads.append(
                Lead(
                    number=f"B{serial:09d}",
                    status="closed" if closed else "dispatched",
                    district=self.district,
                    subdistrict_id=sub,
                    estate_id=estate,
                    violation_type_id=vtype,
                    summary="楼道堆物",
                    received_at=received,
                    team_id=self.teams.get(sub),
                    dispatched_at=received,
                    due_at=None if closed else due,
                    overdue_at=due if (not closed and due < now) else None,
                    closed_at=done_at if closed else None,
                    outcome="no_violation" if closed else "",
                    complaint_count=1,
                    reopen_count=1 if rng.random() < 0.03 else 0,
                    extension_days=5 if rng.random() < 0.05 else 0,
                    is_demo=True,
                )
            )
            lead_of.append(len(leads) - 1)
        for new in leads:
            new.pk = self._next(Lead)
        rows_insert(Lead, leads, with_pk=True)
        complaints, events = [], []
        for (serial, estate, sub, vtype, received), index in zip(drafts, lead_of, strict=True):
            lead = leads[index] if index is not None else None
            lead_id = lead.pk if lead is not None else self.open_leads[(estate, vtype)]
            if lead is not None and lead.status != "closed":
                self.open_leads[(estate, vtype)] = lead.pk
            reply_due = received + dt.timedelta(days=7)
            replied = received + dt.timedelta(days=rng.randint(1, 9))
            complaints.append(
                Complaint(
                    number=f"C{serial:09d}",
                    channel=rng.choice(self.channels),
                    received_at=received,
                    content="楼道堆物",
                    district=self.district,
                    subdistrict_id=sub,
                    estate_id=estate,
                    violation_type_id=vtype,
                    lead_id=lead_id,
                    is_repeat=lead is None,
                    reply_due_at=reply_due,
                    replied_at=replied if replied < now else None,
                    is_demo=True,
                )
            )
            if lead is None:
                continue
            seq = 0
            if lead.overdue_at is not None or (
                lead.closed_at is not None and lead.closed_at > received + dt.timedelta(days=21)
            ):
                seq += 1
                events.append(
                    self._event(
                        lead,
                        seq,
                        received + dt.timedelta(days=21),
                        "overdue",
                        "dispatched",
                        "dispatched",
                    )
                )
            if lead.closed_at is not None:
                seq += 1
                events.append(
                    self._event(
                        lead, seq, lead.closed_at, "close_no_violation", "dispatched", "closed"
                    )
                )
        for row in (*complaints, *events):
            row.pk = self._next(type(row))
        rows_insert(Complaint, complaints, with_pk=True)
        rows_insert(Event, events, with_pk=True)

    def _next(self, model: Any) -> int:
        self.ids[model] += 1
        return int(self.ids[model])

    def _event(self, lead: Any, seq: int, at: dt.datetime, action: str, old: str, new: str) -> Any:
        from xiaoqu.audit.models import Event

        return Event(
            record_type=self.lead_ct,
            record_id=lead.pk,
            seq=seq,
            occurred_at=at,
            actor_label="bench",
            action=action,
            from_state=old,
            to_state=new,
            prev_hash="0" * 64,
            hash=f"{lead.pk:032x}{seq:032x}",
        )


def _pages(district: Any) -> list[tuple[str, str]]:
    """(label, url) of every dashboard that exists now."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    from xiaoqu.departments.models import Department
    from xiaoqu.estates.models import Estate
    from xiaoqu.intake.models import Complaint

    sub = district.subdistricts.order_by("code").first()
    team = Department.objects.filter(
        district=district, subdistrict=sub, kind="enforcement_team"
    ).first()
    busiest = (
        Complaint.objects.filter(district=district, estate__isnull=False)
        .order_by("estate_id")
        .values_list("estate_id", flat=True)
        .first()
    ) or Estate.objects.filter(district=district).values_list("pk", flat=True).first()
    wanted: list[tuple[str, tuple[Any, ...]]] = [
        ("analytics:district", ()),
        ("analytics:subdistrict", (sub.pk,)),
        ("analytics:department", (team.pk if team else 0,)),
        ("analytics:estate", (busiest,)),
    ]
    resolver = get_resolver()
    for namespace in ("oversight", "assessment"):
        try:
            _prefix, sub_resolver = resolver.namespace_dict[namespace]
        except KeyError:
            continue
        for pattern in sub_resolver.url_patterns:
            name = getattr(pattern, "name", None)
            if name and not pattern.pattern.regex.groupindex:
                wanted.append((f"{namespace}:{name}", ()))
    pages = []
    for name, args in wanted:
        try:
            pages.append((name, reverse(name, args=args)))
        except NoReverseMatch:
            print(f"  (no page {name} yet: skipped)")
    return pages


def _render(client: Any, pages: list[tuple[str, str]]) -> dict[str, float]:
    times: dict[str, float] = {}
    for name, url in pages:
        try:
            response = client.get(url)  # warm-up (template and translation caches)
        except Exception as exc:  # another engineer's page failing must not stop the bench
            print(f"  {name}: {type(exc).__name__}: {exc} (skipped)")
            continue
        if response.status_code != 200:
            print(f"  {name}: HTTP {response.status_code} (skipped)")
            continue
        samples = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - started)
        times[name] = statistics.median(samples)
    return times


RENDERED = "rendered: "


def _render_elsewhere() -> dict[str, float]:
    """Render every page in a fresh Python process (`--render`) on the same database."""
    child = subprocess.run(
        [sys.executable, __file__, "--render"],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    for line in child.stdout.splitlines():
        if line.startswith(RENDERED):
            return {k: float(v) for k, v in json.loads(line[len(RENDERED) :]).items()}
        print(line)
    print(child.stderr[-2000:])
    raise SystemExit("the rendering process failed")


def _render_here() -> None:
    """The `--render` process: the database is the parent's (environment); print the times."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoqu.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from xiaoqu.accounts.models import User
    from xiaoqu.regions.models import District
    from xiaoqu.regions.seed import PUTUO

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="bench_leader"))
    times = _render(client, _pages(District.objects.get(code=PUTUO.code)))
    print(RENDERED + json.dumps(times), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{SMALL:,} vs {QUICK_LARGE:,}")
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL") or None)
    parser.add_argument("--large", type=int, default=None, help="complaints of the second size")
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render:
        _render_here()
        return
    large = args.large or (QUICK_LARGE if args.quick else LARGE)
    where = _database(args.postgres)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoqu.settings")
    if "XIAOQU_DATA_DIR" not in os.environ:  # PostgreSQL: attachments and caches still need one
        os.environ["XIAOQU_DATA_DIR"] = tempfile.mkdtemp(prefix="xiaoqu-bench-analytics-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from xiaoqu.accounts.choices import Role
    from xiaoqu.accounts.models import User
    from xiaoqu.analytics.build import analytics_build, table_rows
    from xiaoqu.regions.models import District
    from xiaoqu.regions.seed import PUTUO

    devnull = open(os.devnull, "w")  # noqa: SIM115
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--no-history", stdout=devnull, stderr=devnull)
    print(f"analytics benchmark: {where}, {os.cpu_count()} CPU(s)")
    print(f"setup (migrate, demo district) {time.perf_counter() - started:.1f} s")
    district = District.objects.get(code=PUTUO.code)
    User.objects.create(username="bench_leader", role=Role.LEADER, district=district)  # renders
    generator = Generator(district, timezone.now().replace(microsecond=0))

    results: dict[int, dict[str, float]] = {}
    for size in (SMALL, large):
        started = time.perf_counter()
        generator.add(size - generator.serial)
        print(f"\n{size:,} complaints: generated in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            # A live server's autovacuum keeps the planner's statistics of the raw tables;
            # rows written in bulk a moment ago have none yet, and a planner that believes a
            # district holds a few hundred complaints picks the wrong index for the estate
            # profile's timeline (measured: 82 ms instead of 0.2 ms). Do what autovacuum does.
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"  statistics refreshed (ANALYZE) in {time.perf_counter() - started:.1f} s")
        report = analytics_build(district=district)
        rows = table_rows()
        print(
            f"  aggregates built in {report.seconds:.1f} s: "
            + ", ".join(f"{k} {v:,}" for k, v in rows.items())
        )
        # Timed as a server process serves them: in a fresh process on the same database,
        # without the generator's million objects in its heap (measured: they slowed every
        # page by a few milliseconds, figures or not, and the garbage collector's pauses more).
        connection.close()
        results[size] = _render_elsewhere()
        for name, seconds in results[size].items():
            print(f"  {name:32s} {seconds * 1000:8.1f} ms")

    print(f"\nratio of render times, {large:,} / {SMALL:,} complaints (target ≤ {TARGET}):")
    for name, small in results[SMALL].items():
        big = results[large].get(name)
        if big is None:
            continue
        ratio = big / small
        mark = "ok" if ratio <= TARGET else "OVER"
        print(f"  {name:32s} {small * 1000:8.1f} ms → {big * 1000:8.1f} ms   ×{ratio:.2f}  {mark}")
    print(f"database: {connection.vendor}")


if __name__ == "__main__":
    main()
