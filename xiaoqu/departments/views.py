from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xiaoqu.core.views import ObjectDetailView, ObjectListView

from .filtersets import DepartmentFilterSet
from .models import Department
from .tables import DepartmentTable


class DepartmentListView(ObjectListView):
    model = Department
    table_class = DepartmentTable
    filterset_class = DepartmentFilterSet
    select_related = ("subdistrict",)
    export_name = "departments"
    demo_field = None


class DepartmentDetailView(ObjectDetailView):
    model = Department
    template_name = "departments/department_detail.html"
    select_related = ("subdistrict", "district")

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        from xiaoqu.law.models import ReferralTarget, ViolationType

        return {
            "enforced_types": ViolationType.objects.restrict(request.user)
            .effective()
            .filter(enforcer=obj),
            "assisted_types": ViolationType.objects.restrict(request.user)
            .effective()
            .filter(assisting_departments=obj),
            "referral_targets": ReferralTarget.objects.restrict(request.user)
            .effective()
            .filter(department=obj),
        }
