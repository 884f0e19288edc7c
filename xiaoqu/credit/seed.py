"""The initial scoring table of credit demerits and the deadline of the housing bureau's
answer, written by `xiaoqu seed` through `credit_seed()`.

The 2023 Shanghai scoring rules for property companies and project managers are not at
hand: every point value and window below is an initial setting of the platform, marked
unverified (待核实) until the housing bureau and the legal section confirm or correct it in
the application. The duty breached is primary text: 《上海市住宅物业管理规定》 article 59 (a
property company must dissuade and stop a violation it discovers and, failing that, report
it within 24 hours), penalised under article 87; article 38 provides the credit files of
companies and project managers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from xiaoqu.law.choices import DeadlineUnit
from xiaoqu.law.models import CatalogChange, DeadlineRule, Provision

from .choices import Situation
from .models import DemeritRule
from .workflow import ANSWER_RULE

WYGL = "WYGL"  # 上海市住宅物业管理规定 in the legal catalog
SINCE = dt.date(2020, 12, 30)  # the version of 上海市住宅物业管理规定 in the catalog
UNVERIFIED_SOURCE = "本平台初始设定（2023年本市物业服务企业和项目经理失信行为记分规则原文未取得）"
UNVERIFIED_NOTE = (
    "待核实：2023年本市物业服务企业和项目经理失信行为记分规则原文未取得，"
    "本条分值和记分周期为本平台初始设定，须由区房管局会同法制科按现行记分规则核实或修改。"
)


@dataclass(frozen=True)
class RuleFact:
    code: str
    description: str
    situation: str
    violation_codes: tuple[str, ...]
    company_points: int
    manager_points: int
    window_months: int
    article: str  # of 上海市住宅物业管理规定: the duty breached
    sort_order: int


RULES: tuple[RuleFact, ...] = (
    RuleFact(
        "unreported_safety",
        "物业服务企业未发现、劝阻、报告危及房屋安全的违法行为（损坏承重结构、违法搭建），"
        "经城管执法部门立案处罚",
        Situation.UNREPORTED,
        ("structure_damage", "illegal_construction"),
        4,
        2,
        12,
        "59",
        10,
    ),
    RuleFact(
        "unreported",
        "物业服务企业对住宅小区内应当发现并劝阻的违法行为未劝阻、制止或未在24小时内报告，"
        "经城管执法部门立案处罚",
        Situation.UNREPORTED,
        (),
        2,
        1,
        12,
        "59",
        20,
    ),
    RuleFact(
        "negligence_decided",
        "物业服务企业未履行劝阻、制止、报告义务（物业未履职），经行政处罚决定",
        Situation.NEGLIGENCE,
        ("property_negligence",),
        6,
        3,
        12,
        "87",
        30,
    ),
)

ANSWER_DEADLINE = {
    "description": "区房管局对失信记分建议作出确认或不予确认的答复",
    "limit": 10,
    "unit": DeadlineUnit.WORKING_DAYS,
    "source_title": "区城管执法局与区房管局协作机制（本平台初始设定）",
    "source_article": "",
    "verified": False,
    "note": (
        "待核实：法规未规定房管部门答复失信记分建议的期限；此处为协作机制的初始设定，"
        "须由法制科会同区房管局核实或修改。"
    ),
}


def _edited(model: type[Any]) -> set[int]:
    """Entries changed in the application: the seed leaves them as legal staff left them."""
    return set(
        CatalogChange.objects.filter(model=model._meta.label_lower).values_list(
            "object_id", flat=True
        )
    )


@transaction.atomic
def credit_seed() -> dict[str, int]:
    """Write the initial demerit rules and the answer deadline rule. Idempotent: entries are
    found by code and start date and only differing fields are written; entries edited in the
    application, or with another version, are kept. Returns counts: created, updated,
    unchanged, kept."""
    counts: Counter[str] = Counter()
    provisions = {
        p.article: p for p in Provision.objects.filter(statute__code=WYGL, article__in=["59", "87"])
    }
    edited = _edited(DemeritRule)
    for fact in RULES:
        values = {
            "description": fact.description,
            "situation": fact.situation,
            "violation_codes": list(fact.violation_codes),
            "company_points": fact.company_points,
            "manager_points": fact.manager_points,
            "window_months": fact.window_months,
            "provision": provisions.get(fact.article),
            "source_title": UNVERIFIED_SOURCE,
            "source_article": "",
            "note": UNVERIFIED_NOTE,
            "verified": False,
            "sort_order": fact.sort_order,
        }
        _upsert(DemeritRule, fact.code, values, edited, counts)
    _upsert(DeadlineRule, ANSWER_RULE, ANSWER_DEADLINE, _edited(DeadlineRule), counts)
    return {key: counts[key] for key in ("created", "updated", "unchanged", "kept")}


def _upsert(
    model: type[Any],
    code: str,
    values: dict[str, Any],
    edited: set[int],
    counts: Counter[str],
) -> None:
    manager = model._default_manager
    entry = manager.filter(code=code, effective_from=SINCE).first()
    if entry is None:
        if manager.filter(code=code).exists():
            counts["kept"] += 1  # another version exists: maintained in the application
            return
        manager.create(code=code, effective_from=SINCE, **values)
        counts["created"] += 1
        return
    if entry.pk in edited:
        counts["kept"] += 1
        return
    changed = [name for name, value in values.items() if getattr(entry, name) != value]
    for name in changed:
        setattr(entry, name, values[name])
    if changed:
        entry.save(update_fields=changed)
    counts["updated" if changed else "unchanged"] += 1
