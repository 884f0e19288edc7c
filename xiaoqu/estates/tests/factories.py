from __future__ import annotations

import factory

from xiaoqu.estates.models import (
    Estate,
    EstateAddress,
    OwnersCommittee,
    ProjectManager,
    PropertyCompany,
    Studio,
)
from xiaoqu.estates.validators import uscc_check_char
from xiaoqu.regions.tests.factories import DistrictFactory, SubdistrictFactory


def make_uscc(n: int) -> str:
    body = f"91310107{n:09d}"[:17]
    return body + uscc_check_char(body)


class PropertyCompanyFactory(factory.django.DjangoModelFactory[PropertyCompany]):
    class Meta:
        model = PropertyCompany

    uscc = factory.Sequence(lambda n: make_uscc(100000 + n))
    name = factory.Sequence(lambda n: f"上海测试{n}物业管理有限公司")


class ProjectManagerFactory(factory.django.DjangoModelFactory[ProjectManager]):
    class Meta:
        model = ProjectManager

    company = factory.SubFactory(PropertyCompanyFactory)
    name = factory.Sequence(lambda n: f"经理{n}")
    phone = "13800000000"


class EstateFactory(factory.django.DjangoModelFactory[Estate]):
    class Meta:
        model = Estate

    district = factory.SubFactory(DistrictFactory)
    subdistrict = factory.SubFactory(
        SubdistrictFactory, district=factory.SelfAttribute("..district")
    )
    name = factory.Sequence(lambda n: f"测试{n}小区")
    households = 500
    residents = 1200


class EstateAddressFactory(factory.django.DjangoModelFactory[EstateAddress]):
    class Meta:
        model = EstateAddress

    estate = factory.SubFactory(EstateFactory)
    road = "测试路"
    number = factory.Sequence(lambda n: str(100 + n))
    address = factory.LazyAttribute(lambda o: f"{o.road}{o.number}弄")


class OwnersCommitteeFactory(factory.django.DjangoModelFactory[OwnersCommittee]):
    class Meta:
        model = OwnersCommittee

    estate = factory.SubFactory(EstateFactory)
    chair = "业委会主任"


class StudioFactory(factory.django.DjangoModelFactory[Studio]):
    class Meta:
        model = Studio

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"测试{n}城管社区工作室")
