"""The real worker of django-tasks' database backend, run in the test's own process until the queue is empty.

A test that runs it is transactional (`worker_runs`): the worker commits as it claims each task and checks its
connection between tasks (Django's close_old_connections), as in production, which a test wrapped in one
transaction cannot allow (on PostgreSQL the connection would be closed under it).
"""

import pytest
from django.core.management import call_command

worker_runs = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
