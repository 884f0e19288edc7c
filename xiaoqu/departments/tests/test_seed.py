"""Departments of the seed: the bureau, its sections, the functional departments, and each
subdistrict's enforcement team and office."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.departments.seed import departments_seed
from xiaoqu.law.models import ReferralTarget, ViolationType
from xiaoqu.regions.models import District, Subdistrict
from xiaoqu.regions.seed import regions_seed

pytestmark = pytest.mark.django_db

DISTRICT_CODES = {
    "bureau": DepartmentKind.BUREAU,
    "bureau-legal": DepartmentKind.BUREAU_SECTION,
    "bureau-command": DepartmentKind.BUREAU_SECTION,
    "housing": DepartmentKind.FUNCTIONAL,
    "greening": DepartmentKind.FUNCTIONAL,
    "planning": DepartmentKind.FUNCTIONAL,
    "justice": DepartmentKind.FUNCTIONAL,
    "fire": DepartmentKind.FUNCTIONAL,
    "sports": DepartmentKind.FUNCTIONAL,
    "police": DepartmentKind.FUNCTIONAL,
    "market": DepartmentKind.FUNCTIONAL,
    "environment": DepartmentKind.FUNCTIONAL,
}


@pytest.fixture
def district() -> District:
    return regions_seed().district


def test_every_department_code_is_seeded(district: District):
    departments_seed(district=district)
    kinds = dict(Department.objects.filter(district=district).values_list("code", "kind"))
    for code, kind in DISTRICT_CODES.items():
        assert kinds[code] == kind
    for sd in Subdistrict.objects.filter(district=district):
        assert kinds[f"team-{sd.code}"] == DepartmentKind.ENFORCEMENT_TEAM
        assert kinds[f"office-{sd.code}"] == DepartmentKind.SUBDISTRICT_OFFICE
    assert len(kinds) == len(DISTRICT_CODES) + 2 * 10


def test_names_of_the_bureau_teams_and_offices(district: District):
    departments_seed(district=district)
    names = dict(Department.objects.values_list("code", "name"))
    assert names["bureau"] == "普陀区城市管理行政执法局"
    assert names["team-310107005000"] == "曹杨新村街道城管执法中队"
    assert names["office-310107005000"] == "曹杨新村街道办事处"
    assert names["office-310107103000"] == "桃浦镇人民政府"
    team = Department.objects.get(code="team-310107005000")
    assert team.subdistrict is not None and team.subdistrict.code == "310107005000"
    assert Department.objects.get(code="housing").short_name == "区房管局"


def test_every_department_has_duties_and_functional_ones_referral_matters(district: District):
    departments_seed(district=district)
    assert not Department.objects.filter(duties="").exists()
    functional = Department.objects.filter(kind=DepartmentKind.FUNCTIONAL)
    assert not functional.filter(referral_matters="").exists()
    housing = Department.objects.get(code="housing")
    assert "失信记分" in housing.duties
    assert "物业服务企业" in housing.duties
    assert "法制审核" in Department.objects.get(code="justice").duties


def test_departments_seed_is_idempotent_and_keeps_edits(district: District):
    first = departments_seed(district=district)
    Department.objects.filter(code="housing").update(phone="021-00000000", duties="edited")
    second = departments_seed(district=district)
    assert first.created == 32
    assert second.created == 0
    assert second.unchanged == 32
    housing = Department.objects.get(code="housing")
    assert housing.duties == "edited"
    assert Department.objects.count() == 32


def test_seed_links_the_legal_catalog_to_the_departments():
    call_command("seed", stdout=StringIO())
    assert ReferralTarget.objects.exists()
    assert not ReferralTarget.objects.filter(department__isnull=True).exists()
    assert ViolationType.objects.filter(enforcer__code="bureau").exists()


def test_referral_targets_of_the_reference_catalog_are_departments(district: District):
    path = settings.XIAOQU_SHARED_DATA / "violation_catalog.yaml"
    if not path.exists():
        pytest.skip(f"reference data not found: {path} (set XIAOQU_SHARED_DATA to ../shared/data)")
    # The reference file is not strict YAML: read the keys of its referral_targets block.
    block = path.read_text(encoding="utf-8").split("\nreferral_targets:\n", 1)[1]
    targets = set(re.findall(r"^  ([a-z_]+):", block, flags=re.MULTILINE))
    assert len(targets) >= 9
    departments_seed(district=district)
    codes = set(Department.objects.values_list("code", flat=True))
    assert targets <= codes
