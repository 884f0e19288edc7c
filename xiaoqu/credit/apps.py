from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "xiaoqu.credit"
    label = "credit"
    verbose_name = _("Property company credit")
