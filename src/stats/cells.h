/*-------------------------------------------------------------------------
 *
 * cells.h
 *	  The cells of the statistics: what each series gathers in one period
 *	  (a month or an ISO week), local to that period, as mls_stats_cells
 *	  keeps them.  The running and derived figures of market_stats
 *	  (inventory, changes, months of supply) are computed from cells when
 *	  they are read.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_STATS_CELLS_H
#define MLSYNC_STATS_CELLS_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/typcache.h"

#include "stats/periods.h"

/* Place columns of a fact, in order: city, postal code, county, subdivision, type */
#define NUM_PLACE_COLUMNS 5
#define PLACE_PROPERTY_TYPE 4

/*
 * One listing's facts (a row of mls_stats_listing_facts or of
 * mls_stats_facts), read from a tuple.  Texts point into the tuple's
 * (detoasted) values; a NULL or empty place value is NULL.
 */
typedef struct MlsStatsFact
{
	const char *key;			/* listing_key, NUL-terminated */
	const char *place[NUM_PLACE_COLUMNS];
	int			place_len[NUM_PLACE_COLUMNS];
	bool		has_listed,
				has_pending,
				has_closed;
	DateADT		listed_on,
				pending_on,
				closed_on;
	bool		has_dom;
	int			dom;
	double		close_price;	/* NaN when NULL */
	double		list_price;
	double		original_list_price;
	double		living_area;
	int			nbounds;		/* the active ranges: +1 where one starts, -1 where it ends */
	DateADT    *bound_days;		/* DATEVAL_NOBEGIN: from the beginning of time */
	int32	   *bound_deltas;
} MlsStatsFact;

/* Where a fact's columns are in a tuple (1-based attribute numbers; 0: absent) */
typedef struct MlsStatsFactColumns
{
	int			key;
	int			place[NUM_PLACE_COLUMNS];
	int			listed_on,
				pending_on,
				closed_on,
				days_on_market;
	int			close_price,
				list_price,
				original_list_price,
				living_area;
	int			active;
} MlsStatsFactColumns;

/*
 * The periods a rollup computes for one tenant: those of each kind from
 * base[kind] (period 0, the one before the window) to the period that
 * contains as_of_day, all of them or a chosen few; and optionally the base
 * (the inventory deltas of every day before base[kind]).
 */
typedef struct MlsStatsTargets
{
	DateADT		as_of_day;
	DateADT		base[NUM_PERIOD_KINDS];
	int			nperiods[NUM_PERIOD_KINDS];
	bool	   *wanted[NUM_PERIOD_KINDS];	/* per period index */
	bool		with_base;
} MlsStatsTargets;

typedef struct MlsStatsRollup MlsStatsRollup;

/* A cell ready to be stored: what mls_stats_cells holds */
typedef struct MlsStatsCell
{
	int			area_type;
	const char *area;
	const char *property_type;
	int			kind;
	bool		is_base;		/* period_start -infinity */
	DateADT		period_start;
	int32		inventory_delta;
	int32		new_listings;
	int32		pending_sales;
	int32		closed_sales;
	int32		price_count;
	double		price_sum;
	bool		has_median_price;
	double		median_price;
	int32		list_ratio_n;
	double		list_ratio_sum;
	int32		original_ratio_n;
	double		original_ratio_sum;
	bool		has_median_dom;
	double		median_dom;
	bool		has_median_ppsf;
	double		median_ppsf;
} MlsStatsCell;

extern char *MlsStatsFactsQuery(const char *alias);
extern void MlsStatsFactColumnsOf(TupleDesc desc, MlsStatsFactColumns *columns);
extern void MlsStatsReadFact(HeapTuple tuple, TupleDesc desc, const MlsStatsFactColumns *columns,
							 TypeCacheEntry *rangetyp, MlsStatsFact *fact);
extern int	MlsStatsFactDays(const MlsStatsFact *fact, DateADT *days);
extern bool MlsStatsSamePlace(const MlsStatsFact *a, const MlsStatsFact *b);
extern int	MlsStatsFactSeries(const MlsStatsFact *fact, int area_types[SERIES_PER_LISTING],
							   const char *areas[SERIES_PER_LISTING],
							   int area_lens[SERIES_PER_LISTING],
							   const char *types[SERIES_PER_LISTING],
							   int type_lens[SERIES_PER_LISTING]);
extern void MlsStatsTouched(const MlsStatsTargets *targets, const MlsStatsFact *before,
							const MlsStatsFact *after, bool *touched[NUM_PERIOD_KINDS]);

extern MlsStatsRollup *MlsStatsRollupCreate(MemoryContext cxt, const MlsStatsTargets *targets);
extern void MlsStatsRollupAdd(MlsStatsRollup *rollup, const MlsStatsFact *fact);
extern void MlsStatsRollupEmit(MlsStatsRollup *rollup,
							   void (*emit) (const MlsStatsCell *cell, void *arg), void *arg);
extern void MlsStatsRollupSeries(MlsStatsRollup *rollup,
								 void (*emit) (int area_type, const char *area,
											   const char *property_type, int64 listings,
											   void *arg),
								 void *arg);

#endif							/* MLSYNC_STATS_CELLS_H */
