"""Settings for the test suite: the real settings with test-only values for secrets.

Tests never read a developer's ``.env``; the database is SQLite unless ``DATABASE_URL`` is set
(``make test-postgres`` sets it).
"""

import os
import tempfile

os.environ.setdefault("JANGKAU_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else")
os.environ.setdefault("JANGKAU_DATA_DIR", os.path.join(tempfile.gettempdir(), "jangkau-test"))
os.environ.setdefault("JANGKAU_DEBUG", "0")
os.environ.setdefault("JANGKAU_SECURE_COOKIES", "0")

from jangkau.settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
