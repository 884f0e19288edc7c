from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskGrade(models.TextChoices):
    UNRATED = "unrated", _("Not graded")
    KEY = "key", _("Key (重点)")
    GENERAL = "general", _("General (一般)")
    GOOD = "good", _("Good (良好)")


GRADED = (RiskGrade.KEY, RiskGrade.GENERAL, RiskGrade.GOOD)


class GradeSource(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    OVERRIDE = "override", _("Manual override")
