from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12345 hotline")
    RESIDENT = "resident", _("Resident (call or visit)")
    PROPERTY_COMPANY = "property_company", _("Property company report")
    STUDIO = "studio", _("Community studio")
    PATROL = "patrol", _("Patrol finding")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    PENDING_DISPATCH = "pending_dispatch", _("Awaiting dispatch")
    DISPATCHED = "dispatched", _("Awaiting verification")
    AWAITING_ASSISTANCE = "awaiting_assistance", _("Awaiting assistance")
    RECTIFYING = "rectifying", _("Rectification ordered")
    REFERRED = "referred", _("Referred")
    TO_FILING = "to_filing", _("Handed on to filing")
    CLOSED = "closed", _("Closed")


OPEN_LEAD_STATUSES = frozenset(
    {
        LeadStatus.PENDING_DISPATCH,
        LeadStatus.DISPATCHED,
        LeadStatus.AWAITING_ASSISTANCE,
        LeadStatus.RECTIFYING,
        LeadStatus.REFERRED,
    }
)


class Outcome(models.TextChoices):
    NO_VIOLATION = "no_violation", _("No violation")
    RECTIFIED = "rectified", _("Corrected after a rectification order")
    REFERRED = "referred", _("Referred to the competent department")
    TO_FILING = "to_filing", _("Handed on to filing")
    REPEAT = "repeat", _("Repeat of another matter")


class InspectionKind(models.TextChoices):
    VERIFICATION = "verification", _("On-site verification")
    REINSPECTION = "reinspection", _("Re-inspection")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    UNKNOWN = "unknown", _("Not identified")
