"""Fixtures of the legal catalog tests."""

from __future__ import annotations

from typing import Any, cast

import pytest

from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.law.services import law_catalog_seed
from xiaoqu.regions.models import District
from xiaoqu.regions.tests.factories import DistrictFactory

SEEDED_DEPARTMENTS = ("bureau", "housing", "planning", "greening", "fire", "police")


@pytest.fixture
def district(db: Any) -> District:
    """A district with some of the departments the catalog links to (not all of them)."""
    district = cast(District, DistrictFactory())
    for code in SEEDED_DEPARTMENTS:
        DepartmentFactory(district=district, code=code)
    return district


@pytest.fixture
def catalog(district: District) -> District:
    """The shipped catalog, seeded."""
    law_catalog_seed(district=district)
    return district
