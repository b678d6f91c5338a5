"""Fault rules, switchable per request pattern.

A rule names a fault kind, a regular expression searched in the request's
path and query (raw, and percent-decoded), optionally an MLS, and how many
matching requests it hits (``count``, -1 = until cleared) after skipping the
first ``after`` matches.  Each layer of the server asks the request's
:class:`FaultContext` whether a fault of a given kind applies at the point
where that fault makes sense; a rule is counted as *fired* only when it
actually changed a response.
"""

import re
import threading

#: Every fault kind and what it does (also served by GET /control/faults).
KINDS = {
    "http_500": "HTTP 500 with an error body, before the request is handled",
    "http_400": "HTTP 400 with an error body (an expired $skiptoken, say), before the request "
                "is handled",
    "http_503": "HTTP 503 (with Retry-After when retry_after is set)",
    "http_429": "HTTP 429 with Retry-After: retry_after (default 1; a string is sent verbatim)",
    "http_404_large": "HTTP 404 with an HTML error page of 200 kB (as a CDN's), before the "
                      "request is handled",
    "slow": "wait `delay` seconds (default 2) before handling the request",
    "reset_mid_body": "send the headers and half the body, then reset the TCP connection",
    "truncated_body": "announce the full Content-Length, send half the body, close cleanly",
    "endless_body": "send a valid start of the body, then padding forever (until the client "
                    "disconnects, `delay` seconds pass (default 600) or the server stops)",
    "empty_page": "RESO collection: a page without records (\"value\": []) and no nextLink, as a "
                  "search backend that timed out answers",
    "malformed_json": "cut a JSON body in half and append an HTML error page",
    "status_header": "add a header line that starts like a status line (\"HTTP/1.1 500 Oops: "
                     "x\") to an answer",
    "json_without_value": "replace a JSON body by a well-formed object without \"value\" "
                          "(a 200 that says the request is throttled)",
    "malformed_xml": "cut an XML body in half and append mismatched tags",
    "latin1_body": "re-encode a text body as ISO-8859-1 and drop the charset from Content-Type "
                   "and the XML declaration",
    "control_chars": "put control characters into string values (JSON: escaped U+0000, U+0007, "
                     "U+001B; RETS: raw bytes 0x01, 0x0B, 0x1B)",
    "bad_char_refs": "put invalid character references into values (JSON: lone surrogate "
                     "\\ud800; RETS: &#0; &#x1; &#xFFFE; &#xD800;)",
    "expired_token": "RESO: answer 401 token expired and revoke the bearer token presented",
    "rets_20037": "RETS: reply 20037 and end the session",
    "expired_session": "RETS: end the session and answer HTTP 401",
    "expired_session_412": "RETS: end the session and answer HTTP 412 Precondition Failed",
    "rets_20022": "RETS Login: reply 20022 while another session of the user is logged in",
    "maxrows_last_page": "RETS Search: add <MAXROWS/> and ReplyCode 20208 to a page that holds "
                         "the last matching record",
    "offset_ignored": "RETS Search: ignore Offset and return rows from the first one",
    "count_without_data": "RETS Search: ReplyCode 0, COUNT and COLUMNS, and no DATA, as servers "
                          "answer now and then",
    "list_rows_repeated": "RETS Search without a ModificationTimestamp range (a list of keys): "
                          "send every row twice",
    "invalid_gzip": "send Content-Encoding: gzip with a body that is not gzip",
    "advance": "apply the rule's `advance` (a POST /control/advance body without mls) to the "
               "rule's MLS (else the request's) before the request is answered",
    "redirect_listener": "answer 302 with Location on the listener (same path and query)",
    "redirect_same": "answer 307 with Location the same URL on this server (a redirect that "
                     "stays on the origin)",
    "bomb_image": "media: a decompression bomb (a PNG of about 100 kB that decodes to 10000 x "
                  "10000 pixels) instead of the photo",
    "truncated_image": "media: the first 40% of the photo, as a complete response",
    "wrong_content_type": "media: an HTML page sent as image/jpeg",
    "redirect_other_host": "media: 302 to the same photo on another host name (localhost)",
    "huge_length": "media: Content-Length of 10 GB, then the photo and padding until the "
                   "client leaves or `delay` seconds pass (default 600)",
}

#: Kinds that replace a media response (app.App.media), in priority order.
MEDIA = ("bomb_image", "truncated_image", "wrong_content_type", "redirect_other_host",
         "huge_length")

#: Keys an ``advance`` rule's ``advance`` object may have.
ADVANCE_KEYS = {"new", "price_cut", "price_raise", "pending", "closed", "expired", "withdrawn",
                "canceled", "back_on_market", "photos_changed", "photo_replaced",
                "photo_removed", "deleted", "restored", "seed", "minutes", "same_timestamp",
                "late_minutes"}

#: Kinds resolved before the handler runs, in priority order.
PRE_HANDLER = ("http_500", "http_400", "http_503", "http_429", "http_404_large", "slow")
#: Kinds that change how the bytes are delivered.
DELIVERY = ("endless_body", "reset_mid_body", "truncated_body")


class FaultError(ValueError):
    """An invalid fault rule."""


class Rule:
    """One fault rule and its counters."""

    def __init__(self, rule_id, spec):
        fault = spec.get("fault")
        if fault not in KINDS:
            raise FaultError("unknown fault %r; known: %s" % (fault, ", ".join(sorted(KINDS))))
        try:
            self.pattern = re.compile(spec.get("path", ""))
        except re.error as exc:
            raise FaultError("bad path regex: %s" % exc) from None
        self.id = rule_id
        self.fault = fault
        self.mls = spec.get("mls")
        self.count = int(spec.get("count", 1))
        self.after = int(spec.get("after", 0))
        self.retry_after = spec.get("retry_after")
        self.delay = spec.get("delay")
        self.advance = _advance_spec(spec) if fault == "advance" else None
        self.matched = 0
        self.fired = 0

    def describe(self):
        """Return the rule as JSON-ready data with its counters."""
        return {"id": self.id, "mls": self.mls, "path": self.pattern.pattern, "fault": self.fault,
                "count": self.count, "after": self.after, "retry_after": self.retry_after,
                "delay": self.delay, "advance": self.advance, "matched": self.matched,
                "fired": self.fired}


def _advance_spec(spec):
    """Validate the ``advance`` object of an advance rule; return it."""
    advance = spec.get("advance")
    if not isinstance(advance, dict):
        raise FaultError("an advance rule needs \"advance\": {...} (a /control/advance body)")
    unknown = set(advance) - ADVANCE_KEYS
    if unknown:
        raise FaultError("unknown advance option(s): %s" % ", ".join(sorted(unknown)))
    for key, value in advance.items():
        if key == "same_timestamp":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
                or (key == "minutes" and value <= 0):
            raise FaultError("advance.%s must be a %s number" % (
                key, "positive" if key == "minutes" else "non-negative"))
    return dict(advance)


class Registry:
    """All fault rules of the server."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []
        self.next_id = 1

    def add(self, spec):
        """Add a rule from its JSON spec; return its description."""
        with self.lock:
            rule = Rule(self.next_id, spec)
            self.next_id += 1
            self.rules.append(rule)
            return rule.describe()

    def clear(self, mls=None):
        """Remove the rules of ``mls`` (all rules when None); return how many."""
        with self.lock:
            before = len(self.rules)
            self.rules = [r for r in self.rules if mls is not None and r.mls != mls]
            return before - len(self.rules)

    def describe(self):
        """Return every rule with its counters."""
        with self.lock:
            return [r.describe() for r in self.rules]

    def context(self, mls, raw_target, decoded_target):
        """Match a request against the rules; return its :class:`FaultContext`."""
        hits = []
        with self.lock:
            for rule in self.rules:
                if rule.mls is not None and rule.mls != mls:
                    continue
                if rule.pattern.search(raw_target) or rule.pattern.search(decoded_target):
                    rule.matched += 1
                    if rule.matched > rule.after:
                        hits.append(rule)
        return FaultContext(self.lock, hits)


class FaultContext:
    """The rules that matched one request, consumed as faults are applied."""

    def __init__(self, lock, rules):
        self.lock = lock
        self.rules = rules
        self.applied = []

    def use(self, kind):
        """Fire a matching rule of ``kind`` if one still has hits left; return it or None."""
        with self.lock:
            for rule in self.rules:
                if rule.fault == kind and (rule.count < 0 or rule.fired < rule.count):
                    rule.fired += 1
                    self.applied.append(kind)
                    return rule
        return None

    @property
    def empty(self):
        """True when no rule matched the request."""
        return not self.rules

    def pending(self, kind):
        """True when a rule of ``kind`` could fire (without firing it)."""
        with self.lock:
            return any(r.fault == kind and (r.count < 0 or r.fired < r.count) for r in self.rules)


NO_FAULTS = FaultContext(threading.Lock(), [])


def apply_body_faults(request, response):
    """Apply the faults that rewrite a finished body (malformed, ISO-8859-1)."""
    body = response.body
    if not body:
        return
    if response.kind == "json" and request.faults.use("malformed_json"):
        body = body[:len(body) // 2] + (b"<!DOCTYPE html><html><head><title>502 Bad Gateway"
                                        b"</title></head><body>upstream error</body></html>")
    if request.faults.use("status_header"):
        response.add_header("HTTP/1.1 500 Oops", "x")
    if response.kind == "json" and request.faults.use("json_without_value"):
        body = b'{"message": "Too many requests, slow down", "retryAfter": 1}'
    if response.kind == "xml" and request.faults.use("malformed_xml"):
        body = body[:len(body) // 2] + b"<DATA>\t&broken\t</COLUMNS>\r\n"
    if response.kind in ("json", "xml", "text") and request.faults.use("latin1_body"):
        body = body.decode("utf-8", "replace").encode("latin-1", "replace")
        body = re.sub(rb'^(<\?xml[^>]*?)\s+encoding="[^"]*"', rb"\1", body)
        response.content_type = re.sub(r";\s*charset=[^;]*", "", response.content_type or "")
    response.body = body
