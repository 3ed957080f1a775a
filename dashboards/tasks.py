"""Workers' jobs of the dashboards: thin, each safe to run twice (the services claim the work)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def build_export_file(export_id: int) -> None:
    from dashboards.services import export_file_build

    export_file_build(export_id=export_id)


@shared_task(ignore_result=True)
def expire_export_files() -> int:
    from dashboards.services import export_files_expire

    return export_files_expire()


@shared_task(ignore_result=True)
def refresh_dashboards() -> int:
    from dashboards.refresh import dashboards_refresh

    return dashboards_refresh()


@shared_task(ignore_result=True)
def refresh_rollups() -> int:
    from dashboards.rollup import rollups_refresh_all

    return rollups_refresh_all()


@shared_task(ignore_result=True)
def refresh_rollup(association_id: int) -> bool:
    from dashboards.rollup import rollup_refresh

    return rollup_refresh(association_id=association_id)
