"""Security: TLS on both ports, SCRAM-SHA-256 logins, roles and their privileges, brute-force
throttling. One server for the module, set up in two steps as an operator would: first on the
default (trust on loopback) to create roles and passwords, then restarted with TLS required and
SCRAM on loopback too, so that every test below logs in the way a remote client must."""

import base64
import hashlib
import hmac
import os
import ssl
import struct
import subprocess
import urllib.error
import urllib.request

import psycopg
import pytest

from augur_server import AugurServer
from pgraw import RawClient, error_fields, message, startup_packet

PASSWORDS = {"augur": "bootstrap-pw", "reader": "reader-pw", "writer": "writer-pw"}


def make_pki(folder):
    """A test CA, a server certificate for localhost/127.0.0.1 signed by it, and a second CA that
    signed nothing (to show verify-full really verifies)."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder)

    for ca in ("ca", "other-ca"):
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{ca}.key", "-out",
            f"{ca}.crt", "-days", "2", "-subj", f"/CN=augur test {ca}")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=localhost")
    (folder / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf")
    return folder


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def setup_roles(srv):
    srv.psql(f"ALTER ROLE augur PASSWORD '{PASSWORDS['augur']}'", check=True)
    srv.psql(f"CREATE ROLE reader LOGIN PASSWORD '{PASSWORDS['reader']}'", check=True)
    srv.psql(f"CREATE USER writer PASSWORD '{PASSWORDS['writer']}' IN ROLE pg_write_all_data",
             check=True)
    srv.psql("CREATE ROLE nologin_role PASSWORD 'x'", check=True)
    srv.psql("CREATE TABLE secure_t(i INT); INSERT INTO secure_t VALUES (1), (2)", check=True)


@pytest.fixture(scope="module")
def secure(tmp_path_factory, pki):
    data = tmp_path_factory.mktemp("secure-data")
    first = AugurServer(data).start()
    try:
        setup_roles(first)
    finally:
        assert first.stop() == 0
    srv = AugurServer(data, ["--tls-mode", "require", "--tls-cert-file", str(pki / "server.crt"),
                             "--tls-key-file", str(pki / "server.key"),
                             "--auth-loopback", "scram-sha-256",
                             # The tests below fail logins on purpose; the brake has its own test.
                             "--failed-login-burst", "1000"]).start()
    yield srv
    srv.stop()


def connect(srv, user, pki, **extra):
    params = {"host": "127.0.0.1", "port": srv.port, "user": user, "dbname": "augur",
              "password": PASSWORDS.get(user, "x"), "sslmode": "require", "autocommit": True}
    params.update(extra)
    return psycopg.connect(**params)


def sqlstate_of(excinfo):
    return getattr(excinfo.value, "sqlstate", None)


# --- TLS -----------------------------------------------------------------------------------------

def test_psql_verify_full_against_the_test_ca(secure, pki):
    env = secure.psql_env()
    env["PGPASSWORD"] = PASSWORDS["augur"]
    dsn = (f"host=localhost port={secure.port} user=augur dbname=augur sslmode=verify-full "
           f"sslrootcert={pki / 'ca.crt'}")
    r = subprocess.run(["psql", "-X", dsn, "-c", "\\conninfo", "-c", "SELECT count(*) FROM secure_t"],
                       capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 0, r.stderr
    assert "SSL connection (protocol: TLSv1." in r.stdout
    assert " 2\n" in r.stdout


def test_verify_full_fails_against_another_ca(secure, pki):
    env = secure.psql_env()
    env["PGPASSWORD"] = PASSWORDS["augur"]
    dsn = (f"host=localhost port={secure.port} user=augur dbname=augur sslmode=verify-full "
           f"sslrootcert={pki / 'other-ca.crt'}")
    r = subprocess.run(["psql", "-X", dsn, "-c", "SELECT 1"], capture_output=True, text=True,
                       env=env, timeout=30)
    assert r.returncode != 0
    assert "certificate verify failed" in r.stderr


def test_psycopg_sslmode_require_is_encrypted(secure, pki):
    with connect(secure, "augur", pki) as c:
        assert c.pgconn.ssl_in_use
        assert c.execute("SELECT count(*) FROM secure_t").fetchone() == (2,)


def test_plaintext_session_refused_when_tls_required(secure, pki):
    with pytest.raises(psycopg.OperationalError) as e:
        connect(secure, "augur", pki, sslmode="disable")
    assert "connection requires TLS" in str(e.value)


def test_tls_below_1_2_is_refused(secure):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    except (ValueError, ssl.SSLError):
        pytest.skip("this OpenSSL cannot even offer TLS 1.1")
    client = RawClient("127.0.0.1", secure.port)
    client.send(struct.pack("!ii", 8, 80877103))
    assert client.sock.recv(1) == b"S"
    with pytest.raises((ssl.SSLError, ConnectionError)):
        ctx.wrap_socket(client.sock, server_hostname="localhost")


def test_https_on_the_http_port(secure, pki):
    ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
    with urllib.request.urlopen(f"https://localhost:{secure.http_port}/health", context=ctx,
                                timeout=10) as r:
        assert r.status == 200
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen(f"http://127.0.0.1:{secure.http_port}/health", timeout=5).read()


# --- SCRAM ---------------------------------------------------------------------------------------

def scram_login(port, user, password, tls_ctx):
    """Logs in with a hand-written SCRAM-SHA-256 client (RFC 5802) over TLS; returns ("ok", None)
    or ("error", fields). Shows the password itself never crosses the wire."""
    client = RawClient("127.0.0.1", port)
    client.send(struct.pack("!ii", 8, 80877103))
    assert client.sock.recv(1) == b"S"
    client.sock = tls_ctx.wrap_socket(client.sock, server_hostname="localhost")
    client.send(startup_packet(user=user))
    kind, body = client.recv_message()
    if kind == b"E":
        return "error", error_fields(body)
    assert kind == b"R" and struct.unpack("!i", body[:4])[0] == 10
    assert b"SCRAM-SHA-256" in body
    nonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = f"n=,r={nonce}"
    first = ("n,," + first_bare).encode()
    client.send(message(b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first))
    kind, body = client.recv_message()
    if kind == b"E":
        return "error", error_fields(body)
    server_first = body[4:].decode()
    attrs = dict(part.split("=", 1) for part in server_first.split(","))
    assert attrs["r"].startswith(nonce)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(attrs["s"]),
                                 int(attrs["i"]))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    without_proof = f"c=biws,r={attrs['r']}"
    auth_message = f"{first_bare},{server_first},{without_proof}".encode()
    signature = hmac.new(stored_key, auth_message, "sha256").digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    client.send(message(b"p", f"{without_proof},p={base64.b64encode(proof).decode()}".encode()))
    kind, body = client.recv_message()
    if kind == b"E":
        return "error", error_fields(body)
    assert kind == b"R" and struct.unpack("!i", body[:4])[0] == 12
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    expected = base64.b64encode(hmac.new(server_key, auth_message, "sha256").digest()).decode()
    assert body[4:].decode() == f"v={expected}", "server proved it does not know the verifier"
    kind, body = client.recv_message()
    assert kind == b"R" and struct.unpack("!i", body[:4])[0] == 0  # AuthenticationOk
    msgs = client.read_until_ready()
    client.close()
    assert msgs[-1][0] == b"Z"
    return "ok", None


@pytest.fixture
def tls_ctx(pki):
    return ssl.create_default_context(cafile=str(pki / "ca.crt"))


def test_scram_login_succeeds_and_server_proves_itself(secure, tls_ctx):
    assert scram_login(secure.port, "reader", PASSWORDS["reader"], tls_ctx) == ("ok", None)


def test_wrong_password_is_28P01(secure, tls_ctx):
    status, fields = scram_login(secure.port, "reader", "not-the-password", tls_ctx)
    assert status == "error"
    assert fields["C"] == "28P01"
    assert fields["M"] == 'password authentication failed for user "reader"'


def test_unknown_user_and_nologin_role_fail_exactly_like_a_wrong_password(secure, tls_ctx):
    for user in ("no_such_user", "nologin_role"):
        status, fields = scram_login(secure.port, user, "x", tls_ctx)
        assert (status, fields["C"]) == ("error", "28P01")
        assert fields["M"] == f'password authentication failed for user "{user}"'


def test_psycopg_wrong_password(secure, pki):
    with pytest.raises(psycopg.OperationalError) as e:
        connect(secure, "writer", pki, password="wrong")
    assert 'password authentication failed for user "writer"' in str(e.value)


def test_role_file_keeps_only_verifiers(secure):
    path = os.path.join(secure.data_dir, "augur_roles.json")
    text = open(path).read()
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    for password in PASSWORDS.values():
        assert password not in text
    assert text.count("SCRAM-SHA-256$4096:") == 4


def test_failed_logins_are_counted_in_metrics(secure, pki):
    ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
    with urllib.request.urlopen(f"https://localhost:{secure.http_port}/metrics", context=ctx,
                                timeout=10) as r:
        text = r.read().decode()
    lines = [l for l in text.splitlines()
             if l.startswith('augur_login_failures_total{reason="password"}')]
    assert lines and float(lines[0].split()[-1]) >= 1


# --- roles and privileges ------------------------------------------------------------------------

def test_read_only_role_reads_but_cannot_write(secure, pki):
    with connect(secure, "reader", pki) as c:
        assert c.execute("SELECT count(*) FROM secure_t").fetchone() == (2,)
        for sql in ("INSERT INTO secure_t VALUES (3)", "UPDATE secure_t SET i = 0",
                    "DELETE FROM secure_t", "CREATE TABLE reader_t(i INT)",
                    "DROP TABLE secure_t"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as e:
                c.execute(sql)
            assert 'role "reader" may read but not write' in str(e.value)
        # COPY TO STDOUT is a read; COPY FROM STDIN a write.
        with c.cursor().copy("COPY secure_t TO STDOUT") as copy:
            assert b"".join(bytes(b) for b in copy) == b"1\n2\n"
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with c.cursor().copy("COPY secure_t FROM STDIN") as copy:
                copy.write("9\n")
        assert c.execute("SELECT count(*) FROM secure_t").fetchone() == (2,)


@pytest.mark.parametrize("sql", [
    "COPY secure_t TO '/tmp/augur-leak.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    "COPY secure_t FROM '/etc/passwd'",
])
def test_non_superusers_cannot_touch_server_files(secure, pki, sql):
    for user in ("reader", "writer"):
        with connect(secure, user, pki) as c:
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as e:
                c.execute(sql)
            assert "permission denied" in str(e.value)
    assert not os.path.exists("/tmp/augur-leak.csv")


@pytest.mark.parametrize("sql,what", [
    ("ATTACH '/tmp/augur-attack.db' AS x", "attach"),
    ("LOAD parquet", "load extensions"),
    ("INSTALL httpfs", "load extensions"),
    ("SET memory_limit = '1GB'", "engine-wide setting"),
    ("SET GLOBAL threads = 1", "engine-wide setting"),
    ("SET enable_external_access = true", "engine-wide setting"),
    ("EXPORT DATABASE '/tmp/augur-export'", "export"),
    ("CREATE ROLE sneaky SUPERUSER", "create, alter or drop roles"),
    ("GRANT pg_write_all_data TO reader", "grant or revoke roles"),
])
def test_writer_cannot_escalate(secure, pki, sql, what):
    with connect(secure, "writer", pki) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as e:
            c.execute(sql)
        assert what in str(e.value)
        # Session-level settings stay the session's own business.
        c.execute("SET TimeZone = 'UTC'")
        c.execute("SET statement_timeout = '5s'")


def test_writer_writes_including_copy_from_stdin(secure, pki):
    with connect(secure, "writer", pki) as c:
        c.execute("CREATE TABLE writer_t(i INT)")
        c.execute("INSERT INTO writer_t VALUES (1)")
        with c.cursor().copy("COPY writer_t FROM STDIN") as copy:
            copy.write("2\n3\n")
        assert c.execute("SELECT sum(i) FROM writer_t").fetchone() == (6,)
        c.execute("DROP TABLE writer_t")


def test_superuser_manages_roles_and_changes_apply_at_once(secure, pki, tls_ctx):
    with connect(secure, "augur", pki) as admin:
        cur = admin.execute("CREATE ROLE temp_user LOGIN PASSWORD 'first'")
        assert cur.statusmessage == "CREATE ROLE"
        assert scram_login(secure.port, "temp_user", "first", tls_ctx)[0] == "ok"
        with psycopg.connect(host="127.0.0.1", port=secure.port, user="temp_user",
                             dbname="augur", password="first", sslmode="require",
                             autocommit=True) as session:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                session.execute("INSERT INTO secure_t VALUES (5)")
            assert admin.execute("GRANT pg_write_all_data TO temp_user").statusmessage == \
                "GRANT ROLE"
            session.execute("INSERT INTO secure_t VALUES (5)")  # no reconnect needed
            admin.execute("REVOKE pg_write_all_data FROM temp_user")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                session.execute("DELETE FROM secure_t WHERE i = 5")
        admin.execute("DELETE FROM secure_t WHERE i = 5")
        assert admin.execute("ALTER ROLE temp_user PASSWORD 'second'").statusmessage == \
            "ALTER ROLE"
        assert scram_login(secure.port, "temp_user", "first", tls_ctx)[1]["C"] == "28P01"
        assert scram_login(secure.port, "temp_user", "second", tls_ctx)[0] == "ok"
        # A verifier computed by the client (psql's \password) is stored as is.
        salt = os.urandom(16)
        salted = hashlib.pbkdf2_hmac("sha256", b"third", salt, 4096)
        stored = hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
        server = hmac.new(salted, b"Server Key", "sha256").digest()
        b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
        admin.execute(f"ALTER ROLE temp_user PASSWORD "
                      f"'SCRAM-SHA-256$4096:{b64(salt)}${b64(stored)}:{b64(server)}'")
        assert scram_login(secure.port, "temp_user", "third", tls_ctx)[0] == "ok"
        assert admin.execute("DROP ROLE temp_user").statusmessage == "DROP ROLE"
        assert scram_login(secure.port, "temp_user", "third", tls_ctx)[1]["C"] == "28P01"
        admin.execute("DROP ROLE IF EXISTS temp_user")


@pytest.mark.parametrize("sql,state", [
    ("CREATE ROLE reader", "42710"),
    ("DROP ROLE no_such_role", "42704"),
    ("ALTER ROLE no_such_role LOGIN", "42704"),
    ("DROP ROLE augur", "55006"),  # the current user, as in PostgreSQL
    ("CREATE ROLE x CREATEDB", "42601"),
    ("CREATE ROLE x PASSWORD", "42601"),
])
def test_role_statement_errors(secure, pki, sql, state):
    with connect(secure, "augur", pki) as c:
        with pytest.raises(psycopg.Error) as e:
            c.execute(sql)
        assert sqlstate_of(e) == state, str(e.value)
        assert c.execute("SELECT 1").fetchone() == (1,)  # the session carries on


# --- brute force ---------------------------------------------------------------------------------

def test_brute_force_logins_are_throttled_per_address(tmp_path):
    data = tmp_path / "data"
    first = AugurServer(data).start()
    try:
        first.psql("CREATE ROLE target LOGIN PASSWORD 'right'", check=True)
    finally:
        assert first.stop() == 0
    srv = AugurServer(data, ["--auth-loopback", "scram-sha-256"]).start()
    try:
        def attempt(password):
            try:
                psycopg.connect(host="127.0.0.1", port=srv.port, user="target", dbname="augur",
                                password=password, sslmode="disable").close()
                return "ok"
            except psycopg.OperationalError as e:
                return str(e)

        results = [attempt(f"guess{i}") for i in range(8)]
        assert all("password authentication failed" in r for r in results[:5]), results
        assert any("too many failed logins" in r for r in results[5:]), results
        # Even the right password is refused while the address is throttled.
        assert "too many failed logins" in attempt("right")
        assert srv.wait_for_log("login failed")
    finally:
        srv.stop()


# --- HTTP API authentication ---------------------------------------------------------------------

def api(secure, pki, path, body=None, auth=None):
    """(status, headers, parsed JSON) of an HTTPS request to the secure server."""
    import json
    ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"https://localhost:{secure.http_port}{path}", data=data,
                                     method="POST" if data else "GET")
    if data:
        request.add_header("Content-Type", "application/json")
    if auth:
        request.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(request, context=ctx, timeout=10) as r:
            return r.status, r.headers, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.headers, json.loads(e.read())


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_api_requires_credentials_where_logins_need_passwords(secure, pki):
    status, headers, body = api(secure, pki, "/api/query", {"sql": "SELECT 1"})
    assert status == 401
    assert body["error"]["code"] == "28000"
    assert "Bearer" in headers.get_all("WWW-Authenticate")[0]
    status, _, body = api(secure, pki, "/api/tables")
    assert status == 401
    # Health and readiness stay open for load balancers.
    assert api(secure, pki, "/health")[0] == 200


def test_api_basic_auth_runs_as_the_role(secure, pki):
    status, _, body = api(secure, pki, "/api/query", {"sql": "SELECT current_user AS u"},
                          auth=basic("reader", PASSWORDS["reader"]))
    assert status == 200, body
    assert body["rows"] == [["reader"]]
    status, _, body = api(secure, pki, "/api/query", {"sql": "INSERT INTO secure_t VALUES (9)"},
                          auth=basic("reader", PASSWORDS["reader"]))
    assert status == 403 and body["error"]["code"] == "42501"
    status, _, body = api(secure, pki, "/api/query", {"sql": "SELECT 1"},
                          auth=basic("reader", "wrong"))
    assert status == 401 and body["error"]["code"] == "28P01"


def test_api_tokens_are_bound_to_a_role_and_revocable(secure, pki):
    with connect(secure, "augur", pki) as admin:
        token = admin.execute("SELECT augur_create_api_token('reader')").fetchone()[0]
        assert token.startswith("augur_")
        token_id = token.split("_")[1]
        assert (token_id, "reader") in admin.execute("SELECT * FROM augur_api_tokens()").fetchall()
        status, _, body = api(secure, pki, "/api/query", {"sql": "SELECT current_user"},
                              auth=f"Bearer {token}")
        assert status == 200 and body["rows"] == [["reader"]]
        status, _, body = api(secure, pki, "/api/backup", {"to": "/tmp/augur-token-backup"},
                              auth=f"Bearer {token}")
        assert status == 403
        assert api(secure, pki, "/api/query", {"sql": "SELECT 1"},
                   auth=f"Bearer {token[:-1]}x")[0] == 401
        assert admin.execute("SELECT augur_drop_api_token(%s)", (token_id,)).fetchone() == (True,)
        assert api(secure, pki, "/api/query", {"sql": "SELECT 1"}, auth=f"Bearer {token}")[0] == 401
    with connect(secure, "reader", pki) as reader:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute("SELECT augur_create_api_token('augur')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            reader.execute("SELECT * FROM augur_api_tokens()")
    text = open(os.path.join(secure.data_dir, "augur_roles.json")).read()
    assert token.split("_")[2] not in text  # only the secret's hash is kept


def test_backup_over_https_with_a_superuser_token(secure, pki, tmp_path):
    from augur_server import AUGUR_BIN
    target = tmp_path / "backup"
    base = [AUGUR_BIN, "backup", "--to", str(target), "--server",
            f"https://localhost:{secure.http_port}", "--cacert", str(pki / "ca.crt")]
    env = {k: v for k, v in os.environ.items() if k != "AUGUR_TOKEN"}
    r = subprocess.run(base, capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 1 and "HTTP 401" in r.stderr, r.stderr
    with connect(secure, "augur", pki) as admin:
        token = admin.execute("SELECT augur_create_api_token('augur')").fetchone()[0]
    r = subprocess.run(base, capture_output=True, text=True, timeout=120,
                       env={**env, "AUGUR_TOKEN": token})
    assert r.returncode == 0, r.stderr
    assert "backup written to" in r.stdout
    assert (target / "augur-backup.json").exists()


def test_parquet_export_lets_a_reader_export_but_not_read_server_files(secure, pki):
    import json
    auth = basic("reader", PASSWORDS["reader"])
    ctx = ssl.create_default_context(cafile=str(pki / "ca.crt"))

    def post(body):
        request = urllib.request.Request(f"https://localhost:{secure.http_port}/api/query",
                                         data=json.dumps(body).encode(), method="POST",
                                         headers={"Authorization": auth,
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, context=ctx, timeout=10) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    status, data = post({"sql": "SELECT * FROM secure_t", "format": "parquet"})
    assert status == 200 and data[:4] == b"PAR1", data
    status, data = post({"sql": "SELECT * FROM read_csv('/etc/passwd')", "format": "parquet"})
    assert status == 403 and json.loads(data)["error"]["code"] == "42501"


def test_cached_results_are_never_shared_across_roles(secure, pki):
    admin = basic("augur", PASSWORDS["augur"])
    reader = basic("reader", PASSWORDS["reader"])
    sql = {"sql": "SELECT count(*) AS n FROM secure_t WHERE i > 0"}
    assert api(secure, pki, "/api/query", sql, auth=admin)[0] == 200
    status, headers, _ = api(secure, pki, "/api/query", sql, auth=admin)
    assert status == 200 and headers["X-Cache"] == "hit"
    # The reader computes its own answer: the superuser's entry is never handed to another role.
    status, headers, body = api(secure, pki, "/api/query", sql, auth=reader)
    assert status == 200 and headers["X-Cache"] == "miss" and body["rows"] == [[2]]
    # A server file's contents are never cached (no table version tells when the file changes),
    # and a role that may not read server files is refused, not served someone else's result.
    file_sql = {"sql": "SELECT content FROM read_text('/etc/hostname')"}
    assert api(secure, pki, "/api/query", file_sql, auth=admin)[0] == 200
    status, headers, _ = api(secure, pki, "/api/query", file_sql, auth=admin)
    assert status == 200 and headers["X-Cache"] == "bypass"
    status, _, body = api(secure, pki, "/api/query", file_sql, auth=reader)
    assert status == 403 and body["error"]["code"] == "42501"


def test_clients_that_stall_before_logging_in_are_disconnected(tmp_path):
    """Slowloris on the PostgreSQL port: connect (or ask for TLS) and then say nothing."""
    import socket
    import time
    srv = AugurServer(tmp_path / "data", ["--authentication-timeout-ms", "500"]).start()
    try:
        silent = socket.create_connection((srv.host, srv.port), timeout=10)
        half = socket.create_connection((srv.host, srv.port), timeout=10)
        half.sendall(struct.pack("!i", 8))  # half a startup packet
        start = time.time()
        assert silent.recv(1) == b"" and half.recv(1) == b""  # closed by the server
        assert time.time() - start < 8
        assert srv.wait_for_log("startup timed out")
        assert srv.psql("SELECT 1", check=True)[1].strip().endswith("(1 row)")
    finally:
        assert srv.stop() == 0
