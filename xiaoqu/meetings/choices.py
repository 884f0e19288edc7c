from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    SPECIAL = "special", _("Special meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held, minutes being recorded")
    CLOSED = "closed", _("Minutes confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class AgendaSource(models.TextChoices):
    ACTION_ITEM = "action_item", _("Open action item of an earlier meeting")
    OVERDUE = "overdue", _("Overdue referrals and assistance requests")
    RETURNED = "returned", _("Returned referral: competence disputed")
    CHRONIC = "chronic", _("Chronic matter")
    FIGURES = "figures", _("Figures since the last meeting")
    MANUAL = "manual", _("Added by hand")


# the order in which the drafted agenda lists its sources
SOURCE_ORDER = {
    AgendaSource.ACTION_ITEM: 1,
    AgendaSource.OVERDUE: 2,
    AgendaSource.RETURNED: 3,
    AgendaSource.CHRONIC: 4,
    AgendaSource.FIGURES: 5,
    AgendaSource.MANUAL: 6,
}


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the unit")
    DONE = "done", _("Reported done, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REOPENED = "reopened", _("Reopened")
    CANCELLED = "cancelled", _("Cancelled")


# the deadline runs (and the sweep watches) while the unit has to act
OPEN_ACTION_ITEM_STATUSES = frozenset({ActionItemStatus.OPEN, ActionItemStatus.REOPENED})
# not finished yet: on the next meeting's agenda
UNFINISHED_ACTION_ITEM_STATUSES = frozenset(
    {ActionItemStatus.OPEN, ActionItemStatus.REOPENED, ActionItemStatus.DONE}
)
