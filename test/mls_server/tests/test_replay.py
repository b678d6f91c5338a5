"""Replay of responses recorded from real RETS servers (read from MLSYNC_SHARED_DIR at test time)."""

import gzip
import os
import unittest

from tests.support import FIXTURES, NEEDS_FIXTURES, ServerProcess, compact_rows

SERVER = None
FLEX = os.path.join(FIXTURES, "phrets-flexmls", "Integration", "Fixtures", "Http")


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=10).start()


def tearDownModule():
    SERVER.stop()


@unittest.skipUnless(os.path.isdir(FLEX), NEEDS_FIXTURES)
class ReplayTest(unittest.TestCase):
    def tearDown(self):
        SERVER.control("DELETE", "replay")

    def test_login_and_capability_urls_lead_back_here(self):
        login = SERVER.get("/rets2_1/Login")
        self.assertEqual(login.status, 200)
        self.assertEqual(login.header("RETS-Version").split("/")[0], "RETS")
        self.assertTrue(login.header("Set-Cookie").startswith("JSESSIONID="))
        self.assertIn("Search=/rets2_1/Search", login.text)
        search = SERVER.get("/rets2_1/Search?SearchType=Property&Class=A&Query=(LIST_1=0%2B)")
        self.assertEqual(search.status, 200)
        self.assertIn("<COLUMNS>", search.text)
        first = sorted(os.listdir(os.path.join(FLEX, "get", "retsgw.flexmls.com", "rets2_1_Search")))[0]
        with open(os.path.join(FLEX, "get", "retsgw.flexmls.com", "rets2_1_Search", first), "rb") as fh:
            recorded = fh.read()
        self.assertTrue(recorded.endswith(search.body), "body served exactly as recorded")

    def test_gzip_and_chunked_as_recorded(self):
        packed = SERVER.get("/rets2_1/Logout", {"Accept-Encoding": "gzip"})
        self.assertEqual(packed.header("Content-Encoding"), "gzip")
        self.assertIn(b"SignOffMessage=Good Bye", gzip.decompress(packed.body))
        plain = SERVER.get("/rets2_1/Logout")
        self.assertIsNone(plain.header("Content-Encoding"))
        SERVER.control("POST", "replay", {"routes": [{"method": "GET", "path": "/rets2_1/Login", "files": [
            "get/retsgw.flexmls.com/rets2_1_Login/e053c8fc90ca621443437db0a2f963d1.txt"]}]})
        chunked = SERVER.get("/rets2_1/Login")
        self.assertEqual(chunked.header("Transfer-Encoding"), "chunked")
        self.assertIn("X-ApiAccessSettings=/rets2_1/API", chunked.text)

    def test_routes_serve_files_in_order(self):
        directory = "get/retsgw.flexmls.com/rets2_1_Search/"
        files = [directory + "1aa3b4454404b11492369cc3f2b95e8f.txt", directory + "f065035031b4ce43d3e5374517306e20.txt"]
        SERVER.control("POST", "replay", {"routes": [{"path": "/rets2_1/Search", "files": files}]})
        first = SERVER.get("/rets2_1/Search")
        self.assertIn("<MAXROWS/>", first.text)
        self.assertEqual(len(compact_rows(first.text.replace("\r\n  ", "\r\n"))[1]), 15)
        second = SERVER.get("/rets2_1/Search")
        self.assertIn('ReplyCode="20203"', second.text)
        self.assertIn('ReplyCode="20203"', SERVER.get("/rets2_1/Search").text, "the last file repeats")
        listing = SERVER.control("GET", "replay")
        self.assertIn(files[0], listing["available"][directory.rstrip("/")])
        bad = SERVER.request("POST", "/control/replay", body={"routes": [{"path": "/x", "files": ["/etc/passwd"]}]})
        self.assertEqual(bad.status, 400)

    def test_metadata_chosen_by_type_and_other_fixtures(self):
        system = SERVER.get("/rets2_1/GetMetadata?Type=METADATA-SYSTEM&ID=0")
        self.assertEqual(system.header("Content-ID"), "METADATA-SYSTEM")
        table = SERVER.get("/rets2_1/GetMetadata?Type=METADATA-TABLE&ID=Property:A")
        self.assertEqual(table.header("Content-ID"), "METADATA-TABLE")
        librets = os.path.join(FIXTURES, "librets", "unit", "search-response-extended-char.xml")
        SERVER.control("POST", "replay", {"routes": [{"path": "/latin/search", "files": [librets]}]})
        reply = SERVER.get("/latin/search")
        with open(librets, "rb") as fh:
            self.assertEqual(reply.body, fh.read())
        self.assertEqual(SERVER.get("/nothing/here").status, 404)


if __name__ == "__main__":
    unittest.main()
