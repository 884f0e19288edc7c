"""Forms of the legal catalog and the calendar. Validation of the entries themselves
(dates, fine ranges, overlapping versions) lives in the models' clean(), so that forms and
services agree; these forms add what belongs to one screen."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

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
from .selectors import provisions_in_order


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue  # its attrs land on the wrapper too; law.css styles the boxes
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(widget, forms.Textarea) and str(widget.attrs.get("rows")) == "10":
            widget.attrs["rows"] = 3


class CatalogForm(forms.ModelForm):
    """Edits one catalog entry. `user` restricts the choices of related records; `mode` is
    "create", "edit" or "new_version" (which asks for the new start date only)."""

    # Fields that identify an entry: set when it is created, read-only afterwards.
    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    def __init__(
        self,
        *args: Any,
        user: Any = None,
        mode: str = "edit",
        replaces: Effective | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.mode = mode
        if user is not None:
            for field in self.fields.values():
                qs = getattr(field, "queryset", None)
                if qs is not None and hasattr(qs, "restrict"):
                    field.queryset = qs.restrict(user)  # type: ignore[attr-defined]
        if mode != "create":
            for name in self.key_fields:
                if name in self.fields:
                    self.fields[name].disabled = True
        if mode == "new_version":
            self.fields.pop("effective_to", None)
            self.fields["effective_from"].label = _("new version in force from")
            self.fields["effective_from"].help_text = _(
                "The current version ends on this date; the new one starts on it."
            )
            assert isinstance(self.instance, Effective)
            self.instance.replaces = replaces
            if not self.is_bound:
                self.initial["effective_from"] = None
        _bootstrap(self)


DATE_WIDGETS = {"effective_from": DateInput(), "effective_to": DateInput()}


class StatuteForm(CatalogForm):
    class Meta:
        model = Statute
        fields = [
            "code",
            "title",
            "version",
            "issuer",
            "effective_from",
            "effective_to",
            "verified",
            "note",
        ]
        widgets = DATE_WIDGETS


class ProvisionForm(CatalogForm):
    key_fields = ()

    class Meta:
        model = Provision
        fields = ["statute", "article", "text", "note", "verified"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}


def deadline_code_choices() -> list[tuple[str, str]]:
    rows = DeadlineRule.objects.order_by("code", "-effective_from").values_list(
        "code", "description"
    )
    seen: dict[str, str] = {}
    for code, description in rows:
        seen.setdefault(code, f"{code} · {description}")
    return list(seen.items())


class ViolationTypeForm(CatalogForm):
    deadline_codes = forms.MultipleChoiceField(
        label=_("specific deadline rules"),
        required=False,
        help_text=_("Deadline rules that apply to this violation type only."),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ViolationType
        fields = [
            "code",
            "name",
            "description",
            "prohibitions",
            "penalty_provision",
            "penalty_text",
            "fine_min",
            "fine_max",
            "fine_unit_note",
            "enforcer",
            "enforcer_note",
            "assisting_departments",
            "assisting_note",
            "deadline_codes",
            "sort_order",
            "effective_from",
            "effective_to",
            "verified",
        ]
        widgets = {
            **DATE_WIDGETS,
            "prohibitions": forms.CheckboxSelectMultiple,
            "assisting_departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["deadline_codes"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = deadline_code_choices()
        for name in ("enforcer", "assisting_departments"):
            model_field = self.fields[name]
            assert isinstance(model_field, forms.ModelChoiceField)
            model_field.queryset = model_field.queryset.filter(  # type: ignore[union-attr]
                is_active=True
            )
        for name in ("prohibitions", "penalty_provision"):
            self.fields[name].queryset = provisions_in_order()  # type: ignore[attr-defined]

    def clean_deadline_codes(self) -> list[str]:
        return list(self.cleaned_data.get("deadline_codes") or [])


class ReferralTargetForm(CatalogForm):
    class Meta:
        model = ReferralTarget
        fields = ["code", "department", "matters", "effective_from", "effective_to", "verified"]
        widgets = DATE_WIDGETS


class DeadlineRuleForm(CatalogForm):
    class Meta:
        model = DeadlineRule
        fields = [
            "code",
            "description",
            "limit",
            "unit",
            "limit_if_ongoing",
            "extension",
            "extension_note",
            "source_title",
            "source_article",
            "provision",
            "note",
            "effective_from",
            "effective_to",
            "verified",
        ]
        widgets = DATE_WIDGETS


class ThresholdForm(CatalogForm):
    class Meta:
        model = Threshold
        fields = [
            "code",
            "description",
            "individual",
            "organisation",
            "source_title",
            "source_article",
            "note",
            "effective_from",
            "effective_to",
            "verified",
        ]
        widgets = DATE_WIDGETS


class CalendarDayForm(CatalogForm):
    key_fields = ()

    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name", "note"]
        widgets = {"date": DateInput()}
        labels = {"is_workday": _("working day (unticked: a day off)")}
        help_texts = {
            "name": _("e.g. the holiday's name, or which holiday a make-up working day belongs to")
        }


UNIT_CHOICES = (
    ("working_days", _("working days")),
    ("calendar_days", _("calendar days")),
)


class WorkingDayCalculatorForm(forms.Form):
    start = forms.DateField(label=_("start date"), widget=DateInput())
    n = forms.IntegerField(label=_("number of days"), min_value=0, max_value=3650, initial=5)
    unit = forms.ChoiceField(label=_("unit"), choices=UNIT_CHOICES, initial="working_days")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = css.replace(
                "form-control", "form-control form-control-sm"
            )
            field.widget.attrs["class"] = field.widget.attrs["class"].replace(
                "form-select", "form-select form-select-sm"
            )

    def clean_start(self) -> dt.date:
        start: dt.date = self.cleaned_data["start"]
        if not 1900 <= start.year <= 2200:
            raise forms.ValidationError(_("Enter a date between 1900 and 2200."))
        return start


FORM_CLASSES: dict[type, type[CatalogForm]] = {
    Statute: StatuteForm,
    Provision: ProvisionForm,
    ViolationType: ViolationTypeForm,
    ReferralTarget: ReferralTargetForm,
    DeadlineRule: DeadlineRuleForm,
    Threshold: ThresholdForm,
    CalendarDay: CalendarDayForm,
}
