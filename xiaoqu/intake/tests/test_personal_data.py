"""The reporter's phone number is personal data: no page, fragment or export shows it
unmasked, whoever looks; only the reveal does, to those who call back, and it is recorded."""

from __future__ import annotations

import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from xiaoqu.audit.models import PersonalDataAccess
from xiaoqu.conftest import World
from xiaoqu.intake import services
from xiaoqu.intake.choices import Channel

PHONE = "13912348765"
MASKED = "139****8765"
PERSONAS = [
    "admin",
    "dispatcher",
    "leader",
    "legal",
    "officer_a",
    "officer_b",
    "manager_a",
    "liaison",
    "clerk_a",
    "clerk_b",
    "member_a",
]


def body(response: Any) -> str:
    if response.streaming:
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return " ".join(
            str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None
        )
    return response.content.decode()


def test_no_page_shows_the_phone_unmasked(catalog: World):
    complaint = services.complaint_create(
        actor=catalog.dispatcher,
        channel=Channel.HOTLINE,
        content="楼道堆物",
        estate=catalog.estate_a,
        reporter_name="李女士",
        reporter_phone=PHONE,
    )
    reported = services.complaint_create(
        actor=catalog.clerk_a,
        channel=Channel.PROPERTY_COMPANY,
        content="装修未登记",
        estate=catalog.estate_a,
        reporter_phone=PHONE,
    )
    lead = complaint.lead
    assert lead is not None and reported.lead is not None
    services.lead_dispatch(lead=lead, actor=catalog.dispatcher)
    urls = [
        reverse("home"),
        reverse("intake:complaint_list"),
        reverse("intake:complaint_list") + "?export=xlsx",
        reverse("intake:complaint_list") + "?q=楼道",
        reverse("intake:complaint_detail", args=[complaint.pk]),
        reverse("intake:complaint_detail", args=[reported.pk]),
        reverse("intake:lead_list"),
        reverse("intake:lead_list") + "?export=xlsx",
        reverse("intake:lead_detail", args=[lead.pk]),
        reverse("intake:lead_detail", args=[reported.lead.pk]),
        reverse("intake:lead_action", args=[lead.pk, "refer"]),
        reverse("intake:lead_action", args=[lead.pk, "record_visit"]),
        reverse("intake:todo"),
        reverse("intake:dispatch_inbox"),
    ]
    seen_masked = set()
    for persona in PERSONAS:
        client = catalog.client_for(getattr(catalog, persona))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = body(response)
            assert PHONE not in text, (persona, url)
            if MASKED in text:
                seen_masked.add(persona)
    # the masked number is there for those who see the complaints
    assert {"dispatcher", "officer_a", "manager_a", "clerk_a", "legal"} <= seen_masked
    assert not PersonalDataAccess.objects.exists()


def test_a_reveal_is_recorded_with_who_and_where(catalog: World):
    complaint = services.complaint_create(
        actor=catalog.dispatcher,
        channel=Channel.RESIDENT,
        content="噪声",
        estate=catalog.estate_a,
        reporter_phone=PHONE,
    )
    url = reverse("intake:complaint_reveal", args=[complaint.pk])
    for persona in ("legal", "manager_a", "clerk_a", "member_a", "liaison", "officer_b"):
        response = catalog.client_for(getattr(catalog, persona)).post(url)
        assert response.status_code in (403, 404), persona
        assert PHONE not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()
    for user in (catalog.dispatcher, catalog.officer_a, catalog.dispatcher):
        response = catalog.client_for(user).post(url, HTTP_HX_REQUEST="true")
        assert PHONE in response.content.decode()
    accesses = list(PersonalDataAccess.objects.order_by("pk"))
    assert [a.user for a in accesses] == [catalog.dispatcher, catalog.officer_a, catalog.dispatcher]
    assert all(a.record_id == complaint.pk and a.field == "reporter_phone" for a in accesses)
    assert accesses[0].ip_address == "127.0.0.1"
