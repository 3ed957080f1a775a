from django.apps import AppConfig


class BinomesConfig(AppConfig):
    name = "binomes"
    default_auto_field = "django.db.models.BigAutoField"
