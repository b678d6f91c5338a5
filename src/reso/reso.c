/*-------------------------------------------------------------------------
 *
 * reso.c
 *	  The RESO Web API source (OData 4, OAuth2).  docs/protocols.md W1-W7.
 *
 * Folder src/reso/: the RESO Web API source (this file) and its OData page
 * reader (odata.c).  It knows HTTP (through transport/) and OData, never
 * SQL: it may not include executor/spi.h or engine/ headers.
 *
 * Replication is keyset paging on (ModificationTimestamp, ListingKey), both
 * names per connection: a run asks for "ts ge W" from the watermark W, in
 * (ts, key) order, then after each page "ts gt T or (ts eq T and key gt K)"
 * from the last record (T, K) - never by timestamp alone, which loops or
 * skips when more records share a timestamp than fit on a page.  When the
 * server gives @odata.nextLink it is followed verbatim instead.  Timestamps
 * are re-sent exactly as the server wrote them.
 *
 * Pages are streamed: the OData page reader (odata.c) splits records while
 * they download and pauses the transfer when it holds enough; next() hands
 * them over and resumes.  A page that fails (network, 5xx, 429, a
 * truncated or malformed body) is asked for again, with backoff; records
 * it already delivered come again and are written idempotently.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "mapping/convert.h"
#include "mlsync.h"
#include "reso/odata.h"
#include "transport/source.h"

/* Refresh a token this long before it expires (RESO tools use 30 s) */
#define TOKEN_MARGIN_SECONDS 30
/* A token response without expires_in is taken to last this long */
#define TOKEN_DEFAULT_SECONDS 900
/* Records the page reader holds before it pauses the transfer */
#define HOLD_RECORDS 256

typedef struct ResoState
{
	MemoryContext page_cxt;		/* one page's request and response; reset per page */
	MemoryContext parse_cxt;	/* parsing one record; reset per record */
	MlsODataPage *page;
	char	   *resource_url;	/* service root + resource */
	char	   *token;			/* bearer token */
	TimestampTz token_expires_at;	/* 0: never (a static token) */
	char	   *authorization;	/* "Authorization: Bearer ..." */
	char	   *prefer;			/* "Prefer: odata.maxpagesize=N" */

	/* paging */
	char	   *page_url;		/* the page being read */
	bool		first_page;
	bool		transfer_active;
	bool		finished;
	int			attempt;		/* retries of the current page */
	bool		reauthenticated;	/* a 401 already led to a new token */
	int64		page_records;
	MlsHttpRequest request;
	MlsHttpResponse response;

	/* records split but not yet handed over */
	MlsODataRecord *taken;
	int			ntaken;
	int			taken_pos;

	/* the last record handed over, raw */
	char	   *last_timestamp;
	char	   *last_key;
} ResoState;

/*
 * An OData string literal: quotes doubled.
 */
static char *
odata_string(const char *value)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '\'');
	for (const char *p = value; *p; p++)
	{
		if (*p == '\'')
			appendStringInfoChar(&buf, '\'');
		appendStringInfoChar(&buf, *p);
	}
	appendStringInfoChar(&buf, '\'');
	return buf.data;
}

/*
 * Append "name=value" (value percent-encoded) to a query string.
 */
static void
add_param(StringInfo query, const char *name, const char *value)
{
	appendStringInfo(query, "%s%s=%s", query->len > 0 ? "&" : "", name, MlsHttpEscape(value));
}

/*
 * The $filter clauses every query of the connection carries: its own
 * filter and, for a full load or a key sweep, its statuses.
 */
static void
add_connection_filters(MlsSource *source, List **clauses, bool with_statuses)
{
	MlsSourceConfig *config = source->config;

	if (config->source_filter && config->source_filter[0])
		*clauses = lappend(*clauses, psprintf("(%s)", config->source_filter));
	if (with_statuses && config->statuses != NIL)
	{
		StringInfoData buf;
		ListCell   *lc;

		initStringInfo(&buf);
		foreach(lc, config->statuses)
			appendStringInfo(&buf, "%sStandardStatus eq %s",
							 buf.len > 0 ? " or " : "", odata_string(lfirst(lc)));
		*clauses = lappend(*clauses, psprintf("(%s)", buf.data));
	}
}

/*
 * Join filter clauses with "and".
 */
static char *
join_clauses(List *clauses)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, clauses)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? " and " : "", (char *) lfirst(lc));
	return buf.data;
}

/*
 * The URL of the next page of changes, by keyset from the last record (or
 * from the watermark, or from the start).
 */
static char *
changes_url(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	const char *ts = config->timestamp_field;
	const char *key = config->key_field;
	List	   *clauses = NIL;
	StringInfoData query;

	if (st->last_timestamp && st->last_key)
		clauses = lappend(clauses,
						  psprintf("(%s gt %s or (%s eq %s and %s gt %s))",
								   ts, st->last_timestamp, ts, st->last_timestamp,
								   key, odata_string(st->last_key)));
	else if (source->from_timestamp)
		clauses = lappend(clauses, psprintf("%s ge %s", ts, source->from_timestamp));
	/* a full load takes the connection's statuses; changes take every status */
	add_connection_filters(source, &clauses, source->from_timestamp == NULL);

	initStringInfo(&query);
	if (clauses != NIL)
		add_param(&query, "$filter", join_clauses(clauses));
	add_param(&query, "$orderby", psprintf("%s asc,%s asc", ts, key));
	add_param(&query, "$top", psprintf("%d", config->page_size));
	if (st->first_page)
		add_param(&query, "$count", "true");
	if (config->select_fields != NIL)
	{
		StringInfoData select;
		ListCell   *lc;

		initStringInfo(&select);
		foreach(lc, config->select_fields)
			appendStringInfo(&select, "%s%s", select.len > 0 ? "," : "", (char *) lfirst(lc));
		add_param(&query, "$select", select.data);
	}
	if (config->expand_media)
		add_param(&query, "$expand", "Media");
	return psprintf("%s?%s", st->resource_url, query.data);
}

/*
 * The URL of the next page of keys (reconcile), by keyset on the key.
 */
static char *
keys_url(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	List	   *clauses = NIL;
	StringInfoData query;

	if (st->last_key)
		clauses = lappend(clauses, psprintf("%s gt %s", config->key_field,
											odata_string(st->last_key)));
	add_connection_filters(source, &clauses, true);
	initStringInfo(&query);
	if (clauses != NIL)
		add_param(&query, "$filter", join_clauses(clauses));
	add_param(&query, "$select", config->key_field);
	add_param(&query, "$orderby", psprintf("%s asc", config->key_field));
	add_param(&query, "$top", psprintf("%d", config->page_size));
	if (st->first_page)
		add_param(&query, "$count", "true");
	return psprintf("%s?%s", st->resource_url, query.data);
}

/*
 * Get an OAuth2 client-credentials token (docs/protocols.md W4), with the
 * secret in a Basic header or in the form body, as the connection says.
 */
static void
fetch_token(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	StringInfoData body;
	MlsHttpRequest request;
	MlsHttpResponse response;
	int			attempt = 0;

	if (config->client_secret == NULL)
		MlsSourceFail(source, MLS_ERR_CONFIG, 0, -1, NULL,
					  "connection \"%s\" has a token_url but no client_secret", config->connection);

	initStringInfo(&body);
	appendStringInfoString(&body, "grant_type=client_credentials");
	if (config->oauth_scope)
		appendStringInfo(&body, "&scope=%s", MlsHttpEscape(config->oauth_scope));
	memset(&request, 0, sizeof(request));
	request.url = config->token_url;
	request.headers[0] = "Content-Type: application/x-www-form-urlencoded";
	request.headers[1] = "Accept: application/json";
	if (strcmp(config->oauth_client_auth, "body") == 0)
		appendStringInfo(&body, "&client_id=%s&client_secret=%s",
						 MlsHttpEscape(config->username ? config->username : ""),
						 MlsHttpEscape(config->client_secret));
	else
		request.headers[2] = MlsHttpBasicAuthHeader(config->username, config->client_secret);
	request.body = body.data;

	for (;;)
	{
		attempt++;
		MlsSourceThrottle(source);
		MlsHttpPerform(source->http, &request, &response);
		MlsSourceCount(source, &response);
		if (response.outcome == MLS_HTTP_OK && response.status == 200)
			break;
		if (response.outcome == MLS_HTTP_OK &&
			(response.status == 400 || response.status == 401 || response.status == 403))
			MlsSourceFail(source, MLS_ERR_AUTH, response.status, -1, response.body.data,
						  "the token endpoint refused the client credentials (HTTP %ld)",
						  response.status);
		if (response.outcome == MLS_HTTP_OK && response.status < 500 && response.status != 429)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, response.status, -1, response.body.data,
						  "the token endpoint answered HTTP %ld", response.status);
		MlsSourceNote(source, MlsHttpErrorCategory(&response), MLS_RETRIED, response.status, -1,
					  NULL, response.body.data, attempt, "token request failed: %s",
					  response.outcome == MLS_HTTP_OK ? psprintf("HTTP %ld", response.status) : response.error);
		if (!MlsSourceBackoff(source, attempt, response.retry_after))
			MlsSourceFail(source, MlsHttpErrorCategory(&response), response.status, -1,
						  response.body.data, "token request failed after %d attempts", attempt);
	}
	explicit_bzero(body.data, body.len);

	{
		char	   *problem = NULL;
		Jsonb	   *json = MlsJsonToJsonb(response.body.data, response.body.len, &problem);
		JsonbValue	v;
		int64		expires_in = TOKEN_DEFAULT_SECONDS;

		if (json == NULL ||
			getKeyJsonValueFromContainer(&json->root, "access_token", 12, &v) == NULL ||
			v.type != jbvString)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
						  "the token endpoint's answer has no access_token%s%s",
						  problem ? ": " : "", problem ? problem : "");
		st->token = MemoryContextAlloc(source->cxt, v.val.string.len + 1);
		memcpy(st->token, v.val.string.val, v.val.string.len);
		st->token[v.val.string.len] = '\0';
		if (getKeyJsonValueFromContainer(&json->root, "expires_in", 10, &v) != NULL)
		{
			if (v.type == jbvNumeric)
				(void) MlsNumericToInt64(NumericGetDatum(v.val.numeric), &expires_in);
			else if (v.type == jbvString)
				(void) MlsParseInt64(v.val.string.val, v.val.string.len, &expires_in);
		}
		st->token_expires_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
														   Max(expires_in - TOKEN_MARGIN_SECONDS, 1) * 1000);
		st->authorization = MemoryContextStrdup(source->cxt,
												psprintf("Authorization: Bearer %s", st->token));
	}
}

/*
 * A usable bearer token: the static one, or a fresh OAuth2 token.
 */
static void
ensure_token(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;

	if (config->token_url == NULL)
	{
		if (config->access_token == NULL)
			MlsSourceFail(source, MLS_ERR_CONFIG, 0, -1, NULL,
						  "connection \"%s\" has neither a token_url nor an access_token",
						  config->connection);
		if (st->authorization == NULL)
			st->authorization = MemoryContextStrdup(source->cxt,
													psprintf("Authorization: Bearer %s",
															 config->access_token));
		return;
	}
	if (st->token == NULL || GetCurrentTimestamp() >= st->token_expires_at)
		fetch_token(source);
}

static void
reso_open(MlsSource *source)
{
	MemoryContext old = MemoryContextSwitchTo(source->cxt);
	ResoState  *st = palloc0(sizeof(ResoState));
	MlsSourceConfig *config = source->config;
	const char *root = config->endpoint;
	int			len = strlen(root);

	source->state = st;
	st->page_cxt = AllocSetContextCreate(source->cxt, "mlsync RESO page", ALLOCSET_DEFAULT_SIZES);
	st->parse_cxt = AllocSetContextCreate(source->cxt, "mlsync RESO record", ALLOCSET_DEFAULT_SIZES);
	st->resource_url = psprintf("%s%s%s", root, (len > 0 && root[len - 1] == '/') ? "" : "/",
								config->resource);
	st->prefer = psprintf("Prefer: odata.maxpagesize=%d", config->page_size);
	st->page = MlsODataPageCreate(HOLD_RECORDS, (size_t) mlsync_max_record_bytes * 1024);
	st->first_page = true;
	ensure_token(source);
	MemoryContextSwitchTo(old);
}

/*
 * Start reading a page.
 */
static void
start_page(MlsSource *source, const char *url)
{
	ResoState  *st = source->state;
	MemoryContext old;

	ensure_token(source);
	if (st->page_url != url)
		st->page_url = MemoryContextStrdup(source->cxt, url);
	MlsODataPageReset(st->page);
	/* the previous page's request and response go; the state stays */
	MemoryContextReset(st->page_cxt);
	old = MemoryContextSwitchTo(st->page_cxt);
	st->ntaken = st->taken_pos = 0;
	st->page_records = 0;
	memset(&st->request, 0, sizeof(st->request));
	st->request.url = st->page_url;
	st->request.headers[0] = "Accept: application/json";
	st->request.headers[1] = st->prefer;
	st->request.headers[2] = st->authorization;
	st->request.sink = MlsODataPageSink;
	st->request.sink_arg = st->page;
	MlsSourceThrottle(source);
	MlsHttpBegin(source->http, &st->request, &st->response);
	st->transfer_active = true;
	MemoryContextSwitchTo(old);
}

/*
 * Decide what follows a page that ended; returns true when the same page
 * must be read again (after a retry wait).
 */
static bool
finish_page(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsHttpResponse *response = &st->response;
	const char *problem = NULL;
	const char *next_link;
	int64		count;

	st->transfer_active = false;
	MlsSourceCount(source, response);

	if (response->outcome == MLS_HTTP_OK && response->status == 200 &&
		MlsODataPageComplete(st->page, &problem))
	{
		if (MlsODataPageError(st->page))
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, MlsODataPageError(st->page),
						  "the server answered with an OData error: %s", MlsODataPageError(st->page));
		if (st->first_page && MlsODataPageCount(st->page, &count))
			source->total_expected = count;
		st->first_page = false;
		st->attempt = 0;
		st->reauthenticated = false;
		next_link = MlsODataPageNextLink(st->page);
		if (st->page_records == 0)
			st->finished = true;
		else if (next_link)
		{
			char	   *resolved = MlsHttpResolveUrl(st->page_url, next_link);

			if (resolved == NULL)
				MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, next_link,
							  "cannot resolve @odata.nextLink \"%s\"", next_link);
			st->page_url = MemoryContextStrdup(source->cxt, resolved);
		}
		else
			st->page_url = NULL;	/* our own keyset paging continues */
		return false;
	}

	/* a rejected token: get a new one once, then it is an auth failure */
	if (response->outcome == MLS_HTTP_OK && response->status == 401)
	{
		if (st->reauthenticated || source->config->token_url == NULL)
			MlsSourceFail(source, MLS_ERR_AUTH, 401, -1, response->body.data,
						  "the server refused the bearer token (HTTP 401)");
		st->reauthenticated = true;
		st->token = NULL;
		return true;
	}

	/* what retrying cannot fix */
	if (response->outcome == MLS_HTTP_OK && response->status >= 400 && response->status < 500 &&
		response->status != 408 && response->status != 429)
	{
		MlsODataPage *errpage = MlsODataPageCreate(1, 1024 * 1024);
		const char *message;

		(void) MlsODataPageSink(errpage, response->body.data, response->body.len);
		message = MlsODataPageError(errpage);
		MlsSourceFail(source, response->status == 403 ? MLS_ERR_AUTH :
					  response->status == 400 ? MLS_ERR_CONFIG : MLS_ERR_PROTOCOL,
					  response->status, -1, response->body.data,
					  "the server refused the request (HTTP %ld)%s%s", response->status,
					  message ? ": " : "", message ? message : "");
	}
	if (response->outcome == MLS_HTTP_TOO_LARGE || response->outcome == MLS_HTTP_BAD_REQUEST)
		MlsSourceFail(source, MlsHttpErrorCategory(response), response->status, -1, NULL,
					  "%s", response->error);

	/* network trouble, 5xx, 429, a timeout, a truncated or malformed page */
	st->attempt++;
	{
		MlsErrorCategory category;
		const char *what;

		if (response->outcome == MLS_HTTP_OK && response->status == 200)
		{
			category = MLS_ERR_PROTOCOL;
			what = psprintf("malformed page: %s", problem);
		}
		else if (response->outcome == MLS_HTTP_SINK_ABORTED)
		{
			category = MLS_ERR_PROTOCOL;
			(void) MlsODataPageComplete(st->page, &problem);
			what = psprintf("malformed page: %s", problem);
		}
		else
		{
			category = MlsHttpErrorCategory(response);
			what = response->outcome == MLS_HTTP_OK ?
				psprintf("HTTP %ld", response->status) : response->error;
		}
		if (st->attempt > mlsync_max_retries)
			MlsSourceFail(source, category, response->status, -1, response->body.data,
						  "page request failed after %d attempts: %s", st->attempt, what);
		MlsSourceNote(source, category, MLS_RETRIED, response->status, -1, NULL,
					  response->body.data, st->attempt, "page request failed: %s", what);
		(void) MlsSourceBackoff(source, st->attempt, response->retry_after);
	}
	return true;
}

/*
 * Whether (ts, key) comes after the current checkpoint; a page read again
 * after a failure hands over records the checkpoint has passed.
 */
static bool
after_checkpoint(MlsSource *source, const char *ts, const char *key)
{
	TimestampTz a,
				b;

	if (source->checkpoint_timestamp == NULL)
		return true;
	if (!MlsParseTimestamptz(ts, strlen(ts), pg_tzset("UTC"), &a) ||
		!MlsParseTimestamptz(source->checkpoint_timestamp,
							 strlen(source->checkpoint_timestamp), pg_tzset("UTC"), &b))
		return true;
	if (a != b)
		return a > b;
	return source->checkpoint_key == NULL || strcmp(key, source->checkpoint_key) > 0;
}

/*
 * The text of a record field, when it is a string.
 */
static char *
field_text(Jsonb *record, const char *field)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(&record->root, field, strlen(field), &v) == NULL)
		return NULL;
	if (v.type == jbvString)
		return pnstrdup(v.val.string.val, v.val.string.len);
	if (v.type == jbvNumeric)
		return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric)));
	return NULL;
}

/*
 * A record without its OData instance annotations ("@odata.context",
 * "@odata.etag", ...): they describe the response, not the listing, and
 * would make the same listing differ between a collection and a single
 * entity response.  Only records whose text has an annotation pay for this.
 */
static Jsonb *
without_annotations(Jsonb *record, const char *text, int len)
{
	JsonbParseState *state = NULL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	JsonbValue *result = NULL;
	bool		skip = false;
	bool		found = false;

	for (int i = 0; i + 1 < len && !found; i++)
		found = text[i] == '"' && text[i + 1] == '@';
	if (!found)
		return record;

	it = JsonbIteratorInit(&record->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			skip = v.val.string.len > 0 && v.val.string.val[0] == '@';
			if (!skip)
				pushJsonbValue(&state, tok, &v);
		}
		else if (tok == WJB_VALUE)
		{
			if (!skip)
				pushJsonbValue(&state, tok, &v);
		}
		else
			result = pushJsonbValue(&state, tok, tok == WJB_BEGIN_OBJECT || tok == WJB_END_OBJECT ? NULL : &v);
	}
	return JsonbValueToJsonb(result);
}

/*
 * Turn a split record into what the pipeline gets.
 */
static void
convert_record(MlsSource *source, const MlsODataRecord *in, MlsSourceRecord *out)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	char	   *problem = NULL;

	memset(out, 0, sizeof(*out));
	if (in->oversized)
	{
		out->problem = psprintf("record larger than mlsync.max_record_bytes (%d kB)",
								mlsync_max_record_bytes);
		return;
	}
	{
		int			replaced = 0;
		const char *text = in->text;
		int			len = in->len;
		char	   *repaired;
		Jsonb	   *parsed;
		MemoryContext caller = CurrentMemoryContext;

		/*
		 * Parsing makes several times the record's size in garbage (tokens,
		 * the value tree): it happens in a context reset per record, and
		 * only the finished jsonb is copied out.
		 */
		MemoryContextReset(st->parse_cxt);
		MemoryContextSwitchTo(st->parse_cxt);
		repaired = MlsJsonRepair(text, len, &replaced);
		if (repaired)
		{
			text = repaired;
			len = strlen(repaired);
		}
		parsed = MlsJsonToJsonb(text, len, &problem);
		if (parsed)
			parsed = without_annotations(parsed, text, len);
		MemoryContextSwitchTo(caller);
		if (parsed == NULL)
		{
			out->problem = psprintf("malformed record: %s", problem);
			return;
		}
		out->record = palloc(VARSIZE(parsed));
		memcpy(out->record, parsed, VARSIZE(parsed));
		if (repaired)
			MlsSourceNote(source, MLS_ERR_DATA, MLS_REPAIRED, 0, -1,
						  field_text(out->record, config->key_field), NULL, 1,
						  "%d characters the database cannot store were replaced (not UTF-8, or \\u0000 or an unpaired surrogate escape)",
						  replaced);
	}
	out->key = field_text(out->record, config->key_field);
	if (source->mode == MLS_FETCH_KEYS)
	{
		if (out->key)
		{
			st->last_key = MemoryContextStrdup(source->cxt, out->key);
			source->checkpoint_key = st->last_key;
		}
		return;
	}
	{
		char	   *ts = field_text(out->record, config->timestamp_field);

		if (ts && out->key && after_checkpoint(source, ts, out->key))
		{
			st->last_timestamp = MemoryContextStrdup(source->cxt, ts);
			st->last_key = MemoryContextStrdup(source->cxt, out->key);
			source->checkpoint_timestamp = st->last_timestamp;
			source->checkpoint_key = st->last_key;
		}
	}
}

/*
 * Hand over up to max records of changes or keys, reading pages as needed.
 */
static int
reso_next_paged(MlsSource *source, MlsSourceRecord *records, int max)
{
	ResoState  *st = source->state;
	int			n = 0;

	while (n < max)
	{
		CHECK_FOR_INTERRUPTS();

		/* first what is already split */
		if (st->taken_pos < st->ntaken)
		{
			while (n < max && st->taken_pos < st->ntaken)
				convert_record(source, &st->taken[st->taken_pos++], &records[n++]);
			continue;
		}
		if (st->ntaken > 0)
		{
			MlsODataPageRelease(st->page);
			st->ntaken = st->taken_pos = 0;
		}

		if (!st->transfer_active)
		{
			if (st->finished)
				break;
			if (st->page_url == NULL)
				st->page_url = MemoryContextStrdup(source->cxt,
												   source->mode == MLS_FETCH_KEYS ?
												   keys_url(source) : changes_url(source));
			start_page(source, st->page_url);
		}
		else if (MlsHttpPaused(source->http))
			MlsHttpResume(source->http);

		if (!MlsHttpStep(source->http))
		{
			/* the transfer ended: hand over what it split, then decide */
			st->ntaken = MlsODataPageTake(st->page, &st->taken);
			st->page_records += st->ntaken;
			st->taken_pos = 0;
			if (finish_page(source))
			{
				/* the same page again, once its records are handed over */
				while (n < max && st->taken_pos < st->ntaken)
					convert_record(source, &st->taken[st->taken_pos++], &records[n++]);
				if (st->taken_pos < st->ntaken)
				{
					/* keep the rest for the next call; restart after them */
					st->transfer_active = false;
					break;
				}
				MlsODataPageRelease(st->page);
				st->ntaken = 0;
				start_page(source, st->page_url);
			}
			continue;
		}
		/* paused: the reader holds records */
		st->ntaken = MlsODataPageTake(st->page, &st->taken);
		st->page_records += st->ntaken;
		st->taken_pos = 0;
	}
	return n;
}

/*
 * Fetch one record by key: Resource('key').  A 404 means the source no
 * longer has it.
 */
static int
reso_next_one(MlsSource *source, MlsSourceRecord *records, int max)
{
	ResoState  *st = source->state;
	MlsHttpRequest request;
	MlsHttpResponse response;
	int			attempt = 0;
	char	   *problem = NULL;

	if (st->finished)
		return 0;
	st->finished = true;
	memset(&records[0], 0, sizeof(MlsSourceRecord));
	records[0].key = source->single_key;

	for (;;)
	{
		attempt++;
		ensure_token(source);
		memset(&request, 0, sizeof(request));
		request.url = psprintf("%s(%s)", st->resource_url,
							   MlsHttpEscape(odata_string(source->single_key)));
		request.headers[0] = "Accept: application/json";
		request.headers[1] = st->authorization;
		MlsSourceThrottle(source);
		MlsHttpPerform(source->http, &request, &response);
		MlsSourceCount(source, &response);
		if (response.outcome == MLS_HTTP_OK && response.status == 200)
			break;
		if (response.outcome == MLS_HTTP_OK && response.status == 404)
		{
			records[0].gone = true;
			return 1;
		}
		if (response.outcome == MLS_HTTP_OK && response.status == 401 && !st->reauthenticated &&
			source->config->token_url)
		{
			st->reauthenticated = true;
			st->token = NULL;
			continue;
		}
		if (response.outcome == MLS_HTTP_OK && response.status >= 400 && response.status < 500 &&
			response.status != 429)
			MlsSourceFail(source, MlsHttpErrorCategory(&response), response.status, -1,
						  response.body.data, "the server refused the request (HTTP %ld)",
						  response.status);
		MlsSourceNote(source, MlsHttpErrorCategory(&response), MLS_RETRIED, response.status, -1,
					  source->single_key, response.body.data, attempt, "request failed: %s",
					  response.outcome == MLS_HTTP_OK ? psprintf("HTTP %ld", response.status) : response.error);
		if (!MlsSourceBackoff(source, attempt, response.retry_after))
			MlsSourceFail(source, MlsHttpErrorCategory(&response), response.status, -1,
						  response.body.data, "request failed after %d attempts", attempt);
	}
	records[0].record = MlsJsonToJsonb(response.body.data, response.body.len, &problem);
	if (records[0].record == NULL)
		records[0].problem = psprintf("malformed record: %s", problem);
	else
		records[0].record = without_annotations(records[0].record, response.body.data,
												response.body.len);
	return 1;
}

static int
reso_next(MlsSource *source, MlsSourceRecord *records, int max)
{
	if (source->mode == MLS_FETCH_ONE)
		return reso_next_one(source, records, max);
	return reso_next_paged(source, records, max);
}

/*
 * Nothing to log out of; the HTTP client goes with the run's memory.
 */
static void
reso_close(MlsSource *source)
{
	ResoState  *st = source->state;

	if (st && st->token)
		explicit_bzero(st->token, strlen(st->token));
}

const MlsSourceOps MlsResoSourceOps = {
	.open = reso_open,
	.next = reso_next,
	.close = reso_close,
};
