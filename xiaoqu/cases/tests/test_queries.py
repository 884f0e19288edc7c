"""The case pages cost a fixed number of queries, however many cases, evidence items,
executions and events they show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoqu.cases import services
from xiaoqu.cases.choices import EvidenceKind, ExecutionKind, PenaltyKind
from xiaoqu.cases.models import Case
from xiaoqu.cases.tests.factories import executing, filed
from xiaoqu.conftest import World

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def grow(world: World, case: Case, n: int) -> None:
    """More of everything: cases in both subdistricts (in review, with extension requests,
    closed), and evidence, payments and events on `case`."""
    for i in range(n):
        services.evidence_add(
            case=case,
            actor=world.officer_a,
            kind=EvidenceKind.PRESERVATION if i % 2 else EvidenceKind.PHOTO,
            description=f"证据{i}",
            uploads=[SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png")],
        ) if case.status in ("investigating",) else services.execution_record(
            case=case,
            actor=world.officer_a,
            kind=ExecutionKind.PAYMENT,
            amount=10,
            uploads=[SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png")],
        )
        for estate in (world.estate_a2, world.estate_b):
            other = filed(world, estate=estate)
            officer = world.officer_b if estate == world.estate_b else world.officer_a
            if i % 3 == 0:
                services.review_request(
                    case=other, actor=officer, penalty=PenaltyKind.FINE, fine=8000
                )
            elif i % 3 == 1:
                services.extension_request(case=other, actor=officer, days=10, reason="鉴定")
            else:
                services.case_withdraw(case=other, actor=officer, reason="事实不清")


PAGES: dict[str, tuple[str, Callable[[Case], str], str]] = {
    "list": ("dispatcher", lambda c: reverse("cases:case_list"), "filed"),
    "list-export": ("dispatcher", lambda c: reverse("cases:case_list") + "?export=xlsx", "filed"),
    "list-officer": ("officer_a", lambda c: reverse("cases:case_list"), "filed"),
    "case": ("officer_a", lambda c: c.get_absolute_url(), "filed"),
    "case-executing": ("officer_a", lambda c: c.get_absolute_url(), "executing"),
    "review-queue": ("legal", lambda c: reverse("cases:review_queue"), "filed"),
    "approvals": ("leader", lambda c: reverse("cases:approvals"), "filed"),
    "todo": ("officer_a", lambda c: reverse("intake:todo"), "filed"),
    "lead": ("officer_a", lambda c: c.lead.get_absolute_url(), "filed"),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow_with_rows(catalog: World, page: str):
    persona, url_of, stage = PAGES[page]
    case = filed(catalog) if stage == "filed" else executing(catalog)
    client = catalog.client_for(getattr(catalog, persona))
    url = url_of(case)
    grow(catalog, case, 3)  # one of each kind of queue item
    before = count(client, url)
    grow(catalog, case, 6)
    assert count(client, url) == before
