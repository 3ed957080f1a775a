from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from privacy.middleware import notice_check_at_login

        # The login hook of the notice re-acceptance (see privacy.middleware).
        user_logged_in.connect(notice_check_at_login, dispatch_uid="privacy_notice_check_at_login")
