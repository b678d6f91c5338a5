/*-------------------------------------------------------------------------
 *
 * match_keys.c
 *	  The price keys by which a listing finds the saved searches whose price
 *	  range may hold its price, in the GIN index of match keys.
 *
 * A saved search is found in mls_saved_searches.match_keys by the keys of
 * its areas (tenant/c:springfield); one that limits the price is found only
 * by each area key qualified by a price key (tenant/p6.31:c:springfield).  A
 * listing looks searches up by its area keys and by each of them qualified
 * by its own price keys.  Without the price, a listing read every search of
 * its city and filtered them by price afterwards: the cost followed the
 * number of searches, not the number of matches.
 *
 * Price keys name intervals of a price's integer part in three levels: the
 * decade (p6: 100,000 to 999,999, the number of integer digits), the first
 * digit (p6.3: 300,000 to 399,999) and the first two digits (p6.31: 310,000
 * to 319,999).  Below 1 is one interval, p0, and from 10^12 up another, p13,
 * neither divided further.  A listing has the keys of every interval that
 * holds its price, one per level.  A search has the fewest keys whose
 * intervals cover its range: an interval inside the range by its own key,
 * one that straddles a bound by the keys of its parts, down to two digits.
 * Every price in the range then shares a key with the search (the
 * outermost of its intervals that the cover names), and a price near a
 * bound but outside may share one too: the exact price test after the
 * index lookup (mls_alert_events) removes those.
 *
 * Both sides are computed here from integers, not logarithms, so that they
 * agree at every edge; test 32_alerts checks that they do for random
 * prices and ranges.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "mlsync.h"

/* The first integer of the interval p13: prices from here up share it */
#define PRICE_TOP		INT64CONST(1000000000000)
#define PRICE_TOP_DECADE 13

/* Longest price key: "p13" or "p12.99" and a NUL */
#define PRICE_KEY_LEN	8

/* At most 14 decades, 9 first digits and 10 second digits per straddled one */
#define PRICE_KEYS_MAX	64

PG_FUNCTION_INFO_V1(mls_price_keys);
PG_FUNCTION_INFO_V1(mls_price_range_keys);
PG_FUNCTION_INFO_V1(mls_qualify_area_keys);

/*
 * The integer part of a price (rounded down), brought into [-1, 10^12]:
 * every value below 1 has the one key p0 and every value from 10^12 up the
 * one key p13, so bringing them in keeps their keys.  NaN sorts above every
 * number in PostgreSQL (NaN >= min_price is true): it is placed at the top.
 */
static int64
price_integer_part(Numeric price)
{
	Datum		floor_value;

	if (numeric_is_nan(price))
		return PRICE_TOP;
	floor_value = DirectFunctionCall1(numeric_floor, NumericGetDatum(price));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, floor_value,
										  NumericGetDatum(int64_to_numeric(PRICE_TOP)))) >= 0)
		return PRICE_TOP;
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, floor_value,
										  NumericGetDatum(int64_to_numeric(0)))) <= 0)
		return -1;
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, floor_value));
}

/* 10^n for 0 <= n <= 12 */
static int64
power_of_ten(int n)
{
	int64		p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/*
 * The keys of the intervals that hold the integer part v (see the file
 * header); returns how many were written to keys.
 */
static int
integer_part_keys(int64 v, char keys[][PRICE_KEY_LEN])
{
	char		digits[24];
	int			ndigits;

	if (v <= 0)
	{
		strcpy(keys[0], "p0");
		return 1;
	}
	if (v >= PRICE_TOP)
	{
		snprintf(keys[0], PRICE_KEY_LEN, "p%d", PRICE_TOP_DECADE);
		return 1;
	}
	ndigits = snprintf(digits, sizeof(digits), INT64_FORMAT, v);
	snprintf(keys[0], PRICE_KEY_LEN, "p%d", ndigits);
	snprintf(keys[1], PRICE_KEY_LEN, "p%d.%c", ndigits, digits[0]);
	if (ndigits == 1)
		return 2;
	snprintf(keys[2], PRICE_KEY_LEN, "p%d.%c%c", ndigits, digits[0], digits[1]);
	return 3;
}

/*
 * Where the interval [node_lo, node_hi] of integer parts lies against the
 * range [lo, hi] (either end absent when its flag is false): outside it,
 * inside it, or across one of its bounds.
 */
typedef enum IntervalPlace
{
	INTERVAL_OUTSIDE,
	INTERVAL_INSIDE,
	INTERVAL_ACROSS
} IntervalPlace;

static IntervalPlace
interval_place(int64 node_lo, int64 node_hi, bool has_lo, int64 lo, bool has_hi, int64 hi)
{
	if ((has_lo && node_hi < lo) || (has_hi && node_lo > hi))
		return INTERVAL_OUTSIDE;
	if ((!has_lo || node_lo >= lo) && (!has_hi || node_hi <= hi))
		return INTERVAL_INSIDE;
	return INTERVAL_ACROSS;
}

/*
 * Append a key to keys (PRICE_KEYS_MAX of them): a cover has at most 14
 * decade keys and, in the two decades across a bound, 8 first-digit keys
 * and 20 two-digit keys each; checked all the same.
 */
static void
add_key(char keys[][PRICE_KEY_LEN], int *n, int decade, int digits)
{
	if (*n >= PRICE_KEYS_MAX)
		elog(ERROR, "too many price keys in a range cover");
	if (digits < 0)
		snprintf(keys[*n], PRICE_KEY_LEN, "p%d", decade);
	else
		snprintf(keys[*n], PRICE_KEY_LEN, "p%d.%d", decade, digits);
	(*n)++;
}

/*
 * The cover of the range of integer parts [lo, hi] (see the file header);
 * returns how many keys were written to keys.
 */
static int
range_cover_keys(bool has_lo, int64 lo, bool has_hi, int64 hi, char keys[][PRICE_KEY_LEN])
{
	int			n = 0;

	for (int decade = 0; decade <= PRICE_TOP_DECADE; decade++)
	{
		/* p0 holds every integer part up to 0, p13 every one from 10^12 */
		int64		unit = decade >= 1 && decade <= 12 ? power_of_ten(decade - 1) : 0;
		int64		node_lo = decade == 0 ? PG_INT64_MIN : decade == PRICE_TOP_DECADE ? PRICE_TOP : unit;
		int64		node_hi = decade == 0 ? 0 : decade == PRICE_TOP_DECADE ? PG_INT64_MAX : unit * 10 - 1;
		IntervalPlace place = interval_place(node_lo, node_hi, has_lo, lo, has_hi, hi);

		if (place == INTERVAL_OUTSIDE)
			continue;
		if (place == INTERVAL_INSIDE || decade == 0 || decade == PRICE_TOP_DECADE)
		{
			add_key(keys, &n, decade, -1);
			continue;
		}
		for (int digit = 1; digit <= 9; digit++)
		{
			place = interval_place(digit * unit, (digit + 1) * unit - 1, has_lo, lo, has_hi, hi);
			if (place == INTERVAL_OUTSIDE)
				continue;
			if (place == INTERVAL_INSIDE)
			{
				add_key(keys, &n, decade, digit);
				continue;
			}
			/* in decade 1 an interval is one integer: never across a bound */
			Assert(decade >= 2);
			for (int two = digit * 10; two <= digit * 10 + 9; two++)
			{
				if (interval_place(two * (unit / 10), (two + 1) * (unit / 10) - 1,
								   has_lo, lo, has_hi, hi) != INTERVAL_OUTSIDE)
					add_key(keys, &n, decade, two);
			}
		}
	}
	return n;
}

/* A text[] of the keys */
static ArrayType *
keys_array(char keys[][PRICE_KEY_LEN], int n)
{
	Datum		elems[PRICE_KEYS_MAX];

	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(keys[i]);
	return construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/*
 * mls_price_keys(price numeric) RETURNS text[]
 *		The keys of the intervals that hold a listing's price, coarse to
 *		fine; none for NULL.
 */
Datum
mls_price_keys(PG_FUNCTION_ARGS)
{
	char		keys[3][PRICE_KEY_LEN];

	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TEXTOID));
	PG_RETURN_ARRAYTYPE_P(keys_array(keys, integer_part_keys(price_integer_part(PG_GETARG_NUMERIC(0)),
															 keys)));
}

/*
 * mls_price_range_keys(min_price numeric, max_price numeric) RETURNS text[]
 *		The fewest price keys whose intervals cover the range, either bound
 *		NULL for none.  A price p is in the range when min_price <= p <=
 *		max_price; then floor(min_price) <= floor(p) <= floor(max_price), the
 *		range of integer parts covered.
 */
Datum
mls_price_range_keys(PG_FUNCTION_ARGS)
{
	char		keys[PRICE_KEYS_MAX][PRICE_KEY_LEN];
	bool		has_lo = !PG_ARGISNULL(0);
	bool		has_hi = !PG_ARGISNULL(1);
	int64		lo = has_lo ? price_integer_part(PG_GETARG_NUMERIC(0)) : 0;
	int64		hi = has_hi ? price_integer_part(PG_GETARG_NUMERIC(1)) : 0;

	PG_RETURN_ARRAYTYPE_P(keys_array(keys, range_cover_keys(has_lo, lo, has_hi, hi, keys)));
}

/*
 * mls_qualify_area_keys(tenant text, area_keys text[], price_keys text[])
 *		RETURNS text[]
 *		Each area key (tenant/<area>) qualified by each price key:
 *		tenant/<price key>:<area>.  Tenant names have no "/" and price keys no
 *		":", so a qualified key never equals a plain one.
 */
Datum
mls_qualify_area_keys(PG_FUNCTION_ARGS)
{
	text	   *tenant;
	ArrayType  *areas;
	ArrayType  *prices;
	Datum	   *area_elems;
	bool	   *area_nulls;
	int			nareas;
	Datum	   *price_elems;
	bool	   *price_nulls;
	int			nprices;
	Datum	   *out;
	int			n = 0;
	int			tenant_len;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TEXTOID));
	tenant = PG_GETARG_TEXT_PP(0);
	areas = PG_GETARG_ARRAYTYPE_P(1);
	prices = PG_GETARG_ARRAYTYPE_P(2);
	tenant_len = VARSIZE_ANY_EXHDR(tenant);
	deconstruct_array(areas, TEXTOID, -1, false, TYPALIGN_INT, &area_elems, &area_nulls, &nareas);
	deconstruct_array(prices, TEXTOID, -1, false, TYPALIGN_INT, &price_elems, &price_nulls,
					  &nprices);
	/* the product of two array lengths overflows an int long before memory */
	if ((int64) nareas * nprices > MaxArraySize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many match keys: %d area keys by %d price keys", nareas, nprices),
				 errdetail("An array holds at most %d elements.", (int) MaxArraySize)));
	out = palloc(sizeof(Datum) * Max(1, (int64) nareas * nprices));
	for (int a = 0; a < nareas; a++)
	{
		text	   *area;
		const char *area_s;
		int			area_len;

		if (area_nulls[a])
			continue;
		area = DatumGetTextPP(area_elems[a]);
		area_s = VARDATA_ANY(area);
		area_len = VARSIZE_ANY_EXHDR(area);
		/* an area key of another tenant, or none at all, is left out */
		if (area_len <= tenant_len || area_s[tenant_len] != '/' ||
			memcmp(area_s, VARDATA_ANY(tenant), tenant_len) != 0)
			continue;
		for (int p = 0; p < nprices; p++)
		{
			text	   *price;
			int			price_len;
			int			len;
			text	   *key;
			char	   *dst;

			/* up to MaxArraySize keys in all */
			CHECK_FOR_INTERRUPTS();
			if (price_nulls[p])
				continue;
			price = DatumGetTextPP(price_elems[p]);
			price_len = VARSIZE_ANY_EXHDR(price);
			len = area_len + price_len + 1;
			key = palloc(VARHDRSZ + len);
			SET_VARSIZE(key, VARHDRSZ + len);
			dst = VARDATA(key);
			memcpy(dst, area_s, tenant_len + 1);
			dst += tenant_len + 1;
			memcpy(dst, VARDATA_ANY(price), price_len);
			dst += price_len;
			*dst++ = ':';
			memcpy(dst, area_s + tenant_len + 1, area_len - tenant_len - 1);
			out[n++] = PointerGetDatum(key);
		}
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(out, n, TEXTOID, -1, false, TYPALIGN_INT));
}
