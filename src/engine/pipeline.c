/*-------------------------------------------------------------------------
 *
 * pipeline.c
 *	  One sync run: a source yields records in batches, the mapping turns
 *	  them into rows of mls_listings, the writer upserts them.
 *
 * Transactions.  A background worker commits each batch in its own short
 * transaction: the batch's rows, their history rows and events (written by
 * the triggers), the errors noted while fetching it, the run's progress and
 * the connection's new watermark commit together, so a crash at any point
 * resumes exactly from the last committed batch.  Between batches no
 * transaction is open while the source waits on the network.
 *
 * In an ordinary backend (mls_sync(wait => true)) the run lives inside the
 * caller's transaction: every batch, and every stretch of network work, is
 * a subtransaction, so an error rolls back only what it interrupted and the
 * run's failure is still recorded.
 *
 * Memory.  The run's context holds what lives for the whole run (the
 * compiled mapping set, the prepared upsert, the HTTP client, the source);
 * the batch context is reset for every batch.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "mapping/convert.h"
#include "events/events.h"
#include "mapping/mapping.h"
#include "media/media.h"
#include "mlsync.h"
#include "engine/pipeline.h"
#include "transport/source.h"
#include "engine/store.h"
#include "engine/writer.h"

typedef struct Run
{
	bool		background;
	MemoryContext run_cxt;
	MemoryContext batch_cxt;
	MemoryContext record_cxt;	/* reset for every record mapped */
	MlsRunInfo *info;
	MlsMappingSet *set;
	MlsWriter  *writer;
	MlsSource  *source;
	MlsRunCounters counters;
	MlsSourceRecord *records;
	int			batch_size;
	int64		keys_seen;		/* reconcile */
	char	   *watermark_to;
	char	   *committed_checkpoint;	/* a copy of the checkpoint last stored */

	/* the unit (transaction or subtransaction) in progress */
	bool		in_unit;
	ResourceOwner saved_owner;
} Run;

/*
 * Start a unit of work: a transaction in a worker, a subtransaction in a
 * backend.  Work continues in the batch context.
 */
static void
unit_begin(Run *run)
{
	Assert(!run->in_unit);
	if (run->background)
	{
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
	}
	else
	{
		run->saved_owner = CurrentResourceOwner;
		BeginInternalSubTransaction(NULL);
	}
	run->in_unit = true;
	MemoryContextSwitchTo(run->batch_cxt);
}

static void
unit_commit(Run *run)
{
	Assert(run->in_unit);
	if (run->background)
	{
		PopActiveSnapshot();
		CommitTransactionCommand();
		pgstat_report_stat(false);
	}
	else
	{
		ReleaseCurrentSubTransaction();
		CurrentResourceOwner = run->saved_owner;
	}
	run->in_unit = false;
	MemoryContextSwitchTo(run->batch_cxt);
}

/*
 * Roll back whatever unit an error interrupted.  In a worker, also when no
 * unit was open: the error may have come from between units.
 */
static void
unit_abort(Run *run)
{
	if (run->background)
		AbortCurrentTransaction();
	else if (run->in_unit)
	{
		RollbackAndReleaseCurrentSubTransaction();
		CurrentResourceOwner = run->saved_owner;
	}
	run->in_unit = false;
	MemoryContextSwitchTo(run->run_cxt);
}

/*
 * Network work (the source fetching) is a unit of its own in a backend, so
 * its errors can be rolled back; a worker needs no transaction for it.
 */
static void
network_begin(Run *run)
{
	if (!run->background)
		unit_begin(run);
}

static void
network_end(Run *run)
{
	if (!run->background)
		unit_commit(run);
}

/*
 * The process's private memory now (anonymous resident set: palloc'd
 * memory, libcurl's and libxml2's buffers; shared buffers excluded).
 */
static int64
private_memory_bytes(void)
{
	FILE	   *f = fopen("/proc/self/status", "r");
	char		line[256];
	int64		kb = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
	{
		if (strncmp(line, "RssAnon:", 8) == 0)
		{
			kb = strtoll(line + 8, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb * 1024;
}

/*
 * Note a record the run skips.
 */
static void
note_skipped(Run *run, const char *key, const char *fmt, const char *detail)
{
	MlsSourceNote(run->source, MLS_ERR_DATA, MLS_SKIPPED, 0, -1, key, NULL, 1, fmt, detail);
}

/*
 * qsort comparator: by key, then by position (so the last one of equal
 * keys can be kept).
 */
typedef struct KeyedRow
{
	char	   *key;
	int			position;
	Datum		row;
	int64		hash;
} KeyedRow;

static int
compare_keyed_rows(const void *a, const void *b)
{
	const KeyedRow *ra = a;
	const KeyedRow *rb = b;
	int			cmp = strcmp(ra->key, rb->key);

	if (cmp != 0)
		return cmp;
	return ra->position - rb->position;
}

/*
 * Keep one row per key, the last the source sent: ON CONFLICT cannot touch
 * a row twice in one statement, and a page read twice sends keys twice.
 */
static int
distinct_rows(KeyedRow *rows, int n)
{
	int			m = 0;

	qsort(rows, n, sizeof(KeyedRow), compare_keyed_rows);
	for (int i = 0; i < n; i++)
	{
		if (i + 1 < n && strcmp(rows[i].key, rows[i + 1].key) == 0)
			continue;
		rows[m++] = rows[i];
	}
	return m;
}

/*
 * Map and write one batch (inside a unit).
 */
static void
process_batch(Run *run, int n)
{
	MlsRunInfo *info = run->info;
	MlsMappingSet *set = run->set;
	MlsSource  *source = run->source;
	TupleDesc	desc = set->tupdesc;
	int			natts = desc->natts;
	Datum	   *values = palloc(sizeof(Datum) * natts);
	bool	   *nulls = palloc(sizeof(bool) * natts);
	KeyedRow   *rows = palloc(sizeof(KeyedRow) * Max(n, 1));
	char	  **gone = palloc(sizeof(char *) * Max(n, 1));
	int			nrows = 0;
	int			ngone = 0;
	TimestampTz now = GetCurrentTimestamp();
	int			tenant_att = SPI_fnumber(desc, "tenant_id");
	int			connection_att = SPI_fnumber(desc, "connection");
	int			first_seen_att = SPI_fnumber(desc, "first_seen_at");
	int			last_synced_att = SPI_fnumber(desc, "last_synced_at");
	int			overrides_att = SPI_fnumber(desc, "local_overrides");
	Datum		empty_object = JsonbPGetDatum(set->empty_object);

	for (int i = 0; i < n; i++)
	{
		MlsSourceRecord *r = &run->records[i];
		MlsMapError error;

		run->counters.seen++;
		if (source->mode == MLS_FETCH_KEYS)
		{
			if (r->key)
				gone[ngone++] = r->key; /* here: keys seen */
			else
				note_skipped(run, NULL, "%s", r->problem ? r->problem : "a record without a key");
			continue;
		}
		if (r->gone)
		{
			gone[ngone++] = r->key;
			continue;
		}
		if (r->record == NULL)
		{
			note_skipped(run, r->key, "%s", r->problem);
			continue;
		}
		/*
		 * Mapping leaves garbage (converted values, extra being built) that
		 * would add up over a batch: it goes in a context reset per record,
		 * and only the finished row is formed in the batch context.
		 */
		MemoryContextReset(run->record_cxt);
		MemoryContextSwitchTo(run->record_cxt);
		if (!MlsMapRecord(set, r->record, values, nulls, &error))
		{
			char	   *message;
			char	   *detail;

			MemoryContextSwitchTo(run->batch_cxt);
			MlsMapErrorMessage(set, &error, &message, &detail);
			MlsSourceNote(source, MLS_ERR_DATA, MLS_SKIPPED, 0, -1, r->key, NULL, 1,
						  "%s%s%s", message, detail ? ". " : "", detail ? detail : "");
			continue;
		}
		MemoryContextSwitchTo(run->batch_cxt);
		values[tenant_att - 1] = CStringGetTextDatum(info->tenant);
		nulls[tenant_att - 1] = false;
		values[connection_att - 1] = CStringGetTextDatum(info->connection);
		nulls[connection_att - 1] = false;
		values[first_seen_att - 1] = TimestampTzGetDatum(now);
		nulls[first_seen_att - 1] = false;
		values[last_synced_att - 1] = TimestampTzGetDatum(now);
		nulls[last_synced_att - 1] = false;
		values[overrides_att - 1] = empty_object;
		nulls[overrides_att - 1] = false;

		rows[nrows].key = TextDatumGetCString(values[set->listing_key_attnum - 1]);
		rows[nrows].position = i;
		rows[nrows].hash = DatumGetInt64(values[set->raw_hash_attnum - 1]);
		rows[nrows].row = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
		nrows++;
	}

	if (source->mode == MLS_FETCH_KEYS)
	{
		MlsWriterSeeKeys(run->writer, info->run_id, gone, ngone);
		run->keys_seen += ngone;
	}
	else if (nrows > 0 || ngone > 0)
	{
		Datum	   *datums = palloc(sizeof(Datum) * Max(nrows, 1));
		char	  **keys = palloc(sizeof(char *) * Max(nrows, 1));
		int64	   *hashes = palloc(sizeof(int64) * Max(nrows, 1));
		MlsWriteResult result;
		int			m = distinct_rows(rows, nrows);

		for (int i = 0; i < m; i++)
		{
			datums[i] = rows[i].row;
			keys[i] = rows[i].key;
			hashes[i] = rows[i].hash;
		}
		if (strcmp(info->mode, "dry_run") == 0)
			MlsWriterPreview(run->writer, keys, hashes, m, &result);
		else
			MlsWriterUpsert(run->writer, datums, keys, m, &result);
		run->counters.inserted += result.inserted;
		run->counters.updated += result.updated;
		run->counters.unchanged += result.unchanged + (nrows - m);
		source->notes = list_concat(source->notes, result.failed);

		if (ngone > 0)
		{
			int64		removed;
			int64		flagged;

			MlsWriterRemoveKeys(run->writer, gone, ngone, &removed, &flagged);
			run->counters.removed += removed;
			run->counters.flagged += flagged;
		}

		/* media hook: what the batch's listings need of their media */
		if (strcmp(info->mode, "dry_run") != 0)
		{
			char	  **touched = palloc(sizeof(char *) * (m + ngone + 1));

			memcpy(touched, keys, sizeof(char *) * m);
			memcpy(touched + m, gone, sizeof(char *) * ngone);
			MlsMediaAfterBatch(info->tenant, info->connection, touched, m + ngone);
		}

		/* the tenant's quota: the batch that would exceed it is not kept */
		if (info->max_listings >= 0 &&
			info->listings_before + run->counters.inserted > info->max_listings)
		{
			source->failure = palloc0(sizeof(MlsSourceError));
			source->failure->category = MLS_ERR_CONFIG;
			source->failure->retry_state = MLS_FAILED;
			source->failure->reply_code = -1;
			source->failure->attempt = 1;
			source->failure->message =
				psprintf("tenant \"%s\" reached its quota of " INT64_FORMAT " listings",
						 info->tenant, info->max_listings);
			ereport(ERROR,
					(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
					 errmsg("%s", source->failure->message),
					 errhint("Raise max_listings with mlsync.mls_create_tenant().")));
		}
	}

	/* errors noted while fetching and writing this batch */
	{
		ListCell   *lc;

		foreach(lc, source->notes)
		{
			if (((MlsSourceError *) lfirst(lc))->retry_state == MLS_SKIPPED)
				run->counters.errors++;
		}
		MlsStoreErrors(info, source->notes);
		source->notes = NIL;
	}

	/* the watermark moves with the batch that reached it */
	if ((strcmp(info->mode, "incremental") == 0 || strcmp(info->mode, "full") == 0) &&
		source->checkpoint_timestamp && source->checkpoint_key)
	{
		TimestampTz ts;

		if (MlsParseTimestamptz(source->checkpoint_timestamp,
								strlen(source->checkpoint_timestamp),
								set->source_zone, &ts))
		{
			MlsStoreWatermark(info, source->checkpoint_timestamp, source->checkpoint_key, ts);
			if (run->committed_checkpoint)
				pfree(run->committed_checkpoint);
			run->committed_checkpoint = MemoryContextStrdup(run->run_cxt,
															source->checkpoint_timestamp);
			run->watermark_to = MemoryContextStrdup(run->run_cxt, source->checkpoint_timestamp);
		}
	}

	run->counters.requests = source->requests;
	run->counters.bytes = source->bytes;
	run->counters.total_expected = source->total_expected;
	run->counters.peak_memory = Max(run->counters.peak_memory, private_memory_bytes());
	MlsStoreProgress(info, &run->counters);

	if (MlsStoreCancelRequested(info))
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("sync run " INT64_FORMAT " canceled by mls_sync_cancel()", info->run_id)));
}

/*
 * Make the source for the run's mode, from the current watermark.
 */
static void close_source(Run *run);

static void
open_source(Run *run, const char *mode)
{
	MlsRunInfo *info = run->info;
	MlsSource  *source;
	MemoryContext old;

	/* a second pass logs out first: RETS servers may allow one session */
	if (run->source)
		close_source(run);
	old = MemoryContextSwitchTo(run->run_cxt);

	source = palloc0(sizeof(MlsSource));
	source->cxt = run->run_cxt;
	source->config = info->config;
	if (strcmp(info->config->protocol, "reso") == 0)
		source->ops = &MlsResoSourceOps;
	else if (strcmp(info->config->protocol, "rets") == 0)
		source->ops = &MlsRetsSourceOps;
	else
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("protocol \"%s\" is not supported by this build", info->config->protocol)));
	if (run->source && run->source->http)
		source->http = run->source->http;	/* keep connections and cookies */
	else
		source->http = MlsHttpClientCreate(info->config->user_agent);

	if (strcmp(mode, "reconcile") == 0)
		source->mode = MLS_FETCH_KEYS;
	else if (strcmp(mode, "single") == 0)
	{
		source->mode = MLS_FETCH_ONE;
		source->single_key = info->listing_key;
	}
	else if (strcmp(mode, "metadata") == 0)
		source->mode = MLS_FETCH_NOTHING;
	else
	{
		source->mode = MLS_FETCH_CHANGES;
		if (strcmp(mode, "full") != 0)
		{
			source->from_timestamp = info->watermark_raw;
			source->from_key = info->watermark_key;
		}
	}
	MlsSourceInit(source);
	run->source = source;
	MemoryContextSwitchTo(old);

	network_begin(run);
	source->ops->open(source);
	network_end(run);
}

/*
 * Whether the source's checkpoint differs from the one last stored.
 */
static bool
checkpoint_moved(Run *run)
{
	const char *current = run->source->checkpoint_timestamp;

	if (current == NULL)
		return false;
	return run->committed_checkpoint == NULL || strcmp(current, run->committed_checkpoint) != 0;
}

/*
 * Fetch and store the source's metadata when the run asks for it (mode
 * metadata) or when the server's metadata version is not the one stored.
 */
static void
refresh_metadata(Run *run)
{
	MlsRunInfo *info = run->info;
	MlsSource  *source = run->source;
	bool		asked = strcmp(info->mode, "metadata") == 0;
	List	   *tables;

	if (source->ops->metadata == NULL)
	{
		if (asked)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("a metadata run needs a RETS connection; \"%s\" is %s",
							info->connection, info->config->protocol)));
		return;
	}
	if (!asked && info->metadata_fetched &&
		(source->metadata_version == NULL ||
		 (info->metadata_version && strcmp(info->metadata_version, source->metadata_version) == 0)))
		return;

	MemoryContextReset(run->batch_cxt);
	MemoryContextSwitchTo(run->batch_cxt);
	network_begin(run);
	tables = source->ops->metadata(source);
	network_end(run);

	unit_begin(run);
	MlsStoreMetadata(info, source->metadata_version, tables);
	MlsStoreErrors(info, source->notes);
	source->notes = NIL;
	unit_commit(run);
}

/*
 * The fields a RESO $select asks for: every mapped source field and the key
 * and timestamp the paging needs.
 */
static List *
select_fields(Run *run)
{
	List	   *fields = NIL;
	MlsSourceConfig *config = run->info->config;

	fields = lappend(fields, config->key_field);
	if (strcmp(config->timestamp_field, config->key_field) != 0)
		fields = lappend(fields, config->timestamp_field);
	for (int i = 0; i < run->set->nmappings; i++)
	{
		const char *field = run->set->mappings[i].source;
		ListCell   *lc;
		bool		found = false;

		foreach(lc, fields)
			found = found || strcmp(lfirst(lc), field) == 0;
		if (!found)
			fields = lappend(fields, pstrdup(field));
	}
	return fields;
}

/*
 * The batches of one pass over the source.
 */
static void
run_batches(Run *run)
{
	for (;;)
	{
		int			n;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(run->batch_cxt);
		MemoryContextSwitchTo(run->batch_cxt);

		network_begin(run);
		n = run->source->ops->next(run->source, run->records, run->batch_size);
		network_end(run);

		/* a source may move its checkpoint at the end, without records */
		if (n == 0 && run->source->notes == NIL &&
			!checkpoint_moved(run))
			break;
		unit_begin(run);
		process_batch(run, n);
		unit_commit(run);
		if (n == 0)
			break;
	}
}

/*
 * A reconcile run removes what it did not see, if it saw everything.
 */
static void
finish_reconcile(Run *run)
{
	MlsSource  *source = run->source;
	int64		listings = MlsWriterListingCount(run->writer);

	if (run->keys_seen == 0 && listings > 0)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 0, -1, NULL,
					  "the source listed no keys at all while " INT64_FORMAT
					  " listings are stored; nothing was removed", listings);
	if (source->total_expected > 0 && run->keys_seen < source->total_expected)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 0, -1, NULL,
					  "the key sweep saw " INT64_FORMAT " keys of the " INT64_FORMAT
					  " the source counted; nothing was removed",
					  run->keys_seen, source->total_expected);
	MlsWriterRemoveUnseen(run->writer, run->info->run_id,
						  &run->counters.removed, &run->counters.flagged);
	MlsWriterForgetSeen(run->writer, run->info->run_id);
	/* media hook: the media of removed listings are removed */
	MlsMediaAfterReconcile(run->info->tenant, run->info->connection);
}

/*
 * Units for the media hook, which commits its batches like the run's.
 */
static void
media_unit_begin(void *arg)
{
	unit_begin((Run *) arg);
}

static void
media_unit_commit(void *arg)
{
	unit_commit((Run *) arg);
}

/*
 * Close the source (log out), ignoring its errors: the run's outcome is
 * already decided.
 */
static void
close_source(Run *run)
{
	MlsSource  *source = run->source;

	if (source == NULL || source->state == NULL)
		return;
	PG_TRY();
	{
		network_begin(run);
		source->ops->close(source);
		network_end(run);
	}
	PG_CATCH();
	{
		FlushErrorState();
		unit_abort(run);
	}
	PG_END_TRY();
	source->state = NULL;
}

/*
 * What ended a run that raised, as an error row.
 */
static MlsSourceError *
failure_of(Run *run, ErrorData *edata)
{
	MlsSourceError *failure;

	if (run->source && run->source->failure)
		return run->source->failure;
	failure = palloc0(sizeof(MlsSourceError));
	failure->retry_state = MLS_FAILED;
	failure->reply_code = -1;
	failure->attempt = 1;
	failure->message = edata->detail ?
		psprintf("%s (%s)", edata->message, edata->detail) : pstrdup(edata->message);
	switch (edata->sqlerrcode)
	{
		case ERRCODE_INVALID_PARAMETER_VALUE:
		case ERRCODE_UNDEFINED_OBJECT:
		case ERRCODE_UNDEFINED_COLUMN:
		case ERRCODE_INVALID_OBJECT_DEFINITION:
		case ERRCODE_FEATURE_NOT_SUPPORTED:
		case ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE:
		case ERRCODE_CONFIG_FILE_ERROR:
		case ERRCODE_CONFIGURATION_LIMIT_EXCEEDED:
			failure->category = MLS_ERR_CONFIG;
			break;
		case ERRCODE_INVALID_PASSWORD:
		case ERRCODE_DATA_CORRUPTED:
			failure->category = MLS_ERR_AUTH;
			break;
		default:
			failure->category = MLS_ERR_INTERNAL;
			break;
	}
	return failure;
}

/*
 * Perform run run_id; see pipeline.h.
 */
void
MlsRunSync(int64 run_id, bool background)
{
	Run		   *run;
	MemoryContext caller_cxt = CurrentMemoryContext;
	MemoryContext run_cxt;
	bool		quiet_events;

	run_cxt = AllocSetContextCreate(background ? TopMemoryContext : CurrentMemoryContext,
									"mlsync run", ALLOCSET_DEFAULT_SIZES);
	run = MemoryContextAllocZero(run_cxt, sizeof(Run));
	run->background = background;
	run->run_cxt = run_cxt;
	run->batch_cxt = AllocSetContextCreate(run_cxt, "mlsync batch", ALLOCSET_DEFAULT_SIZES);
	run->record_cxt = AllocSetContextCreate(run_cxt, "mlsync record", ALLOCSET_DEFAULT_SIZES);
	run->counters.total_expected = -1;
	run->batch_size = mlsync_batch_size;
	run->records = MemoryContextAlloc(run_cxt, sizeof(MlsSourceRecord) * run->batch_size);

	/* the run's row first: even a failure to start is then recorded */
	unit_begin(run);
	run->info = MlsStoreLoadRun(run_id, run_cxt);
	MlsStoreStartRun(run->info);
	unit_commit(run);

	/*
	 * A connection's first load brings listings that are new to mlsync, not
	 * to the market: they get their history, but no events (no alert for
	 * every listing of the MLS on day one).
	 */
	quiet_events = run->info->first_load && mlsync_listing_events == MLS_LISTING_EVENTS_ON &&
		(strcmp(run->info->mode, "full") == 0 || strcmp(run->info->mode, "incremental") == 0);
	if (quiet_events)
		SetConfigOption("mlsync.listing_events", "history_only", PGC_SUSET, PGC_S_SESSION);

	PG_TRY();
	{
		MlsRunInfo *info = run->info;
		MemoryContext old;

		if (background)
			pgstat_report_activity(STATE_RUNNING,
								   psprintf("mlsync %s sync of %s/%s (run " INT64_FORMAT ")",
											info->mode, info->tenant, info->connection, run_id));

		unit_begin(run);
		MlsStoreLoadSecrets(info, run_cxt);
		old = MemoryContextSwitchTo(run_cxt);
		run->set = MlsCompileMappingSet(info->mapping_set);
		run->writer = MlsWriterCreate(run->set, info->tenant, info->connection);
		if (info->select_mapped_only)
			info->config->select_fields = select_fields(run);
		MemoryContextSwitchTo(old);
		unit_commit(run);

		open_source(run, info->mode);
		refresh_metadata(run);
		for (;;)
		{
			bool		rerun;

			if (run->source->mode == MLS_FETCH_NOTHING)
				break;

			run_batches(run);
			if (run->source->mode != MLS_FETCH_CHANGES || strcmp(info->mode, "dry_run") == 0)
				break;
			/* a request merged into this run: one more pass from the new watermark */
			unit_begin(run);
			rerun = MlsStoreTakeRerun(info);
			if (rerun)
				MlsStoreLoadWatermark(info, run_cxt);
			unit_commit(run);
			if (!rerun)
				break;
			open_source(run, "incremental");
		}

		/* media hook: the media lists the run's listings need, read with its source */
		if (run->source->mode == MLS_FETCH_CHANGES && strcmp(info->mode, "dry_run") != 0)
			MlsMediaReadLists(run->source, run->background, media_unit_begin,
							  media_unit_commit, run);

		unit_begin(run);
		if (run->source->mode == MLS_FETCH_KEYS)
			finish_reconcile(run);
		run->counters.requests = run->source->requests;
		run->counters.bytes = run->source->bytes;
		run->counters.total_expected = run->source->total_expected;
		MlsStoreErrors(info, run->source->notes);
		run->source->notes = NIL;
		MlsStoreFinishRun(info, MLS_RUN_SUCCEEDED, &run->counters, run->watermark_to, NULL);
		unit_commit(run);

		close_source(run);
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		MlsSourceError *failure;
		bool		canceled;

		MemoryContextSwitchTo(run_cxt);
		edata = CopyErrorData();
		FlushErrorState();
		unit_abort(run);
		canceled = edata->sqlerrcode == ERRCODE_QUERY_CANCELED;
		failure = failure_of(run, edata);
		close_source(run);

		if (background)
			ereport(WARNING,
					(errmsg("mlsync sync run " INT64_FORMAT " of %s/%s %s: %s", run_id,
							run->info->tenant, run->info->connection,
							canceled ? "canceled" : "failed", failure->message)));
		unit_begin(run);
		if (run->source)
		{
			run->counters.requests = run->source->requests;
			run->counters.bytes = run->source->bytes;
			MlsStoreErrors(run->info, run->source->notes);
		}
		MlsStoreFinishRun(run->info, canceled ? MLS_RUN_CANCELED : MLS_RUN_FAILED,
						  &run->counters, run->watermark_to, failure);
		unit_commit(run);
	}
	PG_END_TRY();

	if (quiet_events)
		SetConfigOption("mlsync.listing_events", "on", PGC_SUSET, PGC_S_SESSION);
	if (run->writer)
		MlsWriterDestroy(run->writer);
	if (run->info)
		MlsStoreWipeSecrets(run->info->config);
	MemoryContextSwitchTo(caller_cxt);
	MemoryContextDelete(run_cxt);
}
