from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.regions.geo import boundary_collection

from . import grading, selectors
from .choices import GradeSource, RiskGrade
from .filtersets import (
    EstateFilterSet,
    OwnersCommitteeFilterSet,
    ProjectManagerFilterSet,
    PropertyCompanyFilterSet,
    StudioFilterSet,
)
from .forms import GradeSchemeForm, LiftForm, OverrideForm
from .models import (
    Estate,
    EstateGrade,
    GradeScheme,
    OwnersCommittee,
    ProjectManager,
    PropertyCompany,
    Studio,
)
from .tables import (
    GRADE_STYLE,
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
        context.update(grade_context(request, obj))
        context.update(_prevention_context(request, obj))
        return context


def _prevention_context(request: HttpRequest, estate: Estate) -> dict[str, Any]:
    """The estate's recent patrols and the studio pages the user may open."""
    from xiaoqu.patrols.selectors import task_list
    from xiaoqu.studios.selectors import studio_list as studio_pages

    patrols = task_list(user=request.user).filter(estate=estate)
    return {
        "patrols": patrols.order_by("-due_date")[:6],
        "patrols_visible": patrols.exists(),
        "studio_pages": set(
            studio_pages(user=request.user).filter(estates=estate).values_list("pk", flat=True)
        ),
    }


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


# ---------------------------------------------------------------------------------------------
# Risk grades: the estate page's explanation and history, overrides, the grading scheme

HISTORY_MONTHS = 24
STRIP_MONTHS = 12


def _explanation(row: EstateGrade) -> list[dict[str, Any]]:
    data = (row.inputs or {}).get("inputs", {})
    rows = []
    for spec in grading.INPUTS:
        item = data.get(spec.code)
        if item is None:
            continue
        rows.append(
            {
                "code": spec.code,
                "label": spec.label,
                "unit": spec.unit,
                "raw": item.get("raw"),
                "reference": item.get("reference"),
                "weight": item.get("weight"),
                "share": round(100 * (item.get("normalised") or 0)),
                "points": item.get("points"),
                "detail": item.get("detail") or {},
            }
        )
    return rows


def grade_context(
    request: HttpRequest,
    estate: Estate,
    override_form: OverrideForm | None = None,
    lift_form: LiftForm | None = None,
) -> dict[str, Any]:
    """The grade section of the estate page: the current grade and why, the inputs of the
    latest computed month with their points, the scheme, the history, and the forms."""
    month = grading.current_month()
    history = list(
        EstateGrade.objects.restrict(request.user)
        .filter(estate=estate, month__gte=grading.add_months(month, -HISTORY_MONTHS))
        .select_related("scheme", "actor", "lifted_by")
        .order_by("-month", "-computed_at", "-pk")
    )
    computed = [g for g in history if g.source == GradeSource.COMPUTED]
    latest = computed[0] if computed else None
    holding = next((g for g in history if g.holds_in(month)), None)
    by_month = {g.month: g for g in computed}
    strip = []
    for i in range(STRIP_MONTHS - 1, -1, -1):
        m = grading.add_months(month, -i)
        g = by_month.get(m)
        strip.append({"month": m, "grade": g, "style": GRADE_STYLE[g.grade] if g else "light"})
    for g in history:
        g.style = GRADE_STYLE.get(g.grade, "secondary")
    allowed = grading.may_override(request.user)
    return {
        "grade_style": GRADE_STYLE.get(estate.risk_grade, "secondary"),
        "grade_latest": latest,
        "grade_inputs": _explanation(latest) if latest else [],
        "grade_holding": holding,
        "grade_history": history,
        "grade_strip": strip,
        "grade_may_override": allowed,
        "override_form": override_form or (OverrideForm() if allowed else None),
        "lift_form": lift_form or (LiftForm() if allowed else None),
    }


def _estate_page(request: HttpRequest, estate: Estate, **forms: Any) -> HttpResponse:
    view = EstateDetailView()
    context = {
        "object": estate,
        "model_meta": Estate._meta,
        "title": str(estate),
        **view.get_extra_context(request, estate),
    }
    context.update(grade_context(request, estate, **forms))
    return render(request, EstateDetailView.template_name, context, status=400)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@require_POST
def grade_override(request: HttpRequest, pk: int) -> HttpResponse:
    estate = get_object_or_404(selectors.estate_list(user=request.user), pk=pk)
    if not grading.may_override(request.user):
        raise PermissionDenied
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            grading.estate_grade_override(
                estate=estate,
                grade=form.cleaned_data["grade"],
                reason=form.cleaned_data["reason"],
                valid_until=form.cleaned_data["valid_until"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The grade was set by hand."))
            return HttpResponseRedirect(estate.get_absolute_url() + "#grade")
    return _estate_page(request, estate, override_form=form)


@require_POST
def grade_override_lift(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_object_or_404(
        EstateGrade.objects.restrict(request.user).filter(source=GradeSource.OVERRIDE), pk=pk
    )
    if not grading.may_override(request.user):
        raise PermissionDenied
    estate = get_object_or_404(selectors.estate_list(user=request.user), pk=override.estate_id)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            grading.estate_grade_override_lift(
                override=override, actor=request.user, reason=form.cleaned_data["lift_reason"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The override was lifted."))
            return HttpResponseRedirect(estate.get_absolute_url() + "#grade")
    return _estate_page(request, estate, lift_form=form)


def _user_district(request: HttpRequest) -> Any:
    from xiaoqu.regions.models import District

    user: Any = request.user
    district = getattr(user, "district", None)
    if district is None:
        district = District.objects.order_by("pk").first()
    if district is None:
        raise Http404
    return district


def grade_scheme(request: HttpRequest) -> HttpResponse:
    """The grading scheme: the version in force (or the one asked for), its versions, and for
    leaders and administrators the form of a new version."""
    district = _user_district(request)
    month = grading.current_month()
    current = grading.grade_scheme_for(district=district, month=month)
    versions = list(
        GradeScheme.objects.restrict(request.user)
        .filter(district=district)
        .select_related("created_by")
        .order_by("-version")
    )
    shown = current
    asked = request.GET.get("version")
    if asked:
        shown = next((v for v in versions if str(v.version) == asked), None)  # type: ignore[assignment]
        if shown is None:
            raise Http404
    may_edit = grading.may_edit_scheme(request.user)
    form = None
    status = 200
    if may_edit:
        if request.method == "POST":
            form = GradeSchemeForm(request.POST, district=district)
            if form.is_valid():
                values = {f: form.cleaned_data[f] for f in grading.SCHEME_FIELDS}
                try:
                    scheme = grading.grade_scheme_create(
                        district=district,
                        actor=request.user,
                        effective_from=form.cleaned_data["effective_from"],
                        values=values,
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("Version %(version)s of the scheme was recorded.")
                        % {"version": scheme.version},
                    )
                    return HttpResponseRedirect(reverse("estates:grade_scheme"))
            status = 400
        else:
            initial = {f: getattr(current, f) for f in grading.SCHEME_FIELDS}
            initial["effective_from"] = month
            form = GradeSchemeForm(initial=initial, district=district)
    elif request.method == "POST":
        raise PermissionDenied
    rows = [
        {
            "label": spec.label,
            "unit": spec.unit,
            "weight": getattr(shown, spec.weight_field),
            "reference": getattr(shown, spec.reference_field) if spec.reference_field else None,
            "weight_field": form[spec.weight_field] if form else None,
            "reference_field": form[spec.reference_field]
            if form and spec.reference_field
            else None,
        }
        for spec in grading.INPUTS
    ]
    counts = dict(
        Estate.objects.restrict(request.user)
        .filter(district=district)
        .values_list("risk_grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    context = {
        "title": _("Estate grading scheme"),
        "scheme": shown,
        "current": current,
        "versions": versions,
        "rows": rows,
        "form": form,
        "may_edit": may_edit,
        "month": month,
        "grade_counts": [
            {"grade": g, "label": g.label, "count": counts.get(g.value, 0), "style": GRADE_STYLE[g]}
            for g in RiskGrade
        ],
    }
    return render(request, "estates/grade_scheme.html", context, status=status)


@require_POST
def grade_recompute(request: HttpRequest) -> HttpResponse:
    """Recompute this month's grades of the district now (after a new scheme version)."""
    if not grading.may_edit_scheme(request.user):
        raise PermissionDenied
    district = _user_district(request)
    counts = grading.estate_grades_recompute(
        district=district, month=grading.current_month(), actor=request.user
    )
    messages.success(
        request,
        _(
            "Grades of this month recomputed: %(created)s new, %(updated)s changed, %(unchanged)s unchanged."
        )
        % counts,
    )
    return HttpResponseRedirect(reverse("estates:grade_scheme"))
