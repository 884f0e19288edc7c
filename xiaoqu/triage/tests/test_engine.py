"""The triage engine: each of the 22 labels from texts the corpus does not contain, the
result contract, loading and caching the active model with the district's estates, and the
`xiaoqu triage` command."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from xiaoqu.triage import engine, training
from xiaoqu.triage.classifier import LABELS, Classifier, KeywordBaseline
from xiaoqu.triage.engine import Triage, TriageInput, TriageResult
from xiaoqu.triage.gazetteer import EstateEntry, Gazetteer
from xiaoqu.triage.models import ModelVersion

T0 = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)

SMALL = [
    ("楼道里有人飞线给电瓶车充电", "ebike_charging"),
    ("居民从窗户私拉电线充电", "ebike_charging"),
    ("楼道里堆满了杂物", "common_area_occupation"),
    ("邻居把柜子堆在公共楼道", "common_area_occupation"),
    ("屋顶搭建了阳光房", "illegal_construction"),
    ("院子里违章搭建彩钢板房", "illegal_construction"),
    ("楼上邻居半夜吵架打架", "other:police"),
    ("邻里纠纷吵闹扰民", "other:police"),
]


def small_rows() -> list[dict[str, Any]]:
    return [{"id": str(k), "text": t, "label": label} for k, (t, label) in enumerate(SMALL)]


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.DATA_DIR = tmp_path
    engine.clear_cache()
    yield tmp_path
    engine.clear_cache()


@pytest.fixture
def small_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped corpus replaced by a few rows, to keep training fast."""
    monkeypatch.setattr(training, "read_corpus", lambda split, path=None: small_rows())


def test_result_label_and_contract() -> None:
    gaz = Gazetteer([EstateEntry(None, "梅川小区", "310107005000", [], ["梅川路1199弄"])])
    clf = Classifier().fit([t for t, _ in SMALL], [label for _, label in SMALL])
    triage = Triage.from_parts(clf, gaz)
    [r] = triage.run([TriageInput("x", "梅川小区楼上邻居半夜吵架", received_at=T0)])
    assert isinstance(r, TriageResult)
    assert (r.violation_type, r.refer_to, r.label) == ("", "police", "other:police")
    assert 0 < r.confidence <= 1 and r.type_reason.startswith("关键词：")
    assert (r.estate, r.estate_id, r.subdistrict) == ("梅川小区", None, "310107005000")
    assert r.repeat_of is None and r.repeat_reason == ""
    assert triage.run([]) == []
    assert 0 < engine.THRESHOLD < 1


def test_threshold_setting(settings: Any) -> None:
    assert engine.threshold() == engine.THRESHOLD
    settings.XIAOQU_TRIAGE_THRESHOLD = 0.75
    assert engine.threshold() == 0.75


def test_keyword_baseline() -> None:
    guesses = KeywordBaseline().predict(["楼道里飞线充电", "今天天气不错"])
    assert guesses[0].label == "ebike_charging" and "飞线" in guesses[0].reason
    assert guesses[1].confidence == 0.0
    assert len(LABELS) == 22


@pytest.mark.django_db
def test_load_trains_a_first_model_and_caches(
    world: Any, data_dir: Path, small_corpus: None
) -> None:
    from xiaoqu.estates.tests.factories import EstateFactory

    assert not ModelVersion.objects.exists()
    triage = Triage.load(world.district)
    mv = ModelVersion.objects.get(active=True)
    assert triage.version == mv.version
    assert Path(mv.path).parent == data_dir / "triage"
    assert Triage.load(world.district) is triage  # cached
    [r] = triage.run([TriageInput("1", "楼道里堆满杂物", "甲路100弄3号", T0)])
    assert (r.estate_id, r.estate, r.subdistrict) == (
        world.estate_a.pk,
        "甲花园",
        world.sd_a.code,
    )
    assert r.violation_type == "common_area_occupation"

    EstateFactory.create(district=world.district, subdistrict=world.sd_b, name="丙家园")
    again = Triage.load(world.district)
    assert again is not triage  # the estate table changed
    assert again.classifier is triage.classifier
    assert again.run([TriageInput("2", "丙家园楼道堆物")])[0].estate == "丙家园"

    newer = training.train(activate="always")
    latest = Triage.load(world.district)
    assert latest.version == newer.version != triage.version


@pytest.mark.django_db
def test_triage_command_prints_guesses_and_reasons(
    world: Any, data_dir: Path, small_corpus: None
) -> None:
    out = io.StringIO()
    call_command("triage", "楼道里堆满杂物", "--address", "甲路100弄3号", stdout=out)
    text = out.getvalue()
    assert "common_area_occupation" in text and "关键词：" in text
    assert "甲花园" in text and "弄号“甲路100弄”" in text


@pytest.mark.django_db
def test_triage_command_batch(world: Any, data_dir: Path, small_corpus: None) -> None:
    source = data_dir / "in.jsonl"
    target = data_dir / "out.jsonl"
    lines = [
        {
            "id": "a",
            "text": "甲花园5号楼楼道里堆满杂物",
            "received_at": "2026-03-01T09:00:00+08:00",
        },
        {"id": "b", "text": "楼上邻居半夜吵架"},
        "{not json",
        {
            "id": "c",
            "text": "5号楼楼道又被杂物堆满",
            "address": "甲路100弄",
            "received_at": "2026-03-03T09:00:00",
        },
        {"id": "d", "text": ""},
    ]
    source.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines),
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2"):
        call_command("triage", "--input", str(source), "--output", str(target), stderr=err)
    assert "3" in err.getvalue() and "5" in err.getvalue()  # the malformed lines' numbers
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    a, b, c = rows
    assert (a["violation_type"], a["refer_to"], a["estate"]) == (
        "common_area_occupation",
        None,
        "甲花园",
    )
    assert a["estate_id"] == world.estate_a.pk and a["subdistrict"] == world.sd_a.code
    assert (b["violation_type"], b["refer_to"], b["estate"]) == ("other", "police", None)
    assert c["repeat_of"] == "a"
