"""Look-ups of reference data by code or name, loaded once per import and kept in memory.

Every method is a cell parser: it returns the object or raises FieldError with a reason. Names
are matched exactly first, then without the usual suffixes (街道, 镇, 居委会, …) and with full-
width characters folded, so that 长征 finds 长征镇; a name matching several records is an error
rather than a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from xiaoqu.departments.models import Department
from xiaoqu.estates.models import PropertyCompany, Studio
from xiaoqu.estates.validators import normalize_uscc, uscc_problem
from xiaoqu.regions.models import District, NeighbourhoodCommittee, Subdistrict

from ..parsing import FieldError, cell_text

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

SUBDISTRICT_SUFFIXES = ("街道办事处", "街道", "镇")
COMMITTEE_SUFFIXES = ("居民委员会", "居委会", "居委", "村民委员会", "村委会")
DISTRICT_SUFFIXES = ("区",)
_USCC_SHAPE = re.compile(r"^[0-9A-Z]{18}$")


def fold(text: str) -> str:
    """Width-folded, without white space: （一期） and (一期) compare equal."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def stem(text: str, suffixes: Iterable[str]) -> str:
    """`text` folded and stripped of trailing administrative suffixes (真如镇街道 → 真如)."""
    text = fold(text)
    suffixes = tuple(suffixes)
    changed = True
    while changed:
        changed = False
        for suffix in suffixes:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text


def _index(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    index: dict[K, list[T]] = {}
    for item in items:
        index.setdefault(key(item), []).append(item)
    return index


def parse_uscc(value: Any) -> str:
    """A unified social credit code, normalised (upper case, no spaces) and checked."""
    code = normalize_uscc(cell_text(value))
    problem = uscc_problem(code)
    if problem:
        raise FieldError("invalid_uscc", problem)
    return code


class Lookups:
    """Districts, subdistricts, committees, companies, departments and studios in memory."""

    def __init__(self) -> None:
        self.districts = list(District.objects.all())
        self._district_by_code = {d.code: d for d in self.districts}
        self._district_by_id = {d.pk: d for d in self.districts}
        self._district_by_stem = _index(self.districts, lambda d: stem(d.name, DISTRICT_SUFFIXES))
        subdistricts = list(Subdistrict.objects.all())
        self._subdistrict_by_id = {s.pk: s for s in subdistricts}
        self._subdistrict_by_code = {s.code: s for s in subdistricts}
        self._subdistricts_by_district = _index(subdistricts, lambda s: s.district_id)
        self._committees: dict[int, dict[str, list[NeighbourhoodCommittee]]] | None = None
        self._companies: list[PropertyCompany] | None = None
        self._departments: list[Department] | None = None
        self._studios: list[Studio] | None = None

    # Districts ---------------------------------------------------------------------------

    def district_by_code(self, code: str) -> District | None:
        return self._district_by_code.get(code)

    def district_by_id(self, pk: int | None) -> District | None:
        return self._district_by_id.get(pk) if pk is not None else None

    def district(self, value: Any) -> District:
        text = fold(cell_text(value))
        if text in self._district_by_code:
            return self._district_by_code[text]
        exact = [d for d in self.districts if d.name == text or f"{d.city}{d.name}" == text]
        found = exact or self._district_by_stem.get(stem(text, DISTRICT_SUFFIXES), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise FieldError(
                "ambiguous_district",
                _("Several districts are named “%(value)s”: give the 6-digit code.")
                % {"value": text},
            )
        raise FieldError("unknown_district", _("Unknown district “%(value)s”.") % {"value": text})

    # Subdistricts ------------------------------------------------------------------------

    def subdistrict_by_id(self, pk: int | None) -> Subdistrict | None:
        return self._subdistrict_by_id.get(pk) if pk is not None else None

    def subdistrict(self, value: Any, district: District) -> Subdistrict:
        text = fold(cell_text(value))
        if text.isdigit() and len(text) == 12:
            found_by_code = self._subdistrict_by_code.get(text)
            if found_by_code is None:
                raise FieldError(
                    "unknown_subdistrict",
                    _("Unknown subdistrict code “%(value)s”.") % {"value": text},
                )
            if found_by_code.district_id != district.pk:
                raise FieldError(
                    "subdistrict_other_district",
                    _("The subdistrict %(value)s is not in %(district)s.")
                    % {"value": found_by_code.name, "district": district.name},
                )
            return found_by_code
        candidates = self._subdistricts_by_district.get(district.pk, [])
        exact = [s for s in candidates if fold(s.name) == text]
        wanted = stem(text, SUBDISTRICT_SUFFIXES)
        found = exact or [s for s in candidates if stem(s.name, SUBDISTRICT_SUFFIXES) == wanted]
        if not found and len(wanted) >= 2:
            # The short names in common use: 曹杨 for 曹杨新村街道, 长风 for 长风新村街道.
            found = [s for s in candidates if stem(s.name, SUBDISTRICT_SUFFIXES).startswith(wanted)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise FieldError(
                "ambiguous_subdistrict",
                _(
                    "Several subdistricts match “%(value)s”: give the full name or the 12-digit code."
                )
                % {"value": text},
            )
        raise FieldError(
            "unknown_subdistrict",
            _("Unknown subdistrict “%(value)s” in %(district)s.")
            % {"value": text, "district": district.name},
        )

    # Neighbourhood committees ------------------------------------------------------------

    def committee_name(self, subdistrict: Subdistrict, name: str) -> str:
        """The stored name of the committee `name` in `subdistrict`, or `name` for a new one."""
        if self._committees is None:
            self._committees = {}
            for c in NeighbourhoodCommittee.objects.all():
                by_stem = self._committees.setdefault(c.subdistrict_id, {})
                by_stem.setdefault(stem(c.name, COMMITTEE_SUFFIXES), []).append(c)
        in_subdistrict = self._committees.get(subdistrict.pk, {})
        found = in_subdistrict.get(stem(name, COMMITTEE_SUFFIXES), [])
        for committee in found:
            if committee.name == name:
                return name
        return found[0].name if len(found) == 1 else name

    # Property companies ------------------------------------------------------------------

    def _load_companies(self) -> list[PropertyCompany]:
        if self._companies is None:
            self._companies = list(PropertyCompany.objects.only("id", "uscc", "name"))
            self._company_by_uscc = {c.uscc: c for c in self._companies}
            self._company_by_id = {c.pk: c for c in self._companies}
            self._companies_by_name = _index(self._companies, lambda c: fold(c.name))
        return self._companies

    def company_by_id(self, pk: int | None) -> PropertyCompany | None:
        self._load_companies()
        return self._company_by_id.get(pk) if pk is not None else None

    def company_by_uscc(self, value: Any) -> PropertyCompany:
        self._load_companies()
        code = parse_uscc(value)
        company = self._company_by_uscc.get(code)
        if company is None:
            raise FieldError(
                "unknown_company",
                _("No property company has the credit code %(value)s: import the companies first.")
                % {"value": code},
            )
        return company

    def company(self, value: Any) -> PropertyCompany:
        """A company by its unified social credit code or its exact name."""
        self._load_companies()
        text = cell_text(value)
        code = normalize_uscc(text)
        if _USCC_SHAPE.match(code):
            return self.company_by_uscc(code)
        found = self._companies_by_name.get(fold(text), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise FieldError(
                "ambiguous_company",
                _("Several property companies are named “%(value)s”: give the credit code.")
                % {"value": text},
            )
        raise FieldError(
            "unknown_company",
            _("Unknown property company “%(value)s”: import the companies first.")
            % {"value": text},
        )

    # Departments -------------------------------------------------------------------------

    def department(self, value: Any, district: District) -> Department:
        if self._departments is None:
            self._departments = list(Department.objects.all())
        text = fold(cell_text(value))
        in_district = [d for d in self._departments if d.district_id == district.pk]
        found = [d for d in in_district if d.code == text.lower()]
        found = found or [d for d in in_district if fold(d.name) == text]
        found = found or [d for d in in_district if d.short_name and fold(d.short_name) == text]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise FieldError(
                "ambiguous_department",
                _("Several departments match “%(value)s”: give the department code.")
                % {"value": text},
            )
        raise FieldError(
            "unknown_department",
            _("Unknown department “%(value)s” in %(district)s.")
            % {"value": text, "district": district.name},
        )

    # Community studios -------------------------------------------------------------------

    def studio(self, value: Any, district: District, subdistrict: Subdistrict | None) -> Studio:
        if self._studios is None:
            self._studios = list(Studio.objects.select_related("subdistrict"))
        text = fold(cell_text(value))
        found = [
            s
            for s in self._studios
            if s.subdistrict.district_id == district.pk and fold(s.name) == text
        ]
        if subdistrict is not None and len(found) > 1:
            found = [s for s in found if s.subdistrict_id == subdistrict.pk]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise FieldError(
                "ambiguous_studio",
                _("Several community studios are named “%(value)s”: give the subdistrict too.")
                % {"value": text},
            )
        raise FieldError(
            "unknown_studio",
            _("Unknown community studio “%(value)s” in %(district)s.")
            % {"value": text, "district": district.name},
        )
