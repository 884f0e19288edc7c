from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "xiaoqu.studios"
    label = "studios"
    verbose_name = _("Community studios")
