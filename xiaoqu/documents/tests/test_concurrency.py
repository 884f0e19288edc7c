"""Document numbers under concurrency: threads generating at the same moment never get the
same number for different records, and one record never gets two numbers. The record's row
lock (SELECT … FOR UPDATE on PostgreSQL, an IMMEDIATE transaction on SQLite) and the locked
yearly sequence row of core.numbers guard it; the database's unique constraints back it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection

from xiaoqu.audit.services import audit_verify, record_events
from xiaoqu.documents import services
from xiaoqu.documents.choices import DocumentKind as K
from xiaoqu.documents.models import Document, DocumentNumber, DocumentTemplate

from . import factories as f
from .factories import at


@pytest.fixture(autouse=True)
def _documents_dir(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


def generate(*, record: Any, actor: Any) -> Document:
    return services.document_generate(kind=K.PENALTY_NOTICE, record=record, actor=actor)


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start every job at the same moment, each in its own thread and database connection."""
    results: list[Any] = []
    failures: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], Any]) -> None:
        try:
            start.wait(timeout=10)
            results.append(job())
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    assert len(results) == len(jobs)
    return results


@pytest.mark.django_db(transaction=True)
def test_different_records_at_once_get_different_numbers(catalog: Any):
    records = [f.notified(catalog, at(2026, 3, day)) for day in (2, 3, 4, 5)]
    assert not DocumentTemplate.objects.exists()  # the default is written by the first of them

    documents = run_together(
        [partial(generate, record=case, actor=catalog.officer_a) for case in records]
    )
    numbers = sorted(d.number for d in documents)
    assert numbers == [f"普城管告字〔2026〕第{n:04d}号" for n in range(1, 5)]
    assert {d.record_id for d in documents} == {c.pk for c in records}
    assert DocumentTemplate.objects.filter(kind=K.PENALTY_NOTICE).count() == 1
    assert audit_verify()[2] == []


@pytest.mark.django_db(transaction=True)
def test_one_record_at_once_gets_one_number(catalog: Any):
    case = f.notified(catalog, at(2026, 3, 2))
    users = [catalog.officer_a, catalog.dispatcher, catalog.leader]
    documents = run_together([partial(generate, record=case, actor=user) for user in users])
    assert {d.number for d in documents} == {"普城管告字〔2026〕第0001号"}
    assert sorted(d.version for d in documents) == [1, 2, 3]
    assert DocumentNumber.objects.count() == 1
    assert Document.objects.filter(record_id=case.pk).count() == 3
    events = [e for e in record_events(case) if e.action == "document_generated"]
    assert sorted(e.data["version"] for e in events) == [1, 2, 3]
    assert audit_verify()[2] == []
