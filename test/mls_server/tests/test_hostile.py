"""The hostile server: the listener on another origin that records what reaches
it, the options that point clients (and their credentials) at it, and header
injection through a token."""

import base64
import http.client
import json
import socket
import time
import unittest
import urllib.parse

from tests.support import RetsSession, ServerProcess

SERVER = None


def setUpModule():
    global SERVER
    SERVER = ServerProcess(listings=20, seed=3).start()


def tearDownModule():
    SERVER.stop()


def listener_url():
    return SERVER.control("GET", "health")["listener"]


def records():
    return SERVER.control("GET", "listener")["records"]


def send(url, method="GET", body=None, headers=None):
    """One request to an absolute URL (server or listener); returns (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        target = parts.path + ("?" + parts.query if parts.query else "")
        conn.request(method, target, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.getheaders(), resp.read()
    finally:
        conn.close()


def header(headers, name):
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def recorded_header(record, name):
    return [v for k, v in record["headers"] if k.lower() == name.lower()]


class ListenerTest(unittest.TestCase):
    def setUp(self):
        SERVER.control("DELETE", "listener")

    def test_another_origin_in_health_and_description(self):
        url = listener_url()
        parts = urllib.parse.urlsplit(url)
        self.assertEqual((parts.scheme, parts.hostname), ("http", "127.0.0.1"))
        self.assertNotEqual(parts.port, SERVER.port)
        described = SERVER.control("GET", "mls?mls=demo")
        self.assertEqual(described["urls"]["listener"], url)
        self.assertEqual(SERVER.control("GET", "listener")["url"], url)

    def test_records_requests_in_full(self):
        url = listener_url()
        status, headers, body = send(url + "/anything/here?a=1&b=%20x", "POST", b"secret=hunter2",
                                     {"Authorization": "Bearer abc", "X-Custom": "one",
                                      "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"value": []})
        self.assertTrue(header(headers, "Content-Type").startswith("application/json"))
        status, _, _ = send(url + "/second")
        entries = records()
        self.assertEqual([e["path"] for e in entries], ["/anything/here", "/second"])
        first = entries[0]
        self.assertEqual(first["method"], "POST")
        self.assertEqual(first["query"], "a=1&b=%20x")
        self.assertEqual(first["target"], "/anything/here?a=1&b=%20x")
        self.assertEqual(recorded_header(first, "Authorization"), ["Bearer abc"])
        self.assertEqual(recorded_header(first, "X-Custom"), ["one"])
        self.assertEqual(first["body"], "secret=hunter2")
        self.assertEqual(base64.b64decode(first["body_base64"]), b"secret=hunter2")
        self.assertEqual(SERVER.control("DELETE", "listener")["removed"], 2)
        self.assertEqual(records(), [])

    def test_endless_get_mode(self):
        SERVER.reset("le", listings=10, listener_mode="endless_get")
        url = listener_url()
        status, _, body = send(url + "/le/object", method="PUT", body=b"image")
        self.assertEqual((status, body), (200, b'{"value": []}'), "a PUT succeeds")
        conn = http.client.HTTPConnection("127.0.0.1", int(url.rsplit(":", 1)[1]), timeout=10)
        conn.request("GET", "/le/object")
        response = conn.getresponse()
        self.assertEqual(response.status, 200)
        self.assertIsNone(response.getheader("Content-Length"))
        self.assertEqual(len(response.read(5 * 1024 * 1024)), 5 * 1024 * 1024,
                         "a GET's body goes on past 5 MB")
        response.close()
        conn.close()
        for _ in range(100):
            sent = [e.get("sent_bytes") for e in records() if e["method"] == "GET"]
            if sent and sent[0] is not None:
                break
            time.sleep(0.05)
        self.assertGreaterEqual(sent[0], 5 * 1024 * 1024, "what it sent is recorded once it ends")
        self.assertLess(sent[0], 256 * 1024 * 1024)

    def test_challenge_modes(self):
        SERVER.reset("lb", listings=10, listener_mode="basic_challenge")
        SERVER.reset("ld", listings=10, listener_mode="digest_challenge")
        url = listener_url()
        status, headers, _ = send(url + "/lb/reso/odata/Property")
        self.assertEqual(status, 401)
        self.assertEqual(header(headers, "WWW-Authenticate"), 'Basic realm="listener"')
        status, _, _ = send(url + "/lb/reso/odata/Property", headers={"Authorization": "Basic dTpw"})
        self.assertEqual(status, 200)
        status, headers, _ = send(url + "/ld/rets/search")
        self.assertEqual(status, 401)
        self.assertRegex(header(headers, "WWW-Authenticate"),
                         r'^Digest realm="listener", nonce="[0-9a-f]{32}", .*qop="auth"')
        status, _, _ = send(url + "/ld/rets/search", headers={"Authorization": "Digest x=1"})
        self.assertEqual(status, 200)
        status, _, _ = send(url + "/demo/x")
        self.assertEqual(status, 200, "an MLS with the default mode")
        self.assertEqual([(e["mode"], e["status"]) for e in records()],
                         [("basic_challenge", 401), ("basic_challenge", 200),
                          ("digest_challenge", 401), ("digest_challenge", 200), ("ok", 200)])
        self.assertEqual(recorded_header(records()[1], "Authorization"), ["Basic dTpw"])


class CredentialsElsewhereTest(unittest.TestCase):
    def setUp(self):
        SERVER.control("DELETE", "listener")
        SERVER.control("DELETE", "faults")

    def test_token_redirect(self):
        SERVER.reset("tr", listings=10, token_redirect=True)
        form = b"grant_type=client_credentials&client_id=mlsync&client_secret=s3cret"
        auth = "Basic " + base64.b64encode(b"mlsync:s3cret").decode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": auth}
        status, reply_headers, _ = send(SERVER.base + "/tr/reso/oauth/token?x=1", "POST", form, headers)
        self.assertEqual(status, 307)
        location = header(reply_headers, "Location")
        self.assertEqual(location, listener_url() + "/tr/reso/oauth/token?x=1")
        # a client that follows a 307 repeats the POST, credentials and all
        status, _, _ = send(location, "POST", form, headers)
        self.assertEqual(status, 200)
        record = records()[-1]
        self.assertEqual((record["method"], record["path"]), ("POST", "/tr/reso/oauth/token"))
        self.assertEqual(recorded_header(record, "Authorization"), [auth])
        self.assertIn("client_secret=s3cret", record["body"])
        SERVER.control("POST", "configure", {"mls": "tr", "token_redirect": False})
        self.assertTrue(SERVER.token("tr"))

    def test_nextlink_host(self):
        SERVER.reset("nh", listings=30)
        token = SERVER.token("nh")
        params = {"$orderby": "ModificationTimestamp asc,ListingKey asc", "$top": "7"}
        normal = SERVER.reso("nh", "Property", token, params=params).json()["@odata.nextLink"]
        SERVER.control("POST", "configure", {"mls": "nh", "nextlink_host": "listener"})
        doc = SERVER.reso("nh", "Property", token, params=params).json()
        link = doc["@odata.nextLink"]
        self.assertEqual(link, listener_url() + normal[len(SERVER.base):],
                         "the same path and query on the listener")
        status, _, _ = send(link, headers={"Authorization": "Bearer " + token})
        self.assertEqual(status, 200)
        self.assertEqual(recorded_header(records()[-1], "Authorization"), ["Bearer " + token])
        # the offset links move too
        SERVER.control("POST", "configure", {"mls": "nh", "nextlink_paging": "offset"})
        link = SERVER.reso("nh", "Property", token, params=params).json()["@odata.nextLink"]
        self.assertTrue(link.startswith(listener_url() + "/nh/reso/odata/Property?"))
        self.assertIn("%24skip=7", link.replace("$", "%24"))
        # a host whose escape decodes to DEL
        SERVER.control("POST", "configure", {"mls": "nh", "nextlink_host": "escaped_del",
                                             "nextlink_paging": "skiptoken"})
        link = SERVER.reso("nh", "Property", token, params=params).json()["@odata.nextLink"]
        self.assertEqual(link, "http://a%7fb" + normal[len(SERVER.base):])
        # another scheme
        SERVER.control("POST", "configure", {"mls": "nh", "nextlink_host": "ftp"})
        link = SERVER.reso("nh", "Property", token, params=params).json()["@odata.nextLink"]
        self.assertEqual(link, "ftp://127.0.0.1" + normal[len(SERVER.base):])
        # padded: a long first parameter, which the server ignores
        SERVER.control("POST", "configure", {"mls": "nh", "nextlink_host": "self", "nextlink_padding": 9000})
        link = SERVER.reso("nh", "Property", token, params=params).json()["@odata.nextLink"]
        cut = normal.index("?") + 1
        self.assertEqual(link, normal[:cut] + "pad=" + "a" * 9000 + "&" + normal[cut:])
        page = SERVER.get(link[len(SERVER.base):], {"Authorization": "Bearer " + token})
        self.assertEqual(page.json()["value"], SERVER.get(normal[len(SERVER.base):],
                                                          {"Authorization": "Bearer " + token}).json()["value"])

    def test_page_redirect_and_fault(self):
        SERVER.reset("pr", listings=10)
        token = SERVER.token("pr")
        auth = {"Authorization": "Bearer " + token}
        SERVER.control("POST", "faults", {"mls": "pr", "path": "Property", "fault": "redirect_listener",
                                          "after": 1, "count": 1})
        target = "/pr/reso/odata/Property?%24top=3"
        self.assertEqual(SERVER.get(target, auth).status, 200)
        moved = SERVER.get(target, auth)
        self.assertEqual(moved.status, 302)
        self.assertEqual(moved.header("Location"), listener_url() + target)
        self.assertEqual(SERVER.get(target, auth).status, 200, "count=1")
        SERVER.control("POST", "faults", {"mls": "pr", "path": "Property", "fault": "redirect_same",
                                          "count": 1})
        moved = SERVER.get(target, auth)
        self.assertEqual(moved.status, 307)
        self.assertEqual(moved.header("Location"), SERVER.base + target)
        self.assertEqual(SERVER.get(target, auth).status, 200, "count=1")
        SERVER.control("POST", "configure", {"mls": "pr", "page_redirect": True})
        for path in (target, "/pr/reso/odata/Property('0000000001')", "/pr/reso/odata/$metadata"):
            moved = SERVER.get(path, auth)
            self.assertEqual(moved.status, 302)
            self.assertEqual(moved.header("Location"), listener_url() + path)
        self.assertTrue(SERVER.token("pr"), "the token endpoint is not redirected")

    def test_rets_capability_host(self):
        SERVER.reset("ch", listings=10, rets={"capability_host": "listener"})
        s = RetsSession(SERVER, "ch")
        reply = s.login()
        self.assertEqual(reply.status, 200)
        url = listener_url()
        self.assertEqual(s.capabilities["Search"], url + "/ch/rets/search")
        self.assertEqual(s.capabilities["GetMetadata"], url + "/ch/rets/getmetadata")
        self.assertEqual(s.capabilities["GetObject"], url + "/ch/rets/getobject")
        self.assertEqual(s.capabilities["Logout"], url + "/ch/rets/logout")
        self.assertEqual(s.capabilities["Action"], "/ch/rets/action")
        self.assertEqual(s.capabilities["X-SupportSite"], SERVER.base + "/ch/rets/support")
        # a client that follows sends its session cookie to the other origin
        status, _, _ = send(s.capabilities["Search"] + "?Query=(L_ListingID=0%2B)",
                            headers={"Cookie": "RETS-Session-ID=%s" % s.cookie})
        self.assertEqual(status, 200)
        self.assertEqual(recorded_header(records()[-1], "Cookie"), ["RETS-Session-ID=%s" % s.cookie])
        SERVER.reset("cd", listings=10)
        plain = RetsSession(SERVER, "cd")
        plain.login()
        self.assertEqual(plain.capabilities["Search"], SERVER.base + "/cd/rets/search")
        self.assertEqual(plain.capabilities["GetMetadata"], "/cd/rets/getmetadata")


class InjectionTest(unittest.TestCase):
    def test_token_with_crlf_reaches_the_server_as_a_header(self):
        SERVER.reset("cr", listings=10, token_crlf=True)
        token = SERVER.token("cr")
        self.assertTrue(token.endswith("\r\nX-Injected: 1"))
        plain = token[:-len("\r\nX-Injected: 1")]
        self.assertNotIn("\r", plain)
        self.assertNotIn("\n", plain)
        # http.client refuses to send it ...
        with self.assertRaises(ValueError):
            SERVER.reso("cr", "Property", token)
        # ... a client that writes it verbatim sends a second header line
        SERVER.control("DELETE", "log")
        sock = socket.create_connection(("127.0.0.1", SERVER.port), timeout=10)
        request = ("GET /cr/reso/odata/Property?%%24top=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Authorization: Bearer %s\r\nConnection: close\r\n\r\n" % token)
        sock.sendall(request.encode())
        while sock.recv(65536):
            pass
        sock.close()
        entry = SERVER.control("GET", "log?mls=cr")["entries"][-1]
        self.assertEqual(entry["headers"].get("X-Injected"), "1")
        self.assertEqual(entry["status"], 200, "the part before the CR is a valid token")
        SERVER.reset("cn", listings=10)
        self.assertNotIn("\r", SERVER.token("cn"))


if __name__ == "__main__":
    unittest.main()
