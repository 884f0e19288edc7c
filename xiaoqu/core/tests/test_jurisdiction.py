"""One jurisdiction filter for every list, detail page, export and selector.

An officer of subdistrict 甲 sees nothing of 乙; a property company clerk sees only the
estates his company manages; a studio member only his studio's estates."""

from __future__ import annotations

import inspect
import io
import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from xiaoqu.conftest import World
from xiaoqu.estates import selectors as estate_selectors
from xiaoqu.regions import selectors as region_selectors

B_ONLY = re.compile(r"乙|丙")

# list url name -> (detail url name, attribute path of an A record, of a B record)
SCOPED_PAGES: dict[str, tuple[str, str, str]] = {
    "estates:estate_list": ("estates:estate_detail", "estate_a", "estate_b"),
    "regions:subdistrict_list": ("regions:subdistrict_detail", "sd_a", "sd_b"),
    "regions:committee_list": ("regions:committee_detail", "committee_a", "committee_b"),
    "estates:company_list": ("estates:company_detail", "company_a", "company_c"),
    "estates:manager_list": (
        "estates:manager_detail",
        "company_a.managers.first",
        "company_c.managers.first",
    ),
    "estates:owners_committee_list": (
        "estates:owners_committee_detail",
        "estate_a.owners_committee",
        "estate_b.owners_committee",
    ),
    "estates:studio_list": ("estates:studio_detail", "studio_a", "studio_b"),
}
# Pages every signed-in user may read: who does what, and the legal catalog.
PUBLIC_PAGES = {
    "departments:department_list",
    "departments:department_detail",
    "law:violationtype_list",
    "law:violationtype_detail",
    "law:referraltarget_list",
    "law:referraltarget_detail",
    "law:deadlinerule_list",
    "law:deadlinerule_detail",
    "law:threshold_list",
    "law:threshold_detail",
    "law:statute_list",
    "law:statute_detail",
    "law:provision_list",
    "law:provision_detail",
    "regions:district_detail",
}
# Administration pages: platform admins only (tested in accounts and imports tests).
ADMIN_PAGES = {"accounts:user_list", "accounts:user_detail"}


def resolve_attr(world: World, path: str) -> Any:
    obj: Any = world
    for part in path.split("."):
        obj = getattr(obj, part)
        if inspect.ismethod(obj):
            obj = obj()
    return obj


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: Any, prefix: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_list_and_detail_page_is_covered():
    """A new browse page cannot escape these tests: it must be listed here."""
    covered = (
        set(SCOPED_PAGES) | {d for d, _, _ in SCOPED_PAGES.values()} | PUBLIC_PAGES | ADMIN_PAGES
    )
    pages = {
        n
        for n in all_url_names()
        if n.endswith(("_list", "_detail")) and not n.startswith("admin:")
    }
    pages -= {n for n in pages if n.startswith("core:import")}
    assert pages - covered == set()


@pytest.mark.parametrize("list_name", sorted(SCOPED_PAGES))
def test_officer_sees_nothing_of_another_subdistrict(world: World, list_name: str):
    detail_name, a_path, b_path = SCOPED_PAGES[list_name]
    client = world.client_for(world.officer_a)
    response = client.get(reverse(list_name))
    assert response.status_code == 200
    html = response.content.decode()
    a_obj = resolve_attr(world, a_path)
    assert (getattr(a_obj, "name", None) or a_obj.estate.name) in html
    assert not B_ONLY.search(html), B_ONLY.findall(html)
    assert (
        client.get(reverse(detail_name, args=[resolve_attr(world, a_path).pk])).status_code == 200
    )
    assert (
        client.get(reverse(detail_name, args=[resolve_attr(world, b_path).pk])).status_code == 404
    )
    # and the other way round
    other = world.client_for(world.officer_b)
    assert other.get(reverse(detail_name, args=[resolve_attr(world, a_path).pk])).status_code == 404


@pytest.mark.parametrize("list_name", sorted(SCOPED_PAGES))
def test_export_respects_jurisdiction(world: World, list_name: str):
    client = world.client_for(world.officer_a)
    response = client.get(reverse(list_name), {"export": "xlsx"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    text = " ".join(
        str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None
    )
    assert not B_ONLY.search(text)


def test_detail_pages_of_a_show_nothing_of_b(world: World):
    client = world.client_for(world.officer_a)
    for detail_name, a_path, _b in SCOPED_PAGES.values():
        html = client.get(
            reverse(detail_name, args=[resolve_attr(world, a_path).pk])
        ).content.decode()
        assert not B_ONLY.search(html), (detail_name, B_ONLY.findall(html))


def test_home_shows_only_own_subdistrict(world: World):
    html = world.client_for(world.officer_a).get(reverse("home")).content.decode()
    assert "甲街道" in html
    assert not B_ONLY.search(html)


def test_property_clerk_sees_only_his_estates(world: World):
    client = world.client_for(world.clerk_a)
    html = client.get(reverse("estates:estate_list")).content.decode()
    assert "甲花园" in html
    assert "甲新村" not in html and "乙公寓" not in html
    assert (
        client.get(reverse("estates:estate_detail", args=[world.estate_a2.pk])).status_code == 404
    )
    companies = client.get(reverse("estates:company_list")).content.decode()
    assert (
        "甲物业公司" in companies
        and "双区物业公司" not in companies
        and "丙物业公司" not in companies
    )
    assert (
        client.get(reverse("estates:company_detail", args=[world.company_b.pk])).status_code == 404
    )
    # the clerk of 双区 sees 甲新村 but not 甲花园
    other = world.client_for(world.clerk_b)
    html = other.get(reverse("estates:estate_list")).content.decode()
    assert "甲新村" in html and "甲花园" not in html


def test_studio_member_sees_only_his_studio_estates(world: World):
    client = world.client_for(world.member_a)
    html = client.get(reverse("estates:estate_list")).content.decode()
    assert "甲花园" in html and "甲新村" not in html and "乙公寓" not in html
    assert client.get(reverse("estates:studio_detail", args=[world.studio_b.pk])).status_code == 404


def test_district_users_see_everything(world: World):
    for user in (world.dispatcher, world.leader, world.legal, world.admin):
        html = world.client_for(user).get(reverse("estates:estate_list")).content.decode()
        assert all(n in html for n in ("甲花园", "甲新村", "乙公寓"))


def test_selectors_apply_the_filter(world: World):
    officer = world.officer_a
    assert set(estate_selectors.estate_list(user=officer)) == {world.estate_a, world.estate_a2}
    assert set(region_selectors.subdistrict_list(user=officer)) == {world.sd_a}
    assert set(region_selectors.committee_list(user=officer)) == {world.committee_a}
    assert set(estate_selectors.company_list(user=officer)) == {world.company_a, world.company_b}
    assert set(estate_selectors.manager_list(user=officer)) == set(
        world.company_a.managers.all() | world.company_b.managers.all()
    )
    assert set(estate_selectors.owners_committee_list(user=officer)) == {
        world.estate_a.owners_committee
    }
    assert set(estate_selectors.studio_list(user=officer)) == {world.studio_a}
    clerk = world.clerk_a
    assert set(estate_selectors.estate_list(user=clerk)) == {world.estate_a}
    assert set(estate_selectors.company_list(user=clerk)) == {world.company_a}
    assert set(estate_selectors.studio_list(user=world.member_a)) == {world.studio_a}
    # figures in a scope count only that scope
    sd: Any = region_selectors.subdistrict_list(user=officer).get()
    assert sd.estate_count == 2 and sd.residents == 2400


def test_anonymous_is_sent_to_login(client, world: World):
    for name in SCOPED_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_filter_choices_are_restricted(world: World):
    html = world.client_for(world.officer_a).get(reverse("estates:estate_list")).content.decode()
    # the subdistrict / committee / company / studio dropdowns list nothing of B
    assert "乙街道" not in html and "乙工作室" not in html and "丙物业公司" not in html


def test_rules_of_a_child_model_follow_its_parent():
    from xiaoqu.core.jurisdiction import EVERYTHING
    from xiaoqu.estates.models import Estate, EstateAddress

    rules = EstateAddress.jurisdiction
    assert rules == Estate.jurisdiction.via("estate")
    assert rules.subdistrict == "estate__subdistrict"
    assert rules.studio == "estate__studios"
    assert rules.department == EVERYTHING
