"""Import of user accounts: username, role and the scope the role needs, optional password.

New users without a password get a generated initial password, returned only in the import's
result (console output or a one-time download), never stored in clear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoqu.accounts.choices import ROLE_SCOPE, Role
from xiaoqu.accounts.models import User
from xiaoqu.accounts.services import SCOPE_LABELS, UserRecord, user_bulk_upsert
from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.regions.models import District, Subdistrict

from ..choices import ImportKind
from ..engine import (
    Credential,
    ImportSpec,
    Layout,
    RowReader,
    TargetField,
    WriteProgress,
    WriteSummary,
)
from ..parsing import FieldError, cell_text, squeeze
from .estates import DistrictMixin
from .lookups import fold

# Chinese names of the roles as bureaus write them (the role labels are English source strings).
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    Role.ADMIN: ("系统管理员", "管理员", "平台管理员"),
    Role.LEADER: ("局领导", "领导", "分管领导"),
    Role.DISPATCHER: ("调度员", "调度", "指挥中心", "派单员"),
    Role.LEGAL: ("法制", "法制员", "法制人员", "法制科", "法制审核"),
    Role.OFFICER: ("执法队员", "执法人员", "执法员", "队员"),
    Role.SUBDISTRICT_MANAGER: ("街镇管理员", "街道管理员", "街镇管理人员", "街道管理人员"),
    Role.LIAISON: ("部门联络员", "联络员", "部门联系人"),
    Role.PROPERTY_STAFF: ("物业", "物业人员", "物业公司人员", "物业员工", "物业服务企业人员"),
    Role.STUDIO_MEMBER: ("工作室", "工作室成员", "社区工作室成员", "城管社区工作室成员"),
}


def _role_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for role in Role:
        words = [role.value, *ROLE_WORDS.get(role, ())]
        with translation.override("en"):
            words.append(str(role.label))
        words.append(str(role.label))  # in the active language
        for word in words:
            index.setdefault(fold(word).lower(), role.value)
    return index


def parse_username(value: Any) -> str:
    username = cell_text(value)
    field = User._meta.get_field("username")
    if len(username) > (field.max_length or 150):
        raise FieldError(
            "too_long",
            _("Too long: at most %(max)d characters, this value has %(n)d.")
            % {"max": field.max_length, "n": len(username)},
        )
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise FieldError("invalid_username", " ".join(exc.messages)) from exc
    return username


def parse_email(value: Any) -> str:
    email = cell_text(value)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise FieldError("invalid_email", " ".join(exc.messages)) from exc
    return email


class UserImportSpec(DistrictMixin, ImportSpec):
    kind = ImportKind.USERS
    key_fields = ("username",)
    secret_fields = frozenset({"password"})
    fields = (
        TargetField(
            "username",
            gettext_lazy("Username"),
            ("用户名", "账号", "帐号", "登录名", "登录账号", "工号", "login"),
            required=True,
        ),
        TargetField("name", gettext_lazy("Full name"), ("姓名", "名字", "真实姓名", "full name")),
        TargetField(
            "role", gettext_lazy("Role"), ("角色", "岗位", "身份", "用户角色"), required=True
        ),
        TargetField("district", gettext_lazy("District"), ("区", "所属区")),
        TargetField(
            "subdistrict", gettext_lazy("Subdistrict"), ("街道", "街镇", "所属街道", "所属街镇")
        ),
        TargetField(
            "department",
            gettext_lazy("Department (code or name)"),
            ("部门", "所属部门", "职能部门"),
        ),
        TargetField(
            "property_company",
            gettext_lazy("Property company (credit code or name)"),
            ("物业公司", "物业服务企业", "所属物业", "property company"),
        ),
        TargetField(
            "studio", gettext_lazy("Community studio"), ("工作室", "社区工作室", "城管社区工作室")
        ),
        TargetField(
            "unit",
            gettext_lazy("Unit (read according to the role)"),
            ("所属单位", "单位", "组织", "所属组织", "scope", "organisation", "organization"),
        ),
        TargetField(
            "phone",
            gettext_lazy("Phone"),
            ("手机", "手机号", "手机号码", "电话", "联系电话", "mobile"),
        ),
        TargetField("email", gettext_lazy("Email"), ("邮箱", "电子邮箱", "电子邮件", "e-mail")),
        TargetField("password", gettext_lazy("Password"), ("密码", "初始密码")),
    )

    def prepare(self, layout: Layout) -> None:
        self.load_district(layout)
        self.roles = _role_index()
        self.superusers = set(
            User.objects.filter(is_superuser=True).values_list("username", flat=True)
        )

    def parse_role(self, value: Any) -> str:
        text = fold(cell_text(value)).lower()
        role = self.roles.get(text)
        if role is None:
            raise FieldError(
                "unknown_role",
                _("Unknown role “%(value)s”; the roles are: %(roles)s.")
                % {
                    "value": cell_text(value),
                    "roles": "、".join(w[0] for w in ROLE_WORDS.values()),
                },
            )
        return role

    def _scope(self, row: RowReader, column: str, parser: Callable[[Any], Any]) -> tuple[bool, Any]:
        """Read the scope from `column`, else from the generic unit column: (whether a cell was
        given, the scope or None when the cell could not be read and has its error)."""
        for name in (column, "unit"):
            if row.has(name):
                return True, row.parse(name, parser)
        return False, None

    def parse_row(self, row: RowReader) -> UserRecord | None:
        username = row.parse("username", parse_username)
        name = row.text("name", max_length=50)
        role = row.parse("role", self.parse_role)
        district = self.row_district(row)
        phone = row.parse("phone", lambda v: squeeze(cell_text(v))[:40])
        email = row.parse("email", parse_email)
        password = row.parse("password", cell_text)
        if username and username in self.superusers:
            row.error(
                "username",
                "protected_user",
                _("Superuser accounts cannot be changed by an import."),
            )
        scope: dict[str, Any] = {}
        if role is not None and district is not None:
            kind = ROLE_SCOPE.get(role, ScopeKind.DISTRICT)
            given, found = self._read_scope(row, kind, district)
            if kind != ScopeKind.DISTRICT and not given:
                column = next(
                    (c for c in (kind, "unit") if row.mapped(c)),
                    "role",
                )
                row.error(
                    column,
                    "scope_missing",
                    _("The role “%(role)s” needs a %(scope)s.")
                    % {"role": Role(role).label, "scope": SCOPE_LABELS[ScopeKind(kind)]},
                )
            elif found is not None:
                scope[kind] = found
        if password and username:
            candidate = User(username=username, name=name or "", email=email or "")
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                row.error("password", "invalid_password", " ".join(exc.messages))
        if row.errors or username is None or role is None:
            return None
        return UserRecord(
            username=username,
            role=role,
            district=district,
            name=name,
            phone=phone,
            email=email,
            password=password or None,
            **scope,
        )

    def _read_scope(self, row: RowReader, kind: str, district: District) -> tuple[bool, Any]:
        lookups = self.lookups
        if kind == ScopeKind.SUBDISTRICT:
            return self._scope(row, "subdistrict", lambda v: lookups.subdistrict(v, district))
        if kind == ScopeKind.DEPARTMENT:
            return self._scope(row, "department", lambda v: lookups.department(v, district))
        if kind == ScopeKind.PROPERTY_COMPANY:
            return self._scope(row, "property_company", lookups.company)
        if kind == ScopeKind.STUDIO:
            subdistrict: Subdistrict | None = None
            if row.has("subdistrict"):
                try:
                    subdistrict = lookups.subdistrict(row.raw("subdistrict"), district)
                except FieldError:
                    subdistrict = None
            return self._scope(row, "studio", lambda v: lookups.studio(v, district, subdistrict))
        return False, None

    def write(
        self,
        items: Sequence[tuple[int, Any]],
        *,
        actor: User | None = None,
        progress: WriteProgress | None = None,
    ) -> WriteSummary:
        done = user_bulk_upsert(records=[record for _row, record in items])
        if progress is not None:
            progress(len(items), len(items))
        credentials = [
            Credential(
                row=row,
                username=result.user.username,
                name=result.user.name,
                password=result.generated_password,
            )
            for (row, _record), result in zip(items, done, strict=True)
            if result.generated_password
        ]
        return WriteSummary(outcomes=[r.outcome for r in done], credentials=credentials)
