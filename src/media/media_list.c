/*-------------------------------------------------------------------------
 *
 * media_list.c
 *	  Reading media lists from the source, at the end of a sync run, with
 *	  the run's own client (its token, its RETS session):
 *
 *	- RESO, Media resource: replicated like Property, by keyset on
 *	  (MediaModificationTimestamp, MediaKey) from its own watermark
 *	  (mls_media_sync_status), through the RESO source itself; then the
 *	  listings whose photo fields moved are asked for their whole media list
 *	  (ResourceRecordKey eq ...), which finds the items removed at the source
 *	  (replication shows changed items only).
 *	- RESO, $expand=Media: the lists came with the listings
 *	  (mls_media_note_listings); those the server cut (Bridge expands ten
 *	  items) or that fall short of PhotosCount are asked for whole from the
 *	  Media resource, as above.  A server without one (an answered 4xx) is
 *	  noted and asked again a day later; the lists stay as they came.
 *	- RETS: GetObject with Location=1 for each listing whose photo fields
 *	  moved (or that is new): the objects' URLs and metadata.
 *
 * Every list is recorded by mls_media_upsert (RESO field names; RETS
 * objects are described in them), batch by batch, each batch committed with
 * the position reached.  No download happens here: URLs go to the media
 * workers.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/formatting.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "media/media.h"
#include "mlsync.h"
#include "reso/odata.h"
#include "rets/rets_objects.h"
#include "rets/rets_session.h"
#include "support/sqlargs.h"
#include "transport/source.h"

/* Listings whose media list one request asks for (RESO re-check) */
#define RECHECK_KEYS 20
/* Listings read with GetObject per commit (RETS) */
#define GETOBJECT_KEYS 20

/*
 * Most media items one listing's list may hold.  MLSs allow 50 to 250
 * photos; a source that sends more for one listing is broken or hostile,
 * and its list is read only this far: the media read are recorded, none
 * is removed for the listing (its list is not known whole), and the run
 * notes a protocol error.  Bounds what one re-check holds in memory.
 */
#define MEDIA_ITEMS_PER_LISTING_MAX 1000

/* What the sync's units are, as the pipeline gives them */
typedef struct Units
{
	void		(*begin) (void *);
	void		(*commit) (void *);
	void		(*abort) (void *);	/* after an error, in a unit or not */
	void	   *arg;
} Units;

/* A connection's media settings, as the lists need them */
typedef struct ListSettings
{
	char	   *policy;
	char	   *mode;
	char	   *media_resource;
	int			rets_location;
	char	   *rets_object_type;
	char	   *watermark_raw;
	char	   *watermark_key;
	bool		recheck_refused;	/* $expand=Media: the server refused a
									 * re-check less than a day ago */
	List	   *to_check;		/* keys of listings whose media must be read again */
} ListSettings;

/*
 * Read what the lists need.  Inside a unit.
 */
static ListSettings *
load_settings(const char *tenant, const char *connection, MemoryContext cxt)
{
	ListSettings *s = MemoryContextAllocZero(cxt, sizeof(ListSettings));
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		args[2] = {CStringGetTextDatum(tenant), CStringGetTextDatum(connection)};
	bool		isnull;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT c.photo_policy, mlsync.mls_media_source(c.tenant_id, c.connection),"
							  " coalesce(s.media_resource, 'Media'), coalesce(s.rets_location, 1),"
							  " coalesce(s.rets_object_type, 'Photo'), w.watermark_raw, w.watermark_key,"
							  " coalesce(w.recheck_refused_at > now() - interval '1 day', false)"
							  " FROM mlsync.mls_connections c"
							  " LEFT JOIN mlsync.mls_media_settings s USING (tenant_id, connection)"
							  " LEFT JOIN mlsync.mls_media_sync_status w USING (tenant_id, connection)"
							  " WHERE c.tenant_id = $1 AND c.connection = $2",
							  2, argtypes, args, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the media settings of connection \"%s\"", connection);
#define COPY(n) (SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, (n)) ? \
				 MemoryContextStrdup(cxt, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, (n))) : NULL)
	s->policy = COPY(1);
	s->mode = COPY(2);
	s->media_resource = COPY(3);
	s->rets_location = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));
	s->rets_object_type = COPY(5);
	s->watermark_raw = COPY(6);
	s->watermark_key = COPY(7);
	s->recheck_refused = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 8, &isnull));
#undef COPY
	if (SPI_execute_with_args("SELECT listing_key FROM mlsync.mls_media_listings"
							  " WHERE tenant_id = $1 AND connection = $2"
							  "   AND (needs_check OR (read_in_part AND checked_at < now() - interval '1 day'))"
							  " ORDER BY listing_key",
							  2, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the listings whose media must be read");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		s->to_check = lappend(s->to_check,
							  pstrdup(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1)));
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	return s;
}

/*
 * Record media records (RESO names) with mls_media_upsert; complete_keys
 * (may be NIL) are listings whose whole list is in records; they are
 * checked.  Inside a unit.
 */
static void
record_media(const char *tenant, const char *connection, Jsonb *records, List *complete_keys)
{
	Oid			argtypes[5] = {TEXTOID, TEXTOID, JSONBOID, TEXTARRAYOID, TIMESTAMPTZOID};
	Datum		args[5];
	Datum	   *keys = palloc(sizeof(Datum) * Max(list_length(complete_keys), 1));
	int			nkeys = 0;
	ListCell   *lc;

	foreach(lc, complete_keys)
		keys[nkeys++] = CStringGetTextDatum(lfirst(lc));
	args[0] = CStringGetTextDatum(tenant);
	args[1] = CStringGetTextDatum(connection);
	args[2] = JsonbPGetDatum(records);
	args[3] = PointerGetDatum(construct_array(keys, nkeys, TEXTOID, -1, false, TYPALIGN_INT));
	args[4] = TimestampTzGetDatum(GetCurrentTimestamp());
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT mlsync.mls_media_upsert($1, $2, $3, $4, $5)",
							  5, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not record media");
	if (nkeys > 0 &&
		SPI_execute_with_args("UPDATE mlsync.mls_media_listings SET needs_check = false, checked_at = $5"
							  " WHERE tenant_id = $1 AND connection = $2 AND listing_key = ANY ($4)",
							  5, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not record the media lists read");
	SPI_finish();
}

/*
 * Store the Media resource's new watermark.  Inside a unit.
 */
static void
store_watermark(const char *tenant, const char *connection, const char *raw, const char *key)
{
	Oid			argtypes[5] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID};
	Datum		args[5];

	args[0] = CStringGetTextDatum(tenant);
	args[1] = CStringGetTextDatum(connection);
	args[2] = CStringGetTextDatum(raw);
	args[3] = CStringGetTextDatum(key);
	args[4] = TimestampTzGetDatum(GetCurrentTimestamp());
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("INSERT INTO mlsync.mls_media_sync_status AS w (tenant_id, connection,"
							  "  watermark_raw, watermark_key, watermark_ts, last_listed_at)"
							  " VALUES ($1, $2, $3, $4, mlsync.mls_media_timestamp($3), $5)"
							  " ON CONFLICT (tenant_id, connection) DO UPDATE"
							  " SET watermark_raw = EXCLUDED.watermark_raw,"
							  "	 watermark_key = EXCLUDED.watermark_key,"
							  "	 watermark_ts = EXCLUDED.watermark_ts,"
							  "	 last_listed_at = EXCLUDED.last_listed_at",
							  5, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not store the media watermark");
	SPI_finish();
}

/*
 * A JSON array of the records read (NULL ones, unreadable, are skipped:
 * the source noted them).
 */
static Jsonb *
records_array(MlsSourceRecord *records, int n)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;

	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (int i = 0; i < n; i++)
	{
		JsonbValue	v;

		if (records[i].record == NULL)
			continue;
		v.type = jbvBinary;
		v.val.binary.data = &records[i].record->root;
		v.val.binary.len = VARSIZE(records[i].record) - VARHDRSZ;
		pushJsonbValue(&state, WJB_ELEM, &v);
	}
	result = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	return JsonbValueToJsonb(result);
}

/*
 * A RESO source over the Media resource, sharing the sync's client.
 */
static MlsSource *
media_source(MlsSource *sync, ListSettings *s, const char *filter, const char *from_raw,
			 const char *from_key)
{
	MlsSource  *ms = palloc0(sizeof(MlsSource));
	MlsSourceConfig *config = palloc(sizeof(MlsSourceConfig));

	*config = *sync->config;
	config->resource = s->media_resource;
	config->key_field = "MediaKey";
	config->timestamp_field = "MediaModificationTimestamp";
	config->source_filter = filter ? pstrdup(filter) : NULL;
	/* the listings' filters are no Media fields */
	config->statuses = NIL;
	config->visibility_field = NULL;
	config->select_fields = NIL;
	config->expand_media = false;
	config->requests_last_hour = config->requests_last_day = 0;
	ms->ops = &MlsResoSourceOps;
	ms->cxt = CurrentMemoryContext;
	ms->config = config;
	ms->http = sync->http;
	ms->mode = MLS_FETCH_CHANGES;
	ms->from_timestamp = from_raw ? pstrdup(from_raw) : NULL;
	ms->from_key = from_key ? pstrdup(from_key) : NULL;
	MlsSourceInit(ms);
	/* mlsync.max_requests_per_run bounds the whole run, media lists included */
	ms->earlier_requests = sync->earlier_requests + sync->requests;
	/* the sync's own budget: its requests and ours draw on one limit */
	ms->tokens_hour = sync->tokens_hour;
	ms->tokens_day = sync->tokens_day;
	ms->last_request_at = sync->last_request_at;
	return ms;
}

/*
 * Give back what a media source spent to the sync's source.
 */
static void
account(MlsSource *sync, MlsSource *ms)
{
	sync->requests += ms->requests;
	sync->bytes += ms->bytes;
	sync->tokens_hour = ms->tokens_hour;
	sync->tokens_day = ms->tokens_day;
	sync->last_request_at = ms->last_request_at;
	MlsSourceTakeNotes(sync, ms);
}

/*
 * The C strings of a List, as the array MlsArgTextArray takes.
 */
static char **
string_array(List *strings)
{
	char	  **values = palloc(sizeof(char *) * Max(list_length(strings), 1));
	int			n = 0;
	ListCell   *lc;

	foreach(lc, strings)
		values[n++] = lfirst(lc);
	return values;
}

/*
 * Mark listings' media lists as read (mls_media_lists_read): seen_media_keys
 * (NULL: the lists were read in part) are every MediaKey they showed.  With
 * in_part, the lists came cut and the Media resource refused them: they are
 * marked to be read whole a day after (read_in_part, from checked_at).
 * Inside a unit.
 */
static void
lists_read(const char *tenant, const char *connection, List *listing_keys, List *seen_media_keys,
		   bool whole, bool in_part)
{
	MlsSqlArgs	a = {0};

	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	MlsArgTextArray(&a, string_array(listing_keys), list_length(listing_keys));
	if (whole)
		MlsArgTextArray(&a, string_array(seen_media_keys), list_length(seen_media_keys));
	else
		MlsArgDatum(&a, TEXTARRAYOID, (Datum) 0, true);
	MlsArgTimestamptz(&a, GetCurrentTimestamp(), false);
	MlsSqlConnect();
	MlsSqlExec("SELECT mlsync.mls_media_lists_read($1, $2, $3, $4, $5)", &a, SPI_OK_SELECT, false);
	if (in_part)
		MlsSqlExec("UPDATE mlsync.mls_media_listings SET read_in_part = true"
				   " WHERE tenant_id = $1 AND connection = $2 AND listing_key = ANY ($3)",
				   &a, SPI_OK_UPDATE, false);
	SPI_finish();
}

/*
 * Read every record a media source yields, committing each batch with fn;
 * fn returns false to stop reading.
 */
static void
drain(MlsSource *ms, Units *units, MemoryContext batch_cxt,
	  bool (*fn) (MlsSource *, MlsSourceRecord *, int, void *), void *arg)
{
	int			max = Max(mlsync_batch_size, 1);
	MlsSourceRecord *records = palloc(sizeof(MlsSourceRecord) * max);
	MemoryContext old = CurrentMemoryContext;

	for (;;)
	{
		int			n;
		bool		more;
		char	   *checkpoint = ms->checkpoint_timestamp;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(batch_cxt);
		MemoryContextSwitchTo(batch_cxt);
		n = ms->ops->next(ms, records, max);
		if (n == 0 && ms->checkpoint_timestamp == checkpoint)
			break;
		units->begin(units->arg);
		MemoryContextSwitchTo(batch_cxt);
		more = fn(ms, records, n, arg);
		units->commit(units->arg);
		if (n == 0 || !more)
			break;
	}
	MemoryContextSwitchTo(old);
}

typedef struct ListTarget
{
	const char *tenant;
	const char *connection;
} ListTarget;

/*
 * A batch of replicated Media records, with the watermark it reached.
 */
static bool
replicated_batch(MlsSource *ms, MlsSourceRecord *records, int n, void *arg)
{
	ListTarget *t = arg;

	if (n > 0)
		record_media(t->tenant, t->connection, records_array(records, n), NIL);
	if (ms->checkpoint_timestamp && ms->checkpoint_key)
		store_watermark(t->tenant, t->connection, ms->checkpoint_timestamp, ms->checkpoint_key);
	return true;
}

/*
 * One re-check: the whole media lists of a few listings, recorded batch by
 * batch; only the MediaKeys seen are kept, to remove at the end the items
 * the lists no longer show.
 */
typedef struct Recheck
{
	const char *tenant;
	const char *connection;
	List	   *keys;			/* the listings asked for */
	int		   *items;			/* media items seen, per listing asked for */
	int			strays;			/* media items of listings not asked for */
	List	   *seen;			/* MediaKeys seen, in cxt */
	HTAB	   *seen_hashes;	/* their hashes: an item delivered again (a
								 * retried page) counts once */
	MemoryContext cxt;
	char	   *flooded;		/* a listing whose list passed the cap */
} Recheck;

/*
 * A batch of a re-check: recorded at once, its MediaKeys kept.  Stops at
 * the first listing whose list passes MEDIA_ITEMS_PER_LISTING_MAX, or
 * when as many items came for listings not asked for (a server that
 * ignores the filter).
 */
static bool
recheck_batch(MlsSource *ms, MlsSourceRecord *records, int n, void *arg)
{
	Recheck    *r = arg;

	for (int i = 0; i < n && r->flooded == NULL; i++)
	{
		char	   *media_key;
		char	   *listing_key;
		int			k = 0;
		ListCell   *lc;

		if (records[i].record == NULL ||
			(media_key = MlsODataFieldText(records[i].record, "MediaKey")) == NULL)
			continue;
		{
			uint64		hash = hash_bytes_extended((const unsigned char *) media_key,
												   strlen(media_key), 0);
			bool		found;

			(void) hash_search(r->seen_hashes, &hash, HASH_ENTER, &found);
			if (found)
				continue;
		}
		listing_key = MlsODataFieldText(records[i].record, "ResourceRecordKey");
		if (listing_key == NULL)
			listing_key = MlsODataFieldText(records[i].record, "ListingKey");
		foreach(lc, r->keys)
		{
			if (listing_key != NULL && strcmp(lfirst(lc), listing_key) == 0)
				break;
			k++;
		}
		if (lc == NULL)
		{
			if (++r->strays > MEDIA_ITEMS_PER_LISTING_MAX)
				r->flooded = MemoryContextStrdup(r->cxt, listing_key ? listing_key : "");
			continue;
		}
		if (++r->items[k] > MEDIA_ITEMS_PER_LISTING_MAX)
			r->flooded = lfirst(lc);
		else
		{
			/* the batch's memory goes with the batch; the keys stay */
			MemoryContext old = MemoryContextSwitchTo(r->cxt);

			r->seen = lappend(r->seen, pstrdup(media_key));
			MemoryContextSwitchTo(old);
		}
	}
	if (n > 0)
		record_media(r->tenant, r->connection, records_array(records, n), NIL);
	return r->flooded == NULL;
}

/* How one re-check ended */
typedef enum RecheckOutcome
{
	RECHECK_READ,
	RECHECK_TOO_LARGE,			/* its $filter was refused: ask for fewer */
	RECHECK_REFUSED				/* the server has no Media resource to give */
} RecheckOutcome;

/*
 * Whether a failed re-check was the server refusing the Media resource
 * itself: an answered 4xx other than those of a token, a proxy, a timeout
 * or a rate limit (a 403 here is a feed not licensed for Media: the token
 * was good for Property).
 */
static bool
media_resource_refused(const MlsSourceError *failure)
{
	return failure != NULL && failure->http_status >= 400 && failure->http_status < 500 &&
		failure->http_status != 401 && failure->http_status != 407 &&
		failure->http_status != 408 && failure->http_status != 429;
}

/*
 * Whether a server's message says a request passed a limit of its size
 * ("The node count limit of '100' has been exceeded", "URI too long").
 */
static bool
names_size_limit(const char *message)
{
	static const char *const words[] = {"limit", "exceed", "too long", "too large", "maximum"};
	char	   *lower;

	if (message == NULL)
		return false;
	lower = asc_tolower(message, strlen(message));
	for (int i = 0; i < lengthof(words); i++)
		if (strstr(lower, words[i]) != NULL)
			return true;
	return false;
}

/*
 * Read the lists of one re-check (asked: the listings it asks for).  Too
 * large when the server refused its $filter (HTTP 414, or 400: ASP.NET
 * OData's MaxNodeCount; when optional, a 400 whose message names a size
 * limit, as others are the resource refused) and it asked for more than one
 * listing: the caller asks for fewer.  Refused when optional (lists
 * $expand=Media cut, for a server that may have no Media resource) and the
 * server refused the resource.  What was recorded before the refusal stays
 * (items are only added and updated until a list is read whole).
 */
static RecheckOutcome
drain_recheck(MlsSource *ms, Units *units, MemoryContext batch_cxt, Recheck *r, int asked,
			  bool optional)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile RecheckOutcome outcome = RECHECK_READ;

	PG_TRY();
	{
		ms->ops->open(ms);
		drain(ms, units, batch_cxt, recheck_batch, r);
	}
	PG_CATCH();
	{
		if (asked > 1 && ms->failure != NULL &&
			(ms->failure->http_status == 414 ||
			 (ms->failure->http_status == 400 &&
			  (!optional || names_size_limit(ms->failure->message)))))
			outcome = RECHECK_TOO_LARGE;
		else if (optional && media_resource_refused(ms->failure))
			outcome = RECHECK_REFUSED;
		else
			PG_RE_THROW();
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		units->abort(units->arg);
		MemoryContextSwitchTo(cxt);
	}
	PG_END_TRY();
	ms->ops->close(ms);
	return outcome;
}

/*
 * RESO: the whole media lists of the listings to check, from the Media
 * resource, RECHECK_KEYS listings per request, fewer after a server refused
 * a filter that large (drain_recheck), down to one.  optional: the lists
 * came with $expand=Media, and a server that refuses the Media resource
 * leaves them as they came (noted; asked again a day later).
 *
 * A list that passes MEDIA_ITEMS_PER_LISTING_MAX stops its re-check: that
 * listing is checked without removals, and the others of the request are
 * asked for again in a later one.  Items of listings not asked for stop it
 * the same way, and then the whole request is checked without removals.
 */
static void
recheck_lists(MlsSource *sync, ListSettings *s, Units *units, MemoryContext cxt, bool optional)
{
	const char *tenant = sync->config->tenant;
	const char *connection = sync->config->connection;
	MemoryContext batch_cxt = AllocSetContextCreate(cxt, "mlsync media recheck batch",
													ALLOCSET_DEFAULT_SIZES);
	MlsSource  *ms;
	bool		answered = false;	/* a re-check of this run was answered */

	/* keys asked for again are appended to to_check: the bound moves */
	for (int i = 0, asked = 0, chunk = RECHECK_KEYS; i < list_length(s->to_check); i += asked)
	{
		StringInfoData filter;
		MemoryContext group_cxt = AllocSetContextCreate(cxt, "mlsync media recheck",
														ALLOCSET_DEFAULT_SIZES);
		MemoryContext old = MemoryContextSwitchTo(group_cxt);
		ListCell   *lc;
		RecheckOutcome outcome;

		Recheck		r = {tenant, connection};

		initStringInfo(&filter);
		for (int j = i; j < list_length(s->to_check) && j < i + chunk; j++)
		{
			char	   *key = list_nth(s->to_check, j);

			r.keys = lappend(r.keys, key);
			appendStringInfo(&filter, "%sResourceRecordKey eq %s", filter.len ? " or " : "",
							 MlsODataString(key));
		}
		asked = list_length(r.keys);
		r.items = palloc0(sizeof(int) * asked);
		r.cxt = group_cxt;
		{
			HASHCTL		ctl = {0};

			ctl.keysize = sizeof(uint64);
			ctl.entrysize = sizeof(uint64);
			ctl.hcxt = group_cxt;
			r.seen_hashes = hash_create("mlsync media keys seen", 256, &ctl,
										HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		}
		ms = media_source(sync, s, filter.data, NULL, NULL);
		/* a re-check keeps no watermark */
		ms->checkpoint_unused = true;
		outcome = drain_recheck(ms, units, batch_cxt, &r, asked, optional);
		if (outcome == RECHECK_REFUSED && answered)
		{
			/* the resource answered before: these listings' lists alone */
			MlsSourceNote(sync, MLS_ERR_PROTOCOL, MLS_SKIPPED, ms->failure->http_status, -1,
						  NULL, ms->failure->source_text, 1,
						  "the server refused the media lists of %d listings (HTTP %d: %s); they are kept as they came, nothing removed, and asked for again in a day",
						  asked, ms->failure->http_status, ms->failure->message);
			account(sync, ms);
			units->begin(units->arg);
			lists_read(tenant, connection, r.keys, NIL, false, true);
			units->commit(units->arg);
			MemoryContextSwitchTo(old);
			MemoryContextDelete(group_cxt);
			continue;
		}
		if (outcome == RECHECK_REFUSED)
		{
			MlsSourceNote(sync, MLS_ERR_PROTOCOL, MLS_SKIPPED, ms->failure->http_status, -1,
						  NULL, ms->failure->source_text, 1,
						  "the server refused the %s resource (HTTP %d: %s), from which the media lists $expand=Media cut or left short of PhotosCount are read whole; they are kept as they came, nothing removed, and asked for again in a day",
						  s->media_resource, ms->failure->http_status, ms->failure->message);
			account(sync, ms);
			units->begin(units->arg);
			MlsMediaRecheckRefused(tenant, connection);
			lists_read(tenant, connection, list_copy_tail(s->to_check, i), NIL, false,
					   true);
			units->commit(units->arg);
			MemoryContextSwitchTo(old);
			MemoryContextDelete(group_cxt);
			break;
		}
		if (outcome == RECHECK_TOO_LARGE)
		{
			chunk = asked / 2;
			MlsSourceNote(sync, MLS_ERR_PROTOCOL, MLS_REPAIRED, ms->failure->http_status, -1,
						  NULL, ms->failure->source_text, 1,
						  "the server refused a $filter of %d listings' media (HTTP %d: %s); asking for %d at a time",
						  asked, ms->failure->http_status, ms->failure->message, chunk);
			account(sync, ms);
			asked = 0;
			MemoryContextSwitchTo(old);
			MemoryContextDelete(group_cxt);
			continue;
		}
		account(sync, ms);
		answered = true;

		units->begin(units->arg);
		MemoryContextSwitchTo(group_cxt);
		if (r.flooded == NULL)
			lists_read(tenant, connection, r.keys, r.seen, true, false);
		else if (r.strays > MEDIA_ITEMS_PER_LISTING_MAX)
		{
			MlsSourceNote(sync, MLS_ERR_PROTOCOL, MLS_SKIPPED, 200, -1, NULL, NULL, 1,
						  "the source answered a request for the media lists of %d listings with more than %d media items of other listings (it ignores $filter?); none of their media was removed",
						  list_length(r.keys), MEDIA_ITEMS_PER_LISTING_MAX);
			lists_read(tenant, connection, r.keys, NIL, false, false);
		}
		else
		{
			MlsSourceNote(sync, MLS_ERR_PROTOCOL, MLS_SKIPPED, 200, -1, r.flooded, NULL, 1,
						  "the media list of listing \"%s\" holds more than %d items; it was read in part and none of its media was removed",
						  r.flooded, MEDIA_ITEMS_PER_LISTING_MAX);
			lists_read(tenant, connection, list_make1(r.flooded), NIL, false, false);
			MemoryContextSwitchTo(cxt);
			foreach(lc, r.keys)
				if (lfirst(lc) != r.flooded)
					s->to_check = lappend(s->to_check, lfirst(lc));
		}
		units->commit(units->arg);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(group_cxt);
	}
	MemoryContextDelete(batch_cxt);
}

/*
 * RESO: the Media resource from its watermark, then the lists of listings
 * to check (recheck_lists).
 */
static void
read_reso(MlsSource *sync, ListSettings *s, Units *units, MemoryContext cxt)
{
	MemoryContext batch_cxt = AllocSetContextCreate(cxt, "mlsync media list batch",
													ALLOCSET_DEFAULT_SIZES);
	MlsSource  *ms;
	ListTarget	target = {sync->config->tenant, sync->config->connection};

	ms = media_source(sync, s, "ResourceName eq 'Property'", s->watermark_raw, s->watermark_key);
	ms->ops->open(ms);
	drain(ms, units, batch_cxt, replicated_batch, &target);
	ms->ops->close(ms);
	account(sync, ms);
	MemoryContextDelete(batch_cxt);
	recheck_lists(sync, s, units, cxt, false);
}

/*
 * Add "key": text to a JSON object being built; NULL values are left out.
 */
static void
put_text(JsonbParseState **state, const char *key, const char *value)
{
	JsonbValue	k,
				v;

	if (value == NULL)
		return;
	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &k);
	v.type = jbvString;
	/* a copy: the value's memory may go before the array is built */
	v.val.string.val = pstrdup(value);
	v.val.string.len = strlen(value);
	pushJsonbValue(state, WJB_VALUE, &v);
}

/*
 * The objects GetObject listed for a listing, as Media records in RESO
 * names, appended to an array being built.
 */
static void
objects_as_media(JsonbParseState **state, const char *key, List *objects)
{
	ListCell   *lc;

	foreach(lc, objects)
	{
		RetsObjectInfo *o = lfirst(lc);
		JsonbValue	k,
					v;
		long		order = o->object_id ? strtol(o->object_id, NULL, 10) : 0;

		if (o->location == NULL || o->object_id == NULL)
			continue;
		pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
		put_text(state, "MediaKey", psprintf("%s:%s", key, o->object_id));
		put_text(state, "ResourceRecordKey", key);
		put_text(state, "MediaURL", o->location);
		put_text(state, "MediaCategory", "Photo");
		put_text(state, "MediaType", o->content_type);
		put_text(state, "ShortDescription", o->description);
		put_text(state, "MediaModificationTimestamp", o->modified);
		put_text(state, "MediaObjectID", o->object_id);
		if (order > 0)
		{
			k.type = jbvString;
			k.val.string.val = "Order";
			k.val.string.len = 5;
			pushJsonbValue(state, WJB_KEY, &k);
			v.type = jbvNumeric;
			v.val.numeric = DatumGetNumeric(DirectFunctionCall1(int8_numeric, Int64GetDatum(order)));
			pushJsonbValue(state, WJB_VALUE, &v);
		}
		k.type = jbvString;
		k.val.string.val = "PreferredPhotoYN";
		k.val.string.len = 16;
		pushJsonbValue(state, WJB_KEY, &k);
		v.type = jbvBool;
		v.val.boolean = o->preferred;
		pushJsonbValue(state, WJB_VALUE, &v);
		pushJsonbValue(state, WJB_END_OBJECT, NULL);
	}
}

/*
 * RETS: GetObject (Location=1) for each listing to check, in the sync's
 * session.
 */
static void
read_rets(MlsSource *sync, ListSettings *s, Units *units, MemoryContext cxt)
{
	RetsSession *session = MlsRetsSourceSession(sync);
	MemoryContext group_cxt = AllocSetContextCreate(cxt, "mlsync media objects",
													ALLOCSET_DEFAULT_SIZES);

	/*
	 * One listing's answer at a time: up to 64 MB (a server that sends the
	 * images themselves), read again on each retry, and nothing of it is
	 * needed once its objects are in the group's array
	 */
	MemoryContext answer_cxt = AllocSetContextCreate(cxt, "mlsync media object list",
													 ALLOCSET_DEFAULT_SIZES);

	if (session == NULL || !session->logged_in)
		return;
	for (int i = 0; i < list_length(s->to_check); i += GETOBJECT_KEYS)
	{
		JsonbParseState *state = NULL;
		JsonbValue *array;
		List	   *keys = NIL;
		List	   *cut = NIL;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(group_cxt);
		old = MemoryContextSwitchTo(group_cxt);
		pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
		for (int j = i; j < list_length(s->to_check) && j < i + GETOBJECT_KEYS; j++)
		{
			char	   *key = list_nth(s->to_check, j);
			List	   *objects;

			MemoryContextSwitchTo(answer_cxt);
			objects = RetsFetchObjectList(session, s->rets_object_type, key, true);
			MemoryContextSwitchTo(group_cxt);
			if (list_length(objects) > MEDIA_ITEMS_PER_LISTING_MAX)
			{
				MlsSourceNote(sync, MLS_ERR_PROTOCOL, MLS_SKIPPED, 200, -1, key, NULL, 1,
							  "GetObject listed %d objects of listing \"%s\", more than %d; the first %d were recorded and none of its media was removed",
							  list_length(objects), key, MEDIA_ITEMS_PER_LISTING_MAX,
							  MEDIA_ITEMS_PER_LISTING_MAX);
				objects = list_truncate(objects, MEDIA_ITEMS_PER_LISTING_MAX);
				cut = lappend(cut, key);
			}
			else
				keys = lappend(keys, key);
			objects_as_media(&state, key, objects);
			MemoryContextReset(answer_cxt);
		}
		array = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
		units->begin(units->arg);
		MemoryContextSwitchTo(group_cxt);
		record_media(sync->config->tenant, sync->config->connection,
					 JsonbValueToJsonb(array), keys);
		if (cut != NIL)
			lists_read(sync->config->tenant, sync->config->connection, cut, NIL, false, false);
		units->commit(units->arg);
		MemoryContextSwitchTo(old);
	}
	MemoryContextDelete(answer_cxt);
	MemoryContextDelete(group_cxt);
}

/*
 * (sync hook) Read the media lists a run owes, with the run's source (open:
 * its token, its session), committing batch by batch in the run's units.
 * Nothing for photo_policy none; for $expand=Media, the lists it cut.
 */
void
MlsMediaReadLists(MlsSource *source,
				  void (*unit_begin) (void *), void (*unit_commit) (void *),
				  void (*unit_abort) (void *), void *unit_arg)
{
	Units		units = {unit_begin, unit_commit, unit_abort, unit_arg};
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "mlsync media lists",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	ListSettings *s;

	units.begin(units.arg);
	MemoryContextSwitchTo(cxt);
	s = load_settings(source->config->tenant, source->config->connection, cxt);
	units.commit(units.arg);
	MemoryContextSwitchTo(cxt);

	if (s->policy != NULL && strcmp(s->policy, "none") != 0)
	{
		if (strcmp(s->mode, "resource") == 0)
			read_reso(source, s, &units, cxt);
		else if (strcmp(s->mode, "expand") == 0 && s->to_check != NIL && !s->recheck_refused)
			recheck_lists(source, s, &units, cxt, true);
		else if (strcmp(s->mode, "expand") == 0 && s->to_check != NIL)
		{
			/* refused less than a day ago: the lists stay as they came */
			units.begin(units.arg);
			lists_read(source->config->tenant, source->config->connection, s->to_check, NIL, false,
					   true);
			units.commit(units.arg);
			MemoryContextSwitchTo(cxt);
		}
		else if (strcmp(s->mode, "getobject") == 0)
			read_rets(source, s, &units, cxt);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}
