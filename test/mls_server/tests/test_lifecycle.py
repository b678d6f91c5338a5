"""Start-up, port file, binding, idle timeout, parent watch, SIGTERM, HTTP plumbing."""

import json
import os
import signal
import subprocess
import sys
import unittest

from tests.support import SERVER as SERVER_SCRIPT
from tests.support import ServerProcess


class LifecycleTest(unittest.TestCase):
    def test_startup_port_file_and_listening_line(self):
        server = ServerProcess(listings=200, seed=1).start()
        try:
            self.assertLess(server.startup_seconds, 2.0, "200 listings start well under a second or two")
            with open(server.port_file) as fh:
                self.assertEqual(fh.read(), "%d\n" % server.port)
            self.assertEqual(os.listdir(server.tmp), ["port"], "written atomically, no temp file left")
            self.assertEqual(server.control("GET", "health")["ok"], True)
            line = server.proc.stdout.readline().decode()
            self.assertEqual(line.strip(), "mls_server listening on http://127.0.0.1:%d" % server.port)
        finally:
            server.stop()
        self.assertEqual(server.proc.returncode, 0, "SIGTERM stops cleanly")

    def test_binds_loopback_only(self):
        server = ServerProcess(listings=10).start()
        try:
            listening = open("/proc/net/tcp").read().split("\n")[1:]
            port_hex = ":%04X" % server.port
            rows = [line.split() for line in listening if line.split()]
            local = [row[1] for row in rows if row[1].endswith(port_hex) and row[3] == "0A"]
            self.assertEqual(local, ["0100007F" + port_hex])
        finally:
            server.stop()

    def test_idle_timeout(self):
        server = ServerProcess(listings=10, extra=["--idle-timeout", "1"])
        server.args[server.args.index("--idle-timeout") + 1] = "1"
        server.start()
        try:
            server.proc.wait(6)
        finally:
            server.stop()
        self.assertEqual(server.proc.returncode, 0)

    def test_parent_pid(self):
        parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        server = ServerProcess(listings=10)
        server.args[server.args.index("--parent-pid") + 1] = str(parent.pid)
        server.start()
        try:
            parent.kill()
            parent.wait()
            server.proc.wait(6)
        finally:
            server.stop()
        self.assertEqual(server.proc.returncode, 0)

    def test_control_shutdown_and_sigterm(self):
        server = ServerProcess(listings=10).start()
        server.control("POST", "shutdown")
        server.proc.wait(5)
        self.assertEqual(server.proc.returncode, 0)
        server.stop()
        other = ServerProcess(listings=10).start()
        os.kill(other.proc.pid, signal.SIGTERM)
        other.proc.wait(5)
        self.assertEqual(other.proc.returncode, 0)
        other.stop()

    def test_chunked_option_and_control_errors(self):
        server = ServerProcess(listings=20).start()
        try:
            server.reset("c", listings=20, chunked=True)
            reply = server.get("/c/reso/odata/Property", {"Authorization": "Bearer " + server.token("c")})
            self.assertEqual(reply.header("Transfer-Encoding"), "chunked")
            self.assertEqual(len(reply.json()["value"]), 20)
            for body in ({"mls": "x", "listings": -1}, {"mls": "x", "bogus": 1}, {"mls": "x", "share_with": "zz"},
                         {"mls": "x", "rets": {"auth": "ntlm"}}, {"mls": "bad name"}):
                self.assertEqual(server.request("POST", "/control/reset", body=body).status, 400, body)
            self.assertEqual(server.request("POST", "/control/configure",
                                            body={"mls": "c", "seed": 3}).status, 400)
            self.assertEqual(server.request("GET", "/control/truth?mls=nope").status, 404)
            self.assertEqual(server.request("GET", "/control/nope").status, 404)
            self.assertIn("c", [m["mls"] for m in json.loads(server.get("/").body)["mls"]])
            described = server.control("GET", "mls?mls=c")
            self.assertEqual(described["urls"]["rets_login"], server.base + "/c/rets/login")
            self.assertEqual(described["options"]["oauth"]["client_id"], "mlsync")
        finally:
            server.stop()

    def test_script_runs_with_system_python_as_documented(self):
        self.assertTrue(os.access(SERVER_SCRIPT, os.R_OK))
        output = subprocess.run([sys.executable, SERVER_SCRIPT, "--help"], capture_output=True, timeout=30)
        self.assertEqual(output.returncode, 0)
        for option in (b"--port", b"--port-file", b"--listings", b"--seed", b"--idle-timeout",
                       b"--parent-pid", b"--reference-dir", b"--quiet", b"--replay"):
            self.assertIn(option, output.stdout)


if __name__ == "__main__":
    unittest.main()
