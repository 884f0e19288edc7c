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
    "studios:studio_list": ("studios:studio_detail", "studio_a", "studio_b"),
}
# Pages every signed-in user may read: who does what, and the legal catalog.
PUBLIC_PAGES = {
    "credit:rule_list",
    "credit:rule_detail",
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
# Pages whose jurisdiction is tested in their app (proposals go to the housing bureau and are
# seen by its liaison, the case's subdistrict and the company): xiaoqu/credit/tests/test_views.py
TESTED_IN_THEIR_APP = {
    "credit:proposal_list",
    "credit:proposal_detail",
    # records the world does not hold: xiaoqu/patrols/tests/test_views.py,
    # xiaoqu/renovations/tests/test_views.py, xiaoqu/studios/tests/test_views.py
    "patrols:task_list",
    "patrols:task_detail",
    "renovations:renovation_list",
    "renovations:renovation_detail",
    "studios:activity_list",
    # figures and their lists: xiaoqu/oversight/tests/test_views.py,
    # xiaoqu/assessment/tests/test_views.py (and the dashboards' in xiaoqu/analytics/tests)
    "oversight:lapse_list",
    "assessment:scheme_list",
    "assessment:scheme_detail",
    "assessment:snapshot_detail",
    # working together, by unit taking part rather than by estate:
    # xiaoqu/meetings/tests/test_views.py (meetings and action items of the units taking
    # part), xiaoqu/clinics/tests/test_views.py (clinics for every role),
    # xiaoqu/outreach/tests/test_views.py (events by target estate or organiser, trainings by
    # organiser or invited company)
    "meetings:meeting_list",
    "meetings:meeting_detail",
    "meetings:action_item_list",
    "meetings:action_item_detail",
    "clinics:clinic_list",
    "clinics:clinic_detail",
    "outreach:event_list",
    "outreach:event_detail",
    "outreach:training_list",
    "outreach:training_detail",
    # the one page without login (published exemplary cases only):
    # xiaoqu/exemplary/tests/test_views.py
    "exemplary:public_list",
    "exemplary:public_detail",
}


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
        set(SCOPED_PAGES)
        | {d for d, _, _ in SCOPED_PAGES.values()}
        | PUBLIC_PAGES
        | ADMIN_PAGES
        | TESTED_IN_THEIR_APP
        | set(LOOP_DETAIL_PAGES)
        | set(LOOP_LIST_PAGES)
    )
    pages = {
        n
        for n in all_url_names()
        if n.endswith(("_list", "_detail")) and not n.startswith("admin:")
    }
    pages -= {n for n in pages if n.startswith("core:import")}
    # The JSON API answers through the same selectors; xiaoqu/core/tests/test_api.py tests it.
    pages -= {n for n in pages if n.startswith("api:")}
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


# ---------------------------------------------------------------------------------------------
# The closed loop: complaints, leads, referrals, assistance requests


@pytest.fixture
def loop(catalog: World) -> dict[str, Any]:
    """A complaint, lead, referral and assistance request in 甲, and the same in 乙."""
    from django.utils import timezone

    from xiaoqu.cases import services as cases
    from xiaoqu.intake import services as intake
    from xiaoqu.law.models import ViolationType
    from xiaoqu.referrals import services as referrals

    vt = ViolationType.objects.effective().get(code="common_area_occupation")
    records: dict[str, Any] = {}
    for side, estate, officer in (
        ("a", catalog.estate_a, catalog.officer_a),
        ("b", catalog.estate_b, catalog.officer_b),
    ):
        complaint = intake.complaint_create(
            actor=catalog.dispatcher,
            channel="hotline",
            content=f"{estate.name}楼道堆物",
            estate=estate,
            violation_type=vt,
            reporter_name="王先生",
            reporter_phone="13812341234",
        )
        assert complaint.lead is not None
        lead = intake.lead_dispatch(lead=complaint.lead, actor=catalog.dispatcher)
        assistance = referrals.lead_request_assistance(
            lead=lead,
            actor=officer,
            department=catalog.housing,
            kind="housing_check",
            request=f"{estate.name}产权核实",
        )
        referrals.assistance_answer(request=assistance, actor=catalog.liaison, answer="已核实")
        referral = referrals.lead_refer(
            lead=lead,
            actor=officer,
            department=catalog.housing,
            matter=f"{estate.name}物业服务问题",
        )
        # a penalty case about another matter of the same estate
        charging = intake.complaint_create(
            actor=catalog.dispatcher,
            channel="patrol",
            content=f"{estate.name}飞线充电",
            estate=estate,
            violation_type=ViolationType.objects.effective().get(code="ebike_charging"),
        )
        assert charging.lead is not None
        case_lead = intake.lead_dispatch(lead=charging.lead, actor=catalog.dispatcher)
        case_lead = intake.lead_record_visit(
            lead=case_lead,
            actor=officer,
            visit=intake.Visit(
                inspected_at=timezone.now(),
                place="楼道",
                findings="飞线充电属实",
                violation_found=True,
            ),
        )
        case = cases.case_file(
            lead=case_lead,
            actor=officer,
            party_kind="person",
            party_name="当事人",
            facts="飞线充电",
        )
        records.update(
            {
                f"complaint_{side}": complaint,
                f"lead_{side}": lead,
                f"referral_{side}": referral,
                f"assistance_{side}": assistance,
                f"case_{side}": case,
            }
        )
    return records


# Lists of the loop: list url name -> the record key its rows show (the `loop` fixture).
LOOP_LIST_PAGES: dict[str, str] = {
    "cases:case_list": "case",
    "intake:complaint_list": "complaint",
    "intake:lead_list": "lead",
    "referrals:referral_list": "referral",
    "referrals:assistance_list": "assistance",
}

LOOP_DETAIL_PAGES = {
    "cases:case_detail": "case",
    "intake:complaint_detail": "complaint",
    "intake:lead_detail": "lead",
    "referrals:referral_detail": "referral",
    "referrals:assistance_detail": "assistance",
}


@pytest.mark.parametrize("detail_name", sorted(LOOP_DETAIL_PAGES))
def test_loop_detail_pages_stay_in_the_subdistrict(
    catalog: World, loop: dict[str, Any], detail_name: str
):
    key = LOOP_DETAIL_PAGES[detail_name]
    officer = catalog.client_for(catalog.officer_a)
    a, b = loop[f"{key}_a"], loop[f"{key}_b"]
    page = officer.get(reverse(detail_name, args=[a.pk]))
    assert page.status_code == 200 and not B_ONLY.search(page.content.decode())
    assert officer.get(reverse(detail_name, args=[b.pk])).status_code == 404
    assert (
        catalog.client_for(catalog.dispatcher).get(reverse(detail_name, args=[b.pk])).status_code
        == 200
    )


def test_liaisons_see_only_what_was_addressed_to_their_department(
    catalog: World, loop: dict[str, Any]
):
    liaison = catalog.client_for(catalog.liaison)
    for key in ("referral", "assistance"):
        detail = "referrals:referral_detail" if key == "referral" else "referrals:assistance_detail"
        assert liaison.get(reverse(detail, args=[loop[f"{key}_a"].pk])).status_code == 200
    # not the leads or complaints themselves
    assert liaison.get(reverse("intake:lead_detail", args=[loop["lead_a"].pk])).status_code == 404
    assert (
        liaison.get(reverse("intake:complaint_detail", args=[loop["complaint_a"].pk])).status_code
        == 404
    )
    # another department's liaison sees nothing
    from xiaoqu.accounts.choices import Role
    from xiaoqu.accounts.tests.factories import UserFactory
    from xiaoqu.departments.tests.factories import DepartmentFactory

    other = UserFactory.create(
        role=Role.LIAISON,
        district=catalog.district,
        department=DepartmentFactory.create(district=catalog.district, code="police"),
    )
    client = catalog.client_for(other)
    assert (
        client.get(reverse("referrals:referral_detail", args=[loop["referral_a"].pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("referrals:assistance_detail", args=[loop["assistance_a"].pk])
        ).status_code
        == 404
    )


def test_reporters_see_their_own_complaints_only(catalog: World):
    from xiaoqu.intake import services as intake

    mine = intake.complaint_create(
        actor=catalog.clerk_a,
        channel="property_company",
        content="装修擅自拆墙",
        estate=catalog.estate_a,
    )
    theirs = intake.complaint_create(
        actor=catalog.dispatcher,
        channel="hotline",
        content="其他诉件",
        estate=catalog.estate_a,
        reporter_phone="13900001111",
    )
    clerk = catalog.client_for(catalog.clerk_a)
    assert clerk.get(reverse("intake:complaint_detail", args=[mine.pk])).status_code == 200
    assert clerk.get(reverse("intake:complaint_detail", args=[theirs.pk])).status_code == 404
    assert clerk.get(reverse("intake:lead_detail", args=[mine.lead_id])).status_code == 404


@pytest.mark.parametrize("list_name", sorted(LOOP_LIST_PAGES) or ["none"])
def test_loop_lists_stay_in_the_subdistrict(catalog: World, loop: dict[str, Any], list_name: str):
    if list_name == "none":
        pytest.skip("no list pages of the loop yet")
    key = LOOP_LIST_PAGES[list_name]
    html = catalog.client_for(catalog.officer_a).get(reverse(list_name)).content.decode()
    assert loop[f"{key}_a"].number in html
    assert loop[f"{key}_b"].number not in html and not B_ONLY.search(html)
