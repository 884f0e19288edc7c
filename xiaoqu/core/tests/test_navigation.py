"""The prevention pages are reachable from the menu of the people who use them, and only
theirs (a menu entry exists only for a page the user can use)."""

from __future__ import annotations

from typing import Any

from xiaoqu.conftest import World
from xiaoqu.core.navigation import menu_for

PREVENTION = {
    "patrols:my",
    "patrols:task_list",
    "patrols:coverage",
    "patrols:frequency",
    "estates:grade_scheme",
    "studios:studio_list",
    "studios:my_studio",
    "studios:report_new",
    "studios:my_reports",
    "renovations:renovation_list",
    "credit:desk",
}


def entries(user: Any) -> set[str]:
    return {i["name"] for s in menu_for(user, "/") for i in s["items"]} & PREVENTION


def test_prevention_menu_by_role(world: World) -> None:
    assert entries(world.dispatcher) == {
        "patrols:task_list",
        "patrols:coverage",
        "patrols:frequency",
        "estates:grade_scheme",
        "studios:studio_list",
        "renovations:renovation_list",
    }
    assert entries(world.officer_a) == {
        "patrols:my",
        "patrols:task_list",
        "patrols:coverage",
        "estates:grade_scheme",
        "studios:studio_list",
        "renovations:renovation_list",
    }
    assert entries(world.member_a) == {
        "patrols:task_list",
        "studios:my_studio",
        "studios:report_new",
        "studios:my_reports",
    }
    assert entries(world.clerk_a) == {"renovations:renovation_list", "credit:desk"}
    assert entries(world.liaison) == {"estates:grade_scheme"}


def test_every_prevention_entry_opens(world: World) -> None:
    for user in (world.dispatcher, world.officer_a, world.member_a, world.clerk_a, world.liaison):
        client = world.client_for(user)
        for item in (i for s in menu_for(user, "/") for i in s["items"]):
            if item["name"] in PREVENTION:
                response = client.get(item["url"], follow=True)
                assert response.status_code == 200, (user.username, item["name"])


FIGURES = {
    "analytics:mine",
    "oversight:lapse_list",
    "oversight:pilot",
    "assessment:evaluation",
    "assessment:scheme_list",
    "assessment:reports",
    "assessment:plan",
}


def test_figures_menu_by_role(world: World) -> None:
    def figures(user: Any) -> set[str]:
        return {i["name"] for s in menu_for(user, "/") for i in s["items"]} & FIGURES

    for user in (world.leader, world.dispatcher, world.officer_a, world.manager_a, world.liaison):
        assert figures(user) == FIGURES, user.username
    assert figures(world.clerk_a) == set()
    assert figures(world.member_a) == set()
    for user in (world.leader, world.officer_a, world.liaison):
        client = world.client_for(user)
        for item in (i for s in menu_for(user, "/") for i in s["items"]):
            if item["name"] in FIGURES:
                response = client.get(item["url"], follow=True)
                assert response.status_code == 200, (user.username, item["name"])


COOPERATION = {
    "meetings:meeting_list",
    "meetings:action_item_list",
    "meetings:our_action_items",
    "clinics:clinic_list",
    "clinics:clinic_suggestions",
    "outreach:event_list",
    "outreach:training_list",
    "exemplary:list",
    "exemplary:public_list",
}


def test_cooperation_menu_by_role(world: World) -> None:
    def cooperation(user: Any) -> set[str]:
        return {i["name"] for s in menu_for(user, "/") for i in s["items"]} & COOPERATION

    bureau = COOPERATION - {"meetings:our_action_items"}
    assert cooperation(world.dispatcher) == bureau
    assert cooperation(world.leader) == bureau
    assert cooperation(world.legal) == bureau - {"clinics:clinic_suggestions"}
    assert cooperation(world.officer_a) == {
        "meetings:meeting_list",
        "meetings:our_action_items",
        "clinics:clinic_list",
        "outreach:event_list",
        "outreach:training_list",
        "exemplary:list",
        "exemplary:public_list",
    }
    assert cooperation(world.manager_a) == {
        "meetings:meeting_list",
        "meetings:our_action_items",
        "clinics:clinic_list",
        "outreach:event_list",
        "outreach:training_list",
    }
    assert cooperation(world.liaison) == {
        "meetings:meeting_list",
        "meetings:our_action_items",
        "clinics:clinic_list",
        "outreach:event_list",
        "outreach:training_list",
    }
    assert cooperation(world.clerk_a) == {"outreach:training_list"}
    assert cooperation(world.member_a) == {"outreach:event_list"}


def test_every_cooperation_entry_opens(world: World) -> None:
    for user in (
        world.dispatcher,
        world.legal,
        world.officer_a,
        world.manager_a,
        world.liaison,
        world.clerk_a,
        world.member_a,
    ):
        client = world.client_for(user)
        for item in (i for s in menu_for(user, "/") for i in s["items"]):
            if item["name"] in COOPERATION:
                response = client.get(item["url"], follow=True)
                assert response.status_code == 200, (user.username, item["name"])
