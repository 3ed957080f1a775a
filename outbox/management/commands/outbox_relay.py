"""``manage.py outbox_relay``: relay what is due from the command line (a cron job where no Celery
beat runs, e.g. the in-process demo)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from outbox.services import outbox_relay


class Command(BaseCommand):
    help = "Envoie les envois différés en attente."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(str(outbox_relay(limit=1000)))
