"""The first draft of an exemplary case, written from the closed case's record.

The draft is an official publication in Chinese, whatever the language of the user who asks
for it: it is written with the Chinese labels of the catalog and of the case's choices, then
passed through the anonymiser (`anonymise.py`) with the case's personal data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from xiaoqu.cases.choices import ClosureKind, EvidenceKind, PenaltyKind, Procedure, ReviewStatus
from xiaoqu.intake.choices import Channel

from .anonymise import anonymise, personal_data_of

# 以案释法: what each violation type teaches, in the bureau's words.
LESSONS: dict[str, str] = {
    "renovation_unregistered": "住宅室内装饰装修前，业主或者使用人应当向物业服务企业申报登记，"
    "签订装饰装修管理服务协议，遵守禁止行为和注意事项。未经申报擅自施工，既影响相邻业主的正常生活，"
    "也可能埋下安全隐患。",
    "use_change": "住宅应当按照规划用途使用，擅自将住宅改变为经营性用房（如棋牌室、仓库、作坊），"
    "会给小区带来噪声、消防和治安隐患，损害其他业主的合法权益，依法应当责令改正并予以处罚。",
    "group_rental": "出租住宅应当以原始设计的房间为最小出租单位，不得分隔搭建后出租，"
    "人均承租面积不得低于规定标准。群租既有消防安全隐患，也影响居民的正常生活。",
    "structure_damage": "损坏房屋承重结构会危及整幢房屋和全体住户的安全。装修中拆改承重墙、"
    "在承重墙上开凿门窗洞口等行为属于法律明确禁止的行为，当事人不但要接受处罚，还要承担恢复原状的责任。",
    "illegal_construction": "在小区内违法搭建建筑物、构筑物，侵占公共空间，影响相邻采光通风，"
    "并存在安全隐患。违法建筑一经查实，将依法责令限期拆除，逾期不拆除的依法强制拆除。",
    "common_area_occupation": "楼道、消防通道等共用部位是全体业主共有的空间，也是发生火灾时的逃生通道。"
    "在共用部位堆物、占用，既侵害其他业主的权益，更可能在紧急情况下造成严重后果。",
    "household_waste": "生活垃圾分类是每个市民的法定义务。将生活垃圾混合投放、随意丢弃，"
    "会受到劝阻、责令改正乃至罚款处理；分类投放，从我做起。",
    "construction_waste": "装修垃圾应当袋装后堆放到物业服务企业指定的地点，"
    "由具备资质的单位清运，不得与生活垃圾混合，不得随意倾倒。",
    "greenery_damage": "小区绿化是全体业主共有的公共资源。擅自砍伐树木、侵占绿地、"
    "毁绿种菜等行为，依法应当恢复原状并承担相应的法律责任。",
    "small_ads": "在楼道、电梯、墙面张贴、涂写、刻画小广告，污损小区环境，"
    "当事人应当清除所张贴的内容并依法接受处罚。",
    "property_negligence": "物业服务企业对小区内的违法行为负有发现、劝阻、报告的义务。"
    "未履行上述义务的，除依法受到处罚外，还将记入企业及项目经理的信用档案。",
    "ebike_parking": "电动自行车在楼道、门厅等共用部位停放，一旦起火，蔓延迅速、毒烟浓烈，"
    "严重威胁居民生命安全。请将电动自行车停放在指定区域。",
    "ebike_charging": "电动自行车“飞线”充电、入户充电极易引发火灾。"
    "请使用小区集中充电设施，不私拉电线，不在楼道和室内充电。",
}
CLOSING = (
    "居民群众如发现住宅小区内的违法行为，可拨打12345市民服务热线或向所在街道（镇）城管执法队反映。"
)

SOURCES = {
    Channel.HOTLINE: "接12345市民服务热线工单反映",
    Channel.RESIDENT: "接居民反映",
    Channel.PROPERTY_COMPANY: "接物业服务企业报告",
    Channel.STUDIO: "接城管社区工作室报告",
    Channel.PATROL: "在日常巡查中发现",
}


def _yuan(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _date(value: Any) -> str:
    day = timezone.localtime(value)
    return f"{day.year}年{day.month}月{day.day}日"


def _provisions(case: Any) -> list[Any]:
    provisions = list(case.provisions.select_related("statute"))
    if provisions:
        return provisions
    vt = case.violation_type
    found = list(vt.prohibitions.select_related("statute"))
    if vt.penalty_provision_id and vt.penalty_provision not in found:
        found.append(vt.penalty_provision)
    return found


def draft_texts(case: Any) -> dict[str, str]:
    """Title, facts, legal basis, handling and lesson of the case, without personal data."""
    with translation.override("zh-hans"):
        texts = _texts(case)
    data = personal_data_of(case)
    return {name: anonymise(text, data).strip() for name, text in texts.items()}


def _texts(case: Any) -> dict[str, str]:
    vt = case.violation_type
    sd = case.subdistrict.name
    place = f"{sd}某小区" if case.estate_id else sd
    lead = case.lead
    first = lead.complaints.order_by("received_at", "pk").first()
    source = SOURCES.get(first.channel, "接群众反映") if first else "接群众反映"
    summary = (lead.summary or "").strip().rstrip("。")
    facts = [f"{_date(lead.received_at)}，{sd}城管执法队{source}，{place}存在{vt.name}问题。"]
    established = case.facts.strip()
    if summary and summary not in established:
        facts.append(f"反映{place}{summary}。")
    if established:
        facts.append(f"经立案调查查明：{established}")
    basis = []
    for provision in _provisions(case):
        text = provision.text.strip()
        basis.append(f"{provision}：{text}" if text else str(provision))
    if not basis and vt.penalty_text:
        basis.append(vt.penalty_text.strip())
    handling = []
    if case.procedure == Procedure.SIMPLIFIED:
        handling.append("执法队员当场查实违法事实，依照简易程序当场作出行政处罚决定")
    else:
        kinds = [
            str(EvidenceKind(k).label)
            for k in case.evidence.order_by().values_list("kind", flat=True).distinct()
            if k in EvidenceKind.values
        ]
        handling.append(
            f"{_date(case.filed_at)}，执法部门依法立案调查"
            + (f"，制作了{'、'.join(sorted(kinds))}等证据材料" if kinds else "")
        )
        if case.review_status == ReviewStatus.APPROVED:
            handling.append("拟作出的处罚决定经法制审核通过")
        if case.notice_served_at:
            rights = "陈述、申辩和要求听证" if case.hearing_right else "陈述、申辩"
            handling.append(f"执法部门向当事人送达行政处罚告知书，告知其享有{rights}的权利")
        if case.hearing_held_at:
            handling.append("当事人申请听证，执法部门依法组织了听证")
        elif case.statement_at:
            handling.append("当事人进行了陈述申辩")
        elif case.waived_at:
            handling.append("当事人书面放弃陈述申辩的权利")
    if case.closure_kind == ClosureKind.NOT_PENALISED:
        handling.append("经调查，违法事实不能成立，依法不予行政处罚")
    elif case.penalty:
        penalty = str(PenaltyKind(case.penalty).label)
        amount = (
            f"罚款人民币{_yuan(case.fine)}元"
            if case.fine and case.penalty in (PenaltyKind.FINE, PenaltyKind.FINE_AND_RESTORE)
            else ""
        )
        decided = f"{_date(case.decided_at)}，" if case.decided_at else ""
        what = (
            penalty
            if not amount
            else (
                amount + ("并责令恢复原状" if case.penalty == PenaltyKind.FINE_AND_RESTORE else "")
            )
        )
        handling.append(f"{decided}执法部门依法对当事人作出{what}的行政处罚决定")
    if case.closure_kind == ClosureKind.COURT:
        handling.append("当事人逾期未履行，执法部门依法申请人民法院强制执行")
    elif case.paid_amount:
        handling.append("当事人已缴纳罚款")
    if case.closed_at:
        handling.append(f"案件于{_date(case.closed_at)}结案")
    lesson = LESSONS.get(vt.code) or (vt.description.strip() if vt.description else "")
    return {
        "title": f"{place}{vt.name}案",
        "facts": "".join(facts),
        "legal_basis": "\n".join(basis),
        "handling": "，".join(handling) + "。",
        "lesson": f"{lesson}\n{CLOSING}".strip(),
    }
