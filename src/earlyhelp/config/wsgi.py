import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.config.settings.production")
application = get_wsgi_application()

from earlyhelp.config.worker import worker_ready  # noqa: E402 (Django is set up by now)

worker_ready()
