"""The 12345 work-order import: headers, row errors, idempotency, triage of each new order,
repeats within the file and against stored complaints, and the audit chain after the bulk
write."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from xiaoqu.audit.services import audit_verify
from xiaoqu.core.imports.engine import build_layout, import_run
from xiaoqu.core.imports.reader import read_rows
from xiaoqu.core.imports.specs.work_orders import WorkOrderImportSpec, parse_time
from xiaoqu.intake import services as intake
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.intake.models import Complaint
from xiaoqu.intake.workflow import LEAD_WORKFLOW
from xiaoqu.law.models import ViolationType
from xiaoqu.triage import services
from xiaoqu.triage.models import TriageRecord

from .fakes import FakeEngine, lead_of, type_code

HEADERS = ["工单编号", "来电时间", "诉求内容", "事发地址", "来电人", "来电号码", "所属街镇"]


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(services, "triage_engine", lambda district=None, **kw: fake)
    return fake


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "orders.xlsx"
    return data


def run(rows: list[list[Any]], *, mode: str = "atomic", headers: list[str] = HEADERS, **kw: Any):
    sheet = read_rows(xlsx(rows, headers), name="orders.xlsx")
    spec = WorkOrderImportSpec()
    layout = build_layout(WorkOrderImportSpec, sheet, kw.get("mapping"))
    return import_run(spec=spec, sheet=sheet, layout=layout, mode=mode)


def ago(hours: float) -> str:
    return timezone.localtime(timezone.now() - dt.timedelta(hours=hours)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def test_headers_are_recognised(world: Any) -> None:
    sheet = read_rows(xlsx([]), name="orders.xlsx")
    layout = build_layout(WorkOrderImportSpec, sheet)
    assert layout.mapping == {
        "external_no": "工单编号",
        "received_at": "来电时间",
        "content": "诉求内容",
        "address": "事发地址",
        "reporter_name": "来电人",
        "reporter_phone": "来电号码",
        "subdistrict": "所属街镇",
    }
    other = ["工单号", "受理时间", "问题描述", "诉求地址", "联系人", "联系电话", "街道"]
    layout = build_layout(WorkOrderImportSpec, read_rows(xlsx([], other), name="o.xlsx"))
    assert not layout.missing_required and layout.mapping["reporter_phone"] == "联系电话"


def test_new_orders_become_triaged_complaints(catalog: Any, engine: FakeEngine) -> None:
    result = run(
        [
            [
                "GD001",
                ago(5),
                "市民来电反映甲花园5号楼楼道堆物",
                "甲路100弄",
                "王先生",
                "13800000001",
                "甲街道",
            ],
            ["GD002", ago(4), "乙公寓有人搭建阳光房", "", "", "", ""],
            ["GD003", ago(3), "好像有点问题", "", "李女士", "13800000002", ""],
        ]
    )
    assert (result.created, result.rows_invalid) == (3, 0), result.errors
    c1 = Complaint.objects.get(external_no="GD001")
    assert c1.channel == "hotline" and c1.reporter_name == "王先生"
    assert c1.estate == catalog.estate_a and c1.subdistrict == catalog.sd_a
    assert type_code(c1) == "common_area_occupation"
    assert c1.reply_due_at is not None and c1.reply_rule is not None
    lead = lead_of(c1)
    assert lead.status == LeadStatus.DISPATCHED and lead.team is not None
    expected = LEAD_WORKFLOW.deadline(lead, timezone.now())
    assert lead.due_at == expected.at and lead.due_rule == expected.rule
    c3 = Complaint.objects.get(external_no="GD003")
    assert c3.triage.needs_review and c3.violation_type is None
    assert lead_of(c3).status == LeadStatus.PENDING_DISPATCH
    assert TriageRecord.objects.count() == 3
    assert result.related["dispatched"] == 2 and result.related["queued"] == 1
    assert audit_verify()[2] == []
    # numbers are taken from the yearly sequences: later complaints continue them
    later = intake.complaint_create(actor=catalog.dispatcher, channel="resident", content="x")
    assert later.number not in set(
        Complaint.objects.exclude(pk=later.pk).values_list("number", flat=True)
    )


def test_reimport_updates_instead_of_duplicating(catalog: Any, engine: FakeEngine) -> None:
    rows = [
        ["GD001", ago(5), "甲花园楼道堆物", "甲路100弄", "王先生", "13800000001", ""],
        ["GD002", ago(4), "乙公寓搭建", "", "", "", ""],
    ]
    run(rows)
    again = run(rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Complaint.objects.count() == 2
    rows[0][2] = "甲花园楼道堆物，已经一个月了"
    changed = run(rows)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Complaint.objects.count() == 2
    assert Complaint.objects.get(external_no="GD001").content.endswith("一个月了")
    assert audit_verify()[2] == []


def test_row_errors_have_row_and_reason(catalog: Any, engine: FakeEngine) -> None:
    future = timezone.localtime(timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    rows = [
        ["GD001", ago(5), "甲花园楼道堆物", "", "", "", ""],
        ["", ago(5), "没有编号", "", "", "", ""],
        ["GD003", "昨天下午", "时间读不出", "", "", "", ""],
        ["GD004", ago(1), "", "", "", "", ""],
        ["GD005", future, "将来的时间", "", "", "", ""],
        ["GD001", ago(2), "重复的编号", "", "", "", ""],
    ]
    result = run(rows)
    assert result.rejected and Complaint.objects.count() == 0
    by_row = {(e.row, e.code) for e in result.errors}
    assert by_row == {
        (3, "required"),
        (4, "invalid_time"),
        (5, "required"),
        (6, "future_time"),
        (7, "duplicate"),
    }
    assert all(e.message for e in result.errors)
    skipped = run(rows, mode="skip")
    assert (skipped.created, skipped.skipped) == (1, 5)
    assert list(Complaint.objects.values_list("external_no", flat=True)) == ["GD001"]


def test_mapping_is_configurable(catalog: Any, engine: FakeEngine) -> None:
    headers = ["单号", "时间点", "描述"]
    result = run(
        [["X1", ago(2), "甲花园楼道堆物"]],
        headers=headers,
        mapping={"external_no": "单号", "received_at": "时间点", "content": "描述"},
    )
    assert result.created == 1, result.errors


def test_repeats_within_the_file_and_stored_share_one_lead(
    catalog: Any, engine: FakeEngine
) -> None:
    stored = intake.complaint_create(
        actor=catalog.dispatcher,
        channel="resident",
        content="甲新村好像有问题",
        estate=catalog.estate_a2,
    )
    engine.repeat = lambda item, items: (
        f"complaint:{stored.pk}"
        if "甲新村" in item.text
        else ("row:2" if "又" in item.text else None)
    )
    result = run(
        [
            ["GD001", ago(5), "甲花园楼道堆物", "", "", "", ""],
            ["GD002", ago(4), "甲花园楼道又堆物", "", "", "", ""],
            ["GD003", ago(3), "甲新村好像还是那个问题", "", "", "", ""],
        ]
    )
    assert result.created == 3
    c1, c2, c3 = (Complaint.objects.get(external_no=n) for n in ("GD001", "GD002", "GD003"))
    assert c2.lead_id == c1.lead_id and c2.is_repeat and not c1.is_repeat
    assert c3.lead_id == stored.lead_id and c3.is_repeat
    assert c3.triage.repeat_of == stored
    assert lead_of(c1).complaint_count == 2
    assert lead_of(stored).complaint_count == 2
    assert audit_verify()[2] == []


def test_open_matter_of_same_estate_and_type_is_attached(catalog: Any, engine: FakeEngine) -> None:
    vt = ViolationType.objects.effective().get(code="common_area_occupation")
    first = intake.complaint_create(
        actor=catalog.dispatcher,
        channel="resident",
        content="堆物",
        estate=catalog.estate_a,
        violation_type=vt,
        received_at=timezone.now() - dt.timedelta(days=20),
    )
    run(
        [
            ["GD001", ago(30), "甲花园楼道堆物", "", "", "", ""],
            ["GD002", ago(20), "甲花园楼道堆物严重", "", "", "", ""],
        ]
    )
    lead = lead_of(first)
    assert lead.complaint_count == 3
    assert lead.chronic_since is not None
    assert audit_verify()[2] == []


def test_chunks_and_many_rows(catalog: Any, engine: FakeEngine, monkeypatch: Any) -> None:
    from xiaoqu.triage import bulk

    monkeypatch.setattr(bulk, "CHUNK", 7)
    rows = [
        [
            f"GD{i:04d}",
            ago(100 - i),
            f"第{i}号 乙公寓搭建" if i % 2 else f"{i} 好像",
            "",
            "",
            "",
            "",
        ]
        for i in range(40)
    ]
    result = run(rows)
    assert result.created == 40
    numbers = list(Complaint.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 40
    assert engine.calls == 6
    # `xiaoqu audit verify` raises CommandError (exit code 1) on any broken chain
    call_command("audit", "verify", stdout=io.StringIO())
    assert audit_verify()[2] == []


def test_command_line_import(catalog: Any, engine: FakeEngine, tmp_path: Any) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(xlsx([["GD001", ago(5), "甲花园楼道堆物", "", "", "", ""]]).getvalue())
    call_command("import_work_orders", str(path))
    assert Complaint.objects.filter(external_no="GD001").exists()


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-05 14:30:00",
        "2026/3/5 14:30",
        "2026年3月5日 14时30分",
        "20260305143000",
        "2026-03-05T14:30",
    ],
)
def test_time_formats(text: str) -> None:
    moment = timezone.localtime(parse_time(text))
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == (
        2026,
        3,
        5,
        14,
        30,
    )


def test_web_import_with_mapping_step(
    catalog: Any, engine: FakeEngine, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from xiaoqu.core.imports.choices import ImportStatus
    from xiaoqu.core.models import ImportJob

    settings.XIAOQU_IMPORTS_IN_THREAD = False
    settings.DATA_DIR = tmp_path
    client = catalog.client_for(catalog.admin)
    data = xlsx(
        [
            ["GD001", ago(5), "甲花园楼道堆物", "", "", "", ""],
            ["GD002", "不知道", "时间不对", "", "", "", ""],
        ]
    ).getvalue()
    upload = SimpleUploadedFile("工单.xlsx", data)
    response = client.post(reverse("core:import_new"), {"kind": "work_orders", "file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    preview = client.get(job.get_absolute_url())
    assert preview.context["layout"].mapping["external_no"] == "工单编号"
    assert [(e.row, e.code) for e in preview.context["errors"]] == [(3, "invalid_time")]
    client.post(reverse("core:import_confirm", args=[job.pk]), {"mode": "skip"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created, job.skipped) == (1, 1)
    assert job.related.get("dispatched") == 1
    assert Complaint.objects.get(external_no="GD001").triage.model_version == "fake-1"


def _events(record: Any) -> list[tuple[str, int | None, str]]:
    from django.contrib.contenttypes.models import ContentType

    from xiaoqu.audit.models import Event

    return list(
        Event.objects.filter(
            record_type=ContentType.objects.get_for_model(record), record_id=record.pk
        )
        .order_by("seq")
        .values_list("action", "actor_id", "actor_label")
    )


def test_write_progress_reaches_the_total_chunk_by_chunk(
    catalog: Any, engine: FakeEngine, monkeypatch: Any
) -> None:
    from xiaoqu.triage import bulk

    monkeypatch.setattr(bulk, "CHUNK", 3)
    stored = [[f"GD{i:03d}", ago(50 - i), f"{i} 乙公寓搭建", "", "", "", ""] for i in range(2)]
    run(stored)
    rows = stored + [
        [f"GD{i:03d}", ago(50 - i), f"{i} 乙公寓搭建", "", "", "", ""] for i in range(2, 10)
    ]
    seen: list[tuple[str, int, int]] = []
    sheet = read_rows(xlsx(rows), name="orders.xlsx")
    layout = build_layout(WorkOrderImportSpec, sheet)
    result = import_run(
        spec=WorkOrderImportSpec(),
        sheet=sheet,
        layout=layout,
        progress=lambda status, done, total: seen.append((status, done, total)),
    )
    assert (result.created, result.unchanged) == (8, 2)
    writing = [(done, total) for status, done, total in seen if status == "writing"]
    # announced before the transaction, then the stored orders compared, then each chunk of 3
    assert writing == [(0, 10), (2, 10), (5, 10), (8, 10), (10, 10)]
    assert seen[-1] == ("writing", 10, 10)


def test_events_of_a_web_import_name_the_uploader(
    catalog: Any, engine: FakeEngine, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from xiaoqu.core.imports import jobs
    from xiaoqu.core.imports.choices import ImportStatus
    from xiaoqu.core.models import ImportJob
    from xiaoqu.triage import bulk

    settings.XIAOQU_IMPORTS_IN_THREAD = False
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(bulk, "CHUNK", 2)
    # What the job record and the polled page hold after each step of the write.
    during: list[tuple[str, int, int, int]] = []
    report = bulk.WorkOrderWriter._report

    def spy(writer: Any, done: int, total: int) -> None:
        report(writer, done, total)
        job = ImportJob.objects.latest("pk")
        shown = ImportJob.objects.get(pk=job.pk)
        jobs.import_job_write_progress(job=shown)
        during.append((job.status, job.rows_done, job.rows_total, shown.progress_percent))

    monkeypatch.setattr(bulk.WorkOrderWriter, "_report", spy)
    admin = catalog.admin
    client = catalog.client_for(admin)
    rows = [
        ["GD001", ago(5), "市民来电反映甲花园5号楼楼道堆物", "甲路100弄", "", "", "甲街道"],
        ["GD002", ago(4), "乙公寓有人搭建阳光房", "", "", "", ""],
        ["GD003", ago(3), "好像有点问题", "", "", "", ""],
    ]
    upload = SimpleUploadedFile("工单.xlsx", xlsx(rows).getvalue())
    client.post(reverse("core:import_new"), {"kind": "work_orders", "file": upload})
    job = ImportJob.objects.latest("pk")
    client.post(reverse("core:import_confirm", args=[job.pk]), {"mode": "atomic"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created == 3
    assert during == [
        ("writing", 0, 3, 0),
        ("writing", 2, 3, 67),
        ("writing", 3, 3, 100),
    ]
    assert not jobs._writing  # the live progress is dropped once the job has run

    c1 = Complaint.objects.get(external_no="GD001")
    label = admin.name or admin.username
    assert _events(c1) == [
        ("received", admin.pk, label),
        ("triaged", admin.pk, label),
        ("lead_created", admin.pk, label),
    ]
    lead = lead_of(c1)
    assert lead.status == LeadStatus.DISPATCHED
    # automatic dispatch is the system's, as for a complaint recorded one at a time
    events = _events(lead)
    assert [(action, actor) for action, actor, _label in events] == [
        ("created", admin.pk),
        ("auto_dispatch", None),
    ]
    assert events[0][2] == label and events[1][2] != label
    assert audit_verify()[2] == []


def test_command_line_import_is_by_the_system(catalog: Any, engine: FakeEngine) -> None:
    run([["GD001", ago(5), "乙公寓有人搭建阳光房", "", "", "", ""]])
    c1 = Complaint.objects.get(external_no="GD001")
    assert {(action, actor) for action, actor, _label in _events(c1)} == {
        ("received", None),
        ("triaged", None),
        ("lead_created", None),
    }


def test_command_line_import_for_an_actor(catalog: Any, engine: FakeEngine, tmp_path: Any) -> None:
    from django.core.management.base import CommandError

    from xiaoqu.core.models import ImportJob

    path = tmp_path / "orders.xlsx"
    path.write_bytes(xlsx([["GD001", ago(5), "乙公寓有人搭建阳光房", "", "", "", ""]]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_work_orders", str(path), "--actor", "nobody", stdout=io.StringIO())
    call_command(
        "import_work_orders", str(path), "--actor", catalog.admin.username, stdout=io.StringIO()
    )
    c1 = Complaint.objects.get(external_no="GD001")
    assert {actor for _a, actor, _l in _events(c1)} == {catalog.admin.pk}
    assert ImportJob.objects.latest("pk").created_by == catalog.admin


def test_imported_renovation_orders_are_checked_against_the_register(
    catalog: Any, engine: FakeEngine
) -> None:
    from xiaoqu.renovations.choices import CheckResult
    from xiaoqu.renovations.models import RenovationCheck
    from xiaoqu.renovations.tests.factories import renovation_create

    renovation_create(
        actor=catalog.clerk_a, estate=catalog.estate_a, building="3幢", room="502", structural=True
    )
    outcome = run(
        [
            ["R-1", ago(3), "甲花园三号楼502室装修敲墙，担心破坏承重墙", "", "", "", ""],
            ["R-2", ago(2), "甲花园5号楼101室装修电钻声不断，没见贴装修公告", "", "", "", ""],
            ["R-3", ago(1), "甲花园小区门口有人乱贴小广告", "", "", "", ""],
        ]
    )
    assert outcome.created == 3
    checks = {c.complaint.external_no: c.result for c in RenovationCheck.objects.all()}
    assert checks == {"R-1": CheckResult.STRUCTURAL, "R-2": CheckResult.UNREGISTERED}
    assert audit_verify()[2] == []
