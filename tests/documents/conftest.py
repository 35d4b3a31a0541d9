import pytest

from tests.recording.builders import recording_world


@pytest.fixture
def documents_dir(settings, tmp_path):
    """Each test's documents in a folder of its own."""
    location = tmp_path / "documents"
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}}
    settings.CLAMD_SOCKET = ""
    return location


@pytest.fixture
def world(db, documents_dir):
    return recording_world()


def stored_files(location) -> list:
    return sorted(path for path in location.rglob("*") if path.is_file()) if location.exists() else []
