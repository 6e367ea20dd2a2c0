"""Mayan EDMS settings for Tchatche: one process on loopback, no broker, no internet.

Used through DJANGO_SETTINGS_MODULE=settings with PYTHONPATH=ged/mayan (see scripts/mayan.sh).
Everything not set here comes from Mayan's own defaults and from MAYAN_* environment variables.
The SQLite database lives in MAYAN_MEDIA_ROOT (Mayan's default), so a media root is a whole GED.
"""

from mayan.settings import *  # noqa: F403  (Mayan's settings module is meant to be star-imported)

# No Celery worker or broker on these machines: tasks (file parsing, OCR, search indexing) run
# inside the request. Not propagating task errors keeps an upload a success when OCR of one page
# fails: the file is stored and its text layer (pdftotext) is still searchable.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"

# Loopback only: the assistant's actions server talks to Mayan on the same machine.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DEBUG = False
