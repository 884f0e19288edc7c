from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExemplaryConfig(AppConfig):
    name = "xiaoqu.exemplary"
    label = "exemplary"
    verbose_name = _("Exemplary cases")
