from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xiaoqu.conftest import World
from xiaoqu.exemplary import services
from xiaoqu.exemplary.choices import ExemplaryStatus
from xiaoqu.exemplary.models import ExemplaryCase

from .factories import PERSONAL, closed_case, drafted, published, submitted

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# The public page


def test_public_page_shows_only_published_cases(catalog: World) -> None:
    world = catalog
    shown = published(world)
    draft = drafted(world)
    waiting = submitted(world)
    approved = services.exemplary_approve(
        actor=world.legal, exemplary=submitted(world), note="同意"
    )
    withdrawn = services.exemplary_withdraw(
        actor=world.legal, exemplary=published(world), reason="撤回"
    )
    ExemplaryCase.objects.filter(pk=shown.pk).update(title="公开的典型案例")
    for other, title in (
        (draft, "草稿"),
        (waiting, "待审"),
        (approved, "已审未发"),
        (withdrawn, "已撤回"),
    ):
        ExemplaryCase.objects.filter(pk=other.pk).update(title=title)
    anonymous = Client()
    page = anonymous.get(reverse("exemplary:public_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "公开的典型案例" in html
    for title in ("草稿", "待审", "已审未发", "已撤回"):
        assert title not in html
    assert (
        anonymous.get(reverse("exemplary:public_detail", args=[shown.public_id])).status_code == 200
    )
    for other in (draft, waiting, approved, withdrawn):
        response = anonymous.get(reverse("exemplary:public_detail", args=[other.public_id]))
        assert response.status_code == 404


def test_public_html_holds_no_personal_datum_and_no_internal_link(catalog: World) -> None:
    world = catalog
    exemplary = published(world)
    anonymous = Client()
    pages = [
        anonymous.get(reverse("exemplary:public_list")).content.decode(),
        anonymous.get(exemplary.get_public_url()).content.decode(),
    ]
    case = exemplary.case
    for html in pages:
        for value in [*PERSONAL.values(), case.number, case.lead.number, case.decision_number]:
            assert value not in html, value
        assert f"/cases/{case.pk}/" not in html
        links = set(re.findall(r'href="([^"]+)"', html))
        for link in links:
            assert link.startswith(("/exemplary/public/", "/static/", "/login/", "?")), link
        assert reverse("login") in links


def test_public_search_by_type_and_text(catalog: World) -> None:
    world = catalog
    a = published(world)
    b = published(world, code="ebike_charging")
    ExemplaryCase.objects.filter(pk=a.pk).update(title="堆物案甲")
    ExemplaryCase.objects.filter(pk=b.pk).update(title="充电案乙", lesson="飞线充电危险")
    anonymous = Client()
    html = anonymous.get(
        reverse("exemplary:public_list"), {"type": "ebike_charging"}
    ).content.decode()
    assert "充电案乙" in html and "堆物案甲" not in html
    html = anonymous.get(reverse("exemplary:public_list"), {"q": "飞线"}).content.decode()
    assert "充电案乙" in html and "堆物案甲" not in html
    html = anonymous.get(reverse("exemplary:public_list"), {"type": "no_such"}).content.decode()
    assert "充电案乙" in html and "堆物案甲" in html


def test_public_list_is_paginated(catalog: World) -> None:
    world = catalog
    first = published(world)
    for n in range(11):
        ExemplaryCase.objects.create(
            case=first.case,
            district=first.district,
            subdistrict=first.subdistrict,
            violation_type=first.violation_type,
            title=f"分页案例{n:02d}",
            facts="事实",
            legal_basis="依据",
            handling="处理",
            lesson="释法",
            status=ExemplaryStatus.PUBLISHED,
            created_at=first.created_at,
            published_at=first.published_at,
        )
    anonymous = Client()
    page1 = anonymous.get(reverse("exemplary:public_list")).content.decode()
    page2 = anonymous.get(reverse("exemplary:public_list"), {"page": 2}).content.decode()
    assert page1.count('data-testid="public-item"') == 10
    assert page2.count('data-testid="public-item"') == 2
    # the search travels to the next page intact, whatever it holds
    searched = anonymous.get(reverse("exemplary:public_list"), {"q": "分页&案例"}).content.decode()
    assert "?q=%E5%88%86%E9%A1%B5%26%E6%A1%88%E4%BE%8B&page=2" not in searched  # no match
    ExemplaryCase.objects.filter(title__startswith="分页案例").update(facts="分页&案例")
    searched = anonymous.get(reverse("exemplary:public_list"), {"q": "分页&案例"}).content.decode()
    assert "?q=%E5%88%86%E9%A1%B5%26%E6%A1%88%E4%BE%8B&page=2" in searched


def test_login_page_links_to_the_public_page(world: World) -> None:
    html = Client().get(reverse("login")).content.decode()
    assert reverse("exemplary:public_list") in html


# ---------------------------------------------------------------------------------------------
# Nothing else is reachable without login

PUBLIC_NAMES = {
    "exemplary:public_list",
    "exemplary:public_detail",
    "login",
    "admin:login",  # the admin site's own login page
    "javascript-catalog",
    "set_language",
}


def _patterns(resolvers: list[Any], prefix: str = "", namespace: str = "") -> Any:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name


def _fill(route: str, ids: dict[str, str]) -> str:
    """A concrete path for a route: its parameters filled with existing ids, or 1."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")

    def value(match: re.Match[str]) -> str:
        converter, _sep, name = match.group(1).rpartition(":")
        if converter == "uuid":
            return ids["uuid"]
        if converter in ("str", "slug", "path") or (not converter and not name.endswith("pk")):
            return ids.get(name, "x")
        return ids.get(name, ids["pk"])

    path = re.sub(r"<([^>]+)>", value, route)
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", ids["pk"], path)  # regex routes (admin)
    return "/" + path.replace("?", "")


def test_no_page_is_reachable_without_login_except_the_public_ones(catalog: World) -> None:
    world = catalog
    exemplary = published(world)
    ids = {"pk": str(exemplary.case_id), "uuid": "00000000-0000-4000-8000-000000000000"}
    anonymous = Client()
    checked = 0
    for route, name in _patterns(get_resolver().url_patterns):
        if name in PUBLIC_NAMES or route.startswith(("static/", "media/", "i18n/")):
            continue
        path = _fill(route, ids)
        for method in ("get", "post"):
            response = getattr(anonymous, method)(path)
            assert response.status_code in (301, 302, 401, 403, 404, 405), (path, name)
            if response.status_code in (301, 302):
                location = response["Location"]
                assert "login" in location or location.rstrip("/").endswith(path.rstrip("/")), (
                    path,
                    location,
                )
        checked += 1
    assert checked > 100


# ---------------------------------------------------------------------------------------------
# Internal pages


def test_internal_pages_by_role(catalog: World) -> None:
    world = catalog
    exemplary = submitted(world)
    detail = reverse("exemplary:detail", args=[exemplary.pk])
    for user in (world.dispatcher, world.legal, world.leader, world.officer_a):
        client = world.client_for(user)
        assert client.get(reverse("exemplary:list")).status_code == 200
        assert client.get(detail).status_code == 200
        assert client.get(reverse("exemplary:print", args=[exemplary.pk])).status_code == 200
    for user in (world.clerk_a, world.liaison, world.member_a):
        client = world.client_for(user)
        assert client.get(reverse("exemplary:list")).status_code == 403
        assert client.get(detail).status_code == 403
    assert world.client_for(world.officer_b).get(detail).status_code == 404


def test_legal_staff_see_review_buttons_and_approve(catalog: World) -> None:
    world = catalog
    exemplary = submitted(world)
    legal = world.client_for(world.legal)
    html = legal.get(reverse("exemplary:detail", args=[exemplary.pk])).content.decode()
    assert 'data-testid="move-approve"' in html and 'data-testid="move-return"' in html
    assert 'data-testid="personal-clean"' in html
    html = world.client_for(world.dispatcher).get(exemplary.get_absolute_url()).content.decode()
    assert 'data-testid="move-approve"' not in html
    url = reverse("exemplary:move", args=[exemplary.pk, "approve"])
    assert world.client_for(world.dispatcher).post(url, {"reason": "同意"}).status_code == 302
    assert ExemplaryCase.objects.get(pk=exemplary.pk).status == ExemplaryStatus.SUBMITTED
    response = legal.post(url, {"reason": ""})
    assert response.status_code == 200  # the note is required
    assert legal.post(url, {"reason": "同意发布"}).status_code == 302
    assert ExemplaryCase.objects.get(pk=exemplary.pk).status == ExemplaryStatus.APPROVED


def test_reviewer_sees_the_personal_data_left(catalog: World) -> None:
    world = catalog
    exemplary = drafted(world)
    services.exemplary_update(
        actor=world.dispatcher,
        exemplary=exemplary,
        lesson=f"{PERSONAL['party']}已整改，电话13700001111",
    )
    exemplary = services.exemplary_submit(actor=world.dispatcher, exemplary=exemplary)
    legal = world.client_for(world.legal)
    html = legal.get(exemplary.get_absolute_url()).content.decode()
    assert 'data-testid="personal-warning"' in html
    assert html.count('data-testid="personal-mark"') == 2
    url = reverse("exemplary:move", args=[exemplary.pk, "approve"])
    response = legal.post(url, {"reason": "同意"})
    assert response.status_code == 200
    assert PERSONAL["party"] in response.content.decode()
    assert ExemplaryCase.objects.get(pk=exemplary.pk).status == ExemplaryStatus.SUBMITTED


def test_edit_form_only_while_editable(catalog: World) -> None:
    world = catalog
    exemplary = drafted(world)
    client = world.client_for(world.dispatcher)
    url = reverse("exemplary:edit", args=[exemplary.pk])
    data = {
        "title": "新标题",
        "facts": exemplary.facts,
        "legal_basis": exemplary.legal_basis,
        "handling": exemplary.handling,
        "lesson": exemplary.lesson,
    }
    assert client.post(url, data).status_code == 302
    assert ExemplaryCase.objects.get(pk=exemplary.pk).title == "新标题"
    services.exemplary_submit(actor=world.dispatcher, exemplary=exemplary)
    assert client.post(url, {**data, "title": "再改"}).status_code == 302
    assert ExemplaryCase.objects.get(pk=exemplary.pk).title == "新标题"


def test_case_page_offers_the_draft_for_closed_cases(catalog: World) -> None:
    world = catalog
    case = closed_case(world)
    html = world.client_for(world.dispatcher).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="exemplary-draft"' in html
    html = world.client_for(world.manager_a).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="exemplary-draft"' not in html
    client = world.client_for(world.officer_a)
    response = client.post(reverse("exemplary:draft", args=[case.pk]))
    exemplary = ExemplaryCase.objects.get(case=case)
    assert response["Location"] == exemplary.get_absolute_url()
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="exemplary-link"' in html


def test_list_exports_excel(catalog: World) -> None:
    world = catalog
    submitted(world)
    response = world.client_for(world.legal).get(
        reverse("exemplary:list"), {"export": "xlsx", "status": "submitted"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
