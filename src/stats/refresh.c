/*-------------------------------------------------------------------------
 *
 * refresh.c
 *	  mls_stats_refresh(): keeping the statistics' tables up to date, for
 *	  the listings changed since the last refresh (incremental) or from
 *	  scratch (full), and the marks that say what changed.
 *
 * The tables (65_stats_refresh.sql): mls_stats_facts (one row of facts per
 * listing, as mls_stats_listing_facts computes it, with the days it
 * contributes on), mls_stats_cells (what each series gathers in each period,
 * local to it: cells.c), mls_stats_series (the series and how many
 * listings each has), mls_stats_state (per tenant: the moment of the last
 * refresh, the window, the settings it was computed with), and
 * mls_stats_dirty (the listings, or whole connections, changed since: the
 * sync marks them in the transaction of each batch).  market_stats is a
 * view that sums and derives the figures from cells.
 *
 * An incremental refresh of a tenant:
 *	1. folds the cells that left the window (a new month or week) into the
 *	   base of their series;
 *	2. computes the facts of the marked listings again and compares them
 *	   with the stored ones: the series gain or lose listings, the bases
 *	   their inventory changes before the window, and the periods whose
 *	   contributions differ are touched (MlsStatsTouched);
 *	3. touches the periods "as of" moved through since the last refresh (an
 *	   active range's end becomes part of the inventory once it is past);
 *	4. recomputes the touched periods' cells from the stored facts of the
 *	   listings that contribute to them, found by the GIN index on days.
 * A tenant is rebuilt in full when it has no state yet, when its statistics
 * settings or the definitions changed, or when asked.
 *
 * Readers are never blocked: everything happens in the refresh's
 * transaction; refreshes wait for each other (MLS_LOCK_STATS_REFRESH,
 * src/tenancy/locks.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "stats/cells.h"
#include "stats/periods.h"
#include "stats/refresh.h"
#include "tenancy/locks.h"

PG_FUNCTION_INFO_V1(mls_stats_refresh);
PG_FUNCTION_INFO_V1(mls_stats_round);

/* Facts read or written per statement */
#define FACTS_BATCH 5000


/* Columns of mls_stats_facts, in order */
enum
{
	FT_TENANT = 0, FT_CONNECTION, FT_KEY, FT_CITY, FT_POSTAL_CODE, FT_COUNTY, FT_SUBDIVISION,
	FT_PROPERTY_TYPE, FT_LISTED_ON, FT_PENDING_ON, FT_CLOSED_ON, FT_DAYS_ON_MARKET,
	FT_CLOSE_PRICE, FT_LIST_PRICE, FT_ORIGINAL_LIST_PRICE, FT_LIVING_AREA, FT_ACTIVE, FT_DAYS,
	FT_NUM_COLUMNS
};

/* Columns of mls_stats_cells, in order */
enum
{
	CT_TENANT = 0, CT_AREA_TYPE, CT_AREA, CT_PROPERTY_TYPE, CT_PERIOD, CT_PERIOD_START,
	CT_INVENTORY_DELTA, CT_NEW_LISTINGS, CT_PENDING_SALES, CT_CLOSED_SALES, CT_PRICE_COUNT,
	CT_PRICE_SUM, CT_MEDIAN_PRICE, CT_LIST_RATIO_N, CT_LIST_RATIO_SUM, CT_ORIGINAL_RATIO_N,
	CT_ORIGINAL_RATIO_SUM, CT_MEDIAN_DOM, CT_MEDIAN_PPSF, CT_NUM_COLUMNS
};

/* What the refresh works with */
typedef struct Refresh
{
	MemoryContext cxt;			/* lives for the refresh */
	TimestampTz as_of;
	TypeCacheEntry *rangetyp;
	Oid			facts_type;		/* row types of the tables and their arrays */
	Oid			facts_array_type;
	TupleDesc	facts_desc;
	Oid			cells_type;
	Oid			cells_array_type;
	TupleDesc	cells_desc;
	HTAB	   *groups;			/* (tenant, connection) -> MarkedFeed: what changed */
	char	   *facts_query;	/* the facts' statement, as "a" (MlsStatsFactsQuery) */
	int64		facts_written;
} Refresh;

/* The marked listings of one connection */
typedef struct MarkedFeed
{
	char	   *name;			/* "tenant/connection": the hash key */
	char	   *tenant;
	char	   *connection;
	bool		all;			/* every listing of the connection */
	List	   *keys;			/* else these (char *) */
} MarkedFeed;

/* One tenant's refresh */
typedef struct TenantRefresh
{
	char	   *tenant;
	char	   *time_zone;
	char	   *basis;
	char	   *count_per;		/* mls_stats_settings.count_per, as computed */
	MlsStatsTargets targets;	/* the new window */
	bool		full;
	DateADT		old_as_of_day;
	DateADT		old_base[NUM_PERIOD_KINDS];
	bool	   *touched[NUM_PERIOD_KINDS];	/* per period of the new window */
	HTAB	   *series_deltas;	/* series key -> SeriesDelta */
} TenantRefresh;

/* A change of a series: listings gained or lost, inventory before the window */
typedef struct SeriesDelta
{
	char	   *key;			/* area type, area, type: the hash key */
	int			area_type;
	char	   *area;
	char	   *property_type;
	int64		listings;
	int32		base[NUM_PERIOD_KINDS];
} SeriesDelta;

/* Rows collected for one INSERT ... SELECT * FROM unnest($1) */
typedef struct RowBuffer
{
	Refresh    *refresh;
	const char *table;
	Oid			row_type;
	Oid			array_type;
	Datum	   *rows;			/* allocated in the refresh's context */
	int			n;
	int			capacity;
	int64		written;
	/* for emitted cells */
	const char *tenant;
} RowBuffer;

/*
 * mls_stats_round(value, decimals): round half away from zero, as the full
 * computation rounds its figures (market_stats rounds with it, so both
 * agree to the last digit).
 */
Datum
mls_stats_round(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(round_to(PG_GETARG_FLOAT8(0), PG_GETARG_INT32(1)));
}

/*
 * Run a statement with arguments (read_only false: each sees what the ones
 * before it wrote); returns SPI_processed.
 */
static uint64
exec_args(const char *sql, int nargs, Oid *types, Datum *values, const char *nulls, int expected)
{
	int			rc = SPI_execute_with_args(sql, nargs, types, values, nulls, false, 0);

	if (rc != expected)
		elog(ERROR, "statistics refresh: statement failed (%s): %s", SPI_result_code_string(rc), sql);
	return SPI_processed;
}

/*
 * A text[] of C strings.
 */
static Datum
text_array(char **strings, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		d[i] = CStringGetTextDatum(strings[i]);
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * Flush buffered rows: one INSERT of them all.
 */
static void
flush_rows(RowBuffer *buf)
{
	char	   *sql;
	Oid			types[1];
	Datum		values[1];

	if (buf->n == 0)
		return;
	sql = psprintf("INSERT INTO mlsync.%s SELECT * FROM unnest($1)", buf->table);
	types[0] = buf->array_type;
	values[0] = PointerGetDatum(construct_array(buf->rows, buf->n, buf->row_type, -1, false,
												TYPALIGN_DOUBLE));
	exec_args(sql, 1, types, values, NULL, SPI_OK_INSERT);
	buf->written += buf->n;
	buf->n = 0;
}

/*
 * Buffer a row (a composite datum); flushed every FACTS_BATCH rows.
 */
static void
add_row(RowBuffer *buf, Datum row)
{
	if (buf->n == buf->capacity)
	{
		buf->capacity = buf->capacity == 0 ? 256 : buf->capacity * 2;
		/* rows are made in per-batch contexts; the array outlives them */
		buf->rows = buf->rows ? repalloc(buf->rows, sizeof(Datum) * buf->capacity) :
			MemoryContextAlloc(buf->refresh->cxt, sizeof(Datum) * buf->capacity);
	}
	buf->rows[buf->n++] = row;
	if (buf->n >= FACTS_BATCH)
		flush_rows(buf);
}

/*
 * The row of mls_stats_facts for a fact read from a tuple of the facts
 * function: its values, and the days it contributes on.
 */
static Datum
facts_row(Refresh *r, const char *tenant, HeapTuple tuple, TupleDesc desc,
		  const MlsStatsFact *fact)
{
	static const char *const names[FT_NUM_COLUMNS] = {
		"tenant_id", "connection", "listing_key", "city", "postal_code", "county",
		"subdivision", "property_type", "listed_on", "pending_on", "closed_on",
		"days_on_market", "close_price", "list_price", "original_list_price", "living_area",
		"active", NULL
	};
	Datum		values[FT_NUM_COLUMNS];
	bool		nulls[FT_NUM_COLUMNS];
	DateADT    *days = palloc(sizeof(DateADT) * (3 + fact->nbounds));
	int			ndays = MlsStatsFactDays(fact, days);
	Datum	   *day_datums = palloc(sizeof(Datum) * Max(ndays, 1));

	for (int c = 0; c < FT_DAYS; c++)
	{
		int			attnum = SPI_fnumber(desc, names[c]);

		if (attnum <= 0)
			elog(ERROR, "mls_stats_listing_facts has no column %s", names[c]);
		values[c] = heap_getattr(tuple, attnum, desc, &nulls[c]);
	}
	values[FT_TENANT] = CStringGetTextDatum(tenant);
	nulls[FT_TENANT] = false;
	for (int i = 0; i < ndays; i++)
		day_datums[i] = DateADTGetDatum(days[i]);
	values[FT_DAYS] = PointerGetDatum(construct_array(day_datums, ndays, DATEOID, 4, true,
													  TYPALIGN_INT));
	nulls[FT_DAYS] = false;
	return HeapTupleGetDatum(heap_form_tuple(r->facts_desc, values, nulls));
}

/*
 * Emit callback: a cell as a row of mls_stats_cells.
 */
static void
cell_row(const MlsStatsCell *cell, void *arg)
{
	RowBuffer  *buf = arg;
	Refresh    *r = buf->refresh;
	Datum		values[CT_NUM_COLUMNS];
	bool		nulls[CT_NUM_COLUMNS];

	memset(nulls, false, sizeof(nulls));
	values[CT_TENANT] = CStringGetTextDatum(buf->tenant);
	values[CT_AREA_TYPE] = CStringGetTextDatum(mls_stats_area_type_names[cell->area_type]);
	values[CT_AREA] = CStringGetTextDatum(cell->area);
	values[CT_PROPERTY_TYPE] = CStringGetTextDatum(cell->property_type);
	values[CT_PERIOD] = CStringGetTextDatum(mls_stats_period_names[cell->kind]);
	values[CT_PERIOD_START] = DateADTGetDatum(cell->is_base ? DATEVAL_NOBEGIN : cell->period_start);
	values[CT_INVENTORY_DELTA] = Int32GetDatum(cell->inventory_delta);
	values[CT_NEW_LISTINGS] = Int32GetDatum(cell->new_listings);
	values[CT_PENDING_SALES] = Int32GetDatum(cell->pending_sales);
	values[CT_CLOSED_SALES] = Int32GetDatum(cell->closed_sales);
	values[CT_PRICE_COUNT] = Int32GetDatum(cell->price_count);
	values[CT_PRICE_SUM] = Float8GetDatum(cell->price_sum);
	values[CT_MEDIAN_PRICE] = Float8GetDatum(cell->median_price);
	nulls[CT_MEDIAN_PRICE] = !cell->has_median_price;
	values[CT_LIST_RATIO_N] = Int32GetDatum(cell->list_ratio_n);
	values[CT_LIST_RATIO_SUM] = Float8GetDatum(cell->list_ratio_sum);
	values[CT_ORIGINAL_RATIO_N] = Int32GetDatum(cell->original_ratio_n);
	values[CT_ORIGINAL_RATIO_SUM] = Float8GetDatum(cell->original_ratio_sum);
	values[CT_MEDIAN_DOM] = Float8GetDatum(cell->median_dom);
	nulls[CT_MEDIAN_DOM] = !cell->has_median_dom;
	values[CT_MEDIAN_PPSF] = Float8GetDatum(cell->median_ppsf);
	nulls[CT_MEDIAN_PPSF] = !cell->has_median_ppsf;
	add_row(buf, HeapTupleGetDatum(heap_form_tuple(r->cells_desc, values, nulls)));
}

/*
 * Write the cells a rollup gathered for a tenant into mls_stats_cells,
 * through the given buffer.
 */
static void
write_cells(Refresh *r, const char *tenant, MlsStatsRollup *rollup, RowBuffer *cells)
{
	cells->refresh = r;
	cells->table = "mls_stats_cells";
	cells->row_type = r->cells_type;
	cells->array_type = r->cells_array_type;
	cells->tenant = tenant;
	MlsStatsRollupEmit(rollup, cell_row, cells);
	flush_rows(cells);
}

/* Series counts of a full rebuild, collected for one INSERT */
typedef struct SeriesRows
{
	List	   *area_types;
	List	   *areas;
	List	   *types;
	List	   *counts;
} SeriesRows;

/*
 * Emit callback: a series and its listings.
 */
static void
series_row(int area_type, const char *area, const char *property_type, int64 listings, void *arg)
{
	SeriesRows *rows = arg;

	rows->area_types = lappend(rows->area_types, (void *) mls_stats_area_type_names[area_type]);
	rows->areas = lappend(rows->areas, (void *) area);
	rows->types = lappend(rows->types, (void *) property_type);
	rows->counts = lappend_int(rows->counts, (int) listings);
}

/*
 * The array arguments of a list of strings and of ints.
 */
static Datum
list_text_array(List *strings)
{
	char	  **a = palloc(sizeof(char *) * Max(list_length(strings), 1));
	ListCell   *lc;
	int			i = 0;

	foreach(lc, strings)
		a[i++] = lfirst(lc);
	return text_array(a, i);
}

static Datum
list_int_array(List *ints)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(list_length(ints), 1));
	ListCell   *lc;
	int			i = 0;

	foreach(lc, ints)
		d[i++] = Int32GetDatum(lfirst_int(lc));
	return PointerGetDatum(construct_array(d, i, INT4OID, 4, true, TYPALIGN_INT));
}

/*
 * Store the state of a tenant after its refresh.
 */
static void
store_state(Refresh *r, TenantRefresh *t)
{
	Oid			types[10] = {TEXTOID, TIMESTAMPTZOID, DATEOID, TEXTOID, TEXTOID, DATEOID, DATEOID,
	INT4OID, BOOLOID, TEXTOID};
	Datum		values[10];

	values[0] = CStringGetTextDatum(t->tenant);
	values[1] = TimestampTzGetDatum(r->as_of);
	values[2] = DateADTGetDatum(t->targets.as_of_day);
	values[3] = CStringGetTextDatum(t->time_zone);
	values[4] = CStringGetTextDatum(t->basis);
	values[5] = DateADTGetDatum(t->targets.base[PK_MONTH]);
	values[6] = DateADTGetDatum(t->targets.base[PK_WEEK]);
	values[7] = Int32GetDatum(STATS_DEFINITIONS_VERSION);
	values[8] = BoolGetDatum(t->full);
	values[9] = CStringGetTextDatum(t->count_per);
	exec_args("INSERT INTO mlsync.mls_stats_state AS s (tenant_id, as_of, as_of_day, time_zone,"
			  "  months_of_supply_basis, count_per, month_base, week_base, definitions_version,"
			  "  refreshed_at, rebuilt_at)"
			  " VALUES ($1, $2, $3, $4, $5, $10, $6, $7, $8, $2, $2)"
			  " ON CONFLICT (tenant_id) DO UPDATE SET as_of = excluded.as_of,"
			  "  as_of_day = excluded.as_of_day, time_zone = excluded.time_zone,"
			  "  months_of_supply_basis = excluded.months_of_supply_basis,"
			  "  count_per = excluded.count_per,"
			  "  month_base = excluded.month_base, week_base = excluded.week_base,"
			  "  definitions_version = excluded.definitions_version,"
			  "  refreshed_at = excluded.refreshed_at,"
			  "  rebuilt_at = CASE WHEN $9 THEN excluded.rebuilt_at ELSE s.rebuilt_at END",
			  10, types, values, NULL, SPI_OK_INSERT);
}

/*
 * Rebuild a tenant's statistics from scratch: its facts, every cell, its
 * series, the connections it has facts of.
 */
static void
rebuild_tenant(Refresh *r, TenantRefresh *t)
{
	MemoryContext cxt = AllocSetContextCreate(r->cxt, "mlsync statistics rebuild",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext batch_cxt = AllocSetContextCreate(cxt, "mlsync statistics batch",
													ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Oid			types[4] = {TIMESTAMPTZOID, TEXTOID, TEXTOID, TEXTARRAYOID};
	Datum		values[4];
	MlsStatsRollup *rollup;
	RowBuffer	facts = {0};
	RowBuffer	cells = {0};
	SeriesRows	series = {0};
	List	   *connections = NIL;
	Portal		portal;
	MlsStatsFactColumns columns;
	bool		have_columns = false;

	values[0] = TimestampTzGetDatum(r->as_of);
	values[1] = CStringGetTextDatum(t->tenant);
	values[2] = values[3] = (Datum) 0;
	exec_args("WITH f AS (DELETE FROM mlsync.mls_stats_facts WHERE tenant_id = $1),"
			  " c AS (DELETE FROM mlsync.mls_stats_cells WHERE tenant_id = $1),"
			  " s AS (DELETE FROM mlsync.mls_stats_series WHERE tenant_id = $1)"
			  " DELETE FROM mlsync.mls_stats_feeds WHERE tenant_id = $1",
			  1, &types[1], &values[1], NULL, SPI_OK_DELETE);

	for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		t->targets.wanted[kind] = palloc(sizeof(bool) * t->targets.nperiods[kind]);
		memset(t->targets.wanted[kind], true, sizeof(bool) * t->targets.nperiods[kind]);
	}
	t->targets.with_base = true;
	rollup = MlsStatsRollupCreate(cxt, &t->targets);

	facts.refresh = r;
	facts.table = "mls_stats_facts";
	facts.row_type = r->facts_type;
	facts.array_type = r->facts_array_type;
	/* the tenant's listings: as_of and the tenant */
	portal = SPI_cursor_open_with_args(NULL,
									   psprintf("SELECT * FROM %s ORDER BY connection",
												r->facts_query),
									   4, types, values, "  nn", false, 0);
	for (;;)
	{
		SPITupleTable *tuptable;
		uint64		n;
		const char *last_connection = NULL;

		SPI_cursor_fetch(portal, true, FACTS_BATCH);
		n = SPI_processed;
		tuptable = SPI_tuptable;
		if (n == 0)
			break;
		MemoryContextReset(batch_cxt);
		MemoryContextSwitchTo(batch_cxt);
		if (!have_columns)
		{
			MlsStatsFactColumnsOf(tuptable->tupdesc, &columns);
			have_columns = true;
		}
		for (uint64 i = 0; i < n; i++)
		{
			HeapTuple	tuple = tuptable->vals[i];
			MlsStatsFact fact;
			bool		isnull;
			char	   *connection;

			MlsStatsReadFact(tuple, tuptable->tupdesc, &columns, r->rangetyp, &fact);
			MlsStatsRollupAdd(rollup, &fact);
			add_row(&facts, facts_row(r, t->tenant, tuple, tuptable->tupdesc, &fact));
			connection = TextDatumGetCString(heap_getattr(tuple, SPI_fnumber(tuptable->tupdesc,
																			 "connection"),
														  tuptable->tupdesc, &isnull));
			if (last_connection == NULL || strcmp(last_connection, connection) != 0)
			{
				if (!list_member(connections, makeString(connection)))
				{
					MemoryContext b = MemoryContextSwitchTo(cxt);

					connections = lappend(connections, makeString(pstrdup(connection)));
					MemoryContextSwitchTo(b);
				}
				last_connection = connection;
			}
		}
		SPI_freetuptable(tuptable);
		flush_rows(&facts);
		r->facts_written += facts.written;
		facts.written = 0;
		MemoryContextSwitchTo(cxt);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);

	write_cells(r, t->tenant, rollup, &cells);

	MlsStatsRollupSeries(rollup, series_row, &series);
	if (series.counts != NIL)
	{
		Oid			stypes[5] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, INT4ARRAYOID};
		Datum		svalues[5];

		svalues[0] = CStringGetTextDatum(t->tenant);
		svalues[1] = list_text_array(series.area_types);
		svalues[2] = list_text_array(series.areas);
		svalues[3] = list_text_array(series.types);
		svalues[4] = list_int_array(series.counts);
		exec_args("INSERT INTO mlsync.mls_stats_series (tenant_id, area_type, area, property_type,"
				  "  listings)"
				  " SELECT $1, a, b, c, d FROM unnest($2, $3, $4, $5) AS u(a, b, c, d)",
				  5, stypes, svalues, NULL, SPI_OK_INSERT);
	}
	if (connections != NIL)
	{
		Oid			ftypes[2] = {TEXTOID, TEXTARRAYOID};
		Datum		fvalues[2];
		List	   *names = NIL;
		ListCell   *lc;

		foreach(lc, connections)
			names = lappend(names, strVal(lfirst(lc)));
		fvalues[0] = CStringGetTextDatum(t->tenant);
		fvalues[1] = list_text_array(names);
		exec_args("INSERT INTO mlsync.mls_stats_feeds (tenant_id, connection)"
				  " SELECT $1, unnest($2)",
				  2, ftypes, fvalues, NULL, SPI_OK_INSERT);
	}
	store_state(r, t);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/*
 * The change of one series of a tenant's refresh.
 */
static SeriesDelta *
series_delta(TenantRefresh *t, int area_type, const char *area, int area_len,
			 const char *ptype, int ptype_len)
{
	char	   *key = psprintf("%d:%d:%.*s%.*s", area_type, area_len, area_len, area,
								   ptype_len, ptype);
	SeriesDelta *d;
	bool		found;

	d = hash_search(t->series_deltas, &key, HASH_ENTER, &found);
	if (!found)
	{
		d->key = key;
		d->area_type = area_type;
		d->area = pnstrdup(area, area_len);
		d->property_type = pnstrdup(ptype, ptype_len);
		d->listings = 0;
		memset(d->base, 0, sizeof(d->base));
	}
	return d;
}

/*
 * Add (sign 1) or take away (sign -1) a fact's part of its series: the
 * listing, and its inventory changes before the window (the bases).
 */
static void
count_fact(TenantRefresh *t, const MlsStatsFact *fact, int sign)
{
	int			area_types[SERIES_PER_LISTING];
	const char *areas[SERIES_PER_LISTING];
	int			area_lens[SERIES_PER_LISTING];
	const char *types[SERIES_PER_LISTING];
	int			type_lens[SERIES_PER_LISTING];
	int			n = MlsStatsFactSeries(fact, area_types, areas, area_lens, types, type_lens);

	for (int i = 0; i < n; i++)
	{
		SeriesDelta *d = series_delta(t, area_types[i], areas[i], area_lens[i], types[i],
									  type_lens[i]);

		d->listings += sign;
		for (int b = 0; b < fact->nbounds; b++)
		{
			DateADT		day = fact->bound_days[b];

			for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
				if (DATE_IS_NOBEGIN(day) || (!DATE_NOT_FINITE(day) && day < t->targets.base[kind]))
					d->base[kind] += sign * fact->bound_deltas[b];
		}
	}
}

/* A listing's facts before and after */
typedef struct FactPair
{
	char	   *key;			/* the hash key */
	MlsStatsFact *before;
	MlsStatsFact *after;
} FactPair;

/*
 * Refresh the marked listings of one connection: their facts computed
 * again and stored, the differences noted in the tenant's refresh.
 */
static void
refresh_group(Refresh *r, TenantRefresh *t, MarkedFeed *g, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Oid			types[4] = {TIMESTAMPTZOID, TEXTOID, TEXTOID, TEXTARRAYOID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', ' '};
	HTAB	   *pairs;
	HASH_SEQ_STATUS scan;
	FactPair   *pair;
	RowBuffer	facts = {0};
	MlsStatsFactColumns columns;
	uint64		n;
	SPITupleTable *tuptable;
	bool		any_after = false;
	char	   *sql;

	values[0] = TimestampTzGetDatum(r->as_of);
	values[1] = CStringGetTextDatum(g->tenant);
	values[2] = CStringGetTextDatum(g->connection);
	if (g->all)
	{
		values[3] = (Datum) 0;
		nulls[3] = 'n';
	}
	else
	{
		char	  **keys = palloc(sizeof(char *) * list_length(g->keys));
		ListCell   *lc;
		int			i = 0;

		foreach(lc, g->keys)
			keys[i++] = lfirst(lc);
		values[3] = text_array(keys, i);
	}

	/*
	 * The stored facts go; the facts now come back beside them ($1 as_of,
	 * $2 tenant, $3 connection, $4 keys or null for all).
	 */
	sql = psprintf("WITH before AS ("
				   "  DELETE FROM mlsync.mls_stats_facts f"
				   "   WHERE f.tenant_id = $2 AND f.connection = $3"
				   "	 AND ($4::text[] IS NULL OR f.listing_key = ANY ($4))"
				   "  RETURNING f.*)"
				   " SELECT true AS before, b.tenant_id, b.connection, b.listing_key, b.city,"
				   "		b.postal_code, b.county, b.subdivision, b.property_type, b.listed_on,"
				   "		b.pending_on, b.closed_on, b.days_on_market, b.close_price, b.list_price,"
				   "		b.original_list_price, b.living_area, b.active"
				   "   FROM before b"
				   " UNION ALL"
				   " SELECT false, a.tenant_id, a.connection, a.listing_key, a.city,"
				   "		a.postal_code, a.county, a.subdivision, a.property_type, a.listed_on,"
				   "		a.pending_on, a.closed_on, a.days_on_market, a.close_price, a.list_price,"
				   "		a.original_list_price, a.living_area, a.active"
				   "   FROM %s", r->facts_query);
	n = exec_args(sql, 4, types, values, nulls, SPI_OK_SELECT);
	tuptable = SPI_tuptable;

	pairs = MlsStatsNameTable("mlsync statistics pairs", Max(n, 16), sizeof(FactPair), cxt);
	if (n > 0)
		MlsStatsFactColumnsOf(tuptable->tupdesc, &columns);

	facts.refresh = r;
	facts.table = "mls_stats_facts";
	facts.row_type = r->facts_type;
	facts.array_type = r->facts_array_type;
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tuple = tuptable->vals[i];
		bool		isnull;
		bool		before = DatumGetBool(heap_getattr(tuple, 1, tuptable->tupdesc, &isnull));
		MlsStatsFact *fact = palloc(sizeof(MlsStatsFact));
		bool		found;

		MlsStatsReadFact(tuple, tuptable->tupdesc, &columns, r->rangetyp, fact);
		pair = hash_search(pairs, &fact->key, HASH_ENTER, &found);
		if (!found)
		{
			pair->key = (char *) fact->key;
			pair->before = pair->after = NULL;
		}
		if (before)
			pair->before = fact;
		else
		{
			pair->after = fact;
			add_row(&facts, facts_row(r, t->tenant, tuple, tuptable->tupdesc, fact));
			any_after = true;
		}
	}

	hash_seq_init(&scan, pairs);
	while ((pair = hash_seq_search(&scan)) != NULL)
	{
		if (pair->before && pair->after && MlsStatsSamePlace(pair->before, pair->after))
		{
			/* the same series: only the bases may change */
			count_fact(t, pair->before, -1);
			count_fact(t, pair->after, 1);
		}
		else
		{
			if (pair->before)
				count_fact(t, pair->before, -1);
			if (pair->after)
				count_fact(t, pair->after, 1);
		}
		MlsStatsTouched(&t->targets, pair->before, pair->after, t->touched);
	}
	flush_rows(&facts);
	r->facts_written += facts.written;

	/*
	 * The connections with facts: a vanished one is found by its row (the
	 * tenant and connection are values 1 and 2).
	 */
	if (any_after)
		exec_args("INSERT INTO mlsync.mls_stats_feeds (tenant_id, connection) VALUES ($1, $2)"
				  " ON CONFLICT DO NOTHING", 2, &types[1], &values[1], NULL, SPI_OK_INSERT);
	else if (g->all)
		exec_args("DELETE FROM mlsync.mls_stats_feeds WHERE tenant_id = $1 AND connection = $2",
				  2, &types[1], &values[1], NULL, SPI_OK_DELETE);
	MemoryContextSwitchTo(old);
}

/*
 * Apply the series changes of a tenant's refresh: listings gained or lost
 * (a series left without listings goes, with its cells) and the bases.
 */
static void
apply_series_deltas(TenantRefresh *t)
{
	HASH_SEQ_STATUS scan;
	SeriesDelta *d;
	List	   *area_types = NIL,
			   *areas = NIL,
			   *ptypes = NIL,
			   *listings = NIL,
			   *months = NIL,
			   *weeks = NIL;
	Oid			types[8] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, INT4ARRAYOID,
	INT4ARRAYOID, INT4ARRAYOID, TEXTARRAYOID};
	Datum		values[8];

	hash_seq_init(&scan, t->series_deltas);
	while ((d = hash_seq_search(&scan)) != NULL)
	{
		if (d->listings == 0 && d->base[PK_MONTH] == 0 && d->base[PK_WEEK] == 0)
			continue;
		area_types = lappend(area_types, (void *) mls_stats_area_type_names[d->area_type]);
		areas = lappend(areas, d->area);
		ptypes = lappend(ptypes, d->property_type);
		listings = lappend_int(listings, (int) d->listings);
		months = lappend_int(months, d->base[PK_MONTH]);
		weeks = lappend_int(weeks, d->base[PK_WEEK]);
	}
	if (listings == NIL)
		return;
	values[0] = CStringGetTextDatum(t->tenant);
	values[1] = list_text_array(area_types);
	values[2] = list_text_array(areas);
	values[3] = list_text_array(ptypes);
	values[4] = list_int_array(listings);
	values[5] = list_int_array(months);
	values[6] = list_int_array(weeks);
	exec_args("WITH d AS (SELECT * FROM unnest($2, $3, $4, $5, $6, $7)"
			  "			  AS u(area_type, area, property_type, listings, months, weeks)),"
			  " s AS ("
			  "  INSERT INTO mlsync.mls_stats_series AS s (tenant_id, area_type, area,"
			  "	property_type, listings)"
			  "  SELECT $1, area_type, area, property_type, listings FROM d WHERE listings <> 0"
			  "  ON CONFLICT (tenant_id, area_type, area, property_type)"
			  "  DO UPDATE SET listings = s.listings + excluded.listings)"
			  " INSERT INTO mlsync.mls_stats_cells AS c (tenant_id, area_type, area, property_type,"
			  "  period, period_start, inventory_delta)"
			  " SELECT $1, d.area_type, d.area, d.property_type, p.period, '-infinity', p.delta"
			  "   FROM d CROSS JOIN LATERAL (VALUES ('month', d.months), ('week', d.weeks))"
			  "		AS p(period, delta)"
			  "  WHERE p.delta <> 0"
			  " ON CONFLICT (tenant_id, area_type, area, property_type, period, period_start)"
			  " DO UPDATE SET inventory_delta = c.inventory_delta + excluded.inventory_delta",
			  7, types, values, NULL, SPI_OK_INSERT);
	/* series without listings go, with their cells; bases that came to zero too */
	exec_args("WITH gone AS (DELETE FROM mlsync.mls_stats_series"
			  "			  WHERE tenant_id = $1 AND listings <= 0"
			  "			  RETURNING area_type, area, property_type)"
			  " DELETE FROM mlsync.mls_stats_cells c USING gone g"
			  "  WHERE c.tenant_id = $1 AND c.area_type = g.area_type AND c.area = g.area"
			  "	AND c.property_type = g.property_type",
			  1, types, values, NULL, SPI_OK_DELETE);
	exec_args("DELETE FROM mlsync.mls_stats_cells WHERE tenant_id = $1"
			  " AND period_start = '-infinity' AND inventory_delta = 0",
			  1, types, values, NULL, SPI_OK_DELETE);
}

/*
 * The window moved (a new month or week): the cells that left it join the
 * base of their series.
 */
static void
fold_left_window(TenantRefresh *t)
{
	for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		Oid			types[3] = {TEXTOID, TEXTOID, DATEOID};
		Datum		values[3];

		if (t->targets.base[kind] <= t->old_base[kind])
			continue;
		values[0] = CStringGetTextDatum(t->tenant);
		values[1] = CStringGetTextDatum(mls_stats_period_names[kind]);
		values[2] = DateADTGetDatum(t->targets.base[kind]);
		exec_args("WITH gone AS ("
				  "  DELETE FROM mlsync.mls_stats_cells"
				  "   WHERE tenant_id = $1 AND period = $2 AND period_start < $3"
				  "	 AND period_start <> '-infinity'"
				  "  RETURNING area_type, area, property_type, inventory_delta)"
				  " INSERT INTO mlsync.mls_stats_cells AS c (tenant_id, area_type, area,"
				  "  property_type, period, period_start, inventory_delta)"
				  " SELECT $1, area_type, area, property_type, $2, '-infinity', sum(inventory_delta)"
				  "   FROM gone GROUP BY area_type, area, property_type"
				  "  HAVING sum(inventory_delta) <> 0"
				  " ON CONFLICT (tenant_id, area_type, area, property_type, period, period_start)"
				  " DO UPDATE SET inventory_delta = c.inventory_delta + excluded.inventory_delta",
				  3, types, values, NULL, SPI_OK_INSERT);
	}
}

/*
 * Recompute the touched periods' cells of a tenant from the stored facts
 * that contribute to them.
 */
static void
recompute_touched(Refresh *r, TenantRefresh *t, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	List	   *days = NIL;
	List	   *starts[NUM_PERIOD_KINDS] = {NIL, NIL};
	bool		any = false;
	Datum	   *day_datums;
	int			ndays = 0;
	ListCell   *lc;
	Oid			types[3] = {TEXTOID, DATEARRAYOID, TEXTOID};
	Datum		values[3];
	Portal		portal;
	MlsStatsRollup *rollup;
	MlsStatsFactColumns columns;
	bool		have_columns = false;
	RowBuffer	cells = {0};
	MemoryContext batch_cxt = AllocSetContextCreate(cxt, "mlsync statistics batch",
													ALLOCSET_DEFAULT_SIZES);

	for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		DateADT		start = t->targets.base[kind];

		for (int i = 0; i < t->targets.nperiods[kind]; i++, start = period_next(kind, start))
		{
			if (!t->touched[kind][i])
				continue;
			any = true;
			starts[kind] = lappend_int(starts[kind], start);
			for (DateADT day = start; day < period_next(kind, start); day++)
				days = lappend_int(days, day);
		}
	}
	if (!any)
	{
		MemoryContextSwitchTo(old);
		return;
	}

	/* the cells of the touched periods go */
	values[0] = CStringGetTextDatum(t->tenant);
	for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		Datum	   *d = palloc(sizeof(Datum) * Max(list_length(starts[kind]), 1));
		int			i = 0;

		if (starts[kind] == NIL)
			continue;
		foreach(lc, starts[kind])
			d[i++] = DateADTGetDatum(lfirst_int(lc));
		values[1] = PointerGetDatum(construct_array(d, i, DATEOID, 4, true, TYPALIGN_INT));
		values[2] = CStringGetTextDatum(mls_stats_period_names[kind]);
		exec_args("DELETE FROM mlsync.mls_stats_cells"
				  " WHERE tenant_id = $1 AND period = $3 AND period_start = ANY ($2)",
				  3, types, values, NULL, SPI_OK_DELETE);
	}

	/* the facts of those periods, rolled up into them */
	day_datums = palloc(sizeof(Datum) * list_length(days));
	foreach(lc, days)
		day_datums[ndays++] = DateADTGetDatum(lfirst_int(lc));
	values[1] = PointerGetDatum(construct_array(day_datums, ndays, DATEOID, 4, true, TYPALIGN_INT));
	t->targets.wanted[PK_MONTH] = t->touched[PK_MONTH];
	t->targets.wanted[PK_WEEK] = t->touched[PK_WEEK];
	t->targets.with_base = false;
	rollup = MlsStatsRollupCreate(cxt, &t->targets);
	portal = SPI_cursor_open_with_args(NULL,
									   "SELECT * FROM mlsync.mls_stats_facts"
									   " WHERE tenant_id = $1 AND days && $2",
									   2, types, values, NULL, false, 0);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, FACTS_BATCH);
		if (SPI_processed == 0)
			break;
		MemoryContextReset(batch_cxt);
		MemoryContextSwitchTo(batch_cxt);
		if (!have_columns)
		{
			MlsStatsFactColumnsOf(SPI_tuptable->tupdesc, &columns);
			have_columns = true;
		}
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			MlsStatsFact fact;

			MlsStatsReadFact(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &columns,
							 r->rangetyp, &fact);
			MlsStatsRollupAdd(rollup, &fact);
		}
		SPI_freetuptable(SPI_tuptable);
		MemoryContextSwitchTo(cxt);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);

	write_cells(r, t->tenant, rollup, &cells);
	MemoryContextSwitchTo(old);
}

/*
 * Refresh a tenant incrementally: the window moved, the marked listings,
 * the periods "as of" passed through, the touched cells.
 */
static void
refresh_tenant(Refresh *r, TenantRefresh *t)
{
	MemoryContext cxt = AllocSetContextCreate(r->cxt, "mlsync statistics tenant",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	HASH_SEQ_STATUS scan;
	MarkedFeed	   *g;

	for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
		t->touched[kind] = palloc0(sizeof(bool) * t->targets.nperiods[kind]);

	fold_left_window(t);

	hash_seq_init(&scan, r->groups);
	while ((g = hash_seq_search(&scan)) != NULL)
	{
		MemoryContext group_cxt;

		if (strcmp(g->tenant, t->tenant) != 0)
			continue;
		group_cxt = AllocSetContextCreate(cxt, "mlsync statistics group", ALLOCSET_DEFAULT_SIZES);
		MemoryContextSwitchTo(group_cxt);
		t->series_deltas = MlsStatsNameTable("mlsync statistics series changes", 256,
											  sizeof(SeriesDelta), group_cxt);
		refresh_group(r, t, g, group_cxt);
		apply_series_deltas(t);
		MemoryContextSwitchTo(cxt);
		MemoryContextDelete(group_cxt);
		CHECK_FOR_INTERRUPTS();
	}

	/* the days "as of" moved through: their inventory changes now count */
	for (DateADT day = t->old_as_of_day + 1; day <= t->targets.as_of_day; day++)
	{
		for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
		{
			int			index = period_index_from(kind, t->targets.base[kind], day);

			if (index >= 0 && index < t->targets.nperiods[kind])
				t->touched[kind][index] = true;
		}
	}

	recompute_touched(r, t, cxt);
	store_state(r, t);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/*
 * Take the marks of the listings changed since the last refresh (they go
 * with this transaction), the listings of other connections that share a
 * property with them (with count_per = property, a cross-listing counts
 * through one of its listings, chosen among all of them), and the
 * connections whose facts remain though the connection is gone; each
 * listing once, grouped by connection.  Marks committed after this
 * statement began stay for the next refresh; writers never wait for the
 * ones taken here (no unique key).
 *
 * A listing written twice has two marks, and a load of a whole feed marks
 * its connection with each batch: the marks are made distinct before they
 * are joined, and a listing's mark and a connection's are joined apart, the
 * first by key: "key = mark or mark is null" would join every mark with
 * every match of its connection.
 */
static void
take_marks(Refresh *r)
{
	uint64		n;

	r->groups = MlsStatsNameTable("mlsync statistics marks", 64, sizeof(MarkedFeed), r->cxt);

	n = exec_args("WITH taken AS (DELETE FROM mlsync.mls_stats_dirty"
				  "			   RETURNING tenant_id, connection, listing_key),"
				  " marks AS MATERIALIZED (SELECT DISTINCT tenant_id, connection, listing_key"
				  "						  FROM taken),"
				  " whole AS MATERIALIZED (SELECT tenant_id, connection FROM marks"
				  "						  WHERE listing_key IS NULL)"
				  " SELECT tenant_id, connection, listing_key FROM marks"
				  " UNION"
				  " SELECT y.tenant_id, y.connection, y.listing_key FROM marks m"
				  "   JOIN mlsync.mls_listing_matches x ON x.tenant_id = m.tenant_id"
				  "	AND x.connection = m.connection AND x.listing_key = m.listing_key"
				  "   JOIN mlsync.mls_listing_matches y ON y.tenant_id = x.tenant_id"
				  "	AND y.property_id = x.property_id AND y.connection <> x.connection"
				  " UNION"
				  " SELECT y.tenant_id, y.connection, y.listing_key FROM whole w"
				  "   JOIN mlsync.mls_listing_matches x ON x.tenant_id = w.tenant_id"
				  "	AND x.connection = w.connection"
				  "   JOIN mlsync.mls_listing_matches y ON y.tenant_id = x.tenant_id"
				  "	AND y.property_id = x.property_id AND y.connection <> x.connection"
				  " UNION"
				  " SELECT f.tenant_id, f.connection, NULL FROM mlsync.mls_stats_feeds f"
				  "  WHERE NOT EXISTS (SELECT 1 FROM mlsync.mls_connections c"
				  "					 WHERE c.tenant_id = f.tenant_id"
				  "					   AND c.connection = f.connection)",
				  0, NULL, NULL, NULL, SPI_OK_SELECT);
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *tenant = SPI_getvalue(tuple, desc, 1);
		char	   *connection = SPI_getvalue(tuple, desc, 2);
		char	   *key = SPI_getvalue(tuple, desc, 3);
		char	   *name = MemoryContextStrdup(r->cxt, psprintf("%s/%s", tenant, connection));
		MarkedFeed	   *g;
		bool		found;
		MemoryContext old;

		g = hash_search(r->groups, &name, HASH_ENTER, &found);
		old = MemoryContextSwitchTo(r->cxt);
		if (!found)
		{
			g->name = name;
			g->tenant = pstrdup(tenant);
			g->connection = pstrdup(connection);
			g->all = false;
			g->keys = NIL;
		}
		if (key == NULL)
			g->all = true;
		else if (!g->all)
			g->keys = lappend(g->keys, pstrdup(key));
		MemoryContextSwitchTo(old);
	}
}

/*
 * The row type of a table of the extension, its array type and descriptor.
 */
static void
table_type(const char *table, Oid *type, Oid *array_type, TupleDesc *desc)
{
	Oid			relid = RangeVarGetRelid(makeRangeVar("mlsync", (char *) table, -1), NoLock, false);

	*type = get_rel_type_id(relid);
	*array_type = get_array_type(*type);
	*desc = lookup_rowtype_tupdesc_copy(*type, -1);
}

/*
 * mls_stats_refresh(full boolean, as_of timestamptz) returns bigint
 *
 * Refresh the statistics of every tenant, incrementally where it can, in
 * full where it must (or everywhere when full), as of a moment (NULL: now;
 * tests walk it forward: it must not lie before history already recorded);
 * returns the rows market_stats then has.
 */
Datum
mls_stats_refresh(PG_FUNCTION_ARGS)
{
	bool		full = !PG_ARGISNULL(0) && PG_GETARG_BOOL(0);
	Refresh		r;
	List	   *tenants = NIL;
	ListCell   *lc;
	uint64		n;
	int64		rows;
	bool		isnull;
	Oid			types[1] = {TIMESTAMPTZOID};
	Datum		values[1];

	memset(&r, 0, sizeof(r));
	r.cxt = AllocSetContextCreate(CurrentMemoryContext, "mlsync statistics refresh",
								  ALLOCSET_DEFAULT_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	(void) MlsLockTake(MLS_LOCK_STATS_REFRESH, NULL, NULL, false, true);
	table_type("mls_stats_facts", &r.facts_type, &r.facts_array_type, &r.facts_desc);
	table_type("mls_stats_cells", &r.cells_type, &r.cells_array_type, &r.cells_desc);
	if (r.facts_desc->natts != FT_NUM_COLUMNS || r.cells_desc->natts != CT_NUM_COLUMNS)
		elog(ERROR, "mls_stats_facts or mls_stats_cells does not have the columns expected");
	r.rangetyp = lookup_type_cache(DATERANGEOID, TYPECACHE_RANGE_INFO);
	r.facts_query = MemoryContextStrdup(r.cxt, MlsStatsFactsQuery("a"));

	/* first the marks, then the moment: what they mark is visible by then */
	take_marks(&r);
	r.as_of = PG_ARGISNULL(1) ? GetCurrentTimestamp() : PG_GETARG_TIMESTAMPTZ(1);

	values[0] = TimestampTzGetDatum(r.as_of);
	n = exec_args("SELECT t.tenant_id, coalesce(s.time_zone, 'UTC') AS time_zone,"
				  "  coalesce(s.months_of_supply_basis, 'closed') AS basis,"
				  "  pg_catalog.timezone(coalesce(s.time_zone, 'UTC'), $1)::date AS as_of_day,"
				  "  st.as_of_day AS old_as_of_day, st.month_base, st.week_base,"
				  "  st.tenant_id IS NULL"
				  "   OR st.time_zone IS DISTINCT FROM coalesce(s.time_zone, 'UTC')"
				  "   OR st.months_of_supply_basis IS DISTINCT FROM coalesce(s.months_of_supply_basis, 'closed')"
				  "   OR st.count_per IS DISTINCT FROM coalesce(s.count_per, 'property')"
				  "   OR st.definitions_version IS DISTINCT FROM " CppAsString2(STATS_DEFINITIONS_VERSION)
				  "	AS rebuild, coalesce(s.count_per, 'property') AS count_per"
				  " FROM mlsync.mls_tenants t"
				  " LEFT JOIN mlsync.mls_stats_settings s ON s.tenant_id = t.tenant_id"
				  " LEFT JOIN mlsync.mls_stats_state st ON st.tenant_id = t.tenant_id"
				  " ORDER BY t.tenant_id",
				  1, types, values, NULL, SPI_OK_SELECT);
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext old = MemoryContextSwitchTo(r.cxt);
		TenantRefresh *t = palloc0(sizeof(TenantRefresh));

		t->tenant = SPI_getvalue(tuple, desc, 1);
		t->time_zone = SPI_getvalue(tuple, desc, 2);
		t->basis = SPI_getvalue(tuple, desc, 3);
		t->count_per = SPI_getvalue(tuple, desc, 9);
		t->targets.as_of_day = DatumGetDateADT(SPI_getbinval(tuple, desc, 4, &isnull));
		stats_window(t->targets.as_of_day, t->targets.base, t->targets.nperiods);
		t->full = full || DatumGetBool(SPI_getbinval(tuple, desc, 8, &isnull));
		if (!t->full)
		{
			t->old_as_of_day = DatumGetDateADT(SPI_getbinval(tuple, desc, 5, &isnull));
			t->old_base[PK_MONTH] = DatumGetDateADT(SPI_getbinval(tuple, desc, 6, &isnull));
			t->old_base[PK_WEEK] = DatumGetDateADT(SPI_getbinval(tuple, desc, 7, &isnull));
			/* a clock that went back: start again */
			if (t->targets.as_of_day < t->old_as_of_day ||
				t->targets.base[PK_MONTH] < t->old_base[PK_MONTH] ||
				t->targets.base[PK_WEEK] < t->old_base[PK_WEEK])
				t->full = true;
		}
		tenants = lappend(tenants, t);
		MemoryContextSwitchTo(old);
	}

	foreach(lc, tenants)
	{
		TenantRefresh *t = lfirst(lc);

		if (t->full)
			rebuild_tenant(&r, t);
		else
			refresh_tenant(&r, t);
		CHECK_FOR_INTERRUPTS();
	}

	/* the rows market_stats shows: every series, every period of its window */
	exec_args("SELECT coalesce(sum(s.series * (" CppAsString2(STATS_MONTHS_BACK) " + 1"
			  "   + ((st.as_of_day - (extract(isodow FROM st.as_of_day)::int - 1)) - st.week_base) / 7)),"
			  "  0)::bigint"
			  " FROM (SELECT tenant_id, count(*) AS series FROM mlsync.mls_stats_series"
			  "		GROUP BY tenant_id) s"
			  " JOIN mlsync.mls_stats_state st USING (tenant_id)",
			  0, NULL, NULL, NULL, SPI_OK_SELECT);
	rows = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	MemoryContextDelete(r.cxt);
	PG_RETURN_INT64(rows);
}

/*
 * Mark listings of a connection changed; see refresh.h.
 */
void
MlsStatsMarkChanged(const char *tenant, const char *connection, char **keys, int n)
{
	Oid			types[3] = {TEXTOID, TEXTOID, TEXTARRAYOID};
	Datum		values[3];

	if (n == 0)
		return;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	values[0] = CStringGetTextDatum(tenant);
	values[1] = CStringGetTextDatum(connection);
	values[2] = text_array(keys, n);
	exec_args("INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)"
			  " SELECT $1, $2, unnest($3)",
			  3, types, values, NULL, SPI_OK_INSERT);
	SPI_finish();
}

/*
 * Mark every listing of a connection changed; see refresh.h.
 */
void
MlsStatsMarkConnection(const char *tenant, const char *connection)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		values[2];

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	values[0] = CStringGetTextDatum(tenant);
	values[1] = CStringGetTextDatum(connection);
	exec_args("INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)"
			  " VALUES ($1, $2, NULL)",
			  2, types, values, NULL, SPI_OK_INSERT);
	SPI_finish();
}
