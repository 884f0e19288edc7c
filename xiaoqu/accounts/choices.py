from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoqu.core.jurisdiction import ScopeKind


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    LEADER = "leader", _("Bureau leader")
    DISPATCHER = "dispatcher", _("Dispatcher")
    LEGAL = "legal", _("Legal staff")
    OFFICER = "officer", _("Enforcement officer")
    SUBDISTRICT_MANAGER = "subdistrict_manager", _("Subdistrict manager")
    LIAISON = "liaison", _("Department liaison")
    PROPERTY_STAFF = "property_staff", _("Property company staff")
    STUDIO_MEMBER = "studio_member", _("Community studio member")


ROLE_SCOPE: dict[str, str] = {
    Role.ADMIN: ScopeKind.DISTRICT,
    Role.LEADER: ScopeKind.DISTRICT,
    Role.DISPATCHER: ScopeKind.DISTRICT,
    Role.LEGAL: ScopeKind.DISTRICT,
    Role.OFFICER: ScopeKind.SUBDISTRICT,
    Role.SUBDISTRICT_MANAGER: ScopeKind.SUBDISTRICT,
    Role.LIAISON: ScopeKind.DEPARTMENT,
    Role.PROPERTY_STAFF: ScopeKind.PROPERTY_COMPANY,
    Role.STUDIO_MEMBER: ScopeKind.STUDIO,
}
