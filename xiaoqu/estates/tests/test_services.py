from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from xiaoqu.core.imports.upsert import Outcome
from xiaoqu.estates.choices import RiskGrade
from xiaoqu.estates.models import EstateAddress, ProjectManager, PropertyCompany
from xiaoqu.estates.services import (
    EstateRecord,
    address_parse,
    estate_bulk_upsert,
    estate_upsert,
    project_manager_upsert,
    property_company_upsert,
)
from xiaoqu.estates.tests.factories import (
    EstateFactory,
    ProjectManagerFactory,
    PropertyCompanyFactory,
    make_uscc,
)
from xiaoqu.regions.models import NeighbourhoodCommittee
from xiaoqu.regions.tests.factories import CommitteeFactory, DistrictFactory, SubdistrictFactory


@pytest.fixture
def place(db: Any) -> dict[str, Any]:
    district = DistrictFactory.create()
    return {
        "district": district,
        "sd_a": SubdistrictFactory.create(district=district, name="甲街道"),
        "sd_b": SubdistrictFactory.create(district=district, name="乙街道"),
    }


@pytest.mark.parametrize(
    "address,expected",
    [
        ("梅川路1199弄", ("梅川路", "1199")),
        ("长寿路396-408号", ("长寿路", "396-408")),
        ("真北路２００号", ("真北路", "200")),
        ("武威路 1051 弄", ("武威路", "1051")),
        ("桃浦新村", ("", "")),
    ],
)
def test_address_parse(address, expected):
    assert address_parse(address) == expected


def test_company_upsert_normalises_checks_and_counts(db):
    code = make_uscc(7)
    company, outcome = property_company_upsert(uscc=f" {code.lower()} ", name="甲物业")
    assert outcome == Outcome.CREATED and company.uscc == code
    assert property_company_upsert(uscc=code, name="甲物业")[1] == Outcome.UNCHANGED
    _same, outcome = property_company_upsert(uscc=code, name="甲物业", phone="021-1")
    assert outcome == Outcome.UPDATED
    company.refresh_from_db()
    assert company.phone == "021-1"
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError):
        property_company_upsert(uscc=bad, name="坏")
    assert PropertyCompany.objects.count() == 1


def test_company_upsert_makes_demo_records_real(db):
    company = PropertyCompanyFactory.create(is_demo=True)
    _same, outcome = property_company_upsert(uscc=company.uscc, name=company.name)
    assert outcome == Outcome.UPDATED
    company.refresh_from_db()
    assert not company.is_demo


def test_project_manager_upsert(db):
    company = PropertyCompanyFactory.create()
    manager, outcome = project_manager_upsert(company=company, name="王经理")
    assert outcome == Outcome.CREATED and manager.phone == ""
    assert project_manager_upsert(company=company, name="王经理")[1] == Outcome.UNCHANGED
    assert project_manager_upsert(company=company, name="王经理", phone="139")[1] == Outcome.UPDATED
    assert ProjectManager.objects.get().phone == "139"


def test_estate_upsert_creates_updates_and_leaves_none_alone(place):
    company = PropertyCompanyFactory.create()
    estate, outcome = estate_upsert(
        district=place["district"],
        name="甲小区",
        subdistrict=place["sd_a"],
        committee_name="甲一居委会",
        aliases=["甲村", "甲小区"],
        addresses=["甲路1弄"],
        households=100,
        risk_grade=RiskGrade.KEY,
        property_company=company,
        project_manager_name="李经理",
        project_manager_phone="138",
    )
    assert outcome == Outcome.CREATED
    assert estate.alias_list == ["甲村"]  # its own name is not an alias
    assert estate.committee is not None and estate.committee.subdistrict == place["sd_a"]
    assert estate.project_manager is not None and estate.project_manager.company == company
    assert EstateAddress.objects.get(estate=estate).road == "甲路"
    same, outcome = estate_upsert(district=place["district"], name="甲小区", households=100)
    assert outcome == Outcome.UNCHANGED and same.pk == estate.pk
    _same, outcome = estate_upsert(
        district=place["district"], name="甲小区", addresses=["甲路1弄", "甲路2弄"]
    )
    assert outcome == Outcome.UPDATED
    assert EstateAddress.objects.filter(estate=estate).count() == 2
    estate.refresh_from_db()
    assert estate.households == 100 and estate.risk_grade == RiskGrade.KEY


def test_moving_an_estate_drops_a_committee_of_the_old_subdistrict(place):
    committee = CommitteeFactory.create(subdistrict=place["sd_a"])
    estate = EstateFactory.create(
        district=place["district"], subdistrict=place["sd_a"], committee=committee
    )
    _same, outcome = estate_upsert(
        district=place["district"], name=estate.name, subdistrict=place["sd_b"]
    )
    assert outcome == Outcome.UPDATED
    estate.refresh_from_db()
    assert estate.subdistrict == place["sd_b"] and estate.committee is None


def test_committee_uses_the_stored_subdistrict(place):
    estate = EstateFactory.create(district=place["district"], subdistrict=place["sd_b"])
    estate_upsert(district=place["district"], name=estate.name, committee_name="乙二居委会")
    estate.refresh_from_db()
    assert estate.committee == NeighbourhoodCommittee.objects.get(
        subdistrict=place["sd_b"], name="乙二居委会"
    )


def test_rules_enforced_by_the_services(place):
    other = SubdistrictFactory.create(district=DistrictFactory.create(code="310101", name="黄浦区"))
    with pytest.raises(ValidationError):
        estate_upsert(district=place["district"], name="甲", subdistrict=other)
    with pytest.raises(ValidationError):
        estate_upsert(district=place["district"], name="乙", committee_name="无街道居委会")
    with pytest.raises(ValidationError):
        estate_upsert(district=place["district"], name="丙", project_manager_name="无公司经理")
    with pytest.raises(ValidationError):
        estate_upsert(district=place["district"], name="丁", build_year=1800)
    with pytest.raises(ValidationError):
        estate_upsert(district=place["district"], name=" 戊 ")
    with pytest.raises(ValueError):
        estate_bulk_upsert(
            records=[
                EstateRecord(district=place["district"], name="己"),
                EstateRecord(district=place["district"], name="己"),
            ]
        )


def test_bulk_upsert_shares_managers_and_counts_them_once(place):
    company = PropertyCompanyFactory.create()
    ProjectManagerFactory.create(company=company, name="老经理", phone="1")
    records = [
        EstateRecord(
            district=place["district"],
            name=f"小区{i}",
            property_company=company,
            project_manager_name="新经理" if i % 2 else "老经理",
            project_manager_phone="2",
        )
        for i in range(4)
    ]
    result = estate_bulk_upsert(records=records)
    assert [o for _e, o in result.items] == [Outcome.CREATED] * 4
    assert (result.managers_created, result.managers_updated) == (1, 1)
    assert ProjectManager.objects.filter(company=company).count() == 2
    assert set(ProjectManager.objects.values_list("phone", flat=True)) == {"2"}
