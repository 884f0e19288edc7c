from __future__ import annotations

import factory

from xiaoqu.regions.choices import SubdistrictKind
from xiaoqu.regions.models import District, NeighbourhoodCommittee, Subdistrict


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "310107"
    name = "普陀区"
    city = "上海市"


class SubdistrictFactory(factory.django.DjangoModelFactory[Subdistrict]):
    class Meta:
        model = Subdistrict

    district = factory.SubFactory(DistrictFactory)
    # 12 digits; 100–899 stay clear of the codes the `world` fixture uses (901, 902)
    code = factory.Sequence(lambda n: f"310107{100 + n % 800:03d}000")
    name = factory.Sequence(lambda n: f"测试{n}街道")
    kind = SubdistrictKind.STREET


class CommitteeFactory(factory.django.DjangoModelFactory[NeighbourhoodCommittee]):
    class Meta:
        model = NeighbourhoodCommittee

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"测试{n}居委会")
