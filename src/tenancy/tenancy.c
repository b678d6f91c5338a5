/*-------------------------------------------------------------------------
 *
 * tenancy.c
 *	  The public entry points of the functions that act for a caller as the
 *	  extension's owner: mls_sync, mls_sync_cancel, mls_sync_wait,
 *	  mls_set_credentials, mls_credentials_status, mls_rets_photos,
 *	  mls_schedule, mls_unschedule, mls_media_set_storage,
 *	  mls_rename_connection and mls_events_fanout_untriggered; and the SQL
 *	  side's way to mlsync's own locks (mls_match_lock,
 *	  mls_stats_refresh_try_lock; locks.c says why they are not advisory
 *	  locks SQL can take).
 *
 * A SECURITY DEFINER function cannot tell who called it: current_user is
 * its owner.  So each of these is two SQL functions.  The public one is a
 * SECURITY INVOKER C function (here): it checks, with the caller's identity,
 * that the caller holds the privilege the function needs on the tenant it
 * acts for (mlsync.mls_require_tenant_privilege, docs/tenancy.md), then
 * calls the private <name>_unchecked, a SECURITY DEFINER function, with the
 * same arguments.  It calls it through fmgr, which checks no EXECUTE
 * privilege: roles may not call the private function themselves (EXECUTE is
 * revoked from PUBLIC), the public one calls it for them once the check
 * passed.  The refusal is the same for a tenant that does not exist and for
 * one the caller may not see, so a role learns nothing of other tenants.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "tenancy/locks.h"
#include "tenancy/tenancy.h"

PG_FUNCTION_INFO_V1(mls_sync_checked);
PG_FUNCTION_INFO_V1(mls_sync_cancel_checked);
PG_FUNCTION_INFO_V1(mls_sync_wait_checked);
PG_FUNCTION_INFO_V1(mls_set_credentials_checked);
PG_FUNCTION_INFO_V1(mls_credentials_status_checked);
PG_FUNCTION_INFO_V1(mls_rets_photos_checked);
PG_FUNCTION_INFO_V1(mls_schedule_checked);
PG_FUNCTION_INFO_V1(mls_unschedule_checked);
PG_FUNCTION_INFO_V1(mls_media_set_storage_checked);
PG_FUNCTION_INFO_V1(mls_rename_connection_checked);
PG_FUNCTION_INFO_V1(mls_events_fanout_untriggered_checked);
PG_FUNCTION_INFO_V1(mls_match_lock);
PG_FUNCTION_INFO_V1(mls_stats_refresh_try_lock);

/*
 * The private function behind the one being called: same schema, same
 * argument types, name suffixed _unchecked.  Looked up once per call site
 * and kept in its fn_extra (a set-returning function is called once per
 * query; a scalar one may be called for every row).
 */
static FmgrInfo *
unchecked_function(FunctionCallInfo fcinfo)
{
	FmgrInfo   *target = (FmgrInfo *) fcinfo->flinfo->fn_extra;
	Oid			self = fcinfo->flinfo->fn_oid;
	Oid		   *argtypes;
	int			nargs;
	char	   *name;
	Oid			target_oid;

	if (target != NULL)
		return target;

	(void) get_func_signature(self, &argtypes, &nargs);
	name = psprintf("%s_unchecked", get_func_name(self));
	target_oid = LookupFuncName(list_make2(makeString(get_namespace_name(get_func_namespace(self))),
										   makeString(name)),
								nargs, argtypes, false);
	target = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(FmgrInfo));
	fmgr_info_cxt(target_oid, target, fcinfo->flinfo->fn_mcxt);
	fcinfo->flinfo->fn_extra = target;
	return target;
}

/*
 * Call the private function with this call's arguments and result info (a
 * set-returning one fills the caller's tuplestore itself).
 */
static Datum
call_unchecked(FunctionCallInfo fcinfo)
{
	FmgrInfo   *target = unchecked_function(fcinfo);
	LOCAL_FCINFO(inner, FUNC_MAX_ARGS);
	Datum		result;

	InitFunctionCallInfoData(*inner, target, fcinfo->nargs, fcinfo->fncollation,
							 fcinfo->context, fcinfo->resultinfo);
	for (int i = 0; i < fcinfo->nargs; i++)
		inner->args[i] = fcinfo->args[i];
	result = FunctionCallInvoke(inner);
	fcinfo->isnull = inner->isnull;
	return result;
}

/*
 * Raise the standard refusal unless the current role holds privilege on
 * tenant (NULL: on no tenant, unless it is a global administrator).  what
 * says what needs it, for the error's detail.
 */
void
MlsRequireTenantPrivilege(const char *tenant, const char *privilege, const char *what)
{
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		args[3];
	char		nulls[3] = {' ', ' ', ' '};

	args[0] = tenant ? CStringGetTextDatum(tenant) : (Datum) 0;
	nulls[0] = tenant ? ' ' : 'n';
	args[1] = CStringGetTextDatum(privilege);
	args[2] = CStringGetTextDatum(what);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT mlsync.mls_require_tenant_privilege($1, $2, $3)",
							  3, argtypes, args, nulls, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not check the privileges of the current role");
	SPI_finish();
}

/*
 * The tenant of a sync run, as far as the current role may see it (the
 * row-level security of the queue and the history applies); NULL when the
 * run does not exist or belongs to a tenant the role may not read.
 */
static char *
run_tenant(int64 run_id)
{
	Oid			argtypes[1] = {INT8OID};
	Datum		args[1] = {Int64GetDatum(run_id)};
	MemoryContext cxt = CurrentMemoryContext;
	char	   *tenant = NULL;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT q.tenant_id FROM mlsync.mls_sync_queue q WHERE q.run_id = $1"
							  " UNION ALL"
							  " SELECT h.tenant_id FROM mlsync.mls_sync_history h WHERE h.run_id = $1"
							  " LIMIT 1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the tenant of a sync run");
	if (SPI_processed == 1)
		tenant = MemoryContextStrdup(cxt, SPI_getvalue(SPI_tuptable->vals[0],
													   SPI_tuptable->tupdesc, 1));
	SPI_finish();
	return tenant;
}

/* The text argument argno, or NULL */
static char *
text_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/*
 * mls_sync(tenant, connection, mode, wait, listing_key): operate.
 */
Datum
mls_sync_checked(PG_FUNCTION_ARGS)
{
	MlsRequireTenantPrivilege(text_arg(fcinfo, 0), "operate", "syncing");
	return call_unchecked(fcinfo);
}

/*
 * mls_sync_cancel(run_id): operate on the run's tenant.  A run the caller
 * may not see is one that is not queued or running, as far as it knows.
 */
Datum
mls_sync_cancel_checked(PG_FUNCTION_ARGS)
{
	char	   *tenant = run_tenant(PG_GETARG_INT64(0));

	if (tenant == NULL)
		PG_RETURN_BOOL(false);
	MlsRequireTenantPrivilege(tenant, "operate", "canceling a sync");
	return call_unchecked(fcinfo);
}

/*
 * mls_sync_wait(run_id, timeout): read on the run's tenant.
 */
Datum
mls_sync_wait_checked(PG_FUNCTION_ARGS)
{
	int64		run_id = PG_GETARG_INT64(0);
	char	   *tenant = run_tenant(run_id);

	if (tenant == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("sync run " INT64_FORMAT " does not exist", run_id)));
	MlsRequireTenantPrivilege(tenant, "read", "waiting for a sync");
	return call_unchecked(fcinfo);
}

/*
 * Check, then call the private function, for a call whose text holds a
 * secret: an error while it runs (this check included) must not copy it to
 * a STATEMENT line of the server log, so log_min_error_statement is raised
 * first, for the duration of the call.  An error is logged while the
 * setting still holds: PostgreSQL emits it before the transaction's abort
 * restores settings.  Set from C with superuser context, since the caller
 * may not set it; docs/tenancy.md says what logging this cannot stop
 * (log_statement, duration logging).
 */
static Datum
call_unchecked_with_secret(FunctionCallInfo fcinfo, const char *privilege, const char *what)
{
	int			nest_level = NewGUCNestLevel();
	Datum		result;

	(void) set_config_option("log_min_error_statement", "panic", PGC_SUSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	MlsRequireTenantPrivilege(text_arg(fcinfo, 0), privilege, what);
	result = call_unchecked(fcinfo);
	AtEOXact_GUC(true, nest_level);
	return result;
}

/*
 * mls_set_credentials(tenant, connection, secrets...): operate.  The call
 * holds the secrets (call_unchecked_with_secret).
 */
Datum
mls_set_credentials_checked(PG_FUNCTION_ARGS)
{
	return call_unchecked_with_secret(fcinfo, "operate", "storing credentials");
}

/*
 * mls_credentials_status(tenant, connection): operate.
 */
Datum
mls_credentials_status_checked(PG_FUNCTION_ARGS)
{
	MlsRequireTenantPrivilege(text_arg(fcinfo, 0), "operate", "reading the status of credentials");
	return call_unchecked(fcinfo);
}

/*
 * mls_rets_photos(tenant, connection, listing_key, photo_type): operate,
 * since it logs in with the connection's credentials.
 */
Datum
mls_rets_photos_checked(PG_FUNCTION_ARGS)
{
	MlsRequireTenantPrivilege(text_arg(fcinfo, 0), "operate", "listing RETS photos");
	return call_unchecked(fcinfo);
}

/*
 * mls_schedule(tenant, stats_schedule, time_events_schedule,
 * health_schedule, prune_schedule): operate; the schedules of the shared
 * statistics and pruning jobs (stats_schedule, prune_schedule), which serve
 * every tenant, only by a global administrator.
 */
Datum
mls_schedule_checked(PG_FUNCTION_ARGS)
{
	MlsRequireTenantPrivilege(text_arg(fcinfo, 0), "operate", "scheduling syncs");
	if (!PG_ARGISNULL(1) || !PG_ARGISNULL(4))
	{
		bool		global_admin;
		bool		isnull;

		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute("SELECT mlsync.mls_is_global_admin()", true, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "could not check the privileges of the current role");
		global_admin = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
												  &isnull));
		SPI_finish();
		if (!global_admin)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to set the schedules of the shared statistics and pruning jobs"),
					 errdetail("They serve every tenant."),
					 errhint("Leave stats_schedule and prune_schedule out; a global administrator (a member of mlsync_admin) sets them.")));
	}
	return call_unchecked(fcinfo);
}

/*
 * mls_unschedule(tenant): operate.
 */
Datum
mls_unschedule_checked(PG_FUNCTION_ARGS)
{
	MlsRequireTenantPrivilege(text_arg(fcinfo, 0), "operate", "unscheduling syncs");
	return call_unchecked(fcinfo);
}

/*
 * mls_media_set_storage(tenant, backend, ..., secret_access_key, ...):
 * admin, since it decides where all of the tenant's media go.  The call may
 * hold the S3 secret (call_unchecked_with_secret).
 */
Datum
mls_media_set_storage_checked(PG_FUNCTION_ARGS)
{
	return call_unchecked_with_secret(fcinfo, "admin", "setting the media storage");
}

/*
 * mls_rename_connection(tenant, connection, new_name): operate.
 */
Datum
mls_rename_connection_checked(PG_FUNCTION_ARGS)
{
	MlsRequireTenantPrivilege(text_arg(fcinfo, 0), "operate", "renaming a connection");
	return call_unchecked(fcinfo);
}

/*
 * mls_events_fanout_untriggered(event_ids): operate on the tenant of every
 * event, each of which the caller must see (the row-level security of
 * mls_events applies): an id it may not see is refused like one that does
 * not exist, so it learns nothing of other tenants' events.
 */
Datum
mls_events_fanout_untriggered_checked(PG_FUNCTION_ARGS)
{
	Oid			argtypes[1] = {INT8ARRAYOID};
	Datum		args[1];
	MemoryContext cxt = CurrentMemoryContext;
	List	   *tenants = NIL;
	ListCell   *lc;
	bool		all_seen;
	bool		isnull;

	if (PG_ARGISNULL(0))
		PG_RETURN_VOID();
	args[0] = PG_GETARG_DATUM(0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT (SELECT count(DISTINCT i) FROM unnest($1) i WHERE i IS NOT NULL)"
							  "  = (SELECT count(*) FROM mlsync.mls_events e WHERE e.event_id = ANY ($1))",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read events");
	all_seen = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (!all_seen)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("some of the events to fan out do not exist")));
	if (SPI_execute_with_args("SELECT DISTINCT e.tenant_id FROM mlsync.mls_events e"
							  " WHERE e.event_id = ANY ($1)",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the tenants of events");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		tenants = lappend(tenants, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	foreach(lc, tenants)
		MlsRequireTenantPrivilege(lfirst(lc), "operate", "fanning out events");
	return call_unchecked(fcinfo);
}

/*
 * mls_match_lock(tenant): the tenant's matching lock until the end of the
 * transaction, for the SQL functions that change matches (mls_link_listings
 * and the like).  Only for a role that may change them (operate): any other
 * could hold it in an open transaction and stop the tenant's syncs.
 */
Datum
mls_match_lock(PG_FUNCTION_ARGS)
{
	char	   *tenant = text_arg(fcinfo, 0);

	MlsRequireTenantPrivilege(tenant, "operate", "changing the matching of listings");
	(void) MlsLockTake(MLS_LOCK_MATCH, tenant, NULL, false, true);
	PG_RETURN_VOID();
}

/*
 * mls_stats_refresh_try_lock(): the statistics refresh's lock until the end
 * of the transaction, if no refresh holds it; whether it was taken.  For
 * mls_prune, SECURITY DEFINER (EXECUTE is revoked from PUBLIC).
 */
Datum
mls_stats_refresh_try_lock(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(MlsLockTake(MLS_LOCK_STATS_REFRESH, NULL, NULL, false, false));
}
