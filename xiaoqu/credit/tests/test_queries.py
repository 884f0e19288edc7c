"""The credit pages cost a fixed number of queries, however many proposals they show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoqu.conftest import World
from xiaoqu.credit.services import demerit_confirm

from .factories import at, proposal_at


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("credit:queue"),
        lambda w: reverse("credit:proposal_list"),
        lambda w: reverse("credit:proposal_list") + "?export=xlsx",
        lambda w: reverse("credit:ranking"),
        lambda w: reverse("credit:company_record", args=[w.company_a.pk]),
        lambda w: reverse("credit:rule_list"),
    ],
)
def test_query_count_does_not_grow_with_proposals(credit: World, url: Any):
    client = credit.client_for(credit.liaison)
    target = url(credit)
    proposal_at(credit, at(2026, 3, 2, 9))
    before = count(client, target)
    for month, estate in ((4, credit.estate_a), (5, credit.estate_a), (6, credit.estate_b)):
        p = proposal_at(credit, at(2026, month, 2, 9), estate=estate)
        if month != 4:
            demerit_confirm(proposal=p, actor=credit.liaison, note="", at=at(2026, month, 20))
    proposal_at(credit, at(2026, 7, 2, 9), estate=credit.estate_a2)
    assert count(client, target) == before
