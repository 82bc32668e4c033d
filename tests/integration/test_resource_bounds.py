"""Resource bounds per session (issue 16): memory follows what a client actually sends, not what
it announces or how many statements it packs into one message. Each test runs on a server of its
own so that the high-water mark it reads from /proc belongs to it alone."""

import struct
import time

import psycopg
import pytest

from augur_server import AugurServer
from pgraw import RawClient

MIB = 1 << 20


def memory_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


@pytest.fixture
def own_server(tmp_path):
    srv = AugurServer(tmp_path / "data").start()
    yield srv
    if srv.alive():
        srv.stop()


def test_many_statements_in_one_query_keep_one_copy_of_the_text(own_server):
    pid = own_server.proc.pid
    with psycopg.connect(own_server.dsn(), autocommit=True) as c:
        c.execute("SELECT 1")
        before = memory_kib(pid, "VmHWM")
        c.execute("SELECT 1;" * 20000)  # 180 KB; a copy per statement took 3.5 GiB
        assert c.execute("SELECT 2").fetchone() == (2,)
    grown_mib = (memory_kib(pid, "VmHWM") - before) / 1024
    assert grown_mib < 512, f"peak memory grew by {grown_mib:.0f} MiB"


def test_announced_message_lengths_are_not_allocated_up_front(own_server):
    pid = own_server.proc.pid
    with psycopg.connect(own_server.dsn(), autocommit=True) as c:
        c.execute("SELECT 1")
    before = memory_kib(pid, "VmRSS")
    clients = []
    try:
        for _ in range(40):
            client = RawClient("127.0.0.1", own_server.port)
            client.login()
            # A Query message announcing 64 MiB of text, then nothing.
            client.send(b"Q" + struct.pack("!I", 64 * MIB + 4))
            clients.append(client)
        time.sleep(1)
        grown_mib = (memory_kib(pid, "VmRSS") - before) / 1024
        assert grown_mib < 256, f"40 announced messages took {grown_mib:.0f} MiB"
        with psycopg.connect(own_server.dsn(), autocommit=True) as c:
            assert c.execute("SELECT 3").fetchone() == (3,)
    finally:
        for client in clients:
            client.close()


def test_one_query_stays_within_the_memory_limit(tmp_path):
    srv = AugurServer(tmp_path / "data", ["--memory-limit", "2GB"]).start()
    try:
        with psycopg.connect(srv.dsn(), autocommit=True) as c:
            with pytest.raises(psycopg.Error) as e:
                c.execute("SELECT length(repeat('x', 2000000000))")  # took 5 GiB under 2 GB
            assert e.value.sqlstate == "53200", e.value
            assert "Possible solutions" not in str(e.value)
            assert c.execute("SELECT length(repeat('x', 1000))").fetchone() == (1000,)
        peak_mib = memory_kib(srv.proc.pid, "VmHWM") / 1024
        assert peak_mib < 1536, f"peak memory {peak_mib:.0f} MiB under a 2 GB limit"
    finally:
        srv.stop()


def test_default_memory_limit_leaves_room_for_the_host(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        limit = c.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    number, unit = limit.split()
    scale = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[unit]
    with open("/proc/meminfo") as f:
        total = int(f.readline().split()[1]) * 1024
    assert float(number) * scale <= total * 0.3, (limit, total)


def chained_ctes(n):
    parts = ["c0 AS (SELECT 1 AS x)"] + [f"c{i} AS (SELECT x + 1 AS x FROM c{i - 1})"
                                         for i in range(1, n)]
    return "WITH " + ", ".join(parts) + f" SELECT x FROM c{n - 1}"


def test_long_cte_chains_are_refused_before_binding(server):
    # 1,000 chained CTEs (37 KB) took DuckDB's binder 75 s and 3 GB, past any statement_timeout.
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        for prepare in (False, True):
            with pytest.raises(psycopg.Error) as e:
                c.execute(chained_ctes(1000), prepare=prepare)
            assert e.value.sqlstate == "54001", e.value
        with pytest.raises(psycopg.Error) as e:
            c.execute("WITH a AS (" + chained_ctes(101) + ") SELECT * FROM a")
        assert e.value.sqlstate == "54001"
        assert c.execute(chained_ctes(50)).fetchone() == (50,)


@pytest.mark.parametrize(
    "literal, cast, sqlstate",
    [
        ("x" * 300_000, "interval", "22007"),
        ("9" * 300_000, "int", "22P02"),
        ("2024-13-" + "1" * 300_000, "date", "22007"),
    ],
    ids=["interval", "int", "date"],
)
def test_long_values_in_error_messages_are_answered(server, literal, cast, sqlstate):
    # The PostgreSQL wording of DuckDB's error (pg_error_wording.cpp) ran std::regex over the
    # whole message: a 300 KB value overflowed the stack and took the server down.
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        with pytest.raises(psycopg.Error) as e:
            c.execute(f"SELECT '{literal}'::{cast}")
        assert e.value.sqlstate == sqlstate, e.value
        assert c.execute("SELECT 2").fetchone() == (2,)
