from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.accounts.services import (
    UserRecord,
    password_generate,
    user_bulk_upsert,
    user_create,
    user_scope_problem,
    user_update,
)
from xiaoqu.accounts.tests.factories import UserFactory
from xiaoqu.core.imports.upsert import Outcome
from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.regions.tests.factories import DistrictFactory, SubdistrictFactory


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    district = DistrictFactory.create()
    return {
        "district": district,
        "sd": SubdistrictFactory.create(district=district),
        "dept": DepartmentFactory.create(district=district, code="housing"),
    }


def test_password_generate_passes_the_validators(db):
    for _i in range(20):
        password = password_generate()
        validate_password(password)
        assert len(password) == 14
    assert password_generate() != password_generate()


def test_user_create_generates_a_password_only_when_none_is_given(org):
    user, generated = user_create(
        username="officer1", role=Role.OFFICER, district=org["district"], subdistrict=org["sd"]
    )
    assert generated and user.check_password(generated)
    assert generated not in user.password
    assert user.subdistrict == org["sd"] and user.scope_object == org["sd"]
    user2, generated2 = user_create(
        username="leader1", role=Role.LEADER, district=org["district"], password="Lingdao-2026"
    )
    assert generated2 is None and user2.check_password("Lingdao-2026")
    with pytest.raises(ValidationError):
        user_create(username="leader1", role=Role.LEADER)


def test_user_create_checks_scope_and_password(org):
    with pytest.raises(ValidationError):
        user_create(username="x", role=Role.OFFICER, district=org["district"])
    with pytest.raises(ValidationError):
        user_create(username="y", role=Role.LEADER, password="123")
    assert not User.objects.exists()


def test_user_scope_problem():
    assert user_scope_problem(role=Role.DISPATCHER) is None
    assert user_scope_problem(role=Role.LIAISON) is not None
    assert user_scope_problem(role="nobody") is not None


def test_user_update_role_change_rebinds_the_scope(org):
    user = UserFactory.create(role=Role.OFFICER, subdistrict=org["sd"], district=org["district"])
    assert user_update(user=user, role=Role.LIAISON, department=org["dept"]) is True
    assert user.role == Role.LIAISON and user.department == org["dept"]
    assert user.subdistrict is None
    assert user_update(user=user, name=user.name) is False
    assert user_update(user=user, phone="139") is True and user.phone == "139"
    with pytest.raises(ValidationError):
        user_update(user=user, role=Role.STUDIO_MEMBER)


def test_bulk_upsert_is_idempotent_with_passwords(org):
    records = [
        UserRecord(
            username="a", role=Role.DISPATCHER, district=org["district"], password="Diaodu-2026a"
        ),
        UserRecord(username="b", role=Role.LEGAL, district=org["district"]),
    ]
    first = user_bulk_upsert(records=records)
    assert [r.outcome for r in first] == [Outcome.CREATED, Outcome.CREATED]
    assert first[0].generated_password is None and first[1].generated_password
    again = user_bulk_upsert(records=records)
    assert [r.outcome for r in again] == [Outcome.UNCHANGED, Outcome.UNCHANGED]
    changed = user_bulk_upsert(
        records=[UserRecord(username="a", role=Role.DISPATCHER, password="Xinmima-2026b")]
    )
    assert changed[0].outcome == Outcome.UPDATED
    assert User.objects.get(username="a").check_password("Xinmima-2026b")


def test_superusers_are_protected(org):
    root = UserFactory.create(username="root", is_superuser=True)
    with pytest.raises(ValidationError):
        user_bulk_upsert(records=[UserRecord(username="root", role=Role.DISPATCHER)])
    with pytest.raises(ValidationError):
        user_update(user=root, name="x")
