"""RESO quirks of real servers, each behind an option: offset nextLinks, data
changing while a client pages (the advance fault), hidden microseconds, an
ignored $filter, self-referencing nextLinks, percent-encoded entity keys,
display-spelled literals in enum mode, escaped non-ASCII JSON with emoji, and
a record nested too deep for most parsers."""

import email.utils
import hashlib
import json
import re
import unittest
import urllib.parse

from mlsserver.timeutil import parse_instant
from tests.support import RetsSession, ServerProcess

SERVER = None
ORDER = "ModificationTimestamp asc,ListingKey asc"


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=20, seed=3).start()


def tearDownModule():
    SERVER.stop()


def order_key(record):
    return parse_instant(record["ModificationTimestamp"])[0], record["ListingKey"]


def ordered_keys(mls):
    """Truth keys in (ModificationTimestamp, ListingKey) order, as served (milliseconds)."""
    return [r["ListingKey"] for r in sorted(SERVER.truth_records(mls), key=order_key)]


def page(mls, token, params=None, url=None, headers=None):
    """One RESO page (a query, or an absolute nextLink); returns the decoded document."""
    reply = SERVER.follow(url, token, headers) if url else SERVER.reso(mls, "Property", token, headers,
                                                                          params)
    assert reply.status == 200, (reply.status, reply.body[:300])
    return reply.json()


def crawl(mls, token, params, limit=100):
    """Follow nextLinks verbatim from a first query; return (records, links)."""
    records, links = [], []
    doc = page(mls, token, params)
    while True:
        records += doc["value"]
        link = doc.get("@odata.nextLink")
        if not link or len(links) >= limit:
            return records, links
        links.append(link)
        doc = page(mls, token, url=link)


def refused_then_served(test, mls, refused, served):
    """Ask for ``refused`` params (an OData 400 NotSupported), then ``served`` (200); return both replies."""
    token = SERVER.token(mls)
    refusal = SERVER.reso(mls, "Property", token, params=refused)
    test.assertEqual(refusal.status, 400)
    test.assertEqual(refusal.json()["error"]["code"], "NotSupported")
    reply = SERVER.reso(mls, "Property", token, params=served)
    test.assertEqual(reply.status, 200)
    return refusal, reply


class OptionsTest(unittest.TestCase):
    def test_defaults_and_validation(self):
        options = SERVER.control("GET", "mls?mls=demo")["options"]
        self.assertEqual({k: options[k] for k in (
            "nextlink_paging", "nextlink_self", "nextlink_host", "ignore_filter",
            "entity_key_quotes", "enum_display_literals", "escape_non_ascii", "token_redirect",
            "token_crlf", "page_redirect", "listener_mode", "timestamp_storage", "emoji_fraction",
            "deep_record", "quoted_key")}, {
            "nextlink_paging": "skiptoken", "nextlink_self": False, "nextlink_host": "self",
            "ignore_filter": False, "entity_key_quotes": "decoded", "enum_display_literals": "match",
            "escape_non_ascii": False, "token_redirect": False, "token_crlf": False,
            "page_redirect": False, "listener_mode": "ok", "timestamp_storage": "exact",
            "emoji_fraction": 0, "deep_record": 0, "quoted_key": None})
        self.assertEqual({k: options["rets"][k] for k in (
            "capability_host", "version_header", "login_reply_bytes", "login_padding",
            "bad_encoding_name")}, {"capability_host": "self", "version_header": None,
                                    "login_reply_bytes": 0, "login_padding": "comment",
                                    "bad_encoding_name": None})
        self.assertEqual(SERVER.control("GET", "mls?mls=demo")["special_keys"],
                         {"deep_record": None, "quoted_key": None, "photo_flood": None})
        for bad in ({"nextlink_paging": "cursor"}, {"ignore_filter": 1}, {"emoji_fraction": 2},
                    {"deep_record": True}, {"quoted_key": ""}, {"photo_flood": -1},
                    {"photo_flood": 100_001}, {"non_finite": -1}, {"non_finite": True},
                    {"listener_mode": "x"},
                    {"rets": {"bad_encoding_name": "\u0100"}}, {"rets": {"login_reply_bytes": -1}}):
            reply = SERVER.request("POST", "/control/reset", body=dict(bad, mls="bad"))
            self.assertEqual(reply.status, 400, bad)
        for data in ({"timestamp_storage": "microseconds"}, {"emoji_fraction": 0.1},
                     {"deep_record": 5}, {"quoted_key": "a'b"}):
            reply = SERVER.request("POST", "/control/configure", body=dict(data, mls="demo"))
            self.assertEqual(reply.status, 400, data)
            self.assertIn("reset", json.loads(reply.body)["error"])
        bad_rule = SERVER.request("POST", "/control/faults", body={"fault": "advance", "path": "x",
                                                                   "advance": {"price_cut": -1}})
        self.assertEqual(bad_rule.status, 400)
        bad_rule = SERVER.request("POST", "/control/faults", body={"fault": "advance", "path": "x"})
        self.assertEqual(bad_rule.status, 400)


class CountParamTest(unittest.TestCase):
    """count_param: "reject" answers $count=true with an OData 400."""

    def test_count_rejected(self):
        SERVER.reset("cr", listings=5, seed=5, count_param="reject")
        _, reply = refused_then_served(self, "cr", {"$count": "true"}, {"$count": "false"})
        self.assertEqual(len(reply.json()["value"]), 5)


class MaxTopTest(unittest.TestCase):
    """max_top: a $top above it is answered 400 in ASP.NET OData's words; up to it, served."""

    def test_top_over_the_limit_refused(self):
        SERVER.reset("mt", listings=8, seed=5, max_top=3)
        token = SERVER.token("mt")
        reply = SERVER.reso("mt", "Property", token, params={"$top": "4"})
        self.assertEqual(reply.status, 400)
        self.assertEqual(reply.json()["error"]["message"],
                         "The limit of '3' for Top query has been exceeded. "
                         "The value from the incoming request is '4'.")
        reply = SERVER.reso("mt", "Property", token, params={"$top": "3"})
        self.assertEqual(reply.status, 200)
        self.assertEqual(len(reply.json()["value"]), 3)

    def test_unnumbered_message(self):
        SERVER.reset("mt2", listings=8, seed=5, max_top=3, max_top_message="unnumbered")
        reply = SERVER.reso("mt2", "Property", SERVER.token("mt2"), params={"$top": "4"})
        self.assertEqual(reply.status, 400)
        self.assertEqual(reply.json()["error"]["message"], "The requested $top is too large.")


class CountExtraTest(unittest.TestCase):
    """count_extra: @odata.count counts records the server never serves."""

    def test_count_above_records(self):
        SERVER.reset("ce", listings=5, seed=5, count_extra=2)
        doc = SERVER.reso("ce", "Property", SERVER.token("ce"), params={"$count": "true"}).json()
        self.assertEqual(doc["@odata.count"], 7)
        self.assertEqual(len(doc["value"]), 5)


class MaxFilterNodesTest(unittest.TestCase):
    """max_filter_nodes: a $filter of more nodes is answered 400 in ASP.NET OData's words."""

    def test_large_filter_refused(self):
        from mlsserver.reso import filter_node_count
        # 4 comparisons, 3 or; the literal's own " or " and "eq" are not nodes
        small = "ListingKey eq 'a or b eq c' or ListingKey eq 'b' or ListingKey eq 'c' or ListingKey eq 'd'"
        self.assertEqual(filter_node_count(small), 15)
        SERVER.reset("fnc", listings=5, seed=5, max_filter_nodes=15)
        token = SERVER.token("fnc")
        reply = SERVER.reso("fnc", "Property", token, params={"$filter": small + " or ListingKey eq 'e'"})
        self.assertEqual(reply.status, 400)
        self.assertTrue(reply.json()["error"]["message"].startswith(
            "The node count limit of '15' has been exceeded."))
        self.assertEqual(SERVER.reso("fnc", "Property", token, params={"$filter": small}).status, 200)


class FilterNeTest(unittest.TestCase):
    """filter_ne: "reject" answers a $filter using ne with an OData 400."""

    def test_ne_rejected(self):
        SERVER.reset("fn", listings=5, seed=5, filter_ne="reject")
        refused_then_served(self, "fn", {"$filter": "ListingKey ne 'x'"}, {"$filter": "ListingKey gt 'x'"})


class OrderbyParamTest(unittest.TestCase):
    """orderby_param: "reject" answers $orderby with an OData 400; Property comes oldest first."""

    def test_orderby_rejected_records_oldest_first(self):
        SERVER.reset("ob", listings=30, seed=5, orderby_param="reject", page_max=10)
        refusal, _ = refused_then_served(self, "ob", {"$orderby": "ListingKey asc"}, {})
        self.assertIn("$orderby", refusal.json()["error"]["message"])
        token = SERVER.token("ob")
        served, links = crawl("ob", token, {"$top": "10"})
        self.assertEqual(len(links), 2)
        order = [(parse_instant(r["ModificationTimestamp"])[0], r["ListingKey"]) for r in served]
        self.assertEqual(len(order), 30)
        self.assertEqual(order, sorted(order))
        SERVER.control("POST", "configure", {"mls": "ob", "orderby_param": "reject_key_order"})
        served, _ = crawl("ob", token, {"$top": "10"})
        keys = [r["ListingKey"] for r in served]
        self.assertEqual(keys, sorted(keys))
        self.assertNotEqual([r["ModificationTimestamp"] for r in served],
                            sorted(r["ModificationTimestamp"] for r in served))


class ServerClockTest(unittest.TestCase):
    """A RESO answer's Date is the MLS clock its records are stamped by, refusals' too."""

    def test_date_is_the_mls_clock(self):
        SERVER.reset("clk", listings=30, seed=8, orderby_param="reject")
        token = SERVER.token("clk")
        clock = SERVER.control("GET", "mls?mls=clk")["clock"]
        served = SERVER.reso("clk", "Property", token, params={"$top": "100"})
        refused = SERVER.reso("clk", "Property", token, params={
            "$orderby": "ModificationTimestamp desc", "$top": "1"})
        self.assertEqual(refused.status, 400)
        SERVER.control("POST", "faults", {"mls": "clk", "path": "/reso/odata/Property", "fault": "http_503",
                                          "count": 1})
        unavailable = SERVER.reso("clk", "Property", token, params={"$top": "1"})
        self.assertEqual(unavailable.status, 503)
        for reply in (served, refused, unavailable):
            date = email.utils.parsedate_to_datetime(reply.header("Date"))
            self.assertEqual(date.strftime("%Y-%m-%dT%H:%M:%S"), clock[:19])
        newest = max(parse_instant(r["ModificationTimestamp"])[0] for r in served.json()["value"])
        self.assertLessEqual(newest, parse_instant(clock)[0])
        moved = SERVER.control("POST", "advance", {"mls": "clk", "seed": 1, "price_cut": 1,
                                                   "minutes": 90})["clock"]
        later = SERVER.reso("clk", "Property", token, params={"$top": "1"})
        self.assertEqual(email.utils.parsedate_to_datetime(later.header("Date")).strftime(
            "%Y-%m-%dT%H:%M:%S"), moved[:19])

    def test_newest_record_by_descending_order(self):
        SERVER.reset("clk2", listings=30, seed=9)
        token = SERVER.token("clk2")
        every = SERVER.reso("clk2", "Property", token, params={"$top": "100"}).json()["value"]
        newest = SERVER.reso("clk2", "Property", token, params={
            "$orderby": "ModificationTimestamp desc,ListingKey desc", "$top": "1",
            "$select": "ListingKey,ModificationTimestamp"}).json()["value"]
        self.assertEqual([(parse_instant(r["ModificationTimestamp"])[0], r["ListingKey"]) for r in newest],
                         [max((parse_instant(r["ModificationTimestamp"])[0], r["ListingKey"]) for r in every)])


class RequiredFilterTest(unittest.TestCase):
    """required_filter: every Property request names a value of the field, as MLS Grid asks."""

    def test_requests_without_the_field_are_refused(self):
        SERVER.reset("rq", listings=20, seed=6, required_filter="OriginatingSystemName")
        token = SERVER.token("rq")
        system = SERVER.truth_records("rq")[0]["OriginatingSystemName"]
        key = SERVER.truth_records("rq")[0]["ListingKey"]
        named = "OriginatingSystemName eq '%s'" % system
        for params in ({"$top": "5"}, {"$filter": "ListingKey eq '%s'" % key},
                       {"$filter": "OriginatingSystemName ne 'x'"}):
            reply = SERVER.reso("rq", "Property", token, params=params)
            self.assertEqual(reply.status, 400, params)
            self.assertIn("OriginatingSystemName", reply.json()["error"]["message"])
        self.assertEqual(SERVER.reso("rq", "Property('%s')" % key, token).status, 400)
        one = SERVER.reso("rq", "Property", token, params={
            "$filter": "%s and ListingKey eq '%s'" % (named, key)}).json()["value"]
        self.assertEqual([r["ListingKey"] for r in one], [key])
        self.assertEqual(len(SERVER.reso("rq", "Property", token, params={
            "$filter": named, "$top": "100"}).json()["value"]), 20)
        # other resources are not concerned
        self.assertEqual(SERVER.reso("rq", "Member", token, params={"$top": "1"}).status, 200)


class VisibilityFieldTest(unittest.TestCase):
    """visibility_field: records carry the flag; a deleted listing stays in RESO, flagged false."""

    def test_deleted_listing_stays_flagged_false(self):
        SERVER.reset("vf", listings=20, seed=5, visibility_field="MlgCanView")
        token = SERVER.token("vf")
        served = SERVER.reso("vf", "Property", token, params={"$top": "100"}).json()["value"]
        self.assertEqual(len(served), 20)
        self.assertTrue(all(r["MlgCanView"] is True for r in served))
        old_clock = SERVER.control("GET", "mls?mls=vf")["clock"]
        changed = SERVER.control("POST", "advance", {"mls": "vf", "seed": 2, "deleted": 3,
                                                     "price_cut": 2})["changed"]
        gone = set(changed["deleted"])
        truth = SERVER.truth_records("vf")
        self.assertEqual(len(truth), 17)
        self.assertTrue(all(r["MlgCanView"] is True for r in truth))
        self.assertFalse(gone & {r["ListingKey"] for r in truth})
        newer = SERVER.reso("vf", "Property", token, params={
            "$filter": "ModificationTimestamp gt %s" % old_clock, "$top": "100"}).json()["value"]
        self.assertEqual({r["ListingKey"] for r in newer if r["MlgCanView"] is False}, gone)
        self.assertEqual({r["ListingKey"] for r in newer if r["MlgCanView"]}, set(changed["price_cut"]))
        # an initial import filters on the flag, as MLS Grid asks; $count follows it
        visible = SERVER.reso("vf", "Property", token, params={
            "$filter": "MlgCanView eq true", "$top": "100", "$count": "true",
            "$select": "ListingKey,MlgCanView"}).json()
        self.assertEqual(visible["@odata.count"], 17)
        self.assertEqual({r["ListingKey"] for r in visible["value"]}, {r["ListingKey"] for r in truth})
        one = SERVER.reso("vf", "Property('%s')" % sorted(gone)[0], token).json()
        self.assertIs(one["MlgCanView"], False)
        restored = SERVER.control("POST", "advance", {"mls": "vf", "seed": 3, "restored": 1})
        back = restored["changed"]["restored"]
        self.assertEqual(len(back), 1)
        self.assertIn(back[0], gone)
        self.assertIn(back[0], {r["ListingKey"] for r in SERVER.truth_records("vf")})
        self.assertIs(SERVER.reso("vf", "Property('%s')" % back[0], token).json()["MlgCanView"], True)
        gone.discard(back[0])
        rets = RetsSession(SERVER, "vf")
        rets.login()
        self.assertIn('ReplyCode="20201"', rets.search("(L_ListingID=%s)" % sorted(gone)[0]).text)

    def test_bad_names_refused(self):
        for name in ("Mlg Can View", "", 3, "ListPrice"):
            with self.assertRaisesRegex(AssertionError, "-> 400 .*visibility_field", msg=repr(name)):
                SERVER.reset("vf2", listings=5, seed=5, visibility_field=name)


class NonFiniteTest(unittest.TestCase):
    """non_finite: the first N listings served with bare NaN and -Infinity."""

    def test_served_bare_truth_null(self):
        SERVER.reset("nf", listings=12, seed=5, non_finite=3)
        token = SERVER.token("nf")
        reply = SERVER.reso("nf", "Property", token, params={"$top": "100"})
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.body.count(b'"Latitude":NaN'), 3)
        self.assertEqual(reply.body.count(b'"Longitude":-Infinity'), 3)
        with self.assertRaises(ValueError):
            json.loads(reply.body, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
        truth = SERVER.truth_records("nf")
        self.assertEqual(len(truth), 12)
        nulled = [r["ListingKey"] for r in truth if r["Latitude"] is None and r["Longitude"] is None]
        self.assertEqual(len(nulled), 3, "the truth holds null where NaN was served")
        # a $select decodes and writes the record again: still bare
        reply = SERVER.reso("nf", "Property", token,
                            params={"$top": "100", "$select": "ListingKey,Latitude"})
        self.assertEqual(reply.body.count(b'"Latitude":NaN'), 3)


class OffsetPagingTest(unittest.TestCase):
    """nextlink_paging: "offset" ($skip recomputed against the live data)."""

    def test_offset_links_and_page_cap(self):
        SERVER.reset("op", listings=60, seed=4, nextlink_paging="offset", page_max=15)
        token = SERVER.token("op")
        doc = page("op", token, {"$orderby": ORDER, "$top": "50"})
        self.assertEqual(len(doc["value"]), 15, "page_max caps the page below $top")
        link = doc["@odata.nextLink"]
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
        self.assertEqual(query["$skip"], ["15"])
        self.assertEqual(query["$top"], ["50"], "the client's $top is repeated")
        self.assertEqual(query["$orderby"], [ORDER])
        self.assertNotIn("$skiptoken", query)
        records, links = crawl("op", token, {"$orderby": ORDER, "$top": "50"})
        self.assertEqual([urllib.parse.parse_qs(urllib.parse.urlsplit(l).query)["$skip"][0]
                          for l in links], ["15", "30", "45"])
        self.assertEqual([r["ListingKey"] for r in records], ordered_keys("op"))

    def test_offset_links_skip_records_that_move_to_the_end(self):
        for mode in ("skiptoken", "offset"):
            with self.subTest(mode=mode):
                name = "o" + mode[:3]
                SERVER.reset(name, listings=120, seed=6, nextlink_paging=mode)
                token = SERVER.token(name)
                before = ordered_keys(name)
                first = page(name, token, {"$orderby": ORDER, "$top": "20"})
                second = page(name, token, url=first["@odata.nextLink"])
                seen = [r["ListingKey"] for r in first["value"] + second["value"]]
                self.assertEqual(seen, before[:40])
                changed = SERVER.control("POST", "advance", {"mls": name, "seed": 2,
                                                            "price_cut": 30})["changed"]["price_cut"]
                passed = [k for k in changed if k in seen]
                self.assertTrue(passed, "the advance changed records the client already passed")
                doc = page(name, token, url=second["@odata.nextLink"])
                rest = doc["value"]
                while doc.get("@odata.nextLink"):
                    doc = page(name, token, url=doc["@odata.nextLink"])
                    rest += doc["value"]
                got = set(seen) | {r["ListingKey"] for r in rest}
                after = ordered_keys(name)
                missed = set(after) - got
                if mode == "skiptoken":
                    self.assertEqual(missed, set(), "keyset links are exact")
                    self.assertTrue(set(changed) <= {r["ListingKey"] for r in rest},
                                    "changed records come again at the end")
                else:
                    # $skip=40 now counts from a list where len(passed) records moved
                    # from the first 40 to the end: that many records slid under the offset.
                    self.assertEqual(missed, set(after[40 - len(passed):40]))
                    self.assertEqual(len(missed), len(passed))


class AdvanceFaultTest(unittest.TestCase):
    """The advance fault: the market moves between two pages of one client."""

    def tearDown(self):
        SERVER.control("DELETE", "faults")

    def run_client(self, name, mode):
        SERVER.reset(name, listings=200, seed=6, nextlink_paging=mode)
        token = SERVER.token(name)
        before = ordered_keys(name)
        rule = SERVER.control("POST", "faults", {
            "mls": name, "path": "/reso/odata/Property", "fault": "advance", "after": 2,
            "count": 1, "advance": {"seed": 5, "price_cut": 40, "same_timestamp": False}})
        self.assertEqual(rule["advance"]["price_cut"], 40)
        SERVER.control("DELETE", "log")
        records, links = crawl(name, token, {"$orderby": ORDER, "$top": "20"})
        entries = [e for e in SERVER.control("GET", "log?mls=%s" % name)["entries"]
                   if e["path"].endswith("/Property")]
        fired = [e for e in entries if "advance" in e["faults"]]
        self.assertEqual(len(fired), 1)
        self.assertEqual(entries.index(fired[0]), 2, "fires on the third page request")
        changed = fired[0]["advanced"]["changed"]["price_cut"]
        self.assertEqual(len(changed), 40)
        rules = SERVER.control("GET", "faults")["rules"]
        self.assertEqual([(r["fault"], r["fired"]) for r in rules], [("advance", 1)])
        early = [k for k in changed if before.index(k) < 40]
        self.assertTrue(early, "price cuts of old listings: records the client already passed")
        truth = {r["ListingKey"]: r for r in SERVER.truth_records(name)}
        for key in changed:
            self.assertNotEqual(truth[key]["ListPrice"], truth[key]["PreviousListPrice"])
        return records, truth, changed, early

    def test_skiptoken_client_gets_every_change(self):
        records, truth, changed, _ = self.run_client("afs", "skiptoken")
        last = {}
        for r in records:
            last[r["ListingKey"]] = r
        self.assertEqual(set(last), set(truth))
        self.assertEqual({k: v["ListPrice"] for k, v in last.items()},
                         {k: v["ListPrice"] for k, v in truth.items()})

    def test_offset_client_silently_misses_records(self):
        records, truth, changed, early = self.run_client("afo", "offset")
        keys = {r["ListingKey"] for r in records}
        missed = set(truth) - keys
        self.assertTrue(missed, "records slid below the offset")
        self.assertEqual(len(missed), len(early))


class MicrosecondsTest(unittest.TestCase):
    """timestamp_storage: "microseconds": ms served, µs compared."""

    @classmethod
    def setUpClass(cls):
        cls.changed = {}
        for name, storage in (("ux", "exact"), ("us", "microseconds")):
            SERVER.reset(name, listings=60, seed=9, timestamp_storage=storage)
            advanced = SERVER.control("POST", "advance", {
                "mls": name, "seed": 1, "price_cut": 12, "same_timestamp": True})
            cls.changed[name] = set(advanced["changed"]["price_cut"])
            cls.stamp = advanced["clock"]

    def keyset(self, name, token, last_key):
        """One page of the keyset replication query after (stamp, last_key)."""
        flt = ("ModificationTimestamp gt %s or (ModificationTimestamp eq %s and ListingKey gt '%s')"
               % (self.stamp, self.stamp, last_key))
        return [r for r in page(name, token, {"$filter": flt, "$orderby": ORDER, "$top": "5"})["value"]]

    def test_served_values_are_milliseconds(self):
        changed = self.changed["us"]
        self.assertEqual(len(changed), 12)
        truth = SERVER.truth_records("us")
        stamps = {r["ModificationTimestamp"] for r in truth if r["ListingKey"] in changed}
        self.assertEqual(stamps, {self.stamp}, "truth shows the millisecond value")
        self.assertRegex(self.stamp, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$")
        token = SERVER.token("us")
        served = page("us", token, {"$filter": "ModificationTimestamp ge %s" % self.stamp,
                                    "$orderby": ORDER, "$top": "50"})["value"]
        self.assertEqual({r["ListingKey"] for r in served}, changed)
        self.assertEqual({r["ModificationTimestamp"] for r in served}, {self.stamp})
        self.assertEqual(SERVER.truth("us")["max_modification_timestamp"], self.stamp)
        # eq compares the hidden precise value: nothing is exactly at the served instant
        eq = page("us", token, {"$filter": "ModificationTimestamp eq %s" % self.stamp})["value"]
        self.assertEqual(eq, [])
        eq = page("ux", SERVER.token("ux"), {"$filter": "ModificationTimestamp eq %s" % self.stamp,
                                             "$top": "50"})["value"]
        self.assertEqual(len(eq), 12)
        # $orderby uses the hidden value too: within the served instant keys are not in order
        keys = [r["ListingKey"] for r in served]
        self.assertNotEqual(keys, sorted(keys))

    def test_keyset_query_loops_on_records_already_seen(self):
        token = SERVER.token("us")
        first = page("us", token, {"$filter": "ModificationTimestamp ge %s" % self.stamp,
                                   "$orderby": ORDER, "$top": "5"})["value"]
        seen = [r["ListingKey"] for r in first]
        self.assertEqual({r["ModificationTimestamp"] for r in first}, {self.stamp})
        pages = [seen]
        for _ in range(3):
            rows = self.keyset("us", token, pages[-1][-1])
            pages.append([r["ListingKey"] for r in rows])
            self.assertEqual({r["ModificationTimestamp"] for r in rows}, {self.stamp})
        # (ts gt T) matches every record of T again, in hidden order: the same page forever
        self.assertEqual(pages[1], pages[0])
        self.assertEqual(pages[3], pages[0])
        # the exact server pages through the same 12 changes and stops
        token = SERVER.token("ux")
        rows = page("ux", token, {"$filter": "ModificationTimestamp ge %s" % self.stamp,
                                  "$orderby": ORDER, "$top": "5"})["value"]
        got = [r["ListingKey"] for r in rows]
        while rows:
            rows = self.keyset("ux", token, got[-1])
            got += [r["ListingKey"] for r in rows]
        self.assertEqual(set(got), self.changed["ux"])
        self.assertEqual(len(got), len(set(got)))


class FilterAndLinkQuirksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        SERVER.reset("fq", listings=40, seed=2)
        cls.token = SERVER.token("fq")
        cls.keys = ordered_keys("fq")

    def tearDown(self):
        SERVER.control("POST", "configure", {"mls": "fq", "ignore_filter": False,
                                             "nextlink_self": False, "nextlink_escapes": "none",
                                             "nextlink_raw": False, "nextlink_form": "absolute"})

    def test_ignore_filter(self):
        params = {"$filter": "ListingKey eq '%s'" % self.keys[5], "$orderby": ORDER, "$top": "10",
                  "$count": "true"}
        doc = page("fq", self.token, params)
        self.assertEqual([r["ListingKey"] for r in doc["value"]], [self.keys[5]])
        SERVER.control("POST", "configure", {"mls": "fq", "ignore_filter": True})
        doc = page("fq", self.token, params)
        self.assertEqual([r["ListingKey"] for r in doc["value"]], self.keys[:10])
        self.assertEqual(doc["@odata.count"], 40)
        desc = page("fq", self.token, dict(params, **{"$orderby": "ListingKey desc"}))
        self.assertEqual([r["ListingKey"] for r in desc["value"]], sorted(self.keys, reverse=True)[:10])

    def test_nextlink_self(self):
        SERVER.control("POST", "configure", {"mls": "fq", "nextlink_self": True})
        target = "/fq/reso/odata/Property?%24orderby=" + urllib.parse.quote(ORDER) + "&%24top=7"
        reply = SERVER.get(target, headers={"Authorization": "Bearer " + self.token})
        doc = reply.json()
        self.assertEqual(doc["@odata.nextLink"], SERVER.base + target)
        again = page("fq", self.token, url=doc["@odata.nextLink"])
        self.assertEqual(again["value"], doc["value"])
        self.assertEqual(again["@odata.nextLink"], SERVER.base + target)
        whole = page("fq", self.token, {"$top": "100"})
        self.assertEqual(len(whole["value"]), 40)
        self.assertIn("@odata.nextLink", whole, "even a page holding every record links to itself")


    def test_nextlink_escapes(self):
        params = {"$orderby": ORDER, "$top": "7"}

        def reply():
            return SERVER.reso("fq", "Property", self.token, None, params)

        plain = reply()
        link = plain.json()["@odata.nextLink"]
        self.assertIn("?", link)
        SERVER.control("POST", "configure", {"mls": "fq", "nextlink_escapes": "all"})
        escaped = reply()
        self.assertNotIn(b'?', escaped.body.split(b'"@odata.nextLink":')[1])
        self.assertIn(b'\\u003f', escaped.body, "the ? is written as an escape")
        self.assertEqual(escaped.json()["@odata.nextLink"], link, "and decodes to the same link")
        self.assertEqual(escaped.json()["value"], plain.json()["value"])
        for mode, escape in (("nul", "\\u0000"), ("lone_surrogate", "\\ud800"), ("bad_hex", "\\u00zz")):
            SERVER.control("POST", "configure", {"mls": "fq", "nextlink_escapes": mode})
            body = reply().body
            self.assertIn((escape + "?").encode(), body, mode)
            self.assertEqual(body.replace(escape.encode(), b""), plain.body, mode + ": nothing else changes")


    def test_nextlink_form(self):
        params = {"$orderby": ORDER, "$top": "7"}
        request_url = SERVER.base + "/fq/reso/odata/Property?" + urllib.parse.urlencode(params)
        absolute = page("fq", self.token, params)["@odata.nextLink"]
        for form, start in (("path", "/fq/reso/odata/Property?"), ("relative", "Property?")):
            SERVER.control("POST", "configure", {"mls": "fq", "nextlink_form": form})
            link = page("fq", self.token, params)["@odata.nextLink"]
            self.assertTrue(link.startswith(start), link)
            self.assertEqual(urllib.parse.urljoin(request_url, link), absolute, form)

    def test_nextlink_raw(self):
        # a filter every listing passes, with a space, a plus and a character past U+FFFF
        params = {"$filter": "City ne 'A+\U0001d49c b'", "$orderby": ORDER, "$top": "7"}

        def reply():
            return SERVER.reso("fq", "Property", self.token, None, params)

        plain = reply().json()
        link = plain["@odata.nextLink"]
        self.assertIn("%F0%9D%92%9C", link)
        SERVER.control("POST", "configure", {"mls": "fq", "nextlink_raw": True})
        raw = reply()
        raw_link = raw.json()["@odata.nextLink"]
        self.assertIn("$filter=City ne 'A+\U0001d49c b'&", raw_link, "decoded, the plus too")
        self.assertEqual(raw.json()["value"], plain["value"])
        # sent back as it is, the plus reads as a space: the filter is another one
        as_written = urllib.parse.quote(raw_link, safe=":/?&=$,()'%+#")
        SERVER.control("DELETE", "log")
        page("fq", self.token, url=as_written)
        self.assertEqual(SERVER.control("GET", "log?mls=fq")["entries"][-1]["params"]["$filter"],
                         "City ne 'A \U0001d49c b'")
        # a "%" that starts no escape is refused, as strict servers do
        self.assertEqual(SERVER.get("/fq/reso/odata/Property?$filter=City%20ne%20'100%'",
                                    headers={"Authorization": "Bearer " + self.token}).status, 400)
        # a client that percent-encodes what a URI cannot hold, and the plus of a decoded
        # query, gets the page the plain link gives
        again = page("fq", self.token, url=urllib.parse.quote(raw_link, safe=":/?&=$,()'%#"))
        self.assertEqual(again["value"], page("fq", self.token, url=link)["value"])
        self.assertEqual(len(again["value"]), 7)
        # with every character escaped in the JSON, the character is a surrogate pair
        SERVER.control("POST", "configure", {"mls": "fq", "nextlink_escapes": "all"})
        body = reply().body
        self.assertIn(b"\\ud835\\udc9c", body.lower())
        self.assertEqual(json.loads(body)["@odata.nextLink"], raw_link)


class EntityKeyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        SERVER.reset("ek", listings=20, seed=2, quoted_key="O'Brien-1")
        cls.token = SERVER.token("ek")

    def tearDown(self):
        SERVER.control("POST", "configure", {"mls": "ek", "entity_key_quotes": "decoded"})

    def get(self, path):
        return SERVER.get("/ek/reso/odata/" + path, headers={"Authorization": "Bearer " + self.token})

    def test_decoded_and_literal_quotes(self):
        key = ordered_keys("ek")[3]
        literal, encoded = self.get("Property('%s')" % key), self.get("Property(%%27%s%%27)" % key)
        for reply in (literal, encoded):
            self.assertEqual(reply.status, 200)
            self.assertEqual(reply.json()["ListingKey"], key)
        self.assertEqual(literal.body, encoded.body)
        missing = self.get("Property(%270000000001%27)")
        self.assertEqual((missing.status, missing.json()["error"]["code"]), (404, "NotFound"))
        SERVER.control("POST", "configure", {"mls": "ek", "entity_key_quotes": "literal"})
        self.assertEqual(self.get("Property('%s')" % key).body, literal.body)
        html = self.get("Property(%%27%s%%27)" % key)
        self.assertEqual(html.status, 404)
        self.assertTrue(html.header("Content-Type").startswith("text/html"))
        self.assertIn(b"<h1>Not Found</h1>", html.body)
        self.assertIsNone(html.header("OData-Version"))
        self.assertRaises(ValueError, json.loads, html.body)

    def test_no_entity_lookups(self):
        key = ordered_keys("ek")[3]
        SERVER.control("POST", "configure", {"mls": "ek", "entity_lookup": "odata_404"})
        try:
            reply = self.get("Property('%s')" % key)
            self.assertEqual((reply.status, reply.json()["error"]["code"]), (404, "NotFound"))
            found = self.get("Property?$filter=ListingKey%%20eq%%20'%s'" % key)
            self.assertEqual([r["ListingKey"] for r in found.json()["value"]], [key])
        finally:
            SERVER.control("POST", "configure", {"mls": "ek", "entity_lookup": "yes"})
        missing = self.get("Property('0000000001')")
        self.assertEqual(missing.status, 404)
        self.assertEqual(missing.json()["error"]["code"], "NotFound", "a missing key is an OData error")
        self.assertTrue(missing.header("Content-Type").startswith("application/json"))

    def test_key_with_a_quote(self):
        described = SERVER.control("GET", "mls?mls=ek")
        self.assertEqual(described["special_keys"]["quoted_key"], "O'Brien-1")
        truth = {r["ListingKey"]: r for r in SERVER.truth_records("ek")}
        self.assertIn("O'Brien-1", truth)
        self.assertEqual(len(truth), 20)
        doc = page("ek", self.token, {"$filter": "ListingKey eq 'O''Brien-1'"})
        self.assertEqual(doc["value"], [truth["O'Brien-1"]])
        self.assertEqual(page("ek", self.token, {"$filter": "ListingKey eq 'OBrien-1'"})["value"], [])
        self.assertEqual(SERVER.reso("ek", "Property", self.token,
                                     params={"$filter": "ListingKey eq 'O'Brien-1'"}).status, 400)
        entity = self.get("Property('O''Brien-1')")
        self.assertEqual(entity.status, 200)
        self.assertEqual(entity.json()["ListingKey"], "O'Brien-1")
        # the key stays through market changes
        SERVER.control("POST", "advance", {"mls": "ek", "seed": 1, "photos_changed": 20,
                                           "price_cut": 20})
        self.assertIn("O'Brien-1", SERVER.truth("ek")["keys"])


class EnumLiteralTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        SERVER.reset("en", listings=150, seed=4, lookup_spelling="enum")
        cls.token = SERVER.token("en")
        cls.truth = SERVER.truth_records("en")

    def tearDown(self):
        SERVER.control("POST", "configure", {"mls": "en", "enum_display_literals": "match"})

    def keys(self, flt):
        reply = SERVER.reso("en", "Property", self.token, params={"$filter": flt, "$top": "1000"})
        self.assertEqual(reply.status, 200, reply.body)
        return sorted(r["ListingKey"] for r in reply.json()["value"])

    def where(self, test):
        return sorted(r["ListingKey"] for r in self.truth if test(r))

    def test_display_literals(self):
        auc = self.where(lambda r: r["StandardStatus"] == "ActiveUnderContract")
        rr = self.where(lambda r: r["City"] == "RoundRock")
        oven = self.where(lambda r: "BuiltInElectricOven" in (r["Appliances"] or []))
        active = self.where(lambda r: r["StandardStatus"] == "Active")
        self.assertTrue(auc and rr and oven and active)
        # default: both spellings match (today's behaviour)
        self.assertEqual(self.keys("StandardStatus eq 'Active Under Contract'"), auc)
        self.assertEqual(self.keys("StandardStatus eq 'ActiveUnderContract'"), auc)
        SERVER.control("POST", "configure", {"mls": "en", "enum_display_literals": "no_match"})
        self.assertEqual(self.keys("StandardStatus eq 'Active Under Contract'"), [])
        self.assertEqual(self.keys("StandardStatus eq 'ActiveUnderContract'"), auc)
        self.assertEqual(self.keys("StandardStatus eq org.reso.metadata.enums.StandardStatus"
                                   "'ActiveUnderContract'"), auc)
        self.assertEqual(self.keys("StandardStatus eq 'Active'"), active, "same in both spellings")
        self.assertEqual(self.keys("StandardStatus ne 'Active Under Contract'"),
                         self.where(lambda r: True))
        self.assertEqual(self.keys("City eq 'Round Rock'"), [])
        self.assertEqual(self.keys("City eq 'RoundRock'"), rr, "open lookups by their enum spelling")
        self.assertEqual(self.keys("Appliances/any(a: a eq 'Built-In Electric Oven')"), [])
        self.assertEqual(self.keys("Appliances/any(a: a eq 'BuiltInElectricOven')"), oven)
        SERVER.control("POST", "configure", {"mls": "en", "enum_display_literals": "reject"})
        reply = SERVER.reso("en", "Property", self.token,
                            params={"$filter": "StandardStatus eq 'Active Under Contract'"})
        self.assertEqual(reply.status, 400)
        self.assertIn("ActiveUnderContract", reply.json()["error"]["message"])
        self.assertEqual(self.keys("StandardStatus eq 'ActiveUnderContract'"), auc)


class EncodingTest(unittest.TestCase):
    def test_emoji_fraction_changes_only_remarks(self):
        SERVER.reset("em", listings=80, seed=5)
        plain = {r["ListingKey"]: r for r in SERVER.truth_records("em")}
        accented = [k for k, r in plain.items()
                    if any(ord(c) > 0x7f for c in json.dumps(r, ensure_ascii=False))]
        self.assertTrue(accented, "non-ASCII text without any option")
        self.assertFalse([k for k, r in plain.items()
                          if any(ord(c) > 0xFFFF for c in json.dumps(r, ensure_ascii=False))],
                         "no emoji by default")
        SERVER.reset("em", listings=80, seed=5, emoji_fraction=0.3)
        emoji = {r["ListingKey"]: r for r in SERVER.truth_records("em")}
        self.assertEqual(set(plain), set(emoji))
        decorated = [k for k in plain if plain[k] != emoji[k]]
        self.assertTrue(8 <= len(decorated) <= 40, len(decorated))
        for key in decorated:
            self.assertEqual({f for f in plain[key] if plain[key][f] != emoji[key][f]}, {"PublicRemarks"})
            self.assertTrue(emoji[key]["PublicRemarks"].startswith(plain[key]["PublicRemarks"]))
            self.assertTrue(any(ord(c) > 0xFFFF for c in emoji[key]["PublicRemarks"]))
        # in enum spelling too, and over RETS
        SERVER.reset("ee", listings=80, seed=5, emoji_fraction=0.3, lookup_spelling="enum")
        enum = [r for r in SERVER.truth_records("ee") if "\U0001F3E1" in r["PublicRemarks"]
                or "\U0001F525" in r["PublicRemarks"] or "\U0001F468" in r["PublicRemarks"]
                or "\u2600" in r["PublicRemarks"]]
        self.assertTrue(enum)
        # new listings of an advance get them too
        added = SERVER.control("POST", "advance", {"mls": "em", "seed": 3, "new": 30})["changed"]["new"]
        after = {r["ListingKey"]: r for r in SERVER.truth_records("em")}
        self.assertTrue(any(any(ord(c) > 0xFFFF for c in after[k]["PublicRemarks"]) for k in added))

    def test_escape_non_ascii(self):
        SERVER.reset("esc", listings=80, seed=5, emoji_fraction=0.3)
        token = SERVER.token("esc")
        raw = SERVER.reso("esc", "Property", token, params={"$top": "80"})
        self.assertTrue(any(b > 0x7f for b in raw.body), "raw UTF-8 by default")
        self.assertIn("\U0001F3E1".encode(), raw.body)
        SERVER.control("POST", "configure", {"mls": "esc", "escape_non_ascii": True})
        for headers in ({}, {"Accept-Encoding": "gzip"}):
            escaped = SERVER.reso("esc", "Property", token, headers, params={"$top": "80"})
            body = escaped.body
            if escaped.header("Content-Encoding") == "gzip":
                import gzip
                body = gzip.decompress(body)
            self.assertTrue(all(b < 0x80 for b in body), "every byte ASCII")
            self.assertIn(b"\\ud83c\\udfe1", body, "emoji as a surrogate pair")
            self.assertIn(b"\\u00e9", body)
            self.assertEqual(json.loads(body), raw.json(), "the same JSON once decoded")
        key = raw.json()["value"][0]["ListingKey"]
        entity = SERVER.reso("esc", "Property('%s')" % key, token)
        self.assertTrue(all(b < 0x80 for b in entity.body))
        summary = SERVER.truth("esc")["keys"]
        for record in raw.json()["value"]:
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
            self.assertEqual(summary[record["ListingKey"]], hashlib.sha256(line).hexdigest(),
                             "the truth hashes the unescaped record")


class VariedRecordsTest(unittest.TestCase):
    def test_members_in_an_order_of_their_own(self):
        SERVER.reset("vk", listings=40, seed=4)
        plain = {r["ListingKey"]: r for r in SERVER.truth_records("vk")}
        SERVER.reset("vk", listings=40, seed=4, record_keys="varied")
        lines = SERVER.get("/control/truth?mls=vk&format=jsonl").body.splitlines()
        orders = set()
        sparse = doubled = 0
        for line in lines:
            record = json.loads(line)
            key = record["ListingKey"]
            # the same record once decoded, but for the null members left out
            self.assertEqual(record, {f: v for f, v in plain[key].items() if f in record})
            self.assertFalse({f for f in plain[key] if f not in record and plain[key][f] is not None})
            sparse += len(record) < len(plain[key])
            doubled += line.count(b'"ListPrice":') == 2
            if line.count(b'"ListPrice":') == 2:
                self.assertTrue(line.startswith(b'{"ListPrice":-1,'), "the wrong value first")
            orders.add(tuple(json.loads(line, object_pairs_hook=lambda pairs: [p[0] for p in pairs])))
        self.assertEqual(len(lines), 40)
        self.assertGreaterEqual(len(orders), 39, "an order of its own")
        self.assertGreaterEqual(sparse, 15)
        self.assertGreaterEqual(doubled, 5)
        # served exactly as the truth records it, in pages and by key
        token = SERVER.token("vk")
        reply = SERVER.reso("vk", "Property", token, params={"$top": "100"})
        for line in lines:
            self.assertIn(line, reply.body)
        entity = SERVER.reso("vk", "Property('%s')" % json.loads(lines[0])["ListingKey"], token)
        self.assertIn(lines[0][1:-1], entity.body)
        # and kept by the listings an advance changes
        changed = SERVER.control("POST", "advance", {"mls": "vk", "seed": 1, "price_cut": 10})["changed"]
        after = {json.loads(l)["ListingKey"]: l for l in
                 SERVER.get("/control/truth?mls=vk&format=jsonl").body.splitlines()}
        for key in changed["price_cut"]:
            self.assertNotEqual(list(json.loads(after[key])), list(plain[key]))


class ZonedTimestampsTest(unittest.TestCase):
    """reso_timestamps: Property's timestamps in the MLS's zone, with their
    offset or without a zone (then a zone-less $filter literal is read in it)."""

    ZONE = {"timezone": "Australia/Brisbane"}      # +10:00 all year

    def test_offset_and_local_forms(self):
        SERVER.reset("zt", listings=30, seed=5, rets=self.ZONE)
        plain = {r["ListingKey"]: r for r in SERVER.truth_records("zt")}
        instant = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z$")
        stamped = {name for r in plain.values() for name, value in r.items()
                   if isinstance(value, str) and instant.match(value)}
        self.assertLessEqual({"ModificationTimestamp", "OriginalEntryTimestamp",
                              "PhotosChangeTimestamp", "PriceChangeTimestamp"}, stamped)
        for form, suffix in (("offset", "+10:00"), ("local", "")):
            SERVER.reset("zt", listings=30, seed=5, rets=self.ZONE, reso_timestamps=form)
            records = {r["ListingKey"]: r for r in SERVER.truth_records("zt")}
            self.assertEqual(set(records), set(plain))
            for key, record in records.items():
                for name in stamped:
                    if plain[key][name] is None:
                        self.assertIsNone(record[name])
                        continue
                    text = record[name]
                    self.assertRegex(text, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?"
                                     + re.escape(suffix) + "$")
                    # the same instant, read in the MLS's zone
                    self.assertEqual(parse_instant(text + ("" if suffix else "+10:00"))[0],
                                     parse_instant(plain[key][name])[0], (form, name))
                # nothing else changed
                self.assertEqual({f: v for f, v in record.items() if f not in stamped},
                                 {f: v for f, v in plain[key].items() if f not in stamped})

    def test_local_literals_read_in_the_mls_zone(self):
        SERVER.reset("zl", listings=30, seed=6, rets=self.ZONE, reso_timestamps="local")
        token = SERVER.token("zl")
        records = sorted(SERVER.truth_records("zl"), key=lambda r: parse_instant(r["ModificationTimestamp"] + "+10:00")[0])
        middle = records[15]["ModificationTimestamp"]
        utc = parse_instant(middle + "+10:00")[0]
        expected = {r["ListingKey"] for r in records
                    if parse_instant(r["ModificationTimestamp"] + "+10:00")[0] >= utc}
        for literal in (middle, records[15]["ModificationTimestamp"] + "+10:00"):
            doc = page("zl", token, {"$filter": "ModificationTimestamp ge %s" % literal, "$top": "100"})
            self.assertEqual({r["ListingKey"] for r in doc["value"]}, expected, literal)
        # the same wall clock written in UTC is ten hours later
        doc = page("zl", token, {"$filter": "ModificationTimestamp ge %sZ" % middle, "$top": "100"})
        self.assertLess(len(doc["value"]), len(expected))


class ExoticJsonTest(unittest.TestCase):
    def test_every_spelling_json_allows(self):
        SERVER.reset("ex", listings=20, seed=4, emoji_fraction=0.5)
        plain = {r["ListingKey"]: r for r in SERVER.truth_records("ex")}
        SERVER.reset("ex", listings=20, seed=4, emoji_fraction=0.5, json_style="exotic")
        lines = SERVER.get("/control/truth?mls=ex&format=jsonl").body.splitlines()
        self.assertEqual(len(lines), 20)
        for line in lines:
            self.assertTrue(all(b < 0x80 for b in line), "ASCII only")
            for spelling in (b"\\u0065", b"\\/", b"\t", b" :", b"\\u00E9", b"-0.0"):
                self.assertIn(spelling, line)
            record = json.loads(line)
            key = record["ListingKey"]
            self.assertEqual(record.pop("X_Exotic")["literals"], [True, False, None])
            self.assertEqual(set(record), set(plain[key]))
            for field, value in record.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    self.assertAlmostEqual(value, plain[key][field], delta=1e-9 * abs(value))
                else:
                    self.assertEqual(value, plain[key][field], field)
        self.assertTrue(any(b"\\uD83" in line for line in lines), "emoji as surrogate pairs")
        self.assertTrue(any(b"E+3" in line for line in lines), "prices in thousands")
        token = SERVER.token("ex")
        reply = SERVER.reso("ex", "Property", token, params={"$top": "100"})
        for line in lines:
            self.assertIn(line, reply.body)


class DeepRecordTest(unittest.TestCase):
    LEVELS = 200000

    def test_deep_record_served_in_a_normal_page(self):
        SERVER.reset("deep", listings=30, seed=2, deep_record=self.LEVELS)
        key = SERVER.control("GET", "mls?mls=deep")["special_keys"]["deep_record"]
        self.assertRegex(key, r"^\d{10}$")
        self.assertEqual(key, min(SERVER.truth("deep")["keys"]), "the lowest ListingKey")
        nested = b"[" * self.LEVELS + b"]" * self.LEVELS
        field = b'"X_DeepRemarks":' + nested
        token = SERVER.token("deep")
        reply = SERVER.reso("deep", "Property", token, params={"$top": "100"})
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.body.count(field), 1)
        self.assertNotIn(b"[" * (self.LEVELS + 1), reply.body)
        stripped = json.loads(reply.body.replace(b"," + field, b""))
        keys = [r["ListingKey"] for r in stripped["value"]]
        self.assertEqual(len(keys), 30)
        lines = SERVER.get("/control/truth?mls=deep&format=jsonl").body.splitlines()
        deep_lines = [line for line in lines if field in line]
        self.assertEqual(len(deep_lines), 1)
        self.assertIn(b'"ListingKey":"%s"' % key.encode(), deep_lines[0])
        self.assertTrue(deep_lines[0].endswith(b"," + field + b"}"), "the last field of the record")
        self.assertIn(deep_lines[0], reply.body, "served exactly as the truth records it")
        self.assertEqual(SERVER.truth("deep")["keys"][key], hashlib.sha256(deep_lines[0]).hexdigest())
        entity = SERVER.reso("deep", "Property('%s')" % key, token)
        self.assertIn(field + b"}", entity.body)
        selected = SERVER.reso("deep", "Property", token, params={
            "$select": "ListingKey,ListPrice", "$filter": "ListingKey eq '%s'" % key})
        self.assertEqual(selected.json()["value"][0]["ListingKey"], key)
        # a change of the record keeps its deep field
        changed = SERVER.control("POST", "advance", {"mls": "deep", "seed": 1, "price_cut": 30,
                                                     "back_on_market": 30})["changed"]
        self.assertIn(key, changed["price_cut"] + changed["back_on_market"])
        line = [l for l in SERVER.get("/control/truth?mls=deep&format=jsonl").body.splitlines()
                if b'"ListingKey":"%s"' % key.encode() in l][0]
        self.assertNotEqual(line, deep_lines[0])
        self.assertTrue(line.endswith(b"," + field + b"}"))


if __name__ == "__main__":
    unittest.main()
