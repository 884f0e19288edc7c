"""What a template is filled with: plain dicts of Chinese text built from a record.

Templates see only strings, booleans and lists of dicts (never model instances), so that an
uploaded template can read the record but never call anything on it. Every key is always
present (empty when the record has no value yet); a real context and the sample context that
validates uploaded templates are built by the same section functions and have the same keys.

The labels printed on documents (个人/单位, 罚款, 询问笔录 …) are Chinese data here, not
interface text: a document reads the same whatever language the officer's screen uses."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

# ---------------------------------------------------------------------------------------------
# Chinese formatting

DIGITS = "零一二三四五六七八九"
UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def int_zh(n: int) -> str:
    """56 → 五十六, 10 → 十, 105 → 一百零五 (article numbers, up to 9999)."""
    if n <= 0:
        return DIGITS[0]
    units = ["", "十", "百", "千"]
    text = str(n)
    out: list[str] = []
    zero = False
    for i, ch in enumerate(text):
        digit, position = int(ch), len(text) - 1 - i
        if digit == 0:
            zero = True
            continue
        if zero and out:
            out.append(DIGITS[0])
        zero = False
        out.append(DIGITS[digit] + units[position])
    result = "".join(out)
    return result[1:] if result.startswith("一十") else result


ARTICLE = re.compile(r"^(\d+)((?:\(\d+\))*)$")


def article_zh(article: str) -> str:
    """56(2)(1) → 第五十六条第二款第（一）项; 57/58 → 第五十七条、第五十八条."""
    parts = []
    for piece in (article or "").split("/"):
        piece = piece.strip()
        match = ARTICLE.match(piece)
        if not match:
            if piece:
                parts.append(piece)
            continue
        text = f"第{int_zh(int(match.group(1)))}条"
        subs = re.findall(r"\((\d+)\)", match.group(2))
        if subs:
            text += f"第{int_zh(int(subs[0]))}款"
        if len(subs) > 1:
            text += f"第（{int_zh(int(subs[1]))}）项"
        parts.append(text)
    return "、".join(parts)


def _upper_group(n: int) -> str:
    units = ["", "拾", "佰", "仟"]
    text = str(n)
    out: list[str] = []
    zero = False
    for i, ch in enumerate(text):
        digit, position = int(ch), len(text) - 1 - i
        if digit == 0:
            zero = True
            continue
        if zero:
            out.append(UPPER_DIGITS[0])
        zero = False
        out.append(UPPER_DIGITS[digit] + units[position])
    return "".join(out)


def amount_upper(value: Decimal) -> str:
    """1500 → 壹仟伍佰元整; 100500.5 → 壹拾万零伍佰元伍角整 (amounts in words on a decision)."""
    cents = int((Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    text = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        big = ["", "万", "亿", "万亿"]
        skipped = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                skipped = True
                continue
            if text and (skipped or group < 1000):
                text += UPPER_DIGITS[0]
            text += _upper_group(group) + big[index]
            skipped = False
        text += "元"
    if jiao:
        text += UPPER_DIGITS[jiao] + "角"
    elif yuan and fen:
        text += UPPER_DIGITS[0]
    if fen:
        text += UPPER_DIGITS[fen] + "分"
    if not text:
        return "零元整"
    return text if fen else text + "整"


def amount_text(value: Decimal | None) -> str:
    """1500.00 → 1500; 1500.50 → 1500.50 (yuan)."""
    if value is None:
        return ""
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def date_zh(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def datetime_zh(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{date_zh(local)}{local.hour}时{local.minute:02d}分"


def sentence(text: str) -> str:
    """Stripped text ending with a full stop (facts are written into running prose)."""
    text = (text or "").strip()
    if text and text[-1] not in "。！？；.!?;":
        text += "。"
    return text


# ---------------------------------------------------------------------------------------------
# Chinese labels of the codes printed on documents

PARTY_KIND = {"person": "个人", "organisation": "单位", "unknown": "当事人"}
PENALTY = {
    "warning": "警告",
    "fine": "罚款",
    "fine_and_restore": "罚款并责令恢复原状",
    "demolition": "责令限期拆除",
    "none": "不予行政处罚",
}
EVIDENCE = {
    "on_site_record": "现场检查笔录",
    "photo": "现场照片和视听资料",
    "inquiry": "询问笔录",
    "appraisal": "鉴定意见",
    "identification": "有关部门的认定意见",
    "document": "书证",
    "preservation": "先行登记保存的证据",
    "other": "其他证据",
}
EXECUTION = {
    "payment": "缴纳罚款",
    "demolition": "拆除",
    "restoration": "恢复原状",
    "court_application": "申请人民法院强制执行",
    "other": "其他执行措施",
}
CLOSURE = {
    "executed": "处罚决定已执行完毕",
    "not_penalised": "不予行政处罚，撤销立案",
    "court": "已申请人民法院强制执行",
}
PROCEDURE = {"general": "一般程序", "simplified": "简易程序"}
CHANNEL = {
    "hotline": "12345市民服务热线",
    "resident": "群众举报",
    "property_company": "物业服务企业报告",
    "studio": "城管社区工作室报告",
    "patrol": "巡查发现",
    "other": "其他来源",
}
ASSISTANCE = {
    "greenery_identification": "认定绿化损坏情况",
    "planning_permit": "查询规划许可情况",
    "registry_lookup": "查询房屋权属登记信息",
    "structural_appraisal": "开展房屋结构安全鉴定",
    "police_support": "提供警力支持",
    "housing_check": "核查房屋管理相关情况",
    "other": "办理相关协助事项",
}
PENALTIES_WITH_FINE = frozenset({"fine", "fine_and_restore"})


def penalty_text(penalty: str, fine: Decimal | None) -> str:
    """The penalty as a decision states it: 罚款人民币1500元（大写：壹仟伍佰元整）."""
    if not penalty:
        return ""
    money = (
        f"罚款人民币{amount_text(fine)}元（大写：{amount_upper(fine)}）" if fine is not None else ""
    )
    if penalty == "fine":
        return money or PENALTY["fine"]
    if penalty == "fine_and_restore":
        return f"{money or PENALTY['fine']}，并责令恢复原状"
    if penalty == "demolition":
        return "责令限期拆除违法建筑物、构筑物、设施" + (f"，并处{money}" if money else "")
    return PENALTY.get(penalty, penalty)


# ---------------------------------------------------------------------------------------------
# Sections shared by real and sample contexts


def bureau_section(*, name: str, short_name: str, address: str, phone: str) -> dict[str, str]:
    return {"name": name, "short_name": short_name, "address": address, "phone": phone}


def contact_section(*, name: str, phone: str, address: str) -> dict[str, str]:
    """Whom the party or department contacts about the document."""
    return {"name": name, "phone": phone, "address": address}


def district_section(*, city: str, name: str) -> dict[str, str]:
    return {"city": city, "name": name, "government": f"{city}{name}人民政府"}


def party_section(
    *,
    kind: str,
    name: str,
    uscc: str = "",
    id_number: str = "",
    representative: str = "",
    address: str = "",
    phone: str = "",
) -> dict[str, Any]:
    organisation = kind == "organisation"
    known = kind in ("person", "organisation")
    return {
        "name": name or "相关当事人",
        "kind": PARTY_KIND.get(kind, PARTY_KIND["unknown"]),
        "is_organisation": organisation,
        # 你 / 你单位 in running text; 你（单位） when it is not known yet
        "you": ("你单位" if organisation else "你") if known else "你（单位）",
        "id_label": "统一社会信用代码" if organisation else "身份证号码",
        "id": uscc if organisation else id_number,
        "representative": representative,
        "address": address,
        "phone": phone,
    }


def provision_item(*, statute: str, article: str, text: str) -> dict[str, str]:
    cited = article_zh(article)
    return {
        "statute": statute,
        "article": cited or "（条款待核实）",
        "citation": f"《{statute}》{cited or '（条款待核实）'}",
        "text": (text or "").strip(),
    }


CITED = re.compile(r"^(第[^条、]+条)(第[^款、]+款)?(第（[^）]+）项)?$")


def _shortened(article: str, previous: str) -> str:
    """第五十六条第二款第（五）项 after 第五十六条第二款第（四）项 → 第（五）项."""
    now, before = CITED.match(article), CITED.match(previous)
    if not now or not before:
        return article
    if now.group(3) and now.group(1, 2) == before.group(1, 2):
        return now.group(3)
    if now.group(2) and now.group(1) == before.group(1):
        return "".join(g for g in now.group(2, 3) if g)
    return article


def citations(items: Iterable[dict[str, str]]) -> str:
    """《A》第一条、第二条、《B》第三条: consecutive articles of one statute share its title, and
    consecutive items of one paragraph its article and paragraph."""
    out: list[str] = []
    previous: dict[str, str] | None = None
    for item in items:
        if previous is not None and item["statute"] == previous["statute"]:
            out.append(_shortened(item["article"], previous["article"]))
        else:
            out.append(f"《{item['statute']}》{item['article']}")
        previous = item
    return "、".join(out)


def provisions_section(
    violated: list[dict[str, str]], basis: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "provisions": violated + [b for b in basis if b not in violated],
        "violated": violated,
        "basis": basis,
        "violated_text": citations(violated),
        "basis_text": citations(basis),
    }


def place_text(estate: str, address: str) -> str:
    """甲花园 + 3号楼 → 甲花园3号楼; an address that names the estate stands alone."""
    if not estate or (address and estate in address):
        return address or estate
    return f"{estate}{address}"


def lead_section(
    *,
    number: str,
    estate: str,
    address: str,
    subdistrict: str,
    violation: str,
    summary: str,
    received_at: dt.datetime | None,
    channel: str,
) -> dict[str, str]:
    return {
        "number": number,
        "estate": estate,
        "address": address,
        "place": place_text(estate, address),
        "subdistrict": subdistrict,
        "violation": violation,
        "summary": sentence(summary),
        "received_date": date_zh(received_at),
        "source": CHANNEL.get(channel, ""),
    }


def common_section(
    *, number: str, title: str, date: dt.datetime | None, bureau: dict[str, str], district: Any
) -> dict[str, Any]:
    return {
        "number": number,
        "title": title,
        "date": date_zh(date),
        "bureau": bureau,
        "district": district,
    }
