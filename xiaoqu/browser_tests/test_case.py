"""A penalty case in a real browser: the officer of 甲 takes a lead verified on site through
filing, evidence, the advance notice, a decision refused within the statement period, the
party's written waiver, the decision, service, payment and closure, generating the documents
on the way and downloading one; the legal section reviews a major fine from its queue and a
leader approves an extension from his."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document as Docx

from xiaoqu.browser_tests.conftest import login
from xiaoqu.browser_tests.test_loop import make_move, png, switch_user, timeline_actions
from xiaoqu.cases import services
from xiaoqu.cases.choices import CaseStatus, ClosureKind
from xiaoqu.cases.models import Case
from xiaoqu.cases.tests.factories import filed, verified_lead
from xiaoqu.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def refused_move(page: Any, move: str, fill: dict[str, str]) -> str:
    """Open the move's inline form, submit it and return the refusal shown in place."""
    page.get_by_test_id(f"move-{move}").click()
    form = page.locator(f"[data-testid=action-form][data-move={move}]")
    form.wait_for()
    for selector, value in fill.items():
        field = form.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.get_by_test_id("move-submit").click()
    refusal = page.locator("[data-testid=action-form] [data-testid=refusal]")
    refusal.wait_for()
    return str(refusal.inner_text())


def generate(page: Any, kind: str) -> None:
    """Generate a document from the case page's documents panel (the panel redraws)."""
    button = page.get_by_test_id(f"generate-{kind}")
    button.click()
    page.locator(f"[data-testid=document-{kind}] [data-testid=document-number]").wait_for()


def status(page: Any) -> str:
    return str(page.get_by_test_id("case-status").get_attribute("data-status"))


def test_an_officer_takes_a_case_from_filing_to_closure(
    page: Any, screenshot: Any, catalog: World, tmp_path: Path
):
    lead = verified_lead(catalog)
    login(page, "officer_a", catalog.password)

    # the lead, verified on site, offers filing
    page.goto(lead.get_absolute_url())
    page.get_by_test_id("lead-cases").wait_for()
    screenshot("1-lead")
    page.get_by_test_id("file-case").click()
    page.wait_for_url("**/cases/file/*/")
    assert page.locator("#id_party_name").input_value() == "张某"  # the party met on site
    assert page.locator("#id_provisions option:checked").count() >= 1  # the type's provisions
    assert page.locator("[data-field=party_uscc]").is_hidden()  # a person: no credit code
    page.fill("#id_party_id_number", "310107198001011234")
    page.fill("#id_party_address", "甲路100弄3号302室")
    page.fill("#id_party_phone", "13900001111")
    page.fill(
        "#id_facts",
        "当事人张某在甲花园3号楼楼道堆放纸箱、旧家具约3立方米，堵塞疏散通道，经责令改正逾期未改正。",
    )
    screenshot("2-filing-form")
    page.get_by_test_id("filing-submit").click()
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(lead=lead)
    assert status(page) == CaseStatus.INVESTIGATING
    assert "1,000–100,000" in page.get_by_test_id("fine-range").inner_text()
    assert page.get_by_test_id("days-left").get_attribute("data-days") in ("89", "90")
    screenshot("3-case-filed")

    # documents of the filing stage
    generate(page, "filing_approval")

    # evidence with a photo
    make_move(
        page,
        "add_evidence",
        {"[name=kind]": "photo", "[name=description]": "楼道堆物现场照片3张"},
        files=[png(tmp_path / "楼道.png", 200, 150)],
        shot=lambda: screenshot("4-evidence-form"),
    )
    assert page.locator("[data-testid=evidence-row]").count() == 1
    assert page.locator("[data-testid=case-evidence] img.xq-thumb").count() == 1

    # the advance notice
    make_move(page, "issue_notice", {"[name=penalty]": "fine", "[name=fine]": "2000"})
    assert status(page) == CaseStatus.NOTIFIED
    assert "2,000" in page.get_by_test_id("notice-penalty").inner_text()
    generate(page, "penalty_notice")
    screenshot("5-notified")

    # too early: the party may still state and defend (art. 62), refused in place
    reason = refused_move(
        page,
        "decide",
        {"[name=penalty]": "fine", "[name=fine]": "1500", "[name=decision_text]": "罚款1500元"},
    )
    assert "62" in reason or "第六十二条" in reason
    screenshot("6-decision-refused")
    assert status(page) == CaseStatus.NOTIFIED

    # the party waives in writing; then the decision
    page.reload()
    make_move(page, "record_waiver", {}, files=[png(tmp_path / "放弃陈述申辩书.png")])
    make_move(
        page,
        "decide",
        {
            "[name=penalty]": "fine",
            "[name=fine]": "1500",
            "[name=decision_text]": "当事人违反《上海市住宅物业管理规定》，决定罚款人民币1500元。",
        },
    )
    assert status(page) == CaseStatus.DECIDED
    case.refresh_from_db()
    assert case.decision_number in page.get_by_test_id("decision-number").inner_text()
    generate(page, "penalty_decision")
    screenshot("7-decided")

    # service, then payment: the amount due is prefilled
    make_move(page, "serve_decision", {"[name=method]": "直接送达"})
    assert status(page) == CaseStatus.EXECUTING
    assert "1,500" in page.get_by_test_id("amount-due").inner_text()
    page.get_by_test_id("move-record_execution").click()
    form = page.locator("[data-testid=action-form][data-move=record_execution]")
    form.wait_for()
    assert form.locator("[name=amount]").input_value() == "1500.00"
    screenshot("8-payment-form")
    with page.expect_navigation():
        form.get_by_test_id("move-submit").click()
    assert page.get_by_test_id("amount-due").inner_text().startswith("0")

    # closure
    make_move(page, "close", {"[name=report]": "罚款1500元已于当日缴清，楼道已清理，结案。"})
    assert status(page) == CaseStatus.CLOSED
    generate(page, "closure_report")
    case.refresh_from_db()
    assert case.closure_kind == ClosureKind.EXECUTED
    actions = [a for a in timeline_actions(page) if a != "document_generated"]
    assert actions == [
        "filed",
        "add_evidence",
        "issue_notice",
        "record_waiver",
        "decide",
        "serve_decision",
        "record_execution",
        "close",
    ]
    # a closed case offers only the request to reopen it (a leader decides)
    assert page.get_by_test_id("move-request_reopen").is_visible()
    screenshot("9-closed")

    # download the decision and read it back
    decision = page.get_by_test_id("document-penalty_decision")
    with page.expect_download() as info:
        decision.get_by_test_id("document-download").first.click()
    content = Path(info.value.path()).read_bytes()
    text = "\n".join(p.text for p in Docx(io.BytesIO(content)).paragraphs)
    text += "\n".join(
        cell.text for t in Docx(io.BytesIO(content)).tables for row in t.rows for cell in row.cells
    )
    assert case.decision_number in text and "张某" in text

    # the list and the to-do
    page.click("[data-nav='cases:case_list']")
    assert case.number in page.get_by_test_id("case-table").inner_text()
    assert "310107********1234" in page.get_by_test_id("case-table").inner_text()
    screenshot("10-list")


def test_legal_review_and_extension_from_the_queues(page: Any, screenshot: Any, catalog: World):
    case = filed(catalog)
    services.review_request(case=case, actor=catalog.officer_a, penalty="fine", fine=8000)
    other = filed(catalog, estate=catalog.estate_a2)
    services.extension_request(
        case=other, actor=catalog.officer_a, days=30, reason="需委托结构安全鉴定"
    )

    login(page, "legal1", catalog.password)
    page.click("[data-nav='cases:review_queue']")
    row = page.locator(f"[data-testid=review-row][data-case='{case.number}']")
    row.get_by_test_id("move-approve_review").click()
    form = page.locator(f"#review-{case.pk} [data-testid=action-form][data-move=approve_review]")
    form.wait_for()
    form.locator("[name=opinion]").fill("事实清楚，证据确凿，拟处罚款8000元适当，同意。")
    screenshot("1-review-queue")
    with page.expect_navigation():
        form.get_by_test_id("move-submit").click()
    assert page.url.endswith("/cases/review/")
    assert page.get_by_test_id("review-count").inner_text() == "0"
    case.refresh_from_db()
    assert case.review_status == "approved"

    switch_user(page, "leader1", catalog.password)
    page.click("[data-nav='cases:approvals']")
    row = page.locator(f"[data-testid=extension-row][data-case='{other.number}']")
    row.get_by_test_id("move-approve_extension").click()
    form = page.locator(f"#ext-{other.pk} [data-testid=action-form][data-move=approve_extension]")
    form.wait_for()
    assert form.locator("[name=days]").input_value() == "30"
    screenshot("2-approvals")
    with page.expect_navigation():
        form.get_by_test_id("move-submit").click()
    other.refresh_from_db()
    assert other.extension_days == 30
    page.goto(other.get_absolute_url())
    assert "30" in page.get_by_test_id("extensions").inner_text()
    screenshot("3-extended")


def test_simplified_procedure_on_the_spot(page: Any, screenshot: Any, catalog: World):
    lead = verified_lead(catalog, code="ebike_charging", content="楼道飞线充电")
    login(page, "officer_a", catalog.password)
    page.goto(lead.get_absolute_url())
    page.get_by_test_id("file-simplified").click()
    page.wait_for_url("**/cases/simplified/*/")
    page.select_option("#id_penalty", "fine")
    page.fill("#id_fine", "500")
    page.get_by_test_id("filing-submit").click()
    refusal = page.get_by_test_id("refusal")
    refusal.wait_for()
    assert "51" in refusal.inner_text() or "第五十一条" in refusal.inner_text()
    assert not Case.objects.filter(lead=lead).exists()
    screenshot("1-refused-above-the-limit")
    page.fill("#id_fine", "200")
    page.fill("#id_decision_text", "当场作出罚款200元的决定，并当场交付决定书。")
    page.get_by_test_id("filing-submit").click()
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(lead=lead)
    assert status(page) == CaseStatus.EXECUTING
    assert page.get_by_test_id("case-procedure").get_attribute("data-procedure") == "simplified"
    screenshot("2-decided-on-the-spot")

    # his to-do lists the open case, with the payment deadline
    page.click("[data-nav='intake:todo']")
    row = page.locator(f"[data-testid=todo-case][data-case='{case.number}']")
    assert row.is_visible()
    screenshot("3-todo")
