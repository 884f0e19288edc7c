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


# Written for this test, in words the corpus does not use (checked below).
UNSEEN = {
    "renovation_unregistered": "隔壁新房东请了装修队天天施工，物业说他家根本没去登记过装修",
    "use_change": "六楼那户把住宅改成了棋牌室，天天有陌生人来打麻将收台费",
    "group_rental": "对门一套两居室被二房东隔成八个小间，住了十几个租客",
    "structure_damage": "楼上装修把承重墙砸掉了一大块，我家天花板出现裂缝",
    "illegal_construction": "顶楼住户在屋顶平台上用彩钢板搭了一间小房子",
    "common_area_occupation": "三楼邻居把旧沙发和纸板箱堆在公共楼道里，走路都过不去",
    "household_waste": "有人每天把生活垃圾直接扔在垃圾厢房外面，也不分类",
    "construction_waste": "装修完的碎砖和水泥袋直接倒在小区花坛边上好几天了",
    "greenery_damage": "一楼住户把楼前的公共绿地铲平，铺了水泥做自家停车位",
    "small_ads": "单元门和电梯里贴满了开锁、通下水道的小广告",
    "property_negligence": "有人在楼道里私自搭阁楼，物业明知道却不劝阻也不上报",
    "ebike_parking": "好几辆电瓶车停在一楼门厅里，把进出的路都堵住了",
    "ebike_charging": "五楼住户从窗口吊下一根电线，晚上给楼下的电动车充电",
    "other:housing": "物业费每年都涨，业委会一直不开会，维修资金也不公开",
    "other:police": "楼上邻居每天半夜喝酒吵架摔东西，吵得全楼都睡不着",
    "other:fire": "小区消防通道被私家车停满了，消防栓也被挡住了",
    "other:sports": "对面楼顶搭了鸽棚，养了上百只信鸽，鸽粪掉得到处都是",
    "other:greening": "楼前的大树长得太高太密，树枝伸进了阳台，希望安排修剪",
    "other:planning": "小区边上在造新楼，想查一下有没有规划许可证",
    "other:justice": "和前夫的财产纠纷想找司法所申请人民调解",
    "other:market": "小区门口水果店缺斤短两，还卖过期的牛奶",
    "other:environment": "沿街烧烤店的油烟直接排进小区，晚上窗户都不敢开",
}


@pytest.fixture(scope="module")
def corpus_model() -> Classifier:
    """The classifier trained on the corpus train split, once for the module."""
    rows = training.read_corpus("train")
    return training.fit([r["text"] for r in rows], [r["label"] for r in rows])


def test_unseen_texts_are_not_in_the_corpus() -> None:
    assert set(UNSEEN) == set(LABELS)
    texts = [r["text"] for split in ("train", "test") for r in training.read_corpus(split)]
    for text in UNSEEN.values():
        assert not any(text in t for t in texts)


@pytest.mark.parametrize("label", LABELS)
def test_each_label_from_an_unseen_text(corpus_model: Classifier, label: str) -> None:
    [guess] = corpus_model.predict([UNSEEN[label]])
    assert guess.label == label
    assert guess.confidence >= engine.THRESHOLD
    assert guess.reason.startswith("关键词：")
    for word in guess.reason.removeprefix("关键词：").split("、"):
        assert word in UNSEEN[label]


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

    from xiaoqu.estates.models import EstateAddress

    EstateAddress.objects.create(estate=world.estate_b, address="乙路300弄", road="乙路")
    with_lane = Triage.load(world.district)
    assert with_lane is not again  # a new address
    assert with_lane.run([TriageInput("3", "堆物", "乙路300弄")])[0].estate == "乙公寓"

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
