"""DMQL2 queries: the subset real replication uses, parsed and evaluated.

Grammar (RCP-8 subset)::

    query     := and-list { ("|" | "OR") and-list }
    and-list  := unary { ("," | "AND") unary }
    unary     := ("~" | "NOT") unary | "(" condition ")" | "(" query ")"
    condition := field "=" values

Values by field type:

* numbers, dates, date-times: comma lists of ``v``, ``v+`` (>=), ``v-`` (<=)
  and ``v1-v2`` (inclusive); dates ``YYYY-MM-DD`` and ``TODAY``; date-times
  ``YYYY-MM-DDThh:mm[:ss[.fff]]`` with an optional ``Z``/``+hh:mm`` (without
  one, the server's time zone), ``NOW``, or a bare date (the whole day);
* lookups: ``|A,B`` any of, ``+A,B`` all of, ``~A,B`` none of, bare ``A,B``
  any of; the values are lookup codes (Value), as in COMPACT;
* characters: comma lists of exact values, ``abc*`` starts with, ``*abc*``
  contains, ``a?c`` single-character wildcard, ``"quoted"`` literals;
* booleans: ``1``/``0``, ``Y``/``N``, ``true``/``false``;
* any field: ``.ANY.`` (not empty) and ``.EMPTY.``.

Rows give values through ``row.value(standard_name)`` in RESO form (see
:mod:`mlsserver.odata`), lookups spelled as display values.
"""

import re

from . import dd, timeutil

SYNTAX = 20206
UNKNOWN_FIELD = 20200

_NUMBER = r"-?\d+(?:\.\d+)?"
_DATE = r"\d{4}-\d{2}-\d{2}|TODAY"
_DATETIME = (r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?"
             r"|NOW|TODAY")


def _range_re(atom):
    return re.compile(r"^(?P<a>%s)(?:(?P<plus>\+)|(?P<minus>-)(?P<b>%s)?)?$" % (atom, atom))


_NUMBER_RANGE = _range_re(_NUMBER)
_DATE_RANGE = _range_re(_DATE)
_DATETIME_RANGE = _range_re(_DATETIME)


class DmqlError(ValueError):
    """A query the server rejects, with its RETS reply code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class _Parser:
    def __init__(self, text):
        self.s = text
        self.i = 0

    def error(self, message):
        raise DmqlError(SYNTAX, "Invalid Query Syntax: %s at position %d" % (message, self.i))

    def ws(self):
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def keyword(self, word):
        self.ws()
        end = self.i + len(word)
        if self.s[self.i:end].upper() == word and (end >= len(self.s) or self.s[end] in " \t(~"):
            self.i = end
            return True
        return False

    def char(self, c):
        self.ws()
        if self.s.startswith(c, self.i):
            self.i += 1
            return True
        return False

    def parse(self):
        node = self.query()
        self.ws()
        if self.i != len(self.s):
            self.error("unexpected %r" % self.s[self.i:self.i + 10])
        return node

    def query(self):
        nodes = [self.and_list()]
        while self.char("|") or self.keyword("OR"):
            nodes.append(self.and_list())
        return nodes[0] if len(nodes) == 1 else ("or", nodes)

    def and_list(self):
        nodes = [self.unary()]
        while self.char(",") or self.keyword("AND"):
            nodes.append(self.unary())
        return nodes[0] if len(nodes) == 1 else ("and", nodes)

    def unary(self):
        if self.char("~") or self.keyword("NOT"):
            return ("not", self.unary())
        if not self.char("("):
            self.error("expected '('")
        self.ws()
        m = re.compile(r"([A-Za-z_][\w.]*)\s*=").match(self.s, self.i)
        if m:
            self.i = m.end()
            start = self.i
            quoted = False
            while self.i < len(self.s) and (quoted or self.s[self.i] != ")"):
                if self.s[self.i] == '"':
                    quoted = not quoted
                self.i += 1
            if self.i >= len(self.s):
                self.error("mismatched parenthesis")
            values = self.s[start:self.i].strip()
            self.i += 1
            if not values:
                self.error("empty value for %s" % m.group(1))
            return ("cond", m.group(1), values)
        node = self.query()
        if not self.char(")"):
            self.error("mismatched parenthesis")
        return node


def parse(text):
    """Parse a DMQL2 query into a tuple AST; raises :class:`DmqlError`."""
    if not text or not text.strip():
        raise DmqlError(SYNTAX, "Invalid Query Syntax: empty query")
    return _Parser(text.strip()).parse()


def _split_items(values):
    """Split a comma list, keeping commas inside double quotes."""
    items, current, quoted = [], [], False
    for c in values:
        if c == '"':
            quoted = not quoted
        if c == "," and not quoted:
            items.append("".join(current).strip())
            current = []
        else:
            current.append(c)
    items.append("".join(current).strip())
    return items


class Compiler:
    """Compiles DMQL ASTs against a RETS resource.

    ``resolve(name)`` returns the :class:`~mlsserver.retsschema.RetsField`
    for a query field name (SystemName or StandardName) or None;
    ``lookup(field)`` its :class:`~mlsserver.retsschema.Lookup`; ``tz`` is
    the server time zone and ``now_us`` the MLS clock.
    """

    def __init__(self, resolve, lookup, tz, now_us):
        self.resolve = resolve
        self.lookup = lookup
        self.tz = tz
        self.now_us = now_us

    def compile(self, node):
        kind = node[0]
        if kind == "and":
            parts = [self.compile(n) for n in node[1]]
            return lambda row: all(p(row) for p in parts)
        if kind == "or":
            parts = [self.compile(n) for n in node[1]]
            return lambda row: any(p(row) for p in parts)
        if kind == "not":
            inner = self.compile(node[1])
            return lambda row: not inner(row)
        return self.condition(node[1], node[2])

    def field(self, name):
        field = self.resolve(name)
        if field is None:
            raise DmqlError(UNKNOWN_FIELD, "Unknown Query Field: %s" % name)
        return field

    def condition(self, name, values):
        field = self.field(name)
        std = field.standard
        if values in (".ANY.", ".EMPTY."):
            present = values == ".ANY."
            return lambda row: (row.value(std) not in (None, "", [])) == present
        if field.kind in (dd.LOOKUP, dd.LOOKUP_MULTI):
            return self.lookup_condition(field, values)
        if field.datatype == "Long" or field.kind in (dd.INTEGER, dd.DECIMAL):
            convert = int if field.datatype == "Long" else None
            tests = [self.range_test(item, _NUMBER_RANGE, float, name) for item in _split_items(values)]
            return _any_range(std, tests, convert)
        if field.kind == dd.DATE:
            tests = [self.range_test(item, _DATE_RANGE, self.date_value, name)
                     for item in _split_items(values)]
            return _any_range(std, tests, None)
        if field.kind == dd.TIMESTAMP:
            tests = [self.datetime_test(item, name) for item in _split_items(values)]
            return _any_range(std, tests, None)
        if field.kind == dd.BOOLEAN:
            wanted = values.strip('"').upper()
            if wanted not in ("1", "0", "Y", "N", "TRUE", "FALSE"):
                raise DmqlError(SYNTAX, "Invalid Query Syntax: %s is boolean" % name)
            flag = wanted in ("1", "Y", "TRUE")
            return lambda row: bool(row.value(std)) == flag
        return self.character_condition(std, values)

    def lookup_condition(self, field, values):
        mode = "any"
        if values[0] in "|+~":
            mode = {"|": "any", "+": "all", "~": "none"}[values[0]]
            values = values[1:]
        lookup = self.lookup(field)
        wanted = set()
        for code in _split_items(values):
            entry = lookup.by_code.get(code.strip('"'))
            if entry is None:
                raise DmqlError(SYNTAX, "Invalid Query Syntax: %r is not a value of lookup %s"
                                % (code, lookup.name))
            wanted.add(entry[3])
        std = field.standard
        multi = field.kind == dd.LOOKUP_MULTI

        def have(row):
            value = row.value(std)
            if value is None:
                return set()
            return set(value) if multi else {value}
        if mode == "any":
            return lambda row: bool(have(row) & wanted)
        if mode == "all":
            return lambda row: wanted <= have(row)
        return lambda row: not (have(row) & wanted)

    def character_condition(self, std, values):
        tests = []
        for item in _split_items(values):
            if len(item) >= 2 and item[0] == item[-1] == '"':
                literal = item[1:-1]
                tests.append(lambda v, literal=literal: v == literal)
            elif "*" in item or "?" in item:
                pattern = re.compile("^%s$" % re.escape(item).replace(r"\*", ".*").replace(r"\?", "."),
                                     re.S)
                tests.append(lambda v, p=pattern: p.match(v) is not None)
            else:
                tests.append(lambda v, literal=item: v == literal)

        def predicate(row):
            value = row.value(std)
            return value is not None and any(t(value) for t in tests)
        return predicate

    def date_value(self, text):
        return timeutil.iso_date(self.now_us, self.tz) if text == "TODAY" else timeutil.parse_date(text)

    def range_test(self, item, regex, convert, name):
        m = regex.match(item.strip('"'))
        if not m:
            raise DmqlError(SYNTAX, "Invalid Query Syntax: bad value %r for %s" % (item, name))
        try:
            a = convert(m.group("a"))
            b = convert(m.group("b")) if m.group("b") else None
        except (ValueError, timeutil.TimeFormatError) as exc:
            raise DmqlError(SYNTAX, "Invalid Query Syntax: %s" % exc) from None
        if m.group("plus"):
            return (a, None)
        if m.group("minus"):
            return (None, a) if b is None else (a, b)
        return (a, a)

    def instant(self, text, upper):
        """Return the first (or last, when ``upper``) microsecond a literal denotes."""
        if text == "NOW":
            return self.now_us
        if text == "TODAY" or "T" not in text:
            day = timeutil.iso_date(self.now_us, self.tz) if text == "TODAY" else text
            first, last = timeutil.day_bounds(day, self.tz)
            return last if upper else first
        us, inexact = timeutil.parse_instant(text, self.tz)
        if "." not in text and upper:
            return us + timeutil.US_PER_SECOND - 1        # a whole second, inclusive
        return us + (1 if inexact and not upper else 0)

    def datetime_test(self, item, name):
        m = _DATETIME_RANGE.match(item.strip('"'))
        if not m:
            raise DmqlError(SYNTAX, "Invalid Query Syntax: bad date-time %r for %s" % (item, name))
        try:
            a_text, b_text = m.group("a"), m.group("b")
            if m.group("plus"):
                return (self.instant(a_text, False), None)
            if m.group("minus"):
                if b_text is None:
                    return (None, self.instant(a_text, True))
                return (self.instant(a_text, False), self.instant(b_text, True))
            return (self.instant(a_text, False), self.instant(a_text, True))
        except timeutil.TimeFormatError as exc:
            raise DmqlError(SYNTAX, "Invalid Query Syntax: %s" % exc) from None


def _any_range(std, ranges, convert):
    def predicate(row):
        value = row.value(std)
        if value is None:
            return False
        if convert is not None:
            value = convert(value)
        for low, high in ranges:
            if (low is None or value >= low) and (high is None or value <= high):
                return True
        return False
    predicate.ranges = ranges
    return predicate


def window(node, compiler, field_name):
    """Return ``(low, high)`` bounds a top-level AND puts on ``field_name``, or None.

    Used to scan only a time window of the ``(timestamp, key)`` index.
    """
    conds = node[1] if node[0] == "and" else [node]
    low = high = None
    found = False
    for cond in conds:
        if cond[0] != "cond":
            continue
        field = compiler.resolve(cond[1])
        if field is None or field.standard != field_name or cond[2] in (".ANY.", ".EMPTY."):
            continue
        ranges = compiler.condition(cond[1], cond[2]).ranges
        if len(ranges) != 1:
            continue
        lo, hi = ranges[0]
        found = True
        low = lo if low is None or (lo is not None and lo > low) else low
        high = hi if high is None or (hi is not None and hi < high) else high
    return (low, high) if found else None
