from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberKind(models.TextChoices):
    COMMITTEE = "committee", _("Neighbourhood committee")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    BUILDING_HEAD = "building_head", _("Building head")
    RESIDENT_REPRESENTATIVE = "resident_rep", _("Resident representative")
    PROPERTY_COMPANY = "property_company", _("Property company")
    OFFICER = "officer", _("Enforcement officer")
    OTHER = "other", _("Other")


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Regular meeting")
    JOINT_PATROL = "joint_patrol", _("Joint patrol")
    LEGAL_CLASS = "legal_class", _("Legal education")
    MEDIATION = "mediation", _("Dispute mediation")
    RECEPTION = "reception", _("Reception day")
    OTHER = "other", _("Other")


class ReportKind(models.TextChoices):
    EARLY_SIGN = "early_sign", _("Early sign")
    VIOLATION = "violation", _("Violation under way")
