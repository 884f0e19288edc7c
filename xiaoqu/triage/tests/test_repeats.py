"""Repeats: same estate, same issue, same spot within the window; near misses are not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from xiaoqu.triage.classifier import Classifier
from xiaoqu.triage.engine import Triage, TriageInput
from xiaoqu.triage.gazetteer import Gazetteer, Spot, spot_of
from xiaoqu.triage.repeats import RepeatItem, find_repeats, same_spot

T0 = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)


def item(id: str, text: str, days: float = 0, estate: str = "梅川小区", label: str = "x") -> Any:
    return RepeatItem(id, estate, label, T0 + dt.timedelta(days=days), spot_of(text), text)


def test_same_building_is_a_repeat_of_the_earliest() -> None:
    found = find_repeats(
        [
            item("c", "5号楼楼道里又有电瓶车在充电", days=4),
            item("a", "5号楼有人飞线充电", days=0),
            item("b", "5号楼楼道私拉电线", days=2),
        ]
    )
    assert found["b"][0] == "a" and found["c"][0] == "a"
    assert "a" not in found
    assert "同一楼栋“5号”" in found["b"][1]


def test_near_misses_are_not_repeats() -> None:
    found = find_repeats(
        [
            item("a", "5号楼有人飞线充电"),
            item("next-door", "6号楼有人飞线充电", days=1),
            item("other-issue", "5号楼有人飞线充电", days=1, label="y"),
            item("other-estate", "5号楼有人飞线充电", days=1, estate="曹杨新村"),
            item("too-late", "5号楼有人飞线充电", days=31),
            item("other-room", "5号楼301室群租", days=1, label="z"),
            item("other-room-2", "5号楼302室群租", days=2, label="z"),
        ]
    )
    assert found == {}


def test_without_a_spot_the_texts_must_be_alike() -> None:
    found = find_repeats(
        [
            item("a", "小区门口绿地被人挖了种菜，希望处理"),
            item("b", "小区门口的绿地被挖掉种菜了", days=3),
            item("c", "物业不管事", days=3),
        ]
    )
    assert found["b"][0] == "a"
    assert "文本相似度" in found["b"][1]
    assert "c" not in found


def test_unknown_estate_or_time() -> None:
    found = find_repeats(
        [item("a", "5号楼飞线充电", estate=""), item("b", "5号楼飞线充电", days=1, estate="")]
    )
    assert found == {}
    untimed = [
        RepeatItem("a", "e", "x", None, Spot("5"), "充电"),
        RepeatItem("b", "e", "x", None, Spot("5"), "充电"),
    ]
    assert find_repeats(untimed) == {"b": ("a", "同一小区同类问题，同一楼栋“5号”")}


def test_same_spot() -> None:
    assert same_spot(Spot("5", "301"), Spot("5", "301"))[0] is True
    assert same_spot(Spot("5", "301"), Spot("5", "302"))[0] is False
    assert same_spot(Spot("5", ""), Spot("5", "302"))[0] is True
    assert same_spot(Spot("5", ""), Spot("", ""))[0] is None


def tiny_classifier() -> Classifier:
    texts = ["楼道里飞线充电", "私拉电线给电瓶车充电", "楼道堆物", "楼道里堆满杂物", "有人违建"]
    labels = ["ebike_charging"] * 2 + ["common_area_occupation"] * 2 + ["illegal_construction"]
    return Classifier().fit(texts, labels)


@pytest.mark.django_db
def test_repeat_of_a_stored_complaint(catalog: Any) -> None:
    from xiaoqu.intake.models import Complaint
    from xiaoqu.law.models import ViolationType

    w = catalog
    charging = ViolationType.objects.filter(code="ebike_charging").first()
    stored = Complaint.objects.create(
        number="T-1",
        channel="hotline",
        received_at=T0,
        content="甲花园5号楼楼道里有人飞线充电",
        district=w.district,
        estate=w.estate_a,
        violation_type=charging,
    )
    Complaint.objects.create(
        number="T-2",
        channel="hotline",
        received_at=T0 - dt.timedelta(days=60),
        content="甲花园7号楼楼道里有人飞线充电",
        district=w.district,
        estate=w.estate_a,
        violation_type=charging,
    )
    triage = Triage.from_parts(tiny_classifier(), Gazetteer.from_db(w.district))
    items = [
        TriageInput("n1", "5号楼又有人私拉电线充电", "甲路100弄", T0 + dt.timedelta(days=2)),
        TriageInput("n2", "7号楼有人私拉电线充电", "甲路100弄", T0 + dt.timedelta(days=2)),
        TriageInput("n3", "5号楼楼道堆物", "甲路100弄", T0 + dt.timedelta(days=2)),
    ]
    results = {r.id: r for r in triage.run(items)}
    assert results["n1"].repeat_of == f"complaint:{stored.pk}"
    assert results["n1"].estate_id == w.estate_a.pk
    assert results["n2"].repeat_of is None  # the one of building 7 is outside the window
    assert results["n3"].repeat_of is None  # another issue
    assert triage.run(items, against_stored=False)[0].repeat_of is None
    # A stored complaint triaged again (its pk as the id) does not repeat itself.
    again = triage.run([TriageInput(str(stored.pk), stored.content, "", T0)])
    assert again[0].repeat_of is None
