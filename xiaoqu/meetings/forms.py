"""Forms of meetings and action items. Forms read and check input; the services decide and
write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoqu.departments.choices import DepartmentKind
from xiaoqu.departments.models import Department
from xiaoqu.intake.forms import DateInput, DateTimeLocalInput, MultipleFileField
from xiaoqu.regions.models import District, Subdistrict

from .choices import MeetingKind
from .models import AgendaItem, Meeting

OWNER_KINDS = (DepartmentKind.FUNCTIONAL, DepartmentKind.BUREAU_SECTION)


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    scheduled_at = forms.DateTimeField(label=_("scheduled for"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    convener = forms.ModelChoiceField(
        label=_("convener"), queryset=Department.objects.none(), required=False
    )
    chair = forms.CharField(label=_("chaired by"), max_length=100, required=False)
    purpose = forms.CharField(label=_("purpose"), required=False, widget=_textarea(2))
    departments = forms.ModelMultipleChoiceField(
        label=_("participating departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subdistricts = forms.ModelMultipleChoiceField(
        label=_("participating subdistricts"),
        queryset=Subdistrict.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(district=district, is_active=True)
        self.fields["convener"].queryset = departments.filter(  # type: ignore[attr-defined]
            kind__in=(DepartmentKind.BUREAU, DepartmentKind.BUREAU_SECTION)
        )
        self.fields["departments"].queryset = departments.filter(  # type: ignore[attr-defined]
            kind__in=OWNER_KINDS
        ).order_by("kind", "code")
        self.fields["subdistricts"].queryset = Subdistrict.objects.filter(  # type: ignore[attr-defined]
            district=district
        ).order_by("code")
        _bootstrap(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=_textarea(2))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("agenda item"), max_length=300)
    detail = forms.CharField(label=_("detail"), required=False, widget=_textarea(2))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class MinutesForm(forms.Form):
    """The minutes: free text, attendance per unit, discussion per agenda item (the fields
    are made from the meeting's participants and agenda)."""

    minutes = forms.CharField(label=_("minutes"), required=False, widget=_textarea(6))

    def __init__(self, *args: Any, meeting: Meeting, participants: list[Any], agenda: list[AgendaItem], **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.participants = participants
        self.agenda = agenda
        self.fields["minutes"].initial = meeting.minutes
        for part in participants:
            select = forms.NullBooleanSelect()
            select.choices = [("unknown", "—"), ("true", _("present")), ("false", _("absent"))]
            self.fields[f"present_{part.pk}"] = forms.NullBooleanField(
                label=str(part.unit), required=False, initial=part.present, widget=select
            )
            self.fields[f"attendees_{part.pk}"] = forms.CharField(
                label=_("attendees"), max_length=200, required=False, initial=part.attendees
            )
        for item in agenda:
            self.fields[f"discussion_{item.pk}"] = forms.CharField(
                label=f"{item.position}. {item.title}",
                required=False,
                initial=item.discussion,
                widget=_textarea(2),
            )
        _bootstrap(self)

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (part, self[f"present_{part.pk}"], self[f"attendees_{part.pk}"])
            for part in self.participants
        ]

    def discussion_fields(self) -> list[Any]:
        return [self[f"discussion_{item.pk}"] for item in self.agenda]

    def attendance(self) -> dict[int, tuple[bool | None, str]]:
        return {
            part.pk: (
                self.cleaned_data.get(f"present_{part.pk}"),
                self.cleaned_data.get(f"attendees_{part.pk}") or "",
            )
            for part in self.participants
        }

    def discussions(self) -> dict[int, str]:
        return {
            item.pk: self.cleaned_data.get(f"discussion_{item.pk}") or "" for item in self.agenda
        }


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("decision and what is to be done"), widget=_textarea(3))
    owner = forms.ChoiceField(label=_("owner unit"))
    deadline = forms.DateField(label=_("deadline"), widget=DateInput())
    agenda_item = forms.ModelChoiceField(
        label=_("agenda item"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        participating = {(p.department_id, p.subdistrict_id) for p in meeting.participants.all()}
        departments = Department.objects.filter(
            district_id=meeting.district_id, is_active=True, kind__in=OWNER_KINDS
        ).order_by("kind", "code")
        subdistricts = Subdistrict.objects.filter(district_id=meeting.district_id).order_by("code")

        def first(participates: bool) -> int:
            return 0 if participates else 1

        dept_choices = sorted(
            ((f"d{d.pk}", d.name) for d in departments),
            key=lambda c: first((int(c[0][1:]), None) in participating),
        )
        sub_choices = sorted(
            ((f"s{s.pk}", s.name) for s in subdistricts),
            key=lambda c: first((None, int(c[0][1:])) in participating),
        )
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            (str(_("Departments")), dept_choices),
            (str(_("Subdistricts")), sub_choices),
        ]
        self._departments = {d.pk: d for d in departments}
        self._subdistricts = {s.pk: s for s in subdistricts}
        self.fields["agenda_item"].queryset = meeting.agenda.order_by("position")  # type: ignore[attr-defined]
        self.fields["agenda_item"].label_from_instance = (  # type: ignore[attr-defined]
            lambda item: f"{item.position}. {item.title[:60]}"
        )
        _bootstrap(self)

    def clean_owner(self) -> dict[str, Any]:
        value = self.cleaned_data["owner"]
        try:
            pk = int(value[1:])
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Choose the unit.")) from exc
        if value.startswith("d") and pk in self._departments:
            return {"department": self._departments[pk], "subdistrict": None}
        if value.startswith("s") and pk in self._subdistricts:
            return {"department": None, "subdistrict": self._subdistricts[pk]}
        raise forms.ValidationError(_("Choose the unit."))


class DoneForm(forms.Form):
    note = forms.CharField(label=_("what was done"), widget=_textarea(3))
    attachments = MultipleFileField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=_textarea(2))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=_textarea(2))
    deadline = forms.DateField(
        label=_("new deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to keep the deadline."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
