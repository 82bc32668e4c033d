"""A minimal raw PostgreSQL protocol client, for sending what real drivers never send."""

import socket
import struct


def startup_packet(user="augur", database="augur"):
    body = struct.pack("!i", 196608)
    for k, v in (("user", user), ("database", database)):
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    return struct.pack("!i", len(body) + 4) + body


def message(type_byte, body=b""):
    return type_byte + struct.pack("!i", len(body) + 4) + body


class RawClient:
    def __init__(self, host, port, timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def recv_message(self):
        """Returns (type, body), or None at EOF."""
        while len(self.buf) < 5:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        length = struct.unpack("!i", self.buf[1:5])[0]
        while len(self.buf) < 1 + length:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        msg = (self.buf[0:1], self.buf[5:1 + length])
        self.buf = self.buf[1 + length:]
        return msg

    def read_until_ready(self):
        """Messages up to and including ReadyForQuery (or EOF)."""
        out = []
        while True:
            m = self.recv_message()
            if m is None:
                return out
            out.append(m)
            if m[0] == b"Z":
                return out

    def login(self):
        self.send(startup_packet())
        msgs = self.read_until_ready()
        assert msgs and msgs[-1][0] == b"Z", msgs
        return msgs

    def close(self):
        self.sock.close()


def error_fields(body):
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode()
    return fields
