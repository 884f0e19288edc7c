from __future__ import annotations

from xiaoqu.core.views import ObjectDetailView

from .models import Complaint, Lead


class LeadDetailView(ObjectDetailView):
    model = Lead
    template_name = "core/object_detail.html"


class ComplaintDetailView(ObjectDetailView):
    model = Complaint
    template_name = "core/object_detail.html"
