from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoqu.departments.models import Department
from xiaoqu.estates.models import Estate
from xiaoqu.law.models import ViolationType
from xiaoqu.regions.models import Subdistrict

from .models import Clinic


def _choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field: Any = form.fields[name]
    field.queryset = queryset


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class ClinicForm(forms.ModelForm):
    """A clinic's scope, participants and texts. Estates are those of the user's district."""

    estates = forms.ModelMultipleChoiceField(
        queryset=Estate.objects.none(),
        label=_("estates"),
        help_text=_("The estates of the problem (type in the box above the list to find one)."),
        widget=forms.SelectMultiple(attrs={"size": 8, "data-testid": "clinic-estates"}),
    )
    violation_type = forms.ModelChoiceField(
        queryset=ViolationType.objects.none(), label=_("violation type")
    )

    class Meta:
        model = Clinic
        fields = (
            "title",
            "estates",
            "violation_type",
            "departments",
            "subdistricts",
            "participants",
            "place",
            "analysis",
            "conclusion",
        )
        widgets = {
            "participants": forms.Textarea(attrs={"rows": 3}),
            "analysis": forms.Textarea(attrs={"rows": 5}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
            "departments": forms.SelectMultiple(attrs={"size": 6}),
            "subdistricts": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        depts = Department.objects.order_by("name")
        if user.district_id:
            depts = depts.filter(district_id=user.district_id)
        _choices(
            self,
            "estates",
            Estate.objects.restrict(user).select_related("subdistrict").order_by("name"),
        )
        _choices(self, "violation_type", ViolationType.objects.effective())
        _choices(self, "departments", depts)
        _choices(self, "subdistricts", Subdistrict.objects.restrict(user).order_by("code"))
        self.fields["subdistricts"].help_text = _(
            "The subdistricts of the estates take part in any case."
        )
        if self.instance.pk is None:
            for name in ("analysis", "conclusion"):
                del self.fields[name]
        _bootstrap(self)


class MoveForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    held_on = forms.DateField(
        label=_("date held"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, move: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if move != "hold":
            del self.fields["held_on"]
        else:
            self.fields["held_on"].required = True
            self.initial.setdefault("held_on", timezone.localdate())
            del self.fields["reason"]
        if move == "close":
            self.fields["reason"].label = _("conclusion")
        _bootstrap(self)


class MeasureForm(forms.Form):
    text = forms.CharField(label=_("agreed measure"), widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, label=_("responsible department")
    )
    subdistrict = forms.ModelChoiceField(
        queryset=Subdistrict.objects.none(), required=False, label=_("responsible subdistrict")
    )
    due_date = forms.DateField(label=_("due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        depts = Department.objects.order_by("name")
        if user.district_id:
            depts = depts.filter(district_id=user.district_id)
        _choices(self, "department", depts)
        _choices(self, "subdistrict", Subdistrict.objects.restrict(user).order_by("code"))
        _bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("department")) == bool(data.get("subdistrict")):
            raise forms.ValidationError(
                _("Choose one responsible unit: a department or a subdistrict.")
            )
        return data
