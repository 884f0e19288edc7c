from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.regions.geo import boundary_collection

from . import selectors
from .filtersets import (
    EstateFilterSet,
    OwnersCommitteeFilterSet,
    ProjectManagerFilterSet,
    PropertyCompanyFilterSet,
    StudioFilterSet,
)
from .models import Estate, OwnersCommittee, ProjectManager, PropertyCompany, Studio
from .tables import (
    EstateTable,
    OwnersCommitteeTable,
    ProjectManagerTable,
    PropertyCompanyTable,
    StudioTable,
)


class EstateListView(ObjectListView):
    model = Estate
    table_class = EstateTable
    filterset_class = EstateFilterSet
    selector = selectors.estate_list
    export_name = "estates"
    actions_template = "estates/estate_list_actions.html"


class EstateDetailView(ObjectDetailView):
    model = Estate
    template_name = "estates/estate_detail.html"
    selector = selectors.estate_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        owners_committee = OwnersCommittee.objects.restrict(request.user).filter(estate=obj).first()
        context: dict[str, Any] = {
            "studios": Studio.objects.restrict(request.user).filter(estates=obj),
            "owners_committee": owners_committee,
        }
        if obj.subdistrict is not None and obj.latitude is not None and obj.longitude is not None:
            context["map_geojson"] = boundary_collection(
                [obj.subdistrict],
                points=[(obj.name, float(obj.longitude), float(obj.latitude))],
            )
            context["map_source"] = obj.subdistrict.boundary_source
        return context


class PropertyCompanyListView(ObjectListView):
    model = PropertyCompany
    table_class = PropertyCompanyTable
    filterset_class = PropertyCompanyFilterSet
    selector = selectors.company_list
    export_name = "property-companies"


class PropertyCompanyDetailView(ObjectDetailView):
    model = PropertyCompany
    template_name = "estates/company_detail.html"
    selector = selectors.company_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        estates = selectors.estate_list(user=request.user).filter(property_company=obj)
        return {
            "estate_table": EstateTable(estates, orderable=False, exclude=("property_company",)),
            "managers": selectors.manager_list(user=request.user).filter(company=obj),
        }


class ProjectManagerListView(ObjectListView):
    model = ProjectManager
    table_class = ProjectManagerTable
    filterset_class = ProjectManagerFilterSet
    selector = selectors.manager_list
    export_name = "project-managers"


class ProjectManagerDetailView(ObjectDetailView):
    model = ProjectManager
    template_name = "estates/manager_detail.html"
    selector = selectors.manager_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        estates = selectors.estate_list(user=request.user).filter(project_manager=obj)
        return {"estate_table": EstateTable(estates, orderable=False)}


class OwnersCommitteeListView(ObjectListView):
    model = OwnersCommittee
    table_class = OwnersCommitteeTable
    filterset_class = OwnersCommitteeFilterSet
    selector = selectors.owners_committee_list
    export_name = "owners-committees"


class OwnersCommitteeDetailView(ObjectDetailView):
    model = OwnersCommittee
    template_name = "estates/owners_committee_detail.html"
    selector = selectors.owners_committee_list


class StudioListView(ObjectListView):
    model = Studio
    table_class = StudioTable
    filterset_class = StudioFilterSet
    selector = selectors.studio_list
    export_name = "studios"


class StudioDetailView(ObjectDetailView):
    model = Studio
    template_name = "estates/studio_detail.html"
    selector = selectors.studio_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        estates = selectors.estate_list(user=request.user).filter(studios=obj)
        return {"estate_table": EstateTable(estates, orderable=False)}
