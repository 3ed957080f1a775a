from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "associations"
    default_auto_field = "django.db.models.BigAutoField"
