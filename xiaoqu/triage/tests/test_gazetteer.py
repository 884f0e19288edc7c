"""Estate matching: names, aliases, abbreviations, typos and homophones, lane addresses,
sections (东区/二期), ambiguous and absent estates; the spot (building, room)."""

from __future__ import annotations

from typing import Any

import pytest

from xiaoqu.triage.gazetteer import EstateEntry, Gazetteer, Spot, spot_of

SD1, SD2 = "310107005000", "310107006000"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(
        [
            EstateEntry(1, "梅川小区", SD1, ["梅川"], ["梅川路1199弄", "梅川路1201弄"]),
            EstateEntry(2, "曹杨新村", SD1, ["曹杨"], ["兰溪路100弄"]),
            EstateEntry(3, "真南花苑", SD2, [], ["真南路895弄"]),
            EstateEntry(4, "兰溪一村东区", SD1, ["兰溪一村东"], ["兰溪路657弄"]),
            EstateEntry(5, "兰溪一村西区", SD1, ["兰溪一村西"], ["兰溪路605弄"]),
            EstateEntry(6, "桂巷路大楼", SD2, [], ["桂巷路1175号"]),
            EstateEntry(7, "武宁佳苑", SD2, [], ["武宁路642弄"]),
            EstateEntry(8, "长风苑", SD2, [], ["长风路88弄"]),
            EstateEntry(9, "万里城家园", SD2, [], ["万里路300弄"]),
        ]
    )


@pytest.mark.parametrize(
    ("text", "address", "name", "reason"),
    [
        ("梅川小区5号楼有人飞线充电", "", "梅川小区", "名称“梅川小区”"),
        ("市民反映曹杨这边楼道堆物", "", "曹杨新村", "别名“曹杨”"),
        ("真南花园里面有人搭棚", "", "真南花苑", "真南"),  # 花苑 said 花园
        ("武宁小区群租", "", "武宁佳苑", "简称“武宁”"),
        ("万里城楼下垃圾乱扔", "", "万里城家园", "简称“万里城”"),
        ("兰溪一村东3号楼", "", "兰溪一村东区", "别名“兰溪一村东”"),
    ],
)
def test_names_aliases_abbreviations(
    gaz: Gazetteer, text: str, address: str, name: str, reason: str
) -> None:
    m = gaz.match(text, address)
    assert m.name == name
    assert reason in m.reason
    assert m.confidence >= 0.75


def test_canonical_name_carries_id_and_subdistrict(gaz: Gazetteer) -> None:
    m = gaz.match("真南花苑有人乱贴小广告")
    assert (m.estate_id, m.subdistrict, m.confidence) == (3, SD2, 0.98)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("梅穿小区有人私拉电线", "梅川小区"),  # homophone
        ("曹洋新村楼道里电瓶车", "曹杨新村"),  # homophone
        ("长峰苑绿地被挖了种菜", "长风苑"),  # homophone, 3 characters
        ("万里成家园门口有人发广告", "万里城家园"),  # homophone in a longer name
        ("桂巷路大搂楼下违建", "桂巷路大楼"),  # homophone of the suffix
    ],
)
def test_typos_and_homophones(gaz: Gazetteer, text: str, name: str) -> None:
    m = gaz.match(text)
    assert m.name == name
    assert "近似" in m.reason
    assert 0.6 <= m.confidence < 0.9


def test_lane_address_in_text_and_address_field(gaz: Gazetteer) -> None:
    m = gaz.match("真南路895弄12号楼楼下有人违章搭建")
    assert m.name == "真南花苑" and "弄号“真南路895弄”" in m.reason
    m = gaz.match("有人私拉电线", "梅川路1201弄5号301室")
    assert m.name == "梅川小区" and m.confidence == 0.99
    m = gaz.match("桂巷路1175号门口有人倒建筑垃圾")
    assert m.name == "桂巷路大楼"


def test_address_field_lane_wins_over_a_name_in_the_text(gaz: Gazetteer) -> None:
    m = gaz.match("我以前住曹杨新村，现在这里有人飞线充电", "真南路895弄3号")
    assert m.name == "真南花苑"


def test_road_typo_before_a_known_lane(gaz: Gazetteer) -> None:
    m = gaz.match("梅穿路1199弄有人占用楼道")
    assert m.name == "梅川小区"
    assert "≈“梅川路1199弄”" in m.reason


def test_sections_and_phases(gaz: Gazetteer) -> None:
    m = gaz.match("梅川小区东区8号楼有群租")
    assert m.name == "梅川小区" and "东区" in m.reason
    m = gaz.match("长风苑二期绿化带被毁")
    assert m.name == "长风苑" and "二期" in m.reason


def test_ambiguous_mention_is_unsure_and_says_so(gaz: Gazetteer) -> None:
    m = gaz.match("兰溪一村有人把杂物堆在楼道")
    assert m.name in {"兰溪一村东区", "兰溪一村西区"}
    assert m.confidence < 0.6
    assert "也可能是" in m.reason


@pytest.mark.parametrize(
    "text",
    [
        "楼下有人吵架，声音很大",
        "梅川路上有人发小广告",  # a road, not the estate
        "曹杨路1000弄门口垃圾没人收",  # an unknown lane
        "没穿外套的人在绿地里种菜",  # pinyin of 梅川 is not there; 没穿 ≠ 梅川
        "",
    ],
)
def test_no_estate(gaz: Gazetteer, text: str) -> None:
    m = gaz.match(text)
    assert (m.name, m.estate_id, m.confidence, m.reason) == ("", None, 0.0, "未识别到小区")


@pytest.mark.parametrize(
    ("text", "address", "spot"),
    [
        ("5号楼302室有人群租", "", Spot("5", "302")),
        ("3幢楼道堆物", "", Spot("3", "")),
        ("十二号楼门口", "", Spot("12", "")),
        ("", "梅川路1199弄7号501室", Spot("7", "501")),
        ("梅川路1199弄门口", "", Spot("", "")),
        ("楼下有人充电", "", Spot("", "")),
    ],
)
def test_spot(text: str, address: str, spot: Spot) -> None:
    assert spot_of(text, address) == spot


@pytest.mark.django_db
def test_from_db_uses_estate_ids_aliases_and_lanes(world: Any) -> None:
    world.estate_a2.aliases = "甲村\n老甲村"
    world.estate_a2.save()
    gaz = Gazetteer.from_db(world.district)
    m = gaz.match("有人违建", "甲路100弄3号")
    assert (m.estate_id, m.name, m.subdistrict) == (
        world.estate_a.pk,
        "甲花园",
        world.sd_a.code,
    )
    assert gaz.match("老甲村楼道堆物").estate_id == world.estate_a2.pk
    assert gaz.match("乙公寓门口有小广告").estate_id == world.estate_b.pk
