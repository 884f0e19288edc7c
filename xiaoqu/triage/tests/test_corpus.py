"""The labelled triage corpus: sizes per label, a held-out test split, byte-identical
regeneration, demo plan estates, repeats after their matter's first complaint, consistent
labels."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from xiaoqu.triage.corpus import build

CORPUS = Path(build.__file__).resolve().parent
CHANNELS = {"hotline", "resident", "property_company", "studio", "patrol"}
STYLES = {"operator", "colloquial", "property", "patrol", "studio"}
HARD = {
    "two_issues",
    "shared_keywords",
    "typo",
    "no_estate",
    "lane_only",
    "alias",
    "abbrev",
    "homophone",
    "near_miss",
}


def _read(split: str) -> list[dict[str, Any]]:
    with open(CORPUS / f"{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def train() -> list[dict[str, Any]]:
    return _read("train")


@pytest.fixture(scope="module")
def test() -> list[dict[str, Any]]:
    return _read("test")


@pytest.fixture(scope="module")
def splits(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> dict[str, list[dict]]:
    return {"train": train, "test": test}


def test_every_label_has_enough_items(splits: dict[str, list[dict]]) -> None:
    for split, least in (("train", 200), ("test", 100)):
        counts = Counter(r["label"] for r in splits[split])
        assert set(counts) == set(build.LABELS)
        assert min(counts.values()) >= least, (split, counts.most_common()[-3:])


def test_no_test_text_appears_in_train(train: list[dict], test: list[dict]) -> None:
    seen = {r["text"] for r in train}
    assert not [r["id"] for r in test if r["text"] in seen]


def test_test_phrasings_are_held_out() -> None:
    train, test = build.SplitPools("train"), build.SplitPools("test")
    for label in build.LABELS:
        assert test.problems[label] and test.impacts[label]
        assert not set(train.problems[label]) & set(test.problems[label])
        assert not set(train.impacts[label]) & set(test.impacts[label])


def test_regenerating_gives_identical_files(tmp_path: Path) -> None:
    build.build(tmp_path)
    for name in ("train.jsonl", "test.jsonl"):
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


def test_lines_have_the_fields_in_order(splits: dict[str, list[dict]]) -> None:
    for split, rows in splits.items():
        ids = [r["id"] for r in rows]
        assert len(set(ids)) == len(ids)
        for r in rows:
            assert tuple(r) == build.FIELDS
            assert r["id"].startswith(f"{split}-")
            assert r["channel"] in CHANNELS and r["style"] in STYLES
            assert set(r["hard"]) <= HARD
            assert r["text"] and "\n" not in r["text"]
            when = dt.datetime.fromisoformat(r["received_at"])
            assert when.utcoffset() == dt.timedelta(hours=8)
            assert build.FIRST_DAY <= when.date() <= build.LAST_DAY


def test_labels_are_consistent(splits: dict[str, list[dict]]) -> None:
    referrals = set(build.REFERRALS)
    violations = set(build.VIOLATIONS)
    for rows in splits.values():
        for r in rows:
            if r["refer_to"]:
                assert r["refer_to"] in referrals and r["violation_type"] == ""
                assert r["label"] == "other:" + r["refer_to"]
            else:
                assert r["violation_type"] in violations
                assert r["label"] == r["violation_type"]


def test_estates_are_demo_plan_estates(splits: dict[str, list[dict]]) -> None:
    from xiaoqu.core.demo.plan import demo_plan

    codes = {e.name: e.subdistrict_code for e in demo_plan().select(1000)}
    for rows in splits.values():
        for r in rows:
            if r["estate"]:
                assert codes.get(r["estate"]) == r["subdistrict"], r["id"]
            else:
                assert r["subdistrict"] == "" and "no_estate" in r["hard"]


def test_repeats_come_after_their_first_complaint(splits: dict[str, list[dict]]) -> None:
    for rows in splits.values():
        matters: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            matters[r["matter"]].append(r)
        repeats = 0
        for items in matters.values():
            items.sort(key=lambda r: r["received_at"])
            first = items[0]
            when = dt.datetime.fromisoformat(first["received_at"])
            for r in items[1:]:
                repeats += 1
                assert dt.datetime.fromisoformat(r["received_at"]) > when
                assert (r["label"], r["estate"]) == (first["label"], first["estate"])
                assert r["estate"], "a repeat names its estate"
                assert dt.datetime.fromisoformat(r["received_at"]) - when <= dt.timedelta(90)
        assert 0.10 <= repeats / len(rows) <= 0.25


def test_enough_hard_cases(splits: dict[str, list[dict]]) -> None:
    for rows in splits.values():
        assert sum(1 for r in rows if r["hard"]) >= 0.10 * len(rows)
        tags = Counter(t for r in rows for t in r["hard"])
        assert all(tags[t] >= 20 for t in HARD), tags
        no_estate = sum(1 for r in rows if not r["estate"]) / len(rows)
        assert 0.05 <= no_estate <= 0.15


def test_near_misses_are_new_matters_beside_earlier_ones(splits: dict[str, list[dict]]) -> None:
    for rows in splits.values():
        by_estate: dict[str, list[dict]] = defaultdict(list)
        sizes = Counter(r["matter"] for r in rows)
        for r in rows:
            by_estate[r["estate"]].append(r)
        near = [r for r in rows if "near_miss" in r["hard"]]
        assert len(near) >= 0.04 * len(rows)
        for r in near:
            assert r["estate"] and sizes[r["matter"]] == 1
            others = [o for o in by_estate[r["estate"]] if o["matter"] != r["matter"]]
            assert any(o["received_at"] < r["received_at"] for o in others), r["id"]
