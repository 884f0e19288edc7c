from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class UrgeKind(models.TextChoices):
    OVERDUE = "overdue", _("Overdue (sweep)")
    MANUAL = "manual", _("Urged by the supervisor")
