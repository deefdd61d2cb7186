from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = _("Competence frameworks")
    default_auto_field = "django.db.models.BigAutoField"
