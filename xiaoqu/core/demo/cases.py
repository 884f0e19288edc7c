"""Demo penalty cases: the leads the demo history handed on to filing are taken through the
penalty procedure by the real case services, each as far as its time allows, so that the demo
holds cases in every stage. Generated once, demo data only, deterministic."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.audit.models import Event
from xiaoqu.cases import services as cases
from xiaoqu.cases.choices import CaseStatus, EvidenceKind, ExecutionKind, PartyKind, PenaltyKind
from xiaoqu.cases.models import Case
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.credit import services as credit
from xiaoqu.credit.models import DemeritProposal
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.intake.models import Lead
from xiaoqu.regions.models import District

from .clock import Clock
from .names import person_name

# The party is the estate's property company only where the violation is its own.
ORGANISATION_TYPES = {"property_negligence"}
EVIDENCE = {
    EvidenceKind.ON_SITE_RECORD: "现场检查笔录一份，记载现场情况及当事人在场确认。",
    EvidenceKind.PHOTO: "现场照片若干张，反映违法行为的位置与现状。",
    EvidenceKind.INQUIRY: "询问笔录一份，当事人对违法事实予以确认。",
}


@dataclass
class CasesResult:
    created: int = 0
    skipped: str = ""
    by_status: Counter[str] = field(default_factory=Counter)
    simplified: int = 0
    demerits: int = 0
    ids: list[int] = field(default_factory=list)


class _Stop(Exception):
    """The next step would happen after now: the case stays at its stage."""


def _actor(role: str, **scope: Any) -> User | None:
    return (
        User.objects.filter(role=role, is_active=True, is_demo=True, **scope).order_by("pk").first()
    )


def _last_event_time(lead: Lead) -> dt.datetime:
    time = (
        Event.objects.filter(
            record_type__model="lead", record_type__app_label="intake", record_id=lead.pk
        )
        .order_by("-seq")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return time or lead.received_at


class _Run:
    def __init__(self, *, rng: random.Random, clock: Clock, now: dt.datetime) -> None:
        self.rng, self.clock, self.now = rng, clock, now
        self.legal = _actor(Role.LEGAL)
        self.leader = _actor(Role.LEADER)

    def after(self, moment: dt.datetime, days: int) -> dt.datetime:
        nxt = self.clock.office_after(moment, days, self.rng)
        if nxt > self.now:
            raise _Stop
        return nxt

    def fine_for(self, case: Case) -> tuple[str, Decimal | None]:
        low, high = case.violation_type.fine_min, case.violation_type.fine_max
        if low is None and high is None:
            return PenaltyKind.FINE, Decimal(self.rng.choice((2000, 5000, 10000)))
        low = low or Decimal(0)
        high = high or low * 10
        span = high - low
        amount = low + span * Decimal(str(self.rng.choice((0, 0.05, 0.1, 0.2, 0.3))))
        step = Decimal(10) if high <= 1000 else Decimal(100)  # round amounts, as decisions are
        return PenaltyKind.FINE, max((amount / step).to_integral_value() * step, low)

    def party(self, lead: Lead) -> dict[str, Any]:
        code = lead.violation_type.code if lead.violation_type else ""
        company = lead.estate.property_company if lead.estate else None
        if code in ORGANISATION_TYPES and company is not None:
            return {
                "party_kind": PartyKind.ORGANISATION,
                "party_name": company.name,
                "party_uscc": company.uscc,
                "party_address": company.address,
            }
        name = person_name(self.rng)
        return {
            "party_kind": PartyKind.PERSON,
            "party_name": name,
            "party_address": (lead.address or (lead.estate.name if lead.estate else "")),
        }

    def take(self, lead: Lead, officer: User, result: CasesResult, *, stop_at: str = "") -> Case:
        """Take the case as far as time allows, or until the stage `stop_at` (a demo needs
        cases waiting at every stage)."""
        rng = self.rng
        start = self.after(_last_event_time(lead), rng.randint(1, 3))
        facts = (
            f"{lead.summary.rstrip('。')}。经现场核查属实，当事人的行为涉嫌{lead.violation_type}。"
        )
        case = cases.case_file(lead=lead, actor=officer, facts=facts, at=start, **self.party(lead))
        result.created += 1
        result.ids.append(case.pk)
        moment = start
        try:
            for kind in rng.sample(list(EVIDENCE), k=rng.randint(1, 3)):
                moment = self.after(moment, rng.randint(0, 2))
                cases.evidence_add(
                    case=case, actor=officer, kind=kind, description=EVIDENCE[kind], at=moment
                )
            if rng.random() < 0.06:
                moment = self.after(moment, rng.randint(3, 10))
                return cases.case_withdraw(
                    case=case,
                    actor=officer,
                    reason="经调查，违法事实不能成立，不予处罚。",
                    at=moment,
                )
            penalty, fine = self.fine_for(case)
            major = cases.needs_review(case, fine, on=timezone.localtime(moment).date())
            if (major or stop_at == CaseStatus.UNDER_REVIEW or rng.random() < 0.25) and self.legal:
                moment = self.after(moment, rng.randint(1, 5))
                case = cases.review_request(
                    case=case, actor=officer, penalty=penalty, fine=fine, at=moment
                )
                if stop_at == CaseStatus.UNDER_REVIEW:
                    return case
                moment = self.after(moment, rng.randint(1, 4))
                case = cases.review_decide(
                    case=case,
                    actor=self.legal,
                    approve=True,
                    opinion="事实清楚，证据确凿，适用依据正确，程序合法，同意。",
                    at=moment,
                )
            moment = self.after(moment, rng.randint(2, 10))
            case = cases.notice_issue(
                case=case, actor=officer, penalty=penalty, fine=fine, at=moment
            )
            if case.hearing_right and rng.random() < 0.4:
                moment = self.after(moment, rng.randint(0, 2))
                case = cases.hearing_request(case=case, actor=officer, at=moment)
                hearing_day = self.after(moment, rng.randint(8, 12))
                case = cases.hearing_schedule(
                    case=case,
                    actor=officer,
                    hearing_at=hearing_day,
                    place="区城管执法局听证室",
                    at=moment,
                )
                moment = hearing_day
                if moment > self.now:
                    raise _Stop
                case = cases.hearing_record(
                    case=case,
                    actor=officer,
                    held_at=moment,
                    at=moment,
                    record="当事人到场陈述申辩，执法人员出示证据，双方质证。",
                )
                fine = (fine * Decimal("0.8")).quantize(Decimal("100")) if fine else fine
            elif rng.random() < 0.35:
                moment = self.after(moment, rng.randint(0, 2))
                case = cases.waiver_record(case=case, actor=officer, at=moment)
            elif rng.random() < 0.5:
                moment = self.after(moment, rng.randint(1, 3))
                case = cases.statement_record(
                    case=case,
                    actor=officer,
                    at=moment,
                    statement="当事人表示已认识到错误，请求从轻处理。",
                )
            if case.statement_until and not case.waived_at:
                moment = max(moment, self.after(case.statement_until, 0))
            moment = self.after(moment, rng.randint(1, 5))
            if moment > case.decision_due_at and self.leader:
                case = cases.extension_approve(
                    case=case,
                    actor=self.leader,
                    days=30,
                    reason="案情复杂，需补充调查，经负责人批准延长。",
                    at=min(moment, case.decision_due_at),
                )
            case = cases.case_decide(
                case=case,
                actor=officer,
                penalty=penalty,
                fine=fine,
                at=moment,
                decision_text=f"当事人{case.party_name}的行为违反了有关规定，决定给予罚款人民币{fine}元的行政处罚。",
            )
            if stop_at == CaseStatus.DECIDED:
                return case
            moment = self.after(moment, rng.randint(0, 4))
            case = cases.decision_serve(case=case, actor=officer, at=moment, method="直接送达")
            if rng.random() < 0.85:
                moment = self.after(moment, rng.randint(2, 20))
                fee = cases.late_fee(
                    fine=case.fine or Decimal(0),
                    payment_due=case.payment_due,
                    on=timezone.localtime(moment).date(),
                )
                cases.execution_record(
                    case=case,
                    actor=officer,
                    kind=ExecutionKind.PAYMENT,
                    amount=(case.fine or Decimal(0)) + fee,
                    at=moment,
                    note="当事人通过银行缴纳罚款" + ("及加处罚款" if fee else ""),
                )
                case.refresh_from_db()
                moment = self.after(moment, rng.randint(1, 5))
                case = cases.case_close(
                    case=case,
                    actor=officer,
                    at=moment,
                    report="本案事实清楚，当事人已履行处罚决定，罚款已缴清，予以结案。",
                )
        except _Stop:
            pass
        return case

    def answer_demerits(self, proposals: Any) -> None:
        """The housing bureau's liaison confirms most proposals within a couple of weeks and
        rejects a few with reasons; the most recent are still waiting."""
        housing = _actor(Role.LIAISON, department__code="housing")
        if housing is None:
            return
        for proposal in proposals:
            try:
                moment = self.after(proposal.proposed_at, self.rng.randint(2, 12))
            except _Stop:
                continue
            if self.rng.random() < 0.12:
                credit.demerit_reject(
                    proposal=proposal,
                    actor=housing,
                    at=moment,
                    reason="经核查，物业企业已在事前履行劝阻、报告义务，不予记分。",
                )
            else:
                credit.demerit_confirm(
                    proposal=proposal, actor=housing, at=moment, note="经核查属实，同意记分。"
                )

    def simplified(self, lead: Lead, officer: User, result: CasesResult) -> Case:
        moment = self.after(_last_event_time(lead), 0)
        case = cases.case_simplified(
            lead=lead,
            actor=officer,
            penalty=PenaltyKind.FINE,
            fine=Decimal(100),
            facts=f"执法队员当场查实：{lead.summary[:80]}",
            at=moment,
            **{k: v for k, v in self.party(lead).items() if k != "party_address"}
            | {"party_kind": PartyKind.PERSON, "party_name": person_name(self.rng)},
        )
        result.created += 1
        result.simplified += 1
        result.ids.append(case.pk)
        try:
            moment = self.after(moment, self.rng.randint(1, 10))
            cases.execution_record(
                case=case,
                actor=officer,
                kind=ExecutionKind.PAYMENT,
                amount=100,
                at=moment,
                note="当场开具罚款决定书，当事人按期缴纳",
            )
            case.refresh_from_db()
            moment = self.after(moment, 1)
            case = cases.case_close(
                case=case, actor=officer, report="简易程序案件，罚款已缴纳，结案。", at=moment
            )
        except _Stop:
            pass
        return case


def cases_generate(*, district: District, seed: int, now: dt.datetime | None = None) -> CasesResult:
    """Take the demo's leads handed on to filing through the penalty procedure, once."""
    result = CasesResult()
    moment = (now or timezone.now()).replace(microsecond=0)
    if Case.objects.filter(district=district, is_demo=True).exists():
        result.skipped = "already"
        return result
    leads = list(
        Lead.objects.filter(
            district=district,
            is_demo=True,
            status=LeadStatus.TO_FILING,
            violation_type__isnull=False,
            subdistrict__isnull=False,
        )
        .select_related("violation_type", "estate__property_company", "subdistrict")
        .order_by("received_at", "pk")
    )
    if not leads:
        result.skipped = "no_leads"
        return result
    earliest = timezone.localtime(leads[0].received_at).date()
    run = _Run(
        rng=random.Random(seed + 4), clock=Clock(since=earliest - dt.timedelta(days=7)), now=moment
    )
    # two cases handed on a month or more ago wait at the stages time alone rarely leaves open
    settled = [lead for lead in leads if moment - _last_event_time(lead) > dt.timedelta(days=30)]
    stops = dict(
        zip(
            (lead.pk for lead in settled[-2:]),
            (CaseStatus.DECIDED, CaseStatus.UNDER_REVIEW),
            strict=False,
        )
    )
    with transaction.atomic():
        for lead in leads:
            officer = _actor(Role.OFFICER, subdistrict=lead.subdistrict)
            if officer is None:
                continue
            small = (
                lead.violation_type.code in ("ebike_charging", "small_ads")
                and run.rng.random() < 0.4
                and lead.pk not in stops
            )
            try:
                if small:
                    run.simplified(lead, officer, result)
                else:
                    run.take(lead, officer, result, stop_at=stops.get(lead.pk, ""))
            except (_Stop, TransitionRefused, ValidationError):
                continue  # the case stays at the last step the law allowed
        Case.objects.filter(pk__in=result.ids).update(is_demo=True)
        # the demerits the decisions proposed to the housing bureau are demo data too, and the
        # housing bureau has answered those old enough
        DemeritProposal.objects.filter(case_id__in=result.ids).update(is_demo=True)
        run.answer_demerits(
            DemeritProposal.objects.filter(case_id__in=result.ids).order_by("proposed_at")
        )
    result.demerits = DemeritProposal.objects.filter(case_id__in=result.ids).count()
    result.by_status = Counter(
        Case.objects.filter(pk__in=result.ids).values_list("status", flat=True)
    )
    return result
