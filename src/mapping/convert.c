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
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "mapping/convert.h"

/*
 * Decimal text to numeric.
 */
bool
MlsParseNumeric(const char *str, int len, Datum *result)
{
	char	   *cstr;

	MlsTrimSpace(&str, &len);
	if (!MlsIsDecimalText(str, len))
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
	Datum		num;

	MlsTrimSpace(&str, &len);
	switch (MlsParsePlainInt64(str, len, result))
	{
		case MLS_PLAIN_INT_OK:
			return true;
		case MLS_PLAIN_INT_OUT_OF_RANGE:
			return false;
		case MLS_PLAIN_INT_OTHER:
			break;
	}
	if (!MlsParseNumeric(str, len, &num))
		return false;
	return MlsNumericToInt64(num, result);
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
	MlsIsoDateTime iso;
	struct pg_tm *tm = &iso.tm;
	fsec_t		fsec;
	bool		has_zone;
	int			tz;

	MlsTrimSpace(&str, &len);
	if (!MlsParseIsoDateTime(str, len, &iso) &&
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
	MlsIsoDateTime iso;
	int			tz;

	MlsTrimSpace(&str, &len);
	if (MlsParseIsoDateTime(str, len, &iso))
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
 * Whether wall clock (a Timestamp read as local time) names two instants in
 * zone: the hour, or half hour, an autumn change of clocks repeats.
 */
static bool
wall_clock_repeated(Timestamp wall, pg_tz *zone)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			offset;
	int			tz;
	TimestampTz instant;
	Timestamp	again;

	if (timestamp2tm(wall, NULL, &tm, &fsec, NULL, NULL) != 0)
		return false;
	tz = DetermineTimeZoneOffset(&tm, zone);
	if (tm2timestamp(&tm, fsec, &tz, &instant) != 0)
		return false;
	/* the instant a repeat away (before or after) shows the same wall clock */
	for (int minutes = 30; minutes <= 60; minutes += 30)
		for (int sign = -1; sign <= 1; sign += 2)
			if (timestamp2tm(instant + sign * minutes * USECS_PER_MINUTE, &offset, &tm, &fsec,
							 NULL, zone) == 0 &&
				tm2timestamp(&tm, fsec, NULL, &again) == 0 && again == wall)
				return true;
	return false;
}

/*
 * Timestamp text as a server wrote it (raw) moved by units of the precision
 * it is written in (its fractional digits; a second without any) and by
 * usecs, in the same precision (cut, not rounded), to be sent back to that
 * server: the bounds of a paging window, an incremental run's overlap, a
 * photo pass's start.  In UTC, but for a raw without a zone (RETS, and
 * RESO servers that write their local time so), which is moved as the
 * wall clock it is and written without one too: such a server reads it in
 * its own zone, and the same wall clock written in UTC would be another
 * instant (hours off: an overlap ten hours east of UTC would skip ten
 * hours of changes).  Moved back, it goes back no less than the instant it
 * names in zone (the zone of such timestamps; NULL: UTC) moved back: a wall
 * clock moved back into the hour a spring change of clocks skips would be
 * read an hour later, past the instant it was moved from; and one the
 * autumn change repeats goes back an hour more, as a server may read it as
 * its later time.  NULL when raw is not a timestamp.
 */
char *
MlsShiftTimestampText(const char *raw, int units, int64 usecs, pg_tz *zone)
{
	const char *dot = strchr(raw, '.');
	int			digits = 0;
	int64		unit = USECS_PER_SEC;
	TimestampTz ts;
	struct pg_tm tm;
	fsec_t		fsec;
	TimestampTz elsewhere;
	bool		zoneless;
	StringInfoData buf;

	if (dot && (strchr(raw, 'T') == NULL || dot > strchr(raw, 'T')))
		while (isdigit((unsigned char) dot[1 + digits]))
			digits++;
	digits = Min(digits, 6);
	for (int i = 0; i < digits; i++)
		unit /= 10;
	if (!MlsParseTimestamptz(raw, strlen(raw), pg_tzset("UTC"), &ts) ||
		!MlsParseTimestamptz(raw, strlen(raw), pg_tzset_offset(5 * SECS_PER_HOUR), &elsewhere))
		return NULL;
	/* whatever its form: read at another offset, it names another instant */
	zoneless = elsewhere != ts;
	ts += units * unit + usecs;
	if (zoneless && zone != NULL && units * unit + usecs < 0)
	{
		TimestampTz instant;
		Timestamp	wall;
		int			offset;

		/* the instant moved back, as a wall clock in the zone */
		if (MlsParseTimestamptz(raw, strlen(raw), zone, &instant) &&
			timestamp2tm(instant + units * unit + usecs, &offset, &tm, &fsec, NULL, zone) == 0 &&
			tm2timestamp(&tm, fsec, NULL, &wall) == 0)
			ts = Min(ts, wall);
		/* a wall clock the autumn change repeats may be read as its later time */
		if (wall_clock_repeated(ts, zone))
			ts -= USECS_PER_HOUR;
	}
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		return NULL;
	initStringInfo(&buf);
	appendStringInfo(&buf, "%04d-%02d-%02dT%02d:%02d:%02d",
					 tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (digits > 0)
	{
		int64		fraction = fsec;

		for (int i = digits; i < 6; i++)
			fraction /= 10;
		appendStringInfo(&buf, ".%0*lld", digits, (long long) fraction);
	}
	if (!zoneless)
		appendStringInfoChar(&buf, 'Z');
	return buf.data;
}
