"""Training: a ModelVersion recorded with its figures, the activation rule, and the
correction-retrain loop (a dispatcher's correction teaches the next model a new phrasing)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from xiaoqu.triage.classifier import Classifier
from xiaoqu.triage.models import Correction, ModelVersion
from xiaoqu.triage.training import correction_rows, macro_f1, train

TRAIN = [
    ("楼道里有人飞线给电瓶车充电", "ebike_charging"),
    ("居民从窗户私拉电线充电", "ebike_charging"),
    ("电动车在楼道里充电很危险", "ebike_charging"),
    ("楼道里堆满了杂物", "common_area_occupation"),
    ("邻居把柜子堆在公共楼道", "common_area_occupation"),
    ("消防通道被杂物堆占", "common_area_occupation"),
    ("屋顶搭建了阳光房", "illegal_construction"),
    ("院子里违章搭建彩钢板房", "illegal_construction"),
    ("一楼住户扩建违建", "illegal_construction"),
    ("楼上邻居半夜吵架打架", "other:police"),
    ("邻里纠纷吵闹扰民", "other:police"),
    ("隔壁天天吵架噪音很大", "other:police"),
]
TEST = [
    ("楼道里电瓶车飞线充电", "ebike_charging"),
    ("公共楼道被杂物占用", "common_area_occupation"),
    ("有人在屋顶违章搭建", "illegal_construction"),
    ("邻居半夜吵闹扰民", "other:police"),
]
NEW_PHRASING = "单元门上贴满了开锁疏通的卡片"  # small ads, a label the corpus rows lack


def rows(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"id": str(k), "text": t, "label": label} for k, (t, label) in enumerate(pairs)]


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def complaint(w: Any, text: str) -> Any:
    from xiaoqu.intake.models import Complaint

    return Complaint.objects.create(
        number=f"T-{Complaint.objects.count() + 1}",
        channel="hotline",
        received_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        content=text,
        district=w.district,
    )


@pytest.mark.django_db
def test_train_records_a_version_with_figures(world: Any, data_dir: Path) -> None:
    out = io.StringIO()
    mv = train(
        train_rows=rows(TRAIN), test_rows=rows(TEST), lexicon=False, stdout=out, actor=world.admin
    )
    assert mv.active and mv.trained_by == world.admin
    assert mv.train_size == len(TRAIN) and mv.corrections_used == 0
    assert set(mv.metrics) >= {"accuracy", "macro_f1", "referral_accuracy", "per_label_f1"}
    assert mv.metrics["test_size"] == len(TEST)
    assert Path(mv.path).is_file() and Path(mv.path).parent == data_dir / "triage"
    loaded = Classifier.load(Path(mv.path))
    assert loaded.version == mv.version
    assert loaded.predict(["楼道里堆了很多杂物"])[0].label == "common_area_occupation"
    assert mv.version in out.getvalue()


@pytest.mark.django_db
def test_activation_rule(world: Any, data_dir: Path) -> None:
    good = train(train_rows=rows(TRAIN), test_rows=rows(TEST), lexicon=False)
    # A model trained on half the labels is worse: "if_better" keeps the good one.
    worse = train(train_rows=rows(TRAIN[:6]), test_rows=rows(TEST), lexicon=False)
    assert worse.metrics["macro_f1"] < good.metrics["macro_f1"]
    good.refresh_from_db()
    assert good.active and not worse.active
    never = train(train_rows=rows(TRAIN), test_rows=rows(TEST), lexicon=False, activate="never")
    assert not never.active
    always = train(
        train_rows=rows(TRAIN[:6]), test_rows=rows(TEST), lexicon=False, activate="always"
    )
    assert always.active
    assert list(ModelVersion.objects.filter(active=True)) == [always]
    with pytest.raises(ValueError):
        train(train_rows=rows(TRAIN), test_rows=rows(TEST), lexicon=False, activate="sometimes")


@pytest.mark.django_db
def test_a_correction_teaches_the_next_model(world: Any, data_dir: Path) -> None:
    first = train(train_rows=rows(TRAIN), test_rows=rows(TEST), lexicon=False)
    model = Classifier.load(Path(first.path))
    assert model.predict([NEW_PHRASING])[0].label != "small_ads"

    c = complaint(world, NEW_PHRASING)
    Correction.objects.create(
        complaint=c,
        field="violation_type",
        old_value=model.predict([NEW_PHRASING])[0].label,
        new_value="small_ads",
        text=NEW_PHRASING,
        corrected_by=world.dispatcher,
        corrected_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    Correction.objects.create(  # an estate correction does not train the classifier
        complaint=c,
        field="estate",
        old_value="",
        new_value="甲花园",
        text=NEW_PHRASING,
        corrected_by=world.dispatcher,
        corrected_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    second = train(train_rows=rows(TRAIN), test_rows=rows(TEST), lexicon=False, activate="always")
    assert second.corrections_used == 1
    learned = Classifier.load(Path(second.path))
    assert learned.predict([NEW_PHRASING])[0].label == "small_ads"
    assert learned.predict(["门上又被贴了开锁疏通卡片"])[0].label == "small_ads"
    used = dict(Correction.objects.values_list("field", "used_in"))
    assert used == {"violation_type": second.version, "estate": ""}

    without = train(train_rows=rows(TRAIN), test_rows=rows(TEST), lexicon=False, corrections=False)
    assert without.corrections_used == 0


def test_correction_rows() -> None:
    class C:
        def __init__(self, field: str, new: str, text: str = "文本") -> None:
            self.field, self.new_value, self.text = field, new, text

    corrections = [
        C("violation_type", "small_ads"),
        C("refer_to", "fire"),
        C("refer_to", "nowhere"),
        C("estate", "甲花园"),
        C("violation_type", ""),
    ]
    got = correction_rows(corrections)
    assert got == [("文本", "small_ads"), ("文本", "other:fire")]


def test_macro_f1() -> None:
    f1, per = macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert per == {"a": pytest.approx(2 / 3), "b": pytest.approx(0.8)}
    assert f1 == pytest.approx((2 / 3 + 0.8) / 2)
