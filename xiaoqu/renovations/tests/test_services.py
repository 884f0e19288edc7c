from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xiaoqu.audit.models import Notification
from xiaoqu.audit.services import record_events
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import Channel
from xiaoqu.law.models import ViolationType
from xiaoqu.renovations.choices import CheckResult
from xiaoqu.renovations.models import RenovationCheck
from xiaoqu.renovations.services import (
    RenovationData,
    renovation_cancel,
    renovation_check_accept,
    renovation_register,
    unit_normalise,
)

from .factories import renovation_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("building", "room", "expected"),
    [
        ("3号楼", "502室", ("3", "502")),
        ("三号楼", "502", ("3", "502")),
        ("3幢", "502", ("3", "502")),
        ("3栋", " 502 ", ("3", "502")),
        ("十二号", "1201室", ("12", "1201")),
        ("３", "５０２", ("3", "502")),
        ("东楼", "", ("", "")),
    ],
)
def test_unit_normalise(building: str, room: str, expected: tuple[str, str]) -> None:
    unit = unit_normalise(building, room)
    assert (unit.building, unit.room) == expected


def _complaint(world, text: str, *, estate=None, vt: str | None = None, at=None):
    violation_type = ViolationType.objects.get(code=vt) if vt else None
    return intake.complaint_create(
        actor=world.dispatcher,
        channel=Channel.HOTLINE,
        content=text,
        estate=estate or world.estate_a,
        violation_type=violation_type,
        reporter_phone="13700001234",
        at=at,
    )


def test_registration_is_for_the_company_estates_only(catalog) -> None:
    w = catalog
    renovation = renovation_create(actor=w.clerk_a, estate=w.estate_a, building="三号楼")
    assert (renovation.building, renovation.room) == ("3", "502")
    assert renovation.district == w.district and renovation.subdistrict == w.sd_a
    assert [e.action for e in record_events(renovation)] == ["registered"]
    with pytest.raises(ValidationError):
        renovation_create(actor=w.clerk_a, estate=w.estate_a2)  # company 双区's estate
    with pytest.raises(ValidationError):
        renovation_create(actor=w.officer_a, estate=w.estate_a)  # the bureau does not register


def test_registration_dates_and_overlap(catalog) -> None:
    w = catalog
    today = timezone.localdate()
    data = RenovationData(
        estate=w.estate_a,
        building="1",
        room="101",
        owner_name="李",
        start_date=today,
        end_date=today - dt.timedelta(days=1),
        scope="刷墙",
    )
    with pytest.raises(ValidationError) as err:
        renovation_register(actor=w.clerk_a, data=data)
    assert "end_date" in err.value.message_dict
    renovation_create(actor=w.clerk_a, estate=w.estate_a, building="1", room="101")
    with pytest.raises(ValidationError) as err2:
        renovation_create(actor=w.clerk_a, estate=w.estate_a, building="1号楼", room="101室")
    assert "start_date" in err2.value.message_dict


def test_structural_flag_follows_the_scope(catalog) -> None:
    w = catalog
    plain = renovation_create(actor=w.clerk_a, estate=w.estate_a, room="101", scope="刷墙铺地板")
    assert plain.structural is False
    walls = renovation_create(
        actor=w.clerk_a, estate=w.estate_a, room="102", scope="拆除客厅与卧室之间的墙体，拆墙"
    )
    assert walls.structural is True
    event = record_events(walls).get()
    assert event.data["structural_from_scope"] is True


def test_cancel_needs_a_reason_and_the_company(catalog) -> None:
    w = catalog
    renovation = renovation_create(actor=w.clerk_a, estate=w.estate_a)
    with pytest.raises(ValidationError):
        renovation_cancel(renovation=renovation, actor=w.clerk_a, reason=" ")
    from xiaoqu.core.workflow import TransitionRefused

    with pytest.raises(TransitionRefused):
        renovation_cancel(renovation=renovation, actor=w.clerk_b, reason="业主取消")
    cancelled = renovation_cancel(renovation=renovation, actor=w.clerk_a, reason="业主取消")
    assert cancelled.status == "cancelled"


def test_unregistered_unit_proposes_renovation_unregistered(catalog) -> None:
    w = catalog
    complaint = _complaint(w, "甲花园3号楼502室有人在砸墙，噪音很大")
    check = RenovationCheck.objects.get(complaint=complaint)
    assert check.result == CheckResult.UNREGISTERED
    assert check.proposed_type == "renovation_unregistered"
    assert check.lead == complaint.lead
    assert "renovation_checked" in [e.action for e in record_events(complaint)]
    assert Notification.objects.filter(recipient=w.dispatcher, link__contains="/").exists()
    # A dispatcher accepts: the complaint and its lead (awaiting dispatch) take the type.
    renovation_check_accept(check=check, actor=w.dispatcher)
    complaint.lead.refresh_from_db()
    assert complaint.lead.violation_type.code == "renovation_unregistered"
    check.refresh_from_db()
    assert check.accepted_by == w.dispatcher


def test_registered_structural_unit_flags_a_structure_check(catalog) -> None:
    w = catalog
    renovation = renovation_create(
        actor=w.clerk_a, estate=w.estate_a, building="3幢", room="502", structural=True
    )
    complaint = _complaint(w, "三号楼502室装修敲墙，担心破坏承重墙")
    check = RenovationCheck.objects.get(complaint=complaint)
    assert check.result == CheckResult.STRUCTURAL
    assert check.renovation == renovation
    assert check.proposed_type == ""
    assert "structure_check_flagged" in [e.action for e in record_events(complaint.lead)]
    assert Notification.objects.filter(
        recipient=w.dispatcher, text__contains=complaint.lead.number
    ).exists()


def test_registered_plain_unit_is_noted(catalog) -> None:
    w = catalog
    renovation = renovation_create(actor=w.clerk_a, estate=w.estate_a)
    complaint = _complaint(w, "3号楼502室装修噪音扰民", vt="renovation_unregistered")
    check = RenovationCheck.objects.get(complaint=complaint)
    assert check.result == CheckResult.REGISTERED
    assert check.renovation == renovation
    assert check.proposed_type == ""


def test_outside_the_window_is_unregistered(catalog) -> None:
    w = catalog
    renovation_create(
        actor=w.clerk_a, estate=w.estate_a, start=timezone.localdate() - dt.timedelta(days=90)
    )  # ended 60 days ago
    complaint = _complaint(w, "3号楼502室又在装修")
    assert RenovationCheck.objects.get(complaint=complaint).result == CheckResult.UNREGISTERED


def test_no_unit_or_not_renovation_means_no_check(catalog) -> None:
    w = catalog
    no_unit = _complaint(w, "小区里有人装修砸墙，不知道哪一户")
    building_only = _complaint(w, "3号楼有人装修砸墙")
    other = _complaint(w, "3号楼502室门口堆放杂物", vt="common_area_occupation")
    assert not RenovationCheck.objects.filter(
        complaint__in=[no_unit, building_only, other]
    ).exists()


def test_unregistered_structure_damage_keeps_its_type(catalog) -> None:
    w = catalog
    complaint = _complaint(w, "3号楼502室拆承重墙", vt="structure_damage")
    check = RenovationCheck.objects.get(complaint=complaint)
    assert check.result == CheckResult.UNREGISTERED and check.proposed_type == ""


def test_renovation_waste_is_not_a_renovation_complaint(catalog) -> None:
    w = catalog
    complaint = _complaint(w, "3号楼502室门口堆放装修垃圾", vt="construction_waste")
    assert not RenovationCheck.objects.filter(complaint=complaint).exists()
