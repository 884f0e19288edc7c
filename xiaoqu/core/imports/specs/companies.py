"""Import of property companies (物业服务企业), identified by unified social credit code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from xiaoqu.estates.services import CompanyRecord, property_company_bulk_upsert
from xiaoqu.estates.validators import normalize_uscc

from ..choices import ImportKind
from ..engine import ImportSpec, RowReader, TargetField, WriteProgress, WriteSummary
from .lookups import parse_uscc

if TYPE_CHECKING:
    from xiaoqu.accounts.models import User


class CompanyImportSpec(ImportSpec):
    kind = ImportKind.COMPANIES
    key_fields = ("uscc",)
    fields = (
        TargetField(
            "uscc",
            gettext_lazy("Unified social credit code"),
            ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码", "credit code"),
            required=True,
        ),
        TargetField(
            "name",
            gettext_lazy("Company name"),
            (
                "企业名称",
                "公司名称",
                "单位名称",
                "物业公司",
                "物业服务企业",
                "物业公司名称",
                "名称",
                "company",
            ),
            required=True,
        ),
        TargetField(
            "legal_representative",
            gettext_lazy("Legal representative"),
            ("法定代表人", "法人", "法人代表", "legal representative"),
        ),
        TargetField(
            "address", gettext_lazy("Address"), ("地址", "注册地址", "住所", "办公地址", "经营地址")
        ),
        TargetField("contact", gettext_lazy("Contact person"), ("联系人", "contact person")),
        TargetField(
            "phone", gettext_lazy("Phone"), ("电话", "联系电话", "手机", "联系方式", "telephone")
        ),
    )

    def key_text(self, field_name: str, text: str) -> str:
        return normalize_uscc(text) if field_name == "uscc" else text

    def parse_row(self, row: RowReader) -> CompanyRecord | None:
        uscc = row.parse("uscc", parse_uscc)
        name = row.text("name", max_length=120)
        legal_representative = row.text("legal_representative", max_length=50)
        address = row.text("address", max_length=200)
        contact = row.text("contact", max_length=50)
        phone = row.text("phone", max_length=40)
        if row.errors or uscc is None or name is None:
            return None
        return CompanyRecord(
            uscc=uscc,
            name=name,
            legal_representative=legal_representative,
            address=address,
            contact=contact,
            phone=phone,
        )

    def write(
        self,
        items: Sequence[tuple[int, Any]],
        *,
        actor: User | None = None,
        progress: WriteProgress | None = None,
    ) -> WriteSummary:
        done = property_company_bulk_upsert(records=[record for _row, record in items])
        if progress is not None:
            progress(len(items), len(items))
        return WriteSummary(outcomes=[outcome for _company, outcome in done])
