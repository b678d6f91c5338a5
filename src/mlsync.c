/*-------------------------------------------------------------------------
 *
 * mlsync.c
 *	  Module entry point: settings (GUCs) and background worker registration.
 *
 * Folder src/: the extension's C code, one folder per concern (the map is
 * the first section of docs/architecture.md).  This file, the top of the
 * tree, holds only what the server must know when it loads the library:
 * settings and the launcher's registration.  It may not hold sync, protocol
 * or SQL work; it includes only the headers of the folders it registers.
 *
 * Every subsystem keeps its own code; this file only declares what the
 * server must know at load time.  Settings that shape the launcher need a
 * restart (PGC_POSTMASTER); the rest can be changed with a reload, and the
 * credential key file can only be named by a superuser.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "mlsync.h"
#include "events/events.h"
#include "engine/worker.h"
#include "match/matcher.h"
#include "media/media.h"
#include "tenancy/locks.h"
#include "transport/netguard.h"

PG_MODULE_MAGIC;

char	   *mlsync_secret_key_file = NULL;
char	   *mlsync_database_name = NULL;
int			mlsync_max_workers = 2;
int			mlsync_worker_turn = 5000;
int			mlsync_naptime = 10;
int			mlsync_batch_size = 500;
int			mlsync_http_timeout = 300;
int			mlsync_connect_timeout = 30;
int			mlsync_max_response_bytes = 1024 * 1024;
int			mlsync_max_record_bytes = 16 * 1024;
char	   *mlsync_user_agent = NULL;
int			mlsync_max_consecutive_failures = 10;
int			mlsync_max_retries = 5;
int			mlsync_retry_base_delay = 1000;
int			mlsync_retry_max_delay = 300000;
bool		mlsync_http_compression = true;
int			mlsync_max_requests_per_run = 100000;
int			mlsync_incremental_overlap = 20 * 60;
int			mlsync_max_metadata_bytes = 256 * 1024;
int			mlsync_max_parse_bytes = 16 * 1024;
static char *denied_networks_text = NULL;
static char *allowed_hosts_text = NULL;
char	   *mlsync_http_proxy = NULL;
MlsNetRules *mlsync_denied_networks = NULL;
MlsNetRules *mlsync_allowed_hosts = NULL;
int			mlsync_sync_errors_retention = 30 * MLS_MINUTES_PER_DAY;
int			mlsync_sync_history_retention = 180 * MLS_MINUTES_PER_DAY;
int			mlsync_events_retention = 7 * MLS_MINUTES_PER_DAY;
int			mlsync_dry_run_changes_limit = 1000;
/* read by the install script only (mls_partition_by_tenant) */
static int	mlsync_listing_partitions = 0;

void		_PG_init(void);

/*
 * Check hook of mlsync.denied_networks and mlsync.allowed_hosts: parse the
 * list once, into the setting's "extra" (host names only in allowed_hosts).
 */
static bool
check_net_rules(char **newval, void **extra, GucSource source, bool names_allowed)
{
	char		error[300];
	MlsNetRules *rules = MlsNetParseRules(*newval, names_allowed, error, sizeof(error));

	if (rules == NULL)
	{
		GUC_check_errdetail("%s", error);
		return false;
	}
	*extra = rules;
	return true;
}

static bool
check_denied_networks(char **newval, void **extra, GucSource source)
{
	return check_net_rules(newval, extra, source, false);
}

static bool
check_allowed_hosts(char **newval, void **extra, GucSource source)
{
	return check_net_rules(newval, extra, source, true);
}

static void
assign_denied_networks(const char *newval, void *extra)
{
	mlsync_denied_networks = extra;
}

static void
assign_allowed_hosts(const char *newval, void *extra)
{
	mlsync_allowed_hosts = extra;
}

/*
 * Check hook of mlsync.http_proxy: empty, or a proxy URL whose scheme
 * libcurl knows, written out (libcurl would take a bare host for http),
 * without spaces or control characters.  Not socks4:// or socks5://:
 * through those libcurl resolves names here and hands the proxy an
 * address the network guard never sees (socks4a:// and socks5h:// leave
 * names to the proxy, as http proxies do).
 */
static bool
check_http_proxy(char **newval, void **extra, GucSource source)
{
	static const char *const schemes[] = {
		"http://", "https://", "socks4a://", "socks5h://"
	};
	const char *value = *newval;
	bool		known = false;

	if (value == NULL || value[0] == '\0')
		return true;
	for (int i = 0; i < lengthof(schemes); i++)
		known = known || (pg_strncasecmp(value, schemes[i], strlen(schemes[i])) == 0 &&
						  value[strlen(schemes[i])] != '\0');
	if (!known)
	{
		GUC_check_errdetail("A proxy is a URL of scheme http, https, socks4a or socks5h (which leave names to the proxy), such as \"http://proxy.example.com:3128\".");
		return false;
	}
	for (const char *c = value; *c; c++)
	{
		if ((unsigned char) *c <= ' ' || *c == 0x7F)
		{
			GUC_check_errdetail("A proxy URL holds no spaces or control characters.");
			return false;
		}
	}
	return true;
}

/*
 * A retention is 0 (keep forever) or at least a day: the request budget of
 * a connection is counted from the last day of its runs, and mls_status
 * counts the errors of the last 24 hours.
 */
static bool
check_retention(int *newval, void **extra, GucSource source)
{
	if (*newval > 0 && *newval < MLS_MINUTES_PER_DAY)
	{
		GUC_check_errdetail("A retention is 0 (keep forever) or at least one day.");
		return false;
	}
	return true;
}

/*
 * Define the settings and, when loaded through shared_preload_libraries,
 * register the launcher.  Loading mlsync into a single backend (CREATE
 * EXTENSION without preload) is allowed: mls_sync(..., wait => true) then
 * runs the sync in a request worker started for it.
 */
void
_PG_init(void)
{
	DefineCustomStringVariable("mlsync.secret_key_file",
							   gettext_noop("File holding the 256-bit key that encrypts connection credentials."),
							   gettext_noop("64 hexadecimal digits; the file must not be readable by group or others."),
							   &mlsync_secret_key_file,
							   NULL,
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.max_workers",
							gettext_noop("Maximum number of sync workers running at once."),
							gettext_noop("Each running sync takes one background worker slot (max_worker_processes)."),
							&mlsync_max_workers,
							2, 0, 64,
							PGC_SIGHUP,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.worker_turn",
							gettext_noop("How long a sync keeps its worker while runs of other connections wait for one."),
							gettext_noop("After this long, a full or incremental run yields its worker at the next batch boundary when every worker is busy and a run of another connection waits; it goes on where it stopped at its next turn. 0: after every batch; -1: never."),
							&mlsync_worker_turn,
							5000, -1, INT_MAX,
							PGC_SIGHUP,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.naptime",
							gettext_noop("Longest time the launcher sleeps between looks at the queue."),
							gettext_noop("The launcher is also woken at once when a sync is requested."),
							&mlsync_naptime,
							10, 1, 3600,
							PGC_SIGHUP,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.listing_partitions",
							gettext_noop("Hash partitions by tenant of mls_listings and mls_listing_history, chosen when the extension is created."),
							gettext_noop("0 keeps them plain tables. Only CREATE EXTENSION reads it: an installation keeps the layout it was created with."),
							&mlsync_listing_partitions,
							0, 0, 1024,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.batch_size",
							gettext_noop("Records written per transaction by a sync."),
							gettext_noop("Larger batches make fewer transactions; past a few hundred records they only cost the worker memory."),
							&mlsync_batch_size,
							500, 1, 100000,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.incremental_overlap",
							gettext_noop("How far before its watermark an incremental sync starts reading."),
							gettext_noop("Records the source stamped before the watermark but showed only later (a timestamp taken before its transaction committed; RETS wall-clock time repeated when clocks go back) are read then; records read again unchanged are not written."),
							&mlsync_incremental_overlap,
							20 * 60, 0, 7 * 24 * 60 * 60,
							PGC_USERSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.http_timeout",
							gettext_noop("Longest time one HTTP request of a sync may take."),
							NULL,
							&mlsync_http_timeout,
							300, 1, 86400,
							PGC_USERSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.connect_timeout",
							gettext_noop("Longest time to wait for an MLS server to accept a connection."),
							NULL,
							&mlsync_connect_timeout,
							30, 1, 3600,
							PGC_USERSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.max_response_bytes",
							gettext_noop("Largest HTTP response body a sync accepts, after decompression."),
							NULL,
							&mlsync_max_response_bytes,
							1024 * 1024, 64, INT_MAX,
							PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.max_record_bytes",
							gettext_noop("Largest single source record a sync accepts."),
							NULL,
							&mlsync_max_record_bytes,
							16 * 1024, 64, 512 * 1024,
							PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomBoolVariable("mlsync.http_compression",
							 gettext_noop("Ask MLS servers for compressed (gzip, deflate) responses."),
							 gettext_noop("Worth it over a network; on loopback it only costs CPU."),
							 &mlsync_http_compression,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomStringVariable("mlsync.user_agent",
							   gettext_noop("User-Agent sent to MLS servers when the connection names none."),
							   NULL,
							   &mlsync_user_agent,
							   MLSYNC_DEFAULT_USER_AGENT,
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.max_consecutive_failures",
							gettext_noop("Failed runs in a row after which a connection is disabled."),
							gettext_noop("0 never disables a connection."),
							&mlsync_max_consecutive_failures,
							10, 0, 1000,
							PGC_SIGHUP,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.max_retries",
							gettext_noop("Retries of one failing HTTP request before the run fails."),
							NULL,
							&mlsync_max_retries,
							5, 0, 100,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.retry_base_delay",
							gettext_noop("First delay of the exponential backoff between retries."),
							NULL,
							&mlsync_retry_base_delay,
							1000, 1, 3600 * 1000,
							PGC_USERSET,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.retry_max_delay",
							gettext_noop("Longest delay between retries, including Retry-After."),
							NULL,
							&mlsync_retry_max_delay,
							300000, 1, 24 * 3600 * 1000,
							PGC_USERSET,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomStringVariable("mlsync.denied_networks",
							   gettext_noop("Networks (CIDR ranges) mlsync never connects to, unless mlsync.allowed_hosts allows them."),
							   gettext_noop("Checked on the address a host name resolves to, before anything is sent. The default denies loopback, private, link-local and other special ranges."),
							   &denied_networks_text,
							   MLS_DEFAULT_DENIED_NETWORKS,
							   PGC_SUSET,
							   GUC_LIST_INPUT,
							   check_denied_networks, assign_denied_networks, NULL);

	DefineCustomStringVariable("mlsync.allowed_hosts",
							   gettext_noop("Host names and networks (CIDR ranges) mlsync may connect to even inside mlsync.denied_networks."),
							   gettext_noop("For an MLS server on a private network, or a test server on loopback."),
							   &allowed_hosts_text,
							   "",
							   PGC_SUSET,
							   GUC_LIST_INPUT,
							   check_allowed_hosts, assign_allowed_hosts, NULL);

	DefineCustomStringVariable("mlsync.http_proxy",
							   gettext_noop("Proxy every HTTP request of mlsync goes through; empty for none."),
							   gettext_noop("A proxy in the server's environment (http_proxy, https_proxy, ALL_PROXY) is never used. Through a proxy, the network guard judges a URL's host by what it says (an address, localhost), since the proxy resolves names."),
							   &mlsync_http_proxy,
							   "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY,
							   check_http_proxy, NULL, NULL);

	DefineCustomIntVariable("mlsync.max_requests_per_run",
							gettext_noop("Most HTTP requests one sync run may send; a run that needs more fails."),
							gettext_noop("A guard against a server that never lets a run end (and against spending the MLS's request quota). 0 means no limit."),
							&mlsync_max_requests_per_run,
							100000, 0, INT_MAX,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.max_metadata_bytes",
							gettext_noop("Largest RETS GetMetadata response a sync accepts."),
							gettext_noop("Its rows may take four times this once parsed; a response whose rows take more fails the run."),
							&mlsync_max_metadata_bytes,
							256 * 1024, 64, INT_MAX,
							PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.max_parse_bytes",
							gettext_noop("Largest body the SQL parser functions (mls_rets_parse_*) accept."),
							gettext_noop("Their results hold every row at once and take many times the body's size in memory, at most four times this setting."),
							&mlsync_max_parse_bytes,
							16 * 1024, 1, 1024 * 1024,
							PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.sync_errors_retention",
							gettext_noop("How long rows of mls_sync_errors are kept; 0 keeps them forever."),
							gettext_noop("mls_prune(), run daily by the schedules, deletes older rows."),
							&mlsync_sync_errors_retention,
							30 * MLS_MINUTES_PER_DAY, 0, INT_MAX,
							PGC_SUSET,
							GUC_UNIT_MIN,
							check_retention, NULL, NULL);

	DefineCustomIntVariable("mlsync.sync_history_retention",
							gettext_noop("How long finished runs are kept in mls_sync_history; 0 keeps them forever."),
							gettext_noop("mls_prune(), run daily by the schedules, deletes older runs with their dry-run change lists."),
							&mlsync_sync_history_retention,
							180 * MLS_MINUTES_PER_DAY, 0, INT_MAX,
							PGC_SUSET,
							GUC_UNIT_MIN,
							check_retention, NULL, NULL);

	DefineCustomIntVariable("mlsync.events_retention",
							gettext_noop("How long acknowledged events are kept in mls_events; 0 keeps them forever."),
							gettext_noop("mls_prune(), run daily by the schedules, deletes older events that no consumer still has to acknowledge."),
							&mlsync_events_retention,
							7 * MLS_MINUTES_PER_DAY, 0, INT_MAX,
							PGC_SUSET,
							GUC_UNIT_MIN,
							check_retention, NULL, NULL);

	DefineCustomIntVariable("mlsync.dry_run_changes_limit",
							gettext_noop("Listings whose changes a dry run records, at most."),
							gettext_noop("The counts of a dry run cover every listing; the per-listing change list stops here."),
							&mlsync_dry_run_changes_limit,
							1000, 0, 1000000,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	/* settings only the postmaster can take: defined when preloaded */
	if (process_shared_preload_libraries_in_progress)
	{
		DefineCustomStringVariable("mlsync.database_name",
								   gettext_noop("Database in which the mlsync launcher runs."),
								   NULL,
								   &mlsync_database_name,
								   "postgres",
								   PGC_POSTMASTER,
								   GUC_SUPERUSER_ONLY,
								   NULL, NULL, NULL);
	}

	/* listing events: mlsync.listing_events and the commit-time NOTIFY */
	MlsEventsInit();

	/* media: mlsync.media_* */
	MlsMediaInit();

	/* property matching: mlsync.property_matching, mlsync.duplicate_alert_window */
	MlsMatchInit();

	/* LOCK TABLE on mlsync's tables, only as strong as a tenant's writes */
	MlsLocksInit();

	MarkGUCPrefixReserved("mlsync");

	if (process_shared_preload_libraries_in_progress && !IsBinaryUpgrade)
		MlsRegisterLauncher();
}
