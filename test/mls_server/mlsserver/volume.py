"""Options for volume: wide records and compressed storage.

``wide_records`` makes every Property record carry every field of the RESO
Data Dictionary 2.0 Property resource (630: the curated fields with their
usual values, the others last, with values of their type, a sixth of them
null), as real servers send 600 and more fields per listing; a record is
then about 25 kB.  The added fields are display-spelled in both lookup
spellings and are not in ``$metadata``; RETS does not send them.
``record_storage: "compressed"`` keeps each record's JSON zlib-compressed in
memory (about a fifth of the bytes) and decompresses it when it is served,
so that one server can hold millions of listings for the many-feeds
benchmark.  Both are reset-only options, off by default; like the data
options of :mod:`quirks`, they are applied to freshly built listings
(:func:`decorate_generated`, :func:`decorate_advance`).
"""

import hashlib
import json
import os
import zlib

from . import dd

#: Options (reset only), with their defaults.
DEFAULTS = {
    "wide_records": False,          # every DD Property field in every record
    "record_storage": "plain",      # or "compressed": zlib-compressed JSON in memory
}

DATA_OPTIONS = ("wide_records", "record_storage")

CHOICES = {
    "record_storage": ("plain", "compressed"),
}

#: Different values a wide field takes; a listing picks one by a hash of its key.
VARIANTS = 7


def validate(opts, error):
    """Check the volume options of a merged option dict; raise ``error(message)``."""
    if not isinstance(opts["wide_records"], bool):
        raise error("wide_records must be true or false")


def _active(options):
    return options["wide_records"] or options["record_storage"] != "plain"


_COMPRESSED = []


def compressed_class():
    """The class of compressed listings (made on first use: it extends
    :class:`market.Listing`, and :mod:`market` imports this module)."""
    if not _COMPRESSED:
        from . import market

        class CompressedListing(market.Listing):
            """A :class:`market.Listing` whose JSON is kept zlib-compressed.

            ``json`` and ``display_json`` are properties that decompress on
            use; the other fields are copied from the plain listing.
            """

            __slots__ = ("_zjson", "_zdisplay")

            @property
            def json(self):
                return zlib.decompress(self._zjson)

            @property
            def display_json(self):
                return self.json if self._zdisplay is None else zlib.decompress(self._zdisplay)

        _COMPRESSED.append(CompressedListing)
    return _COMPRESSED[0]


def _copy_fields(source, target):
    from . import market
    for name in market.Listing.__slots__:
        if name not in ("json", "display_json"):
            setattr(target, name, getattr(source, name))


def _compress(listing):
    from . import market
    cls = compressed_class()
    if type(listing) is not market.Listing:
        return listing      # already compressed, or a special listing (the deep record)
    compressed = cls.__new__(cls)
    _copy_fields(listing, compressed)
    served = listing.json
    compressed._zjson = zlib.compress(served, 1)
    compressed._zdisplay = None if listing.display_json is served else \
        zlib.compress(listing.display_json, 1)
    return compressed


class _WideFields:
    """The fields a wide record adds, per catalogue, pre-rendered.

    A field's value is one of :data:`VARIANTS`, chosen by a hash of the
    listing's key and the field's position, so a record's added fields are
    one of :data:`VARIANTS` renderings: they are spliced into the record's
    JSON as bytes.
    """

    def __init__(self, catalog):
        served = catalog.fields("Property")
        facts, lookups = dd.read_csv_facts(catalog.source) if os.path.isdir(catalog.source) \
            else dd.read_sql_facts(catalog.source)
        values = {}
        for (name, display) in sorted(lookups):
            values.setdefault(name, []).append(display)
        fields = []
        for (resource, name), (simple_type, lookup, length, scale) in sorted(facts.items()):
            if resource != "Property" or name in served:
                continue
            variants = _variants(name, simple_type, lookup, values.get(lookup) or [],
                                 length or 0, scale or 0)
            if variants is not None:
                fields.append((name, variants))
        self.names = [name for name, _ in fields]
        self.marker = b'"' + self.names[0].encode() + b'":'
        # rendering r: field i takes variant (r + 3 i) % VARIANTS
        self.renderings = []
        for r in range(VARIANTS):
            part = {name: variants[(r + 3 * i) % VARIANTS] for i, (name, variants) in enumerate(fields)}
            self.renderings.append(json.dumps(part, ensure_ascii=False,
                                              separators=(",", ":")).encode("utf-8")[1:-1])

    def splice(self, key, record_json):
        """The record's JSON bytes with the added fields last."""
        rendering = self.renderings[zlib.crc32(key.encode()) % VARIANTS]
        return record_json[:-1] + b"," + rendering + b"}"


def _variants(name, simple_type, lookup, values, length, scale):
    """Return VARIANTS values of a field of this type, or None to leave it out."""
    out = []
    for v in range(VARIANTS):
        if v == 0:
            out.append(None)            # real feeds leave many fields empty
        elif simple_type == "String":
            text = "%s %d of the listing, as the MLS wrote it" % (name, v)
            out.append(text[:length] if length else text)
        elif simple_type == "Number":
            out.append(round(v * 37.5 + 1, scale) if scale else v * 37 + 1)
        elif simple_type == "Boolean":
            out.append(v % 2 == 1)
        elif simple_type == "Date":
            out.append("2024-%02d-%02d" % (v, 10 + v))
        elif simple_type == "Timestamp":
            out.append("2024-%02d-%02dT1%d:30:00Z" % (v, 10 + v, v))
        elif simple_type == "String List, Single":
            out.append(values[(v * 7) % len(values)] if values else "%s %d" % (name, v))
        elif simple_type == "String List, Multi":
            out.append([values[(v * k * 5) % len(values)] for k in range(1, 1 + v % 3 + 1)]
                       if values else ["%s %d" % (name, v)])
        else:
            return None                 # Resource and Collection: expansions, not fields
    return out


_WIDE = {}


def _wide_fields(mls):
    fields = _WIDE.get(mls.catalog.source)
    if fields is None:
        fields = _WIDE[mls.catalog.source] = _WideFields(mls.catalog)
    return fields


def _widen(mls, listing):
    """Return the listing with the wide fields added (a wide listing as it is)."""
    from . import market
    fields = _wide_fields(mls)
    served = listing.json
    if fields.marker in served:
        return listing      # already wide: an advance changed a wide record
    wide = market.Listing.__new__(market.Listing)
    _copy_fields(listing, wide)
    wide.json = fields.splice(listing.key, served)
    wide.display_json = wide.json if listing.display_json is served else \
        fields.splice(listing.key, listing.display_json)
    wide.sha = hashlib.sha256(wide.json).hexdigest()
    return wide


def _decorate(mls, listing):
    if mls.options["wide_records"]:
        listing = _widen(mls, listing)
    if mls.options["record_storage"] == "compressed":
        listing = _compress(listing)
    return listing


def decorate_generated(mls, generated):
    """Finish generated ``[(Listing, open houses)]`` per the volume options."""
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
