"""RETS quirks: more rows on one timestamp than a Search returns with Offset
ignored (and the key-range way through), the time zone of METADATA-SYSTEM,
a hostile RETS-Version header, a padded Login reply, hostile encoding names."""

import time
import socket
import unittest
import xml.etree.ElementTree as ET

from mlsserver.timeutil import UTC, parse_instant, rets_timestamp, utc_offset_text, zone
from tests.support import RetsSession, ServerProcess, compact_rows

SERVER = None


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=20, seed=3).start()


def tearDownModule():
    SERVER.stop()


def session(mls):
    s = RetsSession(SERVER, mls)
    reply = s.login()
    assert reply.status == 200 and 'ReplyCode="0"' in reply.text, reply.body[:300]
    return s


def reply_code(reply):
    return int(ET.fromstring(reply.body).get("ReplyCode"))


def raw_request(path, headers=None):
    """GET over a raw socket (Connection: close); return (head bytes, body bytes)."""
    sock = socket.create_connection(("127.0.0.1", SERVER.port), timeout=30)
    lines = ["GET %s HTTP/1.1" % path, "Host: 127.0.0.1", "Connection: close"]
    lines += ["%s: %s" % kv for kv in (headers or {}).items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    chunks = []
    try:
        while True:
            data = sock.recv(1 << 20)
            if not data:
                break
            chunks.append(data)
    finally:
        sock.close()
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return head, body


def peak_rss_kb(pid):
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


class OneTimestampTest(unittest.TestCase):
    """rets.maxrows + rets.offset_support "ignore" + a same_timestamp advance."""

    @classmethod
    def setUpClass(cls):
        SERVER.reset("mx", listings=80, seed=3, rets={"maxrows": 10, "offset_support": "ignore"})
        advanced = SERVER.control("POST", "advance", {"mls": "mx", "seed": 2, "price_cut": 30,
                                                      "same_timestamp": True})
        cls.changed = sorted(advanced["changed"]["price_cut"])
        cls.stamp = rets_timestamp(parse_instant(advanced["clock"])[0], UTC)
        cls.s = session("mx")

    def keys(self, reply):
        return [row["L_ListingID"] for row in compact_rows(reply.text)[1]]

    def test_offset_ignored_cannot_get_past_maxrows(self):
        self.assertGreater(len(self.changed), 20, "more rows on one timestamp than maxrows")
        query = "(L_UpdateDate=%s)" % self.stamp
        first = self.s.search(query, Select="L_ListingID,L_UpdateDate", Count="1")
        self.assertEqual(reply_code(first), 20208)
        self.assertIn("<MAXROWS/>", first.text)
        self.assertIn('<COUNT Records="%d"/>' % len(self.changed), first.text)
        rows = compact_rows(first.text)[1]
        self.assertEqual(len(rows), 10)
        self.assertEqual({r["L_UpdateDate"] for r in rows}, {self.stamp})
        self.assertEqual([r["L_ListingID"] for r in rows], self.changed[:10], "key order within T")
        for offset in ("11", "21"):
            again = self.s.search(query, Select="L_ListingID,L_UpdateDate", Offset=offset)
            self.assertEqual(self.keys(again), self.changed[:10], "Offset is ignored")
            self.assertIn("<MAXROWS/>", again.text)
        # a later window skips the rest of T entirely
        later = self.s.search("(L_UpdateDate=%s+)" % self.stamp.replace(".000", ".001"),
                              Select="L_ListingID")
        self.assertEqual(reply_code(later), 20201)

    def test_key_range_inside_one_timestamp(self):
        pivot = self.changed[13]
        reply = self.s.search("(L_UpdateDate=%s),(L_ListingID=%s+)" % (self.stamp, pivot),
                              Select="L_ListingID,L_UpdateDate")
        rows = compact_rows(reply.text)[1]
        self.assertEqual([r["L_ListingID"] for r in rows], self.changed[13:23])
        self.assertEqual({r["L_UpdateDate"] for r in rows}, {self.stamp})
        # walking T by key ranges reaches every row of T, each once
        got, key = [], "0"
        while True:
            reply = self.s.search("(L_UpdateDate=%s),(L_ListingID=%s+)" % (self.stamp, key),
                                  Select="L_ListingID")
            if reply_code(reply) == 20201:
                break
            keys = [k for k in self.keys(reply) if k != key or not got]
            if not keys:
                break
            got += keys
            key = keys[-1]
            if "<MAXROWS/>" not in reply.text:
                break
        self.assertEqual(got, self.changed)


class SortTest(unittest.TestCase):
    def test_key_order(self):
        SERVER.reset("so", listings=60, seed=9, rets={"maxrows": 10, "sort": "key"})
        s = session("so")
        rows = compact_rows(s.search("(L_ListingID=0+)", Select="L_ListingID,L_UpdateDate").text)[1]
        keys = sorted(r["ListingKey"] for r in SERVER.truth_records("so"))
        self.assertEqual([r["L_ListingID"] for r in rows], keys[:10])
        SERVER.control("POST", "configure", {"mls": "so", "rets": {"sort": "timestamp"}})
        rows = compact_rows(s.search("(L_ListingID=0+)", Select="L_ListingID,L_UpdateDate").text)[1]
        stamps = [r["L_UpdateDate"] for r in rows]
        self.assertEqual(stamps, sorted(stamps))
        self.assertNotEqual([r["L_ListingID"] for r in rows], keys[:10])


class MaxrowsMarkerTest(unittest.TestCase):
    def test_silent_cap(self):
        SERVER.reset("mm", listings=30, seed=9, rets={"maxrows": 10, "maxrows_marker": "never"})
        s = session("mm")
        reply = s.search("(L_ListingID=0+)", Select="L_ListingID", Count="1")
        self.assertEqual(reply_code(reply), 0)
        self.assertIn('<COUNT Records="30"/>', reply.text)
        self.assertNotIn("MAXROWS", reply.text)
        self.assertEqual(len(compact_rows(reply.text)[1]), 10)
        SERVER.control("POST", "configure", {"mls": "mm", "rets": {"maxrows_marker": "yes"}})
        reply = s.search("(L_ListingID=0+)", Select="L_ListingID", Count="1")
        self.assertEqual(reply_code(reply), 20208)
        self.assertIn("<MAXROWS/>", reply.text)

    def test_max_url_bytes(self):
        SERVER.reset("mu", listings=12, seed=9)
        s = session("mu")
        SERVER.control("POST", "configure", {"mls": "mu", "rets": {"max_url_bytes": 200}})
        query = "(L_ListingID=%s)" % ",".join("%010d" % i for i in range(20))
        self.assertEqual(s.search(query).status, 414)
        self.assertEqual(s.search("(L_ListingID=0+)").status, 200)

    def test_hidden_keys(self):
        SERVER.reset("hk", listings=12, seed=9)
        keys = sorted(r["ListingKey"] for r in SERVER.truth_records("hk"))
        SERVER.control("POST", "configure", {"mls": "hk", "rets": {"hidden_keys": keys[:2]}})
        s = session("hk")
        reply = s.search("(L_ListingID=0+)", Select="L_ListingID", Count="1")
        self.assertEqual(reply_code(reply), 0)
        self.assertIn('<COUNT Records="12"/>', reply.text)
        self.assertNotIn("MAXROWS", reply.text)
        self.assertEqual(sorted(r["L_ListingID"] for r in compact_rows(reply.text)[1]), keys[2:])
        only_hidden = s.search("(L_ListingID=%s)" % keys[0], Count="1")
        self.assertEqual(reply_code(only_hidden), 0)
        self.assertIn('<COUNT Records="1"/>', only_hidden.text)
        self.assertNotIn("<DATA>", only_hidden.text)

    def test_photos_timestamp_refused(self):
        SERVER.reset("pt", listings=12, seed=9)
        s = session("pt")
        query = "(L_Last_Photo_updt=2020-01-01T00:00:00+)"
        self.assertEqual(reply_code(s.search(query)), 0)
        SERVER.control("POST", "configure", {"mls": "pt", "photos_timestamp_query": "reject"})
        try:
            for q in (query, "(PhotosChangeTimestamp=2020-01-01T00:00:00+)"):
                reply = s.search(q, StandardNames="1" if q.startswith("(P") else "0")
                self.assertEqual(reply_code(reply), 20200)
                self.assertIn("L_Last_Photo_updt", reply.text)
            # other fields are not concerned
            self.assertEqual(reply_code(s.search("(L_UpdateDate=2020-01-01T00:00:00+)")), 0)
        finally:
            SERVER.control("POST", "configure", {"mls": "pt", "photos_timestamp_query": "accept"})


class TimeZoneTest(unittest.TestCase):
    def test_metadata_offset_matches_rets_timezone(self):
        # the offset is the zone's now (by the wall clock), as a real server's
        for name in ("UTC", "America/Chicago", "Asia/Kolkata", "Australia/Sydney"):
            with self.subTest(zone=name):
                SERVER.reset("tz", listings=60, seed=8, rets={"timezone": name})
                tz = zone(name)
                expected = utc_offset_text(int(time.time() * 1_000_000), tz)
                s = session("tz")
                system = s.call("getmetadata", Type="METADATA-SYSTEM", ID="0").text
                self.assertIn('TimeZoneOffset="%s"' % expected, system)
                truth = {r["ListingKey"]: r for r in SERVER.truth_records("tz")}
                rows = compact_rows(s.search("(L_ListingID=0+)", Select="L_ListingID,L_UpdateDate")
                                   .text)[1]
                same = 0
                for row in rows:
                    us = parse_instant(truth[row["L_ListingID"]]["ModificationTimestamp"])[0]
                    self.assertEqual(row["L_UpdateDate"], rets_timestamp(us, tz))
                    if utc_offset_text(us, tz) == expected:
                        same += 1
                        self.assertEqual(parse_instant(row["L_UpdateDate"] + expected)[0],
                                         us - us % 1000)
                self.assertGreater(same, 0)


class HeaderAndBodyTest(unittest.TestCase):
    def test_version_header_bytes_on_the_wire(self):
        SERVER.reset("vh", listings=10, seed=1, rets={"version_header": "RETS/1.7.2\rX-Injected: 1"})
        head, _ = raw_request("/vh/rets/login", {"User-Agent": "t/1.0", "RETS-Version": "RETS/1.7.2"})
        self.assertIn(b"\r\nRETS-Version: RETS/1.7.2\rX-Injected: 1\r\n", head)
        self.assertTrue(head.startswith(b"HTTP/1.1 401"))
        s = session("vh")
        reply = s.search("(L_ListingID=0+)", Select="L_ListingID")
        self.assertEqual(reply_code(reply), 0)
        SERVER.reset("vd", listings=10, seed=1)
        head, _ = raw_request("/vd/rets/login")
        self.assertIn(b"\r\nRETS-Version: RETS/1.7.2\r\n", head)

    def login_body(self, mls):
        s = RetsSession(SERVER, mls)
        reply = s.login()
        self.assertEqual(reply.status, 200)
        return s, reply

    def test_login_reply_padding(self):
        for style in ("comment", "info"):
            with self.subTest(style=style):
                SERVER.reset("pad", listings=10, seed=1,
                             rets={"login_reply_bytes": 300000, "login_padding": style})
                s, reply = self.login_body("pad")
                self.assertGreaterEqual(len(reply.body), 300000)
                self.assertLess(len(reply.body), 300000 + 2048)
                self.assertEqual(int(reply.header("Content-Length")), len(reply.body))
                root = ET.fromstring(reply.body)
                self.assertEqual(root.get("ReplyCode"), "0")
                text = root.find("RETS-RESPONSE").text
                self.assertIn("Search=", text)
                self.assertTrue(s.cookie)
                self.assertTrue(s.capabilities["Search"].endswith("/pad/rets/search"))
                padding = [l for l in text.splitlines() if l.startswith("Info=X-Padding;")]
                if style == "info":
                    self.assertGreater(len(padding), 250)
                    self.assertNotIn(b"<!--", reply.body)
                else:
                    self.assertEqual(padding, [])
                    self.assertIn(b"<!-- padding", reply.body)
                self.assertEqual(reply_code(s.search("(L_ListingID=0+)", Select="L_ListingID")), 0)

    def test_login_reply_streamed(self):
        wanted = 50_000_000
        SERVER.reset("big", listings=10, seed=1, rets={"login_reply_bytes": wanted})
        peak = peak_rss_kb(SERVER.proc.pid)
        s, reply = self.login_body("big")
        self.assertGreaterEqual(len(reply.body), wanted)
        self.assertTrue(reply.body.rstrip().endswith(b"</RETS>"))
        growth_mb = (peak_rss_kb(SERVER.proc.pid) - peak) / 1024
        self.assertLess(growth_mb, 20, "the 50 MB reply was never held in memory")

    def test_bad_encoding_name(self):
        SERVER.reset("enc", listings=10, seed=1)
        cookie = {"Cookie": "RETS-Session-ID=%s" % session("enc").cookie}
        SERVER.control("POST", "configure", {"mls": "enc", "rets": {"bad_encoding_name": True}})
        head, body = raw_request("/enc/rets/login")
        self.assertIn(b"\r\nContent-Type: text/xml; charset=UTF-8\xff\xfe\"\r\r\n", head)
        self.assertTrue(body.startswith(b'<?xml version="1.0" encoding="UTF-8\xff\xfe"\r"?>'), body[:80])
        head, body = raw_request("/enc/rets/search?SearchType=Property&Class=ALL&Query=(L_ListingID=0%2B)"
                                 "&Select=L_ListingID", cookie)
        self.assertTrue(head.startswith(b"HTTP/1.1 200"))
        self.assertIn(b"\r\nContent-Type: text/xml; charset=UTF-8\xff\xfe\"\r\r\n", head)
        self.assertTrue(body.startswith(b'<?xml version="1.0" encoding="UTF-8\xff\xfe"\r"?>'))
        self.assertEqual(body.count(b"<DATA>"), 10)
        SERVER.control("POST", "configure", {"mls": "enc", "rets": {"bad_encoding_name": "x'y\u00e9"}})
        head, body = raw_request("/enc/rets/login")
        self.assertIn(b"\r\nContent-Type: text/xml; charset=x'y\xe9\r\n", head)
        self.assertTrue(body.startswith(b'<?xml version="1.0" encoding="x\'y\xe9"?>'))
        SERVER.control("POST", "configure", {"mls": "enc", "rets": {"bad_encoding_name": None}})
        head, body = raw_request("/enc/rets/login")
        self.assertIn(b"\r\nContent-Type: text/xml; charset=utf-8\r\n", head)
        self.assertTrue(body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'))


if __name__ == "__main__":
    unittest.main()
