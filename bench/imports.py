"""Benchmark of the estate import: 10,000 rows from XLSX and from CSV, first import and
re-import, on a fresh SQLite database (or PostgreSQL when DATABASE_URL is set).

    make bench          # or: .venv/bin/python bench/imports.py [--rows N]

Prints the time of each phase, rows per second, the ratios between them and the peak
memory of the process. Nothing is asserted: the figures are for people to compare.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="xiaoqu-bench-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["XIAOQU_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoqu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xiaoqu.core.imports.choices import ImportMode
    from xiaoqu.core.imports.engine import build_layout, import_run
    from xiaoqu.core.imports.reader import read_rows
    from xiaoqu.core.imports.sample import estate_workbook
    from xiaoqu.core.imports.specs.estates import EstateImportSpec
    from xiaoqu.estates.models import Estate
    from xiaoqu.estates.services import property_company_upsert
    from xiaoqu.estates.validators import uscc_check_char
    from xiaoqu.regions.models import Subdistrict

    if os.environ.get("DATABASE_URL"):
        print("PostgreSQL: the benchmark needs an empty database; it flushes it first.")
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    else:
        call_command("migrate", verbosity=0)
    call_command("seed", stdout=open(os.devnull, "w"))  # noqa: SIM115
    subdistricts = list(Subdistrict.objects.values_list("name", flat=True))
    companies = []
    for n in range(30):
        body = f"91310107MA1BEN{n:03d}"  # 17 characters; the 18th is the check
        company, _ = property_company_upsert(
            uscc=body + uscc_check_char(body), name=f"上海基准{n}物业管理有限公司"
        )
        companies.append(company.name)

    rows = args.rows
    xlsx = estate_workbook(tmp / "estates.xlsx", rows, subdistricts, companies)
    csv_path = estate_workbook(tmp / "estates.csv", rows, subdistricts, companies)

    def run(path: Path) -> dict[str, float]:
        t0 = time.perf_counter()
        sheet = read_rows(path)
        t1 = time.perf_counter()
        layout = build_layout(EstateImportSpec, sheet)
        result = import_run(
            spec=EstateImportSpec(), sheet=sheet, layout=layout, mode=ImportMode.ATOMIC
        )
        t2 = time.perf_counter()
        if result.errors:
            sys.exit(f"unexpected row errors: {result.errors[:3]}")
        return {
            "read": t1 - t0,
            "import": t2 - t1,
            "total": t2 - t0,
            "created": result.created,
            "unchanged": result.unchanged,
        }

    first = run(xlsx)
    again = run(xlsx)
    Estate.objects.all().delete()
    from_csv = run(csv_path)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"Estate import benchmark: {rows:,} rows, {connection.vendor}, {os.cpu_count()} CPU(s)")
    print(f"{'case':<22}{'read s':>9}{'check+write s':>15}{'total s':>10}{'rows/s':>10}")
    for name, r in (
        ("XLSX first import", first),
        ("XLSX re-import", again),
        ("CSV first import", from_csv),
    ):
        print(
            f"{name:<22}{r['read']:>9.2f}{r['import']:>15.2f}{r['total']:>10.2f}{rows / r['total']:>10,.0f}"
        )
    print(f"created {first['created']:,}, then unchanged {again['unchanged']:,} on re-import")
    print(f"ratio re-import / first import (XLSX): {again['total'] / first['total']:.2f}")
    print(f"ratio CSV / XLSX first import:         {from_csv['total'] / first['total']:.2f}")
    print(f"peak memory of the process: {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
