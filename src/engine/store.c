/*-------------------------------------------------------------------------
 *
 * store.c
 *	  The sync engine's bookkeeping: loading a run, its history row, the
 *	  connection's status and watermark, error rows, the end of a run (with
 *	  its retry, or the connection disabled after too many failures).
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
#include "engine/store.h"

#define MAX_ARGS 16

/* Parameters of one statement */
/* The settings of a connection a source needs (c: mls_connections) */
#define CONNECTION_COLUMNS \
	" c.protocol, c.endpoint, c.token_url, c.username, c.oauth_client_auth, c.oauth_scope," \
	" c.resource, c.rets_class, c.rets_version, c.rets_format, c.rets_method," \
	" c.rets_http_auth, c.user_agent, c.mapping_set, c.key_field, c.timestamp_field," \
	" c.source_filter, c.statuses, c.page_size, c.select_mapped_only, c.expand_media," \
	" c.rate_per_second::float8 AS rate_per_second, c.rate_per_hour, c.rate_per_day"

static void fill_config(MlsSourceConfig *config, MemoryContext cxt);

typedef struct Args
{
	int			n;
	Oid			types[MAX_ARGS];
	Datum		values[MAX_ARGS];
	char		nulls[MAX_ARGS];
} Args;

static void
arg_text(Args *a, const char *value)
{
	a->types[a->n] = TEXTOID;
	a->values[a->n] = value ? CStringGetTextDatum(value) : (Datum) 0;
	a->nulls[a->n] = value ? ' ' : 'n';
	a->n++;
}

static void
arg_jsonb(Args *a, Jsonb *value)
{
	a->types[a->n] = JSONBOID;
	a->values[a->n] = value ? JsonbPGetDatum(value) : (Datum) 0;
	a->nulls[a->n] = value ? ' ' : 'n';
	a->n++;
}

static void
arg_int8(Args *a, int64 value)
{
	a->types[a->n] = INT8OID;
	a->values[a->n] = Int64GetDatum(value);
	a->nulls[a->n] = ' ';
	a->n++;
}

static void
arg_int4(Args *a, int value, bool isnull)
{
	a->types[a->n] = INT4OID;
	a->values[a->n] = Int32GetDatum(value);
	a->nulls[a->n] = isnull ? 'n' : ' ';
	a->n++;
}

static void
arg_timestamptz(Args *a, TimestampTz value, bool isnull)
{
	a->types[a->n] = TIMESTAMPTZOID;
	a->values[a->n] = TimestampTzGetDatum(value);
	a->nulls[a->n] = isnull ? 'n' : ' ';
	a->n++;
}

/*
 * Run one statement with parameters and check its result code.
 */
static void
exec(const char *sql, Args *a, int expected, bool read_only)
{
	int			rc = SPI_execute_with_args(sql, a ? a->n : 0, a ? a->types : NULL,
										   a ? a->values : NULL, a ? a->nulls : NULL,
										   read_only, 0);

	if (rc != expected)
		elog(ERROR, "mlsync bookkeeping statement failed (%s): %s",
			 SPI_result_code_string(rc), sql);
}

/*
 * The text of a column of the first result row, copied into cxt.
 */
static char *
result_text(const char *column, MemoryContext cxt)
{
	int			attnum = SPI_fnumber(SPI_tuptable->tupdesc, column);
	char	   *value;

	if (attnum <= 0)
		elog(ERROR, "no column \"%s\" in the run query", column);
	value = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, attnum);
	return value ? MemoryContextStrdup(cxt, value) : NULL;
}

static Datum
result_datum(const char *column, bool *isnull)
{
	int			attnum = SPI_fnumber(SPI_tuptable->tupdesc, column);

	if (attnum <= 0)
		elog(ERROR, "no column \"%s\" in the run query", column);
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, attnum, isnull);
}

/*
 * A text[] column as a List of strings in cxt.
 */
static List *
result_text_list(const char *column, MemoryContext cxt)
{
	bool		isnull;
	Datum		d = result_datum(column, &isnull);
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems;
	List	   *result = NIL;
	MemoryContext old;

	if (isnull)
		return NIL;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &elem_nulls, &nelems);
	old = MemoryContextSwitchTo(cxt);
	for (int i = 0; i < nelems; i++)
		if (!elem_nulls[i])
			result = lappend(result, TextDatumGetCString(elems[i]));
	MemoryContextSwitchTo(old);
	return result;
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
 */
MlsRunInfo *
MlsStoreLoadRun(int64 run_id, MemoryContext cxt)
{
	MlsRunInfo *run = MemoryContextAllocZero(cxt, sizeof(MlsRunInfo));
	MlsSourceConfig *config = MemoryContextAllocZero(cxt, sizeof(MlsSourceConfig));
	Args		a = {0};
	bool		isnull;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_int8(&a, run_id);
	arg_timestamptz(&a, GetCurrentTimestamp(), false);
	exec("SELECT q.tenant_id, q.connection, q.mode, q.trigger, q.listing_key, " CONNECTION_COLUMNS ","
		 " s.watermark_raw, s.watermark_key, s.metadata_version, s.metadata_fetched_at,"
		 " s.last_success_at IS NULL AS first_load,"
		 " coalesce(t.max_listings, -1) AS max_listings,"
		 " CASE WHEN t.max_listings IS NOT NULL THEN"
		 "   (SELECT count(*) FROM mlsync.mls_listings l WHERE l.tenant_id = q.tenant_id"
		 "	   AND l.removed_at IS NULL) ELSE 0 END AS listings_before,"
		 " coalesce(t.max_requests_per_day, -1) AS max_requests_per_day,"
		 " coalesce((SELECT u.requests FROM mlsync.mls_usage u WHERE u.tenant_id = q.tenant_id"
		 "	   AND u.day = ($2 AT TIME ZONE 'UTC')::date), 0) AS requests_today,"
		 " (SELECT coalesce(sum(h.requests), 0) FROM mlsync.mls_sync_history h"
		 "   WHERE h.tenant_id = q.tenant_id AND h.connection = q.connection"
		 "	   AND h.started_at > now() - interval '1 hour')::int AS requests_last_hour,"
		 " (SELECT coalesce(sum(h.requests), 0) FROM mlsync.mls_sync_history h"
		 "   WHERE h.tenant_id = q.tenant_id AND h.connection = q.connection"
		 "	   AND h.started_at > now() - interval '1 day')::int AS requests_last_day"
		 " FROM mlsync.mls_sync_queue q"
		 " JOIN mlsync.mls_connections c USING (tenant_id, connection)"
		 " JOIN mlsync.mls_tenants t USING (tenant_id)"
		 " LEFT JOIN mlsync.mls_sync_status s USING (tenant_id, connection)"
		 " WHERE q.run_id = $1",
		 &a, SPI_OK_SELECT, false);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("sync run %lld is not queued", (long long) run_id)));

	run->run_id = run_id;
	run->config = config;
	run->tenant = result_text("tenant_id", cxt);
	run->connection = result_text("connection", cxt);
	run->mode = result_text("mode", cxt);
	run->trigger = result_text("trigger", cxt);
	run->listing_key = result_text("listing_key", cxt);
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
	config->statuses = result_text_list("statuses", cxt);
	config->page_size = DatumGetInt32(result_datum("page_size", &isnull));
	config->expand_media = DatumGetBool(result_datum("expand_media", &isnull));
	d = result_datum("rate_per_second", &isnull);
	config->rate_per_second = isnull ? 0 : DatumGetFloat8(d);
	d = result_datum("rate_per_hour", &isnull);
	config->rate_per_hour = isnull ? 0 : DatumGetInt32(d);
	d = result_datum("rate_per_day", &isnull);
	config->rate_per_day = isnull ? 0 : DatumGetInt32(d);
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
	Args		a = {0};

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_text(&a, tenant);
	arg_text(&a, connection);
	exec("SELECT " CONNECTION_COLUMNS " FROM mlsync.mls_connections c"
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
 * of MlsMetadataTable), and remember the server's metadata version.
 */
void
MlsStoreMetadata(MlsRunInfo *run, const char *version, List *tables)
{
	Args		a = {0};
	ListCell   *lc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_text(&a, run->tenant);
	arg_text(&a, run->connection);
	exec("DELETE FROM mlsync.mls_source_metadata WHERE tenant_id = $1 AND connection = $2",
		 &a, SPI_OK_DELETE, false);
	foreach(lc, tables)
	{
		MlsMetadataTable *t = lfirst(lc);
		Args		r = {0};

		arg_text(&r, run->tenant);
		arg_text(&r, run->connection);
		arg_text(&r, t->type);
		arg_text(&r, t->scope);
		arg_text(&r, t->version);
		arg_text(&r, t->date);
		arg_jsonb(&r, t->attributes);
		arg_jsonb(&r, t->rows);
		/* a server may send one table twice (ID=* answers): the last one wins */
		exec("INSERT INTO mlsync.mls_source_metadata (tenant_id, connection, metadata_type,"
			 " scope, version, date, attributes, rows)"
			 " VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, '{}'), $8)"
			 " ON CONFLICT (tenant_id, connection, metadata_type, scope) DO UPDATE"
			 " SET version = EXCLUDED.version, date = EXCLUDED.date,"
			 "     attributes = EXCLUDED.attributes, rows = EXCLUDED.rows",
			 &r, SPI_OK_INSERT, false);
	}
	arg_text(&a, version);
	exec("UPDATE mlsync.mls_sync_status SET metadata_version = $3, metadata_fetched_at = now()"
		 " WHERE tenant_id = $1 AND connection = $2",
		 &a, SPI_OK_UPDATE, false);
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
 */
void
MlsStoreStartRun(MlsRunInfo *run)
{
	Args		a = {0};

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* a connection written without mls_connect() gets its status row here */
	arg_text(&a, run->tenant);
	arg_text(&a, run->connection);
	exec("INSERT INTO mlsync.mls_sync_status (tenant_id, connection) VALUES ($1, $2)"
		 " ON CONFLICT DO NOTHING", &a, SPI_OK_INSERT, false);
	a.n = 0;
	arg_int8(&a, run->run_id);
	arg_int4(&a, MyProcPid, false);
	exec("WITH q AS ("
		 "  UPDATE mlsync.mls_sync_queue SET state = 'running', started_at = now(), worker_pid = $2"
		 "   WHERE run_id = $1"
		 "  RETURNING tenant_id, run_id, connection, mode, trigger, listing_key, requested_at),"
		 " s AS ("
		 "  UPDATE mlsync.mls_sync_status s SET last_attempt_at = now(), last_run_id = q.run_id"
		 "	  FROM q WHERE s.tenant_id = q.tenant_id AND s.connection = q.connection"
		 "  RETURNING s.watermark_raw)"
		 " INSERT INTO mlsync.mls_sync_history"
		 "  (tenant_id, run_id, connection, mode, trigger, listing_key, requested_at, worker_pid,"
		 "   watermark_from)"
		 " SELECT q.tenant_id, q.run_id, q.connection, q.mode, q.trigger, q.listing_key,"
		 "		  q.requested_at, $2, (SELECT watermark_raw FROM s)"
		 "   FROM q",
		 &a, SPI_OK_INSERT, false);
	SPI_finish();
}

/*
 * Read the connection's watermark again (a run making one more pass).
 */
void
MlsStoreLoadWatermark(MlsRunInfo *run, MemoryContext cxt)
{
	Args		a = {0};

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_text(&a, run->tenant);
	arg_text(&a, run->connection);
	exec("SELECT watermark_raw, watermark_key FROM mlsync.mls_sync_status"
		 " WHERE tenant_id = $1 AND connection = $2", &a, SPI_OK_SELECT, false);
	if (SPI_processed == 1)
	{
		run->watermark_raw = result_text("watermark_raw", cxt);
		run->watermark_key = result_text("watermark_key", cxt);
	}
	SPI_finish();
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
	Args		a = {0};
	int64		events = 0;
	bool		isnull;
	TimestampTz now = GetCurrentTimestamp();
	List	   *counts;
	ListCell   *lc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	counts = MlsEventsTakeCounts();
	foreach(lc, counts)
	{
		MlsEventCount *count = lfirst(lc);

		if (strcmp(count->tenant, run->tenant) == 0)
			events += count->count;
	}
	arg_text(&a, run->tenant);
	arg_int8(&a, run->run_id);
	arg_int8(&a, c->seen);
	arg_int8(&a, c->inserted);
	arg_int8(&a, c->updated);
	arg_int8(&a, c->unchanged);
	arg_int8(&a, c->removed);
	arg_int8(&a, c->flagged);
	arg_int8(&a, c->errors);
	arg_int8(&a, c->requests);
	arg_int8(&a, c->bytes);
	arg_int8(&a, c->total_expected);
	arg_int8(&a, c->peak_memory);
	arg_timestamptz(&a, now, false);
	arg_int8(&a, events);
	/* a dry run changes no listing */
	arg_text(&a, strcmp(run->mode, "dry_run") != 0 ? "t" : "f");
	exec("WITH before AS ("
		 "  SELECT h.inserted, h.updated, h.removed, h.requests, h.bytes"
		 "	FROM mlsync.mls_sync_history h WHERE h.tenant_id = $1 AND h.run_id = $2),"
		 " progress AS ("
		 "  UPDATE mlsync.mls_sync_history SET seen = $3, inserted = $4, updated = $5,"
		 "	 unchanged = $6, removed = $7, flagged = $8, errors = $9, requests = $10, bytes = $11,"
		 "	 total_expected = nullif($12, -1), peak_memory_bytes = nullif($13, 0)"
		 "   WHERE tenant_id = $1 AND run_id = $2)"
		 " INSERT INTO mlsync.mls_usage AS u (tenant_id, day, listings_changed, requests,"
		 "  bytes_downloaded, events_raised, updated_at)"
		 " SELECT $1, ($14 AT TIME ZONE 'UTC')::date,"
		 "		  CASE WHEN $16::bool THEN ($4 - b.inserted) + ($5 - b.updated) + ($7 - b.removed)"
		 "		  ELSE 0 END,"
		 "		  $10 - b.requests, $11 - b.bytes, $15, $14"
		 "   FROM before b"
		 " ON CONFLICT (tenant_id, day) DO UPDATE SET"
		 "  listings_held = u.listings_held"
		 "	 + (SELECT CASE WHEN $16::bool THEN ($4 - b.inserted) - ($7 - b.removed) ELSE 0 END"
		 "		  FROM before b),"
		 "  listings_changed = u.listings_changed + EXCLUDED.listings_changed,"
		 "  requests = u.requests + EXCLUDED.requests,"
		 "  bytes_downloaded = u.bytes_downloaded + EXCLUDED.bytes_downloaded,"
		 "  events_raised = u.events_raised + EXCLUDED.events_raised,"
		 "  updated_at = EXCLUDED.updated_at"
		 " RETURNING u.requests, u.listings_held IS NULL AS count_held",
		 &a, SPI_OK_INSERT_RETURNING, false);
	if (SPI_processed == 1)
	{
		bool		count_held;

		run->requests_today = DatumGetInt64(result_datum("requests", &isnull));
		count_held = DatumGetBool(result_datum("count_held", &isnull));
		if (count_held)
		{
			Args		h = {0};

			arg_text(&h, run->tenant);
			arg_timestamptz(&h, now, false);
			exec("UPDATE mlsync.mls_usage u SET listings_held ="
				 "  (SELECT count(*) FROM mlsync.mls_listings l"
				 "	  WHERE l.tenant_id = u.tenant_id AND l.removed_at IS NULL)"
				 " WHERE u.tenant_id = $1 AND u.day = ($2 AT TIME ZONE 'UTC')::date"
				 "   AND u.listings_held IS NULL",
				 &h, SPI_OK_UPDATE, false);
		}
	}
	SPI_finish();
}

/*
 * Move the connection's watermark forward (never back: an interrupted full
 * sync must not make the next incremental one start from its position).
 */
void
MlsStoreWatermark(MlsRunInfo *run, const char *raw, const char *key, TimestampTz ts)
{
	Args		a = {0};

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_text(&a, run->tenant);
	arg_text(&a, run->connection);
	arg_text(&a, raw);
	arg_text(&a, key);
	arg_timestamptz(&a, ts, false);
	exec("UPDATE mlsync.mls_sync_status SET watermark_raw = $3, watermark_key = $4,"
		 " watermark_ts = $5"
		 " WHERE tenant_id = $1 AND connection = $2"
		 "   AND (watermark_ts IS NULL OR ($5, $4) > (watermark_ts, coalesce(watermark_key, '')))",
		 &a, SPI_OK_UPDATE, false);
	SPI_finish();
}

/*
 * Record errors the run noted.
 */
void
MlsStoreErrors(MlsRunInfo *run, List *errors)
{
	ListCell   *lc;

	if (errors == NIL)
		return;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	foreach(lc, errors)
	{
		MlsSourceError *e = lfirst(lc);
		Args		a = {0};

		arg_text(&a, run->tenant);
		arg_text(&a, run->connection);
		arg_int8(&a, run->run_id);
		arg_text(&a, MlsErrorCategoryName(e->category));
		arg_text(&a, e->record_key);
		arg_int4(&a, e->http_status, e->http_status == 0);
		arg_int4(&a, e->reply_code, e->reply_code < 0);
		arg_text(&a, e->message);
		arg_text(&a, e->source_text);
		arg_text(&a, e->retry_state == MLS_RETRIED ? "retried" :
				 e->retry_state == MLS_REPAIRED ? "repaired" :
				 e->retry_state == MLS_SKIPPED ? "skipped" : "failed");
		arg_int4(&a, e->attempt, false);
		exec("INSERT INTO mlsync.mls_sync_errors (tenant_id, connection, run_id, category,"
			 " record_key, http_status, reply_code, message, source_text, retry_state, attempt)"
			 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
			 &a, SPI_OK_INSERT, false);
	}
	SPI_finish();
}

/*
 * Whether mls_sync_cancel() asked this run to stop.
 */
bool
MlsStoreCancelRequested(MlsRunInfo *run)
{
	Args		a = {0};
	bool		result;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_int8(&a, run->run_id);
	exec("SELECT 1 FROM mlsync.mls_sync_queue WHERE run_id = $1 AND cancel_requested",
		 &a, SPI_OK_SELECT, false);
	result = SPI_processed > 0;
	SPI_finish();
	return result;
}

/*
 * Whether a request was merged into this run while it ran (it then makes
 * one more pass from the new watermark); clears the request.
 */
bool
MlsStoreTakeRerun(MlsRunInfo *run)
{
	Args		a = {0};
	bool		result;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_int8(&a, run->run_id);
	exec("UPDATE mlsync.mls_sync_queue SET rerun_requested = false"
		 " WHERE run_id = $1 AND rerun_requested",
		 &a, SPI_OK_UPDATE, false);
	result = SPI_processed > 0;
	SPI_finish();
	return result;
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
	Args		a = {0};
	const char *state = end == MLS_RUN_SUCCEEDED ? "succeeded" :
		end == MLS_RUN_FAILED ? "failed" : "canceled";
	const char *message = failure ? failure->message :
		(strcmp(run->mode, "dry_run") == 0 ? "dry run: nothing was written" : NULL);

	MlsStoreProgress(run, c);
	/* a cancel is recorded in the history, not as an error */
	if (failure && end == MLS_RUN_FAILED)
		MlsStoreErrors(run, list_make1((void *) failure));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_text(&a, run->tenant);
	arg_int8(&a, run->run_id);
	arg_text(&a, state);
	arg_text(&a, message);
	arg_text(&a, watermark_to);
	exec("UPDATE mlsync.mls_sync_history SET state = $3, finished_at = clock_timestamp(),"
		 " message = $4, watermark_to = $5"
		 " WHERE tenant_id = $1 AND run_id = $2",
		 &a, SPI_OK_UPDATE, false);

	a.n = 0;
	arg_text(&a, run->tenant);
	arg_text(&a, run->connection);
	arg_int8(&a, run->run_id);
	if (end == MLS_RUN_SUCCEEDED)
	{
		exec("UPDATE mlsync.mls_sync_status SET last_success_at ="
			 "   CASE WHEN (SELECT mode FROM mlsync.mls_sync_history WHERE run_id = $3) <> 'dry_run'"
			 "		  THEN now() ELSE last_success_at END,"
			 " consecutive_failures = 0, last_error = NULL, next_attempt_at = NULL"
			 " WHERE tenant_id = $1 AND connection = $2",
			 &a, SPI_OK_UPDATE, false);
	}
	else if (end == MLS_RUN_FAILED)
	{
		bool		retryable = failure &&
			(failure->category == MLS_ERR_NETWORK || failure->category == MLS_ERR_SERVER ||
			 failure->category == MLS_ERR_RATE_LIMIT || failure->category == MLS_ERR_PROTOCOL);

		arg_text(&a, message);
		arg_int4(&a, mlsync_max_consecutive_failures, false);
		arg_text(&a, retryable ? "t" : "f");
		/*
		 * Retries wait 1, 2, 4 ... minutes (at most an hour) after each
		 * failed run in a row; a connection failing too often is disabled,
		 * with an event for the admin, and retried no more.
		 */
		exec("WITH s AS ("
			 "  UPDATE mlsync.mls_sync_status SET consecutive_failures = consecutive_failures + 1,"
			 "	 last_error = $4,"
			 "	 next_attempt_at = CASE WHEN $6::bool THEN now() + least(interval '1 minute'"
			 "	   * power(2, least(consecutive_failures, 10)), interval '1 hour') END"
			 "   WHERE tenant_id = $1 AND connection = $2"
			 "  RETURNING consecutive_failures, next_attempt_at),"
			 " disabled AS ("
			 "  UPDATE mlsync.mls_connections c SET enabled = false,"
			 "	 disabled_reason = format('disabled after %s failed runs in a row; last error: %s',"
			 "							  s.consecutive_failures, $4),"
			 "	 updated_at = now()"
			 "	FROM s WHERE c.tenant_id = $1 AND c.connection = $2 AND $5 > 0"
			 "	 AND s.consecutive_failures >= $5"
			 "  RETURNING c.tenant_id, c.connection, c.disabled_reason),"
			 " event AS ("
			 "  INSERT INTO mlsync.mls_events (tenant_id, kind, connection, payload)"
			 "  SELECT d.tenant_id, 'connection_disabled', d.connection,"
			 "		  jsonb_build_object('reason', d.disabled_reason, 'run_id', $3)"
			 "	FROM disabled d)"
			 " INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode, trigger, not_before)"
			 " SELECT $1, $2, h.mode, 'retry', s.next_attempt_at"
			 "   FROM s, mlsync.mls_sync_history h"
			 "  WHERE h.run_id = $3 AND h.mode IN ('full', 'incremental', 'reconcile')"
			 "	AND s.next_attempt_at IS NOT NULL"
			 "	AND NOT EXISTS (SELECT 1 FROM disabled)"
			 "	AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue q"
			 "				   WHERE q.tenant_id = $1 AND q.connection = $2 AND q.run_id <> $3"
			 "					 AND q.state = 'queued')",
			 &a, SPI_OK_INSERT, false);
	}

	a.n = 0;
	arg_int8(&a, run->run_id);
	exec("DELETE FROM mlsync.mls_sync_queue WHERE run_id = $1", &a, SPI_OK_DELETE, false);
	SPI_finish();
}

/*
 * Runs whose process is gone (a worker that crashed or was killed, a
 * backend that ran mls_sync(wait => true) and died) are marked
 * interrupted and queued again at once: the next run resumes from the
 * watermark, so nothing is lost and nothing written twice.
 *
 * A worker is known to the launcher before it shows in pg_stat_activity,
 * so the runs of workers the launcher knows alive (live_runs) are never
 * reaped, and a worker_pid of -1 (being started) is left alone unless the
 * launcher itself is starting.  Returns how many runs were reaped.
 */
int
MlsStoreReapInterrupted(bool launcher_starting, int64 *live_runs, int nlive)
{
	int			found;
	Args		a = {0};
	Datum	   *datums = palloc(sizeof(Datum) * Max(nlive, 1));

	for (int i = 0; i < nlive; i++)
		datums[i] = Int64GetDatum(live_runs[i]);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_text(&a, launcher_starting ? "t" : "f");
	a.types[a.n] = INT8ARRAYOID;
	a.values[a.n] = PointerGetDatum(construct_array(datums, nlive, INT8OID, 8,
													FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	a.nulls[a.n] = ' ';
	a.n++;
	exec("WITH dead AS ("
		 "  DELETE FROM mlsync.mls_sync_queue q"
		 "   WHERE q.state = 'running' AND q.run_id <> ALL ($2)"
		 "	 AND ($1::bool OR q.worker_pid IS DISTINCT FROM -1)"
		 "	 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.pid = q.worker_pid)"
		 "  RETURNING q.*),"
		 " ended AS ("
		 "  UPDATE mlsync.mls_sync_history h SET state = 'interrupted', finished_at = now(),"
		 "	 message = 'the process running the sync ended before it did'"
		 "	FROM dead WHERE h.run_id = dead.run_id AND h.state = 'running'),"
		 " never_started AS ("
		 "  INSERT INTO mlsync.mls_sync_history (tenant_id, run_id, connection, mode, trigger,"
		 "   listing_key, requested_at, state, finished_at, message)"
		 "  SELECT d.tenant_id, d.run_id, d.connection, d.mode, d.trigger, d.listing_key,"
		 "		   d.requested_at, 'interrupted', now(),"
		 "		   'the process that was to run the sync ended before it began'"
		 "	 FROM dead d"
		 "	WHERE NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_history h WHERE h.run_id = d.run_id))"
		 " INSERT INTO mlsync.mls_sync_queue (tenant_id, connection, mode, listing_key, trigger)"
		 " SELECT d.tenant_id, d.connection, d.mode, d.listing_key, 'retry' FROM dead d"
		 "  WHERE d.mode <> 'dry_run'"
		 "	 AND NOT EXISTS (SELECT 1 FROM mlsync.mls_sync_queue q"
		 "					WHERE q.tenant_id = d.tenant_id AND q.connection = d.connection"
		 "					  AND q.state = 'queued')",
		 &a, SPI_OK_INSERT, false);
	found = (int) SPI_processed;
	SPI_finish();
	return found;
}

/*
 * A queued run that could not even be started (its worker could not be
 * launched): record it as failed so that mls_sync_wait() returns.
 */
void
MlsStoreFailUnstartable(int64 run_id, const char *message)
{
	Args		a = {0};

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	arg_int8(&a, run_id);
	arg_text(&a, message);
	exec("WITH q AS (DELETE FROM mlsync.mls_sync_queue WHERE run_id = $1 RETURNING *)"
		 " INSERT INTO mlsync.mls_sync_history (tenant_id, run_id, connection, mode, trigger,"
		 "  listing_key, requested_at, state, finished_at, message)"
		 " SELECT tenant_id, run_id, connection, mode, trigger, listing_key, requested_at,"
		 "		  'failed', now(), $2 FROM q",
		 &a, SPI_OK_INSERT, false);
	SPI_finish();
}
