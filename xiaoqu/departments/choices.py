from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    BUREAU = "bureau", _("Enforcement bureau")
    BUREAU_SECTION = "bureau_section", _("Bureau section")
    ENFORCEMENT_TEAM = "enforcement_team", _("Subdistrict enforcement team")
    SUBDISTRICT_OFFICE = "subdistrict_office", _("Subdistrict office")
    FUNCTIONAL = "functional", _("Functional department")
