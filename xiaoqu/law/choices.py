from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")
    HOURS = "hours", _("hours")
    YEARS = "years", _("years")


class ChangeAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    NEW_VERSION = "new_version", _("new version")
    CLOSE = "close", _("closed")
    DELETE = "delete", _("deleted")
