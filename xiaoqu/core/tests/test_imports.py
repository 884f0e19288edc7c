"""Estate imports from the command line: header mapping, every malformed-row case with its row
and column, all-or-nothing and skip modes, idempotent re-imports, CSV encodings, the lianjia
estate list, the error report."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from xiaoqu.core.imports.choices import ImportMode, ImportSource, ImportStatus
from xiaoqu.core.imports.engine import RowError, build_layout, import_run
from xiaoqu.core.imports.reader import ImportFileError, read_rows
from xiaoqu.core.imports.specs.estates import EstateImportSpec
from xiaoqu.core.models import ImportJob
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate, EstateAddress, ProjectManager
from xiaoqu.estates.tests.factories import (
    EstateFactory,
    ProjectManagerFactory,
    PropertyCompanyFactory,
    make_uscc,
)
from xiaoqu.regions.models import NeighbourhoodCommittee
from xiaoqu.regions.tests.factories import CommitteeFactory, DistrictFactory, SubdistrictFactory

LIANJIA = Path(settings.XIAOQU_SHARED_DATA) / "putuo" / "putuo_communities_lianjia_2018.csv"


@pytest.fixture
def place(db: Any) -> dict[str, Any]:
    district = DistrictFactory.create()  # 310107 普陀区, the default district
    return {
        "district": district,
        "sd_a": SubdistrictFactory.create(district=district, name="甲街道", code="310107901000"),
        "sd_b": SubdistrictFactory.create(district=district, name="乙镇", code="310107902000"),
        "company": PropertyCompanyFactory.create(name="甲物业公司", uscc=make_uscc(1)),
    }


def write_csv(path: Path, rows: Sequence[Any], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Any]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def run(path: Path, *args: str) -> str:
    """Run import-estates in English (the reasons are English source strings) and return
    its output; raises CommandError like the console command exits non-zero."""
    out = StringIO()
    with translation.override("en"):
        call_command("import_estates", str(path), *args, stdout=out)
    return out.getvalue()


def run_spec(path: Path, mode: str = ImportMode.ATOMIC, **mapping: str) -> Any:
    sheet = read_rows(path)
    layout = build_layout(EstateImportSpec, sheet, mapping)
    with translation.override("en"):
        return import_run(spec=EstateImportSpec(), sheet=sheet, layout=layout, mode=mode)


HEADER = ["小区名称", "户数", "街道", "建成年份", "统一社会信用代码"]


def malformed_rows(valid_code: str) -> list[list[Any]]:
    bad_code = valid_code[:17] + ("0" if valid_code[17] != "0" else "1")
    return [
        HEADER,
        ["好小区一", 100, "甲街道", 1995, valid_code],  # row 2: valid
        ["坏代码小区", 100, "甲街道", 1995, bad_code],  # row 3: bad credit code
        ["无名街道小区", 100, "火星街道", 1995, ""],  # row 4: unknown subdistrict
        ["好小区一", 120, "甲街道", 1995, ""],  # row 5: duplicate of row 2
        ["", 100, "甲街道", 1995, ""],  # row 6: empty required name
        ["很多小区", "很多", "甲街道", 1995, ""],  # row 7: wrong type
        ["古代小区", 100, "甲街道", 1800, ""],  # row 8: out of range
        ["好小区二", "1,200", "310107902000", "", ""],  # row 9: valid (code, thousands)
    ]


def test_every_malformed_row_case_is_reported_with_row_column_and_reason(place, tmp_path):
    code = place["company"].uscc
    path = write_xlsx(tmp_path / "estates.xlsx", malformed_rows(code))
    result = run_spec(path)
    got = {(e.row, e.column, e.code) for e in result.errors}
    assert got == {
        (3, "统一社会信用代码", "invalid_uscc"),
        (4, "街道", "unknown_subdistrict"),
        (5, "小区名称", "duplicate"),
        (6, "小区名称", "required"),
        (7, "户数", "invalid_integer"),
        (8, "建成年份", "out_of_range"),
    }
    by_row = {e.row: e for e in result.errors}
    assert by_row[3].message == (f"Wrong check character: the last character should be {code[17]}.")
    assert by_row[4].message == "Unknown subdistrict “火星街道” in 普陀区."
    assert by_row[5].message == "“好小区一” already appears in row 2 of this file."
    assert by_row[6].message == "A value is required."
    assert by_row[7].message == "“很多” is not a whole number."
    assert by_row[7].value == "很多"
    assert by_row[8].message == "1800 is out of range: allowed are 1900 to 2100."
    assert result.rows_total == 8
    assert result.rows_invalid == 6
    assert result.rejected


def test_atomic_mode_writes_nothing_when_one_row_is_bad(place, tmp_path):
    path = write_xlsx(tmp_path / "estates.xlsx", malformed_rows(place["company"].uscc))
    before = Estate.objects.count()
    with pytest.raises(CommandError) as exc:
        run(path)
    assert exc.value.returncode == 1
    assert "6 rows rejected; nothing was written." in str(exc.value)
    assert Estate.objects.count() == before
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.REJECTED
    assert job.source == ImportSource.COMMAND
    assert job.skipped == 8 and job.created == 0


def test_one_bad_row_among_good_ones_blocks_the_whole_atomic_import(place, tmp_path):
    rows = [["小区名称", "户数"], ["一号小区", 10], ["二号小区", "x"], ["三号小区", 30]]
    result = run_spec(write_csv(tmp_path / "e.csv", rows))
    assert [(e.row, e.column, e.code) for e in result.errors] == [(3, "户数", "invalid_integer")]
    assert result.created == 0 and result.skipped == 3
    assert not Estate.objects.exists()


def test_skip_mode_writes_exactly_the_valid_rows(place, tmp_path):
    path = write_xlsx(tmp_path / "estates.xlsx", malformed_rows(place["company"].uscc))
    out = run(path, "--mode", "skip")
    assert set(Estate.objects.values_list("name", flat=True)) == {"好小区一", "好小区二"}
    first = Estate.objects.get(name="好小区一")
    assert first.households == 100  # row 2, not the duplicate in row 5
    assert first.property_company == place["company"]
    second = Estate.objects.get(name="好小区二")
    assert second.households == 1200 and second.subdistrict == place["sd_b"]
    assert "Created 2, updated 0, unchanged 0, skipped 6." in out
    assert "  7, 户数: “很多” is not a whole number." in out


def test_all_fields_with_chinese_headers(place, tmp_path):
    company = place["company"]
    other = PropertyCompanyFactory.create(name="乙物业公司")
    CommitteeFactory.create(subdistrict=place["sd_a"], name="梅川一居委会")
    rows = [
        [
            "小区名称",
            "别名",
            "地址",
            "街道",
            "居委会",
            "户数",
            "常住人口",
            "楼栋数",
            "建成年份",
            "纬度",
            "经度",
            "试点",
            "风险等级",
            "物业公司",
            "项目经理",
            "项目经理电话",
            "备注",
        ],
        [
            "梅川小区",
            "梅川一村、梅川新村",
            "梅川路1199弄;梅川路1200弄",
            "甲街道",
            "梅川一",
            "1,024",
            2500,
            36,
            1995,
            31.245678,
            "121.3912345",
            "是",
            "重点",
            company.uscc.lower(),
            "张经理",
            "13900000001",
            "ignored",
        ],
        [
            "乙小区",
            "",
            "真北路２００号",
            "310107902000",
            "新居委会",
            10,
            "",
            "",
            "",
            "",
            "",
            "否",
            "good",
            "乙物业公司",
            "",
            "",
            "",
        ],
    ]
    result = run_spec(write_xlsx(tmp_path / "all.xlsx", rows))
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert result.related == {
        "committees_created": 1,
        "managers_created": 1,
        "addresses_created": 3,
    }
    estate = Estate.objects.get(name="梅川小区")
    assert estate.district == place["district"]
    assert estate.alias_list == ["梅川一村", "梅川新村"]
    addresses = {(a.address, a.road, a.number) for a in estate.addresses.all()}
    assert addresses == {("梅川路1199弄", "梅川路", "1199"), ("梅川路1200弄", "梅川路", "1200")}
    assert estate.subdistrict == place["sd_a"]
    assert estate.committee is not None and estate.committee.name == "梅川一居委会"
    assert (estate.households, estate.residents, estate.buildings, estate.build_year) == (
        1024,
        2500,
        36,
        1995,
    )
    assert estate.latitude == Decimal("31.245678")
    assert estate.longitude == Decimal("121.391235")
    assert estate.is_pilot is True
    assert estate.risk_grade == RiskGrade.KEY
    assert estate.property_company == company
    assert estate.project_manager is not None
    assert (estate.project_manager.name, estate.project_manager.phone) == ("张经理", "13900000001")
    assert estate.project_manager.company == company
    second = Estate.objects.get(name="乙小区")
    assert second.subdistrict == place["sd_b"]
    assert second.committee is not None and second.committee.name == "新居委会"
    assert NeighbourhoodCommittee.objects.filter(
        name="新居委会", subdistrict=place["sd_b"]
    ).exists()
    assert second.property_company == other
    assert second.is_pilot is False and second.risk_grade == RiskGrade.GOOD
    assert EstateAddress.objects.get(estate=second).number == "200"


def test_reimport_is_idempotent(place, tmp_path):
    rows = [
        ["小区名称", "地址", "居委会", "街道", "物业公司", "项目经理", "户数"],
        ["一号小区", "甲路1弄、甲路2弄", "一居委", "甲街道", "甲物业公司", "王经理", 10],
        ["二号小区", "乙路9号", "", "乙镇", "", "", 20],
    ]
    path = write_csv(tmp_path / "e.csv", rows)
    run(path)
    counts = (
        Estate.objects.count(),
        EstateAddress.objects.count(),
        NeighbourhoodCommittee.objects.count(),
        ProjectManager.objects.count(),
    )
    out = run(path)
    assert "Created 0, updated 0, unchanged 2, skipped 0." in out
    assert counts == (
        Estate.objects.count(),
        EstateAddress.objects.count(),
        NeighbourhoodCommittee.objects.count(),
        ProjectManager.objects.count(),
    )
    assert counts == (2, 3, 1, 1)
    assert list(ImportJob.objects.values_list("created", "unchanged")) == [(0, 2), (2, 0)]


def test_updates_change_only_given_values_and_make_demo_records_real(place, tmp_path):
    demo = EstateFactory.create(
        district=place["district"],
        subdistrict=place["sd_a"],
        name="演示小区",
        households=500,
        residents=1200,
        is_demo=True,
        aliases="旧名",
    )
    path = write_csv(
        tmp_path / "e.csv", [["名称", "户数", "常住人口", "别名"], ["演示小区", 600, "", "新名"]]
    )
    result = run_spec(path)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    demo.refresh_from_db()
    assert demo.is_demo is False
    assert demo.households == 600
    assert demo.residents == 1200  # empty cell: left as it is
    assert demo.subdistrict == place["sd_a"]  # no column: left as it is
    assert demo.alias_list == ["旧名", "新名"]
    again = run_spec(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_an_unchanged_demo_record_counts_as_updated_once(place, tmp_path):
    demo = EstateFactory.create(district=place["district"], name="演示二", is_demo=True)
    path = write_csv(tmp_path / "e.csv", [["名称"], ["演示二"]])
    assert run_spec(path).updated == 1
    demo.refresh_from_db()
    assert not demo.is_demo
    assert run_spec(path).unchanged == 1


def test_gbk_csv(place, tmp_path):
    rows = [["小区名称", "街道", "户数"], ["曹杨新村", "甲街道", 3000], ["真如苑", "乙镇", 800]]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    assert read_rows(path).encoding == "gbk"
    out = run(path)
    assert "Created 2" in out
    assert Estate.objects.get(name="曹杨新村").households == 3000
    assert Estate.objects.get(name="真如苑").subdistrict == place["sd_b"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_and_without_bom(place, tmp_path, encoding):
    path = write_csv(tmp_path / "u.csv", [["小区名称"], ["长风小区"]], encoding=encoding)
    assert read_rows(path).encoding == encoding
    assert read_rows(path).rows[0][1] == ["小区名称"]
    run(path)
    assert Estate.objects.filter(name="长风小区").exists()


def test_map_option_and_english_field_names(place, tmp_path):
    rows = [["xiaoqu_name", "households", "subdistrict", "is_pilot"], ["甲", 5, "甲街道", "true"]]
    path = write_csv(tmp_path / "e.csv", rows)
    with pytest.raises(CommandError, match="--map name=HEADER"):
        run(path)
    run(path, "--map", "name=xiaoqu_name")
    estate = Estate.objects.get(name="甲")
    assert estate.households == 5 and estate.is_pilot and estate.subdistrict == place["sd_a"]


def test_mapping_errors(place, tmp_path):
    path = write_csv(tmp_path / "e.csv", [["小区名称"], ["甲"]])
    with pytest.raises(CommandError, match="Unknown field “colour”"):
        run(path, "--map", "colour=小区名称")
    with pytest.raises(CommandError, match="The file has no column “名字”"):
        run(path, "--map", "name=名字")
    with pytest.raises(CommandError, match="--map takes field=header"):
        run(path, "--map", "name")


def test_header_below_a_title_row_keeps_excel_row_numbers(place, tmp_path):
    rows = [["普陀区住宅小区名录（2025年）"], ["小区名称", "户数"], ["甲", 1], ["乙", "多"]]
    result = run_spec(write_xlsx(tmp_path / "t.xlsx", rows))
    assert [(e.row, e.column) for e in result.errors] == [(4, "户数")]


def test_other_value_checks(place, tmp_path):
    rows = [
        ["小区名称", "试点", "风险等级", "纬度", "物业公司", "项目经理电话", "区", "居委会"],
        ["甲", "也许", "", "", "", "", "", ""],
        ["乙", "", "很高", "", "", "", "", ""],
        ["丙", "", "", "95", "", "", "", ""],
        ["丁", "", "", "", "不存在物业公司", "", "", ""],
        ["戊", "", "", "", "", "13800000000", "", ""],
        ["己", "", "", "", "", "", "黄浦区", ""],
        ["庚", "", "", "", "", "", "", "某居委会"],
        ["辛" * 101, "", "", "", "", "", "", ""],
    ]
    result = run_spec(write_xlsx(tmp_path / "v.xlsx", rows))
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "试点", "invalid_boolean"),
        (3, "风险等级", "invalid_choice"),
        (4, "纬度", "out_of_range"),
        (5, "物业公司", "unknown_company"),
        (6, "项目经理电话", "manager_phone_without_name"),
        (7, "区", "unknown_district"),
        (8, "居委会", "committee_without_subdistrict"),
        (9, "小区名称", "too_long"),
    ]
    assert result.errors[0].message == "“也许” is neither yes nor no (是/否)."
    assert result.errors[5].message == "Unknown district “黄浦区”."


def test_project_manager_without_company_is_an_error_unless_the_estate_has_one(place, tmp_path):
    EstateFactory.create(
        district=place["district"], name="有物业小区", property_company=place["company"]
    )
    rows = [["小区名称", "项目经理"], ["有物业小区", "李经理"], ["无物业小区", "赵经理"]]
    result = run_spec(write_csv(tmp_path / "m.csv", rows), mode=ImportMode.SKIP)
    assert [(e.row, e.code) for e in result.errors] == [(3, "manager_without_company")]
    assert result.updated == 1
    manager = Estate.objects.get(name="有物业小区").project_manager
    assert manager is not None and manager.company == place["company"]


def test_changing_company_keeps_manager_consistent(place, tmp_path):
    old = ProjectManagerFactory.create(company=place["company"], name="旧经理")
    EstateFactory.create(
        district=place["district"],
        name="换物业小区",
        property_company=place["company"],
        project_manager=old,
    )
    new_company = PropertyCompanyFactory.create(name="新物业公司")
    result = run_spec(
        write_csv(tmp_path / "c.csv", [["小区名称", "物业公司"], ["换物业小区", "新物业公司"]])
    )
    assert result.updated == 1
    estate = Estate.objects.get(name="换物业小区")
    assert estate.property_company == new_company
    assert estate.project_manager is None


def test_dry_run_writes_nothing_and_records_nothing(place, tmp_path):
    path = write_csv(
        tmp_path / "e.csv", [["小区名称", "居委会", "街道"], ["甲", "新居委", "甲街道"]]
    )
    out = run(path, "--dry-run")
    assert "Created 1" in out and "Dry run: nothing was written." in out
    assert not Estate.objects.exists()
    assert not NeighbourhoodCommittee.objects.exists()
    assert not ImportJob.objects.exists()


def test_error_report_workbook(place, tmp_path):
    path = write_xlsx(tmp_path / "estates.xlsx", malformed_rows(place["company"].uscc))
    report = tmp_path / "report.xlsx"
    with pytest.raises(CommandError):
        run(path, "--errors", str(report))
    ws = load_workbook(report, read_only=True).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["Errors found in estates.xlsx"]
    assert rows[1] == ["Row", "Column", "Reason", "Value", "Error code"]
    assert rows[2:] == [
        [
            3,
            "统一社会信用代码",
            f"Wrong check character: the last character should be {place['company'].uscc[17]}.",
            rows[2][3],
            "invalid_uscc",
        ],
        [4, "街道", "Unknown subdistrict “火星街道” in 普陀区.", "火星街道", "unknown_subdistrict"],
        [
            5,
            "小区名称",
            "“好小区一” already appears in row 2 of this file.",
            "好小区一",
            "duplicate",
        ],
        [6, "小区名称", "A value is required.", None, "required"],
        [7, "户数", "“很多” is not a whole number.", "很多", "invalid_integer"],
        [8, "建成年份", "1800 is out of range: allowed are 1900 to 2100.", "1800", "out_of_range"],
    ]


def test_missing_default_district_is_a_file_error(db, tmp_path):
    path = write_csv(tmp_path / "e.csv", [["小区名称"], ["甲"]])
    with pytest.raises(CommandError, match="The default district 310107 does not exist"):
        run(path)


def test_unsupported_and_broken_files(tmp_path):
    with pytest.raises(ImportFileError, match=r"\.xls"):
        read_rows(tmp_path / "old.xls")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ImportFileError, match=r"不是有效的 \.xlsx"):
        read_rows(broken)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ImportFileError, match="文件为空"):
        build_layout(EstateImportSpec, read_rows(empty))


def test_row_error_round_trips_through_json():
    error = RowError(row=3, column="户数", code="invalid_integer", message="m", value="很多")
    assert RowError.from_dict(error.as_dict()) == error


@pytest.mark.skipif(not LIANJIA.exists(), reason=f"shared reference data absent: {LIANJIA}")
def test_lianjia_estate_list_with_map(place):
    """The 951 Putuo estate names of the 2018 lianjia list (its name column is xiaoqu_name).

    Its `district` column (普陀) is recognised and resolved to 普陀区; the other columns are
    ignored. The file has no repeated name (checked below); a repeated name in a file is a
    row error ("already appears in row N"), so that an all-or-nothing import would stop and a
    skip-mode import would keep the first occurrence (see the malformed-row tests)."""
    with LIANJIA.open(encoding="utf-8") as handle:
        names = [row["xiaoqu_name"].strip() for row in csv.DictReader(handle)]
    assert len(names) == len(set(names)) == 951
    out = run(LIANJIA, "--map", "name=xiaoqu_name")
    assert "Created 951, updated 0, unchanged 0, skipped 0." in out
    assert Estate.objects.filter(district=place["district"]).count() == 951
    assert set(Estate.objects.values_list("name", flat=True)) == set(names)
    out = run(LIANJIA, "--map", "name=xiaoqu_name")
    assert "Created 0, updated 0, unchanged 951, skipped 0." in out
    assert Estate.objects.count() == 951


def test_subdistrict_names_codes_and_short_names(db):
    from xiaoqu.core.imports.parsing import FieldError
    from xiaoqu.core.imports.specs.lookups import Lookups

    district = DistrictFactory.create()
    caoyang = SubdistrictFactory.create(district=district, name="曹杨新村街道", code="310107005000")
    zhenru = SubdistrictFactory.create(district=district, name="真如镇街道", code="310107021000")
    changfeng = SubdistrictFactory.create(
        district=district, name="长风新村街道", code="310107014000"
    )
    changzheng = SubdistrictFactory.create(district=district, name="长征镇", code="310107102000")
    lookups = Lookups()
    assert lookups.subdistrict("曹杨新村街道", district) == caoyang
    assert lookups.subdistrict("曹杨", district) == caoyang
    assert lookups.subdistrict("真如镇", district) == zhenru
    assert lookups.subdistrict("长风", district) == changfeng
    assert lookups.subdistrict("长征", district) == changzheng
    assert lookups.subdistrict("310107014000", district) == changfeng
    with pytest.raises(FieldError) as exc:
        lookups.subdistrict("长", district)  # one character: no guessing
    assert exc.value.code == "unknown_subdistrict"
    other = DistrictFactory.create(code="310101", name="黄浦区")
    with pytest.raises(FieldError) as exc:
        lookups.subdistrict("310107014000", other)
    assert exc.value.code == "subdistrict_other_district"
