"""A vendor's visibility flag in the RESO feed (MLS Grid's ``MlgCanView``).

With the reset-only option ``visibility_field`` set to a member name, every
Property record the RESO Web API serves carries that member, ``true``.  A
listing the market deletes does not leave the RESO feed: it stays, stamped
anew at the deletion's time, with the member ``false``, as MLS Grid keeps
such records so that replicating clients see them go (and asks initial
imports to filter on the flag).  The truth and RETS hold the visible
listings only; ``$filter`` and ``$select`` know the member as a Boolean.
Off (``null``) by default; applied to freshly built listings before the
quirks' and volume's decorations (:func:`decorate_generated`,
:func:`decorate_advance`), to deleted ones by :func:`hide`, and to those an advance shows again
(``restored``) by :func:`restore`.
"""

import re

from . import dd, market, timeutil

#: Options (reset only), with their defaults.
DEFAULTS = {
    "visibility_field": None,       # a member name: MLS Grid's MlgCanView
}

DATA_OPTIONS = ("visibility_field",)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


def validate(opts, error):
    """Check the visibility option of a merged option dict; raise ``error(message)``."""
    name = opts["visibility_field"]
    if name is not None and not (isinstance(name, str) and _NAME.fullmatch(name)):
        raise error("visibility_field must be null or a member name (a letter or _, then "
                    "letters, digits and _)")


def field(mls):
    """The flag as a :class:`dd.Field` of Property, or None when the option is off."""
    name = mls.options["visibility_field"]
    return dd.Field("Property", name, dd.BOOLEAN, None, None, None) if name else None


def _flagged(mls, listing, visible, stamp=None):
    """Return the listing rebuilt with the flag (and, with ``stamp``, that ModificationTimestamp)."""
    record = listing.display()
    record[mls.options["visibility_field"]] = visible
    if stamp is not None:
        record["ModificationTimestamp"] = timeutil.reso_timestamp(stamp)
    return market.make_listing(record, mls.catalog, mls.enum_mode, listing.photos_version,
                               listing.index, listing.photo_revs, listing.property)


def decorate_generated(mls, generated):
    """Give generated ``[(Listing, open houses)]`` the flag, true."""
    name = mls.options["visibility_field"]
    if not name:
        return generated
    if name in mls.catalog.fields("Property"):
        raise market.ConfigError("visibility_field %r is a Data Dictionary field of Property" % name)
    return [(_flagged(mls, listing, True), houses) for listing, houses in generated]


def decorate_advance(mls, listings, changed):
    """Give the listings an advance created or changed the flag, true (``listings`` is updated)."""
    if not mls.options["visibility_field"]:
        return
    for kind, keys in changed.items():
        if kind == "deleted":
            continue
        for key in keys:
            listings[key] = _flagged(mls, listings[key], True)


def hide(mls, listing, stamp):
    """The record a deleted listing leaves in the RESO feed (the option is on)."""
    return _flagged(mls, listing, False, stamp)


def restore(mls, listing, stamp):
    """A withdrawn listing visible again, stamped anew (advance kind ``restored``)."""
    return _flagged(mls, listing, True, stamp)
