"""Volume options: wide records (every RESO DD 2.0 Property field in every
record, 20 kB and more) and compressed record storage.  Both are off by
default and reset-only; wide records are served, paged, filtered, advanced
and reported by the truth like any other; compressed storage serves exactly
the bytes plain storage serves."""

import hashlib
import json
import os
import unittest

from mlsserver import dd
from tests.support import REPO, ServerProcess

SERVER = None
ORDER = "ModificationTimestamp asc,ListingKey asc"


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=20, seed=3).start()


def tearDownModule():
    SERVER.stop()


def all_pages(mls, token, params):
    """Every record of a query, following nextLinks; returns (records, raw page bodies)."""
    reply = SERVER.reso(mls, "Property", token, params=params)
    bodies, records = [], []
    while True:
        assert reply.status == 200, (reply.status, reply.body[:300])
        bodies.append(reply.body)
        doc = reply.json()
        records += doc["value"]
        link = doc.get("@odata.nextLink")
        if not link:
            return records, bodies
        reply = SERVER.follow(link, token)


def property_fields():
    """Every Property field of the dictionary that is a field (not an expansion)."""
    facts, _ = dd.read_sql_facts(os.path.join(REPO, "sql", "src", "11_reso_dd_data.sql"))
    return {name for (resource, name), (simple_type, _l, _n, _s) in facts.items()
            if resource == "Property" and simple_type not in ("Resource", "Collection")}


class OptionsTest(unittest.TestCase):
    def test_defaults_and_validation(self):
        options = SERVER.control("GET", "mls?mls=demo")["options"]
        self.assertEqual((options["wide_records"], options["record_storage"]), (False, "plain"))
        for bad in ({"wide_records": 1}, {"record_storage": "gzip"}):
            reply = SERVER.request("POST", "/control/reset", body=dict(bad, mls="bad"))
            self.assertEqual(reply.status, 400, bad)
        for data in ({"wide_records": True}, {"record_storage": "compressed"}):
            reply = SERVER.request("POST", "/control/configure", body=dict(data, mls="demo"))
            self.assertEqual(reply.status, 400, data)
            self.assertIn("reset", json.loads(reply.body)["error"])

    def test_default_records_are_narrow(self):
        record = SERVER.truth_records("demo")[0]
        self.assertLess(len(record), 200)
        self.assertLess(len(json.dumps(record)), 12000)


class WideRecordsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        SERVER.reset("w", listings=300, seed=7, wide_records=True, page_max=100)
        cls.token = SERVER.token("w")

    def test_every_field_and_size(self):
        records, bodies = all_pages("w", self.token, {"$orderby": ORDER})
        self.assertEqual(len(records), 300)
        fields = property_fields()
        for record in records:
            self.assertGreaterEqual(len(record), 600)
            self.assertEqual(set(record), fields, "every DD Property field, nothing else")
        sizes = [len(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode()) for r in records]
        self.assertGreaterEqual(min(sizes), 20000)
        nulls = sum(v is None for v in records[0].values())
        self.assertTrue(50 < nulls < 200, nulls)
        self.assertGreater(len({json.dumps(r["ZoningDescription"]) for r in records}), 3,
                           "added fields vary from listing to listing")

    def test_curated_fields_unchanged(self):
        SERVER.reset("cw", listings=100, seed=7)
        narrow = SERVER.truth_records("cw")
        SERVER.reset("cw", listings=100, seed=7, wide_records=True)
        wide = {r["ListingKey"]: r for r in SERVER.truth_records("cw")}
        self.assertEqual(len(wide), len(narrow))
        for record in narrow:
            self.assertEqual({k: wide[record["ListingKey"]][k] for k in record}, record)

    def test_truth_hashes_served_bytes(self):
        records, _ = all_pages("w", self.token, {"$orderby": ORDER})
        truth = SERVER.truth("w")
        for record in records:
            digest = hashlib.sha256(json.dumps(record, ensure_ascii=False,
                                               separators=(",", ":")).encode()).hexdigest()
            self.assertEqual(truth["keys"][record["ListingKey"]], digest)

    def test_filters_select_and_advance(self):
        active, _ = all_pages("w", self.token, {"$filter": "StandardStatus eq 'Active'",
                                                "$orderby": ORDER})
        self.assertTrue(active and all(r["StandardStatus"] == "Active" for r in active))
        selected, _ = all_pages("w", self.token, {"$select": "ListingKey,ListPrice",
                                                  "$orderby": ORDER, "$top": "10"})
        self.assertEqual(set(selected[0]), {"ListingKey", "ListPrice"})
        before = SERVER.truth("w")["max_modification_timestamp"]
        changed = SERVER.control("POST", "advance", {"mls": "w", "seed": 2, "new": 4,
                                                     "price_cut": 5, "closed": 3})["changed"]
        since, _ = all_pages("w", self.token, {"$filter": "ModificationTimestamp gt %s" % before,
                                               "$orderby": ORDER})
        self.assertEqual({r["ListingKey"] for r in since},
                         set(changed["new"] + changed["price_cut"] + changed["closed"]))
        for record in since:
            self.assertGreaterEqual(len(record), 600, "changed and new listings stay wide")


class CompressedStorageTest(unittest.TestCase):
    """The same MLS (name, seed) served from plain and from compressed storage."""

    @staticmethod
    def served(storage, **options):
        SERVER.reset("c", listings=250, seed=9, page_max=60, record_storage=storage, **options)
        token = SERVER.token("c")
        _, pages = all_pages("c", token, {"$orderby": ORDER})
        truth = SERVER.truth("c")["keys"]
        key = next(iter(truth))
        entity = SERVER.reso("c", "Property('%s')" % key, token).body
        changed = SERVER.control("POST", "advance", {"mls": "c", "seed": 4, "new": 5, "price_cut": 6,
                                                     "pending": 3, "deleted": 2})["changed"]
        _, after = all_pages("c", token, {"$orderby": ORDER})
        return pages, truth, entity, changed, after, SERVER.truth("c")["keys"]

    def test_same_bytes_as_plain(self):
        self.assertEqual(self.served("plain"), self.served("compressed"))

    def test_wide_and_compressed(self):
        self.assertEqual(self.served("plain", wide_records=True),
                         self.served("compressed", wide_records=True))


if __name__ == "__main__":
    unittest.main()
