"""The application: the MLSs of the server, routing, and server-wide state."""

import email.utils
import re
import threading
import time
import urllib.parse

from . import control, dd, faults, hostile, images, market, replay, reso, rets, timeutil
from .httpcore import ByteCache, RequestLog, Response, json_error_bytes

_MLS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
_MEDIA_PATH = re.compile(r"^([^/]+)/(\d+)(?: - [^/]*)?\.(jpg|png)$")
#: What huge_length announces: 10 GB.
HUGE_LENGTH = 10 * 1024 ** 3
_AREAS = ("reso", "rets", "media")


class App:
    """Everything a request may need, shared by all handler threads."""

    def __init__(self, dd_source, replay_dir, fixtures_dir, quiet=False):
        self.catalog = dd.Catalog(dd_source)
        self.quiet = quiet
        self.base_url = None
        self.mlss = {}
        self.mlss_lock = threading.Lock()
        self.faults = faults.Registry()
        self.log = RequestLog()
        self.gzip_cache = ByteCache()
        self.reso = reso.ResoApi(self.catalog, self.gzip_cache)
        self.rets = rets.RetsApi(self.catalog)
        self.replay = replay.Replay(replay_dir, fixtures_dir)
        self.control = control.ControlApi(self)
        self.listener = None        # listener.Listener, started by server.py
        self.stopping = threading.Event()
        self.last_activity = time.time()
        self.active = 0
        self.active_lock = threading.Condition()

    def touch(self):
        """Record activity (for the idle timeout)."""
        self.last_activity = time.time()

    def begin(self):
        """A request starts."""
        with self.active_lock:
            self.active += 1
        self.touch()

    def end(self):
        """A request has been answered."""
        with self.active_lock:
            self.active -= 1
            self.active_lock.notify_all()
        self.touch()

    def drain(self, timeout):
        """Wait up to ``timeout`` seconds for requests in flight to be answered."""
        deadline = time.time() + timeout
        with self.active_lock:
            while self.active and time.time() < deadline:
                self.active_lock.wait(max(0.01, deadline - time.time()))

    def reset_mls(self, name, options):
        """(Re)create MLS ``name`` from control options; return its description."""
        if not _MLS_NAME.match(name or "") or name == "control":
            raise market.ConfigError("invalid MLS name %r" % name)
        merged = market.merge_options(market.DEFAULTS, options)
        shared = self.mlss.get(merged["share_with"]) if merged["share_with"] else None
        mls = market.Mls(name, merged, self.catalog, self.base_url, shared)
        mls.listener_url = self.listener.url if self.listener is not None else None
        with self.mlss_lock:
            self.mlss[name] = mls
        return mls

    def dispatch(self, request):
        """Route a request and return its :class:`Response`.

        Every answer of an MLS's RESO area, refusals and faults too, carries
        the MLS clock as its Date: a server's Date is the clock its records
        are stamped by.
        """
        response = self._dispatch(request)
        mls = self.mlss.get(request.mls) if request.kind == "reso" else None
        if mls is not None:
            response.date = email.utils.formatdate(mls.clock_us / timeutil.US_PER_SECOND, usegmt=True)
        return response

    def _dispatch(self, request):
        if request.path.startswith("/control/") or request.path in ("/control", "/"):
            request.kind = "control"
            return self.control.handle(request)
        parts = request.path.lstrip("/").split("/", 2)
        mls = self.mlss.get(parts[0]) if len(parts) >= 2 and parts[1] in _AREAS else None
        if mls is not None:
            request.mls, request.kind = mls.name, parts[1]
        else:
            request.mls, request.kind = "replay", "replay"
        request.faults = self.faults.context(request.mls, request.target,
                                             urllib.parse.unquote(request.target))
        early = self._pre_handler_faults(request)
        if early is not None:
            return early
        rest = parts[2] if len(parts) > 2 else ""
        early = hostile.before(self, request, mls, rest)
        if early is not None:
            return early
        if request.kind == "reso":
            response = self.reso.handle(request, mls, rest)
        elif request.kind == "rets":
            response = self.rets.handle(request, mls, rest)
        elif request.kind == "media":
            response = self.media(request, mls, rest)
        else:
            response = self.replay.handle(request)
        hostile.after(self, request, mls, rest, response)
        if mls is not None and mls.options["chunked"]:
            response.chunked = True
        faults.apply_body_faults(request, response)
        return response

    def _pre_handler_faults(self, request):
        for kind in faults.PRE_HANDLER:
            rule = request.faults.use(kind)
            if rule is None:
                continue
            if kind == "slow":
                self.stopping.wait(float(rule.delay if rule.delay is not None else 2))
                continue
            status = {"http_500": 500, "http_400": 400, "http_503": 503, "http_429": 429,
                      "http_404_large": 404}[kind]
            return self._status_response(request, status, rule)
        return None

    @staticmethod
    def _status_response(request, status, rule):
        reason = {500: "Internal Server Error", 400: "Bad Request", 503: "Service Unavailable",
                  429: "Too Many Requests", 404: "Not Found"}[status]
        if status == 404:
            # a CDN's error page: far more than a client keeps of an error body
            body = ("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
                    "<!-- %s --></body></html>\n" % ("x" * 200 * 1024)).encode()
            return Response(404, body, "text/html; charset=utf-8", kind="text")
        if request.kind == "reso":
            response = Response(status, json_error_bytes(str(status), reason),
                                "application/json; charset=utf-8", kind="json")
            response.add_header("OData-Version", "4.0")
        else:
            body = ("<html><head><title>%d %s</title></head><body><h1>%s</h1></body></html>\n"
                    % (status, reason, reason)).encode()
            response = Response(status, body, "text/html; charset=utf-8", kind="text")
        retry = rule.retry_after
        if status == 429 and retry is None:
            retry = 1
        if retry is not None and status in (429, 503):
            response.add_header("Retry-After", str(retry))
        return response

    def media(self, request, mls, rest):
        """Serve ``/<mls>/media/<ListingKey>/<n>.jpg`` (or ``.png``, or ``<n> - <name>.jpg``):
        the listing's current photo n.

        The media faults (faults.MEDIA) replace it with hostile answers.
        """
        match = _MEDIA_PATH.match(rest)
        listing = mls.snapshot.listings.get(match.group(1)) if match else None
        if listing is None or not 1 <= int(match.group(2)) <= listing.photos_count:
            return Response(404, b"no such photo\n")
        number = int(match.group(2))
        body = mls.photo_bytes(listing, number)
        content_type = "image/png" if mls.is_floorplan(number) else "image/jpeg"
        for kind in faults.MEDIA:
            rule = request.faults.use(kind)
            if rule is None:
                continue
            if kind == "bomb_image":
                return Response(200, images.decompression_bomb(), "image/png", kind="binary")
            if kind == "truncated_image":
                return Response(200, body[:len(body) * 2 // 5], content_type, kind="binary")
            if kind == "wrong_content_type":
                return Response(200, b"<!DOCTYPE html><html><head><title>Photo</title></head>"
                                b"<body><p>This photo is no longer available.</p></body></html>\n",
                                "image/jpeg", kind="binary")
            if kind == "redirect_other_host":
                target = self.base_url.replace("//127.0.0.1:", "//localhost:") + request.target
                return Response(302, b"", None, [("Location", target)], kind="binary")
            response = Response(200, body, content_type, kind="binary")
            response.announce = (HUGE_LENGTH, float(rule.delay or 600))
            return response
        return Response(200, body, content_type, [("Cache-Control", "max-age=3600")],
                        kind="binary")
