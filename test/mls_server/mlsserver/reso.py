"""RESO Web API (OData 4.0) for one MLS.

Endpoints below ``/<mls>/reso/``:

    POST oauth/token                 OAuth2 client credentials
    GET  odata/                      service document
    GET  odata/$metadata             EDMX (string or EnumType lookups)
    GET  odata/<Resource>            Property, Media, Member, Office, OpenHouse
    GET  odata/<Resource>('<key>')   one record

Paging: the page size is ``$top``, else ``Prefer: odata.maxpagesize``, else
``page_max``, always capped by ``page_max``.  When more rows match, the page
carries an absolute ``@odata.nextLink`` whose ``$skiptoken`` encodes the sort
values of the page's last row, so following it is exact even while the
market changes (options such as ``nextlink_paging: "offset"`` change the
links: see :func:`mlsserver.hostile.next_link`).  Every response carries
``OData-Version: 4.0``.
"""

import base64
import binascii
import bisect
import concurrent.futures
import functools
import json
import re
import secrets
import threading
import time
import urllib.parse

from . import datagen, dd, hostile, market, odata, visibility
from .httpcore import ByteCache, Request, Response, gzip_bytes, json_error_bytes

JSON_TYPE = "application/json; odata.metadata=minimal; charset=utf-8"
#: A "%" that starts no escape (two hex digits).
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")

QUERY_OPTIONS = {"$filter", "$select", "$orderby", "$top", "$skip", "$count", "$expand",
                 "$skiptoken", "$format"}
EXPANDABLE = {"Property": {"Media": "Media", "OpenHouse": "OpenHouse"}}
_KEY_RE = re.compile(r"^([A-Za-z]+)\((?:'((?:[^']|'')*)'|(\d+))\)$")
_PREFER_RE = re.compile(r"odata\.maxpagesize\s*=\s*(\d+)", re.I)


class ApiError(Exception):
    """An OData error response."""

    def __init__(self, status, code, message, target=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.headers = headers or []


def error_response(status, code, message, target=None, headers=None):
    """Return an OData JSON error response."""
    return Response(status, json_error_bytes(code, message, target), JSON_TYPE, headers,
                    kind="json")


# ------------------------------------------------------------- the API

class ResoApi:
    """Serves the RESO Web API of every MLS of the server."""

    def __init__(self, catalog, gzip_cache):
        self.catalog = catalog
        self.gzip_cache = gzip_cache
        self.pages = ByteCache()
        self.prefetcher = concurrent.futures.ThreadPoolExecutor(1, "prefetch")
        self.prefetching = set()
        self.prefetch_lock = threading.Lock()
        self.kinds = {r: {n: f.kind for n, f in catalog.fields(r).items()} for r in dd.RESOURCES}
        self._metadata_cache = {}

    def handle(self, request, mls, rest):
        """Answer a request whose path below ``/<mls>/reso/`` is ``rest``."""
        try:
            if rest == "oauth/token":
                response = self.token(request, mls)
            else:
                if not rest.startswith("odata/") and rest != "odata":
                    raise ApiError(404, "NotFound", "no such endpoint: %s" % request.path)
                self.authorize(request, mls)
                response = self.odata(request, mls, rest[len("odata/"):])
        except ApiError as exc:
            response = error_response(exc.status, exc.code, exc.message, exc.target, exc.headers)
        except odata.ODataError as exc:
            response = error_response(400, "BadRequest", str(exc), exc.target)
        response.add_header("OData-Version", "4.0")
        return response

    # ------------------------------------------------------------ OAuth2
    def token(self, request, mls):
        """POST oauth/token: client credentials grant."""
        if request.method != "POST":
            raise ApiError(405, "MethodNotAllowed", "use POST for the token endpoint",
                           headers=[("Allow", "POST")])
        form = dict(urllib.parse.parse_qsl(request.body.decode("latin-1"), keep_blank_values=True))
        config = mls.options["oauth"]
        header = request.header("Authorization") or ""
        basic = None
        if header[:6].lower() == "basic ":
            try:
                user, _, secret = base64.b64decode(header[6:].strip()).decode("utf-8").partition(":")
                basic = (urllib.parse.unquote(user), urllib.parse.unquote(secret))
            except (binascii.Error, UnicodeDecodeError):
                return _oauth_error(400, "invalid_request", "malformed Basic credentials")
        body = (form.get("client_id"), form.get("client_secret")) \
            if "client_secret" in form else None
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type",
                                "grant_type must be client_credentials")
        mode = config["auth"]
        if basic and body:
            return _oauth_error(400, "invalid_request", "use one client authentication method")
        creds = basic if mode == "basic" else body if mode == "body" else (basic or body)
        expected = (config["client_id"], config["client_secret"])
        if creds != expected:
            response = _oauth_error(401, "invalid_client", "client authentication failed")
            if mode != "body":
                response.add_header("WWW-Authenticate", 'Basic realm="%s"' % mls.name)
            return response
        ttl = int(mls.options["token_ttl"])
        token = secrets.token_urlsafe(32)
        with mls.auth_lock:
            now = time.time()
            for old in [t for t, exp in mls.tokens.items() if exp < now - 3600]:
                del mls.tokens[old]     # expired an hour ago: now "invalid", no longer "expired"
            mls.tokens[token] = now + ttl
        payload = {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "scope": "api"}
        response = Response(200, json.dumps(payload).encode(), "application/json; charset=utf-8",
                            [("Cache-Control", "no-store"), ("Pragma", "no-cache")], kind="json")
        return response

    def authorize(self, request, mls):
        """Require a valid bearer token; raise ApiError(401) otherwise."""
        header = request.header("Authorization") or ""
        challenge = 'Bearer realm="%s"' % mls.name
        if header[:7].lower() != "bearer ":
            raise ApiError(401, "Unauthorized", "a bearer token is required",
                           headers=[("WWW-Authenticate", challenge)])
        token = header[7:].strip()
        static = mls.options["static_token"]
        if static and token == static:
            return
        with mls.auth_lock:
            expiry = mls.tokens.get(token)
        expired_headers = [("WWW-Authenticate", challenge + ', error="invalid_token", '
                            'error_description="The access token expired"')]
        if expiry is None:
            raise ApiError(401, "InvalidToken", "the access token is not valid",
                           headers=[("WWW-Authenticate", challenge + ', error="invalid_token"')])
        if expiry < time.time():
            raise ApiError(401, "TokenExpired", "the access token expired", headers=expired_headers)
        if request.faults.use("expired_token"):
            with mls.auth_lock:
                mls.tokens[token] = 0.0
            raise ApiError(401, "TokenExpired", "the access token expired", headers=expired_headers)

    # ------------------------------------------------------------- OData
    def odata(self, request, mls, rest):
        """Answer a request below ``odata/``."""
        if request.method not in ("GET", "HEAD"):
            raise ApiError(405, "MethodNotAllowed", "this service is read-only",
                           headers=[("Allow", "GET")])
        base = "%s/%s/reso/odata/" % (mls.base_url, mls.name)
        if rest == "":
            doc = {"@odata.context": base + "$metadata",
                   "value": [{"name": r, "kind": "EntitySet", "url": r} for r in dd.RESOURCES]}
            return Response(200, json.dumps(doc).encode(), JSON_TYPE, kind="json")
        if rest == "$metadata":
            return self.metadata(mls)
        match = _KEY_RE.match(rest)
        if match:
            resource = match.group(1)
            key = match.group(2).replace("''", "'") if match.group(2) is not None else match.group(3)
            return self.entity(request, mls, resource, key, base)
        if rest in dd.RESOURCES and not _media_absent(mls, rest):
            return self.collection(request, mls, rest, base)
        raise ApiError(404, "NotFound", "no resource %r" % rest)

    def metadata(self, mls):
        """GET $metadata (EDMX, cached per lookup spelling)."""
        body = self._metadata_cache.get(mls.enum_mode)
        if body is None:
            body = self._metadata_cache[mls.enum_mode] = build_metadata(self.catalog, mls.enum_mode)
        return Response(200, body, "application/xml; charset=utf-8", kind="xml")

    def entity(self, request, mls, resource, key, base):
        """GET <Resource>('key'): one record as a top-level object."""
        if resource not in dd.RESOURCES or _media_absent(mls, resource):
            raise ApiError(404, "NotFound", "no resource %r" % resource)
        _check_required_filter(mls, resource, None)
        if mls.options["entity_lookup"] == "odata_404":
            raise ApiError(404, "NotFound", "entity lookups are not supported: query %s with $filter"
                           % resource)
        snap = mls.snapshot
        context = ('{"@odata.context":"%s$metadata#%s/$entity",' % (base, resource)).encode()
        if resource == "Property":
            listing = snap.served.get(key)
            if listing is None:
                raise ApiError(404, "NotFound", "no Property with ListingKey %r" % key)
            body = listing.json
        else:
            rows = [r for r in self.rows(mls, snap, resource) if r.key == key]
            if not rows:
                raise ApiError(404, "NotFound", "no %s with key %r" % (resource, key))
            body = self.row_json(mls, snap, resource, rows[0], None, ())
        body = self.fault_values(request, body)
        return Response(200, context + body[1:], JSON_TYPE, kind="json")

    # -------------------------------------------------------- collections
    def rows(self, mls, snap, resource):
        """Return every row of a non-Property resource, in key order."""
        kinds = self.kinds[resource]
        key_field = dd.RESOURCES[resource][0]
        if resource == "Member":
            return [market.Row(kinds, record=r, key_field=key_field, served_bytes=b) for r, b in mls.members]
        if resource == "Office":
            return [market.Row(kinds, record=r, key_field=key_field, served_bytes=b) for r, b in mls.offices]
        if resource == "OpenHouse":
            houses = [h for hs in snap.open_houses.values() for h in hs]
            return [market.Row(kinds, record=h, key_field=key_field)
                    for h in sorted(houses, key=lambda h: h[key_field])]
        if resource == "Media":
            out = []
            for _, key in snap.by_photos:
                out.extend(market.Row(kinds, record=m, key_field=key_field)
                           for m in mls.media_for(snap.listings[key]))
            return out
        raise ApiError(404, "NotFound", "no resource %r" % resource)

    def collection(self, request, mls, resource, base, prefetch=True):
        """Answer a collection request; with ``prefetch`` also render the next page ahead."""
        # as strict servers do (Java's URL decoding throws): a "%" must start an escape
        if _BAD_ESCAPE.search(request.query):
            raise ApiError(400, "BadRequest", "malformed percent-encoding in the query")
        params = {}
        for name, value in request.params:
            if name.startswith("$"):
                if name not in QUERY_OPTIONS:
                    raise ApiError(400, "BadRequest", "unsupported query option %s" % name, name)
                if name in params:
                    raise ApiError(400, "BadRequest", "query option %s given twice" % name, name)
                params[name] = value
        if params.get("$format", "json").split(";")[0] not in ("json", "application/json"):
            raise ApiError(400, "BadRequest", "only $format=json is supported", "$format")
        fields = self.catalog.fields(resource)
        flag = visibility.field(mls) if resource == "Property" else None
        if flag is not None:
            fields = dict(fields)
            fields[flag.name] = flag
        key_field = dd.RESOURCES[resource][0]
        snap = mls.snapshot
        select = _parse_select(params.get("$select"), fields, key_field)
        expand = _parse_expand(params.get("$expand"), resource)
        own_order = mls.options["orderby_param"] != "accept"
        if "$orderby" in params and own_order:
            raise ApiError(400, "NotSupported", "The query option $orderby is not supported; "
                           "records come oldest first", "$orderby")
        _check_photos_timestamp(mls, resource, params)
        if "$orderby" in params:
            order = odata.parse_orderby(params["$orderby"], fields)
        elif resource == "Property" and mls.options["orderby_param"] == "reject":
            # a replication endpoint's own order: oldest first
            order = [("ModificationTimestamp", False), (key_field, False)]
        else:
            order = [(key_field, False)]
        if order[-1] != (key_field, False) and all(f != key_field for f, _ in order):
            order = order + [(key_field, False)]
        if mls.options["tie_order"] == "reverse_key" and len(order) > 1:
            # an index on the first term alone: its ties come as they lie
            order = [order[0], (key_field, True)]
        _check_required_filter(mls, resource, params.get("$filter"))
        filter_text = None if mls.options["ignore_filter"] else params.get("$filter")
        if filter_text and mls.options["filter_ne"] == "reject" and re.search(r"\sne\s", filter_text):
            raise ApiError(400, "NotSupported", "The operator 'ne' is not supported in $filter",
                           "$filter")
        _check_filter_nodes(mls, params.get("$filter"))
        predicate, bound = _compile_filter(filter_text, fields, self.catalog, mls, resource)
        top = _non_negative(params, "$top")
        max_top = mls.options["max_top"]
        if top is not None and max_top is not None and top > max_top:
            if mls.options["max_top_message"] == "unnumbered":
                raise ApiError(400, "BadRequest", "The requested $top is too large.", "$top")
            # the words of ASP.NET OData's query validation, which many RESO servers run on
            raise ApiError(400, "BadRequest",
                           "The limit of '%d' for Top query has been exceeded. "
                           "The value from the incoming request is '%d'." % (max_top, top), "$top")
        skip = _non_negative(params, "$skip") or 0
        count_wanted = params.get("$count", "false").lower()
        if count_wanted not in ("true", "false"):
            raise ApiError(400, "BadRequest", "$count must be true or false", "$count")
        if count_wanted == "true" and mls.options["count_param"] == "reject":
            raise ApiError(400, "NotSupported", "The query option $count is not supported", "$count")
        page_max = int(mls.options["page_max"])
        response_headers = []
        prefer = _PREFER_RE.search(request.header("Prefer") or "")
        if top is not None:
            size = min(top, page_max)
        elif prefer:
            size = max(1, min(int(prefer.group(1)), page_max))
            response_headers.append(("Preference-Applied", "odata.maxpagesize=%d" % size))
        else:
            size = page_max
        after = _decode_skiptoken(params.get("$skiptoken"), len(order))
        cache_key = ("reso", mls.uid, snap.version, resource, tuple(sorted(params.items())), size,
                     mls.enum_mode, mls.options["nextlink"], mls.options["orderby_param"],
                     mls.options["expand_max"], mls.options["expand_parent_key"],
                     mls.options["count_extra"],
                     hostile.cache_tag(mls, request))
        cacheable = request.faults.empty
        cached = self.pages.get(cache_key) if cacheable else None
        if cached is not None:
            body, link = cached
            if prefetch:
                self.prefetch(mls, link, request)
            response = Response(200, body, JSON_TYPE, response_headers, kind="json")
            response.cache_key = cache_key
            return response
        rows, more = self.select_rows(mls, snap, resource, order, predicate, bound, after, skip,
                                      size)
        total = None
        if count_wanted == "true" and mls.options["count_support"]:
            total = self.count(mls, snap, resource, predicate) + mls.options["count_extra"]
        if request.faults.use("empty_page"):
            rows, more = [], False
        select_text = "(%s)" % ",".join(select) if select else ""
        pieces = [('{"@odata.context":"%s$metadata#%s%s"' % (base, resource, select_text)).encode()]
        if total is not None:
            pieces.append(b',"@odata.count":%d' % total)
        pieces.append(b',"value":[')
        pieces.append(b",".join(self.row_json(mls, snap, resource, row, select, expand) for row in rows))
        pieces.append(b"]")
        link = hostile.next_link(mls, request, base + resource, rows, more, skip, lambda: _next_link(
            base + resource, request.params, _encode_skiptoken([rows[-1].value(f) for f, _ in order])))
        if link is not None:
            pieces.append(b',"@odata.nextLink":' + hostile.next_link_json(mls, link))
        pieces.append(b"}")
        body = self.fault_values(request, b"".join(pieces))
        response = Response(200, body, JSON_TYPE, response_headers, kind="json")
        if cacheable:
            self.pages.put(cache_key, (body, link), len(body))
            response.cache_key = cache_key
            if prefetch:
                self.prefetch(mls, link, request)
        return response

    def prefetch(self, mls, link, request):
        """Render (and gzip, if the client takes gzip) the page at ``link`` in the background.

        A client following nextLinks then finds its next page ready, which
        keeps page rendering and compression off its critical path.
        """
        if link is None or not link.startswith(mls.base_url + "/"):
            return      # no next page, or one on another host (nextlink_host)
        headers = {name: request.header(name) for name in ("Prefer", "Accept-Encoding")
                   if request.header(name)}
        target = link[len(mls.base_url):]
        with self.prefetch_lock:
            if target in self.prefetching:
                return
            self.prefetching.add(target)

        def render():
            try:
                ahead = Request("GET", target, headers, b"", None)
                base, resource = ahead.path.rsplit("/", 1)
                response = self.collection(ahead, mls, resource, mls.base_url + base + "/",
                                           prefetch=False)
                if ahead.accepts_gzip() and response.cache_key not in self.gzip_cache:
                    self.gzip_cache.put(response.cache_key, gzip_bytes(response.body))
            finally:
                with self.prefetch_lock:
                    self.prefetching.discard(target)
        self.prefetcher.submit(render)

    def select_rows(self, mls, snap, resource, order, predicate, bound, after, skip, size):
        """Return up to ``size`` matching rows after the skiptoken and $skip, and whether more exist."""
        fields_order = [f for f, _ in order]
        wanted = skip + size + 1
        kinds = self.kinds["Property"]
        if resource == "Property" and fields_order == ["ModificationTimestamp", "ListingKey"] \
                and not any(d for _, d in order):
            start = bound
            if after is not None:
                token_bound = (after[0], after[1], True)
                start = token_bound if bound is None else odata.later_bound(bound, token_bound)
            index = snap.start_after(start, snap.served_by_mod)
            iterator = (market.Row(kinds, snap.served[k]) for _, k in snap.served_by_mod[index:])
            rows = _take(iterator, predicate, wanted)
        elif resource == "Property" and fields_order == ["ListingKey"] and not order[0][1]:
            index = bisect.bisect_right(snap.served_by_key, after[0]) if after is not None else 0
            iterator = (market.Row(kinds, snap.served[k]) for k in snap.served_by_key[index:])
            rows = _take(iterator, predicate, wanted)
        else:
            if resource == "Property":
                candidates = (market.Row(kinds, snap.served[k]) for k in snap.served_by_key)
            else:
                candidates = iter(self.rows(mls, snap, resource))
            matching = [r for r in candidates if predicate is None or predicate(r)]
            matching.sort(key=functools.cmp_to_key(_row_comparator(order)))
            if after is not None:
                compare = _row_comparator(order)
                marker = _TokenRow(order, after)
                matching = [r for r in matching if compare(r, marker) > 0]
            rows = matching[:wanted]
        rows = rows[skip:]
        return rows[:size], len(rows) > size

    def count(self, mls, snap, resource, predicate):
        """Return how many rows match the filter (ignoring paging)."""
        if predicate is None:
            if resource == "Property":
                return len(snap.served)
            return len(self.rows(mls, snap, resource))
        if resource == "Property":
            kinds = self.kinds["Property"]
            return sum(1 for k in snap.served_by_key if predicate(market.Row(kinds, snap.served[k])))
        return sum(1 for r in self.rows(mls, snap, resource) if predicate(r))

    def row_json(self, mls, snap, resource, row, select, expand):
        """Return the served JSON bytes of one row with $select and $expand applied."""
        if not select and not expand:
            if row.listing is not None:
                return row.listing.json
            if row.served_bytes is not None:
                return row.served_bytes
        if row.listing is not None:
            record = row.listing.served()
        else:
            record = row.record
            if mls.enum_mode:
                record = datagen.to_enum_spelling(record, self.catalog.fields(resource), self.catalog)
        if select:
            record = {name: record[name] for name in record if name in select}
        if expand:
            record = dict(record)
            for nav in expand:
                record[nav] = self.expanded(mls, snap, row.listing, nav)
        return market.dumps(record)

    def expanded(self, mls, snap, listing, nav):
        """Return the records of navigation property ``nav`` of a listing."""
        if nav == "Media":
            rows = mls.media_for(listing)
            fields = self.catalog.fields("Media")
            if mls.options["expand_max"] is not None:
                rows = rows[:mls.options["expand_max"]]
            if not mls.options["expand_parent_key"]:
                rows = [{k: v for k, v in r.items() if k != "ResourceRecordKey"} for r in rows]
        else:
            rows = snap.open_houses.get(listing.key, [])
            fields = self.catalog.fields("OpenHouse")
        if mls.enum_mode:
            rows = [datagen.to_enum_spelling(r, fields, self.catalog) for r in rows]
        return rows

    @staticmethod
    def fault_values(request, body):
        """Apply the control_chars and bad_char_refs faults to string values of a JSON body."""
        if request.faults.pending("control_chars"):
            replaced = re.sub(rb'("(?:PublicRemarks|ShortDescription|OfficeName|MemberFullName)":")',
                              rb"\1\\u0000\\u0007\\u001b", body)
            if replaced != body and request.faults.use("control_chars"):
                body = replaced
        if request.faults.pending("bad_char_refs"):
            replaced = re.sub(rb'("(?:PublicRemarks|ShortDescription|OfficeName|MemberFullName)":")',
                              rb"\1\\ud800", body)
            if replaced != body and request.faults.use("bad_char_refs"):
                body = replaced
        return body


# --------------------------------------------------------------- helpers

def _oauth_error(status, code, description):
    body = json.dumps({"error": code, "error_description": description}).encode()
    return Response(status, body, "application/json; charset=utf-8", [("Cache-Control", "no-store")],
                    kind="json")


def _check_photos_timestamp(mls, resource, params):
    """Refuse a Property query naming PhotosChangeTimestamp, as servers without it do."""
    if resource != "Property" or mls.options["photos_timestamp_query"] != "reject":
        return
    for option in ("$filter", "$orderby"):
        if "PhotosChangeTimestamp" in _FILTER_LITERAL_RE.sub("''", params.get(option) or ""):
            raise ApiError(400, "BadRequest", "Could not find a property named "
                           "'PhotosChangeTimestamp' on type 'Property'.", option)


def _media_absent(mls, resource):
    """Whether the MLS serves no Media resource (its media come expanded only)."""
    return resource == "Media" and mls.options["media_resource"] == "absent"


def _check_required_filter(mls, resource, filter_text):
    """Refuse a Property request whose $filter names no value of ``required_filter``.

    As MLS Grid, which serves several MLSs from one endpoint and asks every
    request to name one OriginatingSystemName; entity lookups name none.
    """
    field = mls.options["required_filter"]
    if field is None or resource != "Property":
        return
    if filter_text is None or not re.search(r"\b%s\s+eq\s+'" % re.escape(field), filter_text):
        raise ApiError(400, "BadRequest", "Each request must contain a single %s specified in "
                       "the filter criteria of the request" % field, "$filter")


#: String literals of a $filter ('' is a quote inside one)
_FILTER_LITERAL_RE = re.compile(r"'(?:[^']|'')*'")
#: Comparisons (three nodes each: the operator, the property, the constant) and logical operators
_FILTER_COMPARISON_RE = re.compile(r"\b(?:eq|ne|gt|ge|lt|le|has|in)\b")
_FILTER_LOGICAL_RE = re.compile(r"\b(?:and|or|not)\b")


def filter_node_count(filter_text):
    """The nodes of a $filter's tree, as ASP.NET OData counts them against MaxNodeCount.

    An approximation: three per comparison and one per and/or/not, outside
    string literals; function calls and parentheses are not counted.
    """
    text = _FILTER_LITERAL_RE.sub("''", filter_text)
    return 3 * len(_FILTER_COMPARISON_RE.findall(text)) + len(_FILTER_LOGICAL_RE.findall(text))


def _check_filter_nodes(mls, filter_text):
    """Refuse a $filter larger than ``max_filter_nodes``, in ASP.NET OData's words."""
    limit = mls.options["max_filter_nodes"]
    if limit is None or filter_text is None or filter_node_count(filter_text) <= limit:
        return
    raise ApiError(400, "BadRequest", "The node count limit of '%d' has been exceeded. To increase "
                   "the limit, set the 'MaxNodeCount' property on EnableQueryAttribute or "
                   "ODataValidationSettings." % limit, "$filter")


def _non_negative(params, name):
    if name not in params:
        return None
    text = params[name]
    if not text.isdigit():
        raise ApiError(400, "BadRequest", "%s must be a non-negative integer" % name, name)
    return int(text)


def _parse_select(text, fields, key_field):
    if text is None or text.strip() == "*":
        return None
    names = {n.strip() for n in text.split(",") if n.strip()}
    for name in names:
        if name not in fields:
            raise ApiError(400, "BadRequest", "unknown property %r in $select" % name, "$select")
    return [name for name in fields if name in names]


def _parse_expand(text, resource):
    if not text:
        return ()
    allowed = EXPANDABLE.get(resource, {})
    navs = []
    for part in text.split(","):
        part = part.strip()
        if "(" in part:
            raise ApiError(400, "BadRequest", "nested $expand options are not supported", "$expand")
        if part not in allowed:
            raise ApiError(400, "BadRequest", "cannot expand %r on %s" % (part, resource), "$expand")
        navs.append(part)
    return tuple(navs)


def _compile_filter(text, fields, catalog, mls, resource):
    """Return ``(predicate or None, keyset lower bound or None)``."""
    if not text:
        return None, None
    ast = odata.parse_filter(text, hostile.literal_zone(mls))
    compiler = odata.Compiler(fields, catalog, mls.enum_mode, mls.clock_us)
    compiler.display_literals = mls.options["enum_display_literals"]
    predicate = compiler.compile(ast)
    bound = None
    if resource == "Property":
        bound = odata.keyset_lower_bound(ast, "ModificationTimestamp", "ListingKey")
    return predicate, bound


def _take(iterator, predicate, wanted):
    rows = []
    for row in iterator:
        if predicate is None or predicate(row):
            rows.append(row)
            if len(rows) >= wanted:
                break
    return rows


def _row_comparator(order):
    def compare(a, b):
        for field, desc in order:
            va, vb = a.value(field), b.value(field)
            if va == vb:
                continue
            if va is None:
                result = -1
            elif vb is None:
                result = 1
            else:
                result = -1 if va < vb else 1
            return -result if desc else result
        return 0
    return compare


class _TokenRow:
    """Stands for the row a skiptoken points after."""

    def __init__(self, order, values):
        self.values = dict(zip((f for f, _ in order), values))

    def value(self, name):
        return self.values[name]


def _encode_skiptoken(values):
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_skiptoken(token, length):
    if token is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError):
        raise ApiError(400, "BadRequest", "invalid $skiptoken", "$skiptoken") from None
    if not isinstance(values, list) or len(values) != length:
        raise ApiError(400, "BadRequest", "$skiptoken does not match $orderby", "$skiptoken")
    return values


def _next_link(url, params, token):
    kept = [(k, v) for k, v in params if k not in ("$skip", "$skiptoken")]
    kept.append(("$skiptoken", token))
    return url + "?" + urllib.parse.urlencode(kept, quote_via=urllib.parse.quote, safe="$,()'=:")


# -------------------------------------------------------------- $metadata

_EDM = {dd.STRING: "Edm.String", dd.INTEGER: "Edm.Int64", dd.DECIMAL: "Edm.Decimal",
        dd.BOOLEAN: "Edm.Boolean", dd.DATE: "Edm.Date", dd.TIMESTAMP: "Edm.DateTimeOffset"}


def _xml_escape(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def build_metadata(catalog, enum_mode):
    """Return the EDMX document of the served resources."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">',
           '<edmx:DataServices>',
           '<Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="org.reso.metadata">']
    lookups = {}
    for resource, (key, _names) in dd.RESOURCES.items():
        out.append('<EntityType Name="%s">' % resource)
        out.append('<Key><PropertyRef Name="%s"/></Key>' % key)
        for name, field in catalog.fields(resource).items():
            attrs = ""
            if field.is_lookup:
                lookup = field.lookup or name
                lookups[lookup] = datagen.lookup_values(catalog, lookup)
                base = "%s.%s" % (odata.ENUM_NAMESPACE, lookup) if enum_mode else "Edm.String"
                type_name = "Collection(%s)" % base if field.kind == dd.LOOKUP_MULTI else base
            else:
                type_name = _EDM[field.kind]
                if field.kind == dd.STRING and field.length:
                    attrs = ' MaxLength="%d"' % field.length
                elif field.kind == dd.DECIMAL:
                    attrs = ' Precision="%d" Scale="%d"' % (field.length, field.scale)
                elif field.kind == dd.TIMESTAMP:
                    attrs = ' Precision="27"'
            if field.is_lookup and not enum_mode:
                out.append('<Property Name="%s" Type="%s"><Annotation Term="RESO.OData.Metadata.'
                           'LookupName" String="%s"/></Property>' % (name, type_name, field.lookup or name))
            else:
                out.append('<Property Name="%s" Type="%s"%s/>' % (name, type_name, attrs))
        if resource == "Property":
            out.append('<NavigationProperty Name="Media" Type="Collection(org.reso.metadata.Media)"/>')
            out.append('<NavigationProperty Name="OpenHouse" '
                       'Type="Collection(org.reso.metadata.OpenHouse)"/>')
        out.append('</EntityType>')
    out.append('<EntityContainer Name="Default">')
    for resource in dd.RESOURCES:
        if resource == "Property":
            out.append('<EntitySet Name="Property" EntityType="org.reso.metadata.Property">'
                       '<NavigationPropertyBinding Path="Media" Target="Media"/>'
                       '<NavigationPropertyBinding Path="OpenHouse" Target="OpenHouse"/></EntitySet>')
        else:
            out.append('<EntitySet Name="%s" EntityType="org.reso.metadata.%s"/>' % (resource, resource))
    out.append('</EntityContainer>')
    out.append('</Schema>')
    if enum_mode:
        out.append('<Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="%s">'
                   % odata.ENUM_NAMESPACE)
        for lookup in sorted(lookups):
            out.append('<EnumType Name="%s">' % lookup)
            seen = set()
            for value in lookups[lookup]:
                member = catalog.legacy(lookup, value)
                if member in seen:
                    continue
                seen.add(member)
                out.append('<Member Name="%s"><Annotation Term="RESO.OData.Metadata.StandardName" '
                           'String="%s"/></Member>' % (_xml_escape(member), _xml_escape(value)))
            out.append('</EnumType>')
        out.append('</Schema>')
    out.append('</edmx:DataServices>')
    out.append('</edmx:Edmx>')
    return "\n".join(out).encode("utf-8")
