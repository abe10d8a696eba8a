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

# Tests read messages in English unless a test asks for Indonesian (Accept-Language: id);
# the product default stays Indonesian (checked in tests/web/test_pages.py).
LANGUAGE_CODE = "en"
# A file, not SQLite's shared-cache memory database: the live server used by browser tests
# runs in another thread, and shared-cache mode answers concurrent access with "database table
# is locked" instead of waiting. A file in WAL mode with a busy timeout waits. One per process,
# so parallel runs on one machine do not collide.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"jangkau-test-{os.getpid()}.sqlite3")
    }
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
