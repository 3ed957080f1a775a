"""``manage.py retention [--dry-run]``: apply the retention schedule, or say what it would do."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from privacy.retention import retention_apply


class Command(BaseCommand):
    help = "Applique les durées de conservation (privacy.retention) ; --dry-run : rapport sans rien modifier."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="compter sans modifier")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        report = retention_apply(dry_run=dry_run)
        self.stdout.write(("Simulation (rien n'est modifié)" if dry_run else "Purge effectuée") + f" — {report.now:%d/%m/%Y %H:%M}")
        for line in report.lines():
            self.stdout.write(f"  {line}")
