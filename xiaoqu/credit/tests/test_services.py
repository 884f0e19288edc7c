"""Credit demerits through their services: when a decided case proposes one, the housing
bureau's answer, the scan, the rolling window, the ranking, the sweep and the seed."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from xiaoqu.audit.models import Notification
from xiaoqu.audit.services import audit_verify, record_events
from xiaoqu.cases import services as cases
from xiaoqu.cases.choices import PenaltyKind
from xiaoqu.conftest import World
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.credit import selectors
from xiaoqu.credit.choices import ProposalStatus, Situation
from xiaoqu.credit.models import DemeritProposal, DemeritRule
from xiaoqu.credit.seed import credit_seed
from xiaoqu.credit.services import (
    add_months,
    demerit_confirm,
    demerit_propose_for_case,
    demerit_reject,
    demerit_sweep,
    demerits_propose_missing,
)
from xiaoqu.law.models import DeadlineRule
from xiaoqu.law.services import catalog_entry_update

from .factories import (
    at,
    company_report,
    decided_case,
    proposal_at,
    settled_report,
    verified_lead,
)


def test_a_penalty_without_a_report_proposes_a_demerit(credit: World):
    case = decided_case(credit)
    proposal = demerit_propose_for_case(case=case, at=at(2026, 3, 10, 11))
    assert proposal is not None and proposal.status == ProposalStatus.PROPOSED
    assert proposal.case == case and proposal.department == credit.housing
    assert proposal.company == credit.company_a and proposal.estate == credit.estate_a
    assert proposal.project_manager == credit.estate_a.project_manager
    assert proposal.situation == Situation.UNREPORTED and proposal.rule.code == "unreported"
    assert (proposal.company_points, proposal.manager_points, proposal.window_months) == (2, 1, 12)
    assert proposal.decision_number == case.decision_number and proposal.fine == Decimal(1500)
    assert proposal.counts_from == case.decided_at
    assert proposal.counts_until == at(2027, 3, 10, 9)
    assert proposal.number.startswith("JF-2026-")
    # the facts say what, where, which decision and why the company answers for it
    for text in ("甲花园", "甲物业公司", "甲经理", case.number, case.decision_number, "1,500"):
        assert text in proposal.facts
    assert "张某" not in proposal.facts  # the party is not named to the company
    # the housing bureau answers within its (unverified) rule: 10 working days
    assert proposal.due_rule is not None and proposal.due_rule.code == "demerit_answer"
    assert proposal.due_at is not None and proposal.due_at.date() == dt.date(2026, 3, 24)
    (event,) = record_events(proposal)
    assert event.action == "proposed" and event.actor is None and event.data["rule"] == "unreported"
    assert Notification.objects.filter(recipient=credit.liaison, link__contains=str(proposal.pk))
    assert audit_verify()[2] == []


def test_no_demerit_when_the_company_reported_the_matter_before_filing(credit: World):
    # the company's own report raised the lead
    lead = verified_lead(
        credit,
        estate=credit.estate_a,
        when=at(2026, 3, 2, 9),
        channel="property_company",
        reporter=credit.clerk_a,
    )
    case = decided_case(credit, lead=lead)
    assert demerit_propose_for_case(case=case) is None
    assert not DemeritProposal.objects.exists()


def test_a_report_attached_to_the_open_lead_before_filing_counts(credit: World):
    lead = verified_lead(credit, estate=credit.estate_a, when=at(2026, 3, 2, 9))
    report = company_report(
        credit, estate=credit.estate_a, code="common_area_occupation", when=at(2026, 3, 2, 16)
    )
    assert report.lead == lead  # a repeat of the open matter
    case = decided_case(credit, lead=lead)
    assert demerit_propose_for_case(case=case) is None


def test_a_report_after_filing_does_not_count(credit: World):
    case = decided_case(credit, when=at(2026, 3, 2, 9))
    company_report(
        credit, estate=credit.estate_a, code="common_area_occupation", when=at(2026, 3, 12, 9)
    )
    assert demerit_propose_for_case(case=case) is not None


def test_an_earlier_report_of_the_same_estate_and_type_counts_within_90_days(credit: World):
    settled_report(
        credit, estate=credit.estate_a, code="common_area_occupation", when=at(2026, 1, 5, 9)
    )
    case = decided_case(credit, when=at(2026, 3, 2, 9))
    assert demerit_propose_for_case(case=case) is None
    # it does not count for another estate
    other = decided_case(credit, estate=credit.estate_a2, when=at(2026, 3, 2, 9))
    assert demerit_propose_for_case(case=other) is not None


def test_a_report_older_than_90_days_does_not_count(credit: World):
    settled_report(
        credit, estate=credit.estate_a, code="common_area_occupation", when=at(2025, 10, 1, 9)
    )
    case = decided_case(credit, when=at(2026, 3, 2, 9))
    assert demerit_propose_for_case(case=case) is not None


def test_a_property_negligence_decision_proposes_a_demerit_even_after_a_report(credit: World):
    company_report(
        credit, estate=credit.estate_a, code="property_negligence", when=at(2026, 3, 1, 9)
    )
    case = decided_case(credit, code="property_negligence", fine=3000)
    proposal = demerit_propose_for_case(case=case)
    assert proposal is not None
    assert proposal.situation == Situation.NEGLIGENCE and proposal.rule.code == "negligence_decided"
    assert (proposal.company_points, proposal.manager_points) == (6, 3)


def test_the_rule_naming_the_violation_type_is_preferred(credit: World):
    case = decided_case(credit, code="structure_damage", penalty=PenaltyKind.WARNING, fine=None)
    proposal = demerit_propose_for_case(case=case)
    assert proposal is not None and proposal.rule.code == "unreported_safety"
    assert (proposal.company_points, proposal.manager_points) == (4, 2)
    assert proposal.fine is None and proposal.penalty == PenaltyKind.WARNING


def test_cases_without_a_penalty_an_estate_or_a_company_propose_nothing(credit: World):
    # withdrawn without a decision
    lead = verified_lead(credit, estate=credit.estate_a, when=at(2026, 3, 2, 9))
    withdrawn = cases.case_file(
        lead=lead,
        actor=credit.officer_a,
        party_kind="person",
        party_name="张某",
        facts="x",
        at=at(2026, 3, 3),
    )
    withdrawn = cases.case_withdraw(
        case=withdrawn, actor=credit.officer_a, reason="事实不清", at=at(2026, 3, 4)
    )
    assert demerit_propose_for_case(case=withdrawn) is None
    # decided with "no penalty"
    none = decided_case(credit, estate=credit.estate_b, penalty=PenaltyKind.NONE, fine=None)
    assert demerit_propose_for_case(case=none) is None
    # an estate without a property company
    credit.estate_a2.property_company = None
    credit.estate_a2.save()
    bare = decided_case(credit, estate=credit.estate_a2)
    assert bare.property_company is None
    assert demerit_propose_for_case(case=bare) is None
    assert not DemeritProposal.objects.exists()


def test_no_rule_in_force_or_no_housing_bureau_proposes_nothing(credit: World):
    DemeritRule.objects.all().delete()
    case = decided_case(credit)
    assert demerit_propose_for_case(case=case) is None
    credit_seed()
    credit.housing.is_active = False
    credit.housing.save()
    assert demerit_propose_for_case(case=case) is None
    credit.housing.is_active = True
    credit.housing.save()
    assert demerit_propose_for_case(case=case) is not None


def test_proposing_is_idempotent(credit: World):
    case = decided_case(credit)
    first = demerit_propose_for_case(case=case)
    again = demerit_propose_for_case(case=case)
    assert first is not None and again == first
    assert DemeritProposal.objects.count() == 1 and record_events(first).count() == 1


def test_the_scan_proposes_what_is_missing_once(credit: World, monkeypatch: pytest.MonkeyPatch):
    proposed = decided_case(credit, estate=credit.estate_a, when=at(2026, 3, 2, 9))
    demerit_propose_for_case(case=proposed)  # already proposed by the decision: returned as is
    # a case decided while the proposal hook did not run (before it existed, or it failed)
    with monkeypatch.context() as patch:
        patch.setattr("xiaoqu.cases.services.demerit_propose_for_case", lambda **kwargs: None)
        missing = decided_case(credit, estate=credit.estate_b, when=at(2026, 4, 1, 9))
    reported_lead = verified_lead(
        credit,
        estate=credit.estate_a2,
        when=at(2026, 3, 2, 9),
        channel="property_company",
        reporter=credit.clerk_b,
    )
    decided_case(credit, lead=reported_lead, estate=credit.estate_a2)
    result = demerits_propose_missing()
    assert result.checked == 2 and result.errors == []
    (number,) = result.proposed
    assert DemeritProposal.objects.get(number=number).case == missing
    again = demerits_propose_missing()
    assert again.proposed == [] and again.checked == 1  # the reported case is checked again
    assert DemeritProposal.objects.count() == 2
    # --since leaves older decisions alone
    assert demerits_propose_missing(since=at(2026, 5, 1)).checked == 0


def test_the_command_reports_what_it_did(credit: World, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:  # decided while the proposal hook did not run
        patch.setattr("xiaoqu.cases.services.demerit_propose_for_case", lambda **kwargs: None)
        decided_case(credit)
    out = io.StringIO()
    with translation.override("en"):
        call_command("propose_demerits", stdout=out)
        text = out.getvalue()
        assert "1 decided cases without a proposal checked; 1 demerits proposed." in text
        assert "JF-" in text and "proposals marked overdue" in text
        out = io.StringIO()
        call_command("propose_demerits", "--no-sweep", stdout=out)
        assert "0 decided cases without a proposal checked; 0 demerits proposed." in out.getvalue()
        assert "overdue" not in out.getvalue()


def test_the_liaison_confirms(credit: World):
    proposal = proposal_at(credit, at(2026, 3, 2, 9))
    with pytest.raises(TransitionRefused):
        demerit_confirm(proposal=proposal, actor=credit.officer_a, note="")
    with pytest.raises(TransitionRefused):
        demerit_confirm(proposal=proposal, actor=credit.dispatcher, note="")
    confirmed = demerit_confirm(
        proposal=proposal, actor=credit.liaison, note="经核查属实", at=at(2026, 3, 12)
    )
    assert confirmed.status == ProposalStatus.CONFIRMED
    assert confirmed.answered_by == credit.liaison and confirmed.answer == "经核查属实"
    assert confirmed.due_at is None
    assert selectors.company_points(company=credit.company_a, on=at(2026, 4, 1)) == 2
    manager = credit.estate_a.project_manager
    assert manager is not None
    assert selectors.manager_points(manager=manager, on=at(2026, 4, 1)) == 1
    assert Notification.objects.filter(recipient=credit.clerk_a).exists()
    with pytest.raises(TransitionRefused):  # answered once
        demerit_reject(proposal=confirmed, actor=credit.liaison, reason="改判")
    assert [e.action for e in record_events(confirmed)] == ["proposed", "confirm"]


def test_the_liaison_rejects_with_reasons(credit: World):
    proposal = proposal_at(credit, at(2026, 3, 2, 9))
    with pytest.raises(TransitionRefused):
        demerit_reject(proposal=proposal, actor=credit.liaison, reason="  ")
    rejected = demerit_reject(
        proposal=proposal,
        actor=credit.liaison,
        reason="物业已于立案前书面报告街道，材料附后",
        at=at(2026, 3, 12),
    )
    assert rejected.status == ProposalStatus.REJECTED
    assert rejected.answer == "物业已于立案前书面报告街道，材料附后"
    assert selectors.company_points(company=credit.company_a, on=at(2026, 4, 1)) == 0
    (_proposed, event) = record_events(rejected)
    assert event.action == "reject" and event.reason.startswith("物业已于立案前")
    assert Notification.objects.filter(recipient=credit.officer_a, text__contains="物业").exists()


def test_points_count_over_the_rolling_window(credit: World):
    first = proposal_at(credit, at(2026, 3, 2, 9))  # decided 2026-03-10 09:00
    second = proposal_at(credit, at(2026, 9, 1, 9), estate=credit.estate_a)  # 2026-09-09
    # a rule edited later changes new proposals only
    rule = DemeritRule.objects.get(code="unreported")
    catalog_entry_update(entry=rule, values={"window_months": 6}, actor=credit.legal)
    third = proposal_at(credit, at(2026, 10, 1, 9), estate=credit.estate_a)  # 2026-10-09
    assert (first.window_months, third.window_months) == (12, 6)
    for p in (first, second, third):
        demerit_confirm(proposal=p, actor=credit.liaison, note="", at=at(2026, 10, 20))

    def points(moment: dt.datetime) -> int:
        return selectors.company_points(company=credit.company_a, on=moment)

    assert points(at(2026, 3, 10, 8)) == 0  # before the first decision
    assert points(at(2026, 3, 10, 9)) == 2
    assert points(at(2026, 10, 20, 12)) == 6
    assert points(at(2027, 3, 10, 8, 59)) == 6
    assert points(at(2027, 3, 10, 9)) == 4  # the first has dropped out after 12 months
    assert points(at(2027, 4, 9, 9)) == 2  # the third after its 6 months
    assert points(at(2027, 9, 9, 9)) == 0
    manager = credit.estate_a.project_manager
    assert manager is not None
    assert selectors.manager_points(manager=manager, on=at(2026, 12, 1)) == 3
    assert selectors.manager_points(manager=manager, on=at(2027, 3, 11)) == 2
    # a rejected or pending proposal never counts
    pending = proposal_at(credit, at(2026, 11, 1, 9), estate=credit.estate_a)
    assert pending.status == ProposalStatus.PROPOSED
    assert points(at(2026, 12, 1)) == 6


def test_the_window_ends_the_same_day_months_later():
    start = at(2026, 1, 31, 15)
    assert add_months(start, 1) == at(2026, 2, 28, 15)
    assert add_months(start, 12) == at(2027, 1, 31, 15)
    assert add_months(at(2027, 11, 30), 3) == at(2028, 2, 29)


def test_the_ranking_counts_and_rates(credit: World):
    a1 = proposal_at(credit, at(2026, 3, 2, 9), estate=credit.estate_a)
    a2 = proposal_at(
        credit, at(2026, 4, 1, 9), estate=credit.estate_a, code="property_negligence", fine=3000
    )
    c1 = proposal_at(credit, at(2026, 3, 2, 9), estate=credit.estate_b)
    b1 = proposal_at(credit, at(2026, 3, 2, 9), estate=credit.estate_a2)
    for p in (a1, a2, c1):
        demerit_confirm(proposal=p, actor=credit.liaison, note="", at=at(2026, 4, 20))
    on = at(2026, 5, 1)
    ranking = selectors.company_ranking(user=credit.dispatcher, on=on)
    rows = {r.company.name: r for r in ranking.rows}
    assert [r.company.name for r in ranking.rows] == ["甲物业公司", "丙物业公司", "双区物业公司"]
    a, c, b = rows["甲物业公司"], rows["丙物业公司"], rows["双区物业公司"]
    assert (a.points, a.confirmed, a.pending, a.rank) == (8, 2, 0, 1)
    assert (c.points, c.confirmed, c.rank) == (2, 1, 2)
    assert (b.points, b.pending, b.rank) == (0, 1, None)  # nothing to rank it on
    assert a.estates == 1 and a.per_estate == Decimal("8.00")
    assert a.households == credit.estate_a.households
    # one estate each: too few to rank on a rate, unless the minimum is lowered
    assert not any(r.rated for r in ranking.rows)
    low = {
        r.company.name: r
        for r in selectors.company_ranking(user=credit.dispatcher, on=on, min_estates=1).rows
    }
    assert low["甲物业公司"].rate_rank == 1 and low["丙物业公司"].rate_rank == 2
    assert low["双区物业公司"].rate_rank is None
    assert (ranking.total_points, ranking.companies_with_points, ranking.pending) == (10, 2, 1)
    # equal points share a rank
    demerit_confirm(proposal=b1, actor=credit.liaison, note="", at=at(2026, 4, 20))
    tied = {
        r.company.name: r.rank
        for r in selectors.company_ranking(user=credit.dispatcher, on=on).rows
    }
    assert tied == {"甲物业公司": 1, "丙物业公司": 2, "双区物业公司": 2}
    # an officer's ranking counts his subdistrict only; the company clerk sees his own
    mine = selectors.company_ranking(user=credit.officer_a, on=on)
    assert {r.company.name: r.points for r in mine.rows} == {"甲物业公司": 8, "双区物业公司": 2}
    assert [r.company for r in selectors.company_ranking(user=credit.clerk_a, on=on).rows] == [
        credit.company_a
    ]


def test_the_company_record(credit: World):
    a1 = proposal_at(credit, at(2026, 3, 2, 9))
    a2 = proposal_at(credit, at(2026, 4, 1, 9))
    proposal_at(credit, at(2026, 5, 1, 9))
    demerit_confirm(proposal=a1, actor=credit.liaison, note="", at=at(2026, 5, 20))
    demerit_reject(proposal=a2, actor=credit.liaison, reason="重复", at=at(2026, 5, 20))
    record = selectors.company_record(
        user=credit.clerk_a, company=credit.company_a, on=at(2026, 6, 1)
    )
    assert (record.points, record.confirmed, record.pending, record.rejected) == (2, 1, 1, 1)
    assert record.proposals.count() == 3 and record.next_expiry == a1
    (row,) = record.managers
    assert row.manager.name == "甲经理" and row.points == 1 and row.estates == [credit.estate_a]
    later = selectors.company_record(
        user=credit.clerk_a, company=credit.company_a, on=at(2027, 4, 1)
    )
    assert later.points == 0 and later.expired == 1
    # another company's clerk sees none of it
    other = selectors.company_record(
        user=credit.clerk_b, company=credit.company_a, on=at(2026, 6, 1)
    )
    assert other.proposals.count() == 0 and other.points == 0


def test_the_sweep_marks_an_unanswered_proposal_once(credit: World):
    late = proposal_at(credit, at(2026, 3, 2, 9))
    answered = proposal_at(credit, at(2026, 3, 2, 9), estate=credit.estate_b)
    demerit_confirm(proposal=answered, actor=credit.liaison, note="", at=at(2026, 3, 12))
    assert demerit_sweep(at=at(2026, 3, 24, 12)) == []  # due at the end of 24 March
    assert demerit_sweep(at=at(2026, 3, 25, 9)) == [late.number]
    assert demerit_sweep(at=at(2026, 3, 26, 9)) == []
    late.refresh_from_db()
    assert late.overdue_at == at(2026, 3, 25, 9)
    assert [e.action for e in record_events(late)] == ["proposed", "overdue"]
    assert (
        Notification.objects.filter(recipient=credit.liaison, text__contains=late.number).count()
        == 2
    )
    assert Notification.objects.filter(recipient=credit.leader, text__contains=late.number).exists()
    assert audit_verify()[2] == []


def test_the_seed_is_idempotent_and_keeps_edited_rules(credit: World):
    rules = DemeritRule.objects.all()
    assert {r.code for r in rules} == {"unreported", "unreported_safety", "negligence_decided"}
    assert not any(r.verified for r in rules) and all("待核实" in r.note for r in rules)
    assert all(r.provision is not None for r in rules)
    answer = DeadlineRule.objects.get(code="demerit_answer")
    assert not answer.verified and answer.limit == 10
    assert credit_seed() == {"created": 0, "updated": 0, "unchanged": 4, "kept": 0}
    rule = DemeritRule.objects.get(code="unreported")
    catalog_entry_update(entry=rule, values={"company_points": 3}, actor=credit.legal)
    assert credit_seed()["kept"] == 1
    assert DemeritRule.objects.get(code="unreported").company_points == 3


def test_a_warning_on_the_spot_proposes_a_demerit_too(credit: World):
    """The simplified procedure decides, serves and closes in one step (art. 51)."""
    lead = verified_lead(credit, estate=credit.estate_a, when=at(2026, 3, 2, 9))
    case = cases.case_simplified(
        lead=lead,
        actor=credit.officer_a,
        party_kind="person",
        party_name="张某",
        facts="楼道堆物，当场警告",
        penalty=PenaltyKind.WARNING,
        at=at(2026, 3, 2, 15),
    )
    assert case.status == "closed"
    proposal = demerit_propose_for_case(case=case, at=at(2026, 3, 2, 15))
    assert proposal is not None and proposal.penalty == PenaltyKind.WARNING
    assert demerits_propose_missing().checked == 0
