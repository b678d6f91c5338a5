# Shared by scripts/demo, scripts/test and bench/: dependencies, build, install,
# throwaway clusters, the sample server.
# shellcheck shell=bash

MLSYNC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export MLSYNC_ROOT
# Material that stays outside the repository (recorded RETS responses, the
# RESO dictionary CSVs) is looked for beside the checkout; nothing the demo
# needs is there, and tests that need it are skipped by name without it.
MLSYNC_SHARED_DIR=${MLSYNC_SHARED_DIR:-$(cd "$MLSYNC_ROOT/.." && pwd)/shared}
export MLSYNC_SHARED_DIR
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG

# Debian 12 packages everything needs: build, server, pg_cron, pgTAP, the
# media helper (libvips-dev), the sample MLS server (python3), its
# real-client check (nodejs, npm; g++ builds its XML parser), the TAP tests
# (libipc-run-perl) and the fuzz harnesses (clang 14; libclang-rt-14-dev
# holds libFuzzer and the sanitizer runtimes, only recommended by clang, and
# recommendations are not installed).
MLSYNC_PACKAGES=(postgresql-15 postgresql-server-dev-15 postgresql-15-cron
	postgresql-15-pgtap libcurl4-openssl-dev libxml2-dev libssl-dev libvips-dev
	pkg-config make gcc g++ python3 curl libipc-run-perl clang libclang-rt-14-dev)

log() { printf '\n==> %s\n' "$*"; }

# Re-run the calling script as root when it is not: installing packages and
# the extension needs it.
become_root() {
	if [ "$(id -u)" -ne 0 ]; then
		exec sudo --preserve-env=MLSYNC_SHARED_DIR,PG_CONFIG,MLSYNC_FUZZ_SECONDS "$0" "$@"
	fi
}

# Install the packages that are missing (apt-get only when something is).
install_dependencies() {
	local missing=()
	for pkg in "${MLSYNC_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
	done
	if ! command -v npm >/dev/null 2>&1; then
		# Debian's node keeps its headers in libnode-dev (for node-gyp)
		missing+=(nodejs npm libnode-dev)
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		apt-get install -y -q --no-install-recommends "${missing[@]}"
	fi
	# Debian's postgresql-15 starts a cluster of its own; mlsync never uses it.
}

# The npm packages the tests run, installed as the user that runs them
# into the tests' cache: s3rver, the S3-compatible server of the media
# tests (test/s3/s3rver).  rets-client installs itself (test/mls_server/run-tests).
install_test_npm_packages() {
	log "installing s3rver for the media tests"
	as_postgres env HOME="$(getent passwd postgres | cut -d: -f6)" "$MLSYNC_ROOT/test/s3/s3rver" install
}

# Build with warnings as errors and install into the server's directories.
build_and_install() {
	log "building mlsync"
	make -C "$MLSYNC_ROOT" -s PG_CONFIG="$PG_CONFIG" \
		PG_CFLAGS="-Werror -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers -Wno-clobbered"
	make -C "$MLSYNC_ROOT" -s PG_CONFIG="$PG_CONFIG" install
}

# Copy the working tree to a fresh directory the postgres user owns:
# PostgreSQL refuses to run as root, and its tests write beside the sources.
stage_for_postgres() {
	local stage
	stage=$(mktemp -d /tmp/mlsync-run.XXXXXX)
	tar -C "$MLSYNC_ROOT" --exclude=.git --exclude=node_modules --exclude=tmp_check --exclude=fuzz/work \
		--exclude=results -cf - . | tar -C "$stage" -xf -
	chown -R postgres:postgres "$stage"
	chmod 755 "$stage"
	echo "$stage"
}

# Run a command as the postgres user with the environment the tests read.
as_postgres() {
	runuser -u postgres -- env MLSYNC_SHARED_DIR="$MLSYNC_SHARED_DIR" PG_CONFIG="$PG_CONFIG" \
		PATH="$("$PG_CONFIG" --bindir):/usr/local/bin:/usr/bin:/bin" "$@"
}

# A throwaway PostgreSQL cluster owned by postgres, on a Unix socket only:
# start_cluster DIR PORT [extra postgresql.conf lines...]
start_cluster() {
	local dir=$1 port=$2
	shift 2
	mkdir -p "$dir"
	chown postgres:postgres "$dir"
	as_postgres initdb -D "$dir/data" -A trust -E UTF8 --no-sync >/dev/null
	{
		echo "port = $port"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$dir'"
		echo "shared_preload_libraries = 'pg_cron'"
		echo "cron.database_name = 'postgres'"
		echo "timezone = 'UTC'"
		echo "fsync = off"
		# the bundled sample MLS server listens on loopback, which
		# mlsync.denied_networks denies by default
		echo "mlsync.allowed_hosts = '127.0.0.1'"
		for line in "$@"; do echo "$line"; done
	} >> "$dir/data/postgresql.conf"
	as_postgres pg_ctl -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
}

stop_cluster() {
	local dir=$1
	as_postgres pg_ctl -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# psql against a throwaway cluster: cluster_psql DIR PORT [psql args...]
cluster_psql() {
	local dir=$1 port=$2
	shift 2
	as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres "$@"
}

# A scratch directory ($work, readable by postgres) and a port ($port) for a
# throwaway cluster and the sample server; both go when the script exits:
# make_workspace PREFIX
make_workspace() {
	work=$(mktemp -d "/tmp/$1.XXXXXX")
	chmod 755 "$work"
	port=$((20000 + RANDOM % 20000))
	server_pid=
	trap 'stop_cluster "$work"; if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
}

# Start the sample MLS server in the workspace (extra server options are
# passed on, e.g. --listings N --seed S) and wait until it listens; sets $url.
start_sample_server() {
	python3 "$MLSYNC_ROOT/test/mls_server/server.py" --port 0 --port-file "$work/server.port" \
		--idle-timeout 3600 --parent-pid $$ --quiet "$@" >"$work/mls_server.log" 2>&1 &
	server_pid=$!
	while [ ! -s "$work/server.port" ]; do
		kill -0 "$server_pid" || { cat "$work/mls_server.log"; exit 1; }
		sleep 0.2
	done
	url="http://127.0.0.1:$(cat "$work/server.port")"
}

# The sample MLS server with FEEDS distinct MLSs f01, f02, ... of PER_FEED
# listings each (seeds 101, 102, ...; records compressed in its memory, pages
# of at most 1,000), for the many-feed benchmarks: start_sample_feeds FEEDS
# PER_FEED.  Says how long the generation took.
start_sample_feeds() {
	local feeds=$1 per_feed=$2 t0
	t0=$(date +%s)
	start_sample_server --listings 10 --seed 1
	for i in $(seq 1 "$feeds"); do
		curl -sf -X POST -d "{\"mls\": \"$(printf 'f%02d' "$i")\", \"listings\": $per_feed,
			\"seed\": $((100 + i)), \"page_max\": 1000, \"record_storage\": \"compressed\"}" \
			"$url/control/reset" >/dev/null
	done
	echo "  generated in $(( $(date +%s) - t0 )) s; server resident memory $(( $(ps -o rss= -p "$server_pid") / 1024 )) MB"
}

# A fresh credential key in the workspace cluster's data directory, readable
# by postgres only: install_key_file NAME (mlsync.secret_key_file = 'NAME').
install_key_file() {
	openssl rand -hex 32 > "$work/data/$1"
	chown postgres "$work/data/$1"
	chmod 600 "$work/data/$1"
}
