"""Login, lockout, password rules, session expiry, and the login log."""

from __future__ import annotations

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from xiaoqu.conftest import World


def post_login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_succeeds_and_is_recorded(world: World):
    client = Client()
    response = post_login(client, "officer_a", world.password)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert AccessLog.objects.filter(username="officer_a").count() == 1
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "甲街道" in home.content.decode()


def test_failed_login_is_recorded_with_a_chinese_message(world: World):
    client = Client()
    response = post_login(client, "officer_a", "wrong-password-1")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's zh-Hans message
    assert AccessFailureLog.objects.filter(username="officer_a").count() == 1


def test_lockout_after_repeated_failures(world: World):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, "officer_a", "wrong-password-1").status_code == 200
    locked = post_login(client, "officer_a", "wrong-password-1")
    assert locked.status_code == 429
    assert "账户已被暂时锁定" in locked.content.decode()
    # even the right password is refused while locked
    assert post_login(client, "officer_a", world.password).status_code == 429
    assert AccessFailureLog.objects.filter(username="officer_a", locked_out=True).exists()
    # other accounts are not affected
    assert post_login(Client(), "officer_b", world.password).status_code == 302


@pytest.mark.parametrize(
    "password",
    ["short1A", "12345678901234", "password123", "abcdefghijklmn", "officer_a2026"],
)
def test_password_rules_refuse_weak_passwords(world: World, password: str):
    with pytest.raises(ValidationError):
        validate_password(password, user=world.officer_a)


def test_password_rules_accept_a_good_password(world: World):
    validate_password("Qiang-mima-2026x", user=world.officer_a)


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_SAVE_EVERY_REQUEST  # idle timeout, renewed by activity


def test_logout(world: World):
    client = world.client_for(world.dispatcher)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_admin_pages_are_for_platform_admins_only(world: World):
    for user in (world.officer_a, world.dispatcher, world.clerk_a, world.liaison):
        client = world.client_for(user)
        assert client.get(reverse("accounts:user_list")).status_code == 403
        assert client.get(reverse("accounts:login_log")).status_code == 403
        assert (
            client.get(reverse("accounts:user_detail", args=[world.officer_a.pk])).status_code
            == 403
        )
    admin = world.client_for(world.admin)
    assert admin.get(reverse("accounts:user_list")).status_code == 200
    assert admin.get(reverse("accounts:user_detail", args=[world.officer_a.pk])).status_code == 200


def test_login_log_lists_attempts(world: World):
    post_login(Client(), "officer_a", world.password)
    post_login(Client(), "officer_b", "bad-password-9")
    admin = world.client_for(world.admin)
    ok = admin.get(reverse("accounts:login_log")).content.decode()
    assert "officer_a" in ok
    failed = admin.get(reverse("accounts:login_log"), {"kind": "failed"}).content.decode()
    assert "officer_b" in failed


def test_menu_follows_the_role(world: World):
    officer_home = world.client_for(world.officer_a).get(reverse("home")).content.decode()
    assert reverse("accounts:user_list") not in officer_home
    admin_home = world.client_for(world.admin).get(reverse("home")).content.decode()
    assert reverse("accounts:user_list") in admin_home


def test_english_is_selectable(world: World):
    client = world.client_for(world.dispatcher)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("estates:estate_list")).content.decode()
    assert "Export to Excel" in html


def test_initial_password_must_be_changed_first(world: World):
    officer = world.officer_a
    officer.must_change_password = True
    officer.save()
    client = Client()
    assert post_login(client, "officer_a", world.password).status_code == 302
    response = client.get(reverse("estates:estate_list"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert 'data-testid="must-change"' in page
    # a weak new password is refused with the reason
    weak = client.post(
        reverse("password_change"),
        {"old_password": world.password, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200 and "new_password2" in weak.context["form"].errors
    done = client.post(
        reverse("password_change"),
        {
            "old_password": world.password,
            "new_password1": "Zixuan-mima-2031",
            "new_password2": "Zixuan-mima-2031",
        },
    )
    assert done.status_code == 302
    officer.refresh_from_db()
    assert not officer.must_change_password
    assert client.get(reverse("estates:estate_list")).status_code == 200


def test_imported_users_must_change_their_password(world: World):
    from xiaoqu.accounts.services import user_create

    user, generated = user_create(username="new_officer", role="officer", subdistrict=world.sd_a)
    assert generated and user.must_change_password
