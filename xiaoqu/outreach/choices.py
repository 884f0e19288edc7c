from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    OPEN_DAY = "open_day", _("7.15 open day")
    LAW_CLASS = "law_class", _("Community law class")
    VIDEO = "video", _("Short legal video")
    CASE_EXPLANATION = "case_explanation", _("Law explained through a case")
    OTHER = "other", _("Other")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Took place")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Took place")
    CANCELLED = "cancelled", _("Cancelled")


class Presence(models.TextChoices):
    INVITED = "invited", _("Not recorded")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# The explicit moves of an event and of a training session: from → allowed targets.
EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.PLANNED: frozenset({EventStatus.HELD, EventStatus.CANCELLED}),
    EventStatus.HELD: frozenset(),
    EventStatus.CANCELLED: frozenset(),
}
TRAINING_TRANSITIONS: dict[str, frozenset[str]] = {
    TrainingStatus.PLANNED: frozenset({TrainingStatus.HELD, TrainingStatus.CANCELLED}),
    TrainingStatus.HELD: frozenset(),
    TrainingStatus.CANCELLED: frozenset(),
}
