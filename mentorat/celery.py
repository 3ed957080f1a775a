"""Celery application: ``celery -A mentorat worker`` runs the project's tasks."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")

app = Celery("mentorat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@worker_ready.connect
def warm_matching_kernels(**_: object) -> None:
    """Fill numba's cache before the first match run: the pool's processes then load compiled
    kernels instead of compiling them (~25 s, once per machine and code version). Runs in the
    worker's main process, before it consumes tasks; a warm cache makes it a load (~1 s)."""
    from django.conf import settings

    if not settings.MATCHING_WARMUP_ON_WORKER_START:
        return
    from matching.engine import warmup

    warmup.run_large_path()
    stats = warmup.cache_stats()
    logger.info(
        "matching kernels ready: %d compiled, %d loaded from the cache",
        sum(s["misses"] for s in stats.values()),
        sum(s["hits"] for s in stats.values()),
    )
