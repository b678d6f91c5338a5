"""RETS 1.7.2 transactions for one MLS, below ``/<mls>/rets/``.

    login          Login: HTTP Digest (qop=auth) or Basic, UA auth, session cookie
    search         Search: DMQL2, COMPACT / COMPACT-DECODED, Count, Limit, Offset
    getmetadata    GetMetadata: SYSTEM, RESOURCE, CLASS, TABLE, LOOKUP, LOOKUP_TYPE,
                   OBJECT in COMPACT
    getobject      GetObject: photos, multipart/parallel, Location=1
    logout, action

Every transaction but Login needs the session cookie Login set
(``RETS-Session-ID``, or ``rets.session_cookie``; otherwise HTTP 401 with a
fresh challenge); when a UA password is set every
request must carry a matching ``RETS-UA-Authorization`` (docs/protocols.md R2).
Bodies use CRLF line ends, as the recorded servers do.
"""

import base64
import binascii
import hashlib
import re
import secrets
import threading
import time
import urllib.parse

from . import datagen, dd, dmql, market, retsschema, timeutil
from .httpcore import Response

#: A DMQL2 query term on the photo timestamp (SystemName or StandardName).
_PHOTO_FIELD_RE = re.compile(r"\(\s*(?:%s|PhotosChangeTimestamp)\s*=" % retsschema.PROPERTY_NAMES["PhotosChangeTimestamp"])

XML_TYPE = "text/xml; charset=utf-8"
CRLF = "\r\n"
METADATA_VERSION = "01.00.00001"
SESSION_COOKIE = "RETS-Session-ID"
LOGIN_COOKIE = "RETS-Login-State"
#: The capabilities that name a transaction of this server (rets.capability_query)
_TRANSACTIONS = ("Login", "Search", "GetMetadata", "GetObject", "Logout", "Action")

REPLY_TEXT = {
    0: "Operation Successful", 20036: "Miscellaneous Login Error", 20037: "Client authentication failed",
    20041: "User Agent authentication required", 20022: "Additional login not permitted",
    20200: "Unknown Query Field", 20201: "No Records Found", 20202: "Invalid Select",
    20203: "Miscellaneous Search Error", 20206: "Invalid Query Syntax", 20208: "Maximum Records Exceeded",
    20400: "Invalid Resource", 20401: "Invalid Type", 20402: "Invalid Identifier",
    20403: "No Object Found", 20500: "Invalid Resource", 20501: "Invalid Type",
    20502: "Invalid Identifier", 20503: "No Metadata Found", 20513: "Miscellaneous Error",
    20701: "Not Logged In",
}


class RetsReply(Exception):
    """End a transaction with a RETS reply code (HTTP 200 XML body)."""

    def __init__(self, code, text=None, body=""):
        super().__init__(text or REPLY_TEXT.get(code, "Error"))
        self.code = code
        self.text = text or REPLY_TEXT.get(code, "Error")
        self.body = body


class HttpReply(Exception):
    """End a transaction with a plain HTTP status (401, 405)."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


class Session:
    """A logged-in RETS session."""

    def __init__(self, session_id, user):
        self.id = session_id
        self.user = user
        self.created = time.time()
        self.last_used = self.created


def xml_escape(text):
    """Escape text for element content and attribute values."""
    if "&" in text or "<" in text or ">" in text or '"' in text:
        return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace('"', "&quot;"))
    return text


def reply_xml(code, text=None, body=""):
    """Return a RETS reply document; empty bodies give a self-closing root."""
    text = text or REPLY_TEXT.get(code, "")
    if not body:
        return '<?xml version="1.0" encoding="UTF-8"?>%s<RETS ReplyCode="%d" ReplyText="%s"/>%s' % (
            CRLF, code, xml_escape(text), CRLF)
    return '<?xml version="1.0" encoding="UTF-8"?>%s<RETS ReplyCode="%d" ReplyText="%s">%s%s</RETS>%s' % (
        CRLF, code, xml_escape(text), CRLF, body, CRLF)


def ua_digest(user_agent, password, request_id, session_id, version):
    """RETS-UA-Authorization hash: md5(md5(UA:pwd):reqid:sessionid:version), lower hex."""
    a1 = hashlib.md5(("%s:%s" % (user_agent.strip(), password.strip())).encode()).hexdigest()
    data = "%s:%s:%s:%s" % (a1, request_id.strip(), session_id.strip(), version.strip())
    return hashlib.md5(data.encode()).hexdigest()


def parse_auth_params(text):
    """Parse the comma-separated ``k=v`` / ``k="v"`` list of a Digest header."""
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', text)}


class RetsApi:
    """Serves the RETS side of every MLS."""

    def __init__(self, catalog):
        self.catalog = catalog
        self.schema = retsschema.Schema(catalog)
        self.kinds = {r: {n: f.kind for n, f in catalog.fields(r).items()} for r in dd.RESOURCES}
        self.nonces = {}
        self.login_states = {}
        self.nonce_lock = threading.Lock()
        self.renderers = {}

    # --------------------------------------------------------- dispatch
    def handle(self, request, mls, rest):
        """Answer a request whose path below ``/<mls>/rets/`` is ``rest``."""
        opts = mls.options["rets"]
        version = opts["version"]
        headers = [("RETS-Version", version), ("Cache-Control", "private")]
        request_id = request.header("RETS-Request-ID")
        if request_id:
            headers.append(("RETS-Request-ID", request_id))
        transaction = rest.strip("/").lower()
        try:
            if opts["method"] != "any" and request.method != opts["method"]:
                raise HttpReply(Response(405, b"Method Not Allowed\n", headers=[("Allow", opts["method"])]))
            if opts["max_url_bytes"] is not None and len(request.target) > opts["max_url_bytes"]:
                raise HttpReply(Response(414, b"URI Too Long\n"))
            handler = self.TRANSACTIONS.get(transaction)
            if handler is None:
                return Response(404, b"Not Found\n", headers=headers)
            params = {k.lower(): v for k, v in request.form()}
            if transaction == "login":
                response = self.login(request, mls, params, headers)
            else:
                session = self.session(request, mls)
                self.check_ua(request, mls, self.ua_session_id(mls, session))
                if request.faults.use("rets_20037"):
                    self.end_session(mls, session.id)
                    raise RetsReply(20037, "Client authentication failed: session expired")
                if request.faults.use("expired_session"):
                    self.end_session(mls, session.id)
                    raise HttpReply(self.challenge(mls))
                if request.faults.use("expired_session_412"):
                    self.end_session(mls, session.id)
                    raise HttpReply(Response(412, b"Precondition Failed\n"))
                session.last_used = time.time()
                response = handler(self, request, mls, params, session)
        except RetsReply as reply:
            response = Response(200, reply_xml(reply.code, reply.text, reply.body).encode("utf-8"),
                                XML_TYPE, kind="xml")
        except HttpReply as http:
            response = http.response
        response.headers = headers + response.headers
        return response

    # ------------------------------------------------------ authentication
    def challenge(self, mls, login=False):
        """Return a 401 response with the configured HTTP auth challenge(s).

        With ``rets.login_cookie``, Login's challenge also sets a cookie that
        its authenticated retry must carry (servers that keep the digest
        exchange in a session of their own).
        """
        mode = mls.options["rets"]["auth"]
        realm = "mlsync-%s" % mls.name
        response = Response(401, reply_xml(20036, "Unauthorized").encode(), XML_TYPE, kind="xml")
        if mode in ("digest", "either"):
            nonce = secrets.token_hex(16)
            with self.nonce_lock:
                now = time.time()
                if len(self.nonces) > 10000:
                    self.nonces = {n: t for n, t in self.nonces.items() if now - t < 3600}
                self.nonces[nonce] = now
            opaque = hashlib.md5(realm.encode()).hexdigest()
            response.add_header("WWW-Authenticate", 'Digest realm="%s", nonce="%s", opaque="%s", '
                                'qop="auth", algorithm=MD5' % (realm, nonce, opaque))
        if mode in ("basic", "either"):
            response.add_header("WWW-Authenticate", 'Basic realm="%s"' % realm)
        if login and mls.options["rets"]["login_cookie"]:
            state = secrets.token_hex(16)
            with self.nonce_lock:
                self.login_states[state] = time.time()
            response.add_header("Set-Cookie", "%s=%s; Path=/" % (LOGIN_COOKIE, state))
        return response

    def login_cookie_ok(self, request, mls):
        """True unless ``rets.login_cookie`` asks for a challenge's cookie the
        request does not carry (each is good for one Login)."""
        if not mls.options["rets"]["login_cookie"]:
            return True
        state = self.cookie(request, LOGIN_COOKIE)
        with self.nonce_lock:
            now = time.time()
            self.login_states = {s: t for s, t in self.login_states.items() if now - t < 3600}
            return state is not None and self.login_states.pop(state, None) is not None

    @staticmethod
    def ua_session_id(mls, session):
        """The session id a UA digest names: the RETS-Session-ID cookie's
        value, none when the session goes by a cookie of another name."""
        return session.id if mls.options["rets"]["session_cookie"] == SESSION_COOKIE else ""

    def check_http_auth(self, request, mls):
        """True when the Authorization header carries the configured user's credentials."""
        opts = mls.options["rets"]
        header = request.header("Authorization") or ""
        scheme, _, rest = header.partition(" ")
        scheme = scheme.lower()
        if scheme == "basic" and opts["auth"] in ("basic", "either"):
            try:
                user, _, password = base64.b64decode(rest.strip()).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            return (user, password) == (opts["username"], opts["password"])
        if scheme == "digest" and opts["auth"] in ("digest", "either"):
            p = parse_auth_params(rest)
            realm = "mlsync-%s" % mls.name
            with self.nonce_lock:
                known = p.get("nonce") in self.nonces
            if not known or p.get("username") != opts["username"] or p.get("realm") != realm:
                return False
            if urllib.parse.urlsplit(p.get("uri", "")).path != request.raw_path:
                return False
            ha1 = hashlib.md5(("%s:%s:%s" % (opts["username"], realm, opts["password"])).encode()).hexdigest()
            ha2 = hashlib.md5(("%s:%s" % (request.method, p.get("uri", ""))).encode()).hexdigest()
            if p.get("qop"):
                data = "%s:%s:%s:%s:%s:%s" % (ha1, p["nonce"], p.get("nc", ""), p.get("cnonce", ""),
                                              p["qop"], ha2)
            else:
                data = "%s:%s:%s" % (ha1, p["nonce"], ha2)
            return hashlib.md5(data.encode()).hexdigest() == p.get("response")
        return False

    def check_ua(self, request, mls, session_id, also=()):
        """Enforce RETS-UA-Authorization when a UA password is configured."""
        opts = mls.options["rets"]
        if not opts["ua_password"]:
            return
        header = (request.header("RETS-UA-Authorization") or "").strip()
        if not header:
            raise RetsReply(20041)
        sent = header[7:].strip().lower() if header[:7].lower() == "digest " else header.lower()
        agent = request.header("User-Agent") or ""
        version = request.header("RETS-Version") or opts["version"]
        req_id = request.header("RETS-Request-ID") or ""
        for sid in (session_id,) + tuple(also):
            if sent == ua_digest(agent, opts["ua_password"], req_id, sid, version):
                return
        raise RetsReply(20037, "Client authentication failed: bad RETS-UA-Authorization")

    @staticmethod
    def cookie(request, name):
        """Return the value of cookie ``name`` of the request, or None."""
        for part in (request.header("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    def session(self, request, mls):
        """Return the live session of the request's cookie, or raise 401."""
        sid = self.cookie(request, mls.options["rets"]["session_cookie"])
        timeout = float(mls.options["rets"]["session_timeout"])
        with mls.auth_lock:
            session = mls.sessions.get(sid) if sid else None
            if session is not None and time.time() - session.last_used > timeout:
                del mls.sessions[sid]
                session = None
        if session is None:
            raise HttpReply(self.challenge(mls))
        return session

    @staticmethod
    def end_session(mls, sid):
        """Forget a session."""
        with mls.auth_lock:
            mls.sessions.pop(sid, None)

    # -------------------------------------------------------------- Login
    def login(self, request, mls, params, headers):
        """Login transaction: HTTP auth, UA auth, session, capability list."""
        opts = mls.options["rets"]
        if not self.check_http_auth(request, mls) or not self.login_cookie_ok(request, mls):
            raise HttpReply(self.challenge(mls, login=True))
        agent = request.header("User-Agent") or ""
        if opts["user_agent"] and agent != opts["user_agent"]:
            raise RetsReply(20036, "Miscellaneous Login Error: User-Agent %r is not authorized" % agent)
        old_sid = self.cookie(request, SESSION_COOKIE) or ""
        lenient = opts["login_session"] == "lenient"
        self.check_ua(request, mls, "", also=(old_sid,) if old_sid and lenient else ())
        timeout = float(opts["session_timeout"])
        with mls.auth_lock:
            now = time.time()
            for sid in [s for s, v in mls.sessions.items() if now - v.last_used > timeout]:
                del mls.sessions[sid]
            others = [s for s in mls.sessions.values() if s.user == opts["username"]]
        if others and (opts["one_session_only"] or request.faults.pending("rets_20022")):
            if opts["one_session_only"] or request.faults.use("rets_20022"):
                raise RetsReply(20022, "Additional login not permitted: user %s is already logged in"
                                % opts["username"])
        session = Session(secrets.token_hex(16).upper(), opts["username"])
        with mls.auth_lock:
            mls.sessions[session.id] = session
        base = "/%s/rets/" % mls.name
        absolute = mls.base_url + base
        clock = timeutil.reso_timestamp(mls.snapshot.clock_us)
        created = timeutil.reso_timestamp(timeutil.parse_instant(mls.options["now"])[0])
        lines = [
            "MemberName=mlsync Integration",
            "User=%s,1,MLSYNC,%s" % (opts["username"], opts["username"]),
            "Broker=MLSYNC",
            "MetadataVersion=%s" % METADATA_VERSION,
            "MetadataTimestamp=%s" % created,
            "MinMetadataTimestamp=%s" % created,
            "TimeoutSeconds=%d" % int(timeout),
            "Login=%slogin" % base,
            "Search=%ssearch" % absolute,
            "GetMetadata=%sgetmetadata" % base,
            "GetObject=%sgetobject" % absolute,
            "Logout=%slogout" % base,
            "Action=%saction" % base,
            "X-SupportSite=%ssupport" % absolute,
            "X-ServerClock=%s" % clock,
        ]
        if opts["capability_query"]:
            # written as it is: spaces and all, as some servers write theirs
            lines = [line + "?" + opts["capability_query"] if line.split("=", 1)[0] in _TRANSACTIONS
                     else line for line in lines]
        if opts["version"].startswith("RETS/1.8"):
            lines += ["Info=USERID;Character;%s" % opts["username"],
                      "Info=TimeoutSeconds;Int;%d" % int(timeout),
                      "Info=MetadataTimestamp;DateTime;%s" % created]
        body = "<RETS-RESPONSE>" + CRLF + CRLF.join(lines) + CRLF + "</RETS-RESPONSE>" + CRLF
        response = Response(200, reply_xml(0, None, body).encode("utf-8"), XML_TYPE, kind="xml")
        response.add_header("Set-Cookie", "%s=%s; Path=/" % (opts["session_cookie"], session.id))
        return response

    def logout(self, request, mls, params, session):
        """Logout transaction: end the session."""
        connect = int(time.time() - session.created)
        self.end_session(mls, session.id)
        body = ("<RETS-RESPONSE>" + CRLF + "ConnectTime=%d" % connect + CRLF
                + "SignOffMessage=Goodbye" + CRLF + "</RETS-RESPONSE>" + CRLF)
        response = Response(200, reply_xml(0, "Logout Successful", body).encode(), XML_TYPE, kind="xml")
        response.add_header("Set-Cookie", "%s=; Path=/; Max-Age=0" % mls.options["rets"]["session_cookie"])
        return response

    def action(self, request, mls, params, session):
        """Action transaction: a text bulletin."""
        text = "Welcome to the %s sample MLS. Bulletin: no scheduled maintenance.\r\n" % mls.name
        return Response(200, text.encode(), "text/plain; charset=utf-8", kind="text")

    # ------------------------------------------------------------- Search
    def resolver(self, resource, standard_names):
        """Return the field lookup for query and Select names (SystemName or StandardName)."""
        table = resource.by_standard if standard_names else resource.by_system
        return table.get

    def search(self, request, mls, params, session):
        """Search transaction (DMQL2, COMPACT / COMPACT-DECODED)."""
        opts = mls.options["rets"]
        resource = self.schema.resources.get(params.get("searchtype", ""))
        if resource is None:
            raise RetsReply(20203, "Miscellaneous Search Error: invalid SearchType %r; valid: %s"
                            % (params.get("searchtype", ""), " ".join(self.schema.resources)))
        class_name = params.get("class", "")
        if class_name not in resource.classes:
            raise RetsReply(20203, "Specified Class (%s) is not valid" % class_name,
                            "Valid Classes are:" + CRLF
                            + "".join("\t%s%s" % (c, CRLF) for c in resource.classes))
        if params.get("querytype", "DMQL2").upper() not in ("DMQL2", "DMQL"):
            raise RetsReply(20203, "Invalid Query Type")
        if (resource.standard == "Property" and mls.options["photos_timestamp_query"] == "reject"
                and _PHOTO_FIELD_RE.search(params.get("query", ""))):
            # as servers without the field (or that refuse to query it)
            raise RetsReply(20200, "Unknown Query Field: %s"
                            % retsschema.PROPERTY_NAMES["PhotosChangeTimestamp"])
        fmt = params.get("format", "COMPACT").upper()
        if fmt not in ("COMPACT", "COMPACT-DECODED"):
            raise RetsReply(20203, "Unsupported Format %s: use COMPACT or COMPACT-DECODED" % fmt)
        standard_names = params.get("standardnames", "0") == "1"
        resolve = self.resolver(resource, standard_names)
        columns = resource.fields
        if params.get("select"):
            columns = []
            for name in params["select"].split(","):
                field = resolve(name.strip())
                if field is None:
                    raise RetsReply(20202, "Invalid Select: unknown field %s" % name.strip())
                columns.append(field)
        count_mode = params.get("count", "0")
        limit_text = params.get("limit", "NONE").upper()
        offset_text = params.get("offset", "")
        if not (limit_text == "NONE" or limit_text.isdigit()) or (offset_text and not offset_text.isdigit()):
            raise RetsReply(20203, "Miscellaneous Search Error: Limit and Offset must be numbers")
        limit = None if limit_text == "NONE" else int(limit_text)
        offset = int(offset_text) if offset_text else 1
        if offset_text:
            if opts["offset_support"] == "reject":
                raise RetsReply(20203, "Miscellaneous Search Error: Offset is not supported")
            if opts["offset_support"] == "ignore" or request.faults.use("offset_ignored"):
                offset = 1
        tz = timeutil.zone(opts["timezone"])
        snap = mls.snapshot
        compiler = dmql.Compiler(resolve, lambda f: self.schema.lookup(resource.name, f), tz,
                                 snap.clock_us)
        try:
            ast = dmql.parse(params.get("query", ""))
            predicate = compiler.compile(ast)
        except dmql.DmqlError as exc:
            raise RetsReply(exc.code, str(exc)) from None
        matches = self.matching(mls, snap, resource, class_name, ast, compiler, predicate)
        if opts["sort"] == "key":
            key_field = dd.RESOURCES[resource.standard][0]
            matches.sort(key=lambda r: (len(r.value(key_field) or ""), r.value(key_field) or ""))
        if (dmql.window(ast, compiler, "ModificationTimestamp") is None
                and request.faults.use("list_rows_repeated")):
            matches = [row for row in matches for _ in (0, 1)]
        counted = len(matches)
        if opts["hidden_keys"]:
            # counted, never sent: records the server hides from this user
            hidden = set(opts["hidden_keys"])
            key_field = dd.RESOURCES[resource.standard][0]
            matches = [r for r in matches if r.value(key_field) not in hidden]
        total = len(matches)
        body = []
        if count_mode in ("1", "2"):
            body.append('<COUNT Records="%d"/>' % counted)
        start = max(0, offset - 1)
        # (every match hidden: COUNT and COLUMNS without DATA)
        if counted == 0 or (total > 0 and start >= total):
            raise RetsReply(20201)
        if count_mode == "2":
            return self.search_response(0, None, body)
        cap = int(opts["maxrows"])
        want = limit if limit is not None else total
        page = matches[start:start + min(want, cap)]
        remaining = total - start
        withheld = len(page) < min(want, remaining)
        last_page = start + len(page) >= total
        code = 20208 if withheld else 0
        maxrows = withheld
        if opts["maxrows_marker"] == "never":
            code, maxrows = 0, False
        if not withheld and opts["maxrows_on_limit"] and start + len(page) < total:
            maxrows = True
        if not maxrows and last_page and request.faults.use("maxrows_last_page"):
            maxrows, code = True, 20208
        renderer = self.renderer(resource, fmt == "COMPACT-DECODED", opts["timezone"])
        body.append('<DELIMITER value="09"/>')
        body.append("<COLUMNS>\t%s\t</COLUMNS>" % "\t".join(
            f.standard if standard_names else f.system for f in columns))
        hostile = self.hostile_values(request)
        picks = None if columns is resource.fields else [resource.fields.index(f) for f in columns]
        if request.faults.use("count_without_data"):
            page = []
        for row in page:
            line = renderer.row(row)
            if picks is not None or hostile:
                values = line.split("\t")
                if picks is not None:
                    values = [values[i] for i in picks]
                if hostile:
                    values = [hostile(f, v) for f, v in zip(columns, values)]
                line = "\t".join(values)
            body.append("<DATA>\t%s\t</DATA>" % line)
        if maxrows:
            body.append("<MAXROWS/>")
        return self.search_response(code, None, body)

    def renderer(self, resource, decoded, timezone):
        """Return the (shared) :class:`RowRenderer` for a resource, format and time zone."""
        key = (resource.name, decoded, timezone)
        renderer = self.renderers.get(key)
        if renderer is None:
            renderer = self.renderers[key] = RowRenderer(self.schema, resource, decoded, timezone)
        return renderer

    @staticmethod
    def search_response(code, text, body_lines):
        """Return a Search reply with its body lines."""
        body = "".join("%s%s" % (line, CRLF) for line in body_lines)
        return Response(200, reply_xml(code, text, body).encode("utf-8"), XML_TYPE, kind="xml")

    def hostile_values(self, request):
        """Return a value rewriter for the control_chars / bad_char_refs faults, or None."""
        if request.faults.use("control_chars"):
            inject = "\x01\x0b\x1b"
        elif request.faults.use("bad_char_refs"):
            inject = "&#0;&#x1;&#xFFFE;&#xD800;"
        else:
            return None

        def rewrite(field, value):
            if field.kind == dd.STRING and field.length >= 1000 and value:
                return inject + value
            return value
        return rewrite

    def matching(self, mls, snap, resource, class_name, ast, compiler, predicate):
        """Return matching rows in (timestamp, key) order."""
        if resource.name != "Property":
            kinds = self.kinds[resource.standard]
            records = [r for r, _ in (mls.members if resource.name == "Agent" else mls.offices)]
            rows = [market.Row(kinds, record=r) for r in records]
            rows = [r for r in rows if predicate(r)]
            rows.sort(key=lambda r: (r.value("ModificationTimestamp"),
                                     r.value(dd.RESOURCES[resource.standard][0])))
            return rows
        types = resource.classes[class_name][2]
        kinds = self.kinds["Property"]
        bounds = dmql.window(ast, compiler, "ModificationTimestamp")
        if bounds is not None:
            low, high = bounds
            start = snap.start_after((low, None, False)) if low is not None else 0
            keys = []
            for mod, key in snap.by_mod[start:]:
                if high is not None and mod > high:
                    break
                keys.append(key)
        else:
            keys = [k for _, k in snap.by_mod]
        out = []
        for key in keys:
            listing = snap.listings[key]
            if types is not None and listing.ptype not in types:
                continue
            row = market.Row(kinds, listing)
            if predicate(row):
                out.append(row)
        return out

    # --------------------------------------------------------- GetMetadata
    def getmetadata(self, request, mls, params, session):
        """GetMetadata transaction (COMPACT)."""
        kind = params.get("type", "").upper()
        ident = params.get("id", "0")
        fmt = params.get("format", "COMPACT").upper()
        if fmt != "COMPACT":
            raise RetsReply(20513, "Miscellaneous Error: only Format=COMPACT is supported")
        if not kind.startswith("METADATA-"):
            raise RetsReply(20501, "Invalid Type %s" % kind)
        date = timeutil.reso_timestamp(timeutil.parse_instant(mls.options["now"])[0])
        tz = timeutil.zone(mls.options["rets"]["timezone"])
        builder = MetadataBuilder(self.schema, mls, date, tz)
        try:
            body = builder.build(kind[len("METADATA-"):], ident)
        except KeyError as exc:
            raise RetsReply(20502, "Invalid Identifier %s" % exc.args[0]) from None
        response = Response(200, reply_xml(0, None, body).encode("utf-8"), XML_TYPE, kind="xml")
        response.add_header("MIME-Version", "1.0")
        response.add_header("Content-ID", kind)
        return response

    # ---------------------------------------------------------- GetObject
    def getobject(self, request, mls, params, session):
        """GetObject transaction: photos, single or multipart/parallel."""
        resource = params.get("resource", "")
        if resource != "Property":
            raise RetsReply(20400, "Invalid Resource %s" % resource)
        object_type = params.get("type", "")
        if object_type not in ("Photo", "Thumbnail"):
            raise RetsReply(20401, "Invalid Type %s: use Photo or Thumbnail" % object_type)
        ident = params.get("id", "")
        if not ident:
            raise RetsReply(20402, "Invalid Identifier: ID is required")
        location = params.get("location", "0") == "1"
        snap = mls.snapshot
        parts = []
        multipart = False
        for entity in ident.split(","):
            key, _, objects = entity.strip().partition(":")
            listing = snap.listings.get(key)
            ids = objects.split(":") if objects else ["*"]
            if len(ids) > 1 or "*" in ids:
                multipart = True
            for oid in ids:
                if oid == "*":
                    count = listing.photos_count if listing else 0
                    parts.extend((key, listing, n) for n in range(1, count + 1))
                    if not count:
                        parts.append((key, None, "*"))
                elif oid.isdigit():
                    parts.append((key, listing, int(oid) or 1))
                else:
                    raise RetsReply(20402, "Invalid Identifier %s" % entity)
        multipart = multipart or len(parts) > 1
        descriptions = {}
        object_data = bool(params.get("objectdata"))

        def modified(listing, n):
            return next(m["MediaModificationTimestamp"] for m in mls.media_for(listing)
                        if m["Order"] == n)

        def describe(listing, n):
            if listing.key not in descriptions:
                descriptions[listing.key] = [m["ShortDescription"] for m in mls.media_for(listing)]
            return descriptions[listing.key][n - 1]

        def available(listing, n):
            return listing is not None and isinstance(n, int) and 1 <= n <= listing.photos_count

        if not multipart:
            key, listing, n = parts[0]
            if not available(listing, n):
                raise RetsReply(20403)
            headers = [("Content-ID", key), ("Object-ID", str(n)),
                       ("Content-Description", describe(listing, n))]
            if n == 1:
                headers.append(("Preferred", "1"))
            if object_data:
                headers.append(("ObjectData", "ModificationTimestamp=%s" % modified(listing, n)))
            body = b""
            if location:
                headers.append(("Location", self.photo_url(mls, listing, n)))
            else:
                body = mls.photo_bytes(listing, n, object_type == "Thumbnail")
            plan = mls.is_floorplan(n) and object_type != "Thumbnail"
            response = Response(200, body, "image/png" if plan else "image/jpeg", headers,
                                kind="binary")
            response.add_header("MIME-Version", "1.0")
            return response
        boundary = "simple boundary %s" % hashlib.md5(ident.encode()).hexdigest()[:12]
        out = []
        for key, listing, n in parts:
            out.append(b"--" + boundary.encode() + b"\r\n")
            if not available(listing, n):
                out.append(b"Content-Type: text/xml\r\nContent-ID: %s\r\nObject-ID: %s\r\n\r\n"
                           % (key.encode(), str(n).encode()))
                out.append(reply_xml(20403).encode() + b"\r\n")
                continue
            head = ["Content-Type: %s" % ("text/xml" if location else
                                          "image/png" if mls.is_floorplan(n) and object_type != "Thumbnail"
                                          else "image/jpeg"),
                    "Content-ID: %s" % key, "Object-ID: %d" % n,
                    "Content-Description: %s" % describe(listing, n)]
            if n == 1:
                head.append("Preferred: 1")
            if object_data:
                head.append("ObjectData: ModificationTimestamp=%s" % modified(listing, n))
            if location:
                head.append("Location: %s" % self.photo_url(mls, listing, n))
                data = reply_xml(0).encode()
            else:
                data = mls.photo_bytes(listing, n, object_type == "Thumbnail")
            out.append(("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + data + b"\r\n")
        out.append(b"--" + boundary.encode() + b"--\r\n")
        response = Response(200, b"".join(out), 'multipart/parallel; boundary="%s"' % boundary,
                            kind="binary")
        response.add_header("MIME-Version", "1.0")
        return response

    @staticmethod
    def photo_url(mls, listing, n):
        """Return the URL of a photo (the same as its Media MediaURL)."""
        return datagen.media_url(mls.base_url, mls.name, listing.key, n, listing.photos_version,
                                 mls.is_floorplan(n), mls.options["media"]["url_style"] == "spaced")

    TRANSACTIONS = {"login": login, "logout": logout, "action": action, "search": search,
                    "getmetadata": getmetadata, "getobject": getobject}


class RowRenderer:
    """Renders whole COMPACT rows (every field of a resource, tab-separated).

    One formatter per field is prepared once.  Rendered Property rows are
    kept on the :class:`~mlsserver.market.Listing` (per format and time
    zone), so a second pass over the data costs only string joins.
    """

    def __init__(self, schema, resource, decoded, timezone):
        self.key = (decoded, timezone)
        tz = timeutil.zone(timezone)
        self.fields = [(f.standard, _formatter(f, schema.lookup(resource.name, f) if f.lookup else None,
                                               decoded, tz)) for f in resource.fields]

    def render(self, record):
        """Return the row text of a display-spelled record dict."""
        return "\t".join("" if record.get(name) in (None, []) else fmt(record[name])
                         for name, fmt in self.fields)

    def row(self, row):
        """Return the row text of a :class:`~mlsserver.market.Row`, cached for listings."""
        listing = row.listing
        if listing is None:
            return self.render(row.full())
        cache = listing.rets_rows
        if cache is None:
            cache = listing.rets_rows = {}
        text = cache.get(self.key)
        if text is None:
            text = cache[self.key] = self.render(row.full())
        return text


def _utc_rets_timestamp(text):
    """``2025-05-01T18:20:38.44Z`` -> ``2025-05-01T18:20:38.440`` (RESO UTC text to RETS UTC)."""
    seconds, _, fraction = text[:-1].partition(".")
    return "%s.%s" % (seconds, (fraction + "000")[:3])


def _formatter(field, lookup, decoded, tz):
    """Return a function formatting one non-empty value of ``field`` as COMPACT text."""
    if field.lookup:
        texts = {display: (long if decoded else code) for code, _, long, display in lookup.entries}
        if field.kind == dd.LOOKUP_MULTI:
            return lambda v: xml_escape(",".join(texts.get(x, x) for x in v))
        return lambda v: xml_escape(texts.get(v, v))
    if field.kind == dd.TIMESTAMP:
        if tz is timeutil.UTC:
            return _utc_rets_timestamp
        return lambda v: timeutil.rets_timestamp(timeutil.parse_instant(v)[0], tz)
    if field.kind == dd.BOOLEAN:
        yes, no = ("Y", "N") if field.yn else ("1", "0")
        return lambda v: yes if v else no
    if field.kind == dd.DECIMAL:
        pattern = "%%.%df" % field.precision
        return lambda v: pattern % v
    if field.kind in (dd.STRING, dd.DATE):
        return xml_escape
    return str


class MetadataBuilder:
    """Renders COMPACT metadata documents."""

    def __init__(self, schema, mls, date, tz):
        self.schema = schema
        self.mls = mls
        self.date = date
        self.tz = tz
        self.version = METADATA_VERSION

    def block(self, tag, attrs, columns, rows):
        """Return one COMPACT metadata element with its COLUMNS and DATA."""
        attr_text = "".join(' %s="%s"' % (k, xml_escape(v)) for k, v in attrs)
        lines = ['<%s%s Version="%s" Date="%s">' % (tag, attr_text, self.version, self.date),
                 "<COLUMNS>\t%s\t</COLUMNS>" % "\t".join(columns)]
        for row in rows:
            lines.append("<DATA>\t%s\t</DATA>" % "\t".join(xml_escape(str(v)) for v in row))
        lines.append("</%s>" % tag)
        return "".join(line + CRLF for line in lines)

    def resources(self, ident):
        """Return the resources an ID names."""
        if ident in ("*", "0", ""):
            return list(self.schema.resources.values())
        return [self.schema.resources[ident]]

    def build(self, kind, ident):
        """Return the body of a METADATA-<kind> request."""
        method = getattr(self, "m_" + kind.lower(), None)
        if method is None:
            raise KeyError(kind)
        return method(ident)

    def m_system(self, ident):
        """METADATA-SYSTEM (``*``: every type)."""
        # a real server states its offset now (by the wall clock), whatever
        # the dates of its data: so the sample does, not at its market clock
        offset = timeutil.utc_offset_text(int(time.time() * 1_000_000), self.tz)
        text = ('<METADATA-SYSTEM Version="%s" Date="%s">%s<SYSTEM SystemID="%s" '
                'SystemDescription="mlsync sample MLS %s" TimeZoneOffset="%s"/>%s'
                '<COMMENTS>Generated data for tests; not a real MLS.</COMMENTS>%s</METADATA-SYSTEM>%s'
                % (self.version, self.date, CRLF, self.mls.name.upper(), xml_escape(self.mls.name),
                   offset, CRLF, CRLF, CRLF))
        if ident == "*":
            text += self.m_resource("0") + self.m_class("*") + self.m_table("*")
            text += self.m_lookup("*") + self.m_lookup_type("*") + self.m_object("*")
        return text

    def m_resource(self, ident):
        """METADATA-RESOURCE."""
        columns = ["ResourceID", "StandardName", "VisibleName", "Description", "KeyField",
                   "ClassCount", "ClassVersion", "ClassDate", "ObjectVersion", "ObjectDate",
                   "LookupVersion", "LookupDate"]
        rows = [[r.name, r.standard if r.name != "Agent" else "Agent", r.name, r.name, r.key_field,
                 len(r.classes), self.version, self.date, self.version, self.date, self.version,
                 self.date] for r in self.resources(ident)]
        return self.block("METADATA-RESOURCE", [], columns, rows)

    def m_class(self, ident):
        """METADATA-CLASS."""
        out = ""
        for r in self.resources(ident):
            rows = [[name, std, visible, visible, self.version, self.date, "1"]
                    for name, (std, visible, _) in r.classes.items()]
            out += self.block("METADATA-CLASS", [("Resource", r.name)],
                              ["ClassName", "StandardName", "VisibleName", "Description",
                               "TableVersion", "TableDate", "HasKeyIndex"], rows)
        return out

    def m_table(self, ident):
        """METADATA-TABLE."""
        resource_id, _, class_id = ident.partition(":")
        out = ""
        columns = ["MetadataEntryID", "SystemName", "StandardName", "LongName", "DBName", "ShortName",
                   "MaximumLength", "DataType", "Precision", "Searchable", "Interpretation",
                   "Alignment", "UseSeparator", "EditMaskID", "LookupName", "MaxSelect", "Units",
                   "Index", "Minimum", "Maximum", "Default", "Required", "SearchHelpID", "Unique",
                   "InKeyIndex"]
        for r in self.resources(resource_id if ident != "*" else "*"):
            classes = list(r.classes) if class_id in ("", "*") or ident == "*" else [class_id]
            for class_name in classes:
                if class_name not in r.classes:
                    raise KeyError(ident)
                rows = []
                for n, f in enumerate(r.fields, 1):
                    long_name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", f.standard)
                    is_key = "1" if f.system == r.key_field else "0"
                    indexed = "1" if f.system in (r.key_field, r.ts_field) else "0"
                    numeric = f.interpretation in ("Number", "Currency")
                    rows.append([
                        "%s%04d" % (r.name[:1], n), f.system, f.standard, long_name,
                        f.system[:10], long_name[:20], f.length or "", f.datatype,
                        f.precision if f.datatype == "Decimal" else "", "1", f.interpretation,
                        "Right" if numeric else "Left",
                        "1" if f.interpretation == "Currency" else "0", "", f.lookup or "",
                        "25" if f.interpretation == "LookupMulti" else "", "", indexed,
                        "", "", "", "0", "", is_key, is_key])
                out += self.block("METADATA-TABLE", [("Resource", r.name), ("Class", class_name)],
                                  columns, rows)
        return out

    def m_lookup(self, ident):
        """METADATA-LOOKUP."""
        out = ""
        for r in self.resources(ident):
            rows = [[lk.name, lk.visible, self.version, self.date]
                    for lk in sorted(self.schema.lookups_of(r.name).values(), key=lambda x: x.name)]
            out += self.block("METADATA-LOOKUP", [("Resource", r.name)],
                              ["LookupName", "VisibleName", "Version", "Date"], rows)
        return out

    def m_lookup_type(self, ident):
        """METADATA-LOOKUP_TYPE."""
        resource_id, _, lookup_id = ident.partition(":")
        out = ""
        for r in self.resources(resource_id if ident != "*" else "*"):
            lookups = self.schema.lookups_of(r.name)
            names = sorted(lookups) if lookup_id in ("", "*") or ident == "*" else [lookup_id]
            for name in names:
                lookup = lookups[name]
                rows = [["%s%03d" % (name[:4], n), long, short, code]
                        for n, (code, short, long, _) in enumerate(lookup.entries, 1)]
                out += self.block("METADATA-LOOKUP_TYPE", [("Resource", r.name), ("Lookup", name)],
                                  ["MetadataEntryID", "LongValue", "ShortValue", "Value"], rows)
        return out

    def m_object(self, ident):
        """METADATA-OBJECT."""
        out = ""
        for r in self.resources(ident):
            rows = []
            if r.name == "Property":
                rows = [["OBJ1", "Photo", "image/jpeg", "Photo", "Listing photo (320x240)",
                         "L_Last_Photo_updt", "L_PictureCount"],
                        ["OBJ2", "Thumbnail", "image/jpeg", "Thumbnail", "Listing thumbnail (160x120)",
                         "L_Last_Photo_updt", "L_PictureCount"]]
            out += self.block("METADATA-OBJECT", [("Resource", r.name)],
                              ["MetadataEntryID", "ObjectType", "MimeType", "VisibleName",
                               "Description", "ObjectTimeStamp", "ObjectCount"], rows)
        return out
