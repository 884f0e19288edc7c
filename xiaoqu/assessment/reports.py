"""Monthly and yearly reports: an Excel workbook of the standard tables and a DOCX summary
with the charts as images (matplotlib, Agg backend, the WenQuanYi Micro Hei font for Chinese
when it is installed; without it the charts still render, with boxes for missing glyphs).

Everything is read from the pre-aggregated figures (`xiaoqu.analytics.figures`) within the
user's own scope, and the assessment table from the live evaluation, restricted as on the
assessment page."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.analytics import figures
from xiaoqu.analytics.figures import Period, Scope

from . import presentation, services
from .choices import UnitKind

CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
MONTHLY = "monthly"
YEARLY = "yearly"


@dataclass
class ReportData:
    kind: str
    period: Period
    title: str
    scope: Scope
    area: str
    complaints: int = 0
    per_10k: Any = None
    per_10k_before: Any = None
    months: list[Any] = field(default_factory=list)  # this year's months (trend window)
    months_before: list[Any] = field(default_factory=list)
    by_subdistrict_month: list[tuple[str, list[int], list[float | None]]] = field(
        default_factory=list
    )
    by_subdistrict: list[Any] = field(default_factory=list)
    by_type: list[Any] = field(default_factory=list)
    top: list[Any] = field(default_factory=list)
    rates: Any = None
    overdue: int = 0
    assessment: list[dict[str, Any]] = field(default_factory=list)


def report_period(kind: str, year: int, month: int | None) -> Period:
    if kind == MONTHLY:
        return Period.month(year, month or 1)
    return Period.year(year)


def _trend(period: Period) -> Period:
    """The 12 months ending with the period's last month."""
    return Period(_months_back(period.end, 12), period.end)


def _months_back(end: dt.date, n: int) -> dt.date:
    index = end.year * 12 + end.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def report_data(
    *, user: Any, kind: str, period: Period, at: dt.datetime | None = None
) -> ReportData:
    scope = figures.scope_for(user)
    district = user.district
    area = district.name
    if scope.subdistrict_id:
        area = str(user.subdistrict)
    elif scope.department_id:
        area = str(user.department)
    if kind == MONTHLY:
        title = _("Monthly report %(month)s, %(area)s") % {
            "month": period.start.strftime("%Y-%m"),
            "area": area,
        }
    else:
        title = _("Yearly report %(year)s, %(area)s") % {"year": period.start.year, "area": area}
    data = ReportData(kind=kind, period=period, title=title, scope=scope, area=area)
    data.complaints = figures.complaints(scope, period)
    data.per_10k = figures.per_10k(scope, period)
    data.per_10k_before = figures.per_10k(scope, period.shifted(-1))
    trend = _trend(period)
    data.months = figures.monthly(scope, trend)
    data.months_before = figures.monthly(scope, trend.shifted(-1))
    area_rows: dict[int, tuple[str, list[int], list[float | None]]] = {}
    for month in trend.months():
        for a in figures.by_subdistrict(scope, Period.month(month.year, month.month)):
            _name, counts, rates = area_rows.setdefault(a.subdistrict_id, (a.name, [], []))
            counts.append(a.complaints)
            rates.append(a.per_10k.value)
    data.by_subdistrict_month = list(area_rows.values())
    data.by_subdistrict = figures.by_subdistrict(scope, period)
    data.by_type = figures.by_violation_type(scope, period)
    data.top = figures.top_estates(scope, period, limit=10)
    data.rates = figures.rates(scope, period)
    data.overdue = figures.overdue_now(scope)
    data.assessment = _assessment(user, period)
    return data


def _assessment(user: Any, period: Period) -> list[dict[str, Any]]:
    from .views import own_units

    scheme = services.scheme_default(district=user.district, year=period.start.year)
    evaluated = services.evaluate(scheme=scheme, period=period)
    units = own_units(user)
    out = []
    for kind in (UnitKind.SUBDISTRICT, UnitKind.DEPARTMENT):
        visible = units[kind.value]
        shown = {
            **evaluated,
            "tables": {
                kind.value: [
                    u
                    for u in evaluated["tables"].get(kind.value, [])
                    if visible is None or u["id"] in visible
                ]
            },
        }
        table = presentation.table(
            shown, kind.value, drill_units=set(), district_id=scheme.district_id
        )
        if table["rows"]:
            table["label"] = str(kind.label)
            out.append(table)
    return out


def _pct(rate: Any) -> float | None:
    value = rate.value
    return None if value is None else round(value * 100, 1)


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


SHEETS = {
    "summary": lambda: _("Summary"),
    "areas": lambda: _("Per 10k by subdistrict"),
    "types": lambda: _("By violation type"),
    "top": lambda: _("Top estates"),
    "rates": lambda: _("Rates"),
    "assessment": lambda: _("Assessment"),
}


def sheet_names() -> list[str]:
    return [str(f())[:31] for f in SHEETS.values()]


def report_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(key: str, header: list[str]) -> Any:
        ws = wb.create_sheet(str(SHEETS[key]())[:31])
        ws.append([data.title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(header)
        for cell in ws[2]:
            cell.font = bold
        return ws

    ws = sheet("summary", [_("Figure"), _("Measured value"), _("Count")])
    ws.append([_("Complaints"), data.complaints, data.complaints])
    ws.append(
        [_("Complaints per 10,000 residents"), _r(data.per_10k.value), data.per_10k.numerator]
    )
    ws.append(
        [
            _("Same months a year earlier"),
            _r(data.per_10k_before.value),
            data.per_10k_before.numerator,
        ]
    )
    ws.append([_("Residents"), data.per_10k.denominator, None])
    ws.append([_("Overdue now"), data.overdue, data.overdue])

    months = [m.month.strftime("%Y-%m") for m in data.months]
    ws = sheet("areas", [_("Subdistrict"), *months])
    for name, _counts, rates in data.by_subdistrict_month:
        ws.append([name, *[_r(r) for r in rates]])
    ws.append([])
    ws.append([_("Complaints"), *months])
    for name, counts, _rates in data.by_subdistrict_month:
        ws.append([name, *counts])
    ws.append([])
    ws.append(
        [_("Subdistrict"), _("Complaints"), _("Residents"), _("Complaints per 10,000 residents")]
    )
    for a in data.by_subdistrict:
        ws.append([a.name, a.complaints, a.residents, _r(a.per_10k.value)])

    ws = sheet("types", [_("Violation type"), _("Complaints")])
    for t in data.by_type:
        ws.append([t.name, t.complaints])

    ws = sheet(
        "top",
        [_("Estate"), _("Complaints"), _("Residents"), _("Per 10k (raw)"), _("Per 10k (shrunk)")],
    )
    for e in data.top:
        ws.append([e.name, e.complaints, e.residents, _r(e.per_10k.value), _r(e.shrunk)])

    ws = sheet("rates", [_("Rate"), _("Value (%)"), _("Numerator"), _("Denominator")])
    for label, rate in _rate_rows(data):
        ws.append([label, _pct(rate), rate.numerator, rate.denominator])

    ws = sheet("assessment", [_("Assessed unit"), _("Rank"), _("Total")])
    for table in data.assessment:
        ws.append([])
        ws.append([table["label"], "", "", *[i["name"] for i in table["indicators"]]])
        for row in table["rows"]:
            ws.append(
                [
                    row["name"],
                    row["rank"],
                    row["total"],
                    *[
                        f"{c['value']} ({c['points'] if c['points'] is not None else '—'})"
                        for c in row["row_cells"]
                    ],
                ]
            )
    for ws in wb.worksheets:
        ws.column_dimensions["A"].width = 28
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rate_rows(data: ReportData) -> list[tuple[str, Any]]:
    r = data.rates
    return [
        (_("On-time rate"), r.on_time),
        (_("Closure rate"), r.closure),
        (_("Rework rate"), r.rework),
        (_("Extension rate"), r.extension),
        (_("Recurrence rate"), r.recurrence),
    ]


# ---------------------------------------------------------------------------------------------
# Charts


def _font() -> Any:
    from matplotlib import font_manager

    if os.path.exists(CJK_FONT):
        try:
            font_manager.fontManager.addfont(CJK_FONT)
            return font_manager.FontProperties(fname=CJK_FONT)
        except (OSError, RuntimeError, ValueError):
            return None
    return None


def _png(fig: Any) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=120, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return out.getvalue()


def charts(data: ReportData) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = _font()
    kw = {"fontproperties": font} if font is not None else {}
    out: dict[str, bytes] = {}

    fig, ax = plt.subplots(figsize=(7, 3))
    labels = [m.month.strftime("%y-%m") for m in data.months]
    ax.plot(labels, [m.per_10k.value or 0 for m in data.months], marker="o", label=_("This period"))
    ax.plot(
        labels,
        [m.per_10k.value or 0 for m in data.months_before],
        marker="o",
        linestyle="--",
        color="#999999",
        label=_("A year earlier"),
    )
    ax.set_title(_("Complaints per 10,000 residents by month"), **kw)
    ax.legend(prop=font) if font is not None else ax.legend()
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.grid(alpha=0.3)
    out["trend"] = _png(fig)

    fig, ax = plt.subplots(figsize=(7, 3.2))
    names = [a.name for a in data.by_subdistrict]
    ax.bar(range(len(names)), [a.per_10k.value or 0 for a in data.by_subdistrict], color="#2f6fb0")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8, **kw)
    ax.set_title(_("Complaints per 10,000 residents by subdistrict"), **kw)
    ax.grid(axis="y", alpha=0.3)
    out["areas"] = _png(fig)

    fig, ax = plt.subplots(figsize=(7, 3.6))
    types = list(reversed(data.by_type[:10]))
    ax.barh(range(len(types)), [t.complaints for t in types], color="#d9822b")
    ax.set_yticks(range(len(types)))
    ax.set_yticklabels([t.name for t in types], fontsize=8, **kw)
    ax.set_title(_("Complaints by violation type"), **kw)
    ax.grid(axis="x", alpha=0.3)
    out["types"] = _png(fig)
    return out


def report_docx(data: ReportData) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.add_heading(data.title, level=1)
    before = data.per_10k_before.value
    now = data.per_10k.value
    change = (
        _("%(change)s %% on the same months a year earlier")
        % {"change": f"{(now - before) * 100 / before:+.1f}"}
        if now is not None and before
        else _("no comparison with a year earlier")
    )
    doc.add_paragraph(
        _(
            "%(start)s to %(end)s: %(complaints)s complaints, %(per10k)s per 10,000 residents "
            "(%(change)s); %(overdue)s items overdue now."
        )
        % {
            "start": data.period.start.isoformat(),
            "end": (data.period.end - dt.timedelta(days=1)).isoformat(),
            "complaints": data.complaints,
            "per10k": f"{now:.2f}" if now is not None else "—",
            "change": change,
            "overdue": data.overdue,
        }
    )
    images = charts(data)
    for key, heading in (
        ("trend", _("Complaints per 10,000 residents by month")),
        ("areas", _("Complaints per 10,000 residents by subdistrict")),
        ("types", _("Complaints by violation type")),
    ):
        doc.add_heading(heading, level=2)
        doc.add_picture(io.BytesIO(images[key]), width=Cm(16))

    doc.add_heading(_("Rates"), level=2)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (_("Rate"), _("Value (%)"), _("Count")), strict=True
    ):
        cell.text = text
    for label, rate in _rate_rows(data):
        pct = _pct(rate)
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = "—" if pct is None else f"{pct:.1f}"
        cells[2].text = f"{rate.numerator:g} / {rate.denominator:g}"

    if data.top:
        doc.add_heading(_("Top estates"), level=2)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, (_("Estate"), _("Complaints"), _("Per 10k (shrunk)")), strict=True
        ):
            cell.text = text
        for e in data.top:
            cells = table.add_row().cells
            cells[0].text = e.name
            cells[1].text = str(e.complaints)
            cells[2].text = "—" if e.shrunk is None else f"{e.shrunk:.1f}"

    for t in data.assessment:
        doc.add_heading(_("Assessment: %(units)s") % {"units": t["label"]}, level=2)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, (_("Rank"), _("Assessed unit"), _("Total")), strict=True
        ):
            cell.text = text
        for row in t["rows"]:
            cells = table.add_row().cells
            cells[0].text = "—" if row["rank"] is None else str(row["rank"])
            cells[1].text = row["name"]
            cells[2].text = "—" if row["total"] is None else f"{row['total']:.2f}"
    doc.add_paragraph(
        _("Generated %(at)s from the platform's figures.")
        % {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
