#!/usr/bin/env python3
"""Sample MLS server for mlsync: RESO Web API and RETS 1.7.2 on 127.0.0.1.

    python3 test/mls_server/server.py [--port 0] [--port-file PATH] [--listings N]
        [--seed S] [--idle-timeout SECONDS] [--parent-pid PID] [--reference-dir DIR]
        [--replay DIR] [--fixtures-dir DIR] [--quiet]

Starts with one MLS named "demo"; more are created with POST /control/reset.
Stops by itself after --idle-timeout seconds without a request, when
--parent-pid no longer exists, on SIGTERM/SIGINT, or on POST /control/shutdown.
See README.md beside this file for the full contract.
"""

import argparse
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mlsserver import app as app_module  # noqa: E402
from mlsserver import dd, httpcore, listener, market  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# Recorded RETS responses are optional (only replay serves them): they are
# looked for in MLSYNC_SHARED_DIR, else in ../shared beside the repository.
SHARED = os.environ.get("MLSYNC_SHARED_DIR") or os.path.join(
    os.path.dirname(os.path.normpath(os.path.join(HERE, "..", ".."))), "shared")


def parse_args(argv):
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="TCP port (0 = pick a free one)")
    parser.add_argument("--port-file", help="write the port here (atomically) once ready")
    parser.add_argument("--listings", type=int, default=200, help="listings of MLS 'demo'")
    parser.add_argument("--seed", type=int, default=1, help="seed of MLS 'demo'")
    parser.add_argument("--idle-timeout", type=float, default=900,
                        help="stop after this many seconds without a request (0 = never)")
    parser.add_argument("--parent-pid", type=int, help="stop when this process is gone")
    parser.add_argument("--reference-dir",
                        help="read the RESO DD 2.0 facts from this directory's fields.csv and "
                        "lookups.csv instead of the repository's %s" % dd.DD_SQL)
    parser.add_argument("--fixtures-dir", default=os.path.join(SHARED, "fixtures", "rets"),
                        help="recorded RETS responses (replay may serve any file in it)")
    parser.add_argument("--replay", help="replay root (default: <fixtures-dir>/phrets-flexmls/"
                        "Integration/Fixtures/Http)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    return parser.parse_args(argv)


def write_port_file(path, port):
    """Write ``port`` to ``path`` atomically (temporary file, then rename)."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as fh:
        fh.write("%d\n" % port)
    os.replace(tmp, path)


def parent_alive(pid):
    """True while process ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv=None):
    """Run the server until it is told or decides to stop."""
    args = parse_args(argv)
    replay_dir = args.replay or os.path.join(args.fixtures_dir, "phrets-flexmls", "Integration",
                                             "Fixtures", "Http")
    app = app_module.App(args.reference_dir or dd.default_dd_sql(), replay_dir, args.fixtures_dir, args.quiet)
    server = httpcore.Server(args.port, app)
    port = server.server_address[1]
    app.base_url = "http://127.0.0.1:%d" % port
    app.listener = listener.Listener(app).start()     # "another host" for the hostile modes
    try:
        app.reset_mls("demo", {"listings": args.listings, "seed": args.seed})
    except market.ConfigError as exc:
        server.server_close()
        app.listener.stop()
        print("mls_server: %s" % exc, file=sys.stderr)
        return 2

    def stop(signum, frame):
        app.stopping.set()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="http", daemon=True)
    thread.start()
    if args.port_file:
        write_port_file(args.port_file, port)
    print("mls_server listening on %s" % app.base_url, flush=True)
    app.touch()
    reason = "stopped"
    while not app.stopping.wait(1.0):
        if args.idle_timeout and time.time() - app.last_activity > args.idle_timeout:
            reason = "idle for %g s" % args.idle_timeout
            break
        if args.parent_pid and not parent_alive(args.parent_pid):
            reason = "parent %d is gone" % args.parent_pid
            break
    app.stopping.set()
    server.shutdown()
    app.drain(5)
    server.server_close()
    app.listener.stop()
    if not args.quiet:
        print("mls_server exiting: %s" % reason, file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
