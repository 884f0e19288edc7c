from django.db import models
from django.utils.translation import gettext_lazy as _


class LapseKind(models.TextChoices):
    INACTION = "inaction", _("Inaction")
    SLOW = "slow", _("Slow action")
    WRONG = "wrong", _("Wrong action")


class LapseReason(models.TextChoices):
    NO_ACTION = "no_action", _("No recorded action before the deadline")
    FINISHED_LATE = "finished_late", _("Finished after the deadline")
    NOT_FINISHED = "not_finished", _("Acted on but not finished by the deadline")
    REPLY_LATE = "reply_late", _("Reporter answered after the deadline")
    LEAD_REOPENED = "lead_reopened", _("Lead reopened after closure")
    CASE_REOPENED = "case_reopened", _("Case reopened")
    REVIEW_RETURNED = "review_returned", _("Decision returned on legal review")
    REFERRAL_RETURNED = "referral_returned", _("Referral returned by the department")


class ItemKind(models.TextChoices):
    """What kind of record a lapse is about."""

    LEAD = "lead", _("Lead")
    COMPLAINT = "complaint", _("Reply to the reporter")
    REFERRAL = "referral", _("Referral")
    ASSISTANCE = "assistance", _("Assistance request")
    CASE = "case", _("Case")
