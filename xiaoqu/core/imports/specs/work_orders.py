"""Import of 12345 hotline work orders (工单) from the hotline's Excel export.

The work order number is the key: a re-import updates the stored order (content, address,
time, reporter) instead of duplicating it. Every new order becomes a complaint of the hotline
channel and is triaged like any other (see xiaoqu.triage.bulk for the bulk write)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoqu.regions.models import District, Subdistrict

from ..choices import ImportKind
from ..engine import ImportSpec, Layout, RowReader, TargetField, WriteProgress, WriteSummary
from ..parsing import FieldError, cell_text
from ..reader import ImportFileError
from ..upsert import Outcome
from .lookups import Lookups, fold

if TYPE_CHECKING:
    from xiaoqu.accounts.models import User

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H",
    "%Y-%m-%d",
    "%Y%m%d%H%M%S",
    "%Y%m%d %H:%M:%S",
    "%Y%m%d",
)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_time(value: Any) -> dt.datetime:
    """A time as the hotline writes it: an Excel date, 2026-03-05 14:30(:00), 2026/3/5 14:30,
    2026年3月5日 14时30分, 20260305143000 … Naive times are local (Asia/Shanghai)."""
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(0, 0))
    elif isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        moment = _EXCEL_EPOCH + dt.timedelta(days=float(value))
        moment = moment.replace(microsecond=0)
    else:
        text = unicodedata.normalize("NFKC", cell_text(value))
        text = re.sub(r"[年月/.]", "-", text)
        text = re.sub(r"[日号]", " ", text)
        text = re.sub(r"[时点:]", ":", text)
        text = text.replace("分", ":").replace("秒", "").replace("T", " ")
        text = re.sub(r"\s+", " ", text).strip(" :")
        for fmt in _TIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if moment is None:
        raise FieldError(
            "invalid_time",
            _("Cannot read the time “%(value)s”: write it as 2026-03-05 14:30.")
            % {"value": cell_text(value)},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise FieldError(
            "future_time",
            _("The time %(value)s is in the future.")
            % {"value": timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")},
        )
    return moment


def work_order_number(text: str) -> str:
    return fold(text).upper()


class WorkOrderImportSpec(ImportSpec):
    kind = ImportKind.WORK_ORDERS
    key_fields = ("external_no",)
    fields = (
        TargetField(
            "external_no",
            gettext_lazy("Work order number"),
            ("工单编号", "工单号", "编号", "工单编码", "工单流水号", "work order"),
            required=True,
        ),
        TargetField(
            "received_at",
            gettext_lazy("Time received"),
            ("受理时间", "来电时间", "登记时间", "派单时间", "创建时间", "时间"),
            required=True,
        ),
        TargetField(
            "content",
            gettext_lazy("Content"),
            ("诉求内容", "反映内容", "工单内容", "问题描述", "内容", "来电内容", "诉求描述"),
            required=True,
        ),
        TargetField(
            "address",
            gettext_lazy("Address"),
            ("诉求地址", "事发地址", "地址", "事发地点", "问题地址", "发生地址"),
        ),
        TargetField(
            "reporter_name", gettext_lazy("Caller"), ("来电人", "联系人", "诉求人", "来电人姓名")
        ),
        TargetField(
            "reporter_phone",
            gettext_lazy("Caller's phone"),
            ("联系电话", "来电号码", "电话", "联系方式", "手机"),
        ),
        TargetField(
            "subdistrict",
            gettext_lazy("Subdistrict"),
            ("所属街镇", "街道", "街镇", "所属街道", "承办街镇"),
        ),
    )
    related_labels = {
        "leads_created": gettext_lazy("Leads raised"),
        "repeats_attached": gettext_lazy("Repeats attached to an open matter"),
        "dispatched": gettext_lazy("Dispatched automatically"),
        "queued": gettext_lazy("Awaiting manual triage"),
        "chronic": gettext_lazy("Matters marked chronic"),
    }

    def prepare(self, layout: Layout) -> None:
        self.lookups = Lookups()
        district = self.lookups.district_by_code(self.default_district_code)
        if district is None:
            raise ImportFileError(
                _("The default district %(code)s does not exist: load the regions first.")
                % {"code": self.default_district_code}
            )
        self.district: District = district
        self._subdistricts: dict[str, Subdistrict | None] = {}

    def key_text(self, field_name: str, text: str) -> str:
        return work_order_number(text) if field_name == "external_no" else text

    def _subdistrict(self, text: str) -> Subdistrict | None:
        """The hotline's 所属街镇 when it is one of the district's; otherwise triage decides."""
        if text not in self._subdistricts:
            try:
                self._subdistricts[text] = self.lookups.subdistrict(text, self.district)
            except FieldError:
                self._subdistricts[text] = None
        return self._subdistricts[text]

    def parse_row(self, row: RowReader) -> Any | None:
        from xiaoqu.triage.bulk import WorkOrder

        number = work_order_number(row.text_of("external_no"))
        if not number:
            row.error("external_no", "required", _("The work order number is missing."))
        elif len(number) > 40:
            row.error(
                "external_no",
                "too_long",
                _("The work order number is too long (at most 40 characters)."),
            )
        received = None
        if not row.has("received_at"):
            row.error("received_at", "required", _("The time received is missing."))
        else:
            received = row.parse("received_at", parse_time)
        content = row.text_of("content")
        if not content:
            row.error("content", "required", _("The content of the work order is empty."))
        if row.errors or received is None:
            return None
        return WorkOrder(
            row=row.number,
            external_no=number,
            received_at=received,
            content=content,
            address=row.text_of("address")[:200],
            reporter_name=row.text_of("reporter_name")[:50],
            reporter_phone=row.text_of("reporter_phone")[:30],
            subdistrict=self._subdistrict(row.text_of("subdistrict"))
            if row.has("subdistrict")
            else None,
        )

    def write(
        self,
        items: Sequence[tuple[int, Any]],
        *,
        actor: User | None = None,
        progress: WriteProgress | None = None,
    ) -> WriteSummary:
        from xiaoqu.triage.bulk import WorkOrderWriter

        writer = WorkOrderWriter(district=self.district, actor=actor, progress=progress)
        outcome = writer.write([record for _row, record in items])
        return WriteSummary(
            outcomes=[Outcome(o) for o in outcome.outcomes], related=dict(outcome.counts)
        )
