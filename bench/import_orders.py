"""Benchmark of the 12345 work-order import: 100,000 generated orders (texts of the triage
corpus, times over the past ten months) imported into a fresh SQLite database with triage
and storage, beside a bare openpyxl read of the same file.

    make bench          # or: .venv/bin/python bench/import_orders.py [--rows N]

The demo estates are loaded first (the gazetteer matches against them) and a first triage
model is trained from the corpus before the clock starts. Prints rows per second (target
≥ 500), the ratio of the import's time to the bare read, peak memory, what the import did,
and whether `xiaoqu audit verify` finds the event chains intact. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET = 500.0
HEADERS = ["工单编号", "受理时间", "诉求内容", "诉求地址", "来电人", "联系电话", "所属街镇"]


def corpus_rows() -> list[dict[str, str]]:
    folder = Path(__file__).resolve().parent.parent / "xiaoqu" / "triage" / "corpus"
    rows: list[dict[str, str]] = []
    for name in ("train.jsonl", "test.jsonl"):
        with open(folder / name, encoding="utf-8") as handle:
            rows.extend(json.loads(line) for line in handle if line.strip())
    return rows


def workbook(path: Path, rows: int, subdistricts: dict[str, str], seed: int = 5) -> Path:
    from openpyxl import Workbook

    rng = random.Random(seed)
    texts = corpus_rows()
    now = dt.datetime.now().replace(microsecond=0)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    sheet.append(HEADERS)
    surnames = "王李张刘陈杨黄赵吴周"
    for n in range(rows):
        item = rng.choice(texts)
        received = now - dt.timedelta(minutes=rng.randint(60, 300 * 24 * 60))
        caller = rng.random() < 0.7
        sheet.append(
            [
                f"SH12345{received:%Y%m%d}{n:07d}",
                received.strftime("%Y-%m-%d %H:%M:%S"),
                item["text"],
                item.get("address") or "",
                f"{rng.choice(surnames)}先生" if caller else "",
                f"138{rng.randint(0, 99_999_999):08d}" if caller else "",
                subdistricts.get(item.get("subdistrict") or "", "") if rng.random() < 0.5 else "",
            ]
        )
    book.save(path)
    return path


def bare_read(path: Path) -> float:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert count > 0
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="xiaoqu-bench-orders-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ["XIAOQU_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ.setdefault("XIAOQU_DATA_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoqu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xiaoqu.audit.services import audit_verify
    from xiaoqu.core.imports.choices import ImportMode
    from xiaoqu.core.imports.engine import build_layout, import_run
    from xiaoqu.core.imports.reader import read_rows
    from xiaoqu.core.imports.specs.work_orders import WorkOrderImportSpec
    from xiaoqu.regions.models import District, Subdistrict
    from xiaoqu.regions.seed import PUTUO
    from xiaoqu.triage.services import triage_engine

    devnull = open(os.devnull, "w")  # noqa: SIM115
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", "--no-history", stdout=devnull, stderr=devnull)
    setup_seconds = time.perf_counter() - started
    started = time.perf_counter()
    district = District.objects.get(code=PUTUO.code)
    engine = triage_engine(district, train=True)
    train_seconds = time.perf_counter() - started
    subdistricts = dict(Subdistrict.objects.values_list("code", "name"))

    started = time.perf_counter()
    path = workbook(tmp / "orders.xlsx", args.rows, subdistricts)
    generate_seconds = time.perf_counter() - started
    bare = bare_read(path)

    started = time.perf_counter()
    sheet = read_rows(path)
    read_seconds = time.perf_counter() - started
    layout = build_layout(WorkOrderImportSpec, sheet)
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    result = import_run(
        spec=WorkOrderImportSpec(), sheet=sheet, layout=layout, mode=ImportMode.ATOMIC
    )
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.environ["BENCH_PROFILE"])
    total = time.perf_counter() - started
    del sheet
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    records, events, problems = audit_verify()
    verify_seconds = time.perf_counter() - started
    rate = args.rows / total

    print(
        f"12345 work-order import benchmark: {args.rows:,} rows, {connection.vendor}, "
        f"{os.cpu_count()} CPU(s), model {getattr(engine, 'version', '?')}"
    )
    print(
        f"setup (migrate, demo estates) {setup_seconds:.1f} s; first model {train_seconds:.1f} s; "
        f"file generated in {generate_seconds:.1f} s"
    )
    print(f"bare openpyxl read of the file:   {bare:8.1f} s")
    print(f"import (read, check, triage, write): {total:8.1f} s  (read {read_seconds:.1f} s)")
    print(f"rows per second:                  {rate:8,.0f}   (target ≥ {TARGET:,.0f})")
    print(f"ratio import / bare read:         {total / bare:8.1f}")
    print(f"peak memory of the process:       {peak_mib:8,.0f} MiB")
    print(
        f"created {result.created:,}, invalid {result.rows_invalid:,}; "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(result.related.items()))
    )
    print(
        f"audit verify: {records:,} records, {events:,} events, "
        f"{'intact' if not problems else f'{len(problems)} PROBLEMS'} ({verify_seconds:.1f} s)"
    )
    if result.errors:
        print("first row errors:", [e.as_dict() for e in result.errors[:3]])


if __name__ == "__main__":
    main()
