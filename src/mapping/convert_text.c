/*-------------------------------------------------------------------------
 *
 * convert_text.c
 *	  The conversions of source text that need nothing of the server: white
 *	  space, booleans, the syntax of decimal numbers, plain integers, ISO
 *	  8601 dates and times, RESO StandardStatus (see convert.h for why they
 *	  report bad input by returning false).
 *
 * convert.c builds the typed values that need the server's numeric and
 * date/time code on top of these.  Keeping this half apart lets it build
 * outside PostgreSQL, where fuzz/fuzz_convert.c feeds it hostile text.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "utils/datetime.h"

#include "mapping/convert.h"

/* Longest numeric text we hand to numeric_in; sources never send more. */
#define MAX_NUMERIC_TEXT 1000
/* Largest exponent accepted in numeric text, far inside numeric's range. */
#define MAX_NUMERIC_EXPONENT 1000

/*
 * Drop leading and trailing white space by moving the bounds.
 */
void
MlsTrimSpace(const char **str, int *len)
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

	MlsTrimSpace(&str, &len);
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
bool
MlsIsDecimalText(const char *str, int len)
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
 * The fast path of integer text: optional sign and decimal digits only
 * ("3", "+3", "-3"), already trimmed.  Says MLS_PLAIN_INT_OTHER for
 * anything else ("3.0", "3e2", twenty digits), which the numeric path of
 * MlsParseInt64 judges.
 */
MlsPlainInt
MlsParsePlainInt64(const char *str, int len, int64 *result)
{
	uint64		magnitude = 0;
	bool		negative = false;
	int			i = 0;

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
				return MLS_PLAIN_INT_OK;
			}
			if (negative && magnitude <= (uint64) PG_INT64_MAX + 1)
			{
				*result = (int64) (0 - magnitude);
				return MLS_PLAIN_INT_OK;
			}
			return MLS_PLAIN_INT_OUT_OF_RANGE;
		}
	}
	return MLS_PLAIN_INT_OTHER;
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
bool
MlsParseIsoDateTime(const char *str, int len, MlsIsoDateTime *out)
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
