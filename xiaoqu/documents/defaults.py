"""The default templates, written with python-docx: the layout of Chinese official documents
(A4, margins of GB/T 9704, the bureau's name and the title centred, the number line, the
addressee, body text in 仿宋 三号 with a two-character first-line indent on a fixed 28-point
line, the bureau's name, seal and date at the right, a receipt line, the provisions cited with
their text, page numbers “— 1 —”). Jinja tags of docxtpl stand where the record's data goes;
each tag is written in a single run so that Word's run splitting never breaks it.

Nothing is downloaded and no font file is needed: the styles name the fonts (仿宋, 宋体, 黑体
as East-Asian fonts) and the reader's word processor uses them or its substitute."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .choices import DocumentKind

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(14)  # 四号
SMALL_SIZE = Pt(12)  # 小四
LINE = Pt(28)
INDENT = Pt(32)  # two characters of 三号


def _fonts(rpr_owner: object, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the Latin and East-Asian fonts on a style or run (w:rFonts), without theme fonts."""
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


class Builder:
    """A document being written: one method per kind of paragraph of an official document."""

    def __init__(self) -> None:
        self.doc: DocxDocument = new_document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.footer_distance = Cm(2.5)
        normal = self.doc.styles["Normal"]
        normal.font.size = BODY_SIZE
        _fonts(normal.element, BODY_FONT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False
        for name in ("Table Grid",):
            style = self.doc.styles[name]
            _fonts(style.element, BODY_FONT)
        self._page_numbers()

    def _page_numbers(self) -> None:
        """Footer “— 1 —” in 宋体 四号, centred (a PAGE field)."""
        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, "— ", TITLE_FONT, TABLE_SIZE)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        p._p.append(field)
        self._run(p, " —", TITLE_FONT, TABLE_SIZE)

    @staticmethod
    def _run(
        p: Paragraph, text: str, font: str = BODY_FONT, size: Pt | None = None, bold: bool = False
    ) -> None:
        run = p.add_run(text)
        _fonts(run._r, font)
        if size is not None:
            run.font.size = size
        run.bold = bold or None

    def _paragraph(
        self,
        text: str,
        *,
        align: int | None = None,
        indent: bool = True,
        font: str = BODY_FONT,
        size: Pt | None = None,
        bold: bool = False,
        before: Pt | None = None,
        after: Pt | None = None,
        right_indent: Pt | None = None,
        line: Pt | None = None,
        container: DocxDocument | _Cell | None = None,
    ) -> Paragraph:
        target = container if container is not None else self.doc
        p = target.add_paragraph()
        fmt = p.paragraph_format
        if align is not None:
            p.alignment = align
        if indent:
            fmt.first_line_indent = INDENT if size is None else Pt(size.pt * 2)
        if before is not None:
            fmt.space_before = before
        if after is not None:
            fmt.space_after = after
        if right_indent is not None:
            fmt.right_indent = right_indent
        if line is not None:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = line
        if text:
            self._run(p, text, font, size, bold)
        return p

    # -- the parts of an official document -------------------------------------------------

    def head(self) -> None:
        """The bureau's name and the document's title, centred; the number at the right."""
        self._paragraph(
            "{{ bureau.name }}",
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
            font=TITLE_FONT,
            size=TITLE_SIZE,
            bold=True,
            line=Pt(36),
        )
        self._paragraph(
            "{{ title }}",
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
            font=TITLE_FONT,
            size=TITLE_SIZE,
            bold=True,
            line=Pt(36),
            after=Pt(8),
        )
        self._paragraph("{{ number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, after=Pt(16))

    def addressee(self, text: str) -> None:
        self._paragraph(text, indent=False)

    def body(self, text: str) -> None:
        self._paragraph(text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    def line(self, text: str) -> None:
        """A line without indent (party particulars)."""
        self._paragraph(text, indent=False)

    def tag(self, text: str, container: DocxDocument | _Cell | None = None) -> None:
        """A paragraph holding only a docxtpl paragraph tag ({%p if … %}); removed on rendering."""
        self._paragraph(text, indent=False, container=container)

    def heading(self, text: str) -> None:
        self._paragraph(text, indent=False, font=HEADING_FONT, before=Pt(14))

    def signature(self, *, seal: bool = True) -> None:
        """The bureau's name, the seal and the date at the right (date four characters in)."""
        self._paragraph("", indent=False)
        self._paragraph(
            "{{ bureau.name }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, before=Pt(14)
        )
        if seal:
            self._paragraph(
                "（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_indent=Pt(64)
            )
        self._paragraph(
            "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_indent=Pt(32)
        )

    def receipt(self, who: str = "当事人签收") -> None:
        self._paragraph(
            f"{who}：                    签收日期：    年    月    日",
            indent=False,
            size=TABLE_SIZE,
            before=Pt(20),
        )

    def contact(self) -> None:
        self.body(
            "联系人：{{ contact.name }}{% if contact.phone %}    联系电话：{{ contact.phone }}{% endif %}"
        )
        self.tag("{%p if contact.address %}")
        self.body("联系地址：{{ contact.address }}")
        self.tag("{%p endif %}")

    def provisions_appendix(self) -> None:
        """附：相关法律条款, each provision cited with its text."""
        self.heading("附：相关法律条款")
        self.tag("{%p for p in provisions %}")
        self._paragraph(
            "{{ p.citation }}：{{ p.text }}",
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            size=TABLE_SIZE,
            line=Pt(24),
        )
        self.tag("{%p endfor %}")

    def note(self, text: str) -> None:
        self._paragraph(text, indent=False, size=SMALL_SIZE, line=Pt(20), before=Pt(6))

    # -- forms (审批表, 结案报告) -------------------------------------------------------------

    def form(self, rows: list[tuple[str, str | list[str]]]) -> Table:
        """A two-column bordered form: label | value (a value may be several paragraphs). A row
        whose label is a docxtpl row tag ({%tr if … %}) holds only that tag."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = (Cm(4.0), Cm(11.6))
        for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            column.w = width
        for label, value in rows:
            row = table.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row on one page
            cells = row.cells
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width
            if label.startswith("{%tr"):
                self._cell(cells[0], [label])
                continue
            self._cell(cells[0], [label], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            self._cell(cells[1], [value] if isinstance(value, str) else value)
        return table

    def _cell(
        self, cell: _Cell, lines: list[str], *, bold: bool = False, align: int | None = None
    ) -> None:
        first = True
        for text in lines:
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            fmt = p.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(24)
            fmt.first_line_indent = Pt(0)
            if align is not None:
                p.alignment = align
            if text:
                self._run(p, text, BODY_FONT, TABLE_SIZE, bold)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


SIGNATURE_BLOCK = [
    "",
    "",
    "签名：                    年    月    日",
]


# ---------------------------------------------------------------------------------------------
# The eight documents


def filing_approval() -> bytes:
    b = Builder()
    b.head()
    b.form(
        [
            ("案件编号", "{{ case.number }}"),
            ("案由", "{{ case.cause }}"),
            ("案件来源", "{{ case.source }}"),
            ("当事人", "{{ party.name }}（{{ party.kind }}）"),
            ("{{ party.id_label }}", "{{ party.id }}"),
            ("{%tr if party.is_organisation %}", ""),
            ("法定代表人（负责人）", "{{ party.representative }}"),
            ("{%tr endif %}", ""),
            ("地址", "{{ party.address }}"),
            ("联系电话", "{{ party.phone }}"),
            ("违法地点", "{{ case.place }}（{{ case.subdistrict }}）"),
            ("案情摘要", "{{ case.facts }}"),
            ("涉嫌违反的规定", "{{ violated_text }}"),
            ("处罚依据", "{{ basis_text }}"),
            (
                "承办人意见",
                [
                    "经初步调查，当事人涉嫌违法，属于本局管辖，符合立案条件，建议立案调查。",
                    "承办人：{{ case.officer }}          {{ case.filed_date }}",
                ],
            ),
            ("承办机构负责人意见", SIGNATURE_BLOCK),
            ("机关负责人审批意见", SIGNATURE_BLOCK),
        ]
    )
    b.note(
        "立案日期：{{ case.filed_date }}。依照《中华人民共和国行政处罚法》第六十条，"
        "本案应当自立案之日起九十日内（{{ case.decision_due }}前）作出处理决定。"
    )
    return b.save()


def rectification_notice() -> bytes:
    b = Builder()
    b.head()
    b.addressee("{{ party.name }}：")
    b.body(
        "经查，{{ party.you }}于{{ order.date }}在{{ order.place }}存在下列违法行为：{{ order.findings }}"
    )
    b.body(
        "上述行为违反了{{ violated_text }}的规定。根据{{ basis_text }}的规定，"
        "现责令{{ party.you }}于{{ order.rectify_by }}前改正上述违法行为，消除影响，恢复原状。"
    )
    b.body(
        "逾期不改正的，本局将依法立案查处。改正期限届满后，本局将进行复查。"
        "{{ party.you }}如有异议，可以在收到本通知书之日起三日内向本局提出。"
    )
    b.contact()
    b.signature()
    b.receipt()
    b.provisions_appendix()
    return b.save()


def penalty_notice() -> bytes:
    b = Builder()
    b.head()
    b.addressee("{{ party.name }}：")
    b.body("经查，{{ case.facts }}")
    b.body(
        "{{ party.you }}的上述行为违反了{{ violated_text }}的规定。依据{{ basis_text }}的规定，"
        "本局拟对{{ party.you }}作出如下行政处罚：{{ notice.penalty_text }}。"
    )
    b.body(
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{{ party.you }}享有陈述、申辩的权利。"
        "如有陈述、申辩意见，请于收到本告知书之日起五日内（即{{ notice.statement_until }}前）向本局提出；"
        "本局将充分听取{{ party.you }}的意见，对{{ party.you }}提出的事实、理由和证据进行复核，"
        "理由成立的予以采纳，不因{{ party.you }}的陈述、申辩而加重处罚。逾期未提出的，视为放弃上述权利。"
    )
    b.tag("{%p if notice.hearing_right %}")
    b.body(
        "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{{ party.you }}有权要求举行听证。"
        "如要求听证，请于收到本告知书之日起五日内向本局提出；逾期未提出的，视为放弃听证权利。"
    )
    b.tag("{%p endif %}")
    b.contact()
    b.signature()
    b.receipt()
    b.provisions_appendix()
    return b.save()


def hearing_notice() -> bytes:
    b = Builder()
    b.head()
    b.addressee("{{ party.name }}：")
    b.body(
        "{{ party.you }}于{{ hearing.requested_date }}提出的听证要求，本局已收悉。"
        "根据《中华人民共和国行政处罚法》第六十四条的规定，本局决定于{{ hearing.datetime }}"
        "在{{ hearing.place }}就{{ case.cause }}"
        "{% if notice.number %}（行政处罚告知书文号：{{ notice.number }}）{% endif %}举行听证。"
        "现将有关事项通知如下："
    )
    b.body("一、除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行。")
    b.body(
        "二、{{ party.you }}可以亲自参加听证，也可以委托一至二人代理。"
        "委托代理人参加听证的，应当向本局提交授权委托书。"
    )
    b.body(
        "三、听证由本局指定的非本案调查人员主持。{{ party.you }}认为主持人与本案有直接利害关系的，"
        "有权申请回避，并应当在听证举行前提出。"
    )
    b.body(
        "四、请携带身份证明和与本案有关的证据材料按时出席。无正当理由拒不出席听证或者未经许可中途退出听证的，"
        "视为放弃听证权利，本局终止听证。"
    )
    b.contact()
    b.signature()
    b.receipt()
    return b.save()


def penalty_decision() -> bytes:
    b = Builder()
    b.head()
    b.line("当事人：{{ party.name }}")
    b.tag("{%p if party.is_organisation %}")
    b.line("统一社会信用代码：{{ party.id }}")
    b.line("法定代表人（负责人）：{{ party.representative }}")
    b.tag("{%p elif party.id %}")
    b.line("身份证号码：{{ party.id }}")
    b.tag("{%p endif %}")
    b.line("地址：{{ party.address }}")
    b.body("经查，{{ case.facts }}")
    b.tag("{%p if evidence %}")
    b.body("以上事实有{{ evidence_text }}等证据证实。")
    b.tag("{%p endif %}")
    b.tag("{%p if notice.issued %}")
    b.body(
        "本局于{{ notice.served_date }}向{{ party.you }}送达了行政处罚告知书"
        "{% if notice.number %}（{{ notice.number }}）{% endif %}，"
        "告知了拟作出行政处罚的事实、理由、依据及{{ party.you }}依法享有的陈述、申辩"
        "{% if notice.hearing_right %}和要求听证{% endif %}的权利。{{ notice.response }}"
    )
    b.tag("{%p endif %}")
    b.body(
        "本局认为，{{ party.you }}的上述行为违反了{{ violated_text }}的规定，事实清楚，证据确凿。"
        "{{ decision.text }}"
    )
    b.tag("{%p if decision.out_of_range_reason %}")
    b.body("本案处罚裁量理由：{{ decision.out_of_range_reason }}")
    b.tag("{%p endif %}")
    b.body(
        "依据{{ basis_text }}的规定，本局决定对{{ party.you }}作出如下行政处罚："
        "{{ decision.penalty_text }}。"
    )
    b.tag("{%p if decision.has_fine %}")
    b.body(
        "{{ party.you }}应当自收到本决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款"
        "（《中华人民共和国行政处罚法》第六十七条）。到期不缴纳罚款的，本局可以每日按罚款数额的百分之三加处罚款，"
        "加处罚款的数额不超出罚款的数额（《中华人民共和国行政处罚法》第七十二条）。"
    )
    b.tag("{%p endif %}")
    b.body(
        "{{ party.you }}如不服本决定，可以在收到本决定书之日起六十日内向{{ district.government }}申请行政复议，"
        "或者在六个月内依法向人民法院提起行政诉讼。行政复议或者行政诉讼期间，本决定不停止执行"
        "（《中华人民共和国行政处罚法》第七十三条）。逾期不申请行政复议、不提起行政诉讼又不履行本决定的，"
        "本局将依法申请人民法院强制执行。"
    )
    b.signature()
    b.receipt()
    b.provisions_appendix()
    return b.save()


def referral_letter() -> bytes:
    b = Builder()
    b.head()
    b.addressee("{{ referral.department }}：")
    b.body(
        "{{ lead.received_date }}，本局受理{{ lead.place }}相关线索（编号{{ lead.number }}"
        "{% if lead.source %}，来源：{{ lead.source }}{% endif %}），反映：{{ lead.summary }}"
    )
    b.body(
        "经核查，该事项属于贵单位职责范围。根据《上海市城市管理行政执法条例》第二十六条、第二十八条的规定，"
        "现将下列事项移送贵单位依法处理：{{ referral.matter }}"
    )
    b.body(
        "请贵单位依法处理，并在作出处理决定后及时将处理结果函告本局"
        "{% if referral.due_date %}（请于{{ referral.due_date }}前反馈办理情况）{% endif %}。"
    )
    b.body("附件：线索{{ lead.number }}的有关材料")
    b.contact()
    b.signature()
    b.receipt("接收单位签收")
    return b.save()


def assistance_notice() -> bytes:
    b = Builder()
    b.head()
    b.addressee("{{ assistance.department }}：")
    b.body(
        "本局在查处{{ lead.place }}{{ lead.violation }}问题（线索编号{{ lead.number }}）过程中，"
        "需要贵单位协助{{ assistance.kind }}。具体事项如下：{{ assistance.request }}"
    )
    b.body(
        "根据《中华人民共和国行政处罚法》第二十六条和《上海市城市管理行政执法条例》第二十九条的规定，"
        "请贵单位自收到本通知书之日起十日内"
        "{% if assistance.due_date %}（即{{ assistance.due_date }}前）{% endif %}出具书面意见；"
        "如情况复杂需要延期的，请以书面形式向本局说明理由并明确答复期限。"
    )
    b.contact()
    b.signature()
    b.receipt("接收单位签收")
    return b.save()


def closure_report() -> bytes:
    b = Builder()
    b.head()
    b.form(
        [
            ("案件编号", "{{ case.number }}"),
            ("案由", "{{ case.cause }}"),
            ("当事人", "{{ party.name }}（{{ party.kind }}）"),
            ("{{ party.id_label }}", "{{ party.id }}"),
            ("立案日期", "{{ case.filed_date }}"),
            ("办案程序", "{{ case.procedure }}"),
            ("处罚决定书文号", "{{ decision.number }}"),
            ("处罚决定", "{{ decision.penalty_text }}（{{ decision.date }}作出）"),
            ("决定送达", "{{ decision.served_date }} {{ decision.service_method }}"),
            (
                "执行情况",
                [
                    "{%p for e in executions %}",
                    "{{ e.date }} {{ e.kind }}{% if e.amount %} {{ e.amount }}元{% endif %}"
                    "{% if e.note %}（{{ e.note }}）{% endif %}",
                    "{%p endfor %}",
                    "已缴纳罚款：{{ closure.paid }}元",
                ],
            ),
            ("结案方式", "{{ closure.kind }}"),
            ("结案日期", "{{ closure.date }}"),
            ("结案报告", "{{ closure.report }}"),
            ("承办人", "{{ case.officer }}"),
            ("承办机构负责人意见", SIGNATURE_BLOCK),
            ("机关负责人审批意见", SIGNATURE_BLOCK),
        ]
    )
    return b.save()


BUILDERS: dict[str, Callable[[], bytes]] = {
    DocumentKind.FILING_APPROVAL: filing_approval,
    DocumentKind.RECTIFICATION_NOTICE: rectification_notice,
    DocumentKind.PENALTY_NOTICE: penalty_notice,
    DocumentKind.HEARING_NOTICE: hearing_notice,
    DocumentKind.PENALTY_DECISION: penalty_decision,
    DocumentKind.REFERRAL_LETTER: referral_letter,
    DocumentKind.ASSISTANCE_NOTICE: assistance_notice,
    DocumentKind.CLOSURE_REPORT: closure_report,
}


def default_template(kind: str) -> bytes:
    """The default .docx of `kind`, written now."""
    return BUILDERS[kind]()
