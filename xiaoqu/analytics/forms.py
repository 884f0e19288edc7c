"""The dashboards' period selection: the last 12 months (default), a month, a quarter or a
year; the baseline year; repeats folded or not."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .drilldown import last_12_months
from .figures import Period

PERIOD_KINDS = (
    ("12m", _("Last 12 months")),
    ("year", _("Year")),
    ("quarter", _("Quarter")),
    ("month", _("Month")),
)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[(q, _("Q%(q)s") % {"q": q}) for q in range(1, 5)],
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        choices=[(m, f"{m:02d}") for m in range(1, 13)],
    )
    baseline = forms.TypedChoiceField(label=_("Baseline year"), coerce=int, required=False)
    fold = forms.BooleanField(label=_("Fold repeats"), required=False)

    def __init__(self, data: Any = None, *, years: list[int], default_baseline: int) -> None:
        super().__init__(data)
        self.today = timezone.localdate()
        self.years = years or [self.today.year]
        self.default_baseline = default_baseline
        choices = [(y, str(y)) for y in sorted(self.years, reverse=True)]
        self.fields["year"].choices = choices  # type: ignore[attr-defined]
        self.fields["baseline"].choices = choices  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-select"
            field.widget.attrs.setdefault("class", css + " form-select-sm")
        if not self.is_bound:
            self.initial.update(
                {
                    "kind": "12m",
                    "year": self.today.year,
                    "quarter": (self.today.month - 1) // 3 + 1,
                    "month": self.today.month,
                    "baseline": default_baseline,
                }
            )

    def _value(self, name: str, default: Any) -> Any:
        if self.is_bound and self.is_valid():
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                return value
        return default

    @property
    def period(self) -> Period:
        kind = self._value("kind", "12m")
        year = self._value("year", self.today.year)
        if kind == "year":
            return Period.year(year)
        if kind == "quarter":
            return Period.quarter(year, self._value("quarter", 1))
        if kind == "month":
            return Period.month(year, self._value("month", self.today.month))
        return last_12_months(self.today)

    @property
    def baseline_year(self) -> int:
        return int(self._value("baseline", self.default_baseline))

    @property
    def fold_repeats(self) -> bool:
        return bool(self._value("fold", False))

    def period_label(self) -> str:
        period = self.period
        last = period.end - dt.timedelta(days=1)
        if period.start.year == last.year and period.start.month == last.month:
            return f"{period.start:%Y-%m}"
        return f"{period.start:%Y-%m} – {last:%Y-%m}"
