"""Replay of raw HTTP responses recorded from real RETS servers.

The recordings are read from the shared fixtures at request time and never
copied.  The replay root (``--replay``, default the PHRETS flexmls recordings
``<fixtures>/phrets-flexmls/Integration/Fixtures/Http``) is laid out as
``<method>/<host>/<path with "/" replaced by "_">/<hash>.txt``; a request
``GET /rets2_1/Search`` therefore maps to the directory
``get/<host>/rets2_1_Search/``.  Which file of that directory answers:

1. the files of a route set with ``POST /control/replay``, in order, the last
   one repeating (``{"routes": [{"method": "GET", "path": "/rets2_1/Search",
   "files": ["get/retsgw.flexmls.com/rets2_1_Search/1aa3....txt", ...]}]}``;
   file names are relative to the replay root, or absolute paths inside the
   fixtures directory, such as the libRETS bodies);
2. otherwise for GetMetadata, the first file whose ``Content-ID`` header names
   the requested ``Type``;
3. otherwise the first file in name order.

Served as recorded, except that framing is redone: the recorded bodies are
already decoded, so a recorded ``Content-Encoding: gzip`` is honoured by
gzipping again when the client accepts it, ``Transfer-Encoding: chunked`` is
sent chunked, Content-Length is recomputed and ``Connection: close`` closes.
Because the recorded Login bodies hold path-absolute capability URLs
(``/rets2_1/Search``), a client that logs in at ``/rets2_1/Login`` follows
them back here.
"""

import os
import re
import threading

from .httpcore import Response

_DROPPED = {"content-length", "transfer-encoding", "content-encoding", "connection",
            "content-type"}


class ReplayError(ValueError):
    """A bad replay route."""


def parse_recording(data, name):
    """Split a recording into ``(status, [(header, value)], body)``.

    Accepts raw responses (``HTTP/1.1 200 OK`` first), libRETS captures whose
    first line is only the status code, and bare bodies (served as 200).
    """
    first_line = data.split(b"\n", 1)[0].strip()
    if first_line.startswith(b"HTTP/") or re.match(rb"^\d{3}$", first_line):
        head, sep, body = data.partition(b"\r\n\r\n")
        if not sep or b"\n\n" in head:
            head, _, body = data.partition(b"\n\n")
        lines = head.replace(b"\r\n", b"\n").split(b"\n")
        status_words = lines[0].split()
        status = int(status_words[1] if lines[0].startswith(b"HTTP/") else status_words[0])
        headers = []
        for line in lines[1:]:
            if b":" in line:
                key, _, value = line.partition(b":")
                headers.append((key.decode("latin-1").strip(), value.decode("latin-1").strip()))
        return status, headers, body
    ctype = "text/xml" if name.endswith(".xml") else "application/octet-stream"
    return 200, [("Content-Type", ctype)], data


class Replay:
    """Maps requests to recorded files and serves them."""

    def __init__(self, root, fixtures_dir):
        self.root = os.path.abspath(root)
        self.fixtures = os.path.abspath(fixtures_dir)
        self.routes = {}
        self.positions = {}
        self.lock = threading.Lock()

    def directory(self, method, path):
        """Return the recording directory for a request, or None."""
        method_dir = os.path.join(self.root, method.lower())
        name = path.strip("/").replace("/", "_")
        if not name or not os.path.isdir(method_dir):
            return None
        for host in sorted(os.listdir(method_dir)):
            candidate = os.path.join(method_dir, host, name)
            if os.path.isdir(candidate):
                return candidate
        return None

    def _resolve(self, name):
        path = os.path.abspath(name if os.path.isabs(name) else os.path.join(self.root, name))
        inside = any(path.startswith(base + os.sep) for base in (self.root, self.fixtures))
        if not inside or not os.path.isfile(path):
            raise ReplayError("not a recording under the replay or fixtures directory: %s" % name)
        return path

    def configure(self, routes):
        """Replace the configured routes; return the new configuration."""
        table = {}
        for route in routes:
            try:
                method = route.get("method", "GET").upper()
                files = [self._resolve(f) for f in route["files"]]
                table[(method, route["path"])] = files
            except (KeyError, TypeError, AttributeError):
                raise ReplayError("a route needs \"path\" and a list \"files\"") from None
            if not files:
                raise ReplayError("route %s has no files" % route["path"])
        with self.lock:
            self.routes = table
            self.positions = {}
        return self.describe()

    def describe(self):
        """Return the configured routes and the recordings of every directory."""
        available = {}
        if os.path.isdir(self.root):
            for method in sorted(os.listdir(self.root)):
                method_dir = os.path.join(self.root, method)
                for host in sorted(os.listdir(method_dir)):
                    for sub in sorted(os.listdir(os.path.join(method_dir, host))):
                        directory = os.path.join(method, host, sub)
                        files = sorted(os.listdir(os.path.join(self.root, directory)))
                        available[directory] = [os.path.join(directory, f) for f in files]
        with self.lock:
            routes = [{"method": m, "path": p, "files": files, "next": self.positions.get((m, p), 0)}
                      for (m, p), files in sorted(self.routes.items())]
        return {"root": self.root, "routes": routes, "available": available}

    def choose(self, request):
        """Return the recording file answering ``request``, or None."""
        key = (request.method.upper(), request.path)
        with self.lock:
            files = self.routes.get(key)
            if files:
                position = self.positions.get(key, 0)
                self.positions[key] = position + 1
                return files[min(position, len(files) - 1)]
        directory = self.directory(request.method, request.path)
        if directory is None:
            return None
        names = sorted(os.listdir(directory))
        if not names:
            return None
        wanted = {k.lower(): v for k, v in request.form()}.get("type", "").upper()
        if wanted:
            for name in names:
                with open(os.path.join(directory, name), "rb") as fh:
                    head = fh.read(2048).partition(b"\r\n\r\n")[0].decode("latin-1")
                if re.search(r"(?im)^Content-ID:\s*%s\s*$" % re.escape(wanted), head):
                    return os.path.join(directory, name)
        return os.path.join(directory, names[0])

    def handle(self, request):
        """Serve a recorded response, or 404 when nothing matches."""
        path = self.choose(request)
        if path is None:
            return Response(404, b"not found (no MLS, control endpoint or recording here)\n")
        with open(path, "rb") as fh:
            status, headers, body = parse_recording(fh.read(), path)
        request.log_extra["replay_file"] = os.path.relpath(path, self.fixtures)
        lower = {k.lower(): v for k, v in headers}
        ctype = lower.get("content-type")
        kind = "xml" if ctype and "xml" in ctype else "binary"
        response = Response(status, body, ctype, [(k, v) for k, v in headers
                                                  if k.lower() not in _DROPPED], kind=kind)
        response.compress = "gzip" in lower.get("content-encoding", "").lower()
        response.chunked = "chunked" in lower.get("transfer-encoding", "").lower()
        response.close = lower.get("connection", "").lower() == "close"
        return response
