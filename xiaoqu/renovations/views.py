"""Pages of the renovation register. Views are thin: selectors read through the user's
jurisdiction, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoqu.accounts.choices import Role
from xiaoqu.audit.services import mask_phone, personal_data_access_record, record_events
from xiaoqu.core.views import ObjectDetailView, ObjectListView
from xiaoqu.core.workflow import TransitionRefused

from . import selectors, services
from .filtersets import RenovationFilterSet
from .forms import CancelForm, RenovationForm
from .models import Renovation, RenovationCheck
from .tables import RenovationTable

ACTIONS = {
    "registered": gettext_lazy("Registered"),
    "edited": gettext_lazy("Corrected"),
    "cancelled": gettext_lazy("Cancelled"),
}


class RenovationListView(ObjectListView):
    model = Renovation
    table_class = RenovationTable
    filterset_class = RenovationFilterSet
    selector = selectors.renovation_list
    export_name = "renovations"
    actions_template = "renovations/list_actions.html"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"may_register": services.may_register(request.user)}


class RenovationDetailView(ObjectDetailView):
    model = Renovation
    template_name = "renovations/renovation_detail.html"
    selector = selectors.renovation_list

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        user: Any = request.user
        full = selectors.may_see_owner(user, obj)
        if full and user.role != Role.PROPERTY_STAFF and (obj.owner_phone or obj.contractor_phone):
            personal_data_access_record(
                user=user,
                record=obj,
                field="owner_phone",
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        return {
            "owner_phone": obj.owner_phone if full else mask_phone(obj.owner_phone),
            "contractor_phone": obj.contractor_phone if full else mask_phone(obj.contractor_phone),
            "may_change": obj.cancelled_at is None and services.may_register(user, obj.estate),
            "events": list(record_events(obj)),
            "action_labels": ACTIONS,
            "checks": list(
                RenovationCheck.objects.restrict(user)
                .filter(renovation=obj)
                .select_related("complaint")
            ),
            "list_url": reverse("renovations:renovation_list"),
        }


def _form_page(request: HttpRequest, form: RenovationForm, obj: Renovation | None) -> HttpResponse:
    title = _("Register a renovation") if obj is None else _("Correct the registration")
    return render(
        request,
        "renovations/renovation_form.html",
        {"form": form, "object": obj, "title": title},
    )


def _apply_errors(form: RenovationForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def renovation_add(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not services.may_register(user):
        raise Http404
    estate = request.GET.get("estate")
    form = RenovationForm(
        request.POST or None, user=user, initial={"estate": estate} if estate else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.renovation_register(actor=user, data=form.data_object())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Renovation registered: %(unit)s.") % {"unit": obj})
            return HttpResponseRedirect(obj.get_absolute_url())
    return _form_page(request, form, None)


def _own(request: HttpRequest, pk: int) -> Renovation:
    obj = get_object_or_404(selectors.renovation_list(user=request.user), pk=pk)
    if obj.cancelled_at is not None or not services.may_register(request.user, obj.estate):
        raise Http404
    return obj


def renovation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _own(request, pk)
    user: Any = request.user
    form = RenovationForm(request.POST or None, instance=obj, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.renovation_update(renovation=obj, actor=user, data=form.data_object())
        except (ValidationError, TransitionRefused) as exc:
            if isinstance(exc, ValidationError):
                _apply_errors(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, _("Registration corrected."))
            return HttpResponseRedirect(obj.get_absolute_url())
    return _form_page(request, form, Renovation.objects.get(pk=pk))


def renovation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page; the POST cancels."""
    obj = _own(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.renovation_cancel(
                renovation=obj, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, TransitionRefused) as exc:
            form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Registration cancelled."))
            return HttpResponseRedirect(obj.get_absolute_url())
    return render(
        request,
        "renovations/renovation_cancel.html",
        {"object": obj, "form": form, "title": _("Cancel the registration")},
    )


@require_POST
def check_accept(request: HttpRequest, pk: int) -> HttpResponse:
    check = get_object_or_404(
        RenovationCheck.objects.restrict(request.user).select_related("lead", "complaint"), pk=pk
    )
    if not services.may_accept(request.user, check):
        raise Http404
    try:
        services.renovation_check_accept(check=check, actor=request.user)
    except (ValidationError, TransitionRefused) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, _("Proposal accepted: the lead is now an unregistered renovation.")
        )
    target = request.POST.get("next") or check.complaint.get_absolute_url()
    if not target.startswith("/"):
        target = check.complaint.get_absolute_url()
    return HttpResponseRedirect(target)
