"""The legal catalog as the project ships it: statutes, the provisions the catalog cites,
the key violation types, referral targets, procedural deadlines and thresholds.

These are facts taken from the published statute texts (Shanghai local regulations and the
national Administrative Penalty Law) and from official enforcement reports. Article excerpts
are short quotations of the statute version named on the statute; where a text was not at
hand the provision says so and stays unverified (shown as 待核实), so that legal staff check
it before anyone relies on it. Amounts are yuan.

`law_catalog_seed` in `services.py` writes these facts into the database; legal staff then
maintain them in the application.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

NOT_AT_HAND = "条文原文未收录，待法制人员核对原文。"


@dataclass(frozen=True)
class StatuteFact:
    code: str
    title: str
    version: str
    issuer: str
    effective_from: dt.date
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class ProvisionFact:
    statute: str
    article: str
    text: str
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class ViolationTypeFact:
    code: str
    name: str
    description: str
    prohibitions: tuple[tuple[str, str], ...]
    penalty: tuple[str, str]
    penalty_text: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    fine_unit_note: str
    enforcer_note: str
    enforcer: str | None
    assisting: tuple[str, ...]
    assisting_note: str
    verified: bool
    sort_order: int
    deadline_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferralTargetFact:
    code: str
    department: str
    matters: str
    effective_from: dt.date
    verified: bool = True


@dataclass(frozen=True)
class DeadlineRuleFact:
    code: str
    description: str
    limit: int
    unit: str
    source_title: str
    source_article: str
    verified: bool
    effective_from: dt.date
    provision: tuple[str, str] | None = None
    limit_if_ongoing: int | None = None
    extension: int | None = None
    extension_note: str = ""
    note: str = ""


@dataclass(frozen=True)
class ThresholdFact:
    code: str
    description: str
    individual: Decimal | None
    organisation: Decimal | None
    source_title: str
    source_article: str
    verified: bool
    effective_from: dt.date
    note: str = ""


@dataclass(frozen=True)
class Catalog:
    statutes: tuple[StatuteFact, ...]
    provisions: tuple[ProvisionFact, ...]
    violation_types: tuple[ViolationTypeFact, ...]
    referral_targets: tuple[ReferralTargetFact, ...]
    deadline_rules: tuple[DeadlineRuleFact, ...]
    thresholds: tuple[ThresholdFact, ...]

    def statute_date(self, code: str) -> dt.date:
        """The date of the statute version the catalog follows."""
        return next(s.effective_from for s in self.statutes if s.code == code)


def _d(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


SH_CONGRESS = "上海市人民代表大会常务委员会"

STATUTES: tuple[StatuteFact, ...] = (
    StatuteFact(
        "WYGL",
        "上海市住宅物业管理规定",
        "2020年12月30日第二次修正",
        SH_CONGRESS,
        dt.date(2020, 12, 30),
        True,
    ),
    StatuteFact(
        "CWJ",
        "上海市拆除违法建筑若干规定",
        "2018年5月24日第三次修正",
        SH_CONGRESS,
        dt.date(2018, 5, 24),
        True,
        "引用条文（第三、四、七、十、十六条）按2018年修正文本核对；2017年第二次修正文本中条文序号相同。",
    ),
    StatuteFact(
        "SRHW",
        "上海市市容环境卫生管理条例",
        "2018年12月20日第三次修正",
        SH_CONGRESS,
        dt.date(2018, 12, 20),
        True,
    ),
    StatuteFact(
        "SHLJ",
        "上海市生活垃圾管理条例",
        "2019年1月31日通过",
        "上海市人民代表大会",
        dt.date(2019, 1, 31),
        True,
    ),
    StatuteFact(
        "LHTL",
        "上海市绿化条例",
        "2018年12月20日第三次修正",
        SH_CONGRESS,
        dt.date(2018, 12, 20),
        True,
    ),
    StatuteFact(
        "FJDC",
        "上海市非机动车安全管理条例",
        "2024年5月10日修正",
        SH_CONGRESS,
        dt.date(2024, 5, 10),
        True,
    ),
    StatuteFact(
        "ZFTL",
        "上海市城市管理行政执法条例",
        "2018年5月24日第二次修正",
        SH_CONGRESS,
        dt.date(2018, 5, 24),
        True,
        "现已更名为《上海市城市管理综合行政执法条例》，现行文本未收录，条文序号待核对。",
    ),
    StatuteFact(
        "ZLZL",
        "上海市住房租赁条例",
        "2022年",
        SH_CONGRESS,
        dt.date(2022, 11, 23),
        False,
        "取代《上海市房屋租赁条例》。" + NOT_AT_HAND,
    ),
    StatuteFact(
        "JZLJ",
        "上海市建筑垃圾处理管理规定",
        "2017年文本；沪府令第16号修改，2025年3月15日起施行",
        "上海市人民政府",
        dt.date(2025, 3, 15),
        False,
        "修改后的条文序号和罚款数额" + NOT_AT_HAND,
    ),
    StatuteFact(
        "ZSZX",
        "住宅室内装饰装修管理办法",
        "建设部令第110号",
        "建设部",
        dt.date(2002, 3, 5),
        False,
        NOT_AT_HAND,
    ),
    StatuteFact(
        "XZCF",
        "中华人民共和国行政处罚法",
        "2021年1月22日修订",
        "全国人民代表大会常务委员会",
        dt.date(2021, 1, 22),
        True,
    ),
)

PROVISIONS: tuple[ProvisionFact, ...] = (
    # 上海市住宅物业管理规定
    ProvisionFact(
        "WYGL",
        "56(2)(1)",
        "禁止下列损害公共利益及他人利益的行为：（一）损坏房屋承重结构；",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "56(2)(2)",
        "禁止下列损害公共利益及他人利益的行为：……（二）违法搭建建筑物、构筑物；",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "56(2)(4)",
        "禁止下列损害公共利益及他人利益的行为：……（四）擅自改建、占用物业共用部分；",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "56(2)(5)",
        "禁止下列损害公共利益及他人利益的行为：……（五）损坏或者擅自占用、移装共用设施设备；",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "57",
        "业主、使用人装饰装修房屋的，应当事先告知物业服务企业，并与物业服务企业签订装饰装修管理"
        "协议。……物业服务企业对装饰装修活动进行巡查时，业主、使用人或者装饰装修施工人员应当予以配合。",
        True,
        "本条未设罚款。",
    ),
    ProvisionFact(
        "WYGL",
        "58",
        "业主、使用人应当按照规划资源行政管理部门批准或者不动产权属证书载明的用途使用物业，"
        "不得擅自改变物业使用性质。",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "59",
        "物业服务企业发现业主、使用人在物业使用、装饰装修过程中有违反国家和本市有关规定以及临时管理"
        "规约、管理规约行为的，应当……予以劝阻、制止；劝阻、制止无效的，应当在二十四小时内报告"
        "业主委员会和有关行政管理部门。",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "83",
        "违反本规定第五十六条第二款第一项规定，损坏房屋承重结构的，由区房屋行政管理部门责令立即改正，"
        "恢复原状，可处一万元以上十万元以下的罚款；情节严重的，可处十万元以上二十万元以下的罚款。",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "84",
        "违反本规定第五十六条第二款第二项规定，违法搭建建筑物、构筑物的，由城管执法或者规划资源行政"
        "管理部门根据职责分工，依照《上海市拆除违法建筑若干规定》的相关规定予以拆除，可处一万元以上"
        "十万元以下的罚款。",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "85",
        "违反本规定第五十六条第二款第三项、第四项、第五项规定，破坏房屋外貌，擅自改建、占用物业共用"
        "部分，损坏或者擅自占用、移装共用设施设备的，由区房屋行政管理部门责令改正，恢复原状，可处"
        "一千元以上一万元以下的罚款；情节严重的，可处一万元以上十万元以下的罚款。",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "86",
        "业主、使用人违反本规定第五十八条规定，擅自改变物业使用性质的，由区房屋行政管理部门责令限期"
        "改正，恢复原状，可处一万元以上五万元以下的罚款。",
        True,
    ),
    ProvisionFact(
        "WYGL",
        "87",
        "物业服务企业违反本规定第五十九条规定，对业主、使用人的违法行为未予以劝阻、制止或者未在规定"
        "时间内报告有关行政管理部门的，由区房屋行政管理部门责令改正，可处一千元以上一万元以下的罚款。",
        True,
    ),
    # 上海市拆除违法建筑若干规定
    ProvisionFact(
        "CWJ",
        "3",
        "市和区规划管理部门、城市管理行政执法部门（以下统称“拆违实施部门”）按照规划管理、物业管理等"
        "方面的法律、法规和市人民政府的规定，分别负责违法建筑的拆除……",
        True,
    ),
    ProvisionFact(
        "CWJ",
        "4",
        "物业服务企业在其物业管理区域内发现搭建违法建筑的，应当予以劝阻、制止；劝阻、制止无效的，"
        "应当及时报告所在区的拆违实施部门。",
        True,
    ),
    ProvisionFact(
        "CWJ",
        "7",
        "拆违实施部门发现违法建筑、接到相关举报或者物业服务企业的相关报告后，应当在二十四小时内到现场"
        "进行调查取证，对正在搭建的，应当在两小时内到现场进行调查取证。",
        True,
    ),
    ProvisionFact(
        "CWJ",
        "10",
        "当事人在法定期限内不申请行政复议或者提起行政诉讼，又不拆除违法建筑的，拆违实施部门应当向市"
        "或者区人民政府报告，由市或者区人民政府作出强制拆除决定……",
        True,
    ),
    ProvisionFact(
        "CWJ",
        "16",
        "属于违法建筑的房屋不得出租。违法建筑不得办理房地产权利登记。",
        True,
    ),
    # 上海市市容环境卫生管理条例
    ProvisionFact(
        "SRHW",
        "24",
        "任何单位和个人不得擅自在树木和建筑物、构筑物或者其他设施上张贴、悬挂宣传品或者标语。……"
        "违反本条规定的，由城管执法部门责令限期清除；拒不清除的，代为清除，所需费用由违法行为人承担，"
        "并处五十元以上五百元以下罚款。其中，对利用或者组织张贴……进行宣传的，可处一万元以上十万元以下"
        "罚款。",
        True,
    ),
    ProvisionFact(
        "SRHW",
        "28(4)",
        "禁止下列影响环境卫生的行为：……（四）乱倒垃圾、污水、粪便，乱扔动物尸体等废弃物；"
        "……违反前款第（四）项规定的，对个人处二百元以下罚款，对单位处五千元以上五万元以下罚款。",
        True,
    ),
    ProvisionFact(
        "SRHW",
        "30",
        "居民产生的装修垃圾，应当在物业公司或者居民委员会指定的地点堆放，并承担清运的费用。",
        True,
    ),
    ProvisionFact(
        "SRHW",
        "43",
        "违反规定未将装修垃圾运至指定场所的，由城管执法部门责令改正，可按每吨二百元处以罚款；"
        "城管执法部门可以暂扣违法当事人的运输工具……",
        True,
    ),
    # 上海市生活垃圾管理条例
    ProvisionFact(
        "SHLJ",
        "24",
        "产生生活垃圾的单位和个人是生活垃圾分类投放的责任主体，应当将生活垃圾分别投放至相应的收集容器。",
        True,
    ),
    ProvisionFact(
        "SHLJ",
        "57/58",
        "第五十七条：单位……未将生活垃圾分别投放至相应收集容器的，由城管执法部门责令立即改正；拒不改正的，"
        "处五千元以上五万元以下罚款。个人……混合投放的，……拒不改正的，处五十元以上二百元以下罚款。"
        "第五十八条：管理责任人未按照要求设置收集容器、设施的，……逾期不改正的，处五百元以上五千元以下"
        "罚款；管理责任人未分类驳运的，……拒不改正的，处五百元以上五千元以下罚款。",
        True,
    ),
    # 上海市绿化条例
    ProvisionFact("LHTL", "32", "建成的绿地不得擅自占用。", True),
    ProvisionFact(
        "LHTL",
        "33",
        "调整已建成的公共绿地内部布局，不得减少原有绿地面积，不得擅自增设建筑物、构筑物。",
        True,
    ),
    ProvisionFact(
        "LHTL",
        "37",
        "禁止下列损坏绿化和绿化设施的行为：（一）偷盗、践踏、损毁树木花草；……（四）在绿地内擅自设置"
        "广告、搭建建筑物、构筑物；……",
        True,
    ),
    ProvisionFact(
        "LHTL",
        "44/45/43",
        "第四十四条：未经许可占用绿地的，……按占用绿地面积每平方米五百元以上二千元以下处以罚款。"
        "第四十五条：损坏绿化或者绿化设施的，……并可处绿化或绿化设施补偿标准三至五倍的罚款。"
        "第四十三条：擅自迁移树木的，……处绿化补偿标准三至五倍的罚款；擅自砍伐树木的，……处绿化补偿"
        "标准五至十倍的罚款。",
        True,
    ),
    # 上海市非机动车安全管理条例
    ProvisionFact(
        "FJDC",
        "29",
        "对违反第一款、第二款、第三款规定的行为，……物业服务企业……应当予以劝阻、制止……；对不听劝阻、"
        "制止的，应当向城管执法部门或者负有消防监督管理职责的部门报告。",
        True,
        "本条第五款：物业服务企业的劝阻、报告义务。",
    ),
    ProvisionFact(
        "FJDC",
        "29(1)",
        "电动自行车及其蓄电池充电时应当确保安全，不得违反用电安全要求私拉电线和插座为电动自行车及其"
        "蓄电池充电。",
        True,
    ),
    ProvisionFact(
        "FJDC",
        "29(2)",
        "禁止在以下区域停放、放置电动自行车及其蓄电池，或者为电动自行车及其蓄电池充电：（一）建筑物首层"
        "门厅、共用走道、楼梯间、楼道等共用部位；（二）疏散通道、安全出口、消防车通道……；（三）人员"
        "密集场所的室内区域；（四）居住建筑的室内区域……",
        True,
        "第三款：禁止携带电动自行车或者其蓄电池进入电梯轿厢。",
    ),
    ProvisionFact(
        "FJDC",
        "44(1)",
        "违反本条例第二十九条第一款规定，私拉电线和插座为电动自行车及其蓄电池充电的，由城管执法部门"
        "责令改正，可处五十元以上二百元以下罚款。",
        True,
    ),
    ProvisionFact(
        "FJDC",
        "44(2)(3)",
        "在建筑物首层门厅、共用走道、楼梯间、楼道等共用部位违规停放……由城管执法部门按照《上海市住宅物业管理规定》的有关规定处理；……在居住"
        "建筑的室内区域……由城管执法部门责令改正，可处二百元以上五百元以下罚款。携带电动自行车或者其"
        "蓄电池进入电梯轿厢的，由城管执法部门、消防救援机构按照职责分工，处二百元以上五百元以下罚款。",
        True,
        "疏散通道、人员密集场所由消防救援机构处罚。",
    ),
    # 上海市城市管理行政执法条例
    ProvisionFact(
        "ZFTL",
        "11",
        "市和区城管执法部门以及乡、镇人民政府实施城市管理行政执法的范围包括：……（三）……对除绿化建设外"
        "的违反绿化管理的违法行为实施行政处罚。……（六）……非法散发、张贴印刷品广告……（八）……对擅自"
        "搭建建筑物、构筑物的违法行为和物业管理区域内破坏房屋外貌的违法行为实施行政处罚。",
        True,
    ),
    ProvisionFact(
        "ZFTL",
        "26",
        "城管执法部门以及乡、镇人民政府收到举报后，应当及时核查，并在五个工作日内将核查情况告知举报人；"
        "对不属于本单位职责范围的，应当向举报人说明情况，并在三个工作日内移送有关部门处理。",
        True,
    ),
    ProvisionFact(
        "ZFTL",
        "29",
        "有关行政管理部门应当自收到协助通知书之日起十日内出具书面意见；如情况复杂需要延期的，应当以书面"
        "形式……说明理由并明确答复期限。",
        True,
    ),
    # 上海市住房租赁条例 (text not at hand)
    ProvisionFact("ZLZL", "15", "", True, "2023年上海市城管执法案例引用。" + NOT_AT_HAND),
    ProvisionFact("ZLZL", "52", "", False, "罚款幅度未确认；2023年案例罚款1万元。" + NOT_AT_HAND),
    # 上海市建筑垃圾处理管理规定 (text not at hand, article unknown)
    ProvisionFact("JZLJ", "", "", False, "条文序号未确认。" + NOT_AT_HAND),
    # 住宅室内装饰装修管理办法 (text not at hand)
    ProvisionFact("ZSZX", "5(1)", "", False, "禁止损坏房屋承重结构。" + NOT_AT_HAND),
    ProvisionFact("ZSZX", "35", "", False, "责令改正，处500元以上1000元以下罚款。" + NOT_AT_HAND),
    # 中华人民共和国行政处罚法
    ProvisionFact(
        "XZCF",
        "36",
        "违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，"
        "上述期限延长至五年。……违法行为有连续或者继续状态的，从行为终了之日起计算。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "44",
        "行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知"
        "当事人依法享有的陈述、申辩、要求听证等权利。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "45",
        "当事人有权进行陈述和申辩。……行政机关不得因当事人陈述、申辩而给予更重的处罚。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "51",
        "违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的"
        "行政处罚的，可以当场作出行政处罚决定。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "56",
        "在证据可能灭失或者以后难以取得的情况下，经行政机关负责人批准，可以先行登记保存，并应当在七日内"
        "及时作出处理决定。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "60",
        "行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。法律、法规、规章另有规定的，"
        "从其规定。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "61",
        "行政处罚决定书应当在宣告后当场交付当事人；当事人不在场的，行政机关应当在七日内……将行政处罚"
        "决定书送达当事人。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "62",
        "行政机关及其执法人员在作出行政处罚决定之前，未依照本法第四十四条、第四十五条的规定向当事人告知"
        "……或者拒绝听取当事人的陈述、申辩，不得作出行政处罚决定；当事人明确放弃陈述或者申辩权利的除外。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "64",
        "（一）当事人要求听证的，应当在行政机关告知后五日内提出；（二）行政机关应当在举行听证的七日前，"
        "通知当事人及有关人员听证的时间、地点；",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "67",
        "当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "85",
        "本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。",
        True,
    ),
    ProvisionFact(
        "XZCF",
        "72",
        "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额；",
        True,
    ),
)

VIOLATION_TYPES: tuple[ViolationTypeFact, ...] = (
    ViolationTypeFact(
        code="renovation_unregistered",
        name="装修人未申报登记",
        description="装饰装修房屋前未告知物业服务企业、未签订装饰装修管理协议。",
        prohibitions=(("WYGL", "57"),),
        penalty=("ZSZX", "35"),
        penalty_text="责令改正，处500元以上1000元以下罚款",
        fine_min=_d(500),
        fine_max=_d(1000),
        fine_unit_note="",
        enforcer_note="规章规定由房地产行政主管部门处罚；城管执法部门是否有权处罚待确认。",
        enforcer="housing",
        assisting=(),
        assisting_note="物业服务企业对装饰装修活动进行巡查（住宅物业管理规定第五十七条）。",
        verified=False,
        sort_order=10,
    ),
    ViolationTypeFact(
        code="use_change",
        name="擅自改变物业使用性质",
        description="未按规划或不动产权属证书载明的用途使用物业。",
        prohibitions=(("WYGL", "58"),),
        penalty=("WYGL", "86"),
        penalty_text="责令限期改正，恢复原状，可处1万元以上5万元以下罚款",
        fine_min=_d(10000),
        fine_max=_d(50000),
        fine_unit_note="",
        enforcer_note="条文规定由区房屋行政管理部门处罚；划转城管执法部门未确认。",
        enforcer="housing",
        assisting=("housing", "planning"),
        assisting_note="房管部门、规划资源部门。",
        verified=False,
        sort_order=20,
    ),
    ViolationTypeFact(
        code="group_rental",
        name="群租",
        description="违反住房租赁规定分隔搭建、超人数出租居住。",
        prohibitions=(("ZLZL", "15"),),
        penalty=("ZLZL", "52"),
        penalty_text="罚款幅度待核实；2023年案例罚款1万元",
        fine_min=None,
        fine_max=None,
        fine_unit_note="",
        enforcer_note="实践中由街镇城管执法队依住房租赁条例第五十二条处罚。",
        enforcer="bureau",
        assisting=("housing", "police"),
        assisting_note="房管部门（租赁监管）、公安部门（实有人口和治安管理）。",
        verified=False,
        sort_order=30,
    ),
    ViolationTypeFact(
        code="structure_damage",
        name="损坏房屋主体和承重结构",
        description="装修或使用中拆改承重墙、梁柱等，损坏房屋承重结构。",
        prohibitions=(("WYGL", "56(2)(1)"), ("ZSZX", "5(1)")),
        penalty=("WYGL", "83"),
        penalty_text=(
            "责令立即改正，恢复原状，可处1万元以上10万元以下罚款；情节严重的，可处10万元以上20万元以下罚款"
        ),
        fine_min=_d(10000),
        fine_max=_d(200000),
        fine_unit_note="",
        enforcer_note="条文规定由区房屋行政管理部门处罚；实践中街镇执法队经结构鉴定、听证后作出决定。",
        enforcer="bureau",
        assisting=("housing",),
        assisting_note="房屋结构安全鉴定机构、房管部门、物业服务企业。",
        verified=True,
        sort_order=40,
    ),
    ViolationTypeFact(
        code="illegal_construction",
        name="违法搭建",
        description="在住宅小区内违法搭建建筑物、构筑物。",
        prohibitions=(("WYGL", "56(2)(2)"), ("CWJ", "16")),
        penalty=("WYGL", "84"),
        penalty_text="责令限期拆除（依照拆除违法建筑若干规定），可处1万元以上10万元以下罚款",
        fine_min=_d(10000),
        fine_max=_d(100000),
        fine_unit_note="",
        enforcer_note="城管执法部门或规划资源部门根据职责分工（拆违规定第三条；执法条例第十一条第八项）。",
        enforcer="bureau",
        assisting=("planning",),
        assisting_note=(
            "规划资源部门（许可、图纸）；物业服务企业应当劝阻并报告（拆违规定第四条）；"
            "区政府决定强制拆除（拆违规定第十条）。"
        ),
        verified=True,
        sort_order=50,
        deadline_codes=("illegal_construction_on_site",),
    ),
    ViolationTypeFact(
        code="common_area_occupation",
        name="占用物业共用部分",
        description="擅自改建、占用物业共用部分，损坏或擅自占用、移装共用设施设备。",
        prohibitions=(("WYGL", "56(2)(4)"), ("WYGL", "56(2)(5)")),
        penalty=("WYGL", "85"),
        penalty_text=(
            "责令改正，恢复原状，可处1000元以上1万元以下罚款；情节严重的，可处1万元以上10万元以下罚款"
        ),
        fine_min=_d(1000),
        fine_max=_d(100000),
        fine_unit_note="",
        enforcer_note=(
            "条文规定由区房屋行政管理部门处罚；非机动车条例第四十四条将共用部位停放电动自行车交城管执法"
            "部门按本规定处理，一般性划转未确认。"
        ),
        enforcer="housing",
        assisting=("housing",),
        assisting_note="房管部门、物业服务企业。",
        verified=True,
        sort_order=60,
    ),
    ViolationTypeFact(
        code="household_waste",
        name="违规处置生活垃圾",
        description="未分类投放生活垃圾、乱倒垃圾，管理责任人未设分类容器或未分类驳运。",
        prohibitions=(("SHLJ", "24"), ("SRHW", "28(4)")),
        penalty=("SHLJ", "57/58"),
        penalty_text=(
            "单位拒不改正5000元以上5万元以下；个人拒不改正50元以上200元以下；管理责任人（小区为物业）"
            "未设分类容器或未分类驳运500元以上5000元以下"
        ),
        fine_min=_d(50),
        fine_max=_d(50000),
        fine_unit_note="",
        enforcer_note="城管执法部门（条文明确）。",
        enforcer="bureau",
        assisting=("greening",),
        assisting_note="绿化市容部门组织生活垃圾管理；街镇监督管理责任人（生活垃圾条例第二十五、二十七条）。",
        verified=True,
        sort_order=70,
    ),
    ViolationTypeFact(
        code="construction_waste",
        name="违规处置建筑垃圾",
        description="装修垃圾未在指定地点堆放或未运至指定场所处置。",
        prohibitions=(("SRHW", "30"), ("JZLJ", "")),
        penalty=("SRHW", "43"),
        penalty_text=(
            "装修垃圾未运至指定场所按每吨200元罚款；建筑垃圾规定（2018）产生人未按要求投放100元以上"
            "1000元以下，管理责任人未设堆放场所1000元以上1万元以下（条文序号及2025年修改后数额待核实）"
        ),
        fine_min=_d(100),
        fine_max=_d(10000),
        fine_unit_note="市容条例第四十三条按每吨计",
        enforcer_note="城管执法部门（建筑垃圾规定第四条；市容条例第四十三条）。",
        enforcer="bureau",
        assisting=("greening",),
        assisting_note="绿化市容部门为主管部门；物业服务企业管理装修垃圾堆放点。",
        verified=False,
        sort_order=80,
    ),
    ViolationTypeFact(
        code="greenery_damage",
        name="占绿毁绿",
        description="擅自占用绿地、损坏绿化和绿化设施、擅自迁移或砍伐树木。",
        prohibitions=(("LHTL", "32"), ("LHTL", "33"), ("LHTL", "37")),
        penalty=("LHTL", "44/45/43"),
        penalty_text=(
            "擅自占用绿地每平方米500元以上2000元以下；损坏绿化按补偿标准3至5倍；擅自迁移树木3至5倍、"
            "擅自砍伐5至10倍补偿标准"
        ),
        fine_min=None,
        fine_max=None,
        fine_unit_note="按平方米或绿化补偿标准的倍数计",
        enforcer_note="除绿化建设外的绿化管理处罚由城管执法部门实施（执法条例第十一条第三项）。",
        enforcer="bureau",
        assisting=("greening",),
        assisting_note="绿化市容部门认定损坏情况和补偿标准。",
        verified=True,
        sort_order=90,
    ),
    ViolationTypeFact(
        code="small_ads",
        name="张贴散发小广告",
        description="擅自张贴、悬挂、刻画、涂写宣传品或标语。",
        prohibitions=(("SRHW", "24"),),
        penalty=("SRHW", "24"),
        penalty_text=(
            "责令限期清除；拒不清除的代为清除，并处50元以上500元以下罚款；利用或组织张贴的可处1万元以上"
            "10万元以下罚款"
        ),
        fine_min=_d(50),
        fine_max=_d(100000),
        fine_unit_note="",
        enforcer_note="城管执法部门（条文明确）；散发印刷品广告见执法条例第十一条第六项。",
        enforcer="bureau",
        assisting=(),
        assisting_note="电信运营商（暂停所公布号码）；街镇（公共招贴栏）。",
        verified=True,
        sort_order=100,
    ),
    ViolationTypeFact(
        code="property_negligence",
        name="物业未履职",
        description="物业服务企业对违法行为未劝阻、制止，或未在24小时内报告。",
        prohibitions=(("WYGL", "59"), ("CWJ", "4"), ("FJDC", "29")),
        penalty=("WYGL", "87"),
        penalty_text="责令改正，可处1000元以上1万元以下罚款",
        fine_min=_d(1000),
        fine_max=_d(10000),
        fine_unit_note="",
        enforcer_note="条文规定由区房屋行政管理部门处罚；城管执法部门是否有权处罚未确认。",
        enforcer="housing",
        assisting=("housing",),
        assisting_note="房管部门（行业监管、失信记分）。",
        verified=False,
        sort_order=110,
    ),
    ViolationTypeFact(
        code="ebike_parking",
        name="电动自行车违规停放",
        description="在共用部位、疏散通道、人员密集场所室内、居住建筑室内停放电动自行车，或携车入电梯。",
        prohibitions=(("FJDC", "29(2)"),),
        penalty=("FJDC", "44(2)(3)"),
        penalty_text=(
            "共用部位按住宅物业管理规定处理；居住建筑室内200元以上500元以下；电梯200元以上500元以下；"
            "疏散通道和人员密集场所由消防救援机构处罚"
        ),
        fine_min=_d(200),
        fine_max=_d(10000),
        fine_unit_note="",
        enforcer_note="共用部位、居住建筑室内、电梯由城管执法部门处罚；疏散通道和人员密集场所由消防救援机构处罚。",
        enforcer="bureau",
        assisting=("fire",),
        assisting_note="消防救援机构、物业服务企业。",
        verified=True,
        sort_order=120,
    ),
    ViolationTypeFact(
        code="ebike_charging",
        name="违规充电",
        description="私拉电线和插座为电动自行车充电，或在禁止区域充电。",
        prohibitions=(("FJDC", "29(1)"), ("FJDC", "29(2)")),
        penalty=("FJDC", "44(1)"),
        penalty_text="责令改正，可处50元以上200元以下罚款",
        fine_min=_d(50),
        fine_max=_d(200),
        fine_unit_note="",
        enforcer_note="城管执法部门。",
        enforcer="bureau",
        assisting=("fire",),
        assisting_note="消防救援机构、物业服务企业。",
        verified=True,
        sort_order=130,
    ),
)

CATALOG_START = dt.date(
    2018, 5, 24
)  # the enforcement regulation version the referral duties follow

REFERRAL_TARGETS: tuple[ReferralTargetFact, ...] = (
    ReferralTargetFact(
        "housing", "housing", "物业服务质量、物业费、业委会、维修资金、房屋渗漏", CATALOG_START
    ),
    ReferralTargetFact("police", "police", "邻里噪声和纠纷、阻碍执法人员执行职务", CATALOG_START),
    ReferralTargetFact("fire", "fire", "堵塞消防车通道和疏散通道、消防设施", CATALOG_START),
    ReferralTargetFact("sports", "sports", "饲养信鸽", CATALOG_START),
    ReferralTargetFact("greening", "greening", "树木修剪和病虫害（不含毁绿）", CATALOG_START),
    ReferralTargetFact("planning", "planning", "规划许可、图纸、不动产登记查询", CATALOG_START),
    ReferralTargetFact("justice", "justice", "街镇司法所法制审核业务指导", CATALOG_START),
    ReferralTargetFact("market", "market", "商铺经营、电梯（特种设备）检验、价格", CATALOG_START),
    ReferralTargetFact("environment", "environment", "餐饮油烟、夜间施工噪声", CATALOG_START),
)

ZFTL_TITLE = "上海市城市管理行政执法条例（2018）"
XZCF_TITLE = "中华人民共和国行政处罚法（2021）"
ZFTL_DATE = dt.date(2018, 5, 24)
XZCF_DATE = dt.date(2021, 1, 22)

ART85_NOTE = (
    "行政处罚法第八十五条：本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。"
    "故本期限按工作日计算。"
)

DEADLINE_RULES: tuple[DeadlineRuleFact, ...] = (
    DeadlineRuleFact(
        "report_reply",
        "核查举报并将核查情况告知举报人",
        5,
        "working_days",
        ZFTL_TITLE,
        "26",
        True,
        ZFTL_DATE,
        provision=("ZFTL", "26"),
    ),
    DeadlineRuleFact(
        "transfer_not_ours",
        "不属于本单位职责范围的举报移送有关部门",
        3,
        "working_days",
        ZFTL_TITLE,
        "26",
        True,
        ZFTL_DATE,
        provision=("ZFTL", "26"),
    ),
    DeadlineRuleFact(
        "assistance_reply",
        "有关部门收到协助通知书后出具书面意见",
        10,
        "calendar_days",
        ZFTL_TITLE,
        "29",
        True,
        ZFTL_DATE,
        provision=("ZFTL", "29"),
    ),
    DeadlineRuleFact(
        "clue_verification",
        "核查线索并决定是否立案；经批准可延长一次",
        15,
        "working_days",
        "住房和城乡建设行政处罚程序规定（2022）",
        "",
        False,
        dt.date(2022, 3, 10),
        extension=10,
        extension_note="经批准可延长10个工作日；国家规章条文未见原文，武汉市实施规定第四条有相同规定。",
    ),
    DeadlineRuleFact(
        "illegal_construction_on_site",
        "发现或接到违法搭建举报后到现场调查取证",
        24,
        "hours",
        "上海市拆除违法建筑若干规定",
        "7",
        True,
        dt.date(2018, 5, 24),
        provision=("CWJ", "7"),
        limit_if_ongoing=2,
    ),
    DeadlineRuleFact(
        "decision_after_filing",
        "立案后作出行政处罚决定；法律另有规定的从其规定，延期须经批准",
        90,
        "calendar_days",
        XZCF_TITLE,
        "60",
        True,
        XZCF_DATE,
        provision=("XZCF", "60"),
    ),
    DeadlineRuleFact(
        "hearing_request",
        "当事人在告知后提出听证要求",
        5,
        "working_days",
        XZCF_TITLE,
        "64",
        True,
        XZCF_DATE,
        provision=("XZCF", "64"),
        note=ART85_NOTE,
    ),
    DeadlineRuleFact(
        "hearing_notice",
        "举行听证前通知当事人听证的时间、地点",
        7,
        "working_days",
        XZCF_TITLE,
        "64",
        True,
        XZCF_DATE,
        provision=("XZCF", "64"),
        note=ART85_NOTE,
    ),
    DeadlineRuleFact(
        "decision_service",
        "当事人不在场时送达行政处罚决定书",
        7,
        "working_days",
        XZCF_TITLE,
        "61",
        True,
        XZCF_DATE,
        provision=("XZCF", "61"),
        note=ART85_NOTE,
    ),
    DeadlineRuleFact(
        "evidence_preservation",
        "对先行登记保存的证据作出处理决定",
        7,
        "working_days",
        XZCF_TITLE,
        "56",
        True,
        XZCF_DATE,
        provision=("XZCF", "56"),
        note=ART85_NOTE,
    ),
    DeadlineRuleFact(
        "fine_payment",
        "收到处罚决定书后缴纳罚款；逾期每日加处3%，不超过罚款数额（第七十二条）",
        15,
        "calendar_days",
        XZCF_TITLE,
        "67",
        True,
        XZCF_DATE,
        provision=("XZCF", "67"),
    ),
    DeadlineRuleFact(
        "limitation",
        "违法行为二年内未被发现的不再处罚（危害生命健康、金融安全的为五年）",
        2,
        "years",
        XZCF_TITLE,
        "36",
        True,
        XZCF_DATE,
        provision=("XZCF", "36"),
    ),
    DeadlineRuleFact(
        "hotline_general",
        "12345一般求助、投诉工单办理",
        5,
        "working_days",
        "上海市某街道12345工单办理规则（引用沪府办〔2018〕62号）",
        "",
        False,
        dt.date(2018, 1, 1),
        extension_note="复杂事项经批准可延长至15个工作日",
        note="生效日期按文件年份记录，待核实。",
    ),
    DeadlineRuleFact(
        "reinspection",
        "责令改正期限届满后复查",
        3,
        "working_days",
        "区城管执法局办案规范（本平台初始设定）",
        "",
        False,
        dt.date(2018, 5, 24),
        note=(
            "责令改正期限届满后应及时复查，法规未规定具体期限；此处为初始设定，"
            "须由法制科核实或修改。"
        ),
    ),
    DeadlineRuleFact(
        "referral_feedback",
        "职能部门收到移交后办理并反馈结果",
        15,
        "working_days",
        "区城管执法局与职能部门协作机制（本平台初始设定）",
        "",
        False,
        dt.date(2018, 5, 24),
        note=(
            "法规只规定城管执法部门3个工作日内移送（执法条例第二十六条），未规定接收部门的反馈期限；"
            "此处为协作机制的初始设定，须由法制科按本区会商决定核实或修改。"
        ),
    ),
)

THRESHOLDS: tuple[ThresholdFact, ...] = (
    ThresholdFact(
        "simplified_procedure",
        "可当场作出处罚决定（简易程序）的警告或罚款上限",
        _d(200),
        _d(3000),
        XZCF_TITLE,
        "51",
        True,
        XZCF_DATE,
    ),
    ThresholdFact(
        "legal_review",
        "须经法制审核的重大执法决定：罚款达到以下数额",
        _d(5000),
        _d(50000),
        "上海市某街道重大执法决定目录（2023）",
        "",
        False,
        dt.date(2023, 1, 1),
        note="依据某街道2023年重大执法决定目录，各区标准可能不同，待核实；生效日期按文件年份记录。",
    ),
    ThresholdFact(
        "hearing",
        "当事人有权要求听证的较大数额罚款：罚款达到以下数额",
        _d(5000),
        _d(50000),
        "中华人民共和国行政处罚法（2021）第六十三条；较大数额按上海市行政处罚听证程序规定",
        "63",
        False,
        XZCF_DATE,
        note="第六十三条规定较大数额罚款等应告知听证权利；本市“较大数额”的标准未取得原文，待法制科核实。",
    ),
    ThresholdFact(
        "advance_notice",
        "作出处罚决定前须告知事实、理由、依据及陈述、申辩、听证权利；不得因陈述申辩加重处罚（无数额）",
        None,
        None,
        XZCF_TITLE,
        "44, 45, 62",
        True,
        XZCF_DATE,
        note="程序规则，不设数额：所有处罚决定均须事先告知。",
    ),
)

CATALOG = Catalog(
    statutes=STATUTES,
    provisions=PROVISIONS,
    violation_types=VIOLATION_TYPES,
    referral_targets=REFERRAL_TARGETS,
    deadline_rules=DEADLINE_RULES,
    thresholds=THRESHOLDS,
)
