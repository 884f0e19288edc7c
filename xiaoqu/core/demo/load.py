"""Loading the demo plan into the database: idempotent, and never touching rows that are
not demo data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum

from xiaoqu.estates.models import (
    Estate,
    EstateAddress,
    OwnersCommittee,
    ProjectManager,
    PropertyCompany,
    Studio,
)
from xiaoqu.regions.models import District, NeighbourhoodCommittee, Subdistrict
from xiaoqu.regions.services import committees_ensure

from .plan import DEMO_ESTATES, DEMO_SEED, DemoPlan, EstatePlan, demo_plan
from .users import DEMO_PASSWORD, DemoLogin, LoginStatus, demo_users_ensure

BATCH = 500


@dataclass
class DemoLoadResult:
    plan: DemoPlan
    selected: int
    created: Counter[str] = field(default_factory=Counter)
    already_loaded: int = 0  # demo estates of the selection already in the database
    kept: list[str] = field(default_factory=list)  # estates not demo data, left as they are
    logins: list[DemoLogin] = field(default_factory=list)
    demo_estates: int = 0
    demo_households: int = 0
    demo_residents: int = 0

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


def _committees(
    *, plan: DemoPlan, subdistricts: dict[str, Subdistrict], result: DemoLoadResult
) -> dict[tuple[str, str], NeighbourhoodCommittee]:
    by_key: dict[tuple[str, str], NeighbourhoodCommittee] = {}
    for code, subdistrict in subdistricts.items():
        wanted = {c.name: c.address for c in plan.committees if c.subdistrict_code == code}
        committees, created = committees_ensure(
            subdistrict=subdistrict, committees=wanted, is_demo=True
        )
        result.created["committees"] += created
        by_key.update({(code, name): c for name, c in committees.items()})
    return by_key


def _companies(
    *, plan: DemoPlan, result: DemoLoadResult
) -> tuple[dict[str, PropertyCompany], dict[tuple[str, str], ProjectManager]]:
    """The demo companies and their managers by (USCC, name). A company with a planned
    code that is not demo data is not used."""
    codes = [c.uscc for c in plan.companies]
    existing = set(PropertyCompany.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
    new = [
        PropertyCompany(
            uscc=c.uscc,
            name=c.name,
            legal_representative=c.legal_representative,
            contact=c.contact,
            address=c.address,
            is_demo=True,
        )
        for c in plan.companies
        if c.uscc not in existing
    ]
    PropertyCompany.objects.bulk_create(new, batch_size=BATCH)
    result.created["companies"] += len(new)
    companies = {c.uscc: c for c in PropertyCompany.objects.filter(uscc__in=codes, is_demo=True)}
    have = set(
        ProjectManager.objects.filter(company__in=companies.values()).values_list(
            "company__uscc", "name"
        )
    )
    managers = [
        ProjectManager(company=companies[c.uscc], name=name, is_demo=True)
        for c in plan.companies
        if c.uscc in companies
        for name in c.managers
        if (c.uscc, name) not in have
    ]
    ProjectManager.objects.bulk_create(managers, batch_size=BATCH)
    result.created["managers"] += len(managers)
    by_key = {
        (m.company.uscc, m.name): m
        for m in ProjectManager.objects.filter(company__in=companies.values()).select_related(
            "company"
        )
    }
    return companies, by_key


def _estates(
    *,
    district: District,
    selection: list[EstatePlan],
    subdistricts: dict[str, Subdistrict],
    committees: dict[tuple[str, str], NeighbourhoodCommittee],
    companies: dict[str, PropertyCompany],
    managers: dict[tuple[str, str], ProjectManager],
    result: DemoLoadResult,
) -> dict[str, Estate]:
    """Create the selected estates that are missing; returns the new ones by name."""
    names = [e.name for e in selection]
    existing = dict(
        Estate.objects.filter(district=district, name__in=names).values_list("name", "is_demo")
    )
    result.already_loaded = sum(1 for is_demo in existing.values() if is_demo)
    result.kept = sorted(name for name, is_demo in existing.items() if not is_demo)
    new = []
    for plan in selection:
        if plan.name in existing:
            continue
        company = companies.get(plan.company_uscc or "")
        manager = managers.get((plan.company_uscc or "", plan.manager or "")) if company else None
        new.append(
            Estate(
                district=district,
                subdistrict=subdistricts[plan.subdistrict_code],
                committee=committees.get((plan.subdistrict_code, plan.committee)),
                name=plan.name,
                aliases="\n".join(plan.aliases),
                households=plan.households,
                residents=plan.residents,
                buildings=plan.buildings,
                build_year=plan.build_year,
                latitude=plan.latitude,
                longitude=plan.longitude,
                is_pilot=plan.is_pilot,
                property_company=company,
                project_manager=manager,
                is_demo=True,
            )
        )
    Estate.objects.bulk_create(new, batch_size=BATCH)
    result.created["estates"] += len(new)
    created_names = [e.name for e in new]
    return {
        e.name: e
        for e in Estate.objects.filter(district=district, name__in=created_names, is_demo=True)
    }


def _estate_details(
    *, selection: list[EstatePlan], new: dict[str, Estate], result: DemoLoadResult
) -> None:
    """Addresses and owners' committees of the estates created in this run."""
    addresses = []
    owners_committees = []
    for plan in selection:
        estate = new.get(plan.name)
        if estate is None:
            continue
        addresses += [
            EstateAddress(estate=estate, address=a.address, road=a.road, number=a.number)
            for a in plan.addresses
        ]
        oc = plan.owners_committee
        if oc is not None:
            owners_committees.append(
                OwnersCommittee(
                    estate=estate,
                    chair=oc.chair,
                    members=oc.members,
                    term_start=oc.term_start,
                    term_end=oc.term_end,
                    is_demo=True,
                )
            )
    EstateAddress.objects.bulk_create(addresses, batch_size=BATCH)
    OwnersCommittee.objects.bulk_create(owners_committees, batch_size=BATCH)
    result.created["addresses"] += len(addresses)
    result.created["owners_committees"] += len(owners_committees)


def _studios(
    *,
    plan: DemoPlan,
    subdistricts: dict[str, Subdistrict],
    new: dict[str, Estate],
    result: DemoLoadResult,
) -> None:
    """The planned studios that are missing, and links to the estates created in this run
    (studios that are not demo data get no demo estates)."""
    links = []
    through = Studio.estates.through
    for sp in plan.studios:
        subdistrict = subdistricts[sp.subdistrict_code]
        studio = Studio.objects.filter(subdistrict=subdistrict, name=sp.name).first()
        if studio is None:
            studio = Studio.objects.create(
                subdistrict=subdistrict,
                name=sp.name,
                address=sp.address,
                leader=sp.leader,
                established=sp.established,
                is_demo=True,
            )
            result.created["studios"] += 1
        if not studio.is_demo:
            continue
        links += [
            through(studio_id=studio.pk, estate_id=new[name].pk)
            for name in sp.estates
            if name in new
        ]
    through.objects.bulk_create(links, batch_size=BATCH)
    result.created["studio_estates"] += len(links)


@transaction.atomic
def demo_load(
    *,
    district: District,
    estates: int = DEMO_ESTATES,
    seed: int = DEMO_SEED,
    password: str = DEMO_PASSWORD,
) -> DemoLoadResult:
    """Load the Putuo demo (`estates` of the plan's estates, all other demo rows in full) into
    `district`, whose subdistricts must have been seeded. A second run creates nothing; rows
    that are not demo data are never changed, and demo estates are not linked to them except
    to committees (which the estates only reference)."""
    plan = demo_plan(seed=seed)
    subdistricts = {
        sd.code: sd for sd in Subdistrict.objects.filter(district=district, code__in=plan.estates)
    }
    missing = sorted(set(plan.estates) - set(subdistricts))
    if missing:
        raise ValueError(f"subdistricts not seeded: {', '.join(missing)}")
    selection = plan.select(estates)
    result = DemoLoadResult(plan=plan, selected=len(selection))
    committees = _committees(plan=plan, subdistricts=subdistricts, result=result)
    companies, managers = _companies(plan=plan, result=result)
    new = _estates(
        district=district,
        selection=selection,
        subdistricts=subdistricts,
        committees=committees,
        companies=companies,
        managers=managers,
        result=result,
    )
    _estate_details(selection=selection, new=new, result=result)
    _studios(plan=plan, subdistricts=subdistricts, new=new, result=result)
    result.logins = demo_users_ensure(district=district, plan=plan, password=password)
    result.created["users"] += sum(
        1 for login in result.logins if login.status == LoginStatus.CREATED
    )
    figures = Estate.objects.filter(district=district, is_demo=True).aggregate(
        households=Sum("households"), residents=Sum("residents")
    )
    result.demo_estates = Estate.objects.filter(district=district, is_demo=True).count()
    result.demo_households = figures["households"] or 0
    result.demo_residents = figures["residents"] or 0
    return result
