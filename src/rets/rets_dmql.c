/*-------------------------------------------------------------------------
 *
 * rets_dmql.c
 *	  DMQL2 query building, percent-encoding of Search arguments, and the
 *	  splitting of query windows (docs/protocols.md R4, R7).
 *
 * A sync asks for inclusive time windows, (TS=2024-01-01T00:00:00-2024-01-02T00:00:00),
 * or from a watermark on, (TS=2024-01-01T00:00:00+), never paging by
 * Offset while it can help it.  A window that comes back truncated (MAXROWS,
 * 20208) is split in two halves that share their middle instant, so no
 * record between two representable instants can fall between the halves,
 * whatever precision the server compares at; replaying the shared instant
 * is harmless because upserts are idempotent.  When a window is too narrow
 * to split at the chosen resolution, RetsSplitWindow says so and the caller
 * falls back to key ranges, or to Offset paging guarded by COUNT.
 *
 * Values are written as DMQL2 wants them: timestamps unquoted, with
 * milliseconds only when there are some (a lower bound rounded down, an
 * upper bound rounded up, so the window never shrinks); character values
 * quoted when they contain anything but letters, digits, '_' and '.'
 * (a '-' would read as a range).  The whole Query value is then
 * percent-encoded: everything but RFC 3986's unreserved characters, so '+'
 * is sent as %2B and cannot arrive as a space.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "rets/rets_dmql.h"

/*
 * Check a field name: SystemNames are letters, digits, '_', '.', ':' and
 * '-'; anything else could change the meaning of the query.
 */
static void
check_field(const char *field, const char *what)
{
	const char *s;

	if (field == NULL || field[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", what)));
	for (s = field; *s; s++)
		if (!(isalnum((unsigned char) *s) || *s == '_' || *s == '.' || *s == ':' || *s == '-'))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s \"%s\"", what, field),
					 errhint("RETS field names consist of letters, digits, \"_\", \".\", \":\" and \"-\".")));
}

/*
 * Whether a value can be written as is.
 */
static bool
plain_value(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char) *s) || *s == '_' || *s == '.'))
			return false;
	return true;
}

/*
 * A character value for DMQL2: as is when it is letters, digits, '_' and
 * '.', else in double quotes (PHRETS #125: "V0-215012678").  DMQL2 has no
 * escape for a double quote, so one is an error.
 */
char *
RetsDmqlValue(const char *value)
{
	const char *s;

	if (plain_value(value))
		return pstrdup(value);
	for (s = value; *s; s++)
		if (*s == '"' || (unsigned char) *s < 0x20)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("DMQL2 value \"%s\" contains a character that cannot be quoted", value)));
	return psprintf("\"%s\"", value);
}

/*
 * A key range bound: a number or a code; '-' and '+' would read as range
 * operators and cannot be quoted inside a range.
 */
static void
check_key_bound(const char *bound)
{
	if (!plain_value(bound))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid key range bound \"%s\"", bound),
				 errhint("Key ranges need keys of letters, digits, \"_\" and \".\", such as numeric keys.")));
}

/*
 * A timestamp as DMQL2 writes it, YYYY-MM-DDThh:mm:ss[.fff], rounded to the
 * millisecond down (a lower bound) or up (an upper bound).
 */
char *
RetsDmqlTimestamp(Timestamp ts, bool round_up)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int64		rem;
	char	   *result;

	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a query window needs finite timestamps")));
	rem = ts % 1000;
	if (rem < 0)
		rem += 1000;
	ts -= rem;
	if (round_up && rem > 0)
		ts += 1000;
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0 ||
		tm.tm_year < 1 || tm.tm_year > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range for a DMQL2 query")));
	result = psprintf("%04d-%02d-%02dT%02d:%02d:%02d",
					  tm.tm_year, tm.tm_mon, tm.tm_mday,
					  tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec != 0)
		result = psprintf("%s.%03d", result, (int) (fsec / 1000));
	return result;
}

/*
 * Whether a DMQL2 expression is one parenthesised group, "(...)", so it can
 * be ANDed with others as is.  Also checks its parentheses balance outside
 * quoted strings.
 */
static bool
single_group(const char *expr)
{
	int			depth = 0;
	bool		quoted = false;
	bool		single = true;
	const char *s;
	const char *last = expr + strlen(expr);

	while (last > expr && isspace((unsigned char) last[-1]))
		last--;
	for (s = expr; s < last; s++)
	{
		if (*s == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*s == '(')
			depth++;
		else if (*s == ')')
		{
			if (--depth < 0)
				break;
			/* a group closes before the end: more than one group */
			if (depth == 0 && s + 1 < last)
				single = false;
		}
		else if (depth == 0 && !isspace((unsigned char) *s))
			single = false;
	}
	if (depth != 0 || quoted)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unbalanced parentheses or quotes in DMQL2 query \"%s\"", expr)));
	return single;
}

/*
 * Build a DMQL2 query: the time window, the key range, the statuses and the
 * extra query, ANDed with ','.
 */
char *
RetsDmqlQuery(const RetsQuerySpec *q)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	if (q->has_from || q->has_to)
	{
		check_field(q->timestamp_field, "timestamp field");
		if (q->has_from && q->has_to && q->from > q->to)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("query window starts after it ends")));
		appendStringInfo(&buf, "(%s=", q->timestamp_field);
		if (q->has_from && q->has_to)
			appendStringInfo(&buf, "%s-%s",
							 RetsDmqlTimestamp(q->from, false),
							 RetsDmqlTimestamp(q->to, true));
		else if (q->has_from)
			appendStringInfo(&buf, "%s+", RetsDmqlTimestamp(q->from, false));
		else
			appendStringInfo(&buf, "%s-", RetsDmqlTimestamp(q->to, true));
		appendStringInfoChar(&buf, ')');
	}
	if (q->key_from != NULL || q->key_to != NULL)
	{
		check_field(q->key_field, "key field");
		if (buf.len > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfo(&buf, "(%s=", q->key_field);
		if (q->key_from != NULL)
			check_key_bound(q->key_from);
		if (q->key_to != NULL)
			check_key_bound(q->key_to);
		if (q->key_from != NULL && q->key_to != NULL)
			appendStringInfo(&buf, "%s-%s", q->key_from, q->key_to);
		else if (q->key_from != NULL)
			appendStringInfo(&buf, "%s+", q->key_from);
		else
			appendStringInfo(&buf, "%s-", q->key_to);
		appendStringInfoChar(&buf, ')');
	}
	if (q->nstatuses > 0)
	{
		check_field(q->status_field, "status field");
		if (buf.len > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfo(&buf, "(%s=|", q->status_field);
		for (i = 0; i < q->nstatuses; i++)
		{
			if (i > 0)
				appendStringInfoChar(&buf, ',');
			appendStringInfoString(&buf, RetsDmqlValue(q->statuses[i]));
		}
		appendStringInfoChar(&buf, ')');
	}
	if (q->extra != NULL)
	{
		const char *extra = q->extra;

		while (isspace((unsigned char) *extra))
			extra++;
		if (*extra != '\0')
		{
			if (buf.len > 0)
				appendStringInfoChar(&buf, ',');
			if (single_group(extra))
				appendStringInfoString(&buf, extra);
			else
				appendStringInfo(&buf, "(%s)", extra);
			/* trailing spaces of a single group are not worth sending */
			while (buf.len > 0 && isspace((unsigned char) buf.data[buf.len - 1]))
				buf.data[--buf.len] = '\0';
		}
	}
	if (buf.len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a DMQL2 query needs at least one condition"),
				 errhint("Give a time window, a key range, statuses or an extra query.")));
	return buf.data;
}

/*
 * Percent-encode everything but RFC 3986's unreserved characters.
 */
char *
RetsPercentEncode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	StringInfoData buf;

	initStringInfo(&buf);
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			appendStringInfoChar(&buf, c);
		else
		{
			appendStringInfoChar(&buf, '%');
			appendStringInfoChar(&buf, hex[c >> 4]);
			appendStringInfoChar(&buf, hex[c & 15]);
		}
	}
	return buf.data;
}

/*
 * The arguments of a Search transaction, percent-encoded, for a GET query
 * string or a POST form body.
 */
char *
RetsSearchRequest(const RetsSearchArgs *a)
{
	StringInfoData buf;
	int			i;

	if (a->resource == NULL || a->resource[0] == '\0' ||
		a->class_name == NULL || a->class_name[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a Search needs a resource and a class")));
	if (a->query == NULL || a->query[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a Search needs a query")));
	if (pg_strcasecmp(a->format, "COMPACT") != 0 &&
		pg_strcasecmp(a->format, "COMPACT-DECODED") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported Search format \"%s\"", a->format),
				 errhint("mlsync reads COMPACT and COMPACT-DECODED.")));
	if (a->count < -1 || a->count > 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Count must be 0, 1 or 2")));
	if (a->limit < 0 || a->offset < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Limit and Offset must be positive"),
				 errdetail("Offset is 1-based.")));

	initStringInfo(&buf);
	appendStringInfo(&buf, "SearchType=%s", RetsPercentEncode(a->resource));
	appendStringInfo(&buf, "&Class=%s", RetsPercentEncode(a->class_name));
	appendStringInfoString(&buf, "&QueryType=DMQL2");
	appendStringInfo(&buf, "&Query=%s", RetsPercentEncode(a->query));
	appendStringInfo(&buf, "&Format=%s", RetsPercentEncode(a->format));
	if (a->count >= 0)
		appendStringInfo(&buf, "&Count=%d", a->count);
	if (a->limit > 0)
		appendStringInfo(&buf, "&Limit=%d", a->limit);
	if (a->offset > 0)
		appendStringInfo(&buf, "&Offset=%d", a->offset);
	if (a->nselect > 0)
	{
		StringInfoData sel;

		initStringInfo(&sel);
		for (i = 0; i < a->nselect; i++)
		{
			check_field(a->select[i], "Select field");
			if (i > 0)
				appendStringInfoChar(&sel, ',');
			appendStringInfoString(&sel, a->select[i]);
		}
		appendStringInfo(&buf, "&Select=%s", RetsPercentEncode(sel.data));
	}
	appendStringInfo(&buf, "&StandardNames=%d", a->standard_names ? 1 : 0);
	if (a->restricted_indicator != NULL)
		appendStringInfo(&buf, "&RestrictedIndicator=%s",
						 RetsPercentEncode(a->restricted_indicator));
	return buf.data;
}

/*
 * Split the inclusive window [from, to] at a middle instant aligned to
 * resolution (microseconds): the halves are [from, mid] and [mid, to].
 * Returns false when no such instant lies strictly inside the window: the
 * window is as narrow as the resolution allows, and the caller must page
 * inside it by key range or by Offset.
 */
bool
RetsSplitWindow(Timestamp from, Timestamp to, int64 resolution,
				Timestamp *left_to, Timestamp *right_from)
{
	Timestamp	mid;
	int64		rem;

	Assert(resolution > 0);
	if (to <= from)
		return false;
	mid = from + (to - from) / 2;
	rem = mid % resolution;
	if (rem < 0)
		rem += resolution;
	mid -= rem;
	if (mid <= from)
		mid += resolution;
	if (mid >= to)
		return false;
	*left_to = mid;
	*right_from = mid;
	return true;
}

/*
 * Compare two keys as a server compares them in a key range: by number
 * when both are digits only (RETS key fields are most often numbers), as
 * text otherwise.
 */
int
RetsKeyCompare(const char *a, const char *b)
{
	bool		numeric = *a != '\0' && *b != '\0';
	size_t		la,
				lb;

	for (const char *p = a; numeric && *p; p++)
		numeric = *p >= '0' && *p <= '9';
	for (const char *p = b; numeric && *p; p++)
		numeric = *p >= '0' && *p <= '9';
	if (!numeric)
		return strcmp(a, b);
	while (*a == '0' && a[1] != '\0')
		a++;
	while (*b == '0' && b[1] != '\0')
		b++;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}
