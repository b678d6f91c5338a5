/*-------------------------------------------------------------------------
 *
 * store.c
 *	  The sync engine's bookkeeping: loading a run, its history row, the
 *	  connection's status and watermark, error rows and the records skipped,
 *	  the end of a run (with its retry, or the connection disabled after too
 *	  many failures, and its operational alerts).
 *
 * Alerts: the end of every run hands its outcome to mls_run_alerts()
 * (sql/src/46_operations.sql), which raises and clears auth_failed,
 * sync_failed, sync_slow, error_rate_high and listing_cap_reached in the
 * run's last transaction; a run still going after its connection's
 * alert_slow_after raises sync_slow from the batch that crosses it.
 *
 * Values always travel as parameters; no SQL is built from data.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "secrets/crypto.h"
#include "events/events.h"
#include "mlsync.h"
#include "engine/queue.h"
#include "support/sqlargs.h"
#include "engine/store.h"

/* The settings of a connection a source needs (c: mls_connections) */
#define CONNECTION_COLUMNS \
	" c.protocol, c.endpoint, c.token_url, c.username, c.oauth_client_auth, c.oauth_scope," \
	" c.resource, c.rets_class, c.rets_version, c.rets_format, c.rets_method," \
	" c.rets_http_auth, c.user_agent, c.mapping_set, c.key_field, c.timestamp_field," \
	" c.source_filter, c.statuses, c.page_size, c.select_mapped_only, c.expand_media," \
	" c.rate_per_second::float8 AS rate_per_second, c.rate_per_hour, c.rate_per_day," \
	" c.paging, c.allowed_origins," \
	" (extract(epoch FROM c.incremental_overlap) * 1000000)::int8 AS incremental_overlap_usecs," \
	" c.visibility_field"

static void fill_config(MlsSourceConfig *config, MemoryContext cxt);

/*
 * The text of a column of the first result row, copied into cxt.
 */
static char *
result_text(const char *column, MemoryContext cxt)
{
	return MlsSqlText(0, column, cxt);
}

static Datum
result_datum(const char *column, bool *isnull)
{
	return MlsSqlDatum(0, column, isnull);
}

/*
 * Decrypt a connection's secrets into cxt.
 */
static void
load_secrets(MlsSourceConfig *config, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);

	config->password = MlsLoadSecret(config->tenant, config->connection, "password");
	config->client_secret = MlsLoadSecret(config->tenant, config->connection, "client_secret");
	config->ua_password = MlsLoadSecret(config->tenant, config->connection, "ua_password");
	config->access_token = MlsLoadSecret(config->tenant, config->connection, "access_token");
	MemoryContextSwitchTo(old);
}

/*
 * Load a run: its queue row, the connection's settings, the tenant's quota,
 * the watermark, the request budget already spent.  Everything is copied
 * into cxt.
 *
 * The budget spent counts the connection's syncs and its media downloads
 * (mls_media_usage), since the MLS limits the connection's requests
 * whoever sends them.  Media requests are kept per clock hour: every hour
 * that overlaps the last hour (or day) counts whole, so the count may be
 * high, never low, and the MLS's limit is kept.
 */
MlsRunInfo *
MlsStoreLoadRun(int64 run_id, MemoryContext cxt)
{
	MlsRunInfo *run = MemoryContextAllocZero(cxt, sizeof(MlsRunInfo));
	MlsSourceConfig *config = MemoryContextAllocZero(cxt, sizeof(MlsSourceConfig));
	MlsSqlArgs	a = {0};
	bool		isnull;
	Datum		load_began_at;

	MlsQueueEntry *entry = MlsQueueLoad(run_id, cxt);

	run->run_id = run_id;
	run->config = config;
	run->tenant = entry->tenant;
	run->connection = entry->connection;
	run->mode = entry->mode;
	run->trigger = entry->trigger;
	run->listing_key = entry->listing_key;
	run->resumed = entry->resumed;
	run->resume_raw = entry->resume_raw;
	run->first_started_at = entry->first_started_at;

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	MlsArgTimestamptz(&a, GetCurrentTimestamp(), false);
	if (MlsSqlExec("SELECT " CONNECTION_COLUMNS ","
				   " s.watermark_raw, s.watermark_key, s.metadata_version, s.metadata_fetched_at,"
				   " s.last_load_at IS NULL AS first_load, c.first_load_events,"
				   " CASE WHEN s.last_load_at IS NULL THEN"
				   "   (SELECT min(h.started_at) FROM mlsync.mls_sync_history h"
				   "	 WHERE h.tenant_id = c.tenant_id AND h.connection = c.connection"
				   "	   AND h.mode IN ('full', 'incremental', 'reconcile') AND h.seen > 0"
				   "	   AND h.started_at >= c.created_at)"
				   " END AS load_began_at,"
				   " (extract(epoch FROM c.alert_slow_after) * 1000000)::int8 AS alert_slow_after,"
				   " coalesce(t.max_listings, -1) AS max_listings,"
				   " CASE WHEN t.max_listings IS NOT NULL THEN"
				   "   (SELECT count(*) FROM mlsync.mls_listings l WHERE l.tenant_id = c.tenant_id"
				   "	   AND l.removed_at IS NULL) ELSE 0 END AS listings_before,"
				   " coalesce(t.max_requests_per_day, -1) AS max_requests_per_day,"
				   " coalesce((SELECT u.requests FROM mlsync.mls_usage u WHERE u.tenant_id = c.tenant_id"
				   "	   AND u.day = ($3 AT TIME ZONE 'UTC')::date), 0) AS requests_today,"
				   " (SELECT coalesce(sum(h.requests), 0) FROM mlsync.mls_sync_history h"
				   "   WHERE h.tenant_id = c.tenant_id AND h.connection = c.connection"
				   "	   AND h.started_at > now() - interval '1 hour')::int"
				   " + (SELECT coalesce(sum(m.requests), 0) FROM mlsync.mls_media_usage m"
				   "   WHERE m.tenant_id = c.tenant_id AND m.connection = c.connection"
				   "	   AND m.hour > now() - interval '2 hours')::int AS requests_last_hour,"
				   " (SELECT coalesce(sum(h.requests), 0) FROM mlsync.mls_sync_history h"
				   "   WHERE h.tenant_id = c.tenant_id AND h.connection = c.connection"
				   "	   AND h.started_at > now() - interval '1 day')::int"
				   " + (SELECT coalesce(sum(m.requests), 0) FROM mlsync.mls_media_usage m"
				   "   WHERE m.tenant_id = c.tenant_id AND m.connection = c.connection"
				   "	   AND m.hour > now() - interval '25 hours')::int AS requests_last_day"
				   " FROM mlsync.mls_connections c"
				   " JOIN mlsync.mls_tenants t USING (tenant_id)"
				   " LEFT JOIN mlsync.mls_sync_status s USING (tenant_id, connection)"
				   " WHERE c.tenant_id = $1 AND c.connection = $2",
				   &a, SPI_OK_SELECT, false) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("connection \"%s\" of tenant \"%s\" does not exist",
						run->connection, run->tenant)));

	run->mapping_set = result_text("mapping_set", cxt);
	run->watermark_raw = result_text("watermark_raw", cxt);
	run->watermark_key = result_text("watermark_key", cxt);
	run->select_mapped_only = DatumGetBool(result_datum("select_mapped_only", &isnull));
	run->max_listings = DatumGetInt64(result_datum("max_listings", &isnull));
	run->listings_before = DatumGetInt64(result_datum("listings_before", &isnull));
	run->max_requests_per_day = DatumGetInt64(result_datum("max_requests_per_day", &isnull));
	run->requests_today = DatumGetInt64(result_datum("requests_today", &isnull));
	run->metadata_version = result_text("metadata_version", cxt);
	(void) result_datum("metadata_fetched_at", &isnull);
	run->metadata_fetched = !isnull;
	run->first_load = DatumGetBool(result_datum("first_load", &isnull));
	run->first_load_events = DatumGetBool(result_datum("first_load_events", &isnull));

	/*
	 * A first load goes on where runs before it stopped, failed or died (no
	 * run has succeeded yet): it began with the first of them that read
	 * listings.  (One that read and committed nothing makes its photo pass
	 * read more, no less.)  History kept of a connection deleted before
	 * this one was created under its name is not this connection's.
	 */
	load_began_at = result_datum("load_began_at", &isnull);
	if (!isnull && (run->first_started_at == 0 ||
					DatumGetTimestampTz(load_began_at) < run->first_started_at))
		run->first_started_at = DatumGetTimestampTz(load_began_at);
	run->alert_slow_after = DatumGetInt64(result_datum("alert_slow_after", &isnull));

	config->tenant = run->tenant;
	config->connection = run->connection;
	fill_config(config, cxt);
	config->requests_last_hour = DatumGetInt32(result_datum("requests_last_hour", &isnull));
	config->requests_last_day = DatumGetInt32(result_datum("requests_last_day", &isnull));
	SPI_finish();
	return run;
}

/*
 * Fill a connection's settings from the first row of a query that selected
 * CONNECTION_COLUMNS.
 */
static void
fill_config(MlsSourceConfig *config, MemoryContext cxt)
{
	bool		isnull;
	Datum		d;

	config->protocol = result_text("protocol", cxt);
	config->endpoint = result_text("endpoint", cxt);
	config->token_url = result_text("token_url", cxt);
	config->username = result_text("username", cxt);
	config->oauth_client_auth = result_text("oauth_client_auth", cxt);
	config->oauth_scope = result_text("oauth_scope", cxt);
	config->resource = result_text("resource", cxt);
	config->rets_class = result_text("rets_class", cxt);
	config->rets_version = result_text("rets_version", cxt);
	config->rets_format = result_text("rets_format", cxt);
	config->rets_method = result_text("rets_method", cxt);
	config->rets_http_auth = result_text("rets_http_auth", cxt);
	config->user_agent = result_text("user_agent", cxt);
	if (config->user_agent == NULL)
		config->user_agent = MemoryContextStrdup(cxt, mlsync_user_agent);
	config->key_field = result_text("key_field", cxt);
	config->timestamp_field = result_text("timestamp_field", cxt);
	config->source_filter = result_text("source_filter", cxt);
	config->visibility_field = result_text("visibility_field", cxt);
	config->statuses = MlsSqlTextList(0, "statuses", cxt);
	config->paging = result_text("paging", cxt);
	config->allowed_origins = MlsSqlTextList(0, "allowed_origins", cxt);
	config->page_size = DatumGetInt32(result_datum("page_size", &isnull));
	config->expand_media = DatumGetBool(result_datum("expand_media", &isnull));
	d = result_datum("rate_per_second", &isnull);
	config->rate_per_second = isnull ? 0 : DatumGetFloat8(d);
	d = result_datum("rate_per_hour", &isnull);
	config->rate_per_hour = isnull ? 0 : DatumGetInt32(d);
	d = result_datum("rate_per_day", &isnull);
	config->rate_per_day = isnull ? 0 : DatumGetInt32(d);
	d = result_datum("incremental_overlap_usecs", &isnull);
	config->incremental_overlap_usecs = isnull ? -1 : DatumGetInt64(d);
}

/*
 * Load a connection's settings and secrets outside any run (for SQL
 * functions that talk to the server), into cxt.  The caller wipes the
 * secrets with MlsStoreWipeSecrets.
 */
MlsSourceConfig *
MlsStoreLoadConnection(const char *tenant, const char *connection, MemoryContext cxt)
{
	MlsSourceConfig *config = MemoryContextAllocZero(cxt, sizeof(MlsSourceConfig));
	MlsSqlArgs	a = {0};

	MlsSqlConnect();
	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	MlsSqlExec("SELECT " CONNECTION_COLUMNS " FROM mlsync.mls_connections c"
			   " WHERE c.tenant_id = $1 AND c.connection = $2",
			   &a, SPI_OK_SELECT, true);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("connection \"%s\" of tenant \"%s\" does not exist", connection, tenant)));
	config->tenant = MemoryContextStrdup(cxt, tenant);
	config->connection = MemoryContextStrdup(cxt, connection);
	fill_config(config, cxt);
	SPI_finish();

	load_secrets(config, cxt);
	return config;
}

/*
 * Replace the stored metadata of the run's connection with tables (a List
 * of MlsMetadataTable), remember the server's metadata version, and warn
 * when the server's time zone contradicts the connection's mapping set.
 */
void
MlsStoreMetadata(MlsRunInfo *run, const char *version, List *tables)
{
	MlsSqlArgs	a = {0};
	ListCell   *lc;

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	MlsSqlExec("DELETE FROM mlsync.mls_source_metadata WHERE tenant_id = $1 AND connection = $2",
			   &a, SPI_OK_DELETE, false);
	foreach(lc, tables)
	{
		MlsMetadataTable *t = lfirst(lc);
		MlsSqlArgs	r = {0};

		MlsArgText(&r, run->tenant);
		MlsArgText(&r, run->connection);
		MlsArgText(&r, t->type);
		MlsArgText(&r, t->scope);
		MlsArgText(&r, t->version);
		MlsArgText(&r, t->date);
		MlsArgJsonb(&r, t->attributes);
		MlsArgJsonb(&r, t->rows);
		/* a server may send one table twice (ID=* answers): the last one wins */
		MlsSqlExec("INSERT INTO mlsync.mls_source_metadata (tenant_id, connection, metadata_type,"
			 " scope, version, date, attributes, rows)"
				   " VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, '{}'), $8)"
				   " ON CONFLICT (tenant_id, connection, metadata_type, scope) DO UPDATE"
				   " SET version = EXCLUDED.version, date = EXCLUDED.date,"
				   "     attributes = EXCLUDED.attributes, rows = EXCLUDED.rows",
				   &r, SPI_OK_INSERT, false);
	}
	MlsArgText(&a, version);
	MlsSqlExec("UPDATE mlsync.mls_sync_status SET metadata_version = $3, metadata_fetched_at = now()"
			   " WHERE tenant_id = $1 AND connection = $2",
			   &a, SPI_OK_UPDATE, false);
	/* a server whose time zone contradicts the mapping set's says so */
	a.n = 0;
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	if (MlsSqlExec("SELECT mlsync.mls_rets_timezone_mismatch($1, $2) AS mismatch",
				   &a, SPI_OK_SELECT, false) == 1)
	{
		char	   *mismatch = MlsSqlText(0, "mismatch", CurrentMemoryContext);

		if (mismatch)
			ereport(WARNING,
					(errmsg("connection \"%s\" of tenant \"%s\": %s",
							run->connection, run->tenant, mismatch),
					 errhint("Set the mapping set's source_timezone to the server's zone; mlsync.mls_status shows this until then.")));
	}
	SPI_finish();
}

/*
 * Decrypt the connection's secrets into cxt (wiped when the run ends).
 */
void
MlsStoreLoadSecrets(MlsRunInfo *run, MemoryContext cxt)
{
	load_secrets(run->config, cxt);
}

/*
 * Wipe decrypted secrets once they are no longer needed.
 */
void
MlsStoreWipeSecrets(MlsSourceConfig *config)
{
	char	   *secrets[] = {config->password, config->client_secret,
	config->ua_password, config->access_token};

	for (int i = 0; i < lengthof(secrets); i++)
		if (secrets[i])
			explicit_bzero(secrets[i], strlen(secrets[i]));
}

/*
 * Mark the run started: its history row, the queue row, the status.
 * Returns false, starting nothing, when the run's connection was disabled
 * since the run was claimed: the caller cancels it, as disabling cancels
 * the queued runs, instead of running it in full on the disabled
 * connection.
 */
bool
MlsStoreStartRun(MlsRunInfo *run)
{
	MlsSqlArgs	a = {0};

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	if (MlsSqlExec("SELECT 1 FROM mlsync.mls_connections"
				   " WHERE tenant_id = $1 AND connection = $2 AND NOT enabled",
				   &a, SPI_OK_SELECT, false) > 0)
	{
		SPI_finish();
		return false;
	}
	/* a connection written without mls_connect() gets its status row here */
	MlsSqlExec("INSERT INTO mlsync.mls_sync_status (tenant_id, connection) VALUES ($1, $2)"
			   " ON CONFLICT DO NOTHING", &a, SPI_OK_INSERT, false);
	SPI_finish();
	MlsQueueStart(run->run_id, MyProcPid);
	run->started_at = GetCurrentTimestamp();
	if (run->first_started_at == 0)
		run->first_started_at = run->started_at;
	return true;
}

/*
 * Read the connection's watermark again (a run making one more pass).
 */
void
MlsStoreLoadWatermark(MlsRunInfo *run, MemoryContext cxt)
{
	MlsSqlArgs	a = {0};

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	MlsSqlExec("SELECT watermark_raw, watermark_key FROM mlsync.mls_sync_status"
			   " WHERE tenant_id = $1 AND connection = $2", &a, SPI_OK_SELECT, false);
	if (SPI_processed == 1)
	{
		run->watermark_raw = result_text("watermark_raw", cxt);
		run->watermark_key = result_text("watermark_key", cxt);
	}
	SPI_finish();
}

/*
 * Lock the connection's status row to the end of the transaction: the
 * unit that ends a run takes it before the run's queue row, in the order
 * every other writer of both takes them (a transaction that changes the
 * connection, whose trigger updates the status, and then requests a sync
 * merged into the run), so that the two never deadlock.
 */
void
MlsStoreLockStatus(MlsRunInfo *run)
{
	MlsSqlArgs	a = {0};

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	MlsSqlExec("SELECT 1 FROM mlsync.mls_sync_status WHERE tenant_id = $1 AND connection = $2"
			   " FOR UPDATE", &a, SPI_OK_SELECT, false);
	SPI_finish();
}

/*
 * Raise sync_slow for a run that has gone on for longer than its
 * connection's alert_slow_after, once per run, from the batch that crosses
 * it (inside SPI): an administrator hears of a stuck run while it runs,
 * not only when it ends.
 */
static void
alert_if_slow(MlsRunInfo *run, TimestampTz now)
{
	MlsSqlArgs	a = {0};

	if (run->slow_alerted || run->started_at == 0 || now - run->started_at <= run->alert_slow_after)
		return;
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	MlsArgInt8(&a, run->run_id);
	MlsArgTimestamptz(&a, now, false);
	MlsSqlExec("SELECT mlsync.mls_alert_raise($1, $2, 'sync_slow',"
			   "  jsonb_build_object('run_id', h.run_id, 'mode', h.mode, 'trigger', h.trigger,"
			   "					   'started_at', h.started_at,"
			   "					   'running_seconds', mlsync.mls_seconds($4 - h.started_at),"
			   "					   'threshold_seconds', mlsync.mls_seconds(c.alert_slow_after)), $4)"
			   " FROM mlsync.mls_sync_history h"
			   " JOIN mlsync.mls_connections c USING (tenant_id, connection)"
			   " WHERE h.tenant_id = $1 AND h.run_id = $3",
			   &a, SPI_OK_SELECT, false);
	run->slow_alerted = true;
}

/*
 * Record a run's progress (the history row is what mls_sync_progress shows)
 * and add what it used since its last progress to the tenant's mls_usage row
 * of the day: the differences between the counters and the history row, and
 * the events this unit raised.  It runs in the unit that did the work, so a
 * unit that rolls back takes its usage with it; the usage of a tenant sums
 * to what its runs' history rows say.  listings_held is counted when the
 * day's row is new (the sync has just written, so the count includes the
 * batch), then moved by inserted and removed listings.
 */
void
MlsStoreProgress(MlsRunInfo *run, const MlsRunCounters *c)
{
	MlsSqlArgs	a = {0};
	int64		events = 0;
	bool		isnull;
	TimestampTz now = GetCurrentTimestamp();
	List	   *counts;
	ListCell   *lc;

	MlsSqlConnect();
	counts = MlsEventsTakeCounts();
	foreach(lc, counts)
	{
		MlsEventCount *count = lfirst(lc);

		if (strcmp(count->tenant, run->tenant) == 0)
			events += count->count;
	}
	MlsArgText(&a, run->tenant);
	MlsArgInt8(&a, run->run_id);
	MlsArgInt8(&a, c->seen);
	MlsArgInt8(&a, c->inserted);
	MlsArgInt8(&a, c->updated);
	MlsArgInt8(&a, c->unchanged);
	MlsArgInt8(&a, c->removed);
	MlsArgInt8(&a, c->flagged);
	MlsArgInt8(&a, c->errors);
	MlsArgInt8(&a, c->requests);
	MlsArgInt8(&a, c->bytes);
	MlsArgInt8(&a, c->total_expected);
	MlsArgInt8(&a, c->peak_memory);
	MlsArgInt8(&a, c->fetched_missing);
	MlsArgInt8(&a, c->refetched_stale);
	MlsArgTimestamptz(&a, now, false);
	MlsArgInt8(&a, events);
	/* a dry run changes no listing */
	MlsArgBool(&a, strcmp(run->mode, "dry_run") != 0);
	MlsArgInt8(&a, c->excluded);
	MlsArgInt8(&a, c->capped);
	if (MlsSqlExec("WITH before AS ("
				   "  SELECT h.inserted, h.updated, h.removed, h.requests, h.bytes"
				   "	FROM mlsync.mls_sync_history h WHERE h.tenant_id = $1 AND h.run_id = $2),"
				   " progress AS ("
				   "  UPDATE mlsync.mls_sync_history SET seen = $3, inserted = $4, updated = $5,"
				   "	 unchanged = $6, removed = $7, flagged = $8, errors = $9, requests = $10,"
				   "	 bytes = $11, total_expected = nullif($12, -1),"
				   "	 peak_memory_bytes = nullif($13, 0), fetched_missing = $14,"
				   "	 refetched_stale = $15, excluded = $19, capped = $20"
				   "   WHERE tenant_id = $1 AND run_id = $2)"
				   " INSERT INTO mlsync.mls_usage AS u (tenant_id, day, listings_changed, requests,"
				   "  bytes_downloaded, events_raised, updated_at)"
				   " SELECT $1, ($16 AT TIME ZONE 'UTC')::date,"
				   "		  CASE WHEN $18 THEN ($4 - b.inserted) + ($5 - b.updated) + ($7 - b.removed)"
				   "		  ELSE 0 END,"
				   "		  $10 - b.requests, $11 - b.bytes, $17, $16"
				   "   FROM before b"
				   " ON CONFLICT (tenant_id, day) DO UPDATE SET"
				   "  listings_held = u.listings_held"
				   "	 + (SELECT CASE WHEN $18 THEN ($4 - b.inserted) - ($7 - b.removed) ELSE 0 END"
				   "		  FROM before b),"
				   "  listings_changed = u.listings_changed + EXCLUDED.listings_changed,"
				   "  requests = u.requests + EXCLUDED.requests,"
				   "  bytes_downloaded = u.bytes_downloaded + EXCLUDED.bytes_downloaded,"
				   "  events_raised = u.events_raised + EXCLUDED.events_raised,"
				   "  updated_at = EXCLUDED.updated_at"
				   " RETURNING u.requests, u.listings_held IS NULL AS count_held",
				   &a, SPI_OK_INSERT_RETURNING, false) == 1)
	{
		run->requests_today = DatumGetInt64(result_datum("requests", &isnull));
		if (DatumGetBool(result_datum("count_held", &isnull)))
		{
			MlsSqlArgs	h = {0};

			MlsArgText(&h, run->tenant);
			MlsArgTimestamptz(&h, now, false);
			MlsSqlExec("UPDATE mlsync.mls_usage u SET listings_held ="
					   "  (SELECT count(*) FROM mlsync.mls_listings l"
					   "	  WHERE l.tenant_id = u.tenant_id AND l.removed_at IS NULL)"
					   " WHERE u.tenant_id = $1 AND u.day = ($2 AT TIME ZONE 'UTC')::date"
					   "   AND u.listings_held IS NULL",
					   &h, SPI_OK_UPDATE, false);
		}
	}
	alert_if_slow(run, now);
	SPI_finish();
}

/*
 * Move the connection's watermark forward (never back: an interrupted full
 * sync must not make the next incremental one start from its position).
 * Returns whether it moved.
 */
bool
MlsStoreWatermark(MlsRunInfo *run, const char *raw, const char *key, TimestampTz ts)
{
	MlsSqlArgs	a = {0};
	uint64		moved;

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	MlsArgText(&a, raw);
	MlsArgText(&a, key);
	MlsArgTimestamptz(&a, ts, false);
	moved = MlsSqlExec("UPDATE mlsync.mls_sync_status SET watermark_raw = $3, watermark_key = $4,"
					   " watermark_ts = $5"
					   " WHERE tenant_id = $1 AND connection = $2"
					   "   AND (watermark_ts IS NULL OR ($5, $4) > (watermark_ts, coalesce(watermark_key, '')))",
					   &a, SPI_OK_UPDATE, false);
	SPI_finish();
	return moved > 0;
}

/*
 * Keep a skipped record whole, with its error, for mls_retry_skipped()
 * (inside SPI).  A record skipped again replaces the one kept.
 */
static void
keep_skipped_record(MlsRunInfo *run, const MlsSourceError *e, TimestampTz now)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	MlsArgText(&a, e->record_key);
	MlsArgJsonb(&a, e->record);
	MlsArgText(&a, MlsErrorCategoryName(e->category));
	MlsArgText(&a, e->message);
	MlsArgInt8(&a, run->run_id);
	MlsArgTimestamptz(&a, now, false);
	MlsSqlExec("INSERT INTO mlsync.mls_skipped_records AS s (tenant_id, connection, listing_key,"
			   "  record, category, error, run_id, first_skipped_at, last_skipped_at)"
			   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
			   " ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE"
			   " SET record = excluded.record, category = excluded.category, error = excluded.error,"
			   "	 run_id = excluded.run_id, last_skipped_at = excluded.last_skipped_at,"
			   "	 attempts = s.attempts + 1",
			   &a, SPI_OK_INSERT, false);
}

/*
 * Record errors the run noted; a record it skipped with the record itself
 * at hand is also kept whole (mls_skipped_records).
 */
void
MlsStoreErrors(MlsRunInfo *run, List *errors)
{
	ListCell   *lc;
	TimestampTz now = GetCurrentTimestamp();

	if (errors == NIL)
		return;
	MlsSqlConnect();
	foreach(lc, errors)
	{
		MlsSourceError *e = lfirst(lc);
		MlsSqlArgs	a = {0};

		MlsArgText(&a, run->tenant);
		MlsArgText(&a, run->connection);
		MlsArgInt8(&a, run->run_id);
		MlsArgText(&a, MlsErrorCategoryName(e->category));
		MlsArgText(&a, e->record_key);
		MlsArgInt4(&a, e->http_status, e->http_status == 0);
		MlsArgInt4(&a, e->reply_code, e->reply_code < 0);
		MlsArgText(&a, e->message);
		MlsArgText(&a, e->source_text);
		MlsArgText(&a, e->retry_state == MLS_RETRIED ? "retried" :
				 e->retry_state == MLS_REPAIRED ? "repaired" :
				 e->retry_state == MLS_SKIPPED ? "skipped" : "failed");
		MlsArgInt4(&a, e->attempt, false);
		MlsSqlExec("INSERT INTO mlsync.mls_sync_errors (tenant_id, connection, run_id, category,"
			 " record_key, http_status, reply_code, message, source_text, retry_state, attempt)"
				   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
				   &a, SPI_OK_INSERT, false);
		if (e->record && e->record_key && e->retry_state == MLS_SKIPPED)
			keep_skipped_record(run, e, now);
	}
	SPI_finish();
}

/*
 * Whether a run of this mode loads the connection's listings (and so ends
 * its first load when it succeeds): full, incremental and reconcile runs;
 * not metadata, single (one listing) or dry runs.
 */
bool
MlsRunModeLoadsListings(const char *mode)
{
	return strcmp(mode, "full") == 0 || strcmp(mode, "incremental") == 0 ||
		strcmp(mode, "reconcile") == 0;
}

/*
 * Take the statistics of the listing tables (after a connection's first
 * load: see analyze_after_first_load in pipeline.c).  SKIP_LOCKED: an
 * ANALYZE or VACUUM of a table that runs already reads the committed rows
 * itself, and the worker does not wait for it.
 */
void
MlsStoreAnalyzeListings(void)
{
	MlsSqlConnect();
	MlsSqlExec("ANALYZE (SKIP_LOCKED) mlsync.mls_listings, mlsync.mls_listing_matches",
			   NULL, SPI_OK_UTILITY, false);
	SPI_finish();
}

/*
 * End a run: its history row, the connection's status, its queue row, and
 * after a failure the error row, a retry (for failures a retry may cure)
 * and, after mlsync.max_consecutive_failures failed runs in a row, the
 * connection disabled with an admin event.
 */
void
MlsStoreFinishRun(MlsRunInfo *run, MlsRunEnd end, const MlsRunCounters *c,
				  const char *watermark_to, const MlsSourceError *failure)
{
	MlsSqlArgs	a = {0};
	const char *state = end == MLS_RUN_SUCCEEDED ? "succeeded" :
		end == MLS_RUN_FAILED ? "failed" : "canceled";
	const char *message = failure ? failure->message :
		(strcmp(run->mode, "dry_run") == 0 ? "dry run: nothing was written" : NULL);
	bool		loads_listings = MlsRunModeLoadsListings(run->mode);

	MlsStoreProgress(run, c);
	/* a cancel is recorded in the history, not as an error */
	if (failure && end == MLS_RUN_FAILED)
		MlsStoreErrors(run, list_make1((void *) failure));

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgInt8(&a, run->run_id);
	MlsArgText(&a, state);
	MlsArgText(&a, message);
	MlsArgText(&a, watermark_to);
	MlsSqlExec("UPDATE mlsync.mls_sync_history SET state = $3, finished_at = clock_timestamp(),"
			   " message = $4, watermark_to = $5"
			   " WHERE tenant_id = $1 AND run_id = $2",
			   &a, SPI_OK_UPDATE, false);

	a.n = 0;
	MlsArgText(&a, run->tenant);
	MlsArgText(&a, run->connection);
	MlsArgInt8(&a, run->run_id);
	if (end == MLS_RUN_SUCCEEDED)
	{
		/*
		 * A dry run is no success of the connection's; only a run that loads
		 * listings ends its first load (a metadata run before it does not:
		 * the listings it brings next are still new to mlsync, not to the
		 * market), and only such a run ends a streak of failures: one
		 * listing's refresh succeeding while the scheduled syncs fail would
		 * otherwise restart their backoff at a minute and keep the
		 * connection from ever being disabled.  The time as a parameter: see
		 * docs/scaling.md on now() in CASE.
		 */
		bool		dry_run = strcmp(run->mode, "dry_run") == 0;

		MlsArgTimestamptz(&a, GetCurrentTransactionStartTimestamp(), false);
		MlsArgBool(&a, dry_run);
		MlsArgBool(&a, loads_listings);
		MlsSqlExec("UPDATE mlsync.mls_sync_status SET"
				   " last_success_at = CASE WHEN $5 THEN last_success_at ELSE $4 END,"
				   " last_load_at = CASE WHEN $6 THEN $4 ELSE last_load_at END,"
				   " consecutive_failures = CASE WHEN $6 THEN 0 ELSE consecutive_failures END,"
				   " last_error = CASE WHEN $6 THEN NULL ELSE last_error END,"
				   " next_attempt_at = CASE WHEN $6 THEN NULL ELSE next_attempt_at END"
				   " WHERE tenant_id = $1 AND connection = $2",
				   &a, SPI_OK_UPDATE, false);
	}
	else if (end == MLS_RUN_FAILED)
	{
		/* only runs that load listings are retried (MlsQueueRetry) */
		bool		retryable = failure && loads_listings &&
			(failure->category == MLS_ERR_NETWORK || failure->category == MLS_ERR_SERVER ||
			 failure->category == MLS_ERR_RATE_LIMIT || failure->category == MLS_ERR_PROTOCOL);

		MlsArgText(&a, message);
		MlsArgInt4(&a, mlsync_max_consecutive_failures, false);
		MlsArgBool(&a, retryable);
		MlsArgTimestamptz(&a, GetCurrentTransactionStartTimestamp(), false);
		MlsArgBool(&a, loads_listings);

		/*
		 * Retries wait 1, 2, 4 ... minutes (at most an hour) after each
		 * failed run in a row; a connection failing too often is disabled,
		 * with an event for the admin, and retried no more (no
		 * next_attempt_at), and so is one disabled by hand while the run was
		 * in flight: nothing of a disabled connection runs, so a retry would
		 * only be announced, and queued, for when it is enabled again.  A
		 * failed run that is not retried keeps the retry a sync's failure
		 * queued before it.
		 *
		 * The connection's row is locked first, as whoever disables or
		 * enables it does (mls_connect, then the trigger
		 * mls_connections_enabled_changed writes the status row): the other
		 * order, status then connection, deadlocks with them.  Read
		 * afterwards, enabled is the committed value, so a connection
		 * disabled meanwhile is not retried.
		 */
		MlsSqlExec("SELECT 1 FROM mlsync.mls_connections"
				   " WHERE tenant_id = $1 AND connection = $2 FOR NO KEY UPDATE",
				   &a, SPI_OK_SELECT, false);
		if (MlsSqlExec("WITH s AS ("
					   "  UPDATE mlsync.mls_sync_status st SET"
					   "	 consecutive_failures = st.consecutive_failures + 1, last_error = $4,"
					   "	 next_attempt_at = CASE"
					   "	   WHEN NOT c.enabled THEN NULL"
					   "	   WHEN $5 > 0 AND st.consecutive_failures + 1 >= $5 THEN NULL"
					   "	   WHEN $6 THEN $7 + least(interval '1 minute'"
					   "	   * power(2, least(st.consecutive_failures, 10)), interval '1 hour')"
					   "	   WHEN $8 THEN NULL ELSE st.next_attempt_at END"
					   "	FROM mlsync.mls_connections c"
					   "   WHERE st.tenant_id = $1 AND st.connection = $2"
					   "	 AND c.tenant_id = $1 AND c.connection = $2"
					   "  RETURNING st.consecutive_failures, st.next_attempt_at),"
					   " disabled AS ("
					   "  UPDATE mlsync.mls_connections c SET enabled = false,"
					   "	 disabled_reason = format('disabled after %s failed runs in a row;"
					   " last error: %s', s.consecutive_failures, $4),"
					   "	 updated_at = now()"
					   "	FROM s WHERE c.tenant_id = $1 AND c.connection = $2 AND c.enabled AND $5 > 0"
					   "	 AND s.consecutive_failures >= $5"
					   "  RETURNING c.tenant_id, c.connection, c.disabled_reason),"
					   " event AS ("
					   "  INSERT INTO mlsync.mls_events (tenant_id, kind, connection, payload)"
					   "  SELECT d.tenant_id, 'connection_disabled', d.connection,"
					   "		  jsonb_build_object('reason', d.disabled_reason, 'run_id', $3)"
					   "	FROM disabled d RETURNING event_id)"
					   " SELECT s.next_attempt_at, EXISTS (SELECT 1 FROM disabled) AS disabled,"
					   "		(SELECT array_agg(event_id) FROM event) AS event_ids"
					   "   FROM s",
					   &a, SPI_OK_SELECT, false) == 1)
		{
			bool		isnull;
			bool		no_event;
			Datum		next_attempt_at = MlsSqlDatum(0, "next_attempt_at", &isnull);
			Datum		event_ids = MlsSqlDatum(0, "event_ids", &no_event);

			if (retryable && !isnull && !DatumGetBool(MlsSqlDatum(0, "disabled", &isnull)))
				MlsQueueRetry(run->tenant, run->connection, run->run_id,
							  DatumGetTimestampTz(next_attempt_at));
			/* connection_disabled, where no trigger delivers it (docs/scaling.md) */
			if (!no_event)
			{
				MlsSqlArgs	f = {0};

				MlsArgDatum(&f, INT8ARRAYOID, event_ids, false);
				MlsSqlExec("SELECT mlsync.mls_events_fanout_untriggered($1)", &f,
						   SPI_OK_SELECT, false);
			}
		}
	}

	/* the run's operational alerts, with its outcome (sql/src/46_operations.sql) */
	a.n = 0;
	MlsArgText(&a, run->tenant);
	MlsArgInt8(&a, run->run_id);
	MlsArgTimestamptz(&a, GetCurrentTimestamp(), false);
	MlsSqlExec("SELECT mlsync.mls_run_alerts($1, $2, $3)", &a, SPI_OK_SELECT, false);

	MlsQueueRemove(run->run_id);
	SPI_finish();
}

/*
 * A run that goes on after yielding its worker: the counts and the
 * watermark reached that its history row holds, so that its progress and
 * usage go on from them.
 */
void
MlsStoreLoadProgress(MlsRunInfo *run, MlsRunCounters *c, char **watermark_to,
					 MemoryContext cxt)
{
	MlsSqlArgs	a = {0};
	bool		isnull;
	Datum		d;

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgInt8(&a, run->run_id);
	if (MlsSqlExec("SELECT seen, inserted, updated, unchanged, removed, flagged, errors,"
				   " requests, bytes, coalesce(total_expected, -1) AS total_expected,"
				   " coalesce(peak_memory_bytes, 0) AS peak_memory_bytes, fetched_missing,"
				   " refetched_stale, excluded, capped, watermark_to"
				   " FROM mlsync.mls_sync_history WHERE tenant_id = $1 AND run_id = $2",
				   &a, SPI_OK_SELECT, false) == 1)
	{
		c->seen = DatumGetInt64(result_datum("seen", &isnull));
		c->inserted = DatumGetInt64(result_datum("inserted", &isnull));
		c->updated = DatumGetInt64(result_datum("updated", &isnull));
		c->unchanged = DatumGetInt64(result_datum("unchanged", &isnull));
		c->removed = DatumGetInt64(result_datum("removed", &isnull));
		c->flagged = DatumGetInt64(result_datum("flagged", &isnull));
		c->errors = DatumGetInt64(result_datum("errors", &isnull));
		c->requests = DatumGetInt64(result_datum("requests", &isnull));
		c->bytes = DatumGetInt64(result_datum("bytes", &isnull));
		c->total_expected = DatumGetInt64(result_datum("total_expected", &isnull));
		c->peak_memory = DatumGetInt64(result_datum("peak_memory_bytes", &isnull));
		d = result_datum("fetched_missing", &isnull);
		c->fetched_missing = DatumGetInt64(d);
		d = result_datum("refetched_stale", &isnull);
		c->refetched_stale = DatumGetInt64(d);
		c->excluded = DatumGetInt64(result_datum("excluded", &isnull));
		c->capped = DatumGetInt64(result_datum("capped", &isnull));
		*watermark_to = result_text("watermark_to", cxt);
	}
	SPI_finish();
}

/*
 * End the run's turn (in the unit of its last batch): its history row keeps
 * the watermark it reached, its queue row is queued again with the position
 * a full run goes on from.
 */
void
MlsStoreYield(MlsRunInfo *run, const char *resume_raw, const char *watermark_to)
{
	MlsSqlArgs	a = {0};

	MlsSqlConnect();
	MlsArgText(&a, run->tenant);
	MlsArgInt8(&a, run->run_id);
	MlsArgText(&a, watermark_to);
	MlsSqlExec("UPDATE mlsync.mls_sync_history SET watermark_to = $3"
			   " WHERE tenant_id = $1 AND run_id = $2",
			   &a, SPI_OK_UPDATE, false);
	MlsQueueYield(run->run_id, resume_raw);
	SPI_finish();
}

/*
 * A full run's batch reached resume_raw: kept with its queue row, so that
 * a retry after its process died goes on from there.
 */
void
MlsStoreKeepPosition(MlsRunInfo *run, const char *resume_raw)
{
	MlsSqlConnect();
	MlsQueueKeepPosition(run->run_id, resume_raw);
	SPI_finish();
}
