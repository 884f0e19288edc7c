"""An administrator imports an estate register from the web: preview with row errors in
Chinese, skip the invalid rows, watch the import finish, download the error report."""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.estates.models import Estate

pytestmark = pytest.mark.django_db(transaction=True)


def test_web_import_with_preview_and_error_report(
    page: Any, screenshot: Any, world: World, tmp_path: Any
):
    register = tmp_path / "小区台账.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["小区名称", "地址", "街道", "户数", "常住人口"])
    ws.append(["甲苑", "甲路300弄", "甲街道", 420, 1100])
    ws.append(["坏小区", "乙路1弄", "丙街道", "很多", 10])
    wb.save(register)

    login(page, "admin1", world.password)
    page.click("[data-nav='core:import_list']")
    page.get_by_test_id("new-import").click()
    page.locator("[data-testid=upload-form] input[value=estates]").check()
    page.set_input_files("[data-testid=upload-form] input[type=file]", str(register))
    page.click("[data-testid=upload-form] button[type=submit]")

    # preview: detected mapping, the rows, the errors with their row numbers, in Chinese
    page.get_by_test_id("mapping-form").wait_for()
    assert page.get_by_test_id("preview-total").inner_text() == "2"
    assert page.get_by_test_id("preview-invalid").inner_text() == "1"
    errors = page.get_by_test_id("row-errors").inner_text()
    assert "丙街道" in errors and "很多" in errors
    assert "不是整数" in errors or "整数" in errors
    screenshot("preview")

    # skip the invalid row and import; the page follows the progress until done
    page.locator("[data-testid=confirm-form] input[value=skip]").check()
    page.click("[data-testid=confirm-form] button[type=submit]")
    page.get_by_test_id("result-created").wait_for()
    page.wait_for_function(
        "document.querySelector('[data-testid=import-status]').innerText.includes('完成')"
    )
    assert page.get_by_test_id("result-created").inner_text() == "1"
    assert page.get_by_test_id("result-skipped").inner_text() == "1"
    screenshot("result")
    assert Estate.objects.filter(name="甲苑", subdistrict=world.sd_a).exists()
    assert not Estate.objects.filter(name="坏小区").exists()

    with page.expect_download() as info:
        page.get_by_test_id("download-errors").click()
    report = tmp_path / "errors.xlsx"
    info.value.save_as(report)
    rows = [r for r in load_workbook(report).active.iter_rows(values_only=True)]
    flat = " ".join(str(c) for r in rows for c in r if c is not None)
    assert "3" in flat and "丙街道" in flat and "很多" in flat

    # the imported estate is found in the list
    page.goto("/estates/?q=甲苑")
    assert "甲苑" in page.locator("#results tbody").inner_text()
