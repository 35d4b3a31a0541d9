"""Tests: the database comes from DATABASE_URL (SQLite by default); fast hashing."""

import os

os.environ.setdefault("EARLYHELP_ALLOW_INSECURE_KEY", "1")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EARLYHELP_DEMO_MODE = True

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)
