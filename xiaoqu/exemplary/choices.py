from django.db import models
from django.utils.translation import gettext_lazy as _


class ExemplaryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting legal review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The text may be changed only in these states.
EDITABLE_STATUSES = frozenset({ExemplaryStatus.DRAFT, ExemplaryStatus.RETURNED})
