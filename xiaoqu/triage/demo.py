"""Demo (演示数据): this morning's batch of 12345 work orders, not yet read by anyone.

The generated history enters its complaints with the estate and type known; real hotline
orders arrive as bare text. So that a dispatcher sees triage at work in the demo, `xiaoqu
load-demo` ends with a small batch of work orders taken from the corpus's train split (never
the test split: corrections made in the demo may train the next model), entered with no
estate and no type: triage fills what it is sure of, dispatches the confident ones, suggests
referrals in the dispatch inbox and queues the rest for manual triage."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Complaint

from .training import read_corpus

BATCH = 18
ORDER_PREFIX = "DEMO"  # work order numbers DEMOyyyymmdd-nn: recognisable and unique


@dataclass
class DemoOrdersResult:
    created: int = 0
    queued: int = 0
    dispatched: int = 0
    skipped: str = ""  # "already" | "no_dispatcher"


def _pick(rows: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """A mix: hard texts (typos, two issues, no estate, homophones), other departments'
    matters, and plain ones; hotline and resident styles only (a work order)."""
    rows = [r for r in rows if r["style"] in ("operator", "colloquial") and r["text"]]
    hard = [r for r in rows if set(r["hard"]) & {"typo", "two_issues", "homophone", "no_estate"}]
    referrals = [r for r in rows if r["refer_to"] and not r["hard"]]
    plain = [r for r in rows if not r["hard"] and not r["refer_to"]]
    chosen = rng.sample(hard, 7) + rng.sample(referrals, 4) + rng.sample(plain, BATCH - 11)
    rng.shuffle(chosen)
    return chosen


def demo_work_orders(
    *, district: Any, seed: int, now: dt.datetime | None = None
) -> DemoOrdersResult:
    """Enter this morning's demo work orders (idempotent: once per database)."""
    result = DemoOrdersResult()
    if Complaint.objects.filter(external_no__startswith=ORDER_PREFIX).exists():
        result.skipped = "already"
        return result
    dispatcher = (
        User.objects.filter(role=Role.DISPATCHER, district=district, is_active=True, is_demo=True)
        .order_by("pk")
        .first()
    )
    if dispatcher is None:
        result.skipped = "no_dispatcher"
        return result
    moment = now or timezone.now()
    rng = random.Random(seed)
    day = f"{timezone.localtime(moment):%Y%m%d}"
    rows = _pick(read_corpus("train"), rng)
    created: list[Complaint] = []
    with transaction.atomic():
        for n, row in enumerate(rows, start=1):
            received = moment - dt.timedelta(minutes=17 * (BATCH - n) + rng.randint(1, 12))
            complaint = intake.complaint_create(
                actor=dispatcher,
                channel=Channel.HOTLINE,
                external_no=f"{ORDER_PREFIX}{day}-{n:02d}",
                content=row["text"],
                address=row["address"],
                received_at=received,
                reporter_phone=f"139{rng.randint(10_000_000, 99_999_999)}",
                district=district,
                at=moment,
            )
            created.append(complaint)
        pks = [c.pk for c in created]
        Complaint.objects.filter(pk__in=pks).update(is_demo=True)
        lead_ids = {c.lead_id for c in created if c.lead_id}
        from xiaoqu.intake.models import Lead

        Lead.objects.filter(pk__in=lead_ids, complaint_count=1).update(is_demo=True)
    from .models import TriageRecord

    records = TriageRecord.objects.filter(complaint_id__in=pks)
    result.created = len(created)
    result.queued = records.filter(needs_review=True).count()
    result.dispatched = Complaint.objects.filter(
        pk__in=pks, lead__dispatched_at__isnull=False
    ).count()
    return result
