"""The control API under ``/control/``: JSON in, JSON out, no authentication.

    GET    /                                    the same as GET /control/mls
    GET    /control/health                      {"ok": true}
    GET    /control/mls[?mls=a]                 options and URLs of one or every MLS
    POST   /control/reset      {"mls": "a", ...options}    (re)create an MLS
    POST   /control/configure  {"mls": "a", ...options}    change behaviour, keep data
    POST   /control/advance    {"mls": "a", "new": 5, ...} move the market forward
    GET    /control/truth?mls=a[&format=summary|jsonl]
    POST   /control/faults     {"mls": "a", "path": "...", "fault": "...", ...}
    GET    /control/faults                      rules with matched/fired counters
    DELETE /control/faults[?mls=a]
    GET    /control/log[?mls=a]                 recent requests
    DELETE /control/log
    GET    /control/replay                      recorded files per replayable path
    POST   /control/replay     {"routes": [{"method", "path", "files"}]}
    DELETE /control/replay
    GET    /control/listener                    what reached the listener
    DELETE /control/listener                    forget it
    POST   /control/shutdown                    stop the server
"""

import json
import urllib.parse

from . import faults, market, replay
from .httpcore import Response


class ControlError(Exception):
    """A client error in a control call (HTTP 400/404)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def _json(data, status=200):
    body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    return Response(status, body, "application/json; charset=utf-8", kind="json")


class ControlApi:
    """Handles /control/ requests for an :class:`~mlsserver.app.App`."""

    def __init__(self, app):
        self.app = app

    def handle(self, request):
        """Answer a /control/ request."""
        route = (request.method, request.path.rstrip("/") or "/")
        handler = self.ROUTES.get(route)
        try:
            if handler is None:
                known = sorted({p for _, p in self.ROUTES})
                if any(p == route[1] for p in known):
                    raise ControlError("method %s not allowed here" % request.method, 405)
                raise ControlError("unknown control endpoint %s; known: %s"
                                   % (request.path, ", ".join(known)), 404)
            return handler(self, request)
        except ControlError as exc:
            return _json({"error": str(exc)}, exc.status)
        except (market.ConfigError, faults.FaultError, replay.ReplayError) as exc:
            return _json({"error": str(exc)}, 400)

    # ------------------------------------------------------------ helpers
    @staticmethod
    def body(request):
        """Return the JSON object of the request body ({} when empty)."""
        if not request.body:
            return {}
        try:
            data = json.loads(request.body)
        except ValueError as exc:
            raise ControlError("request body is not JSON: %s" % exc) from None
        if not isinstance(data, dict):
            raise ControlError("request body must be a JSON object")
        return data

    @staticmethod
    def query(request):
        """Return the query parameters as a dict."""
        return dict(urllib.parse.parse_qsl(request.query))

    def mls(self, name):
        """Return the MLS named ``name`` or raise 404."""
        mls = self.app.mlss.get(name)
        if mls is None:
            raise ControlError("no MLS named %r (have: %s)" % (name, ", ".join(sorted(self.app.mlss))),
                               404)
        return mls

    # ------------------------------------------------------------- routes
    def health(self, request):
        """GET /control/health."""
        listener = self.app.listener
        return _json({"ok": True, "mls": sorted(self.app.mlss),
                      "listener": listener.url if listener is not None else None})

    def describe(self, request):
        """GET /control/mls (and GET /)."""
        name = self.query(request).get("mls")
        if name:
            return _json(self.mls(name).describe())
        return _json({"mls": [m.describe() for _, m in sorted(self.app.mlss.items())]})

    def reset(self, request):
        """POST /control/reset."""
        data = self.body(request)
        name = data.get("mls")
        if not name:
            raise ControlError("reset needs \"mls\"")
        mls = self.app.reset_mls(name, data)
        return _json(mls.describe())

    def configure(self, request):
        """POST /control/configure."""
        data = self.body(request)
        mls = self.mls(data.get("mls"))
        mls.configure(data)
        return _json(mls.describe())

    def advance(self, request):
        """POST /control/advance."""
        data = self.body(request)
        return _json(self.mls(data.get("mls")).advance(data))

    def truth(self, request):
        """GET /control/truth."""
        params = self.query(request)
        mls = self.mls(params.get("mls"))
        fmt = params.get("format", "summary")
        if fmt == "summary":
            return _json(mls.truth_summary())
        if fmt == "jsonl":
            response = Response(200, b"".join(mls.truth_lines()), "application/x-ndjson; charset=utf-8",
                                kind="text")
            return response
        raise ControlError("format must be summary or jsonl")

    def add_fault(self, request):
        """POST /control/faults."""
        data = self.body(request)
        if data.get("mls") is not None:
            self.mls(data["mls"])
        return _json(self.app.faults.add(data))

    def list_faults(self, request):
        """GET /control/faults."""
        return _json({"rules": self.app.faults.describe(), "kinds": faults.KINDS})

    def clear_faults(self, request):
        """DELETE /control/faults."""
        removed = self.app.faults.clear(self.query(request).get("mls"))
        return _json({"removed": removed})

    def get_log(self, request):
        """GET /control/log."""
        return _json({"entries": self.app.log.list(self.query(request).get("mls"))})

    def clear_log(self, request):
        """DELETE /control/log."""
        self.app.log.clear()
        return _json({"ok": True})

    def list_replay(self, request):
        """GET /control/replay."""
        return _json(self.app.replay.describe())

    def set_replay(self, request):
        """POST /control/replay."""
        return _json(self.app.replay.configure(self.body(request).get("routes", [])))

    def clear_replay(self, request):
        """DELETE /control/replay."""
        self.app.replay.configure([])
        return _json({"ok": True})

    def listener(self, request):
        """GET /control/listener: the listener's URL and every request it recorded."""
        if self.app.listener is None:
            raise ControlError("the listener is not running", 404)
        return _json(self.app.listener.describe())

    def clear_listener(self, request):
        """DELETE /control/listener."""
        if self.app.listener is None:
            raise ControlError("the listener is not running", 404)
        return _json({"removed": self.app.listener.clear()})

    def shutdown(self, request):
        """POST /control/shutdown."""
        self.app.stopping.set()
        return _json({"ok": True})

    ROUTES = {
        ("GET", "/"): describe,
        ("GET", "/control/health"): health,
        ("GET", "/control/mls"): describe,
        ("POST", "/control/reset"): reset,
        ("POST", "/control/configure"): configure,
        ("POST", "/control/advance"): advance,
        ("GET", "/control/truth"): truth,
        ("POST", "/control/faults"): add_fault,
        ("GET", "/control/faults"): list_faults,
        ("DELETE", "/control/faults"): clear_faults,
        ("GET", "/control/log"): get_log,
        ("DELETE", "/control/log"): clear_log,
        ("GET", "/control/replay"): list_replay,
        ("POST", "/control/replay"): set_replay,
        ("DELETE", "/control/replay"): clear_replay,
        ("GET", "/control/listener"): listener,
        ("DELETE", "/control/listener"): clear_listener,
        ("POST", "/control/shutdown"): shutdown,
    }
