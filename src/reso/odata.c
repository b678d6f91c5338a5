/*-------------------------------------------------------------------------
 *
 * odata.c
 *	  Conversion of OData JSON (a record split by the page reader, an error
 *	  body, a token or single-entity response) to jsonb.
 *
 * The page reader itself, which splits pages into records without any of
 * this, is in odata_page.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "reso/json_read.h"
#include "reso/odata.h"
#include "support/keyorder.h"

/*
 * The error message of an OData error body ({"error": {"message": ...}}),
 * or its raw text, or NULL when the page is not an error.
 */
const char *
MlsODataPageError(MlsODataPage *page)
{
	const char *text;
	int			len;
	Jsonb	   *error;
	char	   *problem;
	JsonbValue	found;

	text = MlsODataPageErrorText(page, &len);
	if (text == NULL)
		return NULL;
	error = MlsJsonToJsonb(text, len, &problem);
	if (error && JB_ROOT_IS_OBJECT(error) &&
		getKeyJsonValueFromContainer(&error->root, "message", 7, &found) &&
		found.type == jbvString)
		return pnstrdup(found.val.string.val, found.val.string.len);
	return pnstrdup(text, len);
}

/* State of building a jsonb from JSON text */
typedef struct JsonbBuild
{
	JsonbParseState *state;
	JsonbValue *result;
	const char *problem;
	MlsJsonKeyOrder *order;		/* the top-level object's, or NULL */
} JsonbBuild;

static void
build_object_start(void *arg)
{
	JsonbBuild *b = arg;

	pushJsonbValue(&b->state, WJB_BEGIN_OBJECT, NULL);
}

static void
build_object_end(void *arg)
{
	JsonbBuild *b = arg;

	/* the record itself, not an object nested in it */
	if (b->order && b->state->next == NULL)
		MlsJsonKeyOrderApply(b->order, &b->state->contVal);
	b->result = pushJsonbValue(&b->state, WJB_END_OBJECT, NULL);
}

static void
build_array_start(void *arg)
{
	JsonbBuild *b = arg;

	pushJsonbValue(&b->state, WJB_BEGIN_ARRAY, NULL);
}

static void
build_array_end(void *arg)
{
	JsonbBuild *b = arg;

	b->result = pushJsonbValue(&b->state, WJB_END_ARRAY, NULL);
}

static void
build_field_start(void *arg, char *fname, bool isnull)
{
	JsonbBuild *b = arg;
	JsonbValue	key;

	key.type = jbvString;
	key.val.string.val = fname;
	key.val.string.len = strlen(fname);
	pushJsonbValue(&b->state, WJB_KEY, &key);
}

/*
 * A scalar of the record.  Numbers with absurd exponents would make
 * numeric_in raise: they are refused softly instead (stored as null, the
 * record reported).
 */
static void
build_scalar(void *arg, char *token, JsonTokenType tokentype)
{
	JsonbBuild *b = arg;
	JsonbValue	v;

	switch (tokentype)
	{
		case JSON_TOKEN_STRING:
			v.type = jbvString;
			v.val.string.val = token;
			v.val.string.len = strlen(token);
			break;
		case JSON_TOKEN_NUMBER:
			if (!MlsJsonNumberValue(token, &v))
			{
				b->problem = "a number is out of range";
				v.type = jbvNull;
			}
			break;
		case JSON_TOKEN_TRUE:
			v.type = jbvBool;
			v.val.boolean = true;
			break;
		case JSON_TOKEN_FALSE:
			v.type = jbvBool;
			v.val.boolean = false;
			break;
		default:
			v.type = jbvNull;
			break;
	}
	if (b->state == NULL)
	{
		b->problem = "a record is not a JSON object";
		return;
	}
	pushJsonbValue(&b->state,
				   b->state->contVal.type == jbvArray ? WJB_ELEM : WJB_VALUE, &v);
}

/*
 * Whether JSON text nests deeper than limit (objects and arrays; strings
 * skipped).  PostgreSQL's JSON parser recurses once per level and raises
 * "stack depth limit exceeded" far below what a hostile record can reach,
 * so depth is measured first, without recursion.
 */
static bool
json_too_deep(const char *text, int len, int limit)
{
	int			depth = 0;
	bool		in_string = false;

	for (int i = 0; i < len; i++)
	{
		char		c;

		/* in a string, only its next quote or backslash matters */
		if (in_string)
		{
			i = (int) (MlsJsonStringStop(text + i, text + len) - text);
			if (i == len)
				break;
		}
		c = text[i];
		if (in_string)
		{
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		}
		else if (c == '"')
			in_string = true;
		else if (c == '{' || c == '[')
		{
			if (++depth > limit)
				return true;
		}
		else if (c == '}' || c == ']')
			depth--;
	}
	return false;
}

static Jsonb *parse_with_postgres(const char *text, int len, MlsJsonKeyOrder *order,
								  char **problem);

/*
 * Parse one JSON object into jsonb; NULL (with *problem set) when the text
 * is not valid JSON, not an object, or nests deeper than
 * MLS_MAX_JSON_DEPTH.  The errors are those of PostgreSQL's JSON parser.
 */
Jsonb *
MlsJsonToJsonb(const char *text, int len, char **problem)
{
	return MlsJsonRecordToJsonb(text, len, NULL, problem);
}

/*
 * MlsJsonToJsonb for one record of a stream of like records: order (may
 * be NULL) learns the order of their keys, which makes the sort of each
 * record's keys cheap (support/keyorder.c).  Plainly valid text is read by
 * the fast reader (json_read.c); anything it is unsure of, PostgreSQL's
 * parser reads again, with the result and errors it always gave.
 */
Jsonb *
MlsJsonRecordToJsonb(const char *text, int len, MlsJsonKeyOrder *order, char **problem)
{
	Jsonb	   *plain;

	if (json_too_deep(text, len, MLS_MAX_JSON_DEPTH))
	{
		*problem = psprintf("JSON nested deeper than %d levels", MLS_MAX_JSON_DEPTH);
		return NULL;
	}
	if ((plain = MlsJsonReadPlain(text, len, order)) != NULL)
		return plain;
	return parse_with_postgres(text, len, order, problem);
}

/*
 * Parse with PostgreSQL's JSON parser (the depth already checked).
 */
static Jsonb *
parse_with_postgres(const char *text, int len, MlsJsonKeyOrder *order, char **problem)
{
	JsonLexContext *lex;
	JsonSemAction sem;
	JsonbBuild	build;
	JsonParseErrorType rc;

	memset(&build, 0, sizeof(build));
	build.order = order;
	memset(&sem, 0, sizeof(sem));
	sem.semstate = &build;
	sem.object_start = build_object_start;
	sem.object_end = build_object_end;
	sem.array_start = build_array_start;
	sem.array_end = build_array_end;
	sem.object_field_start = build_field_start;
	sem.scalar = build_scalar;

	lex = makeJsonLexContextCstringLen((char *) text, len, PG_UTF8, true);
	rc = pg_parse_json(lex, &sem);
	if (rc != JSON_SUCCESS)
	{
		*problem = json_errdetail(rc, lex);
		return NULL;
	}
	if (build.problem || build.result == NULL || build.result->type != jbvObject)
	{
		*problem = pstrdup(build.problem ? build.problem : "a record is not a JSON object");
		return NULL;
	}
	return JsonbValueToJsonb(build.result);
}

/*
 * A member of a record as text: a string, or a number as SQL's ->> writes
 * it; NULL when it is missing or of another type.
 */
char *
MlsODataFieldText(Jsonb *record, const char *field)
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
 * Whether a member of a record is false: the JSON false, or a string
 * "false" in any case (servers that write every value as a string).  A
 * missing or null member, or any other value, is not.
 */
bool
MlsODataFieldIsFalse(Jsonb *record, const char *field)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(&record->root, field, strlen(field), &v) == NULL)
		return false;
	if (v.type == jbvBool)
		return !v.val.boolean;
	return v.type == jbvString && v.val.string.len == 5 &&
		pg_strncasecmp(v.val.string.val, "false", 5) == 0;
}

/*
 * An OData string literal of value: in single quotes, quotes doubled.
 */
char *
MlsODataString(const char *value)
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
