"""Options of the quirky and hostile behaviours real MLS servers show.

Only the option table and its validation live here, so that :mod:`market`
can merge them into its own defaults without importing the behaviours
(:mod:`mlsserver.hostile`, :mod:`mlsserver.listener`), which need
:mod:`market` themselves.  Every default reproduces the server's ordinary
behaviour exactly; README.md ("Quirks and hostile behaviours") describes
each option.
"""

import re

#: Top-level options (reset and configure), with their defaults.
DEFAULTS = {
    "nextlink_paging": "skiptoken",     # or "offset": $skip into the live result set
    "nextlink_self": False,             # nextLink = the URL of the request itself
    "nextlink_host": "self",            # or "listener": nextLinks point at the listener; "https_listener": at it by https; "escaped_del": at host a%7fb; "ftp": at ftp://127.0.0.1
    "nextlink_escapes": "none",         # nextLinks' JSON: "all" escaped, or a bad "nul", "lone_surrogate", "bad_hex"
    "nextlink_raw": False,              # nextLinks' query decoded: raw spaces, quotes, non-ASCII
    "nextlink_form": "absolute",        # or "path" (/a/reso/odata/Property?...), "relative" (Property?...)
    "nextlink_padding": 0,              # a first query parameter pad of that many letters in nextLinks
    "ignore_filter": False,             # $filter is ignored ($orderby and $top are honoured)
    "count_support": True,              # False: $count=true is accepted and ignored (no @odata.count)
    "count_extra": 0,                   # N: @odata.count counts N records more than it serves (hidden from the user)
    "count_param": "accept",            # or "reject": $count=true is answered 400 NotSupported
    "max_top": None,                    # N: a $top above N is answered 400 (ASP.NET OData's MaxTop)
    "max_top_message": "aspnet",        # or "unnumbered": that 400 names no limit
    "filter_ne": "accept",              # or "reject": a $filter with ne is answered 400 NotSupported
    "max_filter_nodes": None,           # N: a $filter of more than N nodes is answered 400 (ASP.NET OData's MaxNodeCount)
    "orderby_param": "accept",          # or "reject": $orderby is answered 400 NotSupported; Property comes oldest first
                                        # ("reject_key_order": ... and in key order)
    "tie_order": "orderby",             # or "reverse_key": ties on the first $orderby term by key, descending
    "entity_key_quotes": "decoded",     # or "literal": Property(%27k%27) is an HTML 404
    "entity_lookup": "yes",             # or "odata_404": every Resource('k') is an OData 404
    "expand_max": None,                 # N: $expand=Media gives at most N items of a listing, unannounced (Bridge: 10)
    "expand_parent_key": True,          # False: expanded Media items carry no ResourceRecordKey
    "media_resource": "serve",          # or "absent": odata/Media answers 404 (media come expanded only)
    "photo_change_modifies": True,      # False: a photo change moves PhotosChangeTimestamp, not ModificationTimestamp (AMPRE, Trestle)
    "photos_timestamp_query": "accept", # or "reject": a $filter or $orderby naming PhotosChangeTimestamp is answered 400 (RETS: a query on it, 20200)
    "required_filter": None,            # a field: Property requests must filter on it (<field> eq '...'), entity lookups refused (MLS Grid)
    "enum_display_literals": "match",   # enum mode, 'Active Under Contract': "no_match" | "reject"
    "escape_non_ascii": False,          # RESO JSON with every non-ASCII character as \\uXXXX
    "token_redirect": False,            # token endpoint answers 307 to the listener
    "token_crlf": False,                # access_token carries "\\r\\nX-Injected: 1"
    "page_redirect": False,             # every odata/ request answers 302 to the listener
    "listener_mode": "ok",              # how the listener answers requests for this MLS
    # data options (reset only)
    "timestamp_storage": "exact",       # or "microseconds": hidden sub-millisecond part
    "emoji_fraction": 0,                # fraction of listings with emoji in PublicRemarks
    "deep_record": 0,                   # levels of [[...]] in X_DeepRemarks of one listing
    "quoted_key": None,                 # a ListingKey (with a quote) given to one listing
    "photo_flood": 0,                   # N photos (Media records, GetObject objects) of one listing
    "non_finite": 0,                    # the first N listings: Latitude NaN, Longitude -Infinity (bare)
    "record_keys": "fixed",             # or "varied": each record's members in an order of its own
    "json_style": "compact",            # or "exotic": every escape, spacing and number form JSON allows
    "reso_timestamps": "utc",           # Property's timestamps in the MLS's zone (rets.timezone): "offset" (-05:00),
                                        # "local" (no zone; a $filter literal without one is read in that zone)
}

#: Options below "rets", with their defaults.
RETS_DEFAULTS = {
    "capability_host": "self",          # or "listener": Login's capability URLs go there
    "capability_query": None,           # a query (raw, spaces and all) on every transaction's URL
    "version_header": None,             # literal RETS-Version response header value
    "login_reply_bytes": 0,             # pad the Login reply to at least this many bytes
    "login_padding": "comment",         # or "info": padding as Info= lines
    "bad_encoding_name": None,          # true or a string: XML encoding and charset bytes
    "sort": "timestamp",                # or "key": Search rows in key order (a capped answer: the lowest keys)
    "max_url_bytes": None,              # N: a request whose target (path and query) passes N bytes is answered 414
    "hidden_keys": [],                  # ListingKeys a Search counts (COUNT) and never sends (hidden from the user)
    "login_session": "lenient",         # or "strict": a Login's UA digest must name no session (not the cookie's)
    "session_cookie": "RETS-Session-ID",  # the cookie that carries the session; another name (JSESSIONID) and no
                                        # RETS-Session-ID is set, so UA digests name no session
    "login_cookie": False,              # Login's 401 challenge sets a cookie its authenticated retry must carry
    "maxrows_marker": "yes",            # or "never": a capped answer says nothing (ReplyCode 0, no MAXROWS)
}

#: Options that change the data, so only /control/reset may set them.
DATA_OPTIONS = ("timestamp_storage", "emoji_fraction", "deep_record", "quoted_key", "photo_flood",
                "non_finite", "record_keys",
                "json_style", "reso_timestamps")

CHOICES = {
    "count_param": ("accept", "reject"),
    "photos_timestamp_query": ("accept", "reject"),
    "media_resource": ("serve", "absent"),
    "filter_ne": ("accept", "reject"),
    "max_top_message": ("aspnet", "unnumbered"),
    "orderby_param": ("accept", "reject", "reject_key_order"),
    "nextlink_paging": ("skiptoken", "offset"),
    "nextlink_host": ("self", "listener", "https_listener", "escaped_del", "ftp"),
    "nextlink_escapes": ("none", "all", "nul", "lone_surrogate", "bad_hex"),
    "nextlink_form": ("absolute", "path", "relative"),
    "tie_order": ("orderby", "reverse_key"),
    "entity_key_quotes": ("decoded", "literal"),
    "entity_lookup": ("yes", "odata_404"),
    "enum_display_literals": ("match", "no_match", "reject"),
    "listener_mode": ("ok", "basic_challenge", "digest_challenge", "endless_get"),
    "timestamp_storage": ("exact", "microseconds"),
    "record_keys": ("fixed", "varied"),
    "json_style": ("compact", "exotic"),
    "reso_timestamps": ("utc", "offset", "local"),
    ("rets", "capability_host"): ("self", "listener"),
    ("rets", "login_padding"): ("comment", "info"),
    ("rets", "sort"): ("timestamp", "key"),
    ("rets", "maxrows_marker"): ("yes", "never"),
    ("rets", "login_session"): ("lenient", "strict"),
}

#: The bytes ``"rets": {"bad_encoding_name": true}`` sends: invalid UTF-8, a quote, a CR.
DEFAULT_BAD_ENCODING = "UTF-8\u00ff\u00fe\"\r"

MAX_DEEP_RECORD = 10_000_000
MAX_PHOTO_FLOOD = 100_000
MAX_LOGIN_REPLY_BYTES = 2_000_000_000


def validate(opts, error):
    """Check the quirk options of a merged option dict; raise ``error(message)``."""
    for name in ("expand_parent_key", "photo_change_modifies", "nextlink_self", "nextlink_raw", "ignore_filter", "count_support", "escape_non_ascii",
                 "token_redirect", "token_crlf", "page_redirect"):
        if not isinstance(opts[name], bool):
            raise error("%s must be true or false" % name)
    padding = opts["nextlink_padding"]
    if isinstance(padding, bool) or not isinstance(padding, int) or not 0 <= padding <= 200_000:
        raise error("nextlink_padding must be an integer from 0 to 200000")
    fraction = opts["emoji_fraction"]
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 <= fraction <= 1:
        raise error("emoji_fraction must be a number from 0 to 1")
    deep = opts["deep_record"]
    if isinstance(deep, bool) or not isinstance(deep, int) or not 0 <= deep <= MAX_DEEP_RECORD:
        raise error("deep_record must be an integer from 0 to %d" % MAX_DEEP_RECORD)
    flood = opts["photo_flood"]
    if isinstance(flood, bool) or not isinstance(flood, int) or not 0 <= flood <= MAX_PHOTO_FLOOD:
        raise error("photo_flood must be an integer from 0 to %d" % MAX_PHOTO_FLOOD)
    max_top = opts["max_top"]
    if max_top is not None and (isinstance(max_top, bool) or not isinstance(max_top, int)
                                or not 1 <= max_top <= 1_000_000):
        raise error("max_top must be null or an integer from 1 to 1000000")
    expand_max = opts["expand_max"]
    if expand_max is not None and (isinstance(expand_max, bool) or not isinstance(expand_max, int)
                                   or not 0 <= expand_max <= 1_000_000):
        raise error("expand_max must be null or an integer from 0 to 1000000")
    extra = opts["count_extra"]
    if isinstance(extra, bool) or not isinstance(extra, int) or not 0 <= extra <= 1_000_000:
        raise error("count_extra must be an integer from 0 to 1000000")
    max_nodes = opts["max_filter_nodes"]
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int)
                                  or not 1 <= max_nodes <= 1_000_000):
        raise error("max_filter_nodes must be null or an integer from 1 to 1000000")
    non_finite = opts["non_finite"]
    if isinstance(non_finite, bool) or not isinstance(non_finite, int) or non_finite < 0:
        raise error("non_finite must be a non-negative integer")
    required = opts["required_filter"]
    if required is not None and not (isinstance(required, str) and re.match(r"^[A-Za-z_]\w{0,127}$", required)):
        raise error("required_filter must be null or a field name")
    key = opts["quoted_key"]
    if key is not None and (not isinstance(key, str) or not key or len(key) > 255
                            or not key.isprintable()):
        raise error("quoted_key must be null or a printable string of 1 to 255 characters")
    rets = opts["rets"]
    padding = rets["login_reply_bytes"]
    if isinstance(padding, bool) or not isinstance(padding, int) \
            or not 0 <= padding <= MAX_LOGIN_REPLY_BYTES:
        raise error("rets.login_reply_bytes must be an integer from 0 to %d" % MAX_LOGIN_REPLY_BYTES)
    query = rets["capability_query"]
    if query is not None and not (isinstance(query, str) and query and query.isprintable()
                                  and "#" not in query):
        raise error("rets.capability_query must be null or a non-empty printable string without #")
    if rets["version_header"] is not None and not _latin1(rets["version_header"]):
        raise error("rets.version_header must be null or a string of characters U+0000..U+00FF")
    max_url = rets["max_url_bytes"]
    if max_url is not None and (isinstance(max_url, bool) or not isinstance(max_url, int)
                                or not 1 <= max_url <= 1_000_000):
        raise error("rets.max_url_bytes must be null or an integer from 1 to 1000000")
    if not (isinstance(rets["session_cookie"], str)
            and re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", rets["session_cookie"])):
        raise error("rets.session_cookie must be a cookie name of 1 to 64 letters, digits, _ . -")
    if not isinstance(rets["login_cookie"], bool):
        raise error("rets.login_cookie must be true or false")
    hidden = rets["hidden_keys"]
    if not (isinstance(hidden, list) and len(hidden) <= 10_000
            and all(isinstance(k, str) and k for k in hidden)):
        raise error("rets.hidden_keys must be a list of at most 10000 non-empty strings")
    bad = rets["bad_encoding_name"]
    if bad is not None and bad is not True and not (isinstance(bad, str) and bad and _latin1(bad)):
        raise error("rets.bad_encoding_name must be null, true or a non-empty string of "
                    "characters U+0000..U+00FF")


def _latin1(text):
    return isinstance(text, str) and all(ord(c) < 256 for c in text)


def bad_encoding_name(rets_options):
    """Return the encoding name ``rets.bad_encoding_name`` asks for, or None."""
    value = rets_options["bad_encoding_name"]
    if value is None:
        return None
    return DEFAULT_BAD_ENCODING if value is True else value
