"""Demo users: one or more for every role, bound to demo scopes, all with one password."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.departments.models import Department
from xiaoqu.departments.seed import (
    BUREAU,
    BUREAU_COMMAND,
    BUREAU_LEGAL,
    FUNCTIONAL_CODES,
    office_code,
    team_code,
)
from xiaoqu.estates.models import PropertyCompany, Studio
from xiaoqu.regions.models import District, Subdistrict
from xiaoqu.regions.seed import PUTUO_SUBDISTRICTS

from .names import person_name
from .plan import DemoPlan

# Passes the password validators: 16 characters, letters and digits, not a common password,
# not similar to any demo user name.
DEMO_PASSWORD = "Xiaoqu-demo-2026"
PROPERTY_STAFF_COMPANIES = 3
STUDIO_MEMBER_SUBDISTRICTS = ("caoyang", "changshou", "taopu")


class LoginStatus:
    CREATED = "created"
    EXISTING = "existing"
    TAKEN = "taken"  # a user that is not demo data has this user name: left alone


@dataclass
class UserSpec:
    username: str
    role: str
    scope: str
    is_staff: bool = False
    subdistrict: Subdistrict | None = None
    department: Department | None = None
    property_company: PropertyCompany | None = None
    studio: Studio | None = None


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str
    status: str


def demo_user_specs(*, district: District, plan: DemoPlan) -> list[UserSpec]:
    """The demo users of the district, for the scopes that exist in the database."""
    departments = {d.code: d for d in Department.objects.filter(district=district)}
    subdistricts = {sd.code: sd for sd in Subdistrict.objects.filter(district=district)}
    specs: list[UserSpec] = []

    def department_user(username: str, role: str, code: str, *, is_staff: bool = False) -> None:
        dept = departments.get(code)
        if dept is not None:
            specs.append(UserSpec(username, role, dept.name, is_staff=is_staff, department=dept))

    department_user("admin", Role.ADMIN, BUREAU, is_staff=True)
    department_user("leader", Role.LEADER, BUREAU)
    department_user("dispatcher", Role.DISPATCHER, BUREAU_COMMAND)
    department_user("legal", Role.LEGAL, BUREAU_LEGAL)
    for fact in PUTUO_SUBDISTRICTS:
        sd = subdistricts.get(fact.code)
        if sd is None:
            continue
        for prefix, role, code in (
            ("officer", Role.OFFICER, team_code(sd)),
            ("manager", Role.SUBDISTRICT_MANAGER, office_code(sd)),
        ):
            specs.append(
                UserSpec(
                    f"{prefix}_{fact.slug}",
                    role,
                    sd.name,
                    subdistrict=sd,
                    department=departments.get(code),
                )
            )
    for code in FUNCTIONAL_CODES:
        department_user(f"liaison_{code}", Role.LIAISON, code)

    largest = sorted(plan.companies, key=lambda c: -c.estate_count)[:PROPERTY_STAFF_COMPANIES]
    companies = {
        c.uscc: c
        for c in PropertyCompany.objects.filter(uscc__in=[c.uscc for c in largest], is_demo=True)
    }
    for i, planned in enumerate(largest, start=1):
        company = companies.get(planned.uscc)
        if company is not None:
            specs.append(
                UserSpec(
                    f"property_{i}", Role.PROPERTY_STAFF, company.name, property_company=company
                )
            )

    for fact in PUTUO_SUBDISTRICTS:
        if fact.slug not in STUDIO_MEMBER_SUBDISTRICTS or fact.code not in subdistricts:
            continue
        first = next(s for s in plan.studios if s.subdistrict_code == fact.code)
        studio = Studio.objects.filter(
            subdistrict=subdistricts[fact.code], name=first.name, is_demo=True
        ).first()
        if studio is not None:
            specs.append(
                UserSpec(
                    f"studio_{fact.slug}",
                    Role.STUDIO_MEMBER,
                    f"{studio.name}（{fact.name}）",
                    studio=studio,
                )
            )
    return specs


def demo_users_ensure(
    *, district: District, plan: DemoPlan, password: str = DEMO_PASSWORD
) -> list[DemoLogin]:
    """Create the missing demo users (is_demo) with `password`. Existing demo users are left
    as they are; a user name held by a user that is not demo data is never touched."""
    specs = demo_user_specs(district=district, plan=plan)
    rng = random.Random(plan.seed + 1)
    names = {spec.username: person_name(rng) for spec in specs}
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s in specs])
    }
    to_create = [s for s in specs if s.username not in existing]
    for spec in to_create:
        validate_password(password, user=User(username=spec.username, name=names[spec.username]))
    hashed = make_password(password) if to_create else ""
    User.objects.bulk_create(
        [
            User(
                username=spec.username,
                name=names[spec.username],
                password=hashed,
                role=spec.role,
                is_staff=spec.is_staff,
                district=district,
                subdistrict=spec.subdistrict,
                department=spec.department,
                property_company=spec.property_company,
                studio=spec.studio,
                is_demo=True,
            )
            for spec in to_create
        ]
    )
    logins = []
    for spec in specs:
        user = existing.get(spec.username)
        if user is None:
            status = LoginStatus.CREATED
        elif user.is_demo:
            status = LoginStatus.EXISTING
        else:
            status = LoginStatus.TAKEN
        logins.append(DemoLogin(spec.username, spec.role, spec.scope, status))
    return logins
