"""Helpers for the sample MLS server's tests: start a server, talk plain HTTP.

Each test module starts its own server process on a free port (see
:class:`ServerProcess`) and stops it when done.  Requests go through
``http.client`` so tests see exactly what crossed the wire.
"""

import gzip
import hashlib
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(os.path.dirname(HERE), "server.py")
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
# Material that stays outside the repository (its licences forbid copying it
# in): MLSYNC_SHARED_DIR, else ../shared beside the repository.  Tests that
# need it are skipped, by name, when it is absent.
SHARED = os.environ.get("MLSYNC_SHARED_DIR") or os.path.join(os.path.dirname(REPO), "shared")
FIXTURES = os.path.join(SHARED, "fixtures", "rets")
REFERENCE = os.path.join(SHARED, "reference", "reso-dd-2.0")
NEEDS_FIXTURES = "needs the recorded RETS fixtures in MLSYNC_SHARED_DIR"
NEEDS_REFERENCE = "needs the RESO dictionary CSVs in MLSYNC_SHARED_DIR"


class Reply:
    """A complete HTTP response."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # list of (name, value)
        self.body = body

    def header(self, name):
        """Return the first header ``name`` (case-insensitive) or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def headers_named(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self):
        body = self.body
        if self.header("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return json.loads(body)

    @property
    def text(self):
        return self.body.decode("utf-8")


class ServerProcess:
    """A sample MLS server started for a test module."""

    def __init__(self, listings=200, seed=1, extra=()):
        self.tmp = tempfile.mkdtemp(prefix="mls_server_test_")
        self.port_file = os.path.join(self.tmp, "port")
        self.args = [sys.executable, SERVER, "--port", "0", "--port-file", self.port_file,
                     "--listings", str(listings), "--seed", str(seed), "--idle-timeout", "300",
                     "--parent-pid", str(os.getpid()), "--quiet"] + list(extra)
        self.proc = None
        self.port = None
        self.startup_seconds = None

    def start(self, timeout=60):
        started = time.time()
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: %s" % self.proc.stderr.read().decode())
            if time.time() - started > timeout:
                self.stop()
                raise RuntimeError("server did not start within %s s" % timeout)
            time.sleep(0.02)
        self.startup_seconds = time.time() - started
        with open(self.port_file) as fh:
            self.port = int(fh.read())
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stdout.close()
            self.proc.stderr.close()

    @property
    def base(self):
        return "http://127.0.0.1:%d" % self.port

    # ------------------------------------------------------------- HTTP
    def request(self, method, path, body=None, headers=None, timeout=30):
        """Send one request on a new connection; return a :class:`Reply`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                headers = dict(headers or {}, **{"Content-Type": "application/json"})
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return Reply(resp.status, resp.getheaders(), data)
        finally:
            conn.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def control(self, method, path, body=None):
        """Call the control API and return the decoded JSON (asserting success)."""
        reply = self.request(method, "/control/" + path, body=body)
        if reply.status != 200:
            raise AssertionError("control %s %s -> %d %s" % (method, path, reply.status, reply.body))
        return json.loads(reply.body)

    def reset(self, mls, **options):
        return self.control("POST", "reset", dict(options, mls=mls))

    def truth(self, mls):
        return self.control("GET", "truth?mls=%s" % mls)

    def truth_records(self, mls):
        reply = self.get("/control/truth?mls=%s&format=jsonl" % mls)
        return [json.loads(line) for line in reply.body.splitlines() if line]

    # ------------------------------------------------------------- RESO
    def token(self, mls, client_id="mlsync", secret="s3cret"):
        body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id,
                                       "client_secret": secret}).encode()
        reply = self.request("POST", "/%s/reso/oauth/token" % mls, body=body,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert reply.status == 200, reply.body
        return reply.json()["access_token"]

    def reso(self, mls, path, token, headers=None, params=None):
        """GET a RESO path (below odata/) with a bearer token."""
        if params:
            path += "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        return self.get("/%s/reso/odata/%s" % (mls, path),
                        headers=dict(headers or {}, Authorization="Bearer " + token))

    def follow(self, url, token, headers=None):
        """GET an absolute URL of this server (a nextLink) with a bearer token."""
        assert url.startswith(self.base), url
        return self.get(url[len(self.base):], headers=dict(headers or {}, Authorization="Bearer " + token))


def ua_hash(agent, password, request_id, session_id, version):
    """RETS-UA-Authorization value per docs/protocols.md R2 (two-step MD5)."""
    a1 = hashlib.md5(("%s:%s" % (agent, password)).encode()).hexdigest()
    return hashlib.md5(("%s:%s:%s:%s" % (a1, request_id, session_id, version)).encode()).hexdigest()


def digest_authorization(method, uri, challenge, username, password):
    """Compute an RFC 2617 Digest Authorization header (qop=auth) for a challenge."""
    params = dict(item.split("=", 1) for item in
                  (p.strip() for p in challenge[len("Digest "):].split(",")))
    params = {k: v.strip('"') for k, v in params.items()}
    cnonce = secrets.token_hex(8)
    nc = "00000001"
    ha1 = hashlib.md5(("%s:%s:%s" % (username, params["realm"], password)).encode()).hexdigest()
    ha2 = hashlib.md5(("%s:%s" % (method, uri)).encode()).hexdigest()
    response = hashlib.md5(("%s:%s:%s:%s:auth:%s" % (ha1, params["nonce"], nc, cnonce, ha2)).encode()
                           ).hexdigest()
    return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", qop=auth, nc=%s, cnonce="%s", '
            'response="%s", opaque="%s"' % (username, params["realm"], params["nonce"], uri, nc,
                                            cnonce, response, params.get("opaque", "")))


class RetsSession:
    """A minimal RETS client over plain HTTP: Digest login, cookie, transactions."""

    def __init__(self, server, mls, username="mlsync", password="rets-pass", user_agent="mlsync/1.0",
                 version="RETS/1.7.2", ua_password=None):
        self.server = server
        self.mls = mls
        self.username = username
        self.password = password
        self.user_agent = user_agent
        self.version = version
        self.ua_password = ua_password
        self.cookie = None
        self.capabilities = {}

    def headers(self):
        headers = {"User-Agent": self.user_agent, "RETS-Version": self.version}
        if self.cookie:
            headers["Cookie"] = "RETS-Session-ID=%s" % self.cookie
        if self.ua_password:
            headers["RETS-UA-Authorization"] = "Digest " + ua_hash(
                self.user_agent, self.ua_password, "", self.cookie or "", self.version)
        return headers

    def login(self):
        path = "/%s/rets/login" % self.mls
        first = self.server.request("GET", path, headers=self.headers())
        if first.status != 401:
            return first
        challenge = next(v for v in first.headers_named("WWW-Authenticate") if v.startswith("Digest"))
        headers = dict(self.headers(), Authorization=digest_authorization(
            "GET", path, challenge, self.username, self.password))
        reply = self.server.request("GET", path, headers=headers)
        for value in reply.headers_named("Set-Cookie"):
            if value.startswith("RETS-Session-ID="):
                self.cookie = value.split("=", 1)[1].split(";")[0]
        for line in reply.text.splitlines():
            if "=" in line and not line.startswith("<"):
                key, _, value = line.partition("=")
                self.capabilities[key.strip()] = value.strip()
        return reply

    def call(self, transaction, **params):
        path = "/%s/rets/%s?%s" % (self.mls, transaction,
                                   urllib.parse.urlencode(params, quote_via=urllib.parse.quote))
        return self.server.request("GET", path, headers=self.headers())

    def search(self, query, cls="ALL", **params):
        params.setdefault("Format", "COMPACT")
        params.setdefault("QueryType", "DMQL2")
        return self.call("search", SearchType="Property", Class=cls, Query=query, **params)


def compact_rows(text):
    """Parse a COMPACT body into ``(columns, [row dicts])`` the way clients must."""
    columns, rows = [], []
    for line in text.split("\r\n"):
        if line.startswith("<COLUMNS>"):
            columns = line[len("<COLUMNS>\t"):-len("\t</COLUMNS>")].split("\t")
        elif line.startswith("<DATA>"):
            values = line[len("<DATA>\t"):-len("\t</DATA>")].split("\t")
            rows.append(dict(zip(columns, values)))
    return columns, rows
