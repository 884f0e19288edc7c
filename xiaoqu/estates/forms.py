"""Forms of estate risk grades: a manual override, lifting it, and a new version of the
grading scheme. Forms read and check input; the services in `grading` decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import GRADED
from .grading import SCHEME_FIELDS
from .models import GradeScheme

SMALL = {"class": "form-control form-control-sm"}
MONTH_FORMATS = ["%Y-%m"]


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (an HTML month input), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month", **SMALL}, format="%Y-%m")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=MONTH_FORMATS, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class OverrideForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("grade"),
        choices=[(g.value, g.label) for g in GRADED],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 2, **SMALL}),
        help_text=_("Required: why the computed grade does not fit this estate."),
    )
    valid_until = MonthField(
        label=_("holds until (month)"),
        required=False,
        help_text=_("Optional. Empty: until lifted or replaced."),
    )


class LiftForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("why lift the override"), widget=forms.Textarea(attrs={"rows": 2, **SMALL})
    )


class GradeSchemeForm(forms.ModelForm):
    """A new version of the scheme: its values start from the version in force."""

    effective_from = MonthField(
        label=_("applies from (month)"),
        help_text=_("Grades of this month and later are computed with the new version."),
    )

    class Meta:
        model = GradeScheme
        fields = ["effective_from", *SCHEME_FIELDS, "note"]
        widgets = {
            **{
                f: forms.NumberInput(attrs={"step": "0.01", "min": "0", **SMALL})
                for f in SCHEME_FIELDS
            },
            "min_residents": forms.NumberInput(attrs={"min": "0", **SMALL}),
            "note": forms.Textarea(attrs={"rows": 2, **SMALL}),
        }

    def __init__(self, *args: Any, district: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["note"].required = True
