"""Protocol-level hostile input (issue 16, item 10): clients that half-close during COPY, send
Copy messages outside COPY, or string literals DuckDB's parser cannot decode. Each answer is
compared with what PostgreSQL 15 does."""

import socket
import time

import psycopg
import pytest

from pgraw import RawClient, message


def logged_in(server):
    client = RawClient("127.0.0.1", server.port)
    client.login()
    return client.sock


def read_until_closed(s, seconds=10):
    s.settimeout(seconds)
    data = b""
    while True:
        chunk = s.recv(4096)  # a timeout raises: the server kept the connection open
        if not chunk:
            return data
        data += chunk


def test_half_closed_during_copy_from_stdin_ends_the_session(server):
    server.psql("CREATE TABLE IF NOT EXISTS hard_copy(i INT)", check=True)
    s = logged_in(server)
    try:
        s.sendall(message(b"Q", b"COPY hard_copy FROM STDIN\x00"))
        assert s.recv(1) == b"G"
        s.sendall(message(b"d", b"1\n"))
        time.sleep(0.2)
        s.shutdown(socket.SHUT_WR)
        data = read_until_closed(s)
        assert b"C08006" in data
    finally:
        s.close()


def test_copy_messages_outside_copy_are_ignored(server):
    s = logged_in(server)
    try:
        s.sendall(message(b"d", b"stray row\n") + message(b"c") + message(b"f", b"late\x00") +
                  message(b"Q", b"SELECT 7\x00"))
        s.settimeout(10)
        data = b""
        while not data.endswith(b"Z\x00\x00\x00\x05I"):
            chunk = s.recv(4096)
            assert chunk, "the server ended the connection"
            data += chunk
        assert b"\x00\x00\x00\x017" in data and b"E\x00" not in data
    finally:
        s.close()


@pytest.mark.parametrize("sql,state,text", [
    ("SELECT E'\\x00'", "22021", 'invalid byte sequence for encoding "UTF8": 0x00'),
    ("SELECT E'\\xff'", "22021", 'invalid byte sequence for encoding "UTF8": 0xff'),
    ("SELECT U&'\\0000'", "42601", "invalid Unicode escape value"),
    ("SELECT E'\\u0000'", "42601", "invalid Unicode escape value"),
    ("SELECT U&'\\D800'", "42601", "invalid Unicode surrogate pair"),
])
def test_string_literals_postgresql_refuses(conn, sql, state, text):
    with pytest.raises(psycopg.Error) as e:
        conn.execute(sql)
    assert e.value.sqlstate == state and str(e.value).startswith(text), e.value


def test_string_literals_decode_as_in_postgresql(conn):
    row = conn.execute("SELECT E'\\x41\\101\\u0041', U&'d\\0061t\\+000061', "
                       "U&'d!0061t!+000061' UESCAPE '!', E'it''s\\n'").fetchone()
    assert row == ("AAA", "data", "data", "it's\n")
