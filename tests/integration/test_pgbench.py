"""pgbench, PostgreSQL's own benchmark client, against augur: initialization through COPY and
through server-side generation, then the select-only and TPC-B scripts in every query mode with
zero failed transactions and consistent balances. Throughput is measured by bench/pgbench_compare.sh,
not asserted here."""

import re
import subprocess

import pytest

SECONDS = 20  # per run, as the issue asks; six runs in all


def pgbench(server, *args, timeout=600):
    r = subprocess.run(["pgbench", *args, "augur"], capture_output=True, text=True,
                       env=server.psql_env(), timeout=timeout)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout + r.stderr


def failed_transactions(output):
    m = re.search(r"number of failed transactions: (\d+)", output)
    assert m, output
    return int(m.group(1))


def test_pgbench_initialize_server_side(server):
    out = pgbench(server, "-i", "-I", "dtGvp", "-s", "2")
    assert "server-side generate" in out
    code, rows, err = server.psql("SELECT count(*) FROM pgbench_accounts", "-At")
    assert rows.strip() == "200000", err


@pytest.mark.parametrize("mode", ["simple", "extended", "prepared"])
def test_pgbench_workloads(server, mode):
    pgbench(server, "-i", "-s", "10")  # client-side generation: COPY FROM STDIN
    _, rows, _ = server.psql("SELECT count(*) FROM pgbench_accounts", "-At")
    assert rows.strip() == "1000000"
    select_only = pgbench(server, "-n", "-S", "-c", "4", "-j", "2", "-T", str(SECONDS), "-M", mode)
    assert failed_transactions(select_only) == 0
    tpcb = pgbench(server, "-n", "-c", "4", "-j", "2", "-T", str(SECONDS), "-M", mode)
    assert failed_transactions(tpcb) == 0
    _, sums, err = server.psql(
        "SELECT (SELECT sum(delta) FROM pgbench_history), (SELECT sum(abalance) FROM pgbench_accounts),"
        " (SELECT sum(bbalance) FROM pgbench_branches), (SELECT sum(tbalance) FROM pgbench_tellers),"
        " (SELECT count(*) FROM pgbench_history)", "-At")
    history, accounts, branches, tellers, count = sums.strip().split("|")
    assert int(count) > 0, err
    assert history == accounts == branches == tellers
