"""Writes of the renovation register: registration, correction and cancellation by the
property company of the estate, and the check of each renovation complaint against the
register (called by `intake.services.complaint_create` inside its transaction)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoqu.accounts.choices import Role
from xiaoqu.audit.services import event_record, notify
from xiaoqu.core.workflow import TransitionRefused
from xiaoqu.estates.models import Estate
from xiaoqu.intake.choices import LeadStatus
from xiaoqu.intake.models import Complaint, Lead
from xiaoqu.triage.gazetteer import Spot, clean, cn_number, spot_of

from .choices import CheckResult
from .models import Renovation, RenovationCheck

# A complaint is checked against registrations running from this long before their start
# (works begin early) to this long after their end (works overrun).
MARGIN_BEFORE = dt.timedelta(days=7)
MARGIN_AFTER = dt.timedelta(days=15)
RENOVATION_TYPES = frozenset({"renovation_unregistered", "structure_damage"})
RENOVATION_WORDS = re.compile(
    r"装修|装潢|敲墙|砸墙|拆墙|打墙|凿墙|拆改|施工噪音|装修噪音|电钻|冲击钻|承重墙"
)
# Works that touch the structure whatever box was ticked.
STRUCTURAL_WORDS = re.compile(r"承重|结构|拆墙|砸墙|敲墙|打墙|凿墙|梁|柱|楼板|剪力墙")
MAX_DAYS = 366


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


# ---------------------------------------------------------------------------------------------
# Units


_BUILDING_ALONE = re.compile(r"^(\d+|[零〇一二两三四五六七八九十]+)(?:号楼|号|幢|栋|楼|#)?$")
_ROOM_ALONE = re.compile(r"^(\d{1,5})室?$")


def unit_normalise(building: str, room: str) -> Spot:
    """The unit as the register and complaints name it: "3号楼" / "三号楼" / "3幢" / "3栋" →
    building "3"; "502室" → room "502". Blank when not recognised."""
    b, r = clean(building), clean(room)
    number = ""
    m = _BUILDING_ALONE.match(b)
    if m:
        value = cn_number(m.group(1).replace("〇", "零"))
        number = str(value) if value is not None else ""
    elif b:
        number = spot_of(b).building
    m2 = _ROOM_ALONE.match(r)
    room_number = m2.group(1) if m2 else (spot_of(r).room if r else "")
    return Spot(number, room_number)


def complaint_unit(complaint: Complaint) -> Spot:
    """The unit a complaint names (the same reading triage makes of it)."""
    return spot_of(complaint.content, complaint.address)


# Renovation waste is about the waste (construction_waste), not the works.
WASTE_WORDS = re.compile(r"装修垃圾|装潢垃圾|建筑垃圾")


def is_about_renovation(complaint: Complaint) -> bool:
    vt = complaint.violation_type
    if vt is not None and vt.code in RENOVATION_TYPES:
        return True
    return bool(RENOVATION_WORDS.search(WASTE_WORDS.sub("", clean(complaint.content))))


# ---------------------------------------------------------------------------------------------
# Registration


def may_register(user: Any, estate: Estate | None = None) -> bool:
    """Property company staff, for the estates their company manages (administrators too)."""
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.PROPERTY_STAFF and user.property_company_id is not None:
        return estate is None or estate.property_company_id == user.property_company_id
    return bool(user.is_superuser or user.role == Role.ADMIN) and (
        estate is None or estate.district_id == user.district_id or user.is_superuser
    )


@dataclass
class RenovationData:
    """What a property company registers about one renovation."""

    estate: Estate
    building: str
    room: str
    owner_name: str
    start_date: dt.date
    end_date: dt.date
    scope: str
    owner_phone: str = ""
    contractor_name: str = ""
    contractor_phone: str = ""
    structural: bool = False
    facade: bool = False
    agreement_signed: bool = False


FIELDS = (
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


def _clean_data(data: RenovationData, *, exclude_pk: int | None = None) -> dict[str, Any]:
    """Check and normalise; returns the field values. The structural flag is set when the
    scope describes structural works even if the box was left unticked."""
    problems: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    unit = unit_normalise(data.building, data.room)
    if not unit.building:
        problem("building", _("Give the building number, e.g. 3 or 3号楼."))
    if not unit.room:
        problem("room", _("Give the room number, e.g. 502."))
    if not data.owner_name.strip():
        problem("owner_name", _("The owner's name is required."))
    if not data.scope.strip():
        problem("scope", _("Describe the scope of the works."))
    if data.end_date < data.start_date:
        problem("end_date", _("The end date must not be before the start date."))
    elif (data.end_date - data.start_date).days > MAX_DAYS:
        problem("end_date", _("A renovation is registered for at most one year."))
    if not problems and unit.building and unit.room:
        overlapping = Renovation.objects.filter(
            estate=data.estate,
            building=unit.building,
            room=unit.room,
            cancelled_at__isnull=True,
            start_date__lte=data.end_date,
            end_date__gte=data.start_date,
        ).exclude(pk=exclude_pk)
        if overlapping.exists():
            problem(
                "start_date",
                _("This unit already has a registered renovation for these dates."),
            )
    if problems:
        raise ValidationError(problems)
    values = {name: getattr(data, name) for name in FIELDS}
    values.update(
        building=unit.building,
        room=unit.room,
        owner_name=data.owner_name.strip(),
        owner_phone=data.owner_phone.strip(),
        contractor_name=data.contractor_name.strip(),
        contractor_phone=data.contractor_phone.strip(),
        scope=data.scope.strip(),
        structural=bool(data.structural or STRUCTURAL_WORDS.search(clean(data.scope))),
    )
    return values


def _event_data(renovation: Renovation) -> dict[str, Any]:
    return {
        "estate": renovation.estate.name,
        "unit": renovation.unit_label,
        "from": renovation.start_date,
        "to": renovation.end_date,
        "structural": renovation.structural,
    }


def renovation_register(
    *, actor: Any, data: RenovationData, at: dt.datetime | None = None
) -> Renovation:
    moment = _now(at)
    if not may_register(actor, data.estate):
        raise ValidationError(
            {"estate": [_("A property company registers renovations of the estates it manages.")]}
        )
    values = _clean_data(data)
    with transaction.atomic():
        renovation = Renovation(
            **values,
            district_id=data.estate.district_id,
            subdistrict_id=data.estate.subdistrict_id,
            registered_by=actor,
            registered_at=moment,
        )
        renovation.save()
        event_record(
            record=renovation,
            actor=actor,
            action="registered",
            to_state="registered",
            at=moment,
            data={
                **_event_data(renovation),
                "structural_from_scope": renovation.structural and not data.structural,
            },
        )
    return renovation


def _locked(renovation: Renovation, actor: Any) -> Renovation:
    locked = Renovation.objects.select_for_update().select_related("estate").get(pk=renovation.pk)
    if not may_register(actor, locked.estate):
        raise TransitionRefused(
            _("Only the property company of the estate can change its renovation register.")
        )
    if locked.cancelled_at is not None:
        raise TransitionRefused(_("This registration was cancelled."))
    return locked


def renovation_update(
    *, renovation: Renovation, actor: Any, data: RenovationData, at: dt.datetime | None = None
) -> Renovation:
    """Correct a registration (new dates, scope, contractor …); the changes are recorded."""
    moment = _now(at)
    with transaction.atomic():
        locked = _locked(renovation, actor)
        if data.estate.pk != locked.estate_id and not may_register(actor, data.estate):
            raise ValidationError(
                {
                    "estate": [
                        _("A property company registers renovations of the estates it manages.")
                    ]
                }
            )
        values = _clean_data(data, exclude_pk=locked.pk)
        changed: dict[str, Any] = {}
        for name, value in values.items():
            old = getattr(locked, name)
            if old != value:
                changed[name] = {"old": str(old), "new": str(value)}
                setattr(locked, name, value)
        if not changed:
            return locked
        locked.district_id, locked.subdistrict_id = (
            locked.estate.district_id,
            locked.estate.subdistrict_id,
        )
        locked.save()
        event_record(
            record=locked, actor=actor, action="edited", at=moment, data={"changed": changed}
        )
    return locked


def renovation_cancel(
    *, renovation: Renovation, actor: Any, reason: str, at: dt.datetime | None = None
) -> Renovation:
    moment = _now(at)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the registration is cancelled.")]})
    with transaction.atomic():
        locked = _locked(renovation, actor)
        before = locked.status_on(timezone.localtime(moment).date())
        locked.cancelled_at, locked.cancel_reason = moment, reason[:200]
        locked.save(update_fields=["cancelled_at", "cancel_reason"])
        event_record(
            record=locked,
            actor=actor,
            action="cancelled",
            from_state=before,
            to_state="cancelled",
            reason=reason,
            at=moment,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# The cross-check


def registration_at(*, estate: Estate, unit: Spot, day: dt.date) -> Renovation | None:
    """The registration of the unit running around `day` (structural ones first)."""
    return (
        Renovation.objects.filter(
            estate=estate,
            building=unit.building,
            room=unit.room,
            cancelled_at__isnull=True,
            start_date__lte=day + MARGIN_BEFORE,
            end_date__gte=day - MARGIN_AFTER,
        )
        .order_by("-structural", "-start_date", "-pk")
        .first()
    )


def renovation_check_complaint(
    *, complaint: Complaint, at: dt.datetime | None = None
) -> RenovationCheck | None:
    """Check a renovation complaint naming a unit of a known estate against the register:
    unregistered → a renovation_unregistered type is proposed for its lead (a dispatcher
    accepts it) unless the lead is already of a renovation type; registered with structural works → the lead is flagged for a
    structure_damage check and its owners are told; registered → noted. Nothing is recorded
    when the complaint is not about renovation or names no unit. Runs inside the caller's
    transaction (the complaint's)."""
    moment = _now(at)
    if complaint.estate_id is None or not is_about_renovation(complaint):
        return None
    unit = complaint_unit(complaint)
    if not unit.building or not unit.room:
        return None
    existing = RenovationCheck.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    estate = complaint.estate
    assert estate is not None
    day = timezone.localtime(complaint.received_at).date()
    renovation = registration_at(estate=estate, unit=unit, day=day)
    lead: Lead | None = complaint.lead
    if renovation is None:
        result = CheckResult.UNREGISTERED
    elif renovation.structural:
        result = CheckResult.STRUCTURAL
    else:
        result = CheckResult.REGISTERED
    proposed = ""
    if result == CheckResult.UNREGISTERED:
        # Proposed unless the matter is already a renovation one (structure damage is the
        # graver type and stays).
        current = lead.violation_type if lead is not None else complaint.violation_type
        if current is None or current.code not in RENOVATION_TYPES:
            proposed = "renovation_unregistered"
    with transaction.atomic():
        check = RenovationCheck.objects.create(
            complaint=complaint,
            lead=lead,
            estate=estate,
            building=unit.building,
            room=unit.room,
            renovation=renovation,
            result=result,
            proposed_type=proposed,
            checked_at=moment,
        )
        data: dict[str, Any] = {"result": result, "unit": check.unit_label}
        if renovation is not None:
            data["registration"] = f"{renovation.start_date} — {renovation.end_date}"
        if proposed:
            data["violation_type"] = proposed
        event_record(
            record=complaint, actor=None, action="renovation_checked", at=moment, data=data
        )
        if lead is not None and result == CheckResult.STRUCTURAL:
            locked = Lead.objects.select_for_update().get(pk=lead.pk)
            event_record(
                record=locked,
                actor=None,
                action="structure_check_flagged",
                at=moment,
                data={"complaint": complaint.number, **data},
            )
            from xiaoqu.intake.services import lead_owners

            notify(
                recipients=lead_owners(locked),
                text=_(
                    "Lead %(lead)s: %(unit)s is registered for structural works; check it for "
                    "structure damage."
                )
                % {"lead": locked.number, "unit": f"{estate.name} {check.unit_label}"},
                link=locked.get_absolute_url(),
                at=moment,
            )
        elif lead is not None and proposed:
            from xiaoqu.intake.services import lead_owners

            notify(
                recipients=lead_owners(lead),
                text=_(
                    "Complaint %(complaint)s: %(unit)s is not in the renovation register; "
                    "unregistered renovation proposed."
                )
                % {"complaint": complaint.number, "unit": f"{estate.name} {check.unit_label}"},
                link=lead.get_absolute_url(),
                at=moment,
            )
    return check


def may_accept(user: Any, check: RenovationCheck) -> bool:
    from xiaoqu.triage.services import may_correct

    return bool(
        check.proposed_type
        and check.accepted_at is None
        and check.lead is not None
        and check.lead.status == LeadStatus.PENDING_DISPATCH
        and may_correct(user, check.complaint)
    )


def renovation_check_accept(
    *, check: RenovationCheck, actor: Any, at: dt.datetime | None = None
) -> RenovationCheck:
    """A dispatcher accepts the proposed type: the complaint and its lead (still awaiting
    dispatch) take it, through the triage correction (recorded, and kept for training)."""
    from xiaoqu.triage.services import triage_correct

    moment = _now(at)
    with transaction.atomic():
        locked = (
            RenovationCheck.objects.select_for_update(of=("self",))
            .select_related("lead", "complaint")
            .get(pk=check.pk)
        )
        if not locked.proposed_type or locked.accepted_at is not None:
            raise TransitionRefused(_("There is no proposal to accept on this check."))
        if locked.lead is None or locked.lead.status != LeadStatus.PENDING_DISPATCH:
            raise TransitionRefused(
                _("The lead has been dispatched: its officers decide its violation type.")
            )
        triage_correct(
            complaint=locked.complaint,
            actor=actor,
            violation_type=locked.proposed_type,
            at=moment,
        )
        locked.accepted_at, locked.accepted_by = moment, actor
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return locked
