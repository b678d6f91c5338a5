"""HTTP plumbing: the threaded server, request/response objects, delivery.

Routing by path prefix:

    /control/...                 control API (never faulted)
    /<mls>/reso/...              RESO Web API
    /<mls>/rets/...              RETS
    /<mls>/media/<key>/<n>.jpg   listing photos
    anything else                replay of recorded responses, when a route matches

Delivery applies, in order: gzip when the client accepts it (compressed
bytes of cacheable pages are kept), chunked transfer when asked, then the
delivery faults (truncated, reset, endless bodies).  Every request is
appended to a bounded log the control API serves.
"""

import collections
import http.server
import json
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
import urllib.parse
import zlib

from . import faults

GZIP_LEVEL = 1
LOG_SIZE = 5000
CHUNK_SIZE = 64 * 1024


class Request:
    """One parsed HTTP request."""

    def __init__(self, method, target, headers, body, client):
        self.method = method
        self.target = target
        path, _, query = target.partition("?")
        self.raw_path = path
        self.path = urllib.parse.unquote(path)
        self.query = query
        self.params = urllib.parse.parse_qsl(query, keep_blank_values=True)
        self.headers = headers
        self.body = body
        self.client = client
        self.mls = None          # MLS name, once routed
        self.kind = None         # "reso" | "rets" | "media" | "control" | "replay"
        self.faults = faults.NO_FAULTS
        self.log_extra = {}

    def header(self, name, default=None):
        """Return a request header (case-insensitive) or ``default``."""
        return self.headers.get(name, default)

    def form(self):
        """Return the parameters of the query string and a form-encoded body."""
        params = list(self.params)
        ctype = (self.header("Content-Type") or "").split(";")[0].strip().lower()
        if self.body and ctype in ("application/x-www-form-urlencoded", ""):
            params += urllib.parse.parse_qsl(self.body.decode("latin-1"), keep_blank_values=True)
        return params

    def accepts_gzip(self):
        """True when Accept-Encoding allows gzip."""
        for item in (self.header("Accept-Encoding") or "").split(","):
            name, _, params = item.strip().partition(";")
            if name.strip().lower() in ("gzip", "*"):
                q = params.strip()
                return not (q.startswith("q=") and float(q[2:] or 0) == 0)
        return False


class Response:
    """A response before delivery.

    ``body`` is bytes.  ``cache_key`` marks bodies whose gzip form may be
    cached.  ``kind`` is "json", "xml", "binary" or "text" and
    decides which body faults apply.
    """

    def __init__(self, status=200, body=b"", content_type="text/plain; charset=utf-8",
                 headers=None, kind="text"):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers or [])
        self.kind = kind
        self.compress = kind in ("json", "xml", "text")
        self.chunked = False
        self.close = False
        self.cache_key = None
        # (length, seconds): announce this Content-Length, then send the body
        # and padding for at most that long (a body that never reaches it)
        self.announce = None
        self.stream = None          # iterable of bytes sent instead of body (huge bodies)
        self.stream_length = 0      # its total length
        self.date = None            # the Date header (an HTTP date); None: the real clock

    def add_header(self, name, value):
        """Append a response header."""
        self.headers.append((name, value))


class ByteCache:
    """Values by key, bounded in total size (least recently used out).

    Holds pre-rendered pages and their gzip forms.
    """

    def __init__(self, max_bytes=256 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.items = collections.OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        """Return the value stored under ``key``, or None."""
        with self.lock:
            item = self.items.get(key)
            if item is None:
                return None
            self.items.move_to_end(key)
            return item[0]

    def put(self, key, value, size=None):
        """Store ``value`` (bytes, or anything with an explicit ``size``)."""
        size = len(value) if size is None else size
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (value, size)
            self.size += size
            while self.size > self.max_bytes and self.items:
                _, (_, old_size) = self.items.popitem(last=False)
                self.size -= old_size

    def __contains__(self, key):
        with self.lock:
            return key in self.items


def gzip_bytes(data):
    """Return ``data`` as a gzip stream (fast level; decoders do not care)."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


class RequestLog:
    """The recent requests, for GET /control/log."""

    LOGGED_HEADERS = ("User-Agent", "RETS-UA-Authorization", "RETS-Version", "RETS-Request-ID",
                      "Prefer", "Accept-Encoding", "Accept", "Content-Type", "OData-Version",
                      "X-Injected")

    def __init__(self):
        self.entries = collections.deque(maxlen=LOG_SIZE)
        self.lock = threading.Lock()
        self.seq = 0

    def add(self, request, status, sent, started):
        """Append the entry of one answered request."""
        auth = request.header("Authorization") or ""
        entry = {
            "time": round(started, 3), "mls": request.mls, "kind": request.kind,
            "method": request.method, "path": request.path, "query": request.query,
            "params": dict(request.params), "status": status, "bytes": sent,
            "duration_ms": round((time.time() - started) * 1000, 1),
            "auth_scheme": auth.split(" ", 1)[0] if auth else None,
            "cookies": sorted(c.split("=", 1)[0].strip()
                              for c in (request.header("Cookie") or "").split(";") if "=" in c),
            "headers": {h: request.header(h) for h in self.LOGGED_HEADERS if request.header(h)},
            "faults": list(request.faults.applied),
        }
        entry.update(request.log_extra)
        with self.lock:
            self.seq += 1
            entry["seq"] = self.seq
            self.entries.append(entry)

    def list(self, mls=None):
        """Return the entries, of one MLS or all."""
        with self.lock:
            return [e for e in self.entries if mls is None or e["mls"] == mls]

    def clear(self):
        """Forget every entry."""
        with self.lock:
            self.entries.clear()


class Handler(http.server.BaseHTTPRequestHandler):
    """Reads requests, asks the application for a response, delivers it."""

    protocol_version = "HTTP/1.1"
    timeout = 300

    def version_string(self):
        return "mls_server/1.0"

    #: The Date of the response being sent (:attr:`Response.date`), or None.
    response_date = None

    def date_time_string(self, timestamp=None):
        # send_response() writes the Date header from here
        return self.response_date or super().date_time_string(timestamp)

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def log_message(self, fmt, *args):
        if not self.server.app.quiet:
            sys.stderr.write("mls_server: %s %s\n" % (self.address_string(), fmt % args))

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
        app = self.server.app
        started = time.time()
        app.begin()
        request = Request(self.command, self.path, self.headers, self._read_body(),
                          self.client_address)
        try:
            response = app.dispatch(request)
        except Exception:  # a bug in the server: answer 500, keep serving
            traceback.print_exc()
            response = Response(500, b"internal server error\n")
        logged = []

        def log(size):
            # Logged before the body goes out, so a client that has its reply
            # always finds the request in /control/log.
            if not logged:
                logged.append(size)
                app.log.add(request, response.status, size, started)
        try:
            self._deliver(request, response, log)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True
        finally:
            log(0)
            app.end()
            self.response_date = None   # an error answer of the handler's own is dated now

    def _deliver(self, request, response, log):
        """Write the response; ``log(size)`` is called just before the body is sent."""
        app = self.server.app
        self.response_date = response.date
        if response.stream is not None:
            return self._deliver_stream(request, response, log)
        body = response.body
        encoded = False
        if response.compress and body and request.accepts_gzip():
            cached = app.gzip_cache.get(response.cache_key) if response.cache_key else None
            if cached is None:
                cached = gzip_bytes(body)
                if response.cache_key:
                    app.gzip_cache.put(response.cache_key, cached)
            body = cached
            encoded = True
        if response.compress and request.faults.use("invalid_gzip"):
            body = b"this is not gzip data\n" + body[:64]
            encoded = True
        delivery = None
        for kind in faults.DELIVERY:
            rule = request.faults.use(kind)
            if rule is not None:
                delivery = (kind, rule)
                break
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        if response.compress:
            self.send_header("Vary", "Accept-Encoding")
        if delivery and delivery[0] == "endless_body":
            return self._endless(body, delivery[1], log)
        if response.announce:
            return self._announced(body, response.announce, log)
        chunked = response.chunked and delivery is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        if response.close or delivery:
            self.send_header("Connection", "close")
            self.close_connection = True
        if request.method == "HEAD":
            log(0)
            self.end_headers()
            return
        if delivery is not None:
            log(max(1, len(body) // 2))
            self.end_headers()
            return self._broken(body, delivery[0])
        log(len(body))
        self.end_headers()
        if chunked:
            return self._write_chunked(body)
        self.wfile.write(body)

    def _deliver_stream(self, request, response, log):
        """Send a streamed body piece by piece (no compression, no delivery faults)."""
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        if response.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(response.stream_length))
        log(response.stream_length)
        self.end_headers()
        if request.method == "HEAD":
            return
        for piece in response.stream:
            if response.chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
        if response.chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _write_chunked(self, body):
        for start in range(0, len(body), CHUNK_SIZE):
            piece = body[start:start + CHUNK_SIZE]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")

    def _broken(self, body, kind):
        half = body[:max(1, len(body) // 2)]
        self.wfile.write(half)
        self.wfile.flush()
        if kind == "reset_mid_body":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _endless(self, body, rule, log):
        """Send a start of the real body, then padding until stopped."""
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        start = body[:max(1, min(len(body) // 2, 4096))]
        log(len(start))
        self.wfile.write(b"%x\r\n%s\r\n" % (len(start), start))
        limit = time.time() + float(rule.delay or 600)
        pad = (b" " * 1023) + b"\n"
        stopping = self.server.app.stopping
        while not stopping.is_set() and time.time() < limit:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(pad), pad))
            stopping.wait(0.05)
        self.connection.close()


    def _announced(self, body, announce, log):
        """Announce a Content-Length far beyond the body, then pad until stopped."""
        length, seconds = announce
        self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        log(len(body))
        self.wfile.write(body)
        limit = time.time() + seconds
        pad = b"\0" * 1024
        stopping = self.server.app.stopping
        while not stopping.is_set() and time.time() < limit:
            self.wfile.write(pad)
            stopping.wait(0.05)
        self.connection.close()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    """Threaded HTTP/1.1 server bound to 127.0.0.1."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, port, app):
        self.app = app
        super().__init__(("127.0.0.1", port), Handler)

    def server_bind(self):
        """Bind with Nagle off (pages go out as soon as written)."""
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().server_bind()


def json_error_bytes(code, message, target=None):
    """Return an OData JSON error body."""
    error = {"code": code, "message": message}
    if target:
        error["target"] = target
    error["details"] = []
    return json.dumps({"error": error}).encode()
