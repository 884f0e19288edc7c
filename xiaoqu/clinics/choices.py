from django.db import models
from django.utils.translation import gettext_lazy as _


class ClinicStatus(models.TextChoices):
    OPEN = "open", _("Gathering")
    HELD = "held", _("Held")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class ClinicSource(models.TextChoices):
    SUGGESTION = "suggestion", _("From the repeats the triage marks")
    HAND = "hand", _("Chosen by hand")


OPEN_CLINIC_STATUSES = frozenset({ClinicStatus.OPEN, ClinicStatus.HELD, ClinicStatus.FOLLOW_UP})
