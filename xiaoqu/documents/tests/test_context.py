"""Chinese formatting of the data printed on documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from xiaoqu.documents.context import (
    amount_upper,
    article_zh,
    citations,
    date_zh,
    datetime_zh,
    int_zh,
    penalty_text,
    place_text,
    provision_item,
    sentence,
)
from xiaoqu.documents.numbering import document_number_format


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (15, "十五"),
        (56, "五十六"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
    ],
)
def test_int_zh(n: int, text: str):
    assert int_zh(n) == text


@pytest.mark.parametrize(
    ("article", "text"),
    [
        ("85", "第八十五条"),
        ("56(2)(1)", "第五十六条第二款第（一）项"),
        ("5(1)", "第五条第一款"),
        ("57/58", "第五十七条、第五十八条"),
        ("", ""),
    ],
)
def test_article_zh(article: str, text: str):
    assert article_zh(article) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1500", "壹仟伍佰元整"),
        ("2000", "贰仟元整"),
        ("10000", "壹万元整"),
        ("100500", "壹拾万零伍佰元整"),
        ("200000", "贰拾万元整"),
        ("1005", "壹仟零伍元整"),
        ("50.5", "伍拾元伍角整"),
        ("3.07", "叁元零柒分"),
        ("0", "零元整"),
    ],
)
def test_amount_upper(amount: str, text: str):
    assert amount_upper(Decimal(amount)) == text


def test_citations_share_the_statute_article_and_paragraph():
    wygl = "上海市住宅物业管理规定"
    items = [
        provision_item(statute=wygl, article="56(2)(4)", text=""),
        provision_item(statute=wygl, article="56(2)(5)", text=""),
        provision_item(statute=wygl, article="85", text=""),
        provision_item(statute="上海市市容环境卫生管理条例", article="5(1)", text=""),
        provision_item(statute="上海市建筑垃圾处理管理规定", article="", text=""),
    ]
    assert citations(items) == (
        "《上海市住宅物业管理规定》第五十六条第二款第（四）项、第（五）项、第八十五条、"
        "《上海市市容环境卫生管理条例》第五条第一款、《上海市建筑垃圾处理管理规定》（条款待核实）"
    )


def test_penalties_as_a_decision_states_them():
    assert penalty_text("fine", Decimal("1500")) == "罚款人民币1500元（大写：壹仟伍佰元整）"
    assert penalty_text("warning", None) == "警告"
    assert penalty_text("fine_and_restore", Decimal("20000")).endswith("，并责令恢复原状")
    assert penalty_text("demolition", None) == "责令限期拆除违法建筑物、构筑物、设施"


def test_dates_places_and_sentences():
    moment = dt.datetime(2026, 3, 24, 6, 5, tzinfo=dt.UTC)  # 14:05 in Shanghai
    assert date_zh(moment) == "2026年3月24日"
    assert datetime_zh(moment.astimezone(ZoneInfo("Asia/Shanghai"))) == "2026年3月24日14时05分"
    assert date_zh(None) == ""
    assert place_text("甲花园", "3号楼") == "甲花园3号楼"
    assert place_text("甲花园", "甲花园3号楼") == "甲花园3号楼"
    assert place_text("", "甲路100弄") == "甲路100弄"
    assert sentence("堆放杂物") == "堆放杂物。" and sentence("已改正。") == "已改正。"


def test_number_format(settings):
    assert document_number_format(word="罚", year=2025, value=1) == "普城管罚字〔2025〕第0001号"
    settings.XIAOQU_DOCUMENT_PREFIX = "静城管"
    assert (
        document_number_format(word="责改", year=2026, value=123) == "静城管责改字〔2026〕第0123号"
    )
