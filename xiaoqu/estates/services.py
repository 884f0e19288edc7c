"""Writes to the estate register: property companies, their project managers, and estates.

Every write is an upsert by natural key (a company's unified social credit code, a manager's
company and name, an estate's district and name) that only writes what differs and says what
it did (`Outcome`). `None` for a value means "leave the stored value as it is"; list values
(aliases, addresses) are added to the stored ones, never removed. A demo record (`is_demo`)
that is written becomes real data. The bulk functions work in a constant number of queries per
few hundred records, so that imports of ten thousand rows take seconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.core.imports.upsert import (
    BATCH,
    Outcome,
    assign_changed,
    check_fields,
    chunks,
    given,
)
from xiaoqu.regions.models import District, NeighbourhoodCommittee, Subdistrict

from .choices import RiskGrade
from .models import Estate, EstateAddress, ProjectManager, PropertyCompany
from .validators import normalize_uscc, uscc_problem

# ---------------------------------------------------------------------------------------------
# Property companies


@dataclass(frozen=True)
class CompanyRecord:
    """A property company as a source describes it; None leaves a stored value unchanged."""

    uscc: str
    name: str
    legal_representative: str | None = None
    address: str | None = None
    contact: str | None = None
    phone: str | None = None


def property_company_bulk_upsert(
    *, records: Sequence[CompanyRecord]
) -> list[tuple[PropertyCompany, Outcome]]:
    """Create or update property companies by unified social credit code (normalised and
    checked, check digit included). Returns (company, outcome) in the order of `records`."""
    codes: list[str] = []
    for record in records:
        code = normalize_uscc(record.uscc)
        problem = uscc_problem(code)
        if problem:
            raise ValidationError(problem, code="uscc")
        if not record.name.strip():
            raise ValidationError(_("A property company needs a name."), code="required")
        codes.append(code)
    if len(set(codes)) != len(codes):
        raise ValueError("the same unified social credit code appears twice")
    existing: dict[str, PropertyCompany] = {}
    for chunk in chunks(codes):
        existing.update({c.uscc: c for c in PropertyCompany.objects.filter(uscc__in=chunk)})
    results: list[tuple[PropertyCompany, Outcome]] = []
    new: list[PropertyCompany] = []
    changed: list[PropertyCompany] = []
    changed_fields: set[str] = set()
    with transaction.atomic():
        for code, record in zip(codes, records, strict=True):
            values = given(
                {
                    "name": record.name.strip(),
                    "legal_representative": record.legal_representative,
                    "address": record.address,
                    "contact": record.contact,
                    "phone": record.phone,
                }
            )
            company = existing.get(code)
            if company is None:
                company = PropertyCompany(uscc=code, **values)
                check_fields(company)
                new.append(company)
                results.append((company, Outcome.CREATED))
                continue
            fields = assign_changed(company, values)
            if company.is_demo:
                company.is_demo = False
                fields.add("is_demo")
            if fields:
                check_fields(company)
                changed.append(company)
                changed_fields |= fields
            results.append((company, Outcome.UPDATED if fields else Outcome.UNCHANGED))
        PropertyCompany.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            PropertyCompany.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH)
    return results


def property_company_upsert(
    *,
    uscc: str,
    name: str,
    legal_representative: str | None = None,
    address: str | None = None,
    contact: str | None = None,
    phone: str | None = None,
) -> tuple[PropertyCompany, Outcome]:
    """Create or update one property company by its unified social credit code."""
    record = CompanyRecord(
        uscc=uscc,
        name=name,
        legal_representative=legal_representative,
        address=address,
        contact=contact,
        phone=phone,
    )
    return property_company_bulk_upsert(records=[record])[0]


# ---------------------------------------------------------------------------------------------
# Project managers


@dataclass(frozen=True)
class ManagerRecord:
    company: PropertyCompany
    name: str
    phone: str | None = None


def project_manager_bulk_upsert(
    *, records: Sequence[ManagerRecord]
) -> list[tuple[ProjectManager, Outcome]]:
    """Create or update project managers by (company, name). A manager named twice is
    written once (the last phone given wins) and reported with the same outcome each time."""
    wanted: dict[tuple[int, str], ManagerRecord] = {}
    for record in records:
        key = (record.company.pk, record.name.strip())
        previous = wanted.get(key)
        phone = record.phone if record.phone is not None else (previous.phone if previous else None)
        wanted[key] = ManagerRecord(company=record.company, name=key[1], phone=phone)
    company_ids = sorted({k[0] for k in wanted})
    existing: dict[tuple[int, str], ProjectManager] = {}
    for chunk in chunks(company_ids):
        for m in ProjectManager.objects.filter(company_id__in=chunk):
            existing[(m.company_id, m.name)] = m
    done: dict[tuple[int, str], tuple[ProjectManager, Outcome]] = {}
    new: list[ProjectManager] = []
    changed: list[ProjectManager] = []
    with transaction.atomic():
        for key, record in wanted.items():
            manager = existing.get(key)
            values = given({"phone": record.phone})
            if manager is None:
                manager = ProjectManager(company=record.company, name=record.name, **values)
                check_fields(manager)
                new.append(manager)
                done[key] = (manager, Outcome.CREATED)
                continue
            fields = assign_changed(manager, values)
            if fields and manager.is_demo:
                manager.is_demo = False
            if fields:
                check_fields(manager)
                changed.append(manager)
            done[key] = (manager, Outcome.UPDATED if fields else Outcome.UNCHANGED)
        ProjectManager.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            ProjectManager.objects.bulk_update(changed, ["phone", "is_demo"], batch_size=BATCH)
    return [done[(r.company.pk, r.name.strip())] for r in records]


def project_manager_upsert(
    *, company: PropertyCompany, name: str, phone: str | None = None
) -> tuple[ProjectManager, Outcome]:
    """Create or update the project manager `name` of `company`."""
    return project_manager_bulk_upsert(
        records=[ManagerRecord(company=company, name=name, phone=phone)]
    )[0]


# ---------------------------------------------------------------------------------------------
# Estates

_FIRST_NUMBER = re.compile(r"\d+(?:\s*[-~－—至]\s*\d+)?")


def address_parse(address: str) -> tuple[str, str]:
    """Split a lane address such as 梅川路1199弄 into its road (梅川路) and number (1199).
    An address without a number gives ('', '')."""
    text = unicodedata.normalize("NFKC", address).strip()
    match = _FIRST_NUMBER.search(text)
    if match is None:
        return "", ""
    road = text[: match.start()].strip()
    number = re.sub(r"\s+", "", match.group(0))
    road_field = EstateAddress._meta.get_field("road")
    number_field = EstateAddress._meta.get_field("number")
    if len(road) > (road_field.max_length or 0) or len(number) > (number_field.max_length or 0):
        return "", ""
    return road, number


@dataclass(frozen=True)
class EstateRecord:
    """An estate as a source describes it; None (or an empty tuple) leaves stored values as
    they are. `committee_name` is found, or created, in the estate's subdistrict;
    `project_manager_name` under the estate's property company."""

    district: District
    name: str
    subdistrict: Subdistrict | None = None
    committee_name: str | None = None
    aliases: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    households: int | None = None
    residents: int | None = None
    buildings: int | None = None
    build_year: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_pilot: bool | None = None
    risk_grade: str | None = None
    property_company: PropertyCompany | None = None
    project_manager_name: str | None = None
    project_manager_phone: str | None = None


@dataclass
class EstateBulkResult:
    items: list[tuple[Estate, Outcome]]
    committees_created: int = 0
    managers_created: int = 0
    managers_updated: int = 0
    addresses_created: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """What was created or updated besides the estates themselves."""
        return {
            "committees_created": self.committees_created,
            "managers_created": self.managers_created,
            "managers_updated": self.managers_updated,
            "addresses_created": self.addresses_created,
        }


def _existing_estates(records: Sequence[EstateRecord]) -> dict[tuple[int, str], Estate]:
    by_district: dict[int, list[str]] = {}
    for r in records:
        by_district.setdefault(r.district.pk, []).append(r.name)
    existing: dict[tuple[int, str], Estate] = {}
    for district_id, names in by_district.items():
        for chunk in chunks(names):
            qs = Estate.objects.filter(district_id=district_id, name__in=chunk).select_related(
                "subdistrict", "committee", "property_company", "project_manager"
            )
            for estate in qs:
                existing[(district_id, estate.name)] = estate
    return existing


def _committees_get_or_create(
    wanted: Iterable[tuple[Subdistrict, str]],
) -> tuple[dict[tuple[int, str], NeighbourhoodCommittee], int]:
    subdistricts = {sd.pk: sd for sd, _name in wanted}
    found: dict[tuple[int, str], NeighbourhoodCommittee] = {}
    for chunk in chunks(sorted(subdistricts)):
        for c in NeighbourhoodCommittee.objects.filter(subdistrict_id__in=chunk):
            found[(c.subdistrict_id, c.name)] = c
    new = []
    for sd, name in wanted:
        key = (sd.pk, name)
        if key not in found:
            committee = NeighbourhoodCommittee(subdistrict=sd, name=name)
            check_fields(committee)
            found[key] = committee
            new.append(committee)
    NeighbourhoodCommittee.objects.bulk_create(new, batch_size=BATCH)
    return found, len(new)


def _merged_aliases(stored: str, name: str, new: Iterable[str]) -> str:
    aliases = [a.strip() for a in stored.splitlines() if a.strip()]
    for alias in new:
        if alias and alias != name and alias not in aliases:
            aliases.append(alias)
    return "\n".join(aliases)


def estate_bulk_upsert(*, records: Sequence[EstateRecord]) -> EstateBulkResult:
    """Create or update estates by (district, name), with their committees, project managers
    and addresses. Returns (estate, outcome) in the order of `records` and what else was created.

    Raises ValidationError when a committee is named for an estate without a subdistrict, or a
    project manager for an estate without a property company, or a value breaks a field rule."""
    keys = [(r.district.pk, r.name) for r in records]
    if len(set(keys)) != len(keys):
        raise ValueError("the same estate appears twice")
    for r in records:
        if not r.name.strip() or r.name != r.name.strip():
            raise ValidationError(
                _("An estate needs a name without surrounding spaces."), code="name"
            )
        if r.subdistrict is not None and r.subdistrict.district_id != r.district.pk:
            raise ValidationError(
                _("The subdistrict %(subdistrict)s is not in %(district)s.")
                % {"subdistrict": r.subdistrict.name, "district": r.district.name},
                code="subdistrict",
            )
        if r.risk_grade is not None and r.risk_grade not in RiskGrade.values:
            raise ValidationError(_("Unknown risk grade."), code="risk_grade")
    existing = _existing_estates(records)
    result = EstateBulkResult(items=[])
    with transaction.atomic():
        # Committees: found by name in the estate's subdistrict (the new one, else the stored one).
        committee_wanted: list[tuple[Subdistrict, str]] = []
        for key, r in zip(keys, records, strict=True):
            if r.committee_name is None:
                continue
            estate = existing.get(key)
            subdistrict = r.subdistrict or (estate.subdistrict if estate else None)
            if subdistrict is None:
                raise ValidationError(
                    _("A neighbourhood committee needs the estate's subdistrict."), code="committee"
                )
            committee_wanted.append((subdistrict, r.committee_name))
        committees, result.committees_created = _committees_get_or_create(committee_wanted)
        # Project managers: under the estate's property company (new, else stored).
        manager_records: list[ManagerRecord] = []
        manager_keys: list[tuple[int, str]] = []
        for key, r in zip(keys, records, strict=True):
            if r.project_manager_name is None:
                continue
            estate = existing.get(key)
            company = r.property_company or (estate.property_company if estate else None)
            if company is None:
                raise ValidationError(
                    _("A project manager needs the estate's property company."), code="manager"
                )
            manager_records.append(
                ManagerRecord(
                    company=company, name=r.project_manager_name, phone=r.project_manager_phone
                )
            )
            manager_keys.append(key)
        managers: dict[tuple[int, str], ProjectManager] = {}
        if manager_records:
            outcomes = project_manager_bulk_upsert(records=manager_records)
            seen: set[int] = set()
            for key, (manager, outcome) in zip(manager_keys, outcomes, strict=True):
                managers[key] = manager
                if id(manager) in seen:
                    continue
                seen.add(id(manager))
                if outcome == Outcome.CREATED:
                    result.managers_created += 1
                elif outcome == Outcome.UPDATED:
                    result.managers_updated += 1
        # Addresses already stored for the estates that exist.
        stored_addresses: set[tuple[int, str]] = set()
        existing_ids = [e.pk for e in existing.values()]
        for chunk in chunks(existing_ids):
            stored_addresses.update(
                EstateAddress.objects.filter(estate_id__in=chunk).values_list(
                    "estate_id", "address"
                )
            )
        now = timezone.now()
        new: list[Estate] = []
        changed: list[Estate] = []
        changed_fields: set[str] = set()
        address_owners: list[tuple[Estate, str]] = []
        for key, r in zip(keys, records, strict=True):
            estate = existing.get(key)
            values: dict[str, Any] = given(
                {
                    "subdistrict": r.subdistrict,
                    "households": r.households,
                    "residents": r.residents,
                    "buildings": r.buildings,
                    "build_year": r.build_year,
                    "latitude": r.latitude,
                    "longitude": r.longitude,
                    "is_pilot": r.is_pilot,
                    "risk_grade": r.risk_grade,
                    "property_company": r.property_company,
                }
            )
            if r.committee_name is not None:
                subdistrict = r.subdistrict or (estate.subdistrict if estate else None)
                assert subdistrict is not None
                values["committee"] = committees[(subdistrict.pk, r.committee_name)]
            elif (
                estate is not None
                and r.subdistrict is not None
                and estate.committee is not None
                and estate.committee.subdistrict_id != r.subdistrict.pk
            ):
                # A committee belongs to one subdistrict: moving the estate drops a stale one.
                values["committee"] = None
            if key in managers:
                values["project_manager"] = managers[key]
            elif (
                estate is not None
                and r.property_company is not None
                and estate.project_manager is not None
                and estate.project_manager.company_id != r.property_company.pk
            ):
                # A manager works for one company: changing the company drops a stale one.
                values["project_manager"] = None
            if estate is None:
                estate = Estate(district=r.district, name=r.name, **values)
                estate.aliases = _merged_aliases("", r.name, r.aliases)
                check_fields(estate)
                new.append(estate)
                result.items.append((estate, Outcome.CREATED))
                address_owners.extend((estate, a) for a in r.addresses)
                continue
            fields = assign_changed(estate, values)
            aliases = _merged_aliases(estate.aliases, estate.name, r.aliases)
            if aliases != estate.aliases:
                estate.aliases = aliases
                fields.add("aliases")
            if estate.is_demo:
                estate.is_demo = False
                fields.add("is_demo")
            added = [a for a in r.addresses if (estate.pk, a) not in stored_addresses]
            address_owners.extend((estate, a) for a in added)
            if fields or added:
                estate.updated_at = now
                fields.add("updated_at")
                check_fields(estate)
                changed.append(estate)
                changed_fields |= fields
            result.items.append((estate, Outcome.UPDATED if fields else Outcome.UNCHANGED))
        Estate.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            Estate.objects.bulk_update(changed, sorted(changed_fields), batch_size=BATCH)
        addresses = []
        for estate, address in address_owners:
            road, number = address_parse(address)
            item = EstateAddress(estate=estate, address=address, road=road, number=number)
            check_fields(item)
            addresses.append(item)
        EstateAddress.objects.bulk_create(addresses, batch_size=BATCH)
        result.addresses_created = len(addresses)
    return result


def estate_upsert(
    *,
    district: District,
    name: str,
    subdistrict: Subdistrict | None = None,
    committee_name: str | None = None,
    aliases: Sequence[str] = (),
    addresses: Sequence[str] = (),
    households: int | None = None,
    residents: int | None = None,
    buildings: int | None = None,
    build_year: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    is_pilot: bool | None = None,
    risk_grade: str | None = None,
    property_company: PropertyCompany | None = None,
    project_manager_name: str | None = None,
    project_manager_phone: str | None = None,
) -> tuple[Estate, Outcome]:
    """Create or update one estate by (district, name); see `estate_bulk_upsert`."""
    record = EstateRecord(
        district=district,
        name=name,
        subdistrict=subdistrict,
        committee_name=committee_name,
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
        property_company=property_company,
        project_manager_name=project_manager_name,
        project_manager_phone=project_manager_phone,
    )
    return estate_bulk_upsert(records=[record]).items[0]
