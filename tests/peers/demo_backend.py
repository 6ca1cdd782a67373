#!/usr/bin/python3
"""Demo e-services backend for the kiosk's submissions, and the peer of the net tests.

A real HTTPS server on loopback only. It requires mutual TLS (a client certificate signed
by --ca), stores each submission in SQLite keyed by its reference (idempotent: a repeat is
answered 409 and not stored again), and opens sealed envelopes (JWE, RSA-OAEP-256 +
A256GCM, docs/outbox.md) with its private key.

It can be told to misbehave, through a plain-HTTP control endpoint on another loopback
port (JSON in, JSON out):

  POST /fault {"kind": "down"}                      stop accepting: listener closed, open
                                                    connections cut (connection refused)
  POST /fault {"kind": "up"}                        accept again, same port
  POST /fault {"kind": "status", "status": 500, "count": 3}
                                                    answer 500 to the next 3 submissions
                                                    (count 0 or absent: until "normal")
  POST /fault {"kind": "slow", "delay": 2.5, "count": 1}
                                                    wait before handling (then store + answer)
  POST /fault {"kind": "reset", "count": 2}         read the request, then reset the TCP
                                                    connection without storing
  POST /fault {"kind": "reset_after_store", "count": 1}
                                                    store, then reset (the answer is lost)
  POST /fault {"kind": "normal"}                    clear every fault
  GET  /submissions                                 {"submissions": [...], "requests": [...]}
  GET  /health                                      {"ok": true, "up": ..., "in_flight": N}
                                                    (N: submissions being handled right now)

On start it prints one JSON line to stdout: {"port": P, "control_port": C}.
Log lines (stderr) name references and outcomes only, never answers.

Run with Debian's /usr/bin/python3 (python3-cryptography).
"""

import argparse
import base64
import json
import os
import re
import signal
import socket
import socketserver
import sqlite3
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

REFERENCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_BODY = 1024 * 1024


def log(message):
    sys.stderr.write("demo-backend: " + message + "\n")
    sys.stderr.flush()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class EnvelopeError(Exception):
    pass


def open_sealed(body, private_key):
    """Decrypts a sealed envelope; returns (header, plaintext bytes)."""
    try:
        jwe = json.loads(body)
        protected = jwe["protected"]
        header = json.loads(b64url_decode(protected))
        if header.get("alg") != "RSA-OAEP-256" or header.get("enc") != "A256GCM":
            raise EnvelopeError("unsupported_algorithm")
        cek = private_key.decrypt(
            b64url_decode(jwe["encrypted_key"]),
            padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
        )
        plain = AESGCM(cek).decrypt(
            b64url_decode(jwe["iv"]),
            b64url_decode(jwe["ciphertext"]) + b64url_decode(jwe["tag"]),
            protected.encode("ascii"),
        )
        return header, plain
    except EnvelopeError:
        raise
    except Exception as e:  # any damage: JSON, base64, key, tag
        raise EnvelopeError("envelope_undecryptable") from e


class Store:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS submissions (reference TEXT PRIMARY KEY, form TEXT,"
            " sealed INTEGER, payload TEXT, stored_at REAL)"
        )
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " reference TEXT, outcome TEXT, at REAL)"
        )

    def insert(self, reference, form, sealed, payload):
        """True when stored, False when the reference was already there."""
        with self.lock:
            try:
                self.db.execute(
                    "INSERT INTO submissions VALUES (?, ?, ?, ?, ?)",
                    (reference, form, 1 if sealed else 0, payload, time.time()),
                )
                return True
            except sqlite3.IntegrityError:
                return False

    def note(self, reference, outcome):
        with self.lock:
            self.db.execute(
                "INSERT INTO requests (reference, outcome, at) VALUES (?, ?, ?)", (reference, outcome, time.time())
            )

    def dump(self):
        with self.lock:
            subs = [
                {"reference": r, "form": f, "sealed": bool(s), "payload": json.loads(p)}
                for r, f, s, p in self.db.execute(
                    "SELECT reference, form, sealed, payload FROM submissions ORDER BY stored_at"
                )
            ]
            reqs = [
                {"reference": r, "outcome": o}
                for r, o in self.db.execute("SELECT reference, outcome FROM requests ORDER BY id")
            ]
        return {"submissions": subs, "requests": reqs}


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.kind = "normal"
        self.count = 0  # 0: until changed
        self.status = 500
        self.delay = 0.0

    def set(self, spec):
        with self.lock:
            self.kind = spec.get("kind", "normal")
            self.count = int(spec.get("count", 0))
            self.status = int(spec.get("status", 500))
            self.delay = float(spec.get("delay", 0.0))

    def take(self):
        """The fault for this request (and use one of its count)."""
        with self.lock:
            current = (self.kind, self.status, self.delay)
            if self.kind != "normal" and self.count > 0:
                self.count -= 1
                if self.count == 0:
                    self.kind = "normal"
            return current


class ResetConnection(Exception):
    pass


class SubmissionHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "toegang-demo-backend"

    def log_message(self, fmt, *args):  # the default prints request lines; ours are below
        pass

    def answer(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reset(self):
        # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raise ResetConnection()

    def do_GET(self):
        self.answer(405, {"error": "method_not_allowed"})

    def do_POST(self):
        app = self.server.app
        app.flight(+1)
        try:
            self.handle_submission(app)
        finally:
            app.flight(-1)

    def handle_submission(self, app):
        length = int(self.headers.get("Content-Length", "0") or "0")
        if length < 0 or length > MAX_BODY:
            self.answer(413, {"error": "too_large"})
            return
        body = self.rfile.read(length)
        key = self.headers.get("Idempotency-Key", "")
        kind, status, delay = app.faults.take()
        if kind == "slow":
            time.sleep(delay)
        elif kind == "status":
            app.store.note(key, "http_%d" % status)
            log("%s -> %d (fault)" % (key, status))
            self.answer(status, {"error": "fault_injected"})
            return
        elif kind == "reset":
            app.store.note(key, "reset")
            log("%s -> reset (fault)" % key)
            self.reset()

        if app.plain_http and self.headers.get("X-Client-Verify", "") != "SUCCESS":
            self.answer(403, {"error": "client_certificate_required"})
            return
        if not REFERENCE.match(key):
            self.answer(400, {"error": "idempotency_key_missing"})
            return
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        sealed = content_type == "application/jose+json"
        try:
            if sealed:
                if app.sealing_key is None:
                    self.answer(415, {"error": "sealed_not_configured"})
                    return
                header, plain = open_sealed(body, app.sealing_key)
                if header.get("toegang_ref") != key:
                    self.answer(400, {"error": "envelope_reference_mismatch"})
                    return
            elif content_type == "application/json":
                plain = body
            else:
                self.answer(415, {"error": "unsupported_media_type"})
                return
            payload = json.loads(plain)
        except EnvelopeError as e:
            app.store.note(key, "http_400")
            self.answer(400, {"error": str(e)})
            return
        except ValueError:
            app.store.note(key, "http_400")
            self.answer(400, {"error": "not_json"})
            return
        if not isinstance(payload, dict) or payload.get("reference") != key:
            app.store.note(key, "http_400")
            self.answer(400, {"error": "reference_mismatch"})
            return

        stored = app.store.insert(key, str(payload.get("form", "")), sealed, json.dumps(payload))
        outcome = 201 if stored else 409
        app.store.note(key, "http_%d" % outcome)
        log("%s (form %s%s) -> %d" % (key, payload.get("form", "?"), ", sealed" if sealed else "", outcome))
        if kind == "reset_after_store":
            self.reset()
        if stored:
            self.answer(201, {"status": "stored", "reference": key})
        else:
            self.answer(409, {"status": "duplicate", "reference": key})


class SubmissionServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, app):
        self.app = app
        super().__init__(address, SubmissionHandler)

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, on the connection's own thread, so a slow or refused
        # client never holds up the accept loop.
        request.settimeout(30)
        # http.server sends the headers and the body in two writes; without TCP_NODELAY,
        # Nagle's algorithm and the client's delayed ACK add 40 ms to every answer.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = request
        try:
            if self.app.tls is not None:
                try:
                    conn = self.app.tls.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError) as e:
                    log("handshake refused: %s" % (getattr(e, "reason", None) or e))
                    return
            self.app.track(conn, True)
            try:
                SubmissionHandler(conn, client_address, self)
            except (ResetConnection, OSError, ValueError):
                pass
        finally:
            self.app.track(conn, False)
            try:
                conn.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        pass


class ControlHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        app = self.server.app
        if self.path == "/submissions":
            self.answer(200, app.store.dump())
        elif self.path == "/health":
            self.answer(200, {"ok": True, "up": app.is_up(), "in_flight": app.in_flight})
        else:
            self.answer(404, {"error": "not_found"})

    def do_POST(self):
        app = self.server.app
        length = int(self.headers.get("Content-Length", "0") or "0")
        try:
            spec = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.answer(400, {"error": "not_json"})
            return
        if self.path != "/fault":
            self.answer(404, {"error": "not_found"})
            return
        kind = spec.get("kind", "normal")
        if kind == "down":
            app.go_down()
        elif kind == "up":
            app.go_up()
        elif kind in ("normal", "status", "slow", "reset", "reset_after_store"):
            app.faults.set(spec)
        else:
            self.answer(400, {"error": "unknown_fault"})
            return
        log("fault: %s" % json.dumps(spec))
        self.answer(200, {"ok": True})


class ControlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, app):
        self.app = app
        super().__init__(address, ControlHandler)


class App:
    def __init__(self, args):
        self.store = Store(args.db)
        self.faults = Faults()
        self.plain_http = args.plain_http
        self.sealing_key = None
        if args.sealing_key:
            with open(args.sealing_key, "rb") as f:
                self.sealing_key = serialization.load_pem_private_key(f.read(), password=None)
        self.tls = None if args.plain_http else self.make_tls(args)
        self.lock = threading.Lock()
        self.connections = set()
        self.in_flight = 0  # submissions being handled now (tests wait for a request to be in flight)
        self.port = args.port
        self.server = None
        self.thread = None

    @staticmethod
    def make_tls(args):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if args.tls_max == "1.1":
            # Only for the test that the kiosk refuses old TLS: OpenSSL 3 allows TLS 1.0/1.1
            # only at security level 0.
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        else:
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(args.cert, args.key)
        if args.ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(args.ca)
        return ctx

    def track(self, conn, add):
        with self.lock:
            (self.connections.add if add else self.connections.discard)(conn)

    def flight(self, delta):
        with self.lock:
            self.in_flight += delta

    def is_up(self):
        with self.lock:
            return self.server is not None

    def go_up(self):
        with self.lock:
            if self.server is not None:
                return
            self.server = SubmissionServer(("127.0.0.1", self.port), self)
            self.port = self.server.server_address[1]
            self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
            self.thread.start()

    def go_down(self):
        with self.lock:
            server, self.server = self.server, None
            connections = list(self.connections)
        if server is None:
            return
        server.shutdown()
        server.server_close()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    parser.add_argument("--control-port", type=int, default=0)
    parser.add_argument("--cert", help="server certificate (PEM)")
    parser.add_argument("--key", help="server key (PEM)")
    parser.add_argument("--ca", help="CA that signs client certificates (mutual TLS required)")
    parser.add_argument("--sealing-key", help="private key for sealed envelopes (PEM)")
    parser.add_argument("--db", required=True, help="SQLite file")
    parser.add_argument("--plain-http", action="store_true",
                        help="plain HTTP behind a TLS front door (nginx) that sets X-Client-Verify")
    parser.add_argument("--tls-max", choices=["1.1", "1.3"], default="1.3")
    args = parser.parse_args()
    if not args.plain_http and not (args.cert and args.key and args.ca):
        parser.error("--cert, --key and --ca are required (mutual TLS), unless --plain-http")

    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    app = App(args)
    app.go_up()
    control = ControlServer(("127.0.0.1", args.control_port), app)
    print(json.dumps({"port": app.port, "control_port": control.server_address[1]}), flush=True)
    log("listening on 127.0.0.1:%d (%s), control on 127.0.0.1:%d"
        % (app.port, "plain HTTP" if args.plain_http else "HTTPS, mutual TLS", control.server_address[1]))
    try:
        control.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
