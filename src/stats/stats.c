/*-------------------------------------------------------------------------
 *
 * stats.c
 *	  Market statistics: the rollup behind mlsync.market_stats.
 *
 * Folder src/stats/: market statistics (this file).  It reads listing
 * facts through SPI and may not include transport/, protocol or engine
 * headers: statistics never depend on how the listings arrived.
 *
 * docs/statistics.md defines every figure.  mls_stats_listing_facts() (SQL)
 * reduces each listing and its history to one row of facts; this file rolls
 * the facts up into every *series* (tenant x area x property type) and
 * *period* (ISO week, calendar month) in one pass over the facts.
 *
 * Why C: each listing belongs to ten series (five area types, each with its
 * own property type and with "all") and two period kinds, so a set-based
 * rollup in SQL multiplies a million listings into tens of millions of rows
 * before it can aggregate them, and medians cannot be pre-aggregated.  Here a
 * listing costs ten hash lookups and a few array appends; medians are sorted
 * once per series and period at the end.
 *
 * Point-in-time inventory arrives as the days a listing was active (a
 * datemultirange).  A range [a, b) adds +1 in the period containing a and -1
 * in the period containing b; the inventory at the end of a period is the
 * running sum.  Days before the first period fall into it, days after "as
 * of" are ignored.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "mlsync.h"
#include "stats/cells.h"
#include "stats/periods.h"

PG_FUNCTION_INFO_V1(mls_stats_compute);

/* Facts fetched from SPI per batch */
#define STATS_FETCH_ROWS 10000

/* Columns of mls_stats_listing_facts(), in order */
enum
{
	F_TENANT = 0, F_AS_OF_DAY, F_BASIS,
	F_CITY, F_POSTAL_CODE, F_COUNTY, F_SUBDIVISION, F_PROPERTY_TYPE,
	F_LISTED_ON, F_PENDING_ON, F_CLOSED_ON, F_DAYS_ON_MARKET,
	F_CLOSE_PRICE, F_LIST_PRICE, F_ORIGINAL_LIST_PRICE, F_LIVING_AREA,
	F_ACTIVE,
	F_CONNECTION, F_LISTING_KEY,	/* for tests and debugging; unused here */
	F_NUM_COLUMNS
};

#define NUM_OUT_COLUMNS 27

/* What one series gathers in one period */
typedef struct PeriodAcc
{
	int32		inventory_delta;
	int32		new_listings;
	int32		pending_sales;
	int32		closed_sales;
	double		price_sum;
	double		list_ratio_sum;
	int32		list_ratio_n;
	double		original_ratio_sum;
	int32		original_ratio_n;
	ValueList	prices;
	ValueList	ppsf;
	ValueList	dom;
} PeriodAcc;

/* The period grid of one tenant (all its series share it) */
typedef struct TenantGrid
{
	char	   *tenant;			/* hash key: points at the copied name */
	DateADT		as_of_day;
	bool		pending_basis;	/* months of supply from pending sales */
	int			month_base;		/* year * 12 + month - 1 of period 0 */
	int			nperiods[NUM_PERIOD_KINDS];
	DateADT		week_base;		/* Monday of week period 0 */
} TenantGrid;

/* A series key: its bytes (tenant, area type, area, property type) */
typedef MlsStatsKey SeriesKey;

typedef struct Series
{
	SeriesKey	key;			/* must be first: the hash key */
	MemoryContext context;		/* where its value lists grow */
	TenantGrid *grid;
	int			area_type;
	char	   *tenant;
	char	   *area;
	char	   *property_type;
	PeriodAcc  *periods[NUM_PERIOD_KINDS];
} Series;

/* Period indexes of one fact in both kinds; -1 when outside the window */
typedef struct FactPeriods
{
	int			listed[NUM_PERIOD_KINDS];
	int			pending[NUM_PERIOD_KINDS];
	int			closed[NUM_PERIOD_KINDS];
} FactPeriods;

/*
 * Index of the period of a kind containing a day, or -1 outside the window.
 */
static inline int
period_index(const TenantGrid *grid, int kind, DateADT day)
{
	int			index;

	if (DATE_NOT_FINITE(day))
		return -1;
	if (kind == PK_MONTH)
		index = date_month_number(day) - grid->month_base;
	else
	{
		if (day < grid->week_base)
			return -1;
		index = (date_monday(day) - grid->week_base) / 7;
	}
	if (index < 0 || index >= grid->nperiods[kind])
		return -1;
	return index;
}

/*
 * Index of the period whose running inventory a delta on a day enters:
 * days before the window fall into period 0 (they count at every period
 * end), days after "as of" into none.
 */
static inline int
delta_index(const TenantGrid *grid, int kind, DateADT day)
{
	if (day > grid->as_of_day)
		return -1;
	if (DATE_IS_NOBEGIN(day))
		return 0;
	if (kind == PK_MONTH)
	{
		if (date_month_number(day) < grid->month_base)
			return 0;
	}
	else if (day < grid->week_base)
		return 0;
	return period_index(grid, kind, day);
}

/*
 * A day before both windows of a tenant (the months start earlier).
 */
static inline DateADT
grid_before_window(const TenantGrid *grid)
{
	return month_number_start(grid->month_base) - 1;
}

/*
 * Build the period grid of a tenant: period 0 is the period before the
 * window (its figures are only the base of the first period's changes).
 */
static void
tenant_grid_init(TenantGrid *grid, DateADT as_of_day, bool pending_basis)
{
	int			year,
				month,
				mday;
	int			last_mday;
	DateADT		back;

	grid->as_of_day = as_of_day;
	grid->pending_basis = pending_basis;

	/* months: the month of "as of", 24 before it, and one more */
	grid->month_base = date_month_number(as_of_day) - STATS_MONTHS_BACK - 1;
	grid->nperiods[PK_MONTH] = STATS_MONTHS_BACK + 2;

	/* weeks: from the week containing "as of" - 24 months, plus one more */
	j2date(as_of_day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	year -= STATS_MONTHS_BACK / 12;
	last_mday = day_tab[isleap(year)][month - 1];
	if (mday > last_mday)
		mday = last_mday;
	back = date2j(year, month, mday) - POSTGRES_EPOCH_JDATE;
	grid->week_base = date_monday(back) - 7;
	grid->nperiods[PK_WEEK] = (date_monday(as_of_day) - grid->week_base) / 7 + 1;
}

/* State of one rollup */
typedef struct StatsRollup
{
	MemoryContext context;		/* everything below lives here */
	HTAB	   *tenants;
	HTAB	   *series;
	HTAB	   *places;			/* area and type combination -> its series */
	StringInfoData keybuf;
	StringInfoData placebuf;
	TypeCacheEntry *rangetyp;	/* daterange, for the active days */
} StatsRollup;

/*
 * The series of one combination of tenant, areas and property type.  Many
 * listings share a combination (a subdivision lies in one city, postal code
 * and county), so one lookup here replaces ten lookups of series.
 */
typedef struct Place
{
	SeriesKey	key;			/* must be first: the hash key */
	Series	   *series[SERIES_PER_LISTING];	/* NULL where the area is missing */
} Place;

/* One fact, deformed once: the values of its columns */
typedef struct Fact
{
	Datum		values[F_NUM_COLUMNS];
	bool		nulls[F_NUM_COLUMNS];
} Fact;

/*
 * Text of a fact column as (pointer, length) without copying; false when it
 * is NULL or empty (such an area counts in "all" only).
 */
static bool
fact_text(const Fact *fact, int column, const char **data, int *len)
{
	text	   *t;

	if (fact->nulls[column])
		return false;
	t = DatumGetTextPP(fact->values[column]);
	*data = VARDATA_ANY(t);
	*len = VARSIZE_ANY_EXHDR(t);
	return *len > 0;
}

/*
 * Find or create the series of a tenant, area and property type.  The key
 * is built in a reused buffer and copied only when the series is new.
 * Called in a per-batch context: what the series keeps is allocated in the
 * rollup's context.
 */
static Series *
series_lookup(StatsRollup *rollup, TenantGrid *grid, int area_type,
			  const char *area, int area_len,
			  const char *ptype, int ptype_len)
{
	StringInfo	buf = &rollup->keybuf;
	SeriesKey	key;
	Series	   *series;
	bool		found;
	Size		tenant_len = strlen(grid->tenant);

	resetStringInfo(buf);
	appendBinaryStringInfo(buf, grid->tenant, tenant_len + 1);
	appendStringInfoChar(buf, (char) ('0' + area_type));
	appendStringInfoChar(buf, '\0');
	appendBinaryStringInfo(buf, area, area_len);
	appendStringInfoChar(buf, '\0');
	appendBinaryStringInfo(buf, ptype, ptype_len);
	appendStringInfoChar(buf, '\0');

	key.data = buf->data;
	key.len = buf->len;
	series = hash_search(rollup->series, &key, HASH_ENTER, &found);
	if (!found)
	{
		char	   *copy = MemoryContextAlloc(rollup->context, buf->len);
		int			kind;

		memcpy(copy, buf->data, buf->len);
		series->key.data = copy;
		series->key.len = buf->len;
		series->context = rollup->context;
		series->grid = grid;
		series->area_type = area_type;
		series->tenant = copy;
		series->area = copy + tenant_len + 3;
		series->property_type = series->area + area_len + 1;
		for (kind = 0; kind < NUM_PERIOD_KINDS; kind++)
			series->periods[kind] = MemoryContextAllocZero(rollup->context,
														   grid->nperiods[kind] * sizeof(PeriodAcc));
	}
	return series;
}

/*
 * Add one listing's facts to one series.
 */
static void
series_add_fact(Series *series, const FactPeriods *fp,
				bool has_dom, int dom,
				bool has_close_price, double close_price,
				double list_price, double original_list_price, double living_area,
				int ndeltas, int *const *delta_index_of, const int32 *deltas)
{
	int			kind;

	for (kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		PeriodAcc  *periods = series->periods[kind];
		int			i;

		if (fp->listed[kind] >= 0)
			periods[fp->listed[kind]].new_listings++;
		if (fp->pending[kind] >= 0)
			periods[fp->pending[kind]].pending_sales++;
		if (fp->closed[kind] >= 0)
		{
			PeriodAcc  *p = &periods[fp->closed[kind]];

			p->closed_sales++;
			if (has_close_price)
			{
				p->price_sum += stats_in_units(close_price, STATS_CENTS);
				value_list_add(series->context, &p->prices, close_price);
				if (list_price > 0)
				{
					p->list_ratio_sum += stats_in_units(close_price / list_price, STATS_RATIO_UNITS);
					p->list_ratio_n++;
				}
				if (original_list_price > 0)
				{
					p->original_ratio_sum += stats_in_units(close_price / original_list_price,
																 STATS_RATIO_UNITS);
					p->original_ratio_n++;
				}
				if (living_area > 0)
					value_list_add(series->context, &p->ppsf, close_price / living_area);
			}
		}
		/* days on market: once per period in which it went pending or closed */
		if (has_dom)
		{
			if (fp->pending[kind] >= 0)
				value_list_add(series->context, &periods[fp->pending[kind]].dom, dom);
			if (fp->closed[kind] >= 0 && fp->closed[kind] != fp->pending[kind])
				value_list_add(series->context, &periods[fp->closed[kind]].dom, dom);
		}
		for (i = 0; i < ndeltas; i++)
		{
			int			index = delta_index_of[kind][i];

			if (index >= 0)
				periods[index].inventory_delta += deltas[i];
		}
	}
}

/*
 * Read a date column; false when NULL or infinite.
 */
static inline bool
fact_date(const Fact *fact, int column, DateADT *day)
{
	if (fact->nulls[column])
		return false;
	*day = DatumGetDateADT(fact->values[column]);
	return !DATE_NOT_FINITE(*day);
}

/*
 * Read a float8 column; NaN when NULL (comparisons with NaN are false, so a
 * missing price or area never passes a "> 0" test).
 */
static inline double
fact_double(const Fact *fact, int column)
{
	return fact->nulls[column] ? NAN : DatumGetFloat8(fact->values[column]);
}

/*
 * Find or create the grid of the fact's tenant.
 */
static TenantGrid *
tenant_lookup(StatsRollup *rollup, const Fact *fact)
{
	const char *name;
	int			len;
	char	   *tenant;
	TenantGrid *grid;
	bool		found;

	if (!fact_text(fact, F_TENANT, &name, &len))
		elog(ERROR, "statistics fact without a tenant");
	/* tenant names are short slugs: a NUL-terminated copy is cheap */
	tenant = pnstrdup(name, len);
	grid = hash_search(rollup->tenants, &tenant, HASH_ENTER, &found);
	if (!found)
	{
		DateADT		as_of_day;
		const char *basis;
		int			basis_len;

		grid->tenant = MemoryContextStrdup(rollup->context, tenant);
		if (!fact_date(fact, F_AS_OF_DAY, &as_of_day))
			elog(ERROR, "statistics fact without an as-of day");
		tenant_grid_init(grid, as_of_day,
						 fact_text(fact, F_BASIS, &basis, &basis_len) &&
						 basis_len == 7 && memcmp(basis, "pending", 7) == 0);
	}
	pfree(tenant);
	return grid;
}

/*
 * Find or create the place of a fact: its tenant, area values and property
 * type, with the (up to) ten series it belongs to.  A present value is
 * written as '+', its bytes and a NUL; a missing (NULL or empty) one as a NUL
 * alone, so no two combinations share a key.
 */
static Place *
place_lookup(StatsRollup *rollup, TenantGrid *grid, const Fact *fact)
{
	StringInfo	buf = &rollup->placebuf;
	SeriesKey	key;
	Place	   *place;
	bool		found;
	int			column;

	resetStringInfo(buf);
	appendBinaryStringInfo(buf, grid->tenant, strlen(grid->tenant) + 1);
	for (column = F_CITY; column <= F_PROPERTY_TYPE; column++)
	{
		const char *data;
		int			len;

		if (fact_text(fact, column, &data, &len))
		{
			appendStringInfoChar(buf, '+');
			appendBinaryStringInfo(buf, data, len);
		}
		appendStringInfoChar(buf, '\0');
	}

	key.data = buf->data;
	key.len = buf->len;
	place = hash_search(rollup->places, &key, HASH_ENTER, &found);
	if (!found)
	{
		char	   *copy = MemoryContextAlloc(rollup->context, buf->len);
		const char *ptype;
		int			ptype_len;
		bool		has_ptype = fact_text(fact, F_PROPERTY_TYPE, &ptype, &ptype_len);
		int			area_type;

		memcpy(copy, buf->data, buf->len);
		place->key.data = copy;
		place->key.len = buf->len;
		for (area_type = 0; area_type < NUM_AREA_TYPES; area_type++)
		{
			const char *area = "all";
			int			area_len = 3;

			place->series[2 * area_type] = NULL;
			place->series[2 * area_type + 1] = NULL;
			if (area_type > 0 &&
				!fact_text(fact, F_CITY + area_type - 1, &area, &area_len))
				continue;
			place->series[2 * area_type] =
				series_lookup(rollup, grid, area_type, area, area_len, "all", 3);
			if (has_ptype)
				place->series[2 * area_type + 1] =
					series_lookup(rollup, grid, area_type, area, area_len, ptype, ptype_len);
		}
	}
	return place;
}

/*
 * Roll one fact (one listing) into its ten series.
 */
static void
rollup_fact(StatsRollup *rollup, HeapTuple tuple, TupleDesc desc)
{
	Fact		fact;
	TenantGrid *grid;
	FactPeriods fp;
	DateADT		day;
	bool		has_dom;
	int			dom = 0;
	double		close_price;
	bool		has_close_price;
	double		list_price,
				original_list_price,
				living_area;
	DateADT    *delta_days = NULL;
	int32	   *deltas = NULL;
	int			ndeltas = 0;
	int		   *delta_index_of[NUM_PERIOD_KINDS] = {NULL, NULL};
	Place	   *place;
	int			kind;
	int			i;

	/* columns are read many times: deform the tuple once */
	heap_deform_tuple(tuple, desc, fact.values, fact.nulls);
	grid = tenant_lookup(rollup, &fact);

	for (kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		fp.listed[kind] = fact_date(&fact, F_LISTED_ON, &day) ? period_index(grid, kind, day) : -1;
		fp.pending[kind] = fact_date(&fact, F_PENDING_ON, &day) ? period_index(grid, kind, day) : -1;
		fp.closed[kind] = fact_date(&fact, F_CLOSED_ON, &day) ? period_index(grid, kind, day) : -1;
	}

	has_dom = !fact.nulls[F_DAYS_ON_MARKET] && DatumGetInt32(fact.values[F_DAYS_ON_MARKET]) >= 0;
	if (has_dom)
		dom = DatumGetInt32(fact.values[F_DAYS_ON_MARKET]);

	close_price = fact_double(&fact, F_CLOSE_PRICE);
	has_close_price = !isnan(close_price);
	list_price = fact_double(&fact, F_LIST_PRICE);
	original_list_price = fact_double(&fact, F_ORIGINAL_LIST_PRICE);
	living_area = fact_double(&fact, F_LIVING_AREA);

	/* active days: +1 where a range starts, -1 where it ends */
	if (!fact.nulls[F_ACTIVE])
	{
		MultirangeType *mr = DatumGetMultirangeTypeP(fact.values[F_ACTIVE]);
		int32		nranges;
		RangeType **ranges;

		multirange_deserialize(rollup->rangetyp, mr, &nranges, &ranges);
		if (nranges > 0)
		{
			delta_days = palloc(2 * nranges * sizeof(DateADT));
			deltas = palloc(2 * nranges * sizeof(int32));
		}
		for (i = 0; i < nranges; i++)
		{
			RangeBound lower,
						upper;
			bool		empty;

			range_deserialize(rollup->rangetyp, ranges[i], &lower, &upper, &empty);
			if (empty)
				continue;
			/* a range from the beginning of time counts from period 0 */
			delta_days[ndeltas] = lower.infinite ? grid_before_window(grid) : DatumGetDateADT(lower.val);
			if (delta_days[ndeltas] > grid->as_of_day)
				continue;
			deltas[ndeltas++] = 1;
			if (!upper.infinite)
			{
				delta_days[ndeltas] = DatumGetDateADT(upper.val);
				deltas[ndeltas++] = -1;
			}
		}
	}

	/* the periods the deltas fall in are the same for all ten series */
	if (ndeltas > 0)
	{
		for (kind = 0; kind < NUM_PERIOD_KINDS; kind++)
		{
			delta_index_of[kind] = palloc(ndeltas * sizeof(int));
			for (i = 0; i < ndeltas; i++)
				delta_index_of[kind][i] = delta_index(grid, kind, delta_days[i]);
		}
	}

	place = place_lookup(rollup, grid, &fact);
	for (i = 0; i < SERIES_PER_LISTING; i++)
	{
		if (place->series[i] != NULL)
			series_add_fact(place->series[i], &fp, has_dom, dom, has_close_price, close_price,
							list_price, original_list_price, living_area,
							ndeltas, delta_index_of, deltas);
	}
}

/*
 * Percentage change from a previous value; false when there is none.
 */
static inline bool
change_pct(bool has_prev, double prev, bool has_cur, double cur, double *pct)
{
	if (!has_prev || !has_cur || prev == 0)
		return false;
	*pct = round_to(100.0 * (cur - prev) / prev, 2);
	return true;
}

/* Output column numbers */
enum
{
	O_TENANT = 0, O_AREA_TYPE, O_AREA, O_PROPERTY_TYPE, O_PERIOD, O_PERIOD_START,
	O_PERIOD_END, O_COMPLETE, O_AS_OF, O_INVENTORY, O_INVENTORY_CHANGE,
	O_INVENTORY_CHANGE_PCT, O_NEW_LISTINGS, O_PENDING_SALES, O_CLOSED_SALES,
	O_MEDIAN_DOM, O_MEDIAN_PRICE, O_MEDIAN_PRICE_CHANGE, O_AVERAGE_PRICE,
	O_AVERAGE_PRICE_CHANGE, O_LIST_RATIO, O_ORIGINAL_RATIO, O_MONTHS_OF_SUPPLY,
	O_SUPPLY_BASIS, O_ABSORPTION, O_MEDIAN_PPSF, O_DEFINITIONS_VERSION
};

#define SET_DOUBLE(col, v)	(values[col] = Float8GetDatum(v), nulls[col] = false)

/*
 * Emit the rows of one series: every period of the window, oldest first.
 */
static void
series_emit(Series *series, Tuplestorestate *store, TupleDesc desc)
{
	const TenantGrid *grid = series->grid;
	Datum		values[NUM_OUT_COLUMNS];
	bool		nulls[NUM_OUT_COLUMNS];
	Datum		tenant = CStringGetTextDatum(series->tenant);
	Datum		area_type = CStringGetTextDatum(mls_stats_area_type_names[series->area_type]);
	Datum		area = CStringGetTextDatum(series->area);
	Datum		ptype = CStringGetTextDatum(series->property_type);
	Datum		basis = CStringGetTextDatum(grid->pending_basis ? "pending" : "closed");
	int			kind;

	for (kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		Datum		period = CStringGetTextDatum(kind == PK_MONTH ? "month" : "week");
		PeriodAcc  *periods = series->periods[kind];
		int			inventory = 0;
		int			prev_inventory = 0;
		bool		has_prev_median = false,
					has_prev_average = false;
		double		prev_median = 0,
					prev_average = 0;
		int			i;

		for (i = 0; i < grid->nperiods[kind]; i++)
		{
			PeriodAcc  *p = &periods[i];
			DateADT		start,
						end;
			double		median_price = 0,
						average_price = 0,
						v;
			bool		has_median,
						has_average;
			double		pace;

			CHECK_FOR_INTERRUPTS();

			inventory += p->inventory_delta;
			has_median = value_list_median(&p->prices, &median_price);
			has_average = p->prices.count > 0;
			if (has_average)
				average_price = p->price_sum / p->prices.count / STATS_CENTS;

			/* period 0 only provides the base of period 1's changes */
			if (i > 0)
			{
				if (kind == PK_MONTH)
				{
					start = month_number_start(grid->month_base + i);
					end = month_number_start(grid->month_base + i + 1) - 1;
				}
				else
				{
					start = grid->week_base + 7 * i;
					end = start + 6;
				}

				memset(nulls, true, sizeof(nulls));
				values[O_TENANT] = tenant;
				values[O_AREA_TYPE] = area_type;
				values[O_AREA] = area;
				values[O_PROPERTY_TYPE] = ptype;
				values[O_PERIOD] = period;
				values[O_PERIOD_START] = DateADTGetDatum(start);
				values[O_PERIOD_END] = DateADTGetDatum(end);
				values[O_COMPLETE] = BoolGetDatum(end < grid->as_of_day);
				values[O_AS_OF] = DateADTGetDatum(grid->as_of_day);
				values[O_INVENTORY] = Int32GetDatum(inventory);
				values[O_INVENTORY_CHANGE] = Int32GetDatum(inventory - prev_inventory);
				values[O_NEW_LISTINGS] = Int32GetDatum(p->new_listings);
				values[O_PENDING_SALES] = Int32GetDatum(p->pending_sales);
				values[O_CLOSED_SALES] = Int32GetDatum(p->closed_sales);
				values[O_SUPPLY_BASIS] = basis;
				values[O_DEFINITIONS_VERSION] = Int32GetDatum(STATS_DEFINITIONS_VERSION);
				for (int c = O_TENANT; c <= O_CLOSED_SALES; c++)
					nulls[c] = false;
				nulls[O_INVENTORY_CHANGE_PCT] = true;
				nulls[O_SUPPLY_BASIS] = false;
				nulls[O_DEFINITIONS_VERSION] = false;

				if (prev_inventory != 0)
					SET_DOUBLE(O_INVENTORY_CHANGE_PCT,
							   round_to(100.0 * (inventory - prev_inventory) / prev_inventory, 2));
				if (value_list_median(&p->dom, &v))
					SET_DOUBLE(O_MEDIAN_DOM, round_to(v, 1));
				if (has_median)
					SET_DOUBLE(O_MEDIAN_PRICE, round_to(median_price, 2));
				if (change_pct(has_prev_median, prev_median, has_median, median_price, &v))
					SET_DOUBLE(O_MEDIAN_PRICE_CHANGE, v);
				if (has_average)
					SET_DOUBLE(O_AVERAGE_PRICE, round_to(average_price, 2));
				if (change_pct(has_prev_average, prev_average, has_average, average_price, &v))
					SET_DOUBLE(O_AVERAGE_PRICE_CHANGE, v);
				if (p->list_ratio_n > 0)
					SET_DOUBLE(O_LIST_RATIO, round_to(p->list_ratio_sum / p->list_ratio_n / STATS_RATIO_UNITS, 4));
				if (p->original_ratio_n > 0)
					SET_DOUBLE(O_ORIGINAL_RATIO,
							   round_to(p->original_ratio_sum / p->original_ratio_n / STATS_RATIO_UNITS, 4));

				pace = grid->pending_basis ? p->pending_sales : p->closed_sales;
				if (kind == PK_WEEK)
					pace *= STATS_WEEKS_PER_MONTH;
				if (pace > 0)
					SET_DOUBLE(O_MONTHS_OF_SUPPLY, round_to(inventory / pace, 2));
				if (inventory > 0)
					SET_DOUBLE(O_ABSORPTION, round_to(100.0 * pace / inventory, 2));
				if (value_list_median(&p->ppsf, &v))
					SET_DOUBLE(O_MEDIAN_PPSF, round_to(v, 2));

				tuplestore_putvalues(store, desc, values, nulls);
			}

			prev_inventory = inventory;
			has_prev_median = has_median;
			prev_median = median_price;
			has_prev_average = has_average;
			prev_average = average_price;
		}
	}
}

/*
 * mls_stats_compute(as_of timestamptz) returns setof rows of market_stats
 *
 * Reads the facts of mls_stats_listing_facts(as_of) through a cursor, rolls
 * every fact into its series, then emits every series' periods.  Memory
 * grows with the number of series and with the sales in the window (three
 * doubles per sale and series), not with the number of listings.
 */
Datum
mls_stats_compute(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		as_of = PG_GETARG_DATUM(0);
	StatsRollup rollup;
	MemoryContext oldcontext;
	Portal		portal;
	Oid			argtypes[4] = {TIMESTAMPTZOID, TEXTOID, TEXTOID, TEXTARRAYOID};
	Datum		values[4] = {as_of, (Datum) 0, (Datum) 0, (Datum) 0};
	HASH_SEQ_STATUS scan;
	Series	   *series;

	InitMaterializedSRF(fcinfo, 0);

	/*
	 * The accumulators live in their own context, made before SPI_connect so
	 * that they survive SPI_finish and the rows can be emitted after it.
	 */
	rollup.context = AllocSetContextCreate(CurrentMemoryContext,
										   "mlsync statistics",
										   ALLOCSET_DEFAULT_SIZES);
	oldcontext = MemoryContextSwitchTo(rollup.context);

	rollup.tenants = MlsStatsNameTable("mlsync statistics tenants", 16, sizeof(TenantGrid),
									   rollup.context);

	rollup.series = MlsStatsKeyTable("mlsync statistics series", 1024, sizeof(Series), rollup.context);
	rollup.places = MlsStatsKeyTable("mlsync statistics places", 1024, sizeof(Place), rollup.context);
	initStringInfo(&rollup.keybuf);
	initStringInfo(&rollup.placebuf);
	rollup.rangetyp = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);
	MemoryContextSwitchTo(oldcontext);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/* every listing: as_of only, the other arguments null */
	portal = SPI_cursor_open_with_args(NULL,
									   psprintf("SELECT * FROM %s", MlsStatsFactsQuery("f")),
									   4, argtypes, values, " nnn", true, 0);
	for (;;)
	{
		MemoryContext batch_context;
		uint64		i;

		SPI_cursor_fetch(portal, true, STATS_FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		if (SPI_tuptable->tupdesc->natts != F_NUM_COLUMNS)
			elog(ERROR, "mls_stats_listing_facts returned %d columns, expected %d",
				 SPI_tuptable->tupdesc->natts, F_NUM_COLUMNS);

		/* detoasted values and range arrays of a batch die with it */
		batch_context = AllocSetContextCreate(rollup.context, "mlsync statistics batch",
											  ALLOCSET_DEFAULT_SIZES);
		for (i = 0; i < SPI_processed; i++)
		{
			MemoryContext rowcontext = MemoryContextSwitchTo(batch_context);

			/* series and tenants are allocated in rollup.context explicitly */
			rollup_fact(&rollup, SPI_tuptable->vals[i], SPI_tuptable->tupdesc);
			MemoryContextSwitchTo(rowcontext);
			if (i % 1000 == 0)
				MemoryContextReset(batch_context);
		}
		MemoryContextDelete(batch_context);
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();

	hash_seq_init(&scan, rollup.series);
	while ((series = hash_seq_search(&scan)) != NULL)
		series_emit(series, rsinfo->setResult, rsinfo->setDesc);

	MemoryContextDelete(rollup.context);
	return (Datum) 0;
}
