"""The closed loop in a real browser: a dispatcher enters a 12345 complaint, dispatches it, the
officer of the subdistrict records the visit and refers it to the housing bureau; a second
complaint is dispatched with others at once, and the officer orders rectification, re-inspects
and closes it. Every step shows on the lead's timeline."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.intake.choices import LeadStatus, Outcome
from xiaoqu.intake.models import Complaint
from xiaoqu.law.models import ViolationType
from xiaoqu.referrals.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)


def png(path: Path, width: int = 160, height: int = 120) -> Path:
    """A small real PNG (a grey-blue gradient), so that the timeline shows a thumbnail."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((90 + x // 2, 110 + y // 2, 150)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


def switch_user(page: Any, username: str, password: str) -> None:
    page.context.clear_cookies()
    login(page, username, password)


def enter_complaint(
    page: Any, *, work_order: str, estate: str, vt: ViolationType, content: str, files: list[Path]
) -> str:
    page.click("[data-nav='intake:complaint_new']")
    page.wait_for_url("**/complaints/new/")
    page.select_option("#id_channel", "hotline")
    page.fill("#id_external_no", work_order)
    page.fill("[data-testid=estate-search]", estate[:2])
    page.locator("[data-testid=estate-option]", has_text=estate).click()
    assert page.get_by_test_id("estate-chosen").inner_text().startswith(estate)
    page.select_option("#id_violation_type", str(vt.pk))
    page.fill("#id_address", "5号楼3楼楼道")
    page.fill("#id_content", content)
    page.fill("#id_reporter_name", "王先生")
    page.fill("#id_reporter_phone", "13812345678")
    if files:
        page.set_input_files("#id_attachments", [str(f) for f in files])
    return page


def open_lead_from_todo(page: Any, number: str) -> None:
    page.click("[data-nav='intake:todo']")
    page.wait_for_url("**/todo/")
    page.locator("[data-testid=todo-row]", has_text=number).get_by_role("link", name=number).click()
    page.wait_for_url("**/leads/*/")


def make_move(
    page: Any,
    move: str,
    fill: dict[str, str],
    files: list[Path] | None = None,
    shot: Any = None,
) -> None:
    """Open the move's inline form, fill it in and submit it; the page reloads."""
    page.get_by_test_id(f"move-{move}").click()
    form = page.locator(f"[data-testid=action-form][data-move={move}]")
    form.wait_for()
    for selector, value in fill.items():
        field = form.locator(selector)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    if files:
        form.locator("input[type=file]").set_input_files([str(f) for f in files])
    if shot is not None:
        shot()
    with page.expect_navigation():
        form.get_by_test_id("move-submit").click()


def timeline_actions(page: Any) -> list[str]:
    return page.locator("[data-testid=timeline] [data-testid=event]").evaluate_all(
        "items => items.map(e => e.dataset.action)"
    )


def test_complaint_to_referral(page: Any, screenshot: Any, catalog: World, tmp_path: Path):
    vt = ViolationType.objects.effective().get(code="common_area_occupation")
    login(page, "dispatcher1", catalog.password)
    enter_complaint(
        page,
        work_order="2026031500123",
        estate="甲花园",
        vt=vt,
        content="5号楼3楼楼道长期堆放纸箱和旧家具，堵塞消防通道，多次反映未处理。",
        files=[png(tmp_path / "楼道照片.png")],
    )
    assert page.locator("#id_subdistrict").input_value() == str(catalog.sd_a.pk)
    screenshot("1-complaint-form")
    page.get_by_test_id("submit-complaint").click()
    page.wait_for_url("**/complaints/*/")
    complaint = Complaint.objects.get(external_no="2026031500123")
    assert complaint.lead is not None
    number = complaint.lead.number
    assert page.get_by_test_id("phone-masked").inner_text() == "138****5678"
    assert "13812345678" not in page.content()
    page.get_by_test_id("reveal-phone").click()
    assert page.get_by_test_id("phone-full").inner_text() == "13812345678"
    screenshot("2-complaint")

    # the complaint is in the list, the phone masked
    page.click("[data-nav='intake:complaint_list']")
    assert complaint.number in page.get_by_test_id("complaint-table").inner_text()
    assert "138****5678" in page.get_by_test_id("complaint-table").inner_text()
    screenshot("2b-complaints")

    # the dispatcher's inbox: one click dispatches, the row updates in place
    page.click("[data-nav='intake:dispatch_inbox']")
    row = page.locator("[data-testid=inbox-row]", has_text=number)
    screenshot("3-inbox")
    row.get_by_test_id("dispatch-one").click()
    page.locator(f"[data-testid=inbox-row][data-lead='{number}'][data-dispatched='1']").wait_for()
    assert "甲街道城管执法中队" in page.locator(f"[data-lead='{number}']").inner_text()

    # the officer of 甲: to-do on his home page, then the lead
    switch_user(page, "officer_a", catalog.password)
    assert number in page.get_by_test_id("todo-summary").inner_text()
    screenshot("4-officer-home")
    open_lead_from_todo(page, number)
    screenshot("5-lead")
    make_move(
        page,
        "record_visit",
        {
            "[name=place]": "甲花园5号楼3楼楼道",
            "[name=party_kind]": "person",
            "[name=party_name]": "5号楼302室住户",
            "[name=findings]": "楼道堆放纸箱、旧家具约3立方米，属物业共用部分，物业称多次劝阻无效。",
        },
        files=[png(tmp_path / "现场.png", 200, 150)],
        shot=lambda: screenshot("5b-visit-form"),
    )
    make_move(
        page,
        "refer",
        {
            "[name=department]": str(catalog.housing.pk),
            "[name=matter]": "物业服务企业未履行管理职责，移交区房管局处理。",
        },
    )
    assert page.get_by_test_id("lead-status").get_attribute("data-status") == "referred"
    assert timeline_actions(page) == ["created", "dispatch", "record_visit", "refer"]
    assert page.locator("[data-testid=timeline] img.xq-thumb").count() == 1
    referral = Referral.objects.get(lead__number=number)
    assert referral.department == catalog.housing
    assert referral.number in page.get_by_test_id("lead-referrals").inner_text()
    screenshot("6-lead-referred")

    # the leads of his subdistrict, filtered by status
    page.click("[data-nav='intake:lead_list']")
    page.select_option("#id_status", "referred")
    page.wait_for_function(
        "document.querySelector('[data-testid=result-count]').innerText.includes('1')"
    )
    assert number in page.get_by_test_id("lead-table").inner_text()
    screenshot("7-leads")


def test_property_company_reports_after_dissuasion(page: Any, screenshot: Any, catalog: World):
    vt = ViolationType.objects.effective().get(code="renovation_unregistered")
    login(page, "clerk_a", catalog.password)
    page.click("[data-nav='intake:complaint_new']")
    page.wait_for_url("**/complaints/new/")
    assert page.locator("#id_channel").count() == 0
    page.fill("[data-testid=estate-search]", "甲")
    options = page.locator("[data-testid=estate-option]")
    options.first.wait_for()
    assert options.count() == 1  # only the estate his company manages
    options.first.click()
    page.select_option("#id_violation_type", str(vt.pk))
    page.fill("#id_address", "8号楼602室")
    page.fill("#id_content", "602室装修拆除承重墙，未向物业申报登记。")
    dissuaded = timezone.localtime() - dt.timedelta(hours=3)
    page.fill("#id_dissuaded_at", dissuaded.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_dissuasion", "物业工程部上门劝阻并发放整改告知书，业主拒绝停工。")
    screenshot("1-report-form")
    page.get_by_test_id("submit-complaint").click()
    page.wait_for_url("**/complaints/*/")
    complaint = Complaint.objects.get(reporter_company=catalog.company_a)
    assert complaint.channel == "property_company" and complaint.dissuasion
    # he sees where his report stands, not the lead itself
    assert page.get_by_test_id("lead-link").count() == 0
    assert page.get_by_test_id("lead-status").is_visible()
    screenshot("2-report")
    page.click("[data-nav='intake:complaint_list']")
    assert complaint.number in page.get_by_test_id("complaint-table").inner_text()
    screenshot("3-my-reports")


def test_complaint_to_rectification_and_closure(
    page: Any, screenshot: Any, catalog: World, tmp_path: Path
):
    vt = ViolationType.objects.effective().get(code="illegal_construction")
    login(page, "dispatcher1", catalog.password)
    enter_complaint(
        page,
        work_order="2026031500456",
        estate="甲新村",
        vt=vt,
        content="12号楼顶楼住户在露台搭建彩钢板房，目前仍在施工。",
        files=[],
    )
    assert page.locator("#ongoing-box").is_visible()
    page.check("#id_ongoing")
    page.get_by_test_id("submit-complaint").click()
    page.wait_for_url("**/complaints/*/")
    complaint = Complaint.objects.get(external_no="2026031500456")
    assert complaint.ongoing and complaint.lead is not None
    number = complaint.lead.number

    # several at once: this lead and one without a subdistrict, which is refused inline
    other = Complaint.objects.get(pk=_complaint_without_subdistrict(catalog).pk)
    page.click("[data-nav='intake:dispatch_inbox']")
    page.get_by_test_id("select-all").check()
    page.get_by_test_id("dispatch-selected").click()
    page.get_by_test_id("bulk-summary").wait_for()
    assert other.lead is not None
    assert "1" in page.get_by_test_id("bulk-summary").inner_text()
    refused = page.locator(f"[data-testid=inbox-row][data-lead='{other.lead.number}']")
    assert refused.get_by_test_id("row-error").is_visible()
    screenshot("1-inbox-refused")

    switch_user(page, "officer_a", catalog.password)
    page.click("[data-nav='intake:todo']")
    row = page.locator("[data-testid=todo-row]", has_text=number)
    assert "发现或接到违法搭建举报后到现场调查取证" in row.inner_text()  # the 2-hour rule
    screenshot("2-todo")
    open_lead_from_todo(page, number)
    rectify_by = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    make_move(
        page,
        "order_rectification",
        {
            "[name=place]": "甲新村12号楼顶楼露台",
            "[name=party_kind]": "person",
            "[name=party_name]": "1201室业主",
            "[name=findings]": "露台新建彩钢板房约12平方米，未取得规划许可，当场责令停止施工。",
            "[name=rectify_by]": rectify_by,
        },
        files=[png(tmp_path / "搭建.png")],
    )
    assert page.get_by_test_id("lead-status").get_attribute("data-status") == "rectifying"
    assert rectify_by in page.get_by_test_id("deadline-card").inner_text()
    screenshot("3-rectifying")
    make_move(
        page,
        "reinspect_corrected",
        {
            "[name=place]": "甲新村12号楼顶楼露台",
            "[name=findings]": "彩钢板房已自行拆除，露台恢复原状。",
        },
    )
    assert page.get_by_test_id("lead-status").get_attribute("data-status") == "closed"
    assert timeline_actions(page) == [
        "created",
        "dispatch",
        "order_rectification",
        "reinspect_corrected",
    ]
    screenshot("4-closed")
    complaint.lead.refresh_from_db()
    assert complaint.lead.status == LeadStatus.CLOSED
    assert complaint.lead.outcome == Outcome.RECTIFIED

    # the officer tells the reporter
    page.click(f"[data-testid=lead-complaints] >> text={complaint.number}")
    page.wait_for_url("**/complaints/*/")
    page.fill("[data-testid=reply-form] textarea", "已电话告知举报人：违建已拆除。")
    page.locator("[data-testid=reply-form] button[type=submit]").click()
    page.get_by_test_id("replied").wait_for()
    screenshot("5-replied")


def _complaint_without_subdistrict(world: World) -> Complaint:
    from xiaoqu.intake import services

    return services.complaint_create(
        actor=world.dispatcher, channel="resident", content="来电反映小区门口占道经营，地址不详。"
    )
