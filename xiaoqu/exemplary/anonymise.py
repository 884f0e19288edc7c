"""Removal of personal data from the text of an exemplary case (脱敏).

Two kinds of personal data are removed:

- the data the platform holds about the case (`personal_data_of`): the party's name, credit
  code, ID number, address and phone; the legal representative; the estate's name, aliases,
  lane addresses, residents' committee, property company and project manager; the reporters of
  the complaints and their phones; the officers and everybody else who acted on the case or
  its lead; the numbers of the case, lead, complaints and documents;
- what looks like personal data wherever it comes from (`PATTERNS`): phone numbers, ID
  numbers, unified social credit codes, document and record numbers, lane and street numbers,
  building, unit and room numbers (3号楼502室, 12幢1单元301, 502室).

What is kept: the district and the subdistrict (街道/镇). The estate is never named: it becomes
"某小区"; a road stays named only without its number ("梅川路某弄"). A person becomes their
surname and 某 (张某), as published judgments do; an officer becomes "执法人员"; a company
"某公司" (or "某物业公司").

`anonymise` returns the cleaned text; `findings` lists what is still there (for the reviewer,
and to refuse approval while anything is left). Both read the same data and patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PERSON = "person"
OFFICER = "officer"
ORGANISATION = "organisation"
ESTATE = "estate"
COMMITTEE = "committee"
STUDIO = "studio"
ADDRESS = "address"
NUMBER = "number"  # phone, ID number, credit code, record and document numbers

COMPOUND_SURNAMES = [
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "令狐",
    "钟离",
    "闾丘",
    "端木",
    "南宫",
    "西门",
    "澹台",
    "公冶",
    "赫连",
    "呼延",
]
# Values that say nothing about anybody.
NOT_PERSONAL = frozenset({"匿名", "市民", "居民", "业主", "群众", "热线", "无", "不详", "未知"})
_FULLWIDTH = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B))}
)
_SEP = r"[\s\-]*"
_CN_NUM = "零〇一二两三四五六七八九十"


@dataclass(frozen=True)
class Datum:
    """One personal datum of a case: its kind, its value and where it comes from."""

    kind: str
    value: str
    source: str | Promise

    @property
    def replacement(self) -> str:
        if self.kind == PERSON:
            return surname_of(self.value) + "某"
        if self.kind == OFFICER:
            return "执法人员"
        if self.kind == ORGANISATION:
            return "某物业公司" if "物业" in self.value else "某公司"
        if self.kind == ESTATE:
            return "某小区"
        if self.kind == COMMITTEE:
            return "某居委会"
        if self.kind == STUDIO:
            return "某城管社区工作室"
        if self.kind == ADDRESS:
            return "某处"
        return "（编号略）" if re.search(r"[A-Za-z〔]", self.value) else "***"

    def pattern(self) -> re.Pattern[str]:
        """The value as it may be written: spaces or hyphens between its characters."""
        chars = [re.escape(c) for c in squash(self.value)]
        return re.compile(_SEP.join(chars), re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """Personal data found in a text: what, where, and what it is."""

    start: int
    end: int
    value: str
    label: str | Promise
    known: bool  # one of the case's own data (rather than something that looks personal)


@dataclass(frozen=True)
class Pattern:
    label: str | Promise
    regex: re.Pattern[str]
    replace: str | None = None  # None: the replacement is computed (see _replace_pattern)


def squash(value: str) -> str:
    return re.sub(r"[\s\-]+", "", (value or "").translate(_FULLWIDTH))


def surname_of(name: str) -> str:
    name = squash(name)
    if not re.match(r"[\u4e00-\u9fff]", name):
        return ""
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[0]


def is_personal(kind: str, value: str) -> bool:
    """Whether `value` is specific enough to be looked for (a blank, a placeholder or a single
    character is not)."""
    v = squash(value)
    if not v or v in NOT_PERSONAL or "某" in v or "*" in v or "略" in v:
        return False
    if kind in (PERSON, OFFICER):
        return len(v) >= 2
    if kind in (ORGANISATION, ESTATE, COMMITTEE, STUDIO):
        return len(v) >= 2
    if kind == ADDRESS:
        return len(v) >= 4 and bool(re.search(r"\d", v))
    return len(v) >= 4


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        _("document number"),
        re.compile(r"[\u4e00-\u9fff]{0,10}[〔\[【(（﹝]\d{4}[〕\]】)）﹞]\s*第?\s*\d+\s*号"),
        "（编号略）",
    ),
    Pattern(
        _("record number"),
        re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,4}-?\d{4}-?\d{3,8}(?![0-9])"),
        "（编号略）",
    ),
    Pattern(
        _("ID number"),
        re.compile(
            r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
            r"\d{3}[\dXx](?![0-9A-Za-z])"
            r"|(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"
        ),
        "***",
    ),
    Pattern(
        _("unified social credit code"),
        re.compile(
            r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])"
        ),
        "***",
    ),
    Pattern(
        _("phone number"),
        re.compile(
            r"(?<![\d.])(?:\+?86[\s\-]?)?1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}(?![\d.])"
            r"|(?<![\d.])(?:\(?0\d{2,3}\)?[\s\-]?)?[2-9]\d{3}[\s\-]?\d{4}(?![\d.元万年])"
        ),
        "***",
    ),
    Pattern(_("lane number"), re.compile(r"\d+\s*(?:弄|支弄)"), None),
    Pattern(
        _("building number"),
        re.compile(rf"\d+\s*(?:号楼|幢|栋|座|号(?=\s*\d))|[{_CN_NUM}]+\s*号楼"),
        None,
    ),
    Pattern(_("street number"), re.compile(r"(?<=[路街道巷弄])\s*\d+\s*号"), None),
    Pattern(_("unit number"), re.compile(r"\d+\s*单元"), None),
    Pattern(
        _("room number"),
        re.compile(
            r"(?<=[楼幢栋座元号])\s*\d{2,5}\s*(?:室|号房)?(?![\d元年月日号])|\d{2,5}\s*(?:室|号房)"
        ),
        None,
    ),
)


def _replace_pattern(match: re.Match[str]) -> str:
    """一 number replaced by 某, keeping the word that says what it was (某弄, 某号楼, 某室)."""
    text = match.group(0)
    word = re.sub(rf"^[\s\d{_CN_NUM}]+", "", text).strip()
    if not word or word[0].isdigit():
        return "某室"
    return "某" + word


def _apply_patterns(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.regex.sub(pattern.replace or _replace_pattern, text)
    return text


def anonymise(text: str, data: Iterable[Datum]) -> str:
    """The text without the case's personal data and without anything that looks personal."""
    text = (text or "").translate(_FULLWIDTH)
    # numbers first (a datum may contain one), then the case's data, longest first (the
    # estate's name before a shorter alias), then what the numbers left of the addresses
    text = _apply_patterns(text)
    for datum in sorted(
        {d for d in data if is_personal(d.kind, d.value)}, key=lambda d: -len(squash(d.value))
    ):
        text = datum.pattern().sub(datum.replacement, text)
    return _apply_patterns(text)


def findings(text: str, data: Iterable[Datum]) -> list[Finding]:
    """Personal data still in the text: the case's own data, then what looks personal.
    Overlapping findings are reported once (the case's datum wins)."""
    text = text or ""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for datum in sorted(
        {d for d in data if is_personal(d.kind, d.value)}, key=lambda d: -len(squash(d.value))
    ):
        for m in datum.pattern().finditer(text.translate(_FULLWIDTH)):
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end()))
                found.append(Finding(m.start(), m.end(), m.group(0), datum.source, True))
    for pattern in PATTERNS:
        for m in pattern.regex.finditer(text.translate(_FULLWIDTH)):
            if free(m.start(), m.end()):
                taken.append((m.start(), m.end()))
                found.append(Finding(m.start(), m.end(), m.group(0), pattern.label, False))
    return sorted(found, key=lambda f: f.start)


# ---------------------------------------------------------------------------------------------
# The personal data the platform holds about a case


def personal_data_of(case: Any) -> list[Datum]:
    """Every personal datum of the case, its lead, the lead's complaints and inspections, the
    estate and the people who acted on them."""
    from xiaoqu.audit.services import record_events
    from xiaoqu.documents.models import DocumentNumber
    from xiaoqu.estates.models import EstateAddress, OwnersCommittee
    from xiaoqu.intake.models import Complaint

    data: list[Datum] = []

    def add(kind: str, value: Any, source: str | Promise) -> None:
        if value and is_personal(kind, str(value)):
            data.append(Datum(kind, str(value).strip(), source))

    party_kind = ORGANISATION if case.party_kind == "organisation" else PERSON
    add(party_kind, case.party_name, _("party's name"))
    add(NUMBER, case.party_uscc, _("party's credit code"))
    add(NUMBER, case.party_id_number, _("party's ID number"))
    add(PERSON, case.party_representative, _("legal representative"))
    add(ADDRESS, case.party_address, _("party's address"))
    add(NUMBER, case.party_phone, _("party's phone"))
    add(NUMBER, case.number, _("case number"))
    add(NUMBER, case.decision_number, _("decision number"))
    for number in DocumentNumber.objects.filter(
        record_type__app_label="cases", record_type__model="case", record_id=case.pk
    ).values_list("number", flat=True):
        add(NUMBER, number, _("document number"))
    users = {case.filed_by, case.decided_by, case.reviewed_by}
    estate = case.estate
    if estate is not None:
        add(ESTATE, estate.name, _("estate"))
        for alias in estate.alias_list:
            add(ESTATE, alias, _("estate's alias"))
        for address in EstateAddress.objects.filter(estate=estate).values_list(
            "address", flat=True
        ):
            add(ESTATE, address, _("estate's address"))
        if estate.committee_id:
            add(COMMITTEE, estate.committee.name, _("residents' committee"))
        if estate.property_company_id:
            add(ORGANISATION, estate.property_company.name, _("property company"))
            add(NUMBER, estate.property_company.uscc, _("property company's credit code"))
        if estate.project_manager_id:
            add(PERSON, estate.project_manager.name, _("project manager"))
        for studio in estate.studios.all():
            add(STUDIO, studio.name, _("community studio"))
        for chair in OwnersCommittee.objects.filter(estate=estate).values_list("chair", flat=True):
            add(PERSON, chair, _("chair of the owners' committee"))
    if case.property_company_id:
        add(ORGANISATION, case.property_company.name, _("property company"))
    lead = case.lead
    add(NUMBER, lead.number, _("lead number"))
    add(ADDRESS, lead.address, _("location of the lead"))
    for inspection in lead.inspections.select_related("officer"):
        add(
            ORGANISATION if inspection.party_kind == "organisation" else PERSON,
            inspection.party_name,
            _("party found on site"),
        )
        add(NUMBER, inspection.party_uscc, _("party's credit code"))
        add(ADDRESS, inspection.place, _("place of the inspection"))
        users.add(inspection.officer)
    complaints = Complaint.objects.filter(lead=lead).select_related(
        "reporter_company", "reporter_studio", "entered_by"
    )
    for complaint in complaints:
        add(NUMBER, complaint.number, _("complaint number"))
        add(NUMBER, complaint.external_no, _("work order number"))
        add(PERSON, complaint.reporter_name, _("reporter"))
        add(NUMBER, complaint.reporter_phone, _("reporter's phone"))
        add(ADDRESS, complaint.address, _("location in the complaint"))
        if complaint.reporter_company is not None:
            add(ORGANISATION, complaint.reporter_company.name, _("reporting company"))
        if complaint.reporter_studio is not None:
            add(STUDIO, complaint.reporter_studio.name, _("reporting studio"))
        users.add(complaint.entered_by)
    for record in (case, lead):
        users.update(e.actor for e in record_events(record))
    for user in users:
        if user is not None:
            add(OFFICER, user.name, _("staff member"))
            add(NUMBER, user.phone, _("staff member's phone"))
    return data
