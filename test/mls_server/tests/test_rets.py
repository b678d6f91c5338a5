"""RETS 1.7.2: Login and auth, DMQL2 Search, paging, metadata, GetObject."""

import base64
import email.parser
import email.policy
import re
import unittest
import xml.etree.ElementTree as ET

from mlsserver.rets import ua_digest
from mlsserver.timeutil import parse_instant, rets_timestamp, zone
from tests.support import RetsSession, ServerProcess, compact_rows, digest_authorization

SERVER = None
TRUTH = None


SYSTEM = {}      # StandardName -> SystemName of Property, read from METADATA-TABLE


def setUpModule():
    global SERVER, TRUTH
    SERVER = ServerProcess(listings=220, seed=8).start()
    TRUTH = {r["ListingKey"]: r for r in SERVER.truth_records("demo")}
    table = session().call("getmetadata", Type="METADATA-TABLE", ID="Property:ALL").text
    SYSTEM.update({f["StandardName"]: f["SystemName"] for f in compact_rows(table)[1]})


def tearDownModule():
    SERVER.stop()


def session(mls="demo", **kwargs):
    s = RetsSession(SERVER, mls, **kwargs)
    reply = s.login()
    assert reply.status == 200 and 'ReplyCode="0"' in reply.text, reply.body
    return s


def reply_code(reply):
    return int(re.search(r'<RETS ReplyCode="(\d+)"', reply.text).group(1))


def sorted_keys(records):
    """ListingKeys in the server's RETS order: timestamp, then key."""
    order = sorted(records, key=lambda r: (parse_instant(r["ModificationTimestamp"])[0], r["ListingKey"]))
    return [r["ListingKey"] for r in order]


class UaAuthVectorTest(unittest.TestCase):
    """The RETS-UA-Authorization test vectors of docs/protocols.md R2."""

    def test_vectors(self):
        self.assertEqual(ua_digest("MyAgent/1.2.3", "secret", "98765", "1234567", "RETS/1.7"),
                         "71c39e723a334222bc7a1025b9c363e2")
        self.assertEqual(ua_digest("VieleRETS", "NWA", "", "", "RETS/1.5"), "07554bfdcfb2b37e280b6d9c4826bc46")
        self.assertEqual(ua_digest("mlsync/1.0", "uapass", "", "", "RETS/1.7.2"), "abdd475ec284cca16c9a8776eaa33e5e")
        self.assertEqual(ua_digest("mlsync/1.0", "uapass", "", "ABC123", "RETS/1.7.2"),
                         "c6dbd00e9364a466de3d48606e0de405")
        self.assertEqual(ua_digest("mlsync/1.0", "uapass", "", "ABC123", "RETS/1.8"),
                         "863305140ec0fcb774beda2bbe1e0c6a")


class LoginTest(unittest.TestCase):
    def test_digest_challenge_and_login(self):
        first = SERVER.get("/demo/rets/login", {"RETS-Version": "RETS/1.7.2"})
        self.assertEqual(first.status, 401)
        challenge = first.header("WWW-Authenticate")
        self.assertRegex(challenge, r'^Digest realm="[^"]+", nonce="[0-9a-f]+", opaque="[^"]+", qop="auth"')
        wrong = SERVER.get("/demo/rets/login", {"Authorization": digest_authorization(
            "GET", "/demo/rets/login", challenge, "mlsync", "wrong")})
        self.assertEqual(wrong.status, 401)
        basic = SERVER.get("/demo/rets/login", {"Authorization": "Basic " + base64.b64encode(
            b"mlsync:rets-pass").decode()})
        self.assertEqual(basic.status, 401, "digest mode refuses Basic")
        s = session()
        self.assertTrue(s.cookie)
        caps = s.capabilities
        for name in ("Search", "GetMetadata", "GetObject", "Logout", "Action", "Login"):
            self.assertIn(name, caps)
        self.assertTrue(caps["Search"].startswith("http://127.0.0.1:"))
        self.assertTrue(caps["GetMetadata"].startswith("/demo/rets/"))
        self.assertEqual(caps["TimeoutSeconds"], "1800")

    def test_session_cookie_required_and_logout(self):
        s = session()
        self.assertEqual(s.search("(L_Status=|A)").status, 200)
        anonymous = RetsSession(SERVER, "demo")
        reply = anonymous.search("(L_Status=|A)")
        self.assertEqual(reply.status, 401)
        self.assertIn("Digest", reply.header("WWW-Authenticate"))
        logout = s.call("logout")
        self.assertIn("SignOffMessage=", logout.text)
        self.assertEqual(s.search("(L_Status=|A)").status, 401)

    def test_basic_only_switch_and_headers(self):
        SERVER.reset("bo", listings=20, rets={"auth": "basic", "version": "RETS/1.8"})
        first = SERVER.get("/bo/rets/login")
        self.assertEqual(first.headers_named("WWW-Authenticate"), ['Basic realm="mlsync-bo"'])
        reply = SERVER.get("/bo/rets/login", {"Authorization": "Basic " + base64.b64encode(
            b"mlsync:rets-pass").decode(), "RETS-Request-ID": "req42"})
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.header("RETS-Version"), "RETS/1.8")
        self.assertEqual(reply.header("RETS-Request-ID"), "req42")
        self.assertIn("Info=USERID;Character;mlsync", reply.text)

    def test_ua_authorization(self):
        SERVER.reset("ua", listings=20, rets={"ua_password": "uapass", "user_agent": "mlsync/1.0"})
        no_header = RetsSession(SERVER, "ua")
        self.assertIn('ReplyCode="20041"', no_header.login().text)
        wrong = RetsSession(SERVER, "ua", ua_password="nope")
        self.assertIn('ReplyCode="20037"', wrong.login().text)
        other_agent = RetsSession(SERVER, "ua", ua_password="uapass", user_agent="Other/2.0")
        self.assertIn('ReplyCode="20036"', other_agent.login().text)
        good = session("ua", ua_password="uapass")
        self.assertEqual(reply_code(good.search("(L_Status=|A)", Count="2")), 0)
        stale = good.headers()
        stale["RETS-UA-Authorization"] = "Digest " + ua_digest("mlsync/1.0", "uapass", "", "", "RETS/1.7.2")
        reply = SERVER.request("GET", "/ua/rets/search?SearchType=Property&Class=ALL&Query=(L_Status=|A)",
                               headers=stale)
        self.assertIn('ReplyCode="20037"', reply.text, "after login the session id is part of the hash")
        # a Login signed with the id of the session its cookie names: taken, unless strict
        self.assertIn('ReplyCode="0"', good.login().text)
        SERVER.control("POST", "configure", {"mls": "ua", "rets": {"login_session": "strict"}})
        self.assertIn('ReplyCode="20037"', good.login().text)
        good.cookie = None
        self.assertIn('ReplyCode="0"', good.login().text)

    def test_session_cookie_and_login_cookie(self):
        SERVER.reset("ck", listings=20, rets={"session_cookie": "JSESSIONID", "login_cookie": True,
                                              "ua_password": "uapass"})
        path = "/ck/rets/login"
        first = SERVER.get(path)
        self.assertEqual(first.status, 401)
        state = next(v for v in first.headers_named("Set-Cookie") if v.startswith("RETS-Login-State="))
        state = state.split(";")[0]
        challenge = next(v for v in first.headers_named("WWW-Authenticate") if v.startswith("Digest"))
        signed = {"User-Agent": "mlsync/1.0", "RETS-Version": "RETS/1.7.2",
                  "RETS-UA-Authorization": "Digest " + ua_digest("mlsync/1.0", "uapass", "", "",
                                                                 "RETS/1.7.2"),
                  "Authorization": digest_authorization("GET", path, challenge, "mlsync", "rets-pass")}
        # the right credentials without the challenge's cookie: challenged again
        self.assertEqual(SERVER.request("GET", path, headers=signed).status, 401)
        first = SERVER.get(path)
        state = next(v for v in first.headers_named("Set-Cookie")
                     if v.startswith("RETS-Login-State=")).split(";")[0]
        challenge = next(v for v in first.headers_named("WWW-Authenticate") if v.startswith("Digest"))
        signed["Authorization"] = digest_authorization("GET", path, challenge, "mlsync", "rets-pass")
        reply = SERVER.request("GET", path, headers=dict(signed, Cookie=state))
        self.assertIn('ReplyCode="0"', reply.text)
        cookies = reply.headers_named("Set-Cookie")
        self.assertFalse([c for c in cookies if c.startswith("RETS-Session-ID=")])
        session_id = next(c for c in cookies if c.startswith("JSESSIONID=")).split(";")[0]
        # each challenge's cookie is good for one Login
        self.assertEqual(SERVER.request("GET", path, headers=dict(signed, Cookie=state)).status, 401)
        search = "/ck/rets/search?SearchType=Property&Class=ALL&Query=(L_Status=|A)&Count=2"
        del signed["Authorization"]
        # the session goes by its own cookie, and UA digests name no session
        self.assertIn('ReplyCode="0"', SERVER.request("GET", search,
                                                      headers=dict(signed, Cookie=session_id)).text)
        self.assertEqual(SERVER.request("GET", search, headers=signed).status, 401)

    def test_one_session_only(self):
        SERVER.reset("one", listings=20, rets={"one_session_only": True})
        first = session("one")
        second = RetsSession(SERVER, "one")
        self.assertIn('ReplyCode="20022"', second.login().text)
        first.call("logout")
        self.assertIn('ReplyCode="0"', second.login().text)

    def test_method_switch(self):
        SERVER.reset("gp", listings=20, rets={"method": "POST"})
        self.assertEqual(SERVER.get("/gp/rets/login").status, 405)


class SearchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = session()

    def search(self, query, **params):
        reply = self.s.search(query, **params)
        self.assertEqual(reply.status, 200, reply.body)
        return reply

    def test_compact_and_decoded(self):
        key = next(k for k, r in sorted(TRUTH.items())
                   if r["StandardStatus"] == "Closed" and r["Appliances"] and r["HeatingYN"] is not None)
        rec = TRUTH[key]
        appliances = SYSTEM["Appliances"]
        select = "L_ListingID,L_Status,%s,L_AskingPrice,L_UpdateDate,L_IdxInclude,%s,L_City" % (
            appliances, SYSTEM["HeatingYN"])
        _, plain = compact_rows(self.search("(L_ListingID=%s)" % key, Select=select).text)
        _, decoded = compact_rows(self.search("(L_ListingID=%s)" % key, Select=select,
                                              Format="COMPACT-DECODED").text)
        self.assertEqual(plain[0]["L_Status"], "S")
        self.assertEqual(decoded[0]["L_Status"], "Sold")
        self.assertEqual(decoded[0][appliances], ",".join(rec["Appliances"]))
        self.assertEqual(len(plain[0][appliances].split(",")), len(rec["Appliances"]))
        self.assertNotEqual(plain[0][appliances], decoded[0][appliances])
        self.assertEqual(plain[0]["L_AskingPrice"], "%.2f" % rec["ListPrice"])
        self.assertEqual(plain[0]["L_UpdateDate"], rets_timestamp(parse_instant(rec["ModificationTimestamp"])[0],
                                                                  zone("UTC")))
        self.assertEqual(plain[0]["L_IdxInclude"], "Y" if rec["InternetEntireListingDisplayYN"] else "N")
        self.assertEqual(plain[0][SYSTEM["HeatingYN"]], "1" if rec["HeatingYN"] else "0")

    def test_count_modes_and_no_records(self):
        total = len(TRUTH)
        reply = self.search("(L_ListingID=0+)", Count="1", Limit="3")
        self.assertIn('<COUNT Records="%d"/>' % total, reply.text)
        self.assertEqual(len(compact_rows(reply.text)[1]), 3)
        only = self.search("(L_ListingID=0+)", Count="2")
        self.assertIn('<COUNT Records="%d"/>' % total, only.text)
        self.assertNotIn("<DATA>", only.text)
        none = self.search("(L_ListingID=1-2)", Count="1")
        self.assertRegex(none.text, r'<RETS ReplyCode="20201" ReplyText="[^"]*"/>')

    def test_time_windows_are_inclusive_and_ordered(self):
        ordered = sorted_keys(TRUTH.values())
        lo = TRUTH[ordered[40]]["ModificationTimestamp"]
        hi = TRUTH[ordered[90]]["ModificationTimestamp"]
        lo_text = rets_timestamp(parse_instant(lo)[0], zone("UTC"))
        hi_text = rets_timestamp(parse_instant(hi)[0], zone("UTC"))
        _, rows = compact_rows(self.search("(L_UpdateDate=%s-%s)" % (lo_text, hi_text),
                                           Select="L_ListingID,L_UpdateDate").text)
        keys = [r["L_ListingID"] for r in rows]
        lo_us, hi_us = parse_instant(lo)[0], parse_instant(hi)[0]
        expected = [k for k in ordered if lo_us <= parse_instant(TRUTH[k]["ModificationTimestamp"])[0] <= hi_us]
        self.assertEqual(keys, expected, "inclusive window, ordered by timestamp then key")
        _, after = compact_rows(self.search("(L_UpdateDate=%s+)" % lo_text, Select="L_ListingID").text)
        _, before = compact_rows(self.search("(L_UpdateDate=%s-)" % lo_text, Select="L_ListingID").text)
        both = [r["L_ListingID"] for r in before] + [r["L_ListingID"] for r in after]
        self.assertEqual(sorted(set(both)), sorted(TRUTH))
        self.assertEqual(len(both) - len(set(both)),
                         sum(1 for r in TRUTH.values() if r["ModificationTimestamp"] == lo))

    def test_key_ranges_status_lists_and_logic(self):
        keys = sorted(TRUTH)
        _, rows = compact_rows(self.search("(L_ListingID=%s-%s)" % (keys[10], keys[19]), Select="L_ListingID").text)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows), keys[10:20])
        _, rows = compact_rows(self.search("(L_Status=|P,U)", Select="L_ListingID").text)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows),
                         sorted(k for k, r in TRUTH.items() if r["StandardStatus"] in ("Pending", "Active Under Contract")))
        _, rows = compact_rows(self.search("(L_Status=|A) AND (L_AskingPrice=300000-)|(L_Status=|S),(L_SoldPrice=600000+)",
                                           Select="L_ListingID").text)
        expected = sorted(k for k, r in TRUTH.items()
                          if (r["StandardStatus"] == "Active" and r["ListPrice"] <= 300000)
                          or (r["StandardStatus"] == "Closed" and (r["ClosePrice"] or 0) >= 600000))
        self.assertEqual(sorted(r["L_ListingID"] for r in rows), expected)
        _, rows = compact_rows(self.search('~(L_Status=|A),(L_DisplayId="%s")' % TRUTH[keys[0]]["ListingId"],
                                           Select="L_ListingID").text)
        self.assertEqual([r["L_ListingID"] for r in rows],
                         [keys[0]] if TRUTH[keys[0]]["StandardStatus"] != "Active" else [])
        _, rows = compact_rows(self.search("(L_City=AUST),(LM_Int1_1=3+)", Select="L_ListingID").text)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows),
                         sorted(k for k, r in TRUTH.items() if r["City"] == "Austin" and (r["BedroomsTotal"] or 0) >= 3))

    def test_operators_wildcards_and_relative_dates(self):
        keys = sorted(TRUTH)
        rec = TRUTH[keys[3]]
        prefix = rec["ListingId"][:-2]
        _, rows = compact_rows(self.search("(L_DisplayId=%s*)" % prefix, Select="L_ListingID").text)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows),
                         sorted(k for k, r in TRUTH.items() if r["ListingId"].startswith(prefix)))
        _, rows = compact_rows(self.search("(L_DisplayId=%s?%s)" % (rec["ListingId"][:-2], rec["ListingId"][-1]),
                                           Select="L_ListingID").text)
        self.assertIn(keys[3], [r["L_ListingID"] for r in rows])
        _, rows = compact_rows(self.search("(L_SoldPrice=.ANY.)", Select="L_ListingID").text)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows),
                         sorted(k for k, r in TRUTH.items() if r["ClosePrice"] is not None))
        empty = self.search("(L_SoldPrice=.EMPTY.)", Count="2").text
        self.assertIn('<COUNT Records="%d"/>' % sum(1 for r in TRUTH.values() if r["ClosePrice"] is None), empty)
        _, rows = compact_rows(self.search("(L_UpdateDate=NOW-)", Select="L_ListingID").text)
        self.assertEqual(len(rows), len(TRUTH), "everything was modified before the MLS clock")
        lookup = self.s.call("getmetadata", Type="METADATA-LOOKUP_TYPE", ID="Property:APPLIANCES").text
        code = {v["LongValue"]: v["Value"] for v in compact_rows(lookup)[1]}
        wanted = set(next(r["Appliances"][:2] for k, r in sorted(TRUTH.items())
                          if len(r["Appliances"] or []) >= 2))
        query = "(%s=+%s)" % (SYSTEM["Appliances"], ",".join(code[w] for w in sorted(wanted)))
        _, rows = compact_rows(self.search(query, Select="L_ListingID").text)
        expected = sorted(k for k, r in TRUTH.items() if wanted <= set(r["Appliances"] or []))
        self.assertTrue(expected)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows), expected)
        one = sorted(wanted)[0]
        query = "(%s=~%s)" % (SYSTEM["Appliances"], code[one])
        _, rows = compact_rows(self.search(query, Select="L_ListingID").text)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows),
                         sorted(k for k, r in TRUTH.items() if one not in (r["Appliances"] or [])))

    def test_post_and_agent_resource(self):
        body = "SearchType=Agent&Class=Agent&QueryType=DMQL2&Format=COMPACT&Count=1&Query=%28U_AgentID%3D.ANY.%29"
        reply = SERVER.request("POST", "/demo/rets/search", body=body.encode(), headers=dict(
            self.s.headers(), **{"Content-Type": "application/x-www-form-urlencoded"}))
        columns, rows = compact_rows(reply.text)
        self.assertIn("U_AgentID", columns)
        members = SERVER.reso("demo", "Member", SERVER.token("demo"), params={"$count": "true", "$top": "1"})
        self.assertIn('<COUNT Records="%d"/>' % members.json()["@odata.count"], reply.text)
        self.assertTrue(all(r["U_AgentID"] for r in rows))

    def test_classes_and_standard_names(self):
        _, rows = compact_rows(self.search("(L_Status=|A,U,P,S,E,W,X,CS,H)", cls="RNT", Select="L_ListingID").text)
        self.assertEqual(sorted(r["L_ListingID"] for r in rows),
                         sorted(k for k, r in TRUTH.items() if r["PropertyType"] == "Residential Lease"))
        reply = self.search("(ListingKey=0+)", StandardNames="1", Select="ListingKey,ListPrice", Limit="2")
        columns, rows = compact_rows(reply.text)
        self.assertEqual(columns, ["ListingKey", "ListPrice"])
        bad_class = self.s.search("(L_Status=|A)", cls="ZZ")
        self.assertEqual(reply_code(bad_class), 20203)
        self.assertIn("Valid Classes are:", bad_class.text)

    def test_errors(self):
        self.assertEqual(reply_code(self.s.search("(NoSuchField=1)")), 20200)
        self.assertEqual(reply_code(self.s.search("(L_Status=|A")), 20206)
        self.assertEqual(reply_code(self.s.search("(L_Status=|ZZ)")), 20206)
        self.assertEqual(reply_code(self.s.search("(L_Status=|A)", Select="L_ListingID,Nope")), 20202)
        self.assertEqual(reply_code(self.s.search("(L_Status=|A)", QueryType="SQL")), 20203)

    def test_limit_offset_and_maxrows(self):
        SERVER.reset("cap", listings=60, seed=8, rets={"maxrows": 25})
        s = session("cap")
        everything = s.search("(L_ListingID=0+)", Select="L_ListingID", Count="1")
        self.assertIn('ReplyCode="20208"', everything.text)
        self.assertIn("<MAXROWS/>", everything.text)
        self.assertIn('<COUNT Records="60"/>', everything.text)
        self.assertEqual(len(compact_rows(everything.text)[1]), 25)
        limited = s.search("(L_ListingID=0+)", Select="L_ListingID", Limit="10")
        self.assertNotIn("<MAXROWS/>", limited.text, "reaching the client's Limit is not MAXROWS")
        self.assertIn('ReplyCode="0"', limited.text)
        keys, offset = [], 1
        while True:
            reply = s.search("(L_ListingID=0+)", Select="L_ListingID", Count="1", Offset=str(offset))
            if reply_code(reply) == 20201:
                break
            rows = compact_rows(reply.text)[1]
            keys += [r["L_ListingID"] for r in rows]
            offset += len(rows)
            if "<MAXROWS/>" not in reply.text:
                break
        self.assertEqual(len(keys), 60)
        self.assertEqual(len(set(keys)), 60)
        last = s.search("(L_ListingID=0+)", Select="L_ListingID", Offset="51")
        self.assertEqual(len(compact_rows(last.text)[1]), 10)
        self.assertNotIn("<MAXROWS/>", last.text)
        past = s.search("(L_ListingID=0+)", Select="L_ListingID", Offset="61")
        self.assertEqual(reply_code(past), 20201)

    def test_offset_switch(self):
        SERVER.reset("off", listings=30, seed=8, rets={"offset_support": "reject"})
        s = session("off")
        reply = s.search("(L_ListingID=0+)", Offset="5")
        self.assertEqual(reply_code(reply), 20203)
        self.assertIn("Offset", reply.text)
        SERVER.control("POST", "configure", {"mls": "off", "rets": {"offset_support": "ignore"}})
        first = compact_rows(s.search("(L_ListingID=0+)", Limit="3").text)[1]
        fifth = compact_rows(s.search("(L_ListingID=0+)", Limit="3", Offset="5").text)[1]
        self.assertEqual(first, fifth)

    def test_server_timezone(self):
        SERVER.reset("tz", listings=40, seed=8, rets={"timezone": "America/Chicago"})
        records = {r["ListingKey"]: r for r in SERVER.truth_records("tz")}
        s = session("tz")
        _, rows = compact_rows(s.search("(L_ListingID=0+)", Select="L_ListingID,L_UpdateDate").text)
        chicago = zone("America/Chicago")
        for row in rows:
            us = parse_instant(records[row["L_ListingID"]]["ModificationTimestamp"])[0]
            self.assertEqual(row["L_UpdateDate"], rets_timestamp(us, chicago))
        pivot = rows[len(rows) // 2]["L_UpdateDate"]
        _, after = compact_rows(s.search("(L_UpdateDate=%s+)" % pivot, Select="L_ListingID").text)
        self.assertEqual(len(after), len(rows) - len(rows) // 2 +
                         sum(1 for r in rows[:len(rows) // 2] if r["L_UpdateDate"] == pivot))
        system = s.call("getmetadata", Type="METADATA-SYSTEM", ID="0").text
        self.assertRegex(system, r'TimeZoneOffset="-0[56]:00"')


class MetadataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = session()

    def meta(self, kind, ident):
        reply = self.s.call("getmetadata", Type=kind, ID=ident, Format="COMPACT")
        self.assertEqual(reply.status, 200)
        return reply.text

    def test_metadata_documents(self):
        system = self.meta("METADATA-SYSTEM", "0")
        self.assertRegex(system, r'<SYSTEM SystemID="DEMO" SystemDescription="[^"]+" TimeZoneOffset="\+00:00"/>')
        columns, rows = compact_rows(self.meta("METADATA-RESOURCE", "0"))
        resources = {r["ResourceID"]: r for r in rows}
        self.assertEqual(resources["Property"]["KeyField"], "L_ListingID")
        self.assertIn("Agent", resources)
        _, classes = compact_rows(self.meta("METADATA-CLASS", "Property"))
        self.assertEqual({c["ClassName"] for c in classes}, {"RES", "RNT", "MUL", "LND", "COM", "ALL"})
        columns, fields = compact_rows(self.meta("METADATA-TABLE", "Property:ALL"))
        self.assertIn("StandardName", columns)
        by_system = {f["SystemName"]: f for f in fields}
        self.assertEqual(by_system["L_UpdateDate"]["StandardName"], "ModificationTimestamp")
        self.assertEqual(by_system["L_UpdateDate"]["DataType"], "DateTime")
        self.assertEqual(by_system["L_ListingID"]["StandardName"], "ListingKey")
        self.assertEqual(by_system["L_Status"]["LookupName"], "LISTING_STATUS")
        self.assertEqual(by_system[SYSTEM["Appliances"]]["Interpretation"], "LookupMulti")
        self.assertGreaterEqual(len(fields), 150)
        _, lookups = compact_rows(self.meta("METADATA-LOOKUP", "Property"))
        self.assertIn("LISTING_STATUS", {lk["LookupName"] for lk in lookups})
        _, values = compact_rows(self.meta("METADATA-LOOKUP_TYPE", "Property:LISTING_STATUS"))
        long_values = {v["Value"]: v["LongValue"] for v in values}
        self.assertEqual(long_values["S"], "Sold")
        self.assertEqual(long_values["X"], "Cancelled")
        everything = self.meta("METADATA-LOOKUP_TYPE", "Property:*")
        self.assertGreater(everything.count("<METADATA-LOOKUP_TYPE "), 30)
        _, objects = compact_rows(self.meta("METADATA-OBJECT", "Property"))
        self.assertEqual(objects[0]["ObjectType"], "Photo")
        ET.fromstring(self.meta("METADATA-SYSTEM", "*").encode())
        reply = self.s.call("getmetadata", Type="METADATA-TABLE", ID="Property:NOPE")
        self.assertEqual(reply_code(reply), 20502)


class GetObjectTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = session()
        with_photos = [k for k, r in sorted(TRUTH.items()) if r["PhotosCount"] >= 3]
        cls.key, cls.key2 = with_photos[0], with_photos[1]

    def parts(self, reply):
        ctype = reply.header("Content-Type")
        self.assertRegex(ctype, r'^multipart/parallel; boundary="[^"]* [^"]*"$', "quoted boundary with spaces")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + reply.body)
        return list(message.iter_parts())

    def test_all_photos_multipart(self):
        reply = self.s.call("getobject", Resource="Property", Type="Photo", ID="%s:*" % self.key)
        parts = self.parts(reply)
        self.assertEqual(len(parts), TRUTH[self.key]["PhotosCount"])
        self.assertEqual([p["Object-ID"] for p in parts], [str(n) for n in range(1, len(parts) + 1)])
        self.assertTrue(all(p["Content-ID"] == self.key for p in parts))
        self.assertEqual(parts[0]["Preferred"], "1")
        first = parts[0].get_payload(decode=True)
        self.assertEqual(first, SERVER.get("/demo/media/%s/1.jpg" % self.key).body)

    def test_selected_objects_and_missing(self):
        reply = self.s.call("getobject", Resource="Property", Type="Photo",
                            ID="%s:1:2,%s:1,%s:99" % (self.key, self.key2, self.key))
        parts = self.parts(reply)
        self.assertEqual([(p["Content-ID"], p["Object-ID"]) for p in parts],
                         [(self.key, "1"), (self.key, "2"), (self.key2, "1"), (self.key, "99")])
        self.assertEqual(parts[3].get_content_type(), "text/xml")
        self.assertIn(b'ReplyCode="20403"', parts[3].get_payload(decode=True))

    def test_single_and_location(self):
        single = self.s.call("getobject", Resource="Property", Type="Photo", ID="%s:2" % self.key)
        self.assertEqual(single.header("Content-Type"), "image/jpeg")
        self.assertEqual(single.header("Object-ID"), "2")
        self.assertEqual(single.body[:2], b"\xff\xd8")
        preferred = self.s.call("getobject", Resource="Property", Type="Photo", ID="%s:0" % self.key)
        self.assertEqual(preferred.header("Object-ID"), "1")
        located = self.s.call("getobject", Resource="Property", Type="Photo", ID="%s:*" % self.key, Location="1")
        parts = self.parts(located)
        self.assertTrue(all(p["Location"].startswith(SERVER.base + "/demo/media/%s/" % self.key) for p in parts))
        missing = self.s.call("getobject", Resource="Property", Type="Photo", ID="0000000000:1")
        self.assertEqual(reply_code(missing), 20403)
        thumb = self.s.call("getobject", Resource="Property", Type="Thumbnail", ID="%s:1" % self.key)
        self.assertLess(len(thumb.body), len(single.body) + 2000)
        self.assertEqual(reply_code(self.s.call("getobject", Resource="Property", Type="Video", ID="1:1")), 20401)


if __name__ == "__main__":
    unittest.main()
