"""The organisations of a district's work on residential estates: the enforcement bureau and
its sections, the functional departments matters are referred to, and each subdistrict's
enforcement team and office. Duties follow the design's role table and the referral targets
of the violation catalog."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from xiaoqu.regions.choices import SubdistrictKind
from xiaoqu.regions.models import District, Subdistrict
from xiaoqu.regions.seed import SUBDISTRICT_FACTS
from xiaoqu.regions.services import Outcome, SeedTally, create_or_complete

from .choices import DepartmentKind
from .models import Department


@dataclass(frozen=True)
class DepartmentFact:
    code: str
    name: str
    short_name: str
    kind: str
    duties: str
    referral_matters: str = ""


BUREAU = "bureau"
BUREAU_LEGAL = "bureau-legal"
BUREAU_COMMAND = "bureau-command"

DISTRICT_DEPARTMENTS: tuple[DepartmentFact, ...] = (
    DepartmentFact(
        BUREAU,
        "普陀区城市管理行政执法局",
        "区城管执法局",
        DepartmentKind.BUREAU,
        "统筹全区住宅小区违法行为综合治理；依法查处城市管理领域违法行为；"
        "指挥调度、督办期限、组织会商和研讨会诊；对街镇和职能部门开展年度考核。",
    ),
    DepartmentFact(
        BUREAU_LEGAL,
        "普陀区城市管理行政执法局法制科",
        "法制科",
        DepartmentKind.BUREAU_SECTION,
        "维护法律法规目录、违法行为类型、处罚幅度和办案时限规则；"
        "重大执法决定法制审核；行政复议和行政诉讼应诉；典型案例审定。",
    ),
    DepartmentFact(
        BUREAU_COMMAND,
        "普陀区城市管理行政执法局指挥中心",
        "指挥中心",
        DepartmentKind.BUREAU_SECTION,
        "受理12345工单和各渠道诉件，分拨派单；督办办理期限，催办超期事项；"
        "组织会商，跟踪决定事项落实；汇总分析数据，支撑考核。",
    ),
    DepartmentFact(
        "housing",
        "普陀区住房保障和房屋管理局",
        "区房管局",
        DepartmentKind.FUNCTIONAL,
        "物业服务企业和项目经理的行业监管；确认物业服务企业和项目经理失信记分；"
        "指导业主大会和业委会组建、换届；专项维修资金监管；住房租赁监管；"
        "协助认定擅自改变物业使用性质、损坏房屋承重结构等违法行为。",
        "物业服务质量和收费、业委会、专项维修资金、房屋渗漏等物业管理事项。",
    ),
    DepartmentFact(
        "greening",
        "普陀区绿化和市容管理局",
        "区绿化市容局",
        DepartmentKind.FUNCTIONAL,
        "组织生活垃圾分类管理；建筑垃圾（装修垃圾）处置的主管部门；"
        "认定绿化损坏程度和补偿标准，协助查处占绿毁绿。",
        "树木修剪、病虫害防治等绿化养护事项（毁绿除外）。",
    ),
    DepartmentFact(
        "planning",
        "普陀区规划和自然资源局",
        "区规划资源局",
        DepartmentKind.FUNCTIONAL,
        "协助认定违法建筑：核查规划许可、审批图纸，查询不动产登记信息。",
        "规划许可、图纸核查、不动产登记查询。",
    ),
    DepartmentFact(
        "justice",
        "普陀区司法局",
        "区司法局",
        DepartmentKind.FUNCTIONAL,
        "指导街镇司法所开展重大执法决定法制审核；行政执法监督；普法宣传。",
        "街镇司法所法制审核的业务指导。",
    ),
    DepartmentFact(
        "fire",
        "普陀区消防救援支队",
        "区消防救援支队",
        DepartmentKind.FUNCTIONAL,
        "查处占用、堵塞消防车通道和疏散通道，查处在疏散通道和人员密集场所停放电动自行车；"
        "检查消防设施；协助整治电动自行车违规停放充电。",
        "消防车通道和疏散通道堵塞、消防设施损坏。",
    ),
    DepartmentFact(
        "sports",
        "普陀区体育局",
        "区体育局",
        DepartmentKind.FUNCTIONAL,
        "信鸽协会和信鸽饲养的管理。",
        "饲养信鸽。",
    ),
    DepartmentFact(
        "police",
        "上海市公安局普陀分局",
        "公安普陀分局",
        DepartmentKind.FUNCTIONAL,
        "实有人口和治安管理，协查群租人员信息；对阻碍执法的行为依法处置，保障执法安全。",
        "邻里噪声和纠纷、阻碍执法人员依法执行职务。",
    ),
    DepartmentFact(
        "market",
        "普陀区市场监督管理局",
        "区市场监管局",
        DepartmentKind.FUNCTIONAL,
        "市场主体登记和经营监管；电梯等特种设备安全监察；价格监督检查。",
        "商铺经营、电梯等特种设备检验、价格。",
    ),
    DepartmentFact(
        "environment",
        "普陀区生态环境局",
        "区生态环境局",
        DepartmentKind.FUNCTIONAL,
        "餐饮油烟、夜间施工噪声等环境污染的监管和查处。",
        "餐饮油烟、夜间施工噪声。",
    ),
)

FUNCTIONAL_CODES: tuple[str, ...] = tuple(
    f.code for f in DISTRICT_DEPARTMENTS if f.kind == DepartmentKind.FUNCTIONAL
)


def team_code(subdistrict: Subdistrict) -> str:
    return f"team-{subdistrict.code}"


def office_code(subdistrict: Subdistrict) -> str:
    return f"office-{subdistrict.code}"


def _short(subdistrict: Subdistrict) -> str:
    fact = SUBDISTRICT_FACTS.get(subdistrict.code)
    return fact.short_name if fact else subdistrict.name


def subdistrict_department_facts(subdistrict: Subdistrict) -> tuple[DepartmentFact, DepartmentFact]:
    """The enforcement team and the office (街道办事处 / 镇人民政府) of a subdistrict."""
    short = _short(subdistrict)
    team = DepartmentFact(
        team_code(subdistrict),
        f"{subdistrict.name}城管执法中队",
        f"{short}中队",
        DepartmentKind.ENFORCEMENT_TEAM,
        f"在{subdistrict.name}范围内核查线索、立案查处住宅小区违法行为，"
        "责令改正并复查，参与常态化巡查。",
    )
    if subdistrict.kind == SubdistrictKind.TOWN:
        office_name = f"{subdistrict.name}人民政府"
    else:
        office_name = f"{subdistrict.name}办事处"
    office = DepartmentFact(
        office_code(subdistrict),
        office_name,
        short,
        DepartmentKind.SUBDISTRICT_OFFICE,
        f"{subdistrict.name}住宅小区的日常巡查和常态化管理；指导居委会、业委会和城管社区工作室；"
        "监督生活垃圾分类管理责任人；司法所开展重大执法决定法制审核。",
    )
    return team, office


@transaction.atomic
def department_ensure(
    *,
    district: District,
    code: str,
    name: str,
    kind: str,
    short_name: str = "",
    subdistrict: Subdistrict | None = None,
    duties: str = "",
    referral_matters: str = "",
) -> tuple[Department, Outcome]:
    """The department with this code in the district: created, or completed where its
    fields are empty (an administrator's edits stay)."""
    existing = Department.objects.select_for_update().filter(district=district, code=code).first()
    values = {
        "district": district,
        "code": code,
        "name": name,
        "short_name": short_name,
        "kind": kind,
        "subdistrict": subdistrict,
        "duties": duties,
        "referral_matters": referral_matters,
    }
    return create_or_complete(model=Department, existing=existing, values=values)


def departments_seed(*, district: District) -> SeedTally:
    """The bureau, its sections, the functional departments and, for every subdistrict of the
    district, its enforcement team and office."""
    tally = SeedTally()
    facts: list[tuple[DepartmentFact, Subdistrict | None]] = [
        (f, None) for f in DISTRICT_DEPARTMENTS
    ]
    for subdistrict in Subdistrict.objects.filter(district=district).order_by("code"):
        team, office = subdistrict_department_facts(subdistrict)
        facts += [(team, subdistrict), (office, subdistrict)]
    for fact, subdistrict in facts:
        _, outcome = department_ensure(
            district=district,
            code=fact.code,
            name=fact.name,
            short_name=fact.short_name,
            kind=fact.kind,
            subdistrict=subdistrict,
            duties=fact.duties,
            referral_matters=fact.referral_matters,
        )
        tally.add(outcome)
    return tally
