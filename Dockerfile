# Production image: gunicorn serves the app, WhiteNoise serves the static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# /data/exports: the large exports' volume (docker-compose.yml), owned by the app's user.
RUN useradd --create-home --uid 1000 mentorat && mkdir -p /data/exports && chown mentorat /data/exports

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .
# collectstatic needs settings to import: give it a throwaway key (never used at run time).
RUN SECRET_KEY=collectstatic-only-key-collectstatic-only-key-0123456789 DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput

USER mentorat
EXPOSE 8000
# Workers, threads, timeouts: gunicorn.conf.py (chosen by measurement, overridable from the
# environment: WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, ...).
CMD ["gunicorn", "mentorat.wsgi:application", "--config", "gunicorn.conf.py"]
