"""The listener: a second HTTP socket that records what reaches "another host".

It listens on 127.0.0.1 on a port of its own, started with the server, so
its origin (scheme, host, port) differs from the server's.  Options of the
hostile modes (``token_redirect``, ``nextlink_host``, ``page_redirect``,
``rets.capability_host``, the ``redirect_listener`` fault) send clients
there with the same path and query; a client that follows carries whatever
it carries (Authorization headers, cookies, form bodies with secrets), and
the listener records every request in full.

It answers per the ``listener_mode`` option of the MLS the path names
(``/<mls>/...``; "ok" for any other path):

    ok                200 {"value": []}
    basic_challenge   401 WWW-Authenticate: Basic realm="listener", unless the
                      request has an Authorization header (then 200)
    digest_challenge  401 WWW-Authenticate: Digest realm="listener", ... likewise
    endless_get       a GET: 200 and a body without end (no Content-Length,
                      zero bytes until the client goes or ENDLESS_CAP is
                      sent), as a hostile S3 endpoint answers the read of an
                      object; its record gets "sent_bytes" once the body
                      ends; any other request: 200 {"value": []} (an S3 PUT
                      or DELETE that succeeds)

``GET /control/listener`` returns the records, ``DELETE /control/listener``
clears them (on the server's control API, not here).
"""

import base64
import collections
import http.server
import secrets
import socketserver
import sys
import threading
import time

#: Records kept (oldest out).
MAX_RECORDS = 1000
#: Body bytes kept per record.
MAX_BODY = 1024 * 1024
#: Most bytes an endless_get body sends (a client that never stops reading
#: stops the listener's thread there).
ENDLESS_CAP = 1024 * 1024 * 1024


class Listener:
    """The listening socket, its thread and its records."""

    def __init__(self, app):
        self.app = app
        self.records = collections.deque(maxlen=MAX_RECORDS)
        self.lock = threading.Lock()
        self.seq = 0
        self.server = _Server(self)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = None

    def start(self):
        """Serve in a daemon thread; return self."""
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.2}, name="listener", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        """Stop serving and close the socket."""
        if self.thread is not None:
            self.server.shutdown()
        self.server.server_close()

    def mode(self, path):
        """Return the listener_mode of the MLS that ``path`` names ("ok" for others)."""
        name = path.lstrip("/").split("/", 1)[0]
        mls = self.app.mlss.get(name)
        return mls.options["listener_mode"] if mls is not None else "ok"

    def record(self, entry):
        """Append one request record."""
        with self.lock:
            self.seq += 1
            entry["seq"] = self.seq
            self.records.append(entry)

    def list(self):
        """Return every record, oldest first."""
        with self.lock:
            return list(self.records)

    def clear(self):
        """Forget every record; return how many there were."""
        with self.lock:
            count = len(self.records)
            self.records.clear()
            return count

    def describe(self):
        """Return the listener's URL and records (GET /control/listener)."""
        return {"url": self.url, "records": self.list()}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60

    def version_string(self):
        return "listener/1.0"

    def log_message(self, fmt, *args):
        if not self.server.listener.app.quiet:
            sys.stderr.write("mls_server listener: %s %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self):
        listener = self.server.listener
        body = self._read_body()
        path, _, query = self.path.partition("?")
        mode = listener.mode(path)
        authorized = self.headers.get("Authorization") is not None
        endless = mode == "endless_get" and self.command == "GET"
        if mode in ("ok", "endless_get") or authorized:
            status, payload, challenge = 200, b'{"value": []}', None
        elif mode == "basic_challenge":
            status, payload, challenge = 401, b'{"error": "unauthorized"}', 'Basic realm="listener"'
        else:
            status, payload = 401, b'{"error": "unauthorized"}'
            challenge = ('Digest realm="listener", nonce="%s", opaque="%s", qop="auth", '
                         'algorithm=MD5' % (secrets.token_hex(16), secrets.token_hex(8)))
        kept = body[:MAX_BODY]
        entry = {
            "time": round(time.time(), 3), "method": self.command, "target": self.path,
            "path": path, "query": query, "http_version": self.request_version,
            "headers": [[name, value] for name, value in self.headers.items()],
            # (NUL as U+FFFD: the body text goes into jsonb, which holds no
            # \u0000; body_base64 keeps the bytes)
            "body": kept.decode("utf-8", "replace").replace("\x00", "\ufffd"),
            "body_base64": base64.b64encode(kept).decode(),
            "body_bytes": len(body), "mode": mode, "status": status,
        }
        listener.record(entry)
        if endless:
            sent = self._send_endless()
            with listener.lock:
                entry["sent_bytes"] = sent
            return
        self.send_response(status)
        if challenge:
            self.send_header("WWW-Authenticate", challenge)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


    def _send_endless(self):
        """A 200 whose body ends only when the client goes (or at ENDLESS_CAP); the bytes sent."""
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = bytes(64 * 1024)
        sent = 0
        try:
            while sent < ENDLESS_CAP:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return sent


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, listener):
        self.listener = listener
        super().__init__(("127.0.0.1", 0), _Handler)
