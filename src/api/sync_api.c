/*-------------------------------------------------------------------------
 *
 * sync_api.c
 *	  mls_sync(), mls_sync_cancel(), mls_sync_wait().
 *
 * Folder src/api/: the SQL-callable functions that start, wait for and
 * cancel syncs (this file) and that talk to a server outside a run
 * (rets_photos.c).  They check arguments and hand over to engine/ or to a
 * protocol session; they may not include libcurl or libxml2 headers nor
 * parse protocol bodies themselves.
 *
 * mls_sync() only writes queue rows and asks for the launcher to be woken
 * at commit, so it returns in milliseconds whatever a sync costs.  A
 * request for a connection that already has a queued run of the same mode
 * joins it (and makes it manual); one for a connection whose run of the
 * same mode is running is merged into that run, which then makes one more
 * pass from its new watermark before it ends - never a second run of one
 * connection at once, never a request lost.
 *
 * mls_sync_scheduled() is what the pg_cron jobs of mls_schedule() call: the
 * same request for one connection, queued as scheduled, so the launcher
 * starts manual requests before it (the queue's order, queue.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "commands/dbcommands.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "mlsync.h"
#include "engine/pipeline.h"
#include "engine/queue.h"
#include "support/sqlargs.h"
#include "engine/worker.h"
#include "support/version.h"
#include "transport/source.h"

PG_FUNCTION_INFO_V1(mls_sync);
PG_FUNCTION_INFO_V1(mls_sync_scheduled);
PG_FUNCTION_INFO_V1(mls_sync_cancel);
PG_FUNCTION_INFO_V1(mls_sync_wait);

static const char *const modes[] = {"full", "incremental", "reconcile", "single", "dry_run", "metadata"};

/*
 * Wait for a run that runs elsewhere to end; returns its final state, or
 * its state when the timeout came first.  Must be called inside SPI.
 */
static char *
wait_for_run(int64 run_id, int64 timeout_ms)
{
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), timeout_ms);

	for (;;)
	{
		bool		own;
		char	   *state = MlsQueueRunState(run_id, &own);

		if (state == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("sync run " INT64_FORMAT " does not exist", run_id)));
		if (strcmp(state, "queued") != 0 && strcmp(state, "running") != 0)
			return state;
		if (own)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("sync run " INT64_FORMAT " was requested in this transaction", run_id),
					 errhint("Commit first: the launcher sees the request only then.")));
		if (GetCurrentTimestamp() >= deadline)
			return state;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 100, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
}

/*
 * The role asking for a sync: the session's current role, as it was before
 * mls_sync() (SECURITY DEFINER) became the extension's owner.
 */
static const char *
requesting_role(void)
{
	return GetUserNameFromId(GetOuterUserId(), false);
}

/*
 * Raise the failure of the first of runs (a List of int64 *) that did not
 * succeed, with its message and a SQLSTATE of its error category.  Must be
 * called inside SPI.
 */
static void
raise_failures(List *runs)
{
	int64	   *ids = palloc(sizeof(int64) * Max(list_length(runs), 1));
	MlsSqlArgs	a = {0};
	ListCell   *lc;
	int			n = 0;
	uint64		failed;
	bool		isnull;
	char	   *state;
	char	   *category;
	int			sqlstate;

	foreach(lc, runs)
		ids[n++] = *(int64 *) lfirst(lc);
	MlsArgInt8Array(&a, ids, n);
	failed = MlsSqlExec("SELECT h.run_id, h.tenant_id, h.connection, h.state, h.message,"
						"  (SELECT e.category FROM mlsync.mls_sync_errors e"
						"	 WHERE e.tenant_id = h.tenant_id AND e.run_id = h.run_id"
						"	   AND e.retry_state = 'failed'"
						"	 ORDER BY e.error_id DESC LIMIT 1) AS category"
						" FROM mlsync.mls_sync_history h"
						" WHERE h.run_id = ANY ($1) AND h.state <> 'succeeded'"
						" ORDER BY h.run_id",
						&a, SPI_OK_SELECT, false);	/* a new snapshot: the runs committed since */
	if (failed == 0)
		return;
	state = MlsSqlText(0, "state", CurrentMemoryContext);
	/* a run still recorded as running or queued lost its worker: it failed */
	if (strcmp(state, "running") == 0 || strcmp(state, "queued") == 0)
		state = "failed";
	category = MlsSqlText(0, "category", CurrentMemoryContext);
	sqlstate = strcmp(state, "canceled") == 0 ? ERRCODE_QUERY_CANCELED :
		MlsErrorCategorySqlstate(category ? MlsErrorCategoryFromName(category) : MLS_ERR_INTERNAL);
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("sync of %s/%s %s: %s",
					MlsSqlText(0, "tenant_id", CurrentMemoryContext),
					MlsSqlText(0, "connection", CurrentMemoryContext), state,
					MlsSqlText(0, "message", CurrentMemoryContext) ?
					MlsSqlText(0, "message", CurrentMemoryContext) :
					"its worker ended without recording how (the server log says why)"),
			 failed > 1 ?
			 errdetail("Run " INT64_FORMAT "; " UINT64_FORMAT " of the %d runs did not succeed.",
					   DatumGetInt64(MlsSqlDatum(0, "run_id", &isnull)), failed, n) :
			 errdetail("Run " INT64_FORMAT ".", DatumGetInt64(MlsSqlDatum(0, "run_id", &isnull))),
			 errhint("What committed before the failure is kept; the run's errors are in mlsync.mls_sync_errors.")));
}

/*
 * mls_sync(wait => true): run each connection's sync in a request worker
 * of its own, wait for them all, and raise the failure of any that did not
 * succeed.  The workers commit batch by batch, so nothing a failed run
 * wrote is lost when the error rolls back the caller's transaction.  A
 * cancel of the caller cancels the runs.  Returns the run ids (List of
 * int64 *).
 */
static List *
run_and_wait(const char *tenant, List *connections, const char *mode, const char *listing_key)
{
	List	   *workers = NIL;
	List	   *runs = NIL;
	List	   *merged = NIL;
	ListCell   *lc;

	foreach(lc, connections)
		workers = lappend(workers, MlsStartRequestWorker(tenant, lfirst(lc), mode, listing_key));
	PG_TRY();
	{
		foreach(lc, workers)
		{
			MlsQueuedAs how;
			int64	   *run_id = palloc(sizeof(int64));

			*run_id = MlsFinishRequestWorker(lfirst(lc), &how);
			runs = lappend(runs, run_id);
			/* merged into a run another worker runs, or started by the launcher */
			if (how == MLS_QUEUED_MERGED || how == MLS_QUEUED_JOINED)
				merged = lappend(merged, run_id);
		}
		MlsSqlConnect();
		foreach(lc, merged)
			(void) wait_for_run(*(int64 *) lfirst(lc), INT64CONST(86400000));
		raise_failures(runs);
		SPI_finish();
	}
	PG_CATCH();
	{
		foreach(lc, workers)
			MlsCancelRequestWorker(lfirst(lc));
		PG_RE_THROW();
	}
	PG_END_TRY();
	return runs;
}

/*
 * Whether row r of the connections query (columns xmin and secrets_xmin)
 * was written, the connection or one of its secrets, by this transaction.
 */
static bool
written_here(uint64 r)
{
	bool		isnull;
	Datum	   *xmins;
	int			n;

	if (TransactionIdIsCurrentTransactionId(DatumGetTransactionId(MlsSqlDatum(r, "xmin", &isnull))))
		return true;
	deconstruct_array(DatumGetArrayTypeP(MlsSqlDatum(r, "secrets_xmin", &isnull)),
					  XIDOID, sizeof(TransactionId), true, TYPALIGN_INT, &xmins, NULL, &n);
	for (int i = 0; i < n; i++)
		if (TransactionIdIsCurrentTransactionId(DatumGetTransactionId(xmins[i])))
			return true;
	return false;
}

/*
 * mls_sync(tenant, connection, mode, wait, listing_key) returns bigint[]
 */
Datum
mls_sync(PG_FUNCTION_ARGS)
{
	char	   *tenant;
	char	   *connection = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *mode = PG_ARGISNULL(2) ? "incremental" : text_to_cstring(PG_GETARG_TEXT_PP(2));
	bool		wait = !PG_ARGISNULL(3) && PG_GETARG_BOOL(3);
	char	   *listing_key = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	bool		known_mode = false;
	List	   *connections = NIL;
	List	   *run_ids = NIL;
	ListCell   *lc;
	Datum	   *datums;
	int			i;
	MemoryContext cxt = CurrentMemoryContext;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tenant must not be null")));
	tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	MlsCheckInstalledVersion();
	for (i = 0; i < lengthof(modes); i++)
		known_mode = known_mode || strcmp(mode, modes[i]) == 0;
	if (!known_mode)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown sync mode \"%s\"", mode),
				 errhint("Use full, incremental, reconcile, single, dry_run or metadata.")));
	if ((strcmp(mode, "single") == 0) != (listing_key != NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("listing_key is given exactly for mode single"),
				 errhint("mlsync.mls_sync('acme', 'crmls', mode => 'single', listing_key => '...')")));
	if (strcmp(mode, "single") == 0 && connection == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mode single needs a connection")));
	if (!wait && !MlsLauncherServes(MyDatabaseId))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no mlsync launcher runs in database \"%s\"", get_database_name(MyDatabaseId)),
				 errdetail("A queued sync would wait for ever: the launcher runs the queue of the database named by mlsync.database_name (\"%s\"), when mlsync is in shared_preload_libraries.",
						   mlsync_database_name ? mlsync_database_name : ""),
				 errhint("Set mlsync.database_name to this database and restart, or call mlsync.mls_sync(..., wait => true), which runs the sync at once.")));
	if (wait && IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("mls_sync(wait => true) cannot run in a REPEATABLE READ or SERIALIZABLE transaction"),
				 errhint("The sync commits in a worker of its own; its snapshot would never show it. Sync in READ COMMITTED.")));
	MlsSqlConnect();

	/* the connections to sync */
	{
		MlsSqlArgs	a = {0};
		uint64		n;

		MlsArgText(&a, tenant);
		if (MlsSqlExec("SELECT 1 FROM mlsync.mls_tenants WHERE tenant_id = $1",
					   &a, SPI_OK_SELECT, true) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("tenant \"%s\" does not exist", tenant)));
		MlsArgText(&a, connection);
		n = MlsSqlExec("SELECT c.connection, c.enabled, c.xmin,"
					   "  ARRAY(SELECT k.xmin FROM mlsync.mls_credentials k"
					   "		WHERE k.tenant_id = c.tenant_id AND k.connection = c.connection) AS secrets_xmin"
					   " FROM mlsync.mls_connections c"
					   " WHERE c.tenant_id = $1 AND ($2::text IS NULL OR c.connection = $2)"
					   " ORDER BY c.connection",
					   &a, SPI_OK_SELECT, true);
		if (connection && n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("connection \"%s\" of tenant \"%s\" does not exist", connection, tenant)));
		for (uint64 r = 0; r < n; r++)
		{
			bool		isnull;
			bool		enabled = DatumGetBool(MlsSqlDatum(r, "enabled", &isnull));

			/*
			 * The worker that runs a waited-for sync sees only what is
			 * committed: a connection (or its secrets) this transaction
			 * created, enabled or changed would be synced as it was before,
			 * or not at all.  One disabled here is not synced anyway.
			 */
			if (wait && enabled && written_here(r))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("connection \"%s\" of tenant \"%s\" was written in this transaction",
								MlsSqlText(r, "connection", CurrentMemoryContext), tenant),
						 errdetail("mls_sync(wait => true) runs the sync in a worker of its own, which sees only what is committed."),
						 errhint("Commit first.")));
			if (!enabled && connection)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("connection \"%s\" of tenant \"%s\" is disabled", connection, tenant),
						 errhint("Enable it with mlsync.mls_connect('%s', '%s', enabled => true).",
								 tenant, connection)));
			if (enabled)
			{
				/* the list outlives SPI */
				MemoryContext old = MemoryContextSwitchTo(cxt);

				connections = lappend(connections, MlsSqlText(r, "connection", cxt));
				MemoryContextSwitchTo(old);
			}
		}
	}

	if (!wait)
	{
		foreach(lc, connections)
		{
			MlsQueuedAs how;
			int64	   *run_id = MemoryContextAlloc(cxt, sizeof(int64));
			MemoryContext old;

			*run_id = MlsQueueRequest(tenant, lfirst(lc), mode, listing_key, "manual",
									  requesting_role(), false, &how);
			/* the list outlives SPI */
			old = MemoryContextSwitchTo(cxt);
			run_ids = lappend(run_ids, run_id);
			MemoryContextSwitchTo(old);
		}
		SPI_finish();
		if (run_ids != NIL)
			MlsWakeLauncherAtCommit();
	}
	else
	{
		SPI_finish();
		run_ids = run_and_wait(tenant, connections, mode, listing_key);
	}

	datums = palloc(sizeof(Datum) * Max(list_length(run_ids), 1));
	i = 0;
	foreach(lc, run_ids)
		datums[i++] = Int64GetDatum(*(int64 *) lfirst(lc));
	PG_RETURN_ARRAYTYPE_P(construct_array(datums, i, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * mls_sync_scheduled(tenant, connection, mode) returns bigint
 *
 * A scheduled sync of one connection: queued as scheduled (joining a
 * queued run of the same mode, or merged into a running one, as mls_sync()
 * does), NULL when the connection is disabled (its job may outlive it until
 * mls_schedule() runs again).  A connection that does not exist, or no
 * launcher to run the sync, is an error: pg_cron records it with the job's
 * run.
 */
Datum
mls_sync_scheduled(PG_FUNCTION_ARGS)
{
	char	   *tenant;
	char	   *connection;
	char	   *mode;
	MlsSqlArgs	a = {0};
	MlsQueuedAs how;
	int64		run_id;
	bool		isnull;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tenant, connection and mode must not be null")));
	tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	connection = text_to_cstring(PG_GETARG_TEXT_PP(1));
	mode = text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (strcmp(mode, "incremental") != 0 && strcmp(mode, "full") != 0 &&
		strcmp(mode, "reconcile") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a scheduled sync is incremental, full or reconcile, not \"%s\"", mode)));
	if (!MlsLauncherServes(MyDatabaseId))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no mlsync launcher runs in database \"%s\"", get_database_name(MyDatabaseId)),
				 errhint("Set mlsync.database_name to this database and restart, with mlsync in shared_preload_libraries.")));

	MlsSqlConnect();
	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	if (MlsSqlExec("SELECT enabled FROM mlsync.mls_connections WHERE tenant_id = $1 AND connection = $2",
				   &a, SPI_OK_SELECT, true) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("connection \"%s\" of tenant \"%s\" does not exist", connection, tenant),
				 errhint("Run mlsync.mls_schedule('%s') to remove the jobs of deleted connections.",
						 tenant)));
	if (!DatumGetBool(MlsSqlDatum(0, "enabled", &isnull)))
	{
		SPI_finish();
		PG_RETURN_NULL();
	}
	run_id = MlsQueueRequest(tenant, connection, mode, NULL, "scheduled", requesting_role(),
							 false, &how);
	SPI_finish();
	MlsWakeLauncherAtCommit();
	PG_RETURN_INT64(run_id);
}

/*
 * mls_sync_cancel(run_id) returns boolean
 *
 * A queued run is dropped (recorded as canceled); a running one is asked to
 * stop: its process is signalled like pg_cancel_backend() and the run ends
 * as canceled at once, with what it committed kept.
 */
Datum
mls_sync_cancel(PG_FUNCTION_ARGS)
{
	int64		run_id = PG_GETARG_INT64(0);
	int			pid;
	bool		result;

	MlsSqlConnect();
	result = MlsQueueCancel(run_id, &pid);
	/* the flag is seen at the next batch; the signal stops a fetch at once */
	if (pid > 0 && pid != MyProcPid)
	{
		MlsSqlArgs	a = {0};

		MlsArgInt4(&a, pid, false);
		MlsSqlExec("SELECT pg_catalog.pg_cancel_backend($1)", &a, SPI_OK_SELECT, false);
	}
	SPI_finish();
	PG_RETURN_BOOL(result);
}

/*
 * mls_sync_wait(run_id, timeout) returns text
 */
Datum
mls_sync_wait(PG_FUNCTION_ARGS)
{
	int64		run_id = PG_GETARG_INT64(0);
	Interval   *timeout = PG_GETARG_INTERVAL_P(1);
	int64		timeout_ms;
	char	   *state;
	MemoryContext cxt = CurrentMemoryContext;

	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("mls_sync_wait() cannot wait in a REPEATABLE READ or SERIALIZABLE transaction"),
				 errhint("Its snapshot would never show the run ending; wait in READ COMMITTED.")));
	timeout_ms = (timeout->time + (int64) timeout->day * USECS_PER_DAY +
				  (int64) timeout->month * DAYS_PER_MONTH * USECS_PER_DAY) / 1000;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	state = MemoryContextStrdup(cxt, wait_for_run(run_id, Max(timeout_ms, 0)));
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(state));
}
