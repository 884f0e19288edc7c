"""A dispatcher logs in, searches an estate, opens it, exports the list and opens the XLSX."""

from __future__ import annotations

from typing import Any

import pytest
from openpyxl import load_workbook

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_open_and_export_estates(page: Any, screenshot: Any, world: World, tmp_path: Any):
    login(page, "dispatcher1", world.password)
    screenshot("home")
    assert page.get_by_test_id("stat-estates").inner_text() == "3"

    page.click("[data-nav='estates:estate_list']")  # the menu entry 小区
    page.wait_for_url("**/estates/")
    assert "3" in page.get_by_test_id("result-count").inner_text()

    # search as you type (HTMX swaps the results)
    page.fill("input[name=q]", "甲花")
    page.wait_for_function(
        "document.querySelector('[data-testid=result-count]').innerText.includes('1')"
    )
    rows = page.locator("#results tbody tr")
    assert rows.count() == 1
    assert "甲花园" in rows.first.inner_text()
    assert "q=" in page.url
    screenshot("search")

    # the export holds the filtered rows
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    target = tmp_path / "estates.xlsx"
    info.value.save_as(target)
    sheet = load_workbook(target).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = values[0]
    assert "名称" in header and "街道" in header
    names = [row[header.index("名称")] for row in values[1:]]
    assert names == ["甲花园"]

    # open the estate
    page.click("#results tbody >> text=甲花园")
    page.wait_for_url("**/estates/*/")
    assert page.get_by_test_id("estate-name").inner_text() == "甲花园"
    assert "甲路100弄" in page.content()
    assert "甲物业公司" in page.content()
    screenshot("estate")


def test_officer_sees_only_his_subdistrict(page: Any, world: World):
    login(page, "officer_a", world.password)
    page.goto("/estates/")
    body = page.locator("#results").inner_text()
    assert "甲花园" in body and "乙公寓" not in body
    response = page.goto(f"/estates/{world.estate_b.pk}/")
    assert response is not None and response.status == 404
