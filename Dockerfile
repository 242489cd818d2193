# hrdcase production image: one image for the web, worker, worker-urgent, beat and migrate services
# (docker-compose.yml picks the command). Configuration comes from the environment at run
# time (docs/deploy.md); no key, password or .env file is ever baked into the image.

# --- source: the repository minus what must never ship ----------------------------------
# Even without a .dockerignore, the developer's virtualenv, the embedded mode's data and
# keys (var/secrets.json), a local .env and the git history stay out of the final image:
# only this stage sees them, and the final stage copies the cleaned tree.
FROM python:3.11-slim AS source
COPY . /src
RUN cd /src \
    && rm -rf .venv venv var staticfiles .env .env.* .git .ci tests bench node_modules \
        .pytest_cache .ruff_cache .mypy_cache \
    && find . -name __pycache__ -prune -exec rm -rf {} +

# --- runtime -------------------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    WEB_CONCURRENCY=3

RUN useradd --system --user-group --uid 10001 --create-home --shell /usr/sbin/nologin hrdcase

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. `--group` (PEP 735) needs
# pip >= 25.1.
COPY pyproject.toml ./
RUN pip install --upgrade "pip>=25.1" \
    && pip install --group prod

COPY --from=source /src/ ./

# collectstatic needs settings that import, and production settings refuse to import
# without keys, a database and a broker. Give it throwaway values that live only in this
# RUN's environment (not ENV, so not in the image; generated here, so not in the history).
RUN key() { python -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'; } \
    && HRDCASE_SECRET_KEY="$(key)" \
       HRDCASE_FIELD_KEYS="build:$(key)" \
       HRDCASE_BLIND_INDEX_KEY="$(key)" \
       DATABASE_URL="sqlite:////tmp/collectstatic.sqlite3" \
       CELERY_BROKER_URL="memory://" \
       python manage.py collectstatic --noinput \
    && rm -f /tmp/collectstatic.sqlite3 \
    && python -m compileall -q /app \
    && mkdir -p /app/var \
    && chown hrdcase:hrdcase /app/var

# The code stays root-owned and read-only to the app; only var/ (beat's schedule file,
# media) is writable, and docker-compose.yml mounts a volume there.
USER hrdcase
EXPOSE 8000

# Workers: WEB_CONCURRENCY (read by gunicorn). The control socket is off: nothing uses it.
CMD ["gunicorn", "hrdcase.wsgi:application", \
     "--config=python:hrdcase.gunicorn_conf", \
     "--bind=0.0.0.0:8000", \
     "--threads=4", \
     "--access-logfile=-", \
     "--graceful-timeout=20", \
     "--no-control-socket"]
