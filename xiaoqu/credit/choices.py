from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the housing bureau")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


OPEN_PROPOSAL_STATUSES = frozenset({ProposalStatus.PROPOSED})


class Situation(models.TextChoices):
    """Why the property company is held responsible for a decided case."""

    UNREPORTED = "unreported", _("Not reported before filing")
    NEGLIGENCE = "negligence", _("Failure of its duties decided")
