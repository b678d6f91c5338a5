"""The state of one MLS: its records, indexes, clock, configuration and history.

An :class:`Mls` holds an immutable :class:`Snapshot` that request threads read
without locks; :meth:`Mls.advance` builds a new snapshot and swaps it in, so a
page is always computed from one consistent state.  Listings are kept as
pre-rendered JSON bytes (the exact object ``/Property`` serves) plus a few
index fields, which keeps 100,000 listings in well under a gigabyte and lets
pages be assembled by joining bytes.
"""

import bisect
import concurrent.futures
import copy
import hashlib
import itertools
import json
import math
import multiprocessing
import os
import threading

from . import datagen, dd, images, quirks, timeutil, visibility, volume

DEFAULT_CLOCK = "2025-06-02T15:00:00Z"
#: Listing counts from which generation runs in worker processes.
PARALLEL_THRESHOLD = 20_000
#: Smallest number of listings one worker task generates.
CHUNK = 5_000
#: How far before or after the clock an advance may stamp its changes (100 years).
MAX_LATE_MINUTES = 100 * 525_600

CHANGE_KINDS = ("new", "new_shared", "price_cut", "price_raise", "pending", "closed", "expired",
                "withdrawn", "canceled", "back_on_market", "photos_changed", "photo_replaced",
                "photo_removed", "deleted", "restored")
#: Kinds listed in an advance's answer only when it asked for them.
PHOTO_KINDS = ("photo_replaced", "photo_removed")
#: ... also: withdrawn listings visible again (visibility_field only)
ASKED_ONLY = PHOTO_KINDS + ("new_shared", "restored")

DEFAULTS = {
    "listings": 200,
    "seed": 1,
    "now": DEFAULT_CLOCK,
    "share_with": None,
    "share_fraction": 0.3,
    "same_timestamp_fraction": 0.05,
    "lookup_spelling": "display",
    "page_max": 1000,
    "token_ttl": 3600,
    "oauth": {"client_id": "mlsync", "client_secret": "s3cret", "auth": "either"},
    "static_token": None,
    "nextlink": True,
    "chunked": False,
    "media": {"size": "small", "floorplans": False, "url_style": "plain"},
    "rets": {
        "username": "mlsync", "password": "rets-pass", "auth": "digest", "ua_password": None,
        "user_agent": None, "maxrows": 2500, "version": "RETS/1.7.2", "timezone": "UTC",
        "offset_support": "yes", "session_timeout": 1800, "one_session_only": False,
        "maxrows_on_limit": False, "method": "any",
    },
}
# The quirky and hostile behaviours (all off by default) have their options in quirks.py.
DEFAULTS.update(quirks.DEFAULTS)
DEFAULTS["rets"].update(quirks.RETS_DEFAULTS)
# Wide records and compressed storage (off by default) are in volume.py.
DEFAULTS.update(volume.DEFAULTS)
# A vendor's visibility flag (off by default) is in visibility.py.
DEFAULTS.update(visibility.DEFAULTS)

#: Options that change data; everything else may be changed by /control/configure.
DATA_OPTIONS = ("listings", "seed", "now", "share_with", "share_fraction",
                "same_timestamp_fraction", "lookup_spelling", "media") + quirks.DATA_OPTIONS \
    + volume.DATA_OPTIONS + visibility.DATA_OPTIONS

_CHOICES = {
    "lookup_spelling": ("display", "enum"),
    ("oauth", "auth"): ("basic", "body", "either"),
    ("rets", "auth"): ("digest", "basic", "either"),
    ("rets", "offset_support"): ("yes", "reject", "ignore"),
    ("rets", "method"): ("any", "GET", "POST"),
    ("media", "size"): ("small", "large"),
    ("media", "floorplans"): (False, True),
    ("media", "url_style"): ("plain", "spaced"),
}
_CHOICES.update(quirks.CHOICES)
_CHOICES.update(volume.CHOICES)


_INSTANCES = itertools.count(1)


class ConfigError(ValueError):
    """An invalid control option."""


def merge_options(base, changes):
    """Return ``base`` updated with ``changes`` (one level deep for dicts), validated."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if key == "mls":
            continue
        if key not in DEFAULTS:
            raise ConfigError("unknown option %r" % key)
        if isinstance(DEFAULTS[key], dict):
            if not isinstance(value, dict):
                raise ConfigError("option %r must be an object" % key)
            for sub, subvalue in value.items():
                if sub not in DEFAULTS[key]:
                    raise ConfigError("unknown option %s.%s" % (key, sub))
                out[key][sub] = subvalue
        else:
            out[key] = value
    _validate(out)
    return out


def _validate(opts):
    for path, allowed in _CHOICES.items():
        value = opts[path[0]][path[1]] if isinstance(path, tuple) else opts[path]
        if value not in allowed:
            raise ConfigError("%s must be one of %s" % (
                ".".join(path) if isinstance(path, tuple) else path, ", ".join(allowed)))
    if not isinstance(opts["listings"], int) or not 0 <= opts["listings"] <= 1_000_000:
        raise ConfigError("listings must be an integer from 0 to 1000000")
    if not isinstance(opts["page_max"], int) or opts["page_max"] < 1:
        raise ConfigError("page_max must be a positive integer")
    if not isinstance(opts["rets"]["maxrows"], int) or opts["rets"]["maxrows"] < 1:
        raise ConfigError("rets.maxrows must be a positive integer")
    if not 0 <= float(opts["share_fraction"]) <= 1 or not 0 <= float(opts["same_timestamp_fraction"]) <= 1:
        raise ConfigError("fractions must lie between 0 and 1")
    try:
        timeutil.zone(opts["rets"]["timezone"])
        timeutil.parse_instant(opts["now"])
    except Exception as exc:
        raise ConfigError(str(exc)) from None
    quirks.validate(opts, ConfigError)
    volume.validate(opts, ConfigError)
    visibility.validate(opts, ConfigError)


class Listing:
    """One Property record: index fields plus its JSON in both spellings."""

    __slots__ = ("key", "mod_us", "status", "ptype", "listing_id", "photos_us", "photos_count",
                 "photos_version", "photo_revs", "json", "display_json", "sha", "index",
                 "rets_rows", "property")

    def __init__(self, key, mod_us, status, ptype, listing_id, photos_us, photos_count,
                 photos_version, json_bytes, display_json, sha, index, photo_revs=None, prop=None):
        self.key = key
        self.mod_us = mod_us
        self.status = status
        self.ptype = ptype
        self.listing_id = listing_id
        self.photos_us = photos_us
        self.photos_count = photos_count
        self.photos_version = photos_version
        # photos replaced one by one since the version: {number: (revision, time in us)};
        # number 0 keeps the version's own time once PhotosChangeTimestamp moved on
        self.photo_revs = dict(photo_revs or {})
        self.json = json_bytes
        self.display_json = display_json
        self.sha = sha
        self.index = index
        self.rets_rows = None     # rendered RETS rows, filled by rets.RowRenderer
        self.property = prop      # "<mls>:<n>": listings with the same one are one property

    def display(self):
        """Return the record as a dict in display spelling (a fresh copy)."""
        return json.loads(self.display_json)

    def served(self):
        """Return the record as ``/Property`` serves it (a fresh dict)."""
        return json.loads(self.json)


class Row:
    """A record as queries see it (OData ``$filter`` and DMQL alike).

    Wraps a :class:`Listing` (index fields are read directly, the rest from
    its display JSON decoded on first use) or a display-spelled ``dict``.
    ``value(name)`` returns comparable values: timestamps as microseconds,
    lookups in display spelling, everything else as in JSON.
    """

    __slots__ = ("listing", "record", "kinds", "key_field", "served_bytes")

    def __init__(self, kinds, listing=None, record=None, key_field="ListingKey", served_bytes=None):
        self.kinds = kinds
        self.listing = listing
        self.record = record
        self.key_field = key_field
        self.served_bytes = served_bytes

    @property
    def key(self):
        """The record's key."""
        return self.listing.key if self.listing is not None else self.record[self.key_field]

    def value(self, name):
        """Return the comparable value of field ``name``."""
        listing = self.listing
        if listing is not None:
            if name == "ModificationTimestamp":
                return listing.mod_us
            if name == "ListingKey":
                return listing.key
            if name == "StandardStatus":
                return listing.status
            if name == "PropertyType":
                return listing.ptype
        raw = self.full().get(name)
        if raw is not None and self.kinds.get(name) == dd.TIMESTAMP:
            return timeutil.parse_instant(raw)[0]
        return raw

    def full(self):
        """Return the whole record in display spelling."""
        if self.record is None:
            self.record = self.listing.display()
        return self.record


def dumps(obj):
    """Serialize compactly as UTF-8 JSON (non-ASCII characters kept raw)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def make_listing(record, catalog, enum_mode, photos_version, index, photo_revs=None, prop=None):
    """Build a :class:`Listing` from a display-spelled record dict (``prop``: its property)."""
    display_json = dumps(record)
    served = datagen.to_enum_spelling(record, catalog.fields("Property"), catalog) \
        if enum_mode else record
    served_json = dumps(served) if enum_mode else display_json
    photos = record["PhotosChangeTimestamp"]
    sha = hashlib.sha256(served_json).hexdigest()
    return Listing(
        record["ListingKey"], timeutil.parse_instant(record["ModificationTimestamp"])[0],
        record["StandardStatus"], record["PropertyType"], record["ListingId"],
        timeutil.parse_instant(photos)[0] if photos else None, record["PhotosCount"] or 0,
        photos_version, served_json, display_json, sha, index, photo_revs, prop,
    )


def _cluster_timestamp(generator, index, record):
    """Return the shared ModificationTimestamp of a same-timestamp cluster, or None.

    A fraction of listings were touched by one bulk update: they share a
    whole-second timestamp.  Cluster sizes halve (half of the clustered
    records in the first cluster, a quarter in the second, ...).
    """
    profile = generator.profile
    rng = datagen.rng_for(generator.tag, "cluster", index)
    if rng.random() >= profile.same_timestamp_fraction:
        return None
    cluster = 0
    while rng.random() < 0.5 and cluster < 12:
        cluster += 1
    crng = datagen.rng_for(generator.tag, "cluster-ts", cluster)
    ts = profile.clock_us - (cluster * 11 + crng.randint(1, 9)) * datagen.HOUR_US
    ts -= ts % timeutil.US_PER_SECOND
    latest = max(timeutil.parse_instant(record[name])[0] for name in
                 ("StatusChangeTimestamp", "PriceChangeTimestamp", "PhotosChangeTimestamp",
                  "OriginalEntryTimestamp") if record[name])
    return ts if ts > latest else None


def _generate_chunk(args):
    """Worker: generate listings ``start..stop`` with their open houses.

    Returns ``[(Listing, [OpenHouse dicts]), ...]``; also used in-process.
    """
    dd_source, profile_dict, total, enum_mode, start, stop = args
    catalog = _catalog(dd_source)
    generator = datagen.Generator(catalog, datagen.Profile.from_dict(profile_dict), total)
    out = []
    for index in range(start, stop):
        record = generator.listing(index)
        cluster_ts = _cluster_timestamp(generator, index, record)
        if cluster_ts is not None:
            record["ModificationTimestamp"] = timeutil.reso_timestamp(cluster_ts)
        out.append((make_listing(record, catalog, enum_mode, 1, index,
                                 prop=generator.property_of(index)),
                    generator.open_houses(record)))
    return out


_CATALOGS = {}


def _catalog(dd_source):
    catalog = _CATALOGS.get(dd_source)
    if catalog is None:
        catalog = _CATALOGS[dd_source] = dd.Catalog(dd_source)
    return catalog


class Snapshot:
    """One consistent, immutable state of an MLS's records and indexes."""

    def __init__(self, version, clock_us, listings, open_houses, withdrawn=None):
        self.version = version
        self.clock_us = clock_us
        self.listings = listings                       # key -> Listing
        # key -> Listing: deleted listings the RESO feed still serves, flagged
        # not visible (visibility.py); "served" is what RESO's Property holds
        self.withdrawn = withdrawn or {}
        self.by_mod = sorted((item.mod_us, item.key) for item in listings.values())
        self.by_key = sorted(listings)
        self.by_photos = sorted((item.photos_us, item.key) for item in listings.values()
                                if item.photos_count)
        self.open_houses = open_houses                 # key -> [OpenHouse dicts]
        self._max_mod = self.by_mod[-1][0] if self.by_mod else None
        if self.withdrawn:
            self.served = dict(listings)
            self.served.update(self.withdrawn)
            self.served_by_mod = sorted((item.mod_us, item.key) for item in self.served.values())
            self.served_by_key = sorted(self.served)
        else:
            self.served, self.served_by_mod, self.served_by_key = listings, self.by_mod, self.by_key

    @property
    def max_modification_us(self):
        """The newest ModificationTimestamp, or None when there are no listings."""
        return self._max_mod

    def start_after(self, bound, by_mod=None):
        """Return the index in ``by_mod`` (default: the listings') where a scan from a keyset bound starts."""
        by_mod = self.by_mod if by_mod is None else by_mod
        if bound is None:
            return 0
        us, key, exclusive = bound
        if key is None:
            return bisect.bisect_left(by_mod, (us + 1 if exclusive else us, ""))
        if exclusive:
            return bisect.bisect_right(by_mod, (us, key))
        return bisect.bisect_left(by_mod, (us, key))


class Mls:
    """One named MLS: configuration, generator, current snapshot, auth state."""

    def __init__(self, name, options, catalog, base_url, shared=None):
        self.name = name
        self.uid = next(_INSTANCES)     # distinguishes an MLS from an earlier one of the same name
        self.options = options
        self.catalog = catalog
        self.base_url = base_url
        self.lock = threading.RLock()
        self.enum_mode = options["lookup_spelling"] == "enum"
        clock = timeutil.parse_instant(options["now"])[0]
        share_profile = None
        share_count = 0
        if options["share_with"]:
            if shared is None:
                raise ConfigError("share_with names an MLS that does not exist: %r" % options["share_with"])
            share_profile = shared.generator.profile
            share_count = shared.options["listings"]
        self.shared = shared        # the MLS this one shares properties with
        profile = datagen.Profile(name, options["seed"], clock, base_url,
                                  float(options["same_timestamp_fraction"]), share_profile,
                                  float(options["share_fraction"]), share_count)
        listings = options["listings"]
        self.generator = datagen.Generator(catalog, profile, listings)
        self.next_index = listings
        self.advance_count = 0
        self.tokens = {}            # OAuth access token -> expiry (POSIX seconds)
        self.sessions = {}          # RETS-Session-ID -> rets.Session
        self.auth_lock = threading.Lock()
        generated = self._generate(profile, listings)
        from . import hostile   # imported here: hostile needs this module complete
        generated = visibility.decorate_generated(self, generated)
        generated = hostile.decorate_generated(self, generated)
        generated = volume.decorate_generated(self, generated)
        open_houses = {listing.key: houses for listing, houses in generated if houses}
        self.snapshot = Snapshot(1, clock, {item.key: item for item, _ in generated}, open_houses)
        self.members = self._served_list(self.generator.members, "Member")
        self.offices = self._served_list(self.generator.offices, "Office")

    # ---------------------------------------------------------- generation
    def _generate(self, profile, total):
        args = (self.catalog.source, profile.to_dict(), total, self.enum_mode)
        if total < PARALLEL_THRESHOLD or (os.cpu_count() or 1) < 2:
            return _generate_chunk(args + (0, total))
        workers = min(os.cpu_count() or 2, 8)
        step = max(CHUNK, -(-total // (workers * 2)))
        chunks = [args + (start, min(total, start + step)) for start in range(0, total, step)]
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            result = []
            for part in pool.map(_generate_chunk, chunks):
                result.extend(part)
        return result

    def _served_list(self, records, resource):
        fields = self.catalog.fields(resource)
        out = []
        for record in sorted(records, key=lambda r: r[dd.RESOURCES[resource][0]]):
            served = datagen.to_enum_spelling(record, fields, self.catalog) if self.enum_mode else record
            out.append((record, dumps(served)))
        return out

    # ------------------------------------------------------------- helpers
    @property
    def clock_us(self):
        """The MLS clock: the newest instant the market has reached."""
        return self.snapshot.clock_us

    def configure(self, changes):
        """Change behavioural options (not data) in place."""
        for key in changes:
            if key in DATA_OPTIONS:
                raise ConfigError("%r changes data; use /control/reset" % key)
        with self.lock:
            self.options = merge_options(self.options, changes)

    def media_for(self, listing):
        """Return the Media rows (display spelling) of a listing's current photos."""
        if not listing.photos_count:
            return []
        media = self.options["media"]
        revs = listing.photo_revs
        version_us = revs[0][1] if 0 in revs else listing.photos_us
        return datagen.media_rows(
            self.name, self.base_url, listing.key, listing.listing_id, listing.photos_count,
            listing.photos_version, timeutil.reso_timestamp(version_us),
            self.generator.system_name,
            {n: timeutil.reso_timestamp(ts) for n, (_, ts) in revs.items() if n},
            media["size"] == "large", media["floorplans"], media["url_style"] == "spaced")

    def is_floorplan(self, number):
        """Whether photo ``number`` of a listing is its floor plan (a PNG)."""
        return bool(self.options["media"]["floorplans"]) and number == 2

    def photo_bytes(self, listing, number, thumbnail=False):
        """Return the image of photo ``number`` of a listing (deterministic bytes).

        JPEG photos (small flat ones, or large textured ones with EXIF with
        media.size large); photo 2 is a PNG floor plan with media.floorplans.
        A photo replaced on its own (photo_replaced) has its revision in its
        identity, so its bytes change while its number and URL stay.
        """
        identity = "%s:%s:%s:%d:%d" % (self.name, self.options["seed"], listing.key,
                                       listing.photos_version, number)
        if number in listing.photo_revs:
            identity += ":r%d" % listing.photo_revs[number][0]
        if thumbnail:
            return images.photo(identity, datagen.THUMB_WIDTH, datagen.THUMB_HEIGHT)
        if self.is_floorplan(number):
            return images.floorplan(identity)
        if self.options["media"]["size"] == "large":
            return images.large_photo(identity)
        return images.photo(identity, datagen.PHOTO_WIDTH, datagen.PHOTO_HEIGHT)

    def media_truth(self):
        """Every media item of every listing with the SHA-256 and size of its bytes."""
        import hashlib

        snap = self.snapshot
        out = []
        for key in snap.by_key:
            listing = snap.listings[key]
            for row in self.media_for(listing):
                body = self.photo_bytes(listing, row["Order"])
                out.append({"ListingKey": key, "MediaKey": row["MediaKey"], "Order": row["Order"],
                            "MediaCategory": row["MediaCategory"], "MediaURL": row["MediaURL"],
                            "MediaModificationTimestamp": row["MediaModificationTimestamp"],
                            "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)})
        return out

    # ------------------------------------------------------------- advance
    def advance(self, spec):
        """Apply one deterministic market step; return what changed.

        ``spec`` holds a count per change kind (see :data:`CHANGE_KINDS`),
        ``seed``, ``minutes`` (clock step, default 15), ``same_timestamp`` and
        ``late_minutes`` (the changes are stamped that much before the step, as
        a server shows them whose timestamps are taken before its transactions
        commit; the clock still moves on).
        """
        unknown = set(spec) - set(CHANGE_KINDS) - {"mls", "seed", "minutes", "same_timestamp",
                                                   "late_minutes"}
        if unknown:
            raise ConfigError("unknown advance option(s): %s" % ", ".join(sorted(unknown)))
        minutes = spec.get("minutes", 15)
        if not isinstance(minutes, (int, float)) or minutes <= 0:
            raise ConfigError("minutes must be positive")
        late = spec.get("late_minutes", 0)
        if isinstance(late, bool) or not isinstance(late, (int, float)) or not math.isfinite(late) \
                or abs(late) > MAX_LATE_MINUTES:
            raise ConfigError("late_minutes must be a number from -%d to %d"
                              % (MAX_LATE_MINUTES, MAX_LATE_MINUTES))
        late_us = int(late * 60 * timeutil.US_PER_SECOND)
        late_us -= late_us % 1000
        with self.lock:
            snap = self.snapshot
            self.advance_count += 1
            rng = datagen.rng_for(self.generator.tag, "advance", spec.get("seed", 0), self.advance_count)
            start = snap.clock_us
            end = start + int(minutes * 60 * timeutil.US_PER_SECOND)
            end -= end % 1000
            stamps = _Stamps(rng, start - late_us, end - late_us, bool(spec.get("same_timestamp")),
                             float(self.options["same_timestamp_fraction"]))
            listings = dict(snap.listings)
            open_houses = dict(snap.open_houses)
            withdrawn = dict(snap.withdrawn)
            # the per-photo kinds came later, and new_shared exists only with
            # share_with: they show only when asked for, so answers to the
            # older kinds read as they always did
            changed = {kind: [] for kind in CHANGE_KINDS if kind not in ASKED_ONLY or kind in spec}
            used = set()
            for kind in CHANGE_KINDS:
                count = int(spec.get(kind, 0))
                if count < 0:
                    raise ConfigError("%s must not be negative" % kind)
                # nor do they draw from rng when not asked for: the kinds
                # after them (deleted) pick the listings they always did
                if kind in PHOTO_KINDS and count == 0:
                    continue
                if kind == "restored":
                    # the oldest withdrawals first, shown again as they were
                    for key in sorted(withdrawn, key=lambda k: (withdrawn[k].mod_us, k))[:count]:
                        listings[key] = visibility.restore(self, withdrawn.pop(key), stamps.next())
                        changed[kind].append(key)
                    continue
                if kind in ("new", "new_shared"):
                    for first in (self._shared_to_list(listings, count) if kind == "new_shared" and count
                                  else [None] * (count if kind == "new" else 0)):
                        listing = self._new_listing(stamps.next(), first)
                        listings[listing.key] = listing
                        houses = self.generator.open_houses(listing.display())
                        if houses:
                            open_houses[listing.key] = houses
                        changed[kind].append(listing.key)
                        used.add(listing.key)
                    continue
                for key in self._eligible(listings, kind, used, rng, count):
                    used.add(key)
                    changed[kind].append(key)
                    if kind == "deleted":
                        gone = listings.pop(key)
                        open_houses.pop(key, None)
                        if self.options["visibility_field"]:
                            withdrawn[key] = visibility.hide(self, gone, stamps.next())
                    else:
                        listings[key] = self._change(listings[key], kind, stamps.next(), rng)
            from . import hostile
            visibility.decorate_advance(self, listings, changed)
            hostile.decorate_advance(self, listings, changed)
            volume.decorate_advance(self, listings, changed)
            self.snapshot = Snapshot(snap.version + 1, end, listings, open_houses, withdrawn)
            return {"mls": self.name, "clock": timeutil.reso_timestamp(end),
                    "previous_clock": timeutil.reso_timestamp(start), "changed": changed,
                    "count": len(listings)}

    _ELIGIBLE = {
        "price_cut": ("Active", "Active Under Contract", "Coming Soon"),
        "price_raise": ("Active", "Active Under Contract", "Coming Soon"),
        "pending": ("Active", "Active Under Contract"),
        "closed": ("Pending", "Active Under Contract"),
        "expired": ("Active",),
        "withdrawn": ("Active", "Coming Soon"),
        "canceled": ("Active",),
        "back_on_market": ("Pending", "Active Under Contract", "Expired", "Withdrawn", "Canceled", "Hold"),
        "photos_changed": ("Active", "Active Under Contract", "Pending", "Coming Soon"),
        "photo_replaced": ("Active", "Active Under Contract", "Pending", "Coming Soon"),
        "photo_removed": ("Active", "Active Under Contract", "Pending", "Coming Soon"),
        "deleted": None,
    }
    #: Kinds that need a listing with at least this many photos.
    _MIN_PHOTOS = {"photo_replaced": 1, "photo_removed": 2}

    def _eligible(self, listings, kind, used, rng, count):
        statuses = self._ELIGIBLE[kind]
        least = self._MIN_PHOTOS.get(kind, 0)
        keys = sorted(k for k, l in listings.items()
                      if k not in used and (statuses is None or l.status in statuses)
                      and l.photos_count >= least)
        if kind == "closed" and len(keys) < count:
            keys += sorted(k for k, l in listings.items() if k not in used and l.status == "Active")
        rng.shuffle(keys)
        return keys[:count]

    def _shared_to_list(self, listings, count):
        """Return up to ``count`` Active listings of the sharing MLS to cross-list.

        The newest first, and only properties this MLS does not list yet.
        """
        if self.shared is None:
            raise ConfigError("new_shared needs an MLS made with share_with")
        listed = {item.property for item in listings.values()}
        first = sorted((item for item in self.shared.snapshot.listings.values()
                        if item.status == "Active" and item.property not in listed),
                       key=lambda item: item.index, reverse=True)
        return first[:count]

    def _new_listing(self, ts, first=None):
        """A new listing; with ``first`` (a listing of the sharing MLS), of its property."""
        index = self.next_index
        self.next_index += 1
        if first is None:
            record = self.generator.new_listing(index, ts)
            return make_listing(record, self.catalog, self.enum_mode, 1, index,
                                prop=self.generator.property_of(index))
        first_index = int(first.property.rsplit(":", 1)[1])
        record = self.generator.shared_new_listing(index, ts, first.display(), first_index)
        return make_listing(record, self.catalog, self.enum_mode, 1, index, prop=first.property)

    def _change(self, listing, kind, ts, rng):
        rec = listing.display()
        stamp = timeutil.reso_timestamp(ts)
        date = timeutil.iso_date(ts)
        version = listing.photos_version
        revs = dict(listing.photo_revs)
        if kind in ("photo_replaced", "photo_removed") and 0 not in revs:
            revs[0] = (0, listing.photos_us)
        status = rec["StandardStatus"]
        if kind in ("price_cut", "price_raise"):
            factor = rng.uniform(0.92, 0.98) if kind == "price_cut" else rng.uniform(1.02, 1.06)
            step = 25 if rec["ListPrice"] < 20000 else 1000
            new_price = max(step, datagen.round_price(rec["ListPrice"] * factor, step))
            if new_price == rec["ListPrice"]:
                new_price += -step if kind == "price_cut" else step
            rec["PreviousListPrice"] = rec["ListPrice"]
            rec["ListPrice"] = new_price
            rec["PriceChangeTimestamp"] = stamp
            rec["MajorChangeType"] = "Price Change"
        elif kind == "photos_changed":
            version += 1
            revs = {}
            rec["PhotosCount"] = max(1, min(40, (rec["PhotosCount"] or 0) + rng.randint(-3, 6)))
            rec["PhotosChangeTimestamp"] = stamp
        elif kind == "photo_replaced":
            # one photo gets new bytes; its MediaKey and URL stay, its timestamp moves
            number = rng.randint(1, rec["PhotosCount"])
            revs[number] = (revs.get(number, (0, 0))[0] + 1, ts)
            rec["PhotosChangeTimestamp"] = stamp
        elif kind == "photo_removed":
            # the last photo disappears; the others stay as they are
            revs.pop(rec["PhotosCount"], None)
            rec["PhotosCount"] -= 1
            rec["PhotosChangeTimestamp"] = stamp
        else:
            status = {"pending": "Pending", "closed": "Closed", "expired": "Expired",
                      "withdrawn": "Withdrawn", "canceled": "Canceled",
                      "back_on_market": "Active"}[kind]
            rec["StandardStatus"] = status
            rec["MlsStatus"] = datagen.MLS_STATUS[status]
            rec["StatusChangeTimestamp"] = stamp
            rec["ContractStatusChangeDate"] = date
            rec["MajorChangeType"] = "Back On Market" if kind == "back_on_market" else status
            if kind == "pending":
                rec["PurchaseContractDate"] = date
            elif kind == "closed":
                rec["PurchaseContractDate"] = rec["PurchaseContractDate"] or timeutil.iso_date(
                    ts - rng.randint(20, 45) * datagen.DAY_US)
                close_price = datagen.round_price(rec["ListPrice"] * rng.uniform(0.95, 1.03),
                                                  25 if rec["ListPrice"] < 20000 else 500)
                self.generator.close(rec, rng, ts, close_price)
            elif kind == "back_on_market":
                rec["PurchaseContractDate"] = None
                rec["OffMarketDate"] = None
            else:
                rec["OffMarketDate"] = date
        photo_only = kind in ("photos_changed", "photo_replaced", "photo_removed")
        if not photo_only:
            rec["MajorChangeTimestamp"] = stamp
        if photo_only and not self.options["photo_change_modifies"]:
            # servers that stamp photo changes on PhotosChangeTimestamp alone
            return make_listing(rec, self.catalog, self.enum_mode, version, listing.index, revs,
                                listing.property)
        on_market = timeutil.parse_instant(rec["OnMarketDate"] + "T00:00:00Z")[0]
        if status in ("Active", "Active Under Contract", "Coming Soon"):
            rec["DaysOnMarket"] = max(0, (ts - on_market) // datagen.DAY_US)
        rec["ModificationTimestamp"] = stamp
        return make_listing(rec, self.catalog, self.enum_mode, version, listing.index, revs,
                            listing.property)

    # --------------------------------------------------------------- truth
    def truth_summary(self):
        """Return count, newest timestamp and ``{key: sha256}`` of every listing."""
        snap = self.snapshot
        newest = snap.max_modification_us
        return {
            "mls": self.name, "count": len(snap.listings),
            "clock": timeutil.reso_timestamp(snap.clock_us),
            "max_modification_timestamp": timeutil.reso_timestamp(newest) if newest else None,
            "keys": {key: snap.listings[key].sha for key in snap.by_key},
        }

    def truth_properties(self):
        """Return ``{ListingKey: property}``: listings with the same property, in any MLS, are one."""
        snap = self.snapshot
        return {"mls": self.name, "count": len(snap.listings),
                "properties": {key: snap.listings[key].property for key in snap.by_key}}

    def truth_lines(self):
        """Yield the served JSON of every listing, one per line, in ListingKey order."""
        snap = self.snapshot
        for key in snap.by_key:
            listing = snap.listings[key]
            # a record served with NaN: what a client should store
            yield getattr(listing, "truth_json", listing.json) + b"\n"

    def describe(self):
        """Return the options and entry points of this MLS (for /control)."""
        base = "%s/%s" % (self.base_url, self.name)
        snap = self.snapshot
        from . import hostile
        return hostile.describe(self, {
            "mls": self.name, "count": len(snap.listings), "version": snap.version,
            "clock": timeutil.reso_timestamp(snap.clock_us), "options": self.options,
            "urls": {
                "reso_service_root": base + "/reso/odata/",
                "reso_token": base + "/reso/oauth/token",
                "rets_login": base + "/rets/login",
                "media": base + "/media/",
            },
        })


class _Stamps:
    """Hands out the ModificationTimestamps of one advance.

    With ``same`` every change gets the one timestamp ``end``.  Otherwise
    timestamps are drawn from ``(start, end]`` at millisecond precision, and
    a fraction (at least 10%) repeat the previous one, as batch jobs do.
    """

    def __init__(self, rng, start, end, same, repeat_fraction):
        self.rng = rng
        self.start = start
        self.end = end
        self.same = same
        self.repeat_fraction = repeat_fraction
        self.last = None

    def next(self):
        """Return the next ModificationTimestamp."""
        if self.same:
            return self.end
        if self.last is not None and self.rng.random() < max(self.repeat_fraction, 0.1):
            return self.last
        span = max(1, (self.end - self.start) // 1000)
        self.last = self.start + self.rng.randint(1, span) * 1000
        return self.last
