"""Enforcement documents in a real browser: the officer generates the rectification notice
from the lead's panel (HTMX redraws the panel in place), generates it again, downloads the
DOCX and finds its number inside; the administrator's template page lists every kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xiaoqu.browser_tests.conftest import login
from xiaoqu.conftest import World
from xiaoqu.documents.services import docx_text
from xiaoqu.documents.tests.factories import at, rectifying_lead

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _documents_dir(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path


def test_officer_generates_and_downloads_the_rectification_notice(
    page: Any, catalog: World, screenshot: Any
):
    lead = rectifying_lead(catalog, at(2026, 3, 2, 15))
    login(page, catalog.officer_a.username, catalog.password)
    page.goto(lead.get_absolute_url())
    panel = page.locator("[data-testid=documents-panel]")
    assert "责令改正通知书" in panel.inner_text()
    url = page.url
    page.click("[data-testid=generate-rectification_notice]")
    number = page.locator("[data-testid=document-number]")
    number.wait_for()
    assert number.inner_text() == "普城管责改字〔2026〕第0001号"
    assert page.url == url  # the panel was redrawn, not the page
    page.click("[data-testid=generate-rectification_notice]")
    page.locator("[data-testid=document-download]").nth(1).wait_for()
    assert page.locator("[data-testid=document-number]").inner_text() == number.inner_text()
    screenshot("panel")
    with page.expect_download() as info:
        page.locator("[data-testid=document-download]").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    text = docx_text(Path(download.path()).read_bytes())
    assert "普城管责改字〔2026〕第0001号" in text and "张某" in text


def test_the_administrator_sees_every_template(page: Any, catalog: World, screenshot: Any):
    login(page, catalog.admin.username, catalog.password)
    page.goto("/document-templates/")
    for kind in ("filing_approval", "penalty_decision", "closure_report", "assistance_notice"):
        assert page.locator(f"[data-testid=template-{kind}]").count() == 1
    screenshot("templates")
