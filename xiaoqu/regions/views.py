from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.estates import selectors as estate_selectors
from xiaoqu.estates.models import Studio
from xiaoqu.estates.tables import EstateTable

from . import selectors
from .filtersets import CommitteeFilterSet, SubdistrictFilterSet
from .geo import boundary_collection
from .models import District, NeighbourhoodCommittee, Subdistrict
from .tables import CommitteeTable, SubdistrictTable


class SubdistrictListView(ObjectListView):
    model = Subdistrict
    table_class = SubdistrictTable
    filterset_class = SubdistrictFilterSet
    selector = selectors.subdistrict_list
    export_name = "subdistricts"


class SubdistrictDetailView(ObjectDetailView):
    model = Subdistrict
    template_name = "regions/subdistrict_detail.html"
    selector = selectors.subdistrict_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        estates = estate_selectors.estate_list(user=request.user).filter(subdistrict=obj)
        return {
            "committees": selectors.committee_list(user=request.user).filter(subdistrict=obj),
            "studios": Studio.objects.restrict(request.user).filter(subdistrict=obj),
            "estate_table": EstateTable(estates[:20], orderable=False),
            "estate_count": estates.count(),
            "map_geojson": boundary_collection([obj], selected=obj),
            "map_source": obj.boundary_source,
        }


class DistrictDetailView(ObjectDetailView):
    model = District
    template_name = "regions/district_detail.html"

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        subdistricts = list(selectors.subdistrict_list(user=request.user).filter(district=obj))
        return {
            "subdistricts": subdistricts,
            "map_geojson": boundary_collection(
                subdistricts,
                values={sd.pk: sd.estate_count for sd in subdistricts},  # type: ignore[attr-defined]
            ),
            "map_value_label": _("estates"),
            "map_source": next(
                (sd.boundary_source for sd in subdistricts if sd.boundary_source), ""
            ),
        }


class CommitteeListView(ObjectListView):
    model = NeighbourhoodCommittee
    table_class = CommitteeTable
    filterset_class = CommitteeFilterSet
    selector = selectors.committee_list
    export_name = "committees"


class CommitteeDetailView(ObjectDetailView):
    model = NeighbourhoodCommittee
    template_name = "regions/committee_detail.html"
    selector = selectors.committee_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        estates = estate_selectors.estate_list(user=request.user).filter(committee=obj)
        return {"estate_table": EstateTable(estates, orderable=False)}
