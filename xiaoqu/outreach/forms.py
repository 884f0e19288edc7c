from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoqu.accounts.choices import Role
from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate, PropertyCompany
from xiaoqu.referrals.forms import MultipleFileField

from .choices import EventKind, Presence
from .permissions import SUBDISTRICT_ROLES
from .selectors import type_names

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


def _text() -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control"})


def plannable_estates(user: Any) -> Any:
    estates = (
        Estate.objects.restrict(user)
        .select_related("subdistrict")
        .order_by("subdistrict__name", "name")
    )
    if getattr(user, "role", None) in SUBDISTRICT_ROLES:
        estates = estates.filter(subdistrict_id=user.subdistrict_id)
    return estates


class EstateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        sub = obj.subdistrict.name if obj.subdistrict_id else ""
        return f"{obj.name}（{sub}）" if sub else obj.name


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=EventKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    title = forms.CharField(label=_("title"), max_length=150, widget=_text())
    starts_at = forms.DateTimeField(
        label=_("date and time"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("place"), max_length=200, required=False, widget=_text())
    organiser = forms.ModelChoiceField(
        label=_("organiser"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    themes = forms.MultipleChoiceField(
        label=_("themes (violation types)"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    estates = EstateChoiceField(
        label=_("target estates"),
        queryset=Estate.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 10}),
        help_text=_("Hold Ctrl (⌘) to choose several; type in the box above to find an estate."),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=_textarea())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = list(type_names().items())  # type: ignore[attr-defined]
        self.fields["estates"].queryset = plannable_estates(user)  # type: ignore[attr-defined]
        departments = Department.objects.restrict(user).filter(is_active=True)
        if getattr(user, "role", None) in SUBDISTRICT_ROLES:
            departments = departments.filter(
                Q(subdistrict_id=user.subdistrict_id) | Q(subdistrict__isnull=True)
            )
        self.fields["organiser"].queryset = departments.order_by("kind", "code")  # type: ignore[attr-defined]
        if getattr(user, "role", None) in SUBDISTRICT_ROLES:
            self.fields["estates"].required = True


class HoldForm(forms.Form):
    attendance = forms.IntegerField(
        label=_("attendance (people)"),
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text=_("Left empty: the sum of the estates' attendance."),
    )
    note = forms.CharField(label=_("how it went"), required=False, widget=_textarea(2))
    materials = MultipleFileField(label=_("materials"))

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for t in targets:
            self.fields[f"estate_{t.estate_id}"] = forms.IntegerField(
                label=t.estate.name,
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )

    def estate_fields(self) -> list[Any]:
        return [self[f"estate_{t.estate_id}"] for t in self.targets]

    def per_estate(self) -> dict[int, int | None]:
        return {t.estate_id: self.cleaned_data.get(f"estate_{t.estate_id}") for t in self.targets}


class MaterialsForm(forms.Form):
    materials = MultipleFileField(label=_("materials"), required=True)
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("What the files are (optional)")}
        ),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500, widget=_textarea(2))


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=150, widget=_text())
    starts_at = forms.DateTimeField(
        label=_("date and time"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("place"), max_length=200, required=False, widget=_text())
    organisers = forms.ModelMultipleChoiceField(
        label=_("organisers"),
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    topic = forms.CharField(label=_("topic"), required=False, widget=_textarea())
    companies = forms.ModelMultipleChoiceField(
        label=_("invited property companies"),
        queryset=PropertyCompany.objects.none(),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 10}),
        help_text=_("Each company's project managers are invited with it."),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=_textarea(2))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.restrict(user).filter(
            is_active=True, subdistrict__isnull=True
        )
        self.fields["organisers"].queryset = departments.order_by("kind", "code")  # type: ignore[attr-defined]
        self.fields["companies"].queryset = PropertyCompany.objects.restrict(user).order_by("name")  # type: ignore[attr-defined]
        if getattr(user, "role", None) == Role.LIAISON and not self.is_bound:
            self.initial.setdefault("organisers", [user.department_id])


PRESENCE_CHOICES = [
    (Presence.PRESENT, Presence.PRESENT.label),
    (Presence.ABSENT, Presence.ABSENT.label),
    (Presence.EXCUSED, Presence.EXCUSED.label),
    (Presence.INVITED, Presence.INVITED.label),
]
