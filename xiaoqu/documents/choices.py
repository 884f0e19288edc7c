from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    FILING_APPROVAL = "filing_approval", _("Case filing approval form")
    RECTIFICATION_NOTICE = "rectification_notice", _("Rectification order")
    PENALTY_NOTICE = "penalty_notice", _("Advance notice of penalty")
    HEARING_NOTICE = "hearing_notice", _("Hearing notice")
    PENALTY_DECISION = "penalty_decision", _("Penalty decision")
    REFERRAL_LETTER = "referral_letter", _("Referral letter")
    ASSISTANCE_NOTICE = "assistance_notice", _("Assistance notice")
    CLOSURE_REPORT = "closure_report", _("Case closure report")
