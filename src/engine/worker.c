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
 *	2. claims due queued runs, manual ones before scheduled ones, never two
 *	   of one connection, at most mlsync.max_workers at once;
 *	3. starts one dynamic background worker per claimed run.
 *
 * A sync worker performs one run (pipeline.c) and exits.  Workers are never
 * restarted by the postmaster: a run that dies is found in step 1.
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
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "mlsync.h"
#include "media/media.h"
#include "engine/pipeline.h"
#include "engine/store.h"
#include "engine/worker.h"

/* Largest mlsync.max_workers: the worker table lives in the launcher */
#define MAX_WORKER_SLOTS 64

/* What the launcher shares with backends */
typedef struct MlsSharedState
{
	pid_t		launcher_pid;	/* 0: no launcher running */
	Latch	   *launcher_latch;
} MlsSharedState;

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
 * Whether a launcher is there to run queued syncs.
 */
bool
MlsLauncherRunning(void)
{
	return shared != NULL && shared->launcher_pid != 0;
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
 * Whether the extension exists in this database (it may be created after
 * the launcher starts, or dropped under it).
 */
static bool
extension_installed(void)
{
	bool		installed;

	if (SPI_execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'mlsync'", true, 1)
		!= SPI_OK_SELECT)
		elog(ERROR, "could not read pg_extension");
	installed = SPI_processed > 0;
	return installed;
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
 * Claim up to "free" due runs: manual before scheduled, oldest first, one
 * per connection, never a connection that is running or disabled.  The
 * claimed runs are marked running with worker_pid -1 (being started).
 */
static List *
claim_runs(int free, MemoryContext cxt)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(free)};
	List	   *claimed = NIL;

	if (SPI_execute_with_args("UPDATE mlsync.mls_sync_queue q SET state = 'running', worker_pid = -1,"
							  " started_at = now()"
							  " WHERE q.run_id IN ("
							  "  SELECT run_id FROM ("
							  "   SELECT DISTINCT ON (c.tenant_id, c.connection) q2.run_id,"
							  "		  q2.trigger, q2.requested_at"
							  "	 FROM mlsync.mls_sync_queue q2"
							  "	 JOIN mlsync.mls_connections c USING (tenant_id, connection)"
							  "	WHERE q2.state = 'queued' AND q2.not_before <= now() AND c.enabled"
							  "	  AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue r"
							  "					 WHERE r.tenant_id = q2.tenant_id"
							  "					   AND r.connection = q2.connection"
							  "					   AND r.state = 'running')"
							  "	ORDER BY c.tenant_id, c.connection, (q2.trigger = 'manual') DESC,"
							  "			 q2.requested_at, q2.run_id) one_per_connection"
							  "  ORDER BY (trigger = 'manual') DESC, requested_at"
							  "  LIMIT $1)"
							  " RETURNING q.run_id",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "could not claim queued syncs");
	/* the list outlives SPI: it is built in the caller's context */
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		MemoryContext old = MemoryContextSwitchTo(cxt);
		int64	   *run_id = palloc(sizeof(int64));

		*run_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		claimed = lappend(claimed, run_id);
		MemoryContextSwitchTo(old);
	}
	return claimed;
}

/*
 * Milliseconds until the earliest queued run becomes due, within naptime.
 */
static long
next_wait_ms(void)
{
	long		wait = (long) mlsync_naptime * 1000L;
	bool		isnull;
	Datum		d;

	if (SPI_execute("SELECT extract(epoch FROM min(not_before) - now()) * 1000"
					" FROM mlsync.mls_sync_queue WHERE state = 'queued'", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the queue");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
	{
		double		ms = DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));

		wait = Min(wait, (long) Max(ms, 0) + 10);
	}
	return wait;
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

	launcher_begin();
	if (!extension_installed())
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
		(void) MlsStoreReapInterrupted(starting, live, nlive);
	}
	claimed = free > 0 ? claim_runs(free, cxt) : NIL;
	launcher_commit();

	foreach(lc, claimed)
	{
		int64		run_id = *(int64 *) lfirst(lc);
		pid_t		pid = start_worker(run_id);

		launcher_begin();
		if (pid == 0)
			MlsStoreFailUnstartable(run_id, "no background worker slot could be had for the sync");
		else
		{
			Oid			argtypes[2] = {INT8OID, INT4OID};
			Datum		args[2] = {Int64GetDatum(run_id), Int32GetDatum((int32) pid)};

			/* the worker may have set its pid already; -1 only means "starting" */
			if (SPI_execute_with_args("UPDATE mlsync.mls_sync_queue SET worker_pid = $2"
									  " WHERE run_id = $1 AND worker_pid = -1",
									  2, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE)
				elog(ERROR, "could not record a worker's pid");
		}
		launcher_commit();
	}

	launcher_begin();
	wait = extension_installed() ? next_wait_ms() : (long) mlsync_naptime * 1000L;
	/* media hook: a media worker when media work is due */
	if (extension_installed())
		MlsMediaLauncherRound();
	launcher_commit();
	/* with workers running, look again soon: they may end without a signal */
	if (reap_workers() > 0)
		wait = Min(wait, 1000L);
	return wait;
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
	BackgroundWorkerInitializeConnection(mlsync_database_name, NULL, 0);
	pgstat_report_appname("mlsync launcher");

	shared->launcher_latch = &MyProc->procLatch;
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
	}
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

	MlsRunSync(args.run_id, true);
	proc_exit(0);
}
