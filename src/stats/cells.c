/*-------------------------------------------------------------------------
 *
 * cells.c
 *	  Rolling listing facts up into cells (see cells.h): the rollup of the
 *	  incremental refresh (refresh.c), for all periods of a tenant or for
 *	  the few a change touched, and what tells which periods a change
 *	  touches.
 *
 * A cell is local to its period: the inventory *change* of the period (+1
 * for each active range that starts in it, -1 for each that ends in it,
 * days after "as of" left out), the listings listed, gone pending and
 * closed in it, the sums and medians of its closed sales.  So a change of
 * a listing touches only the periods of the dates that changed, and the
 * running inventory is summed when market_stats is read.  The base of a
 * series (period_start -infinity) holds the inventory changes of every day
 * before period 0; it is kept by adding differences, never recomputed.
 *
 * The definitions are those of the full computation (stats.c,
 * docs/statistics.md): the test 66_stats_incremental compares the two.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"

#include "stats/cells.h"

const char *const mls_stats_area_type_names[NUM_AREA_TYPES] =
{"all", "city", "postal_code", "county", "subdivision"};
const char *const mls_stats_period_names[NUM_PERIOD_KINDS] = {"month", "week"};

/* What one series gathers in one period */
typedef struct CellAcc
{
	int32		inventory_delta;
	int32		new_listings;
	int32		pending_sales;
	int32		closed_sales;
	int32		list_ratio_n;
	int32		original_ratio_n;
	double		price_sum;
	double		list_ratio_sum;
	double		original_ratio_sum;
	ValueList	prices;
	ValueList	ppsf;
	ValueList	dom;
	bool		used;			/* something was added */
} CellAcc;

/* A series or place key: its bytes (area type, area, property type) */
typedef MlsStatsKey SeriesKey;

typedef struct Series
{
	SeriesKey	key;			/* must be first: the hash key */
	int			area_type;
	char	   *area;
	char	   *property_type;
	CellAcc    *cells[NUM_PERIOD_KINDS];	/* one per wanted period */
	CellAcc		base[NUM_PERIOD_KINDS];
	int64		listings;		/* facts added */
} Series;

/* The series of one combination of areas and property type */
typedef struct Place
{
	SeriesKey	key;			/* must be first: the hash key */
	Series	   *series[SERIES_PER_LISTING];
	int			nseries;
} Place;

struct MlsStatsRollup
{
	MemoryContext cxt;
	MlsStatsTargets targets;
	int		   *slot[NUM_PERIOD_KINDS];	/* period index -> cell, or -1 */
	int			nslots[NUM_PERIOD_KINDS];
	HTAB	   *series;
	HTAB	   *places;
	StringInfoData keybuf;
};

/*
 * Hash of a statistics key: its bytes.
 */
static uint32
stats_key_hash(const void *key, Size keysize)
{
	const MlsStatsKey *k = (const MlsStatsKey *) key;

	return hash_bytes((const unsigned char *) k->data, (int) k->len);
}

/*
 * Equality of statistics keys (0 when equal, as dynahash wants).
 */
static int
stats_key_match(const void *key1, const void *key2, Size keysize)
{
	const MlsStatsKey *a = (const MlsStatsKey *) key1;
	const MlsStatsKey *b = (const MlsStatsKey *) key2;

	if (a->len != b->len)
		return 1;
	return memcmp(a->data, b->data, a->len);
}

/*
 * Hash of a key that points to a NUL-terminated name (a tenant's, say).
 */
static uint32
name_key_hash(const void *key, Size keysize)
{
	const char *name = *(char *const *) key;

	return hash_bytes((const unsigned char *) name, (int) strlen(name));
}

/*
 * Equality of such names.
 */
static int
name_key_match(const void *key1, const void *key2, Size keysize)
{
	return strcmp(*(char *const *) key1, *(char *const *) key2);
}

/*
 * A hash table in cxt keyed by an MlsStatsKey (entries begin with it).
 */
HTAB *
MlsStatsKeyTable(const char *name, long size, Size entrysize, MemoryContext cxt)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(MlsStatsKey);
	ctl.entrysize = entrysize;
	ctl.hash = stats_key_hash;
	ctl.match = stats_key_match;
	ctl.hcxt = cxt;
	return hash_create(name, size, &ctl, HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/*
 * A hash table in cxt keyed by a NUL-terminated string of any length: the
 * key is a pointer to it (entries begin with it).
 */
HTAB *
MlsStatsNameTable(const char *name, long size, Size entrysize, MemoryContext cxt)
{
	HASHCTL		ctl;

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(char *);
	ctl.entrysize = entrysize;
	ctl.hash = name_key_hash;
	ctl.match = name_key_match;
	ctl.hcxt = cxt;
	return hash_create(name, size, &ctl, HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/*
 * The statement of mls_stats_listing_facts: its body, a subquery to select
 * from as alias, with the function's column names and with as_of,
 * only_tenant, only_connection and only_keys as $1-$4 (inside SPI; in the
 * current memory context).  The statistics run the body rather than call
 * the function so that a distributed PostgreSQL plans one query over the
 * tables: a SQL function inlined into a statement with parameters is not
 * planned by it.  The install script keeps the only definition.
 *
 * An installation of 0.1.0 whose library is already the new one (before
 * its ALTER EXTENSION UPDATE) has only the function of one argument, whose
 * body names it: it is called instead, and $2-$4 must then be null (only
 * mls_stats_compute, which 0.1.0 has, runs then).
 */
char *
MlsStatsFactsQuery(const char *alias)
{
	bool		isnull;
	Datum		body;
	Datum		columns;

	if (SPI_execute("SELECT p.prosrc,"
					"  (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.name), ', ' ORDER BY a.i)"
					"	 FROM unnest(p.proargnames, p.proargmodes) WITH ORDINALITY a(name, mode, i)"
					"	WHERE a.mode = 't')"
					" FROM pg_catalog.pg_proc p"
					" WHERE p.oid = pg_catalog.to_regprocedure("
					"  'mlsync.mls_stats_listing_facts(timestamptz, text, text, text[])')",
					true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the definition of mlsync.mls_stats_listing_facts");
	if (SPI_processed == 0)
		return psprintf("mlsync.mls_stats_listing_facts($1) %s", alias);
	body = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "mlsync.mls_stats_listing_facts has no body");
	columns = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
	if (isnull)
		elog(ERROR, "mlsync.mls_stats_listing_facts has no columns");
	return psprintf("(%s) %s(%s)", TextDatumGetCString(body), alias,
					TextDatumGetCString(columns));
}

/*
 * Where the columns of a fact are in a tuple descriptor (by name: the
 * facts function and the facts table differ).
 */
void
MlsStatsFactColumnsOf(TupleDesc desc, MlsStatsFactColumns *c)
{
	static const char *const places[NUM_PLACE_COLUMNS] =
	{"city", "postal_code", "county", "subdivision", "property_type"};

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < desc->natts; i++)
	{
		const char *name = NameStr(TupleDescAttr(desc, i)->attname);

		if (strcmp(name, "listing_key") == 0)
			c->key = i + 1;
		else if (strcmp(name, "listed_on") == 0)
			c->listed_on = i + 1;
		else if (strcmp(name, "pending_on") == 0)
			c->pending_on = i + 1;
		else if (strcmp(name, "closed_on") == 0)
			c->closed_on = i + 1;
		else if (strcmp(name, "days_on_market") == 0)
			c->days_on_market = i + 1;
		else if (strcmp(name, "close_price") == 0)
			c->close_price = i + 1;
		else if (strcmp(name, "list_price") == 0)
			c->list_price = i + 1;
		else if (strcmp(name, "original_list_price") == 0)
			c->original_list_price = i + 1;
		else if (strcmp(name, "living_area") == 0)
			c->living_area = i + 1;
		else if (strcmp(name, "active") == 0)
			c->active = i + 1;
		for (int p = 0; p < NUM_PLACE_COLUMNS; p++)
			if (strcmp(name, places[p]) == 0)
				c->place[p] = i + 1;
	}
	if (c->key == 0 || c->listed_on == 0 || c->closed_on == 0 || c->active == 0 ||
		c->place[PLACE_PROPERTY_TYPE] == 0)
		elog(ERROR, "a statistics fact lacks a column");
}

/*
 * A date column; false when NULL or infinite.
 */
static bool
read_date(HeapTuple tuple, TupleDesc desc, int attnum, DateADT *day)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, attnum, desc, &isnull);

	if (isnull)
		return false;
	*day = DatumGetDateADT(d);
	return !DATE_NOT_FINITE(*day);
}

/*
 * A float8 column; NaN when NULL (comparisons with NaN are false, so a
 * missing price or area never passes a "> 0" test).
 */
static double
read_double(HeapTuple tuple, TupleDesc desc, int attnum)
{
	bool		isnull;
	Datum		d = heap_getattr(tuple, attnum, desc, &isnull);

	return isnull ? NAN : DatumGetFloat8(d);
}

/*
 * Read a fact from a tuple, in the current memory context.
 */
void
MlsStatsReadFact(HeapTuple tuple, TupleDesc desc, const MlsStatsFactColumns *c,
				 TypeCacheEntry *rangetyp, MlsStatsFact *fact)
{
	bool		isnull;
	Datum		d;

	memset(fact, 0, sizeof(*fact));
	fact->key = TextDatumGetCString(heap_getattr(tuple, c->key, desc, &isnull));
	for (int p = 0; p < NUM_PLACE_COLUMNS; p++)
	{
		d = heap_getattr(tuple, c->place[p], desc, &isnull);
		if (!isnull)
		{
			text	   *t = DatumGetTextPP(d);

			if (VARSIZE_ANY_EXHDR(t) > 0)
			{
				fact->place[p] = VARDATA_ANY(t);
				fact->place_len[p] = VARSIZE_ANY_EXHDR(t);
			}
		}
	}
	fact->has_listed = read_date(tuple, desc, c->listed_on, &fact->listed_on);
	fact->has_pending = read_date(tuple, desc, c->pending_on, &fact->pending_on);
	fact->has_closed = read_date(tuple, desc, c->closed_on, &fact->closed_on);
	d = heap_getattr(tuple, c->days_on_market, desc, &isnull);
	fact->has_dom = !isnull && DatumGetInt32(d) >= 0;
	fact->dom = fact->has_dom ? DatumGetInt32(d) : 0;
	fact->close_price = read_double(tuple, desc, c->close_price);
	fact->list_price = read_double(tuple, desc, c->list_price);
	fact->original_list_price = read_double(tuple, desc, c->original_list_price);
	fact->living_area = read_double(tuple, desc, c->living_area);

	d = heap_getattr(tuple, c->active, desc, &isnull);
	if (!isnull)
	{
		MultirangeType *mr = DatumGetMultirangeTypeP(d);
		int32		nranges;
		RangeType **ranges;

		multirange_deserialize(rangetyp, mr, &nranges, &ranges);
		fact->bound_days = palloc(sizeof(DateADT) * 2 * Max(nranges, 1));
		fact->bound_deltas = palloc(sizeof(int32) * 2 * Max(nranges, 1));
		for (int i = 0; i < nranges; i++)
		{
			RangeBound lower,
						upper;
			bool		empty;

			range_deserialize(rangetyp, ranges[i], &lower, &upper, &empty);
			if (empty)
				continue;
			fact->bound_days[fact->nbounds] = lower.infinite ? DATEVAL_NOBEGIN :
				DatumGetDateADT(lower.val);
			fact->bound_deltas[fact->nbounds++] = 1;
			if (!upper.infinite)
			{
				fact->bound_days[fact->nbounds] = DatumGetDateADT(upper.val);
				fact->bound_deltas[fact->nbounds++] = -1;
			}
		}
	}
}

/*
 * qsort comparator of dates.
 */
static int
compare_dates(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return (x > y) - (x < y);
}

/*
 * The finite days a fact contributes on (listed, pending, closed, the ends
 * of its active ranges), sorted and distinct, into days (room for 3 +
 * nbounds); returns how many.  A period the fact contributes to contains
 * one of them: that is how the facts of a period are found (the GIN index
 * of mls_stats_facts.days).
 */
int
MlsStatsFactDays(const MlsStatsFact *fact, DateADT *days)
{
	int			n = 0,
				m = 0;

	if (fact->has_listed)
		days[n++] = fact->listed_on;
	if (fact->has_pending)
		days[n++] = fact->pending_on;
	if (fact->has_closed)
		days[n++] = fact->closed_on;
	for (int i = 0; i < fact->nbounds; i++)
		if (!DATE_NOT_FINITE(fact->bound_days[i]))
			days[n++] = fact->bound_days[i];
	qsort(days, n, sizeof(DateADT), compare_dates);
	for (int i = 0; i < n; i++)
		if (m == 0 || days[m - 1] != days[i])
			days[m++] = days[i];
	return m;
}

/*
 * Whether two facts have the same areas and property type.
 */
bool
MlsStatsSamePlace(const MlsStatsFact *a, const MlsStatsFact *b)
{
	for (int p = 0; p < NUM_PLACE_COLUMNS; p++)
	{
		if ((a->place[p] == NULL) != (b->place[p] == NULL))
			return false;
		if (a->place[p] &&
			(a->place_len[p] != b->place_len[p] ||
			 memcmp(a->place[p], b->place[p], a->place_len[p]) != 0))
			return false;
	}
	return true;
}

/*
 * The series a fact belongs to: each area type with "all" and with its
 * property type; a missing area or type counts in "all" only.  Returns how
 * many (at most SERIES_PER_LISTING).
 */
int
MlsStatsFactSeries(const MlsStatsFact *fact, int area_types[SERIES_PER_LISTING],
				   const char *areas[SERIES_PER_LISTING], int area_lens[SERIES_PER_LISTING],
				   const char *types[SERIES_PER_LISTING], int type_lens[SERIES_PER_LISTING])
{
	int			n = 0;
	const char *ptype = fact->place[PLACE_PROPERTY_TYPE];

	for (int area_type = 0; area_type < NUM_AREA_TYPES; area_type++)
	{
		const char *area = "all";
		int			area_len = 3;

		if (area_type > 0)
		{
			area = fact->place[area_type - 1];
			area_len = fact->place_len[area_type - 1];
			if (area == NULL)
				continue;
		}
		area_types[n] = area_type;
		areas[n] = area;
		area_lens[n] = area_len;
		types[n] = "all";
		type_lens[n] = 3;
		n++;
		if (ptype)
		{
			area_types[n] = area_type;
			areas[n] = area;
			area_lens[n] = area_len;
			types[n] = ptype;
			type_lens[n] = fact->place_len[PLACE_PROPERTY_TYPE];
			n++;
		}
	}
	return n;
}

/*
 * Index of the period of a kind containing a day within the targets'
 * periods, or -1 outside them.
 */
static inline int
target_index(const MlsStatsTargets *t, int kind, DateADT day)
{
	int			index;

	if (DATE_NOT_FINITE(day))
		return -1;
	index = period_index_from(kind, t->base[kind], day);
	if (index < 0 || index >= t->nperiods[kind])
		return -1;
	return index;
}

/* One contribution of a fact to one period (see MlsStatsTouched) */
typedef struct Contribution
{
	int32		kind;
	int32		index;
	int32		what;			/* 'L', 'P', 'C', 'B' */
	int32		delta;
	int32		dom;
	int32		pending_index;
	double		prices[4];
} Contribution;

/*
 * The contributions of a fact to the periods of the targets: listed,
 * pending (with its days on market), closed (with everything a closed sale
 * adds), and inventory changes up to as_of_day.  Returns how many, in
 * items (room for NUM_PERIOD_KINDS * (3 + nbounds)).
 */
static int
fact_items(const MlsStatsTargets *t, const MlsStatsFact *fact, Contribution *items)
{
	int			n = 0;

	if (fact == NULL)
		return 0;
	for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		int			listed = fact->has_listed ? target_index(t, kind, fact->listed_on) : -1;
		int			pending = fact->has_pending ? target_index(t, kind, fact->pending_on) : -1;
		int			closed = fact->has_closed ? target_index(t, kind, fact->closed_on) : -1;
		Contribution	   *it;

		if (listed >= 0)
		{
			it = &items[n++];
			memset(it, 0, sizeof(*it));
			it->kind = kind;
			it->index = listed;
			it->what = 'L';
		}
		if (pending >= 0)
		{
			it = &items[n++];
			memset(it, 0, sizeof(*it));
			it->kind = kind;
			it->index = pending;
			it->what = 'P';
			it->dom = fact->has_dom ? fact->dom : -1;
		}
		if (closed >= 0)
		{
			it = &items[n++];
			memset(it, 0, sizeof(*it));
			it->kind = kind;
			it->index = closed;
			it->what = 'C';
			it->dom = fact->has_dom ? fact->dom : -1;
			it->pending_index = pending;
			it->prices[0] = fact->close_price;
			it->prices[1] = fact->list_price;
			it->prices[2] = fact->original_list_price;
			it->prices[3] = fact->living_area;
		}
		for (int i = 0; i < fact->nbounds; i++)
		{
			DateADT		day = fact->bound_days[i];
			int			index;

			if (DATE_NOT_FINITE(day) || day > t->as_of_day)
				continue;
			index = target_index(t, kind, day);
			if (index < 0)
				continue;
			it = &items[n++];
			memset(it, 0, sizeof(*it));
			it->kind = kind;
			it->index = index;
			it->what = 'B';
			it->delta = fact->bound_deltas[i];
		}
	}
	return n;
}

/*
 * qsort comparator of items: by their bytes (which begin with kind and
 * index); equal contributions compare equal, NaN prices included.
 */
static int
compare_items(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(Contribution));
}

/*
 * Mark the periods (of the targets) whose cells a change of a listing
 * changes: those of the contributions one version has and the other has
 * not.  before or after may be NULL (a listing that appears or goes).  A
 * listing that moved to another place changes every period of both (in
 * different series).  A price cut of an active listing, say, changes no
 * cell at all.
 */
void
MlsStatsTouched(const MlsStatsTargets *t, const MlsStatsFact *before, const MlsStatsFact *after,
				bool *touched[NUM_PERIOD_KINDS])
{
	int			room_b = NUM_PERIOD_KINDS * (3 + (before ? before->nbounds : 0));
	int			room_a = NUM_PERIOD_KINDS * (3 + (after ? after->nbounds : 0));
	Contribution	   *items_b = palloc(sizeof(Contribution) * Max(room_b, 1));
	Contribution	   *items_a = palloc(sizeof(Contribution) * Max(room_a, 1));
	int			nb = fact_items(t, before, items_b);
	int			na = fact_items(t, after, items_a);
	int			i = 0,
				j = 0;

	if (before && after && !MlsStatsSamePlace(before, after))
	{
		for (i = 0; i < nb; i++)
			touched[items_b[i].kind][items_b[i].index] = true;
		for (j = 0; j < na; j++)
			touched[items_a[j].kind][items_a[j].index] = true;
		return;
	}
	qsort(items_b, nb, sizeof(Contribution), compare_items);
	qsort(items_a, na, sizeof(Contribution), compare_items);
	while (i < nb || j < na)
	{
		int			cmp = i >= nb ? 1 : j >= na ? -1 : compare_items(&items_b[i], &items_a[j]);

		if (cmp == 0)
		{
			i++;
			j++;
		}
		else if (cmp < 0)
		{
			touched[items_b[i].kind][items_b[i].index] = true;
			i++;
		}
		else
		{
			touched[items_a[j].kind][items_a[j].index] = true;
			j++;
		}
	}
	pfree(items_b);
	pfree(items_a);
}

/*
 * A rollup of facts into the cells of the targets' wanted periods (and the
 * base), in cxt.
 */
MlsStatsRollup *
MlsStatsRollupCreate(MemoryContext cxt, const MlsStatsTargets *targets)
{
	MlsStatsRollup *rollup = MemoryContextAllocZero(cxt, sizeof(MlsStatsRollup));
	MemoryContext old = MemoryContextSwitchTo(cxt);

	rollup->cxt = cxt;
	rollup->targets = *targets;
	for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
	{
		rollup->slot[kind] = palloc(sizeof(int) * Max(targets->nperiods[kind], 1));
		for (int i = 0; i < targets->nperiods[kind]; i++)
			rollup->slot[kind][i] = targets->wanted[kind][i] ? rollup->nslots[kind]++ : -1;
	}
	rollup->series = MlsStatsKeyTable("mlsync statistics cells", 1024, sizeof(Series), cxt);
	rollup->places = MlsStatsKeyTable("mlsync statistics cell places", 1024, sizeof(Place), cxt);
	initStringInfo(&rollup->keybuf);
	MemoryContextSwitchTo(old);
	return rollup;
}

/*
 * Find or create a series.
 */
static Series *
series_lookup(MlsStatsRollup *rollup, int area_type, const char *area, int area_len,
			  const char *ptype, int ptype_len)
{
	StringInfo	buf = &rollup->keybuf;
	SeriesKey	key;
	Series	   *series;
	bool		found;

	resetStringInfo(buf);
	appendStringInfoChar(buf, (char) ('0' + area_type));
	appendBinaryStringInfo(buf, area, area_len);
	appendStringInfoChar(buf, '\0');
	appendBinaryStringInfo(buf, ptype, ptype_len);
	appendStringInfoChar(buf, '\0');
	key.data = buf->data;
	key.len = buf->len;
	series = hash_search(rollup->series, &key, HASH_ENTER, &found);
	if (!found)
	{
		char	   *copy = MemoryContextAlloc(rollup->cxt, buf->len);

		memcpy(copy, buf->data, buf->len);
		series->key.data = copy;
		series->key.len = buf->len;
		series->area_type = area_type;
		series->area = copy + 1;
		series->property_type = series->area + area_len + 1;
		series->listings = 0;
		memset(series->base, 0, sizeof(series->base));
		for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
			series->cells[kind] = MemoryContextAllocZero(rollup->cxt,
														 sizeof(CellAcc) * Max(rollup->nslots[kind], 1));
	}
	return series;
}

/*
 * Find or create the place of a fact, with its series.
 */
static Place *
place_lookup(MlsStatsRollup *rollup, const MlsStatsFact *fact)
{
	StringInfoData buf;
	SeriesKey	key;
	Place	   *place;
	bool		found;

	initStringInfo(&buf);
	for (int p = 0; p < NUM_PLACE_COLUMNS; p++)
	{
		if (fact->place[p])
		{
			appendStringInfoChar(&buf, '+');
			appendBinaryStringInfo(&buf, fact->place[p], fact->place_len[p]);
		}
		appendStringInfoChar(&buf, '\0');
	}
	key.data = buf.data;
	key.len = buf.len;
	place = hash_search(rollup->places, &key, HASH_ENTER, &found);
	if (!found)
	{
		int			area_types[SERIES_PER_LISTING];
		const char *areas[SERIES_PER_LISTING];
		int			area_lens[SERIES_PER_LISTING];
		const char *types[SERIES_PER_LISTING];
		int			type_lens[SERIES_PER_LISTING];
		char	   *copy = MemoryContextAlloc(rollup->cxt, buf.len);

		memcpy(copy, buf.data, buf.len);
		place->key.data = copy;
		place->key.len = buf.len;
		place->nseries = MlsStatsFactSeries(fact, area_types, areas, area_lens, types, type_lens);
		for (int i = 0; i < place->nseries; i++)
			place->series[i] = series_lookup(rollup, area_types[i], areas[i], area_lens[i],
											 types[i], type_lens[i]);
	}
	pfree(buf.data);
	return place;
}

/*
 * The cell of a wanted period containing a finite day, or NULL.
 */
static inline CellAcc *
cell_of(MlsStatsRollup *rollup, Series *series, int kind, DateADT day)
{
	int			index = target_index(&rollup->targets, kind, day);

	if (index < 0 || rollup->slot[kind][index] < 0)
		return NULL;
	return &series->cells[kind][rollup->slot[kind][index]];
}

/*
 * Add a fact to the cells of its series.
 */
void
MlsStatsRollupAdd(MlsStatsRollup *rollup, const MlsStatsFact *fact)
{
	const MlsStatsTargets *t = &rollup->targets;
	Place	   *place = place_lookup(rollup, fact);
	MemoryContext cxt = rollup->cxt;

	for (int s = 0; s < place->nseries; s++)
	{
		Series	   *series = place->series[s];

		series->listings++;
		for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
		{
			CellAcc    *listed = fact->has_listed ? cell_of(rollup, series, kind, fact->listed_on) : NULL;
			CellAcc    *pending = fact->has_pending ? cell_of(rollup, series, kind, fact->pending_on) : NULL;
			CellAcc    *closed = fact->has_closed ? cell_of(rollup, series, kind, fact->closed_on) : NULL;
			int			pending_index = fact->has_pending ? target_index(t, kind, fact->pending_on) : -1;
			int			closed_index = fact->has_closed ? target_index(t, kind, fact->closed_on) : -1;

			if (listed)
			{
				listed->new_listings++;
				listed->used = true;
			}
			if (pending)
			{
				pending->pending_sales++;
				pending->used = true;
				/* days on market: once per period it went pending or closed in */
				if (fact->has_dom)
					value_list_add(cxt, &pending->dom, fact->dom);
			}
			if (closed)
			{
				closed->closed_sales++;
				closed->used = true;
				if (!isnan(fact->close_price))
				{
					closed->price_sum += stats_in_units(fact->close_price, STATS_CENTS);
					value_list_add(cxt, &closed->prices, fact->close_price);
					if (fact->list_price > 0)
					{
						closed->list_ratio_sum += stats_in_units(fact->close_price / fact->list_price,
														  STATS_RATIO_UNITS);
						closed->list_ratio_n++;
					}
					if (fact->original_list_price > 0)
					{
						closed->original_ratio_sum +=
							stats_in_units(fact->close_price / fact->original_list_price,
										   STATS_RATIO_UNITS);
						closed->original_ratio_n++;
					}
					if (fact->living_area > 0)
						value_list_add(cxt, &closed->ppsf, fact->close_price / fact->living_area);
				}
				if (fact->has_dom && closed_index != pending_index)
					value_list_add(cxt, &closed->dom, fact->dom);
			}

			/* inventory: days before period 0 go to the base */
			for (int i = 0; i < fact->nbounds; i++)
			{
				DateADT		day = fact->bound_days[i];
				CellAcc    *cell;

				if (DATE_IS_NOBEGIN(day) || (!DATE_NOT_FINITE(day) && day < t->base[kind]))
				{
					if (t->with_base)
					{
						series->base[kind].inventory_delta += fact->bound_deltas[i];
						series->base[kind].used = true;
					}
					continue;
				}
				if (DATE_NOT_FINITE(day) || day > t->as_of_day)
					continue;
				cell = cell_of(rollup, series, kind, day);
				if (cell)
				{
					cell->inventory_delta += fact->bound_deltas[i];
					cell->used = true;
				}
			}
		}
	}
}

/*
 * Finish a cell for storing: its medians.
 */
static void
finish_cell(CellAcc *acc, MlsStatsCell *cell)
{
	cell->inventory_delta = acc->inventory_delta;
	cell->new_listings = acc->new_listings;
	cell->pending_sales = acc->pending_sales;
	cell->closed_sales = acc->closed_sales;
	cell->price_count = acc->prices.count;
	cell->price_sum = acc->price_sum;
	cell->has_median_price = value_list_median(&acc->prices, &cell->median_price);
	cell->list_ratio_n = acc->list_ratio_n;
	cell->list_ratio_sum = acc->list_ratio_sum;
	cell->original_ratio_n = acc->original_ratio_n;
	cell->original_ratio_sum = acc->original_ratio_sum;
	cell->has_median_dom = value_list_median(&acc->dom, &cell->median_dom);
	cell->has_median_ppsf = value_list_median(&acc->ppsf, &cell->median_ppsf);
}

/*
 * Hand every cell that holds something to emit: the wanted periods of
 * every series, and the bases when the targets include them.  A cell
 * whose counts are all zero is left out (reading it gives zeros anyway).
 */
void
MlsStatsRollupEmit(MlsStatsRollup *rollup, void (*emit) (const MlsStatsCell *cell, void *arg),
				   void *arg)
{
	const MlsStatsTargets *t = &rollup->targets;
	HASH_SEQ_STATUS scan;
	Series	   *series;

	hash_seq_init(&scan, rollup->series);
	while ((series = hash_seq_search(&scan)) != NULL)
	{
		for (int kind = 0; kind < NUM_PERIOD_KINDS; kind++)
		{
			MlsStatsCell cell;

			CHECK_FOR_INTERRUPTS();
			memset(&cell, 0, sizeof(cell));
			cell.area_type = series->area_type;
			cell.area = series->area;
			cell.property_type = series->property_type;
			cell.kind = kind;
			if (t->with_base && series->base[kind].inventory_delta != 0)
			{
				cell.is_base = true;
				cell.inventory_delta = series->base[kind].inventory_delta;
				emit(&cell, arg);
			}
			cell.is_base = false;
			cell.inventory_delta = 0;
			for (int i = 0, start = t->base[kind]; i < t->nperiods[kind];
				 i++, start = period_next(kind, start))
			{
				CellAcc    *acc;

				if (rollup->slot[kind][i] < 0)
					continue;
				acc = &series->cells[kind][rollup->slot[kind][i]];
				if (!acc->used ||
					(acc->inventory_delta == 0 && acc->new_listings == 0 &&
					 acc->pending_sales == 0 && acc->closed_sales == 0))
					continue;
				cell.period_start = start;
				finish_cell(acc, &cell);
				emit(&cell, arg);
			}
		}
	}
}

/*
 * Hand every series of the facts added, with how many they were, to emit.
 */
void
MlsStatsRollupSeries(MlsStatsRollup *rollup,
					 void (*emit) (int area_type, const char *area, const char *property_type,
								   int64 listings, void *arg),
					 void *arg)
{
	HASH_SEQ_STATUS scan;
	Series	   *series;

	hash_seq_init(&scan, rollup->series);
	while ((series = hash_seq_search(&scan)) != NULL)
		emit(series->area_type, series->area, series->property_type, series->listings, arg);
}
