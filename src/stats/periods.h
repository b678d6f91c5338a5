/*-------------------------------------------------------------------------
 *
 * periods.h
 *	  The period arithmetic and small helpers of the statistics, shared by
 *	  the full computation (stats.c) and the incremental refresh (cells.c,
 *	  refresh.c): months, ISO weeks, the window of a tenant, value lists
 *	  and medians, the rounding of figures.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_STATS_PERIODS_H
#define MLSYNC_STATS_PERIODS_H

#include "postgres.h"

#include <math.h>

#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"

/* Version of the definitions in docs/statistics.md, stored in every row */
#define STATS_DEFINITIONS_VERSION 2

/*
 * A hash key made of bytes: the series and places of both rollups (tenant,
 * area type, area, property type, as each builds them).
 */
typedef struct MlsStatsKey
{
	const char *data;
	Size		len;
} MlsStatsKey;

/*
 * Hash tables of the statistics (defined in cells.c): keyed by an
 * MlsStatsKey, or by a pointer to a NUL-terminated name.
 */
extern HTAB *MlsStatsKeyTable(const char *name, long size, Size entrysize, MemoryContext cxt);
extern HTAB *MlsStatsNameTable(const char *name, long size, Size entrysize, MemoryContext cxt);

/* The window: the period containing "as of" and 24 months back */
#define STATS_MONTHS_BACK 24

/*
 * Sums of prices and of price ratios are kept as integral doubles, in cents
 * and in billionths: sums of such values (below 2^53) are exact whatever the
 * order they are added in, so the full computation and the incremental
 * refresh, which add a period's listings in different orders, compute the
 * same averages and round them alike (a sum of plain doubles could end on
 * either side of a half cent).
 */
#define STATS_CENTS 100.0
#define STATS_RATIO_UNITS 1e9

static inline double
stats_in_units(double value, double units)
{
	return rint(value * units);
}

/* Days in an average month over days in a week: a week's pace per month */
#define STATS_WEEKS_PER_MONTH (365.25 / 12.0 / 7.0)

#define NUM_AREA_TYPES 5

/* period kinds */
#define PK_MONTH 0
#define PK_WEEK 1
#define NUM_PERIOD_KINDS 2

/* Each listing belongs to ten series: five area types, with its type and "all" */
#define SERIES_PER_LISTING (2 * NUM_AREA_TYPES)

extern const char *const mls_stats_area_type_names[NUM_AREA_TYPES];
extern const char *const mls_stats_period_names[NUM_PERIOD_KINDS];

/* A growable array of doubles (values a median is taken of) */
typedef struct ValueList
{
	double	   *values;
	int			count;
	int			capacity;
} ValueList;

/*
 * Append a value to a list, growing it geometrically in context.
 */
static inline void
value_list_add(MemoryContext context, ValueList *list, double value)
{
	if (list->count == list->capacity)
	{
		int			capacity = list->capacity == 0 ? 4 : list->capacity * 2;

		if (list->values == NULL)
			list->values = MemoryContextAlloc(context, capacity * sizeof(double));
		else
			list->values = repalloc(list->values, capacity * sizeof(double));
		list->capacity = capacity;
	}
	list->values[list->count++] = value;
}

/*
 * qsort comparator of doubles.
 */
static inline int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/*
 * Median of a list (sorts it in place); false when it is empty.  An even
 * count gives the mean of the two middle values.
 */
static inline bool
value_list_median(ValueList *list, double *median)
{
	int			n = list->count;

	if (n == 0)
		return false;
	qsort(list->values, n, sizeof(double), compare_doubles);
	if (n % 2 == 1)
		*median = list->values[n / 2];
	else
		*median = (list->values[n / 2 - 1] + list->values[n / 2]) / 2.0;
	return true;
}

/*
 * Round half away from zero to a number of decimals.  Figures are computed
 * in double precision and rounded once, on output.
 */
static inline double
round_to(double value, int decimals)
{
	double		scale = pow(10.0, decimals);

	return round(value * scale) / scale;
}

/*
 * Month number (year * 12 + month - 1) of a date.
 */
static inline int
date_month_number(DateADT day)
{
	int			year,
				month,
				mday;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	return year * 12 + month - 1;
}

/*
 * Monday of the ISO week containing a date.
 */
static inline DateADT
date_monday(DateADT day)
{
	/* j2day: 0 is Sunday; days since Monday are (dow + 6) % 7 */
	return day - (j2day(day + POSTGRES_EPOCH_JDATE) + 6) % 7;
}

/*
 * First day of a month number.
 */
static inline DateADT
month_number_start(int month_number)
{
	return date2j(month_number / 12, month_number % 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
}

/*
 * The first day of the period of a kind that contains a (finite) day.
 */
static inline DateADT
period_start_of(int kind, DateADT day)
{
	return kind == PK_MONTH ? month_number_start(date_month_number(day)) : date_monday(day);
}

/*
 * The first day of the period after the one starting on start.
 */
static inline DateADT
period_next(int kind, DateADT start)
{
	return kind == PK_MONTH ? month_number_start(date_month_number(start) + 1) : start + 7;
}

/*
 * The window of a tenant as of a day: the first day of period 0 of each
 * kind (the period before the window: its figures are the base of the first
 * period's changes) and the number of periods from it to the one that
 * contains as_of_day.
 */
static inline void
stats_window(DateADT as_of_day, DateADT base[NUM_PERIOD_KINDS], int nperiods[NUM_PERIOD_KINDS])
{
	int			year,
				month,
				mday;
	int			last_mday;
	int			month_base;
	DateADT		back;

	/* months: the month of "as of", 24 before it, and one more */
	month_base = date_month_number(as_of_day) - STATS_MONTHS_BACK - 1;
	base[PK_MONTH] = month_number_start(month_base);
	nperiods[PK_MONTH] = STATS_MONTHS_BACK + 2;

	/* weeks: from the week containing "as of" - 24 months, plus one more */
	j2date(as_of_day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	year -= STATS_MONTHS_BACK / 12;
	last_mday = day_tab[isleap(year)][month - 1];
	if (mday > last_mday)
		mday = last_mday;
	back = date2j(year, month, mday) - POSTGRES_EPOCH_JDATE;
	base[PK_WEEK] = date_monday(back) - 7;
	nperiods[PK_WEEK] = (date_monday(as_of_day) - base[PK_WEEK]) / 7 + 1;
}

/*
 * Index of the period of a kind (0 = the one starting on base) that
 * contains a finite day; negative before base.
 */
static inline int
period_index_from(int kind, DateADT base, DateADT day)
{
	if (kind == PK_MONTH)
		return date_month_number(day) - date_month_number(base);
	if (day < base)
		return -1 - (base - 1 - day) / 7;
	return (day - base) / 7;
}

#endif							/* MLSYNC_STATS_PERIODS_H */
