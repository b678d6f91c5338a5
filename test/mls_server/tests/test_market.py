"""Generated data, determinism, the second MLS for deduplication, and market time."""

import collections
import hashlib
import json
import re
import unittest

from mlsserver.timeutil import parse_instant
from tests.support import ServerProcess, RetsSession, compact_rows

SERVER = None
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=400, seed=11).start()


def tearDownModule():
    SERVER.stop()


class DataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.records = SERVER.truth_records("demo")

    def test_size_and_shape(self):
        self.assertEqual(len(self.records), 400)
        sizes = [len(json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode()) for r in self.records]
        self.assertGreaterEqual(min(sizes), 4000)
        self.assertLessEqual(max(sizes), 8192)
        fields = list(self.records[0])
        self.assertGreaterEqual(len(fields), 150)
        self.assertTrue(all(list(r) == fields for r in self.records), "same key order everywhere")

    def test_types(self):
        for r in self.records:
            self.assertRegex(r["ModificationTimestamp"], TS_RE)
            self.assertRegex(r["OriginalEntryTimestamp"], TS_RE)
            self.assertRegex(r["ListingContractDate"], DATE_RE)
            self.assertIsInstance(r["ListPrice"], (int, float))
            self.assertIsInstance(r["InternetEntireListingDisplayYN"], bool)
            self.assertIsInstance(r["Latitude"], float)
            self.assertIsInstance(r["PhotosCount"], int)
            for multi in ("Appliances", "SyndicateTo", "LotFeatures"):
                self.assertTrue(r[multi] is None or isinstance(r[multi], list))
        precisions = collections.Counter(len(r["ModificationTimestamp"].split(".")[1]) - 1
                                         if "." in r["ModificationTimestamp"] else 0 for r in self.records)
        self.assertGreaterEqual(len(precisions), 3, "variable fractional precision: %s" % precisions)

    def test_realistic_values(self):
        statuses = collections.Counter(r["StandardStatus"] for r in self.records)
        self.assertEqual(statuses.most_common(1)[0][0], "Active")
        self.assertGreater(statuses["Closed"], statuses["Pending"])
        self.assertTrue({"Expired", "Withdrawn", "Canceled", "Active Under Contract"} <= set(statuses))
        for r in self.records:
            self.assertTrue(29.5 < r["Latitude"] < 31.0 and -98.3 < r["Longitude"] < -97.1)
            self.assertRegex(r["PostalCode"], r"^7\d{4}$")
            self.assertEqual(r["StateOrProvince"], "TX")
            if r["StandardStatus"] == "Closed":
                self.assertIsNotNone(r["ClosePrice"])
                self.assertRegex(r["CloseDate"], DATE_RE)
                self.assertIsNotNone(r["BuyerAgentKey"])
        self.assertGreater(len({r["City"] for r in self.records}), 10)
        self.assertGreater(len({r["SubdivisionName"] for r in self.records}), 30)
        self.assertGreater(len({r["ListAgentKey"] for r in self.records}), 5)

    def test_timestamp_clusters(self):
        counts = collections.Counter(r["ModificationTimestamp"] for r in self.records)
        self.assertGreater(counts.most_common(1)[0][1], 2, "some records share a timestamp")

    def test_truth_summary_hashes(self):
        summary = SERVER.truth("demo")
        self.assertEqual(summary["count"], 400)
        lines = SERVER.get("/control/truth?mls=demo&format=jsonl").body.splitlines()
        for line in lines:
            key = json.loads(line)["ListingKey"]
            self.assertEqual(summary["keys"][key], hashlib.sha256(line).hexdigest())
        self.assertEqual(summary["max_modification_timestamp"],
                         max(self.records, key=lambda r: r["ModificationTimestamp"].rstrip("Z").ljust(23, "0"))
                         ["ModificationTimestamp"])

    def test_deterministic_from_seed(self):
        SERVER.reset("d1", listings=60, seed=5)
        first = SERVER.get("/control/truth?mls=d1&format=jsonl").body
        SERVER.reset("d1", listings=60, seed=5)
        self.assertEqual(SERVER.get("/control/truth?mls=d1&format=jsonl").body, first)
        SERVER.reset("d1", listings=60, seed=6)
        self.assertNotEqual(SERVER.get("/control/truth?mls=d1&format=jsonl").body, first)
        other = ServerProcess(listings=10, seed=1).start()
        try:
            other.reset("d1", listings=60, seed=5)
            self.assertEqual(other.get("/control/truth?mls=d1&format=jsonl").body, first,
                             "another process (another hash seed) generates the same bytes")
        finally:
            other.stop()

    def test_second_mls_shares_properties(self):
        SERVER.reset("b", listings=200, seed=12, share_with="demo", share_fraction=0.3)
        first = {r["ListingKey"]: r for r in self.records}
        second = {r["ListingKey"]: r for r in SERVER.truth_records("b")}
        self.assertFalse(set(first) & set(second))
        truth_a = SERVER.control("GET", "truth?mls=demo&format=properties")["properties"]
        truth_b = SERVER.control("GET", "truth?mls=b&format=properties")["properties"]
        self.assertEqual(set(truth_a), set(first))
        self.assertEqual(set(truth_b), set(second))
        self.assertEqual(len(set(truth_a.values())), len(truth_a), "one property per listing of demo")
        by_property = {p: k for k, p in truth_a.items()}
        shared = [(first[by_property[p]], second[k]) for k, p in truth_b.items() if p in by_property]
        self.assertTrue(30 <= len(shared) <= 90, len(shared))
        self.assertEqual(len(shared), sum(1 for p in truth_b.values() if p.startswith("demo:")))
        counts = {"address": 0, "parcel": 0, "parcel_missing": 0, "upi_missing": 0,
                  "same_status": 0, "suffix": 0}
        for a, b in shared:
            # the same physical property ...
            self.assertEqual(a["StreetNumber"], b["StreetNumber"])
            self.assertEqual(a["BedroomsTotal"], b["BedroomsTotal"])
            self.assertEqual(a["LivingArea"], b["LivingArea"])
            self.assertEqual(a["PostalCode"], b["PostalCode"][:5])
            if b["Latitude"] is not None:
                self.assertAlmostEqual(a["Latitude"], b["Latitude"], delta=0.00006)
            # ... written another way
            counts["address"] += a["UnparsedAddress"] != b["UnparsedAddress"]
            counts["suffix"] += a["StreetSuffix"] != b["StreetSuffix"]
            counts["parcel"] += b["ParcelNumber"] is not None and a["ParcelNumber"] != b["ParcelNumber"]
            counts["parcel_missing"] += b["ParcelNumber"] is None
            counts["upi_missing"] += a["UniversalPropertyId"] is not None and b["UniversalPropertyId"] is None
            counts["same_status"] += a["StandardStatus"] == b["StandardStatus"]
            if b["ParcelNumber"] is not None:
                self.assertEqual(a["ParcelNumber"].replace("-", "").lstrip("0").upper(),
                                 b["ParcelNumber"].replace("-", "").replace(" ", "").lstrip("0").upper())
        self.assertGreater(counts["address"], len(shared) * 0.6, counts)
        self.assertGreater(counts["suffix"], len(shared) * 0.5, counts)
        self.assertGreater(counts["parcel"], len(shared) * 0.3, counts)
        self.assertGreater(counts["parcel_missing"], 0, counts)
        self.assertGreater(counts["upi_missing"], 0, counts)
        self.assertGreater(counts["same_status"], len(shared) * 0.7, "mostly cross-listed at the same time")
        # parcel numbers are unique within an MLS
        parcels = [r["ParcelNumber"] for r in self.records]
        self.assertEqual(len(parcels), len(set(parcels)))

    def test_new_shared_lists_a_property_of_the_first_mls(self):
        SERVER.reset("fa", listings=60, seed=3)
        SERVER.reset("fb", listings=40, seed=4, share_with="fa", share_fraction=0.3)
        made = SERVER.control("POST", "advance", {"mls": "fa", "seed": 1, "new": 1})["changed"]["new"]
        shared = SERVER.control("POST", "advance", {"mls": "fb", "seed": 1, "new_shared": 1})["changed"]["new_shared"]
        self.assertEqual(len(made), 1)
        self.assertEqual(len(shared), 1)
        truth_a = SERVER.control("GET", "truth?mls=fa&format=properties")["properties"]
        truth_b = SERVER.control("GET", "truth?mls=fb&format=properties")["properties"]
        self.assertEqual(truth_b[shared[0]], truth_a[made[0]], "the newest Active listing of fa")
        a = {r["ListingKey"]: r for r in SERVER.truth_records("fa")}[made[0]]
        b = {r["ListingKey"]: r for r in SERVER.truth_records("fb")}[shared[0]]
        self.assertEqual((a["StreetNumber"], a["ListPrice"], b["StandardStatus"]),
                         (b["StreetNumber"], b["ListPrice"], "Active"))
        again = SERVER.control("POST", "advance", {"mls": "fb", "seed": 2, "new_shared": 1})["changed"]["new_shared"]
        self.assertNotEqual(truth_b[shared[0]],
                            SERVER.control("GET", "truth?mls=fb&format=properties")["properties"][again[0]],
                            "a property already listed is not listed again")
        reply = SERVER.request("POST", "/control/advance", body={"mls": "fa", "new_shared": 1})
        self.assertEqual((reply.status, json.loads(reply.body)["error"]),
                         (400, "new_shared needs an MLS made with share_with"))

    def test_photos_are_images(self):
        record = next(r for r in self.records if r["PhotosCount"])
        photo = SERVER.get("/demo/media/%s/1.jpg" % record["ListingKey"])
        self.assertEqual(photo.status, 200)
        self.assertEqual(photo.body[:3], b"\xff\xd8\xff")
        self.assertEqual(photo.body[-2:], b"\xff\xd9")
        self.assertEqual(photo.body, SERVER.get("/demo/media/%s/1.jpg" % record["ListingKey"]).body)
        self.assertNotEqual(photo.body, SERVER.get("/demo/media/%s/2.jpg" % record["ListingKey"]).body)
        self.assertEqual(SERVER.get("/demo/media/%s/99.jpg" % record["ListingKey"]).status, 404)


class AdvanceTest(unittest.TestCase):
    def setUp(self):
        SERVER.reset("m", listings=150, seed=21)

    def test_changes_reach_truth_and_endpoints(self):
        before = {r["ListingKey"]: r for r in SERVER.truth_records("m")}
        old_clock = SERVER.control("GET", "mls?mls=m")["clock"]
        result = SERVER.control("POST", "advance", {
            "mls": "m", "seed": 3, "new": 5, "price_cut": 4, "price_raise": 2, "pending": 3, "closed": 3,
            "expired": 2, "withdrawn": 1, "canceled": 1, "back_on_market": 2, "photos_changed": 2,
            "deleted": 2, "minutes": 15})
        changed = result["changed"]
        for kind, count in (("new", 5), ("price_cut", 4), ("pending", 3), ("closed", 3), ("deleted", 2)):
            self.assertEqual(len(changed[kind]), count, kind)
        after = {r["ListingKey"]: r for r in SERVER.truth_records("m")}
        self.assertEqual(set(after), set(before) - set(changed["deleted"]) | set(changed["new"]))
        for key in changed["price_cut"]:
            self.assertLess(after[key]["ListPrice"], before[key]["ListPrice"])
            self.assertEqual(after[key]["PreviousListPrice"], before[key]["ListPrice"])
        for key in changed["price_raise"]:
            self.assertGreater(after[key]["ListPrice"], before[key]["ListPrice"])
        for key in changed["pending"]:
            self.assertEqual(after[key]["StandardStatus"], "Pending")
        for key in changed["closed"]:
            self.assertEqual(after[key]["StandardStatus"], "Closed")
            self.assertIsNotNone(after[key]["ClosePrice"])
            self.assertEqual(after[key]["MlsStatus"], "Sold")
        for kind, status in (("expired", "Expired"), ("withdrawn", "Withdrawn"), ("canceled", "Canceled"),
                             ("back_on_market", "Active")):
            for key in changed[kind]:
                self.assertEqual(after[key]["StandardStatus"], status)
        for key in changed["photos_changed"]:
            self.assertGreater(after[key]["PhotosChangeTimestamp"], before[key]["PhotosChangeTimestamp"] or "")
        touched = {k for kind, keys in changed.items() if kind != "deleted" for k in keys}
        for key in touched:
            self.assertGreater(after[key]["ModificationTimestamp"].rstrip("Z"), old_clock.rstrip("Z"))
        for key in set(after) - touched:
            self.assertEqual(after[key], before[key])
        token = SERVER.token("m")
        deleted = changed["deleted"][0]
        self.assertEqual(SERVER.reso("m", "Property('%s')" % deleted, token).status, 404)
        newer = SERVER.reso("m", "Property", token, params={
            "$filter": "ModificationTimestamp gt %s" % old_clock, "$top": "1000"}).json()["value"]
        self.assertEqual({r["ListingKey"] for r in newer}, touched)
        rets = RetsSession(SERVER, "m")
        rets.login()
        reply = rets.search("(L_ListingID=%s)" % deleted)
        self.assertIn('ReplyCode="20201"', reply.text)
        media = SERVER.reso("m", "Media", token, params={"$filter": "ResourceRecordKey eq '%s'" % deleted})
        self.assertEqual(media.json()["value"], [])

    def test_photo_change_replaces_media(self):
        token = SERVER.token("m")
        result = SERVER.control("POST", "advance", {"mls": "m", "photos_changed": 1})
        key = result["changed"]["photos_changed"][0]
        media = SERVER.reso("m", "Media", token, params={"$filter": "ResourceRecordKey eq '%s'" % key}).json()
        self.assertTrue(all(m["MediaKey"].startswith(key + "-2-") for m in media["value"]))
        self.assertTrue(all("?v=2" in m["MediaURL"] for m in media["value"]))
        record = SERVER.reso("m", "Property('%s')" % key, token).json()
        self.assertEqual(record["PhotosCount"], len(media["value"]))
        self.assertEqual(record["PhotosChangeTimestamp"], record["ModificationTimestamp"])

    def test_photo_change_without_modification(self):
        """photo_change_modifies false: only PhotosChangeTimestamp shows a photo change."""
        token = SERVER.token("m")
        before = {r["ListingKey"]: r for r in SERVER.truth_records("m")}
        SERVER.control("POST", "configure", {"mls": "m", "photo_change_modifies": False})
        try:
            result = SERVER.control("POST", "advance", {"mls": "m", "photos_changed": 2,
                                                        "photo_removed": 1})
        finally:
            SERVER.control("POST", "configure", {"mls": "m", "photo_change_modifies": True})
        keys = result["changed"]["photos_changed"] + result["changed"]["photo_removed"]
        self.assertEqual(len(keys), 3)
        for key in keys:
            record = SERVER.reso("m", "Property('%s')" % key, token).json()
            self.assertEqual(record["ModificationTimestamp"], before[key]["ModificationTimestamp"])
            self.assertGreater(record["PhotosChangeTimestamp"], record["ModificationTimestamp"])
            media = SERVER.reso("m", "Media", token, params={
                "$filter": "ResourceRecordKey eq '%s'" % key}).json()["value"]
            self.assertEqual(record["PhotosCount"], len(media))
        # an incremental reader by ModificationTimestamp sees none of them
        newest = max(r["ModificationTimestamp"] for r in before.values())
        after = SERVER.reso("m", "Property", token, params={
            "$filter": "ModificationTimestamp gt %s" % newest, "$top": "1000"}).json()["value"]
        self.assertFalse({r["ListingKey"] for r in after} & set(keys))
        # ... one by PhotosChangeTimestamp sees all of them, in its order
        photos = SERVER.reso("m", "Property", token, params={
            "$filter": "PhotosChangeTimestamp gt %s" % newest,
            "$orderby": "PhotosChangeTimestamp,ListingKey", "$top": "1000"}).json()["value"]
        self.assertEqual(sorted(r["ListingKey"] for r in photos), sorted(keys))

    def test_photos_timestamp_refused(self):
        token = SERVER.token("m")
        SERVER.control("POST", "configure", {"mls": "m", "photos_timestamp_query": "reject"})
        try:
            for params in ({"$filter": "PhotosChangeTimestamp gt 2020-01-01T00:00:00Z"},
                           {"$orderby": "PhotosChangeTimestamp"}):
                reply = SERVER.reso("m", "Property", token, params=params)
                self.assertEqual(reply.status, 400)
                self.assertIn("PhotosChangeTimestamp", reply.body if isinstance(reply.body, str)
                              else reply.body.decode())
            # a literal that names it is no field
            reply = SERVER.reso("m", "Property", token, params={
                "$filter": "PublicRemarks eq 'PhotosChangeTimestamp'"})
            self.assertEqual(reply.status, 200)
            # other resources are not concerned
            self.assertEqual(SERVER.reso("m", "Media", token, params={
                "$orderby": "MediaModificationTimestamp"}).status, 200)
        finally:
            SERVER.control("POST", "configure", {"mls": "m", "photos_timestamp_query": "accept"})
        self.assertEqual(SERVER.reso("m", "Property", token, params={
            "$orderby": "PhotosChangeTimestamp"}).status, 200)

    def test_same_timestamp(self):
        result = SERVER.control("POST", "advance", {"mls": "m", "new": 8, "price_cut": 8, "pending": 4,
                                                    "same_timestamp": True, "minutes": 5})
        keys = [k for kind in ("new", "price_cut", "pending") for k in result["changed"][kind]]
        records = {r["ListingKey"]: r for r in SERVER.truth_records("m")}
        stamps = {records[k]["ModificationTimestamp"] for k in keys}
        self.assertEqual(stamps, {result["clock"]})
        token = SERVER.token("m")
        first = SERVER.reso("m", "Property", token, {"Prefer": "odata.maxpagesize=3"}, {
            "$filter": "ModificationTimestamp ge %s" % result["clock"],
            "$orderby": "ModificationTimestamp asc,ListingKey asc"})
        seen = []
        reply = first
        while True:
            doc = reply.json()
            seen += [r["ListingKey"] for r in doc["value"]]
            if "@odata.nextLink" not in doc:
                break
            reply = SERVER.follow(doc["@odata.nextLink"], token, {"Prefer": "odata.maxpagesize=3"})
        self.assertEqual(sorted(seen), sorted(keys))

    def test_late_minutes(self):
        result = SERVER.control("POST", "advance", {"mls": "m", "price_cut": 6, "minutes": 5,
                                                    "late_minutes": 30})
        records = {r["ListingKey"]: r for r in SERVER.truth_records("m")}
        stamps = [records[k]["ModificationTimestamp"] for k in result["changed"]["price_cut"]]
        self.assertEqual(len(stamps), 6)
        self.assertTrue(all(s < result["previous_clock"] for s in stamps), (stamps, result))
        self.assertGreater(result["clock"], result["previous_clock"])
        reply = SERVER.request("POST", "/control/advance", body={"mls": "m", "late_minutes": "1"})
        self.assertEqual(reply.status, 400)
        # negative: stamped after the clock, which moves by minutes only
        ahead = SERVER.control("POST", "advance", {"mls": "m", "price_cut": 2, "minutes": 5,
                                                   "late_minutes": -600})
        records = {r["ListingKey"]: r for r in SERVER.truth_records("m")}
        stamps = [records[k]["ModificationTimestamp"] for k in ahead["changed"]["price_cut"]]
        self.assertEqual(len(stamps), 2)
        self.assertTrue(all(parse_instant(s)[0] > parse_instant(ahead["clock"])[0] for s in stamps),
                        (stamps, ahead))
        for bad in (float("nan"), 101 * 525_600):
            reply = SERVER.request("POST", "/control/advance", body={"mls": "m", "late_minutes": bad})
            self.assertEqual(reply.status, 400, bad)
        self.assertEqual(parse_instant(ahead["clock"])[0] - parse_instant(ahead["previous_clock"])[0],
                         5 * 60 * 1000000)

    def test_advance_is_deterministic(self):
        spec = {"mls": "m", "seed": 9, "new": 3, "price_cut": 3, "closed": 2, "deleted": 1}
        one = SERVER.control("POST", "advance", spec)
        truth = SERVER.truth("m")["keys"]
        SERVER.reset("m", listings=150, seed=21)
        two = SERVER.control("POST", "advance", spec)
        self.assertEqual(one, two)
        self.assertEqual(SERVER.truth("m")["keys"], truth)

    def test_rets_sees_changes(self):
        result = SERVER.control("POST", "advance", {"mls": "m", "closed": 2})
        rets = RetsSession(SERVER, "m")
        rets.login()
        keys = "|".join(result["changed"]["closed"])
        reply = rets.search("(L_ListingID=%s)" % ",".join(result["changed"]["closed"]),
                            Select="L_ListingID,L_Status", Format="COMPACT-DECODED")
        _, rows = compact_rows(reply.text)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows), sorted(result["changed"]["closed"]), keys)
        self.assertEqual({r["L_Status"] for r in rows}, {"Sold"})


if __name__ == "__main__":
    unittest.main()
