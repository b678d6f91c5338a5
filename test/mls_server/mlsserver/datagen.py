"""Deterministic generation of MLS records.

Every value is drawn from a ``random.Random`` seeded with a string that names
the MLS, its seed and the record (``"demo:1:listing:42"``), so a record depends
only on those and never on generation order, process or hash seed.  That lets
large data sets be generated in parallel processes and lets a second MLS
regenerate the physical facts of a first MLS's property for deduplication
(:func:`reformat_facts` writes them as another MLS would), and the truth of
which listings are the same property (:meth:`Generator.property_of`).

Records are plain ``dict`` objects in the RESO wire form with display lookup
spelling ("Active Under Contract"); :func:`to_enum_spelling` converts them.
Field order is always the catalogue order, with ``None`` for absent values.
"""

import datetime as _dt
import random
import unicodedata
import zlib

from . import timeutil, vocab

DAY_US = timeutil.US_PER_DAY
HOUR_US = 3600 * timeutil.US_PER_SECOND
MINUTE_US = 60 * timeutil.US_PER_SECOND

#: Initial StandardStatus mix: mostly Active, then Closed, Pending, AUC, ...
STATUS_WEIGHTS = [
    ("Active", 40), ("Closed", 25), ("Pending", 10), ("Active Under Contract", 8),
    ("Expired", 5), ("Withdrawn", 4), ("Canceled", 4), ("Coming Soon", 2), ("Hold", 2),
]

#: Local MLS status spelling for each StandardStatus (RESO MlsStatus, RETS LongValue).
MLS_STATUS = {
    "Active": "Active", "Active Under Contract": "Contingent", "Pending": "Pending",
    "Closed": "Sold", "Expired": "Expired", "Withdrawn": "Temporarily Withdrawn",
    "Canceled": "Cancelled", "Coming Soon": "Coming Soon", "Hold": "Temp Off Market",
    "Incomplete": "Incomplete", "Delete": "Deleted",
}

# PropertyType -> (weight, [(PropertySubType, weight)])
PROPERTY_TYPES = [
    ("Residential", 70, [("Single Family Residence", 80), ("Condominium", 9), ("Townhouse", 8),
                         ("Manufactured On Land", 3)]),
    ("Residential Lease", 12, [("Single Family Residence", 60), ("Apartment", 20),
                               ("Townhouse", 12), ("Condominium", 8)]),
    ("Land", 7, [("Unimproved Land", 85), ("Ranch", 15)]),
    ("Residential Income", 4, [("Duplex", 60), ("Triplex", 15), ("Quadruplex", 25)]),
    ("Commercial Sale", 3, [("Office", 35), ("Retail", 35), ("Warehouse", 20),
                            ("Mixed Use", 10)]),
    ("Commercial Lease", 2, [("Office", 50), ("Retail", 35), ("Industrial", 15)]),
    ("Farm", 1, [("Farm", 60), ("Agriculture", 40)]),
    ("Business Opportunity", 1, [("Business", 100)]),
]

#: Values for open lookups that the DD lists no values for, by lookup name.
LOCAL_LOOKUP_VALUES = {
    "Disclosures": ["Seller Disclosure", "Lead Based Paint Addendum", "MUD", "Special Assessment",
                    "Survey Available", "Flood Plain", "HOA Addendum"],
    "MediaStatus": ["Active"],
    "ImageSizeDescription": ["Small", "Thumbnail"],
    "City": sorted(c[0] for c in vocab.CITIES),
    "CountyOrParish": sorted({c[1] for c in vocab.CITIES}),
    "HighSchoolDistrict": sorted({c[6] for c in vocab.CITIES}),
    "MlsStatus": sorted(set(MLS_STATUS.values())),
    "StreetSuffix": sorted({s for pair in vocab.STREET_SUFFIXES for s in pair}),
    "ElementarySchool": sorted(vocab.SCHOOL_WORDS),
    "MiddleOrJuniorSchool": sorted(vocab.SCHOOL_WORDS),
    "HighSchool": sorted(vocab.SCHOOL_WORDS),
    "MLSAreaMajor": sorted(vocab.MLS_AREAS),
}


def lookup_values(catalog, lookup):
    """Return every value a lookup can take here: the DD list or the local one."""
    return catalog.values(lookup) or LOCAL_LOOKUP_VALUES.get(lookup, [])


PHOTO_WIDTH, PHOTO_HEIGHT = 320, 240
THUMB_WIDTH, THUMB_HEIGHT = 160, 120


def rng_for(*parts):
    """Return a ``random.Random`` seeded from the joined ``parts`` (stable everywhere)."""
    return random.Random(":".join(str(p) for p in parts))


def weighted(rng, pairs):
    """Pick the first item of one of ``(item, weight)`` pairs by weight."""
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


def key_base(name):
    """Return the first ListingKey number of MLS ``name`` (10 digits, MLS-specific)."""
    return (1 + zlib.crc32(name.encode()) % 8) * 1_000_000_000


def listing_id_prefix(name):
    """Return the letters that start every ListingId of MLS ``name``."""
    letters = "".join(c for c in name.upper() if c.isalpha())
    return (letters or "X")[:3]


def round_price(value, step):
    """Round ``value`` to a multiple of ``step``."""
    return int(round(value / step)) * step


class Profile:
    """What determines an MLS's generated data."""

    def __init__(self, name, seed, clock_us, base_url, same_timestamp_fraction=0.05,
                 share_with=None, share_fraction=0.0, share_count=0):
        self.name = name
        self.seed = seed
        self.clock_us = clock_us
        self.base_url = base_url
        self.same_timestamp_fraction = same_timestamp_fraction
        self.share_with = share_with        # Profile of the MLS to share properties with
        self.share_fraction = share_fraction
        self.share_count = share_count      # listings of that MLS to draw from

    def to_dict(self):
        """Return a picklable description (for worker processes)."""
        return {
            "name": self.name, "seed": self.seed, "clock_us": self.clock_us,
            "base_url": self.base_url, "same_timestamp_fraction": self.same_timestamp_fraction,
            "share_with": self.share_with.to_dict() if self.share_with else None,
            "share_fraction": self.share_fraction, "share_count": self.share_count,
        }

    @classmethod
    def from_dict(cls, data):
        """Inverse of :meth:`to_dict`."""
        share = data["share_with"]
        return cls(data["name"], data["seed"], data["clock_us"], data["base_url"],
                   data["same_timestamp_fraction"], cls.from_dict(share) if share else None,
                   data["share_fraction"], data["share_count"])


class Generator:
    """Generates the records of one MLS from its :class:`Profile`."""

    def __init__(self, catalog, profile, listings):
        self.catalog = catalog
        self.profile = profile
        self.listings = listings
        self.fields = catalog.fields("Property")
        self.tag = "%s:%s" % (profile.name, profile.seed)
        self.key_base = key_base(profile.name)
        self.id_prefix = listing_id_prefix(profile.name)
        self.system_name = "%s MLS" % profile.name.upper()
        self.offices = [self._office(i) for i in range(max(5, listings // 150))]
        self.office_by_key = {o["OfficeKey"]: o for o in self.offices}
        self.members = [self._member(i) for i in range(max(10, listings // 25))]
        self._lookup_cache = {}
        self._shared = None
        if profile.share_with is not None and profile.share_fraction > 0 and profile.share_count:
            self._shared = Generator(catalog, profile.share_with, 0)
        # parcel numbers: unique per property, and per MLS (a block of its own)
        self.parcel_block = 10 + zlib.crc32(("%s:parcel" % self.tag).encode()) % 90
        self.parcel_offset = zlib.crc32(("%s:parcel-offset" % self.tag).encode()) % 1_000_000

    # ----------------------------------------------------------------- keys
    def listing_key(self, index):
        """Return the ListingKey of listing number ``index`` (10 digits, increasing)."""
        return str(self.key_base + index * 10 + zlib.crc32(("%s:%d" % (self.tag, index)).encode()) % 10)

    def listing_id(self, index):
        """Return the ListingId (MLS number) of listing number ``index``."""
        return "%s%07d" % (self.id_prefix, (1234567 + index * 7919) % 10_000_000)

    def lookup_values(self, lookup):
        """Return the values a lookup may take (DD list or local list)."""
        values = self._lookup_cache.get(lookup)
        if values is None:
            values = self._lookup_cache[lookup] = lookup_values(self.catalog, lookup)
        return values

    def _pick(self, rng, field_name, low=1, high=3):
        """Pick ``low``..``high`` distinct values of a multi-valued lookup field."""
        values = self.lookup_values(self.fields[field_name].lookup)
        count = min(len(values), rng.randint(low, high))
        return sorted(rng.sample(values, count)) if count else None

    # --------------------------------------------------------- office/member
    def _office(self, i):
        rng = rng_for(self.tag, "office", i)
        stem, kind = vocab.OFFICE_WORDS[i % len(vocab.OFFICE_WORDS)]
        city = vocab.CITIES[i % len(vocab.CITIES)]
        branch = i // len(vocab.OFFICE_WORDS)
        name = "%s %s" % (stem, kind) + (" - %s" % city[0] if branch else "")
        key = "%sO%05d" % (self.id_prefix, i + 1)
        main_number = (i % len(vocab.OFFICE_WORDS)) + 1
        main = "%sO%05d" % (self.id_prefix, main_number)
        entry = self.profile.clock_us - rng.randint(400, 4000) * DAY_US
        modified = entry + rng.randint(1, 300) * DAY_US
        slug = "".join(c for c in stem.lower() if c.isalnum())
        return {
            "OfficeKey": key, "OfficeMlsId": "%s%04d" % (self.id_prefix, i + 1),
            "OfficeName": name, "OfficePhone": "512-555-%04d" % rng.randint(100, 9999),
            "OfficeEmail": "info@%s.example.com" % slug,
            "OfficeAddress1": "%d %s %s" % (rng.randint(100, 9999),
                                            rng.choice(vocab.STREET_NAMES),
                                            rng.choice(vocab.STREET_SUFFIXES)[0]),
            "OfficeCity": city[0], "OfficeStateOrProvince": "TX", "OfficePostalCode": city[4][0],
            "OfficeStatus": "Active",
            "OfficeType": "Realtor Office" if not branch else "Realtor Branch Office",
            "IDXOfficeParticipationYN": rng.random() < 0.9,
            "MainOfficeKey": main, "MainOfficeMlsId": "%s%04d" % (self.id_prefix, main_number),
            "OfficeBrokerKey": "%sM%06d" % (self.id_prefix, 900000 + i),
            "OfficeBrokerMlsId": "B%05d" % (i + 1),
            "ModificationTimestamp": timeutil.reso_timestamp(modified),
            "OriginalEntryTimestamp": timeutil.reso_timestamp(entry),
            "OriginatingSystemName": self.system_name,
        }

    def _member(self, i):
        rng = rng_for(self.tag, "member", i)
        first = rng.choice(vocab.FIRST_NAMES)
        last = rng.choice(vocab.LAST_NAMES)
        office = self.offices[rng.randrange(len(self.offices))]
        entry = self.profile.clock_us - rng.randint(30, 5000) * DAY_US
        modified = entry + rng.randint(1, 25) * DAY_US
        email_name = "".join(c for c in (first[0] + last).lower() if c.isascii() and c.isalnum())
        return {
            "MemberKey": "%sM%06d" % (self.id_prefix, i + 1),
            "MemberMlsId": "%s%05d" % (last[:1].upper() if last[:1].isascii() else "X", 10000 + i),
            "MemberFirstName": first, "MemberLastName": last,
            "MemberFullName": "%s %s" % (first, last),
            "MemberEmail": "%s%d@%s" % (email_name, i, office["OfficeEmail"].split("@")[1]),
            "MemberDirectPhone": "512-555-%04d" % rng.randint(100, 9999),
            "MemberMobilePhone": "(737) 555-%04d" % rng.randint(100, 9999),
            "MemberStateLicense": "%07d" % rng.randint(400000, 799999),
            "MemberStateLicenseState": "TX",
            "MemberStatus": "Active" if rng.random() < 0.95 else "Inactive",
            "MemberType": weighted(rng, [("MLS Only Salesperson", 70), ("MLS Only Broker", 10),
                                         ("Licensed Assistant", 10), ("Office Manager", 10)]),
            "OfficeKey": office["OfficeKey"], "OfficeMlsId": office["OfficeMlsId"],
            "OfficeName": office["OfficeName"],
            "ModificationTimestamp": timeutil.reso_timestamp(modified),
            "OriginalEntryTimestamp": timeutil.reso_timestamp(entry),
            "OriginatingSystemName": self.system_name,
        }

    def member_for(self, rng):
        """Pick a member (and so an office) for a listing side."""
        return self.members[rng.randrange(len(self.members))]

    # ------------------------------------------------------- physical facts
    def property_facts(self, index):
        """Return the physical facts of property ``index``: address, parcel, structure.

        These are what a second MLS listing the same property repeats.
        """
        rng = rng_for(self.tag, "property", index)
        city = weighted(rng, list(zip(vocab.CITIES, vocab.CITY_WEIGHTS)))
        name, county, lat, lon, zips, ppsf, district = city
        ptype = weighted(rng, [(t, w) for t, w, _ in PROPERTY_TYPES])
        subtype = weighted(rng, next(s for t, _, s in PROPERTY_TYPES if t == ptype))
        number = rng.randint(100, 19999)
        facts = {
            "PropertyType": ptype, "PropertySubType": subtype,
            "StreetNumber": str(number), "StreetNumberNumeric": number,
            "StreetDirPrefix": rng.choice(list(vocab.DIRECTIONS)) if rng.random() < 0.15 else None,
            "StreetName": rng.choice(vocab.STREET_NAMES),
            "StreetSuffix": rng.choice(vocab.STREET_SUFFIXES)[0],
            "UnitNumber": None, "City": name, "StateOrProvince": "TX",
            "PostalCode": rng.choice(zips), "PostalCodePlus4": "%04d" % rng.randint(1000, 9999),
            "CountyOrParish": county, "Country": "US",
            "ParcelNumber": self._parcel_number(rng, index),
            "Latitude": round(lat + rng.uniform(-0.09, 0.09), 6),
            "Longitude": round(lon + rng.uniform(-0.09, 0.09), 6),
            "SubdivisionName": rng.choice(vocab.SUBDIVISION_STEMS)
            + ("" if rng.random() < 0.6 else " Sec %d" % rng.randint(1, 12)),
            "MLSAreaMajor": rng.choice(vocab.MLS_AREAS),
            "ElementarySchool": rng.choice(vocab.SCHOOL_WORDS),
            "MiddleOrJuniorSchool": rng.choice(vocab.SCHOOL_WORDS),
            "HighSchool": rng.choice(vocab.SCHOOL_WORDS),
            "HighSchoolDistrict": district, "_ppsf": ppsf,
        }
        if subtype in ("Condominium", "Apartment", "Townhouse") and rng.random() < 0.8:
            facts["UnitNumber"] = str(rng.randint(1, 450))
        # a RESO UPI (country, county FIPS, parcel) for most properties, from
        # a generator of its own so the other facts stay as they were
        urng = rng_for(self.tag, "upi", index)
        facts["UniversalPropertyId"] = "US-%s-N-%s-R-N" % (
            vocab.COUNTY_FIPS[county], facts["ParcelNumber"].replace("-", "")) \
            if urng.random() < 0.6 else None
        residential = ptype in ("Residential", "Residential Lease", "Residential Income")
        if residential or ptype == "Farm":
            beds = weighted(rng, [(1, 6), (2, 16), (3, 38), (4, 28), (5, 10), (6, 2)])
            if ptype == "Residential Income":
                beds = {"Duplex": 4, "Triplex": 6, "Quadruplex": 8}.get(subtype, 4)
            full = max(1, min(beds, weighted(rng, [(1, 20), (2, 55), (3, 20), (4, 5)])))
            half = weighted(rng, [(0, 55), (1, 40), (2, 5)])
            area = int(beds * rng.uniform(420, 760) + rng.uniform(150, 600))
            facts.update({
                "BedroomsTotal": beds, "BathroomsFull": full, "BathroomsHalf": half,
                "BathroomsTotalInteger": full + half, "LivingArea": area,
                "YearBuilt": weighted(rng, [(rng.randint(1925, 1969), 10),
                                            (rng.randint(1970, 1999), 35),
                                            (rng.randint(2000, 2019), 40),
                                            (rng.randint(2020, 2025), 15)]),
                "StoriesTotal": 1 if area < 1800 and rng.random() < 0.7 else rng.choice([1, 2, 2, 3]),
                "GarageSpaces": float(rng.choice([0, 1, 2, 2, 2, 3])),
            })
        if ptype in ("Commercial Sale", "Commercial Lease", "Business Opportunity"):
            facts["BuildingAreaTotal"] = rng.randint(900, 40000)
            facts["YearBuilt"] = rng.randint(1960, 2024)
        if ptype in ("Land", "Farm"):
            acres = round(rng.uniform(0.2, 12.0) if ptype == "Land" else rng.uniform(10, 300), 4)
        elif subtype in ("Condominium", "Apartment"):
            acres = 0.0
        else:
            acres = round(rng.uniform(0.09, 1.2), 4)
        facts["LotSizeAcres"] = acres
        return facts

    def _parcel_number(self, rng, index):
        """Return the parcel number of property ``index``: unique per property and MLS.

        The random draws of the first version are made and dropped, so that
        every other fact of a property stays what it was.
        """
        unique = (index * 7919 + self.parcel_offset) % 1_000_000
        if rng.random() < 0.5:
            rng.randint(100000, 999999)
            return "R%02d%06d" % (self.parcel_block, unique)
        rng.randint(1, 99)
        rng.randint(0, 9999)
        rng.randint(0, 9999)
        last = rng.randint(0, 99)
        return "%03d-%04d-%04d-%02d" % (self.parcel_block, unique // 100,
                                        (unique % 100) * 100 + last, unique * 7 % 100)

    def property_of(self, index):
        """Return the property of listing ``index`` as ``"<mls>:<n>"``: the truth of dedup.

        Listings of any MLS with the same value are the same property: a
        second MLS's shared listing names the first MLS's property.
        """
        if self._shared is not None and index < self.listings:
            rng = rng_for(self.tag, "listing", index)
            if rng.random() < self.profile.share_fraction:
                return "%s:%d" % (self.profile.share_with.name, index % self.profile.share_count)
        return "%s:%d" % (self.profile.name, index)

    # ----------------------------------------------------------- listings
    def listing(self, index):
        """Return the initial Property record of listing number ``index``.

        A listing of a second MLS that shares the property of the first one
        mostly lists it at the same time (the same listing, cross-listed):
        status, dates and price of the first MLS's listing, a little later.
        """
        rng = rng_for(self.tag, "listing", index)
        facts = None
        if self._shared is not None and rng.random() < self.profile.share_fraction:
            other = index % self.profile.share_count
            facts = reformat_facts(self._shared.property_facts(other), rng)
            status = weighted(rng, STATUS_WEIGHTS)
            record = self._compose(rng, index, facts, status, self._history(rng, status))
            erng = rng_for(self.tag, "episode", index)
            if erng.random() < 0.85:
                cross_list(record, self._shared.listing(other), erng, self.profile.clock_us)
            return record
        facts = self.property_facts(index)
        status = weighted(rng, STATUS_WEIGHTS)
        return self._compose(rng, index, facts, status, self._history(rng, status))

    def shared_new_listing(self, index, at_us, first_record, first_index):
        """Return a new listing of a property the sharing MLS has just listed.

        A second MLS's "new_shared" change: the property of listing
        ``first_index`` of the first MLS, formatted the second MLS's way, at
        the first listing's price.
        """
        rng = rng_for(self.tag, "new-shared", index)
        facts = reformat_facts(self._shared.property_facts(first_index), rng)
        hist = {"entry": at_us, "status_change": at_us, "price_change": None,
                "modified": at_us, "on_market": at_us,
                "contract": None, "close": None, "off_market": None}
        record = self._compose(rng, index, facts, "Active", hist, new=True)
        record["ListPrice"] = first_record["ListPrice"]
        record["OriginalListPrice"] = first_record["ListPrice"]
        record["PreviousListPrice"] = None
        return record

    def new_listing(self, index, at_us, status="Active"):
        """Return a listing entered at ``at_us`` (a "new" change of an advance)."""
        rng = rng_for(self.tag, "new-listing", index)
        facts = self.property_facts(index)
        hist = {"entry": at_us, "status_change": at_us, "price_change": None,
                "modified": at_us, "on_market": at_us if status == "Active"
                else at_us + rng.randint(3, 14) * DAY_US,
                "contract": None, "close": None, "off_market": None}
        return self._compose(rng, index, facts, status, hist, new=True)

    def _history(self, rng, status):
        """Draw the dates of a listing's life so far, ending before the clock."""
        clock = self.profile.clock_us
        hist = {"contract": None, "close": None, "off_market": None, "price_change": None}
        if status == "Closed":
            close = clock - int(rng.triangular(1, 720, 30)) * DAY_US - rng.randint(0, DAY_US)
            contract = close - rng.randint(18, 50) * DAY_US
            entry = contract - int(rng.triangular(2, 200, 20)) * DAY_US
            hist.update(close=close, contract=contract, status_change=close + rng.randint(1, 36) * HOUR_US)
        elif status in ("Pending", "Active Under Contract"):
            contract = clock - rng.randint(1, 45) * DAY_US - rng.randint(0, DAY_US)
            entry = contract - int(rng.triangular(2, 160, 18)) * DAY_US
            hist.update(contract=contract, status_change=contract + rng.randint(1, 20) * HOUR_US)
        elif status in ("Expired", "Withdrawn", "Canceled", "Hold"):
            off = clock - int(rng.triangular(1, 500, 20)) * DAY_US - rng.randint(0, DAY_US)
            entry = off - rng.randint(30, 200) * DAY_US
            hist.update(off_market=off, status_change=off + rng.randint(0, 12) * HOUR_US)
        elif status == "Coming Soon":
            entry = clock - rng.randint(1, 10) * DAY_US - rng.randint(0, DAY_US)
            hist.update(status_change=entry)
        else:
            entry = clock - int(rng.triangular(0, 240, 12)) * DAY_US - rng.randint(HOUR_US, DAY_US)
            hist.update(status_change=entry)
        hist["entry"] = entry
        hist["on_market"] = entry + rng.randint(0, 2) * DAY_US if status != "Coming Soon" \
            else clock + rng.randint(2, 14) * DAY_US
        last = max(hist["status_change"], entry)
        if rng.random() < 0.3 and status not in ("Coming Soon",):
            span = max(1, (last - entry) // MINUTE_US)
            hist["price_change"] = entry + rng.randint(1, span) * MINUTE_US
        last = max(last, hist["price_change"] or 0)
        modified = last + int(rng.random() ** 3 * max(1, clock - last)) + rng.randint(0, 999) * 1000
        hist["modified"] = min(modified, clock - rng.randint(1, 999) * 1000)
        if rng.random() < 0.05:
            hist["modified"] -= hist["modified"] % timeutil.US_PER_SECOND
        return hist

    def _compose(self, rng, index, facts, status, hist, new=False):
        """Build a full Property record from facts, status and history."""
        f = self.catalog
        rec = dict.fromkeys(self.fields)
        rec.update({k: v for k, v in facts.items() if not k.startswith("_")})
        key = self.listing_key(index)
        ptype = facts["PropertyType"]
        lease = ptype in ("Residential Lease", "Commercial Lease")
        area = facts.get("LivingArea") or facts.get("BuildingAreaTotal")
        ppsf = facts["_ppsf"]
        if ptype in ("Land", "Farm"):
            price = round_price(facts["LotSizeAcres"] * rng.uniform(15000, 90000) + 40000, 1000)
        elif ptype == "Residential Lease":
            price = round_price(area * ppsf / 180 * rng.uniform(0.85, 1.15), 25)
        elif ptype == "Commercial Lease":
            price = round_price(area * rng.uniform(1.5, 3.5), 50)
        else:
            price = round_price(area * ppsf * rng.uniform(0.82, 1.22), 1000 if area else 500)
        price = max(price, 500)
        original = price
        if hist["price_change"] is not None:
            original = round_price(price * rng.uniform(1.02, 1.12), 1000 if not lease else 25)
        list_agent = self.member_for(rng)
        list_office = self.office_by_key[list_agent["OfficeKey"]]
        clock = self.profile.clock_us
        on_market = hist["on_market"]
        rec.update({
            "ListingKey": key, "ListingId": self.listing_id(index),
            "OriginatingSystemName": self.system_name, "OriginatingSystemKey": key,
            "SourceSystemName": self.system_name,
            "OriginalEntryTimestamp": timeutil.reso_timestamp(hist["entry"]),
            "StatusChangeTimestamp": timeutil.reso_timestamp(hist["status_change"]),
            "PriceChangeTimestamp": timeutil.reso_timestamp(hist["price_change"])
            if hist["price_change"] else None,
            "StandardStatus": status, "MlsStatus": MLS_STATUS[status],
            "ListPrice": price, "OriginalListPrice": original,
            "PreviousListPrice": original if original != price else None,
            "ListingContractDate": timeutil.iso_date(hist["entry"]),
            "OnMarketDate": timeutil.iso_date(on_market),
            "ExpirationDate": timeutil.iso_date(hist["entry"] + rng.choice([180, 180, 270, 365]) * DAY_US),
            "LivingAreaUnits": "Square Feet" if area else None,
            "LivingAreaSource": rng.choice(f.values("AreaSource")) if facts.get("LivingArea") else None,
            "YearBuiltSource": rng.choice(f.values("YearBuiltSource")) if facts.get("YearBuilt") else None,
            "ListAgentKey": list_agent["MemberKey"], "ListAgentMlsId": list_agent["MemberMlsId"],
            "ListAgentFullName": list_agent["MemberFullName"],
            "ListAgentFirstName": list_agent["MemberFirstName"],
            "ListAgentLastName": list_agent["MemberLastName"],
            "ListAgentEmail": list_agent["MemberEmail"],
            "ListAgentDirectPhone": list_agent["MemberDirectPhone"],
            "ListAgentStateLicense": list_agent["MemberStateLicense"],
            "ListOfficeKey": list_office["OfficeKey"], "ListOfficeMlsId": list_office["OfficeMlsId"],
            "ListOfficeName": list_office["OfficeName"], "ListOfficePhone": list_office["OfficePhone"],
            "InternetEntireListingDisplayYN": rng.random() < 0.96,
            "InternetAddressDisplayYN": rng.random() < 0.93,
            "InternetAutomatedValuationDisplayYN": rng.random() < 0.8,
            "InternetConsumerCommentYN": rng.random() < 0.6,
            "SyndicateTo": self._pick(rng, "SyndicateTo", 0, 4),
            "ListingAgreement": "Exclusive Right To Lease" if lease else
            weighted(rng, [("Exclusive Right To Sell", 92), ("Exclusive Agency", 6), ("Probate", 2)]),
            "ShowingInstructions": rng.choice(vocab.SHOWING_INSTRUCTIONS),
            "PrivateRemarks": rng.choice(vocab.PRIVATE_REMARKS),
            "Directions": rng.choice(vocab.DIRECTIONS_TEMPLATES).format(
                highway=rng.choice(vocab.HIGHWAYS), street=rng.choice(vocab.STREET_NAMES),
                street2=facts["StreetName"], dir=rng.choice(["north", "south", "east", "west"]),
                side=rng.choice(["left", "right"])),
            "Zoning": rng.choice(["SF-2", "SF-3", "SF-6", "MF-2", "GR", "LR", "AG", "RR", "PUD"]),
            "TaxYear": 2024,
            "TaxAnnualAmount": round(price * rng.uniform(0.017, 0.024), 2) if not lease else None,
            "TaxAssessedValue": round_price(price * rng.uniform(0.75, 1.0), 100) if not lease else None,
        })
        self._address(rec, facts.get("_unparsed"))
        self._structure(rng, rec, facts, lease)
        self._status_fields(rng, rec, status, hist, price)
        dom_end = hist.get("close") or hist.get("contract") or hist.get("off_market") or clock
        dom = max(0, (dom_end - on_market) // DAY_US)
        rec["DaysOnMarket"] = dom
        rec["CumulativeDaysOnMarket"] = dom + (rng.choice([0, 0, 0, 14, 45]) if not new else 0)
        photos = 0 if status == "Coming Soon" and rng.random() < 0.5 else \
            weighted(rng, [(rng.randint(1, 8), 15), (rng.randint(9, 24), 45), (rng.randint(25, 40), 40)])
        rec["PhotosCount"] = photos
        photos_at = hist["entry"] if new else hist["entry"] + rng.randint(1, 3000) * 1000
        rec["PhotosChangeTimestamp"] = timeutil.reso_timestamp(photos_at) if photos else None
        if rng.random() < 0.3 and photos:
            tour_host = rng.choice(vocab.VIRTUAL_TOUR_HOSTS)
            rec["VirtualTourURLUnbranded"] = "%s%s%d" % (tour_host, key, rng.randint(10, 99))
        rec["PublicRemarks"] = self._remarks(rng, rec)
        rec["MajorChangeType"], major_ts = self._major_change(hist, status, new)
        rec["MajorChangeTimestamp"] = timeutil.reso_timestamp(major_ts)
        modified = max(hist["modified"], timeutil.parse_instant(rec["PhotosChangeTimestamp"])[0]
                       if rec["PhotosChangeTimestamp"] else 0)
        rec["ModificationTimestamp"] = timeutil.reso_timestamp(modified)
        return rec

    @staticmethod
    def _major_change(hist, status, new):
        if new:
            return ("Coming Soon" if status == "Coming Soon" else "New Listing"), hist["entry"]
        if hist["price_change"] and hist["price_change"] > hist["status_change"]:
            return "Price Change", hist["price_change"]
        if status == "Active" and hist["status_change"] == hist["entry"]:
            return "New Listing", hist["entry"]
        return status, hist["status_change"]

    @staticmethod
    def _address(rec, unparsed=None):
        """Set UnparsedAddress: ``unparsed`` (another MLS's spelling) or "123 N Oak Dr #4"."""
        if unparsed is not None:
            rec["UnparsedAddress"] = unparsed
            return
        parts = [rec["StreetNumber"]]
        if rec["StreetDirPrefix"]:
            parts.append(rec["StreetDirPrefix"])
        parts += [rec["StreetName"], rec["StreetSuffix"]]
        text = " ".join(parts)
        if rec["UnitNumber"]:
            text += " #" + rec["UnitNumber"]
        rec["UnparsedAddress"] = text

    def _structure(self, rng, rec, facts, lease):
        ptype = facts["PropertyType"]
        acres = facts["LotSizeAcres"]
        rec["LotSizeAcres"] = acres if acres else None
        rec["LotSizeSquareFeet"] = round(acres * 43560, 2) if acres else None
        rec["LotSizeArea"] = acres if acres else None
        rec["LotSizeUnits"] = "Acres" if acres else None
        if acres and rng.random() < 0.4:
            rec["LotSizeDimensions"] = "%dx%d" % (rng.randint(50, 120), rng.randint(100, 260))
        rec["LotFeatures"] = self._pick(rng, "LotFeatures", 1, 4)
        rec["Utilities"] = self._pick(rng, "Utilities", 2, 4)
        rec["Sewer"] = [rng.choice(["Public Sewer", "Public Sewer", "Septic Tank", "Aerobic Septic"])]
        rec["WaterSource"] = [rng.choice(["Public", "Public", "Public", "Well", "Private"])]
        rec["View"] = self._pick(rng, "View", 0, 2)
        rec["ViewYN"] = bool(rec["View"])
        rec["WaterfrontYN"] = rng.random() < 0.04
        if rec["WaterfrontYN"]:
            rec["WaterfrontFeatures"] = self._pick(rng, "WaterfrontFeatures", 1, 2)
        rec["Disclosures"] = self._pick(rng, "Disclosures", 0, 3)
        rec["SpecialListingConditions"] = ["Standard"] if rng.random() < 0.93 else self._pick(
            rng, "SpecialListingConditions", 1, 1)
        if not lease:
            rec["ListingTerms"] = self._pick(rng, "ListingTerms", 1, 4)
            rec["Possession"] = self._pick(rng, "Possession", 1, 1)
        else:
            rec["LeaseTerm"] = rng.choice(["12 Months", "12 Months", "6 Months", "24 Months", "Negotiable"])
            rec["Furnished"] = weighted(rng, [("Unfurnished", 85), ("Furnished", 8), ("Partially", 7)])
            rec["PetsAllowed"] = self._pick(rng, "PetsAllowed", 1, 2)
        if ptype in ("Land", "Farm", "Commercial Sale", "Commercial Lease", "Business Opportunity"):
            rec["BuildingAreaTotal"] = facts.get("BuildingAreaTotal")
            rec["YearBuilt"] = facts.get("YearBuilt")
            return
        rec["BuildingAreaTotal"] = facts["LivingArea"]
        rec["Levels"] = ["One"] if facts["StoriesTotal"] == 1 else \
            [rng.choice(["Two", "Multi/Split", "Three Or More"])]
        rec["ArchitecturalStyle"] = self._pick(rng, "ArchitecturalStyle", 1, 2)
        rec["ConstructionMaterials"] = self._pick(rng, "ConstructionMaterials", 1, 3)
        rec["Roof"] = self._pick(rng, "Roof", 1, 1)
        rec["FoundationDetails"] = ["Slab"] if rng.random() < 0.85 else \
            self._pick(rng, "FoundationDetails", 1, 1)
        rec["Flooring"] = self._pick(rng, "Flooring", 1, 3)
        rec["HeatingYN"] = True
        rec["Heating"] = self._pick(rng, "Heating", 1, 2)
        rec["CoolingYN"] = True
        rec["Cooling"] = self._pick(rng, "Cooling", 1, 2)
        rec["FireplaceYN"] = rng.random() < 0.55
        rec["FireplacesTotal"] = rng.choice([1, 1, 2]) if rec["FireplaceYN"] else 0
        if rec["FireplaceYN"]:
            rec["FireplaceFeatures"] = self._pick(rng, "FireplaceFeatures", 1, 2)
        rec["Appliances"] = self._pick(rng, "Appliances", 3, 7)
        rec["InteriorFeatures"] = self._pick(rng, "InteriorFeatures", 3, 8)
        rec["ExteriorFeatures"] = self._pick(rng, "ExteriorFeatures", 1, 4)
        rec["LaundryFeatures"] = self._pick(rng, "LaundryFeatures", 1, 3)
        rec["WindowFeatures"] = self._pick(rng, "WindowFeatures", 0, 3)
        rec["PatioAndPorchFeatures"] = self._pick(rng, "PatioAndPorchFeatures", 1, 3)
        garage = facts.get("GarageSpaces", 0.0)
        rec["GarageYN"] = garage > 0
        rec["GarageSpaces"] = garage
        rec["AttachedGarageYN"] = garage > 0 and rng.random() < 0.85
        rec["ParkingFeatures"] = self._pick(rng, "ParkingFeatures", 1, 4)
        rec["ParkingTotal"] = garage + rng.choice([0.0, 2.0, 2.0, 4.0])
        rec["PoolPrivateYN"] = rng.random() < 0.22
        if rec["PoolPrivateYN"]:
            rec["PoolFeatures"] = self._pick(rng, "PoolFeatures", 1, 3)
        rec["Fencing"] = self._pick(rng, "Fencing", 0, 2)
        rec["NewConstructionYN"] = facts["YearBuilt"] >= 2024
        if rec["NewConstructionYN"]:
            rec["BuilderName"] = rng.choice(vocab.BUILDERS)
        rec["PropertyCondition"] = ["New Construction"] if rec["NewConstructionYN"] else \
            self._pick(rng, "PropertyCondition", 0, 1)
        rec["GreenEnergyEfficient"] = self._pick(rng, "GreenEnergyEfficient", 0, 2)
        rec["SecurityFeatures"] = self._pick(rng, "SecurityFeatures", 0, 3)
        rec["CommunityFeatures"] = self._pick(rng, "CommunityFeatures", 0, 4)
        rec["AccessibilityFeatures"] = self._pick(rng, "AccessibilityFeatures", 0, 1) \
            if rng.random() < 0.15 else None
        rec["DirectionFaces"] = rng.choice(self.lookup_values(self.fields["DirectionFaces"].lookup))
        rec["HomeWarrantyYN"] = rng.random() < 0.2
        rec["SeniorCommunityYN"] = rec["SubdivisionName"].startswith("Sun City")
        rec["AssociationYN"] = rng.random() < 0.65
        if rec["AssociationYN"]:
            rec["AssociationFee"] = float(rng.choice([35, 45, 60, 75, 95, 120, 250, 400, 650]))
            rec["AssociationFeeFrequency"] = rng.choice(["Monthly", "Monthly", "Quarterly", "Annually"])
            rec["AssociationName"] = "%s HOA" % rec["SubdivisionName"].split(" Sec ")[0]
            rec["AssociationAmenities"] = self._pick(rng, "AssociationAmenities", 1, 4)
            rec["AssociationFeeIncludes"] = self._pick(rng, "AssociationFeeIncludes", 1, 3)
        if ptype == "Residential Income":
            rec["NumberOfUnitsTotal"] = {"Duplex": 2, "Triplex": 3, "Quadruplex": 4}.get(
                rec["PropertySubType"], 2)
        if rng.random() < 0.3:
            rec["Inclusions"] = "Refrigerator, washer and dryer"
        if rng.random() < 0.15:
            rec["Exclusions"] = "Dining room chandelier; garage shelving"

    def _status_fields(self, rng, rec, status, hist, price):
        if hist["contract"] is not None:
            rec["PurchaseContractDate"] = timeutil.iso_date(hist["contract"])
            rec["ContractStatusChangeDate"] = timeutil.iso_date(hist["status_change"])
        if hist["off_market"] is not None:
            rec["OffMarketDate"] = timeutil.iso_date(hist["off_market"])
            rec["ContractStatusChangeDate"] = timeutil.iso_date(hist["status_change"])
        if status == "Closed":
            close_price = round_price(price * rng.uniform(0.93, 1.05), 500)
            self.close(rec, rng, hist["close"], close_price)
        if rng.random() < 0.12:
            co = self.member_for(rng)
            rec["CoListAgentKey"] = co["MemberKey"]
            rec["CoListAgentMlsId"] = co["MemberMlsId"]
            rec["CoListAgentFullName"] = co["MemberFullName"]
            rec["CoListOfficeKey"] = co["OfficeKey"]
            rec["CoListOfficeName"] = co["OfficeName"]

    def close(self, rec, rng, close_us, close_price):
        """Set the fields of a closed sale: price, date and buyer side."""
        buyer = self.member_for(rng)
        rec["ClosePrice"] = close_price
        rec["CloseDate"] = timeutil.iso_date(close_us)
        rec["BuyerAgentKey"] = buyer["MemberKey"]
        rec["BuyerAgentMlsId"] = buyer["MemberMlsId"]
        rec["BuyerAgentFullName"] = buyer["MemberFullName"]
        rec["BuyerOfficeKey"] = buyer["OfficeKey"]
        rec["BuyerOfficeMlsId"] = self.office_by_key[buyer["OfficeKey"]]["OfficeMlsId"]
        rec["BuyerOfficeName"] = buyer["OfficeName"]
        rec["BuyerFinancing"] = self._pick(rng, "BuyerFinancing", 1, 1)
        rec["OffMarketDate"] = rec["CloseDate"]

    @staticmethod
    def _remarks(rng, rec):
        style = (rec["ArchitecturalStyle"] or ["home"])[0].lower() + " home" \
            if rec["ArchitecturalStyle"] else rec["PropertySubType"].lower()
        values = {
            "style": style, "subdivision": rec["SubdivisionName"], "city": rec["City"],
            "beds": rec["BedroomsTotal"] or "", "baths": rec["BathroomsTotalInteger"] or "",
            "area": "{:,}".format(int(rec["LivingArea"] or rec["BuildingAreaTotal"] or 0)),
            "suffix_long": dict(vocab.STREET_SUFFIXES).get(rec["StreetSuffix"], "street").lower(),
            "district": rec["HighSchoolDistrict"],
        }
        parts = [rng.choice(vocab.REMARK_OPENERS)]
        parts += rng.sample(vocab.REMARK_MIDDLES, rng.randint(3, 6))
        parts.append(rng.choice(vocab.REMARK_CLOSERS))
        return " ".join(p.format(**values) for p in parts)

    # -------------------------------------------------- related resources
    def open_houses(self, rec):
        """Return the OpenHouse records of an active listing (zero to two)."""
        if rec["StandardStatus"] not in ("Active", "Coming Soon"):
            return []
        rng = rng_for(self.tag, "openhouse", rec["ListingKey"])
        count = weighted(rng, [(0, 70), (1, 22), (2, 8)])
        clock = self.profile.clock_us
        result = []
        for n in range(count):
            day = clock + rng.randint(-10, 14) * DAY_US
            date = timeutil.iso_date(day, timeutil.zone("America/Chicago"))
            start_local = _dt.datetime.fromisoformat(date).replace(
                hour=rng.choice([10, 11, 13, 14]), tzinfo=timeutil.zone("America/Chicago"))
            start = timeutil.from_datetime(start_local)
            end = start + rng.choice([2, 2, 3]) * HOUR_US
            agent = self.member_for(rng)
            status = "Ended" if end < clock else ("Canceled" if rng.random() < 0.05 else "Active")
            entry = min(start, clock) - rng.randint(1, 7) * DAY_US
            result.append({
                "OpenHouseKey": "%s-OH%d" % (rec["ListingKey"], n + 1),
                "OpenHouseId": "%s-%d" % (rec["ListingId"], n + 1),
                "ListingKey": rec["ListingKey"], "ListingId": rec["ListingId"],
                "OpenHouseDate": date,
                "OpenHouseStartTime": timeutil.reso_timestamp(start),
                "OpenHouseEndTime": timeutil.reso_timestamp(end),
                "OpenHouseStatus": status,
                "OpenHouseType": weighted(rng, [("Public", 85), ("Broker", 15)]),
                "OpenHouseRemarks": rng.choice(vocab.OPEN_HOUSE_REMARKS),
                "Refreshments": rng.choice([None, "Cookies and lemonade", "Breakfast tacos"]),
                "ShowingAgentKey": agent["MemberKey"], "ShowingAgentMlsID": agent["MemberMlsId"],
                "ShowingAgentFirstName": agent["MemberFirstName"],
                "ShowingAgentLastName": agent["MemberLastName"],
                "ModificationTimestamp": timeutil.reso_timestamp(entry + rng.randint(0, 3600) * 1000),
                "OriginalEntryTimestamp": timeutil.reso_timestamp(entry),
                "OriginatingSystemName": self.system_name,
            })
        return result


def media_url(base_url, mls_name, key, n, version, floorplan=False, spaced=False):
    """The URL of photo ``n`` of a listing (the same in Media rows and RETS Location).

    ``spaced``: the file is named after the photo, with raw spaces, as some
    photo servers write their URLs (``/<key>/3 - Front Yard (3).jpg``).
    """
    name = "%d - %s (%d)" % (n, "Floor Plan" if floorplan else "Front Yard", n) if spaced else str(n)
    return "%s/%s/media/%s/%s.%s?v=%d" % (base_url, mls_name, key, name,
                                          "png" if floorplan else "jpg", version)


def media_rows(mls_name, base_url, key, listing_id, count, version, changed, system_name,
               replaced=None, large=False, floorplans=False, spaced=False):
    """Return the Media records of a listing's photos.

    ``version`` counts photo replacements; MediaKeys and URLs carry it, so a
    photo change replaces every Media row of the listing.  ``replaced``
    maps the numbers of photos replaced one by one since to their own
    MediaModificationTimestamp.  With ``floorplans`` photo 2 is a PNG floor
    plan; ``large`` photos are 1024x768; ``spaced`` URLs have raw spaces.
    """
    rows = []
    replaced = replaced or {}
    for n in range(1, count + 1):
        rng = rng_for(mls_name, "media", key, version, n)
        plan = floorplans and n == 2
        stamp = replaced.get(n, changed)
        width, height = (800, 600) if plan else (1024, 768) if large else (PHOTO_WIDTH, PHOTO_HEIGHT)
        rows.append({
            "MediaKey": "%s-%d-%02d" % (key, version, n),
            "ResourceName": "Property", "ResourceRecordKey": key, "ResourceRecordID": listing_id,
            "MediaURL": media_url(base_url, mls_name, key, n, version, plan, spaced),
            "Order": n, "MediaCategory": "FloorPlan" if plan else "Photo",
            "MediaType": "png" if plan else "jpeg",
            "Permission": ["IDX", "Public", "VOW"] if n > 1 or rng.random() < 0.9 else ["Private"],
            "ImageWidth": width, "ImageHeight": height,
            "ImageSizeDescription": "Large" if large or plan else "Small",
            "ShortDescription": rng.choice(vocab.PHOTO_DESCRIPTIONS),
            "LongDescription": None, "PreferredPhotoYN": n == 1,
            "MediaModificationTimestamp": stamp, "ModificationTimestamp": stamp,
            "MediaObjectID": "%s_%d" % (listing_id, n), "MediaStatus": "Active",
            "OriginatingSystemName": system_name,
        })
    return rows


def strip_accents(text):
    """Return ``text`` without accents ("Peñasco" -> "Penasco"), as some feeds send it."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def reformat_facts(facts, rng):
    """Return the facts of a shared property as a second MLS formats them.

    The same property, written the way another MLS writes it: the street
    suffix spelled out, left as is, written into the street name or left
    out; directions spelled out; the street name upper-cased or without its
    accents, now and then with a typo; the unit as "4", "#4", "Unit 4",
    "Apt 4" or "04", or only in UnparsedAddress; the parcel number without
    dashes, with blanks, in lower case, without its leading zero, or
    missing; the county with "County" or upper-cased; the ZIP code with its
    plus-4; coordinates a few metres away (now and then missing); the UPI
    missing half the time.  The UnparsedAddress is written from these.
    """
    out = dict(facts)
    short = facts["StreetSuffix"]
    full = dict(vocab.STREET_SUFFIXES).get(short, short)
    name = facts["StreetName"]
    if rng.random() < 0.5:
        name = strip_accents(name)
    if rng.random() < 0.25:
        name = name.upper()
    if rng.random() < 0.03:
        # a typo: one letter of the name left out
        at = rng.randrange(1, len(name))
        name = name[:at] + name[at + 1:]
    style = weighted(rng, [("full", 60), ("short", 25), ("in_name", 10), ("missing", 5)])
    suffix = {"full": full, "short": short}.get(style)
    if style == "in_name":
        name = "%s %s" % (name, rng.choice([short, full]))
    out["StreetName"] = name
    out["StreetSuffix"] = suffix
    direction = facts["StreetDirPrefix"]
    if direction and rng.random() < 0.6:
        direction = vocab.DIRECTIONS[direction]
    out["StreetDirPrefix"] = direction

    unit = facts["UnitNumber"]
    unit_text = None
    if unit:
        form = weighted(rng, [("plain", 35), ("hash", 15), ("unit", 20), ("apt", 15),
                              ("zero", 10), ("unparsed_only", 5)])
        out["UnitNumber"] = {"plain": unit, "hash": "#" + unit, "unit": "Unit " + unit,
                             "apt": "Apt " + unit, "zero": "0" + unit}.get(form)
        unit_text = rng.choice(["Unit %s", "Apt. %s", "#%s", "No. %s", "Ste %s", "Apt %s"]) % unit

    parcel = facts["ParcelNumber"]
    style = weighted(rng, [("nodash", 35), ("blank", 15), ("lower", 10), ("nozero", 15),
                           ("same", 10), ("missing", 15)])
    out["ParcelNumber"] = {
        "nodash": parcel.replace("-", ""), "blank": parcel.replace("-", " "),
        "lower": parcel.lower(), "nozero": parcel.lstrip("0"), "same": parcel,
    }.get(style)

    county = facts["CountyOrParish"]
    out["CountyOrParish"] = weighted(rng, [(county, 55), (county + " County", 30), (county.upper(), 15)])
    if rng.random() < 0.3:
        out["PostalCode"] = "%s-%s" % (facts["PostalCode"], facts["PostalCodePlus4"])
    if rng.random() < 0.05:
        out["Latitude"] = out["Longitude"] = None
    else:
        out["Latitude"] = round(facts["Latitude"] + rng.uniform(-0.00005, 0.00005), 6)
        out["Longitude"] = round(facts["Longitude"] + rng.uniform(-0.00005, 0.00005), 6)
    if facts.get("UniversalPropertyId") and rng.random() < 0.5:
        out["UniversalPropertyId"] = None

    parts = [facts["StreetNumber"]]
    if direction:
        parts.append(direction)
    parts.append(name)
    if suffix:
        parts.append(suffix)
    if unit_text:
        parts.append(unit_text)
    out["_unparsed"] = " ".join(parts)
    return out


#: The fields of a listing's market life: a cross-listing repeats them.
EPISODE_FIELDS = (
    "StandardStatus", "MlsStatus", "ListPrice", "OriginalListPrice", "PreviousListPrice",
    "ClosePrice", "CloseDate", "ListingContractDate", "OnMarketDate", "OffMarketDate",
    "PurchaseContractDate", "ContractStatusChangeDate", "ExpirationDate", "DaysOnMarket",
    "CumulativeDaysOnMarket", "StatusChangeTimestamp", "PriceChangeTimestamp", "MajorChangeType",
    "MajorChangeTimestamp", "BuyerFinancing",
)


def cross_list(record, first, rng, clock_us):
    """Make ``record`` the cross-listing of ``first`` (the first MLS's listing).

    Same status, dates and prices; entered and modified a little later (up
    to a day, never after the clock); the buyer side left out (the buyer's
    agent is a member of the other MLS).
    """
    for name in EPISODE_FIELDS:
        record[name] = first[name]
    for name in ("BuyerAgentKey", "BuyerAgentMlsId", "BuyerAgentFullName", "BuyerOfficeKey",
                 "BuyerOfficeMlsId", "BuyerOfficeName"):
        record[name] = None
    later = rng.randint(60, 24 * 3600) * timeutil.US_PER_SECOND
    entry = timeutil.parse_instant(first["OriginalEntryTimestamp"])[0]
    record["OriginalEntryTimestamp"] = timeutil.reso_timestamp(min(entry + later, clock_us - 2000))
    modified = timeutil.parse_instant(first["ModificationTimestamp"])[0] + later
    if record["PhotosChangeTimestamp"]:
        modified = max(modified, timeutil.parse_instant(record["PhotosChangeTimestamp"])[0])
    record["ModificationTimestamp"] = timeutil.reso_timestamp(min(modified, clock_us - 1000))


def to_enum_spelling(record, fields, catalog):
    """Return a copy of ``record`` with lookup values as EnumType member names."""
    out = dict(record)
    for name, value in record.items():
        field = fields.get(name)
        if value is None or field is None or not field.is_lookup:
            continue
        lookup = field.lookup or name
        if isinstance(value, list):
            out[name] = [catalog.legacy(lookup, v) for v in value]
        else:
            out[name] = catalog.legacy(lookup, value)
    return out
