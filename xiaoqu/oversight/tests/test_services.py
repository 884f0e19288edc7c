"""The pilot programme's services: who may choose, and Estate.is_pilot kept in step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xiaoqu.audit.services import record_events
from xiaoqu.estates.models import Estate
from xiaoqu.oversight import services
from xiaoqu.oversight.models import PilotEstate

START = dt.date(2026, 1, 1)


def test_leader_records_programme_and_estates(world):
    w = world
    programme = services.programme_create(
        actor=w.leader, district=w.district, name="试点", starts_on=START
    )
    added = services.pilot_estates_add(
        actor=w.dispatcher,
        programme=programme,
        estates=[(w.estate_a, "投诉万人比高"), (w.estate_b, "类型分散")],
    )
    assert len(added) == 2
    assert set(Estate.objects.filter(is_pilot=True).values_list("pk", flat=True)) == {
        w.estate_a.pk,
        w.estate_b.pk,
    }
    # adding again changes nothing
    assert (
        services.pilot_estates_add(actor=w.leader, programme=programme, estates=[(w.estate_a, "")])
        == []
    )
    services.pilot_estate_remove(actor=w.leader, programme=programme, estate=w.estate_b)
    assert list(Estate.objects.filter(is_pilot=True).values_list("pk", flat=True)) == [
        w.estate_a.pk
    ]
    actions = [e.action for e in record_events(programme)]
    assert actions == ["created", "estates_added", "estate_removed"]


@pytest.mark.parametrize("role", ["officer_a", "manager_a", "liaison", "clerk_a", "legal"])
def test_others_may_not_choose(world, role):
    with pytest.raises(PermissionDenied):
        services.programme_create(
            actor=getattr(world, role), district=world.district, name="x", starts_on=START
        )


def test_ended_programme_releases_its_estates(world):
    w = world
    programme = services.programme_create(
        actor=w.leader,
        district=w.district,
        name="已结束",
        starts_on=START,
        ends_on=START + dt.timedelta(days=30),
    )
    services.pilot_estates_add(actor=w.leader, programme=programme, estates=[(w.estate_a, "")])
    assert not Estate.objects.get(pk=w.estate_a.pk).is_pilot
    assert PilotEstate.objects.count() == 1


def test_end_before_start_refused(world):
    with pytest.raises(ValidationError):
        services.programme_create(
            actor=world.leader,
            district=world.district,
            name="x",
            starts_on=START,
            ends_on=START - dt.timedelta(days=1),
        )
