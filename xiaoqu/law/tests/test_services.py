"""Catalog editing services: permissions, versions, audit, and the seed's respect for edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xiaoqu.law.models import (
    CalendarDay,
    CatalogChange,
    DeadlineRule,
    ReferralTarget,
    Statute,
    Threshold,
    ViolationType,
)
from xiaoqu.law.selectors import catalog_history, provisions_in_order
from xiaoqu.law.services import (
    calendar_day_create,
    calendar_day_delete,
    catalog_entry_create,
    catalog_entry_new_version,
    catalog_entry_update,
    catalog_snapshot,
    law_catalog_seed,
)
from xiaoqu.law.templatetags.law_tags import yuan
from xiaoqu.law.workdays import add_working_days

D = dt.date


@pytest.fixture
def seeded(world: Any) -> Any:
    law_catalog_seed(district=world.district)
    return world


def test_only_editors_may_write(seeded: Any) -> None:
    rule = DeadlineRule.objects.get(code="report_reply")
    for user in (seeded.officer_a, seeded.dispatcher, seeded.leader, seeded.liaison):
        with pytest.raises(PermissionDenied):
            catalog_entry_update(entry=rule, values={"limit": 7}, actor=user)
        with pytest.raises(PermissionDenied):
            calendar_day_create(day=D(2027, 1, 1), is_workday=False, actor=user)
    for user in (seeded.legal, seeded.admin):
        catalog_entry_update(entry=rule, values={"verified": True}, actor=user)
    assert not CatalogChange.objects.exclude(actor__in=[seeded.legal, seeded.admin]).exists()


def test_update_records_before_and_after(seeded: Any) -> None:
    threshold = Threshold.objects.get(code="legal_review")
    catalog_entry_update(
        entry=threshold,
        values={"individual": Decimal("3000"), "verified": True},
        actor=seeded.legal,
    )
    change = CatalogChange.objects.get()
    assert change.action == "update" and change.model == "law.threshold"
    assert sorted(change.changed_fields()) == [
        ("individual", "5000", "3000"),
        ("verified", False, True),
    ]
    # Saving without a change records nothing.
    catalog_entry_update(
        entry=threshold, values={"individual": Decimal("3000")}, actor=seeded.legal
    )
    assert CatalogChange.objects.count() == 1


def test_update_validates(seeded: Any) -> None:
    vt = ViolationType.objects.get(code="small_ads")
    with pytest.raises(ValidationError) as error:
        catalog_entry_update(
            entry=vt,
            values={"fine_min": Decimal(600), "fine_max": Decimal(500)},
            actor=seeded.legal,
        )
    assert "fine_max" in error.value.message_dict
    rule = DeadlineRule.objects.get(code="illegal_construction_on_site")
    with pytest.raises(ValidationError) as error:
        catalog_entry_update(entry=rule, values={"limit_if_ongoing": 24}, actor=seeded.legal)
    assert "limit_if_ongoing" in error.value.message_dict
    vt.refresh_from_db()
    assert vt.fine_max == 100000
    assert not CatalogChange.objects.exists()


def test_new_version(seeded: Any) -> None:
    old = ReferralTarget.objects.get(code="market")
    new = catalog_entry_new_version(
        entry=old, effective_from=D(2026, 7, 1), values={"matters": "商铺经营"}, actor=seeded.legal
    )
    old.refresh_from_db()
    assert old.effective_to == D(2026, 7, 1)
    assert (new.effective_from, new.effective_to, new.matters) == (D(2026, 7, 1), None, "商铺经营")
    assert new.department == old.department
    assert list(old.versions()) == [new, old]
    assert [c.action for c in catalog_history(entry=new)] == ["new_version", "close"]
    assert ReferralTarget.objects.effective(D(2026, 6, 30)).get(code="market") == old
    assert ReferralTarget.objects.effective(D(2026, 7, 1)).get(code="market") == new


def test_new_version_keeps_many_to_many_unless_given(seeded: Any) -> None:
    old = ViolationType.objects.get(code="structure_damage")
    new = catalog_entry_new_version(
        entry=old, effective_from=D(2026, 7, 1), values={}, actor=seeded.legal
    )
    assert set(new.prohibitions.all()) == set(old.prohibitions.all())
    assert set(new.assisting_departments.all()) == set(old.assisting_departments.all())
    newer = catalog_entry_new_version(
        entry=new, effective_from=D(2027, 1, 1), values={"prohibitions": []}, actor=seeded.legal
    )
    assert not newer.prohibitions.exists()


def test_new_version_is_refused_when_it_would_not_follow(seeded: Any) -> None:
    old = DeadlineRule.objects.get(code="fine_payment")
    with pytest.raises(ValidationError):
        catalog_entry_new_version(
            entry=old, effective_from=old.effective_from, values={}, actor=seeded.legal
        )
    new = catalog_entry_new_version(
        entry=old, effective_from=D(2026, 1, 1), values={"limit": 20}, actor=seeded.legal
    )
    with pytest.raises(ValidationError):  # only the latest version can be replaced
        catalog_entry_new_version(
            entry=old, effective_from=D(2027, 1, 1), values={}, actor=seeded.legal
        )
    old.refresh_from_db()
    assert old.effective_to == D(2026, 1, 1) and new.limit == 20
    with pytest.raises(ValueError):
        catalog_entry_new_version(
            entry=Statute.objects.get(code="WYGL"),
            effective_from=D(2027, 1, 1),
            values={},
            actor=seeded.legal,
        )


def test_overlapping_versions_are_refused(seeded: Any) -> None:
    with pytest.raises(ValidationError):
        catalog_entry_create(
            model=Threshold,
            values={
                "code": "simplified_procedure",
                "description": "x",
                "source_title": "x",
                "effective_from": D(2025, 1, 1),
            },
            actor=seeded.legal,
        )
    old = Threshold.objects.get(code="simplified_procedure")
    catalog_entry_update(entry=old, values={"effective_to": D(2025, 1, 1)}, actor=seeded.legal)
    created = catalog_entry_create(
        model=Threshold,
        values={
            "code": "simplified_procedure",
            "description": "x",
            "source_title": "x",
            "individual": Decimal(500),
            "effective_from": D(2025, 1, 1),
        },
        actor=seeded.legal,
    )
    assert CatalogChange.objects.filter(object_id=created.pk, action="create").exists()


def test_seed_keeps_entries_changed_in_the_application(seeded: Any) -> None:
    vt = ViolationType.objects.get(code="group_rental")
    catalog_entry_update(entry=vt, values={"fine_max": Decimal(50000)}, actor=seeded.legal)
    rule = DeadlineRule.objects.get(code="report_reply")
    catalog_entry_new_version(
        entry=rule, effective_from=D(2026, 1, 1), values={}, actor=seeded.legal
    )
    threshold = Threshold.objects.get(code="legal_review")
    # A correction of the start date changes the natural key the seed looks for.
    catalog_entry_update(
        entry=threshold, values={"effective_from": D(2023, 6, 1)}, actor=seeded.legal
    )
    counts = law_catalog_seed(district=seeded.district)
    assert counts["created"] == 0 and counts["updated"] == 0
    assert counts["kept"] == 3
    vt.refresh_from_db()
    assert vt.fine_max == 50000
    assert DeadlineRule.objects.filter(code="report_reply").count() == 2
    assert Threshold.objects.filter(code="legal_review").count() == 1


def test_calendar_overrides_are_audited(seeded: Any) -> None:
    assert add_working_days(D(2027, 1, 29), 1) == D(2027, 2, 1)
    day = calendar_day_create(day=D(2027, 2, 1), is_workday=False, name="春节", actor=seeded.legal)
    assert add_working_days(D(2027, 1, 29), 1) == D(2027, 2, 2)
    calendar_day_delete(entry=day, actor=seeded.legal)
    assert not CalendarDay.objects.exists()
    assert list(CatalogChange.objects.values_list("action", flat=True)) == ["delete", "create"]
    with pytest.raises(PermissionDenied):
        calendar_day_delete(entry=day, actor=seeded.officer_a)


def test_snapshot_is_readable_json(seeded: Any) -> None:
    vt = ViolationType.objects.get(code="illegal_construction")
    snap = catalog_snapshot(vt)
    assert snap["fine_min"] == "10000"
    assert snap["effective_from"] == "2020-12-30"
    assert snap["enforcer"] is None  # the world has no bureau department
    assert snap["deadline_codes"] == ["illegal_construction_on_site"]
    assert len(snap["prohibitions"]) == 2
    use_change = catalog_snapshot(ViolationType.objects.get(code="use_change"))
    assert use_change["enforcer"] == str(seeded.housing)
    assert use_change["assisting_departments"] == [str(seeded.housing)]


def test_provisions_in_natural_order(seeded: Any) -> None:
    articles = [p.article for p in provisions_in_order().filter(statute__code="WYGL")]
    assert articles == [
        "56(2)(1)",
        "56(2)(2)",
        "56(2)(4)",
        "56(2)(5)",
        "57",
        "58",
        "59",
        "83",
        "84",
        "85",
        "86",
        "87",
    ]
    cwj = [p.article for p in provisions_in_order().filter(statute__code="CWJ")]
    assert cwj == ["3", "4", "7", "10", "16"]


def test_yuan() -> None:
    assert yuan(Decimal("10000.00")) == "10,000"
    assert yuan(Decimal("12.50")) == "12.50"
    assert yuan(None) == "—"
