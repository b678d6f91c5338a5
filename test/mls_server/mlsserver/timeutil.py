"""Timestamps as the server keeps, prints and parses them.

Internally every instant is an ``int`` of microseconds since the Unix epoch
(UTC).  The data itself has millisecond precision; literals in queries may
carry any number of fractional digits, which :func:`parse_instant` reports
exactly (floor in microseconds plus a flag for a non-zero remainder) so that
comparisons stay exact.
"""

import datetime as _dt
import re
from zoneinfo import ZoneInfo

UTC = _dt.timezone.utc
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND

_INSTANT_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
    r"(Z|z|[+-]\d{2}:?\d{2})?$"
)
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class TimeFormatError(ValueError):
    """A timestamp or date literal that cannot be parsed."""


def to_datetime(us, tz=UTC):
    """Return the aware datetime for ``us`` in time zone ``tz``."""
    return (EPOCH + _dt.timedelta(microseconds=us)).astimezone(tz)


def from_datetime(value):
    """Return microseconds since the epoch for an aware datetime."""
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * US_PER_SECOND + delta.microseconds


def reso_timestamp(us, tz=UTC, form="utc"):
    """Format ``us`` the way RESO servers print ModificationTimestamp.

    Variable fractional precision: trailing zeros of the milliseconds are
    dropped (``.02Z``, ``.495Z``) and whole seconds carry no fraction at all
    (``...:05Z``).  Form ``utc`` (the default) writes UTC with ``Z``; servers
    backed by a database of local times write the wall clock in ``tz``, with
    its offset (form ``offset``) or without a zone (``local``).
    """
    d = to_datetime(us, UTC if form == "utc" else tz)
    text = d.strftime("%Y-%m-%dT%H:%M:%S")
    ms = d.microsecond // 1000
    if ms:
        text += ("." + "%03d" % ms).rstrip("0")
    if form == "utc":
        return text + "Z"
    return text + (utc_offset_text(us, tz) if form == "offset" else "")


def rets_timestamp(us, tz):
    """Format ``us`` as RETS DateTime: local time in ``tz``, no zone, 3 decimals."""
    d = to_datetime(us, tz)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%03d" % (d.microsecond // 1000)


def iso_date(us, tz=UTC):
    """Return the calendar date of ``us`` in ``tz`` as ``YYYY-MM-DD``."""
    return to_datetime(us, tz).strftime("%Y-%m-%d")


def parse_instant(text, default_tz=UTC):
    """Parse an ISO 8601 date-time literal.

    Returns ``(floor_us, inexact)``: the instant rounded down to a whole
    microsecond, and whether digits beyond the sixth decimal were non-zero.
    A literal without a zone designator is read in ``default_tz``.
    Raises :class:`TimeFormatError` for anything else.
    """
    m = _INSTANT_RE.match(text.strip())
    if not m:
        raise TimeFormatError("not an ISO 8601 date-time: %r" % text)
    year, month, day, hour, minute = (int(g) for g in m.group(1, 2, 3, 4, 5))
    second = int(m.group(6) or 0)
    frac = m.group(7) or ""
    zone = m.group(8)
    micro = int((frac + "000000")[:6])
    inexact = bool(frac[6:].strip("0"))
    if zone in (None,):
        tz = default_tz
    elif zone in ("Z", "z"):
        tz = UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        tz = _dt.timezone(sign * offset)
    try:
        value = _dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=tz)
    except ValueError as exc:
        raise TimeFormatError(str(exc)) from None
    return from_datetime(value), inexact


def parse_date(text):
    """Validate a ``YYYY-MM-DD`` literal and return it unchanged."""
    m = _DATE_RE.match(text.strip())
    if not m:
        raise TimeFormatError("not a date: %r" % text)
    try:
        _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise TimeFormatError(str(exc)) from None
    return text.strip()


def day_bounds(date_text, tz):
    """Return ``(first_us, last_us)`` of the calendar day ``date_text`` in ``tz``."""
    d = _dt.date.fromisoformat(parse_date(date_text))
    start = _dt.datetime(d.year, d.month, d.day, tzinfo=tz)
    first = from_datetime(start)
    nxt = start + _dt.timedelta(days=1)
    return first, from_datetime(nxt.replace(tzinfo=tz)) - 1


def zone(name):
    """Return a tzinfo for ``"UTC"`` or an IANA zone name."""
    return UTC if name.upper() == "UTC" else ZoneInfo(name)


def utc_offset_text(us, tz):
    """Return the ``±hh:mm`` offset of ``tz`` at instant ``us``."""
    off = to_datetime(us, tz).utcoffset()
    minutes = int(off.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return "%s%02d:%02d" % (sign, minutes // 60, minutes % 60)
