import pytest

from .builders import alerts_world


@pytest.fixture
def world(db):
    return alerts_world()
