from django.db import models
from django.utils.translation import gettext_lazy as _


class AppliesTo(models.TextChoices):
    SUBDISTRICTS = "subdistricts", _("Subdistricts")
    DEPARTMENTS = "departments", _("Departments")
    BOTH = "both", _("Subdistricts and departments")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class UnitKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    DEPARTMENT = "department", _("Department")


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
