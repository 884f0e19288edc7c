from __future__ import annotations

import django_tables2 as tables
from axes.models import AccessFailureLog, AccessLog
from django.utils.translation import gettext_lazy as _

from .models import User


class UserTable(tables.Table):
    username = tables.Column(linkify=True)
    scope = tables.Column(accessor="scope_object", verbose_name=_("scope"), orderable=False)

    class Meta:
        model = User
        fields = ("username", "name", "role", "scope", "phone", "is_active", "last_login")
        order_by = ("username",)


class LoginTable(tables.Table):
    attempt_time = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("time"))
    ip_address = tables.Column(verbose_name=_("IP address"))
    user_agent = tables.Column(verbose_name=_("browser"))
    logout_time = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("logout"))

    class Meta:
        model = AccessLog
        fields = ("attempt_time", "username", "ip_address", "user_agent", "logout_time")
        order_by = ("-attempt_time",)


class FailedLoginTable(tables.Table):
    attempt_time = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("time"))
    ip_address = tables.Column(verbose_name=_("IP address"))
    user_agent = tables.Column(verbose_name=_("browser"))
    locked_out = tables.BooleanColumn(verbose_name=_("locked out"))

    class Meta:
        model = AccessFailureLog
        fields = ("attempt_time", "username", "ip_address", "user_agent", "locked_out")
        order_by = ("-attempt_time",)
