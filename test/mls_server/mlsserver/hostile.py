"""Quirky and hostile behaviours of real MLS servers, each behind an option.

Every behaviour here is off by default (see :mod:`mlsserver.quirks` for the
options) and hooks into the ordinary server at a few points:

* data: :func:`decorate_generated` and :func:`decorate_advance` finish the
  listings :mod:`market` generates or changes (emoji in PublicRemarks, the
  deeply nested record, the key with a quote, hidden microseconds);
* requests: :func:`before` runs ahead of the RESO/RETS handlers (the
  ``advance`` and ``redirect_listener`` faults, redirects to the listener,
  the HTML 404 for percent-encoded entity keys) and :func:`after` rewrites
  their responses (CRLF in tokens, escaped JSON, capability URLs, the
  RETS-Version header, hostile encoding names, a padded Login reply);
* paging: :func:`next_link` builds every RESO ``@odata.nextLink``.

The listener these options point credentials at is :mod:`mlsserver.listener`.
"""

import hashlib
import json
import random
import re
import urllib.parse
import zlib

from . import dd, market, quirks, timeutil
from .httpcore import Response

#: Generation index of the listing that carries the deeply nested field.
DEEP_INDEX = 0
#: Generation index of the listing that ``photo_flood`` gives its photos.
FLOOD_INDEX = 2
#: Generation index of the listing that ``quoted_key`` renames.
QUOTED_INDEX = 1
#: The extra field of the deep record (not a DD field; RESO only).
DEEP_FIELD = "X_DeepRemarks"

#: Appended to PublicRemarks of an ``emoji_fraction`` of listings: BMP symbols,
#: characters outside the BMP (surrogate pairs when escaped), a ZWJ sequence,
#: a variation selector and accented letters.
EMOJI_SUFFIXES = (
    " \U0001F3E1 Welcome home! \u2728",
    " \U0001F525 Hot deal \u2014 \u00a1Qu\u00e9 bonita!",
    " \U0001F468\u200D\U0001F469\u200D\U0001F467 Family-friendly \U0001F3EB",
    " \u2600\ufe0f Pool & patio \U0001F3CA\u200D\u2640\ufe0f",
)

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CAPABILITY = re.compile(rb"^(Search|GetMetadata|GetObject|Logout)=([^\r\n]*)", re.M)
_ENCODED_QUOTE_KEY = re.compile(r"/odata/[A-Za-z]+\([^)]*%27", re.I)
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'

NOT_FOUND_HTML = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
                  b"<body><h1>Not Found</h1><p>The requested URL was not found on this server."
                  b"</p></body></html>\n")


# ------------------------------------------------------------------ data

class DeepListing(market.Listing):
    """A listing whose served JSON holds a field nested too deep to decode.

    ``json`` (served, hashed by the truth) carries the field; ``plain_json``
    is the same record without it, for the code paths that must decode the
    record ($select, $expand), which would otherwise exceed Python's
    recursion limit.
    """

    __slots__ = ("plain_json",)

    def served(self):
        """Return the record as served, without the deep field."""
        return json.loads(self.plain_json)


def hidden_microseconds(mls, key, mod_us):
    """The sub-millisecond part (1..999 us) a record keeps for one version.

    A version is identified by its served (millisecond) timestamp: every
    change gives a listing a later one.
    """
    tag = "%s:us:%s:%d" % (mls.generator.tag, key, mod_us)
    return 1 + zlib.crc32(tag.encode()) % 999


def _emoji_suffix(mls, key):
    """Return the emoji text a listing's remarks end with, or None."""
    fraction = float(mls.options["emoji_fraction"])
    if not fraction:
        return None
    draw = zlib.crc32(("%s:emoji:%s" % (mls.generator.tag, key)).encode())
    if draw / 2.0 ** 32 >= fraction:
        return None
    return EMOJI_SUFFIXES[draw % len(EMOJI_SUFFIXES)]


def _active(options):
    return (options["quoted_key"] or options["emoji_fraction"] or options["deep_record"]
            or options["photo_flood"] or options["non_finite"]
            or options["timestamp_storage"] != "exact" or options["record_keys"] != "fixed"
            or options["json_style"] != "compact" or options["reso_timestamps"] != "utc")


def _decorate(mls, listing):
    """Apply the data options to one freshly built listing; return the result."""
    opts = mls.options
    record = None
    if opts["quoted_key"] and listing.index == QUOTED_INDEX and listing.key != opts["quoted_key"]:
        record = listing.display()
        record["ListingKey"] = opts["quoted_key"]
    if opts["photo_flood"] and listing.index == FLOOD_INDEX \
            and listing.photos_count != opts["photo_flood"]:
        record = record or listing.display()
        record["PhotosCount"] = opts["photo_flood"]
        record["PhotosChangeTimestamp"] = record["PhotosChangeTimestamp"] \
            or record["ModificationTimestamp"]
    suffix = _emoji_suffix(mls, listing.key if record is None else record["ListingKey"])
    if suffix:
        record = record or listing.display()
        remarks = record["PublicRemarks"] or ""
        if not remarks.endswith(suffix):
            record["PublicRemarks"] = remarks + suffix
    if record is not None:
        listing = market.make_listing(record, mls.catalog, mls.enum_mode, listing.photos_version,
                                      listing.index, listing.photo_revs, listing.property)
    if opts["reso_timestamps"] != "utc":
        listing = _zoned_timestamps(mls, listing, opts["reso_timestamps"])
    if opts["record_keys"] == "varied":
        listing = _varied_keys(mls, listing)
    if opts["json_style"] == "exotic":
        listing = _exotic(listing)
    if opts["deep_record"] and listing.index == DEEP_INDEX:
        listing = _deep(listing, int(opts["deep_record"]))
    if listing.index < opts["non_finite"]:
        listing = _non_finite(listing)
    if opts["timestamp_storage"] == "microseconds":
        listing.mod_us += hidden_microseconds(mls, listing.key, listing.mod_us)
    return listing


def literal_zone(mls):
    """Return the zone a $filter timestamp literal without one is read in.

    A server that writes its timestamps without a zone (``reso_timestamps =
    local``) reads such literals in its own zone; any other reads them in UTC.
    """
    if mls.options["reso_timestamps"] == "local":
        return timeutil.zone(mls.options["rets"]["timezone"])
    return timeutil.UTC


def _zoned_timestamps(mls, listing, form):
    """Return the listing served with its timestamps in the MLS's zone.

    Servers backed by a database of local times write them so: with their
    offset, or (not valid OData, but seen) with no zone at all.  The instants,
    the order of the records and so the truth's decoded record are unchanged;
    the served body, which the truth compares, changes.
    """
    tz = timeutil.zone(mls.options["rets"]["timezone"])
    record = json.loads(listing.json)
    for name, field in mls.catalog.fields("Property").items():
        if field.kind == dd.TIMESTAMP and isinstance(record.get(name), str):
            record[name] = timeutil.reso_timestamp(
                timeutil.parse_instant(record[name])[0], tz, form)
    return _with_body(listing, market.dumps(record))


def _with_body(listing, body, cls=market.Listing):
    """Return a copy of the listing (of class ``cls``) served as ``body``.

    Everything else, the decoded display record included, stays the same;
    the hash the truth compares follows the new body.
    """
    return cls(listing.key, listing.mod_us, listing.status, listing.ptype, listing.listing_id,
               listing.photos_us, listing.photos_count, listing.photos_version, body,
               listing.display_json, hashlib.sha256(body).hexdigest(), listing.index,
               listing.photo_revs, listing.property)


def _varied_keys(mls, listing):
    """Return the listing served with its members in an order of its own.

    Each record's members come in an order drawn from a hash of MLS and
    key; every other record leaves out its null members; every fifth one
    with a price sends "ListPrice" twice, a wrong value first (JSON readers
    keep the last, as PostgreSQL's jsonb and Python do).  The values, and
    so the truth's decoded record, are unchanged but for the null members
    left out.
    """
    items = list(json.loads(listing.json).items())
    random.Random(zlib.crc32(("%s:keys:%s" % (mls.generator.tag, listing.key)).encode())).shuffle(items)
    if listing.index % 2:
        items = [(name, value) for name, value in items if value is not None]
    members = [market.dumps(name) + b":" + market.dumps(value) for name, value in items]
    if listing.index % 5 == 0 and any(name == "ListPrice" and value is not None for name, value in items):
        members.insert(0, b'"ListPrice":-1')
    body = b"{" + b",".join(members) + b"}"
    return _with_body(listing, body)


#: The member ``json_style = exotic`` adds to every record: each kind of JSON value.
EXOTIC_MEMBER = {
    "numbers": [0, -0.0, 1, -17, 0.5, -0.001, 12345678901234567890, 1.5e-7, 6.02e23, 3.0],
    "literals": [True, False, None],
    "empty": ["", {}, [], [[]], {"": {}}],
    "text": "quote \" backslash \\ slash / tab \t newline \n return \r bell \b feed \f "
            "unit \u001f del \u007f caf\u00e9 \u20ac",
    "key \"with\" escapes\n": "value",
}


def _exotic_number(value):
    """Spell a number in one of the other forms JSON allows."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        if value and value % 1000 == 0:
            return "%dE+3" % (value // 1000)
        if value and value % 10 == 0:
            return "%de1" % (value // 10)
        return str(value)
    if value == 0:
        return "-0.0"
    return "%.17e" % value if value != int(value) else "%.1f" % value


def _exotic_string(text):
    """Spell a string with every escape JSON has, and uppercase and lowercase hex."""
    out = []
    for c in text:
        code = ord(c)
        if c in '"\\/':
            out.append("\\" + c)
        elif c in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[c])
        elif code < 0x20 or c == "e":
            out.append("\\u%04x" % code)
        elif code > 0xFFFF:
            code -= 0x10000
            out.append("\\u%04X\\u%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
        elif code > 0x7E:
            out.append("\\u%04X" % code)
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _exotic_json(value, indent=" "):
    """Serialize value with spaces and tabs between its tokens (no line breaks:
    the truth has one record per line)."""
    inner = indent + "\t"
    if isinstance(value, dict):
        if not value:
            return "{ }"
        members = [_exotic_string(k) + " :\t" + _exotic_json(v, inner) for k, v in value.items()]
        return "{" + inner + (inner + ", ").join(members) + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[\t]"
        return "[ " + " ,\t".join(_exotic_json(v, inner) for v in value) + " ]"
    if isinstance(value, str):
        return _exotic_string(value)
    return _exotic_number(value)


def _exotic(listing):
    """Return the listing served with every escape, spacing and number form JSON allows.

    The decoded record is the same but for its numbers' spelling (350000 as
    350E+3, which JSON readers take as the same number) and one more member,
    ``X_Exotic`` (:data:`EXOTIC_MEMBER`).
    """
    record = json.loads(listing.json)
    record["X_Exotic"] = EXOTIC_MEMBER
    body = (" \t" + _exotic_json(record) + "\t ").encode("ascii")
    return _with_body(listing, body)


def _deep(listing, levels):
    """Return a :class:`DeepListing` with ``levels`` nested arrays in :data:`DEEP_FIELD`."""
    # Written as bytes: json.dumps would exceed the recursion limit.
    body = (listing.json[:-1] + b',"' + DEEP_FIELD.encode() + b'":' + b"[" * levels
            + b"]" * levels + b"}")
    deep = _with_body(listing, body, DeepListing)
    deep.plain_json = listing.json
    return deep


class NonFiniteListing(market.Listing):
    """A listing served with numbers JSON has no spelling for.

    ``json`` (served) holds bare ``NaN`` and ``-Infinity``, as Python's json
    module writes a float without a value; ``truth_json`` holds null there,
    what a client that stores the record should keep.
    """

    __slots__ = ("truth_json",)


#: The members ``non_finite`` serves without a JSON value, and their tokens.
NON_FINITE_MEMBERS = {"Latitude": b"NaN", "Longitude": b"-Infinity"}


def _non_finite(listing):
    """Return a :class:`NonFiniteListing` of the listing (see ``non_finite``)."""
    served = json.loads(listing.json)
    truth = dict(served)
    members = []
    for name, value in served.items():
        token = NON_FINITE_MEMBERS.get(name)
        members.append(market.dumps(name) + b":" + (token or market.dumps(value)))
        if token:
            truth[name] = None
    nonfinite = _with_body(listing, b"{" + b",".join(members) + b"}", NonFiniteListing)
    nonfinite.truth_json = market.dumps(truth)
    return nonfinite


def decorate_generated(mls, generated):
    """Finish generated ``[(Listing, open houses)]`` per the data options."""
    if not _active(mls.options):
        return generated
    return [(_decorate(mls, listing), houses) for listing, houses in generated]


def decorate_advance(mls, listings, changed):
    """Finish the listings an advance created or changed (``listings`` is updated)."""
    if not _active(mls.options):
        return
    for kind, keys in changed.items():
        if kind == "deleted":
            continue
        for key in keys:
            listings[key] = _decorate(mls, listings[key])


def special_keys(mls):
    """Return the keys of the deep record and of the quoted-key listing (or None)."""
    opts = mls.options
    return {
        "deep_record": mls.generator.listing_key(DEEP_INDEX) if opts["deep_record"] else None,
        "quoted_key": opts["quoted_key"],
        "photo_flood": mls.generator.listing_key(FLOOD_INDEX) if opts["photo_flood"] else None,
    }


def describe(mls, description):
    """Add the listener URL and the special keys to an MLS description."""
    description["urls"]["listener"] = getattr(mls, "listener_url", None)
    description["special_keys"] = special_keys(mls)
    return description


# -------------------------------------------------------------- requests

def listener_url(mls):
    """The listener's base URL (``http://127.0.0.1:PORT``) for an MLS."""
    url = getattr(mls, "listener_url", None)
    if not url:
        raise RuntimeError("the listener is not running")
    return url


def redirect(url, status):
    """Return a redirect to ``url``."""
    reason = {302: "Found", 307: "Temporary Redirect"}[status]
    body = ("<html><head><title>%d %s</title></head><body><a href=\"%s\">%s</a></body></html>\n"
            % (status, reason, url, reason)).encode()
    return Response(status, body, "text/html; charset=utf-8", [("Location", url)], kind="text")


def before(app, request, mls, rest):
    """Run ahead of the RESO/RETS/media handlers; return a response that replaces them, or None."""
    _advance_fault(app, request, mls)
    if request.faults.use("redirect_listener"):
        return redirect(app.listener.url + request.target, 302)
    if request.faults.use("redirect_same"):
        return redirect(app.base_url + request.target, 307)
    if mls is None or request.kind != "reso":
        return None
    opts = mls.options
    if rest == "oauth/token":
        if opts["token_redirect"]:
            return redirect(listener_url(mls) + request.target, 307)
        return None
    if opts["page_redirect"]:
        return redirect(listener_url(mls) + request.target, 302)
    if opts["entity_key_quotes"] == "literal" and _ENCODED_QUOTE_KEY.search(request.raw_path):
        # A front end that does not decode %27 finds no such path: a generic page.
        return Response(404, NOT_FOUND_HTML, "text/html; charset=iso-8859-1", kind="text")
    return None


def _advance_fault(app, request, mls):
    """Fire one ``advance`` fault: move the rule's MLS (else the request's) forward."""
    rule = request.faults.use("advance")
    if rule is None:
        return
    target = app.mlss.get(rule.mls) if rule.mls else mls
    if target is None:
        request.log_extra["advanced"] = {"error": "no MLS to advance"}
        return
    try:
        result = target.advance(dict(rule.advance or {}))
    except market.ConfigError as exc:
        request.log_extra["advanced"] = {"mls": target.name, "error": str(exc)}
        return
    request.log_extra["advanced"] = {
        "mls": target.name, "clock": result["clock"],
        "changed": {kind: keys for kind, keys in result["changed"].items() if keys}}


def after(app, request, mls, rest, response):
    """Rewrite a handler's response per the MLS's options."""
    if mls is None:
        return
    if request.kind == "reso":
        _after_reso(mls, rest, response)
    elif request.kind == "rets":
        _after_rets(mls, rest, response)


def _after_reso(mls, rest, response):
    opts = mls.options
    if rest == "oauth/token" and response.status == 200 and opts["token_crlf"]:
        _inject_crlf_token(mls, response)
    if opts["escape_non_ascii"] and response.kind == "json" and response.body:
        response.body = escape_non_ascii(response.body)
        response.cache_key = None       # its cached gzip form is of the unescaped body


def _inject_crlf_token(mls, response):
    """Issue the token with a CRLF and a header line appended.

    The part before the CR stays valid too, so a client that writes the
    token verbatim into its Authorization header goes on working while every
    request carries the injected ``X-Injected: 1`` line.
    """
    payload = json.loads(response.body)
    plain = payload["access_token"]
    hostile_token = plain + "\r\nX-Injected: 1"
    with mls.auth_lock:
        expiry = mls.tokens.get(plain)
        if expiry is not None:
            mls.tokens[hostile_token] = expiry
    payload["access_token"] = hostile_token
    response.body = json.dumps(payload).encode()


def escape_non_ascii(body):
    """Return a UTF-8 JSON body with every non-ASCII character as ``\\uXXXX`` (pairs above the BMP)."""
    return _NON_ASCII.sub(_escape_char, body.decode("utf-8")).encode("ascii")


def _escape_char(match):
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return "\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
    return "\\u%04x" % code


def _after_rets(mls, rest, response):
    opts = mls.options["rets"]
    login = rest.strip("/").lower() == "login" and response.status == 200 \
        and b"<RETS-RESPONSE>" in response.body
    if login and opts["capability_host"] == "listener":
        base = listener_url(mls)

        def to_listener(match):
            parts = urllib.parse.urlsplit(match.group(2).decode("latin-1"))
            target = parts.path + ("?" + parts.query if parts.query else "")
            return match.group(1) + b"=" + (base + target).encode("latin-1")
        response.body = _CAPABILITY.sub(to_listener, response.body)
    if opts["version_header"] is not None:
        response.headers = [(name, opts["version_header"] if name == "RETS-Version" else value)
                            for name, value in response.headers]
    name = quirks.bad_encoding_name(opts)
    if name is not None and (response.content_type or "").startswith("text/xml"):
        # Written byte for byte (latin-1): 0xFF 0xFE are not UTF-8, the quote and
        # the CR break the declaration and the header.
        response.content_type = "text/xml; charset=%s" % name
        if response.body.startswith(_XML_DECLARATION):
            response.body = (b'<?xml version="1.0" encoding="' + name.encode("latin-1") + b'"?>'
                             + response.body[len(_XML_DECLARATION):])
    if login and opts["login_reply_bytes"]:
        _pad_login(response, int(opts["login_reply_bytes"]), opts["login_padding"])


def _pad_login(response, wanted, style):
    """Stream the Login reply padded to at least ``wanted`` bytes (never held whole)."""
    body = response.body
    cut = body.index(b"</RETS-RESPONSE>")
    head, tail = body[:cut], body[cut:]
    if style == "comment":
        opening, closing = b"<!-- padding\r\n", b"-->\r\n"
        line = b"x" * 1022 + b"\r\n"
    else:
        opening = closing = b""
        line = b"Info=X-Padding;Character;" + b"x" * 997 + b"\r\n"
    fixed = len(head) + len(opening) + len(closing) + len(tail)
    lines = max(0, -(-(wanted - fixed) // len(line)))
    block_lines = 1024

    def pieces():
        yield head + opening
        left = lines
        block = line * block_lines
        while left >= block_lines:
            yield block
            left -= block_lines
        if left:
            yield line * left
        yield closing + tail

    response.body = b""
    response.stream = pieces()
    response.stream_length = fixed + lines * len(line)
    response.compress = False


def cache_tag(mls, request):
    """What, besides the query, decides a RESO page's bytes (part of its cache key)."""
    opts = mls.options
    return (opts["nextlink_paging"], opts["nextlink_host"], opts["nextlink_escapes"], opts["nextlink_raw"],
            opts["nextlink_form"], opts["nextlink_padding"], opts["ignore_filter"],
            opts["enum_display_literals"], getattr(mls, "listener_url", None),
            request.target if opts["nextlink_self"] else None)


#: Where ``"nextlink_host": "escaped_del"`` points: a host whose escape decodes to
#: DEL, which no request line can carry (a URL parser decodes a host's escapes).
ESCAPED_DEL_HOST = "http://a%7fb"

#: Where ``"nextlink_host": "ftp"`` points: a scheme a web API has no business sending.
FTP_HOST = "ftp://127.0.0.1"

#: What ``nextlink_escapes`` puts before the query of a link: escapes no URL can hold.
BAD_LINK_ESCAPES = {"nul": "\\u0000", "lone_surrogate": "\\ud800", "bad_hex": "\\u00zz"}


def next_link_json(mls, link):
    """Return the JSON string of a page's ``@odata.nextLink``, as ``nextlink_escapes`` writes it.

    ``all``: every character as a \\u escape (UTF-16 code units, so a character past
    U+FFFF as a surrogate pair), which decodes to the same link, as servers whose JSON
    encoders escape far more than JSON requires write theirs; ``nul``, ``lone_surrogate``
    and ``bad_hex``: an escape no URL can hold before the query.
    """
    mode = mls.options["nextlink_escapes"]
    if mode == "none":
        return json.dumps(link).encode()
    if mode == "all":
        units = link.encode("utf-16-be")
        return b'"' + b"".join(b"\\u%02x%02x" % (units[i], units[i + 1])
                               for i in range(0, len(units), 2)) + b'"'
    text = json.dumps(link)
    cut = text.find("?")
    if cut < 0:
        cut = len(text) - 1
    return (text[:cut] + BAD_LINK_ESCAPES[mode] + text[cut:]).encode()


def next_link(mls, request, url, rows, more, skip, skiptoken_link):
    """Return the ``@odata.nextLink`` of a RESO page, or None.

    ``url`` is the collection's absolute URL, ``rows`` the page's rows,
    ``more`` whether rows follow, ``skip`` the request's ``$skip`` and
    ``skiptoken_link()`` the ordinary exact keyset link.
    """
    opts = mls.options
    if not opts["nextlink"]:
        return None
    if opts["nextlink_self"]:
        link = mls.base_url + request.target
    elif not (more and rows):
        return None
    elif opts["nextlink_paging"] == "offset":
        kept = [(k, v) for k, v in request.params if k not in ("$skip", "$skiptoken")]
        kept.append(("$skip", str(skip + len(rows))))
        link = url + "?" + urllib.parse.urlencode(kept, quote_via=urllib.parse.quote,
                                                  safe="$,()'=:")
    else:
        link = skiptoken_link()
    if opts["nextlink_host"] == "listener":
        link = listener_url(mls) + link[len(mls.base_url):]
    elif opts["nextlink_host"] == "https_listener":
        link = listener_url(mls).replace("http://", "https://", 1) + link[len(mls.base_url):]
    elif opts["nextlink_host"] == "escaped_del":
        link = ESCAPED_DEL_HOST + link[len(mls.base_url):]
    elif opts["nextlink_host"] == "ftp":
        link = FTP_HOST + link[len(mls.base_url):]
    if opts["nextlink_padding"] and "?" in link:
        cut = link.index("?") + 1
        link = link[:cut] + "pad=" + "a" * opts["nextlink_padding"] + "&" + link[cut:]
    if opts["nextlink_raw"]:
        link = raw_link(link)
    return relative_link(link, opts["nextlink_form"])


def relative_link(link, form):
    """Return ``link`` as ``nextlink_form`` writes it: ``absolute`` as it is, ``path``
    without scheme and host, ``relative`` as its last path segment and query (resolved
    against the request URL, or the context URL: the same collection either way)."""
    if form == "absolute":
        return link
    parts = urllib.parse.urlsplit(link)
    query = "?" + parts.query if parts.query else ""
    if form == "path":
        return parts.path + query
    return parts.path.rsplit("/", 1)[-1] + query


#: What ``nextlink_raw`` still escapes: what would break the query's structure.
_RAW_KEEP_ESCAPED = {"&": "%26", "#": "%23"}


def raw_link(link):
    """Return ``link`` with its query decoded, as servers that echo the decoded request write it.

    Spaces, quotes, plus and percent signs and non-ASCII characters appear as themselves
    (an IRI, not a URI: a client that sends the ``+`` back as it is has it read as a
    space); only ``&`` and ``#`` stay escaped, so the query keeps its parameters.
    """
    url, mark, query = link.partition("?")
    if not mark:
        return link

    def raw(text):
        return "".join(_RAW_KEEP_ESCAPED.get(c, c) for c in urllib.parse.unquote(text))

    pairs = []
    for item in query.split("&"):
        name, eq, value = item.partition("=")
        pairs.append(raw(name) + eq + raw(value))
    return url + "?" + "&".join(pairs)
