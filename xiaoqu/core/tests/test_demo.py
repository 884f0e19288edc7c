"""`xiaoqu load-demo`: the Putuo demo plan and its idempotent, labelled loading."""

from __future__ import annotations

import statistics
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.core.demo import DEMO_PASSWORD, demo_plan
from xiaoqu.core.demo.names import ROADS
from xiaoqu.core.demo.plan import org_code_check_char
from xiaoqu.estates.models import (
    Estate,
    EstateAddress,
    OwnersCommittee,
    ProjectManager,
    PropertyCompany,
    Studio,
)
from xiaoqu.estates.validators import uscc_problem
from xiaoqu.regions.models import District, NeighbourhoodCommittee, Subdistrict
from xiaoqu.regions.seed import PUTUO, PUTUO_SUBDISTRICTS

CENSUS = 1_239_800
SMALL = 120


def load(**options: Any) -> str:
    out = StringIO()
    options.setdefault("history", False)  # the generated history: test_demo_history.py
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (
        District, Subdistrict, NeighbourhoodCommittee, Estate, EstateAddress, OwnersCommittee,
        PropertyCompany, ProjectManager, Studio, Studio.estates.through, User,
    )  # fmt: skip
    return {m.__name__: m._default_manager.count() for m in models}


# The plan (no database)


def test_plan_is_deterministic():
    first, second = demo_plan(), demo_plan()
    assert [e.name for v in first.estates.values() for e in v] == [
        e.name for v in second.estates.values() for e in v
    ]
    assert [c.uscc for c in first.companies] == [c.uscc for c in second.companies]
    other = demo_plan(seed=7)
    assert [c.uscc for c in other.companies] != [c.uscc for c in first.companies]


def test_plan_figures():
    plan = demo_plan()
    estates = [e for v in plan.estates.values() for e in v]
    assert len(estates) == 1000
    assert len({e.name for e in estates}) == len(estates)
    assert len(plan.committees) == 215
    assert len(plan.companies) == 80
    assert sum(len(c.managers) for c in plan.companies) == 250
    assert sum(e.residents for e in estates) == pytest.approx(CENSUS, rel=0.01)
    with_oc = sum(1 for e in estates if e.owners_committee) / len(estates)
    assert 0.55 <= with_oc <= 0.68
    assert 10 <= sum(e.is_pilot for e in estates) <= 20
    studios = Counter(s.subdistrict_code for s in plan.studios)
    assert set(studios) == {f.code for f in PUTUO_SUBDISTRICTS}
    assert all(2 <= n <= 4 for n in studios.values())
    assert all(s.estates for s in plan.studios)


def test_plan_estates_are_plausible():
    plan = demo_plan()
    addresses = [a.address for v in plan.estates.values() for e in v for a in e.addresses]
    assert len(addresses) == len(set(addresses))
    centroids = {f.code: f.centroid for f in PUTUO_SUBDISTRICTS}
    for code, estates in plan.estates.items():
        lat0, lng0 = centroids[code]
        for estate in estates:
            assert 1 <= len(estate.addresses) <= 3
            assert all(a.road in ROADS[code] for a in estate.addresses)
            assert all(a.address == f"{a.road}{a.number}{a.address[-1]}" for a in estate.addresses)
            assert 1950 <= estate.build_year <= 2025
            assert abs(float(estate.latitude) - lat0) < 0.05
            assert abs(float(estate.longitude) - lng0) < 0.05
            assert estate.households < estate.residents
            assert estate.buildings >= 1
            assert estate.committee
    median_year = {
        code: statistics.median(e.build_year for e in estates)
        for code, estates in plan.estates.items()
    }
    old = [median_year[c] for c in ("310107005000", "310107015000", "310107020000")]
    others = [
        y
        for c, y in median_year.items()
        if c not in ("310107005000", "310107015000", "310107020000")
    ]
    assert max(old) < min(others)
    aliased = [e for v in plan.estates.values() for e in v if e.aliases]
    assert len(aliased) > 100


def test_plan_unified_social_credit_codes_are_valid():
    plan = demo_plan()
    for company in plan.companies:
        assert uscc_problem(company.uscc) is None
        assert company.uscc.startswith("91310107")
        org = company.uscc[8:17]
        assert org[8] == org_code_check_char(org[:8])
        assert company.name.startswith("上海") and company.name.endswith("有限公司")


def test_a_small_demo_is_part_of_the_full_one():
    plan = demo_plan()
    small = plan.select(SMALL)
    full = {e.name for e in plan.select(1000)}
    assert len(small) == SMALL
    assert {e.name for e in small} <= full
    assert {e.subdistrict_code for e in small} == {f.code for f in PUTUO_SUBDISTRICTS}


# Loading


@pytest.mark.django_db
def test_small_demo_covers_every_subdistrict_and_role():
    output = load(estates=SMALL)
    assert Estate.objects.count() == SMALL
    assert not Estate.objects.filter(is_demo=False).exists()
    for sd in Subdistrict.objects.all():
        assert sd.estates.exists(), sd.name
        assert sd.committees.exists(), sd.name
        studios = sd.studios.all()
        assert 2 <= studios.count() <= 4, sd.name
        assert all(s.estates.exists() for s in studios), sd.name
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert not User.objects.filter(is_demo=False).exists()
    admin = User.objects.get(username="admin")
    assert admin.role == Role.ADMIN
    assert admin.is_staff
    assert not admin.is_superuser
    officer = User.objects.select_related("subdistrict").get(username="officer_caoyang")
    assert officer.subdistrict is not None
    assert officer.subdistrict.code == "310107005000"
    assert "officer_caoyang" in output
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_every_generated_row_is_labelled_demo():
    load(estates=SMALL)
    for model in (
        NeighbourhoodCommittee, Estate, OwnersCommittee, PropertyCompany, ProjectManager, Studio, User,
    ):  # fmt: skip
        assert model._default_manager.exists()
        assert not model._default_manager.filter(is_demo=False).exists(), model.__name__


@pytest.mark.django_db
def test_full_demo_figures_and_second_run():
    load()
    counts = row_counts()
    assert 950 <= counts["Estate"] <= 1050
    assert 200 <= counts["NeighbourhoodCommittee"] <= 230
    assert 70 <= counts["PropertyCompany"] <= 90
    assert 230 <= counts["ProjectManager"] <= 270
    assert 0.5 * counts["Estate"] <= counts["OwnersCommittee"] <= 0.7 * counts["Estate"]
    residents = Estate.objects.aggregate(n=Sum("residents"))["n"]
    assert abs(residents - CENSUS) <= 0.05 * CENSUS
    assert all(
        uscc_problem(u) is None for u in PropertyCompany.objects.values_list("uscc", flat=True)
    )
    assert Estate.objects.filter(is_pilot=True).count() >= 10
    assert Estate.objects.exclude(aliases="").count() > 100
    assert not Estate.objects.filter(addresses__isnull=True).exists()
    assert not Estate.objects.filter(committee__isnull=True).exists()

    output = load()
    assert row_counts() == counts
    assert "无新增数据" in output


@pytest.mark.django_db
def test_a_small_demo_then_the_full_one_adds_the_rest():
    load(estates=SMALL)
    load(estates=300)
    assert Estate.objects.count() == 300
    assert Studio.objects.count() == len(demo_plan().studios)
    assert User.objects.count() == 39


@pytest.mark.django_db
def test_demo_never_overwrites_an_imported_estate():
    call_command("seed", stdout=StringIO())
    planned = demo_plan().select(SMALL)[3]
    district = District.objects.get(code=PUTUO.code)
    imported = Estate.objects.create(
        district=district,
        subdistrict=Subdistrict.objects.get(code=planned.subdistrict_code),
        name=planned.name,
        households=12,
        residents=34,
    )
    output = load(estates=SMALL)
    imported.refresh_from_db()
    assert imported.is_demo is False
    assert (imported.households, imported.residents) == (12, 34)
    assert imported.addresses.count() == 0
    assert imported.property_company is None
    assert not imported.studios.exists()
    assert Estate.objects.filter(name=planned.name).count() == 1
    assert Estate.objects.filter(is_demo=True).count() == SMALL - 1
    assert planned.name in output


@pytest.mark.django_db
def test_demo_leaves_a_real_account_with_a_demo_user_name_alone():
    call_command("seed", stdout=StringIO())
    real = User.objects.create_user(username="leader", password="Real-leader-2026", role=Role.ADMIN)
    output = load(estates=SMALL)
    real.refresh_from_db()
    assert real.is_demo is False
    assert real.role == Role.ADMIN
    assert real.check_password("Real-leader-2026")
    assert "已有同名的非演示用户" in output


@pytest.mark.django_db
def test_demo_user_logs_in_with_the_demo_password():
    load(estates=SMALL)
    client = Client()
    response = client.post(
        reverse("login"), {"username": "officer_caoyang", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    for user in User.objects.filter(is_demo=True):
        validate_password(DEMO_PASSWORD, user=user)
        assert user.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_estates_option_is_checked():
    with pytest.raises(CommandError):
        load(estates=0)
    with pytest.raises(CommandError):
        load(estates=1001)
