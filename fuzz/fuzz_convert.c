/*-------------------------------------------------------------------------
 *
 * fuzz_convert.c
 *	  libFuzzer harness of the text-only conversions of source values
 *	  (src/mapping/convert_text.c): white space, booleans, decimal syntax,
 *	  plain integers, ISO 8601 dates and times, RESO StandardStatus.
 *
 * Input: option bytes (see fuzz_common.h; none is used: there is nothing to
 * feed in pieces and nothing allocated), then the text.  Every conversion
 * runs on it, each checked against an independent reading of the same
 * rules:
 *	- the decimal syntax check against a second implementation, and what it
 *	  accepts must be a number strtod reads whole, inside numeric_in's
 *	  bounds (at most 1000 characters, exponent at most 1000);
 *	- plain integers against 128-bit arithmetic;
 *	- ISO 8601: fields in range, and the canonical spelling of the result
 *	  reads back the same;
 *	- booleans and statuses: the same whatever the case, statuses
 *	  normalised to themselves.
 * numeric_in and the server's date/time decoder, which convert.c calls on
 * top of these, are PostgreSQL's and are not fuzzed here (docs/security.md).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "mapping/convert.h"

static const char *const statuses[] = {
	"Active", "Active Under Contract", "Canceled", "Closed", "Coming Soon",
	"Delete", "Expired", "Hold", "Incomplete", "Pending", "Withdrawn", NULL
};

/*
 * A second reading of [+-]digits[.digits][(e|E)[+-]digits], at most 1000
 * characters, exponent at most 1000, at least one digit in the mantissa.
 */
static bool
reference_decimal(const char *s, int len)
{
	int			i = 0;
	int			mantissa = 0;
	long		exponent = 0;

	if (len < 1 || len > 1000)
		return false;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		mantissa++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			mantissa++;
	if (mantissa == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		int			digits = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
			if (exponent <= 1000)
				exponent = exponent * 10 + (s[i] - '0');
		if (digits == 0 || exponent > 1000)
			return false;
	}
	return i == len;
}

static void
check_decimal(const char *s, int len)
{
	bool		ok = MlsIsDecimalText(s, len);

	FUZZ_CHECK(ok == reference_decimal(s, len), "decimal syntax of \"%.*s\": %d", len, s, ok);
	if (ok)
	{
		char	   *copy = pnstrdup(s, len);
		char	   *end;

		(void) strtod(copy, &end);
		FUZZ_CHECK(end == copy + len, "strtod stops early in accepted \"%s\"", copy);
		pfree(copy);
	}
}

/*
 * Plain integers against 128-bit arithmetic.
 */
static void
check_plain_int(const char *s, int len)
{
	int64		value = 0;
	MlsPlainInt r = MlsParsePlainInt64(s, len, &value);
	int			i = 0;
	bool		negative = false;
	__int128	magnitude = 0;
	bool		huge = false;

	if (len > 0 && (s[0] == '+' || s[0] == '-'))
		negative = s[i++] == '-';
	if (i == len)
	{
		FUZZ_CHECK(r == MLS_PLAIN_INT_OTHER, "no digits, yet %d", (int) r);
		return;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
	{
		if (magnitude > ((__int128) 1 << 100))
			huge = true;
		else
			magnitude = magnitude * 10 + (s[i] - '0');
	}
	if (i < len)
	{
		FUZZ_CHECK(r == MLS_PLAIN_INT_OTHER, "\"%.*s\" is no plain integer, yet %d", len, s, (int) r);
		return;
	}
	if (negative)
		magnitude = -magnitude;
	if (!huge && magnitude >= PG_INT64_MIN && magnitude <= PG_INT64_MAX)
		FUZZ_CHECK(r == MLS_PLAIN_INT_OK && value == (int64) magnitude,
				   "\"%.*s\" read as %d, " INT64_FORMAT, len, s, (int) r, value);
	else
		FUZZ_CHECK(r != MLS_PLAIN_INT_OK, "\"%.*s\" does not fit, read as " INT64_FORMAT,
				   len, s, value);
}

static int
days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return days[month - 1] + (month == 2 && leap ? 1 : 0);
}

/*
 * ISO 8601: ranges, then the canonical spelling reads back the same.
 */
static void
check_iso(const char *s, int len)
{
	MlsIsoDateTime t;
	MlsIsoDateTime back;
	char		buf[64];
	int			n;

	if (!MlsParseIsoDateTime(s, len, &t))
		return;
	FUZZ_CHECK(t.tm.tm_year >= 0 && t.tm.tm_year <= 9999 && t.tm.tm_mon >= 1 &&
			   t.tm.tm_mon <= 12 && t.tm.tm_mday >= 1 &&
			   t.tm.tm_mday <= days_in_month(t.tm.tm_year, t.tm.tm_mon),
			   "date out of range in \"%.*s\"", len, s);
	FUZZ_CHECK(t.tm.tm_hour >= 0 && t.tm.tm_hour <= 24 && t.tm.tm_min >= 0 && t.tm.tm_min < 60 &&
			   t.tm.tm_sec >= 0 && t.tm.tm_sec <= 60 && t.fsec >= 0 && t.fsec <= 1000000 &&
			   (t.tm.tm_hour < 24 || (t.tm.tm_min == 0 && t.tm.tm_sec == 0 && t.fsec == 0)),
			   "time out of range in \"%.*s\"", len, s);
	FUZZ_CHECK(!t.has_zone || (t.utc_offset > -16 * 3600 && t.utc_offset < 16 * 3600),
			   "zone offset %d in \"%.*s\"", t.utc_offset, len, s);
	FUZZ_CHECK(t.has_time || (t.tm.tm_hour == 0 && t.tm.tm_min == 0 && t.fsec == 0 && !t.has_zone),
			   "a date without time has a time in \"%.*s\"", len, s);
	if (t.fsec == 1000000)
		return;					/* rounded up to the next second: no spelling */
	if (!t.has_time)
		n = snprintf(buf, sizeof(buf), "%04d-%02d-%02d", t.tm.tm_year, t.tm.tm_mon, t.tm.tm_mday);
	else
		n = snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06d",
					 t.tm.tm_year, t.tm.tm_mon, t.tm.tm_mday, t.tm.tm_hour, t.tm.tm_min,
					 t.tm.tm_sec, (int) t.fsec);
	if (t.has_zone)
	{
		int			off = abs(t.utc_offset);

		n += snprintf(buf + n, sizeof(buf) - n, "%c%02d:%02d", t.utc_offset < 0 ? '-' : '+',
					  off / 3600, off % 3600 / 60);
	}
	FUZZ_CHECK(MlsParseIsoDateTime(buf, n, &back), "\"%s\" (from \"%.*s\") does not read back",
			   buf, len, s);
	FUZZ_CHECK(back.tm.tm_year == t.tm.tm_year && back.tm.tm_mon == t.tm.tm_mon &&
			   back.tm.tm_mday == t.tm.tm_mday && back.tm.tm_hour == t.tm.tm_hour &&
			   back.tm.tm_min == t.tm.tm_min && back.tm.tm_sec == t.tm.tm_sec &&
			   back.fsec == t.fsec && back.has_time == t.has_time &&
			   back.has_zone == t.has_zone && (!t.has_zone || back.utc_offset == t.utc_offset),
			   "\"%s\" reads back differently from \"%.*s\"", buf, len, s);
}

static void
check_status(const char *s, int len, const char *upper)
{
	const char *st = MlsNormalizeStandardStatus(s, len);
	int			i;

	FUZZ_CHECK(st == MlsNormalizeStandardStatus(upper, len), "status depends on case: \"%.*s\"", len, s);
	if (st == NULL)
		return;
	for (i = 0; statuses[i] != NULL; i++)
		if (st == statuses[i] || strcmp(st, statuses[i]) == 0)
			break;
	FUZZ_CHECK(statuses[i] != NULL, "\"%s\" is no status", st);
	FUZZ_CHECK(MlsNormalizeStandardStatus(st, strlen(st)) == st, "\"%s\" does not normalise to itself", st);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	MemoryContext cxt;
	const char *s;
	int			len;
	const char *t;
	int			tlen;
	char	   *upper;
	bool		b1 = false,
				b2 = false;
	bool		r1,
				r2;

	(void) FuzzTakeByte(&in);
	(void) FuzzTakeByte(&in);
	(void) FuzzTakeByte(&in);
	if (in.len > 100000)
		return 0;
	cxt = FuzzBeginRun();
	s = (const char *) in.data;
	len = (int) in.len;

	/* as the converters do: trimmed first */
	t = s;
	tlen = len;
	MlsTrimSpace(&t, &tlen);
	FUZZ_CHECK(t >= s && t + tlen <= s + len, "trimming left the text");
	FUZZ_CHECK(tlen == 0 || (!isspace((unsigned char) t[0]) && !isspace((unsigned char) t[tlen - 1])),
			   "trimmed text starts or ends with space");

	upper = palloc(len + 1);
	for (int i = 0; i < len; i++)
		upper[i] = (char) toupper((unsigned char) s[i]);
	upper[len] = '\0';

	r1 = MlsParseBool(s, len, &b1);
	r2 = MlsParseBool(upper, len, &b2);
	FUZZ_CHECK(r1 == r2 && (!r1 || b1 == b2), "boolean depends on case: \"%.*s\"", len, s);

	check_decimal(t, tlen);
	check_plain_int(t, tlen);
	check_iso(t, tlen);
	check_iso(s, len);
	check_status(s, len, upper);

	pfree(upper);
	FuzzEndRun(cxt);
	return 0;
}
