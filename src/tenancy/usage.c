/*-------------------------------------------------------------------------
 *
 * usage.c
 *	  mls_usage_record_events(): count in mls_usage the events a function
 *	  raised outside a sync.
 *
 * The sync engine counts its own events as it records its progress
 * (src/engine/store.c); functions that raise events elsewhere
 * (mls_detect_time_events, mls_emit_event) call this before they return.
 * Both take the counts from the notes the NOTIFY of the commit is built
 * from (src/events/events.c), so no event is counted by reading mls_events
 * again, and none twice.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "events/events.h"

PG_FUNCTION_INFO_V1(mls_usage_record_events);

/*
 * mls_usage_record_events() returns bigint
 *
 * Adds the events raised at the current nesting level and not yet counted
 * to each tenant's mls_usage row of the UTC day; returns how many.
 */
Datum
mls_usage_record_events(PG_FUNCTION_ARGS)
{
	List	   *counts = MlsEventsTakeCounts();
	TimestampTz now = GetCurrentTimestamp();
	int64		total = 0;
	ListCell   *lc;

	if (counts == NIL)
		PG_RETURN_INT64(0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	foreach(lc, counts)
	{
		MlsEventCount *count = lfirst(lc);
		Oid			argtypes[3] = {TEXTOID, TIMESTAMPTZOID, INT8OID};
		Datum		args[3];

		args[0] = CStringGetTextDatum(count->tenant);
		args[1] = TimestampTzGetDatum(now);
		args[2] = Int64GetDatum(count->count);
		if (SPI_execute_with_args("INSERT INTO mlsync.mls_usage AS u (tenant_id, day, events_raised,"
								  "  updated_at)"
								  " VALUES ($1, ($2 AT TIME ZONE 'UTC')::date, $3, $2)"
								  " ON CONFLICT (tenant_id, day) DO UPDATE"
								  " SET events_raised = u.events_raised + EXCLUDED.events_raised,"
								  "	 updated_at = EXCLUDED.updated_at",
								  3, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not record the usage of tenant \"%s\"", count->tenant);
		total += count->count;
	}
	SPI_finish();
	PG_RETURN_INT64(total);
}
