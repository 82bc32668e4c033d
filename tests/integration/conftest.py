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


def configure_django(host, port, name="augur", user="augur"):
    """Points Django at an augur server. Django can be configured once per process, and several
    test modules use it (test_django, test_savepoints, test_locks), so the first call configures
    it with every app any of them needs and later calls only move the connection."""
    import django
    from django.conf import settings
    database = {"ENGINE": "django.db.backends.postgresql", "HOST": host, "PORT": port,
                "NAME": name, "USER": user}
    if not settings.configured:
        settings.configure(DATABASES={"default": database},
                           INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth",
                                           "django_app"],
                           USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.AutoField")
        django.setup()
    else:
        from django.db import connections
        connections["default"].close()
        settings.DATABASES["default"].update(database)
