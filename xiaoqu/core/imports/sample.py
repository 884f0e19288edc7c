"""Generated estate registers for the import tests and the import benchmark."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

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


def estate_workbook(path: Path, rows: int, subdistricts: list[str], companies: list[str]) -> Path:
    """A realistic estate register of `rows` rows (every column filled), as .xlsx or .csv."""
    records = (
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
        for i in range(rows)
    )
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            writer.writerows(records)
        return path
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("小区")
    ws.append(HEADER)
    for record in records:
        ws.append(record)
    wb.save(path)
    return path
