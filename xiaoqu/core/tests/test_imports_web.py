"""The web import flow: upload → preview (mapping, first rows, errors) → confirm → result,
the error report, the one-time password sheet, and access for platform administrators only."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from xiaoqu.accounts.models import User
from xiaoqu.core.imports.choices import ImportMode, ImportSource, ImportStatus
from xiaoqu.core.models import ImportJob
from xiaoqu.estates.models import Estate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _imports_inline(settings: Any, tmp_path: Any) -> None:
    settings.XIAOQU_IMPORTS_IN_THREAD = False
    settings.DATA_DIR = tmp_path  # uploaded files go to DATA_DIR/imports


def xlsx_upload(rows: Sequence[Any], name: str = "estates.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


ESTATE_ROWS = [
    ["名称", "街道", "户数", "备注"],
    ["网上小区一", "甲街道", 100, "x"],
    ["网上小区二", "甲街道", "很多", "y"],
    ["网上小区三", "乙街道", 300, "z"],
]


def upload(client: Any, kind: str, file: SimpleUploadedFile) -> ImportJob:
    response = client.post(reverse("core:import_new"), {"kind": kind, "file": file})
    job = ImportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    return job


def test_upload_preview_confirm_result(world):
    client = world.client_for(world.admin)
    page = client.get(reverse("core:import_new") + "?kind=estates")
    assert page.status_code == 200
    assert 'value="estates" ' in page.content.decode() or 'value="estates"' in page.content.decode()
    job = upload(client, "estates", xlsx_upload(ESTATE_ROWS))
    assert job.status == ImportStatus.PENDING
    assert job.created_by == world.admin
    assert job.file_name == "estates.xlsx"

    with translation.override("en"):
        preview = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-testid="mapping-form"' in html
    assert '<option value="名称" selected>' in html  # detected mapping: name ← 名称
    assert '<option value="户数" selected>' in html
    assert "备注" in html  # listed as ignored
    assert preview.context["validation"].rows_total == 3
    assert preview.context["validation"].invalid_rows == 1
    assert [(e.row, e.column, e.code) for e in preview.context["errors"]] == [
        (3, "户数", "invalid_integer")
    ]
    assert preview.context["rows"][0] == (2, ["网上小区一", "甲街道", "100"])
    assert not Estate.objects.filter(name__startswith="网上").exists()

    # Change the mapping: do not import households; the error disappears.
    mapping = {name: header for name, header in preview.context["layout"].mapping.items()}
    mapping["households"] = ""
    response = client.post(reverse("core:import_mapping", args=[job.pk]), mapping)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.mapping["households"] == "" and job.mapping["name"] == "名称"
    preview = client.get(job.get_absolute_url())
    assert preview.context["validation"].invalid_rows == 0
    # Map it back, then confirm in skip mode.
    mapping["households"] = "户数"
    client.post(reverse("core:import_mapping", args=[job.pk]), mapping)

    response = client.post(reverse("core:import_confirm", args=[job.pk]), {"mode": "skip"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.mode == ImportMode.SKIP
    assert (job.rows_total, job.created, job.updated, job.unchanged, job.skipped) == (3, 2, 0, 0, 1)
    assert job.error_count == 1 and job.started_at and job.finished_at
    assert set(Estate.objects.filter(name__startswith="网上").values_list("name", flat=True)) == {
        "网上小区一",
        "网上小区三",
    }
    assert Estate.objects.get(name="网上小区三").subdistrict == world.sd_b

    result = client.get(job.get_absolute_url())
    html = result.content.decode()
    assert 'data-testid="result-created">2<' in html
    assert 'data-testid="result-skipped">1<' in html
    assert "hx-trigger" not in html  # finished: no more polling
    assert reverse("core:import_errors", args=[job.pk]) in html

    report = client.get(reverse("core:import_errors", args=[job.pk]))
    assert report.status_code == 200
    assert report["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(b"".join(report.streaming_content)), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][0:2] == (3, "户数")
    assert rows[2][3:] == ("很多", "invalid_integer")

    listing = client.get(reverse("core:import_list"))
    assert listing.status_code == 200
    assert "estates.xlsx" in listing.content.decode()
    assert list(listing.context["page"]) == [job]


def test_atomic_confirm_with_errors_rejects_and_writes_nothing(world):
    client = world.client_for(world.admin)
    job = upload(client, "estates", xlsx_upload(ESTATE_ROWS))
    client.post(reverse("core:import_confirm", args=[job.pk]), {"mode": "atomic"})
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED
    assert job.skipped == 3 and job.created == 0
    assert job.message
    assert not Estate.objects.filter(name__startswith="网上").exists()
    # Confirming twice does not run it again.
    client.post(reverse("core:import_confirm", args=[job.pk]), {"mode": "skip"})
    job.refresh_from_db()
    assert job.status == ImportStatus.REJECTED


def test_progress_fragment_polls_while_running(world):
    client = world.client_for(world.admin)
    job = upload(client, "estates", xlsx_upload(ESTATE_ROWS))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, rows_total=200, rows_done=50
    )
    fragment = client.get(reverse("core:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert 'hx-trigger="every 1s"' in html
    assert "width: 25%" in html
    assert "<html" not in html


def test_users_import_gives_the_passwords_once_and_drops_the_file(world):
    client = world.client_for(world.admin)
    rows = [["账号", "姓名", "角色", "街道"], ["web_officer", "网上队员", "执法队员", "甲街道"]]
    job = upload(client, "users", xlsx_upload(rows, name="users.xlsx"))
    client.post(reverse("core:import_confirm", args=[job.pk]), {"mode": "atomic"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created == 1
    assert not job.file  # the uploaded user list is not kept
    assert job.passwords_file
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="download-passwords"' in page
    # Another administrator cannot take the sheet.
    other = User.objects.create(username="admin2", role="admin", district=world.district)
    assert (
        world.client_for(other).post(reverse("core:import_passwords", args=[job.pk])).status_code
        == 404
    )
    response = client.post(reverse("core:import_passwords", args=[job.pk]))
    assert response.status_code == 200
    rows_back = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    username, password = rows_back[2][1], rows_back[2][3]
    assert username == "web_officer"
    user = User.objects.get(username="web_officer")
    assert user.check_password(password) and user.subdistrict == world.sd_a
    # Once only.
    assert client.post(reverse("core:import_passwords", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert not job.passwords_file


def test_unreadable_file_and_missing_required_column(world):
    client = world.client_for(world.admin)
    bad = SimpleUploadedFile("bad.xlsx", b"not a workbook", content_type=XLSX)
    job = upload(client, "companies", bad)
    page = client.get(job.get_absolute_url())
    assert page.context["file_error"]
    assert 'data-testid="confirm-form"' not in page.content.decode()
    job2 = upload(client, "companies", xlsx_upload([["名称"], ["某公司"]], name="c.xlsx"))
    page = client.get(job2.get_absolute_url())
    assert "未找到必填字段对应的列" in page.context["file_error"]
    assert 'data-testid="mapping-form"' in page.content.decode()


def test_wrong_file_type_is_refused_at_upload(world):
    client = world.client_for(world.admin)
    response = client.post(
        reverse("core:import_new"),
        {"kind": "estates", "file": SimpleUploadedFile("a.xls", b"x")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_mapping_cannot_use_one_column_twice(world):
    client = world.client_for(world.admin)
    job = upload(client, "estates", xlsx_upload(ESTATE_ROWS))
    response = client.post(
        reverse("core:import_mapping", args=[job.pk]), {"name": "名称", "aliases": "名称"}
    )
    assert response.status_code == 200
    assert response.context["mapping_form"].non_field_errors()


def test_cancel_deletes_the_upload(world):
    client = world.client_for(world.admin)
    job = upload(client, "estates", xlsx_upload(ESTATE_ROWS))
    path = job.file.path
    response = client.post(reverse("core:import_cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED and not job.file
    import os

    assert not os.path.exists(path)


def test_command_line_runs_appear_in_the_history(world, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "e.csv"
    path.write_text("小区名称\n命令行小区\n", encoding="utf-8")
    call_command("import_estates", str(path), stdout=io.StringIO())
    job = ImportJob.objects.get()
    assert job.source == ImportSource.COMMAND and job.created == 1
    html = world.client_for(world.admin).get(reverse("core:import_list")).content.decode()
    assert "e.csv" in html


@pytest.mark.parametrize(
    "name,method",
    [
        ("core:import_list", "get"),
        ("core:import_new", "get"),
        ("core:import_new", "post"),
        ("core:import_detail", "get"),
        ("core:import_mapping", "post"),
        ("core:import_confirm", "post"),
        ("core:import_cancel", "post"),
        ("core:import_progress", "get"),
        ("core:import_errors", "get"),
        ("core:import_passwords", "post"),
    ],
)
def test_only_platform_admins(world, name, method):
    job = ImportJob.objects.create(kind="estates", file_name="x.xlsx", created_by=world.admin)
    url = (
        reverse(name, args=[job.pk])
        if name not in ("core:import_list", "core:import_new")
        else reverse(name)
    )
    for user in (world.officer_a, world.dispatcher, world.clerk_a):
        response = getattr(world.client_for(user), method)(url)
        assert response.status_code == 403, (user, name)
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_background_thread_runs_the_import(world, settings):
    settings.XIAOQU_IMPORTS_IN_THREAD = True
    client = world.client_for(world.admin)
    job = upload(client, "estates", xlsx_upload([["名称"], ["线程小区"]]))
    client.post(reverse("core:import_confirm", args=[job.pk]), {"mode": "atomic"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.05)
    assert job.status == ImportStatus.DONE
    assert Estate.objects.filter(name="线程小区").exists()


def test_an_interrupted_job_is_marked_failed(world):
    import datetime as dt

    from django.utils import timezone

    job = ImportJob.objects.create(
        kind="estates",
        file_name="x.xlsx",
        created_by=world.admin,
        status=ImportStatus.VALIDATING,
        started_at=timezone.now() - dt.timedelta(hours=3),
    )
    html = world.client_for(world.admin).get(reverse("core:import_progress", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.message
    assert "hx-trigger" not in html.content.decode()


def test_passwords_are_never_shown_back(world):
    client = world.client_for(world.admin)
    rows = [["账号", "角色", "密码"], ["p1", "调度员", "Secret-2026-ok"], ["p2", "调度员", "123"]]
    job = upload(client, "users", xlsx_upload(rows, name="users.xlsx"))
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Secret-2026-ok" not in html and ">123<" not in html
    assert "••••••" in html
    client.post(reverse("core:import_confirm", args=[job.pk]), {"mode": "skip"})
    job.refresh_from_db()
    assert job.created == 1 and job.error_count == 1
    assert job.errors[0]["code"] == "invalid_password" and job.errors[0]["value"] == "••••••"
    assert not job.passwords_file  # p1 had its own password: nothing was generated


def test_progress_fragment_shows_the_rows_written(world):
    from xiaoqu.core.imports import jobs

    client = world.client_for(world.admin)
    job = upload(client, "estates", xlsx_upload(ESTATE_ROWS))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.WRITING, rows_total=200, rows_done=50
    )
    url = reverse("core:import_progress", args=[job.pk])

    def fragment() -> str:
        with translation.override("en"):
            response = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
        return response.content.decode()

    html = fragment()
    assert 'hx-trigger="every 1s"' in html
    assert 'data-testid="import-write-progress"' in html
    assert "已写入50/200行" in html and "width: 25%" in html
    # While the write's transaction is open the page reads the progress the running job
    # keeps in this process.
    jobs._writing[job.pk] = (150, 200)
    try:
        html = fragment()
    finally:
        jobs._writing.pop(job.pk, None)
    assert "已写入150/200行" in html and "width: 75%" in html
    with translation.override("en"):
        page = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "已写入50/200行" in page
