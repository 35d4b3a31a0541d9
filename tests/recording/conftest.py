import pytest

from .builders import recording_world


@pytest.fixture
def world(db):
    return recording_world()


@pytest.fixture
def world_without_episode(db):
    return recording_world(with_episode=False)
