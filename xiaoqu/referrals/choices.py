from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Taken back by the bureau")


OPEN_REFERRAL_STATUSES = frozenset(
    {ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.RETURNED}
)


class AssistanceStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ASSISTANCE_STATUSES = frozenset({AssistanceStatus.SENT, AssistanceStatus.RECEIVED})


class AssistanceKind(models.TextChoices):
    GREENERY_IDENTIFICATION = "greenery_identification", _("Identify greenery damage")
    PLANNING_PERMIT = "planning_permit", _("Planning permit look-up")
    REGISTRY_LOOKUP = "registry_lookup", _("Title registry look-up")
    STRUCTURAL_APPRAISAL = "structural_appraisal", _("Structural safety appraisal")
    POLICE_SUPPORT = "police_support", _("Police support")
    HOUSING_CHECK = "housing_check", _("Housing administration check")
    OTHER = "other", _("Other assistance")
