from __future__ import annotations

from typing import Any

import django_tables2 as tables
from axes.models import AccessFailureLog, AccessLog
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from xiaoqu.core.exports import table_xlsx_response
from xiaoqu.core.views import ObjectDetailView, ObjectListView

from .filtersets import UserFilterSet
from .models import User
from .permissions import PlatformAdminRequiredMixin, platform_admin_required
from .tables import FailedLoginTable, LoginTable, UserTable


class UserListView(PlatformAdminRequiredMixin, ObjectListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilterSet
    select_related = ("subdistrict", "department", "property_company", "studio", "district")
    export_name = "users"


class UserDetailView(PlatformAdminRequiredMixin, ObjectDetailView):
    model = User
    template_name = "accounts/user_detail.html"
    select_related = ("subdistrict", "department", "property_company", "studio", "district")

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {
            "logins": AccessLog.objects.filter(username=obj.username).order_by("-attempt_time")[
                :20
            ],
            "failures": AccessFailureLog.objects.filter(username=obj.username).order_by(
                "-attempt_time"
            )[:20],
        }


@platform_admin_required
def login_log(request: HttpRequest) -> HttpResponseBase:
    failed = request.GET.get("kind") == "failed"
    username = request.GET.get("username", "").strip()
    qs: Any = AccessFailureLog.objects.all() if failed else AccessLog.objects.all()
    if username:
        qs = qs.filter(username__icontains=username)
    table: tables.Table = FailedLoginTable(qs) if failed else LoginTable(qs)
    if request.GET.get("export") == "xlsx":
        title = _("Failed logins") if failed else _("Logins")
        return table_xlsx_response(table, title=title, filename="login-log")
    tables.RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "accounts/login_log.html",
        {"title": _("Login log"), "table": table, "failed": failed, "username": username},
    )
