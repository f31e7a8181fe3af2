"""Test settings: the production settings plus a test-only app and fast password hashing."""

import os

from motcua.settings import *  # noqa: F403
from motcua.settings import DATABASES, INSTALLED_APPS, VAR_DIR

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "vi"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that tests can start worker subprocesses on the same database;
    # one per test process, so that concurrent runs (and xdist workers) never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# The national portal sync pushes only in the tests that start the fake portal and say so
# (override_settings(DVCQG_SYNC_ENABLED=True, DVCQG_URL=server.url)); elsewhere the relay
# would knock on a port where nothing listens.
DVCQG_SYNC_ENABLED = False

# The relay refreshes the stored scorecards after every batch: tests see the cards at
# once (the throttle has its own test).
SCOREBOARD_REFRESH_SECONDS = 0
