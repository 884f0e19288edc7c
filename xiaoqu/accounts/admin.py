from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User

admin.site.site_header = _("Xiaoqu maintenance")
admin.site.site_title = _("Xiaoqu maintenance")
admin.site.index_title = _("Maintenance of base data and accounts")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "name",
        "role",
        "subdistrict",
        "department",
        "property_company",
        "studio",
        "is_active",
    )
    list_filter = ("role", "is_active", "subdistrict", "department")
    search_fields = ("username", "name", "phone")
    autocomplete_fields = ("subdistrict", "department", "property_company", "studio")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Role and scope"),
            {
                "fields": (
                    "name",
                    "phone",
                    "role",
                    "district",
                    "subdistrict",
                    "department",
                    "property_company",
                    "studio",
                    "is_demo",
                )
            },
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            _("Role and scope"),
            {
                "fields": (
                    "name",
                    "role",
                    "district",
                    "subdistrict",
                    "department",
                    "property_company",
                    "studio",
                )
            },
        ),
    )
