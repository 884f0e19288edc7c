"""Pages cost a fixed number of queries, however many rows they show (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoqu.conftest import World
from xiaoqu.estates.tests.factories import EstateAddressFactory, EstateFactory, StudioFactory


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("home"),
        lambda w: reverse("estates:estate_list"),
        lambda w: reverse("estates:estate_list") + "?export=xlsx",
        lambda w: reverse("estates:company_list"),
        lambda w: reverse("estates:manager_list"),
        lambda w: reverse("estates:studio_list"),
        lambda w: reverse("regions:subdistrict_list"),
        lambda w: reverse("regions:committee_list"),
        lambda w: reverse("regions:subdistrict_detail", args=[w.sd_a.pk]),
        lambda w: reverse("regions:committee_detail", args=[w.committee_a.pk]),
        lambda w: reverse("estates:company_detail", args=[w.company_a.pk]),
        lambda w: reverse("estates:studio_detail", args=[w.studio_a.pk]),
    ],
)
def test_query_count_does_not_grow_with_rows(world: World, url):
    client = world.client_for(world.dispatcher)
    target = url(world)
    before = count(client, target)
    for n in range(15):
        estate = EstateFactory.create(
            district=world.district,
            subdistrict=world.sd_a,
            committee=world.committee_a,
            name=f"加测{n}",
            property_company=world.company_a,
        )
        EstateAddressFactory.create(estate=estate)
        world.studio_a.estates.add(estate)
        StudioFactory.create(subdistrict=world.sd_a)
    assert count(client, target) == before
