/*-------------------------------------------------------------------------
 *
 * rets_sql.c
 *	  SQL-callable faces of the RETS parsers and protocol helpers.
 *
 * This is the only RETS file that knows fmgr, jsonb and SQL types: the
 * parsers (rets_compact.c, rets_login.c, rets_multipart.c) and the protocol
 * logic (rets_dmql.c, rets_auth.c, rets_codes.c) know nothing of them.  The
 * functions here let an operator inspect a recorded response, and let the
 * tests drive every parser with real recordings, fed in chunks of any size
 * as a download would feed them.
 *
 * Each parser is created, fed and destroyed inside PG_TRY/PG_FINALLY, so a
 * raised error (a cancel, an encoding conversion) frees libxml2's memory.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "mlsync.h"
#include "rets/rets_auth.h"
#include "rets/rets_codes.h"
#include "rets/parse/rets_compact.h"
#include "rets/rets_dmql.h"
#include "rets/parse/rets_login.h"
#include "rets/parse/rets_multipart.h"
#include "rets/rets_sql.h"

PG_FUNCTION_INFO_V1(mls_rets_parse_search);
PG_FUNCTION_INFO_V1(mls_rets_parse_metadata);
PG_FUNCTION_INFO_V1(mls_rets_parse_login);
PG_FUNCTION_INFO_V1(mls_rets_parse_objects);
PG_FUNCTION_INFO_V1(mls_rets_ua_authorization);
PG_FUNCTION_INFO_V1(mls_rets_query);
PG_FUNCTION_INFO_V1(mls_rets_search_request);
PG_FUNCTION_INFO_V1(mls_rets_split_window);
PG_FUNCTION_INFO_V1(mls_rets_reply_code);
PG_FUNCTION_INFO_V1(mls_rets_reply_codes);

/* ---------------------------------------------------------------------
 * jsonb building
 * ---------------------------------------------------------------------
 */

/*
 * A string of the parsers (UTF-8) in the database's encoding, copied:
 * pushJsonbValue keeps pointers, and parser rows are freed at the next take.
 */
static char *
server_string(const char *s, int len, int *outlen)
{
	char	   *conv;

	if (GetDatabaseEncoding() == PG_UTF8)
	{
		*outlen = len;
		return pnstrdup(s, len);
	}
	conv = pg_any_to_server(s, len, PG_UTF8);
	if (conv == s)
		conv = pnstrdup(s, len);
	*outlen = strlen(conv);
	return conv;
}

static void
jb_key(JsonbParseState **st, const char *key)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) key;
	v.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &v);
}

static void
jb_push(JsonbParseState **st, JsonbValue *v, bool elem)
{
	pushJsonbValue(st, elem ? WJB_ELEM : WJB_VALUE, v);
}

static void
jb_null(JsonbParseState **st, bool elem)
{
	JsonbValue	v;

	v.type = jbvNull;
	jb_push(st, &v, elem);
}

static void
jb_strn(JsonbParseState **st, const char *s, int len, bool elem)
{
	JsonbValue	v;

	if (s == NULL)
	{
		jb_null(st, elem);
		return;
	}
	v.type = jbvString;
	v.val.string.val = server_string(s, len, &v.val.string.len);
	jb_push(st, &v, elem);
}

static void
jb_str(JsonbParseState **st, const char *s, bool elem)
{
	jb_strn(st, s, s ? strlen(s) : 0, elem);
}

static void
jb_int(JsonbParseState **st, int64 n, bool elem)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(n);
	jb_push(st, &v, elem);
}

static void
jb_bool(JsonbParseState **st, bool b, bool elem)
{
	JsonbValue	v;

	v.type = jbvBool;
	v.val.boolean = b;
	jb_push(st, &v, elem);
}

/*
 * Push a finished jsonb (an array or object) as a value or element.
 */
static void
jb_jsonb(JsonbParseState **st, Jsonb *j, bool elem)
{
	JsonbValue	v;

	v.type = jbvBinary;
	v.val.binary.data = &j->root;
	v.val.binary.len = VARSIZE(j) - VARHDRSZ;
	jb_push(st, &v, elem);
}

static void
jb_key_str(JsonbParseState **st, const char *key, const char *s)
{
	jb_key(st, key);
	jb_str(st, s, false);
}

static void
jb_key_int(JsonbParseState **st, const char *key, int64 n)
{
	jb_key(st, key);
	jb_int(st, n, false);
}

static void
jb_key_bool(JsonbParseState **st, const char *key, bool b)
{
	jb_key(st, key);
	jb_bool(st, b, false);
}

/*
 * Begin a result object with the RETS reply: reply_code (null when the
 * body had none) and reply_text.
 */
static void
begin_reply_object(JsonbParseState **st, bool has_reply, int reply_code, const char *reply_text)
{
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	jb_key(st, "reply_code");
	if (has_reply)
		jb_int(st, reply_code, false);
	else
		jb_null(st, false);
	jb_key_str(st, "reply_text", reply_text);
}

/*
 * An array of strings.
 */
static Jsonb *
string_array(char **items, int n)
{
	JsonbParseState *st = NULL;
	int			i;

	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < n; i++)
		jb_str(&st, items[i], true);
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_ARRAY, NULL));
}

/*
 * Push a row's fields as an object (name -> value) into st.
 */
static void
push_row_object(JsonbParseState **st, const RetsRow *row, bool elem)
{
	int			k;

	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	for (k = 0; k < row->nfields; k++)
	{
		JsonbValue	key;

		key.type = jbvString;
		key.val.string.val = server_string(row->names[k], strlen(row->names[k]),
										   &key.val.string.len);
		pushJsonbValue(st, WJB_KEY, &key);
		jb_strn(st, row->values[k], row->lengths[k], false);
	}
	pushJsonbValue(st, WJB_END_OBJECT, NULL);
}

/*
 * A parsed row as a jsonb object, field name -> text value: the record the
 * mapping engine reads.  The row must not have an error.  order (may be
 * NULL) learns the order of the rows' columns, which makes the sort of
 * each row's keys cheap (support/keyorder.c).
 */
Jsonb *
RetsRowToJsonb(const RetsRow *row, MlsJsonKeyOrder *order)
{
	JsonbParseState *st = NULL;
	int			k;

	Assert(row->error == NULL);
	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	for (k = 0; k < row->nfields; k++)
	{
		JsonbValue	key;
		JsonbValue	val;

		key.type = jbvString;
		val.type = jbvString;
		if (GetDatabaseEncoding() == PG_UTF8)
		{
			/* serialized before the row is freed: no copy needed */
			key.val.string.val = row->names[k];
			key.val.string.len = strlen(row->names[k]);
			val.val.string.val = row->values[k];
			val.val.string.len = row->lengths[k];
		}
		else
		{
			key.val.string.val = server_string(row->names[k], strlen(row->names[k]),
											   &key.val.string.len);
			val.val.string.val = server_string(row->values[k], row->lengths[k],
											   &val.val.string.len);
		}
		pushJsonbValue(&st, WJB_KEY, &key);
		pushJsonbValue(&st, WJB_VALUE, &val);
	}
	if (order)
		MlsJsonKeyOrderApply(order, &st->contVal);
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

/* ---------------------------------------------------------------------
 * Common argument handling
 * ---------------------------------------------------------------------
 */

/*
 * The charset parameter of an optional Content-Type argument, or NULL.
 */
static char *
charset_arg(FunctionCallInfo fcinfo, int argno, char *buf, size_t buflen)
{
	char	   *ct;

	if (PG_ARGISNULL(argno))
		return NULL;
	ct = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (RetsContentTypeParam(ct, "charset", buf, buflen))
		return buf;
	return NULL;
}

/* Pieces the body is fed in by default: like a download, 64 kB at a time */
#define DEFAULT_CHUNK (64 * 1024)

/*
 * The body argument, refused when larger than mlsync.max_parse_bytes: the
 * result holds every row at once, many times the body's size in memory.
 */
static bytea *
body_arg(FunctionCallInfo fcinfo)
{
	bytea	   *body = PG_GETARG_BYTEA_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(body);

	if (len > (size_t) mlsync_max_parse_bytes * 1024)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("body of %zu bytes is larger than mlsync.max_parse_bytes (%d kB)",
						len, mlsync_max_parse_bytes),
				 errhint("Raise mlsync.max_parse_bytes for this session to parse it; memory grows with the rows it holds.")));
	return body;
}

/*
 * The chunk size argument: the body is fed in pieces of this size, rows
 * drained after each, so memory stays bounded as in a sync.
 */
static size_t
chunk_arg(FunctionCallInfo fcinfo, int argno)
{
	int32		chunk;

	if (PG_ARGISNULL(argno))
		return DEFAULT_CHUNK;
	chunk = PG_GETARG_INT32(argno);
	if (chunk < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("chunk_size must be at least 1")));
	return chunk;
}

/*
 * The row size limit of the parsers: the mlsync.max_record_bytes setting.
 */
static size_t
max_row_bytes(void)
{
	return (size_t) mlsync_max_record_bytes * 1024;
}

/*
 * The decoder's counters, the encoding and the error, as keys of st.
 */
static void
push_common(JsonbParseState **st, const char *encoding, const RetsTextStats *stats,
			const char *error)
{
	jb_key_str(st, "encoding", encoding);
	jb_key_int(st, "replaced", stats->replaced);
	jb_key_int(st, "latin1_bytes", stats->latin1_bytes);
	jb_key_int(st, "escaped_ampersands", stats->escaped_ampersands);
	jb_key_str(st, "error", error);
}

/* ---------------------------------------------------------------------
 * Search
 * ---------------------------------------------------------------------
 */

typedef struct SearchOut
{
	bool		with_rows;
	JsonbParseState *rows;		/* array of row objects */
	JsonbParseState *bad;		/* array of rows with a field count error */
	MemoryContext rows_cxt;		/* of the arrays above (rows_context) */
	Size		budget;			/* most bytes rows_cxt may hold */
	bool		over_budget;	/* it held more: the feeding stopped */
} SearchOut;

/*
 * Takes the rows a COMPACT parser split so far into a caller's output;
 * false stops the feeding (the output holds more than it may)
 */
typedef bool (*CompactDrain) (RetsCompactParser *p, void *out);

/*
 * Feed a whole body to a COMPACT parser in pieces of chunk bytes, as a
 * transfer would deliver it, draining its rows after every piece and at
 * the end.  A parser error stops the feeding, and so does the drain; the
 * caller reads the one with RetsCompactError and knows the other.
 */
static void
feed_compact(RetsCompactParser *p, const char *charset, const char *data, size_t len,
			 size_t chunk, CompactDrain drain, void *out)
{
	bool		ok = RetsCompactSetCharset(p, charset);

	for (size_t off = 0; ok && off < len; off += chunk)
	{
		ok = RetsCompactFeed(p, data + off, Min(chunk, len - off));
		if (!drain(p, out))
			return;
		CHECK_FOR_INTERRUPTS();
	}
	if (ok)
		(void) RetsCompactFinish(p);
	(void) drain(p, out);
}

/*
 * A memory context for the jsonb trees of a parse's rows.  The tree of a
 * row takes tens of times its text (a pair of JsonbValues and a copy per
 * field), hundreds of times for fields that are empty, so the cap on a
 * body alone does not bound the memory of its parse: the drains check
 * rows_over_budget after each piece of the body.
 */
static MemoryContext
rows_context(void)
{
	return AllocSetContextCreate(CurrentMemoryContext, "mlsync RETS parsed rows",
								 ALLOCSET_DEFAULT_SIZES);
}

static bool
rows_over_budget(MemoryContext rows_cxt, Size budget)
{
	return MemoryContextMemAllocated(rows_cxt, true) > budget;
}

/*
 * Close an array built in rows_cxt and return it as jsonb in the current
 * memory context.
 */
static Jsonb *
finish_rows(JsonbParseState **array, MemoryContext rows_cxt)
{
	MemoryContext old = MemoryContextSwitchTo(rows_cxt);
	JsonbValue *closed = pushJsonbValue(array, WJB_END_ARRAY, NULL);

	MemoryContextSwitchTo(old);
	return JsonbValueToJsonb(closed);
}

/*
 * What the SQL parse functions raise when the rows of a body take more
 * than budget bytes once parsed.
 */
static void
raise_over_budget(Size budget)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("the rows of the body take more than %zu kB once parsed, four times mlsync.max_parse_bytes",
					budget / 1024),
			 errhint("Raise mlsync.max_parse_bytes for this session to parse it.")));
}

/*
 * Append a row that could not be read (its field count does not match
 * COLUMNS) to a "bad_rows" array: its number, its metadata table when
 * with_table, the error and the fields found.
 */
static void
push_bad_row(JsonbParseState **bad, const RetsRow *row, bool with_table)
{
	pushJsonbValue(bad, WJB_BEGIN_OBJECT, NULL);
	jb_key_int(bad, "row", row->number);
	if (with_table)
		jb_key_int(bad, "table", row->table);
	jb_key_str(bad, "error", row->error);
	jb_key(bad, "fields");
	pushJsonbValue(bad, WJB_BEGIN_ARRAY, NULL);
	for (int k = 0; k < row->nfields; k++)
		jb_strn(bad, row->values[k], row->lengths[k], true);
	pushJsonbValue(bad, WJB_END_ARRAY, NULL);
	pushJsonbValue(bad, WJB_END_OBJECT, NULL);
}

/*
 * Turn the rows parsed so far into jsonb; false once they hold more than
 * the budget.
 */
static bool
drain_search(RetsCompactParser *p, void *arg)
{
	SearchOut  *out = arg;
	RetsRow   **rows;
	int			n = RetsCompactTakeRows(p, &rows);
	MemoryContext old = MemoryContextSwitchTo(out->rows_cxt);

	for (int i = 0; i < n; i++)
	{
		RetsRow    *row = rows[i];

		if (row->error != NULL)
			push_bad_row(&out->bad, row, false);
		else if (out->with_rows)
			push_row_object(&out->rows, row, true);
	}
	MemoryContextSwitchTo(old);
	out->over_budget = rows_over_budget(out->rows_cxt, out->budget);
	return !out->over_budget;
}

/*
 * mls_rets_parse_search(body bytea, content_type text, chunk_size integer,
 *						 with_rows boolean) returns jsonb
 *
 * Parse a COMPACT or COMPACT-DECODED Search response.
 */
Datum
mls_rets_parse_search(PG_FUNCTION_ARGS)
{
	bytea	   *body;
	char		charset_buf[64];
	char	   *charset;
	const char *data;
	size_t		len;
	size_t		chunk;
	SearchOut	out = {0};
	RetsCompactParser *volatile p = NULL;
	JsonbParseState *st = NULL;
	Jsonb	   *result = NULL;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	body = body_arg(fcinfo);
	charset = charset_arg(fcinfo, 1, charset_buf, sizeof(charset_buf));
	data = VARDATA_ANY(body);
	len = VARSIZE_ANY_EXHDR(body);
	chunk = chunk_arg(fcinfo, 2);
	out.with_rows = PG_ARGISNULL(3) ? true : PG_GETARG_BOOL(3);

	out.rows_cxt = rows_context();
	out.budget = RETS_ROWS_BUDGET(mlsync_max_parse_bytes);
	PG_TRY();
	{
		const RetsCompactInfo *info;
		char		delim[3];
		MemoryContext old = MemoryContextSwitchTo(out.rows_cxt);
		Jsonb	   *rows;
		Jsonb	   *bad;

		pushJsonbValue(&out.rows, WJB_BEGIN_ARRAY, NULL);
		pushJsonbValue(&out.bad, WJB_BEGIN_ARRAY, NULL);
		MemoryContextSwitchTo(old);
		p = RetsCompactCreate(CurrentMemoryContext, RETS_COMPACT_SEARCH, max_row_bytes());
		feed_compact(p, charset, data, len, chunk, drain_search, &out);
		if (out.over_budget)
			raise_over_budget(out.budget);
		rows = finish_rows(&out.rows, out.rows_cxt);
		bad = finish_rows(&out.bad, out.rows_cxt);
		MemoryContextDelete(out.rows_cxt);

		info = RetsCompactGetInfo(p);
		begin_reply_object(&st, info->has_reply, info->reply_code, info->reply_text);
		jb_key(&st, "status_code");
		if (info->has_status)
			jb_int(&st, info->status_code, false);
		else
			jb_null(&st, false);
		jb_key_str(&st, "status_text", info->status_text);
		jb_key(&st, "count");
		if (info->count >= 0)
			jb_int(&st, info->count, false);
		else
			jb_null(&st, false);
		snprintf(delim, sizeof(delim), "%02X", info->delimiter);
		jb_key_str(&st, "delimiter", delim);
		jb_key_bool(&st, "delimiter_sent", info->delimiter_sent);
		jb_key(&st, "columns");
		jb_jsonb(&st, string_array(info->columns, info->ncolumns), false);
		jb_key(&st, "rows");
		if (out.with_rows)
			jb_jsonb(&st, rows, false);
		else
			jb_null(&st, false);
		jb_key_int(&st, "row_count", info->rows - info->bad_rows);
		jb_key(&st, "bad_rows");
		jb_jsonb(&st, bad, false);
		jb_key_bool(&st, "maxrows", info->maxrows);
		jb_key_bool(&st, "truncated", info->truncated);
		jb_key_bool(&st, "no_records", info->no_records);
		jb_key_str(&st, "text", info->text);
		jb_key_int(&st, "peak_memory", info->peak_memory);
		push_common(&st, info->encoding, &info->stats, RetsCompactError(p));
		result = JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
	}
	PG_FINALLY();
	{
		RetsCompactDestroy(p);
	}
	PG_END_TRY();

	PG_RETURN_JSONB_P(result);
}

/* ---------------------------------------------------------------------
 * Metadata
 * ---------------------------------------------------------------------
 */

typedef struct MetadataOut
{
	int			ntables;
	int			cap;
	JsonbParseState **tables;	/* per table: array of row objects */
	JsonbParseState *bad;
	MemoryContext rows_cxt;		/* of the arrays above */
	Size		budget;			/* most bytes rows_cxt may hold */
	bool		over_budget;	/* it held more: the feeding stopped */
} MetadataOut;

/*
 * The row array of table i, started when first needed.
 */
static JsonbParseState **
table_rows(MetadataOut *out, int i)
{
	while (out->ntables <= i)
	{
		if (out->ntables == out->cap)
		{
			int			cap = out->cap == 0 ? 16 : out->cap * 2;

			out->tables = out->tables ?
				repalloc(out->tables, sizeof(JsonbParseState *) * cap) :
				palloc(sizeof(JsonbParseState *) * cap);
			out->cap = cap;
		}
		out->tables[out->ntables] = NULL;
		pushJsonbValue(&out->tables[out->ntables], WJB_BEGIN_ARRAY, NULL);
		out->ntables++;
	}
	return &out->tables[i];
}

/*
 * Take the rows parsed so far into the table arrays; false once they hold
 * more than the budget.
 */
static bool
drain_metadata(RetsCompactParser *p, void *arg)
{
	MetadataOut *out = arg;
	RetsRow   **rows;
	int			n = RetsCompactTakeRows(p, &rows);
	MemoryContext old = MemoryContextSwitchTo(out->rows_cxt);

	for (int i = 0; i < n; i++)
	{
		RetsRow    *row = rows[i];

		if (row->error != NULL)
			push_bad_row(&out->bad, row, true);
		else
			push_row_object(table_rows(out, row->table), row, true);
	}
	MemoryContextSwitchTo(old);
	out->over_budget = rows_over_budget(out->rows_cxt, out->budget);
	return !out->over_budget;
}

/*
 * The jsonb of a parsed GetMetadata response: its reply, each table with
 * its rows (rows[i] of table i), the rows that could not be read.
 */
static Jsonb *
metadata_result(RetsCompactParser *p, Jsonb **rows, Jsonb *bad)
{
	const RetsCompactInfo *info = RetsCompactGetInfo(p);
	int			ntables = RetsCompactNumTables(p);
	JsonbParseState *st = NULL;

	begin_reply_object(&st, info->has_reply, info->reply_code, info->reply_text);
	jb_key(&st, "tables");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	for (int i = 0; i < ntables; i++)
	{
		const RetsTable *t = RetsCompactGetTable(p, i);

		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		jb_key_str(&st, "type", t->type);
		jb_key(&st, "attributes");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (int a = 0; a < t->nattrs; a++)
			jb_key_str(&st, t->attr_names[a], t->attr_values[a]);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		jb_key_str(&st, "format", t->compact ? "COMPACT" : "STANDARD-XML");
		jb_key(&st, "columns");
		if (t->columns != NULL)
			jb_jsonb(&st, string_array(t->columns, t->ncolumns), false);
		else
			jb_null(&st, false);
		jb_key(&st, "rows");
		jb_jsonb(&st, rows[i], false);
		jb_key_int(&st, "row_count", t->rows);
		jb_key_int(&st, "skipped", t->skipped);
		jb_key(&st, "parent");
		if (t->parent >= 0)
			jb_int(&st, t->parent, false);
		else
			jb_null(&st, false);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	jb_key(&st, "bad_rows");
	jb_jsonb(&st, bad, false);
	jb_key_str(&st, "text", info->text);
	push_common(&st, info->encoding, &info->stats, RetsCompactError(p));
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

/*
 * A GetMetadata response (COMPACT, or STANDARD-XML) parsed into jsonb
 * (metadata_result).  The body is fed in pieces of chunk bytes, as a
 * transfer would deliver it.  NULL, with *over_budget set, when its rows
 * take more than budget bytes once parsed (rows_context).  Each table's
 * rows become jsonb before the result is built, and the trees they were
 * built in are freed first.
 */
Jsonb *
RetsMetadataToJsonb(const char *data, size_t len, const char *charset, size_t chunk,
					Size budget, bool *over_budget)
{
	MetadataOut out = {0};
	RetsCompactParser *volatile p = NULL;
	Jsonb	   *result = NULL;

	out.rows_cxt = rows_context();
	out.budget = budget;
	PG_TRY();
	{
		MemoryContext old = MemoryContextSwitchTo(out.rows_cxt);

		pushJsonbValue(&out.bad, WJB_BEGIN_ARRAY, NULL);
		MemoryContextSwitchTo(old);
		p = RetsCompactCreate(CurrentMemoryContext, RETS_COMPACT_METADATA, max_row_bytes());
		feed_compact(p, charset, data, len, chunk, drain_metadata, &out);
		if (!out.over_budget)
		{
			int			ntables = RetsCompactNumTables(p);
			Jsonb	  **rows = palloc(sizeof(Jsonb *) * Max(ntables, 1));
			Jsonb	   *bad;

			for (int i = 0; i < ntables; i++)
			{
				JsonbParseState **array;

				old = MemoryContextSwitchTo(out.rows_cxt);
				array = table_rows(&out, i);
				MemoryContextSwitchTo(old);
				rows[i] = finish_rows(array, out.rows_cxt);
			}
			bad = finish_rows(&out.bad, out.rows_cxt);
			MemoryContextDelete(out.rows_cxt);
			result = metadata_result(p, rows, bad);
		}
	}
	PG_FINALLY();
	{
		RetsCompactDestroy(p);
	}
	PG_END_TRY();
	*over_budget = out.over_budget;
	return result;
}

/*
 * mls_rets_parse_metadata(body bytea, content_type text, chunk_size integer)
 * returns jsonb
 *
 * Parse a GetMetadata response (COMPACT, or STANDARD-XML).
 */
Datum
mls_rets_parse_metadata(PG_FUNCTION_ARGS)
{
	bytea	   *body;
	char		charset_buf[64];
	char	   *charset;
	Size		budget = RETS_ROWS_BUDGET(mlsync_max_parse_bytes);
	bool		over_budget;
	Jsonb	   *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	body = body_arg(fcinfo);
	charset = charset_arg(fcinfo, 1, charset_buf, sizeof(charset_buf));
	result = RetsMetadataToJsonb(VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body), charset,
								 chunk_arg(fcinfo, 2), budget, &over_budget);
	if (over_budget)
		raise_over_budget(budget);
	PG_RETURN_JSONB_P(result);
}

/* ---------------------------------------------------------------------
 * Login, Logout, Action
 * ---------------------------------------------------------------------
 */

/*
 * mls_rets_parse_login(body bytea, login_url text, content_type text)
 * returns jsonb
 */
Datum
mls_rets_parse_login(PG_FUNCTION_ARGS)
{
	bytea	   *body;
	char	   *login_url = NULL;
	char		charset_buf[64];
	char	   *charset;
	RetsLoginParser *volatile p = NULL;
	Jsonb	   *result = NULL;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	body = body_arg(fcinfo);
	if (!PG_ARGISNULL(1))
		login_url = text_to_cstring(PG_GETARG_TEXT_PP(1));
	charset = charset_arg(fcinfo, 2, charset_buf, sizeof(charset_buf));

	PG_TRY();
	{
		JsonbParseState *st = NULL;
		const RetsLoginResult *r;
		int			i;

		p = RetsLoginCreate(CurrentMemoryContext, login_url, 0);
		RetsLoginSetCharset(p, charset);
		if (RetsLoginFeed(p, VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body)))
			RetsLoginFinish(p);
		r = RetsLoginGetResult(p);

		begin_reply_object(&st, r->has_reply, r->reply_code, r->reply_text);
		/* resolved URLs (null when a value is no http(s) URL), and as sent */
		jb_key(&st, "capabilities");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (i = 0; i < r->ncapabilities; i++)
			jb_key_str(&st, r->capabilities[i].name, r->capabilities[i].url);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		jb_key(&st, "capability_values");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (i = 0; i < r->ncapabilities; i++)
			jb_key_str(&st, r->capabilities[i].name, r->capabilities[i].value);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		jb_key(&st, "info");
		pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
		for (i = 0; i < r->ninfo; i++)
		{
			pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
			jb_key_str(&st, "name", r->info[i].name);
			jb_key_str(&st, "type", r->info[i].type);
			jb_key_str(&st, "value", r->info[i].value);
			pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		}
		pushJsonbValue(&st, WJB_END_ARRAY, NULL);
		jb_key(&st, "values");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (i = 0; i < r->nvalues; i++)
			jb_key_str(&st, r->values[i].key, r->values[i].value);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		jb_key_str(&st, "metadata_version", r->metadata_version);
		jb_key_str(&st, "metadata_timestamp", r->metadata_timestamp);
		jb_key_str(&st, "min_metadata_version", r->min_metadata_version);
		jb_key_str(&st, "min_metadata_timestamp", r->min_metadata_timestamp);
		jb_key(&st, "timeout_seconds");
		if (r->timeout_seconds >= 0)
			jb_int(&st, r->timeout_seconds, false);
		else
			jb_null(&st, false);
		jb_key_str(&st, "text", r->text);
		jb_key_bool(&st, "xml", r->xml);
		push_common(&st, r->encoding, &r->stats, RetsLoginError(p));
		result = JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
	}
	PG_FINALLY();
	{
		RetsLoginDestroy(p);
	}
	PG_END_TRY();

	PG_RETURN_JSONB_P(result);
}

/* ---------------------------------------------------------------------
 * GetObject
 * ---------------------------------------------------------------------
 */

/* One object being collected for the result */
typedef struct ObjectOut
{
	RetsObjectPart *part;
	StringInfoData data;
} ObjectOut;

/*
 * Emit the finished object as a result row.
 */
static void
object_row(ReturnSetInfo *rsinfo, RetsObjectPart *part, StringInfo data)
{
	Datum		values[15];
	bool		nulls[15] = {0};
	JsonbParseState *st = NULL;
	int			i;

#define TEXT_OR_NULL(n, s) \
	do { if ((s) != NULL) values[n] = CStringGetTextDatum(s); else nulls[n] = true; } while (0)

	values[0] = Int32GetDatum(part->index);
	TEXT_OR_NULL(1, part->content_type);
	TEXT_OR_NULL(2, part->content_id);
	TEXT_OR_NULL(3, part->object_id);
	TEXT_OR_NULL(4, part->description);
	TEXT_OR_NULL(5, part->sub_description);
	TEXT_OR_NULL(6, part->location);
	values[7] = BoolGetDatum(part->preferred);
	if (part->has_reply)
	{
		values[8] = Int32GetDatum(part->reply_code);
		TEXT_OR_NULL(9, part->reply_text);
	}
	else
		nulls[8] = nulls[9] = true;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < part->nobject_data; i++)
		jb_key_str(&st, part->object_data[i].name, part->object_data[i].value);
	values[10] = JsonbPGetDatum(JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL)));

	st = NULL;
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < part->nheaders; i++)
	{
		pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
		jb_str(&st, part->headers[i].name, true);
		jb_str(&st, part->headers[i].value, true);
		pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	}
	values[11] = JsonbPGetDatum(JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_ARRAY, NULL)));
	values[12] = Int64GetDatum(part->size);
	{
		bytea	   *b = palloc(VARHDRSZ + data->len);

		SET_VARSIZE(b, VARHDRSZ + data->len);
		memcpy(VARDATA(b), data->data, data->len);
		values[13] = PointerGetDatum(b);
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
#undef TEXT_OR_NULL
}

/*
 * Turn the events of the parser into result rows.
 */
static void
drain_objects(RetsObjectParser *p, ReturnSetInfo *rsinfo, ObjectOut *cur)
{
	RetsObjectEvent *events;
	int			n = RetsObjectTakeEvents(p, &events);
	int			i;

	for (i = 0; i < n; i++)
	{
		RetsObjectEvent *ev = &events[i];

		switch (ev->kind)
		{
			case RETS_OBJECT_BEGIN:
				cur->part = ev->part;
				resetStringInfo(&cur->data);
				break;
			case RETS_OBJECT_DATA:
				appendBinaryStringInfo(&cur->data, ev->data, ev->len);
				break;
			case RETS_OBJECT_END:
				object_row(rsinfo, ev->part, &cur->data);
				cur->part = NULL;
				break;
		}
	}
}

/*
 * mls_rets_parse_objects(body bytea, content_type text, headers text,
 *						  chunk_size integer) returns setof record
 *
 * Parse a GetObject response: one row per object (or per error part).
 * headers are the HTTP response header lines, which describe a single
 * object.
 */
Datum
mls_rets_parse_objects(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bytea	   *body;
	char	   *content_type = NULL;
	char	   *headers = NULL;
	const char *data;
	size_t		len;
	size_t		chunk;
	RetsObjectParser *volatile p = NULL;
	char	   *error = NULL;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	body = body_arg(fcinfo);
	if (!PG_ARGISNULL(1))
		content_type = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (!PG_ARGISNULL(2))
		headers = text_to_cstring(PG_GETARG_TEXT_PP(2));
	data = VARDATA_ANY(body);
	len = VARSIZE_ANY_EXHDR(body);
	chunk = chunk_arg(fcinfo, 3);

	PG_TRY();
	{
		ObjectOut	cur;
		size_t		off;
		bool		ok = true;

		cur.part = NULL;
		initStringInfo(&cur.data);
		p = RetsObjectCreate(CurrentMemoryContext);
		if (headers != NULL)
		{
			char	   *s = headers;

			/* one header per line, as libcurl's header callback gives them */
			while (ok && *s)
			{
				size_t		n = strcspn(s, "\n");
				size_t		l = n;

				if (l > 0 && s[l - 1] == '\r')
					l--;
				if (l > 0)
					ok = RetsObjectAddResponseHeader(p, s, l);
				s += n;
				if (*s == '\n')
					s++;
			}
		}
		if (ok)
			ok = RetsObjectSetContentType(p, content_type);
		for (off = 0; ok && off < len; off += chunk)
		{
			ok = RetsObjectFeed(p, data + off, Min(chunk, len - off));
			drain_objects(p, rsinfo, &cur);
			CHECK_FOR_INTERRUPTS();
		}
		if (ok)
			ok = RetsObjectFinish(p);
		drain_objects(p, rsinfo, &cur);
		if (!ok)
			error = pstrdup(RetsObjectError(p));
	}
	PG_FINALLY();
	{
		RetsObjectDestroy(p);
	}
	PG_END_TRY();

	if (error != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid GetObject response: %s", error)));
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * RETS-UA-Authorization
 * ---------------------------------------------------------------------
 */

/*
 * mls_rets_ua_authorization(user_agent, ua_password, request_id, session_id,
 *							 rets_version, interealty) returns text
 *
 * The value of the RETS-UA-Authorization header: "Digest <32 hex digits>".
 */
Datum
mls_rets_ua_authorization(PG_FUNCTION_ARGS)
{
	char	   *args[5];
	char		digest[RETS_UA_DIGEST_LEN];
	const char *errstr = NULL;
	bool		interealty = PG_ARGISNULL(5) ? false : PG_GETARG_BOOL(5);
	int			i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("user_agent, ua_password and rets_version must not be null")));
	for (i = 0; i < 5; i++)
		args[i] = PG_ARGISNULL(i) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(i));
	if (!RetsUaAuthDigest(args[0], args[1], args[2], args[3], args[4], interealty,
						  digest, &errstr))
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not compute MD5: %s", errstr ? errstr : "unknown error")));
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("Digest %s", digest)));
}

/* ---------------------------------------------------------------------
 * DMQL2
 * ---------------------------------------------------------------------
 */

/*
 * The elements of a text[] argument; NULL elements are an error.
 */
static int
text_array_arg(FunctionCallInfo fcinfo, int argno, const char *what, char ***items)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;

	if (PG_ARGISNULL(argno))
	{
		*items = NULL;
		return 0;
	}
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	*items = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain nulls", what)));
		(*items)[i] = TextDatumGetCString(elems[i]);
	}
	return n;
}

static char *
text_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/*
 * mls_rets_query(timestamp_field, from_ts, to_ts, key_field, key_from,
 *				  key_to, status_field, statuses, extra_query) returns text
 */
Datum
mls_rets_query(PG_FUNCTION_ARGS)
{
	RetsQuerySpec q;
	char	  **statuses;

	memset(&q, 0, sizeof(q));
	q.timestamp_field = text_arg(fcinfo, 0);
	q.has_from = !PG_ARGISNULL(1);
	if (q.has_from)
		q.from = PG_GETARG_TIMESTAMP(1);
	q.has_to = !PG_ARGISNULL(2);
	if (q.has_to)
		q.to = PG_GETARG_TIMESTAMP(2);
	q.key_field = text_arg(fcinfo, 3);
	q.key_from = text_arg(fcinfo, 4);
	q.key_to = text_arg(fcinfo, 5);
	q.status_field = text_arg(fcinfo, 6);
	q.nstatuses = text_array_arg(fcinfo, 7, "statuses", &statuses);
	q.statuses = (const char *const *) statuses;
	q.extra = text_arg(fcinfo, 8);

	if (!PG_ARGISNULL(7) && q.nstatuses == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("statuses must not be empty"),
				 errhint("Pass NULL for all statuses.")));
	PG_RETURN_TEXT_P(cstring_to_text(RetsDmqlQuery(&q)));
}

/*
 * mls_rets_search_request(resource, class, query, format, select, limit,
 *						   offset, count, standard_names,
 *						   restricted_indicator) returns text
 */
Datum
mls_rets_search_request(PG_FUNCTION_ARGS)
{
	RetsSearchArgs a;
	char	  **select;

	memset(&a, 0, sizeof(a));
	a.resource = text_arg(fcinfo, 0);
	a.class_name = text_arg(fcinfo, 1);
	a.query = text_arg(fcinfo, 2);
	a.format = PG_ARGISNULL(3) ? "COMPACT-DECODED" : text_arg(fcinfo, 3);
	a.nselect = text_array_arg(fcinfo, 4, "select", &select);
	a.select = (const char *const *) select;
	a.limit = PG_ARGISNULL(5) ? 0 : PG_GETARG_INT32(5);
	a.offset = PG_ARGISNULL(6) ? 0 : PG_GETARG_INT32(6);
	a.count = PG_ARGISNULL(7) ? -1 : PG_GETARG_INT32(7);
	a.standard_names = PG_ARGISNULL(8) ? false : PG_GETARG_BOOL(8);
	a.restricted_indicator = text_arg(fcinfo, 9);
	if ((!PG_ARGISNULL(5) && a.limit < 1) || (!PG_ARGISNULL(6) && a.offset < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Limit and Offset must be at least 1"),
				 errdetail("Offset is 1-based.")));
	PG_RETURN_TEXT_P(cstring_to_text(RetsSearchRequest(&a)));
}

/*
 * mls_rets_split_window(from_ts, to_ts, resolution) returns table(from_ts, to_ts)
 *
 * The two halves of a truncated window, or no row when it cannot be split.
 */
Datum
mls_rets_split_window(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Timestamp	from;
	Timestamp	to;
	Interval   *res;
	int64		resolution;
	Timestamp	left_to;
	Timestamp	right_from;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a window needs both bounds")));
	from = PG_GETARG_TIMESTAMP(0);
	to = PG_GETARG_TIMESTAMP(1);
	if (TIMESTAMP_NOT_FINITE(from) || TIMESTAMP_NOT_FINITE(to))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a query window needs finite timestamps")));
	if (from > to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("query window starts after it ends")));
	resolution = USECS_PER_SEC;
	if (!PG_ARGISNULL(2))
	{
		res = PG_GETARG_INTERVAL_P(2);
		if (res->month != 0 || res->day != 0 || res->time < 1000)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("resolution must be a positive time of at least a millisecond, without days or months")));
		resolution = res->time;
	}
	if (RetsSplitWindow(from, to, resolution, &left_to, &right_from))
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = TimestampGetDatum(from);
		values[1] = TimestampGetDatum(left_to);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		values[0] = TimestampGetDatum(right_from);
		values[1] = TimestampGetDatum(to);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * Reply codes
 * ---------------------------------------------------------------------
 */

static void
reply_code_row(ReturnSetInfo *rsinfo, const RetsReplyCodeInfo *info)
{
	Datum		values[6];
	bool		nulls[6] = {0};

	values[0] = Int32GetDatum(info->code);
	if (info->transaction)
		values[1] = CStringGetTextDatum(info->transaction);
	else
		nulls[1] = true;
	if (info->category)
		values[2] = CStringGetTextDatum(info->category);
	else
		nulls[2] = true;
	values[3] = CStringGetTextDatum(RetsActionName(info->action));
	values[4] = CStringGetTextDatum(info->meaning);
	values[5] = BoolGetDatum(info->known);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * mls_rets_reply_code(code integer) returns table(code, transaction,
 *		category, action, meaning, known)
 */
Datum
mls_rets_reply_code(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	RetsReplyCodeInfo info;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	RetsReplyCodeLookup(PG_GETARG_INT32(0), &info);
	reply_code_row(rsinfo, &info);
	return (Datum) 0;
}

/*
 * mls_rets_reply_codes() returns the same rows for every known code.
 */
Datum
mls_rets_reply_codes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < RetsReplyCodeCount(); i++)
		reply_code_row(rsinfo, RetsReplyCodeAt(i));
	return (Datum) 0;
}
