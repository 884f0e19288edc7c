"""A generated 10,000-row workbook imports completely, and re-imports as unchanged.

How fast is measured by `bench/imports.py` (`make bench`), not here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xiaoqu.core.imports.choices import ImportMode
from xiaoqu.core.imports.engine import build_layout, import_run
from xiaoqu.core.imports.reader import read_rows
from xiaoqu.core.imports.sample import estate_workbook
from xiaoqu.core.imports.specs.estates import EstateImportSpec
from xiaoqu.estates.models import Estate, EstateAddress, ProjectManager
from xiaoqu.estates.tests.factories import PropertyCompanyFactory
from xiaoqu.regions.models import NeighbourhoodCommittee
from xiaoqu.regions.tests.factories import DistrictFactory, SubdistrictFactory

ROWS = 10_000


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
    return estate_workbook(tmp_path / "estates-10000.xlsx", ROWS, subdistricts, companies)


def _import(path: Path) -> Any:
    sheet = read_rows(path)
    layout = build_layout(EstateImportSpec, sheet)
    return import_run(spec=EstateImportSpec(), sheet=sheet, layout=layout, mode=ImportMode.ATOMIC)


def test_ten_thousand_rows(world10k: Path) -> None:
    result = _import(world10k)
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
    again = _import(world10k)
    assert (again.created, again.updated, again.unchanged) == (0, 0, ROWS)
    assert Estate.objects.count() == ROWS
