/*-------------------------------------------------------------------------
 *
 * rets_api.c
 *	  SQL functions that talk to a RETS connection's server outside a sync:
 *	  mls_rets_photos().
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "rets/rets_objects.h"
#include "rets/rets_session.h"
#include "engine/store.h"

PG_FUNCTION_INFO_V1(mls_rets_photos);

/*
 * Log out after an error, keeping the error: the server may allow one
 * session, and the next sync must be able to log in.
 */
static void
logout_quietly(RetsSession *session)
{
	MemoryContext cxt = CurrentMemoryContext;

	PG_TRY();
	{
		RetsSessionLogout(session);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
	}
	PG_END_TRY();
}

/*
 * mls_rets_photos(tenant text, connection text, listing_key text,
 *				   photo_type text) returns setof record
 *
 * The photos of one listing as the server's GetObject lists them (with
 * Location=1): object id, content type, description, URL, preferred flag.
 */
Datum
mls_rets_photos(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *connection = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *listing_key = text_to_cstring(PG_GETARG_TEXT_PP(2));
	char	   *photo_type = text_to_cstring(PG_GETARG_TEXT_PP(3));
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "mlsync RETS photos",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old;
	MlsSource  *source;
	RetsSession *session;
	List	   *volatile objects = NIL;
	ListCell   *lc;

	InitMaterializedSRF(fcinfo, 0);
	old = MemoryContextSwitchTo(cxt);
	source = palloc0(sizeof(MlsSource));
	source->cxt = cxt;
	source->config = MlsStoreLoadConnection(tenant, connection, cxt);
	if (strcmp(source->config->protocol, "rets") != 0)
	{
		MlsStoreWipeSecrets(source->config);
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("connection \"%s\" is not a RETS connection", connection)));
	}
	source->http = MlsHttpClientCreate(source->config->user_agent);
	source->mode = MLS_FETCH_NOTHING;
	MlsSourceInit(source);
	session = RetsSessionCreate(source);

	PG_TRY();
	{
		RetsSessionLogin(session);
		objects = RetsFetchObjectList(session, photo_type, listing_key, false);
		RetsSessionLogout(session);
	}
	PG_CATCH();
	{
		ErrorData  *error;

		MemoryContextSwitchTo(cxt);
		error = CopyErrorData();
		FlushErrorState();
		logout_quietly(session);
		MlsStoreWipeSecrets(source->config);
		ReThrowError(error);
	}
	PG_END_TRY();
	MlsStoreWipeSecrets(source->config);

	MemoryContextSwitchTo(old);
	foreach(lc, objects)
	{
		RetsObjectInfo *o = lfirst(lc);
		Datum		values[6];
		bool		nulls[6] = {0};

		values[0] = o->object_id ? CStringGetTextDatum(o->object_id) : (Datum) 0;
		nulls[0] = o->object_id == NULL;
		values[1] = o->content_type ? CStringGetTextDatum(o->content_type) : (Datum) 0;
		nulls[1] = o->content_type == NULL;
		values[2] = o->description ? CStringGetTextDatum(o->description) : (Datum) 0;
		nulls[2] = o->description == NULL;
		values[3] = o->location ? CStringGetTextDatum(o->location) : (Datum) 0;
		nulls[3] = o->location == NULL;
		values[4] = BoolGetDatum(o->preferred);
		values[5] = Int64GetDatum(o->size);
		nulls[5] = o->location != NULL;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
