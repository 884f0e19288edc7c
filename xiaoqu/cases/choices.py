from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    INVESTIGATING = "investigating", _("Investigating")
    UNDER_REVIEW = "under_review", _("Under legal review")
    NOTIFIED = "notified", _("Advance notice served")
    HEARING = "hearing", _("Hearing")
    DECIDED = "decided", _("Decided, to be served")
    EXECUTING = "executing", _("Executing")
    CLOSED = "closed", _("Closed")


OPEN_CASE_STATUSES = frozenset(
    {
        CaseStatus.INVESTIGATING,
        CaseStatus.UNDER_REVIEW,
        CaseStatus.NOTIFIED,
        CaseStatus.HEARING,
        CaseStatus.DECIDED,
        CaseStatus.EXECUTING,
    }
)


class Procedure(models.TextChoices):
    GENERAL = "general", _("General procedure")
    SIMPLIFIED = "simplified", _("Simplified procedure (on the spot)")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    FINE_AND_RESTORE = "fine_and_restore", _("Fine and restoration ordered")
    DEMOLITION = "demolition", _("Demolition ordered")
    NONE = "none", _("No penalty")


class ReviewStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with reasons")


class EvidenceKind(models.TextChoices):
    ON_SITE_RECORD = "on_site_record", _("On-site inspection record")
    PHOTO = "photo", _("Photos or video")
    INQUIRY = "inquiry", _("Inquiry record")
    APPRAISAL = "appraisal", _("Appraisal (e.g. structural safety)")
    IDENTIFICATION = "identification", _("Identification by a department (e.g. greenery damage)")
    DOCUMENT = "document", _("Documentary evidence")
    PRESERVATION = "preservation", _("Evidence registered for preservation")
    OTHER = "other", _("Other evidence")


class ExecutionKind(models.TextChoices):
    PAYMENT = "payment", _("Fine paid")
    DEMOLITION = "demolition", _("Demolished")
    RESTORATION = "restoration", _("Restored to the original state")
    COURT_APPLICATION = "court_application", _("Court enforcement applied for")
    OTHER = "other", _("Other execution")


class ClosureKind(models.TextChoices):
    EXECUTED = "executed", _("Penalty executed")
    NOT_PENALISED = "not_penalised", _("No penalty (case withdrawn)")
    COURT = "court", _("Handed to the court for enforcement")
