from celery import shared_task


@shared_task
def run_retention() -> dict:
    from privacy.retention import retention_apply

    return retention_apply(dry_run=False).as_dict()
