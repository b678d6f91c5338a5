/*-------------------------------------------------------------------------
 *
 * writer.c
 *	  Writing listings (see writer.h).
 *
 * A batch is written with one statement,
 *
 *	INSERT INTO mls_listings SELECT * FROM unnest($1::mls_listings[])
 *	ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE SET ...
 *	WHERE the stored raw_hash differs (or the listing was removed)
 *
 * so an unchanged record costs no write and fires no event, and the
 * statement triggers on mls_listings see the whole batch at once.  The plan
 * is prepared once per run; its column list comes from the catalog
 * (mls_mappable_columns), quoted.  local_overrides and first_seen_at are
 * never in the SET list; property_id is set by property matching (the
 * marked hook below, src/match/matcher.c) and kept when matching is off.
 *
 * If the database refuses the batch (a CHECK constraint, say), the batch is
 * written again one row per subtransaction, so the bad rows are logged and
 * skipped and the others kept.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "transport/source.h"
#include "engine/sqlargs.h"
#include "engine/writer.h"
#include "match/matcher.h"

struct MlsWriter
{
	MlsMappingSet *set;
	char	   *tenant;
	char	   *connection;
	Oid			row_type;
	Oid			array_type;
	char	   *upsert_sql;
	SPIPlanPtr	upsert;
	MlsMatcher *matcher;		/* property matching; NULL when off */
};

/*
 * The upsert statement, from the catalog's list of mappable columns.
 */
static char *
build_upsert_sql(void)
{
	StringInfoData sql;
	int			rc;

	rc = SPI_execute("SELECT column_name FROM mlsync.mls_mappable_columns", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_mappable_columns: %s", SPI_result_code_string(rc));

	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "INSERT INTO mlsync.mls_listings AS l"
						   " SELECT * FROM unnest($1::mlsync.mls_listings[])"
						   " ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE SET ");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		const char *column = quote_identifier(SPI_getvalue(SPI_tuptable->vals[i],
														   SPI_tuptable->tupdesc, 1));

		if (strcmp(column, "listing_key") == 0)
			continue;
		appendStringInfo(&sql, "%s = excluded.%s, ", column, column);
	}
	appendStringInfoString(&sql,
						   "extra = excluded.extra, raw = excluded.raw, raw_hash = excluded.raw_hash,"
						   " last_synced_at = excluded.last_synced_at, removed_at = NULL, conflict = NULL,"
						   " property_id = coalesce(excluded.property_id, l.property_id)"
						   " WHERE l.raw_hash IS DISTINCT FROM excluded.raw_hash"
						   " OR l.removed_at IS NOT NULL OR l.conflict IS NOT NULL"
						   " RETURNING (xmax = 0), listing_key");
	return sql.data;
}

/*
 * A writer for one run, in the current memory context.  The plan is
 * prepared on first use (it needs an open transaction).
 */
MlsWriter *
MlsWriterCreate(MlsMappingSet *set, const char *tenant, const char *connection)
{
	MlsWriter  *writer = palloc0(sizeof(MlsWriter));

	writer->set = set;
	writer->tenant = pstrdup(tenant);
	writer->connection = pstrdup(connection);
	writer->row_type = set->tupdesc->tdtypeid;
	writer->array_type = get_array_type(writer->row_type);
	if (!OidIsValid(writer->array_type))
		elog(ERROR, "mlsync.mls_listings has no array type");
	/* property matching hook: the matcher of this run (src/match/matcher.h) */
	writer->matcher = MlsMatcherCreate(tenant, connection, set->tupdesc);
	return writer;
}

/*
 * Prepare the upsert plan once per run (kept across transactions).
 */
static void
prepare_upsert(MlsWriter *writer)
{
	MemoryContext cxt = GetMemoryChunkContext(writer);
	Oid			argtypes[1];

	if (writer->upsert)
		return;
	argtypes[0] = writer->array_type;
	if (writer->upsert_sql == NULL)
		writer->upsert_sql = MemoryContextStrdup(cxt, build_upsert_sql());
	writer->upsert = SPI_prepare(writer->upsert_sql, 1, argtypes);
	if (writer->upsert == NULL)
		elog(ERROR, "could not prepare the listing upsert: %s",
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(writer->upsert) != 0)
		elog(ERROR, "could not keep the listing upsert plan");
}

/*
 * Run the upsert for some rows; adds to the result's counts.
 */
static void
execute_upsert(MlsWriter *writer, Datum *rows, int n, MlsWriteResult *result)
{
	ArrayType  *array;
	Datum		values[1];
	int			rc;

	/* property matching hook: sets property_id in the rows (src/match/matcher.h) */
	if (writer->matcher)
		MlsMatcherBeforeUpsert(writer->matcher, rows, n);

	array = construct_array(rows, n, writer->row_type, -1, false, TYPALIGN_DOUBLE);
	values[0] = PointerGetDatum(array);
	rc = SPI_execute_plan(writer->upsert, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "listing upsert failed: %s", SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)))
			result->inserted++;
		else
			result->updated++;
	}
	result->unchanged += n - (int64) SPI_processed;

	/* property matching hook: records the matches of the rows written */
	if (writer->matcher)
		MlsMatcherAfterUpsert(writer->matcher, SPI_tuptable, SPI_processed);
}

/*
 * Try the upsert of some rows in a subtransaction.  Returns false, with
 * *error set, when the database refused them; nothing is left behind then.
 */
static bool
try_upsert(MlsWriter *writer, Datum *rows, int n, MlsWriteResult *result, ErrorData **error)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	MlsWriteResult attempt = {0};
	volatile bool ok = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		MlsSqlConnect();
		prepare_upsert(writer);
		execute_upsert(writer, rows, n, &attempt);
		SPI_finish();
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ok = true;
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		*error = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_END_TRY();

	/* interrupts are not the rows' fault: they end the run */
	if (!ok && (*error)->sqlerrcode == ERRCODE_QUERY_CANCELED)
		ReThrowError(*error);
	if (ok)
	{
		result->inserted += attempt.inserted;
		result->updated += attempt.updated;
		result->unchanged += attempt.unchanged;
	}
	return ok;
}

/*
 * Upsert a batch of mapped rows (composite datums of mls_listings, keys
 * distinct).  Rows the database refuses are reported in result->failed.
 */
void
MlsWriterUpsert(MlsWriter *writer, Datum *rows, char **keys, int n, MlsWriteResult *result)
{
	ErrorData  *error = NULL;

	memset(result, 0, sizeof(*result));
	if (n == 0)
		return;
	if (try_upsert(writer, rows, n, result, &error))
		return;

	/* find the rows the database refuses, keep the others */
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (!try_upsert(writer, &rows[i], 1, result, &error))
		{
			MlsSourceError *e = palloc0(sizeof(MlsSourceError));

			e->category = MLS_ERR_DATA;
			e->retry_state = MLS_SKIPPED;
			e->record_key = keys[i];
			e->reply_code = -1;
			e->attempt = 1;
			e->message = error->detail ?
				psprintf("%s (%s)", error->message, error->detail) : pstrdup(error->message);
			result->failed = lappend(result->failed, e);
		}
	}
}

/*
 * What an upsert of these rows would do (dry run): counts only.
 */
void
MlsWriterPreview(MlsWriter *writer, char **keys, int64 *hashes, int n, MlsWriteResult *result)
{
	MlsSqlArgs	a = {0};
	bool		isnull;

	memset(result, 0, sizeof(*result));
	if (n == 0)
		return;
	MlsArgTextArray(&a, keys, n);
	MlsArgInt8Array(&a, hashes, n);
	MlsArgText(&a, writer->tenant);
	MlsArgText(&a, writer->connection);
	MlsSqlConnect();
	MlsSqlExec("SELECT count(*) FILTER (WHERE l.listing_key IS NULL) AS inserted,"
			   " count(*) FILTER (WHERE l.listing_key IS NOT NULL AND"
			   "   (l.raw_hash IS DISTINCT FROM r.raw_hash OR l.removed_at IS NOT NULL)) AS updated"
			   " FROM unnest($1, $2) r(listing_key, raw_hash)"
			   " LEFT JOIN mlsync.mls_listings l ON l.tenant_id = $3"
			   "  AND l.connection = $4 AND l.listing_key = r.listing_key",
			   &a, SPI_OK_SELECT, true);
	result->inserted = DatumGetInt64(MlsSqlDatum(0, "inserted", &isnull));
	result->updated = DatumGetInt64(MlsSqlDatum(0, "updated", &isnull));
	result->unchanged = n - result->inserted - result->updated;
	SPI_finish();
}

/*
 * Remember keys a reconcile run saw at the source, with their timestamps
 * (nulls[i]: the source sent none, or none that could be read).  A key may
 * come twice (a RETS window read again): the latest timestamp counts.
 */
void
MlsWriterSeeKeys(MlsWriter *writer, int64 run_id, char **keys,
				 const TimestampTz *timestamps, const bool *nulls, int n)
{
	MlsSqlArgs	a = {0};
	Datum	   *ts = palloc(sizeof(Datum) * Max(n, 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};

	if (n == 0)
		return;
	for (int i = 0; i < n; i++)
		ts[i] = TimestampTzGetDatum(timestamps[i]);
	MlsArgInt8(&a, run_id);
	MlsArgTextArray(&a, keys, n);
	MlsArgDatum(&a, TIMESTAMPTZARRAYOID,
				PointerGetDatum(construct_md_array(ts, (bool *) nulls, 1, dims, lbs,
												   TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL,
												   TYPALIGN_DOUBLE)),
				false);
	MlsSqlConnect();
	MlsSqlExec("INSERT INTO mlsync.mls_reconcile_keys (run_id, listing_key, source_timestamp)"
			   " SELECT $1, k, max(t) FROM unnest($2, $3) AS u(k, t) GROUP BY k"
			   " ON CONFLICT (run_id, listing_key) DO UPDATE SET source_timestamp = excluded.source_timestamp",
			   &a, SPI_OK_INSERT, false);
	SPI_finish();
}

/*
 * The keys a reconcile run saw that need a fetch, as Lists of strings in
 * the current memory context: missing (not stored, or stored as removed)
 * and stale (stored with another modification timestamp than the source
 * has).  A stored listing without a modification timestamp (a mapping set
 * that maps none) cannot be compared and is left alone.
 */
void
MlsWriterKeysToRepair(MlsWriter *writer, int64 run_id, List **missing, List **stale)
{
	MlsSqlArgs	a = {0};
	MemoryContext cxt = CurrentMemoryContext;
	uint64		n;

	*missing = *stale = NIL;
	MlsArgText(&a, writer->tenant);
	MlsArgText(&a, writer->connection);
	MlsArgInt8(&a, run_id);
	MlsSqlConnect();
	n = MlsSqlExec("SELECT k.listing_key, (l.listing_key IS NULL OR l.removed_at IS NOT NULL) AS missing"
				   " FROM mlsync.mls_reconcile_keys k"
				   " LEFT JOIN mlsync.mls_listings l ON l.tenant_id = $1 AND l.connection = $2"
				   "  AND l.listing_key = k.listing_key"
				   " WHERE k.run_id = $3"
				   "   AND (l.listing_key IS NULL OR l.removed_at IS NOT NULL"
				   "		OR (k.source_timestamp IS NOT NULL AND l.modification_timestamp IS NOT NULL"
				   "			AND l.modification_timestamp <> k.source_timestamp))"
				   " ORDER BY k.listing_key",
				   &a, SPI_OK_SELECT, true);
	for (uint64 i = 0; i < n; i++)
	{
		bool		isnull;
		char	   *key = MlsSqlText(i, "listing_key", cxt);
		MemoryContext old = MemoryContextSwitchTo(cxt);

		if (DatumGetBool(MlsSqlDatum(i, "missing", &isnull)))
			*missing = lappend(*missing, key);
		else
			*stale = lappend(*stale, key);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
}

/*
 * Mark listings removed at the source: those not in the candidate set
 * (unseen by a reconcile run, or named as gone), not already removed.  A
 * listing with local overrides is flagged (conflict = removed_at_source)
 * instead, so a local edit is never silently lost.
 */
static void
remove_listings(MlsWriter *writer, const char *candidates, MlsSqlArgs *a,
				int64 *removed, int64 *flagged)
{
	char	   *sql;
	bool		isnull;

	sql = psprintf("WITH gone AS ("
				   "  SELECT l.listing_key, l.local_overrides <> '{}' AS edited"
				   "	FROM mlsync.mls_listings l"
				   "   WHERE l.tenant_id = $1 AND l.connection = $2 AND l.removed_at IS NULL"
				   "	 AND %s),"
				   " removed AS ("
				   "  UPDATE mlsync.mls_listings l SET removed_at = now(), standard_status = 'Delete',"
				   "	 last_synced_at = now()"
				   "	FROM gone g WHERE l.tenant_id = $1 AND l.connection = $2"
				   "	 AND l.listing_key = g.listing_key AND NOT g.edited"
				   "  RETURNING 1),"
				   " flagged AS ("
				   "  UPDATE mlsync.mls_listings l SET conflict = 'removed_at_source'"
				   "	FROM gone g WHERE l.tenant_id = $1 AND l.connection = $2"
				   "	 AND l.listing_key = g.listing_key AND g.edited AND l.conflict IS NULL"
				   "  RETURNING 1)"
				   " SELECT (SELECT count(*) FROM removed) AS removed,"
				   " (SELECT count(*) FROM flagged) AS flagged",
				   candidates);
	MlsSqlConnect();
	MlsSqlExec(sql, a, SPI_OK_SELECT, false);
	*removed = DatumGetInt64(MlsSqlDatum(0, "removed", &isnull));
	*flagged = DatumGetInt64(MlsSqlDatum(0, "flagged", &isnull));
	SPI_finish();
}

void
MlsWriterRemoveUnseen(MlsWriter *writer, int64 run_id, int64 *removed, int64 *flagged)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, writer->tenant);
	MlsArgText(&a, writer->connection);
	MlsArgInt8(&a, run_id);
	remove_listings(writer,
					"NOT EXISTS (SELECT 1 FROM mlsync.mls_reconcile_keys k"
					"			  WHERE k.run_id = $3 AND k.listing_key = l.listing_key)",
					&a, removed, flagged);
}

void
MlsWriterRemoveKeys(MlsWriter *writer, char **keys, int n, int64 *removed, int64 *flagged)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, writer->tenant);
	MlsArgText(&a, writer->connection);
	MlsArgTextArray(&a, keys, n);
	remove_listings(writer, "l.listing_key = ANY ($3)", &a, removed, flagged);
}

/*
 * Drop a reconcile run's keys.
 */
void
MlsWriterForgetSeen(MlsWriter *writer, int64 run_id)
{
	MlsSqlArgs	a = {0};

	MlsArgInt8(&a, run_id);
	MlsSqlConnect();
	MlsSqlExec("DELETE FROM mlsync.mls_reconcile_keys WHERE run_id = $1", &a, SPI_OK_DELETE, false);
	SPI_finish();
}

/*
 * Listings of the connection not removed (a reconcile run must not remove
 * everything because a server answered with no keys at all).
 */
int64
MlsWriterListingCount(MlsWriter *writer)
{
	MlsSqlArgs	a = {0};
	bool		isnull;
	int64		count;

	MlsArgText(&a, writer->tenant);
	MlsArgText(&a, writer->connection);
	MlsSqlConnect();
	MlsSqlExec("SELECT count(*) AS n FROM mlsync.mls_listings"
			   " WHERE tenant_id = $1 AND connection = $2 AND removed_at IS NULL",
			   &a, SPI_OK_SELECT, true);
	count = DatumGetInt64(MlsSqlDatum(0, "n", &isnull));
	SPI_finish();
	return count;
}

/*
 * Free the kept plan.
 */
void
MlsWriterDestroy(MlsWriter *writer)
{
	if (writer && writer->upsert)
	{
		SPI_freeplan(writer->upsert);
		writer->upsert = NULL;
	}
	/* property matching hook: its kept plans */
	if (writer)
		MlsMatcherDestroy(writer->matcher);
}
