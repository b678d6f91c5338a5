/*-------------------------------------------------------------------------
 *
 * pipeline.c
 *	  One sync run: a source yields records in batches, the mapping turns
 *	  them into rows of mls_listings, the writer upserts them.
 *
 * Folder src/engine/: how a run happens - the launcher and workers
 * (worker.c), one run's pipeline (this file), the writer's batched upsert
 * (writer.c) and the bookkeeping of runs, status and errors (store.c).  It
 * reaches a protocol only through transport/source.h: it may not include
 * libcurl, libxml2, reso/ or rets/ headers, and the writer knows no HTTP.
 *
 * Transactions.  A run always runs in a background worker (a sync worker
 * of the launcher, or the request worker of mls_sync(wait => true)), which
 * commits each batch in its own short transaction: the batch's rows, their
 * history rows and events (written by the triggers), the errors noted while
 * fetching it, the run's progress and the connection's new watermark commit
 * together, so a crash at any point resumes exactly from the last
 * committed batch.  Between batches no transaction is open while the
 * source waits on the network.
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
#include "stats/refresh.h"
#include "engine/pipeline.h"
#include "engine/queue.h"
#include "transport/source.h"
#include "support/sqlargs.h"
#include "engine/store.h"
#include "engine/worker.h"
#include "engine/writer.h"

typedef struct Run
{
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
	char	  **repair_keys;	/* reconcile: missing and stale keys to fetch */
	int			nrepair_keys;
	bool		list_sees_keys; /* ... and unseen ones, looked up before they
								 * are removed: its keys count as seen */
	int64		unreadable_lookups;	/* ... records of that list without a key */
	int64		earlier_requests;	/* of the run's sources before the current one */
	int64		earlier_bytes;
	char	   *watermark_to;
	char	   *committed_checkpoint;	/* a copy of the checkpoint last stored */
	/* counters and watermark_to as of the last commit: what a failure records */
	MlsRunCounters committed_counters;
	char	   *committed_watermark_to;

	bool		in_unit;		/* a transaction is open */
	ResourceOwner owner;		/* the run's between transactions */

	/* turns (a worker of the launcher) */
	bool		may_yield;		/* the pass may end the turn between batches */
	bool		yielded;		/* ... and did: the run is queued again */
	TimestampTz turn_started;
	char	   *turn_started_at;	/* the position the turn began from */
	int64		seen_before_turn;	/* records seen in earlier turns */

	/* the photo pass (photo_pass) */
	bool		photo_pass_due; /* the run owes one */
	bool		in_photo_pass;	/* ... and the source is it */
	bool		photo_stored;	/* photo_raw, photo_key are stored */
	char	   *photo_raw;		/* where the last one stopped (NULL: none yet) */
	char	   *photo_key;
	char	   *start_watermark;	/* the watermark the run began from */
	MlsSourceConfig *photo_config;
} Run;

/*
 * Start a unit of work: a transaction.  Work continues in the batch
 * context.
 */
static void
unit_begin(Run *run)
{
	Assert(!run->in_unit);
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	run->in_unit = true;
	MemoryContextSwitchTo(run->batch_cxt);
}

static void
unit_commit(Run *run)
{
	Assert(run->in_unit);
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_stat(false);
	run->in_unit = false;
	run->committed_counters = run->counters;
	run->committed_watermark_to = run->watermark_to;
	CurrentResourceOwner = run->owner;
	MemoryContextSwitchTo(run->batch_cxt);
}

/*
 * Roll back whatever transaction an error interrupted (also when none was
 * open: the error may have come from between units).
 */
static void
unit_abort(Run *run)
{
	AbortCurrentTransaction();
	run->in_unit = false;
	CurrentResourceOwner = run->owner;
	MemoryContextSwitchTo(run->run_cxt);
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
 * A record of a batch by its key: its mapped row, or (Datum) 0 for a
 * record the source shows gone.  position is its place in the batch.
 */
typedef struct KeyedRow
{
	char	   *key;
	int			position;
	Datum		row;
} KeyedRow;

/*
 * qsort comparator: by key, then by position (so the last one of equal
 * keys can be kept).
 */
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
 * a row twice in one statement, and a page read twice sends keys twice.  A
 * listing withdrawn and shown again in one batch (or the other way round)
 * ends as the source last showed it.
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

/* A batch on its way from the source to the table */
typedef struct Batch
{
	KeyedRow   *rows;			/* mapped rows, and records gone at the source */
	int			nrows;
	char	  **keys;			/* reconcile: keys seen; else filled by
								 * write_batch: keys gone at the source */
	TimestampTz *key_timestamps;	/* reconcile: the source's timestamp of each */
	bool	   *key_timestamp_nulls;
	int			nkeys;
	char	  **listed_keys;	/* a reconcile's list that looks up what its
								 * sweep did not see: every key it read */
	int			nlisted;
} Batch;

/*
 * Phase 1: map the batch's records into rows of mls_listings; collect the
 * keys of records gone at the source (or, in a reconcile, every key seen).
 * Records that cannot be mapped are noted and skipped.
 */
static void
map_batch(Run *run, int n, Batch *batch)
{
	MlsRunInfo *info = run->info;
	MlsMappingSet *set = run->set;
	MlsSource  *source = run->source;
	TupleDesc	desc = set->tupdesc;
	int			natts = desc->natts;
	Datum	   *values = palloc(sizeof(Datum) * natts);
	bool	   *nulls = palloc(sizeof(bool) * natts);
	TimestampTz now = GetCurrentTimestamp();
	int			tenant_att = SPI_fnumber(desc, "tenant_id");
	int			connection_att = SPI_fnumber(desc, "connection");
	int			first_seen_att = SPI_fnumber(desc, "first_seen_at");
	int			last_synced_att = SPI_fnumber(desc, "last_synced_at");
	int			overrides_att = SPI_fnumber(desc, "local_overrides");
	Datum		empty_object = JsonbPGetDatum(set->empty_object);

	batch->rows = palloc(sizeof(KeyedRow) * Max(n, 1));
	batch->keys = palloc(sizeof(char *) * Max(n, 1));
	batch->listed_keys = palloc(sizeof(char *) * Max(n, 1));
	batch->nlisted = 0;
	batch->key_timestamps = palloc(sizeof(TimestampTz) * Max(n, 1));
	batch->key_timestamp_nulls = palloc(sizeof(bool) * Max(n, 1));
	batch->nrows = batch->nkeys = 0;

	for (int i = 0; i < n; i++)
	{
		MlsSourceRecord *r = &run->records[i];
		MlsMapError error;
		KeyedRow   *row;

		run->counters.seen++;
		if (source->mode == MLS_FETCH_LIST && run->list_sees_keys)
		{
			if (r->key)
				batch->listed_keys[batch->nlisted++] = r->key;
			else
				run->unreadable_lookups++;
		}
		if (source->mode == MLS_FETCH_KEYS)
		{
			if (r->key)
			{
				int			k = batch->nkeys++;

				batch->keys[k] = r->key;
				batch->key_timestamp_nulls[k] =
					r->timestamp == NULL ||
					!MlsParseTimestamptz(r->timestamp, strlen(r->timestamp), set->source_zone,
										 &batch->key_timestamps[k]);
			}
			else
				note_skipped(run, NULL, "%s", r->problem ? r->problem : "a record without a key");
			continue;
		}
		if (r->gone)
		{
			row = &batch->rows[batch->nrows++];
			row->key = r->key;
			row->position = i;
			row->row = (Datum) 0;
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
			/* kept whole with its error, to retry after a mapping fix */
			((MlsSourceError *) llast(source->notes))->record = r->record;
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

		row = &batch->rows[batch->nrows++];
		row->key = TextDatumGetCString(values[set->listing_key_attnum - 1]);
		row->position = i;
		row->row = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
}

/*
 * Mark what a batch wrote for the next statistics refresh, in the batch's
 * transaction: the listings of the keys, or, for a load of the whole feed
 * (a first load, a full or reconcile run), the whole connection, which the
 * refresh then recomputes at once.
 */
static void
mark_for_statistics(Run *run, char **keys, int n)
{
	MlsRunInfo *info = run->info;

	if (n == 0)
		return;
	if (info->first_load || strcmp(info->mode, "full") == 0 || strcmp(info->mode, "reconcile") == 0)
		MlsStatsMarkConnection(info->tenant, info->connection);
	else
		MlsStatsMarkChanged(info->tenant, info->connection, keys, n);
}

/*
 * Phase 2: write the mapped rows (one upsert, or a preview in a dry run)
 * and mark the gone keys removed; in a reconcile, remember the keys seen.
 * A batch that would take the tenant past its quota is not kept.
 */
static void
write_batch(Run *run, Batch *batch)
{
	MlsRunInfo *info = run->info;
	MlsSource  *source = run->source;
	Datum	   *datums;
	char	  **keys;
	MlsWriteResult result;
	int			distinct;
	int			m;

	if (source->mode == MLS_FETCH_KEYS)
	{
		MlsWriterSeeKeys(run->writer, info->run_id, batch->keys, batch->key_timestamps,
						 batch->key_timestamp_nulls, batch->nkeys);
		return;
	}
	if (batch->nlisted > 0)
	{
		/* seen after all: not removed by finish_reconcile, even if unmapped */
		MlsWriterSeeKeys(run->writer, info->run_id, batch->listed_keys, NULL, NULL,
						 batch->nlisted);
	}
	if (batch->nrows == 0)
		return;

	datums = palloc(sizeof(Datum) * Max(batch->nrows, 1));
	keys = palloc(sizeof(char *) * Max(batch->nrows, 1));
	distinct = distinct_rows(batch->rows, batch->nrows);
	m = 0;
	for (int i = 0; i < distinct; i++)
	{
		if (batch->rows[i].row == (Datum) 0)
			batch->keys[batch->nkeys++] = batch->rows[i].key;
		else
		{
			datums[m] = batch->rows[i].row;
			keys[m++] = batch->rows[i].key;
		}
	}
	if (strcmp(info->mode, "dry_run") == 0)
		MlsWriterPreview(run->writer, info->run_id, datums, keys, m, &result);
	else
	{
		MlsWriterUpsert(run->writer, datums, keys, m, &result);
		mark_for_statistics(run, keys, m);
	}
	run->counters.inserted += result.inserted;
	run->counters.updated += result.updated;
	run->counters.unchanged += result.unchanged + (batch->nrows - distinct);
	run->counters.excluded += result.excluded;
	run->counters.capped += result.capped;
	source->notes = list_concat(source->notes, result.failed);

	if (batch->nkeys > 0)
	{
		int64		removed;
		int64		flagged;

		/* a dry run counts what it would remove, as it counts the rest */
		if (strcmp(info->mode, "dry_run") == 0)
			MlsWriterPreviewRemoval(run->writer, batch->keys, batch->nkeys, &removed, &flagged);
		else
		{
			MlsWriterRemoveKeys(run->writer, batch->keys, batch->nkeys, &removed, &flagged);
			if (removed + flagged > 0)
				mark_for_statistics(run, batch->keys, batch->nkeys);
		}
		run->counters.removed += removed;
		run->counters.flagged += flagged;
	}

	/* media hook: what the batch's listings need of their media */
	if (strcmp(info->mode, "dry_run") != 0)
	{
		char	  **touched = palloc(sizeof(char *) * (m + batch->nkeys + 1));

		memcpy(touched, keys, sizeof(char *) * m);
		memcpy(touched + m, batch->keys, sizeof(char *) * batch->nkeys);
		MlsMediaAfterBatch(info->tenant, info->connection, touched, m + batch->nkeys);
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

/*
 * The run's requests and bytes: those of its earlier sources (a second
 * pass opens a new one) and of the current one.
 */
static void
count_traffic(Run *run)
{
	run->counters.requests = run->earlier_requests + run->source->requests;
	run->counters.bytes = run->earlier_bytes + run->source->bytes;
}

/*
 * The records the run expects, from what the source counted: a turn after
 * the first counts from where it went on, and a merged pass (which counts
 * only the changes since) does not make the figure smaller.
 */
static void
note_total_expected(Run *run)
{
	if (run->source->total_expected >= 0)
		run->counters.total_expected = Max(run->counters.total_expected,
										   run->seen_before_turn + run->source->total_expected);
}

/*
 * Whether the run should end its turn after this batch: it is a worker of
 * the launcher, has held its worker at least mlsync.worker_turn, every
 * worker is busy and a run of another connection waits for one.  A full
 * run can only go on from a position it has stored (its checkpoint); the
 * others go on from the connection's watermark.
 */
static bool
turn_over(Run *run)
{
	MlsRunInfo *info = run->info;
	bool		waiting;

	if (!run->may_yield || mlsync_worker_turn < 0 || run->source->mode != MLS_FETCH_CHANGES)
		return false;
	if (strcmp(info->mode, "full") != 0 && strcmp(info->mode, "incremental") != 0)
		return false;

	/*
	 * A turn must get past where it began: a pass starts by reading again
	 * the records of the timestamp it starts from, and a run that yielded
	 * after them would never end.
	 */
	if (run->committed_checkpoint == NULL ||
		(run->turn_started_at && strcmp(run->committed_checkpoint, run->turn_started_at) == 0))
		return false;
	if (!TimestampDifferenceExceeds(run->turn_started, GetCurrentTimestamp(), mlsync_worker_turn))
		return false;
	if (!MlsLauncherWorkersBusy())
		return false;
	MlsSqlConnect();
	waiting = MlsQueueOthersWaiting(info->tenant, info->connection);
	SPI_finish();
	return waiting;
}

/*
 * Where the watermark of a first load of some records (statuses, a
 * visibility field) stops: at the server's newest record of all when the
 * load began; at its clock then (its Date, in UTC, as the RESO queries
 * write every timestamp) when it gave none, or one dated in the future (past
 * MLS_FUTURE_TOLERANCE_USECS).  False when neither is known, or the run is
 * no such load.
 */
static bool
first_load_limit(Run *run, const char **raw, const char **key, TimestampTz *ts)
{
	MlsSource  *source = run->source;
	pg_tz	   *zone = run->set->source_zone;

	if (source->newest_timestamp &&
		MlsParseTimestamptz(source->newest_timestamp, strlen(source->newest_timestamp), zone, ts) &&
		*ts <= GetCurrentTimestamp() + MLS_FUTURE_TOLERANCE_USECS)
	{
		*raw = source->newest_timestamp;
		*key = source->newest_key;
		return true;
	}
	if (source->server_time &&
		MlsParseTimestamptz(source->server_time, strlen(source->server_time), zone, ts))
	{
		*raw = source->server_time;
		*key = NULL;
		return true;
	}
	return false;
}

/*
 * Where a connection's first photo pass starts.  A full run reads every
 * listing as it is from its first answer on: the server's clock then (RESO:
 * its Date, in UTC as RESO timestamps are; RETS servers write their own
 * zone, and give none).  An incremental run read every change after the
 * watermark it began from, but not photo changes that moved no
 * modification timestamp: that watermark, also a full run's when the clock
 * is not known.  Else, at the end of a first load without a clock (at_end),
 * the watermark it reached less the time the load took (its turns, and
 * runs of it that failed or died before, included): no later than the
 * server's clock when the load began, so a photo change during the load
 * to a listing read before it is read (the
 * watermark is no later than the server's clock at the end; the time is
 * ours, which runs as the server's does, and needs no zone), nor than the
 * watermark it began from (a load that failed before it).  Until its end
 * such a load has none: a later turn's start_watermark is where an earlier
 * turn stopped, past the photo changes made during it.  The watermark of
 * its first batch would have the pass read every listing again.  NULL
 * when none is known; a clock in the future (past MLS_FUTURE_TOLERANCE_USECS)
 * is not used: from there the pass would skip the changes until then.
 */
static const char *
photo_pass_floor(Run *run, bool at_end)
{
	const char *clock = run->source->first_answer_time;
	TimestampTz ts;
	bool		clock_usable = clock &&
		MlsParseTimestamptz(clock, strlen(clock), run->set->source_zone, &ts) &&
		ts <= GetCurrentTimestamp() + MLS_FUTURE_TOLERANCE_USECS;

	if (clock_usable && (strcmp(run->info->mode, "full") == 0 || run->start_watermark == NULL))
		return clock;
	if (run->start_watermark && !run->info->first_load)
		return run->start_watermark;
	if (!at_end)
		return NULL;
	if (run->watermark_to)
	{
		/* (a clock set back would make the time taken negative) */
		int64		taken = Max(GetCurrentTimestamp() - run->info->first_started_at, 0);
		char	   *load_start = MlsShiftTimestampText(run->watermark_to, 0, -taken,
													   run->set->source_zone);
		TimestampTz began,
					start;

		if (load_start == NULL)
			load_start = run->watermark_to;
		if (run->start_watermark == NULL ||
			!MlsParseTimestamptz(load_start, strlen(load_start), run->set->source_zone, &began) ||
			!MlsParseTimestamptz(run->start_watermark, strlen(run->start_watermark),
								 run->set->source_zone, &start) ||
			began <= start)
			return load_start;
	}
	return run->start_watermark;
}

/*
 * Keep where the photo pass is to begin in the run's first batch (inside
 * its unit), so that a run that yields its worker, or dies, before its
 * photo pass leaves it to the next: a first load that went on over many
 * turns began its reading then.
 */
static void
start_photo_position(Run *run)
{
	const char *floor = photo_pass_floor(run, false);

	if (floor == NULL)
		return;
	run->photo_raw = MemoryContextStrdup(run->run_cxt, floor);
	MlsMediaStorePhotoWatermark(run->info->tenant, run->info->connection, run->photo_raw, NULL);
	run->photo_stored = true;
}

/*
 * Store the photo pass's checkpoint with the batch that reached it (inside
 * its unit).
 */
static void
store_photo_position(Run *run)
{
	MlsSource  *source = run->source;

	if (source->checkpoint_timestamp == NULL || source->checkpoint_key == NULL)
		return;
	MlsMediaStorePhotoWatermark(run->info->tenant, run->info->connection,
								source->checkpoint_timestamp, source->checkpoint_key);
	run->photo_raw = MemoryContextStrdup(run->run_cxt, source->checkpoint_timestamp);
	run->photo_key = MemoryContextStrdup(run->run_cxt, source->checkpoint_key);
	run->photo_stored = true;
}

/*
 * Whether a failure of the photo pass is the server refusing its query: an
 * answered 4xx (a 400 for a field it lacks, a 404, a 414), not one of
 * authentication, rate or time; a RETS Search answered "unknown query
 * field", "invalid select", "invalid query syntax", "unauthorized query" or
 * "miscellaneous search error" (what many RETS servers answer to a query by
 * a field they do not search).
 * Not a refusal: the run's own limits (request cap, quotas) and pages that
 * could not be read, which fail the run as in any pass.
 */
static bool
photo_pass_refused(const MlsSourceError *failure)
{
	if (failure == NULL ||
		(failure->category != MLS_ERR_CONFIG && failure->category != MLS_ERR_PROTOCOL))
		return false;
	if (failure->reply_code == 20200 || failure->reply_code == 20202 ||
		failure->reply_code == 20203 || failure->reply_code == 20206 ||
		failure->reply_code == 20207)
		return true;
	return failure->http_status >= 400 && failure->http_status < 500 &&
		failure->http_status != 401 && failure->http_status != 403 &&
		failure->http_status != 407 && failure->http_status != 408 &&
		failure->http_status != 429;
}

/*
 * Phase 3: record what the batch leaves behind: the errors noted while
 * fetching and writing it, the watermark it reached, the run's progress.
 * A cancel asked for meanwhile ends the run here, after the batch.
 */
static void
record_batch(Run *run)
{
	MlsRunInfo *info = run->info;
	MlsSource  *source = run->source;
	ListCell   *lc;

	foreach(lc, source->notes)
	{
		if (((MlsSourceError *) lfirst(lc))->retry_state == MLS_SKIPPED)
			run->counters.errors++;
	}
	MlsStoreErrors(info, source->notes);
	MlsSourceForgetNotes(source);

	if (run->in_photo_pass)
		store_photo_position(run);
	else if (run->photo_pass_due && run->photo_raw == NULL)
		start_photo_position(run);

	/*
	 * The watermark moves with the batch that reached it (never back).
	 *
	 * A full run keeps its own position (committed_checkpoint, where it goes
	 * on from after yielding its worker) whether or not the watermark moves.
	 * One that reads only the connection's statuses, or only the records
	 * its visibility field shows, leaves a watermark the connection has
	 * where it is: a listing that left those statuses, or was withdrawn,
	 * after it was set is not in the run, and the next incremental run,
	 * which reads every record, must start from before that change.  The
	 * first load of such records (a full or an incremental run without a
	 * watermark) has none to keep: its watermark goes no further than the
	 * server's newest record when it began (first_load_limit), for the same
	 * reason.
	 *
	 * An incremental run goes on from the watermark itself, so its position
	 * is the watermark's: a checkpoint behind it (what
	 * mlsync.incremental_overlap reads again) is no progress, and a turn
	 * that yielded there would begin the same reading again.
	 */
	if ((strcmp(info->mode, "incremental") == 0 || strcmp(info->mode, "full") == 0) &&
		!run->in_photo_pass && source->checkpoint_timestamp && source->checkpoint_key)
	{
		bool		full = strcmp(info->mode, "full") == 0;
		bool		keeps_watermark = full && info->watermark_raw != NULL &&
			(info->config->statuses != NIL || info->config->visibility_field != NULL);
		TimestampTz ts;

		if (MlsParseTimestamptz(source->checkpoint_timestamp,
								strlen(source->checkpoint_timestamp),
								run->set->source_zone, &ts))
		{
			const char *mark = source->checkpoint_timestamp;
			const char *mark_key = source->checkpoint_key;
			TimestampTz mark_ts = ts;
			const char *limit;
			const char *limit_key;
			TimestampTz limit_ts;
			bool		moved;

			if (first_load_limit(run, &limit, &limit_key, &limit_ts) && limit_ts < ts)
			{
				mark = limit;
				mark_key = limit_key;
				mark_ts = limit_ts;
			}
			moved = !keeps_watermark && MlsStoreWatermark(info, mark, mark_key, mark_ts);

			if (full || moved)
			{
				if (run->committed_checkpoint)
					pfree(run->committed_checkpoint);
				run->committed_checkpoint = MemoryContextStrdup(run->run_cxt,
																source->checkpoint_timestamp);
			}
			if (full)
				MlsStoreKeepPosition(info, run->committed_checkpoint);
			/* (an incremental run that read its watermark again reached it) */
			if ((full && !keeps_watermark) || moved ||
				(!full && info->watermark_raw &&
				 strcmp(source->checkpoint_timestamp, info->watermark_raw) == 0))
				run->watermark_to = MemoryContextStrdup(run->run_cxt, mark);
		}
	}

	count_traffic(run);
	note_total_expected(run);
	run->counters.peak_memory = Max(run->counters.peak_memory, private_memory_bytes());
	MlsStoreProgress(info, &run->counters);

	if (turn_over(run))
	{
		/* queued again in this batch's transaction: all or nothing */
		MlsStoreYield(info, strcmp(info->mode, "full") == 0 ? run->committed_checkpoint : NULL,
					  run->watermark_to);
		run->yielded = true;
	}
}

/*
 * Map, write and record one batch (inside a unit).  A cancel is looked for
 * first: the batches committed before it are what the run's counters and
 * watermark say, none rolled back.
 */
static void
process_batch(Run *run, int n)
{
	Batch		batch;

	if (MlsQueueCancelRequested(run->info->run_id))
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("sync run " INT64_FORMAT " canceled by mls_sync_cancel()", run->info->run_id)));
	map_batch(run, n, &batch);
	write_batch(run, &batch);
	record_batch(run);
}

/*
 * How far before its watermark an incremental reading starts: the
 * connection's own overlap, else the setting.
 */
static int64
incremental_overlap(MlsSourceConfig *config)
{
	return config->incremental_overlap_usecs >= 0 ? config->incremental_overlap_usecs :
		(int64) mlsync_incremental_overlap * USECS_PER_SEC;
}

/*
 * Make the source for the run's mode (or "photos": the photo pass), from
 * the current watermark.
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
	{
		close_source(run);
		run->earlier_requests += run->source->requests;
		run->earlier_bytes += run->source->bytes;
	}
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
	else if (strcmp(mode, "list") == 0)
	{
		source->mode = MLS_FETCH_LIST;
		source->list_keys = run->repair_keys;
		source->nlist_keys = run->nrepair_keys;
	}
	else if (strcmp(mode, "single") == 0)
	{
		source->mode = MLS_FETCH_ONE;
		source->single_key = info->listing_key;
	}
	else if (strcmp(mode, "metadata") == 0)
		source->mode = MLS_FETCH_NOTHING;
	else if (strcmp(mode, "photos") == 0)
	{
		source->mode = MLS_FETCH_CHANGES;
		source->config = run->photo_config;
		source->from_timestamp = run->photo_raw;
		source->from_key = run->photo_key;
		source->overlap_usecs = incremental_overlap(source->config);
	}
	else
	{
		source->mode = MLS_FETCH_CHANGES;
		if (strcmp(mode, "full") != 0)
		{
			source->from_timestamp = info->watermark_raw;
			source->from_key = info->watermark_key;
			source->overlap_usecs = incremental_overlap(source->config);
		}
		else if (info->resume_raw)
			/* after a turn, or a retry of a run whose process died */
			source->resume_timestamp = info->resume_raw;

		/*
		 * A first load (a full or an incremental run without a watermark)
		 * of some records: where its watermark stops (first_load_limit)
		 */
		if (info->watermark_raw == NULL && info->resume_raw == NULL &&
			(strcmp(mode, "full") == 0 || strcmp(mode, "incremental") == 0) &&
			(info->config->statuses != NIL || info->config->visibility_field != NULL))
			source->want_newest = true;
	}
	MlsSourceInit(source);
	source->earlier_requests = run->earlier_requests;
	/* what the last source noted and nobody stored yet (its media lists') */
	if (run->source)
		MlsSourceTakeNotes(source, run->source);
	run->source = source;
	MemoryContextSwitchTo(old);

	source->ops->open(source);
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
	tables = source->ops->metadata(source);

	unit_begin(run);
	MlsStoreMetadata(info, source->metadata_version, tables);
	MlsStoreErrors(info, source->notes);
	MlsSourceForgetNotes(source);
	unit_commit(run);
}

/*
 * Add a field to a list of field names unless it is there already.
 */
static List *
add_field_once(List *fields, const char *field)
{
	ListCell   *lc;

	foreach(lc, fields)
	{
		if (strcmp(lfirst(lc), field) == 0)
			return fields;
	}
	return lappend(fields, pstrdup(field));
}

/*
 * The fields a RESO $select asks for: every mapped source field, the key
 * and timestamp the paging needs, and the visibility field that says a
 * record was withdrawn.
 */
static List *
select_fields(Run *run)
{
	List	   *fields = NIL;
	MlsSourceConfig *config = run->info->config;

	fields = add_field_once(fields, config->key_field);
	fields = add_field_once(fields, config->timestamp_field);
	if (config->visibility_field)
		fields = add_field_once(fields, config->visibility_field);
	for (int i = 0; i < run->set->nmappings; i++)
		fields = add_field_once(fields, run->set->mappings[i].source);
	return fields;
}

/*
 * Stop the run when its tenant's requests of the day (every run's, as
 * mls_usage had them at this run's last progress, plus this run's since)
 * reach the tenant's quota.  Checked before each batch is fetched, so a run
 * stops at the first batch boundary past the quota; like a spent rate
 * limit, the run fails as rate_limit and the next one resumes from the
 * watermark.
 */
static void
check_request_quota(Run *run)
{
	MlsRunInfo *info = run->info;
	int64		spent;

	if (info->max_requests_per_day < 0)
		return;
	spent = info->requests_today +
		(run->earlier_requests + run->source->requests - run->counters.requests);
	if (spent >= info->max_requests_per_day)
		MlsSourceFail(run->source, MLS_ERR_RATE_LIMIT, 0, -1, NULL,
					  "tenant \"%s\" reached its quota of " INT64_FORMAT " requests per day",
					  info->tenant, info->max_requests_per_day);
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
		check_request_quota(run);

		n = run->source->ops->next(run->source, run->records, run->batch_size);

		/* a source may move its checkpoint at the end, without records */
		if (n == 0 && run->source->notes == NIL &&
			!checkpoint_moved(run))
			break;
		unit_begin(run);
		process_batch(run, n);
		unit_commit(run);
		if (n == 0 || run->yielded)
			break;
	}
}

/*
 * Whether the run may make one more pass for a request merged into it: a
 * run that reads changes (full or incremental), for real.
 */
static bool
may_rerun(Run *run)
{
	return run->source->mode == MLS_FETCH_CHANGES && strcmp(run->info->mode, "dry_run") != 0;
}

/*
 * Whether a request was merged into the run since it last looked (inside a
 * unit, which then holds the run's queue row locked: a request merged
 * meanwhile waits for it); its watermark is then loaded again for the pass.
 * The connection's status row is locked first, in the order every other
 * writer of the two takes them (MlsStoreLockStatus).
 */
static bool
take_rerun(Run *run)
{
	MlsStoreLockStatus(run->info);
	if (!MlsQueueTakeRerun(run->info->run_id))
		return false;
	MlsStoreLoadWatermark(run->info, run->run_cxt);
	return true;
}

/*
 * Read and write the run's passes: the first, then one more from the new
 * watermark for each request merged into the run meanwhile, unless the
 * run yields its worker.  Only a first pass ends its turn early.
 */
static void
run_passes(Run *run)
{
	for (;;)
	{
		bool		rerun;

		if (run->source->mode == MLS_FETCH_NOTHING)
			return;
		run_batches(run);
		run->may_yield = false;
		if (run->yielded || !may_rerun(run))
			return;
		unit_begin(run);
		rerun = take_rerun(run);
		unit_commit(run);
		if (!rerun)
			return;
		open_source(run, "incremental");
	}
}

/*
 * The source field the run's mapping set reads photos_change_timestamp
 * from (RESO: PhotosChangeTimestamp; RETS: the server's own name), or NULL.
 */
static const char *
photo_timestamp_field(Run *run)
{
	for (int i = 0; i < run->set->nmappings; i++)
	{
		if (strcmp(run->set->mappings[i].target, "photos_change_timestamp") == 0)
			return run->set->mappings[i].source;
	}
	return NULL;
}

/*
 * The photo pass of a run that keeps media: after the run's changes, the
 * listings whose photo timestamp (the field mapped to
 * photos_change_timestamp) moved since the last photo pass are read again,
 * by that timestamp then key from the pass's own watermark
 * (mls_media_sync_status), and written as any change is.  Servers that
 * stamp a photo change on PhotosChangeTimestamp alone (AMPRE, Trestle; RETS
 * servers and their photo timestamps) show it to no reading by
 * ModificationTimestamp: without the pass, the listing's photos (its
 * expanded Media, its PhotosCount, the media re-check a moved timestamp
 * asks for) would wait for its next other change.  A listing read by both
 * passes is unchanged the second time: no write, no event.
 *
 * A server that refuses the pass's query (photo_pass_refused) does not fail
 * the run: the refusal is noted, and runs skip the pass for a day
 * (MlsMediaPhotoPassDue).  Other failures fail the run, whose batches and
 * watermarks stay committed.  Returns whether the pass wrote listings.
 */
static bool
photo_pass(Run *run)
{
	MlsRunInfo *info = run->info;
	MlsSourceError *volatile refusal = NULL;
	int64		written = run->counters.inserted + run->counters.updated;
	MemoryContext old;

	if (!run->photo_pass_due || run->source->mode != MLS_FETCH_CHANGES)
		return false;
	if (run->photo_raw == NULL)
	{
		const char *floor = photo_pass_floor(run, true);

		/* a first load that stored nothing: no listing's photos to miss */
		if (floor == NULL)
			return false;
		run->photo_raw = MemoryContextStrdup(run->run_cxt, floor);
	}
	if (run->photo_config == NULL)
	{
		old = MemoryContextSwitchTo(run->run_cxt);
		run->photo_config = palloc(sizeof(MlsSourceConfig));
		*run->photo_config = *info->config;
		run->photo_config->timestamp_field = pstrdup(photo_timestamp_field(run));
		if (info->config->select_fields != NIL)
			run->photo_config->select_fields =
				add_field_once(list_copy(info->config->select_fields),
							   run->photo_config->timestamp_field);
		MemoryContextSwitchTo(old);
	}
	open_source(run, "photos");
	run->in_photo_pass = true;
	PG_TRY();
	{
		run_batches(run);
	}
	PG_CATCH();
	{
		MlsSourceError *failure = run->source->failure;

		run->in_photo_pass = false;
		if (!photo_pass_refused(failure))
			PG_RE_THROW();
		MemoryContextSwitchTo(run->run_cxt);
		FlushErrorState();
		unit_abort(run);

		/*
		 * A page may be half read: the media lists share the client.  The
		 * source stays open: its RETS session reads them.
		 */
		MlsHttpAbort(run->source->http);
		/* the counts of what the abort rolled back go with it */
		run->counters = run->committed_counters;
		run->watermark_to = run->committed_watermark_to;
		refusal = failure;
		/* not the run's failure, should it fail later */
		run->source->failure = NULL;
	}
	PG_END_TRY();
	run->in_photo_pass = false;
	if (refusal)
	{
		MlsSourceNote(run->source, refusal->category, MLS_SKIPPED, refusal->http_status,
					  refusal->reply_code, NULL, refusal->source_text, 1,
					  "the photo pass (listings by %s) was refused: %s; it is tried again in a day, and until then a photo change that moves no modification timestamp waits for the listing's next change",
					  run->photo_config->timestamp_field, refusal->message);
		run->counters.errors++;
		/* once a run: a pass merged into it later is refused as well */
		run->photo_pass_due = false;
	}
	if (refusal || !run->photo_stored)
	{
		/* where the next pass begins, should no batch have stored it */
		unit_begin(run);
		if (!run->photo_stored)
			MlsMediaStorePhotoWatermark(info->tenant, info->connection,
										run->photo_raw, run->photo_key);
		if (refusal)
		{
			MlsMediaPhotoPassRefused(info->tenant, info->connection);
			MlsStoreErrors(info, run->source->notes);
			MlsSourceForgetNotes(run->source);
		}
		unit_commit(run);
		run->photo_stored = true;
	}
	return run->counters.inserted + run->counters.updated > written;
}

/*
 * Remove the listings a reconcile's key sweep, and the list after it, did
 * not see (of only those keys, when a List of them is given: those the
 * list looked up); their media and the statistics follow.
 */
static void
remove_unseen(Run *run, List *only)
{
	int64		removed;
	int64		flagged;

	MlsWriterRemoveUnseen(run->writer, run->info->run_id, run->info->config->statuses, only,
						  &removed, &flagged);
	run->counters.removed += removed;
	run->counters.flagged += flagged;
	MlsStatsMarkConnection(run->info->tenant, run->info->connection);
	/* media hook: the media of removed listings are removed */
	MlsMediaAfterReconcile(run->info->tenant, run->info->connection);
}

/*
 * A reconcile run repairs both ways once its key sweep is complete: it
 * removes what the source no longer has (if the sweep saw everything),
 * then fetches the listings the source has and mlsync lacks, and those
 * whose source timestamp differs from the stored one.
 *
 * A sweep of the connection's statuses only cannot tell a listing deleted
 * at the source from one that left those statuses unseen by incremental
 * runs (sold while they read too late): the listings of those statuses it
 * did not see are looked up by key first, in every status, with the
 * others, and only those the source did not give are removed.  So are the
 * listings unseen by a sweep that followed the server's own page links
 * (keys_may_shift): those may page by offset, and a record that leaves
 * the sweep's pages as it runs shifts a live one out of sight, while a new
 * one keeps the count whole.
 */
static void
finish_reconcile(Run *run)
{
	MlsSource  *source = run->source;
	List	   *statuses = run->info->config->statuses;
	int64		listings;
	int64		seen;
	int64		counted = source->total_expected;
	bool		short_sweep;
	List	   *missing;
	List	   *stale;
	List	   *unseen = NIL;
	bool		look_up_unseen = statuses != NIL || source->keys_may_shift;
	ListCell   *lc;
	int			i = 0;

	unit_begin(run);
	listings = MlsWriterListingCount(run->writer);
	seen = MlsWriterSeenCount(run->info->run_id);
	if (seen == 0 && listings > 0)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 0, -1, NULL,
					  "the source listed no keys at all while " INT64_FORMAT
					  " listings are stored; nothing was removed", listings);

	/*
	 * A sweep that saw fewer keys than the source counted may have missed
	 * some: it removes nothing.  Its repairs (listings lacking or stale
	 * among the keys it saw) are sound and still made, before the run fails
	 * (a server that counts a record it never serves would otherwise keep
	 * every reconcile from repairing anything).
	 */
	short_sweep = (counted > 0 && seen < counted) || source->keys_left_out;
	if (!look_up_unseen && !short_sweep)
		remove_unseen(run, NIL);
	MemoryContextSwitchTo(run->run_cxt);
	if (look_up_unseen && !short_sweep)
		unseen = MlsWriterUnseenKeys(run->writer, run->info->run_id, statuses);
	MlsWriterKeysToRepair(run->writer, run->info->run_id, &missing, &stale);
	run->counters.fetched_missing = list_length(missing);
	run->counters.refetched_stale = list_length(stale);
	run->nrepair_keys = list_length(missing) + list_length(stale) + list_length(unseen);
	run->repair_keys = palloc(sizeof(char *) * Max(run->nrepair_keys, 1));
	foreach(lc, list_concat(list_concat(missing, stale), unseen))
		run->repair_keys[i++] = lfirst(lc);
	MlsStoreProgress(run->info, &run->counters);
	unit_commit(run);

	/* a second pass over the source: the listings of those keys */
	if (run->nrepair_keys > 0)
	{
		run->list_sees_keys = unseen != NIL;
		open_source(run, "list");
		run_batches(run);
	}
	if (unseen != NIL)
	{
		List	   *still_unseen;

		/*
		 * An answer to a list of keys that came back empty for a moment (a
		 * search backend that timed out) would take its listings for
		 * removed: the keys the lookup did not give are asked for once more.
		 */
		unit_begin(run);
		MemoryContextSwitchTo(run->run_cxt);
		still_unseen = MlsWriterUnseenKeys(run->writer, run->info->run_id, statuses);
		unit_commit(run);
		if (still_unseen != NIL && run->unreadable_lookups == 0)
		{
			run->nrepair_keys = 0;
			run->repair_keys = MemoryContextAlloc(run->run_cxt,
												  sizeof(char *) * list_length(still_unseen));
			foreach(lc, still_unseen)
				run->repair_keys[run->nrepair_keys++] = lfirst(lc);
			open_source(run, "list");
			run_batches(run);
		}
		unit_begin(run);
		if (run->unreadable_lookups == 0)
		{
			if (still_unseen != NIL)
				remove_unseen(run, still_unseen);
		}
		else
		{
			/* one of them may be the listing of a record that could not be read */
			MlsSourceNote(run->source, MLS_ERR_DATA, MLS_SKIPPED, 0, -1, NULL, NULL, 1,
						  "the lookup of the listings the sweep did not see got " INT64_FORMAT " records it could not read; nothing was removed",
						  run->unreadable_lookups);
			MlsStoreErrors(run->info, run->source->notes);
			MlsSourceForgetNotes(run->source);
		}
		MlsStoreProgress(run->info, &run->counters);
		unit_commit(run);
	}
	if (short_sweep && counted > 0 && seen < counted)
		MlsSourceFail(run->source, MLS_ERR_PROTOCOL, 0, -1, NULL,
					  "the key sweep saw " INT64_FORMAT " keys of the " INT64_FORMAT
					  " the source counted; nothing was removed (the listings lacking or stale among those seen were fetched)",
					  seen, counted);
	else if (short_sweep)
		MlsSourceFail(run->source, MLS_ERR_PROTOCOL, 0, -1, NULL,
					  "the key sweep took answers short of the records the source counted as they came; nothing was removed (the listings lacking or stale among those seen were fetched)");
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

static void
media_unit_abort(void *arg)
{
	unit_abort((Run *) arg);
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
		source->ops->close(source);
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
	failure->category = MlsErrorCategoryOfSqlstate(edata->sqlerrcode);
	return failure;
}

/*
 * Error context callback: every error raised during a run says which run
 * it was and which request the source was on.
 */
static void
run_error_context(void *arg)
{
	Run		   *run = arg;
	const char *url;

	if (run->info == NULL)
		return;
	url = run->source ? MlsHttpLastUrl(run->source->http) : NULL;
	if (url)
		errcontext("sync run " INT64_FORMAT " of %s/%s, request %s",
				   run->info->run_id, run->info->tenant, run->info->connection, url);
	else
		errcontext("sync run " INT64_FORMAT " of %s/%s",
				   run->info->run_id, run->info->tenant, run->info->connection);
}

/*
 * After a connection's first load has succeeded: the statistics of the
 * listing tables, taken now.  Those taken before know nothing of the rows
 * just loaded (of a new tenant, nothing at all), and every plan made for
 * the tenant's value expects it to have none: a query of the tenant's
 * listings may then read all of them through the wrong index, as the
 * sync's own lookups did (docs/architecture.md, "Lookups by key").
 * Autovacuum analyzes a table only once a tenth of it has changed, which
 * on a server of many tenants takes days.  A failure here is logged and
 * changes nothing of the run, which has ended already.
 */
static void
analyze_after_first_load(Run *run)
{
	PG_TRY();
	{
		unit_begin(run);
		pgstat_report_activity(STATE_RUNNING,
							   psprintf("mlsync: ANALYZE after the first load of %s/%s",
										run->info->tenant, run->info->connection));
		MlsStoreAnalyzeListings();
		unit_commit(run);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(run->run_cxt);
		edata = CopyErrorData();
		FlushErrorState();
		unit_abort(run);
		ereport(WARNING,
				(errmsg("mlsync could not analyze the listings after the first load of %s/%s: %s",
						run->info->tenant, run->info->connection, edata->message)));
		FreeErrorData(edata);
	}
	PG_END_TRY();
}

/*
 * Perform run run_id (one turn of it when may_yield); see pipeline.h.
 */
static void
run_sync(int64 run_id, bool may_yield)
{
	Run		   *run;
	MemoryContext caller_cxt = CurrentMemoryContext;
	MemoryContext run_cxt;
	bool		quiet_events;
	volatile bool first_load_done = false;
	ErrorContextCallback errcallback;
	ErrorData  *volatile start_error = NULL;
	volatile bool started = false;
	char	   *unstarted = NULL;
	bool		canceled = false;

	run_cxt = AllocSetContextCreate(TopMemoryContext, "mlsync run", ALLOCSET_DEFAULT_SIZES);
	run = MemoryContextAllocZero(run_cxt, sizeof(Run));

	/*
	 * Between transactions (while the source waits on the network) there is
	 * no transaction's resource owner, but some work needs one: OpenSSL's
	 * hashes (the RETS user-agent digest) are tracked by it.
	 */
	run->owner = ResourceOwnerCreate(NULL, "mlsync run");
	CurrentResourceOwner = run->owner;
	run->run_cxt = run_cxt;
	run->batch_cxt = AllocSetContextCreate(run_cxt, "mlsync batch", ALLOCSET_DEFAULT_SIZES);
	run->record_cxt = AllocSetContextCreate(run_cxt, "mlsync record", ALLOCSET_DEFAULT_SIZES);
	run->counters.total_expected = -1;
	run->committed_counters = run->counters;
	run->batch_size = mlsync_batch_size;
	run->records = MemoryContextAlloc(run_cxt, sizeof(MlsSourceRecord) * run->batch_size);

	/*
	 * The run's row first: even a failure to start is then recorded.  Should
	 * that fail too (a lock the caller of mls_sync(wait => true) holds, and
	 * the cancel that frees it), the queue row ends as failed or canceled
	 * instead of staying running until the launcher reaps it.
	 */
	PG_TRY();
	{
		unit_begin(run);
		run->turn_started = GetCurrentTimestamp();
		run->info = MlsStoreLoadRun(run_id, run_cxt);
		started = MlsStoreStartRun(run->info);
		if (started && run->info->resumed)
		{
			MlsStoreLoadProgress(run->info, &run->counters, &run->watermark_to, run_cxt);
			run->earlier_requests = run->counters.requests;
			run->earlier_bytes = run->counters.bytes;
			run->seen_before_turn = run->counters.seen;
			/* a copy: record_batch frees the checkpoint it replaces */
			if (run->info->resume_raw)
				run->committed_checkpoint = MemoryContextStrdup(run_cxt, run->info->resume_raw);
		}
		unit_commit(run);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(run_cxt);
		start_error = CopyErrorData();
		FlushErrorState();
		unit_abort(run);
	}
	PG_END_TRY();
	if (start_error)
	{
		canceled = start_error->sqlerrcode == ERRCODE_QUERY_CANCELED;
		ereport(WARNING,
				(errmsg("mlsync sync run " INT64_FORMAT " could not start: %s", run_id,
						start_error->message)));
		unstarted = psprintf("%s before it started: %s", canceled ? "canceled" : "failed",
							 start_error->message);
	}
	else if (!started)
	{
		/* its connection was disabled since it was claimed: nothing of it runs */
		canceled = true;
		unstarted = "the connection was disabled";
	}
	if (unstarted)
	{
		unit_begin(run);
		MlsQueueEndUnstarted(run_id, canceled, unstarted);
		unit_commit(run);
		CurrentResourceOwner = NULL;
		ResourceOwnerDelete(run->owner);
		MemoryContextSwitchTo(caller_cxt);
		MemoryContextDelete(run_cxt);
		return;
	}

	errcallback.callback = run_error_context;
	errcallback.arg = run;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;

	/*
	 * A connection's first load brings listings that are new to mlsync, not
	 * to the market: they get their history, but no events (no alert for
	 * every listing of the MLS on day one), unless the connection asks for
	 * them (first_load_events).
	 */
	quiet_events = run->info->first_load && !run->info->first_load_events &&
		mlsync_listing_events == MLS_LISTING_EVENTS_ON && MlsRunModeLoadsListings(run->info->mode);
	if (quiet_events)
		SetConfigOption("mlsync.listing_events", "history_only", PGC_SUSET, PGC_S_SESSION);

	PG_TRY();
	{
		MlsRunInfo *info = run->info;
		MemoryContext old;

		pgstat_report_activity(STATE_RUNNING,
							   psprintf("mlsync %s sync of %s/%s (run " INT64_FORMAT ")",
										info->mode, info->tenant, info->connection, run_id));

		unit_begin(run);
		MlsStoreLoadSecrets(info, run_cxt);
		old = MemoryContextSwitchTo(run_cxt);
		run->set = MlsCompileMappingSet(info->mapping_set);
		info->config->source_zone = run->set->source_zone;
		run->writer = MlsWriterCreate(run->set, info->tenant, info->connection);
		if (info->select_mapped_only)
			info->config->select_fields = select_fields(run);
		if (info->watermark_raw)
			run->start_watermark = pstrdup(info->watermark_raw);
		MemoryContextSwitchTo(old);
		if ((strcmp(info->mode, "full") == 0 || strcmp(info->mode, "incremental") == 0) &&
			photo_timestamp_field(run) != NULL)
		{
			run->photo_pass_due = MlsMediaPhotoPassDue(info->tenant, info->connection, run_cxt,
													   &run->photo_raw, &run->photo_key);
			run->photo_stored = run->photo_raw != NULL;
		}
		unit_commit(run);

		open_source(run, info->mode);
		refresh_metadata(run);
		/* only a first pass ends its turn early (a merged pass is short) */
		run->may_yield = may_yield;
		run->turn_started_at = run->source->from_timestamp ? run->source->from_timestamp :
			run->source->resume_timestamp;
		for (;;)
		{
			run_passes(run);
			if (run->yielded)
			{
				/* queued again with the last batch: the next turn goes on */
				pgstat_report_activity(STATE_RUNNING,
									   psprintf("mlsync %s sync of %s/%s (run " INT64_FORMAT
												") yielded its worker",
												info->mode, info->tenant, info->connection, run_id));
				close_source(run);
				break;
			}

			if (run->source->mode == MLS_FETCH_KEYS)
				finish_reconcile(run);

			/*
			 * media hook: the media lists the run's listings need, read with
			 * its source (after a reconcile, with the source of its repairs);
			 * then the photo pass, and the lists of the listings it wrote.
			 * The lists come first so that a photo pass that fails the run
			 * leaves none of the main pass's unread.
			 */
			if ((run->source->mode == MLS_FETCH_CHANGES || run->source->mode == MLS_FETCH_LIST) &&
				strcmp(info->mode, "dry_run") != 0)
			{
				MlsMediaReadLists(run->source, media_unit_begin, media_unit_commit, media_unit_abort, run);
				if (photo_pass(run))
					MlsMediaReadLists(run->source, media_unit_begin, media_unit_commit, media_unit_abort, run);
			}

			unit_begin(run);

			/*
			 * A request merged after the passes last looked (while the media
			 * lists were read, say) still gets its pass; from here to the
			 * end of the run the queue row stays locked (take_rerun), so a
			 * request made later finds the run ended and queues its own.
			 */
			if (may_rerun(run) && take_rerun(run))
			{
				unit_commit(run);
				open_source(run, "incremental");
				continue;
			}
			if (strcmp(info->mode, "reconcile") == 0)
				MlsWriterForgetSeen(run->writer, run_id);
			count_traffic(run);
			note_total_expected(run);
			MlsStoreErrors(info, run->source->notes);
			MlsSourceForgetNotes(run->source);
			MlsStoreFinishRun(info, MLS_RUN_SUCCEEDED, &run->counters, run->watermark_to, NULL);
			unit_commit(run);
			first_load_done = info->first_load && MlsRunModeLoadsListings(info->mode);

			close_source(run);
			break;
		}
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
		/* the counts of what the abort rolled back go with it */
		run->counters = run->committed_counters;
		run->watermark_to = run->committed_watermark_to;
		canceled = edata->sqlerrcode == ERRCODE_QUERY_CANCELED;
		failure = failure_of(run, edata);
		close_source(run);

		ereport(WARNING,
				(errmsg("mlsync sync run " INT64_FORMAT " of %s/%s %s: %s", run_id,
						run->info->tenant, run->info->connection,
						canceled ? "canceled" : "failed", failure->message)));
		unit_begin(run);
		if (run->source)
		{
			count_traffic(run);
			MlsStoreErrors(run->info, run->source->notes);
		}
		if (run->writer && strcmp(run->info->mode, "reconcile") == 0)
			MlsWriterForgetSeen(run->writer, run_id);
		MlsStoreFinishRun(run->info, canceled ? MLS_RUN_CANCELED : MLS_RUN_FAILED,
						  &run->counters, run->watermark_to, failure);
		unit_commit(run);
	}
	PG_END_TRY();

	if (first_load_done)
		analyze_after_first_load(run);

	error_context_stack = errcallback.previous;
	ResourceOwnerRelease(run->owner, RESOURCE_RELEASE_BEFORE_LOCKS, false, true);
	ResourceOwnerRelease(run->owner, RESOURCE_RELEASE_LOCKS, false, true);
	ResourceOwnerRelease(run->owner, RESOURCE_RELEASE_AFTER_LOCKS, false, true);
	CurrentResourceOwner = NULL;
	ResourceOwnerDelete(run->owner);
	if (quiet_events)
		SetConfigOption("mlsync.listing_events", "on", PGC_SUSET, PGC_S_SESSION);
	if (run->writer)
		MlsWriterDestroy(run->writer);
	if (run->info)
		MlsStoreWipeSecrets(run->info->config);
	MemoryContextSwitchTo(caller_cxt);
	MemoryContextDelete(run_cxt);
}

/*
 * Perform run run_id in a request worker; see pipeline.h.
 */
void
MlsRunSync(int64 run_id)
{
	run_sync(run_id, false);
}

/*
 * Perform a turn of run run_id in a worker of the launcher; see pipeline.h.
 */
void
MlsRunSyncTurn(int64 run_id)
{
	run_sync(run_id, true);
}
