/*-------------------------------------------------------------------------
 *
 * cron.c
 *	  Cron schedules: parsing and the next time a schedule fires.
 *
 * Folder src/ops/: what keeps mlsync running unattended - the cron
 * schedules it hands to pg_cron (this file: their syntax and when they
 * fire next) and the retention of its records (retention.c: the settings
 * mls_prune() reads).  The operational alerts are SQL
 * (sql/src/46_operations.sql), raised from the sync's bookkeeping
 * (engine/store.c).  This folder may not include libcurl, libxml2,
 * protocol or engine headers: it knows times and settings, not syncs.
 *
 * mlsync hands its schedules to pg_cron, which fires a job at the start of
 * every minute its schedule matches.  To show when a connection runs next
 * (mls_status) and to refuse a bad schedule when a connection is written,
 * rather than when the jobs are made, mlsync reads the same syntax pg_cron
 * reads: five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12
 * or jan-dec, day of week 0-7 or sun-sat, 0 and 7 both Sunday), each a
 * comma list of "*", "n" or "n-m", the last two with an optional "/step"
 * after a range or "*"; or one of @hourly, @daily, @midnight, @weekly,
 * @monthly, @yearly, @annually.  As in Vixie cron, when both the day of
 * month and the day of week are restricted (neither field starts with
 * "*"), a day matches either; otherwise it must match both.
 *
 * pg_cron 1.4 reads schedules in GMT; later versions in cron.timezone.  The
 * next time is therefore computed in the zone cron.timezone names, GMT when
 * it names none.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "access/xact.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "ops/ops.h"

PG_FUNCTION_INFO_V1(mls_cron_next);
PG_FUNCTION_INFO_V1(mls_cron_is_valid);

/* Longest a schedule may stay silent: Feb 29 of a leap year 8 years away */
#define CRON_MAX_DAYS (366 * 8 + 2)

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL
};
static const char *const weekday_names[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

/* One field of a schedule: its bounds, its name, names for its values */
typedef struct CronField
{
	const char *name;
	int			low;
	int			high;
	const char *const *names;	/* value low + i is names[i]; or NULL */
} CronField;

static const CronField fields[] = {
	{"minute", 0, 59, NULL},
	{"hour", 0, 23, NULL},
	{"day of month", 1, 31, NULL},
	{"month", 1, 12, month_names},
	{"day of week", 0, 7, weekday_names},
};

/*
 * Read one value of a field (a number or a name) at *p; false, with *error
 * set, when there is none or it is out of the field's bounds.
 */
static bool
read_value(const char **p, const CronField *field, int *value, char **error)
{
	const char *start = *p;
	int			len = 0;
	bool		digits = true;

	while (isalnum((unsigned char) start[len]))
	{
		digits = digits && isdigit((unsigned char) start[len]);
		len++;
	}
	if (len == 0)
	{
		*error = psprintf("a value is missing in the %s field", field->name);
		return false;
	}
	*p = start + len;
	if (digits)
	{
		if (len > 2)
		{
			*error = psprintf("%.*s is out of range for the %s field (%d-%d)",
							  len, start, field->name, field->low, field->high);
			return false;
		}
		*value = atoi(pnstrdup(start, len));
	}
	else
	{
		*value = -1;
		for (int i = 0; field->names && field->names[i]; i++)
			if (len == 3 && pg_strncasecmp(start, field->names[i], 3) == 0)
				*value = field->low + i;
		if (*value < 0)
		{
			*error = psprintf("\"%.*s\" is not a value of the %s field", len, start, field->name);
			return false;
		}
	}
	if (*value < field->low || *value > field->high)
	{
		*error = psprintf("%d is out of range for the %s field (%d-%d)",
						  *value, field->name, field->low, field->high);
		return false;
	}
	return true;
}

/*
 * Parse one field (a comma list) ending at white space or the end, into the
 * bits of its values (bit v for value v).  *star tells whether it starts
 * with "*".
 */
static bool
parse_field(const char **p, const CronField *field, uint64 *bits, bool *star, char **error)
{
	*bits = 0;
	*star = **p == '*';
	for (;;)
	{
		int			from;
		int			to;
		int			step = 1;

		if (**p == '*')
		{
			from = field->low;
			to = field->high;
			(*p)++;
		}
		else
		{
			if (!read_value(p, field, &from, error))
				return false;
			to = from;
			if (**p == '-')
			{
				(*p)++;
				if (!read_value(p, field, &to, error))
					return false;
				if (to < from)
				{
					*error = psprintf("the range %d-%d of the %s field runs backwards",
									  from, to, field->name);
					return false;
				}
			}
			else if (**p == '/')
			{
				/* pg_cron refuses "5/10": a step needs a range or "*" */
				*error = psprintf("a step in the %s field needs a range or \"*\" before it",
								  field->name);
				return false;
			}
		}
		if (**p == '/')
		{
			const char *start = ++(*p);

			while (isdigit((unsigned char) **p))
				(*p)++;
			if (*p == start || *p - start > 2 || (step = atoi(pnstrdup(start, *p - start))) <= 0)
			{
				*error = psprintf("the step of the %s field must be a positive number", field->name);
				return false;
			}
		}
		for (int v = from; v <= to; v += step)
			*bits |= UINT64CONST(1) << v;
		if (**p != ',')
			break;
		(*p)++;
	}
	if (**p != '\0' && !isspace((unsigned char) **p))
	{
		*error = psprintf("unexpected \"%c\" in the %s field", **p, field->name);
		return false;
	}
	return true;
}

/*
 * Parse a schedule.  Returns false, with *error set to a sentence, when it
 * is not one pg_cron would run.
 */
bool
MlsCronParse(const char *schedule, MlsCron *cron, char **error)
{
	static const struct
	{
		const char *name;
		const char *fields;
	}			macros[] = {
		{"@hourly", "0 * * * *"},
		{"@daily", "0 0 * * *"},
		{"@midnight", "0 0 * * *"},
		{"@weekly", "0 0 * * 0"},
		{"@monthly", "0 0 1 * *"},
		{"@yearly", "0 0 1 1 *"},
		{"@annually", "0 0 1 1 *"},
	};
	const char *p = schedule;
	uint64		bits[lengthof(fields)];
	bool		stars[lengthof(fields)];

	memset(cron, 0, sizeof(MlsCron));
	while (isspace((unsigned char) *p))
		p++;
	if (*p == '@')
	{
		int			len = 0;
		const char *expanded = NULL;

		while (p[len] && !isspace((unsigned char) p[len]))
			len++;
		for (int i = 0; i < lengthof(macros); i++)
			if (strlen(macros[i].name) == len && pg_strncasecmp(p, macros[i].name, len) == 0)
				expanded = macros[i].fields;
		p += len;
		while (isspace((unsigned char) *p))
			p++;
		if (expanded == NULL || *p != '\0')
		{
			*error = psprintf("\"%s\" is not a schedule mlsync can use", schedule);
			return false;
		}
		return MlsCronParse(expanded, cron, error);
	}

	for (int f = 0; f < lengthof(fields); f++)
	{
		if (*p == '\0')
		{
			*error = psprintf("the %s field is missing: a schedule has five fields", fields[f].name);
			return false;
		}
		if (!parse_field(&p, &fields[f], &bits[f], &stars[f], error))
			return false;
		while (isspace((unsigned char) *p))
			p++;
	}
	if (*p != '\0')
	{
		*error = pstrdup("a schedule has five fields; there is more after the day of week");
		return false;
	}

	cron->minutes = bits[0];
	cron->hours = (uint32) bits[1];
	cron->days = (uint32) bits[2];
	cron->months = (uint16) bits[3];
	/* Sunday is both 0 and 7 */
	cron->weekdays = (uint8) ((bits[4] | (bits[4] >> 7)) & 0x7f);
	cron->days_star = stars[2];
	cron->weekdays_star = stars[4];
	return true;
}

/*
 * Whether the schedule fires on a day (month 1-12, day 1-31, weekday 0-6).
 */
static bool
day_matches(const MlsCron *cron, int month, int day, int weekday)
{
	bool		dom = (cron->days & (((uint32) 1) << day)) != 0;
	bool		dow = (cron->weekdays & (1 << weekday)) != 0;

	if (!(cron->months & (1 << month)))
		return false;
	if (cron->days_star || cron->weekdays_star)
		return dom && dow;
	return dom || dow;
}

/*
 * The first time after "after" (strictly) at which the schedule fires, read
 * in zone tz.  Returns false when it never fires (February 30th).
 *
 * The search walks days from the one of "after" and, on a day that
 * matches, the hours and minutes the schedule names.  A local time a
 * daylight-saving change skips is taken as PostgreSQL reads it (an hour
 * later); one that happens twice, at its first occurrence.
 */
bool
MlsCronNext(const MlsCron *cron, TimestampTz after, pg_tz *tz, TimestampTz *next)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz_offset;
	int			julian;

	if (timestamp2tm(after, &tz_offset, &tm, &fsec, NULL, tz) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	julian = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday);

	for (int d = 0; d < CRON_MAX_DAYS; d++)
	{
		int			year;
		int			month;
		int			day;

		j2date(julian + d, &year, &month, &day);
		if (!day_matches(cron, month, day, j2day(julian + d)))
			continue;
		for (int hour = 0; hour < 24; hour++)
		{
			if (!(cron->hours & (((uint32) 1) << hour)))
				continue;
			for (int minute = 0; minute < 60; minute++)
			{
				struct pg_tm at;
				Timestamp	result;

				if (!(cron->minutes & (UINT64CONST(1) << minute)))
					continue;
				memset(&at, 0, sizeof(at));
				at.tm_year = year;
				at.tm_mon = month;
				at.tm_mday = day;
				at.tm_hour = hour;
				at.tm_min = minute;
				tz_offset = DetermineTimeZoneOffset(&at, tz);
				if (tm2timestamp(&at, 0, &tz_offset, &result) != 0)
					ereport(ERROR,
							(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							 errmsg("timestamp out of range")));
				if (result > after)
				{
					*next = result;
					return true;
				}
			}
		}
		CHECK_FOR_INTERRUPTS();
	}
	return false;
}

/*
 * The zone pg_cron reads schedules in: cron.timezone when pg_cron has one,
 * else GMT.
 */
const char *
MlsCronZoneName(void)
{
	const char *zone = GetConfigOption("cron.timezone", true, false);

	return zone && zone[0] ? zone : "GMT";
}

/*
 * mls_cron_next(schedule text, after timestamptz, zone text) returns
 * timestamptz: the first time after "after" the schedule fires, in zone
 * (NULL: pg_cron's zone); NULL for a NULL schedule or one that never fires.
 * A schedule pg_cron would refuse is an error, with the reason.
 */
Datum
mls_cron_next(PG_FUNCTION_ARGS)
{
	char	   *schedule;
	TimestampTz after;
	const char *zone;
	pg_tz	   *tz;
	MlsCron		cron;
	char	   *error;
	TimestampTz next;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	schedule = text_to_cstring(PG_GETARG_TEXT_PP(0));
	after = PG_ARGISNULL(1) ? GetCurrentTransactionStartTimestamp() : PG_GETARG_TIMESTAMPTZ(1);
	zone = PG_ARGISNULL(2) ? MlsCronZoneName() : text_to_cstring(PG_GETARG_TEXT_PP(2));

	if (!MlsCronParse(schedule, &cron, &error))
	{
		/* the reason, as a sentence */
		error = psprintf("%s.", error);
		error[0] = pg_toupper((unsigned char) error[0]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid cron schedule \"%s\"", schedule),
				 errdetail_internal("%s", error),
				 errhint("Write five fields: minute, hour, day of month, month, day of week, e.g. \"0 2 * * *\" for 02:00 every day.")));
	}
	tz = pg_tzset(zone);
	if (tz == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", zone)));
	if (TIMESTAMP_NOT_FINITE(after) || !MlsCronNext(&cron, after, tz, &next))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(next);
}

/*
 * mls_cron_is_valid(schedule text) returns boolean: whether pg_cron would
 * take the schedule (the CHECK of mls_connections' schedules, so that no
 * row can break what reads them, such as mls_status).
 */
Datum
mls_cron_is_valid(PG_FUNCTION_ARGS)
{
	MlsCron		cron;
	char	   *error;

	PG_RETURN_BOOL(MlsCronParse(text_to_cstring(PG_GETARG_TEXT_PP(0)), &cron, &error));
}
