"""Test personas shared by every app (Healthchecks' base test case, as pytest fixtures).

`world` builds two subdistricts 甲 (A) and 乙 (B): estates 甲花园 (company 甲) and 甲新村
(company 双区) in A, 乙公寓 (company 丙) in B, a studio in each, and a user for every role. The
officer of A must see nothing of B, the clerk of company 甲 only 甲花园, and so on. Every name
of a B-only record contains 乙 or 丙 so that a page can be searched for leaks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.accounts.tests.factories import TEST_PASSWORD, UserFactory
from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.estates.models import Estate, PropertyCompany, Studio
from xiaoqu.estates.tests.factories import (
    EstateAddressFactory,
    EstateFactory,
    OwnersCommitteeFactory,
    ProjectManagerFactory,
    PropertyCompanyFactory,
    StudioFactory,
)
from xiaoqu.regions.models import District, NeighbourhoodCommittee, Subdistrict
from xiaoqu.regions.tests.factories import CommitteeFactory, DistrictFactory, SubdistrictFactory


@dataclass
class World:
    district: District
    sd_a: Subdistrict
    sd_b: Subdistrict
    committee_a: NeighbourhoodCommittee
    committee_b: NeighbourhoodCommittee
    company_a: PropertyCompany
    company_b: PropertyCompany
    company_c: PropertyCompany
    estate_a: Estate
    estate_a2: Estate
    estate_b: Estate
    studio_a: Studio
    studio_b: Studio
    housing: Department
    admin: User
    dispatcher: User
    leader: User
    legal: User
    officer_a: User
    officer_b: User
    manager_a: User
    liaison: User
    clerk_a: User
    clerk_b: User
    member_a: User

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    @property
    def password(self) -> str:
        return TEST_PASSWORD


@pytest.fixture
def catalog(world: World) -> World:
    """The world with the legal catalog seeded (deadline rules, violation types, …)."""
    from xiaoqu.law.services import law_catalog_seed

    law_catalog_seed(district=world.district)
    return world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Tests create many users: hash their passwords quickly (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: Any) -> World:
    district = DistrictFactory.create()
    sd_a = SubdistrictFactory.create(district=district, name="甲街道", code="310107901000")
    sd_b = SubdistrictFactory.create(district=district, name="乙街道", code="310107902000")
    committee_a = CommitteeFactory.create(subdistrict=sd_a, name="甲一居委会")
    committee_b = CommitteeFactory.create(subdistrict=sd_b, name="乙一居委会")
    company_a = PropertyCompanyFactory.create(name="甲物业公司")
    company_b = PropertyCompanyFactory.create(name="双区物业公司")
    company_c = PropertyCompanyFactory.create(name="丙物业公司")
    pm_a = ProjectManagerFactory.create(company=company_a, name="甲经理")
    pm_b = ProjectManagerFactory.create(company=company_b, name="双区经理")
    pm_c = ProjectManagerFactory.create(company=company_c, name="丙经理")
    estate_a = EstateFactory.create(
        district=district,
        subdistrict=sd_a,
        committee=committee_a,
        name="甲花园",
        property_company=company_a,
        project_manager=pm_a,
    )
    estate_a2 = EstateFactory.create(
        district=district,
        subdistrict=sd_a,
        committee=committee_a,
        name="甲新村",
        property_company=company_b,
        project_manager=pm_b,
    )
    estate_b = EstateFactory.create(
        district=district,
        subdistrict=sd_b,
        committee=committee_b,
        name="乙公寓",
        property_company=company_c,
        project_manager=pm_c,
    )
    EstateAddressFactory.create(estate=estate_a, road="甲路", number="100", address="甲路100弄")
    EstateAddressFactory.create(estate=estate_b, road="乙路", number="200", address="乙路200弄")
    OwnersCommitteeFactory.create(estate=estate_a, chair="甲主任")
    OwnersCommitteeFactory.create(estate=estate_b, chair="乙主任")
    studio_a = StudioFactory.create(subdistrict=sd_a, name="甲工作室")
    studio_a.estates.add(estate_a)
    studio_b = StudioFactory.create(subdistrict=sd_b, name="乙工作室")
    studio_b.estates.add(estate_b)
    housing = DepartmentFactory.create(district=district, code="housing", name="区房管局")
    for sd in (sd_a, sd_b):
        DepartmentFactory.create(
            district=district,
            code=f"team-{sd.code}",
            name=f"{sd.name}城管执法中队",
            kind=DepartmentKind.ENFORCEMENT_TEAM,
            subdistrict=sd,
        )

    def user(username: str, role: str, **scope: Any) -> User:
        return UserFactory.create(username=username, role=role, district=district, **scope)

    return World(
        district=district,
        sd_a=sd_a,
        sd_b=sd_b,
        committee_a=committee_a,
        committee_b=committee_b,
        company_a=company_a,
        company_b=company_b,
        company_c=company_c,
        estate_a=estate_a,
        estate_a2=estate_a2,
        estate_b=estate_b,
        studio_a=studio_a,
        studio_b=studio_b,
        housing=housing,
        admin=user("admin1", Role.ADMIN, is_staff=True),
        dispatcher=user("dispatcher1", Role.DISPATCHER),
        leader=user("leader1", Role.LEADER),
        legal=user("legal1", Role.LEGAL),
        officer_a=user("officer_a", Role.OFFICER, subdistrict=sd_a),
        officer_b=user("officer_b", Role.OFFICER, subdistrict=sd_b),
        manager_a=user("manager_a", Role.SUBDISTRICT_MANAGER, subdistrict=sd_a),
        liaison=user("liaison1", Role.LIAISON, department=housing),
        clerk_a=user("clerk_a", Role.PROPERTY_STAFF, property_company=company_a),
        clerk_b=user("clerk_b", Role.PROPERTY_STAFF, property_company=company_b),
        member_a=user("member_a", Role.STUDIO_MEMBER, studio=studio_a),
    )
