"""Pages of the renovation register: registration by a company's staff, the list with its
filters and Excel export, jurisdiction, masking of the owner's phone, the panels."""

from __future__ import annotations

import io
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from xiaoqu.audit.models import PersonalDataAccess
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.renovations.models import Renovation, RenovationCheck

from .factories import renovation_create

pytestmark = pytest.mark.django_db
B_ONLY = re.compile(r"乙|丙")


def _form(estate, **extra):
    data = {
        "estate": estate.pk,
        "building": "五号楼",
        "room": "301室",
        "owner_name": "张业主",
        "owner_phone": "13811112222",
        "start_date": "2026-11-01",
        "end_date": "2026-12-31",
        "contractor_name": "",
        "contractor_phone": "",
        "scope": "卫生间改造",
        "agreement_signed": "on",
    }
    data.update(extra)
    return data


def test_clerk_registers_for_own_estate_only(catalog) -> None:
    w = catalog
    client = w.client_for(w.clerk_a)
    page = client.get(reverse("renovations:renovation_add")).content.decode()
    assert "甲花园" in page and "甲新村" not in page and "乙公寓" not in page
    response = client.post(reverse("renovations:renovation_add"), _form(w.estate_a))
    renovation = Renovation.objects.get()
    assert response.status_code == 302 and response["Location"] == renovation.get_absolute_url()
    assert (renovation.building, renovation.room) == ("5", "301")
    # Another company's estate is not a choice.
    bad = client.post(reverse("renovations:renovation_add"), _form(w.estate_b, room="302"))
    assert bad.status_code == 200 and Renovation.objects.count() == 1
    # Dates out of order come back on the form.
    late = client.post(
        reverse("renovations:renovation_add"), _form(w.estate_a, room="303", end_date="2026-10-01")
    )
    assert late.status_code == 200 and 'data-testid="field-error"' in late.content.decode()
    # The bureau does not register.
    assert w.client_for(w.officer_a).get(reverse("renovations:renovation_add")).status_code == 404


def test_list_jurisdiction_and_export(catalog) -> None:
    w = catalog
    renovation_create(actor=w.clerk_a, estate=w.estate_a, owner_phone="13812345678")
    officer_client = w.client_for(w.officer_a)
    from xiaoqu.accounts.tests.factories import UserFactory

    clerk_c = UserFactory.create(
        username="clerk_c", role="property_staff", district=w.district, property_company=w.company_c
    )
    renovation_create(actor=clerk_c, estate=w.estate_b, room="601")
    page = officer_client.get(reverse("renovations:renovation_list")).content.decode()
    assert "甲花园" in page and not B_ONLY.findall(page.split('id="results"')[-1])
    assert "138****5678" in page and "13812345678" not in page
    assert (
        w.client_for(w.officer_b)
        .get(reverse("renovations:renovation_list"))
        .content.decode()
        .count("甲花园")
        == 0
    )
    assert (
        w.client_for(w.clerk_b)
        .get(reverse("renovations:renovation_list"))
        .content.decode()
        .count("甲花园")
        == 0
    )
    dispatcher_page = w.client_for(w.dispatcher).get(
        reverse("renovations:renovation_list"), {"structural": "false", "status": "in_progress"}
    )
    assert "乙公寓" in dispatcher_page.content.decode()
    export = w.client_for(w.officer_a).get(
        reverse("renovations:renovation_list"), {"export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    flat = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "甲花园" in flat and "乙公寓" not in flat
    assert "138****5678" in flat and "13812345678" not in flat
    assert len(rows) == 2  # header + one row


def test_detail_masks_owner_phone(catalog) -> None:
    w = catalog
    renovation = renovation_create(actor=w.clerk_a, estate=w.estate_a, owner_phone="13812345678")
    url = renovation.get_absolute_url()
    assert "13812345678" in w.client_for(w.clerk_a).get(url).content.decode()
    assert "13812345678" not in w.client_for(w.manager_a).get(url).content.decode()
    assert "13812345678" not in w.client_for(w.leader).get(url).content.decode()
    assert "13812345678" in w.client_for(w.officer_a).get(url).content.decode()
    assert PersonalDataAccess.objects.filter(user=w.officer_a).count() == 1
    assert w.client_for(w.officer_b).get(url).status_code == 404
    assert w.client_for(w.clerk_b).get(url).status_code == 404


def test_edit_and_cancel_with_confirmation(catalog) -> None:
    w = catalog
    renovation = renovation_create(actor=w.clerk_a, estate=w.estate_a)
    client = w.client_for(w.clerk_a)
    edit = client.post(
        reverse("renovations:renovation_edit", args=[renovation.pk]),
        _form(w.estate_a, building="3", room="502", scope="改为拆除非承重墙"),
    )
    assert edit.status_code == 302
    renovation.refresh_from_db()
    assert renovation.structural is True  # the scope names structural works
    confirm = client.get(reverse("renovations:renovation_cancel", args=[renovation.pk]))
    assert 'data-testid="confirm-cancel"' in confirm.content.decode()
    client.post(
        reverse("renovations:renovation_cancel", args=[renovation.pk]), {"reason": "业主取消"}
    )
    renovation.refresh_from_db()
    assert renovation.cancelled_at is not None
    assert (
        w.client_for(w.clerk_b)
        .get(reverse("renovations:renovation_edit", args=[renovation.pk]))
        .status_code
        == 404
    )


def test_check_panels_and_accept(catalog) -> None:
    w = catalog
    complaint = intake.complaint_create(
        actor=w.dispatcher,
        channel=Channel.HOTLINE,
        content="甲花园3号楼502室装修砸墙",
        estate=w.estate_a,
    )
    lead = complaint.lead
    assert lead is not None
    page = w.client_for(w.dispatcher).get(complaint.get_absolute_url()).content.decode()
    assert 'data-testid="check-unregistered"' in page and 'data-testid="accept-proposal"' in page
    lead_page = w.client_for(w.dispatcher).get(lead.get_absolute_url()).content.decode()
    assert 'data-testid="renovation-check"' in lead_page
    check = RenovationCheck.objects.get()
    w.client_for(w.dispatcher).post(reverse("renovations:check_accept", args=[check.pk]))
    lead.refresh_from_db()
    assert lead.violation_type is not None
    assert lead.violation_type.code == "renovation_unregistered"
    # Officers cannot accept (dispatchers correct the triage).
    assert (
        w.client_for(w.officer_a)
        .post(reverse("renovations:check_accept", args=[check.pk]))
        .status_code
        == 404
    )
    other = intake.complaint_create(
        actor=w.dispatcher, channel=Channel.HOTLINE, content="楼道堆物", estate=w.estate_a
    )
    assert (
        'data-testid="renovation-check"'
        not in w.client_for(w.dispatcher).get(other.get_absolute_url()).content.decode()
    )


def test_estate_panel_colours_and_jurisdiction(catalog) -> None:
    w = catalog
    renovation_create(actor=w.clerk_a, estate=w.estate_a, room="101")
    renovation_create(actor=w.clerk_a, estate=w.estate_a, room="102", structural=True)
    template = Template("{% load renovations %}{% estate_renovations estate user %}")
    html = template.render(Context({"estate": w.estate_a, "user": w.officer_a}))
    states = re.findall(r'data-state="(\w+)"', html)
    assert sorted(states) == ["in_progress", "structural"]
    hidden = template.render(Context({"estate": w.estate_a, "user": w.officer_b}))
    assert "data-state" not in hidden
