"""The shipped catalog: idempotent seeding, and agreement with the shared reference facts."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest
from django.conf import settings

from xiaoqu.law.models import (
    DeadlineRule,
    ReferralTarget,
    Statute,
    Threshold,
    ViolationType,
)
from xiaoqu.law.seed_data import CATALOG
from xiaoqu.law.services import law_catalog_seed
from xiaoqu.regions.models import District
from xiaoqu.regions.tests.factories import DistrictFactory

VIOLATION_CODES = [
    "renovation_unregistered",
    "use_change",
    "group_rental",
    "structure_damage",
    "illegal_construction",
    "common_area_occupation",
    "household_waste",
    "construction_waste",
    "greenery_damage",
    "small_ads",
    "property_negligence",
    "ebike_parking",
    "ebike_charging",
]
REFERRAL_CODES = [
    "housing",
    "police",
    "fire",
    "sports",
    "greening",
    "planning",
    "justice",
    "market",
    "environment",
]
STATUTE_CODES = [
    "WYGL",
    "CWJ",
    "SRHW",
    "SHLJ",
    "LHTL",
    "FJDC",
    "ZFTL",
    "ZLZL",
    "JZLJ",
    "ZSZX",
    "XZCF",
]


def test_seed_creates_the_catalog(district: Any) -> None:
    counts = law_catalog_seed(district=district)
    assert counts["created"] > 0
    assert sorted(Statute.objects.values_list("code", flat=True)) == sorted(STATUTE_CODES)
    assert sorted(ViolationType.objects.values_list("code", flat=True)) == sorted(VIOLATION_CODES)
    assert sorted(ReferralTarget.objects.values_list("code", flat=True)) == sorted(REFERRAL_CODES)
    assert DeadlineRule.objects.count() == 13 + len(PLATFORM_RULES)
    assert Threshold.objects.count() == 3 + len(PLATFORM_THRESHOLDS)
    construction = ViolationType.objects.get(code="illegal_construction")
    assert construction.enforcer is not None and construction.enforcer.code == "bureau"
    assert [d.code for d in construction.assisting_departments.all()] == ["planning"]
    assert construction.penalty_provision is not None
    assert construction.penalty_provision.article == "84"
    # Departments not seeded in this district leave the link empty.
    assert ReferralTarget.objects.get(code="sports").department is None


def test_seed_is_idempotent(district: Any) -> None:
    first = law_catalog_seed(district=district)
    total = sum(first.values())
    second = law_catalog_seed(district=district)
    assert second == {"created": 0, "updated": 0, "unchanged": total, "kept": 0}


def test_seed_without_departments(db: Any) -> None:
    law_catalog_seed(district=cast(District, DistrictFactory()))
    assert not ViolationType.objects.exclude(enforcer=None).exists()


def test_every_cited_provision_is_seeded() -> None:
    known = {(p.statute, p.article) for p in CATALOG.provisions}
    statutes = {s.code for s in CATALOG.statutes}
    assert {p.statute for p in CATALOG.provisions} <= statutes
    for v in CATALOG.violation_types:
        assert v.penalty in known
        assert set(v.prohibitions) <= known
    for d in CATALOG.deadline_rules:
        assert d.provision is None or d.provision in known


def _shared(name: str) -> Path:
    path = Path(settings.XIAOQU_SHARED_DATA) / name
    if not path.exists():
        pytest.skip(f"reference data {path} is not present (../shared/data is absent)")
    return path


def _load_yaml(name: str) -> Any:
    path = _shared(name)
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read the reference data")
    text = path.read_text(encoding="utf-8")
    # The reference file writes some free-text values unquoted with ": " inside them
    # ("enforcer: … (verified: false)"), which strict YAML rejects: quote those values.
    text = re.sub(
        r"^(\s+enforcer): (?![\"'{\[])(.*)$",
        lambda m: f"{m.group(1)}: {json.dumps(m.group(2), ensure_ascii=False)}",
        text,
        flags=re.M,
    )
    return yaml.safe_load(text)


def _amount(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def test_violation_types_agree_with_reference(district: Any) -> None:
    reference = _load_yaml("violation_catalog.yaml")
    law_catalog_seed(district=district)
    assert set(reference["statutes"]) == set(STATUTE_CODES)
    for code, statute in reference["statutes"].items():
        assert Statute.objects.get(code=code).title == statute["title"]
    assert [v["code"] for v in reference["violations"]] == VIOLATION_CODES
    seeded = {v.code: v for v in ViolationType.objects.select_related("penalty_provision__statute")}
    for entry in reference["violations"]:
        vt = seeded[entry["code"]]
        penalty = entry["penalty"]
        assert vt.name == entry["name"]
        assert vt.fine_min == _amount(penalty.get("fine_min")), entry["code"]
        assert vt.fine_max == _amount(penalty.get("fine_max")), entry["code"]
        assert vt.penalty_provision is not None
        assert vt.penalty_provision.statute.code == penalty["statute"]
        assert vt.penalty_provision.article == str(penalty["article"])
        unverified = penalty.get("verified") is False or "verified: false" in str(entry["enforcer"])
        assert vt.verified is not unverified, entry["code"]
        prohibitions = {(p.statute.code, p.article) for p in vt.prohibitions.all()}
        assert prohibitions == {
            (p["statute"], str(p["article"] or "")) for p in entry["prohibition"]
        }
    assert set(reference["referral_targets"]) == set(REFERRAL_CODES)


# Deliberate corrections of the reference file, each from a primary text.
UNIT_CORRECTIONS = {
    # 行政处罚法 art. 85: "five days" and "seven days" in that law are working days.
    "hearing_request": "working_days",
    "hearing_notice": "working_days",
    "decision_service": "working_days",
    "evidence_preservation": "working_days",
}


# Rules the platform needs that no statute at hand sets (marked unverified, editable).
PLATFORM_RULES = {"referral_feedback", "reinspection"}
# Amounts the procedure needs that the reference does not give (hearing right, art. 63).
PLATFORM_THRESHOLDS = {"hearing"}


def test_deadlines_agree_with_reference(district: Any) -> None:
    reference = _load_yaml("legal_deadlines.yaml")
    law_catalog_seed(district=district)
    rules = {r.code: r for r in DeadlineRule.objects.all()}
    # Every reference rule is seeded; the platform adds its own, unverified, working rules.
    assert set(rules) == {r["id"] for r in reference["rules"]} | PLATFORM_RULES
    assert all(not rules[code].verified for code in PLATFORM_RULES)
    for entry in reference["rules"]:
        rule = rules[entry["id"]]
        assert rule.limit == entry["limit"], entry["id"]
        assert rule.unit == UNIT_CORRECTIONS.get(entry["id"], entry["unit"]), entry["id"]
        assert rule.limit_if_ongoing == entry.get("limit_if_ongoing"), entry["id"]
        assert rule.extension == entry.get("extension"), entry["id"]
        assert rule.verified is entry["verified"], entry["id"]
        article = entry["source"].get("article")
        if article:
            assert rule.source_article == str(article)
    thresholds = {t.code: t for t in Threshold.objects.all()}
    assert set(thresholds) == {t["id"] for t in reference["thresholds"]} | PLATFORM_THRESHOLDS
    assert all(not thresholds[code].verified for code in PLATFORM_THRESHOLDS)
    for entry in reference["thresholds"]:
        threshold = thresholds[entry["id"]]
        assert threshold.individual == _amount(entry.get("individual"))
        assert threshold.organisation == _amount(entry.get("organisation"))
        assert threshold.verified is entry["verified"]


def test_provision_texts_are_quotations() -> None:
    """Every clause of an excerpt appears in the statute text it quotes."""
    folder = _shared("statutes")
    files = {
        "WYGL": "上海市住宅物业管理规定(2020-12-30).md",
        "CWJ": "上海市拆除违法建筑若干规定(2018-05-24).md",
        "SRHW": "上海市市容环境卫生管理条例(2018-12-20).md",
        "SHLJ": "上海市生活垃圾管理条例(2019-01-31).md",
        "LHTL": "上海市绿化条例(2018-12-20).md",
        "FJDC": "上海市非机动车安全管理条例(2024-05-10).md",
        "ZFTL": "上海市城市管理行政执法条例(2018-05-24).md",
        "XZCF": "行政处罚法2021.md",
    }
    for p in CATALOG.provisions:
        if p.statute not in files:
            assert p.text == "", "no excerpt for a statute whose text is not at hand"
            continue
        text = re.sub(r"\s+", "", (folder / files[p.statute]).read_text(encoding="utf-8"))
        body = re.sub(r"^第[一二三四五六七八九十]+条：", "", p.text)
        missing = [
            piece
            for piece in re.split(r"……|第[一二三四五六七八九十]+条：|[，。；：]", body)
            if len(piece) >= 4 and piece not in text
        ]
        assert not missing, f"{p.statute} {p.article}: {missing}"
