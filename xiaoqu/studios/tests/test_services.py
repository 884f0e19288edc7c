from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.tests.factories import UserFactory
from xiaoqu.audit.models import Attachment
from xiaoqu.audit.services import record_events
from xiaoqu.conftest import World
from xiaoqu.intake.choices import Channel, LeadStatus
from xiaoqu.intake.models import Complaint
from xiaoqu.studios import services
from xiaoqu.studios.choices import ActivityKind, MemberKind, ReportKind
from xiaoqu.studios.models import StudioReport

from .factories import activity, at, member, report

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def photo(name: str = "苗头.png", data: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


# ---------------------------------------------------------------------------------------------
# Members


def test_member_create_records_an_event(world: World) -> None:
    m = member(world, organisation="甲一居委会", estate=world.estate_a)
    assert m.active and m.joined_on is not None
    events = list(record_events(m))
    assert [e.action for e in events] == ["created"]
    assert events[0].actor_id == world.dispatcher.pk


@pytest.mark.parametrize("who", ["officer_a", "manager_a", "leader", "admin"])
def test_staff_of_the_studio_may_add_members(world: World, who: str) -> None:
    m = services.member_create(
        actor=getattr(world, who), studio=world.studio_a, kind=MemberKind.COMMITTEE, name="甲委员"
    )
    assert m.studio == world.studio_a


@pytest.mark.parametrize("who", ["officer_b", "member_a", "clerk_a", "liaison", "legal"])
def test_others_may_not_add_members(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.member_create(
            actor=getattr(world, who),
            studio=world.studio_a,
            kind=MemberKind.COMMITTEE,
            name="甲委员",
        )


def test_member_estate_must_be_the_studios(world: World) -> None:
    with pytest.raises(ValidationError):
        member(world, estate=world.estate_b)


def test_only_a_studio_account_of_this_studio_can_be_linked(world: World) -> None:
    m = member(world, user=world.member_a)
    assert m.user == world.member_a
    with pytest.raises(ValidationError):
        member(world, name="甲二", user=world.member_a)  # already linked
    with pytest.raises(ValidationError):
        member(world, name="甲三", user=world.officer_a)  # not a studio member
    other = UserFactory.create(role=Role.STUDIO_MEMBER, studio=world.studio_b, username="m_b")
    with pytest.raises(ValidationError):
        member(world, name="甲四", user=other)  # a member of another studio


def test_member_update_records_what_changed(world: World) -> None:
    m = member(world)
    m = services.member_update(actor=world.officer_a, member=m, phone="13900001111", name="甲新名")
    assert (m.phone, m.name) == ("13900001111", "甲新名")
    last = list(record_events(m))[-1]
    assert last.action == "updated"
    assert last.data["phone"] == ["13812345678", "13900001111"]
    # Nothing changed: no event.
    services.member_update(actor=world.officer_a, member=m, phone="13900001111")
    assert len(list(record_events(m))) == 2
    with pytest.raises(PermissionDenied):
        services.member_update(actor=world.officer_b, member=m, name="乙改")


def test_deactivate_and_reactivate(world: World) -> None:
    m = member(world)
    m = services.member_deactivate(actor=world.manager_a, member=m, reason="搬离小区")
    assert not m.active and m.left_on is not None
    with pytest.raises(ValidationError):
        services.member_deactivate(actor=world.manager_a, member=m)
    with pytest.raises(PermissionDenied):
        services.member_reactivate(actor=world.member_a, member=m)
    m = services.member_reactivate(actor=world.manager_a, member=m)
    assert m.active and m.left_on is None
    assert [e.action for e in record_events(m)] == ["created", "deactivated", "reactivated"]
    assert list(record_events(m))[1].reason == "搬离小区"


# ---------------------------------------------------------------------------------------------
# Activities


def test_activity_create_and_outcome(world: World) -> None:
    a = activity(world, kind=ActivityKind.JOINT_PATROL, title="甲联合巡查", estate=world.estate_a)
    assert a.created_by == world.dispatcher
    a = services.activity_update(
        actor=world.officer_a, activity=a, outcome="清理楼道堆物3处", participants=6
    )
    assert [e.action for e in record_events(a)] == ["created", "outcome_recorded"]
    with pytest.raises(ValidationError):
        activity(world, estate=world.estate_b)


def test_activity_permissions(world: World) -> None:
    activity(world, studio=world.studio_b, title="乙例会")  # the dispatcher may, district-wide
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=world.officer_a,
            studio=world.studio_b,
            kind=ActivityKind.MEETING,
            title="乙例会",
            starts_at=at(2030, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=world.member_a,
            studio=world.studio_a,
            kind=ActivityKind.MEETING,
            title="甲例会",
            starts_at=at(2030, 1, 1),
        )


# ---------------------------------------------------------------------------------------------
# Member reports


def test_member_report_enters_the_loop_tagged_with_its_studio(catalog: World) -> None:
    world = catalog
    m = member(world, user=world.member_a)
    r = services.report_create(
        actor=world.member_a,
        estate=world.estate_a,
        content="302室在搬运砖块，疑似要砌墙",
        address="5号楼302室",
        uploads=[photo()],
    )
    complaint = r.complaint
    assert complaint.channel == Channel.STUDIO
    assert complaint.reporter_studio == world.studio_a
    assert complaint.entered_by == world.member_a
    assert complaint.lead is not None and complaint.lead.status == LeadStatus.PENDING_DISPATCH
    assert complaint.reply_due_at is not None  # the reporter is owed a reply
    assert (r.studio, r.member, r.kind) == (world.studio_a, m, ReportKind.EARLY_SIGN)
    assert Attachment.objects.filter(record_id=complaint.pk, name="苗头.png").exists()


def test_a_bad_photo_is_refused_and_nothing_is_recorded(catalog: World) -> None:
    world = catalog
    with pytest.raises(ValidationError):
        services.report_create(
            actor=world.member_a,
            estate=world.estate_a,
            content="楼道堆物",
            uploads=[photo("fake.png", b"not a png at all")],
        )
    assert not Complaint.objects.exists() and not StudioReport.objects.exists()


def test_member_cannot_report_about_another_studios_estate(catalog: World) -> None:
    world = catalog
    with pytest.raises(ValidationError):
        report(world, estate=world.estate_b)
    with pytest.raises(ValidationError):
        report(world, estate=world.estate_a2)  # in A, but not the studio's
    assert not StudioReport.objects.exists()


def test_only_studio_members_report_here(catalog: World) -> None:
    with pytest.raises(PermissionDenied):
        report(catalog, actor=catalog.dispatcher)
    with pytest.raises(PermissionDenied):
        report(catalog, actor=catalog.clerk_a)
