/*-------------------------------------------------------------------------
 *
 * media_queue.c
 *	  The media queue in SQL: the connections with work, the items a
 *	  worker takes, what it records after downloading and deriving, the
 *	  objects no row refers to any more.
 *
 * The queue is mls_media itself: an item is pending until it is stored or
 * failed, so a worker that dies leaves it pending and the next one takes it
 * again (nothing is claimed in a way that could be lost; one worker serves
 * one connection at a time, under a lock of its own).  Times travel as
 * parameters; values never become SQL text.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/pg_prng.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "media/media.h"
#include "media/media_queue.h"
#include "mlsync.h"
#include "support/sqlargs.h"

/* Failed reads of a stored original before one that finds it gone gives it up */
#define MEDIA_DERIVE_READS_MAX 10

/*
 * Load a connection's media settings and budgets.  The budgets are what is
 * left of the current clock hour: the media budgets of mls_media_settings,
 * and the connection's own request limits (which syncs spend too).
 */
MlsMediaConnection *
MlsMediaLoadConnection(const char *tenant, const char *connection, TimestampTz now)
{
	MemoryContext cxt = CurrentMemoryContext;
	MlsMediaConnection *mc = palloc0(sizeof(MlsMediaConnection));
	MlsSqlArgs	a = {0};
	bool		isnull;
	Datum		d;
	int64		left = -1;

	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	MlsArgDatum(&a, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("WITH hour AS (SELECT date_trunc('hour', $3::timestamptz) AS start),"
			   " media AS (SELECT coalesce(sum(u.requests) FILTER (WHERE u.hour >= (SELECT start FROM hour)), 0) AS requests_hour,"
			   "		   coalesce(sum(u.bytes) FILTER (WHERE u.hour >= (SELECT start FROM hour)), 0) AS bytes_hour,"
			   "		   coalesce(sum(u.requests), 0) AS requests_day"
			   "	  FROM mlsync.mls_media_usage u"
			   "	 WHERE u.tenant_id = $1 AND u.connection = $2 AND u.hour > $3::timestamptz - interval '1 day'),"
			   " sync AS (SELECT coalesce(sum(h.requests) FILTER (WHERE h.started_at > $3::timestamptz - interval '1 hour'), 0) AS requests_hour,"
			   "		  coalesce(sum(h.requests), 0) AS requests_day"
			   "	 FROM mlsync.mls_sync_history h"
			   "	WHERE h.tenant_id = $1 AND h.connection = $2 AND h.started_at > $3::timestamptz - interval '1 day'),"
			   /* the tenant's quota of stored bytes, all its connections together */
			   " quota AS (SELECT t.max_media_bytes - (SELECT coalesce(sum(o.bytes), 0)"
			   "							 FROM mlsync.mls_media_objects o WHERE o.tenant_id = $1) AS bytes_left"
			   "	 FROM mlsync.mls_tenants t WHERE t.tenant_id = $1)"
			   " SELECT c.photo_policy, c.user_agent, c.rate_per_second::float8, c.rate_per_hour, c.rate_per_day,"
			   "		 coalesce(s.concurrency, 4) AS concurrency, s.max_bytes_per_hour, s.max_requests_per_hour,"
			   "		 media.requests_hour AS media_requests_hour, media.bytes_hour AS media_bytes_hour,"
			   "		 media.requests_day AS media_requests_day, sync.requests_hour AS sync_requests_hour,"
			   "		 sync.requests_day AS sync_requests_day, (SELECT bytes_left FROM quota)::int8 AS quota_left"
			   "	FROM mlsync.mls_connections c"
			   "	LEFT JOIN mlsync.mls_media_settings s USING (tenant_id, connection)"
			   "	CROSS JOIN media CROSS JOIN sync"
			   "  WHERE c.tenant_id = $1 AND c.connection = $2",
			   &a, SPI_OK_SELECT, false);
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("connection \"%s\" of tenant \"%s\" does not exist", connection, tenant)));
	mc->tenant = MemoryContextStrdup(cxt, tenant);
	mc->connection = MemoryContextStrdup(cxt, connection);
	mc->photo_policy = MlsSqlText(0, "photo_policy", cxt);
	mc->budget.user_agent = MlsSqlText(0, "user_agent", cxt);
	if (mc->budget.user_agent == NULL)
		mc->budget.user_agent = MemoryContextStrdup(cxt, mlsync_user_agent ? mlsync_user_agent :
													MLSYNC_DEFAULT_USER_AGENT);
	d = MlsSqlDatum(0, "rate_per_second", &isnull);
	mc->budget.per_second = isnull ? 0 : DatumGetFloat8(d);
	mc->budget.concurrency = DatumGetInt32(MlsSqlDatum(0, "concurrency", &isnull));
	{
		int64		media_requests_hour = DatumGetInt64(DirectFunctionCall1(numeric_int8, MlsSqlDatum(0, "media_requests_hour", &isnull)));
		int64		media_bytes_hour = DatumGetInt64(DirectFunctionCall1(numeric_int8, MlsSqlDatum(0, "media_bytes_hour", &isnull)));
		int64		media_requests_day = DatumGetInt64(DirectFunctionCall1(numeric_int8, MlsSqlDatum(0, "media_requests_day", &isnull)));
		int64		sync_requests_hour = DatumGetInt64(DirectFunctionCall1(numeric_int8, MlsSqlDatum(0, "sync_requests_hour", &isnull)));
		int64		sync_requests_day = DatumGetInt64(DirectFunctionCall1(numeric_int8, MlsSqlDatum(0, "sync_requests_day", &isnull)));

		d = MlsSqlDatum(0, "rate_per_hour", &isnull);
		if (!isnull)
			left = Max(DatumGetInt32(d) - sync_requests_hour - media_requests_hour, 0);
		d = MlsSqlDatum(0, "rate_per_day", &isnull);
		if (!isnull)
		{
			int64		day_left = Max(DatumGetInt32(d) - sync_requests_day - media_requests_day, 0);

			left = left < 0 ? day_left : Min(left, day_left);
		}
		d = MlsSqlDatum(0, "max_requests_per_hour", &isnull);
		if (!isnull)
		{
			int64		media_left = Max(DatumGetInt32(d) - media_requests_hour, 0);

			left = left < 0 ? media_left : Min(left, media_left);
		}
		mc->budget.requests_left = left;
		d = MlsSqlDatum(0, "max_bytes_per_hour", &isnull);
		mc->budget.bytes_left = isnull ? -1 : Max(DatumGetInt64(d) - media_bytes_hour, 0);
		d = MlsSqlDatum(0, "quota_left", &isnull);
		mc->budget.quota_left = isnull ? -1 : Max(DatumGetInt64(d), 0);
	}
	SPI_finish();
	return mc;
}

/*
 * The tenant's media bytes stored, now, into today's row of mls_usage (the
 * UTC day of "now"; inside SPI).  Called when files are added or collected:
 * a sum over the tenant's objects, at most once per recorded group.
 */
static void
record_stored_bytes(const char *tenant, TimestampTz now)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, tenant);
	MlsArgDatum(&a, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
	MlsSqlExec("INSERT INTO mlsync.mls_usage AS u (tenant_id, day, media_bytes_stored, updated_at)"
			   " SELECT $1, ($2 AT TIME ZONE 'UTC')::date,"
			   "		 (SELECT coalesce(sum(o.bytes), 0) FROM mlsync.mls_media_objects o"
			   "		   WHERE o.tenant_id = $1), $2"
			   " ON CONFLICT (tenant_id, day) DO UPDATE"
			   " SET media_bytes_stored = excluded.media_bytes_stored, updated_at = excluded.updated_at",
			   &a, SPI_OK_INSERT, false);
}

/*
 * Take up to max pending items that are due, of listings the connection
 * holds, in listing order (so a listing's media complete together).
 */
MlsMediaJob *
MlsMediaClaim(MlsMediaConnection *mc, int max, TimestampTz now, int *njobs)
{
	MemoryContext cxt = CurrentMemoryContext;
	MlsMediaJob *jobs;
	MlsSqlArgs	a = {0};

	MlsArgText(&a, mc->tenant);
	MlsArgText(&a, mc->connection);
	MlsArgDatum(&a, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
	MlsArgDatum(&a, INT4OID, Int32GetDatum(max), false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("SELECT m.media_key, m.listing_key, m.source_url, m.attempts, m.source_modified_raw"
			   "  FROM mlsync.mls_media m"
			   "  JOIN mlsync.mls_listings l ON l.tenant_id = m.tenant_id AND l.connection = m.connection"
			   "		AND l.listing_key = m.listing_key AND l.removed_at IS NULL"
			   " WHERE m.tenant_id = $1 AND m.connection = $2 AND m.state = 'pending'"
			   "   AND m.source_url IS NOT NULL"
			   "   AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= $3)"
			   " ORDER BY m.listing_key, m.position, m.media_key"
			   " LIMIT $4",
			   &a, SPI_OK_SELECT, false);
	*njobs = (int) SPI_processed;
	jobs = MemoryContextAllocZero(cxt, sizeof(MlsMediaJob) * Max(*njobs, 1));
	for (int i = 0; i < *njobs; i++)
	{
		bool		isnull;

		jobs[i].media_key = MlsSqlText(i, "media_key", cxt);
		jobs[i].listing_key = MlsSqlText(i, "listing_key", cxt);
		jobs[i].url = MlsSqlText(i, "source_url", cxt);
		jobs[i].attempts = DatumGetInt32(MlsSqlDatum(i, "attempts", &isnull));
		jobs[i].modified = MlsSqlText(i, "source_modified_raw", cxt);
	}
	SPI_finish();
	return jobs;
}

/*
 * Which of these digests (a List of char *) the tenant already stores.
 */
List *
MlsMediaExistingObjects(const char *tenant, List *sha256s)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *result = NIL;
	char	  **values = palloc(sizeof(char *) * Max(list_length(sha256s), 1));
	ListCell   *lc;
	int			n = 0;
	MlsSqlArgs	a = {0};

	if (sha256s == NIL)
		return NIL;
	foreach(lc, sha256s)
		values[n++] = lfirst(lc);
	MlsArgText(&a, tenant);
	MlsArgTextArray(&a, values, n);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("SELECT sha256 FROM mlsync.mls_media_objects WHERE tenant_id = $1 AND sha256 = ANY ($2)",
			   &a, SPI_OK_SELECT, false);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		result = lappend(result, MlsSqlText(i, "sha256", cxt));
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return result;
}

/*
 * The delay before retry number "attempt" (1, 2, ...): exponential from
 * mlsync.retry_base_delay with jitter, or what the server asked for,
 * capped by mlsync.retry_max_delay; in milliseconds.
 */
static int64
retry_delay_ms(int attempt, int64 retry_after)
{
	double		delay = (double) mlsync_retry_base_delay * pow(2.0, Min(attempt, 30) - 1);

	delay = Min(delay, (double) mlsync_retry_max_delay);
	delay = delay / 2 + pg_prng_double(&pg_global_prng_state) * delay / 2;
	if (retry_after > 0)
		delay = Max(delay, (double) retry_after * 1000);
	return (int64) Min(delay, (double) mlsync_retry_max_delay);
}

/*
 * Record how downloads ended: stored items (storage_keys[i] set, the file
 * already in storage) with their object, items to try again later (with
 * backoff, failed after mlsync.media_max_attempts), failed items, items the
 * budget deferred to the next hour; and the hour's usage.
 */
void
MlsMediaRecord(MlsMediaConnection *mc, MlsMediaJob **jobs, char **storage_keys, int njobs,
			   TimestampTz now, MlsMediaCounts *counts)
{
	char	  **keys = palloc(sizeof(char *) * Max(njobs, 1));
	char	  **urls = palloc(sizeof(char *) * Max(njobs, 1));
	char	  **modified = palloc(sizeof(char *) * Max(njobs, 1));
	char	  **states = palloc(sizeof(char *) * Max(njobs, 1));
	char	  **errors = palloc(sizeof(char *) * Max(njobs, 1));
	char	  **shas = palloc(sizeof(char *) * Max(njobs, 1));
	char	  **types = palloc(sizeof(char *) * Max(njobs, 1));
	char	  **skeys = palloc(sizeof(char *) * Max(njobs, 1));
	int64	   *bytes = palloc(sizeof(int64) * Max(njobs, 1));
	int64	   *delays = palloc(sizeof(int64) * Max(njobs, 1));
	int64		stored = 0;
	int64		failed = 0;
	MlsSqlArgs	a = {0};

	for (int i = 0; i < njobs; i++)
	{
		MlsMediaJob *job = jobs[i];
		bool		ok = job->outcome == MLS_MEDIA_OK && storage_keys[i] != NULL;

		keys[i] = job->media_key;
		urls[i] = job->url;
		modified[i] = job->modified;
		shas[i] = ok ? job->sha256 : NULL;
		types[i] = ok ? (char *) job->content_type : NULL;
		skeys[i] = ok ? storage_keys[i] : NULL;
		bytes[i] = ok ? job->bytes : 0;
		errors[i] = job->error;
		delays[i] = 0;
		switch (job->outcome)
		{
			case MLS_MEDIA_OK:
				/*
				 * Downloaded, but the storage could not take it: not the
				 * photo's fault, so its attempts stay as they are (a real
				 * download failure after the outage is not its last), and it
				 * waits the longest backoff, not to download it again and
				 * again while the storage is away.
				 */
				states[i] = ok ? "stored" : "storage";
				if (ok)
				{
					stored++;
					counts->stored++;
					counts->bytes += job->bytes;
				}
				else
				{
					counts->retry_later++;
					delays[i] = mlsync_retry_max_delay;
				}
				break;
			case MLS_MEDIA_RETRY:
				if (job->attempts + 1 >= mlsync_media_max_attempts)
				{
					states[i] = "failed";
					errors[i] = psprintf("%s (after %d attempt%s)", job->error, job->attempts + 1,
										 job->attempts == 0 ? "" : "s");
					failed++;
					counts->failed++;
				}
				else
				{
					states[i] = "retry";
					delays[i] = retry_delay_ms(job->attempts + 1, job->retry_after);
					counts->retry_later++;
				}
				break;
			case MLS_MEDIA_FAILED:
				states[i] = "failed";
				failed++;
				counts->failed++;
				break;
			case MLS_MEDIA_DEFERRED:
				states[i] = "deferred";
				counts->retry_later++;
				break;
		}
		if (ok)
			errors[i] = NULL;
	}

	MlsArgText(&a, mc->tenant);
	MlsArgText(&a, mc->connection);
	MlsArgDatum(&a, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
	MlsArgTextArray(&a, keys, njobs);
	MlsArgTextArray(&a, urls, njobs);
	MlsArgTextArray(&a, states, njobs);
	MlsArgTextArray(&a, errors, njobs);
	MlsArgTextArray(&a, shas, njobs);
	MlsArgTextArray(&a, types, njobs);
	MlsArgTextArray(&a, skeys, njobs);
	MlsArgInt8Array(&a, bytes, njobs);
	MlsArgInt8Array(&a, delays, njobs);
	MlsArgTextArray(&a, modified, njobs);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/* the objects first: a stored row always has its object */
	MlsSqlExec("INSERT INTO mlsync.mls_media_objects (tenant_id, sha256, bytes, content_type, storage_key,"
			   "  derive_state, created_at)"
			   " SELECT DISTINCT ON (r.sha) $1, r.sha, r.bytes, r.type, r.skey, 'pending', $3"
			   "   FROM unnest($8::text[], $9::text[], $10::text[], $11::int8[]) AS r(sha, type, skey, bytes)"
			   "  WHERE r.sha IS NOT NULL"
			   " ON CONFLICT (tenant_id, sha256) DO NOTHING",
			   &a, SPI_OK_INSERT, false);
	if (SPI_processed > 0)
		record_stored_bytes(mc->tenant, now);

	/*
	 * An item whose URL or modification time changed while it downloaded
	 * (a sync read a new version of it) stays pending: the new version is
	 * fetched next time, and what was downloaded before the change is not
	 * taken for it.  A stored item takes the object's size when the object
	 * was already derived (the same image elsewhere).
	 */
	MlsSqlExec("WITH r AS (SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[],"
			   "							   $8::text[], $10::text[], $11::int8[], $12::int8[],"
			   "							   $13::text[])"
			   "			 AS r(media_key, url, state, error, sha, skey, bytes, delay_ms, modified))"
			   " UPDATE mlsync.mls_media m"
			   "	SET state = CASE r.state WHEN 'stored' THEN 'stored' WHEN 'failed' THEN 'failed'"
			   "					 ELSE 'pending' END,"
			   "		attempts = CASE WHEN r.state IN ('deferred', 'storage') THEN m.attempts"
			   "						ELSE m.attempts + 1 END,"
			   "		last_error = r.error,"
			   "		next_attempt_at = CASE"
			   "			WHEN r.state IN ('retry', 'storage') THEN $3 + r.delay_ms * interval '1 millisecond'"
			   "			WHEN r.state = 'deferred' THEN date_trunc('hour', $3) + interval '1 hour' END,"
			   "		sha256 = CASE WHEN r.state = 'stored' THEN r.sha"
			   "					  WHEN r.state = 'failed' THEN NULL ELSE m.sha256 END,"
			   "		storage_key = CASE WHEN r.state = 'stored' THEN r.skey"
			   "						   WHEN r.state = 'failed' THEN NULL ELSE m.storage_key END,"
			   "		bytes = CASE WHEN r.state = 'stored' THEN r.bytes"
			   "					 WHEN r.state = 'failed' THEN NULL ELSE m.bytes END,"
			   "		width = CASE WHEN r.state = 'stored' THEN o.width"
			   "					 WHEN r.state = 'failed' THEN NULL ELSE m.width END,"
			   "		height = CASE WHEN r.state = 'stored' THEN o.height"
			   "					  WHEN r.state = 'failed' THEN NULL ELSE m.height END,"
			   "		stored_at = CASE WHEN r.state = 'stored' THEN $3 ELSE m.stored_at END,"
			   "		updated_at = $3"
			   "   FROM r LEFT JOIN mlsync.mls_media_objects o ON o.tenant_id = $1 AND o.sha256 = r.sha"
			   "  WHERE m.tenant_id = $1 AND m.connection = $2 AND m.media_key = r.media_key"
			   "	AND m.state = 'pending' AND m.source_url = r.url"
			   "	AND m.source_modified_raw IS NOT DISTINCT FROM r.modified",
			   &a, SPI_OK_UPDATE, false);

	/* the hour's usage */
	{
		MlsSqlArgs	u = {0};

		MlsArgText(&u, mc->tenant);
		MlsArgText(&u, mc->connection);
		MlsArgDatum(&u, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
		MlsArgDatum(&u, INT8OID, Int64GetDatum(mc->budget.requests), false);
		MlsArgDatum(&u, INT8OID, Int64GetDatum(mc->budget.bytes), false);
		MlsArgDatum(&u, INT8OID, Int64GetDatum(stored), false);
		MlsArgDatum(&u, INT8OID, Int64GetDatum(failed), false);
		MlsSqlExec("INSERT INTO mlsync.mls_media_usage AS u (tenant_id, connection, hour, requests, bytes,"
				   "  stored, failed)"
				   " VALUES ($1, $2, date_trunc('hour', $3), $4, $5, $6, $7)"
				   " ON CONFLICT (tenant_id, connection, hour) DO UPDATE"
				   " SET requests = u.requests + EXCLUDED.requests, bytes = u.bytes + EXCLUDED.bytes,"
				   "	  stored = u.stored + EXCLUDED.stored, failed = u.failed + EXCLUDED.failed",
				   &u, SPI_OK_INSERT, false);
		/* spent and recorded: the next record counts from zero */
		mc->budget.requests = 0;
		mc->budget.bytes = 0;
	}
	SPI_finish();
}

/*
 * Stored objects of the connection's media still to be checked and
 * derived (mlsync.media_derive), except those whose original could not be
 * read lately (MlsMediaRecordUnreadable).
 */
MlsMediaObject *
MlsMediaObjectsToDerive(MlsMediaConnection *mc, int max, TimestampTz now, int *n)
{
	MemoryContext cxt = CurrentMemoryContext;
	MlsMediaObject *objects;
	MlsSqlArgs	a = {0};

	MlsArgText(&a, mc->tenant);
	MlsArgText(&a, mc->connection);
	MlsArgDatum(&a, INT4OID, Int32GetDatum(max), false);
	MlsArgDatum(&a, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("SELECT o.sha256, o.storage_key, o.content_type, coalesce(o.bytes, -1) AS bytes"
			   "  FROM mlsync.mls_media_objects o"
			   " WHERE o.tenant_id = $1 AND o.derive_state = 'pending'"
			   "   AND (o.derive_retry_at IS NULL OR o.derive_retry_at <= $4)"
			   "   AND EXISTS (SELECT 1 FROM mlsync.mls_media m WHERE m.tenant_id = o.tenant_id"
			   "				 AND m.connection = $2 AND m.sha256 = o.sha256)"
			   " ORDER BY o.created_at, o.sha256 LIMIT $3",
			   &a, SPI_OK_SELECT, false);
	*n = (int) SPI_processed;
	objects = MemoryContextAllocZero(cxt, sizeof(MlsMediaObject) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		bool		isnull;

		objects[i].sha256 = MlsSqlText(i, "sha256", cxt);
		objects[i].storage_key = MlsSqlText(i, "storage_key", cxt);
		objects[i].content_type = MlsSqlText(i, "content_type", cxt);
		objects[i].bytes = DatumGetInt64(MlsSqlDatum(i, "bytes", &isnull));
	}
	SPI_finish();
	return objects;
}

/*
 * Record an object's check: its size and derivatives (keys[i] the storage
 * key of derivative i), or its failure, which fails every item showing it
 * (the original is then garbage).
 */
void
MlsMediaRecordDerived(MlsMediaConnection *mc, const char *sha256, const MlsMediaDerived *derived,
					  const char **keys, TimestampTz now)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, mc->tenant);
	MlsArgText(&a, sha256);
	MlsArgDatum(&a, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (derived->ok)
	{
		JsonbParseState *state = NULL;
		JsonbValue *array;

		pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
		for (int i = 0; i < derived->nderivatives; i++)
		{
			const MlsMediaDerivative *d = &derived->derivatives[i];
			JsonbValue	k,
						v;

#define PUT_KEY(name) \
	(k.type = jbvString, k.val.string.val = (name), k.val.string.len = strlen(name), \
	 pushJsonbValue(&state, WJB_KEY, &k))
#define PUT_INT(num) \
	(v.type = jbvNumeric, \
	 v.val.numeric = DatumGetNumeric(DirectFunctionCall1(int8_numeric, Int64GetDatum(num))), \
	 pushJsonbValue(&state, WJB_VALUE, &v))
#define PUT_TEXT(text) \
	(v.type = jbvString, v.val.string.val = (char *) (text), v.val.string.len = strlen(text), \
	 pushJsonbValue(&state, WJB_VALUE, &v))

			pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
			PUT_KEY("size");
			PUT_INT(d->requested);
			PUT_KEY("format");
			PUT_TEXT(d->format);
			PUT_KEY("width");
			PUT_INT(d->width);
			PUT_KEY("height");
			PUT_INT(d->height);
			PUT_KEY("bytes");
			PUT_INT(d->bytes);
			PUT_KEY("storage_key");
			PUT_TEXT(keys[i]);
			pushJsonbValue(&state, WJB_END_OBJECT, NULL);
		}
		array = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
		MlsArgDatum(&a, JSONBOID, JsonbPGetDatum(JsonbValueToJsonb(array)), false);
		MlsArgDatum(&a, INT4OID, Int32GetDatum(derived->width), false);
		MlsArgDatum(&a, INT4OID, Int32GetDatum(derived->height), false);
		MlsSqlExec("WITH o AS ("
				   "  UPDATE mlsync.mls_media_objects SET derive_state = 'done', derive_error = NULL,"
				   "	 derivatives = $4, width = $5, height = $6"
				   "   WHERE tenant_id = $1 AND sha256 = $2 RETURNING 1)"
				   " UPDATE mlsync.mls_media m SET width = $5, height = $6, updated_at = $3"
				   "  WHERE m.tenant_id = $1 AND m.sha256 = $2 AND m.state <> 'removed'",
				   &a, SPI_OK_UPDATE, false);
	}
	else
	{
		MlsArgText(&a, derived->error);
		MlsSqlExec("WITH o AS ("
				   "  UPDATE mlsync.mls_media_objects SET derive_state = 'failed', derive_error = $4"
				   "   WHERE tenant_id = $1 AND sha256 = $2 RETURNING 1),"
				   " f AS ("
				   "  UPDATE mlsync.mls_media m SET state = 'failed', last_error = $4, sha256 = NULL,"
				   "	 storage_key = NULL, bytes = NULL, width = NULL, height = NULL, updated_at = $3"
				   "   WHERE m.tenant_id = $1 AND m.sha256 = $2 AND m.state <> 'removed'"
				   "  RETURNING m.connection, m.listing_key)"
				   " INSERT INTO mlsync.mls_media_listings AS ml (tenant_id, connection, listing_key, changed)"
				   " SELECT DISTINCT $1, f.connection, f.listing_key, false FROM f"
				   " ON CONFLICT (tenant_id, connection, listing_key) DO NOTHING",
				   &a, SPI_OK_INSERT, false);
	}
	SPI_finish();
}

/*
 * Record that an object's original could not be read back from storage for
 * derivation: it is tried again after a minute, doubling with each failure
 * (up to a day), so one that stays unreadable neither holds back the
 * objects after it nor keeps media workers starting for it.  When the
 * storage answers that it does not hold the bytes (gone: no such file, S3's
 * NoSuchKey, more bytes than were stored) after MEDIA_DERIVE_READS_MAX
 * failed reads, the stored file is given up: the items showing it are downloaded again from
 * the source, and the object, shown by none, goes with its files to the
 * garbage at once, so the download stores the bytes anew instead of finding
 * them stored.  A storage that fails to answer (refused credentials, 5xx,
 * the network) never makes mlsync give up a file.  Under the storage lock.
 */
void
MlsMediaRecordUnreadable(MlsMediaConnection *mc, const char *sha256, const char *error,
						 bool gone, TimestampTz now)
{
	MlsSqlArgs	a = {0};
	bool		isnull;

	MlsArgText(&a, mc->tenant);
	MlsArgText(&a, sha256);
	MlsArgDatum(&a, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
	MlsArgText(&a, error);
	MlsArgDatum(&a, INT4OID, Int32GetDatum(MEDIA_DERIVE_READS_MAX), false);
	MlsArgBool(&a, gone);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("UPDATE mlsync.mls_media_objects"
			   "	SET derive_reads_failed = derive_reads_failed + 1, derive_error = $4,"
			   "		derive_retry_at = $3 + least(interval '1 minute' * 2 ^ least(derive_reads_failed, 11),"
			   "									 interval '1 day')"
			   "  WHERE tenant_id = $1 AND sha256 = $2 AND derive_state = 'pending'"
			   " RETURNING $6 AND derive_reads_failed >= $5 AS give_up",
			   &a, SPI_OK_UPDATE_RETURNING, false);
	if (SPI_processed == 1 && DatumGetBool(MlsSqlDatum(0, "give_up", &isnull)))
	{
		MlsSqlExec("UPDATE mlsync.mls_media m SET state = 'pending', sha256 = NULL, storage_key = NULL,"
				   "	 bytes = NULL, width = NULL, height = NULL, attempts = 0, next_attempt_at = NULL,"
				   "	 last_error = 'its stored file could not be read back: ' || $4, updated_at = $3"
				   "  WHERE m.tenant_id = $1 AND m.sha256 = $2 AND m.state <> 'removed'",
				   &a, SPI_OK_UPDATE, false);
		MlsMediaCollectObjects(mc->tenant);
	}
	SPI_finish();
}

/*
 * Delete the tenant's objects that no media item shows any more (removed,
 * replaced by new bytes, failed); their files (original and derivatives)
 * go to mls_media_garbage in the same statement.
 */
void
MlsMediaCollectObjects(const char *tenant)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, tenant);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("WITH gone AS ("
			   "  DELETE FROM mlsync.mls_media_objects o"
			   "   WHERE o.tenant_id = $1"
			   "	 AND NOT EXISTS (SELECT 1 FROM mlsync.mls_media m WHERE m.tenant_id = o.tenant_id"
			   "					  AND m.sha256 = o.sha256 AND m.state <> 'removed')"
			   "  RETURNING o.sha256, o.storage_key, o.derivatives)"
			   " INSERT INTO mlsync.mls_media_garbage (tenant_id, storage_key, sha256)"
			   " SELECT $1, k.key, g.sha256 FROM gone g,"
			   "		LATERAL (SELECT g.storage_key UNION ALL"
			   "				 SELECT d ->> 'storage_key' FROM jsonb_array_elements(g.derivatives) d) k(key)"
			   "  WHERE k.key IS NOT NULL"
			   " ON CONFLICT DO NOTHING",
			   &a, SPI_OK_INSERT, false);
	if (SPI_processed > 0)
		record_stored_bytes(tenant, GetCurrentTransactionStartTimestamp());
	SPI_finish();
}

/*
 * Files of the tenant to delete (a List of char * storage keys), at most
 * max.  Files whose content is stored again (the same bytes came back) are
 * dropped from the list first: they are live.
 */
List *
MlsMediaGarbage(const char *tenant, int max)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *keys = NIL;
	MlsSqlArgs	a = {0};

	MlsArgText(&a, tenant);
	MlsArgDatum(&a, INT4OID, Int32GetDatum(max), false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("DELETE FROM mlsync.mls_media_garbage g WHERE g.tenant_id = $1"
			   "   AND EXISTS (SELECT 1 FROM mlsync.mls_media_objects o"
			   "				WHERE o.tenant_id = g.tenant_id AND o.sha256 = g.sha256)",
			   &a, SPI_OK_DELETE, false);
	MlsSqlExec("SELECT storage_key FROM mlsync.mls_media_garbage WHERE tenant_id = $1"
			   " ORDER BY attempts, storage_key LIMIT $2",
			   &a, SPI_OK_SELECT, false);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		keys = lappend(keys, MlsSqlText(i, "storage_key", cxt));
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return keys;
}

/*
 * Record what became of files to delete: deleted ones leave the garbage,
 * the others keep their error for the next round.
 */
void
MlsMediaGarbageDone(const char *tenant, const char *key, const char *error)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, tenant);
	MlsArgText(&a, key);
	MlsArgText(&a, error);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (error == NULL)
		MlsSqlExec("DELETE FROM mlsync.mls_media_garbage WHERE tenant_id = $1 AND storage_key = $2"
				   "   AND $3::text IS NULL", &a, SPI_OK_DELETE, false);
	else
		MlsSqlExec("UPDATE mlsync.mls_media_garbage SET attempts = attempts + 1, last_error = $3"
				   " WHERE tenant_id = $1 AND storage_key = $2", &a, SPI_OK_UPDATE, false);
	SPI_finish();
}

/*
 * Raise the media_changed events the connection owes.
 */
int64
MlsMediaRaiseEvents(const char *tenant, const char *connection)
{
	MlsSqlArgs	a = {0};
	bool		isnull;
	int64		n;

	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("SELECT mlsync.mls_media_raise_events($1, $2) AS raised", &a, SPI_OK_SELECT, false);
	n = DatumGetInt64(MlsSqlDatum(0, "raised", &isnull));
	SPI_finish();
	return isnull ? 0 : n;
}

/*
 * Downloading connections (of one tenant, or one connection, or all when
 * both are NULL) with media work: due pending items of listings they hold,
 * objects to derive, events owed (media that changed, removals among them:
 * the garbage they leave is collected by the same round).  A List of
 * two-element Lists (tenant, connection) of char *.
 */
List *
MlsMediaConnectionsWithWork(const char *tenant, const char *connection, TimestampTz now,
							int limit)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *result = NIL;
	MlsSqlArgs	a = {0};

	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	MlsArgDatum(&a, TIMESTAMPTZOID, TimestampTzGetDatum(now), false);
	MlsArgDatum(&a, INT4OID, Int32GetDatum(limit), false);
	MlsArgDatum(&a, BOOLOID, BoolGetDatum(mlsync_media_derive), false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsSqlExec("SELECT c.tenant_id, c.connection FROM mlsync.mls_connections c"
			   " WHERE c.photo_policy = 'download' AND c.enabled"
			   "   AND ($1::text IS NULL OR c.tenant_id = $1) AND ($2::text IS NULL OR c.connection = $2)"
			   "   AND (EXISTS (SELECT 1 FROM mlsync.mls_media m"
			   "				  JOIN mlsync.mls_listings l ON l.tenant_id = m.tenant_id"
			   "				   AND l.connection = m.connection AND l.listing_key = m.listing_key"
			   "				   AND l.removed_at IS NULL"
			   "				 WHERE m.tenant_id = c.tenant_id AND m.connection = c.connection"
			   "				   AND m.state = 'pending' AND m.source_url IS NOT NULL"
			   "				   AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= $3))"
			   "		OR ($5 AND EXISTS (SELECT 1 FROM mlsync.mls_media_objects o"
			   "						  JOIN mlsync.mls_media m ON m.tenant_id = o.tenant_id"
			   "						   AND m.sha256 = o.sha256 AND m.connection = c.connection"
			   "						 WHERE o.tenant_id = c.tenant_id AND o.derive_state = 'pending'"
			   "						   AND (o.derive_retry_at IS NULL OR o.derive_retry_at <= $3)))"
			   "		OR EXISTS (SELECT 1 FROM mlsync.mls_media_listings ml"
			   "				   WHERE ml.tenant_id = c.tenant_id AND ml.connection = c.connection"
			   "					 AND ml.changed AND NOT ml.needs_check))"
			   " ORDER BY c.priority, c.tenant_id, c.connection LIMIT $4",
			   &a, SPI_OK_SELECT, false);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		result = lappend(result, list_make2(MlsSqlText(i, "tenant_id", cxt), MlsSqlText(i, "connection", cxt)));
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return result;
}
