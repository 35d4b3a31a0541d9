"""Tests: the database comes from DATABASE_URL (SQLite by default); fast hashing."""

import os

os.environ.setdefault("EARLYHELP_ALLOW_INSECURE_KEY", "1")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EARLYHELP_DEMO_MODE = True
# Tests that are about the second factor switch it on themselves.
EARLYHELP_REQUIRE_TWO_FACTOR = False

# Documents uploaded by the tests go to a folder of this run's own (tests/documents use tmp_path too).
import tempfile  # noqa: E402

STORAGES["documents"] = {"BACKEND": "django.core.files.storage.FileSystemStorage",  # noqa: F405
                         "OPTIONS": {"location": tempfile.mkdtemp(prefix="earlyhelp-test-documents-")}}

STORAGES["background_files"] = {"BACKEND": "django.core.files.storage.FileSystemStorage",  # noqa: F405
                                "OPTIONS": {"location": tempfile.mkdtemp(prefix="earlyhelp-test-background-")}}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)
