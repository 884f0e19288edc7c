from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import AppliesTo, Direction, TaskStatus
from .indicators import measure_choices


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    note = forms.CharField(
        label=_("why this change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


class IndicatorForm(forms.Form):
    code = forms.ChoiceField(label=_("measure"), choices=measure_choices)
    name = forms.CharField(label=_("name"), max_length=100)
    applies_to = forms.ChoiceField(label=_("applies to"), choices=AppliesTo.choices)
    weight = forms.DecimalField(
        label=_("weight (points)"), min_value=0.01, max_digits=6, decimal_places=2
    )
    direction = forms.ChoiceField(label=_("direction"), choices=Direction.choices)
    floor = forms.DecimalField(label=_("zero points at"), max_digits=10, decimal_places=2)
    target = forms.DecimalField(label=_("target (full points at)"), max_digits=10, decimal_places=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else ("form-control form-control-sm")
            )
            field.widget.attrs.setdefault("class", css)
            if name == "name":
                field.widget.attrs.setdefault("style", "min-width:10rem")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        floor, target, direction = data.get("floor"), data.get("target"), data.get("direction")
        if floor is not None and target is not None:
            if direction == Direction.HIGHER and target <= floor:
                self.add_error(
                    "target",
                    _("Higher is better: the target must be above the zero-points value."),
                )
            if direction == Direction.LOWER and target >= floor:
                self.add_error(
                    "target",
                    _("Lower is better: the target must be below the zero-points value."),
                )
            if data.get("code", "").endswith(("_time", "closure", "rework", "extension")) and (
                not 0 <= floor <= 100 or not 0 <= target <= 100
            ):
                self.add_error("target", _("A rate lies between 0 and 100 %."))
        return data


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1, can_delete=True)


class TaskForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=TaskStatus.choices)
    done_date = forms.DateField(
        label=_("done on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["done_date"].widget.attrs["class"] = "form-control form-control-sm"
