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
 * so an unchanged record costs no write and records no event.  The
 * statement is built once per run and planned for every batch with a
 * generic plan (prepare_upsert says why); its column list comes from the catalog
 * (mls_mappable_columns), quoted.  first_seen_at is never in the SET list;
 * property_id is set by property matching (the marked hook below,
 * src/match/matcher.c) and kept when matching is off; local_overrides
 * only loses the override of a field the connection says the MLS owns
 * (mls_owned_fields) when the MLS changes that field.  The same statement, in data-modifying CTEs around the
 * upsert, records each override so cleared in the listing's history and
 * raises override_cleared; raises listing_updated with the changed columns
 * for a connection that asks for it (listing_updated_events), comparing the
 * stored rows read before the upsert with the incoming ones; and forgets
 * the skipped records (mls_skipped_records) of the listings it wrote.  These
 * are written here, not by a trigger, because they need the batch's rows
 * before and after, and a statement trigger writing other tables is what
 * the design avoids (docs/architecture.md).
 *
 * The history rows and listing events of what a batch changed, and the
 * deliveries and alerts of every event it raised, are the writer's too:
 * the upsert returns each written listing as it was (read before the
 * upsert) and as it is, and one more statement per batch passes them, as
 * arrays, to mls_writer_capture (sql/src/31_capture.sql).  Removals do the
 * same.  While the writer's statements run, MlsEventsWriterCapture keeps
 * the capture triggers on mls_listings and mls_events from firing (their
 * WHEN clause), so nothing is recorded twice; the triggers stay for the
 * writes of everybody else.  Nothing here depends on a trigger, which is
 * what a distributed (Citus) mls_listings needs: its shards see no
 * transition tables, and the one NOTIFY is sent by this backend.
 *
 * Before a batch is written (or previewed), the keys of excluded listings
 * (mls_listing_exclusions) are dropped from it, and so are the new listings
 * that would take the connection past its max_listings.
 *
 * If the database refuses the batch (a CHECK constraint, say), the batch is
 * written again one row per subtransaction, so the bad rows are logged and
 * skipped (kept whole, to retry) and the others kept.
 *
 * A dry run previews instead: it counts what the upsert would do and
 * records, per listing, the columns that would change with their old and
 * new values (mls_dry_run_changes, the first mlsync.dry_run_changes_limit
 * listings; mls_dry_run_columns counts every listing per column).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "mlsync.h"
#include "events/events.h"
#include "transport/source.h"
#include "support/sqlargs.h"
#include "engine/writer.h"
#include "match/matcher.h"

/* The most work_mem the upsert takes to hold its batch in memory (64 MB) */
#define HOLD_BATCH_MAX_KB (64 * 1024)

struct MlsWriter
{
	MlsMappingSet *set;
	char	   *tenant;
	char	   *connection;
	Oid			row_type;
	Oid			array_type;
	Oid			capture_type;	/* mls_listing_capture, and its array type */
	Oid			capture_array_type;
	char	   *upsert_sql;		/* built once per run (prepare_upsert) */
	Oid			upsert_types[6];
	SPIPlanPtr	capture;		/* SELECT mls_writer_capture(...) */

	/* the connection's options, read once per run (load_options) */
	bool		options_loaded;
	Datum		owned_fields;	/* text[] of mls_owned_fields */
	int			nowned;
	bool		listing_updated_events;
	int64		max_listings;	/* -1: no cap */
	int64		listings;		/* its listings not removed, as the run goes */
	char	   *columns;		/* ARRAY['column', ...]: mapped columns and extra */
	MlsMatcher *matcher;		/* property matching; NULL when off */
};

/*
 * Read the connection's options and the mapped columns (inside SPI), into
 * the writer's context: they hold for the whole run.
 */
static void
load_options(MlsWriter *writer)
{
	MemoryContext cxt = GetMemoryChunkContext(writer);
	MlsSqlArgs	a = {0};
	StringInfoData columns;
	bool		isnull;
	Datum		owned;
	MemoryContext old;

	if (writer->options_loaded)
		return;
	MlsArgText(&a, writer->tenant);
	MlsArgText(&a, writer->connection);
	if (MlsSqlExec("SELECT c.mls_owned_fields, cardinality(c.mls_owned_fields) AS nowned,"
				   " c.listing_updated_events, coalesce(c.max_listings, -1) AS max_listings,"
				   " CASE WHEN c.max_listings IS NOT NULL THEN"
				   "   (SELECT count(*) FROM mlsync.mls_listings l WHERE l.tenant_id = c.tenant_id"
				   "	   AND l.connection = c.connection AND l.removed_at IS NULL) ELSE 0 END AS listings,"
				   " (SELECT string_agg(quote_literal(m.column_name), ', ')"
				   "   FROM mlsync.mls_mappable_columns m WHERE m.column_name <> 'listing_key')"
				   "   AS columns,"
				   " 'mlsync.mls_listing_capture'::pg_catalog.regtype::pg_catalog.oid AS capture_type"
				   " FROM mlsync.mls_connections c WHERE c.tenant_id = $1 AND c.connection = $2",
				   &a, SPI_OK_SELECT, true) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("connection \"%s\" of tenant \"%s\" does not exist",
						writer->connection, writer->tenant)));
	owned = MlsSqlDatum(0, "mls_owned_fields", &isnull);
	old = MemoryContextSwitchTo(cxt);
	writer->owned_fields = datumCopy(owned, false, -1);
	MemoryContextSwitchTo(old);
	writer->nowned = DatumGetInt32(MlsSqlDatum(0, "nowned", &isnull));
	writer->listing_updated_events = DatumGetBool(MlsSqlDatum(0, "listing_updated_events", &isnull));
	writer->max_listings = DatumGetInt64(MlsSqlDatum(0, "max_listings", &isnull));
	writer->listings = DatumGetInt64(MlsSqlDatum(0, "listings", &isnull));
	writer->capture_type = DatumGetObjectId(MlsSqlDatum(0, "capture_type", &isnull));
	writer->capture_array_type = get_array_type(writer->capture_type);
	initStringInfo(&columns);
	appendStringInfo(&columns, "ARRAY[%s, 'extra']::text[]", MlsSqlText(0, "columns", cxt));
	writer->columns = MemoryContextStrdup(cxt, columns.data);
	writer->options_loaded = true;
}

/*
 * The SQL expression of what the capture needs of the listing row alias
 * (an mls_listing_capture; its columns, in the order of that type).
 */
static char *
capture_row(const char *alias)
{
	static const char *const columns[] = {
		"tenant_id", "connection", "listing_key", "standard_status", "list_price",
		"close_price", "close_date", "property_type", "city", "postal_code",
		"photos_count", "photos_change_timestamp", "modification_timestamp",
		"original_entry_timestamp", "status_change_timestamp",
		"price_change_timestamp", "conflict", "removed_at"
	};
	StringInfoData row;

	initStringInfo(&row);
	appendStringInfoString(&row, "ROW(");
	for (int i = 0; i < lengthof(columns); i++)
		appendStringInfo(&row, "%s%s.%s", i > 0 ? ", " : "", alias, columns[i]);
	appendStringInfoString(&row, ")::mlsync.mls_listing_capture");
	return row.data;
}

/*
 * The upsert statement, from the catalog's list of mappable columns and
 * the connection's options (inside SPI).  $1 is the batch, $2 the
 * MLS-owned fields, $3 the batch's time, $4 the batch's listing keys in its
 * order, $5 and $6 the tenant and connection of every row.  Each written
 * listing comes back with whether it was inserted, its key, its row before
 * (old_row, null for an insert) and after (new_row), and on every row the
 * ids of the events the statement raised itself (event_ids), for
 * mls_writer_capture.
 */
static char *
build_upsert_sql(MlsWriter *writer)
{
	StringInfoData sql;
	StringInfoData changed_columns;
	int			rc;
	bool		owned = writer->nowned > 0;
	bool		compare = owned || writer->listing_updated_events;

	rc = SPI_execute("SELECT column_name FROM mlsync.mls_mappable_columns", true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_mappable_columns: %s", SPI_result_code_string(rc));

	initStringInfo(&sql);
	initStringInfo(&changed_columns);
	/*
	 * The rows are read once, by the upsert (and by the comparisons when
	 * there are any): a batch of wide records is tens of megabytes, and
	 * each reading of the array is a copy that spills to temporary files
	 * past work_mem.  Every other part needs only the keys.
	 */
	appendStringInfoString(&sql,
						   "WITH keys AS MATERIALIZED ("
						   "  SELECT k.listing_key, k.ordinality"
						   "	FROM unnest($4::text[]) WITH ORDINALITY k(listing_key, ordinality)),");
	if (compare)
		appendStringInfoString(&sql,
							   " batch AS MATERIALIZED ("
							   "  SELECT * FROM unnest($1::mlsync.mls_listings[])),");

	/*
	 * The stored rows the comparisons need, read before the upsert changes
	 * them (every sub-statement sees the same snapshot): only those with
	 * local overrides unless listing_updated compares every row.  Each is
	 * one index lookup (LATERAL, OFFSET 0): the plan is made once per run,
	 * often when the table is still empty, and a join planned then would
	 * read the whole table for every batch as it grows.
	 */
	if (compare)
		appendStringInfo(&sql,
						 " old AS MATERIALIZED ("
						 "  SELECT l.* FROM keys b CROSS JOIN LATERAL"
						 "	(SELECT * FROM mlsync.mls_listings x WHERE x.tenant_id = $5"
						 "	  AND x.connection = $6 AND x.listing_key = b.listing_key OFFSET 0) l"
						 "	%s),",
						 writer->listing_updated_events ? "" : " WHERE l.local_overrides <> '{}'");

	/* what the capture needs of every stored row of the batch, likewise */
	appendStringInfo(&sql,
					 " stored AS MATERIALIZED ("
					 "  SELECT l.listing_key, %s AS capture FROM keys b CROSS JOIN LATERAL"
					 "	(SELECT * FROM mlsync.mls_listings x WHERE x.tenant_id = $5"
					 "	  AND x.connection = $6 AND x.listing_key = b.listing_key OFFSET 0) l),",
					 capture_row("l"));

	appendStringInfo(&sql,
					 " up AS ("
					 "  INSERT INTO mlsync.mls_listings AS l SELECT * FROM %s"
					 "  ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE SET ",
					 compare ? "batch" : "unnest($1::mlsync.mls_listings[])");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		const char *column = quote_identifier(SPI_getvalue(SPI_tuptable->vals[i],
														   SPI_tuptable->tupdesc, 1));

		if (strcmp(column, "listing_key") == 0)
			continue;
		appendStringInfo(&sql, "%s = excluded.%s, ", column, column);
		/* the changed columns, compared as values of their own types */
		appendStringInfo(&changed_columns, "CASE WHEN o.%s IS DISTINCT FROM b.%s THEN %s END, ",
						 column, column, quote_literal_cstr(SPI_getvalue(SPI_tuptable->vals[i],
																		 SPI_tuptable->tupdesc, 1)));
	}
	appendStringInfoString(&changed_columns,
						   "CASE WHEN o.extra IS DISTINCT FROM b.extra THEN 'extra' END");
	if (owned)
		appendStringInfoString(&sql,
							   "local_overrides = CASE WHEN l.local_overrides = '{}' THEN l.local_overrides"
							   "  ELSE mlsync.mls_owned_overrides_kept(l.local_overrides, to_jsonb(l),"
							   "	   to_jsonb(excluded), $2) END, ");
	appendStringInfoString(&sql,
						   "extra = excluded.extra, raw = excluded.raw, raw_hash = excluded.raw_hash,"
						   " last_synced_at = excluded.last_synced_at, removed_at = NULL, conflict = NULL,"
						   " property_id = coalesce(excluded.property_id, l.property_id)"
						   " WHERE l.raw_hash IS DISTINCT FROM excluded.raw_hash"
						   " OR l.removed_at IS NOT NULL OR l.conflict IS NOT NULL"
						   " RETURNING l.listing_key, l.local_overrides,");
	appendStringInfo(&sql, "  %s AS new_row),", capture_row("l"));
	appendStringInfoString(&sql,
	/* the listings written are current: their skipped records go */
						   " forgotten AS ("
						   "  DELETE FROM mlsync.mls_skipped_records s USING keys b"
						   "   WHERE s.tenant_id = $5 AND s.connection = $6"
						   "	 AND s.listing_key = b.listing_key)");
	if (compare)
	{
		appendStringInfo(&sql,
						 ", changed AS MATERIALIZED ("
						 "  SELECT b.tenant_id, b.connection, b.listing_key, b.modification_timestamp,"
						 "		 o.local_overrides AS old_overrides, u.local_overrides AS new_overrides,"
						 "		 o AS old_row, b AS new_row%s%s%s"
						 "	FROM up u JOIN old o ON o.listing_key = u.listing_key"
						 "	JOIN batch b ON b.listing_key = u.listing_key),",
						 writer->listing_updated_events ? ", ARRAY(SELECT k FROM unnest(ARRAY[" : "",
						 writer->listing_updated_events ? changed_columns.data : "",
						 writer->listing_updated_events ? "]) k WHERE k IS NOT NULL ORDER BY k) AS columns" : "");
		appendStringInfoString(&sql,
							   " cleared AS MATERIALIZED ("
							   "  SELECT c.tenant_id, c.connection, c.listing_key, c.modification_timestamp,"
							   "		 jsonb_build_object('fields', f.fields,"
							   "		   'overrides', (SELECT jsonb_object_agg(k, c.old_overrides -> k)"
							   "						   FROM unnest(f.fields) k),"
							   "		   'old_mls_values', (SELECT jsonb_object_agg(k, to_jsonb(c.old_row) -> k)"
							   "								FROM unnest(f.fields) k),"
							   "		   'new_mls_values', (SELECT jsonb_object_agg(k, to_jsonb(c.new_row) -> k)"
							   "								FROM unnest(f.fields) k)) AS detail"
							   "	FROM changed c"
							   "   CROSS JOIN LATERAL (SELECT array_agg(k ORDER BY k) AS fields"
							   "						  FROM jsonb_object_keys(c.old_overrides) k"
							   "						 WHERE NOT c.new_overrides ? k) f"
							   "   WHERE f.fields IS NOT NULL),"
							   " history AS ("
							   "  INSERT INTO mlsync.mls_listing_history (tenant_id, connection, listing_key,"
							   "   change, effective_at, detail)"
							   "  SELECT c.tenant_id, c.connection, c.listing_key, 'override_cleared',"
							   "		 coalesce(c.modification_timestamp, $3), c.detail"
							   "	FROM cleared c WHERE mlsync.mls_listing_events_mode() <> 'off'),"
							   " events AS ("
							   "  INSERT INTO mlsync.mls_events (tenant_id, kind, connection, listing_key, payload)"
							   "  SELECT c.tenant_id, 'override_cleared', c.connection, c.listing_key, c.detail"
							   "	FROM cleared c WHERE mlsync.mls_listing_events_mode() = 'on'");
		if (writer->listing_updated_events)
			appendStringInfoString(&sql,
								   "  UNION ALL"
								   "  SELECT c.tenant_id, 'listing_updated', c.connection, c.listing_key,"
								   "		 jsonb_build_object('columns', c.columns)"
								   "	FROM changed c"
								   "   WHERE cardinality(c.columns) > 0"
								   "	 AND mlsync.mls_listing_events_mode() = 'on'");
		appendStringInfoString(&sql, " RETURNING event_id)");
	}

	/*
	 * In the batch's order, which is the order the rows were written in:
	 * the events of several listings are raised in that order.  A listing
	 * was inserted when it had no stored row before the statement (not
	 * told by xmax: a partitioned table returns no system columns).
	 */
	appendStringInfo(&sql,
					 " SELECT s.listing_key IS NULL AS inserted, u.listing_key,"
					 "  s.capture AS old_row,"
					 "  u.new_row, %s AS event_ids"
					 " FROM keys x"
					 " JOIN up u ON u.listing_key = x.listing_key"
					 " LEFT JOIN stored s ON s.listing_key = u.listing_key"
					 " ORDER BY x.ordinality",
					 compare ? "(SELECT array_agg(e.event_id ORDER BY e.event_id) FROM events e)"
					 : "NULL::bigint[]");
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
	writer->max_listings = -1;
	/* property matching hook: the matcher of this run (src/match/matcher.h) */
	writer->matcher = MlsMatcherCreate(tenant, connection, set->tupdesc);
	return writer;
}

/*
 * Build the upsert statement once per run.  It is planned for every batch,
 * with a generic plan (MlsSpiExecuteGeneric): a plan kept from the first
 * batches, made while the table was empty, and a plan made for the
 * tenant's own tenant_id, which statistics taken before its first load
 * have never seen, may both look listings up through another index that
 * begins with tenant_id and read every row of the tenant for each of them.
 */
static void
prepare_upsert(MlsWriter *writer)
{
	MemoryContext cxt = GetMemoryChunkContext(writer);

	if (writer->upsert_sql)
		return;
	writer->upsert_types[0] = writer->array_type;
	writer->upsert_types[1] = TEXTARRAYOID;
	writer->upsert_types[2] = TIMESTAMPTZOID;
	writer->upsert_types[3] = TEXTARRAYOID;
	writer->upsert_types[4] = TEXTOID;
	writer->upsert_types[5] = TEXTOID;
	load_options(writer);
	writer->upsert_sql = MemoryContextStrdup(cxt, build_upsert_sql(writer));
}

/*
 * Record what one of the writer's statements changed (inside SPI, with the
 * writer's capture flag up): the listings it updated, as they were
 * (old_rows) and are (new_rows), in the order written; those it inserted
 * (inserted_rows; the three are arrays of mls_listing_capture); and the
 * events it raised itself (event_ids, bigint[], may be null).
 * mls_writer_capture records their history and events, and the deliveries
 * and alerts of all of them, in one call per statement.  The time it is
 * given stands in for a listing without timestamps, as now() does for the
 * triggers: the transaction's start.
 */
static void
capture_writes(MlsWriter *writer, Datum old_rows, Datum new_rows, Datum inserted_rows,
			   Datum event_ids, bool no_event_ids)
{
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', no_event_ids ? 'n' : ' ', ' '};
	int			rc;

	if (writer->capture == NULL)
	{
		Oid			argtypes[5] = {writer->capture_array_type, writer->capture_array_type,
		writer->capture_array_type, INT8ARRAYOID, TIMESTAMPTZOID};

		writer->capture = SPI_prepare("SELECT mlsync.mls_writer_capture($1, $2, $3, $4, $5)",
									  5, argtypes);
		if (writer->capture == NULL)
			elog(ERROR, "could not prepare the listing capture: %s",
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(writer->capture) != 0)
			elog(ERROR, "could not keep the listing capture plan");
	}
	values[0] = old_rows;
	values[1] = new_rows;
	values[2] = inserted_rows;
	values[3] = event_ids;
	values[4] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	rc = SPI_execute_plan(writer->capture, values, nulls, false, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "listing capture failed: %s", SPI_result_code_string(rc));
}

/*
 * An array of n mls_listing_capture rows (composite datums).
 */
static Datum
capture_array(MlsWriter *writer, Datum *rows, int n)
{
	return PointerGetDatum(construct_array(rows, n, writer->capture_type, -1, false,
										   TYPALIGN_DOUBLE));
}

/*
 * Capture what the upsert wrote (its result rows: inserted, listing_key,
 * old_row, new_row, event_ids) and count it in result.
 */
static void
capture_upsert(MlsWriter *writer, SPITupleTable *written, uint64 nwritten,
			   MlsWriteResult *result)
{
	Datum	   *old_rows = palloc(sizeof(Datum) * Max(nwritten, 1));
	Datum	   *new_rows = palloc(sizeof(Datum) * Max(nwritten, 1));
	Datum	   *inserted_rows = palloc(sizeof(Datum) * Max(nwritten, 1));
	int			nupdated = 0;
	int			ninserted = 0;
	Datum		event_ids = (Datum) 0;
	bool		no_event_ids = true;

	for (uint64 i = 0; i < nwritten; i++)
	{
		HeapTuple	tuple = written->vals[i];
		TupleDesc	tupdesc = written->tupdesc;
		bool		isnull;
		Datum		new_row = SPI_getbinval(tuple, tupdesc, 4, &isnull);

		if (i == 0)
			event_ids = SPI_getbinval(tuple, tupdesc, 5, &no_event_ids);
		if (DatumGetBool(SPI_getbinval(tuple, tupdesc, 1, &isnull)))
		{
			result->inserted++;
			inserted_rows[ninserted++] = new_row;
		}
		else
		{
			result->updated++;
			old_rows[nupdated] = SPI_getbinval(tuple, tupdesc, 3, &isnull);
			new_rows[nupdated++] = new_row;
		}
	}
	if (nwritten > 0)
		capture_writes(writer, capture_array(writer, old_rows, nupdated),
					   capture_array(writer, new_rows, nupdated),
					   capture_array(writer, inserted_rows, ninserted),
					   event_ids, no_event_ids);
}

/*
 * Let the upsert hold its batch in memory, for the rest of the batch's
 * transaction.  The statement reads the batch through tuplestores
 * (unnest() in FROM, and the materialized batch CTE), each a copy of it;
 * past work_mem they spill to temporary files.  A batch of 500 wide
 * records is 12 MB: spilled, its writes and reads took a quarter of the
 * worker's time (system time 1.5 s of 5.9 s for 10,000 records; 0.6 s of
 * 4.4 s held in memory).  work_mem is raised to a quarter more than the
 * batch when it is smaller, up to HOLD_BATCH_MAX_KB: the worker holds a
 * few copies of a batch, memory that mlsync.batch_size bounds, not the
 * size of the feed, and a batch of huge records spills as before.
 */
static void
hold_batch_in_memory(Size batch_bytes)
{
	Size		kb = batch_bytes / 1024 + batch_bytes / 4096 + 1024;
	char		value[32];

	kb = Min(kb, HOLD_BATCH_MAX_KB);
	if (kb <= (Size) work_mem)
		return;
	snprintf(value, sizeof(value), "%d", (int) kb);
	(void) set_config_option("work_mem", value, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_LOCAL, true, 0, false);
}

/*
 * Run the upsert for some rows (keys: theirs, in the same order; rows_cxt:
 * where the rows live), and record what it changed; adds to the result's
 * counts.
 */
static void
execute_upsert(MlsWriter *writer, Datum *rows, char **keys, int n, MemoryContext rows_cxt,
			   MlsWriteResult *result)
{
	ArrayType  *array;
	Datum		values[6];
	Datum	   *key_texts = palloc(sizeof(Datum) * n);
	SPITupleTable *volatile written = NULL;
	volatile uint64 nwritten = 0;
	bool		previous;

	/* property matching hook: sets property_id in the rows (src/match/matcher.h) */
	if (writer->matcher)
		MlsMatcherBeforeUpsert(writer->matcher, rows, n, rows_cxt);

	array = construct_array(rows, n, writer->row_type, -1, false, TYPALIGN_DOUBLE);
	values[0] = PointerGetDatum(array);
	values[1] = writer->owned_fields;
	values[2] = TimestampTzGetDatum(GetCurrentTimestamp());
	for (int i = 0; i < n; i++)
		key_texts[i] = CStringGetTextDatum(keys[i]);
	values[3] = PointerGetDatum(construct_array(key_texts, n, TEXTOID, -1, false, TYPALIGN_INT));
	values[4] = CStringGetTextDatum(writer->tenant);
	values[5] = CStringGetTextDatum(writer->connection);

	hold_batch_in_memory(VARSIZE(array));

	/* the capture triggers stand aside while the flag is up */
	previous = MlsEventsWriterCapture(true);
	PG_TRY();
	{
		int			rc = MlsSpiExecuteGeneric(writer->upsert_sql, 6, writer->upsert_types,
											  values, NULL, false);

		if (rc != SPI_OK_SELECT)
			elog(ERROR, "listing upsert failed: %s", SPI_result_code_string(rc));
		written = SPI_tuptable;
		nwritten = SPI_processed;
		capture_upsert(writer, written, nwritten, result);
	}
	PG_FINALLY();
	{
		MlsEventsWriterCapture(previous);
	}
	PG_END_TRY();
	result->unchanged += n - (int64) nwritten;

	/* property matching hook: records the matches of the rows written */
	if (writer->matcher)
		MlsMatcherAfterUpsert(writer->matcher, written, nwritten);
}

/*
 * Try the upsert of some rows in a subtransaction.  Returns false, with
 * *error set, when the database refused them; nothing is left behind then.
 */
static bool
try_upsert(MlsWriter *writer, Datum *rows, char **keys, int n, MlsWriteResult *result,
		   ErrorData **error)
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
		execute_upsert(writer, rows, keys, n, cxt, &attempt);
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
 * Drop from a batch the rows of excluded listings, and the new listings
 * past the connection's listing cap; the arrays are compacted in place,
 * keeping their order, and the new length returned.  Counts what was
 * dropped in result.  One statement per batch: it returns the excluded keys
 * and, when the connection has a cap, whether each key would add a listing
 * (none stored, or stored as removed).
 */
static int
filter_rows(MlsWriter *writer, Datum *rows, char **keys, int n, MlsWriteResult *result)
{
	MlsSqlArgs	a = {0};
	bool	   *drop;
	bool		capped;
	int64		added = 0;
	uint64		nrows;
	int			m = 0;

	if (n == 0)
		return 0;
	drop = palloc0(sizeof(bool) * n);
	MlsSqlConnect();
	load_options(writer);
	capped = writer->max_listings >= 0;
	MlsArgText(&a, writer->tenant);
	MlsArgText(&a, writer->connection);
	MlsArgTextArray(&a, keys, n);
	MlsArgBool(&a, capped);
	nrows = MlsSqlExecByKey("SELECT k.i::int4 AS i, x.listing_key IS NOT NULL AS excluded,"
					   " $4 AND NOT EXISTS (SELECT 1 FROM mlsync.mls_listings l"
					   "   WHERE l.tenant_id = $1 AND l.connection = $2 AND l.listing_key = k.key"
					   "	 AND l.removed_at IS NULL) AS adds"
					   " FROM unnest($3::text[]) WITH ORDINALITY k(key, i)"
					   " LEFT JOIN mlsync.mls_listing_exclusions x ON x.tenant_id = $1"
					   "  AND x.connection = $2 AND x.listing_key = k.key"
					   " WHERE x.listing_key IS NOT NULL OR $4"
					   " ORDER BY k.i",
					   &a, SPI_OK_SELECT, true);
	for (uint64 r = 0; r < nrows; r++)
	{
		bool		isnull;
		int			i = DatumGetInt32(MlsSqlDatum(r, "i", &isnull)) - 1;

		if (DatumGetBool(MlsSqlDatum(r, "excluded", &isnull)))
		{
			drop[i] = true;
			result->excluded++;
		}
		else if (DatumGetBool(MlsSqlDatum(r, "adds", &isnull)))
		{
			if (writer->listings + added < writer->max_listings)
				added++;
			else
			{
				drop[i] = true;
				result->capped++;
			}
		}
	}
	SPI_finish();
	writer->listings += added;

	for (int i = 0; i < n; i++)
	{
		if (drop[i])
			continue;
		rows[m] = rows[i];
		keys[m] = keys[i];
		m++;
	}
	return m;
}

/*
 * The raw record of a mapped row, as jsonb (to keep a row the database
 * refused).
 */
static Jsonb *
row_record(MlsWriter *writer, Datum row)
{
	HeapTupleHeader tuple = DatumGetHeapTupleHeader(row);
	bool		isnull;
	Datum		raw = GetAttributeByNum(tuple, writer->set->raw_attnum, &isnull);

	return isnull ? NULL : DatumGetJsonbP(raw);
}

/*
 * Upsert a batch of mapped rows (composite datums of mls_listings, keys
 * distinct), less the rows of excluded listings and those past the listing
 * cap (the arrays are compacted).  Rows the database refuses are reported
 * in result->failed, each with its record.
 */
void
MlsWriterUpsert(MlsWriter *writer, Datum *rows, char **keys, int n, MlsWriteResult *result)
{
	ErrorData  *error = NULL;

	memset(result, 0, sizeof(*result));
	n = filter_rows(writer, rows, keys, n, result);
	if (n == 0)
		return;
	if (try_upsert(writer, rows, keys, n, result, &error))
		return;

	/* find the rows the database refuses, keep the others */
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (!try_upsert(writer, &rows[i], &keys[i], 1, result, &error))
		{
			MlsSourceError *e = palloc0(sizeof(MlsSourceError));

			e->category = MLS_ERR_DATA;
			e->retry_state = MLS_SKIPPED;
			e->record_key = keys[i];
			e->reply_code = -1;
			e->attempt = 1;
			e->message = error->detail ?
				psprintf("%s (%s)", error->message, error->detail) : pstrdup(error->message);
			e->record = row_record(writer, rows[i]);
			result->failed = lappend(result->failed, e);
		}
	}
}

/*
 * What an upsert of these rows would do (dry run), less the rows of
 * excluded listings and those past the listing cap: the counts, and per
 * listing the columns that would change with their old and new values,
 * recorded for run_id (mls_dry_run_changes, up to
 * mlsync.dry_run_changes_limit listings in all; mls_dry_run_columns counts
 * every listing per column).  Writes no listing.
 */
void
MlsWriterPreview(MlsWriter *writer, int64 run_id, Datum *rows, char **keys, int n,
				 MlsWriteResult *result)
{
	MlsSqlArgs	a = {0};
	bool		isnull;
	char	   *sql;

	memset(result, 0, sizeof(*result));
	n = filter_rows(writer, rows, keys, n, result);
	if (n == 0)
		return;
	MlsSqlConnect();
	MlsArgDatum(&a, writer->array_type,
				PointerGetDatum(construct_array(rows, n, writer->row_type, -1, false,
												TYPALIGN_DOUBLE)),
				false);
	MlsArgText(&a, writer->tenant);
	MlsArgInt8(&a, run_id);
	MlsArgInt4(&a, mlsync_dry_run_changes_limit, false);
	sql = psprintf("WITH batch AS MATERIALIZED (SELECT * FROM unnest($1::mlsync.mls_listings[])),"
				   " d AS MATERIALIZED ("
				   "  SELECT b.listing_key, l.listing_key IS NULL AS is_new,"
				   "		 mlsync.mls_listing_changes(to_jsonb(l), to_jsonb(b), %s) AS changes"
				   "	FROM batch b LEFT JOIN mlsync.mls_listings l ON l.tenant_id = b.tenant_id"
				   "	 AND l.connection = b.connection AND l.listing_key = b.listing_key"
				   "   WHERE l.listing_key IS NULL OR l.raw_hash IS DISTINCT FROM b.raw_hash"
				   "	  OR l.removed_at IS NOT NULL),"
				   " listed AS ("
				   "  INSERT INTO mlsync.mls_dry_run_changes (tenant_id, run_id, listing_key, action, changes)"
				   "  SELECT $2, $3, d.listing_key, CASE WHEN d.is_new THEN 'insert' ELSE 'update' END,"
				   "		 coalesce(d.changes, '{}')"
				   "	FROM d ORDER BY d.listing_key"
				   "   LIMIT greatest($4 - (SELECT count(*) FROM mlsync.mls_dry_run_changes x"
				   "						 WHERE x.tenant_id = $2 AND x.run_id = $3), 0)"
				   "  ON CONFLICT DO NOTHING),"
				   " per_column AS ("
				   "  INSERT INTO mlsync.mls_dry_run_columns AS t (tenant_id, run_id, column_name, listings)"
				   "  SELECT $2, $3, k, count(*) FROM d CROSS JOIN LATERAL jsonb_object_keys(d.changes) k"
				   "   GROUP BY k"
				   "  ON CONFLICT (tenant_id, run_id, column_name) DO UPDATE"
				   "  SET listings = t.listings + excluded.listings)"
				   " SELECT count(*) FILTER (WHERE is_new) AS inserted,"
				   "		count(*) FILTER (WHERE NOT is_new) AS updated FROM d",
				   writer->columns);
	MlsSqlExec(sql, &a, SPI_OK_SELECT, false);
	result->inserted = DatumGetInt64(MlsSqlDatum(0, "inserted", &isnull));
	result->updated = DatumGetInt64(MlsSqlDatum(0, "updated", &isnull));
	result->unchanged = n - result->inserted - result->updated;
	SPI_finish();
}

/*
 * Remember keys a reconcile run saw at the source, with their timestamps
 * (nulls[i]: the source sent none, or none that could be read; timestamps
 * NULL: none for any key).  A key may come twice (a RETS window read again):
 * the latest timestamp counts.
 */
void
MlsWriterSeeKeys(MlsWriter *writer, int64 run_id, char **keys,
				 const TimestampTz *timestamps, const bool *nulls, int n)
{
	MlsSqlArgs	a = {0};

	if (n == 0)
		return;
	MlsArgInt8(&a, run_id);
	MlsArgTextArray(&a, keys, n);
	if (timestamps == NULL)
		/* unnest() pads the shorter array with nulls: a null array is all nulls */
		MlsArgDatum(&a, TIMESTAMPTZARRAYOID, (Datum) 0, true);
	else
	{
		Datum	   *ts = palloc(sizeof(Datum) * n);
		int			dims[1] = {n};
		int			lbs[1] = {1};

		for (int i = 0; i < n; i++)
			ts[i] = TimestampTzGetDatum(timestamps[i]);
		MlsArgDatum(&a, TIMESTAMPTZARRAYOID,
					PointerGetDatum(construct_md_array(ts, (bool *) nulls, 1, dims, lbs,
													   TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL,
													   TYPALIGN_DOUBLE)),
					false);
	}
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
	n = MlsSqlExecByKey("SELECT k.listing_key, (l.listing_key IS NULL OR l.removed_at IS NOT NULL) AS missing"
				   " FROM mlsync.mls_reconcile_keys k"
				   " LEFT JOIN mlsync.mls_listings l ON l.tenant_id = $1 AND l.connection = $2"
				   "  AND l.listing_key = k.listing_key"
				   " WHERE k.run_id = $3"
				   "   AND (l.listing_key IS NULL OR l.removed_at IS NOT NULL"
				   "		OR (k.source_timestamp IS NOT NULL AND l.modification_timestamp IS NOT NULL"
				   "			AND l.modification_timestamp <> k.source_timestamp))"
	/* an excluded listing would be fetched for nothing: the writer drops it */
				   "   AND NOT EXISTS (SELECT 1 FROM mlsync.mls_listing_exclusions x"
				   "					WHERE x.tenant_id = $1 AND x.connection = $2"
				   "					  AND x.listing_key = k.listing_key)"
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
 * The listings a removal considers: those of the candidate set (a condition
 * on l, mls_listings) not already removed, less excluded ones, which are
 * left as they are, removed at the source or not.
 */
#define REMOVAL_CANDIDATES \
	"  SELECT l.listing_key, l.local_overrides <> '{}' AS edited, l.conflict IS NULL AS unflagged," \
	"		 %s AS old_row" \
	"	FROM mlsync.mls_listings l" \
	"   WHERE l.tenant_id = $1 AND l.connection = $2 AND l.removed_at IS NULL" \
	"	 AND %s" \
	"	 AND NOT EXISTS (SELECT 1 FROM mlsync.mls_listing_exclusions x" \
	"					WHERE x.tenant_id = $1 AND x.connection = $2" \
	"					  AND x.listing_key = l.listing_key)"

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
	bool		previous;

	sql = psprintf("WITH gone AS (" REMOVAL_CANDIDATES "),"
				   " removed AS ("
				   "  UPDATE mlsync.mls_listings l SET removed_at = now(), standard_status = 'Delete',"
				   "	 last_synced_at = now()"
				   "	FROM gone g WHERE l.tenant_id = $1 AND l.connection = $2"
				   "	 AND l.listing_key = g.listing_key AND NOT g.edited"
				   "  RETURNING 1 AS step, g.old_row, %s AS new_row),"
				   " flagged AS ("
				   "  UPDATE mlsync.mls_listings l SET conflict = 'removed_at_source'"
				   "	FROM gone g WHERE l.tenant_id = $1 AND l.connection = $2"
				   "	 AND l.listing_key = g.listing_key AND g.edited AND g.unflagged"
				   "  RETURNING 2 AS step, g.old_row, %s AS new_row),"
				   " changed AS (SELECT * FROM removed UNION ALL SELECT * FROM flagged)"
	/* one pass, so both arrays list the listings in the same order */
				   " SELECT count(*) FILTER (WHERE step = 1) AS removed,"
				   "  count(*) FILTER (WHERE step = 2) AS flagged,"
				   "  array_agg(old_row) AS old_rows, array_agg(new_row) AS new_rows"
				   " FROM changed",
				   capture_row("l"), candidates, capture_row("l"), capture_row("l"));
	MlsSqlConnect();
	load_options(writer);
	previous = MlsEventsWriterCapture(true);
	PG_TRY();
	{
		MlsSqlExecByKey(sql, a, SPI_OK_SELECT, false);
		*removed = DatumGetInt64(MlsSqlDatum(0, "removed", &isnull));
		*flagged = DatumGetInt64(MlsSqlDatum(0, "flagged", &isnull));
		if (*removed + *flagged > 0)
			capture_writes(writer, MlsSqlDatum(0, "old_rows", &isnull),
						   MlsSqlDatum(0, "new_rows", &isnull),
						   capture_array(writer, NULL, 0), (Datum) 0, true);
	}
	PG_FINALLY();
	{
		MlsEventsWriterCapture(previous);
	}
	PG_END_TRY();
	SPI_finish();
}

/*
 * The stored listings a reconcile run's key sweep did not see, of those it
 * could have seen: with $4 the connection's statuses (empty: all), a sweep
 * that asked only for them saw nothing of a listing stored with another
 * status (an incremental run read it leaving them).  Arguments: tenant,
 * connection, run id, statuses (unseen_args).
 */
#define UNSEEN_BY_SWEEP \
	"NOT EXISTS (SELECT 1 FROM mlsync.mls_reconcile_keys k" \
	"			  WHERE k.run_id = $3 AND k.listing_key = l.listing_key)" \
	" AND (cardinality($4) = 0 OR l.standard_status = ANY ($4))"

/* ... and of the keys $5, unless it is NULL */
#define UNSEEN_OF_KEYS UNSEEN_BY_SWEEP " AND ($5::text[] IS NULL OR l.listing_key = ANY ($5))"

static void
unseen_args(MlsWriter *writer, MlsSqlArgs *a, int64 run_id, List *statuses)
{
	char	  **wanted = palloc(sizeof(char *) * Max(list_length(statuses), 1));
	ListCell   *lc;
	int			n = 0;

	foreach(lc, statuses)
		wanted[n++] = lfirst(lc);
	MlsArgText(a, writer->tenant);
	MlsArgText(a, writer->connection);
	MlsArgInt8(a, run_id);
	MlsArgTextArray(a, wanted, n);
}

/*
 * Remove the listings a reconcile run's key sweep did not see
 * (UNSEEN_BY_SWEEP; statuses a List of char *, NIL: all), of the keys only
 * (a List of char *), unless that is NIL.
 */
void
MlsWriterRemoveUnseen(MlsWriter *writer, int64 run_id, List *statuses, List *only,
					  int64 *removed, int64 *flagged)
{
	MlsSqlArgs	a = {0};

	unseen_args(writer, &a, run_id, statuses);
	if (only == NIL)
		MlsArgDatum(&a, TEXTARRAYOID, (Datum) 0, true);
	else
	{
		char	  **keys = palloc(sizeof(char *) * list_length(only));
		ListCell   *lc;
		int			n = 0;

		foreach(lc, only)
			keys[n++] = lfirst(lc);
		MlsArgTextArray(&a, keys, n);
	}
	remove_listings(writer, UNSEEN_OF_KEYS, &a, removed, flagged);
}

/*
 * The keys MlsWriterRemoveUnseen would remove or flag now, as a List of
 * strings in the current memory context, in key order.
 */
List *
MlsWriterUnseenKeys(MlsWriter *writer, int64 run_id, List *statuses)
{
	MlsSqlArgs	a = {0};
	MemoryContext cxt = CurrentMemoryContext;
	List	   *keys;

	unseen_args(writer, &a, run_id, statuses);
	MlsSqlConnect();
	MlsSqlExecByKey(psprintf("SELECT array_agg(listing_key ORDER BY listing_key) AS keys"
							 " FROM (" REMOVAL_CANDIDATES ") c",
							 "NULL", UNSEEN_BY_SWEEP),
					&a, SPI_OK_SELECT, true);
	keys = MlsSqlTextList(0, "keys", cxt);
	SPI_finish();
	return keys;
}

/*
 * Remove the listings of keys the source named as gone (no longer there, or
 * withdrawn by its visibility field).
 */
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
 * What MlsWriterRemoveKeys would do (a dry run): how many listings it would
 * remove and how many it would flag.  Writes nothing.
 */
void
MlsWriterPreviewRemoval(MlsWriter *writer, char **keys, int n, int64 *removed, int64 *flagged)
{
	MlsSqlArgs	a = {0};
	bool		isnull;

	MlsArgText(&a, writer->tenant);
	MlsArgText(&a, writer->connection);
	MlsArgTextArray(&a, keys, n);
	MlsSqlConnect();
	MlsSqlExecByKey(psprintf("WITH gone AS (" REMOVAL_CANDIDATES ")"
							 " SELECT count(*) FILTER (WHERE NOT edited) AS removed,"
							 "		  count(*) FILTER (WHERE edited AND unflagged) AS flagged"
							 " FROM gone",
							 "NULL", "l.listing_key = ANY ($3)"),
					&a, SPI_OK_SELECT, true);
	*removed = DatumGetInt64(MlsSqlDatum(0, "removed", &isnull));
	*flagged = DatumGetInt64(MlsSqlDatum(0, "flagged", &isnull));
	SPI_finish();
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
 * The distinct keys a reconcile run saw (a page read again after a failure,
 * and RETS's shared window bounds, hand some keys over twice: counted
 * once, the sweep's count can be held against the source's).
 */
int64
MlsWriterSeenCount(int64 run_id)
{
	MlsSqlArgs	a = {0};
	bool		isnull;
	int64		count;

	MlsArgInt8(&a, run_id);
	MlsSqlConnect();
	MlsSqlExec("SELECT count(*) AS n FROM mlsync.mls_reconcile_keys WHERE run_id = $1",
			   &a, SPI_OK_SELECT, true);
	count = DatumGetInt64(MlsSqlDatum(0, "n", &isnull));
	SPI_finish();
	return count;
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
 * Free the kept plans.
 */
void
MlsWriterDestroy(MlsWriter *writer)
{
	if (writer && writer->capture)
	{
		SPI_freeplan(writer->capture);
		writer->capture = NULL;
	}
	/* property matching hook: its kept plans */
	if (writer)
		MlsMatcherDestroy(writer->matcher);
}
