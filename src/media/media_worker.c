/*-------------------------------------------------------------------------
 *
 * media_worker.c
 *	  Media workers: download a connection's pending media, store them,
 *	  check and derive the images, collect what no row shows any more, and
 *	  raise media_changed events.  Also the launcher's hook that starts
 *	  them, and mls_media_download(), which does the same in a session.
 *
 * Why workers of their own (docs/architecture.md, "Media"): photos are
 * 20-50 times the bytes of listing data.  Downloaded by the sync after each
 * batch, they would hold the next batch of listings, prices and statuses
 * back for minutes; in media workers, listings commit at their own pace
 * while photos follow, and a media backlog, an exhausted media budget or a
 * slow CDN never delays listing data.  The sync only notes what to fetch.
 *
 * A worker serves one connection at a time, under a session lock (locks.c),
 * and goes on to the next connection with work until none is left, then
 * exits; the launcher starts workers (up to mlsync.media_workers) while
 * work is due.  Work is committed in small groups: files are put in
 * storage and made durable, then the rows naming them commit, so a worker
 * killed at any point leaves at worst files no row names (harmless:
 * content-addressed, rewritten by the next download of the same bytes),
 * never a row naming a missing file, and nothing stored is downloaded
 * again.  Garbage collection and storing take one lock per tenant (storage
 * is per tenant), so a file is never deleted while a new row comes to name
 * it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "common/file_perm.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "media/media.h"
#include "media/media_derive.h"
#include "media/media_fetch.h"
#include "media/media_queue.h"
#include "media/media_storage.h"
#include "mlsync.h"
#include "tenancy/locks.h"

/*
 * Downloads recorded together (one storage flush, one transaction), or
 * after this long.  A flush of the storage waits for every write of the
 * filesystem, and the transfers wait meanwhile: fewer, larger groups keep
 * downloads near the network's speed; a crash re-downloads at most one
 * group.
 */
#define FLUSH_ITEMS 256
#define FLUSH_MS 3000
/* Objects derived per transaction (one storage flush) */
#define DERIVE_ITEMS 32
/* Least time between two worker starts by the launcher */
#define START_INTERVAL_MS 5000

PGDLLEXPORT void mlsync_media_worker_main(Datum arg) pg_attribute_noreturn();

PG_FUNCTION_INFO_V1(mls_media_download);

/* How work is committed */
typedef enum WorkMode
{
	WORK_BACKGROUND,			/* a media worker: transactions of its own */
	WORK_PROCEDURE,				/* CALL mls_media_download(): SPI_commit */
	WORK_ATOMIC					/* the same inside a transaction block: no commits */
} WorkMode;

typedef struct Work
{
	WorkMode	mode;
	MemoryContext cxt;			/* lives for one connection's work */
	MemoryContext batch_cxt;	/* reset per batch */
	MlsMediaConnection *mc;
	MlsMediaStore *store;
	MlsMediaHelper *helper;
	MlsMediaCounts counts;
	/* downloads ended and not yet recorded */
	MlsMediaJob **done;
	int			ndone;
	TimestampTz last_flush;
	bool		storage_failed; /* the storage refused a file: stop downloading */
	bool		in_unit;
} Work;

static TimestampTz last_worker_start = 0;

/*
 * Start a unit of work (a transaction, or nothing inside a transaction
 * block).
 */
static void
unit_begin(Work *w)
{
	MemoryContext old = CurrentMemoryContext;

	Assert(!w->in_unit);
	if (w->mode == WORK_BACKGROUND)
	{
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
	}
	w->in_unit = true;
	/* work goes on in the caller's context, which outlives the unit */
	MemoryContextSwitchTo(old);
}

static void
unit_commit(Work *w)
{
	MemoryContext old = CurrentMemoryContext;

	Assert(w->in_unit);
	if (w->mode == WORK_BACKGROUND)
	{
		PopActiveSnapshot();
		CommitTransactionCommand();
		pgstat_report_stat(false);
	}
	else if (w->mode == WORK_PROCEDURE)
		SPI_commit();
	w->in_unit = false;
	MemoryContextSwitchTo(old);
}

/*
 * Take the tenant's storage lock, for the time files are put or deleted
 * and the rows saying so commit.  A session lock, so it outlives the
 * commit; inside a transaction block, a transaction lock (released when it
 * commits).
 */
static void
lock_store(Work *w)
{
	(void) MlsLockTake(MLS_LOCK_MEDIA_STORE, w->mc->tenant, NULL, w->mode != WORK_ATOMIC, true);
}

static void
unlock_store(Work *w)
{
	if (w->mode == WORK_ATOMIC)
		return;
	MlsLockRelease(MLS_LOCK_MEDIA_STORE, w->mc->tenant, NULL);
}

/*
 * Whether a digest is in a List of strings.
 */
static bool
list_has(List *list, const char *value)
{
	ListCell   *lc;

	foreach(lc, list)
		if (strcmp(lfirst(lc), value) == 0)
			return true;
	return false;
}

/*
 * Record the downloads that ended: put each new file in storage (once per
 * digest; files the tenant already stores are dropped), make them durable,
 * and commit their rows.
 */
static void
flush(Work *w)
{
	char	  **keys;
	List	   *digests = NIL;
	List	   *existing;
	List	   *put = NIL;
	TimestampTz now = GetCurrentTimestamp();

	if (w->ndone == 0)
		return;
	keys = palloc0(sizeof(char *) * w->ndone);
	unit_begin(w);
	lock_store(w);
	for (int i = 0; i < w->ndone; i++)
		if (w->done[i]->outcome == MLS_MEDIA_OK)
			digests = lappend(digests, w->done[i]->sha256);
	existing = MlsMediaExistingObjects(w->mc->tenant, digests);
	for (int i = 0; i < w->ndone; i++)
	{
		MlsMediaJob *job = w->done[i];
		char	   *key;
		char	   *error = NULL;

		if (job->outcome != MLS_MEDIA_OK)
			continue;
		key = MlsMediaStorageKey(w->mc->tenant, job->sha256, job->extension);
		if (list_has(existing, job->sha256) || list_has(put, job->sha256))
		{
			/* the same bytes are stored already: nothing to write */
			(void) unlink(job->spool_path);
			keys[i] = key;
		}
		else if (MlsMediaStorePut(w->store, key, job->spool_path, job->sha256,
								  job->content_type, &error))
		{
			keys[i] = key;
			put = lappend(put, job->sha256);
		}
		else
		{
			/*
			 * Storage trouble is not the image's fault: the item stays
			 * pending without a key and is downloaded again after a
			 * backoff, however long the storage is away.  An outcome of
			 * RETRY would fail it for good after mlsync.media_max_attempts,
			 * a few seconds of an outage.
			 */
			job->error = psprintf("could not store the file in %s: %s",
								  MlsMediaStoreDescribe(w->store), error);
			(void) unlink(job->spool_path);
			w->storage_failed = true;
		}
	}
	MlsMediaStoreSync(w->store);
	MlsMediaRecord(w->mc, w->done, keys, w->ndone, now, &w->counts);
	unit_commit(w);
	unlock_store(w);
	w->ndone = 0;
	w->last_flush = GetCurrentTimestamp();
}

/*
 * A download ended (called by MlsMediaFetch, outside libcurl).
 */
static void
download_done(MlsMediaJob *job, void *arg)
{
	Work	   *w = arg;

	w->done[w->ndone++] = job;
	if (w->ndone >= FLUSH_ITEMS ||
		TimestampDifferenceExceeds(w->last_flush, GetCurrentTimestamp(), FLUSH_MS))
		flush(w);
}

/*
 * Download the connection's due pending media, batch by batch.  Stops when
 * none is left, the budget is spent, max_items were taken, or the storage
 * refused a file.
 */
static void
download(Work *w, int max_items)
{
	int			taken = 0;

	w->storage_failed = false;

	for (;;)
	{
		MlsMediaJob *jobs;
		int			njobs;
		int			want = mlsync_media_batch;
		bool		deferred = false;

		CHECK_FOR_INTERRUPTS();
		if (max_items > 0)
			want = Min(want, max_items - taken);
		if (want <= 0)
			break;
		MemoryContextReset(w->batch_cxt);
		MemoryContextSwitchTo(w->batch_cxt);
		unit_begin(w);
		jobs = MlsMediaClaim(w->mc, want, GetCurrentTimestamp(), &njobs);
		unit_commit(w);
		MemoryContextSwitchTo(w->batch_cxt);
		if (njobs == 0)
			break;
		taken += njobs;
		pgstat_report_activity(STATE_RUNNING,
							   psprintf("mlsync media: downloading %d items of %s/%s", njobs,
										w->mc->tenant, w->mc->connection));
		w->done = palloc(sizeof(MlsMediaJob *) * njobs);
		w->ndone = 0;
		w->last_flush = GetCurrentTimestamp();
		MlsMediaFetch(w->store, jobs, njobs, &w->mc->budget, download_done, w);
		flush(w);
		for (int i = 0; i < njobs; i++)
			deferred |= jobs[i].outcome == MLS_MEDIA_DEFERRED;
		/* a storage that refuses files: more downloads would be thrown away */
		if (deferred || w->storage_failed)
			break;
	}
}

/*
 * Check and derive the stored objects of the connection's media that are
 * not yet: each image goes to the helper; a group's derivatives are put in
 * storage, made durable once, and recorded in one transaction; a bad image
 * fails the items that show it.
 */
static void
derive(Work *w)
{
	if (!mlsync_media_derive)
		return;
	for (;;)
	{
		MlsMediaObject *objects;
		MlsMediaDerived *results;
		char	  **outdirs;
		bool	   *ready;
		char	  **unreadable;
		bool	   *gone;
		int			nunreadable = 0;
		int			n;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(w->batch_cxt);
		MemoryContextSwitchTo(w->batch_cxt);
		unit_begin(w);
		objects = MlsMediaObjectsToDerive(w->mc, DERIVE_ITEMS, GetCurrentTimestamp(), &n);
		unit_commit(w);
		MemoryContextSwitchTo(w->batch_cxt);
		if (n == 0)
			break;
		pgstat_report_activity(STATE_RUNNING,
							   psprintf("mlsync media: deriving %d images of %s/%s", n,
										w->mc->tenant, w->mc->connection));
		if (w->helper == NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(w->cxt);

			w->helper = MlsMediaHelperStart();
			MemoryContextSwitchTo(old);
		}
		results = palloc0(sizeof(MlsMediaDerived) * n);
		outdirs = palloc0(sizeof(char *) * n);
		ready = palloc0(sizeof(bool) * n);
		unreadable = palloc0(sizeof(char *) * n);
		gone = palloc0(sizeof(bool) * n);

		/* the images, one by one, through the helper */
		for (int i = 0; i < n; i++)
		{
			bool		is_spool = false;
			char	   *error = NULL;
			char	   *input;

			CHECK_FOR_INTERRUPTS();
			outdirs[i] = MlsMediaSpoolPath(w->store, "derive");
			if (mkdir(outdirs[i], pg_dir_create_mode) != 0)
				ereport(ERROR,
						(errcode_for_file_access(),
						 errmsg("could not create directory \"%s\": %m", outdirs[i])));
			input = MlsMediaStoreFetch(w->store, objects[i].storage_key, objects[i].bytes,
									   &is_spool, &gone[i], &error);
			if (input == NULL)
			{
				/* the original cannot be read now: tried again later */
				ereport(WARNING,
						(errmsg("mlsync media: %s", error)));
				unreadable[i] = error;
				nunreadable++;
				continue;
			}
			MlsMediaDerive(w->helper, input, outdirs[i], &results[i]);
			if (is_spool)
				(void) unlink(input);
			ready[i] = true;
		}

		/* their derivatives stored, durable, then recorded together */
		unit_begin(w);
		lock_store(w);
		for (int i = 0; i < n; i++)
		{
			MlsMediaDerived *derived = &results[i];
			const char *keys[MLS_MEDIA_MAX_DERIVATIVES];
			bool		stored = true;

			if (unreadable[i])
				MlsMediaRecordUnreadable(w->mc, objects[i].sha256, unreadable[i], gone[i],
										 GetCurrentTimestamp());
			if (!ready[i])
				continue;
			for (int j = 0; derived->ok && j < derived->nderivatives; j++)
			{
				MlsMediaDerivative *d = &derived->derivatives[j];
				bool		jpeg = strcmp(d->format, "jpeg") == 0;
				char	   *error = NULL;

				keys[j] = MlsMediaStorageKey(w->mc->tenant, objects[i].sha256,
											 psprintf("-%d.%s", d->requested, jpeg ? "jpg" : "webp"));
				if (!MlsMediaStorePut(w->store, keys[j], d->path, NULL,
									  jpeg ? "image/jpeg" : "image/webp", &error))
				{
					/* storage trouble: the image is fine, try again next round */
					ereport(WARNING,
							(errmsg("mlsync media: could not store a derivative: %s", error)));
					stored = false;
					break;
				}
			}
			if (!stored)
				continue;
			MlsMediaRecordDerived(w->mc, objects[i].sha256, derived, keys, GetCurrentTimestamp());
			if (derived->ok)
				w->counts.derived++;
			else
				w->counts.failed++;
		}
		MlsMediaStoreSync(w->store);
		unit_commit(w);
		unlock_store(w);
		/* whatever the helper wrote, a failed derivation's files too */
		for (int i = 0; i < n; i++)
		{
			if (outdirs[i])
				(void) rmtree(outdirs[i], true);
		}

		/*
		 * Not one of the group could be read: the storage is likely down.
		 * Stop here rather than try every object waiting (each read may take
		 * the whole timeout); they back off, and a later round goes on.
		 */
		if (nunreadable == n)
			break;
	}
}

/*
 * Delete the objects no item shows any more, then their files: each file
 * leaves mls_media_garbage once the storage has deleted it, so a storage
 * that refuses keeps the list for the next round.  Under the storage lock,
 * so a file is never deleted while a download comes to store the same
 * bytes.  Not inside a transaction block: the files would go before the
 * rows that name them.
 */
static void
collect_garbage(Work *w)
{
	if (w->mode == WORK_ATOMIC)
		return;
	MemoryContextReset(w->batch_cxt);
	MemoryContextSwitchTo(w->batch_cxt);
	unit_begin(w);
	lock_store(w);
	PG_TRY();
	{
		MlsMediaCollectObjects(w->mc->tenant);
		unit_commit(w);
		for (;;)
		{
			List	   *keys;
			ListCell   *lc;
			int			deleted = 0;

			CHECK_FOR_INTERRUPTS();
			unit_begin(w);
			keys = MlsMediaGarbage(w->mc->tenant, FLUSH_ITEMS);
			foreach(lc, keys)
			{
				char	   *error = NULL;

				if (MlsMediaStoreDelete(w->store, lfirst(lc), &error))
				{
					w->counts.deleted_files++;
					deleted++;
				}
				MlsMediaGarbageDone(w->mc->tenant, lfirst(lc), error);
			}
			MlsMediaStoreSync(w->store);
			unit_commit(w);
			/* done, or the storage refuses: the next round goes on */
			if (keys == NIL || deleted == 0)
				break;
		}
	}
	PG_FINALLY();
	{
		unlock_store(w);
	}
	PG_END_TRY();
}

/*
 * All the media work of one connection.
 */
static void
work_connection(Work *w, const char *tenant, const char *connection, int max_items)
{
	MemoryContext old = MemoryContextSwitchTo(w->cxt);

	unit_begin(w);
	MemoryContextSwitchTo(w->cxt);
	w->mc = MlsMediaLoadConnection(tenant, connection, GetCurrentTimestamp());
	w->store = MlsMediaStoreOpen(tenant);
	unit_commit(w);

	if (strcmp(w->mc->photo_policy, "download") == 0)
	{
		download(w, max_items);
		derive(w);
	}
	collect_garbage(w);
	unit_begin(w);
	(void) MlsMediaRaiseEvents(tenant, connection);
	unit_commit(w);
	MemoryContextSwitchTo(old);
}

/*
 * Take the lock of a connection's media work (wait: block until it is
 * free); false when another process has it.
 */
static bool
lock_connection(const char *tenant, const char *connection, bool wait)
{
	return MlsLockTake(MLS_LOCK_MEDIA_CONNECTION, tenant, connection, true, wait);
}

static void
unlock_connection(const char *tenant, const char *connection)
{
	MlsLockRelease(MLS_LOCK_MEDIA_CONNECTION, tenant, connection);
}

/*
 * Whether the extension exists in this database.
 */
static bool
extension_installed(void)
{
	bool		installed;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'mlsync'", true, 1)
		!= SPI_OK_SELECT)
		elog(ERROR, "could not read pg_extension");
	installed = SPI_processed > 0;
	SPI_finish();
	return installed;
}

/*
 * A media worker: serve connections with media work until none is left.
 */
void
mlsync_media_worker_main(Datum arg)
{
	Oid			database;
	Work	   *w;

	memcpy(&database, MyBgworkerEntry->bgw_extra, sizeof(database));
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(database, InvalidOid, 0);
	pgstat_report_appname("mlsync media worker");

	w = MemoryContextAllocZero(TopMemoryContext, sizeof(Work));
	w->mode = WORK_BACKGROUND;
	w->cxt = AllocSetContextCreate(TopMemoryContext, "mlsync media work", ALLOCSET_DEFAULT_SIZES);
	w->batch_cxt = AllocSetContextCreate(w->cxt, "mlsync media batch", ALLOCSET_DEFAULT_SIZES);

	for (;;)
	{
		List	   *candidates;
		ListCell   *lc;
		char	   *tenant = NULL;
		char	   *connection = NULL;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(w->cxt);
		w->batch_cxt = AllocSetContextCreate(w->cxt, "mlsync media batch", ALLOCSET_DEFAULT_SIZES);
		w->helper = NULL;
		MemoryContextSwitchTo(w->cxt);
		unit_begin(w);
		MemoryContextSwitchTo(w->cxt);
		candidates = extension_installed() ?
			MlsMediaConnectionsWithWork(NULL, NULL, GetCurrentTimestamp(), 16) : NIL;
		unit_commit(w);
		foreach(lc, candidates)
		{
			List	   *pair = lfirst(lc);

			if (lock_connection(linitial(pair), lsecond(pair), false))
			{
				tenant = linitial(pair);
				connection = lsecond(pair);
				break;
			}
		}
		if (tenant == NULL)
			break;

		PG_TRY();
		{
			work_connection(w, tenant, connection, 0);
		}
		PG_CATCH();
		{
			/* log it and exit: the launcher starts another worker later */
			EmitErrorReport();
			proc_exit(1);
		}
		PG_END_TRY();
		unlock_connection(tenant, connection);
		pgstat_report_activity(STATE_IDLE, NULL);
	}
	proc_exit(0);
}

/*
 * (launcher hook) Start a media worker when media work is due and fewer
 * than mlsync.media_workers run.  Called by the launcher inside its
 * transaction, connected to SPI.
 */
void
MlsMediaLauncherRound(void)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	int64		running;
	bool		isnull;
	TimestampTz now = GetCurrentTimestamp();

	if (mlsync_media_workers <= 0 ||
		!TimestampDifferenceExceeds(last_worker_start, now, START_INTERVAL_MS))
		return;
	if (SPI_execute("SELECT count(*) FROM pg_catalog.pg_stat_activity"
					" WHERE backend_type = 'mlsync media worker'", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not count media workers");
	running = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (running >= mlsync_media_workers)
		return;
	if (MlsMediaConnectionsWithWork(NULL, NULL, now, 1) == NIL)
		return;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "mlsync");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "mlsync_media_worker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "mlsync media worker");
	snprintf(worker.bgw_type, BGW_MAXLEN, "mlsync media worker");
	memcpy(worker.bgw_extra, &MyDatabaseId, sizeof(Oid));
	worker.bgw_notify_pid = 0;
	if (RegisterDynamicBackgroundWorker(&worker, &handle))
	{
		last_worker_start = now;
		pfree(handle);
	}
	else
		ereport(WARNING,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("mlsync could not start a media worker"),
				 errhint("You might need to increase max_worker_processes.")));
}

/*
 * CALL mls_media_download(tenant, connection, max_items, INOUT stored ...)
 *
 * The media work of a tenant's downloading connections (or one), done in
 * this session.  Called on its own it commits as it goes, like a worker;
 * inside a transaction block it commits nothing and leaves garbage
 * collection to the workers.  Waits for a worker busy with the same
 * connection.
 */
Datum
mls_media_download(PG_FUNCTION_ARGS)
{
	char	   *tenant;
	char	   *connection = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	int			max_items = PG_ARGISNULL(2) ? 0 : PG_GETARG_INT32(2);
	bool		atomic = fcinfo->context == NULL || !IsA(fcinfo->context, CallContext) ||
		castNode(CallContext, fcinfo->context)->atomic;
	MemoryContext cxt;
	Work	   *w;
	List	   *connections;
	ListCell   *lc;
	TupleDesc	desc;
	Datum		values[6];
	bool		nulls[6] = {0};

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tenant must not be null")));
	tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));

	/* the work's memory outlives the commits */
	cxt = AllocSetContextCreate(TopMemoryContext, "mlsync media download", ALLOCSET_DEFAULT_SIZES);
	w = MemoryContextAllocZero(cxt, sizeof(Work));
	w->mode = atomic ? WORK_ATOMIC : WORK_PROCEDURE;
	w->cxt = AllocSetContextCreate(cxt, "mlsync media work", ALLOCSET_DEFAULT_SIZES);
	w->batch_cxt = AllocSetContextCreate(w->cxt, "mlsync media batch", ALLOCSET_DEFAULT_SIZES);

	if (SPI_connect_ext(atomic ? 0 : SPI_OPT_NONATOMIC) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PG_TRY();
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		connections = MlsMediaConnectionsWithWork(tenant, connection, GetCurrentTimestamp(), 1000);
		MemoryContextSwitchTo(old);
		foreach(lc, connections)
		{
			List	   *pair = lfirst(lc);

			(void) lock_connection(linitial(pair), lsecond(pair), true);
			PG_TRY();
			{
				work_connection(w, linitial(pair), lsecond(pair), max_items);
				MemoryContextReset(w->cxt);
				w->batch_cxt = AllocSetContextCreate(w->cxt, "mlsync media batch",
													 ALLOCSET_DEFAULT_SIZES);
				w->helper = NULL;
			}
			PG_FINALLY();
			{
				unlock_connection(linitial(pair), lsecond(pair));
			}
			PG_END_TRY();
		}
	}
	PG_CATCH();
	{
		MemoryContextDelete(cxt);
		PG_RE_THROW();
	}
	PG_END_TRY();
	SPI_finish();

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "mls_media_download must return a record");
	desc = BlessTupleDesc(desc);
	values[0] = Int64GetDatum(w->counts.stored);
	values[1] = Int64GetDatum(w->counts.failed);
	values[2] = Int64GetDatum(w->counts.retry_later);
	values[3] = Int64GetDatum(w->counts.bytes);
	values[4] = Int64GetDatum(w->counts.derived);
	values[5] = Int64GetDatum(w->counts.deleted_files);
	MemoryContextDelete(cxt);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
