"""Catalog pages: who may edit, what the pages show, the calendar page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from xiaoqu.law.models import (
    CalendarDay,
    CatalogChange,
    DeadlineRule,
    Provision,
    ReferralTarget,
    Statute,
    Threshold,
    ViolationType,
)
from xiaoqu.law.services import law_catalog_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(world: Any) -> Any:
    law_catalog_seed(district=world.district)
    return world


def _entries() -> list[Any]:
    return [
        ViolationType.objects.get(code="illegal_construction"),
        ReferralTarget.objects.get(code="housing"),
        DeadlineRule.objects.get(code="report_reply"),
        Threshold.objects.get(code="simplified_procedure"),
        Statute.objects.get(code="WYGL"),
        Provision.objects.get(statute__code="WYGL", article="84"),
    ]


PREFIXES = {
    ViolationType: "violationtype",
    ReferralTarget: "referraltarget",
    DeadlineRule: "deadlinerule",
    Threshold: "threshold",
    Statute: "statute",
    Provision: "provision",
}


def test_lists_and_details_render_for_every_role(seeded: Any) -> None:
    for user in (seeded.legal, seeded.officer_a, seeded.clerk_a, seeded.member_a):
        client = seeded.client_for(user)
        for entry in _entries():
            prefix = PREFIXES[type(entry)]
            assert client.get(reverse(f"law:{prefix}_list")).status_code == 200
            assert client.get(entry.get_absolute_url()).status_code == 200


def test_list_export_and_filters(seeded: Any) -> None:
    client = seeded.client_for(seeded.dispatcher)
    url = reverse("law:violationtype_list")
    response = client.get(url, {"verified": "false"})
    assert response.context["total"] == 5
    response = client.get(url, {"in_force": "true", "q": "违法搭建"})
    assert response.context["total"] == 1
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200
    assert "spreadsheet" in export["Content-Type"]


def test_unverified_entry_shows_to_be_verified(seeded: Any) -> None:
    client = seeded.client_for(seeded.officer_a)
    unverified = ViolationType.objects.get(code="group_rental")
    page = client.get(unverified.get_absolute_url()).content.decode()
    assert "badge-unverified" in page
    assert "待核实" in page
    verified = ViolationType.objects.get(code="ebike_charging")
    page = client.get(verified.get_absolute_url()).content.decode()
    assert "badge-unverified" not in page.split('data-testid="legal-basis"')[0]
    assert 'data-testid="unverified-warning"' not in page
    listing = client.get(reverse("law:violationtype_list"), {"verified": "false"}).content.decode()
    assert listing.count("badge-unverified") == 5


def test_violation_type_page_shows_basis_penalty_enforcer_and_deadlines(seeded: Any) -> None:
    vt = ViolationType.objects.get(code="illegal_construction")
    page = seeded.client_for(seeded.officer_a).get(vt.get_absolute_url()).content.decode()
    assert "违法搭建建筑物、构筑物" in page  # provision text
    assert "10,000" in page and "100,000" in page
    assert "规划资源行政" in page or "planning" in page
    specific = page.split('data-testid="deadlines"')[1]
    assert "发现或接到违法搭建举报后到现场调查取证" in specific
    assert specific.index("发现或接到违法搭建") < specific.index("核查举报并将核查情况告知举报人")


@pytest.mark.parametrize("role", ["officer_a", "dispatcher", "leader", "clerk_a", "liaison"])
def test_only_legal_and_admin_may_edit(seeded: Any, role: str) -> None:
    client = seeded.client_for(getattr(seeded, role))
    for entry in _entries():
        prefix = PREFIXES[type(entry)]
        detail = client.get(entry.get_absolute_url()).content.decode()
        assert 'data-testid="catalog-edit"' not in detail
        assert client.get(reverse(f"law:{prefix}_edit", args=[entry.pk])).status_code == 403
        assert client.post(reverse(f"law:{prefix}_edit", args=[entry.pk]), {}).status_code == 403
        assert client.get(reverse(f"law:{prefix}_add")).status_code == 403
    listing = client.get(reverse("law:violationtype_list")).content.decode()
    assert 'data-testid="catalog-add"' not in listing
    vt = ViolationType.objects.get(code="illegal_construction")
    url = reverse("law:violationtype_new_version", args=[vt.pk])
    assert client.post(url, {"effective_from": "2027-01-01"}).status_code == 403
    assert ViolationType.objects.filter(code="illegal_construction").count() == 1


@pytest.mark.parametrize("role", ["legal", "admin"])
def test_legal_and_admin_see_edit_forms(seeded: Any, role: str) -> None:
    client = seeded.client_for(getattr(seeded, role))
    for entry in _entries():
        prefix = PREFIXES[type(entry)]
        detail = client.get(entry.get_absolute_url()).content.decode()
        assert 'data-testid="catalog-edit"' in detail
        assert client.get(reverse(f"law:{prefix}_edit", args=[entry.pk])).status_code == 200
        assert client.get(reverse(f"law:{prefix}_add")).status_code == 200


def _form_data(response: Any) -> dict[str, Any]:
    """The initial values of a rendered form, as a browser would submit them."""
    form = response.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    return data


def test_edit_records_history(seeded: Any) -> None:
    client = seeded.client_for(seeded.legal)
    vt = ViolationType.objects.get(code="group_rental")
    url = reverse("law:violationtype_edit", args=[vt.pk])
    data = _form_data(client.get(url))
    data.update({"fine_min": "5000", "fine_max": "30000", "verified": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    vt.refresh_from_db()
    assert (vt.fine_min, vt.fine_max, vt.verified) == (5000, 30000, True)
    assert vt.code == "group_rental"
    change = CatalogChange.objects.get(model="law.violationtype", object_id=vt.pk)
    assert change.actor == seeded.legal and change.action == "update"
    assert change.before is not None and change.before["fine_min"] is None
    assert change.after is not None and change.after["fine_min"] == "5000"
    assert {f for f, _, _ in change.changed_fields()} == {"fine_min", "fine_max", "verified"}
    page = client.get(vt.get_absolute_url()).content.decode()
    history = page.split('data-testid="history"')[1]
    assert "30000" in history and str(seeded.legal) in history


def test_form_errors(seeded: Any) -> None:
    client = seeded.client_for(seeded.legal)
    vt = ViolationType.objects.get(code="ebike_charging")
    url = reverse("law:violationtype_edit", args=[vt.pk])
    data = _form_data(client.get(url))
    data.update({"fine_min": "500", "fine_max": "200", "effective_to": "2020-01-01"})
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "effective_to" in errors
    data.update({"effective_to": ""})
    response = client.post(url, data)
    assert "fine_max" in response.context["form"].errors
    vt.refresh_from_db()
    assert vt.fine_max == 200
    assert not CatalogChange.objects.exists()


def test_new_version_closes_the_old_one(seeded: Any) -> None:
    client = seeded.client_for(seeded.legal)
    old = ViolationType.objects.get(code="ebike_charging")
    url = reverse("law:violationtype_new_version", args=[old.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = _form_data(response)
    assert data["prohibitions"]  # carried over from the current version
    data.update({"effective_from": "2027-01-01", "fine_max": "300"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    old.refresh_from_db()
    assert old.effective_to == dt.date(2027, 1, 1)
    assert old.fine_max == 200
    new = ViolationType.objects.get(code="ebike_charging", effective_from=dt.date(2027, 1, 1))
    assert new.effective_to is None and new.fine_max == 300
    assert set(new.prohibitions.all()) == set(old.prohibitions.all())
    assert ViolationType.objects.effective(dt.date(2026, 12, 31)).get(code="ebike_charging") == old
    assert ViolationType.objects.effective(dt.date(2027, 1, 1)).get(code="ebike_charging") == new
    actions = set(CatalogChange.objects.values_list("action", flat=True))
    assert actions == {"close", "new_version"}
    page = client.get(new.get_absolute_url()).content.decode()
    assert 'data-testid="versions"' in page
    # The old version can no longer be replaced; a start before the current one is refused.
    assert client.get(url).status_code == 403
    again = reverse("law:violationtype_new_version", args=[new.pk])
    data.update({"effective_from": "2026-06-01"})
    response = client.post(again, data)
    assert response.status_code == 200
    assert "effective_from" in response.context["form"].errors


def test_create_entries(seeded: Any) -> None:
    client = seeded.client_for(seeded.legal)
    statute = Statute.objects.get(code="ZLZL")
    response = client.post(
        reverse("law:provision_add"),
        {"statute": statute.pk, "article": "16", "text": "示例条文", "note": ""},
    )
    assert response.status_code == 302
    assert Provision.objects.filter(statute=statute, article="16").exists()
    response = client.post(
        reverse("law:deadlinerule_add"),
        {
            "code": "report_reply",
            "description": "x",
            "limit": "5",
            "unit": "working_days",
            "source_title": "x",
            "effective_from": "2025-01-01",
        },
    )
    assert response.status_code == 200  # overlaps the version in force
    assert response.context["form"].non_field_errors()


class TestCalendarPage:
    def test_renders_with_grid_and_calculator(self, seeded: Any) -> None:
        client = seeded.client_for(seeded.officer_a)
        response = client.get(reverse("law:calendar"), {"year": 2026})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-date="2026-02-17" data-kind="holiday"' in page
        assert 'data-date="2026-02-14" data-kind="makeup_workday"' in page
        assert 'data-date="2026-03-01" data-kind="weekend"' in page
        assert 'data-testid="year-unknown"' not in page
        assert 'data-testid="calendar-add"' not in page
        response = client.get(
            reverse("law:calendar"),
            {"year": 2026, "start": "2026-02-14", "n": "1", "unit": "working_days"},
        )
        assert response.context["calculation"]["result"] == dt.date(2026, 2, 24)
        assert 'data-testid="calc-date">2026-02-24' in response.content.decode()

    def test_unknown_year_warns(self, seeded: Any) -> None:
        client = seeded.client_for(seeded.officer_a)
        page = client.get(reverse("law:calendar"), {"year": 2027}).content.decode()
        assert 'data-testid="year-unknown"' in page
        CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
        page = client.get(reverse("law:calendar"), {"year": 2027}).content.decode()
        assert 'data-testid="year-unknown"' not in page
        assert 'data-date="2027-01-01" data-kind="override_holiday"' in page

    def test_bad_year_falls_back(self, seeded: Any) -> None:
        client = seeded.client_for(seeded.officer_a)
        assert client.get(reverse("law:calendar"), {"year": "x"}).status_code == 200

    def test_officer_cannot_change_overrides(self, seeded: Any) -> None:
        client = seeded.client_for(seeded.officer_a)
        day = CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False)
        assert client.get(reverse("law:calendarday_add")).status_code == 403
        assert (
            client.post(reverse("law:calendarday_add"), {"date": "2027-01-02"}).status_code == 403
        )
        assert client.post(reverse("law:calendarday_delete", args=[day.pk])).status_code == 403
        assert CalendarDay.objects.count() == 1

    def test_legal_adds_edits_and_deletes_an_override(self, seeded: Any) -> None:
        client = seeded.client_for(seeded.legal)
        page = client.get(reverse("law:calendar"), {"year": 2027}).content.decode()
        assert 'data-testid="calendar-add"' in page
        form = client.get(reverse("law:calendarday_add"), {"date": "2027-02-06"})
        assert form.context["form"].initial == {"date": dt.date(2027, 2, 6), "is_workday": True}
        response = client.post(
            reverse("law:calendarday_add"),
            {"date": "2027-02-06", "is_workday": "on", "name": "春节调休"},
        )
        assert response.status_code == 302 and response["Location"].endswith("?year=2027")
        day = CalendarDay.objects.get(date=dt.date(2027, 2, 6))
        assert day.is_workday
        response = client.post(
            reverse("law:calendarday_edit", args=[day.pk]),
            {"date": "2027-02-06", "name": "改为休息"},
        )
        assert response.status_code == 302
        day.refresh_from_db()
        assert not day.is_workday
        confirm = client.get(reverse("law:calendarday_delete", args=[day.pk]))
        assert (
            confirm.status_code == 200
            and 'data-testid="confirm-delete"' in confirm.content.decode()
        )
        assert CalendarDay.objects.filter(pk=day.pk).exists()
        response = client.post(reverse("law:calendarday_delete", args=[day.pk]))
        assert response.status_code == 302
        assert not CalendarDay.objects.filter(pk=day.pk).exists()
        actions = list(
            CatalogChange.objects.filter(model="law.calendarday").values_list("action", flat=True)
        )
        assert sorted(actions) == ["create", "delete", "update"]

    def test_duplicate_override_is_refused(self, seeded: Any) -> None:
        client = seeded.client_for(seeded.legal)
        CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False)
        response = client.post(reverse("law:calendarday_add"), {"date": "2027-01-01"})
        assert response.status_code == 200
        assert "date" in response.context["form"].errors
