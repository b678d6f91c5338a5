"""Media: realistic photos and floor plans, per-photo changes, the media truth, media faults."""

import hashlib
import unittest
import urllib.parse

from tests.support import RetsSession, ServerProcess

SERVER = None


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=20, seed=4).start()
    SERVER.reset("m", listings=8, seed=4, media={"size": "large", "floorplans": True})
    SERVER.reset("s", listings=12, seed=4)


def tearDownModule():
    SERVER.stop()


def path_of(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def truth(mls):
    # the first call builds the base images and hashes every photo: allow
    # it time on a busy machine
    reply = SERVER.request("GET", "/control/media?mls=%s" % mls, timeout=300)
    assert reply.status == 200, reply.body
    return reply.json()


class MediaTest(unittest.TestCase):
    def setUp(self):
        SERVER.control("DELETE", "faults?mls=m")

    def test_truth_matches_served_bytes_and_media_rows(self):
        items = truth("m")
        self.assertGreater(len(items), 30)
        for item in items[:30]:
            reply = SERVER.get(path_of(item["MediaURL"]))
            self.assertEqual(reply.status, 200)
            self.assertEqual(hashlib.sha256(reply.body).hexdigest(), item["sha256"])
            self.assertEqual(len(reply.body), item["bytes"])
        media = SERVER.get("/m/reso/odata/Media?$top=1000",
                           {"Authorization": "Bearer " + SERVER.token("m")}).json()["value"]
        self.assertEqual(sorted(m["MediaKey"] for m in media),
                         sorted(i["MediaKey"] for i in items))

    def test_large_photos_are_jpegs_of_realistic_size_with_exif(self):
        photos = [i for i in truth("m") if i["MediaCategory"] == "Photo"]
        sizes = [i["bytes"] for i in photos]
        self.assertTrue(150_000 < sum(sizes) / len(sizes) < 260_000, sum(sizes) / len(sizes))
        body = SERVER.get(path_of(photos[0]["MediaURL"])).body
        self.assertEqual(body[:3], b"\xff\xd8\xff")
        self.assertIn(b"Exif\x00\x00", body[:200])
        self.assertIn(b"mlsync-sample-camera", body[:200])
        # every photo has bytes of its own
        self.assertEqual(len({i["sha256"] for i in photos}), len(photos))

    def test_floor_plans_are_png(self):
        plans = [i for i in truth("m") if i["MediaCategory"] == "FloorPlan"]
        self.assertTrue(plans)
        reply = SERVER.get(path_of(plans[0]["MediaURL"]))
        self.assertEqual(reply.header("Content-Type"), "image/png")
        self.assertEqual(reply.body[:8], b"\x89PNG\r\n\x1a\n")
        self.assertTrue(plans[0]["MediaURL"].split("?")[0].endswith("/2.png"))

    def test_photo_flood(self):
        SERVER.reset("fl", listings=6, seed=4, photo_flood=1500)
        key = SERVER.control("GET", "mls?mls=fl")["special_keys"]["photo_flood"]
        token = SERVER.token("fl")
        listing = SERVER.reso("fl", "Property", token,
                              params={"$filter": "ListingKey eq '%s'" % key}).json()["value"][0]
        self.assertEqual(listing["PhotosCount"], 1500)
        self.assertIsNotNone(listing["PhotosChangeTimestamp"])
        keys = set()
        link = "/fl/reso/odata/Media?" + urllib.parse.urlencode(
            {"$filter": "ResourceRecordKey eq '%s'" % key, "$top": "1000"})
        while link:
            page = SERVER.get(path_of(link), {"Authorization": "Bearer " + token}).json()
            keys.update(m["MediaKey"] for m in page["value"])
            link = page.get("@odata.nextLink")
        self.assertEqual(len(keys), 1500)
        # the truth knows them, and the other listings keep theirs
        items = truth("fl")
        self.assertEqual(sum(1 for i in items if i["ListingKey"] == key), 1500)
        self.assertLess(max(sum(1 for i in items if i["ListingKey"] == other)
                            for other in {i["ListingKey"] for i in items} - {key}), 41)
        # RETS GetObject lists them too
        rets = RetsSession(SERVER, "fl")
        rets.login()
        reply = rets.call("getobject", Resource="Property", Type="Photo", Location="1",
                          ID="%s:*" % key)
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.body.count(b"Object-ID:"), 1500)

    def test_spaced_urls(self):
        SERVER.reset("sp", listings=4, seed=4, media={"url_style": "spaced"})
        items = truth("sp")
        self.assertTrue(items)
        for item in items:
            self.assertRegex(item["MediaURL"], r"/\d+ - Front Yard \(\d+\)\.jpg\?v=\d+$")
            # as a browser sends it (percent-encoded), and in the plain form: the same photo
            for path in (urllib.parse.quote(path_of(item["MediaURL"]), safe="/?=&"),
                         path_of(item["MediaURL"]).replace(" - Front Yard (%d)" % item["Order"], "")):
                reply = SERVER.get(path)
                self.assertEqual(reply.status, 200, path)
                self.assertEqual(hashlib.sha256(reply.body).hexdigest(), item["sha256"])

    def test_small_photos_by_default(self):
        items = truth("s")
        self.assertTrue(all(i["bytes"] < 20_000 for i in items))
        self.assertFalse([i for i in items if i["MediaCategory"] != "Photo"])

    def test_photo_replaced_and_removed(self):
        before = {(i["ListingKey"], i["Order"]): i for i in truth("m")}
        changed = SERVER.control("POST", "advance", {"mls": "m", "seed": 9, "photo_replaced": 1,
                                                     "photo_removed": 1})["changed"]
        after = {(i["ListingKey"], i["Order"]): i for i in truth("m")}
        replaced = changed["photo_replaced"][0]
        moved = [k for k in before if k[0] == replaced and k in after
                 and before[k]["sha256"] != after[k]["sha256"]]
        self.assertEqual(len(moved), 1)
        old, new = before[moved[0]], after[moved[0]]
        self.assertEqual(old["MediaKey"], new["MediaKey"])
        self.assertEqual(old["MediaURL"], new["MediaURL"])
        self.assertGreater(new["MediaModificationTimestamp"], old["MediaModificationTimestamp"])
        # the listing's other photos keep their timestamps
        others = [k for k in after if k[0] == replaced and k != moved[0]]
        self.assertTrue(all(before[k]["MediaModificationTimestamp"] ==
                            after[k]["MediaModificationTimestamp"] for k in others))
        removed = changed["photo_removed"][0]
        count_before = len([k for k in before if k[0] == removed])
        self.assertEqual(len([k for k in after if k[0] == removed]), count_before - 1)
        self.assertNotIn((removed, count_before), after)
        self.assertEqual(SERVER.get(path_of(before[(removed, count_before)]["MediaURL"])).status, 404)

    def test_rets_object_data_carries_each_photo_timestamp(self):
        item = truth("m")[0]
        session = RetsSession(SERVER, "m")
        session.login()
        reply = session.call("getobject", Resource="Property", Type="Photo", Location="1",
                             ID="%s:1" % item["ListingKey"], ObjectData="*")
        self.assertEqual(reply.header("ObjectData"),
                         "ModificationTimestamp=%s" % item["MediaModificationTimestamp"])

    def fault(self, kind, **options):
        SERVER.control("POST", "faults", dict(options, mls="m", path="/media/", fault=kind))

    def test_media_faults(self):
        url = path_of(truth("m")[3]["MediaURL"])
        self.fault("bomb_image")
        reply = SERVER.get(url)
        self.assertEqual(reply.body[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(int.from_bytes(reply.body[16:20], "big"), 10000)
        self.assertLess(len(reply.body), 200_000)
        whole = SERVER.get(url).body
        self.fault("truncated_image")
        self.assertEqual(SERVER.get(url).body, whole[:len(whole) * 2 // 5])
        self.fault("wrong_content_type")
        reply = SERVER.get(url)
        self.assertEqual(reply.header("Content-Type"), "image/jpeg")
        self.assertTrue(reply.body.startswith(b"<!DOCTYPE html>"))
        self.fault("redirect_other_host")
        reply = SERVER.get(url)
        self.assertEqual(reply.status, 302)
        self.assertTrue(reply.header("Location").startswith("http://localhost:%d/" % SERVER.port))


if __name__ == "__main__":
    unittest.main()
