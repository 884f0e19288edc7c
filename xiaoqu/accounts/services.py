"""Writes to user accounts: create and update, one by one or in bulk.

A user's role decides the scope it must be bound to (accounts.choices.ROLE_SCOPE): an
enforcement officer needs a subdistrict, a liaison a department, and so on. Setting a role
binds the user to that scope and clears the others. Passwords pass Django's password
validators; when a new user is created without one, a strong initial password is generated and
returned to the caller (and only to the caller: it is stored hashed). Superuser accounts are
never changed here.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoqu.core.imports.upsert import BATCH, Outcome, assign_changed, check_fields, chunks, given
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import PropertyCompany, Studio
from xiaoqu.regions.models import District, Subdistrict

from .choices import ROLE_SCOPE, Role
from .models import User

SCOPE_FIELDS = (
    ScopeKind.SUBDISTRICT,
    ScopeKind.DEPARTMENT,
    ScopeKind.PROPERTY_COMPANY,
    ScopeKind.STUDIO,
)
SCOPE_LABELS = {
    ScopeKind.SUBDISTRICT: User._meta.get_field("subdistrict").verbose_name,
    ScopeKind.DEPARTMENT: User._meta.get_field("department").verbose_name,
    ScopeKind.PROPERTY_COMPANY: User._meta.get_field("property_company").verbose_name,
    ScopeKind.STUDIO: User._meta.get_field("studio").verbose_name,
}
# Letters and digits that cannot be mistaken for one another when read out or copied by hand.
_PASSWORD_LOWER = "abcdefghijkmnpqrstuvwxyz"
_PASSWORD_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_PASSWORD_DIGITS = "23456789"


@dataclass(frozen=True)
class UserRecord:
    """A user as a source describes it. None leaves a stored value as it is; `password` None
    keeps the stored password, or generates one for a new user."""

    username: str
    role: str
    district: District | None = None
    subdistrict: Subdistrict | None = None
    department: Department | None = None
    property_company: PropertyCompany | None = None
    studio: Studio | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    password: str | None = None


@dataclass(frozen=True)
class UserUpsert:
    user: User
    outcome: Outcome
    generated_password: str | None = None


def user_scope_problem(
    *,
    role: str,
    subdistrict: Subdistrict | None = None,
    department: Department | None = None,
    property_company: PropertyCompany | None = None,
    studio: Studio | None = None,
) -> str | None:
    """Why a user with `role` cannot be bound to the given scope, or None when it can."""
    if role not in Role.values:
        return _("Unknown role “%(role)s”.") % {"role": role}
    kind = ROLE_SCOPE.get(role, ScopeKind.DISTRICT)
    if kind == ScopeKind.DISTRICT:
        return None
    scope = {
        ScopeKind.SUBDISTRICT: subdistrict,
        ScopeKind.DEPARTMENT: department,
        ScopeKind.PROPERTY_COMPANY: property_company,
        ScopeKind.STUDIO: studio,
    }[ScopeKind(kind)]
    if scope is None:
        return _("The role “%(role)s” needs a %(scope)s.") % {
            "role": Role(role).label,
            "scope": SCOPE_LABELS[ScopeKind(kind)],
        }
    return None


def password_generate(*, user: User | None = None, length: int = 14) -> str:
    """A random initial password that passes the configured password validators."""
    alphabet = _PASSWORD_LOWER + _PASSWORD_UPPER + _PASSWORD_DIGITS
    while True:
        chars = [
            secrets.choice(_PASSWORD_LOWER),
            secrets.choice(_PASSWORD_UPPER),
            secrets.choice(_PASSWORD_DIGITS),
            secrets.choice(_PASSWORD_DIGITS),
        ]
        chars += [secrets.choice(alphabet) for _i in range(length - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def _scope_values(record: UserRecord) -> dict[str, Any]:
    """The role, and the scope it needs set with every other scope cleared."""
    kind = ROLE_SCOPE.get(record.role, ScopeKind.DISTRICT)
    values: dict[str, Any] = {"role": record.role}
    for scope in SCOPE_FIELDS:
        values[scope] = getattr(record, scope) if scope == kind else None
    return values


def _parallel(tasks: list[Callable[[], Any]]) -> list[Any]:
    """Run password hashing in threads: PBKDF2 releases the GIL while it works."""
    if len(tasks) <= 1:
        return [task() for task in tasks]
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda task: task(), tasks))


def _hash_new(password: str) -> Callable[[], str]:
    return lambda: make_password(password)


def _rehash_if_changed(password: str, encoded: str) -> Callable[[], str | None]:
    return lambda: None if check_password(password, encoded) else make_password(password)


def user_bulk_upsert(*, records: Sequence[UserRecord]) -> list[UserUpsert]:
    """Create or update users by username. Returns one UserUpsert per record, in order, with
    the generated initial password of every new user created without a password.

    Raises ValidationError when a role lacks its scope, a password fails the validators, a
    field breaks its rules, or a record names a superuser."""
    usernames = [r.username for r in records]
    if len(set(usernames)) != len(usernames):
        raise ValueError("the same username appears twice")
    existing: dict[str, User] = {}
    for chunk in chunks(usernames):
        existing.update({u.username: u for u in User.objects.filter(username__in=chunk)})
    users: list[User] = []
    outcomes: list[Outcome] = []
    generated: list[str | None] = []
    changed_fields: list[set[str]] = []
    hash_tasks: list[tuple[int, Callable[[], str | None]]] = []
    for index, record in enumerate(records):
        problem = user_scope_problem(
            role=record.role,
            subdistrict=record.subdistrict,
            department=record.department,
            property_company=record.property_company,
            studio=record.studio,
        )
        if problem:
            raise ValidationError(problem, code="scope")
        values = given(
            {
                "name": record.name,
                "phone": record.phone,
                "email": record.email,
                "district": record.district,
            }
        )
        values.update(_scope_values(record))
        user = existing.get(record.username)
        if user is None:
            user = User(username=record.username, **values)
            password = record.password
            generated_password = None
            if password is None:
                password = generated_password = password_generate(user=user)
            else:
                validate_password(password, user)
            user.set_unusable_password()  # replaced by the hash below
            # A password someone else chose is an initial one: changed at first login.
            user.must_change_password = True
            check_fields(user)
            hash_tasks.append((index, _hash_new(password)))
            users.append(user)
            outcomes.append(Outcome.CREATED)
            generated.append(generated_password)
            changed_fields.append(set())
            continue
        if user.is_superuser:
            raise ValidationError(
                _("Superuser accounts cannot be changed here: %(username)s.")
                % {"username": user.username},
                code="protected",
            )
        fields = assign_changed(user, values)
        if user.is_demo:
            user.is_demo = False
            fields.add("is_demo")
        if record.password is not None:
            validate_password(record.password, user)
            hash_tasks.append((index, _rehash_if_changed(record.password, user.password)))
        check_fields(user)
        users.append(user)
        outcomes.append(Outcome.UPDATED if fields else Outcome.UNCHANGED)
        generated.append(None)
        changed_fields.append(fields)
    hashes = _parallel([task for _index, task in hash_tasks])
    for (index, _task), encoded in zip(hash_tasks, hashes, strict=True):
        if encoded is None:
            continue
        users[index].password = encoded
        if outcomes[index] != Outcome.CREATED:
            outcomes[index] = Outcome.UPDATED
            users[index].must_change_password = True
            changed_fields[index].update({"password", "must_change_password"})
    new = [u for u, o in zip(users, outcomes, strict=True) if o == Outcome.CREATED]
    changed = [u for u, o in zip(users, outcomes, strict=True) if o == Outcome.UPDATED]
    update_fields = sorted(set().union(*changed_fields)) if changed_fields else []
    with transaction.atomic():
        User.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            User.objects.bulk_update(changed, update_fields, batch_size=BATCH)
    return [
        UserUpsert(user=u, outcome=o, generated_password=g)
        for u, o, g in zip(users, outcomes, generated, strict=True)
    ]


def user_create(
    *,
    username: str,
    role: str,
    district: District | None = None,
    subdistrict: Subdistrict | None = None,
    department: Department | None = None,
    property_company: PropertyCompany | None = None,
    studio: Studio | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    password: str | None = None,
) -> tuple[User, str | None]:
    """Create a user bound to the scope its role needs. Returns the user and, when no password
    was given, the generated initial password (to hand over once; it is stored hashed only)."""
    if User.objects.filter(username=username).exists():
        raise ValidationError(
            _("A user named %(username)s already exists.") % {"username": username}, code="exists"
        )
    record = UserRecord(
        username=username,
        role=role,
        district=district,
        subdistrict=subdistrict,
        department=department,
        property_company=property_company,
        studio=studio,
        name=name,
        phone=phone,
        email=email,
        password=password,
    )
    done = user_bulk_upsert(records=[record])[0]
    return done.user, done.generated_password


def user_update(
    *,
    user: User,
    role: str | None = None,
    district: District | None = None,
    subdistrict: Subdistrict | None = None,
    department: Department | None = None,
    property_company: PropertyCompany | None = None,
    studio: Studio | None = None,
    name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    password: str | None = None,
) -> bool:
    """Update a user; None leaves a value as it is. Without a new role, the scope given for the
    user's current role replaces its scope. Returns whether anything changed."""
    current: dict[str, Any] = {str(s): getattr(user, s) for s in SCOPE_FIELDS}
    given_scopes = given(
        {
            ScopeKind.SUBDISTRICT: subdistrict,
            ScopeKind.DEPARTMENT: department,
            ScopeKind.PROPERTY_COMPANY: property_company,
            ScopeKind.STUDIO: studio,
        }
    )
    scopes = given_scopes if role is not None else {**current, **given_scopes}
    record = UserRecord(
        username=user.username,
        role=role or user.role,
        district=district,
        subdistrict=scopes.get(ScopeKind.SUBDISTRICT),
        department=scopes.get(ScopeKind.DEPARTMENT),
        property_company=scopes.get(ScopeKind.PROPERTY_COMPANY),
        studio=scopes.get(ScopeKind.STUDIO),
        name=name,
        phone=phone,
        email=email,
        password=password,
    )
    done = user_bulk_upsert(records=[record])[0]
    if done.outcome == Outcome.UPDATED:
        user.refresh_from_db()
        return True
    return False
