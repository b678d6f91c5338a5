"""OData 4 ``$filter`` and ``$orderby`` for the RESO Web API.

Supported: ``eq ne gt ge lt le``, ``and or not``, parentheses, ``in``,
``contains/startswith/endswith``, ``now()``, lambda ``any`` on multi-valued
lookups (``Appliances/any(a:a eq 'Dishwasher')``), literals for strings (with
``''`` escapes), numbers, booleans, ``null``, dates, date-times with any
fractional precision and ``Z`` or ``+hh:mm``, and enum literals
(``Namespace.Type'Member'``).  Anything else raises :class:`ODataError`,
which the caller turns into a 400 OData error body.

Rows are any object with ``value(field_name)`` returning the typed value:
``int`` microseconds for timestamps, ``str`` dates (``YYYY-MM-DD``),
numbers, booleans, display-spelled lookups, lists for multi-valued lookups.
"""

import re

from . import dd, timeutil

ENUM_NAMESPACE = "org.reso.metadata.enums"
#: Prefix of a lookup literal that can equal no stored value (``enum_display_literals``).
NO_MATCH_PREFIX = "\x00no-such-member:"


class ODataError(ValueError):
    """An unsupported or malformed query option (HTTP 400)."""

    def __init__(self, message, target=None):
        super().__init__(message)
        self.target = target


_TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|z|[+-]\d{2}:\d{2})?)
  | (?P<date>\d{4}-\d{2}-\d{2})
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<enum>[A-Za-z_][\w.]*'(?:[^']|'')*')
  | (?P<string>'(?:[^']|'')*')
  | (?P<ident>[A-Za-z_][\w]*(?:/[A-Za-z_][\w]*)*)
  | (?P<punct>[(),:])
""", re.VERBOSE)

_COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"contains", "startswith", "endswith"}


def _tokenize(text):
    tokens = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise ODataError("cannot parse $filter at position %d: %r" % (pos, text[pos:pos + 20]),
                             "$filter")
        pos = m.end()
        kind = m.lastgroup
        if kind != "ws":
            tokens.append((kind, m.group()))
    tokens.append(("end", ""))
    return tokens


class _Parser:
    """Recursive-descent parser producing a tuple AST."""

    def __init__(self, text, zone=timeutil.UTC):
        self.tokens = _tokenize(text)
        self.pos = 0
        self.zone = zone

    def peek(self, offset=0):
        return self.tokens[self.pos + offset]

    def take(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind, text=None):
        tok = self.take()
        if tok[0] != kind or (text is not None and tok[1] != text):
            raise ODataError("expected %s in $filter, found %r" % (text or kind, tok[1]), "$filter")
        return tok

    def is_word(self, word):
        tok = self.peek()
        return tok[0] == "ident" and tok[1] == word

    def parse(self):
        node = self.parse_or()
        if self.peek()[0] != "end":
            raise ODataError("unexpected %r in $filter" % self.peek()[1], "$filter")
        return node

    def parse_or(self):
        node = self.parse_and()
        while self.is_word("or"):
            self.take()
            node = ("or", node, self.parse_and())
        return node

    def parse_and(self):
        node = self.parse_not()
        while self.is_word("and"):
            self.take()
            node = ("and", node, self.parse_not())
        return node

    def parse_not(self):
        if self.is_word("not"):
            self.take()
            return ("not", self.parse_not())
        return self.parse_primary()

    def parse_primary(self):
        tok = self.peek()
        if tok == ("punct", "("):
            self.take()
            node = self.parse_or()
            self.expect("punct", ")")
            return node
        if tok[0] == "ident" and tok[1] in _FUNCTIONS and self.peek(1) == ("punct", "("):
            self.take()
            self.expect("punct", "(")
            field = self.expect("ident")[1]
            self.expect("punct", ",")
            literal = self.parse_literal()
            self.expect("punct", ")")
            return ("func", tok[1], field, literal)
        if tok[0] != "ident":
            raise ODataError("expected a property name in $filter, found %r" % tok[1], "$filter")
        field = self.take()[1]
        if "/" in field:
            return self.parse_lambda(field)
        op = self.take()
        if op[0] == "ident" and op[1] == "in":
            self.expect("punct", "(")
            items = [self.parse_literal()]
            while self.peek() == ("punct", ","):
                self.take()
                items.append(self.parse_literal())
            self.expect("punct", ")")
            return ("in", field, items)
        if op[0] != "ident" or op[1] not in _COMPARISONS:
            raise ODataError("unsupported operator %r in $filter" % op[1], "$filter")
        return ("cmp", op[1], field, self.parse_literal())

    def parse_lambda(self, path):
        field, _, func = path.partition("/")
        if func != "any":
            raise ODataError("only the any() lambda is supported", "$filter")
        self.expect("punct", "(")
        var = self.expect("ident")[1]
        self.expect("punct", ":")
        if self.take() != ("ident", var):
            raise ODataError("lambda body must compare the range variable %r" % var, "$filter")
        op = self.expect("ident")[1]
        if op not in ("eq", "ne"):
            raise ODataError("any() supports eq and ne only", "$filter")
        literal = self.parse_literal()
        self.expect("punct", ")")
        return ("any", field, op, literal)

    def parse_literal(self):
        kind, text = self.take()
        if kind == "string":
            return ("string", text[1:-1].replace("''", "'"))
        if kind == "number":
            return ("number", float(text) if any(c in text for c in ".eE") else int(text))
        if kind == "datetime":
            try:
                return ("datetime", timeutil.parse_instant(text, self.zone))
            except timeutil.TimeFormatError as exc:
                raise ODataError(str(exc), "$filter") from None
        if kind == "date":
            try:
                return ("date", timeutil.parse_date(text))
            except timeutil.TimeFormatError as exc:
                raise ODataError(str(exc), "$filter") from None
        if kind == "enum":
            type_name, _, member = text.partition("'")
            return ("enum", type_name, member[:-1].replace("''", "'"))
        if kind == "ident":
            if text in ("true", "false"):
                return ("bool", text == "true")
            if text == "null":
                return ("null", None)
            if text == "now" and self.peek() == ("punct", "("):
                self.take()
                self.expect("punct", ")")
                return ("now", None)
        raise ODataError("expected a literal in $filter, found %r" % text, "$filter")


def parse_filter(text, zone=timeutil.UTC):
    """Parse a ``$filter`` expression into an AST of tuples.

    A timestamp literal without a zone is read in ``zone``.
    """
    return _Parser(text, zone).parse()


class Compiler:
    """Turns a filter AST into a predicate over rows of one resource.

    ``fields`` is the resource's ``{name: dd.Field}``; ``enum_mode`` says
    whether the MLS spells lookups as EnumType members, ``catalog`` converts
    spellings and ``now_us`` is the MLS clock for ``now()``.
    """

    def __init__(self, fields, catalog, enum_mode, now_us):
        self.fields = fields
        self.catalog = catalog
        self.enum_mode = enum_mode
        self.now_us = now_us
        #: Enum mode, a string literal in display spelling ('Active Under Contract'):
        #: "match" it, "no_match" (as a server storing 'ActiveUnderContract') or "reject" (400).
        self.display_literals = "match"

    def field(self, name):
        field = self.fields.get(name)
        if field is None:
            raise ODataError("unknown property %r in $filter" % name, "$filter")
        return field

    def compile(self, node):
        kind = node[0]
        if kind == "or":
            left, right = self.compile(node[1]), self.compile(node[2])
            return lambda row: left(row) or right(row)
        if kind == "and":
            left, right = self.compile(node[1]), self.compile(node[2])
            return lambda row: left(row) and right(row)
        if kind == "not":
            inner = self.compile(node[1])
            return lambda row: not inner(row)
        if kind == "cmp":
            return self.comparison(node[1], self.field(node[2]), node[3])
        if kind == "in":
            field = self.field(node[1])
            tests = [self.comparison("eq", field, lit) for lit in node[2]]
            return lambda row: any(t(row) for t in tests)
        if kind == "func":
            return self.function(node[1], self.field(node[2]), node[3])
        if kind == "any":
            return self.lambda_any(self.field(node[1]), node[2], node[3])
        raise ODataError("unsupported $filter construct", "$filter")

    def lookup_value(self, field, literal):
        """Return the display spelling that a literal names for a lookup field."""
        kind, value = literal[0], literal[-1]
        if kind == "null":
            return None
        if kind == "enum":
            if not self.enum_mode:
                raise ODataError("this server uses string lookups; compare %s with a quoted "
                                 "string" % field.name, "$filter")
            return self.catalog.display(field.lookup or field.name, value) or value
        if kind != "string":
            raise ODataError("%s is a lookup; compare it with a string" % field.name, "$filter")
        if self.enum_mode:
            lookup = field.lookup or field.name
            display = self.catalog.display(lookup, value)
            if display is None and self.display_literals != "match":
                if self.catalog.legacy(lookup, value) == value:
                    # An enum name the DD does not list (open lookups: 'RoundRock').
                    return EnumName(self.catalog, lookup, value)
                if self.display_literals == "reject":
                    raise ODataError("%r is not a member of %s; use its enum spelling %r"
                                     % (value, lookup, self.catalog.legacy(lookup, value)), "$filter")
                return NO_MATCH_PREFIX + value     # equals no stored value
            return display or value
        return value

    def typed_literal(self, field, literal):
        """Return ``(value, inexact)`` of a literal for comparison with ``field``."""
        kind = literal[0]
        if kind == "null":
            return None, False
        if field.kind == dd.TIMESTAMP:
            if kind == "datetime":
                return literal[1]
            if kind == "now":
                return self.now_us, False
        elif field.kind == dd.DATE:
            if kind == "date":
                return literal[1], False
        elif field.kind in (dd.INTEGER, dd.DECIMAL):
            if kind == "number":
                return literal[1], False
        elif field.kind == dd.BOOLEAN:
            if kind == "bool":
                return literal[1], False
        elif field.kind == dd.STRING:
            if kind == "string":
                return literal[1], False
        elif field.kind == dd.LOOKUP:
            return self.lookup_value(field, literal), False
        raise ODataError("cannot compare %s (%s) with literal %r" % (field.name, field.kind, literal[-1]),
                         "$filter")

    def comparison(self, op, field, literal):
        if field.kind == dd.LOOKUP_MULTI:
            raise ODataError("%s is multi-valued; use %s/any(x: x eq '...')" % (field.name, field.name),
                             "$filter")
        value, inexact = self.typed_literal(field, literal)
        name = field.name
        if value is None:
            if op == "eq":
                return lambda row: row.value(name) is None
            if op == "ne":
                return lambda row: row.value(name) is not None
            raise ODataError("null can only be compared with eq or ne", "$filter")
        if inexact:
            # The literal lies strictly between value and value+1 microsecond.
            op = {"gt": "gt", "ge": "gt", "lt": "le", "le": "le", "eq": "never", "ne": "always"}[op]
        return _COMPARATORS[op](name, value)

    def function(self, func, field, literal):
        if field.kind not in (dd.STRING, dd.LOOKUP) or literal[0] != "string":
            raise ODataError("%s() needs a string property and a string literal" % func, "$filter")
        needle = literal[1]
        name = field.name
        method = {"contains": str.__contains__, "startswith": str.startswith,
                  "endswith": str.endswith}[func]

        def test(row):
            value = row.value(name)
            return value is not None and method(value, needle)
        return test

    def lambda_any(self, field, op, literal):
        if field.kind != dd.LOOKUP_MULTI:
            raise ODataError("any() needs a multi-valued lookup, not %s" % field.name, "$filter")
        value = self.lookup_value(field, literal)
        name = field.name
        if op == "eq":
            return lambda row: value in (row.value(name) or ())
        return lambda row: any(v != value for v in (row.value(name) or ()))


class EnumName:
    """A lookup literal compared with display-spelled values by their enum spelling.

    Used when the server behaves as one that stores enum names
    (``enum_display_literals`` other than "match"): ``'RoundRock'`` equals the
    stored "Round Rock".  Python tries the reflected comparison of this
    object when a ``str`` meets it, so ``row_value == literal`` works.
    """

    __hash__ = None

    def __init__(self, catalog, lookup, name):
        self.catalog = catalog
        self.lookup = lookup
        self.name = name

    def _spelled(self, other):
        return self.catalog.legacy(self.lookup, other) if isinstance(other, str) else None

    def __eq__(self, other):
        return self._spelled(other) == self.name

    def __ne__(self, other):
        return not self.__eq__(other)

    def __lt__(self, other):
        spelled = self._spelled(other)
        return spelled is not None and self.name < spelled

    def __le__(self, other):
        spelled = self._spelled(other)
        return spelled is not None and self.name <= spelled

    def __gt__(self, other):
        spelled = self._spelled(other)
        return spelled is not None and self.name > spelled

    def __ge__(self, other):
        spelled = self._spelled(other)
        return spelled is not None and self.name >= spelled


def _cmp(name, value, test):
    def predicate(row):
        v = row.value(name)
        return v is not None and test(v, value)
    return predicate


_COMPARATORS = {
    "eq": lambda n, v: _cmp(n, v, lambda a, b: a == b),
    "ne": lambda n, v: (lambda row: row.value(n) != v),
    "gt": lambda n, v: _cmp(n, v, lambda a, b: a > b),
    "ge": lambda n, v: _cmp(n, v, lambda a, b: a >= b),
    "lt": lambda n, v: _cmp(n, v, lambda a, b: a < b),
    "le": lambda n, v: _cmp(n, v, lambda a, b: a <= b),
    "never": lambda n, v: (lambda row: False),
    "always": lambda n, v: (lambda row: True),
}


def keyset_lower_bound(node, ts_field, key_field):
    """Return the smallest ``(ts_us, key)`` a matching row can have, or None.

    Sound for the keyset replication filter and its variants:
    ``ts gt X``, ``ts ge X``, ``ts eq X and key gt 'K'`` combined with
    ``and``/``or``.  ``key`` of the result is ``None`` for "any key" and the
    bound is exclusive when the third item is True.  Rows below the bound
    cannot match, so a scan in ``(ts, key)`` order may start there.
    """
    kind = node[0]
    if kind == "cmp" and node[2] == ts_field and node[3][0] == "datetime":
        us, inexact = node[3][1]
        if node[1] == "gt" or (node[1] == "ge" and inexact):
            return (us, None, True)        # after every row at ``us``
        if node[1] in ("ge", "eq"):
            return (us, None, False)
        return None
    if kind == "and":
        left = keyset_lower_bound(node[1], ts_field, key_field)
        right = keyset_lower_bound(node[2], ts_field, key_field)
        eq_key = _eq_ts_and_key_gt(node, ts_field, key_field)
        if eq_key is not None:
            return eq_key
        candidates = [b for b in (left, right) if b is not None]
        return max(candidates, key=_bound_order) if candidates else None
    if kind == "or":
        left = keyset_lower_bound(node[1], ts_field, key_field)
        right = keyset_lower_bound(node[2], ts_field, key_field)
        if left is None or right is None:
            return None
        return min((left, right), key=_bound_order)
    return None


def _eq_ts_and_key_gt(node, ts_field, key_field):
    """Recognise ``ts eq X and key gt 'K'`` (either order) as bound (X, K, exclusive)."""
    parts = [node[1], node[2]]
    ts_part = next((p for p in parts if p[0] == "cmp" and p[1] == "eq" and p[2] == ts_field
                    and p[3][0] == "datetime" and not p[3][1][1]), None)
    key_part = next((p for p in parts if p[0] == "cmp" and p[1] in ("gt", "ge")
                     and p[2] == key_field and p[3][0] == "string"), None)
    if ts_part is None or key_part is None:
        return None
    return (ts_part[3][1][0], key_part[3][1], key_part[1] == "gt")


def later_bound(a, b):
    """Return whichever of two keyset bounds starts a (ts, key) scan later."""
    return max((a, b), key=_bound_order)


def _bound_order(bound):
    """Order bounds by the position they start a (ts, key) scan at."""
    us, key, exclusive = bound
    if key is None:
        return (us, 1 if exclusive else 0, "")
    return (us, 0, key + ("\0" if exclusive else ""))


def parse_orderby(text, fields):
    """Parse ``$orderby`` into ``[(field_name, descending), ...]``."""
    result = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise ODataError("cannot parse $orderby item %r" % part.strip(), "$orderby")
        if words[0] not in fields:
            raise ODataError("unknown property %r in $orderby" % words[0], "$orderby")
        if fields[words[0]].kind == dd.LOOKUP_MULTI:
            raise ODataError("cannot order by multi-valued %s" % words[0], "$orderby")
        result.append((words[0], len(words) == 2 and words[1] == "desc"))
    return result
