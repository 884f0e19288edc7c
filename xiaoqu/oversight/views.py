"""Pages of the oversight app: the lists of inaction, slow and wrong action, the pilot
candidates and the pilot with its evaluation. Views are thin: selectors read through the
user's jurisdiction, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoqu.core.jurisdiction import ScopeKind
from xiaoqu.core.views import ObjectListView
from xiaoqu.estates.models import Estate

from . import selectors, services
from .filtersets import LapseFilterSet
from .forms import ProgrammeForm, SpreadForm
from .models import Lapse, PilotProgramme
from .tables import LapseTable

SPREAD_DEFAULTS = {"target": 15, "per_subdistrict": 2, "per_type": 3}
READERS = frozenset({ScopeKind.DISTRICT, ScopeKind.SUBDISTRICT, ScopeKind.DEPARTMENT})


def _may_read(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.scope_kind in READERS))


def _check_reader(user: Any) -> None:
    if not _may_read(user):
        raise PermissionDenied


class LapseListView(ObjectListView):
    model = Lapse
    table_class = LapseTable
    filterset_class = LapseFilterSet
    selector = selectors.lapse_list
    template_name = "oversight/lapse_list.html"
    export_name = "inaction-slow-wrong-action"
    demo_field = None

    def get_title(self) -> str:
        return _("Inaction, slow and wrong action")

    def get(self, request: HttpRequest) -> HttpResponseBase:
        _check_reader(request.user)
        return super().get(request)

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        base = self.get_queryset(request)
        filterset = self.filterset_class(request.GET or None, queryset=base, request=request)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        params = request.GET.copy()
        params.pop("page", None)
        return {
            "by_subdistrict": selectors.lapse_counts(qs, "subdistrict"),
            "by_department": selectors.lapse_counts(qs, "department"),
            "params_without": {
                "subdistrict": _without(params, "subdistrict"),
                "department": _without(params, "department"),
            },
        }


def _without(params: Any, key: str) -> str:
    copy = params.copy()
    copy.pop(key, None)
    copy.pop("kind", None)
    return copy.urlencode()


# ---------------------------------------------------------------------------------------------
# Pilot


def _programme(request: HttpRequest) -> PilotProgramme | None:
    pk = request.GET.get("programme")
    if pk and pk.isdigit():
        return get_object_or_404(selectors.programme_list(user=request.user), pk=int(pk))
    return selectors.programme_current(user=request.user)


def _chart(evaluation: selectors.Evaluation) -> dict[str, Any] | None:
    result = evaluation.result
    if result is None:
        return None
    return {
        "months": [m.strftime("%Y-%m") for m in evaluation.months],
        "start": evaluation.months[evaluation.start_index].strftime("%Y-%m"),
        "pilot": [round(v, 2) for v in result.pilot_monthly],
        "control": [round(v, 2) for v in result.control_monthly],
        "labels": {
            "pilot": _("Pilot estates"),
            "control": _("Comparison estates"),
            "start": _("Pilot starts"),
            "unit": _("complaints per 10,000 residents"),
        },
    }


def pilot(request: HttpRequest) -> HttpResponse:
    """The pilot programme: its estates, and its effect measured by difference in
    differences against comparable non-pilot estates."""
    _check_reader(request.user)
    programme = _programme(request)
    evaluation = None
    if programme is not None:
        evaluation = selectors.pilot_evaluation(programme=programme, now=timezone.now())
    context = {
        "title": _("Pilot estates"),
        "programme": programme,
        "programmes": selectors.programme_list(user=request.user),
        "members": selectors.programme_estates(programme) if programme else [],
        "evaluation": evaluation,
        "result": evaluation.result if evaluation else None,
        "chart": _chart(evaluation) if evaluation else None,
        "may_choose": services.may_choose_pilot(request.user),
        "form": ProgrammeForm(initial={"starts_on": timezone.localdate()}),
    }
    return render(request, "oversight/pilot.html", context)


@require_POST
def programme_new(request: HttpRequest) -> HttpResponse:
    if not services.may_choose_pilot(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST)
    if form.is_valid():
        try:
            programme = services.programme_create(
                actor=request.user,
                district=request.user.district,  # type: ignore[union-attr]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Pilot programme recorded."))
            return redirect(reverse("oversight:pilot_candidates") + f"?programme={programme.pk}")
    else:
        messages.error(request, _("Please correct the programme's name and dates."))
    return redirect("oversight:pilot")


@require_POST
def pilot_estate_remove(request: HttpRequest, pk: int, estate_pk: int) -> HttpResponse:
    programme = get_object_or_404(selectors.programme_list(user=request.user), pk=pk)
    estate = get_object_or_404(Estate.objects.restrict(request.user), pk=estate_pk)
    try:
        services.pilot_estate_remove(actor=request.user, programme=programme, estate=estate)
    except PermissionDenied:
        raise
    messages.success(request, _("%(estate)s is no longer a pilot estate.") % {"estate": estate})
    return redirect(reverse("oversight:pilot") + f"?programme={programme.pk}")


def pilot_candidates(request: HttpRequest) -> HttpResponse:
    """Estates suggested for the pilot, and (for leaders and dispatchers) recording the
    chosen ones."""
    _check_reader(request.user)
    programme = _programme(request)
    asked = any(name in request.GET for name in SpreadForm.base_fields)
    spread = SpreadForm(request.GET if asked else None, initial=SPREAD_DEFAULTS)
    params = spread.cleaned_data if asked and spread.is_valid() else {}
    may_choose = services.may_choose_pilot(request.user) and programme is not None
    if request.method == "POST":
        if not may_choose or programme is None:
            raise PermissionDenied
        return _choose(request, programme)
    suggestions = selectors.pilot_candidates(user=request.user, now=timezone.now(), **params)
    present = set(programme.estates.values_list("estate_id", flat=True)) if programme else set()
    start, end = selectors.last_twelve_months(timezone.now())
    context = {
        "title": _("Pilot candidates"),
        "programme": programme,
        "suggestions": suggestions,
        "present": present,
        "spread": spread,
        "may_choose": may_choose,
        "period_start": start,
        "period_end": end,
        "chosen_count": sum(1 for s in suggestions if s.chosen),
        "subdistrict_count": len({s.candidate.subdistrict_id for s in suggestions if s.chosen}),
    }
    return render(request, "oversight/pilot_candidates.html", context)


def _choose(request: HttpRequest, programme: PilotProgramme) -> HttpResponseRedirect:
    ids = [int(v) for v in request.POST.getlist("estate") if v.isdigit()]
    estates = Estate.objects.restrict(request.user).in_bulk(ids)
    chosen = [(estates[i], request.POST.get(f"reason_{i}", "")) for i in ids if i in estates]
    if not chosen:
        messages.error(request, _("Tick at least one estate."))
        return redirect(reverse("oversight:pilot_candidates") + f"?programme={programme.pk}")
    try:
        added = services.pilot_estates_add(actor=request.user, programme=programme, estates=chosen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(count)s estates added to the pilot.") % {"count": len(added)}
        )
    return redirect(reverse("oversight:pilot") + f"?programme={programme.pk}")
