from django.db import models
from django.utils.translation import gettext_lazy as _


class RenovationStatus(models.TextChoices):
    """Computed from the dates (cancelled is the one explicit state)."""

    REGISTERED = "registered", _("Registered, not started")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class CheckResult(models.TextChoices):
    UNREGISTERED = "unregistered", _("Not registered")
    STRUCTURAL = "structural", _("Registered with structural works")
    REGISTERED = "registered", _("Registered")
