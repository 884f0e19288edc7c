from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
SMALL = {"class": "form-control form-control-sm"}


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100, widget=forms.TextInput(attrs=SMALL))
    starts_on = forms.DateField(label=_("start date"), widget=DATE)
    ends_on = forms.DateField(label=_("end date"), required=False, widget=DATE)


class SpreadForm(forms.Form):
    target = forms.IntegerField(
        label=_("estates wanted"),
        min_value=1,
        max_value=50,
        initial=15,
        widget=forms.NumberInput(attrs=SMALL),
    )
    per_subdistrict = forms.IntegerField(
        label=_("at most per subdistrict"),
        min_value=1,
        max_value=20,
        initial=2,
        widget=forms.NumberInput(attrs=SMALL),
    )
    per_type = forms.IntegerField(
        label=_("at most per main violation type"),
        min_value=1,
        max_value=50,
        initial=3,
        widget=forms.NumberInput(attrs=SMALL),
    )
