# syntax=docker/dockerfile:1
# One image for the web, worker, beat and migrate services of docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# Pango and HarfBuzz for WeasyPrint (certificates and reports as PDF), and a font to render with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them: the locked versions, each
# checked against its hash (`make lock` writes requirements.txt from pyproject.toml).
COPY requirements-bootstrap.txt requirements.txt ./
RUN pip install --require-hashes -r requirements-bootstrap.txt \
    && pip install --require-hashes -r requirements.txt

COPY . .

# Static files are collected into the image; the key is used for nothing else and never runs.
RUN SECRET_KEY=collectstatic-only-build-time-key-not-used-at-runtime ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown app:app /app/media

USER app
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
