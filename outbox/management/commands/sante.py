"""``manage.py sante [--exiger worker,...]``: the ``/sante/`` report for containers without a web
server (the beat and worker health checks). Exit code 1 when not ready."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from mentorat.health import COMPONENTS, health_report, readiness


class Command(BaseCommand):
    help = "Affiche l'état des composants ; code de sortie 1 si l'un de ceux exigés ne va pas."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--exiger", default="", help=f"composants exigés parmi : {', '.join(COMPONENTS)}")

    def handle(self, *args: object, **options: str) -> None:
        asked = tuple(name for name in options["exiger"].split(",") if name)
        unknown = set(asked) - set(COMPONENTS)
        if unknown:
            raise CommandError(f"composants inconnus : {', '.join(sorted(unknown))}")
        report = health_report()
        status, code = readiness(report, ("database", *asked))
        self.stdout.write(json.dumps({"status": status, **report}, sort_keys=True))
        if code != 200:
            raise CommandError(status)
