from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from xiaoqu.core.views import ObjectDetailView, ObjectListView

from . import filtersets, tables
from .models import DeadlineRule, Provision, ReferralTarget, Statute, Threshold, ViolationType


class CatalogDetailView(ObjectDetailView):
    template_name = "core/object_detail.html"
    list_url_name: str = ""

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"list_url": reverse(self.list_url_name)}


class ViolationTypeListView(ObjectListView):
    model = ViolationType
    table_class = tables.ViolationTypeTable
    filterset_class = filtersets.ViolationTypeFilterSet
    select_related = ("penalty_provision__statute", "enforcer")
    export_name = "violation-types"


class ViolationTypeDetailView(CatalogDetailView):
    model = ViolationType
    list_url_name = "law:violationtype_list"


class ReferralTargetListView(ObjectListView):
    model = ReferralTarget
    table_class = tables.ReferralTargetTable
    filterset_class = filtersets.ReferralTargetFilterSet
    select_related = ("department",)
    export_name = "referral-targets"


class ReferralTargetDetailView(CatalogDetailView):
    model = ReferralTarget
    list_url_name = "law:referraltarget_list"


class DeadlineRuleListView(ObjectListView):
    model = DeadlineRule
    table_class = tables.DeadlineRuleTable
    filterset_class = filtersets.DeadlineRuleFilterSet
    export_name = "deadline-rules"


class DeadlineRuleDetailView(CatalogDetailView):
    model = DeadlineRule
    list_url_name = "law:deadlinerule_list"


class ThresholdListView(ObjectListView):
    model = Threshold
    table_class = tables.ThresholdTable
    filterset_class = filtersets.ThresholdFilterSet
    export_name = "thresholds"


class ThresholdDetailView(CatalogDetailView):
    model = Threshold
    list_url_name = "law:threshold_list"


class StatuteListView(ObjectListView):
    model = Statute
    table_class = tables.StatuteTable
    filterset_class = filtersets.StatuteFilterSet
    export_name = "statutes"


class StatuteDetailView(CatalogDetailView):
    model = Statute
    list_url_name = "law:statute_list"


class ProvisionListView(ObjectListView):
    model = Provision
    table_class = tables.ProvisionTable
    filterset_class = filtersets.ProvisionFilterSet
    select_related = ("statute",)
    export_name = "provisions"


class ProvisionDetailView(CatalogDetailView):
    model = Provision
    list_url_name = "law:provision_list"
