"""Faults switchable per request pattern, their counters, and the request log."""

import gzip
import http.client
import json
import socket
import time
import unittest
import xml.etree.ElementTree as ET

from tests.support import RetsSession, ServerProcess, compact_rows

SERVER = None


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=60, seed=2).start()
    SERVER.reset("f", listings=60, seed=2)


def tearDownModule():
    SERVER.stop()


def add(fault, path="", mls="f", **options):
    return SERVER.control("POST", "faults", dict(options, fault=fault, path=path, mls=mls))


def raw_get(path, headers=None, timeout=10):
    """GET over a raw socket; return everything received until the peer closes."""
    sock = socket.create_connection(("127.0.0.1", SERVER.port), timeout=timeout)
    lines = ["GET %s HTTP/1.1" % path, "Host: 127.0.0.1", "Connection: close"]
    lines += ["%s: %s" % kv for kv in (headers or {}).items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    chunks = []
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    finally:
        sock.close()
    return b"".join(chunks)


class FaultTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.token = SERVER.token("f")

    def setUp(self):
        SERVER.control("DELETE", "faults")

    def tearDown(self):
        SERVER.control("DELETE", "faults")

    def prop(self, headers=None, **params):
        return SERVER.reso("f", "Property", self.token, headers, params or {"$top": "20"})

    def test_http_status_faults_and_counts(self):
        add("http_500", "Property", count=2)
        self.assertEqual(self.prop().status, 500)
        self.assertEqual(self.prop().status, 500)
        self.assertEqual(self.prop().status, 200, "count=2 fires exactly twice")
        add("http_503", "Property", retry_after=7)
        reply = self.prop()
        self.assertEqual((reply.status, reply.header("Retry-After")), (503, "7"))
        add("http_429", "Property", after=1, retry_after=3)
        self.assertEqual(self.prop().status, 200, "after=1 skips the first match")
        reply = self.prop()
        self.assertEqual((reply.status, reply.header("Retry-After")), (429, "3"))
        self.assertIn("error", reply.json())
        rules = SERVER.control("GET", "faults")["rules"]
        self.assertEqual([(r["fault"], r["fired"]) for r in rules],
                         [("http_500", 2), ("http_503", 1), ("http_429", 1)])
        self.assertEqual(SERVER.control("DELETE", "faults?mls=f")["removed"], 3)
        add("http_400", "Property", count=1)
        reply = self.prop()
        self.assertEqual(reply.status, 400)
        self.assertIn("error", reply.json())
        self.assertEqual(self.prop().status, 200)
        SERVER.control("DELETE", "faults?mls=f")
        add("http_404_large", "Property", count=1)
        reply = self.prop()
        self.assertEqual(reply.status, 404)
        self.assertGreater(len(reply.body), 200 * 1024, "a 404 with a large error page")

    def test_until_cleared_and_scoping(self):
        add("http_500", "Property", count=-1)
        for _ in range(4):
            self.assertEqual(self.prop().status, 500)
        self.assertEqual(SERVER.reso("demo", "Property", SERVER.token("demo")).status, 200,
                         "a rule of MLS f leaves MLS demo alone")
        SERVER.control("DELETE", "faults")
        self.assertEqual(self.prop().status, 200)

    def test_reset_mid_body(self):
        add("reset_mid_body", "Property")
        conn = http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=10)
        conn.request("GET", "/f/reso/odata/Property?$top=50", headers={"Authorization": "Bearer " + self.token})
        resp = conn.getresponse()
        with self.assertRaises((http.client.IncompleteRead, ConnectionResetError)):
            resp.read()
        conn.close()

    def test_truncated_body(self):
        add("truncated_body", "Property")
        data = raw_get("/f/reso/odata/Property?$top=50", {"Authorization": "Bearer " + self.token})
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        self.assertLess(len(body), length)
        self.assertGreater(len(body), 0)

    def test_endless_body(self):
        add("endless_body", "Property", delay=1.5)
        started = time.time()
        data = raw_get("/f/reso/odata/Property?$top=5", {"Authorization": "Bearer " + self.token})
        elapsed = time.time() - started
        self.assertGreaterEqual(elapsed, 1.4, "the body kept coming until the rule's delay")
        self.assertIn(b"Transfer-Encoding: chunked", data)
        self.assertGreater(len(data), 10000)
        self.assertNotIn(b"\r\n0\r\n\r\n", data, "no terminating chunk")

    def test_slow(self):
        add("slow", "Property", delay=0.6)
        started = time.time()
        self.assertEqual(self.prop().status, 200)
        self.assertGreaterEqual(time.time() - started, 0.6)

    def test_expired_token(self):
        token = SERVER.token("f")
        add("expired_token", "Property")
        reply = SERVER.reso("f", "Property", token)
        self.assertEqual(reply.status, 401)
        self.assertEqual(reply.json()["error"]["code"], "TokenExpired")
        again = SERVER.reso("f", "Property", token)
        self.assertEqual((again.status, again.json()["error"]["code"]), (401, "TokenExpired"),
                         "the token stays expired")
        self.assertEqual(SERVER.reso("f", "Property", SERVER.token("f")).status, 200)

    def test_malformed_json_and_xml(self):
        add("malformed_json", "Property")
        with self.assertRaises(ValueError):
            self.prop().json()
        self.assertEqual(self.prop().status, 200)
        self.prop().json()
        rets = RetsSession(SERVER, "f")
        rets.login()
        add("malformed_xml", "search")
        with self.assertRaises(ET.ParseError):
            ET.fromstring(rets.search("(L_ListingID=0+)").body)
        ET.fromstring(rets.search("(L_ListingID=0+)").body)

    def test_latin1_body(self):
        records = SERVER.truth_records("f")
        key = next(r["ListingKey"] for r in records
                   if any(ord(c) > 127 for c in json.dumps(r, ensure_ascii=False)))
        add("latin1_body", "Property")
        reply = SERVER.reso("f", "Property('%s')" % key, self.token)
        self.assertNotIn("charset", reply.header("Content-Type"))
        with self.assertRaises(UnicodeDecodeError):
            reply.body.decode("utf-8")
        self.assertEqual(json.loads(reply.body.decode("latin-1"))["ListingKey"], key)
        rets = RetsSession(SERVER, "f")
        rets.login()
        add("latin1_body", "search")
        reply = rets.search("(L_ListingID=%s)" % key, Format="COMPACT-DECODED")
        self.assertTrue(reply.body.startswith(b'<?xml version="1.0"?>'))
        with self.assertRaises(UnicodeDecodeError):
            reply.body.decode("utf-8")

    def test_control_chars_and_bad_char_refs(self):
        add("control_chars", "Property")
        self.assertIn("\u0000", "".join(r["PublicRemarks"] or "" for r in self.prop().json()["value"]))
        add("bad_char_refs", "Property")
        self.assertIn(b"\\ud800", self.prop().body)
        rets = RetsSession(SERVER, "f")
        rets.login()
        add("control_chars", "search")
        body = rets.search("(L_ListingID=0+)", Limit="3").body
        self.assertIn(b"\x01\x0b\x1b", body)
        add("bad_char_refs", "search")
        body = rets.search("(L_ListingID=0+)", Limit="3").body
        self.assertIn(b"&#xFFFE;", body)
        with self.assertRaises(ET.ParseError):
            ET.fromstring(body)

    def test_rets_session_faults(self):
        rets = RetsSession(SERVER, "f")
        rets.login()
        add("rets_20037", "search")
        self.assertIn('ReplyCode="20037"', rets.search("(L_ListingID=0+)").text)
        self.assertEqual(rets.search("(L_ListingID=0+)").status, 401, "the session ended")
        rets.login()
        add("expired_session", "getmetadata")
        self.assertEqual(rets.call("getmetadata", Type="METADATA-SYSTEM", ID="0").status, 401)
        rets.login()
        add("expired_session_412", "search")
        self.assertEqual(rets.search("(L_ListingID=0+)").status, 412)
        self.assertEqual(rets.search("(L_ListingID=0+)").status, 401, "the session ended")
        rets.login()
        add("rets_20022", "login")
        other = RetsSession(SERVER, "f")
        self.assertIn('ReplyCode="20022"', other.login().text)
        self.assertIn('ReplyCode="0"', other.login().text, "count=1")

    def test_maxrows_last_page_and_offset_ignored(self):
        rets = RetsSession(SERVER, "f")
        rets.login()
        add("maxrows_last_page", "search", count=-1)
        full = rets.search("(L_ListingID=0+)", Limit="20", Offset="41")
        self.assertIn("<MAXROWS/>", full.text)
        self.assertEqual(len(compact_rows(full.text)[1]), 20)
        self.assertIn('ReplyCode="20208"', full.text)
        middle = rets.search("(L_ListingID=0+)", Limit="20", Offset="21")
        self.assertNotIn("<MAXROWS/>", middle.text)
        SERVER.control("DELETE", "faults")
        first = rets.search("(L_ListingID=0+)", Limit="5").text
        add("offset_ignored", "search")
        ignored = rets.search("(L_ListingID=0+)", Limit="5", Offset="11").text
        self.assertEqual(compact_rows(ignored)[1], compact_rows(first)[1])

    def test_count_without_data(self):
        rets = RetsSession(SERVER, "f")
        rets.login()
        add("count_without_data", "search")
        empty = rets.search("(L_ListingID=0+)", Count="1").text
        self.assertIn('ReplyCode="0"', empty)
        self.assertRegex(empty, r'<COUNT Records="[1-9][0-9]*"/>')
        self.assertIn("<COLUMNS>", empty)
        self.assertNotIn("<DATA>", empty)
        self.assertIn("<DATA>", rets.search("(L_ListingID=0+)", Count="1").text, "count=1")

    def test_list_rows_repeated(self):
        rets = RetsSession(SERVER, "f")
        rets.login()
        keys = [r["L_ListingID"] for r in compact_rows(rets.search("(L_ListingID=0+)", Limit="3").text)[1]]
        add("list_rows_repeated", "search", count=-1)
        rows = compact_rows(rets.search("(L_ListingID=%s)" % ",".join(keys)).text)[1]
        self.assertEqual(sorted(r["L_ListingID"] for r in rows), sorted(keys * 2))

    def test_status_header(self):
        # (http.client reads such a line as the end of the headers: a raw socket)
        add("status_header", "Property")
        sock = socket.create_connection(("127.0.0.1", SERVER.port), timeout=30)
        sock.sendall(("GET /f/reso/odata/Property?%%24top=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Authorization: Bearer %s\r\nConnection: close\r\n\r\n" % self.token).encode())
        chunks = []
        while True:
            data = sock.recv(1 << 20)
            if not data:
                break
            chunks.append(data)
        sock.close()
        head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        self.assertTrue(lines[0].startswith(b"HTTP/1.1 200"), lines[0])
        self.assertIn(b"HTTP/1.1 500 Oops: x", lines[1:])
        self.assertIn(b'"value"', body)

    def test_json_without_value(self):
        add("json_without_value", "Property")
        reply = self.prop()
        self.assertEqual(reply.status, 200)
        self.assertNotIn("value", reply.json())
        self.assertIn("value", self.prop().json(), "count=1")

    def test_invalid_gzip(self):
        add("invalid_gzip", "Property")
        reply = self.prop({"Accept-Encoding": "gzip"})
        self.assertEqual(reply.header("Content-Encoding"), "gzip")
        with self.assertRaises(OSError):
            gzip.decompress(reply.body)

    def test_request_log(self):
        SERVER.control("DELETE", "log")
        SERVER.reso("f", "Property", self.token, {"Prefer": "odata.maxpagesize=5", "Accept-Encoding": "gzip"},
                    {"$top": "2"})
        rets = RetsSession(SERVER, "f", ua_password="x")
        rets.login()
        entries = SERVER.control("GET", "log?mls=f")["entries"]
        reso = next(e for e in entries if e["kind"] == "reso")
        self.assertEqual(reso["auth_scheme"], "Bearer")
        self.assertEqual(reso["headers"]["Prefer"], "odata.maxpagesize=5")
        self.assertEqual(reso["headers"]["Accept-Encoding"], "gzip")
        self.assertEqual(reso["params"]["$top"], "2")
        self.assertEqual(reso["status"], 200)
        self.assertGreater(reso["bytes"], 0)
        logins = [e for e in entries if e["path"] == "/f/rets/login"]
        self.assertEqual([e["status"] for e in logins], [401, 200])
        self.assertEqual(logins[1]["auth_scheme"], "Digest")
        self.assertTrue(logins[1]["headers"]["RETS-UA-Authorization"].startswith("Digest "))
        add("http_500", "Property")
        self.prop()
        last = SERVER.control("GET", "log?mls=f")["entries"][-1]
        self.assertEqual(last["faults"], ["http_500"])

    def test_bad_rules_rejected(self):
        reply = SERVER.request("POST", "/control/faults", body={"fault": "no_such_fault"})
        self.assertEqual(reply.status, 400)
        reply = SERVER.request("POST", "/control/faults", body={"fault": "http_500", "path": "("})
        self.assertEqual(reply.status, 400)
        kinds = SERVER.control("GET", "faults")["kinds"]
        for kind in ("http_500", "http_503", "http_429", "reset_mid_body", "truncated_body", "endless_body",
                     "slow", "expired_token", "rets_20037", "rets_20022", "malformed_json", "malformed_xml",
                     "latin1_body", "control_chars", "bad_char_refs", "maxrows_last_page", "offset_ignored", "list_rows_repeated", "count_without_data",
                     "json_without_value", "status_header", "http_404_large"):
            self.assertIn(kind, kinds)


if __name__ == "__main__":
    unittest.main()
