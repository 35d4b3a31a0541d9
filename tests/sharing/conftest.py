"""Fixtures for consent and sharing tests."""

import pytest

from .builders import make_episode


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def manager(demo_user):
    return demo_user("manager")


@pytest.fixture
def episode(practitioner):
    return make_episode(lead=practitioner)
