"""The intake pages cost a fixed number of queries, however many rows they show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoqu.conftest import World
from xiaoqu.intake import services
from xiaoqu.intake.choices import Channel
from xiaoqu.intake.models import Lead
from xiaoqu.law.models import ViolationType


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def add(world: World, n: int, *, dispatch: bool) -> Lead:
    vt = ViolationType.objects.effective().get(code="common_area_occupation")
    lead = None
    for i in range(n):
        complaint = services.complaint_create(
            actor=world.dispatcher,
            channel=Channel.HOTLINE,
            content=f"楼道堆物{i}",
            estate=world.estate_a,
            violation_type=vt,
            reporter_phone="13800000000",
        )
        lead = complaint.lead
        assert lead is not None
        if dispatch and lead.status == "pending_dispatch":
            lead = services.lead_dispatch(lead=lead, actor=world.dispatcher)
    assert lead is not None
    return lead


URLS: dict[str, tuple[str, Callable[[Lead], str]]] = {
    "complaints": ("dispatcher", lambda lead: reverse("intake:complaint_list")),
    "complaints-export": (
        "dispatcher",
        lambda lead: reverse("intake:complaint_list") + "?export=xlsx",
    ),
    "leads": ("dispatcher", lambda lead: reverse("intake:lead_list")),
    "leads-export": ("dispatcher", lambda lead: reverse("intake:lead_list") + "?export=xlsx"),
    "inbox": ("dispatcher", lambda lead: reverse("intake:dispatch_inbox")),
    "todo": ("officer_a", lambda lead: reverse("intake:todo")),
    "home": ("officer_a", lambda lead: reverse("home")),
    "lead": ("officer_a", lambda lead: lead.get_absolute_url()),
}


@pytest.mark.parametrize("page", sorted(URLS))
def test_query_count_does_not_grow_with_rows(catalog: World, page: str):
    persona, url_of = URLS[page]
    client = catalog.client_for(getattr(catalog, persona))
    dispatch = page != "inbox"
    # repeats of one open matter land on one lead: its complaints and events grow
    lead = add(catalog, 2, dispatch=dispatch)
    url = url_of(lead)
    before = count(client, url)
    add(catalog, 6, dispatch=dispatch)
    for estate in (catalog.estate_a2, catalog.estate_b):
        other = services.complaint_create(
            actor=catalog.dispatcher,
            channel=Channel.RESIDENT,
            content="群租",
            estate=estate,
            violation_type=ViolationType.objects.effective().get(code="group_rental"),
            reporter_phone="13900000000",
        ).lead
        assert other is not None
        if dispatch:
            services.lead_dispatch(lead=other, actor=catalog.dispatcher)
    assert count(client, url) == before
