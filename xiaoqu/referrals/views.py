from __future__ import annotations

from xiaoqu.core.views import ObjectDetailView

from .models import AssistanceRequest, Referral


class ReferralDetailView(ObjectDetailView):
    model = Referral
    template_name = "core/object_detail.html"


class AssistanceDetailView(ObjectDetailView):
    model = AssistanceRequest
    template_name = "core/object_detail.html"
