from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ESTATES = "estates", _("Estates")
    COMPANIES = "companies", _("Property companies")
    USERS = "users", _("Users")
    WORK_ORDERS = "work_orders", _("12345 work orders")


class ImportMode(models.TextChoices):
    ATOMIC = "atomic", _("All or nothing")
    SKIP = "skip", _("Skip invalid rows")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Validating")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Finished")
    REJECTED = "rejected", _("Rejected, nothing written")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportSource(models.TextChoices):
    WEB = "web", _("Web")
    COMMAND = "command", _("Command line")


FINISHED_STATUSES = frozenset(
    {ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED, ImportStatus.CANCELLED}
)
RUNNING_STATUSES = frozenset({ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.WRITING})
