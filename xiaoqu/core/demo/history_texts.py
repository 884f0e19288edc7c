"""Word material of the generated history (演示数据): what complaints say in the styles that
occur (a 12345 operator's summary, a resident's own words, a property company's report, a
studio's note, a patrol note), what officers find on site, what departments answer, and what
reporters are told. Everything here is fictitious demo text; places are filled in from the
demo estates, people's names and phone numbers are generated."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .names import person_name


@dataclass(frozen=True)
class Place:
    """Where a matter is: an estate, a building, a flat."""

    estate: str
    lane: str  # 梅川路1199弄, or 江宁路123号 for a single block
    building: int
    floor: int
    unit: int
    top_floor: int

    @property
    def room(self) -> str:
        return f"{self.floor}{self.unit:02d}"

    @property
    def is_block(self) -> bool:
        return self.lane.endswith("号")

    @property
    def address(self) -> str:
        """The postal address of the building: 梅川路1199弄3号."""
        return self.lane if self.is_block else f"{self.lane}{self.building}号"

    @property
    def building_text(self) -> str:
        """梅川路1199弄3号楼 (江宁路123号大楼 for a single block)."""
        return f"{self.lane}大楼" if self.is_block else f"{self.lane}{self.building}号楼"

    @property
    def flat(self) -> str:
        """梅川路1199弄3号502室."""
        return f"{self.address}{self.room}室"

    def fill(self, template: str, rng: random.Random) -> str:
        """Fill {b} (building), {r} (flat), {g} (a ground-floor flat), {t} (a top-floor
        flat) and {e} (estate); the estate name sometimes stands before the building
        instead of the lane."""
        if not self.is_block and rng.random() < 0.4:
            building = f"{self.estate}{self.building}号楼"
            prefix = f"{self.estate}{self.building}号"
        else:
            building, prefix = self.building_text, self.address
        return template.format(
            b=building,
            r=f"{prefix}{self.room}室",
            g=f"{prefix}1{self.unit:02d}室",
            t=f"{prefix}{self.top_floor}{self.unit:02d}室",
            e=self.estate,
            n=rng.randint(6, 14),
        )


@dataclass(frozen=True)
class MatterTexts:
    """The words of one kind of matter (a violation type or a matter to refer)."""

    short: str  # 楼道堆物: how the reply names the matter
    problems: tuple[str, ...]  # with {b} {r} {e}
    impacts: tuple[str, ...]
    found: tuple[str, ...] = ()  # the officer's findings when the violation is there
    not_found: tuple[str, ...] = ()
    order: str = ""  # the rectification ordered
    corrected: tuple[str, ...] = ()
    not_corrected: tuple[str, ...] = ()


FOUND_DEFAULT = ("经现场核查，反映情况属实。",)
NOT_FOUND_DEFAULT = ("经现场核查，未发现反映的情况。",)
CORRECTED_DEFAULT = ("复查时已整改到位。",)
NOT_CORRECTED_DEFAULT = ("复查时仍未整改，当事人拒不改正。",)

VIOLATIONS: dict[str, MatterTexts] = {
    "common_area_occupation": MatterTexts(
        short="占用公共部位",
        problems=(
            "{b}楼道内长期堆放纸箱杂物",
            "{b}楼道内堆满旧家具、废品",
            "{r}住户在楼梯间私设铁门，将公共走道圈为己用",
            "{b}底楼公共部位被个人圈占堆放杂物",
            "{b}地下室公共部位被个人占用作仓库",
            "{r}住户在公共走廊安装鞋柜、堆放杂物",
            "{b}屋顶平台被住户圈占，摆放花架和杂物",
        ),
        impacts=("影响消防通道", "存在消防安全隐患", "影响其他居民通行", "物业劝说无效"),
        found=(
            "楼道内确有纸箱、旧家具等堆物，堵塞部分通道。",
            "公共部位被圈占堆放物品属实，当事人在场。",
            "公共走道加装铁门、堆放物品属实。",
        ),
        not_found=(
            "现场楼道通畅，堆物已由物业清理。",
            "现场未发现占用公共部位的情况。",
            "所指铁门为消防改造时统一安装，不属个人圈占。",
        ),
        order="清除堆物，恢复公共部位原状",
        corrected=("复查时堆物已清除，楼道恢复通畅。", "复查时私设铁门已拆除。"),
        not_corrected=("复查时堆物仍在，当事人拒不清除。",),
    ),
    "ebike_parking": MatterTexts(
        short="电动自行车违规停放",
        problems=(
            "{b}楼道内停放多辆电动自行车",
            "{b}门厅和楼梯口常年停放电动自行车，堵塞疏散通道",
            "{r}住户每天把电动自行车推进电梯带回家",
            "{b}地下室疏散通道内停满电动自行车",
        ),
        impacts=("存在火灾隐患", "影响疏散", "物业劝阻无效", "大家都很担心安全"),
        found=(
            "楼道及门厅停放电动自行车{n}辆，占用疏散通道。",
            "确有住户将电动自行车推入电梯上楼。",
        ),
        not_found=("现场未见电动自行车停放在楼道和疏散通道。", "车辆已移至集中停车棚。"),
        order="将电动自行车移至集中停放点，不得停放在楼道和疏散通道",
        corrected=("复查时楼道内电动自行车已全部移走。",),
        not_corrected=("复查时仍有电动自行车停放在楼道内。",),
    ),
    "ebike_charging": MatterTexts(
        short="电动自行车违规充电",
        problems=(
            "{r}住户从窗口私拉电线给楼下电动自行车充电",
            "{b}楼道内有人私拉插座给电瓶充电",
            "{r}住户把电瓶拿回家中过夜充电",
            "{b}门口飞线充电现象严重，电线横跨通道",
        ),
        impacts=("存在严重火灾隐患", "晚上电线垂在路上很危险", "物业劝阻无效"),
        found=("现场确有私拉电线为电动自行车充电。", "楼道内插座正在为电瓶充电。"),
        not_found=("现场未发现飞线充电，充电线已拆除。",),
        order="拆除私拉电线，到小区充电设施充电",
        corrected=("复查时私拉电线已拆除。",),
        not_corrected=("复查时仍在飞线充电。",),
    ),
    "renovation_unregistered": MatterTexts(
        short="装修未登记",
        problems=(
            "{r}正在装修，没有到物业办理装修登记",
            "{r}装修施工未签订装饰装修管理协议，物业无法进场检查",
            "{r}装修没有任何公示，早晚施工噪声扰民",
        ),
        impacts=("担心拆改房屋结构", "影响楼上楼下居民", "物业说管不了"),
        found=("该户正在装修施工，未向物业办理装修登记。",),
        not_found=("该户已于开工前在物业办理装修登记，公示在楼道内。",),
        order="向物业服务企业办理装修登记，签订装饰装修管理协议",
        corrected=("复查时已补办装修登记并签订管理协议。",),
        not_corrected=("复查时仍未办理装修登记，继续施工。",),
    ),
    "illegal_construction": MatterTexts(
        short="违法搭建",
        problems=(
            "{t}住户在屋顶平台搭建彩钢板房",
            "{g}住户在自家花园内搭建阳光房",
            "{r}住户在阳台外侧搭建外扩阳台",
            "{b}旁有人占用公共绿地砌墙搭建小屋",
            "{t}住户在露台上加盖房间",
        ),
        impacts=("影响相邻住户采光和安全", "要求拆除", "物业劝阻无效"),
        found=(
            "现场确有新建彩钢板搭建物，面积约{n}平方米。",
            "花园内新搭建阳光房，未能提供规划许可。",
            "露台加盖房间属实，主体已完工。",
        ),
        not_found=("所指搭建物为房屋原有结构，非新建。", "现场未发现新建搭建物。"),
        order="自行拆除违法搭建物，恢复原状",
        corrected=("复查时搭建物已自行拆除。",),
        not_corrected=("复查时搭建物未拆除。",),
    ),
    "group_rental": MatterTexts(
        short="群租",
        problems=(
            "{r}被二房东分隔成多个隔间出租，住了十几个人",
            "{r}群租，进出人员复杂，卫生间也改成了住人的房间",
            "{r}客厅、厨房被隔成小间出租",
        ),
        impacts=("存在安全隐患", "影响邻里正常生活", "楼道里常有陌生人"),
        found=("该户分隔为{n}间出租，居住人数超过规定。", "客厅、厨房改为居住房间，属群租。"),
        not_found=("该户为一家人居住，未发现分隔出租。", "经核实为合租，人数未超过规定。"),
        order="拆除分隔设施，按规定人数出租",
        corrected=("复查时隔间已拆除，超员租户已搬离。",),
        not_corrected=("复查时隔间仍在，继续群租。",),
    ),
    "household_waste": MatterTexts(
        short="生活垃圾未分类",
        problems=(
            "{b}旁有人长期乱倒生活垃圾",
            "{e}垃圾厢房周边垃圾满溢，物业没有分类驳运",
            "{r}住户把垃圾袋堆在楼道里",
            "{e}有居民深夜把垃圾丢在厢房外，混装严重",
        ),
        impacts=("气味难闻，招来蚊蝇", "影响小区环境"),
        found=("垃圾厢房周边散落混装垃圾，分类驳运不到位。", "楼道内确有垃圾堆放。"),
        not_found=("现场垃圾厢房整洁，分类投放正常。",),
        order="按规定分类投放和驳运生活垃圾",
        corrected=("复查时分类投放和驳运已规范。",),
        not_corrected=("复查时仍混装混运。",),
    ),
    "construction_waste": MatterTexts(
        short="装修垃圾乱堆",
        problems=(
            "{b}门口堆放大量装修垃圾，多日没有清运",
            "{r}装修垃圾直接倒在小区绿化带里",
            "{e}装修垃圾堆放点垃圾外溢，没有及时清运",
        ),
        impacts=("影响通行", "扬尘严重"),
        found=("现场堆放袋装装修垃圾约{n}袋，未运至指定堆放点。",),
        not_found=("装修垃圾已清运完毕。",),
        order="将装修垃圾运至指定堆放点并委托清运",
        corrected=("复查时装修垃圾已清运。",),
        not_corrected=("复查时装修垃圾仍未清运。",),
    ),
    "greenery_damage": MatterTexts(
        short="毁绿占绿",
        problems=(
            "{g}住户砍掉了楼前公共绿地里的树",
            "{b}前公共绿地被毁，改成了菜地",
            "{b}旁绿化带被铺成水泥地停车",
        ),
        impacts=("破坏小区绿化", "要求恢复绿化"),
        found=("公共绿地被改作菜地属实，面积约{n}平方米。", "绿化带被硬化属实。"),
        not_found=("所指树木系物业按计划修剪，不属毁绿。",),
        order="恢复绿地原状",
        corrected=("复查时绿地已恢复。",),
        not_corrected=("复查时绿地未恢复。",),
    ),
    "small_ads": MatterTexts(
        short="小广告",
        problems=(
            "{b}楼道墙面贴满开锁、疏通管道的小广告",
            "{e}大门口和电梯里有人散发、张贴小广告",
            "{b}单元门上被涂写办证电话",
        ),
        impacts=("影响小区环境", "清了又贴"),
        found=("楼道及电梯内张贴小广告{n}处。",),
        not_found=("小广告已由物业清除，现场未见新张贴。",),
        order="清除小广告",
        corrected=("复查时小广告已清除。",),
        not_corrected=("复查时小广告未清除。",),
    ),
    "use_change": MatterTexts(
        short="擅自改变房屋用途",
        problems=(
            "{r}住宅被改成棋牌室对外经营",
            "{r}住宅被改成小作坊加工，机器声音很大",
            "{g}住宅改成美甲店对外营业",
            "{r}住宅被改作民宿按天出租",
        ),
        impacts=("人员进出频繁", "影响居民休息"),
        found=("该户住宅用于经营属实，现场有顾客。",),
        not_found=("该户已停止经营，恢复居住。",),
        order="停止经营活动，恢复住宅用途",
        corrected=("复查时已停止经营，恢复居住用途。",),
        not_corrected=("复查时仍在经营。",),
    ),
    "structure_damage": MatterTexts(
        short="损坏承重结构",
        problems=(
            "{r}装修时拆除承重墙",
            "{r}装修中在承重墙上开门洞",
            "{r}装修擅自拆改阳台承重结构",
        ),
        impacts=("担心房屋安全", "楼下墙面出现裂缝"),
        found=("该户拆除墙体一处，经查为承重墙。", "承重墙上新开门洞属实。"),
        not_found=("所拆墙体为非承重隔墙。",),
        order="停止施工，委托有资质单位出具修复方案并恢复",
        corrected=("复查时已按修复方案恢复，附检测报告。",),
        not_corrected=("复查时未恢复。",),
    ),
    "property_negligence": MatterTexts(
        short="物业未履行劝阻报告义务",
        problems=(
            "{e}物业对楼道堆物、飞线充电长期不劝阻、不报告",
            "{e}物业对违规装修不劝阻也不报告",
            "{e}物业发现违法搭建后没有劝阻制止，也没有报告",
        ),
        impacts=("居民多次反映无果", "要求查处物业"),
        found=("物业服务企业对已知违法行为未劝阻、未报告，无相关记录。",),
        not_found=("物业已有劝阻记录并按时报告。",),
        order="对违法行为及时劝阻、制止并报告",
        corrected=("复查时物业已补齐劝阻、报告记录。",),
        not_corrected=("复查时物业仍未履行劝阻、报告义务。",),
    ),
}


@dataclass(frozen=True)
class ReferralTexts:
    """A matter that is not the bureau's, referred to `target` (a referral target code)."""

    target: str
    alternative: str  # where a returned referral is redirected
    texts: MatterTexts
    answers: tuple[str, ...]
    return_reasons: tuple[str, ...]


REFERRALS: dict[str, ReferralTexts] = {
    "noise": ReferralTexts(
        target="police",
        alternative="environment",
        texts=MatterTexts(
            short="噪声扰民",
            problems=(
                "{r}住户夜间经常大声喧哗、拖动家具",
                "{r}楼上住户深夜播放音乐，邻里多次协商无果",
                "{r}住户凌晨在家中唱歌",
            ),
            impacts=("严重影响休息", "家里有老人孩子"),
        ),
        answers=(
            "已派民警上门了解情况，对当事人进行批评教育，当事人表示今后注意。",
            "社区民警会同居委会上门调解，双方达成谅解。",
        ),
        return_reasons=("经核实系施工噪声，属生态环境部门职责，请转交。",),
    ),
    "property": ReferralTexts(
        target="housing",
        alternative="market",
        texts=MatterTexts(
            short="物业管理问题",
            problems=(
                "{t}屋面渗水，物业推诿不修",
                "{e}物业费上涨没有经过业主大会表决",
                "{e}专项维修资金使用情况不公开",
                "{r}楼上卫生间渗水到楼下，物业不处理",
            ),
            impacts=("多次找物业没有结果", "要求主管部门督促"),
        ),
        answers=(
            "已约谈物业服务企业，督促其于两周内完成维修，并向业主公开处理结果。",
            "经查，物业费调整未履行法定程序，已责令物业服务企业暂停执行并公示。",
            "已督促物业公开专项维修资金使用明细。",
        ),
        return_reasons=("该事项系商品质量纠纷，请转市场监管部门。",),
    ),
    "fire_lane": ReferralTexts(
        target="fire",
        alternative="housing",
        texts=MatterTexts(
            short="消防通道堵塞",
            problems=(
                "{e}消防车通道长期被私家车占用",
                "{b}消火栓没有水，灭火器过期",
            ),
            impacts=("一旦起火后果严重",),
        ),
        answers=(
            "已检查并责令物业服务企业清理消防车通道，设置禁停标志。",
            "已督促物业更换过期灭火器，维修消火栓。",
        ),
        return_reasons=("小区内部车辆停放管理属物业管理事项，请转房管部门。",),
    ),
    "pigeons": ReferralTexts(
        target="sports",
        alternative="housing",
        texts=MatterTexts(
            short="饲养信鸽",
            problems=(
                "{t}住户在屋顶平台养了大量信鸽，鸽粪污染严重",
                "{b}顶楼有人搭鸽棚养鸽",
            ),
            impacts=("影响环境卫生", "晾的衣服都被弄脏"),
        ),
        answers=(
            "已会同信鸽协会上门，当事人同意减少饲养数量并清洁鸽棚。",
            "经查该户为信鸽协会会员，已要求其规范饲养。",
        ),
        return_reasons=("鸽棚属屋顶搭建，请先由城管部门处置搭建问题。",),
    ),
    "tree_pruning": ReferralTexts(
        target="greening",
        alternative="housing",
        texts=MatterTexts(
            short="树木修剪",
            problems=(
                "{b}前树木太高遮挡采光，要求修剪",
                "{e}树木病虫害严重，虫子爬进家里",
            ),
            impacts=("家里白天也要开灯", "要求尽快处理"),
        ),
        answers=(
            "已安排养护单位于近期修剪，并告知居民。",
            "已安排病虫害防治作业。",
        ),
        return_reasons=("小区内树木由物业负责养护，请转房管部门督促物业。",),
    ),
    "fumes": ReferralTexts(
        target="environment",
        alternative="market",
        texts=MatterTexts(
            short="餐饮油烟",
            problems=(
                "{e}旁沿街饭店油烟直排，熏到楼上住户",
                "{e}旁工地夜间施工噪声扰民",
            ),
            impacts=("窗户都不敢开", "晚上无法休息"),
        ),
        answers=(
            "已现场检查，责令该饭店清洗并规范使用油烟净化设施。",
            "已责令施工单位停止夜间施工，依法查处。",
        ),
        return_reasons=("该饭店无证经营，请转市场监管部门。",),
    ),
    "elevator": ReferralTexts(
        target="market",
        alternative="housing",
        texts=MatterTexts(
            short="电梯故障",
            problems=("{b}电梯经常故障停运，还困过人",),
            impacts=("老人上下楼困难", "担心安全"),
        ),
        answers=("已对电梯开展监督检查，责令维保单位整改。",),
        return_reasons=("电梯日常维保属物业管理事项，请转房管部门。",),
    ),
}

# Assistance (协助通知书) asked for during verification: the department and the kind of act.
ASSISTANCE: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    # code: ((department code, assistance kind, request, answer), …)
    "illegal_construction": (
        (
            "planning",
            "planning_permit",
            "请协助核查{a}该处建筑物是否取得建设工程规划许可。",
            "经查询，{a}该处建筑物未取得建设工程规划许可证，系违法建筑。",
        ),
        (
            "planning",
            "registry_lookup",
            "请协助查询{a}的不动产登记信息及原始图纸。",
            "已提供不动产登记信息及竣工图，所涉部分不在原设计范围内。",
        ),
    ),
    "greenery_damage": (
        (
            "greening",
            "greenery_identification",
            "请协助认定{a}前公共绿地的损坏面积和补偿标准。",
            "经现场认定，损坏公共绿地约{n}平方米，补偿标准见附件。",
        ),
    ),
    "group_rental": (
        (
            "police",
            "police_support",
            "请协助核查{a}的实有人口登记情况。",
            "经核查，该户登记居住{n}人，均为租客。",
        ),
        (
            "housing",
            "housing_check",
            "请协助核查{a}的租赁登记备案情况。",
            "经查，该户未办理租赁登记备案。",
        ),
    ),
    "structure_damage": (
        (
            "housing",
            "structural_appraisal",
            "请协助认定{a}拆改墙体是否属于承重结构。",
            "经查阅原始图纸并现场查看，所拆墙体为承重墙。",
        ),
    ),
    "use_change": (
        (
            "planning",
            "registry_lookup",
            "请协助查询{a}的规划用途和不动产登记用途。",
            "经查询，该房屋登记用途为住宅。",
        ),
    ),
}

# Lead-ins of the styles.
HOTLINE_LEAD_INS = ("市民来电反映：", "来电人反映：", "市民来电称：", "诉求人反映：")
HOTLINE_DEMANDS = ("要求处理", "要求有关部门尽快处理", "希望尽快解决", "要求执法部门查处")
HOTLINE_REPEAT = ("市民再次来电反映：", "市民多次来电反映：", "来电人第二次反映：")
RESIDENT_OPENINGS = ("我是{e}的居民，", "我住在{e}，", "本人系{e}业主，")
RESIDENT_FEELINGS = ("已经好几个月了，", "跟物业说了好多次都没用，", "邻居们意见都很大，", "")
RESIDENT_ASKS = ("希望城管尽快来管一管。", "请有关部门尽快处理。", "麻烦派人来看一下。")
PATROL_OPENINGS = ("巡查发现：", "日常巡查中发现", "街面巡查时发现")
STUDIO_TAILS = (
    "居委会、楼组长多次上门劝说未果，请城管介入处理。",
    "经工作室协调未果，提请执法队处理。",
)
PROPERTY_DISSUASION = (
    "已上门劝阻并发放《整改告知书》，当事人拒不整改。",
    "已口头劝阻并书面告知，当事人未予理睬。",
    "已两次上门劝阻，当事人表示不予整改。",
)
UNCLASSIFIED = (
    "市民来电反映：{e}有人违规{what}，具体情况不清楚，要求派人查看。",
    "市民来电反映：{e}{what}问题一直没人管，要求处理。",
)

NOT_AT_HOME = (
    "敲门无人应答，已在门上张贴联系通知，并向物业了解情况。",
    "当事人不在家，已留下联系通知，约定再次上门。",
)
NO_VIOLATION_REASONS = (
    "经现场核查，未发现违法行为。",
    "反映问题已自行整改完毕。",
    "经核查，反映情况与事实不符。",
)
FILING_REASONS = (
    "违法事实清楚，当事人拒不整改，移交立案查处。",
    "情节较重，依法移交立案调查。",
    "经协助部门认定属违法行为，移交立案。",
)
REOPEN_REASONS = (
    "举报人反映问题依旧存在，经复核需重新核查。",
    "回访发现整改不到位，重新办理。",
)
WITHDRAW_REASONS = ("经研究由执法队现场核实后处理。", "收回由本局会同街道处理。")
RESEND_REASONS = ("经核，该事项属贵单位职责范围，请依法办理。",)
EXTENSION_REASONS = (
    "等待协助部门书面意见，需延长核查期限。",
    "当事人多次上门未遇，需进一步调查取证。",
)
EXTENSION_REFUSALS = ("请抓紧办理，不予延期。",)
WITHDRAWN_CLOSING = "经现场核查，已协调物业服务企业处理，不属于违法行为。"


def phone(rng: random.Random) -> str:
    """A generated mobile number (139xxxxxxxx); no real person's."""
    prefix = rng.choice(("139", "138", "137", "136", "135", "158", "159", "186", "189"))
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(8))


def caller_name(rng: random.Random) -> str:
    """How a hotline work order names the caller: 王女士, 李先生."""
    return person_name(rng)[0] + rng.choice(("先生", "女士"))


def _pick(rng: random.Random, options: tuple[str, ...]) -> str:
    return rng.choice(options)


def complaint_text(
    *,
    style: str,
    texts: MatterTexts,
    place: Place,
    rng: random.Random,
    company: str = "",
    studio: str = "",
    repeat: bool = False,
    ongoing: bool = False,
) -> str:
    """A complaint in one of the styles: hotline, resident, property, studio, patrol."""
    problem = place.fill(_pick(rng, texts.problems), rng)
    if ongoing:
        problem += "，目前还在施工"
    impact = _pick(rng, texts.impacts)
    if style == "hotline":
        lead_in = _pick(rng, HOTLINE_REPEAT if repeat else HOTLINE_LEAD_INS)
        return f"{lead_in}{problem}，{impact}，{_pick(rng, HOTLINE_DEMANDS)}。"
    if style == "resident":
        opening = _pick(rng, RESIDENT_OPENINGS).format(e=place.estate)
        again = "之前反映过，到现在还没解决，" if repeat else ""
        return (
            f"{opening}{problem}，{again}{_pick(rng, RESIDENT_FEELINGS)}{_pick(rng, RESIDENT_ASKS)}"
        )
    if style == "property":
        impact = _pick(rng, tuple(i for i in texts.impacts if "物业" not in i) or ("存在安全隐患",))
        return f"{company}报告：{problem}，{impact}。{_pick(rng, PROPERTY_DISSUASION)}现依规报告，请执法部门处理。"
    if style == "studio":
        return f"{studio}反映：{problem}，{impact}。{_pick(rng, STUDIO_TAILS)}"
    return f"{_pick(rng, PATROL_OPENINGS)}{problem}。"


def unclassified_text(*, texts: MatterTexts, place: Place, rng: random.Random) -> str:
    """A 12345 summary too vague to classify."""
    return _pick(rng, UNCLASSIFIED).format(e=place.estate, what=texts.short)


def dissuasion_text(rng: random.Random) -> str:
    return _pick(rng, PROPERTY_DISSUASION)


def findings(texts: MatterTexts, *, found: bool, rng: random.Random) -> str:
    options = (texts.found or FOUND_DEFAULT) if found else (texts.not_found or NOT_FOUND_DEFAULT)
    return _pick(rng, options).format(n=rng.randint(2, 15))


def reinspection_findings(texts: MatterTexts, *, corrected: bool, rng: random.Random) -> str:
    options = (
        (texts.corrected or CORRECTED_DEFAULT)
        if corrected
        else (texts.not_corrected or NOT_CORRECTED_DEFAULT)
    )
    return _pick(rng, options)


def spot(place: Place, rng: random.Random) -> str:
    """Where on site the visit took place."""
    return rng.choice((place.flat, f"{place.building_text}楼道", place.building_text))


def referral_matter(texts: MatterTexts, place: Place, department: str, rng: random.Random) -> str:
    problem = place.fill(_pick(rng, texts.problems), rng)
    return f"{problem}，属{department}职责，依据《上海市城市管理行政执法条例》第二十六条移交处理。"


def reply_text(
    *, state: str, texts: MatterTexts, department: str, rng: random.Random, day: dt.date
) -> str:
    """What the reporter is told, by the state of the matter."""
    when = f"{day.month}月{day.day}日"
    subject = f"您反映的{texts.short}问题"
    bodies = {
        "no_violation": f"{subject}，执法队员已于{when}到现场核查，未发现违法行为。",
        "rectifying": f"{subject}经现场核查属实，已责令当事人限期整改，到期将复查。",
        "rectified": f"{subject}经核查属实，已责令整改，复查已整改到位。",
        "referred": f"{subject}不属于城管执法职责，已移交{department}办理。",
        "assistance": f"{subject}已到现场核查，并商请{department}协助认定，认定后依法处理。",
        "to_filing": f"{subject}经核查属实，已依法移交立案查处。",
        "repeat": f"{subject}已在办理中，我们将加快处理进度并及时告知结果。",
        "pending": f"{subject}已受理，将尽快安排核查。",
        "dispatched": f"{subject}已派发至街镇执法队，将尽快到现场核查。",
    }
    closing = rng.choice(("感谢您的监督。", "感谢您对城管执法工作的支持。", ""))
    return f"您好，{bodies[state]}{closing}"
