"""The anonymiser on its own: the case's data and what looks personal are removed."""

from __future__ import annotations

import pytest

from xiaoqu.exemplary.anonymise import (
    ESTATE,
    NUMBER,
    OFFICER,
    ORGANISATION,
    PERSON,
    Datum,
    anonymise,
    findings,
    surname_of,
)

DATA = [
    Datum(PERSON, "王小明", "party"),
    Datum(PERSON, "欧阳娜娜", "reporter"),
    Datum(OFFICER, "陈执法", "officer"),
    Datum(ORGANISATION, "上海甲物业管理有限公司", "company"),
    Datum(ESTATE, "甲花园", "estate"),
    Datum(NUMBER, "13912345678", "phone"),
]


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("3号楼502室住户", ["3号楼", "502"], ["某号楼某室", "住户"]),
        ("12幢1单元301的住户", ["12", "301"], ["某幢某单元某室"]),
        ("502室门口", ["502"], ["某室门口"]),
        ("梅川路1199弄3号502室", ["1199", "502"], ["梅川路某弄"]),
        ("江宁路123号底层商铺", ["123"], ["江宁路某号"]),
        ("电话13812345678", ["13812345678"], ["电话***"]),
        ("手机 138 1234 5678", ["1234"], ["***"]),
        ("座机021-62541234", ["62541234"], ["***"]),
        ("身份证310107198501012345", ["310107198501012345"], ["***"]),
        ("代码91310107MA1G5ABC1X", ["MA1G5ABC1X"], ["***"]),
        ("普城管罚字〔2026〕第0001号决定书", ["0001"], ["（编号略）决定书"]),
        ("案件AJ-2026-000123", ["000123"], ["（编号略）"]),
        ("三号楼楼道", ["三号楼"], ["某号楼"]),
    ],
)
def test_patterns_remove_what_looks_personal(text: str, gone: list[str], kept: list[str]) -> None:
    result = anonymise(text, [])
    for value in gone:
        assert value not in result, result
    for value in kept:
        assert value in result, result
    assert findings(result, []) == []


def test_amounts_dates_and_articles_are_kept() -> None:
    text = "2026年3月12日，处罚款人民币20000元，依据第56条第2款，罚款5000.00元。"
    assert anonymise(text, []) == text
    assert findings(text, []) == []


def test_the_case_data_are_replaced() -> None:
    text = (
        "王小明在甲花园堆物，欧阳娜娜来电（13912345678），陈执法到场，上海甲物业管理有限公司劝阻。"
    )
    result = anonymise(text, DATA)
    for datum in DATA:
        assert datum.value not in result
    assert "王某在某小区堆物" in result
    assert "欧阳某来电" in result
    assert "执法人员到场" in result
    assert "某物业公司劝阻" in result
    assert findings(result, DATA) == []


def test_data_written_with_spaces_or_hyphens_are_found() -> None:
    found = findings("来电 139-1234-5678", DATA)
    assert [f.source if hasattr(f, "source") else f.label for f in found] == ["phone"]
    assert found[0].known


def test_findings_point_at_the_data() -> None:
    text = "王小明住3号楼502室"
    found = findings(text, DATA)
    assert [text[f.start : f.end] for f in found] == ["王小明", "3号楼", "502室"]
    assert found[0].known and not found[1].known


def test_placeholders_and_blanks_are_not_data() -> None:
    data = [Datum(PERSON, "张某", "party"), Datum(PERSON, "", "x"), Datum(PERSON, "匿名", "y")]
    assert findings("当事人张某匿名举报", data) == []


def test_surname() -> None:
    assert surname_of("王小明") == "王"
    assert surname_of("欧阳娜娜") == "欧阳"
    assert surname_of("Smith") == ""
