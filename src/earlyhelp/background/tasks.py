"""The one background task of this app: make a file asked for through services.background_file_request."""

from django_tasks import task


@task()
def make_background_file(file_id: str) -> str:
    from .services import background_file_make

    return background_file_make(file_id=file_id)
