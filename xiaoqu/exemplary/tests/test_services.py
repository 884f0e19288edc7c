from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xiaoqu.cases.tests.factories import filed
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.exemplary import services
from xiaoqu.exemplary.choices import ExemplaryStatus
from xiaoqu.exemplary.models import ExemplaryCase

from .factories import PERSONAL, closed_case, drafted, published, submitted

pytestmark = pytest.mark.django_db


def _values(world: World, case: object) -> list[str]:
    """Every personal datum put into the case, plus the people and numbers of its record."""
    values = [*PERSONAL.values(), "139 1234 5678"]
    for user in (world.officer_a, world.dispatcher):
        if user.name:
            values.append(user.name)
    values += [case.number, case.lead.number, case.decision_number]  # type: ignore[attr-defined]
    values += list(case.lead.complaints.values_list("number", flat=True))  # type: ignore[attr-defined]
    return [v for v in values if v]


def test_draft_removes_every_personal_datum_of_the_case(catalog: World) -> None:
    world = catalog
    case = closed_case(world)
    exemplary = services.exemplary_draft(actor=world.dispatcher, case=case)
    text = exemplary.text()
    for value in _values(world, case):
        assert value not in text, value
    # what the text keeps: the subdistrict, the type, the penalty
    assert world.sd_a.name in exemplary.title
    assert case.violation_type.name in exemplary.title
    assert "2,000" in exemplary.handling
    assert "王某" in exemplary.facts
    assert services.personal_findings(exemplary) == {k: [] for k in services.TEXT_FIELDS}


def test_draft_only_from_a_closed_case_and_once(catalog: World) -> None:
    world = catalog
    with pytest.raises(ValidationError):
        services.exemplary_draft(actor=world.dispatcher, case=filed(world))
    exemplary = drafted(world)
    with pytest.raises(ValidationError):
        services.exemplary_draft(actor=world.legal, case=exemplary.case)


def test_draft_permissions(catalog: World) -> None:
    world = catalog
    case = closed_case(world)
    for user in (world.clerk_a, world.liaison, world.member_a, world.manager_a):
        with pytest.raises(PermissionDenied):
            services.exemplary_draft(actor=user, case=case)
    with pytest.raises(PermissionDenied):  # a case of another subdistrict
        services.exemplary_draft(actor=world.officer_b, case=case)
    exemplary = services.exemplary_draft(actor=world.officer_a, case=case)
    assert exemplary.status == ExemplaryStatus.DRAFT
    assert exemplary.created_by == world.officer_a


def test_approval_refused_while_personal_data_remain(catalog: World) -> None:
    world = catalog
    exemplary = drafted(world)
    services.exemplary_update(
        actor=world.dispatcher,
        exemplary=exemplary,
        facts=exemplary.facts + f"当事人{PERSONAL['party']}已整改。",
    )
    exemplary = services.exemplary_submit(actor=world.dispatcher, exemplary=exemplary)
    with pytest.raises(TransitionRefused) as refused:
        services.exemplary_approve(actor=world.legal, exemplary=exemplary, note="同意")
    assert PERSONAL["party"] in str(refused.value)
    assert ExemplaryCase.objects.get(pk=exemplary.pk).status == ExemplaryStatus.SUBMITTED
    # returned, cleaned, submitted again: approved
    exemplary = services.exemplary_return(
        actor=world.legal, exemplary=exemplary, reason="仍有当事人姓名"
    )
    assert exemplary.status == ExemplaryStatus.RETURNED
    assert exemplary.return_reason == "仍有当事人姓名"
    exemplary = services.exemplary_update(
        actor=world.dispatcher,
        exemplary=exemplary,
        facts=exemplary.facts.replace(PERSONAL["party"], "王某"),
    )
    exemplary = services.exemplary_submit(actor=world.dispatcher, exemplary=exemplary)
    exemplary = services.exemplary_approve(actor=world.legal, exemplary=exemplary, note="同意")
    assert exemplary.status == ExemplaryStatus.APPROVED
    assert exemplary.review_note == "同意"


def test_a_pattern_left_in_the_text_refuses_approval(catalog: World) -> None:
    world = catalog
    exemplary = drafted(world)
    services.exemplary_update(
        actor=world.dispatcher, exemplary=exemplary, lesson="举报电话13700001111。"
    )
    exemplary = services.exemplary_submit(actor=world.dispatcher, exemplary=exemplary)
    with pytest.raises(TransitionRefused):
        services.exemplary_approve(actor=world.legal, exemplary=exemplary, note="同意")


def test_review_is_for_legal_staff_other_than_the_author(catalog: World) -> None:
    world = catalog
    exemplary = submitted(world)
    for user in (world.dispatcher, world.leader, world.officer_a, world.admin, world.clerk_a):
        with pytest.raises(TransitionRefused):
            services.exemplary_approve(actor=user, exemplary=exemplary, note="同意")
        with pytest.raises(TransitionRefused):
            services.exemplary_return(actor=user, exemplary=exemplary, reason="不同意")
    own = services.exemplary_draft(actor=world.legal, case=closed_case(world))
    own = services.exemplary_submit(actor=world.legal, exemplary=own)
    with pytest.raises(TransitionRefused):
        services.exemplary_approve(actor=world.legal, exemplary=own, note="同意")


def test_approval_needs_a_note_and_return_a_reason(catalog: World) -> None:
    world = catalog
    exemplary = submitted(world)
    with pytest.raises(TransitionRefused):
        services.exemplary_approve(actor=world.legal, exemplary=exemplary, note=" ")
    with pytest.raises(TransitionRefused):
        services.exemplary_return(actor=world.legal, exemplary=exemplary, reason="")


def test_edits_only_in_draft_or_returned(catalog: World) -> None:
    world = catalog
    exemplary = submitted(world)
    with pytest.raises(ValidationError):
        services.exemplary_update(actor=world.dispatcher, exemplary=exemplary, title="新标题")
    with pytest.raises(TransitionRefused):  # not approved yet
        services.exemplary_publish(actor=world.legal, exemplary=exemplary)


def test_publish_and_withdraw(catalog: World) -> None:
    world = catalog
    exemplary = published(world)
    assert exemplary.status == ExemplaryStatus.PUBLISHED
    assert exemplary.published_at is not None
    with pytest.raises(TransitionRefused):
        services.exemplary_withdraw(actor=world.legal, exemplary=exemplary, reason="")
    with pytest.raises(TransitionRefused):
        services.exemplary_withdraw(actor=world.officer_a, exemplary=exemplary, reason="错误")
    exemplary = services.exemplary_withdraw(
        actor=world.leader, exemplary=exemplary, reason="当事人提出异议"
    )
    assert exemplary.status == ExemplaryStatus.WITHDRAWN
    # a withdrawn case may be drafted again
    again = services.exemplary_draft(actor=world.dispatcher, case=exemplary.case)
    assert again.pk != exemplary.pk


def test_every_step_is_an_event(catalog: World) -> None:
    from xiaoqu.audit.services import record_events

    exemplary = published(catalog)
    assert [e.action for e in record_events(exemplary)] == [
        "drafted",
        "submit",
        "approve",
        "publish",
    ]
