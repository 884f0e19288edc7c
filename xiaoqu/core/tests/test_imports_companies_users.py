"""Imports of property companies and of users from the command line."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from xiaoqu.accounts.choices import Role
from xiaoqu.accounts.models import User
from xiaoqu.accounts.tests.factories import UserFactory
from xiaoqu.core.imports.choices import ImportMode
from xiaoqu.core.imports.engine import build_layout, import_run
from xiaoqu.core.imports.reader import read_rows
from xiaoqu.core.imports.specs.users import UserImportSpec
from xiaoqu.departments.tests.factories import DepartmentFactory
from xiaoqu.estates.models import PropertyCompany
from xiaoqu.estates.tests.factories import PropertyCompanyFactory, StudioFactory, make_uscc
from xiaoqu.regions.tests.factories import DistrictFactory, SubdistrictFactory


def write_csv(path: Path, rows: Sequence[Any]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def run(command: str, path: Path, *args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(command, str(path), *args, stdout=out)
    return out.getvalue()


# Property companies ---------------------------------------------------------------------------


def test_companies_import_update_and_idempotence(db, tmp_path):
    code_a, code_b = make_uscc(11), make_uscc(12)
    spaced = " ".join([code_b[:6], code_b[6:12].lower(), code_b[12:]])
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["统一社会信用代码", "企业名称", "法定代表人", "注册地址", "联系人", "联系电话"],
            [code_a, "上海甲物业管理有限公司", "张三", "梅川路1号", "李四", "021-1234"],
            [spaced, "上海乙物业管理有限公司", "", "", "", ""],
        ],
    )
    out = run("import_companies", path)
    assert "Created 2, updated 0, unchanged 0, skipped 0." in out
    a = PropertyCompany.objects.get(uscc=code_a)
    assert (a.name, a.legal_representative, a.address, a.contact, a.phone) == (
        "上海甲物业管理有限公司",
        "张三",
        "梅川路1号",
        "李四",
        "021-1234",
    )
    assert PropertyCompany.objects.filter(uscc=code_b, name="上海乙物业管理有限公司").exists()
    assert "Created 0, updated 0, unchanged 2" in run("import_companies", path)
    renamed = write_csv(tmp_path / "r.csv", [["信用代码", "名称"], [code_a, "上海甲物业有限公司"]])
    assert "updated 1" in run("import_companies", renamed)
    a.refresh_from_db()
    assert a.name == "上海甲物业有限公司" and a.legal_representative == "张三"


def test_company_rows_with_errors(db, tmp_path):
    good = make_uscc(21)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["统一社会信用代码", "企业名称"],
            [good, "好公司"],
            [bad_check, "坏校验位公司"],
            ["12345", "短代码公司"],
            ["91310107MA1G8IOOOO", "非法字符公司"],
            [good.lower(), "重复公司"],
            [make_uscc(22), ""],
        ],
    )
    with pytest.raises(CommandError, match="5 rows rejected"):
        run("import_companies", path, "--errors", str(tmp_path / "report.xlsx"))
    assert not PropertyCompany.objects.exists()
    out = run("import_companies", path, "--mode", "skip")
    assert "Created 1, updated 0, unchanged 0, skipped 5." in out
    assert list(PropertyCompany.objects.values_list("uscc", flat=True)) == [good]
    ws = load_workbook(tmp_path / "report.xlsx", read_only=True).worksheets[0]
    lines = [r for r in ws.iter_rows(min_row=3, values_only=True)]
    assert [(r[0], r[1], r[4]) for r in lines] == [
        (3, "统一社会信用代码", "invalid_uscc"),
        (4, "统一社会信用代码", "invalid_uscc"),
        (5, "统一社会信用代码", "invalid_uscc"),
        (6, "统一社会信用代码", "duplicate"),
        (7, "企业名称", "required"),
    ]
    assert lines[1][2] == "A unified social credit code has 18 characters, this one has 5."
    assert lines[2][2] == "Characters not allowed in a unified social credit code: IO."
    assert lines[3][2] == f"“{good.lower()}” already appears in row 2 of this file."


# Users -------------------------------------------------------------------------------------


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    district = DistrictFactory.create()
    sd = SubdistrictFactory.create(district=district, name="长征镇", code="310107102000")
    return {
        "district": district,
        "sd": sd,
        "housing": DepartmentFactory.create(district=district, code="housing", name="区房管局"),
        "company": PropertyCompanyFactory.create(name="甲物业公司"),
        "studio": StudioFactory.create(subdistrict=sd, name="长征城管社区工作室"),
    }


USER_HEADER = ["账号", "姓名", "角色", "所属单位", "手机", "密码"]


def test_users_with_chinese_roles_scopes_and_generated_passwords(org, tmp_path):
    path = write_csv(
        tmp_path / "u.csv",
        [
            USER_HEADER,
            ["zhang", "张三", "执法队员", "长征", "13900000001", ""],
            ["li", "李四", "部门联络员", "housing", "", "Fangguan-2026x"],
            ["wang", "王五", "物业", "甲物业公司", "", ""],
            ["zhao", "赵六", "工作室成员", "长征城管社区工作室", "", ""],
            ["chen", "陈七", "局领导", "", "", ""],
            ["liu", "刘八", "Legal staff", "", "", ""],
            ["sun", "孙九", "subdistrict_manager", "310107102000", "", ""],
        ],
    )
    out = run("import_users", path)
    assert "Created 7, updated 0, unchanged 0, skipped 0." in out
    users = {u.username: u for u in User.objects.all()}
    assert users["zhang"].role == Role.OFFICER and users["zhang"].subdistrict == org["sd"]
    assert users["zhang"].phone == "13900000001"
    assert users["li"].role == Role.LIAISON and users["li"].department == org["housing"]
    assert users["li"].check_password("Fangguan-2026x")
    assert users["wang"].property_company == org["company"]
    assert users["zhao"].studio == org["studio"]
    assert users["chen"].role == Role.LEADER and users["chen"].district == org["district"]
    assert users["liu"].role == Role.LEGAL
    assert users["sun"].subdistrict == org["sd"]
    # Generated passwords: printed once on the console, for the new users without one.
    printed = dict(re.findall(r"^  (\w+)\t\S+\t(\S+)$", out, flags=re.M))
    assert set(printed) == {"zhang", "wang", "zhao", "chen", "liu", "sun"}
    for username, password in printed.items():
        assert users[username].check_password(password)
        assert password not in users[username].password
    # Re-import: nothing changes (the given password still matches), nothing is printed.
    again = run("import_users", path)
    assert "Created 0, updated 0, unchanged 7, skipped 0." in again
    assert "Initial passwords" not in again


def test_generated_passwords_to_a_workbook(org, tmp_path):
    path = write_csv(tmp_path / "u.csv", [["username", "name", "role"], ["a1", "甲", "调度员"]])
    target = tmp_path / "passwords.xlsx"
    out = run("import_users", path, "--passwords", str(target))
    assert "written to" in out and "\t" not in out
    rows = list(load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[1] == ("Row", "Username", "Full name", "Initial password")
    assert rows[2][:3] == (2, "a1", "甲")
    assert User.objects.get(username="a1").check_password(rows[2][3])


def test_user_rows_with_errors(org, tmp_path):
    UserFactory.create(username="root", is_superuser=True, district=org["district"])
    path = write_csv(
        tmp_path / "u.csv",
        [
            ["用户名", "姓名", "角色", "街道", "部门", "密码", "邮箱"],
            ["ok1", "好", "调度员", "", "", "", ""],
            ["nosd", "缺", "执法队员", "", "", "", ""],
            ["badsd", "错", "执法队员", "火星镇", "", "", ""],
            ["baddept", "错", "联络员", "", "不存在局", "", ""],
            ["badrole", "错", "队长", "", "", "", ""],
            ["weak", "弱", "调度员", "", "", "12345", ""],
            ["root", "根", "系统管理员", "", "", "", ""],
            ["bad name", "空格", "调度员", "", "", "", ""],
            ["mail", "邮", "调度员", "", "", "", "not-an-email"],
            ["", "无账号", "调度员", "", "", "", ""],
        ],
    )
    sheet = read_rows(path)
    layout = build_layout(UserImportSpec, sheet)
    with translation.override("en"):
        result = import_run(spec=UserImportSpec(), sheet=sheet, layout=layout, mode=ImportMode.SKIP)
    got = [(e.row, e.column, e.code) for e in result.errors]
    assert got == [
        (3, "街道", "scope_missing"),
        (4, "街道", "unknown_subdistrict"),
        (5, "部门", "unknown_department"),
        (6, "角色", "unknown_role"),
        (7, "密码", "invalid_password"),
        (8, "用户名", "protected_user"),
        (9, "用户名", "invalid_username"),
        (10, "邮箱", "invalid_email"),
        (11, "用户名", "required"),
    ]
    messages = {e.row: e.message for e in result.errors}
    assert messages[3] == "The role “Enforcement officer” needs a subdistrict."
    assert messages[8] == "Superuser accounts cannot be changed by an import."
    assert "This password is too short." in messages[7]
    assert result.created == 1
    assert set(User.objects.values_list("username", flat=True)) == {"root", "ok1"}


def test_scope_missing_points_at_the_role_when_no_scope_column(org, tmp_path):
    path = write_csv(tmp_path / "u.csv", [["账号", "角色"], ["w", "物业人员"]])
    sheet = read_rows(path)
    with translation.override("en"):
        result = import_run(
            spec=UserImportSpec(), sheet=sheet, layout=build_layout(UserImportSpec, sheet)
        )
    assert [(e.row, e.column, e.code) for e in result.errors] == [(2, "角色", "scope_missing")]
    assert result.errors[0].message == "The role “Property company staff” needs a property company."


def test_user_update_changes_role_and_scope_and_keeps_password(org, tmp_path):
    user = UserFactory.create(
        username="moving",
        role=Role.OFFICER,
        subdistrict=org["sd"],
        district=org["district"],
        is_demo=True,
    )
    old_hash = user.password
    path = write_csv(
        tmp_path / "u.csv", [["账号", "角色", "部门"], ["moving", "部门联络员", "区房管局"]]
    )
    out = run("import_users", path)
    assert "updated 1" in out and "Initial passwords" not in out
    user.refresh_from_db()
    assert user.role == Role.LIAISON
    assert user.department == org["housing"]
    assert user.subdistrict is None
    assert user.password == old_hash
    assert user.is_demo is False
