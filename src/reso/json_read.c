/*-------------------------------------------------------------------------
 *
 * json_read.c
 *	  A fast reader of the JSON of one record into jsonb, for the text that
 *	  is plainly valid; everything else is left to PostgreSQL's parser.
 *
 * PostgreSQL 15's JSON lexer copies every character of every string into
 * a buffer one call at a time, then copies the string again for the
 * parser's callback; a wide record (630 members, 25 kB) spends most of its
 * reading there.  Nearly all of a record's text is plain: strings without
 * escapes (taken where they lie in the text, with no copy), numbers,
 * literals.  This reader handles exactly that and says "unsure" at the
 * first thing it does not: a syntax error, a control character in a
 * string, a \u escape of NUL or of a surrogate, a number PostgreSQL would
 * refuse.  The caller then parses the record again with PostgreSQL's
 * parser (odata.c), which gives the result or the error message it always
 * gave, so the fast path can only be faster, never different.  What it
 * accepts follows RFC 8259 and PostgreSQL's lexer: JSON whitespace, no
 * letters, digits or non-ASCII bytes right after a number or literal.
 *
 * The text must be valid UTF-8 (MlsJsonRepair makes it so) and nest no
 * deeper than MLS_MAX_JSON_DEPTH (checked before), which bounds the
 * recursion here.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "reso/json_read.h"
#include "reso/odata.h"

typedef struct Reader
{
	const char *p;				/* the next byte to read */
	const char *end;
	JsonbParseState *state;
	MlsJsonKeyOrder *order;
	JsonbValue *result;
} Reader;

static bool read_value(Reader *r, JsonbIteratorToken as, int depth);

/* A byte PostgreSQL's lexer reads as part of a number or literal token */
static inline bool
token_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || IS_HIGHBIT_SET(c);
}

/* An ASCII digit (isdigit() may answer by the locale) */
static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline void
skip_space(Reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

/*
 * The bytes up to the next quote, backslash or control character.
 */
static inline const char *
plain_run(const char *s, const char *end)
{
	while (s < end && *s != '"' && *s != '\\' && (unsigned char) *s >= 0x20)
		s++;
	return s;
}

/*
 * The string whose opening quote is at r->p, as a jsonb string: where it
 * lies in the text when it has no escape, else a decoded copy.
 */
static bool
read_string(Reader *r, JsonbValue *out)
{
	const char *start = r->p + 1;
	const char *s = plain_run(start, r->end);
	StringInfoData buf;

	if (s >= r->end || (unsigned char) *s < 0x20)
		return false;
	out->type = jbvString;
	if (*s == '"')
	{
		out->val.string.val = (char *) start;
		out->val.string.len = s - start;
		r->p = s + 1;
		return true;
	}

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, start, s - start);
	while (s < r->end && *s != '"')
	{
		const char *run;

		if ((unsigned char) *s < 0x20 || s + 1 >= r->end)
			return false;
		if (*s != '\\')
		{
			run = plain_run(s, r->end);
			appendBinaryStringInfo(&buf, s, run - s);
			s = run;
			continue;
		}
		if (s[1] == 'u')
		{
			unsigned char utf8[4];
			int			code = r->end - s >= 6 ? MlsJsonHex4(s + 2) : -1;

			/* NUL and surrogates (pairs or not): PostgreSQL's rules */
			if (code <= 0 || (code >= 0xD800 && code <= 0xDFFF))
				return false;
			unicode_to_utf8((pg_wchar) code, utf8);
			appendBinaryStringInfo(&buf, (char *) utf8, pg_utf_mblen(utf8));
			s += 4;
		}
		else
		{
			int			c = MlsJsonEscapedChar(s[1]);

			if (c < 0)
				return false;
			appendStringInfoChar(&buf, (char) c);
		}
		s += 2;
	}
	if (s >= r->end)
		return false;
	out->val.string.val = buf.data;
	out->val.string.len = buf.len;
	r->p = s + 1;
	return true;
}

/*
 * The number at r->p, by JSON's grammar, converted as PostgreSQL's jsonb
 * would.
 */
static bool
read_number(Reader *r, JsonbValue *out)
{
	const char *s = r->p;
	const char *end = r->end;
	char	   *token;

	if (s < end && *s == '-')
		s++;
	if (s < end && *s == '0')
		s++;
	else if (s < end && *s >= '1' && *s <= '9')
		while (s < end && is_digit(*s))
			s++;
	else
		return false;
	if (s < end && *s == '.')
	{
		if (++s >= end || !is_digit(*s))
			return false;
		while (s < end && is_digit(*s))
			s++;
	}
	if (s < end && (*s == 'e' || *s == 'E'))
	{
		if (++s < end && (*s == '+' || *s == '-'))
			s++;
		if (s >= end || !is_digit(*s))
			return false;
		while (s < end && is_digit(*s))
			s++;
	}
	if (s < end && token_byte(*s))
		return false;
	token = pnstrdup(r->p, s - r->p);
	if (!MlsJsonNumberValue(token, out))
		return false;
	r->p = s;
	return true;
}

/*
 * The literal word at r->p (true, false or null).
 */
static bool
read_literal(Reader *r, JsonbValue *out)
{
	static const struct
	{
		const char *word;
		int			len;
		enum jbvType type;
		bool		value;
	}			literals[] = {
		{"true", 4, jbvBool, true},
		{"false", 5, jbvBool, false},
		{"null", 4, jbvNull, false},
	};

	for (int i = 0; i < lengthof(literals); i++)
	{
		int			len = literals[i].len;

		if (r->end - r->p >= len && memcmp(r->p, literals[i].word, len) == 0 &&
			(r->end - r->p == len || !token_byte(r->p[len])))
		{
			out->type = literals[i].type;
			out->val.boolean = literals[i].value;
			r->p += len;
			return true;
		}
	}
	return false;
}

/*
 * After a member or an element: a comma (1: another follows), the closing
 * bracket (0: the container ends) or anything else (-1).
 */
static int
next_item(Reader *r, char close)
{
	skip_space(r);
	if (r->p < r->end && *r->p == ',')
	{
		r->p++;
		return 1;
	}
	if (r->p < r->end && *r->p == close)
	{
		r->p++;
		return 0;
	}
	return -1;
}

/*
 * The members of the object whose '{' is at r->p.
 */
static bool
read_object(Reader *r, int depth)
{
	int			more;

	r->p++;
	pushJsonbValue(&r->state, WJB_BEGIN_OBJECT, NULL);
	skip_space(r);
	if (r->p < r->end && *r->p == '}')
		r->p++;
	else
	{
		for (;;)
		{
			JsonbValue	key;

			skip_space(r);
			if (r->p >= r->end || *r->p != '"' || !read_string(r, &key))
				return false;
			pushJsonbValue(&r->state, WJB_KEY, &key);
			skip_space(r);
			if (r->p >= r->end || *r->p != ':')
				return false;
			r->p++;
			if (!read_value(r, WJB_VALUE, depth + 1))
				return false;
			more = next_item(r, '}');
			if (more < 0)
				return false;
			if (more == 0)
				break;
		}
	}
	/* the record itself: its keys in the order learnt (keyorder.c) */
	if (depth == 0 && r->order)
		MlsJsonKeyOrderApply(r->order, &r->state->contVal);
	r->result = pushJsonbValue(&r->state, WJB_END_OBJECT, NULL);
	return true;
}

/*
 * The elements of the array whose '[' is at r->p.
 */
static bool
read_array(Reader *r, int depth)
{
	int			more;

	r->p++;
	pushJsonbValue(&r->state, WJB_BEGIN_ARRAY, NULL);
	skip_space(r);
	if (r->p < r->end && *r->p == ']')
		r->p++;
	else
	{
		for (;;)
		{
			if (!read_value(r, WJB_ELEM, depth + 1))
				return false;
			more = next_item(r, ']');
			if (more < 0)
				return false;
			if (more == 0)
				break;
		}
	}
	r->result = pushJsonbValue(&r->state, WJB_END_ARRAY, NULL);
	return true;
}

/*
 * One value, pushed as what it is to its container (as: WJB_VALUE of a
 * member, WJB_ELEM of an array).
 */
static bool
read_value(Reader *r, JsonbIteratorToken as, int depth)
{
	JsonbValue	v;

	if (depth > MLS_MAX_JSON_DEPTH)
		return false;
	skip_space(r);
	if (r->p >= r->end)
		return false;
	switch (*r->p)
	{
		case '{':
			return read_object(r, depth);
		case '[':
			return read_array(r, depth);
		case '"':
			if (!read_string(r, &v))
				return false;
			break;
		case 't':
		case 'f':
		case 'n':
			if (!read_literal(r, &v))
				return false;
			break;
		default:
			if (!read_number(r, &v))
				return false;
			break;
	}
	pushJsonbValue(&r->state, as, &v);
	return true;
}

/*
 * Read the JSON object of text into jsonb when the text is plainly valid
 * (see the file's header); NULL when unsure, and the caller parses it with
 * PostgreSQL's parser.  order (may be NULL) is applied to the object's own
 * keys.  Strings without escapes point into text, which must outlive the
 * result's use (jsonb is built from it before the caller returns).
 */
Jsonb *
MlsJsonReadPlain(const char *text, int len, MlsJsonKeyOrder *order)
{
	Reader		r;

	r.p = text;
	r.end = text + len;
	r.state = NULL;
	r.order = order;
	r.result = NULL;
	skip_space(&r);
	if (r.p >= r.end || *r.p != '{' || !read_object(&r, 0))
		return NULL;
	skip_space(&r);
	if (r.p != r.end)
		return NULL;
	return JsonbValueToJsonb(r.result);
}

/*
 * A JSON number's token as a jsonb numeric; false, with *out untouched,
 * when numeric_in would raise on it (an absurd exponent, thousands of
 * digits: MlsJsonNumberFits).
 */
bool
MlsJsonNumberValue(const char *token, JsonbValue *out)
{
	if (!MlsJsonNumberFits(token))
		return false;
	out->type = jbvNumeric;
	out->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														   CStringGetDatum(token),
														   ObjectIdGetDatum(InvalidOid),
														   Int32GetDatum(-1)));
	return true;
}
