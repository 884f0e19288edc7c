from __future__ import annotations

import factory

from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.regions.tests.factories import DistrictFactory


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"测试部门{n}")
    kind = DepartmentKind.FUNCTIONAL
