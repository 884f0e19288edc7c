"""Meetings: the agenda drafted from constructed data (each source, in order, open action
items first), action items and their workflow, the sweep of overdue action items (once, with
notifications), the next meeting's agenda, the DOCX record."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from xiaoqu.analytics.models import DeadlineItem, RecurrenceCount
from xiaoqu.audit.models import Event, Notification
from xiaoqu.audit.services import audit_verify
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.intake.models import Complaint
from xiaoqu.meetings import services
from xiaoqu.meetings.choices import ActionItemStatus, AgendaSource, MeetingStatus
from xiaoqu.meetings.exports import meeting_docx
from xiaoqu.meetings.models import ActionItem
from xiaoqu.referrals import services as referrals
from xiaoqu.supervision import services as supervision
from xiaoqu.supervision.models import UrgeNotice
from xiaoqu.supervision.tests.factories import assistance_at, complaint_at, referral_at

from .factories import action_item_at, at, held_meeting, meeting_at

pytestmark = pytest.mark.django_db


def _sources(meeting) -> list[str]:
    return list(meeting.agenda.order_by("position").values_list("source", flat=True))


def test_agenda_is_drafted_from_every_source_in_order(catalog: World):
    # (1) an earlier meeting with one open and one accepted action item
    earlier = held_meeting(catalog, at(2026, 3, 2, 9), title="2026年第3次例会")
    open_item = action_item_at(catalog, earlier, at(2026, 3, 2, 11), deadline=dt.date(2026, 3, 31))
    finished = action_item_at(
        catalog, earlier, at(2026, 3, 2, 11), deadline=dt.date(2026, 3, 20), description="已办结"
    )
    services.action_item_done(
        item=finished, actor=catalog.liaison, note="已清理", at=at(2026, 3, 10, 9)
    )
    services.action_item_accept(item=finished, actor=catalog.dispatcher, at=at(2026, 3, 11, 9))
    # (2) a referral and an assistance request overdue (the sweep marks them)
    overdue_referral = referral_at(catalog, at(2026, 3, 9, 10), estate=catalog.estate_a2)
    overdue_assistance = assistance_at(catalog, at(2026, 3, 9, 10))
    supervision.sweep(at=at(2026, 4, 10, 9))
    overdue_referral.refresh_from_db()
    overdue_assistance.refresh_from_db()
    assert overdue_referral.overdue_at and overdue_assistance.overdue_at
    # (3) a referral returned by the department, with its reason
    returned = referral_at(catalog, at(2026, 4, 13, 10), estate=catalog.estate_b)
    referrals.referral_return(
        referral=returned,
        actor=catalog.liaison,
        reason="群租整治不属于房管局职责",
        at=at(2026, 4, 14, 10),
    )
    # (4) a chronic matter: four complaints of one type at one estate within 90 days
    for day in (1, 8, 15, 22):
        complaint_at(
            catalog, at(2026, 4, day, 9), estate=catalog.estate_b, content="乙公寓楼道堆物"
        )
    RecurrenceCount.objects.create(
        month=dt.date(2026, 4, 1),
        district_id=catalog.district.pk,
        subdistrict_id=catalog.sd_a.pk,
        estate_id=catalog.estate_a.pk,
        violation_code="ebike_charging",
        leads=2,
        recurrences=2,
    )
    # (5) deadline items due since the earlier meeting, one on time, one late
    for n, on_time in enumerate((True, False)):
        DeadlineItem.objects.create(
            kind="lead",
            record_id=90000 + n,
            month=dt.date(2026, 4, 1),
            district_id=catalog.district.pk,
            due_at=at(2026, 4, 5, 12),
            finished_at=at(2026, 4, 6, 12),
            on_time=on_time,
            late=not on_time,
            closed=True,
        )

    meeting = meeting_at(catalog, at(2026, 4, 30, 9), drafted_at=at(2026, 4, 27, 9))
    agenda = list(meeting.agenda.order_by("position"))
    sources = _sources(meeting)
    # each source appears, in the order of the sources; open action items first
    order: list[str] = [AgendaSource.ACTION_ITEM, AgendaSource.OVERDUE, AgendaSource.RETURNED]
    order += [AgendaSource.CHRONIC, AgendaSource.FIGURES]
    assert [s for i, s in enumerate(sources) if s not in sources[:i]] == order
    assert sources == sorted(sources, key=order.index)
    first = agenda[0]
    assert first.action_item_id == open_item.pk and open_item.number in first.title
    assert not any(a.action_item_id == finished.pk for a in agenda)
    # the overdue item names the department and links both records
    overdue = next(a for a in agenda if a.source == AgendaSource.OVERDUE)
    assert catalog.housing.name in overdue.title
    linked = {(ref["kind"], ref["pk"]) for ref in overdue.refs}
    assert ("referral", overdue_referral.pk) in linked
    assert ("assistance", overdue_assistance.pk) in linked
    assert {link["url"] for link in overdue.links()} >= {
        overdue_referral.get_absolute_url(),
        overdue_assistance.get_absolute_url(),
    }
    # the returned referral carries the department's reason from the events
    disputed = next(a for a in agenda if a.source == AgendaSource.RETURNED)
    assert returned.number in disputed.title and "不属于房管局职责" in disputed.detail
    # chronic: the estate × type with four complaints (three repeats), and the recurrence
    chronic = [a for a in agenda if a.source == AgendaSource.CHRONIC]
    first_chronic = next(a for a in chronic if catalog.estate_b.name in a.title)
    assert first_chronic.data["complaints"] == 4 and first_chronic.data["repeats"] == 3
    assert any(link["kind"] == "records" for link in first_chronic.links())
    assert any(a.data.get("recurrences") == 2 and catalog.estate_a.name in a.title for a in chronic)
    # figures since the earlier meeting: both deadline items, one on time, with the counts
    figures = agenda[-1]
    assert figures.source == AgendaSource.FIGURES
    assert figures.data["due"] == 2 and figures.data["on_time"] == 1
    assert figures.data["since"].startswith("2026-03-02")
    assert (
        figures.data["complaints"]
        == Complaint.objects.filter(
            received_at__gte=at(2026, 3, 2, 9), received_at__lt=at(2026, 4, 27, 9)
        ).count()
    )
    assert "50.0 %" in figures.detail


def test_redrafting_keeps_the_items_added_by_hand(catalog: World):
    meeting = meeting_at(catalog, at(2026, 4, 30, 9))
    services.agenda_item_add(meeting=meeting, actor=catalog.dispatcher, title="汛期安全检查")
    drafted = meeting.agenda.filter(drafted=True).count()
    services.meeting_agenda_draft(meeting=meeting, actor=catalog.dispatcher, at=at(2026, 4, 28))
    assert meeting.agenda.filter(drafted=True).count() == drafted
    manual = meeting.agenda.get(drafted=False)
    assert manual.title == "汛期安全检查" and manual.position == meeting.agenda.count()
    # reorder by hand, then remove
    services.agenda_item_move(item=manual, actor=catalog.dispatcher, up=True)
    manual.refresh_from_db()
    assert manual.position == meeting.agenda.count() - 1
    services.agenda_item_remove(item=manual, actor=catalog.dispatcher)
    assert not meeting.agenda.filter(drafted=False).exists()
    # once held, the agenda can no longer be drafted again
    services.meeting_hold(meeting=meeting, actor=catalog.dispatcher, at=at(2026, 4, 30, 9))
    with pytest.raises(TransitionRefused):
        services.meeting_agenda_draft(meeting=meeting, actor=catalog.dispatcher)


def test_the_next_agenda_starts_with_the_open_action_items(catalog: World):
    april = held_meeting(catalog, at(2026, 4, 1, 9))
    late = action_item_at(catalog, april, at(2026, 4, 1, 11), deadline=dt.date(2026, 4, 15))
    later = action_item_at(
        catalog, april, at(2026, 4, 1, 11), deadline=dt.date(2026, 5, 30), subdistrict=catalog.sd_a
    )
    referral_at(catalog, at(2026, 3, 1, 10))  # something else to discuss
    supervision.sweep(at=at(2026, 4, 20, 9))
    may = meeting_at(catalog, at(2026, 5, 6, 9), title="2026年第5次例会")
    agenda = list(may.agenda.order_by("position"))
    assert [a.action_item_id for a in agenda[:2]] == [late.pk, later.pk]  # overdue first
    assert all(a.source != AgendaSource.ACTION_ITEM for a in agenda[2:])


def test_meeting_moves_are_checked(catalog: World):
    meeting = meeting_at(catalog, at(2026, 4, 30, 9))
    with pytest.raises(PermissionDenied):
        services.meeting_hold(meeting=meeting, actor=catalog.liaison)
    with pytest.raises(TransitionRefused):  # not held yet
        services.meeting_close(meeting=meeting, actor=catalog.dispatcher)
    with pytest.raises(TransitionRefused):  # decisions are recorded in a meeting held
        action_item_at(catalog, meeting, at(2026, 4, 30, 9), deadline=dt.date(2026, 5, 30))
    services.meeting_hold(meeting=meeting, actor=catalog.dispatcher, at=at(2026, 4, 30, 9))
    with pytest.raises(ValidationError):  # no minutes yet
        services.meeting_close(meeting=meeting, actor=catalog.dispatcher)
    with pytest.raises(TransitionRefused):
        services.meeting_cancel(meeting=meeting, actor=catalog.dispatcher, reason="改期")
    services.meeting_minutes_record(
        meeting=meeting, actor=catalog.dispatcher, minutes="会议听取了各单位汇报。"
    )
    meeting = services.meeting_close(meeting=meeting, actor=catalog.dispatcher)
    assert meeting.status == MeetingStatus.CLOSED
    assert audit_verify()[2] == []


def test_action_item_workflow(catalog: World):
    meeting = held_meeting(catalog, at(2026, 4, 1, 9))
    with pytest.raises(ValidationError):
        action_item_at(catalog, meeting, at(2026, 4, 1, 11), deadline=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError):  # one unit, not two
        action_item_at(
            catalog,
            meeting,
            at(2026, 4, 1, 11),
            deadline=dt.date(2026, 5, 1),
            department=catalog.housing,
            subdistrict=catalog.sd_a,
        )
    item = action_item_at(catalog, meeting, at(2026, 4, 1, 11), deadline=dt.date(2026, 4, 30))
    assert item.number.startswith("DB-2026-")
    assert item.due_at == at(2026, 4, 30, 23, 59) + dt.timedelta(seconds=59)
    assert Notification.objects.filter(recipient=catalog.liaison, text__contains=item.number)
    # only the unit reports it done; only the bureau accepts
    for stranger in (catalog.officer_a, catalog.dispatcher):
        with pytest.raises(TransitionRefused):
            services.action_item_done(item=item, actor=stranger, note="x")
    with pytest.raises(TransitionRefused):
        services.action_item_done(item=item, actor=catalog.liaison, note=" ")
    item = services.action_item_done(
        item=item, actor=catalog.liaison, note="已约谈物业企业", at=at(2026, 4, 20, 9)
    )
    assert item.status == ActionItemStatus.DONE and item.due_at is None
    with pytest.raises(TransitionRefused):
        services.action_item_accept(item=item, actor=catalog.liaison)
    item = services.action_item_reopen(
        item=item,
        actor=catalog.dispatcher,
        reason="复查仍有堆物",
        deadline=dt.date(2026, 5, 15),
        at=at(2026, 4, 22, 9),
    )
    assert item.status == ActionItemStatus.REOPENED and item.deadline == dt.date(2026, 5, 15)
    assert item.due_at is not None and item.reopen_count == 1
    item = services.action_item_done(
        item=item, actor=catalog.liaison, note="已清理完毕", at=at(2026, 5, 10, 9)
    )
    item = services.action_item_accept(item=item, actor=catalog.dispatcher, at=at(2026, 5, 11))
    assert item.status == ActionItemStatus.ACCEPTED


def test_overdue_action_items_are_swept_once(catalog: World):
    meeting = held_meeting(catalog, at(2026, 4, 1, 9))
    item = action_item_at(
        catalog,
        meeting,
        at(2026, 4, 1, 11),
        deadline=dt.date(2026, 4, 15),
        subdistrict=catalog.sd_a,
    )
    on_time = action_item_at(catalog, meeting, at(2026, 4, 1, 11), deadline=dt.date(2026, 4, 15))
    services.action_item_done(item=on_time, actor=catalog.liaison, note="已办", at=at(2026, 4, 14))
    assert supervision.sweep(at=at(2026, 4, 15, 23)).action_items == []  # not due yet
    result = supervision.sweep(at=at(2026, 4, 16, 9))
    assert result.action_items == [item.number]
    item.refresh_from_db()
    assert item.overdue_at == at(2026, 4, 16, 9)
    assert Event.objects.filter(action="overdue", record_id=item.pk).count() == 1
    notice = UrgeNotice.objects.get(record_number=item.number)
    assert notice.subdistrict_id == catalog.sd_a.pk
    # the subdistrict's users are told, the dispatchers and leaders get the escalation
    told = set(
        Notification.objects.filter(
            text__contains=item.number, created_at=at(2026, 4, 16, 9)
        ).values_list("recipient__username", flat=True)
    )
    assert {"officer_a", "manager_a", "dispatcher1", "leader1"} <= told
    assert "officer_b" not in told and "liaison1" not in told
    # once: a later sweep does not mark it again
    assert supervision.sweep(at=at(2026, 4, 17, 9)).action_items == []
    assert Event.objects.filter(action="overdue", record_id=item.pk).count() == 1
    # reopened with a new deadline after being done late, it is watched again
    services.action_item_done(item=item, actor=catalog.officer_a, note="已办", at=at(2026, 4, 18))
    item = services.action_item_reopen(
        item=ActionItem.objects.get(pk=item.pk),
        actor=catalog.dispatcher,
        reason="未落实",
        deadline=dt.date(2026, 4, 25),
        at=at(2026, 4, 19),
    )
    assert item.overdue_at is None
    assert supervision.sweep(at=at(2026, 4, 26, 9)).action_items == [item.number]


def test_the_record_exports_as_docx(catalog: World):
    meeting = meeting_at(catalog, at(2026, 4, 30, 9), title="2026年第4次例会")
    services.agenda_item_add(meeting=meeting, actor=catalog.dispatcher, title="电动车充电专项整治")
    services.meeting_hold(meeting=meeting, actor=catalog.dispatcher, at=at(2026, 4, 30, 9))
    manual = meeting.agenda.get(drafted=False)
    housing = meeting.participants.get(department=catalog.housing)
    services.meeting_minutes_record(
        meeting=meeting,
        actor=catalog.dispatcher,
        minutes="会议认为电动车飞线充电问题突出。",
        attendance={housing.pk: (True, "李科长")},
        discussions={manual.pk: "各街道排查充电设施"},
        at=at(2026, 4, 30, 11),
    )
    services.action_item_create(
        meeting=meeting,
        actor=catalog.dispatcher,
        description="排查甲街道小区充电设施",
        deadline=dt.date(2026, 5, 31),
        subdistrict=catalog.sd_a,
        agenda_item=manual,
        at=at(2026, 4, 30, 11),
    )
    meeting.refresh_from_db()
    document = Document(io.BytesIO(meeting_docx(meeting)))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "2026年第4次例会" in text
    assert "2026-04-30 09:00" in cells and "区城管执法局三楼会议室" in cells
    assert catalog.housing.name in cells and "李科长" in cells and catalog.sd_a.name in cells
    assert "电动车充电专项整治" in text and "各街道排查充电设施" in text
    assert "会议认为电动车飞线充电问题突出。" in text
    assert "排查甲街道小区充电设施" in cells and "2026-05-31" in cells
