"""Two sweeps at once mark each item once: the guard is re-checked under the row lock (a
SELECT … FOR UPDATE on PostgreSQL, an IMMEDIATE transaction on SQLite)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from xiaoqu.audit.models import Event
from xiaoqu.audit.services import audit_verify
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.referrals.models import AssistanceRequest, Referral
from xiaoqu.supervision import services
from xiaoqu.supervision.models import UrgeNotice

from .factories import assistance_at, at, dispatched_lead, referral_at


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_mark_each_item_once(catalog: Any):
    when = at(2026, 4, 8, 10)
    for estate in (catalog.estate_a, catalog.estate_a2, catalog.estate_b):
        dispatched_lead(catalog, when, estate=estate)
    referral_at(catalog, when, estate=catalog.estate_b)
    assistance_at(catalog, when, estate=catalog.estate_a)
    moment = at(2026, 6, 1, 9)
    expected = (
        len(services.overdue_candidates(Lead, services.SWEPT[0][1], moment))
        + len(services.overdue_candidates(Referral, services.SWEPT[1][1], moment))
        + len(services.overdue_candidates(AssistanceRequest, services.SWEPT[2][1], moment))
        + len(services.reply_overdue_candidates(moment))
    )
    assert expected >= 8

    results: list[services.SweepResult] = []
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait(timeout=10)
            results.append(services.sweep(at=moment))
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    assert all(not r.errors for r in results), [r.errors for r in results]
    marked = [n for r in results for n in (*r.leads, *r.referrals, *r.assistance, *r.complaints)]
    assert len(marked) == len(set(marked)) == expected
    assert Event.objects.filter(action="overdue").count() == expected
    assert UrgeNotice.objects.count() == expected
    # a third run, sequentially, finds nothing left
    assert services.sweep(at=moment).marked == 0
    assert not Lead.objects.filter(overdue_at__isnull=True, due_at__lt=moment).exists()
    assert not Complaint.objects.filter(
        reply_overdue_at__isnull=True, reply_due_at__lt=moment, replied_at__isnull=True
    ).exists()
    assert audit_verify()[2] == []
