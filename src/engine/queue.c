/*-------------------------------------------------------------------------
 *
 * queue.c
 *	  Every statement on mlsync.mls_sync_queue (see queue.h).
 *
 * Functions marked "inside SPI" run in their caller's SPI connection; the
 * others connect themselves.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "engine/queue.h"
#include "support/sqlargs.h"

/*
 * Queue a request for one connection (inside SPI): join a queued run of
 * the same mode, or merge into a running one (or one that yielded its
 * worker and waits to go on: it has begun); else add a run.  trigger is
 * manual or scheduled: a manual request that joins a queued run makes it
 * manual and due at once (the launcher starts manual runs first), a
 * scheduled one leaves it as it is (a retry keeps its backoff).  With
 * run_here (the request worker of mls_sync(wait => true), which runs the
 * sync itself), a queued run is taken over and marked running in this
 * process at once, even a retry queued for later: a manual request comes
 * first.  But a connection never runs two runs at once: when one of
 * another mode (or one that takes no extra pass) is running, the request
 * stays queued (MLS_QUEUED_WAITING) for MlsQueueTakeOver once that run
 * ends.  requested_by is the role asking, kept with the run.
 */
int64
MlsQueueRequest(const char *tenant, const char *connection, const char *mode,
				const char *listing_key, const char *trigger, const char *requested_by,
				bool run_here, MlsQueuedAs *how)
{
	MlsSqlArgs	a = {0};
	bool		isnull;
	char	   *how_text;

	Assert(strcmp(trigger, "manual") == 0 || (strcmp(trigger, "scheduled") == 0 && !run_here));
	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	MlsArgText(&a, mode);
	MlsArgText(&a, listing_key);
	MlsArgBool(&a, run_here);
	MlsArgInt4(&a, MyProcPid, false);
	MlsArgText(&a, trigger);
	MlsArgTimestamptz(&a, GetCurrentTransactionStartTimestamp(), false);
	MlsArgText(&a, requested_by);
	if (MlsSqlExec("WITH busy AS ("
				   "  SELECT $5 AND EXISTS (SELECT 1 FROM mlsync.mls_sync_queue"
				   "	 WHERE tenant_id = $1 AND connection = $2 AND state = 'running') AS busy),"
				   " here AS (SELECT $5 AND NOT busy AS here FROM busy),"
				   " queued AS ("
				   "  UPDATE mlsync.mls_sync_queue SET"
				   "	 trigger = CASE WHEN $7 = 'manual' THEN 'manual' ELSE trigger END,"
				   "	 state = CASE WHEN (SELECT here FROM here) THEN 'running' ELSE state END,"
				   "	 started_at = CASE WHEN (SELECT here FROM here) THEN $8 END,"
				   "	 worker_pid = CASE WHEN (SELECT here FROM here) THEN $6 END,"
				   "	 not_before = least(not_before, CASE WHEN $7 = 'manual' THEN $8 ELSE not_before END),"
				   /* a retry's position is not the request's: it reads everything */
				   "	 resume_raw = NULL"
				   "   WHERE run_id = (SELECT run_id FROM mlsync.mls_sync_queue"
				   "	  WHERE tenant_id = $1 AND connection = $2 AND mode = $3"
				   "		AND listing_key IS NOT DISTINCT FROM $4 AND state = 'queued'"
				   "		AND turns = 0"
				   "	  ORDER BY run_id LIMIT 1 FOR UPDATE)"
				   "  RETURNING run_id, CASE WHEN (SELECT here FROM here) THEN 'added'"
				   "						 WHEN (SELECT busy FROM busy) THEN 'waiting'"
				   "						 ELSE 'joined' END AS how),"
				   " running AS ("
				   "  UPDATE mlsync.mls_sync_queue SET rerun_requested = true"
				   "   WHERE NOT EXISTS (SELECT 1 FROM queued)"
				   "	 AND run_id = (SELECT run_id FROM mlsync.mls_sync_queue"
				   "	  WHERE tenant_id = $1 AND connection = $2"
				   "		AND (state = 'running' OR turns > 0)"
				   "		AND mode = $3 AND mode IN ('full', 'incremental')"
				   "	  ORDER BY run_id LIMIT 1 FOR UPDATE)"
				   "  RETURNING run_id, 'merged' AS how),"
				   " added AS ("
				   "  INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode,"
				   "   listing_key, trigger, state, started_at, worker_pid, requested_by)"
				   "  SELECT $1, $2, $3, $4, $7,"
				   "		  CASE WHEN here THEN 'running' ELSE 'queued' END,"
				   "		  CASE WHEN here THEN $8 END, CASE WHEN here THEN $6 END, $9"
				   "   FROM here, busy"
				   "   WHERE NOT EXISTS (SELECT 1 FROM queued)"
				   "	 AND NOT EXISTS (SELECT 1 FROM running)"
				   "  RETURNING run_id, CASE WHEN state = 'queued' AND $5 THEN 'waiting' ELSE 'added' END AS how)"
				   " SELECT run_id, how FROM queued UNION ALL SELECT * FROM running"
				   " UNION ALL SELECT * FROM added",
				   &a, SPI_OK_SELECT, false) != 1)
		elog(ERROR, "could not queue a sync");
	how_text = MlsSqlText(0, "how", CurrentMemoryContext);
	*how = strcmp(how_text, "added") == 0 ? MLS_QUEUED_ADDED :
		strcmp(how_text, "joined") == 0 ? MLS_QUEUED_JOINED :
		strcmp(how_text, "waiting") == 0 ? MLS_QUEUED_WAITING : MLS_QUEUED_MERGED;
	return DatumGetInt64(MlsSqlDatum(0, "run_id", &isnull));
}

/*
 * Take over a run queued by MlsQueueRequest as MLS_QUEUED_WAITING (inside
 * SPI): mark it running in this process once its connection runs nothing
 * else.  The launcher may have started it first, which is as good.
 */
MlsTakeOver
MlsQueueTakeOver(int64 run_id)
{
	MlsSqlArgs	a = {0};

	MlsArgInt8(&a, run_id);
	MlsArgTimestamptz(&a, GetCurrentTransactionStartTimestamp(), false);
	MlsArgInt4(&a, MyProcPid, false);
	if (MlsSqlExec("UPDATE mlsync.mls_sync_queue q"
				   "   SET state = 'running', started_at = $2, worker_pid = $3"
				   " WHERE run_id = $1 AND state = 'queued'"
				   "   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue r"
				   "	 WHERE r.tenant_id = q.tenant_id AND r.connection = q.connection"
				   "	   AND r.state = 'running')",
				   &a, SPI_OK_UPDATE, false) == 1)
		return MLS_TAKEOVER_TAKEN;
	a.n = 1;
	if (MlsSqlExec("SELECT 1 FROM mlsync.mls_sync_queue WHERE run_id = $1 AND state = 'queued'",
				   &a, SPI_OK_SELECT, false) == 1)
		return MLS_TAKEOVER_WAIT;
	return MLS_TAKEOVER_GONE;
}

/*
 * Cancel a run (inside SPI).  A queued run (also one that yielded its
 * worker) is dropped and recorded as canceled; a running one is flagged,
 * and *worker_pid tells the process to signal (0 when none).  Returns false
 * when the run is neither.
 */
bool
MlsQueueCancel(int64 run_id, int *worker_pid)
{
	MlsSqlArgs	a = {0};
	bool		isnull;
	Datum		pid;

	*worker_pid = 0;
	MlsArgInt8(&a, run_id);
	if (MlsSqlExec("SELECT mlsync.mls_cancel_queued_runs(q.tenant_id, ARRAY[$1], NULL) AS canceled"
				   " FROM mlsync.mls_sync_queue q WHERE q.run_id = $1 AND q.state = 'queued'",
				   &a, SPI_OK_SELECT, false) > 0 &&
		DatumGetInt64(MlsSqlDatum(0, "canceled", &isnull)) > 0)
		return true;
	if (MlsSqlExec("UPDATE mlsync.mls_sync_queue SET cancel_requested = true"
				   " WHERE run_id = $1 AND state = 'running'"
				   " RETURNING worker_pid",
				   &a, SPI_OK_UPDATE_RETURNING, false) == 0)
		return false;
	pid = MlsSqlDatum(0, "worker_pid", &isnull);
	if (!isnull)
		*worker_pid = DatumGetInt32(pid);
	return true;
}

/*
 * The state of a run (inside SPI): its history row's, or "queued" or
 * "running" from the queue; NULL when there is no such run.
 * *requested_here tells whether the current transaction queued it.
 */
char *
MlsQueueRunState(int64 run_id, bool *requested_here)
{
	MlsSqlArgs	a = {0};
	bool		isnull;
	Datum		d;

	*requested_here = false;
	MlsArgInt8(&a, run_id);
	if (MlsSqlExec("SELECT coalesce(h.state, q.state) AS state,"
				   " q.xmin = pg_catalog.xid(pg_catalog.pg_current_xact_id_if_assigned()) AS here"
				   " FROM (SELECT $1 AS run_id) r"
				   " LEFT JOIN mlsync.mls_sync_queue q ON q.run_id = r.run_id"
				   " LEFT JOIN mlsync.mls_sync_history h ON h.run_id = r.run_id"
				   " WHERE q.run_id IS NOT NULL OR h.run_id IS NOT NULL",
				   &a, SPI_OK_SELECT, false) == 0)
		return NULL;
	d = MlsSqlDatum(0, "here", &isnull);
	*requested_here = !isnull && DatumGetBool(d);
	return MlsSqlText(0, "state", CurrentMemoryContext);
}

/*
 * Claim up to max_runs due runs (inside SPI): one per connection, never a
 * connection that is running or disabled, fairly across tenants.  The
 * claimed runs are marked running with worker_pid -1 (being started) and
 * their turn is counted.  Returns a List of int64 * run ids, built in cxt.
 *
 * Within a connection, a run that yielded its worker goes on first, then
 * manual requests, then the oldest.  Across connections the order is
 * round-robin by tenant (docs/architecture.md, "Scheduling"):
 *
 *	1. the tenant's load: its runs running now plus the run's rank among
 *	   the tenant's candidates, so each tenant gets one worker before any
 *	   gets a second;
 *	2. runs that have not had a worker before those that yielded one;
 *	3. manual requests before scheduled ones and retries;
 *	4. the tenant that had a worker least recently first (the latest
 *	   last_attempt_at of its connections: a turn sets it);
 *	5. the oldest request.
 */
List *
MlsQueueClaim(int max_runs, MemoryContext cxt)
{
	MlsSqlArgs	a = {0};
	List	   *claimed = NIL;
	uint64		n;

	MlsArgInt4(&a, max_runs, false);
	n = MlsSqlExec("WITH candidates AS ("
				   "  SELECT DISTINCT ON (q.tenant_id, q.connection) q.run_id, q.tenant_id,"
				   "		 q.turns > 0 AS began, q.trigger = 'manual' AS manual, q.requested_at"
				   "	FROM mlsync.mls_sync_queue q"
				   "	JOIN mlsync.mls_connections c USING (tenant_id, connection)"
				   "   WHERE q.state = 'queued' AND q.not_before <= now() AND c.enabled"
				   "	 AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue r"
				   "					WHERE r.tenant_id = q.tenant_id"
				   "					  AND r.connection = q.connection"
				   "					  AND r.state = 'running')"
				   "   ORDER BY q.tenant_id, q.connection, q.turns > 0 DESC,"
				   "			(q.trigger = 'manual') DESC, q.requested_at, q.run_id),"
				   " running AS ("
				   "  SELECT r.tenant_id, count(*) AS runs FROM mlsync.mls_sync_queue r"
				   "   WHERE r.state = 'running' GROUP BY r.tenant_id),"
				   " last_turn AS ("
				   "  SELECT s.tenant_id, max(s.last_attempt_at) AS at FROM mlsync.mls_sync_status s"
				   "   WHERE s.tenant_id IN (SELECT tenant_id FROM candidates)"
				   "   GROUP BY s.tenant_id),"
				   " ranked AS ("
				   "  SELECT c.run_id, c.began, c.manual, c.requested_at, t.at,"
				   "		 coalesce(r.runs, 0) + row_number() OVER (PARTITION BY c.tenant_id"
				   "		   ORDER BY c.began, c.manual DESC, c.requested_at, c.run_id) AS load"
				   "	FROM candidates c"
				   "	LEFT JOIN running r USING (tenant_id)"
				   "	LEFT JOIN last_turn t USING (tenant_id))"
				   " UPDATE mlsync.mls_sync_queue q SET state = 'running', worker_pid = -1,"
				   "  started_at = now(), turns = q.turns + 1"
				   /* state again: a waiting backend may have taken it meanwhile */
				   " WHERE q.state = 'queued' AND q.run_id IN (SELECT run_id FROM ranked"
				   "					 ORDER BY load, began, manual DESC, at NULLS FIRST,"
				   "							  requested_at, run_id"
				   "					 LIMIT $1)"
				   " RETURNING q.run_id",
				   &a, SPI_OK_UPDATE_RETURNING, false);
	for (uint64 i = 0; i < n; i++)
	{
		bool		isnull;
		int64	   *run_id = MemoryContextAlloc(cxt, sizeof(int64));
		MemoryContext old;

		*run_id = DatumGetInt64(MlsSqlDatum(i, "run_id", &isnull));
		/* the list outlives SPI */
		old = MemoryContextSwitchTo(cxt);
		claimed = lappend(claimed, run_id);
		MemoryContextSwitchTo(old);
	}
	return claimed;
}

/*
 * Record the pid of a claimed run's worker (inside SPI).  The worker may
 * have set it already; -1 only means "being started".
 */
void
MlsQueueSetWorkerPid(int64 run_id, int pid)
{
	MlsSqlArgs	a = {0};

	MlsArgInt8(&a, run_id);
	MlsArgInt4(&a, pid, false);
	MlsSqlExec("UPDATE mlsync.mls_sync_queue SET worker_pid = $2"
			   " WHERE run_id = $1 AND worker_pid = -1",
			   &a, SPI_OK_UPDATE, false);
}

/*
 * Milliseconds until the earliest queued run becomes due, at most at_most
 * (inside SPI).
 */
long
MlsQueueMsUntilDue(long at_most)
{
	bool		isnull;
	Datum		d;

	MlsSqlExec("SELECT extract(epoch FROM min(not_before) - now()) * 1000 AS ms"
			   " FROM mlsync.mls_sync_queue WHERE state = 'queued'",
			   NULL, SPI_OK_SELECT, true);
	d = MlsSqlDatum(0, "ms", &isnull);
	if (!isnull)
	{
		double		ms = DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));

		at_most = Min(at_most, (long) Max(ms, 0) + 10);
	}
	return at_most;
}

/*
 * Runs whose process is gone (a worker that crashed or was killed, a
 * backend that ran mls_sync(wait => true) and died) are marked interrupted
 * and queued again at once (inside SPI): the next run resumes from the
 * watermark (a full run from the position its last batch reached), so
 * nothing is lost and nothing written twice.
 *
 * A worker is known to the launcher before it shows in pg_stat_activity,
 * so the runs of workers the launcher knows alive (live_runs) are never
 * reaped, and a worker_pid of -1 (being started) is left alone unless the
 * launcher itself is starting.  Returns how many runs were requeued.
 *
 * With a tenant and connection, only that connection's runs are reaped and
 * none is queued again: a request worker does so where no launcher runs
 * (and reaps), for the request it is about to queue.
 */
int
MlsQueueReapInterrupted(bool launcher_starting, int64 *live_runs, int nlive,
						const char *tenant, const char *connection)
{
	MlsSqlArgs	a = {0};
	bool		isnull;

	MlsArgBool(&a, launcher_starting);
	MlsArgInt8Array(&a, live_runs, nlive);
	MlsArgTimestamptz(&a, GetCurrentTransactionStartTimestamp(), false);

	/*
	 * The processes alive, read apart from the queue: a local catalog joined
	 * to a distributed table is not a statement a distributed database runs
	 * (docs/scaling.md).
	 */
	if (MlsSqlExec("SELECT coalesce(array_agg(pid), '{}') AS pids FROM pg_catalog.pg_stat_activity",
				   NULL, SPI_OK_SELECT, false) != 1)
		elog(ERROR, "could not read pg_stat_activity");
	MlsArgDatum(&a, INT4ARRAYOID, MlsSqlDatum(0, "pids", &isnull), false);
	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	return (int) MlsSqlExec("WITH dead AS ("
							"  DELETE FROM mlsync.mls_sync_queue q"
							"   WHERE q.state = 'running' AND q.run_id <> ALL ($2)"
							"	 AND ($1 OR q.worker_pid IS DISTINCT FROM -1)"
							"	 AND (q.worker_pid IS NULL OR q.worker_pid <> ALL ($4))"
							"	 AND ($5::text IS NULL OR (q.tenant_id = $5 AND q.connection = $6))"
							"  RETURNING q.*),"
							" ended AS ("
							"  UPDATE mlsync.mls_sync_history h SET state = 'interrupted',"
							"	 finished_at = $3,"
							"	 message = 'the process running the sync ended before it did'"
							"	FROM dead WHERE h.tenant_id = dead.tenant_id AND h.run_id = dead.run_id"
							"	 AND h.state = 'running'),"
							" never_started AS ("
							"  INSERT INTO mlsync.mls_sync_history (tenant_id, run_id, connection,"
							"   mode, trigger, listing_key, requested_at, state, finished_at, message,"
							"   requested_by)"
							"  SELECT d.tenant_id, d.run_id, d.connection, d.mode, d.trigger,"
							"		   d.listing_key, d.requested_at, 'interrupted', $3,"
							"		   'the process that was to run the sync ended before it began',"
							"		   d.requested_by"
							"	 FROM dead d"
							"	WHERE NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_history h"
							"					 WHERE h.tenant_id = d.tenant_id AND h.run_id = d.run_id))"
							" INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode,"
							"  listing_key, trigger, requested_by, resume_raw)"
							" SELECT d.tenant_id, d.connection, d.mode, d.listing_key, 'retry',"
							"		  d.requested_by,"
							"		  CASE WHEN d.mode = 'full' THEN d.resume_raw END"
							"   FROM dead d"
							"  WHERE d.mode <> 'dry_run' AND $5::text IS NULL"
							"	 AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue q"
							"					WHERE q.tenant_id = d.tenant_id"
							"					  AND q.connection = d.connection"
							"					  AND q.state = 'queued')",
							&a, SPI_OK_INSERT, false);
}

/*
 * Cancel the queued runs of disabled connections (inside SPI); returns how
 * many.  Disabling a connection cancels its queued runs (the trigger
 * mls_connections_enabled_changed), but passes over the rows another
 * transaction holds at that moment (a request joining a queued run, a run
 * yielding its worker), and a request, or a run reaped here, may queue one
 * after a disable it did not yet see.  Each launcher round cancels what is
 * left, passing over the rows held now (the next round takes them), so a
 * waiter on such a run is told at once instead of waiting for the
 * connection to be enabled again.
 */
int64
MlsQueueCancelOfDisabled(void)
{
	bool		isnull;

	MlsSqlExec("SELECT coalesce(sum(mlsync.mls_cancel_queued_runs(t.tenant_id, t.run_ids,"
			   "  'the connection was disabled')), 0)::bigint AS canceled"
			   " FROM (SELECT d.tenant_id, array_agg(d.run_id) AS run_ids"
			   "	   FROM (SELECT q.tenant_id, q.run_id FROM mlsync.mls_sync_queue q"
			   "			   JOIN mlsync.mls_connections c USING (tenant_id, connection)"
			   "			  WHERE q.state = 'queued' AND NOT c.enabled"
			   "			    FOR UPDATE OF q SKIP LOCKED) d"
			   "	  GROUP BY d.tenant_id) t",
			   NULL, SPI_OK_SELECT, false);
	return DatumGetInt64(MlsSqlDatum(0, "canceled", &isnull));
}

/*
 * A claimed run that could not even be started (its worker could not be
 * launched, or its first transaction failed or was canceled): record it as
 * failed or canceled so that mls_sync_wait() returns.  Connects to SPI
 * itself (also from inside SPI, as the launcher calls it).
 */
void
MlsQueueEndUnstarted(int64 run_id, bool canceled, const char *message)
{
	MlsSqlArgs	a = {0};

	MlsArgInt8(&a, run_id);
	MlsArgText(&a, message);
	MlsArgText(&a, canceled ? "canceled" : "failed");
	MlsSqlConnect();
	MlsSqlExec("WITH q AS (DELETE FROM mlsync.mls_sync_queue WHERE run_id = $1 RETURNING *)"
			   " INSERT INTO mlsync.mls_sync_history (tenant_id, run_id, connection, mode, trigger,"
			   "  listing_key, requested_at, state, finished_at, message, requested_by)"
			   " SELECT tenant_id, run_id, connection, mode, trigger, listing_key, requested_at,"
			   "		  $3, now(), $2, requested_by FROM q"
			   /* a run that yielded its worker has its history row */
			   " ON CONFLICT (tenant_id, run_id) DO UPDATE SET state = excluded.state,"
			   "  finished_at = excluded.finished_at, message = excluded.message",
			   &a, SPI_OK_INSERT, false);
	SPI_finish();
}

/*
 * A run's queue row, copied into cxt.
 */
MlsQueueEntry *
MlsQueueLoad(int64 run_id, MemoryContext cxt)
{
	MlsQueueEntry *entry = MemoryContextAllocZero(cxt, sizeof(MlsQueueEntry));
	MlsSqlArgs	a = {0};

	MlsSqlConnect();
	MlsArgInt8(&a, run_id);
	if (MlsSqlExec("SELECT tenant_id, connection, mode, trigger, listing_key, turns,"
				   "  resume_raw"
				   " FROM mlsync.mls_sync_queue WHERE run_id = $1",
				   &a, SPI_OK_SELECT, false) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("sync run " INT64_FORMAT " is not queued", run_id)));
	entry->tenant = MlsSqlText(0, "tenant_id", cxt);
	entry->connection = MlsSqlText(0, "connection", cxt);
	entry->mode = MlsSqlText(0, "mode", cxt);
	entry->trigger = MlsSqlText(0, "trigger", cxt);
	entry->listing_key = MlsSqlText(0, "listing_key", cxt);
	entry->resume_raw = MlsSqlText(0, "resume_raw", cxt);
	{
		bool		isnull;
		MlsSqlArgs	h = {0};

		/* claimed by the launcher: this turn is counted already */
		entry->resumed = DatumGetInt32(MlsSqlDatum(0, "turns", &isnull)) > 1;
		/* a run taking its next turn has its history row, with its start */
		MlsArgText(&h, entry->tenant);
		MlsArgInt8(&h, run_id);
		if (MlsSqlExec("SELECT started_at FROM mlsync.mls_sync_history"
					   " WHERE tenant_id = $1 AND run_id = $2",
					   &h, SPI_OK_SELECT, false) == 1)
			entry->first_started_at = DatumGetTimestampTz(MlsSqlDatum(0, "started_at", &isnull));
	}
	SPI_finish();
	return entry;
}

/*
 * Mark a run started by process pid: the queue row, the connection's
 * status (last_attempt_at also tells the launcher which tenant had a
 * worker last), and the run's history row, which a run that yielded its
 * worker before already has.
 */
void
MlsQueueStart(int64 run_id, int pid)
{
	MlsSqlArgs	a = {0};

	MlsSqlConnect();
	MlsArgInt8(&a, run_id);
	MlsArgInt4(&a, pid, false);
	MlsSqlExec("WITH q AS ("
			   "  UPDATE mlsync.mls_sync_queue SET state = 'running', started_at = now(),"
			   "	 worker_pid = $2"
			   "   WHERE run_id = $1"
			   "  RETURNING tenant_id, run_id, connection, mode, trigger, listing_key, requested_at,"
			   "	 requested_by),"
			   " s AS ("
			   "  UPDATE mlsync.mls_sync_status s SET last_attempt_at = now(), last_run_id = q.run_id"
			   "	  FROM q WHERE s.tenant_id = q.tenant_id AND s.connection = q.connection"
			   "  RETURNING s.watermark_raw)"
			   " INSERT INTO mlsync.mls_sync_history AS h"
			   "  (tenant_id, run_id, connection, mode, trigger, listing_key, requested_at, worker_pid,"
			   "   watermark_from, requested_by)"
			   " SELECT q.tenant_id, q.run_id, q.connection, q.mode, q.trigger, q.listing_key,"
			   "		  q.requested_at, $2, (SELECT watermark_raw FROM s), q.requested_by"
			   "   FROM q"
			   /* a run taking its next turn keeps its row, start and counts */
			   " ON CONFLICT (tenant_id, run_id) DO UPDATE SET worker_pid = excluded.worker_pid,"
			   "  worker_turns = h.worker_turns + 1",
			   &a, SPI_OK_INSERT, false);
	SPI_finish();
}

/*
 * Whether mls_sync_cancel() asked this run to stop.
 */
bool
MlsQueueCancelRequested(int64 run_id)
{
	MlsSqlArgs	a = {0};
	bool		result;

	MlsSqlConnect();
	MlsArgInt8(&a, run_id);
	result = MlsSqlExec("SELECT 1 FROM mlsync.mls_sync_queue WHERE run_id = $1 AND cancel_requested",
						&a, SPI_OK_SELECT, false) > 0;
	SPI_finish();
	return result;
}

/*
 * Whether a request was merged into this run while it ran (it then makes
 * one more pass from the new watermark); clears the request.  The run's
 * queue row is locked either way, to the end of the transaction: a request
 * merging into the run meanwhile waits, then either sees the run go on or,
 * when the transaction ends the run, finds no run to merge into and queues
 * its own (MlsQueueRequest).
 */
bool
MlsQueueTakeRerun(int64 run_id)
{
	MlsSqlArgs	a = {0};
	bool		result = false;

	MlsSqlConnect();
	MlsArgInt8(&a, run_id);
	if (MlsSqlExec("UPDATE mlsync.mls_sync_queue q SET rerun_requested = false"
				   "  FROM (SELECT run_id, rerun_requested FROM mlsync.mls_sync_queue"
				   "		 WHERE run_id = $1 FOR UPDATE) was"
				   " WHERE q.run_id = was.run_id"
				   " RETURNING was.rerun_requested",
				   &a, SPI_OK_UPDATE_RETURNING, false) == 1)
	{
		bool		isnull;

		result = DatumGetBool(MlsSqlDatum(0, "rerun_requested", &isnull));
	}
	SPI_finish();
	return result;
}

/*
 * Queue the retry of a failed run at not_before, in the run's mode, unless
 * the mode is not worth retrying (single, dry run, metadata) or another
 * run of the connection is queued already (inside SPI).
 */
void
MlsQueueRetry(const char *tenant, const char *connection, int64 run_id, TimestampTz not_before)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	MlsArgInt8(&a, run_id);
	MlsArgTimestamptz(&a, not_before, false);
	MlsSqlExec("INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode, trigger, not_before,"
			   "  requested_by)"
			   " SELECT $1, $2, h.mode, 'retry', $4, coalesce(h.requested_by, current_user)"
			   "   FROM mlsync.mls_sync_history h"
			   "  WHERE h.run_id = $3 AND h.mode IN ('full', 'incremental', 'reconcile')"
			   "	AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue q"
			   "				   WHERE q.tenant_id = $1 AND q.connection = $2 AND q.run_id <> $3"
			   "					 AND q.state = 'queued')",
			   &a, SPI_OK_INSERT, false);
}

/*
 * Remove an ended run's queue row (inside SPI).
 */
void
MlsQueueRemove(int64 run_id)
{
	MlsSqlArgs	a = {0};

	MlsArgInt8(&a, run_id);
	MlsSqlExec("DELETE FROM mlsync.mls_sync_queue WHERE run_id = $1", &a, SPI_OK_DELETE, false);
}

/*
 * Whether a run of another connection waits for a worker (inside SPI): due,
 * of an enabled connection that has no run running.  A run that holds a
 * worker asks this between batches to decide whether to yield it; never
 * when its own connection was disabled meanwhile (it then finishes).
 */
bool
MlsQueueOthersWaiting(const char *tenant, const char *connection)
{
	MlsSqlArgs	a = {0};
	bool		isnull;

	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	MlsArgTimestamptz(&a, GetCurrentTimestamp(), false);
	MlsSqlExec("SELECT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue q"
			   "  JOIN mlsync.mls_connections c USING (tenant_id, connection)"
			   " WHERE q.state = 'queued' AND q.not_before <= $3 AND c.enabled"
			   "   AND NOT (q.tenant_id = $1 AND q.connection = $2)"
			   "   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue r"
			   "				  WHERE r.tenant_id = q.tenant_id AND r.connection = q.connection"
			   "					AND r.state = 'running'))"
			   /* a disabled connection's run finishes: queued, it would be canceled */
			   " AND EXISTS (SELECT 1 FROM mlsync.mls_connections own"
			   "			 WHERE own.tenant_id = $1 AND own.connection = $2 AND own.enabled)"
			   " AS waiting",
			   &a, SPI_OK_SELECT, false);	/* a new snapshot: a disable since */
	return DatumGetBool(MlsSqlDatum(0, "waiting", &isnull));
}

/*
 * A run yields its worker (inside SPI): its queue row is queued again, to
 * be claimed like any other (after the runs that have not had a turn), and
 * remembers where a full run goes on (resume_raw; an incremental one goes
 * on from the connection's watermark).
 */
void
MlsQueueYield(int64 run_id, const char *resume_raw)
{
	MlsSqlArgs	a = {0};

	MlsArgInt8(&a, run_id);
	MlsArgText(&a, resume_raw);
	MlsSqlExec("UPDATE mlsync.mls_sync_queue SET state = 'queued', worker_pid = NULL,"
			   " started_at = NULL, resume_raw = $2"
			   " WHERE run_id = $1",
			   &a, SPI_OK_UPDATE, false);
}

/*
 * Remember, in a full run's batch transaction, where it goes on from
 * (inside SPI): a run whose process dies is queued again from there
 * (MlsQueueReapInterrupted) instead of reading everything again.
 */
void
MlsQueueKeepPosition(int64 run_id, const char *resume_raw)
{
	MlsSqlArgs	a = {0};

	MlsArgInt8(&a, run_id);
	MlsArgText(&a, resume_raw);
	MlsSqlExec("UPDATE mlsync.mls_sync_queue SET resume_raw = $2 WHERE run_id = $1",
			   &a, SPI_OK_UPDATE, false);
}
