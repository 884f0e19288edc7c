from django.contrib import admin

from .models import Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "subdistrict", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "short_name")
