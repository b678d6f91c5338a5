/*-------------------------------------------------------------------------
 *
 * retention.c
 *	  How long the sync's own records are kept: mls_retention().
 *
 * The settings (mlsync.sync_errors_retention, mlsync.sync_history_retention,
 * mlsync.events_retention) are defined with the others in mlsync.c.  They
 * are read through this C function rather than current_setting() because
 * calling it loads the library, so a session that never touched mlsync
 * (a pg_cron job) still gets the values set in postgresql.conf, ALTER
 * SYSTEM or ALTER DATABASE, not a placeholder's text.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "mlsync.h"

PG_FUNCTION_INFO_V1(mls_retention);

/*
 * mls_retention(what text) returns interval: how long the records of one
 * kind are kept (sync_errors, sync_history or events); NULL when kept
 * forever (the setting is 0).
 */
Datum
mls_retention(PG_FUNCTION_ARGS)
{
	char	   *what = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int			minutes;
	Interval   *result;

	if (strcmp(what, "sync_errors") == 0)
		minutes = mlsync_sync_errors_retention;
	else if (strcmp(what, "sync_history") == 0)
		minutes = mlsync_sync_history_retention;
	else if (strcmp(what, "events") == 0)
		minutes = mlsync_events_retention;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown kind of record \"%s\"", what),
				 errhint("Use sync_errors, sync_history or events.")));
	if (minutes == 0)
		PG_RETURN_NULL();
	result = palloc0(sizeof(Interval));
	result->day = minutes / MLS_MINUTES_PER_DAY;
	result->time = (int64) (minutes % MLS_MINUTES_PER_DAY) * USECS_PER_MINUTE;
	PG_RETURN_INTERVAL_P(result);
}
