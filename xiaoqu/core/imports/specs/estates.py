"""Import of estates (住宅小区): only the name is required; every other column is optional."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import Estate
from xiaoqu.estates.services import EstateRecord, estate_bulk_upsert
from xiaoqu.regions.models import District

from ..choices import ImportKind
from ..engine import ImportSpec, Layout, RowReader, TargetField, WriteProgress, WriteSummary
from ..parsing import (
    FieldError,
    cell_text,
    decimal_parser,
    int_parser,
    parse_bool,
    split_list,
)
from .lookups import Lookups, fold

if TYPE_CHECKING:
    from xiaoqu.accounts.models import User

# Chinese and English names of the risk grades, besides the codes.
RISK_GRADE_WORDS = {
    RiskGrade.UNRATED: ("未分级", "未评级", "未定级", "不分级", "unrated", "not graded"),
    RiskGrade.KEY: ("重点", "重点小区", "key"),
    RiskGrade.GENERAL: ("一般", "一般小区", "general"),
    RiskGrade.GOOD: ("良好", "良好小区", "good"),
}


def parse_risk_grade(value: Any) -> str:
    text = fold(cell_text(value)).lower()
    for grade in RiskGrade:
        words = {grade.value, *RISK_GRADE_WORDS[grade], fold(str(grade.label)).lower()}
        if text in words:
            return grade.value
    raise FieldError(
        "invalid_choice",
        _("Unknown risk grade “%(value)s”; use one of: %(choices)s.")
        % {"value": cell_text(value), "choices": "重点、一般、良好、未分级"},
    )


class DistrictMixin:
    """The district of a row: its district column, else the installation's default."""

    lookups: Lookups
    default_district: District | None
    default_district_code: str

    def load_district(self, layout: Layout) -> None:
        self.lookups = Lookups()
        self.default_district = self.lookups.district_by_code(self.default_district_code)
        if self.default_district is None and "district" not in layout.columns:
            from ..reader import ImportFileError

            raise ImportFileError(
                _(
                    "The default district %(code)s does not exist: load the regions first, or add a "
                    "district column."
                )
                % {"code": self.default_district_code}
            )

    def row_district(self, row: RowReader) -> District | None:
        if row.has("district"):
            return row.parse("district", self.lookups.district)
        if self.default_district is None:
            row.error(
                "district",
                "unknown_district",
                _("Unknown district “%(value)s”.") % {"value": self.default_district_code},
            )
        return self.default_district


class EstateImportSpec(DistrictMixin, ImportSpec):
    kind = ImportKind.ESTATES
    key_fields = ("district", "name")
    fields = (
        TargetField(
            "name",
            gettext_lazy("Estate name"),
            ("小区名称", "名称", "小区", "小区名", "住宅小区", "小区名字", "estate"),
            required=True,
        ),
        TargetField(
            "aliases", gettext_lazy("Aliases"), ("别名", "曾用名", "又名", "其他名称", "alias")
        ),
        TargetField(
            "addresses",
            gettext_lazy("Addresses"),
            ("地址", "门牌", "弄号", "门牌号", "小区地址", "坐落", "坐落地址", "address"),
        ),
        TargetField("district", gettext_lazy("District"), ("区", "所属区", "区县", "所属区县")),
        TargetField(
            "subdistrict",
            gettext_lazy("Subdistrict"),
            ("街道", "街镇", "所属街道", "所属街镇", "街道镇", "镇", "街道办事处"),
        ),
        TargetField(
            "committee",
            gettext_lazy("Neighbourhood committee"),
            (
                "居委会",
                "居委",
                "所属居委会",
                "居委会名称",
                "居民委员会",
                "neighbourhood committee",
                "neighbourhood_committee",
            ),
        ),
        TargetField(
            "households", gettext_lazy("Households"), ("户数", "总户数", "住户数", "居民户数")
        ),
        TargetField(
            "residents",
            gettext_lazy("Residents"),
            ("人口", "常住人口", "居民数", "人数", "居住人口", "population"),
        ),
        TargetField(
            "buildings", gettext_lazy("Buildings"), ("楼栋数", "楼栋", "幢数", "栋数", "楼幢数")
        ),
        TargetField(
            "build_year",
            gettext_lazy("Year built"),
            (
                "建成年份",
                "建成年代",
                "竣工年份",
                "建造年份",
                "建成时间",
                "year built",
                "year_built",
            ),
        ),
        TargetField("latitude", gettext_lazy("Latitude"), ("纬度", "lat")),
        TargetField("longitude", gettext_lazy("Longitude"), ("经度", "lng", "lon")),
        TargetField(
            "is_pilot", gettext_lazy("Pilot estate"), ("试点", "是否试点", "试点小区", "pilot")
        ),
        TargetField(
            "risk_grade",
            gettext_lazy("Risk grade"),
            ("风险等级", "分级", "等级", "分级分类", "检查等级", "risk grade"),
        ),
        TargetField(
            "property_company",
            gettext_lazy("Property company (credit code or name)"),
            (
                "物业公司",
                "物业服务企业",
                "物业企业",
                "物业",
                "物业公司名称",
                "物业服务企业名称",
                "property company",
            ),
        ),
        TargetField(
            "property_company_uscc",
            gettext_lazy("Property company's credit code"),
            (
                "统一社会信用代码",
                "信用代码",
                "社会信用代码",
                "物业公司统一社会信用代码",
                "物业统一社会信用代码",
                "uscc",
            ),
        ),
        TargetField(
            "project_manager",
            gettext_lazy("Project manager"),
            ("项目经理", "物业项目经理", "project manager"),
        ),
        TargetField(
            "project_manager_phone",
            gettext_lazy("Project manager's phone"),
            (
                "项目经理电话",
                "项目经理联系电话",
                "项目经理手机",
                "经理电话",
                "project manager phone",
            ),
        ),
    )
    related_labels = {
        "committees_created": gettext_lazy("Neighbourhood committees created"),
        "managers_created": gettext_lazy("Project managers created"),
        "managers_updated": gettext_lazy("Project managers updated"),
        "addresses_created": gettext_lazy("Addresses added"),
    }

    def prepare(self, layout: Layout) -> None:
        self.load_district(layout)
        self._existing: dict[int, dict[str, tuple[int | None, int | None]]] = {}

    def _stored(self, district: District, name: str) -> tuple[int | None, int | None] | None:
        """(subdistrict id, property company id) of the stored estate, if there is one."""
        if district.pk not in self._existing:
            rows = Estate.objects.filter(district=district).values_list(
                "name", "subdistrict_id", "property_company_id"
            )
            self._existing[district.pk] = {n: (s, c) for n, s, c in rows}
        return self._existing[district.pk].get(name)

    def parse_row(self, row: RowReader) -> EstateRecord | None:
        lookups = self.lookups
        district = self.row_district(row)
        name = row.text("name", max_length=100)
        aliases = row.parse("aliases", lambda v: split_list(v, max_length=100)) or []
        addresses = row.parse("addresses", lambda v: split_list(v, max_length=100)) or []
        subdistrict = None
        if district is not None:
            subdistrict = row.parse("subdistrict", lambda v: lookups.subdistrict(v, district))
        committee = row.text("committee", max_length=80)
        households = row.parse("households", int_parser(0, 100_000))
        residents = row.parse("residents", int_parser(0, 500_000))
        buildings = row.parse("buildings", int_parser(0, 5_000))
        build_year = row.parse("build_year", int_parser(1900, 2100))
        latitude = row.parse("latitude", decimal_parser("-90", "90", 6))
        longitude = row.parse("longitude", decimal_parser("-180", "180", 6))
        is_pilot = row.parse("is_pilot", parse_bool)
        risk_grade = row.parse("risk_grade", parse_risk_grade)
        company = row.parse("property_company", lookups.company)
        company_by_code = row.parse("property_company_uscc", lookups.company_by_uscc)
        if company and company_by_code and company.pk != company_by_code.pk:
            row.error(
                "property_company_uscc",
                "company_mismatch",
                _("The credit code belongs to %(code_company)s, not to %(company)s.")
                % {"code_company": company_by_code.name, "company": company.name},
            )
        company = company_by_code or company
        manager = row.text("project_manager", max_length=50)
        manager_phone = row.text("project_manager_phone", max_length=40)
        if district is None or name is None:
            return None
        stored = self._stored(district, name)
        if committee:
            sd = subdistrict or lookups.subdistrict_by_id(stored[0] if stored else None)
            if sd is None and not row.has("subdistrict"):
                row.error(
                    "committee",
                    "committee_without_subdistrict",
                    _("A neighbourhood committee needs the estate's subdistrict: add it."),
                )
            elif sd is not None:
                committee = lookups.committee_name(sd, committee)
        if manager_phone and not manager:
            row.error(
                "project_manager_phone",
                "manager_phone_without_name",
                _("A project manager's phone needs the project manager's name."),
            )
        if manager:
            owner = company or lookups.company_by_id(stored[1] if stored else None)
            if owner is None and not (
                row.has("property_company") or row.has("property_company_uscc")
            ):
                row.error(
                    "project_manager",
                    "manager_without_company",
                    _("A project manager needs the estate's property company: add it."),
                )
        if row.errors:
            return None
        return EstateRecord(
            district=district,
            name=name,
            subdistrict=subdistrict,
            committee_name=committee or None,
            aliases=tuple(aliases),
            addresses=tuple(addresses),
            households=households,
            residents=residents,
            buildings=buildings,
            build_year=build_year,
            latitude=latitude,
            longitude=longitude,
            is_pilot=is_pilot,
            risk_grade=risk_grade,
            property_company=company,
            project_manager_name=manager or None,
            project_manager_phone=manager_phone or None,
        )

    def write(
        self,
        items: Sequence[tuple[int, Any]],
        *,
        actor: User | None = None,
        progress: WriteProgress | None = None,
    ) -> WriteSummary:
        result = estate_bulk_upsert(records=[record for _row, record in items])
        if progress is not None:
            progress(len(items), len(items))
        return WriteSummary(outcomes=[o for _e, o in result.items], related=result.counts)
