from __future__ import annotations

import factory

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.regions.tests.factories import DistrictFactory

TEST_PASSWORD = "Xiaoqu-test-2026"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.DISPATCHER
    district = factory.SubFactory(DistrictFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
