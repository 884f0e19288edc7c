"""The pages of credit demerits: the queue with its inline answers, the detail page, the
ranking, a company's record and the rule table; each through the user's jurisdiction."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.tests.factories import UserFactory
from xiaoqu.conftest import World
from xiaoqu.core.navigation import menu_for
from xiaoqu.credit.choices import ProposalStatus
from xiaoqu.credit.models import DemeritProposal, DemeritRule
from xiaoqu.credit.services import demerit_confirm
from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.law.models import CatalogChange

from .factories import at, proposal_at

B_ONLY = re.compile(r"乙|丙")


@pytest.fixture
def proposals(credit: World) -> dict[str, DemeritProposal]:
    """A proposal about 甲花园 (company 甲, subdistrict 甲) and one about 乙公寓 (company 丙,
    subdistrict 乙), both awaiting the housing bureau."""
    return {
        "a": proposal_at(credit, at(2026, 3, 2, 9), estate=credit.estate_a),
        "b": proposal_at(credit, at(2026, 3, 2, 9), estate=credit.estate_b),
    }


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_liaison_queue_lists_open_proposals_with_their_facts(
    credit: World, proposals: dict[str, DemeritProposal]
):
    page = html(credit.client_for(credit.liaison).get(reverse("credit:queue")))
    for p in proposals.values():
        assert p.number in page and p.decision_number in page
    assert 'data-testid="row-move-confirm"' in page and 'data-testid="row-move-reject"' in page
    assert "甲花园" in page and "乙公寓" in page
    # an officer sees his subdistrict's proposal without the buttons
    officer = html(credit.client_for(credit.officer_a).get(reverse("credit:queue")))
    assert proposals["a"].number in officer and proposals["b"].number not in officer
    assert "row-move-confirm" not in officer
    assert not B_ONLY.search(officer), B_ONLY.findall(officer)


def test_confirm_inline_redraws_the_row(credit: World, proposals: dict[str, DemeritProposal]):
    client = credit.client_for(credit.liaison)
    p = proposals["a"]
    response = client.post(
        reverse("credit:proposal_move", args=[p.pk, "confirm"]),
        {"from": "queue", "note": "属实"},
        HTTP_HX_REQUEST="true",
    )
    row = html(response)
    assert 'data-testid="row-done"' in row and f'id="proposal-row-{p.pk}"' in row
    assert "row-move-confirm" not in row and "<html" not in row
    p.refresh_from_db()
    assert p.status == ProposalStatus.CONFIRMED and p.answer == "属实"


def test_reject_inline_needs_reasons(credit: World, proposals: dict[str, DemeritProposal]):
    client = credit.client_for(credit.liaison)
    p = proposals["a"]
    url = reverse("credit:proposal_move", args=[p.pk, "reject"])
    row = html(client.post(url, {"from": "queue", "reason": ""}, HTTP_HX_REQUEST="true"))
    assert "is-invalid" in row and "row-move-reject" in row
    p.refresh_from_db()
    assert p.status == ProposalStatus.PROPOSED
    row = html(
        client.post(url, {"from": "queue", "reason": "立案前已报告"}, HTTP_HX_REQUEST="true")
    )
    assert 'data-testid="row-done"' in row and "立案前已报告" in row
    p.refresh_from_db()
    assert p.status == ProposalStatus.REJECTED and p.answer == "立案前已报告"


def test_a_refused_move_shows_its_reason(credit: World, proposals: dict[str, DemeritProposal]):
    p = proposals["a"]
    demerit_confirm(proposal=p, actor=credit.liaison, note="")
    response = credit.client_for(credit.liaison).post(
        reverse("credit:proposal_move", args=[p.pk, "reject"]),
        {"from": "queue", "reason": "改判"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="refusal"' in html(response)
    # an officer cannot answer at all
    response = credit.client_for(credit.officer_a).post(
        reverse("credit:proposal_move", args=[proposals["a"].pk, "confirm"]), {"note": ""}
    )
    assert 'data-testid="refusal"' in html(response)


def test_the_detail_page(credit: World, proposals: dict[str, DemeritProposal]):
    p = proposals["a"]
    page = html(credit.client_for(credit.liaison).get(p.get_absolute_url()))
    assert p.facts.splitlines()[0] in page and 'data-testid="move-confirm"' in page
    assert 'data-testid="case-number"' in page  # the liaison may not open the case
    assert "case-link" not in page
    officer = html(credit.client_for(credit.officer_a).get(p.get_absolute_url()))
    assert 'data-testid="case-link"' in officer and 'data-testid="no-moves"' in officer
    assert not B_ONLY.search(officer)
    # confirm from the detail page
    response = credit.client_for(credit.liaison).post(
        reverse("credit:proposal_move", args=[p.pk, "confirm"]), {"note": ""}
    )
    assert response.status_code == 302 and response["Location"] == p.get_absolute_url()
    page = html(credit.client_for(credit.liaison).get(p.get_absolute_url()))
    p.refresh_from_db()
    assert p.status == ProposalStatus.CONFIRMED and p.answered_by == credit.liaison
    assert 'data-testid="no-moves"' in page


@pytest.mark.parametrize("name", ["credit:proposal_detail", "credit:company_record"])
def test_another_subdistrict_or_company_gets_404(
    credit: World, proposals: dict[str, DemeritProposal], name: str
):
    p = proposals["a"]
    arg = p.pk if name == "credit:proposal_detail" else p.company_id
    assert credit.client_for(credit.officer_a).get(reverse(name, args=[arg])).status_code == 200
    assert credit.client_for(credit.officer_b).get(reverse(name, args=[arg])).status_code == 404
    assert credit.client_for(credit.clerk_b).get(reverse(name, args=[arg])).status_code == 404
    assert credit.client_for(credit.clerk_a).get(reverse(name, args=[arg])).status_code == 200


def test_other_company_staff_and_other_departments_see_nothing(
    credit: World, proposals: dict[str, DemeritProposal]
):
    clerk_b = credit.client_for(credit.clerk_b)
    for name in ("credit:queue", "credit:proposal_list"):
        page = html(clerk_b.get(reverse(name)))
        assert proposals["a"].number not in page and proposals["b"].number not in page
    police = UserFactory.create(
        role=Role.LIAISON,
        district=credit.district,
        department=DepartmentFactory.create(district=credit.district, code="police"),
    )
    client = credit.client_for(police)
    assert client.get(proposals["a"].get_absolute_url()).status_code == 404
    assert proposals["a"].number not in html(client.get(reverse("credit:queue")))
    # the company's own clerk sees his record and nothing of the others
    clerk_a = credit.client_for(credit.clerk_a)
    page = html(clerk_a.get(reverse("credit:proposal_list")))
    assert proposals["a"].number in page and proposals["b"].number not in page
    assert not B_ONLY.search(page)


def test_the_list_and_its_export_respect_jurisdiction(
    credit: World, proposals: dict[str, DemeritProposal]
):
    officer = credit.client_for(credit.officer_a)
    page = html(officer.get(reverse("credit:proposal_list")))
    assert proposals["a"].number in page and not B_ONLY.search(page)
    export = officer.get(reverse("credit:proposal_list"), {"export": "xlsx"})
    assert export.status_code == 200
    dispatcher = html(credit.client_for(credit.dispatcher).get(reverse("credit:proposal_list")))
    assert proposals["b"].number in dispatcher
    filtered = html(
        credit.client_for(credit.dispatcher).get(
            reverse("credit:proposal_list"), {"company": credit.company_c.pk}
        )
    )
    assert proposals["b"].number in filtered and proposals["a"].number not in filtered


def test_the_ranking_page(credit: World, proposals: dict[str, DemeritProposal]):
    demerit_confirm(proposal=proposals["a"], actor=credit.liaison, note="", at=at(2026, 3, 20))
    page = html(
        credit.client_for(credit.dispatcher).get(reverse("credit:ranking"), {"on": "2026-04-01"})
    )
    rows = re.findall(r'data-testid="ranking-row" data-company="([^"]+)"', page)
    assert rows == ["甲物业公司", "丙物业公司", "双区物业公司"]
    assert 'data-testid="total-points">2<' in page
    officer = html(
        credit.client_for(credit.officer_a).get(reverse("credit:ranking"), {"on": "2026-04-01"})
    )
    assert not B_ONLY.search(officer)
    assert html(credit.client_for(credit.dispatcher).get(reverse("credit:ranking"), {"on": "x"}))


def test_the_company_record_page(credit: World, proposals: dict[str, DemeritProposal]):
    demerit_confirm(proposal=proposals["a"], actor=credit.liaison, note="", at=at(2026, 3, 20))
    client = credit.client_for(credit.clerk_a)
    url = reverse("credit:company_record", args=[credit.company_a.pk])
    page = html(client.get(url, {"on": "2026-04-01"}))
    assert 'data-testid="company-points">2<' in page and "甲经理" in page
    assert proposals["a"].number in page
    later = html(client.get(url, {"on": "2027-04-01"}))
    assert 'data-testid="company-points">0<' in later
    # the clerk's menu leads to his own record
    response = client.get(reverse("credit:my_record"))
    assert response.status_code == 302 and response["Location"] == url
    assert credit.client_for(credit.officer_a).get(reverse("credit:my_record")).status_code == 404


def test_the_rule_table_is_read_by_all_and_edited_by_legal_staff(credit: World):
    rule = DemeritRule.objects.get(code="unreported")
    for user in (credit.clerk_a, credit.officer_a, credit.liaison):
        client = credit.client_for(user)
        page = html(client.get(reverse("credit:rule_list")))
        assert rule.description in page and "catalog-add" not in page
        detail = html(client.get(rule.get_absolute_url()))
        assert 'data-testid="unverified-note"' in detail and "catalog-edit" not in detail
        assert client.get(reverse("credit:rule_edit", args=[rule.pk])).status_code == 403
    legal = credit.client_for(credit.legal)
    assert "catalog-edit" in html(legal.get(rule.get_absolute_url()))
    assert html(legal.get(reverse("credit:rule_edit", args=[rule.pk])))
    data = {
        "description": rule.description,
        "situation": rule.situation,
        "company_points": 3,
        "manager_points": 1,
        "window_months": 12,
        "provision": rule.provision_id or "",
        "source_title": rule.source_title,
        "source_article": "",
        "note": rule.note,
        "sort_order": rule.sort_order,
        "effective_from": "2020-12-30",
        "effective_to": "",
    }
    response = legal.post(reverse("credit:rule_edit", args=[rule.pk]), data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.company_points == 3
    assert CatalogChange.objects.filter(model="credit.demeritrule", object_id=rule.pk).exists()
    assert "3" in html(legal.get(rule.get_absolute_url()))
    # a new version from a date
    response = legal.post(
        reverse("credit:rule_new_version", args=[rule.pk]),
        {**data, "company_points": 5, "effective_from": "2027-01-01", "verified": "on"},
    )
    assert response.status_code == 302
    assert DemeritRule.objects.filter(code="unreported").count() == 2
    assert html(credit.client_for(credit.admin).get(reverse("credit:rule_add")))


def test_menu_entries(credit: World):
    def names(user: Any) -> set[str]:
        return {i["name"] for s in menu_for(user, "/") for i in s["items"]}

    assert {"credit:queue", "credit:ranking", "credit:rule_list"} <= names(credit.liaison)
    assert {"credit:queue", "credit:ranking"} <= names(credit.officer_a)
    clerk = names(credit.clerk_a)
    assert "credit:my_record" in clerk and "credit:queue" not in clerk
    assert "credit:ranking" not in clerk


def test_anonymous_users_are_sent_to_login(client: Any, credit: World):
    for name in ("credit:queue", "credit:proposal_list", "credit:ranking", "credit:rule_list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
