from django.db import models
from django.utils.translation import gettext_lazy as _


class SubdistrictKind(models.TextChoices):
    STREET = "street", _("Subdistrict (street)")
    TOWN = "town", _("Town")
