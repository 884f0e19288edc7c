from __future__ import annotations

from xiaoqu.core.views import ObjectDetailView

from .models import Case


class CaseDetailView(ObjectDetailView):
    model = Case
    template_name = "core/object_detail.html"
