from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoqu.estates.choices import RiskGrade


class PatrolStatus(models.TextChoices):
    OPEN = "open", _("To patrol")
    IN_PROGRESS = "in_progress", _("Checked in")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


OPEN_PATROL_STATUSES = frozenset({PatrolStatus.OPEN, PatrolStatus.IN_PROGRESS})


class CheckResult(models.TextChoices):
    OK = "ok", _("Normal")
    PROBLEM = "problem", _("Problem found")


# Days between two patrols of an estate, by its risk grade, until the district sets its own.
DEFAULT_INTERVALS: dict[str, int] = {
    RiskGrade.KEY: 7,
    RiskGrade.GENERAL: 14,
    RiskGrade.GOOD: 30,
    RiskGrade.UNRATED: 14,
}
