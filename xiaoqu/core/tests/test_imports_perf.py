"""A generated 10,000-row workbook imports in seconds, and re-imports as unchanged."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from xiaoqu.core.imports.choices import ImportMode
from xiaoqu.core.imports.engine import build_layout, import_run
from xiaoqu.core.imports.reader import read_rows
from xiaoqu.core.imports.specs.estates import EstateImportSpec
from xiaoqu.estates.models import Estate, EstateAddress, ProjectManager
from xiaoqu.estates.tests.factories import PropertyCompanyFactory
from xiaoqu.regions.models import NeighbourhoodCommittee
from xiaoqu.regions.tests.factories import DistrictFactory, SubdistrictFactory

ROWS = 10_000
# Generous bound for slow CI machines; on a laptop-class CPU the import takes about 3 s.
LIMIT_SECONDS = 30.0

HEADER = [
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
]


def generate(path: Path, subdistricts: list[str], companies: list[str]) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("小区")
    ws.append(HEADER)
    for i in range(ROWS):
        ws.append(
            [
                f"测试小区{i:05d}",
                f"别名{i}",
                f"测试路{i}弄、测试路{i}号",
                subdistricts[i % len(subdistricts)],
                f"第{i % 200}居委会",
                100 + i % 900,
                300 + i % 2000,
                1 + i % 40,
                1950 + i % 70,
                31.2 + (i % 100) / 1000,
                121.4 + (i % 100) / 1000,
                "是" if i % 50 == 0 else "否",
                ("重点", "一般", "良好")[i % 3],
                companies[i % len(companies)],
                f"经理{i % 300}",
                f"139{i % 300:08d}",
            ]
        )
    wb.save(path)
    return path


@pytest.fixture
def world10k(db: Any, tmp_path: Path) -> Path:
    district = DistrictFactory.create()
    subdistricts = [
        SubdistrictFactory.create(
            district=district, name=f"第{n}街道", code=f"310107{n:03d}000"
        ).name
        for n in range(10)
    ]
    companies = [PropertyCompanyFactory.create(name=f"第{n}物业公司").name for n in range(30)]
    return generate(tmp_path / "estates-10000.xlsx", subdistricts, companies)


def _import(path: Path) -> tuple[Any, float]:
    started = time.perf_counter()
    sheet = read_rows(path)
    layout = build_layout(EstateImportSpec, sheet)
    result = import_run(spec=EstateImportSpec(), sheet=sheet, layout=layout, mode=ImportMode.ATOMIC)
    return result, time.perf_counter() - started


def test_ten_thousand_rows(world10k: Path) -> None:
    result, first = _import(world10k)
    assert result.errors == []
    assert (result.rows_total, result.created, result.updated, result.unchanged) == (
        ROWS,
        ROWS,
        0,
        0,
    )
    assert Estate.objects.count() == ROWS
    assert EstateAddress.objects.count() == 2 * ROWS
    # 第{i % 200}居委会 in 第{i % 10}街道: 200 pairs; 经理{i % 300} of company i % 30: 300 pairs.
    assert NeighbourhoodCommittee.objects.count() == 200
    assert ProjectManager.objects.count() == 300
    again, second = _import(world10k)
    assert (again.created, again.updated, again.unchanged) == (0, 0, ROWS)
    assert Estate.objects.count() == ROWS
    print(f"\n10,000-row XLSX: first import {first:.2f} s, re-import {second:.2f} s")
    assert first < LIMIT_SECONDS and second < LIMIT_SECONDS
