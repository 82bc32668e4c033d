"""Shared fixtures: one augur server for the whole run (most tests reuse it), and fresh servers
for the tests that restart or kill theirs."""

import pytest

from augur_server import AugurServer


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    # Room for test_two_hundred_connections_at_once next to the other tests' sessions.
    srv = AugurServer(tmp_path_factory.mktemp("shared-data"), ["--max-connections", "400"]).start()
    yield srv
    code = srv.stop()
    assert code == 0, "augur did not exit cleanly on SIGTERM:\n" + "\n".join(srv.log_lines[-30:])


@pytest.fixture
def fresh_server(tmp_path):
    """A server of the test's own; the test may stop, kill and restart it."""
    srv = AugurServer(tmp_path / "data")
    yield srv
    if srv.alive():
        srv.stop()


@pytest.fixture
def conn(server):
    import psycopg
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        yield c
