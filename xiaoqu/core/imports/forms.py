from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ImportKind, ImportMode
from .engine import ImportSpec
from .reader import SUPPORTED_SUFFIXES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What to import"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_SUFFIXES)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise forms.ValidationError(
                _("Unsupported file type “%(suffix)s”: use .xlsx or .csv."),
                params={"suffix": suffix or "?"},
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it into smaller files."),
                params={"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload


class MappingForm(forms.Form):
    """One select per target field: which column of the file it is read from."""

    def __init__(
        self, *args: Any, spec: type[ImportSpec], headers: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [(h, h) for h in headers if h]
        for target in spec.fields:
            label = f"{target.label}{' *' if target.required else ''}"
            self.fields[target.name] = forms.ChoiceField(
                label=label, choices=choices, required=False
            )
            self.fields[target.name].widget.attrs.update(
                {"class": "form-select form-select-sm", "style": "min-width: 11rem"}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for name, header in data.items():
            if not header:
                continue
            if header in seen:
                raise forms.ValidationError(
                    _("The column “%(header)s” is chosen for two fields: %(a)s and %(b)s."),
                    params={
                        "header": header,
                        "a": self.fields[seen[header]].label,
                        "b": self.fields[name].label,
                    },
                )
            seen[header] = name
        return data


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=ImportMode.choices,
        initial=ImportMode.ATOMIC,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
