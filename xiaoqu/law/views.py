from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views import View

from xiaoqu.core.views import ObjectDetailView, ObjectListView

from . import filtersets, selectors, services, tables
from .forms import FORM_CLASSES, CatalogForm, WorkingDayCalculatorForm
from .models import (
    CalendarDay,
    DeadlineRule,
    Effective,
    Provision,
    ReferralTarget,
    Statute,
    Threshold,
    ViolationType,
)
from .permissions import can_edit_catalog

# One-character weekday headers for the month grids (一 二 三 … in Chinese).
WEEKDAY_HEADERS = [
    pgettext_lazy("weekday header", "Mo"),
    pgettext_lazy("weekday header", "Tu"),
    pgettext_lazy("weekday header", "We"),
    pgettext_lazy("weekday header", "Th"),
    pgettext_lazy("weekday header", "Fr"),
    pgettext_lazy("weekday header", "Sa"),
    pgettext_lazy("weekday header", "Su"),
]


URL_PREFIX = {
    Statute: "statute",
    Provision: "provision",
    ViolationType: "violationtype",
    ReferralTarget: "referraltarget",
    DeadlineRule: "deadlinerule",
    Threshold: "threshold",
    CalendarDay: "calendarday",
}


def versioned(model: type[models.Model]) -> bool:
    return issubclass(model, Effective) and model.version_key is not None


def _history(entry: models.Model) -> list[dict[str, Any]]:
    """The entry's recorded changes with field labels, newest first."""
    labels = {f.name: str(getattr(f, "verbose_name", f.name)) for f in entry._meta.get_fields()}
    rows = []
    for change in selectors.catalog_history(entry=entry):
        fields = [
            (labels.get(name, name), before, after)
            for name, before, after in change.changed_fields()
        ]
        rows.append({"change": change, "fields": fields})
    return rows


# --- lists and detail pages ----------------------------------------------------------------


class CatalogListView(ObjectListView):
    actions_template = "law/list_actions.html"
    demo_field = None

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        can_edit = can_edit_catalog(request.user)
        prefix = URL_PREFIX[self.model]
        return {
            "can_edit": can_edit,
            "add_url": reverse(f"law:{prefix}_add") if can_edit else "",
        }


class CatalogDetailView(ObjectDetailView):
    template_name = "law/catalog_detail.html"
    list_url_name: str = ""
    detail_exclude: ClassVar[str] = ""

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        can_edit = can_edit_catalog(request.user)
        prefix = URL_PREFIX[self.model]
        is_versioned = versioned(self.model)
        versions = list(obj.versions()) if is_versioned else []
        context: dict[str, Any] = {
            "list_url": reverse(f"law:{prefix}_list"),
            "can_edit": can_edit,
            "edit_url": reverse(f"law:{prefix}_edit", args=[obj.pk]) if can_edit else "",
            "versions": versions if len(versions) > 1 else [],
            "history": _history(obj),
            "detail_exclude": self.detail_exclude,
        }
        if can_edit and is_versioned and versions[0].pk == obj.pk:
            context["new_version_url"] = reverse(f"law:{prefix}_new_version", args=[obj.pk])
        return context


class ViolationTypeListView(CatalogListView):
    model = ViolationType
    table_class = tables.ViolationTypeTable
    filterset_class = filtersets.ViolationTypeFilterSet
    select_related = ("penalty_provision__statute", "enforcer")
    export_name = "violation-types"


class ViolationTypeDetailView(CatalogDetailView):
    model = ViolationType
    template_name = "law/violationtype_detail.html"
    select_related = ("penalty_provision__statute", "enforcer")

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        context = super().get_extra_context(request, obj)
        on = timezone.localdate()
        if obj.effective_to is not None and obj.effective_to <= on:
            on = obj.effective_to - dt.timedelta(days=1)
        elif obj.effective_from > on:
            on = obj.effective_from
        specific, general = selectors.violation_type_deadline_rules(violation_type=obj, on=on)
        context.update(
            {
                "prohibitions": obj.prohibitions.select_related("statute"),
                "assisting": obj.assisting_departments.all(),
                "specific_rules": specific,
                "general_rules": general,
                "rules_on": on,
                "simplified": selectors.threshold_get(code="simplified_procedure", on=on),
                "legal_review": selectors.threshold_get(code="legal_review", on=on),
            }
        )
        return context


class ReferralTargetListView(CatalogListView):
    model = ReferralTarget
    table_class = tables.ReferralTargetTable
    filterset_class = filtersets.ReferralTargetFilterSet
    select_related = ("department",)
    export_name = "referral-targets"


class ReferralTargetDetailView(CatalogDetailView):
    model = ReferralTarget
    select_related = ("department",)


class DeadlineRuleListView(CatalogListView):
    model = DeadlineRule
    table_class = tables.DeadlineRuleTable
    filterset_class = filtersets.DeadlineRuleFilterSet
    export_name = "deadline-rules"


class DeadlineRuleDetailView(CatalogDetailView):
    model = DeadlineRule
    select_related = ("provision__statute",)

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        context = super().get_extra_context(request, obj)
        context["related_types"] = [
            vt
            for vt in selectors.violation_type_list(user=request.user)
            if obj.code in (vt.deadline_codes or [])
        ]
        return context


class ThresholdListView(CatalogListView):
    model = Threshold
    table_class = tables.ThresholdTable
    filterset_class = filtersets.ThresholdFilterSet
    export_name = "thresholds"


class ThresholdDetailView(CatalogDetailView):
    model = Threshold


class StatuteListView(CatalogListView):
    model = Statute
    table_class = tables.StatuteTable
    filterset_class = filtersets.StatuteFilterSet
    export_name = "statutes"


class StatuteDetailView(CatalogDetailView):
    model = Statute

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        context = super().get_extra_context(request, obj)
        context["provisions"] = selectors.provisions_in_order().filter(statute=obj)
        return context


class ProvisionListView(CatalogListView):
    model = Provision
    table_class = tables.ProvisionTable
    filterset_class = filtersets.ProvisionFilterSet
    select_related = ("statute",)
    export_name = "provisions"


class ProvisionDetailView(CatalogDetailView):
    model = Provision
    select_related = ("statute",)

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        context = super().get_extra_context(request, obj)
        types = ViolationType.objects.restrict(request.user)
        context["prohibiting_types"] = types.filter(prohibitions=obj)
        context["penalising_types"] = types.filter(penalty_provision=obj)
        context["deadline_rules"] = DeadlineRule.objects.restrict(request.user).filter(
            provision=obj
        )
        return context


# --- editing -------------------------------------------------------------------------------


class CatalogEditorRequiredMixin:
    """Only legal staff and administrators may change the catalog (403 for others)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_edit_catalog(request.user):
            raise PermissionDenied(_("Only legal staff and administrators may change the catalog."))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def _apply_errors(form: CatalogForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_values(form: CatalogForm, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name]
        for name, field in form.fields.items()
        if not field.disabled and name in form.cleaned_data and name not in skip
    }


class CatalogFormView(CatalogEditorRequiredMixin, View):
    """Create, edit, or replace from a date ("new version") one catalog entry."""

    model: type[models.Model] | None = None
    mode: str = "edit"
    template_name = "law/catalog_form.html"

    def get_model(self) -> type[models.Model]:
        assert self.model is not None
        return self.model

    def get_entry(self, request: HttpRequest, pk: int | None) -> models.Model | None:
        if pk is None:
            return None
        qs = self.get_model()._default_manager.restrict(request.user)  # type: ignore[attr-defined]
        return get_object_or_404(qs, pk=pk)

    def build_form(
        self, request: HttpRequest, entry: models.Model | None, data: Any = None
    ) -> CatalogForm:
        form_class = FORM_CLASSES[self.get_model()]
        if self.mode == "create":
            return form_class(data, user=request.user, mode="create", initial=self.initial(request))
        assert entry is not None
        if self.mode == "new_version":
            copy = type(entry)._default_manager.get(pk=entry.pk)
            copy.pk = None
            copy._state.adding = True
            initial = {f.name: list(getattr(entry, f.name).all()) for f in entry._meta.many_to_many}
            return form_class(
                data,
                user=request.user,
                mode="new_version",
                replaces=entry,  # type: ignore[arg-type]
                instance=copy,
                initial=initial,
            )
        return form_class(data, user=request.user, mode="edit", instance=entry)

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def list_url(self) -> str:
        return reverse(f"law:{URL_PREFIX[self.get_model()]}_list")

    def save(self, request: HttpRequest, form: CatalogForm, entry: models.Model | None) -> Any:
        user = request.user
        if self.mode == "create":
            return services.catalog_entry_create(
                model=self.get_model(),
                values=_form_values(form),
                actor=user,  # type: ignore[arg-type]
            )
        assert entry is not None
        if self.mode == "new_version":
            return services.catalog_entry_new_version(
                entry=entry,  # type: ignore[type-var]
                effective_from=form.cleaned_data["effective_from"],
                values=_form_values(form, skip=("effective_from",)),
                actor=user,  # type: ignore[arg-type]
            )
        return services.catalog_entry_update(entry=entry, values=_form_values(form), actor=user)  # type: ignore[arg-type]

    def success_url(self, saved: Any) -> str:
        return str(saved.get_absolute_url())

    def render_form(
        self, request: HttpRequest, form: CatalogForm, entry: models.Model | None
    ) -> HttpResponse:
        meta = self.get_model()._meta
        titles = {
            "create": _("New %(kind)s") % {"kind": meta.verbose_name},
            "edit": _("Edit %(kind)s") % {"kind": meta.verbose_name},
            "new_version": _("New version of %(kind)s") % {"kind": meta.verbose_name},
        }
        cancel = (
            entry.get_absolute_url()  # type: ignore[attr-defined]
            if entry is not None
            else self.list_url()
        )
        context = {
            "form": form,
            "entry": entry,
            "mode": self.mode,
            "title": titles[self.mode],
            "model_meta": meta,
            "cancel_url": cancel,
        }
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        entry = self.get_entry(request, pk)
        self.check_entry(entry)
        return self.render_form(request, self.build_form(request, entry), entry)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        entry = self.get_entry(request, pk)
        self.check_entry(entry)
        form = self.build_form(request, entry, request.POST)
        if form.is_valid():
            try:
                saved = self.save(request, form, entry)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(self.success_url(saved))
        return self.render_form(request, form, entry)

    def check_entry(self, entry: models.Model | None) -> None:
        """A new version can only replace the latest version."""
        if self.mode == "new_version" and isinstance(entry, Effective):
            latest = entry.versions().first()
            if latest is not None and latest.pk != entry.pk:
                raise PermissionDenied(_("Only the latest version can be replaced."))


# --- the working-day calendar --------------------------------------------------------------


class CalendarView(View):
    """A year of the working-day calendar, the overrides, and a working-day calculator."""

    template_name = "law/calendar.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 1950), 2200)
        calc_form = WorkingDayCalculatorForm(
            request.GET if "start" in request.GET else None,
            initial={"start": today, "n": 5, "unit": "working_days"},
        )
        calculation = None
        if calc_form.is_bound and calc_form.is_valid():
            calculation = selectors.calendar_calculation(
                start=calc_form.cleaned_data["start"],
                n=calc_form.cleaned_data["n"],
                unit=calc_form.cleaned_data["unit"],
            )
        context = {
            "title": _("Working-day calendar"),
            "cal": selectors.calendar_year(year=year),
            "weekdays": WEEKDAY_HEADERS,
            "can_edit": can_edit_catalog(request.user),
            "calc_form": calc_form,
            "calculation": calculation,
            "history": selectors.calendar_history()[:20],
        }
        return render(request, self.template_name, context)


class CalendarDayFormView(CatalogFormView):
    model = CalendarDay

    def list_url(self) -> str:
        return reverse("law:calendar")

    def initial(self, request: HttpRequest) -> dict[str, Any]:
        try:
            day = dt.date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            return {}
        weekend = day.weekday() >= 5
        return {"date": day, "is_workday": weekend}


class CalendarDayDeleteView(CatalogEditorRequiredMixin, View):
    template_name = "law/calendarday_confirm_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(CalendarDay.objects.restrict(request.user), pk=pk)
        return render(
            request,
            self.template_name,
            {"title": _("Delete calendar override"), "entry": entry},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(CalendarDay.objects.restrict(request.user), pk=pk)
        year = entry.date.year
        services.calendar_day_delete(entry=entry, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The override was deleted."))
        return redirect(f"{reverse('law:calendar')}?year={year}")
