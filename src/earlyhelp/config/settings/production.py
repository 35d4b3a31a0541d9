"""Production: HTTPS behind a reverse proxy, hashed static files, no demo mode."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import STORAGES as BASE_STORAGES
from .base import env_bool, env_int

DEBUG = False
EARLYHELP_DEMO_MODE = False
# Decided here, not from demo mode: production never runs without the second factor by default.
EARLYHELP_REQUIRE_TWO_FACTOR = env_bool("EARLYHELP_REQUIRE_TWO_FACTOR", True)
if not os.environ.get("SECRET_KEY") or len(os.environ["SECRET_KEY"]) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to 50 or more random characters in production.")
# Behind the reverse proxy of docs/deploy.md.
EARLYHELP_TRUSTED_PROXIES = env_int("EARLYHELP_TRUSTED_PROXIES", 1)

# The reverse proxy terminates TLS and sets X-Forwarded-Proto (see docs/deploy.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "documents": BASE_STORAGES["documents"],  # a private folder or S3 (base.py, docs/documents.md)
    "background_files": BASE_STORAGES["background_files"],  # files made by the worker, as private
}
