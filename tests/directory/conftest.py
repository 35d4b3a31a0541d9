import pytest

from .feed_server import start


@pytest.fixture
def feed_server():
    server = start()
    yield server
    server.shutdown()
    server.server_close()
