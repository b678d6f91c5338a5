"""RESO Web API: OAuth2, bearer enforcement, queries, paging, lookups, errors."""

import base64
import gzip
import json
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from tests.support import ServerProcess

SERVER = None
ORDER = "ModificationTimestamp asc,ListingKey asc"


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=150, seed=3).start()
    SERVER.reset("r", listings=120, seed=4, same_timestamp_fraction=0.2)


def tearDownModule():
    SERVER.stop()


def all_pages(first, token, headers=None):
    """Follow @odata.nextLink from a first reply; return (records, pages)."""
    records, pages, reply = [], 0, first
    while True:
        assert reply.status == 200, reply.body
        doc = reply.json()
        records += doc["value"]
        pages += 1
        link = doc.get("@odata.nextLink")
        if not link:
            return records, pages
        reply = SERVER.follow(link, token, headers)


class OAuthTest(unittest.TestCase):
    def token_request(self, body=None, basic=None, mls="r"):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if basic:
            headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode()
        return SERVER.request("POST", "/%s/reso/oauth/token" % mls,
                              body=urllib.parse.urlencode(body or {}).encode(), headers=headers)

    def test_secret_in_basic_header_or_form_body(self):
        by_header = self.token_request({"grant_type": "client_credentials"}, basic="mlsync:s3cret")
        by_body = self.token_request({"grant_type": "client_credentials", "client_id": "mlsync",
                                      "client_secret": "s3cret"})
        for reply in (by_header, by_body):
            self.assertEqual(reply.status, 200, reply.body)
            doc = reply.json()
            self.assertEqual(doc["token_type"], "Bearer")
            self.assertEqual(doc["expires_in"], 3600)
            self.assertTrue(doc["access_token"])

    def test_wrong_secret_and_grant(self):
        reply = self.token_request({"grant_type": "client_credentials", "client_id": "mlsync",
                                    "client_secret": "nope"})
        self.assertEqual(reply.status, 401)
        self.assertEqual(reply.json()["error"], "invalid_client")
        reply = self.token_request({"grant_type": "password"}, basic="mlsync:s3cret")
        self.assertEqual(reply.status, 400)
        self.assertEqual(reply.json()["error"], "unsupported_grant_type")

    def test_auth_mode_switch(self):
        SERVER.reset("o", listings=10, oauth={"auth": "basic", "client_id": "c1", "client_secret": "x"})
        body = {"grant_type": "client_credentials", "client_id": "c1", "client_secret": "x"}
        self.assertEqual(self.token_request(body, mls="o").status, 401)
        self.assertEqual(self.token_request({"grant_type": "client_credentials"}, "c1:x", mls="o").status, 200)
        SERVER.control("POST", "configure", {"mls": "o", "oauth": {"auth": "body"}})
        self.assertEqual(self.token_request({"grant_type": "client_credentials"}, "c1:x", mls="o").status, 401)
        self.assertEqual(self.token_request(body, mls="o").status, 200)

    def test_bearer_enforced_with_odata_errors(self):
        reply = SERVER.get("/r/reso/odata/Property")
        self.assertEqual(reply.status, 401)
        self.assertIn("Bearer", reply.header("WWW-Authenticate"))
        self.assertIn("error", reply.json())
        self.assertEqual(reply.header("OData-Version"), "4.0")
        reply = SERVER.reso("r", "Property", "not-a-token")
        self.assertEqual(reply.status, 401)
        self.assertEqual(reply.json()["error"]["code"], "InvalidToken")

    def test_tokens_expire(self):
        SERVER.reset("t", listings=10, token_ttl=1)
        token = SERVER.token("t")
        self.assertEqual(SERVER.reso("t", "Property", token).status, 200)
        time.sleep(1.3)
        reply = SERVER.reso("t", "Property", token)
        self.assertEqual(reply.status, 401)
        self.assertEqual(reply.json()["error"]["code"], "TokenExpired")
        self.assertEqual(SERVER.reso("t", "Property", SERVER.token("t")).status, 200)

    def test_static_token(self):
        SERVER.reset("s", listings=10, static_token="mlsgrid-style-token")
        self.assertEqual(SERVER.reso("s", "Property", "mlsgrid-style-token").status, 200)


class QueryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.token = SERVER.token("r")
        cls.truth = {r["ListingKey"]: r for r in SERVER.truth_records("r")}

    def query(self, headers=None, **params):
        return SERVER.reso("r", "Property", self.token, headers, params)

    def keys(self, reply):
        self.assertEqual(reply.status, 200, reply.body)
        return [r["ListingKey"] for r in reply.json()["value"]]

    def test_service_document_and_metadata(self):
        doc = SERVER.reso("r", "", self.token).json()
        self.assertEqual({v["name"] for v in doc["value"]},
                         {"Property", "Media", "Member", "Office", "OpenHouse"})
        reply = SERVER.reso("r", "$metadata", self.token)
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.header("OData-Version"), "4.0")
        root = ET.fromstring(reply.body)
        ns = {"e": "http://docs.oasis-open.org/odata/ns/edm"}
        prop = root.find(".//e:EntityType[@Name='Property']", ns)
        self.assertEqual(prop.find("e:Key/e:PropertyRef", ns).get("Name"), "ListingKey")
        names = {p.get("Name"): p for p in prop.findall("e:Property", ns)}
        self.assertGreaterEqual(len(names), 150)
        self.assertEqual(names["ModificationTimestamp"].get("Type"), "Edm.DateTimeOffset")
        self.assertEqual(names["ListPrice"].get("Type"), "Edm.Decimal")
        self.assertEqual(names["BedroomsTotal"].get("Type"), "Edm.Int64")
        self.assertEqual(names["Appliances"].get("Type"), "Collection(Edm.String)")
        self.assertEqual(names["StandardStatus"].find("e:Annotation", ns).get("String"), "StandardStatus")
        for entity, key in (("Media", "MediaKey"), ("Member", "MemberKey"), ("Office", "OfficeKey"),
                            ("OpenHouse", "OpenHouseKey")):
            node = root.find(".//e:EntityType[@Name='%s']" % entity, ns)
            self.assertEqual(node.find("e:Key/e:PropertyRef", ns).get("Name"), key)

    def test_records_match_truth_exactly(self):
        reply = SERVER.reso("r", "Property", self.token)
        lines = SERVER.get("/control/truth?mls=r&format=jsonl").body.splitlines()
        served = {r["ListingKey"]: r for r in reply.json()["value"]}
        for line in lines:
            record = json.loads(line)
            self.assertEqual(list(served[record["ListingKey"]].items()), list(record.items()))
        self.assertEqual(len(served), len(lines))
        self.assertIn(b'"value":[' + lines[0][:40], reply.body)

    def test_nextlink_paging_returns_every_record_once(self):
        first = self.query({"Prefer": "odata.maxpagesize=7"}, **{"$orderby": ORDER})
        self.assertEqual(first.header("Preference-Applied"), "odata.maxpagesize=7")
        link = first.json()["@odata.nextLink"]
        self.assertTrue(link.startswith(SERVER.base + "/r/reso/odata/Property?"))
        self.assertIn("$skiptoken=", link)
        records, pages = all_pages(first, self.token, {"Prefer": "odata.maxpagesize=7"})
        keys = [r["ListingKey"] for r in records]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertEqual(sorted(keys), sorted(self.truth))
        self.assertEqual(pages, -(-len(self.truth) // 7))
        from mlsserver.timeutil import parse_instant
        order = [(parse_instant(r["ModificationTimestamp"])[0], r["ListingKey"]) for r in records]
        self.assertEqual(order, sorted(order))

    def test_top_caps_page_size_and_page_max(self):
        self.assertEqual(len(self.keys(self.query(**{"$top": "5"}))), 5)
        SERVER.control("POST", "configure", {"mls": "r", "page_max": 10})
        try:
            reply = self.query(headers={"Prefer": "odata.maxpagesize=500"})
            self.assertEqual(len(self.keys(reply)), 10)
            self.assertEqual(reply.header("Preference-Applied"), "odata.maxpagesize=10")
            self.assertEqual(len(self.keys(self.query(**{"$top": "50"}))), 10)
            self.assertEqual(len(self.keys(self.query())), 10)
        finally:
            SERVER.control("POST", "configure", {"mls": "r", "page_max": 1000})

    def test_skip_count_select_orderby(self):
        ordered = sorted(self.truth, reverse=True)
        reply = self.query(**{"$orderby": "ListingKey desc", "$top": "4", "$skip": "2",
                              "$count": "true", "$select": "ListingKey,ListPrice"})
        doc = reply.json()
        self.assertEqual(doc["@odata.count"], len(self.truth))
        self.assertEqual([r["ListingKey"] for r in doc["value"]], ordered[2:6])
        self.assertEqual(set(doc["value"][0]), {"ListingKey", "ListPrice"})
        self.assertIn("Property(ListingKey,ListPrice)", doc["@odata.context"])

    def test_filter_timestamps_any_precision_and_offset(self):
        records = sorted(self.truth.values(), key=lambda r: (r["ModificationTimestamp"], r["ListingKey"]))
        pivot = records[len(records) // 2]["ModificationTimestamp"]
        from mlsserver.timeutil import parse_instant, to_datetime
        us = parse_instant(pivot)[0]
        expected_gt = {k for k, r in self.truth.items() if parse_instant(r["ModificationTimestamp"])[0] > us}
        expected_ge = {k for k, r in self.truth.items() if parse_instant(r["ModificationTimestamp"])[0] >= us}
        expected_lt = set(self.truth) - expected_ge
        local = to_datetime(us).astimezone(__import__("datetime").timezone(
            __import__("datetime").timedelta(hours=-5)))
        spellings = [pivot, pivot.replace("Z", "0000Z") if "." in pivot else pivot.replace("Z", ".0000000Z"),
                     local.strftime("%Y-%m-%dT%H:%M:%S.%f") + "-05:00"]
        for literal in spellings:
            for op, expected in (("gt", expected_gt), ("ge", expected_ge), ("lt", expected_lt)):
                reply = self.query(**{"$filter": "ModificationTimestamp %s %s" % (op, literal),
                                      "$top": "1000"})
                self.assertEqual(set(self.keys(reply)), expected, (op, literal))
        reply = self.query(**{"$filter": "ModificationTimestamp gt %s" % pivot.replace("Z", "1Z")
                              if "." in pivot else pivot.replace("Z", ".0000001Z")})
        self.assertEqual(set(self.keys(reply)), expected_gt)

    def test_filter_keys_status_and_logic(self):
        key = sorted(self.truth)[10]
        self.assertEqual(self.keys(self.query(**{"$filter": "ListingKey eq '%s'" % key})), [key])
        greater = self.keys(self.query(**{"$filter": "ListingKey gt '%s'" % key, "$top": "1000"}))
        self.assertEqual(sorted(greater), sorted(k for k in self.truth if k > key))
        under = self.keys(self.query(**{"$filter": "StandardStatus eq 'Active Under Contract' or "
                                        "StandardStatus eq 'Pending'", "$top": "1000"}))
        wanted = ("Active Under Contract", "Pending")
        self.assertEqual(sorted(under), sorted(k for k, r in self.truth.items() if r["StandardStatus"] in wanted))
        both = self.keys(self.query(**{"$filter": "StandardStatus eq 'Active' and ListPrice le 400000",
                                       "$top": "1000"}))
        self.assertEqual(sorted(both), sorted(
            k for k, r in self.truth.items() if r["StandardStatus"] == "Active" and r["ListPrice"] <= 400000))
        quoted = self.query(**{"$filter": "ListAgentLastName eq 'O''Brien'", "$top": "1000"})
        self.assertEqual(sorted(self.keys(quoted)), sorted(
            k for k, r in self.truth.items() if r["ListAgentLastName"] == "O'Brien"))

    def test_filter_functions_in_not_and_lambda(self):
        cities = ("Austin", "Round Rock")
        keys = self.keys(self.query(**{"$filter": "City in ('Austin','Round Rock')", "$top": "1000"}))
        self.assertEqual(sorted(keys), sorted(k for k, r in self.truth.items() if r["City"] in cities))
        keys = self.keys(self.query(**{"$filter": "not (StandardStatus eq 'Active')", "$top": "1000"}))
        self.assertEqual(sorted(keys), sorted(k for k, r in self.truth.items() if r["StandardStatus"] != "Active"))
        keys = self.keys(self.query(**{"$filter": "contains(PublicRemarks,'pool')", "$top": "1000"}))
        self.assertEqual(sorted(keys), sorted(k for k, r in self.truth.items() if "pool" in r["PublicRemarks"]))
        keys = self.keys(self.query(**{"$filter": "Appliances/any(a: a eq 'Dishwasher')", "$top": "1000"}))
        self.assertEqual(sorted(keys), sorted(k for k, r in self.truth.items()
                                              if "Dishwasher" in (r["Appliances"] or [])))
        self.assertEqual(self.query(**{"$filter": "Appliances eq 'Dishwasher'"}).status, 400)
        keys = self.keys(self.query(**{"$filter": "ClosePrice eq null", "$top": "1000"}))
        self.assertEqual(sorted(keys), sorted(k for k, r in self.truth.items() if r["ClosePrice"] is None))

    def test_keyset_filter_through_same_timestamp_cluster(self):
        """Pages of 5 through clusters of shared timestamps, paging by keyset only."""
        SERVER.control("POST", "configure", {"mls": "r", "nextlink": False})
        try:
            seen = []
            last = None
            while True:
                params = {"$orderby": ORDER, "$top": "5"}
                if last:
                    params["$filter"] = ("ModificationTimestamp gt {0} or (ModificationTimestamp eq {0} "
                                         "and ListingKey gt '{1}')".format(*last))
                doc = self.query(**params).json()
                self.assertNotIn("@odata.nextLink", doc)
                seen += doc["value"]
                if len(doc["value"]) < 5:
                    break
                last = (doc["value"][-1]["ModificationTimestamp"], doc["value"][-1]["ListingKey"])
        finally:
            SERVER.control("POST", "configure", {"mls": "r", "nextlink": True})
        keys = [r["ListingKey"] for r in seen]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertEqual(sorted(keys), sorted(self.truth))
        counts = {}
        for r in self.truth.values():
            counts[r["ModificationTimestamp"]] = counts.get(r["ModificationTimestamp"], 0) + 1
        self.assertGreater(max(counts.values()), 5, "a same-timestamp cluster larger than a page")

    def test_expand_media_and_single_entity(self):
        key = next(k for k, r in sorted(self.truth.items()) if r["PhotosCount"] >= 2)
        doc = self.query(**{"$filter": "ListingKey eq '%s'" % key, "$expand": "Media"}).json()
        media = doc["value"][0]["Media"]
        self.assertEqual(len(media), self.truth[key]["PhotosCount"])
        self.assertEqual([m["Order"] for m in media], list(range(1, len(media) + 1)))
        self.assertTrue(all(m["ResourceRecordKey"] == key for m in media))
        photo = SERVER.get(media[0]["MediaURL"][len(SERVER.base):])
        self.assertEqual(photo.header("Content-Type"), "image/jpeg")
        self.assertEqual(photo.body[:2], b"\xff\xd8")
        single = SERVER.reso("r", "Property('%s')" % key, self.token).json()
        self.assertEqual(single["ListingKey"], key)
        self.assertIn("$entity", single["@odata.context"])
        missing = SERVER.reso("r", "Property('0000000000')", self.token)
        self.assertEqual(missing.status, 404)
        self.assertIn("error", missing.json())
        media_rows = SERVER.reso("r", "Media", self.token, params={
            "$filter": "ResourceRecordKey eq '%s'" % key}).json()["value"]
        self.assertEqual(sorted(m["MediaKey"] for m in media_rows), sorted(m["MediaKey"] for m in media))
        # a server that expands a few items, without their parent's key
        SERVER.control("POST", "configure", {"mls": "r", "expand_max": 1, "expand_parent_key": False})
        try:
            doc = self.query(**{"$filter": "ListingKey eq '%s'" % key, "$expand": "Media"}).json()
        finally:
            SERVER.control("POST", "configure", {"mls": "r", "expand_max": None, "expand_parent_key": True})
        self.assertEqual(doc["value"][0]["PhotosCount"], len(media))
        self.assertEqual([m["MediaKey"] for m in doc["value"][0]["Media"]], [media[0]["MediaKey"]])
        self.assertNotIn("ResourceRecordKey", doc["value"][0]["Media"][0])
        self.assertNotIn("Media@odata.count", doc["value"][0])
        # a feed without a Media resource: expanded media only
        SERVER.control("POST", "configure", {"mls": "r", "media_resource": "absent"})
        try:
            absent = SERVER.reso("r", "Media", self.token, params={
                "$filter": "ResourceRecordKey eq '%s'" % key})
            absent_entity = SERVER.reso("r", "Media('%s')" % media[0]["MediaKey"], self.token)
            doc = self.query(**{"$filter": "ListingKey eq '%s'" % key, "$expand": "Media"}).json()
        finally:
            SERVER.control("POST", "configure", {"mls": "r", "media_resource": "serve"})
        self.assertEqual((absent.status, absent_entity.status), (404, 404))
        self.assertEqual(len(doc["value"][0]["Media"]), len(media))

    def test_other_resources(self):
        for resource, key in (("Member", "MemberKey"), ("Office", "OfficeKey"), ("OpenHouse", "OpenHouseKey"),
                              ("Media", "MediaKey")):
            doc = SERVER.reso("r", resource, self.token, params={"$top": "3", "$count": "true"}).json()
            self.assertEqual(len(doc["value"]), 3, resource)
            self.assertGreater(doc["@odata.count"], 3)
            self.assertIn(key, doc["value"][0])
        agent = self.truth[sorted(self.truth)[0]]["ListAgentKey"]
        member = SERVER.reso("r", "Member('%s')" % agent, self.token).json()
        self.assertEqual(member["MemberKey"], agent)

    def test_errors_are_odata_bodies(self):
        for params in ({"$filter": "ModificationTimestamp gt yesterday"}, {"$bogus": "1"},
                       {"$filter": "NoSuchField eq 1"}, {"$top": "-1"}, {"$orderby": "Nope asc"},
                       {"$filter": "ModificationTimestamp gt 2025-01-01T00:00:00 05:00"},
                       {"$expand": "Rooms"}, {"$skiptoken": "%%%"}):
            reply = self.query(**params)
            self.assertEqual(reply.status, 400, params)
            error = reply.json()["error"]
            self.assertTrue(error["code"] and error["message"], params)
            self.assertEqual(reply.header("OData-Version"), "4.0")
        self.assertEqual(SERVER.reso("r", "Rooms", self.token).status, 404)

    def test_plus_must_be_percent_encoded(self):
        stamp = "2024-01-01T00:00:00+00:00"
        raw = "/r/reso/odata/Property?$filter=ModificationTimestamp%20gt%20" + stamp
        self.assertEqual(SERVER.get(raw, {"Authorization": "Bearer " + self.token}).status, 400)
        encoded = raw.replace("+", "%2B")
        self.assertEqual(SERVER.get(encoded, {"Authorization": "Bearer " + self.token}).status, 200)

    def test_gzip(self):
        plain = self.query(**{"$top": "20"})
        packed = self.query(headers={"Accept-Encoding": "gzip"}, **{"$top": "20"})
        self.assertEqual(packed.header("Content-Encoding"), "gzip")
        self.assertEqual(gzip.decompress(packed.body), plain.body)
        self.assertLess(len(packed.body), len(plain.body))
        self.assertIsNone(plain.header("Content-Encoding"))

    def test_reset_invalidates_cached_pages(self):
        SERVER.reset("c", listings=30, seed=1)
        first = SERVER.reso("c", "Property", SERVER.token("c"), {"Accept-Encoding": "gzip"}).json()
        SERVER.reset("c", listings=30, seed=2)
        second = SERVER.reso("c", "Property", SERVER.token("c"), {"Accept-Encoding": "gzip"}).json()
        self.assertNotEqual(first["value"], second["value"])
        self.assertEqual(second["value"], sorted(SERVER.truth_records("c"), key=lambda r: r["ListingKey"]))

    def test_keep_alive(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=10)
        for _ in range(3):
            conn.request("GET", "/r/reso/odata/Property?$top=2", headers={"Authorization": "Bearer " + self.token})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            resp.read()
        conn.close()


class LookupSpellingTest(unittest.TestCase):
    def test_enum_spelling(self):
        SERVER.reset("e", listings=80, seed=4, lookup_spelling="enum")
        token = SERVER.token("e")
        records = SERVER.truth_records("e")
        display = {r["ListingKey"]: r for r in SERVER.truth_records("r")}
        statuses = {r["StandardStatus"] for r in records}
        self.assertTrue(statuses <= {"Active", "ActiveUnderContract", "Pending", "Closed", "Expired",
                                     "Withdrawn", "Canceled", "ComingSoon", "Hold"}, statuses)
        auc = [r["ListingKey"] for r in records if r["StandardStatus"] == "ActiveUnderContract"]
        self.assertTrue(auc)
        for literal in ("org.reso.metadata.enums.StandardStatus'ActiveUnderContract'", "'ActiveUnderContract'"):
            reply = SERVER.reso("e", "Property", token,
                                params={"$filter": "StandardStatus eq " + literal, "$top": "1000"})
            self.assertEqual(sorted(r["ListingKey"] for r in reply.json()["value"]), sorted(auc))
        lease = next((r for r in records if r.get("LeaseTerm")), None)
        if lease:
            self.assertNotIn(" ", lease["LeaseTerm"])
        metadata = SERVER.reso("e", "$metadata", token).text
        self.assertIn('<EnumType Name="StandardStatus">', metadata)
        self.assertIn('Member Name="ActiveUnderContract"', metadata)
        self.assertTrue(display)
        reply = SERVER.reso("r", "Property", SERVER.token("r"), params={
            "$filter": "StandardStatus eq org.reso.metadata.enums.StandardStatus'Active'"})
        self.assertEqual(reply.status, 400, "string-lookup servers reject enum literals")


if __name__ == "__main__":
    unittest.main()
