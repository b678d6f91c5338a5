/*-------------------------------------------------------------------------
 *
 * convert.c
 *	  Conversions of source text to typed values, reporting bad input by
 *	  returning false (see convert.h for why).
 *
 * Dates and timestamps take a fast path for ISO 8601, which is what RESO
 * servers send and what most RETS servers send (often without a zone, in
 * the server's local time); other spellings go through PostgreSQL's own
 * date/time decoder, which reports errors as codes rather than raising them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "mapping/convert.h"

/* Longest numeric text we hand to numeric_in; sources never send more. */
#define MAX_NUMERIC_TEXT 1000
/* Largest exponent accepted in numeric text, far inside numeric's range. */
#define MAX_NUMERIC_EXPONENT 1000

/* The parts of an ISO 8601 date or date-time */
typedef struct IsoDateTime
{
	struct pg_tm tm;
	fsec_t		fsec;
	bool		has_time;
	bool		has_zone;
	int			utc_offset;		/* seconds east of UTC, when has_zone */
} IsoDateTime;

/*
 * Drop leading and trailing white space by moving the bounds.
 */
static void
trim_bounds(const char **str, int *len)
{
	while (*len > 0 && isspace((unsigned char) **str))
	{
		(*str)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char) (*str)[*len - 1]))
		(*len)--;
}

/*
 * Case-insensitive comparison of a counted string with a C string.
 */
static bool
equals_ci(const char *str, int len, const char *word)
{
	return (int) strlen(word) == len && pg_strncasecmp(str, word, len) == 0;
}

/*
 * Booleans as MLS servers spell them: Y/N, Yes/No, 1/0, true/false, T/F.
 */
bool
MlsParseBool(const char *str, int len, bool *result)
{
	static const char *const truths[] = {"y", "yes", "1", "true", "t", "on"};
	static const char *const falsehoods[] = {"n", "no", "0", "false", "f", "off"};

	trim_bounds(&str, &len);
	for (int i = 0; i < lengthof(truths); i++)
	{
		if (equals_ci(str, len, truths[i]))
		{
			*result = true;
			return true;
		}
		if (equals_ci(str, len, falsehoods[i]))
		{
			*result = false;
			return true;
		}
	}
	return false;
}

/*
 * Check that text is a plain decimal number ([+-]digits[.digits][e[+-]digits])
 * that numeric_in accepts without raising an error.  NaN and Infinity are
 * refused: no MLS field means them.
 */
static bool
is_decimal_syntax(const char *str, int len)
{
	int			i = 0;
	int			digits = 0;
	int			exponent = 0;

	if (len == 0 || len > MAX_NUMERIC_TEXT)
		return false;
	if (str[i] == '+' || str[i] == '-')
		i++;
	while (i < len && isdigit((unsigned char) str[i]))
		i++, digits++;
	if (i < len && str[i] == '.')
	{
		i++;
		while (i < len && isdigit((unsigned char) str[i]))
			i++, digits++;
	}
	if (digits == 0)
		return false;
	if (i < len && (str[i] == 'e' || str[i] == 'E'))
	{
		int			exponent_digits = 0;

		i++;
		if (i < len && (str[i] == '+' || str[i] == '-'))
			i++;
		while (i < len && isdigit((unsigned char) str[i]))
		{
			exponent = exponent * 10 + (str[i] - '0');
			if (exponent > MAX_NUMERIC_EXPONENT)
				return false;
			i++, exponent_digits++;
		}
		if (exponent_digits == 0)
			return false;
	}
	return i == len;
}

/*
 * Decimal text to numeric.
 */
bool
MlsParseNumeric(const char *str, int len, Datum *result)
{
	char	   *cstr;

	trim_bounds(&str, &len);
	if (!is_decimal_syntax(str, len))
		return false;
	cstr = pnstrdup(str, len);
	*result = DirectFunctionCall3(numeric_in, CStringGetDatum(cstr),
								  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	pfree(cstr);
	return true;
}

/*
 * An integral numeric to int64; false when it has a fraction or does not fit.
 */
bool
MlsNumericToInt64(Datum num, int64 *result)
{
	Datum		truncated;
	Datum		lower;
	Datum		upper;

	truncated = DirectFunctionCall2(numeric_trunc, num, Int32GetDatum(0));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, num, truncated)) != 0)
		return false;
	lower = NumericGetDatum(int64_to_numeric(PG_INT64_MIN));
	upper = NumericGetDatum(int64_to_numeric(PG_INT64_MAX));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, num, lower)) < 0 ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, num, upper)) > 0)
		return false;
	*result = DatumGetInt64(DirectFunctionCall1(numeric_int8, num));
	return true;
}

/*
 * Integer text to int64.  "3", "+3" and "-3" take the fast path; "3.0" and
 * "3e2" are accepted when integral, because RETS servers send integers of
 * decimal columns that way.
 */
bool
MlsParseInt64(const char *str, int len, int64 *result)
{
	uint64		magnitude = 0;
	bool		negative = false;
	int			i = 0;
	Datum		num;

	trim_bounds(&str, &len);
	if (len > 0 && (str[0] == '+' || str[0] == '-'))
	{
		negative = str[0] == '-';
		i++;
	}
	if (i < len)
	{
		for (; i < len && isdigit((unsigned char) str[i]); i++)
		{
			if (magnitude > (PG_UINT64_MAX - 9) / 10)
				break;			/* let the numeric path judge the range */
			magnitude = magnitude * 10 + (str[i] - '0');
		}
		if (i == len)
		{
			if (!negative && magnitude <= (uint64) PG_INT64_MAX)
			{
				*result = (int64) magnitude;
				return true;
			}
			if (negative && magnitude <= (uint64) PG_INT64_MAX + 1)
			{
				*result = (int64) (0 - magnitude);
				return true;
			}
			return false;
		}
	}
	if (!MlsParseNumeric(str, len, &num))
		return false;
	return MlsNumericToInt64(num, result);
}

/*
 * Read exactly n digits into *value.
 */
static bool
read_digits(const char **p, const char *end, int n, int *value)
{
	int			v = 0;

	if (end - *p < n)
		return false;
	for (int i = 0; i < n; i++)
	{
		char		c = (*p)[i];

		if (!isdigit((unsigned char) c))
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*value = v;
	return true;
}

/*
 * Parse YYYY-MM-DD[(T| )hh:mm[:ss[(.|,)fraction]][Z|(+|-)hh[:][mm]]].
 * Fractions of any length are rounded to microseconds.  Field ranges are
 * checked here; the caller checks that the result is a representable date.
 */
static bool
parse_iso_datetime(const char *str, int len, IsoDateTime *out)
{
	const char *p = str;
	const char *end = str + len;
	int			year,
				month,
				day;

	memset(out, 0, sizeof(*out));
	if (!read_digits(&p, end, 4, &year) || p >= end || *p++ != '-' ||
		!read_digits(&p, end, 2, &month) || p >= end || *p++ != '-' ||
		!read_digits(&p, end, 2, &day))
		return false;
	if (month < 1 || month > MONTHS_PER_YEAR ||
		day < 1 || day > day_tab[isleap(year)][month - 1])
		return false;
	out->tm.tm_year = year;
	out->tm.tm_mon = month;
	out->tm.tm_mday = day;

	if (p == end)
		return true;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return false;
	p++;
	if (!read_digits(&p, end, 2, &out->tm.tm_hour) || p >= end || *p++ != ':' ||
		!read_digits(&p, end, 2, &out->tm.tm_min))
		return false;
	out->has_time = true;
	if (p < end && *p == ':')
	{
		p++;
		if (!read_digits(&p, end, 2, &out->tm.tm_sec))
			return false;
		if (p < end && (*p == '.' || *p == ','))
		{
			int64		micro = 0;
			int			ndigits = 0;

			p++;
			if (p >= end || !isdigit((unsigned char) *p))
				return false;
			for (; p < end && isdigit((unsigned char) *p); p++, ndigits++)
			{
				if (ndigits < 6)
					micro = micro * 10 + (*p - '0');
				else if (ndigits == 6 && *p >= '5')
					micro++;	/* round half up on the seventh digit */
			}
			for (; ndigits < 6; ndigits++)
				micro *= 10;
			out->fsec = (fsec_t) micro;
		}
	}
	if (out->tm.tm_hour > HOURS_PER_DAY || out->tm.tm_min >= MINS_PER_HOUR ||
		out->tm.tm_sec > SECS_PER_MINUTE ||
		(out->tm.tm_hour == HOURS_PER_DAY &&
		 (out->tm.tm_min > 0 || out->tm.tm_sec > 0 || out->fsec > 0)))
		return false;

	if (p == end)
		return true;
	if (*p == 'Z' || *p == 'z')
	{
		p++;
		out->has_zone = true;
	}
	else if (*p == '+' || *p == '-')
	{
		int			sign = (*p == '-') ? -1 : 1;
		int			hours;
		int			minutes = 0;

		p++;
		if (!read_digits(&p, end, 2, &hours))
			return false;
		if (p < end && *p == ':')
			p++;
		if (p < end && !read_digits(&p, end, 2, &minutes))
			return false;
		if (hours > 15 || minutes >= MINS_PER_HOUR)
			return false;
		out->has_zone = true;
		out->utc_offset = sign * (hours * SECS_PER_HOUR + minutes * SECS_PER_MINUTE);
	}
	return p == end;
}

/*
 * Decode a date/time spelling other than ISO 8601 with PostgreSQL's own
 * decoder ("11/17/2016 5:24 PM", "Nov 17 2016").  The decoder refuses a
 * zone when given no place to store one, which tells us whether the text
 * carried a zone: without one, the source's zone applies, not the session's.
 */
static bool
decode_other_datetime(const char *str, int len, struct pg_tm *tm, fsec_t *fsec,
					  bool *has_zone, int *tz)
{
	char		cstr[MAXDATELEN + 1];
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;

	bool		has_digit = false;

	/* "now", "today", "epoch", "infinity" and the like are not data */
	for (int i = 0; i < len && !has_digit; i++)
		has_digit = isdigit((unsigned char) str[i]);
	if (!has_digit || len > MAXDATELEN)
		return false;
	memcpy(cstr, str, len);
	cstr[len] = '\0';
	if (ParseDateTime(cstr, workbuf, sizeof(workbuf), field, ftype,
					  MAXDATEFIELDS, &nf) != 0)
		return false;
	*has_zone = false;
	if (DecodeDateTime(field, ftype, nf, &dtype, tm, fsec, NULL) != 0)
	{
		/* ParseDateTime wrote into workbuf; parse again for the second try */
		if (ParseDateTime(cstr, workbuf, sizeof(workbuf), field, ftype,
						  MAXDATEFIELDS, &nf) != 0 ||
			DecodeDateTime(field, ftype, nf, &dtype, tm, fsec, tz) != 0)
			return false;
		*has_zone = true;
	}
	return dtype == DTK_DATE;
}

/*
 * A date: ISO (a date-time's date part is taken as written), else any
 * spelling PostgreSQL accepts for a date.
 */
bool
MlsParseDate(const char *str, int len, DateADT *result)
{
	IsoDateTime iso;
	struct pg_tm *tm = &iso.tm;
	fsec_t		fsec;
	bool		has_zone;
	int			tz;

	trim_bounds(&str, &len);
	if (!parse_iso_datetime(str, len, &iso) &&
		!decode_other_datetime(str, len, tm, &fsec, &has_zone, &tz))
		return false;
	if (!IS_VALID_JULIAN(tm->tm_year, tm->tm_mon, tm->tm_mday))
		return false;
	*result = date2j(tm->tm_year, tm->tm_mon, tm->tm_mday) - POSTGRES_EPOCH_JDATE;
	return IS_VALID_DATE(*result);
}

/*
 * A timestamp with time zone.  Text without a zone is read in the given zone
 * (the mapping set's source_timezone).
 */
bool
MlsParseTimestamptz(const char *str, int len, pg_tz *zone, TimestampTz *result)
{
	IsoDateTime iso;
	int			tz;

	trim_bounds(&str, &len);
	if (parse_iso_datetime(str, len, &iso))
	{
		if (iso.has_zone)
			tz = -iso.utc_offset;	/* PostgreSQL counts seconds west */
	}
	else if (!decode_other_datetime(str, len, &iso.tm, &iso.fsec, &iso.has_zone, &tz))
		return false;

	if (!IS_VALID_JULIAN(iso.tm.tm_year, iso.tm.tm_mon, iso.tm.tm_mday))
		return false;
	if (!iso.has_zone)
		tz = DetermineTimeZoneOffset(&iso.tm, zone);
	if (tm2timestamp(&iso.tm, iso.fsec, &tz, result) != 0)
		return false;
	return IS_VALID_TIMESTAMP(*result);
}

/*
 * RESO StandardStatus in either spelling ("Active Under Contract" or the
 * legacy enumeration member "ActiveUnderContract"), any case; returns the
 * display spelling, or NULL when the text is not one of the eleven values.
 */
const char *
MlsNormalizeStandardStatus(const char *str, int len)
{
	static const char *const statuses[] = {
		"Active", "Active Under Contract", "Canceled", "Closed", "Coming Soon",
		"Delete", "Expired", "Hold", "Incomplete", "Pending", "Withdrawn"
	};
	char		squeezed[32];
	int			n = 0;

	/* keep letters only, lower-cased: "Active_Under Contract" -> activeundercontract */
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) str[i];

		if (isalpha(c))
		{
			if (n >= (int) sizeof(squeezed) - 1)
				return NULL;
			squeezed[n++] = (char) tolower(c);
		}
		else if (c != ' ' && c != '_' && c != '-')
			return NULL;
	}
	squeezed[n] = '\0';

	for (int i = 0; i < lengthof(statuses); i++)
	{
		const char *s = statuses[i];
		int			j = 0;

		for (; *s; s++)
		{
			if (*s == ' ')
				continue;
			if (j >= n || squeezed[j] != tolower((unsigned char) *s))
				break;
			j++;
		}
		if (*s == '\0' && j == n)
			return statuses[i];
	}
	return NULL;
}
