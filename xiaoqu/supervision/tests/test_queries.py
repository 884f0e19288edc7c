"""The inbox, the lists, the board and the urge notices cost a fixed number of queries,
however many rows they show (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoqu.conftest import World
from xiaoqu.supervision import services

from .factories import assistance_at, at, referral_at

URLS = [
    ("dispatcher", "referrals:inbox"),
    ("liaison", "referrals:inbox"),
    ("dispatcher", "referrals:referral_list"),
    ("officer_a", "referrals:referral_list"),
    ("dispatcher", "referrals:assistance_list"),
    ("dispatcher", "supervision:board"),
    ("officer_a", "supervision:board"),
    ("dispatcher", "supervision:urges"),
]


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# pairs of violation types, so that each round raises new leads rather than repeats
ROUNDS = {
    1: ("property_negligence", "group_rental"),
    2: ("small_ads", "use_change"),
    3: ("household_waste", "structure_damage"),
}


def some_records(world: World, day: int) -> None:
    referral_code, assistance_code = ROUNDS[day]
    for estate in (world.estate_a, world.estate_a2, world.estate_b):
        referral_at(world, at(2026, 4, day, 10), estate=estate, code=referral_code)
        assistance_at(world, at(2026, 4, day, 11), estate=estate, code=assistance_code)


@pytest.mark.parametrize(("role", "name"), URLS)
def test_query_count_does_not_grow_with_rows(catalog: World, role: str, name: str):
    some_records(catalog, 1)
    services.sweep(at=at(2026, 6, 1))
    client = catalog.client_for(getattr(catalog, role))
    url = reverse(name)
    before = count(client, url)
    for day in (2, 3):
        some_records(catalog, day)
    services.sweep(at=at(2026, 6, 1))
    assert count(client, url) == before
