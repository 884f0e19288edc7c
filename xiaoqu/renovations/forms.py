from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoqu.estates.models import Estate

from .models import Renovation
from .services import RenovationData


class RenovationForm(forms.ModelForm):
    """Registration and correction of a renovation; the estates are those the user's
    company manages. Building and room are normalised by the service (三号楼 → 3)."""

    building = forms.CharField(label=_("building"), max_length=20, help_text=_("e.g. 3 or 3号楼"))
    room = forms.CharField(label=_("room"), max_length=20, help_text=_("e.g. 502"))

    class Meta:
        model = Renovation
        fields = (
            "estate",
            "building",
            "room",
            "owner_name",
            "owner_phone",
            "start_date",
            "end_date",
            "contractor_name",
            "contractor_phone",
            "scope",
            "structural",
            "facade",
            "agreement_signed",
        )
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        estates = Estate.objects.restrict(user).order_by("name")
        if user.property_company_id is not None:
            estates = estates.filter(property_company_id=user.property_company_id)
        self.fields["estate"].queryset = estates  # type: ignore[attr-defined]
        if self.instance.pk is None and not self.is_bound:
            only = list(estates[:2])
            if len(only) == 1:
                self.initial.setdefault("estate", only[0].pk)
        self.fields["structural"].help_text = _(
            "Load-bearing walls or structure (承重/结构). Set automatically when the scope "
            "describes structural works."
        )
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        self.fields["owner_phone"].widget.attrs["inputmode"] = "tel"
        self.fields["contractor_phone"].widget.attrs["inputmode"] = "tel"

    def _post_clean(self) -> None:
        # The service checks and normalises (units, dates, overlaps); not the model.
        pass

    def data_object(self) -> RenovationData:
        c = self.cleaned_data
        return RenovationData(
            estate=c["estate"],
            building=c["building"],
            room=c["room"],
            owner_name=c["owner_name"],
            owner_phone=c.get("owner_phone") or "",
            start_date=c["start_date"],
            end_date=c["end_date"],
            contractor_name=c.get("contractor_name") or "",
            contractor_phone=c.get("contractor_phone") or "",
            scope=c["scope"],
            structural=bool(c.get("structural")),
            facade=bool(c.get("facade")),
            agreement_signed=bool(c.get("agreement_signed")),
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancelling"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
