/*-------------------------------------------------------------------------
 *
 * worker.c
 *	  The launcher and the sync workers.
 *
 * The launcher is one static background worker (it needs mlsync in
 * shared_preload_libraries), connected to mlsync.database_name.  It sleeps
 * on its latch and is woken at commit by mls_sync(), and by the postmaster
 * when one of its workers exits.  Each time it:
 *
 *	1. marks runs whose process is gone as interrupted and queues them again
 *	   (they resume from the watermark);
 *	2. claims due queued runs, round-robin across tenants (queue.c), never
 *	   two of one connection, at most mlsync.max_workers at once;
 *	3. starts one dynamic background worker per claimed run.
 *
 * A sync worker performs one run (pipeline.c) and exits; a long run may
 * end its turn early, between batches, when runs of other connections wait
 * and every worker is busy: it is queued again and goes on at its next
 * turn, in a new worker.  Workers are never
 * restarted by the postmaster: a run that dies is found in step 1.
 *
 * A request worker is started by a backend for mls_sync(wait => true), in
 * the backend's database (which needs no launcher): it queues the request
 * in a transaction of its own, runs it when it was added (else the run it
 * joined runs elsewhere) and exits; the backend waits for it and reads the
 * outcome.  So a synchronous sync commits batch by batch like any other,
 * and a failure can be raised to the caller without rolling back what the
 * run committed.
 *
 * A launcher whose database does not exist says so once and waits for it
 * to be created, instead of failing (and being restarted) every second.
 *
 * The launcher survives errors of its own (say, the extension being dropped
 * under it): they are logged as warnings and the loop goes on.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "access/genam.h"
#include "access/table.h"
#include "catalog/pg_database.h"
#include "commands/dbcommands.h"
#include "utils/fmgroids.h"
#include "storage/dsm.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc_tables.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "mlsync.h"
#include "media/media.h"
#include "engine/pipeline.h"
#include "engine/queue.h"
#include "support/sqlargs.h"
#include "engine/worker.h"
#include "support/version.h"

/* Largest mlsync.max_workers: the worker table lives in the launcher */
#define MAX_WORKER_SLOTS 64

/* What the launcher shares with backends */
typedef struct MlsSharedState
{
	pid_t		launcher_pid;	/* 0: no launcher running */
	Oid			launcher_database;	/* the database it serves */
	Latch	   *launcher_latch;
	bool		missing_database_logged;	/* said once that it does not exist */
	bool		database_seen;	/* the last start found it: connect to it */
	int			workers_running;	/* the launcher's sync workers alive */
} MlsSharedState;

/*
 * A request of mls_sync(wait => true), in a DSM segment shared by the
 * backend and its request worker.
 */
typedef struct MlsRequestSlot
{
	Oid			database;
	char		tenant[NAMEDATALEN];
	char		connection[NAMEDATALEN];
	char		mode[NAMEDATALEN];
	char		requested_by[NAMEDATALEN];	/* the role that called mls_sync */
	bool		has_listing_key;
	Size		settings_offset;	/* into data: the caller's mlsync settings */
	/* filled by the worker */
	int64		run_id;			/* 0: no run was queued (see error) */
	int			how;			/* MlsQueuedAs */
	char		error[512];
	/* the listing key, then "name\0value\0" pairs ended by an empty name */
	char		data[FLEXIBLE_ARRAY_MEMBER];
} MlsRequestSlot;

struct MlsRequestWorker
{
	dsm_segment *segment;
	BackgroundWorkerHandle *handle;
};

/* What a sync worker is given (bgw_extra) */
typedef struct MlsWorkerArgs
{
	Oid			database;
	int64		run_id;
} MlsWorkerArgs;

/* A sync worker the launcher started */
typedef struct WorkerSlot
{
	int64		run_id;
	BackgroundWorkerHandle *handle;
} WorkerSlot;

PGDLLEXPORT void mlsync_launcher_main(Datum arg) pg_attribute_noreturn();
static void launcher_exit(int code, Datum arg);
PGDLLEXPORT void mlsync_worker_main(Datum arg) pg_attribute_noreturn();
PGDLLEXPORT void mlsync_request_worker_main(Datum arg) pg_attribute_noreturn();

static MlsSharedState *shared = NULL;
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;
static bool wake_at_commit = false;
static bool xact_callback_registered = false;
static WorkerSlot slots[MAX_WORKER_SLOTS];

/*
 * Ask for the shared state's memory.
 */
static void
mlsync_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(MlsSharedState)));
}

/*
 * Create or attach to the shared state.
 */
static void
mlsync_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	shared = ShmemInitStruct("mlsync", sizeof(MlsSharedState), &found);
	if (!found)
		memset(shared, 0, sizeof(MlsSharedState));
	LWLockRelease(AddinShmemInitLock);
}

/*
 * Register the launcher and the shared memory hooks (from _PG_init while
 * shared_preload_libraries is processed).
 */
void
MlsRegisterLauncher(void)
{
	BackgroundWorker worker;

	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = mlsync_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = mlsync_shmem_startup;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 1;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "mlsync");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "mlsync_launcher_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "mlsync launcher");
	snprintf(worker.bgw_type, BGW_MAXLEN, "mlsync launcher");
	RegisterBackgroundWorker(&worker);
}

/*
 * Whether a launcher runs, or is about to run, the queued syncs of a
 * database (inside a transaction).  With mlsync preloaded, a launcher that
 * is not connected yet is starting (it connects a second after the server
 * starts, and the postmaster restarts one that exited): the queue of the
 * database it will connect to is served.
 */
bool
MlsLauncherServes(Oid database)
{
	char	   *name;

	if (shared == NULL)
		return false;
	if (shared->launcher_pid != 0)
		return shared->launcher_database == database;
	name = get_database_name(database);
	return name != NULL && mlsync_database_name != NULL &&
		strcmp(name, mlsync_database_name) == 0;
}

/*
 * Whether every sync worker the launcher may start is running (runs that
 * wait cannot have one until a worker is free).  Read without a lock: an
 * answer a moment old only makes a run yield a batch early or late.
 */
bool
MlsLauncherWorkersBusy(void)
{
	return shared != NULL && shared->launcher_pid != 0 &&
		shared->workers_running >= Min(mlsync_max_workers, MAX_WORKER_SLOTS);
}

/*
 * Transaction callback: wake the launcher once the requests are committed
 * (never on abort: there is nothing for it to see).
 */
static void
wake_launcher_callback(XactEvent event, void *arg)
{
	if (!wake_at_commit)
		return;
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT)
	{
		if (shared && shared->launcher_latch)
			SetLatch(shared->launcher_latch);
		wake_at_commit = false;
	}
	else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
		wake_at_commit = false;
}

/*
 * Wake the launcher when the current transaction commits.
 */
void
MlsWakeLauncherAtCommit(void)
{
	if (!xact_callback_registered)
	{
		RegisterXactCallback(wake_launcher_callback, NULL);
		xact_callback_registered = true;
	}
	wake_at_commit = true;
}

/*
 * Whether the extension exists in this database at the library's version
 * (it may be created after the launcher starts, or dropped under it; after
 * a new library is installed, the database keeps the old version's objects
 * until ALTER EXTENSION mlsync UPDATE).  A version that differs is logged
 * once.
 */
static bool
extension_ready(void)
{
	static char *reported_version = NULL;
	char	   *installed = MlsInstalledVersion();

	if (installed == NULL || strcmp(installed, MLSYNC_VERSION) == 0)
		return installed != NULL;
	if (reported_version == NULL || strcmp(reported_version, installed) != 0)
	{
		ereport(LOG,
				(errmsg("mlsync launcher waits: extension \"mlsync\" in database \"%s\" is at version %s, its library at %s",
						mlsync_database_name, installed, MLSYNC_VERSION),
				 errhint("Run ALTER EXTENSION mlsync UPDATE in that database.")));
		if (reported_version)
			pfree(reported_version);
		reported_version = MemoryContextStrdup(TopMemoryContext, installed);
	}
	return false;
}

/*
 * Free the slots of workers that have exited.
 */
static int
reap_workers(void)
{
	int			running = 0;

	for (int i = 0; i < MAX_WORKER_SLOTS; i++)
	{
		pid_t		pid;

		if (slots[i].handle == NULL)
			continue;
		if (GetBackgroundWorkerPid(slots[i].handle, &pid) == BGWH_STOPPED)
		{
			pfree(slots[i].handle);
			slots[i].handle = NULL;
			slots[i].run_id = 0;
		}
		else
			running++;
	}
	return running;
}

/*
 * Start a sync worker for a claimed run.  Returns its pid, or 0 when it
 * could not be started.
 */
static pid_t
start_worker(int64 run_id)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	MlsWorkerArgs args;
	pid_t		pid;
	int			slot = -1;

	for (int i = 0; i < MAX_WORKER_SLOTS && slot < 0; i++)
		if (slots[i].handle == NULL)
			slot = i;
	if (slot < 0)
		return 0;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "mlsync");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "mlsync_worker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "mlsync worker for run " INT64_FORMAT, run_id);
	snprintf(worker.bgw_type, BGW_MAXLEN, "mlsync worker");
	args.database = MyDatabaseId;
	args.run_id = run_id;
	memcpy(worker.bgw_extra, &args, sizeof(args));
	worker.bgw_main_arg = (Datum) 0;
	worker.bgw_notify_pid = MyProcPid;

	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
	{
		ereport(WARNING,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("mlsync could not start a worker for run " INT64_FORMAT, run_id),
				 errhint("You might need to increase max_worker_processes.")));
		return 0;
	}
	if (WaitForBackgroundWorkerStartup(handle, &pid) != BGWH_STARTED)
	{
		pfree(handle);
		return 0;
	}
	slots[slot].run_id = run_id;
	slots[slot].handle = handle;
	return pid;
}

/*
 * Start a transaction for one step of the launcher's loop.
 */
static void
launcher_begin(void)
{
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
}

static void
launcher_commit(void)
{
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_stat(false);
}

/*
 * One round of the launcher: reap, claim, start.  Returns how long to
 * sleep.
 */
static long
launcher_round(bool starting)
{
	List	   *claimed;
	ListCell   *lc;
	MemoryContext cxt = CurrentMemoryContext;
	int			running = reap_workers();
	int			free = Min(mlsync_max_workers, MAX_WORKER_SLOTS) - running;
	long		wait;

	shared->workers_running = running;

	launcher_begin();
	if (!extension_ready())
	{
		launcher_commit();
		return (long) mlsync_naptime * 1000L;
	}
	{
		int64		live[MAX_WORKER_SLOTS];
		int			nlive = 0;

		for (int i = 0; i < MAX_WORKER_SLOTS; i++)
			if (slots[i].handle != NULL)
				live[nlive++] = slots[i].run_id;
		(void) MlsQueueReapInterrupted(starting, live, nlive, NULL, NULL);
	}
	claimed = free > 0 ? MlsQueueClaim(free, cxt) : NIL;
	launcher_commit();

	foreach(lc, claimed)
	{
		int64		run_id = *(int64 *) lfirst(lc);
		pid_t		pid = start_worker(run_id);

		launcher_begin();
		if (pid == 0)
			MlsQueueEndUnstarted(run_id, false, "no background worker slot could be had for the sync");
		else
			MlsQueueSetWorkerPid(run_id, (int) pid);
		launcher_commit();
	}

	launcher_begin();
	wait = (long) mlsync_naptime * 1000L;
	if (extension_ready())
	{
		/* in a transaction of its own: the claims above stand should it fail */
		(void) MlsQueueCancelOfDisabled();
		wait = MlsQueueMsUntilDue(wait);
		/* media hook: a media worker when media work is due */
		MlsMediaLauncherRound();
	}
	launcher_commit();
	/* runs decide from this whether to yield their worker (pipeline.c) */
	shared->workers_running = reap_workers();
	/* with workers running, look again soon: they may end without a signal */
	if (shared->workers_running > 0)
		wait = Min(wait, 1000L);
	return wait;
}

/*
 * Whether mlsync.database_name exists, read from the shared catalog in a
 * short transaction of a process connected to no database yet.
 */
static bool
database_exists(void)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	bool		exists;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	/* a heap scan: without a database, only nailed relations can be opened */
	rel = table_open(DatabaseRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_database_datname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum(mlsync_database_name));
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 1, &key);
	exists = HeapTupleIsValid(systable_getnext(scan));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	CommitTransactionCommand();
	return exists;
}

/*
 * Connect to mlsync.database_name.  Connecting to a database that does not
 * exist is fatal, and the postmaster would restart the launcher every
 * second, logging each time.  So a launcher that has not just seen the
 * database connects to no database first, looks it up in the shared
 * catalog, says once when it is missing and waits for it to be created;
 * then it exits, and its next start (a second later) connects to it: a
 * process cannot connect twice.  The flag is cleared before connecting, so
 * a database dropped meanwhile is looked up again after the failure.
 */
static void
connect_to_database(void)
{
	if (shared->database_seen)
	{
		shared->database_seen = false;
		BackgroundWorkerInitializeConnection(mlsync_database_name, NULL, 0);
		shared->missing_database_logged = false;
		return;
	}
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	while (!database_exists())
	{
		if (!shared->missing_database_logged)
		{
			ereport(LOG,
					(errmsg("mlsync launcher waits: database \"%s\" (mlsync.database_name) does not exist",
							mlsync_database_name),
					 errhint("Create it and the mlsync extension in it, or set mlsync.database_name to the database that has the extension.")));
			shared->missing_database_logged = true;
		}
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 (long) mlsync_naptime * 1000L, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
	}
	shared->database_seen = true;
	proc_exit(1);
}

/*
 * The launcher's main loop.
 */
void
mlsync_launcher_main(Datum arg)
{
	MemoryContext loop_cxt;
	bool		starting = true;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	connect_to_database();
	pgstat_report_appname("mlsync launcher");

	shared->launcher_latch = &MyProc->procLatch;
	shared->launcher_database = MyDatabaseId;
	shared->launcher_pid = MyProcPid;
	on_shmem_exit(launcher_exit, (Datum) 0);

	loop_cxt = AllocSetContextCreate(TopMemoryContext, "mlsync launcher loop",
									 ALLOCSET_DEFAULT_SIZES);
	ereport(LOG,
			(errmsg("mlsync launcher started in database \"%s\"", mlsync_database_name)));

	for (;;)
	{
		long		wait = (long) mlsync_naptime * 1000L;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		MemoryContextSwitchTo(loop_cxt);
		PG_TRY();
		{
			pgstat_report_activity(STATE_RUNNING, "claiming syncs");
			wait = launcher_round(starting);
			starting = false;
		}
		PG_CATCH();
		{
			/* never go down over one round: log it and try again later */
			EmitErrorReport();
			FlushErrorState();
			AbortCurrentTransaction();
		}
		PG_END_TRY();
		MemoryContextSwitchTo(TopMemoryContext);
		MemoryContextReset(loop_cxt);
		pgstat_report_activity(STATE_IDLE, NULL);

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 Max(wait, 1), PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * The launcher is gone: backends must not wait for it.
 */
static void
launcher_exit(int code, Datum arg)
{
	if (shared)
	{
		shared->launcher_latch = NULL;
		shared->launcher_pid = 0;
		shared->launcher_database = InvalidOid;
		shared->workers_running = 0;
	}
}

/*
 * Settings of a sync worker's session.  No JIT: the writer runs the same
 * few statements once per batch, each in milliseconds, and the planner's
 * estimates of statements over arrays and CTEs can pass jit_above_cost,
 * when compiling costs seconds per execution.
 */
static void
worker_session_settings(void)
{
	SetConfigOption("jit", "off", PGC_USERSET, PGC_S_SESSION);
}

/*
 * A sync worker: one run, then exit.
 */
void
mlsync_worker_main(Datum arg)
{
	MlsWorkerArgs args;

	memcpy(&args, MyBgworkerEntry->bgw_extra, sizeof(args));
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(args.database, InvalidOid, 0);
	pgstat_report_appname("mlsync worker");
	worker_session_settings();

	/* the launcher's runs take turns with the runs waiting for a worker */
	MlsRunSyncTurn(args.run_id);
	proc_exit(0);
}

/*
 * Append the session's values of mlsync's settings a session may set, as
 * "name\0value\0" pairs ended by an empty name.
 */
static void
append_session_settings(StringInfo buf)
{
	struct config_generic **vars = get_guc_variables();
	int			n = GetNumConfigOptions();

	for (int i = 0; i < n; i++)
	{
		struct config_generic *var = vars[i];
		const char *value;

		if (strncmp(var->name, "mlsync.", 7) != 0 ||
			(var->context != PGC_USERSET && var->context != PGC_SUSET) ||
			(var->flags & GUC_CUSTOM_PLACEHOLDER))
			continue;
		value = GetConfigOption(var->name, true, false);
		if (value == NULL)
			continue;
		appendStringInfoString(buf, var->name);
		appendStringInfoChar(buf, '\0');
		appendStringInfoString(buf, value);
		appendStringInfoChar(buf, '\0');
	}
	appendStringInfoChar(buf, '\0');
}

/*
 * Take the settings append_session_settings wrote (in a transaction: check
 * hooks may read catalogs).
 */
static void
apply_session_settings(const char *settings)
{
	const char *p = settings;

	while (*p)
	{
		const char *name = p;
		const char *value = p + strlen(p) + 1;

		(void) set_config_option(name, value, PGC_SUSET, PGC_S_SESSION,
								 GUC_ACTION_SET, true, 0, false);
		p = value + strlen(value) + 1;
	}
}

/*
 * Start a request worker for mls_sync(wait => true) in this database.  It
 * runs as the extension's bootstrap user, like the sync workers: the
 * caller's rights were checked before.
 */
MlsRequestWorker *
MlsStartRequestWorker(const char *tenant, const char *connection, const char *mode,
					  const char *listing_key)
{
	MlsRequestWorker *request = palloc0(sizeof(MlsRequestWorker));
	StringInfoData data;
	MlsRequestSlot *slot;
	BackgroundWorker worker;
	pid_t		pid;
	Size		settings_offset;

	/*
	 * The run must see the settings of the session that asked for it (a
	 * shorter timeout, fewer retries), not only the server's.
	 */
	initStringInfo(&data);
	appendStringInfoString(&data, listing_key ? listing_key : "");
	appendStringInfoChar(&data, '\0');
	settings_offset = data.len;
	append_session_settings(&data);

	request->segment = dsm_create(offsetof(MlsRequestSlot, data) + data.len, 0);
	slot = dsm_segment_address(request->segment);
	memset(slot, 0, offsetof(MlsRequestSlot, data));
	slot->database = MyDatabaseId;
	strlcpy(slot->tenant, tenant, sizeof(slot->tenant));
	strlcpy(slot->connection, connection, sizeof(slot->connection));
	strlcpy(slot->mode, mode, sizeof(slot->mode));
	/* the session's role, not the extension's owner mls_sync runs as */
	strlcpy(slot->requested_by, GetUserNameFromId(GetOuterUserId(), false),
			sizeof(slot->requested_by));
	slot->has_listing_key = listing_key != NULL;
	slot->settings_offset = settings_offset;
	memcpy(slot->data, data.data, data.len);

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "mlsync");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "mlsync_request_worker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "mlsync worker for %s/%s", tenant, connection);
	snprintf(worker.bgw_type, BGW_MAXLEN, "mlsync worker");
	worker.bgw_main_arg = UInt32GetDatum(dsm_segment_handle(request->segment));
	worker.bgw_notify_pid = MyProcPid;
	if (!RegisterDynamicBackgroundWorker(&worker, &request->handle))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not start a worker for the sync of %s/%s", tenant, connection),
				 errhint("mls_sync(wait => true) runs the sync in a background worker: you might need to increase max_worker_processes.")));
	if (WaitForBackgroundWorkerStartup(request->handle, &pid) != BGWH_STARTED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("the worker for the sync of %s/%s did not start", tenant, connection)));
	return request;
}

/*
 * Wait for a request worker to exit.  The worker has transactions of its
 * own, so it may wait for a lock the caller's transaction holds (a status
 * row the caller updated, say) while the caller waits for it: no deadlock
 * detector sees that.  So the wait looks, every second, whether the caller
 * blocks the worker, and then cancels it and says so.
 */
static void
wait_for_request_worker(MlsRequestWorker *request)
{
	int			rounds = 0;

	for (;;)
	{
		pid_t		pid;

		if (GetBackgroundWorkerPid(request->handle, &pid) == BGWH_STOPPED)
			return;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 100, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (++rounds % 10 == 0 && GetBackgroundWorkerPid(request->handle, &pid) == BGWH_STARTED)
		{
			MlsSqlArgs	a = {0};
			bool		blocked;

			MlsArgInt4(&a, MyProcPid, false);
			MlsArgInt4(&a, pid, false);
			MlsSqlConnect();
			blocked = MlsSqlExec("SELECT 1 WHERE $1 = ANY (pg_catalog.pg_blocking_pids($2))",
								 &a, SPI_OK_SELECT, true) > 0;
			SPI_finish();
			if (blocked)
			{
				/* cancel it and let it record so before the caller hears */
				kill(pid, SIGINT);
				(void) WaitForBackgroundWorkerShutdown(request->handle);
				ereport(ERROR,
						(errcode(ERRCODE_LOCK_NOT_AVAILABLE),
						 errmsg("the sync worker waits for a lock this transaction holds"),
						 errdetail("mls_sync(wait => true) runs the sync in a worker of its own; its run was canceled."),
						 errhint("Commit the changes to mlsync's tables first, or queue the sync with mls_sync(..., wait => false).")));
			}
		}
	}
}

/*
 * Wait for a request worker to exit; the run it queued (0 when none: the
 * error is raised), and how it was queued.
 */
int64
MlsFinishRequestWorker(MlsRequestWorker *request, MlsQueuedAs *how)
{
	MlsRequestSlot *slot = dsm_segment_address(request->segment);
	int64		run_id;

	wait_for_request_worker(request);
	run_id = slot->run_id;
	*how = (MlsQueuedAs) slot->how;
	if (run_id == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the sync of %s/%s could not be queued: %s", slot->tenant, slot->connection,
						slot->error[0] ? slot->error : "its worker ended first"),
				 errhint("The sync runs in a worker of its own: what this transaction changed and did not commit (a connection just created, say) is not there yet. Commit first.")));
	dsm_detach(request->segment);
	request->segment = NULL;
	return run_id;
}

/*
 * The caller stops waiting (canceled): ask the worker to cancel its run,
 * which then ends as canceled with what it committed kept.
 */
void
MlsCancelRequestWorker(MlsRequestWorker *request)
{
	pid_t		pid;

	if (request->handle && GetBackgroundWorkerPid(request->handle, &pid) == BGWH_STARTED)
		kill(pid, SIGINT);
}

/*
 * A request worker's run is queued behind a run of its connection that is
 * running (another mode, or one that makes no extra pass): wait until that
 * one ends, then take the queued run over, as a queued run waits for the
 * launcher.  Returns MLS_QUEUED_ADDED when this process is to run it, or
 * MLS_QUEUED_JOINED when the launcher started it first (the caller then
 * waits for it).  A cancel of the caller while waiting cancels the request.
 */
static MlsQueuedAs
wait_to_take_over(int64 run_id)
{
	for (;;)
	{
		MlsTakeOver taken;

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 1000L, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		if (QueryCancelPending || ProcDiePending)
		{
			int			pid;

			/* the caller gave up: so does its request */
			QueryCancelPending = false;
			HOLD_INTERRUPTS();
			StartTransactionCommand();
			MlsSqlConnect();
			PushActiveSnapshot(GetTransactionSnapshot());
			(void) MlsQueueCancel(run_id, &pid);
			SPI_finish();
			PopActiveSnapshot();
			CommitTransactionCommand();
			RESUME_INTERRUPTS();
			CHECK_FOR_INTERRUPTS();
			ereport(ERROR,
					(errcode(ERRCODE_QUERY_CANCELED),
					 errmsg("canceled while waiting for the running sync of the connection")));
		}
		StartTransactionCommand();
		MlsSqlConnect();
		PushActiveSnapshot(GetTransactionSnapshot());
		taken = MlsQueueTakeOver(run_id);
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		if (taken == MLS_TAKEOVER_TAKEN)
			return MLS_QUEUED_ADDED;
		if (taken == MLS_TAKEOVER_GONE)
			return MLS_QUEUED_JOINED;
	}
}

/*
 * A request worker: queue the request, run it when it was added, exit.
 */
void
mlsync_request_worker_main(Datum arg)
{
	dsm_segment *segment;
	MlsRequestSlot *slot;
	MlsQueuedAs how = MLS_QUEUED_ADDED;
	int64		run_id = 0;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	segment = dsm_attach(DatumGetUInt32(arg));
	if (segment == NULL)
		proc_exit(1);			/* the backend gave up waiting */
	slot = dsm_segment_address(segment);
	BackgroundWorkerInitializeConnectionByOid(slot->database, InvalidOid, 0);
	pgstat_report_appname("mlsync worker");
	worker_session_settings();

	PG_TRY();
	{
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		MlsSqlConnect();
		PushActiveSnapshot(GetTransactionSnapshot());
		apply_session_settings(slot->data + slot->settings_offset);

		/*
		 * Where no launcher runs, nothing else reaps a run whose process
		 * ended without ending it (a request worker stopped by a fast
		 * shutdown): every request of the connection would wait on it for
		 * ever.
		 */
		if (!MlsLauncherServes(slot->database))
			(void) MlsQueueReapInterrupted(false, NULL, 0, slot->tenant, slot->connection);
		run_id = MlsQueueRequest(slot->tenant, slot->connection, slot->mode,
								 slot->has_listing_key ? slot->data : NULL, "manual",
								 slot->requested_by, true, &how);
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		if (how == MLS_QUEUED_WAITING)
			how = wait_to_take_over(run_id);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(TopMemoryContext);
		edata = CopyErrorData();
		strlcpy(slot->error, edata->message, sizeof(slot->error));
		PG_RE_THROW();
	}
	PG_END_TRY();

	slot->how = how;
	slot->run_id = run_id;
	if (how == MLS_QUEUED_ADDED)
		MlsRunSync(run_id);
	proc_exit(0);
}
