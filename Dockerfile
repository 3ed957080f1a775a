# Production image: gunicorn serves the app, WhiteNoise serves the static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    NUMBA_CACHE_DIR=/var/cache/mentorat/numba MATCHING_WARMUP_ON_WORKER_START=true
WORKDIR /app

# /data/exports: the large exports' volume (docker-compose.yml), owned by the app's user.
RUN useradd --create-home --uid 1000 mentorat && mkdir -p /data/exports && chown mentorat /data/exports

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .
# collectstatic needs settings to import: give it a throwaway key (never used at run time).
RUN SECRET_KEY=collectstatic-only-key-collectstatic-only-key-0123456789 DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput

# Compile the matching kernels now (~25 s) instead of in the first large match run. The code is
# root-owned, so numba's cache lives in NUMBA_CACHE_DIR, owned by the worker user: a worker on a
# CPU model other than the build machine's recompiles there once when it starts (worker_ready).
RUN mkdir -p "$NUMBA_CACHE_DIR" && python -m matching.engine.warmup \
    && chown -R mentorat:mentorat /var/cache/mentorat

USER mentorat
EXPOSE 8000
# Workers, threads, timeouts: gunicorn.conf.py (chosen by measurement, overridable from the
# environment: WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, ...).
CMD ["gunicorn", "mentorat.wsgi:application", "--config", "gunicorn.conf.py"]
