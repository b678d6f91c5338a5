/*-------------------------------------------------------------------------
 *
 * matcher.c
 *	  Property matching (see matcher.h).
 *
 * The rules.  A listing is compared with the listings that share one of
 * its keys (keys.h), and matches one of them by the first rule that holds:
 *
 *	 upi		 the same RESO UniversalPropertyId (confidence 1.00);
 *	 parcel		 the same parcel number in the same state and county, with
 *				 no other house number and the same unit (0.98);
 *	 address	 the same normalised address: house number, street, unit
 *				 and postal code (0.95);
 *	 coordinates within MLS_MATCH_MAX_DISTANCE_M, with the same house
 *				 number and unit (0.90 down to 0.70 with the distance).
 *
 * Different UPIs, or different parcel numbers of one county, veto a match
 * whatever else agrees.  When the rules point to one property, the listing
 * joins it (the confidence combines the rules that agree); to none, it is
 * a property of its own; to two or more, it is *ambiguous*: it is not
 * merged (it stays where it was, or alone), and mls_match_review lists it
 * with its candidates.  Manual overrides (mls_link_listings,
 * mls_unlink_listing) pin a listing to a property: rules never move it,
 * and an unlinked listing is never a candidate either.
 *
 * One step decides a set of *subjects* in order, each against the stable
 * listings of the database and the subjects decided before it, so a batch
 * whose listings match each other ends in one property.  Two steps of one
 * tenant never run at once (a transaction-level lock per tenant, locks.c),
 * so two feeds synced at the same time see each other's listings.
 *
 * Writing.  The writer calls MlsMatcherBeforeUpsert with the batch's rows:
 * the step runs and property_id is set in the rows themselves, so the
 * upsert writes it with everything else (no second write of the listing).
 * A row whose keys did not change keeps its property without a decision.
 * MlsMatcherAfterUpsert then records the decisions of the rows the upsert
 * actually wrote in mls_listing_matches.
 *
 * Rematching (mls_rematch) recomputes every key of a tenant in one
 * statement, takes the listings whose keys changed (or all, when asked),
 * adds the listings they shared a property with, and decides them again
 * in a canonical order (connection priority, first seen, key), in chunks
 * that share one set of claimed property ids (an id a listing of one chunk
 * took is never kept by a listing of a later chunk as its own); only rows
 * whose outcome changed are written.  Property ids are kept
 * where a property survives: a listing left alone keeps its id when nobody
 * else holds it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "match/address.h"
#include "tenancy/locks.h"
#include "match/keys.h"
#include "match/matcher.h"
#include "support/sqlargs.h"

/* Listings decided per rematch chunk */
#define REMATCH_CHUNK 4000

/* Candidates of an ambiguous listing shown in mls_match_review */
#define MAX_REVIEW_CANDIDATES 10

/* Rules, strongest first */
#define RULE_UPI		0
#define RULE_PARCEL		1
#define RULE_ADDRESS	2
#define RULE_COORDS		3
#define NUM_RULES		4

static const char *const rule_names[NUM_RULES] = {"upi", "parcel", "address", "coordinates"};
static const double rule_confidence[NUM_RULES] = {1.0, 0.98, 0.95, 0.90};

bool		mlsync_property_matching = true;
int			mlsync_duplicate_alert_window = 2 * 24 * 60;

/* One listing of a step: a subject being decided, or a stable listing */
typedef struct Entry
{
	char	   *connection;
	char	   *listing_key;
	MlsMatchKeys keys;
	char	   *number;			/* from keys.house */
	char	   *unit;
	int64		property_id;	/* decided or stored; < 0: a placeholder */
	bool		subject;
	bool		decided;
	bool		isolated;		/* unlinked: never a candidate */
	/* subjects only */
	bool		needs_decision;
	bool		keys_changed;
	bool		has_row;		/* a match row is stored */
	int64		old_property;	/* 0: none */
	int64		outside_holders;	/* other listings holding old_property */
	char		pin;			/* 'l' link, 'u' unlink, '\0' */
	int64		pin_property;
	char	  **not_with;		/* linked: "connection key" of listings that are
								 * not its property (the review's losers) */
	int			nnot_with;
	int			rule;			/* RULE_*, or -1: none, -2 ambiguous, -3 pin */
	double		confidence;
	int			evidence;		/* entry index, or -1 */
	int			nfound;			/* ambiguous: candidates */
	struct Found *found;
	/* stored outcome (rematch), to write only what changed */
	char	   *old_rule;
	char	   *old_matched_connection;
	char	   *old_matched_listing_key;
	double		old_confidence;
} Entry;

/* What the rules found for a subject: one property */
typedef struct Found
{
	int64		property_id;
	int			rules;			/* bit per rule */
	int			evidence[NUM_RULES];
	double		distance;
} Found;

/* An index slot: the entries holding one key */
typedef struct Slot
{
	uint64		hash;
	List	   *entries;
} Slot;

typedef struct Claim
{
	int64		property_id;
} Claim;

/* One step */
typedef struct Engine
{
	Entry	   *entries;
	int			n;
	int			capacity;
	HTAB	   *index;
	HTAB	   *claimed;		/* property ids given to subjects (a rematch's
								 * chunks share one) */
	int64		placeholders;
	int		   *stamp;
	int			stamp_now;
} Engine;

/* The prepared statements of a sync's hook */
struct MlsMatcher
{
	char	   *tenant;
	char	   *connection;
	TupleDesc	desc;
	int			att[16];		/* attribute numbers, see enum below */
	SPIPlanPtr	upsert_plan;	/* kept; the lookups are planned per batch */
	/* the step of the batch in progress (SPI procedure memory) */
	Engine	   *engine;
	int			nrows;
};

enum
{
	A_UPI, A_PARCEL, A_COUNTY, A_STATE, A_UNPARSED, A_NUMBER, A_DIR_PREFIX, A_NAME,
	A_SUFFIX, A_DIR_SUFFIX, A_UNIT, A_POSTAL, A_LATITUDE, A_LONGITUDE, A_PROPERTY,
	A_LISTING_KEY
};

static const char *const att_names[16] = {
	"universal_property_id", "parcel_number", "county_or_parish", "state_or_province",
	"unparsed_address", "street_number", "street_dir_prefix", "street_name",
	"street_suffix", "street_dir_suffix", "unit_number", "postal_code", "latitude",
	"longitude", "property_id", "listing_key"
};

/*
 * What is stored of a batch's listings.  Every lookup is a LATERAL
 * subquery kept apart by OFFSET 0: a nested loop of index lookups whatever
 * the statistics say (a table just loaded has none, and a hash join would
 * read all of the tenant's matches for every batch).
 */
static const char stored_sql[] =
"SELECT b.i::int4, m.property_id, m.upi_key, m.parcel_key, m.address_key, m.house_key,"
"       m.normalized_address, m.latitude, m.longitude, m.rules_version, o.action, o.property_id,"
"       (SELECT count(*) FROM mlsync.mls_listing_matches h"
"         WHERE h.tenant_id = $1 AND h.property_id = m.property_id), o.not_with"
"  FROM unnest($3::text[]) WITH ORDINALITY AS b(listing_key, i)"
" CROSS JOIN LATERAL (SELECT * FROM mlsync.mls_listing_matches m"
"                     WHERE m.tenant_id = $1 AND m.connection = $2"
"                       AND m.listing_key = b.listing_key OFFSET 0) m"
"  LEFT JOIN LATERAL (SELECT * FROM mlsync.mls_match_overrides o"
"                      WHERE o.tenant_id = $1 AND o.connection = $2"
"                        AND o.listing_key = b.listing_key OFFSET 0) o ON true";

static const Oid stored_types[3] = {TEXTOID, TEXTOID, TEXTARRAYOID};

/*
 * The listings sharing a key with the subjects: one index lookup per key
 * (LATERAL, OFFSET 0: see stored_sql; an OR of "= ANY" conditions, or a
 * plain join, would read all of the tenant's matches when the statistics
 * are missing).  %s: extra columns, extra joins.
 */
static const char candidates_sql[] =
"SELECT m.connection, m.listing_key, m.property_id, m.upi_key, m.parcel_key, m.address_key,"
"       m.house_key, m.latitude, m.longitude, o.action IS NOT DISTINCT FROM 'unlink', o.not_with%s"
"  FROM ("
"        SELECT m.* FROM unnest($2::text[]) AS k(k)"
"         CROSS JOIN LATERAL (SELECT m.tenant_id, m.connection, m.listing_key, m.property_id,"
"                                    m.upi_key, m.parcel_key, m.address_key, m.house_key,"
"                                    m.latitude, m.longitude"
"                               FROM mlsync.mls_listing_matches m"
"                              WHERE m.tenant_id = $1 AND m.upi_key = k.k OFFSET 0) m"
"        UNION"
"        SELECT m.* FROM unnest($3::text[]) AS k(k)"
"         CROSS JOIN LATERAL (SELECT m.tenant_id, m.connection, m.listing_key, m.property_id,"
"                                    m.upi_key, m.parcel_key, m.address_key, m.house_key,"
"                                    m.latitude, m.longitude"
"                               FROM mlsync.mls_listing_matches m"
"                              WHERE m.tenant_id = $1 AND m.parcel_key = k.k OFFSET 0) m"
"        UNION"
"        SELECT m.* FROM unnest($4::text[]) AS k(k)"
"         CROSS JOIN LATERAL (SELECT m.tenant_id, m.connection, m.listing_key, m.property_id,"
"                                    m.upi_key, m.parcel_key, m.address_key, m.house_key,"
"                                    m.latitude, m.longitude"
"                               FROM mlsync.mls_listing_matches m"
"                              WHERE m.tenant_id = $1 AND m.address_key = k.k OFFSET 0) m"
"        UNION"
"        SELECT m.* FROM unnest($5::int8[]) AS k(k)"
"         CROSS JOIN LATERAL (SELECT m.tenant_id, m.connection, m.listing_key, m.property_id,"
"                                    m.upi_key, m.parcel_key, m.address_key, m.house_key,"
"                                    m.latitude, m.longitude"
"                               FROM mlsync.mls_listing_matches m"
"                              WHERE m.tenant_id = $1 AND m.geo_cell = k.k OFFSET 0) m"
"       ) m"
"  LEFT JOIN LATERAL (SELECT o.action, o.not_with FROM mlsync.mls_match_overrides o"
"                      WHERE o.tenant_id = m.tenant_id AND o.connection = m.connection"
"                        AND o.listing_key = m.listing_key OFFSET 0) o ON true%s";

static const char upsert_sql[] =
"INSERT INTO mlsync.mls_listing_matches AS m"
"  (tenant_id, connection, listing_key, property_id, rule, confidence, matched_connection,"
"   matched_listing_key, candidates, upi_key, parcel_key, address_key, house_key,"
"   normalized_address, latitude, longitude, geo_cell, rules_version, matched_at)"
" SELECT $1, v.connection, v.listing_key, v.property_id, v.rule, v.confidence::numeric(4, 3),"
"        v.matched_connection, v.matched_listing_key, v.candidates::jsonb, v.upi_key,"
"        v.parcel_key, v.address_key, v.house_key, v.normalized_address, v.latitude,"
"        v.longitude, v.geo_cell, $3, $2"
"   FROM unnest($4::text[], $5::text[], $6::int8[], $7::text[], $8::float8[], $9::text[],"
"               $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],"
"               $16::text[], $17::float8[], $18::float8[], $19::int8[])"
"        AS v(connection, listing_key, property_id, rule, confidence, matched_connection,"
"             matched_listing_key, candidates, upi_key, parcel_key, address_key, house_key,"
"             normalized_address, latitude, longitude, geo_cell)"
" ON CONFLICT (tenant_id, connection, listing_key) DO UPDATE SET"
"   property_id = excluded.property_id, rule = excluded.rule,"
"   confidence = excluded.confidence,"
"   matched_connection = CASE WHEN excluded.rule IN ('link', 'unlink')"
"                             THEN m.matched_connection ELSE excluded.matched_connection END,"
"   matched_listing_key = CASE WHEN excluded.rule IN ('link', 'unlink')"
"                              THEN m.matched_listing_key ELSE excluded.matched_listing_key END,"
"   candidates = excluded.candidates, upi_key = excluded.upi_key,"
"   parcel_key = excluded.parcel_key, address_key = excluded.address_key,"
"   house_key = excluded.house_key, normalized_address = excluded.normalized_address,"
"   latitude = excluded.latitude, longitude = excluded.longitude, geo_cell = excluded.geo_cell,"
"   rules_version = excluded.rules_version, matched_at = excluded.matched_at";

static const Oid upsert_types[19] = {
	TEXTOID, TIMESTAMPTZOID, INT4OID, TEXTARRAYOID, TEXTARRAYOID, INT8ARRAYOID,
	TEXTARRAYOID, FLOAT8ARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, FLOAT8ARRAYOID, FLOAT8ARRAYOID,
	INT8ARRAYOID
};

/* ---------------------------------------------------------------------
 * Settings and the lock
 * ---------------------------------------------------------------------
 */

/*
 * Define the settings of matching; called from _PG_init.
 */
void
MlsMatchInit(void)
{
	DefineCustomBoolVariable("mlsync.property_matching",
							 gettext_noop("Match every listing a sync writes to a property."),
							 gettext_noop("Listings written while it is off keep their property; mls_rematch() matches them later."),
							 &mlsync_property_matching,
							 true,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.duplicate_alert_window",
							gettext_noop("How long after an alert about a property the same alert from another feed counts as a duplicate."),
							gettext_noop("A duplicate is recorded in mls_alerts but raises no alert event; 0 turns the check off."),
							&mlsync_duplicate_alert_window,
							2 * 24 * 60, 0, 365 * 24 * 60,
							PGC_USERSET,
							GUC_UNIT_MIN,
							NULL, NULL, NULL);
}

/*
 * Take the tenant's matching lock until the end of the transaction: no two
 * matching steps of a tenant run at once (see the file header).
 */
void
MlsMatchLockTenant(const char *tenant)
{
	(void) MlsLockTake(MLS_LOCK_MATCH, tenant, NULL, false, true);
}

/* ---------------------------------------------------------------------
 * Arrays for SPI parameters
 * ---------------------------------------------------------------------
 */

static Datum
text_array(char **values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * Max(n, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(n, 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};

	if (n == 0)
		return PointerGetDatum(construct_empty_array(TEXTOID));
	for (int i = 0; i < n; i++)
	{
		nulls[i] = values[i] == NULL;
		datums[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(values[i]);
	}
	return PointerGetDatum(construct_md_array(datums, nulls, 1, dims, lbs, TEXTOID, -1, false,
											  TYPALIGN_INT));
}

static Datum
int8_array(int64 *values, bool *isnull, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * Max(n, 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};

	if (n == 0)
		return PointerGetDatum(construct_empty_array(INT8OID));
	for (int i = 0; i < n; i++)
		datums[i] = Int64GetDatum(values[i]);
	return PointerGetDatum(construct_md_array(datums, isnull, 1, dims, lbs, INT8OID, 8,
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

static Datum
float8_array(double *values, bool *isnull, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * Max(n, 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};

	if (n == 0)
		return PointerGetDatum(construct_empty_array(FLOAT8OID));
	for (int i = 0; i < n; i++)
		datums[i] = Float8GetDatum(values[i]);
	return PointerGetDatum(construct_md_array(datums, isnull, 1, dims, lbs, FLOAT8OID, 8,
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * Text of column col of an SPI row, palloc'd, or NULL.
 */
static char *
spi_text(HeapTuple tuple, TupleDesc desc, int col)
{
	return SPI_getvalue(tuple, desc, col);
}

static int64
spi_int8(HeapTuple tuple, TupleDesc desc, int col, bool *isnull)
{
	Datum		d = SPI_getbinval(tuple, desc, col, isnull);

	return *isnull ? 0 : DatumGetInt64(d);
}

static double
spi_float8(HeapTuple tuple, TupleDesc desc, int col, bool *isnull)
{
	Datum		d = SPI_getbinval(tuple, desc, col, isnull);

	return *isnull ? 0 : DatumGetFloat8(d);
}

/*
 * Read an override's not_with (text[] of "connection key") into an entry.
 */
static void
read_not_with(HeapTuple tuple, TupleDesc desc, int col, struct Entry *entry)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, col, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (isnull)
		return;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	entry->not_with = palloc(sizeof(char *) * Max(n, 1));
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			entry->not_with[entry->nnot_with++] = TextDatumGetCString(elems[i]);
}

/* ---------------------------------------------------------------------
 * The engine
 * ---------------------------------------------------------------------
 */

static Engine *
engine_create(int capacity, HTAB *claimed)
{
	Engine	   *e = palloc0(sizeof(Engine));
	HASHCTL		ctl;

	e->capacity = Max(capacity, 16);
	e->entries = palloc0(sizeof(Entry) * e->capacity);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(uint64);
	ctl.entrysize = sizeof(Slot);
	ctl.hcxt = CurrentMemoryContext;
	e->index = hash_create("mlsync match keys", Max(capacity * 4, 64), &ctl,
						   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	if (claimed)
		e->claimed = claimed;
	else
	{
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(Claim);
		ctl.hcxt = CurrentMemoryContext;
		e->claimed = hash_create("mlsync claimed properties", Max(capacity, 64), &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	return e;
}

/*
 * A new entry (zeroed but for its identity).
 */
static Entry *
engine_add(Engine *e, char *connection, char *listing_key)
{
	Entry	   *entry;

	if (e->n == e->capacity)
	{
		e->capacity *= 2;
		e->entries = repalloc(e->entries, sizeof(Entry) * e->capacity);
	}
	entry = &e->entries[e->n++];
	memset(entry, 0, sizeof(Entry));
	entry->connection = connection;
	entry->listing_key = listing_key;
	entry->rule = -1;
	entry->confidence = -1;
	entry->evidence = -1;
	entry->old_confidence = -1;
	return entry;
}

static uint64
key_hash(char kind, const void *data, size_t len)
{
	return hash_bytes_extended((const unsigned char *) data, (int) len, (uint64) kind);
}

static void
index_key(Engine *e, uint64 hash, int entry)
{
	bool		found;
	Slot	   *slot = hash_search(e->index, &hash, HASH_ENTER, &found);

	if (!found)
		slot->entries = NIL;
	slot->entries = lappend_int(slot->entries, entry);
}

/*
 * Put an entry's keys in the index (after its keys are final).
 */
static void
engine_index(Engine *e, int i)
{
	Entry	   *entry = &e->entries[i];

	if (entry->keys.upi)
		index_key(e, key_hash('u', entry->keys.upi, strlen(entry->keys.upi)), i);
	if (entry->keys.parcel)
		index_key(e, key_hash('p', entry->keys.parcel, strlen(entry->keys.parcel)), i);
	if (entry->keys.address)
		index_key(e, key_hash('a', entry->keys.address, strlen(entry->keys.address)), i);
	if (entry->keys.has_geo)
		index_key(e, key_hash('g', &entry->keys.geo_cell, sizeof(int64)), i);
	MlsHouseKeySplit(entry->keys.house, &entry->number, &entry->unit);
}

static bool
claimed(Engine *e, int64 property_id)
{
	return hash_search(e->claimed, &property_id, HASH_FIND, NULL) != NULL;
}

static void
claim(Engine *e, int64 property_id)
{
	hash_search(e->claimed, &property_id, HASH_ENTER, NULL);
}

/*
 * Whether a's override says it is not the property of listing b.
 */
static bool
said_not_with(const Entry *a, const Entry *b)
{
	size_t		clen = strlen(b->connection);

	for (int i = 0; i < a->nnot_with; i++)
	{
		const char *x = a->not_with[i];

		if (strncmp(x, b->connection, clen) == 0 && x[clen] == ' ' &&
			strcmp(x + clen + 1, b->listing_key) == 0)
			return true;
	}
	return false;
}

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/*
 * The rules by which listing s matches listing c (a bit per rule), or 0;
 * *distance gets the distance when the coordinates rule holds.
 */
static int
rules_between(const Entry *s, const Entry *c, double *distance)
{
	int			rules = 0;
	bool		parcel_conflict;
	const char *su = s->unit ? s->unit : "";
	const char *cu = c->unit ? c->unit : "";

	/* different UPIs: different properties */
	if (s->keys.upi && c->keys.upi && strcmp(s->keys.upi, c->keys.upi) != 0)
		return 0;
	if (same(s->keys.upi, c->keys.upi))
		rules |= 1 << RULE_UPI;

	/*
	 * One parcel may hold several units or houses (a condominium, a
	 * duplex): the parcel rule needs the same unit and no other number.
	 */
	if (same(s->keys.parcel, c->keys.parcel) && strstr(s->keys.parcel, "||") == NULL &&
		strcmp(su, cu) == 0 && !(s->number && c->number && strcmp(s->number, c->number) != 0))
		rules |= 1 << RULE_PARCEL;
	parcel_conflict = MlsParcelKeysConflict(s->keys.parcel, c->keys.parcel);
	if (parcel_conflict)
		return rules;

	if (same(s->keys.address, c->keys.address))
		rules |= 1 << RULE_ADDRESS;
	if (s->keys.has_geo && c->keys.has_geo && same(s->keys.house, c->keys.house))
	{
		double		d = MlsDistanceMetres(s->keys.latitude, s->keys.longitude,
										  c->keys.latitude, c->keys.longitude);

		if (d <= MLS_MATCH_MAX_DISTANCE_M)
		{
			rules |= 1 << RULE_COORDS;
			*distance = d;
		}
	}
	return rules;
}

/*
 * Whether listing a sorts before listing b (by connection, then key).
 */
static bool
listing_before(const Entry *a, const Entry *b)
{
	int			cmp = strcmp(a->connection, b->connection);

	return cmp < 0 || (cmp == 0 && strcmp(a->listing_key, b->listing_key) < 0);
}

/*
 * Consider entry j as a candidate of subject i.
 */
static void
consider(Engine *e, int i, int j, Found *found, int *nfound, int max)
{
	Entry	   *s = &e->entries[i];
	Entry	   *c = &e->entries[j];
	double		distance = 0;
	int			rules;
	int			k;

	if (j == i || e->stamp[j] == e->stamp_now)
		return;
	e->stamp[j] = e->stamp_now;
	if (c->isolated || (c->subject && !c->decided))
		return;
	/* an override that resolved a review: not the losing candidates */
	if (said_not_with(s, c) || said_not_with(c, s))
		return;
	rules = rules_between(s, c, &distance);
	if (rules == 0)
		return;
	for (k = 0; k < *nfound; k++)
		if (found[k].property_id == c->property_id)
			break;
	if (k == *nfound)
	{
		if (k == max)
			return;
		memset(&found[k], 0, sizeof(Found));
		found[k].property_id = c->property_id;
		for (int r = 0; r < NUM_RULES; r++)
			found[k].evidence[r] = -1;
		(*nfound)++;
	}
	/*
	 * The evidence of a rule: the first candidate by connection and key, so
	 * that deciding again records the same one whatever the order found.
	 */
	for (int r = 0; r < NUM_RULES; r++)
	{
		if (!(rules & (1 << r)))
			continue;
		if (found[k].evidence[r] < 0 ||
			listing_before(c, &e->entries[found[k].evidence[r]]))
			found[k].evidence[r] = j;
	}
	if ((rules & (1 << RULE_COORDS)) && (!(found[k].rules & (1 << RULE_COORDS)) || distance < found[k].distance))
		found[k].distance = distance;
	found[k].rules |= rules;
}

static void
probe(Engine *e, int i, uint64 hash, Found *found, int *nfound, int max)
{
	Slot	   *slot = hash_search(e->index, &hash, HASH_FIND, NULL);
	ListCell   *lc;

	if (slot == NULL)
		return;
	foreach(lc, slot->entries)
		consider(e, i, lfirst_int(lc), found, nfound, max);
}

/*
 * A property for a subject that joins none: its own, when nobody else
 * keeps it, else a placeholder for a new one.
 */
static int64
own_property(Engine *e, Entry *s)
{
	if (s->old_property > 0 && s->outside_holders == 0 && !claimed(e, s->old_property))
		return s->old_property;
	return -(++e->placeholders);
}

/*
 * Decide subject i.
 */
static void
engine_decide(Engine *e, int i)
{
	Entry	   *s = &e->entries[i];
	Found		found[MAX_REVIEW_CANDIDATES + 1];
	int			nfound = 0;
	int			max = MAX_REVIEW_CANDIDATES + 1;
	int64		cells[MLS_MATCH_MAX_PROBE_CELLS];

	CHECK_FOR_INTERRUPTS();
	e->stamp_now++;
	if (s->keys.upi)
		probe(e, i, key_hash('u', s->keys.upi, strlen(s->keys.upi)), found, &nfound, max);
	if (s->keys.parcel)
		probe(e, i, key_hash('p', s->keys.parcel, strlen(s->keys.parcel)), found, &nfound, max);
	if (s->keys.address)
		probe(e, i, key_hash('a', s->keys.address, strlen(s->keys.address)), found, &nfound, max);
	if (s->keys.has_geo && s->keys.house)
	{
		int			ncells = MlsGeoProbeCells(s->keys.latitude, s->keys.longitude, cells);

		for (int k = 0; k < ncells; k++)
			probe(e, i, key_hash('g', &cells[k], sizeof(int64)), found, &nfound, max);
	}

	if (nfound == 1)
	{
		double		miss = 1.0;
		int			best = -1;

		for (int r = NUM_RULES - 1; r >= 0; r--)
		{
			double		c = rule_confidence[r];

			if (!(found[0].rules & (1 << r)))
				continue;
			if (r == RULE_COORDS)
				c -= 0.2 * found[0].distance / MLS_MATCH_MAX_DISTANCE_M;
			miss *= 1.0 - c;
			best = r;
		}
		s->property_id = found[0].property_id;
		s->rule = best;
		s->confidence = round((1.0 - miss) * 1000.0) / 1000.0;
		s->evidence = found[0].evidence[best];
	}
	else if (nfound == 0)
	{
		s->property_id = own_property(e, s);
		s->rule = -1;
	}
	else
	{
		/* ambiguous: stays where it was if that is a candidate, else alone */
		bool		stay = false;

		for (int k = 0; k < nfound; k++)
			stay = stay || (s->old_property > 0 && found[k].property_id == s->old_property);
		s->property_id = stay ? s->old_property : own_property(e, s);
		s->rule = -2;
		s->nfound = Min(nfound, MAX_REVIEW_CANDIDATES);
		s->found = palloc(sizeof(Found) * s->nfound);
		memcpy(s->found, found, sizeof(Found) * s->nfound);
	}
	claim(e, s->property_id);
	s->decided = true;
}

/*
 * Decide a pinned subject: its override's property.
 */
static void
engine_pin(Engine *e, Entry *s)
{
	s->property_id = s->pin_property;
	s->rule = -3;
	s->confidence = 1.0;
	claim(e, s->property_id);
	s->decided = true;
}

/*
 * Replace placeholders by new property ids (one nextval each).
 */
static void
engine_resolve(Engine *e, int64 *new_properties)
{
	int64	   *ids;
	Oid			argtypes[1] = {INT8OID};
	Datum		values[1];

	if (e->placeholders == 0)
		return;
	values[0] = Int64GetDatum(e->placeholders);
	if (SPI_execute_with_args("SELECT pg_catalog.nextval('mlsync.mls_property_id_seq')"
							  "  FROM pg_catalog.generate_series(1, $1)",
							  1, argtypes, values, NULL, false, 0) != SPI_OK_SELECT ||
		SPI_processed != (uint64) e->placeholders)
		elog(ERROR, "could not allocate property ids");
	ids = palloc(sizeof(int64) * e->placeholders);
	for (uint64 k = 0; k < SPI_processed; k++)
	{
		bool		isnull;

		ids[k] = spi_int8(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 1, &isnull);
	}
	for (int i = 0; i < e->n; i++)
	{
		Entry	   *s = &e->entries[i];

		if (s->property_id < 0)
			s->property_id = ids[-s->property_id - 1];
		for (int k = 0; k < s->nfound; k++)
			if (s->found[k].property_id < 0)
				s->found[k].property_id = ids[-s->found[k].property_id - 1];
	}
	if (new_properties)
		*new_properties += e->placeholders;
	e->placeholders = 0;
}

/*
 * The candidates of an ambiguous subject as JSON: property, listing, rule.
 */
static char *
candidates_json(Engine *e, Entry *s)
{
	StringInfoData buf;

	if (s->rule != -2)
		return NULL;
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (int k = 0; k < s->nfound; k++)
	{
		int			r = 0;
		Entry	   *c;

		while (r < NUM_RULES - 1 && s->found[k].evidence[r] < 0)
			r++;
		c = &e->entries[s->found[k].evidence[r]];
		appendStringInfo(&buf, "%s{\"property_id\": " INT64_FORMAT ", \"connection\": ",
						 k > 0 ? ", " : "", s->found[k].property_id);
		escape_json(&buf, c->connection);
		appendStringInfoString(&buf, ", \"listing_key\": ");
		escape_json(&buf, c->listing_key);
		appendStringInfo(&buf, ", \"rule\": \"%s\"}", rule_names[r]);
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

static const char *
rule_text(int rule)
{
	if (rule >= 0)
		return rule_names[rule];
	return rule == -2 ? "ambiguous" : "none";
}

/*
 * Write the match rows of the chosen subjects (one upsert statement).
 * pin_rule gives pinned subjects' rule ("link" or "unlink").
 */
static void
write_matches(Engine *e, const char *tenant, int *which, int n, SPIPlanPtr plan)
{
	char	  **connection = palloc(sizeof(char *) * Max(n, 1));
	char	  **key = palloc(sizeof(char *) * Max(n, 1));
	int64	   *property = palloc(sizeof(int64) * Max(n, 1));
	char	  **rule = palloc(sizeof(char *) * Max(n, 1));
	double	   *confidence = palloc(sizeof(double) * Max(n, 1));
	bool	   *confidence_null = palloc(sizeof(bool) * Max(n, 1));
	char	  **mconn = palloc(sizeof(char *) * Max(n, 1));
	char	  **mkey = palloc(sizeof(char *) * Max(n, 1));
	char	  **cands = palloc(sizeof(char *) * Max(n, 1));
	char	  **upi = palloc(sizeof(char *) * Max(n, 1));
	char	  **parcel = palloc(sizeof(char *) * Max(n, 1));
	char	  **address = palloc(sizeof(char *) * Max(n, 1));
	char	  **house = palloc(sizeof(char *) * Max(n, 1));
	char	  **normalized = palloc(sizeof(char *) * Max(n, 1));
	double	   *lat = palloc(sizeof(double) * Max(n, 1));
	double	   *lon = palloc(sizeof(double) * Max(n, 1));
	int64	   *cell = palloc(sizeof(int64) * Max(n, 1));
	bool	   *geo_null = palloc(sizeof(bool) * Max(n, 1));
	Datum		values[19];
	int			rc;

	if (n == 0)
		return;
	for (int k = 0; k < n; k++)
	{
		Entry	   *s = &e->entries[which[k]];
		Entry	   *ev = s->evidence >= 0 ? &e->entries[s->evidence] : NULL;

		connection[k] = s->connection;
		key[k] = s->listing_key;
		property[k] = s->property_id;
		rule[k] = (char *) (s->rule == -3 ? (s->pin == 'l' ? "link" : "unlink") : rule_text(s->rule));
		confidence[k] = s->confidence;
		confidence_null[k] = s->confidence < 0;
		mconn[k] = ev ? ev->connection : NULL;
		mkey[k] = ev ? ev->listing_key : NULL;
		cands[k] = candidates_json(e, s);
		upi[k] = s->keys.upi;
		parcel[k] = s->keys.parcel;
		address[k] = s->keys.address;
		house[k] = s->keys.house;
		normalized[k] = s->keys.normalized;
		lat[k] = s->keys.latitude;
		lon[k] = s->keys.longitude;
		cell[k] = s->keys.geo_cell;
		geo_null[k] = !s->keys.has_geo;
	}
	values[0] = CStringGetTextDatum(tenant);
	values[1] = TimestampTzGetDatum(GetCurrentTimestamp());
	values[2] = Int32GetDatum(MLS_ADDRESS_RULES_VERSION);
	values[3] = text_array(connection, n);
	values[4] = text_array(key, n);
	values[5] = int8_array(property, NULL, n);
	values[6] = text_array(rule, n);
	values[7] = float8_array(confidence, confidence_null, n);
	values[8] = text_array(mconn, n);
	values[9] = text_array(mkey, n);
	values[10] = text_array(cands, n);
	values[11] = text_array(upi, n);
	values[12] = text_array(parcel, n);
	values[13] = text_array(address, n);
	values[14] = text_array(house, n);
	values[15] = text_array(normalized, n);
	values[16] = float8_array(lat, geo_null, n);
	values[17] = float8_array(lon, geo_null, n);
	values[18] = int8_array(cell, geo_null, n);
	if (plan)
		rc = SPI_execute_plan(plan, values, NULL, false, 0);
	else
		rc = SPI_execute_with_args(upsert_sql, 19, (Oid *) upsert_types, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT)
		elog(ERROR, "could not record property matches: %s", SPI_result_code_string(rc));
}

/*
 * Ask the database for the stable listings sharing a key with the subjects
 * to decide; add them as entries.  skip(entry row, arg) says which rows not
 * to add (subjects of the step, listings not decided yet).
 */
static void
add_candidates(Engine *e, const char *tenant, const char *sql,
			   bool (*skip) (HeapTuple, TupleDesc, void *), void *arg)
{
	List	   *upis = NIL;
	List	   *parcels = NIL;
	List	   *addresses = NIL;
	int64	   *cells = palloc(sizeof(int64) * Max(e->n * MLS_MATCH_MAX_PROBE_CELLS, 1));
	int			ncells = 0;
	char	  **arr;
	int			k;
	Datum		values[5];
	Oid			argtypes[5] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, INT8ARRAYOID};
	int			rc;
	uint64		nrows;
	SPITupleTable *tuptable;
	ListCell   *lc;

	for (int i = 0; i < e->n; i++)
	{
		Entry	   *s = &e->entries[i];

		if (!s->subject || !s->needs_decision)
			continue;
		if (s->keys.upi)
			upis = lappend(upis, s->keys.upi);
		if (s->keys.parcel)
			parcels = lappend(parcels, s->keys.parcel);
		if (s->keys.address)
			addresses = lappend(addresses, s->keys.address);
		if (s->keys.has_geo && s->keys.house)
			ncells += MlsGeoProbeCells(s->keys.latitude, s->keys.longitude, cells + ncells);
	}
	if (upis == NIL && parcels == NIL && addresses == NIL && ncells == 0)
		return;

	values[0] = CStringGetTextDatum(tenant);
	arr = palloc(sizeof(char *) * Max(list_length(upis), 1));
	k = 0;
	foreach(lc, upis)
		arr[k++] = lfirst(lc);
	values[1] = text_array(arr, k);
	arr = palloc(sizeof(char *) * Max(list_length(parcels), 1));
	k = 0;
	foreach(lc, parcels)
		arr[k++] = lfirst(lc);
	values[2] = text_array(arr, k);
	arr = palloc(sizeof(char *) * Max(list_length(addresses), 1));
	k = 0;
	foreach(lc, addresses)
		arr[k++] = lfirst(lc);
	values[3] = text_array(arr, k);
	values[4] = int8_array(cells, NULL, ncells);
	rc = MlsSpiExecuteGeneric(sql, 5, argtypes, values, NULL, false);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read match candidates: %s", SPI_result_code_string(rc));

	tuptable = SPI_tuptable;
	nrows = SPI_processed;
	for (uint64 r = 0; r < nrows; r++)
	{
		HeapTuple	tuple = tuptable->vals[r];
		TupleDesc	desc = tuptable->tupdesc;
		Entry	   *c;
		bool		isnull;
		bool		latnull;
		bool		lonnull;

		if (skip(tuple, desc, arg))
			continue;
		c = engine_add(e, spi_text(tuple, desc, 1), spi_text(tuple, desc, 2));
		c->property_id = spi_int8(tuple, desc, 3, &isnull);
		c->keys.upi = spi_text(tuple, desc, 4);
		c->keys.parcel = spi_text(tuple, desc, 5);
		c->keys.address = spi_text(tuple, desc, 6);
		c->keys.house = spi_text(tuple, desc, 7);
		c->keys.latitude = spi_float8(tuple, desc, 8, &latnull);
		c->keys.longitude = spi_float8(tuple, desc, 9, &lonnull);
		c->keys.has_geo = !latnull && !lonnull;
		if (c->keys.has_geo)
			c->keys.geo_cell = MlsGeoCell(c->keys.latitude, c->keys.longitude);
		c->isolated = DatumGetBool(SPI_getbinval(tuple, desc, 10, &isnull));
		read_not_with(tuple, desc, 11, c);
		c->decided = true;
	}
	SPI_freetuptable(tuptable);
}

/*
 * Index every entry and decide the subjects that need it, in order.
 */
static void
engine_run(Engine *e)
{
	e->stamp = palloc0(sizeof(int) * e->n);
	for (int i = 0; i < e->n; i++)
		engine_index(e, i);
	for (int i = 0; i < e->n; i++)
	{
		Entry	   *s = &e->entries[i];

		if (!s->subject || s->decided)
			continue;
		if (s->pin)
			engine_pin(e, s);
		else
			engine_decide(e, i);
	}
}

/* ---------------------------------------------------------------------
 * The writer's hooks
 * ---------------------------------------------------------------------
 */

/*
 * A matcher for one run, in the current memory context; NULL when
 * mlsync.property_matching is off.
 */
MlsMatcher *
MlsMatcherCreate(const char *tenant, const char *connection, TupleDesc desc)
{
	MlsMatcher *m;

	if (!mlsync_property_matching)
		return NULL;
	m = palloc0(sizeof(MlsMatcher));
	m->tenant = pstrdup(tenant);
	m->connection = pstrdup(connection);
	m->desc = desc;
	for (int a = 0; a < 16; a++)
	{
		m->att[a] = SPI_fnumber(desc, att_names[a]);
		if (m->att[a] <= 0)
			elog(ERROR, "mlsync.mls_listings has no column %s", att_names[a]);
		m->att[a]--;			/* index into values[] */
	}
	return m;
}

/*
 * Prepare the upsert of match rows once per run, planned again at each
 * execution.  The statements that look matches up by key are not kept:
 * they run through a generic plan made for each batch
 * (MlsSpiExecuteGeneric), which neither a table that was empty when the
 * run began nor statistics that have never seen the tenant mislead.
 */
static SPIPlanPtr
keep_plan(const char *sql, int nargs, const Oid *argtypes)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, (Oid *) argtypes, CURSOR_OPT_CUSTOM_PLAN);

	if (plan == NULL)
		elog(ERROR, "could not prepare a matching statement: %s", SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "could not keep a matching statement");
	return plan;
}

/*
 * The text of column a of a row, or NULL.
 */
static const char *
row_text(Datum *values, bool *nulls, int a)
{
	return nulls[a] ? NULL : TextDatumGetCString(values[a]);
}

/*
 * A subject's address as the normaliser reads it.
 */
static void
row_address(MlsMatcher *m, Datum *values, bool *nulls, MlsListingAddress *address)
{
	address->upi = row_text(values, nulls, m->att[A_UPI]);
	address->parcel = row_text(values, nulls, m->att[A_PARCEL]);
	address->county = row_text(values, nulls, m->att[A_COUNTY]);
	address->state = row_text(values, nulls, m->att[A_STATE]);
	address->unparsed = row_text(values, nulls, m->att[A_UNPARSED]);
	address->number = row_text(values, nulls, m->att[A_NUMBER]);
	address->dir_prefix = row_text(values, nulls, m->att[A_DIR_PREFIX]);
	address->name = row_text(values, nulls, m->att[A_NAME]);
	address->suffix = row_text(values, nulls, m->att[A_SUFFIX]);
	address->dir_suffix = row_text(values, nulls, m->att[A_DIR_SUFFIX]);
	address->unit = row_text(values, nulls, m->att[A_UNIT]);
	address->postal_code = row_text(values, nulls, m->att[A_POSTAL]);
	address->has_coordinates = !nulls[m->att[A_LATITUDE]] && !nulls[m->att[A_LONGITUDE]];
	if (address->has_coordinates)
	{
		address->latitude = DatumGetFloat8(DirectFunctionCall1(numeric_float8, values[m->att[A_LATITUDE]]));
		address->longitude = DatumGetFloat8(DirectFunctionCall1(numeric_float8, values[m->att[A_LONGITUDE]]));
	}
}

/* skip() of the sync: the candidates that are rows of the batch */
typedef struct BatchKeys
{
	const char *connection;
	HTAB	   *keys;
} BatchKeys;

static bool
skip_batch_rows(HeapTuple tuple, TupleDesc desc, void *arg)
{
	BatchKeys  *batch = arg;
	char	   *connection = SPI_getvalue(tuple, desc, 1);
	char	   *key;
	bool		skip;

	if (strcmp(connection, batch->connection) != 0)
		return false;
	key = SPI_getvalue(tuple, desc, 2);
	skip = hash_search(batch->keys, key, HASH_FIND, NULL) != NULL;
	pfree(key);
	return skip;
}

/*
 * Match a batch before the upsert writes it: decide the rows whose keys
 * are new or changed and set property_id in every row (rows[i] is
 * replaced by a row allocated in rows_cxt, the context of the caller's
 * rows: they outlive the SPI connection this runs in, and a batch the
 * database refuses is written again row by row from them).  Runs inside
 * the writer's SPI connection.
 */
void
MlsMatcherBeforeUpsert(MlsMatcher *m, Datum *rows, int n, MemoryContext rows_cxt)
{
	TupleDesc	desc = m->desc;
	int			natts = desc->natts;
	Datum	  **values = palloc(sizeof(Datum *) * Max(n, 1));
	bool	  **nulls = palloc(sizeof(bool *) * Max(n, 1));
	char	  **keys = palloc(sizeof(char *) * Max(n, 1));
	Engine	   *e;
	BatchKeys	batch;
	HASHCTL		ctl;
	HTAB	   *old_counts;
	Datum		args[3];
	bool		any_decision = false;
	int			rc;

	m->engine = NULL;
	m->nrows = n;
	if (n == 0)
		return;
	MlsMatchLockTenant(m->tenant);

	if (m->upsert_plan == NULL)
		m->upsert_plan = keep_plan(upsert_sql, 19, upsert_types);

	/* the subjects: every row, with its keys */
	e = engine_create(n * 4, NULL);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = NAMEDATALEN * 4;
	ctl.entrysize = ctl.keysize;
	ctl.hcxt = CurrentMemoryContext;
	batch.connection = m->connection;
	batch.keys = hash_create("mlsync batch keys", n, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	for (int i = 0; i < n; i++)
	{
		HeapTupleHeader th = DatumGetHeapTupleHeader(rows[i]);
		HeapTupleData tuple;
		MlsListingAddress address;
		Entry	   *s;

		tuple.t_len = HeapTupleHeaderGetDatumLength(th);
		ItemPointerSetInvalid(&tuple.t_self);
		tuple.t_tableOid = InvalidOid;
		tuple.t_data = th;
		values[i] = palloc(sizeof(Datum) * natts);
		nulls[i] = palloc(sizeof(bool) * natts);
		heap_deform_tuple(&tuple, desc, values[i], nulls[i]);
		keys[i] = TextDatumGetCString(values[i][m->att[A_LISTING_KEY]]);

		s = engine_add(e, m->connection, keys[i]);
		row_address(m, values[i], nulls[i], &address);
		MlsMatchKeysCompute(&address, &s->keys);
		s->subject = true;
		s->needs_decision = true;
		s->keys_changed = true;
		if (strlen(keys[i]) < NAMEDATALEN * 4)
			hash_search(batch.keys, keys[i], HASH_ENTER, NULL);
	}

	/* what is stored of them: property, keys, override, other holders */
	args[0] = CStringGetTextDatum(m->tenant);
	args[1] = CStringGetTextDatum(m->connection);
	args[2] = text_array(keys, n);
	rc = MlsSpiExecuteGeneric(stored_sql, 3, stored_types, args, NULL, false);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read stored property matches: %s", SPI_result_code_string(rc));
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(int64) * 2;
	ctl.hcxt = CurrentMemoryContext;
	old_counts = hash_create("mlsync batch properties", n, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[r];
		TupleDesc	sdesc = SPI_tuptable->tupdesc;
		bool		isnull;
		int			i = DatumGetInt32(SPI_getbinval(tuple, sdesc, 1, &isnull)) - 1;
		Entry	   *s = &e->entries[i];
		MlsMatchKeys stored;
		int32		version;
		char	   *action;
		int64	   *count;
		bool		found;

		s->has_row = true;
		s->old_property = spi_int8(tuple, sdesc, 2, &isnull);
		memset(&stored, 0, sizeof(stored));
		stored.upi = spi_text(tuple, sdesc, 3);
		stored.parcel = spi_text(tuple, sdesc, 4);
		stored.address = spi_text(tuple, sdesc, 5);
		stored.house = spi_text(tuple, sdesc, 6);
		stored.normalized = spi_text(tuple, sdesc, 7);
		stored.latitude = spi_float8(tuple, sdesc, 8, &isnull);
		stored.has_geo = !isnull;
		stored.longitude = spi_float8(tuple, sdesc, 9, &isnull);
		version = DatumGetInt32(SPI_getbinval(tuple, sdesc, 10, &isnull));
		s->keys_changed = !MlsMatchKeysEqual(&s->keys, &stored);
		s->needs_decision = s->keys_changed || version != MLS_ADDRESS_RULES_VERSION;
		action = spi_text(tuple, sdesc, 11);
		if (action)
		{
			s->pin = action[0] == 'l' ? 'l' : 'u';
			s->pin_property = spi_int8(tuple, sdesc, 12, &isnull);
			s->isolated = s->pin == 'u';
		}
		s->outside_holders = spi_int8(tuple, sdesc, 13, &isnull) - 1;
		read_not_with(tuple, sdesc, 14, s);
		count = hash_search(old_counts, &s->old_property, HASH_ENTER, &found);
		if (!found)
			count[1] = 0;
		count[1]++;
	}
	SPI_freetuptable(SPI_tuptable);

	for (int i = 0; i < n; i++)
	{
		Entry	   *s = &e->entries[i];

		if (s->has_row)
		{
			/* holders outside the batch: not the other rows of the batch */
			int64	   *count = hash_search(old_counts, &s->old_property, HASH_FIND, NULL);

			s->outside_holders -= count[1] - 1;
		}
		if (s->pin)
		{
			engine_pin(e, s);
			s->needs_decision = false;
		}
		else if (!s->needs_decision)
		{
			/* unchanged keys: the stored decision stands */
			s->property_id = s->old_property;
			s->decided = true;
			claim(e, s->property_id);
		}
		any_decision = any_decision || s->needs_decision;
	}

	if (any_decision)
	{
		add_candidates(e, m->tenant, psprintf(candidates_sql, "", ""), skip_batch_rows, &batch);
		engine_run(e);
		engine_resolve(e, NULL);
	}

	/* property_id in every row */
	for (int i = 0; i < n; i++)
	{
		MemoryContext old = MemoryContextSwitchTo(rows_cxt);
		HeapTuple	tuple;

		values[i][m->att[A_PROPERTY]] = Int64GetDatum(e->entries[i].property_id);
		nulls[i][m->att[A_PROPERTY]] = false;
		tuple = heap_form_tuple(desc, values[i], nulls[i]);
		rows[i] = HeapTupleGetDatum(tuple);
		MemoryContextSwitchTo(old);
	}
	m->engine = e;
}

/*
 * Record the decisions of the rows the upsert wrote (its RETURNING rows,
 * listing_key in column 2), and move watches of properties that merged.
 */
void
MlsMatcherAfterUpsert(MlsMatcher *m, SPITupleTable *written, uint64 nwritten)
{
	Engine	   *e = m->engine;
	HASHCTL		ctl;
	HTAB	   *keys;
	int		   *which;
	int			nwhich = 0;
	int64	   *from;
	int64	   *to;
	int			nmoves = 0;

	if (e == NULL || nwritten == 0)
		return;
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = NAMEDATALEN * 4;
	ctl.entrysize = ctl.keysize;
	ctl.hcxt = CurrentMemoryContext;
	keys = hash_create("mlsync written keys", (long) nwritten, &ctl,
					   HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	for (uint64 r = 0; r < nwritten; r++)
	{
		char	   *key = SPI_getvalue(written->vals[r], written->tupdesc, 2);

		if (key && strlen(key) < NAMEDATALEN * 4)
			hash_search(keys, key, HASH_ENTER, NULL);
	}

	which = palloc(sizeof(int) * m->nrows);
	from = palloc(sizeof(int64) * m->nrows);
	to = palloc(sizeof(int64) * m->nrows);
	for (int i = 0; i < m->nrows; i++)
	{
		Entry	   *s = &e->entries[i];

		if (!(s->needs_decision || s->keys_changed || !s->has_row))
			continue;
		if (strlen(s->listing_key) >= NAMEDATALEN * 4 ||
			hash_search(keys, s->listing_key, HASH_FIND, NULL) == NULL)
			continue;
		which[nwhich++] = i;
		if (s->old_property > 0 && s->property_id != s->old_property)
		{
			from[nmoves] = s->old_property;
			to[nmoves++] = s->property_id;
		}
	}
	write_matches(e, m->tenant, which, nwhich, m->upsert_plan);
	if (nmoves > 0)
	{
		Oid			argtypes[3] = {TEXTOID, INT8ARRAYOID, INT8ARRAYOID};
		Datum		values[3];

		values[0] = CStringGetTextDatum(m->tenant);
		values[1] = int8_array(from, NULL, nmoves);
		values[2] = int8_array(to, NULL, nmoves);
		if (SPI_execute_with_args("SELECT mlsync.mls_follow_properties($1, $2, $3)",
								  3, argtypes, values, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not move watches of merged properties");
	}
	m->engine = NULL;
}

/*
 * Free the kept plans.
 */
void
MlsMatcherDestroy(MlsMatcher *m)
{
	if (m == NULL)
		return;
	if (m->upsert_plan)
		SPI_freeplan(m->upsert_plan);
	m->upsert_plan = NULL;
}

/* ---------------------------------------------------------------------
 * Rematching
 * ---------------------------------------------------------------------
 */

/*
 * Every listing of the tenant whose keys, as computed now, differ from the
 * stored ones (or all of them with full), into pg_temp.mls_rematch_found;
 * then the listings that shared a property with them; then, in canonical
 * order, pg_temp.mls_rematch_pending.
 */
static const char found_sql[] =
"INSERT INTO mls_rematch_found"
" SELECT l.connection, l.listing_key, c.priority, l.first_seen_at,"
"        k.upi_key, k.parcel_key, k.address_key, k.house_key, k.normalized_address,"
"        k.latitude, k.longitude, m.property_id, m.rule, m.confidence,"
"        m.matched_connection, m.matched_listing_key, m.listing_key IS NOT NULL,"
"        m.listing_key IS NULL OR (k.upi_key, k.parcel_key, k.address_key, k.house_key,"
"                                  k.normalized_address, k.latitude, k.longitude)"
"            IS DISTINCT FROM (m.upi_key, m.parcel_key, m.address_key, m.house_key,"
"                              m.normalized_address, m.latitude, m.longitude),"
"        o.action, o.property_id, o.not_with"
"   FROM mlsync.mls_listings l"
"   JOIN mlsync.mls_connections c ON c.tenant_id = l.tenant_id AND c.connection = l.connection"
"  CROSS JOIN LATERAL mlsync.mls_match_keys(l.universal_property_id, l.parcel_number,"
"        l.county_or_parish, l.state_or_province, l.unparsed_address, l.street_number,"
"        l.street_dir_prefix, l.street_name, l.street_suffix, l.street_dir_suffix,"
"        l.unit_number, l.postal_code, l.latitude, l.longitude) k"
"   LEFT JOIN mlsync.mls_listing_matches m"
"     ON m.tenant_id = l.tenant_id AND m.connection = l.connection AND m.listing_key = l.listing_key"
"   LEFT JOIN mlsync.mls_match_overrides o"
"     ON o.tenant_id = l.tenant_id AND o.connection = l.connection AND o.listing_key = l.listing_key"
"  WHERE l.tenant_id = $1"
"    AND ($2 OR m.listing_key IS NULL OR m.rules_version <> $3"
"         OR (k.upi_key, k.parcel_key, k.address_key, k.house_key, k.normalized_address,"
"             k.latitude, k.longitude)"
"            IS DISTINCT FROM (m.upi_key, m.parcel_key, m.address_key, m.house_key,"
"                              m.normalized_address, m.latitude, m.longitude))";

static const char mates_sql[] =
"INSERT INTO mls_rematch_found"
" SELECT m.connection, m.listing_key, c.priority, l.first_seen_at,"
"        m.upi_key, m.parcel_key, m.address_key, m.house_key, m.normalized_address,"
"        m.latitude, m.longitude, m.property_id, m.rule, m.confidence,"
"        m.matched_connection, m.matched_listing_key, true, false, NULL, NULL, NULL"
"   FROM mlsync.mls_listing_matches m"
"   JOIN mlsync.mls_listings l"
"     ON l.tenant_id = m.tenant_id AND l.connection = m.connection AND l.listing_key = m.listing_key"
"   JOIN mlsync.mls_connections c ON c.tenant_id = m.tenant_id AND c.connection = m.connection"
"  WHERE m.tenant_id = $1"
"    AND m.property_id IN (SELECT f.old_property FROM mls_rematch_found f"
"                           WHERE f.old_property IS NOT NULL)"
"    AND NOT EXISTS (SELECT FROM mls_rematch_found f"
"                     WHERE f.connection = m.connection AND f.listing_key = m.listing_key)"
"    AND NOT EXISTS (SELECT FROM mlsync.mls_match_overrides o"
"                     WHERE o.tenant_id = m.tenant_id AND o.connection = m.connection"
"                       AND o.listing_key = m.listing_key)";

/* skip() of a rematch chunk: pending listings not decided before it */
static bool
skip_undecided(HeapTuple tuple, TupleDesc desc, void *arg)
{
	int64		first = *(int64 *) arg;
	bool		isnull;
	int64		ord = DatumGetInt64(SPI_getbinval(tuple, desc, 12, &isnull));

	return !isnull && ord >= first;
}

static bool
changed_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/*
 * Decide one chunk of pending listings (rows of the cursor, in order) and
 * write what changed.
 */
static void
rematch_chunk(const char *tenant, SPITupleTable *tuptable, uint64 nrows, HTAB *claimed_all,
			  MlsRematchResult *result, const char *sql)
{
	Engine	   *e = engine_create((int) nrows * 3, claimed_all);
	TupleDesc	desc = tuptable->tupdesc;
	int64		first_ord = 0;
	int		   *which = palloc(sizeof(int) * nrows);
	int			nwhich = 0;
	char	  **conns = palloc(sizeof(char *) * nrows);
	char	  **lkeys = palloc(sizeof(char *) * nrows);
	int64	   *props = palloc(sizeof(int64) * nrows);
	int64	   *from = palloc(sizeof(int64) * nrows);
	int			nprops = 0;

	for (uint64 r = 0; r < nrows; r++)
	{
		HeapTuple	tuple = tuptable->vals[r];
		bool		isnull;
		Entry	   *s = engine_add(e, spi_text(tuple, desc, 2), spi_text(tuple, desc, 3));
		char	   *action;

		if (r == 0)
			first_ord = spi_int8(tuple, desc, 1, &isnull);
		s->subject = true;
		s->needs_decision = true;
		s->keys.upi = spi_text(tuple, desc, 4);
		s->keys.parcel = spi_text(tuple, desc, 5);
		s->keys.address = spi_text(tuple, desc, 6);
		s->keys.house = spi_text(tuple, desc, 7);
		s->keys.normalized = spi_text(tuple, desc, 8);
		s->keys.latitude = spi_float8(tuple, desc, 9, &isnull);
		s->keys.has_geo = !isnull;
		s->keys.longitude = spi_float8(tuple, desc, 10, &isnull);
		if (s->keys.has_geo)
			s->keys.geo_cell = MlsGeoCell(s->keys.latitude, s->keys.longitude);
		s->old_property = spi_int8(tuple, desc, 11, &isnull);
		s->old_rule = spi_text(tuple, desc, 12);
		s->old_confidence = spi_float8(tuple, desc, 13, &isnull);
		if (isnull)
			s->old_confidence = -1;
		s->old_matched_connection = spi_text(tuple, desc, 14);
		s->old_matched_listing_key = spi_text(tuple, desc, 15);
		s->has_row = DatumGetBool(SPI_getbinval(tuple, desc, 16, &isnull));
		s->keys_changed = DatumGetBool(SPI_getbinval(tuple, desc, 17, &isnull));
		action = spi_text(tuple, desc, 18);
		if (action)
		{
			s->pin = action[0] == 'l' ? 'l' : 'u';
			s->pin_property = spi_int8(tuple, desc, 19, &isnull);
			s->isolated = s->pin == 'u';
		}
		read_not_with(tuple, desc, 20, s);
	}
	add_candidates(e, tenant, sql, skip_undecided, &first_ord);
	engine_run(e);
	engine_resolve(e, &result->new_properties);

	for (uint64 i = 0; i < nrows; i++)
	{
		Entry	   *s = &e->entries[i];
		Entry	   *ev = s->evidence >= 0 ? &e->entries[s->evidence] : NULL;
		const char *rule = s->rule == -3 ? (s->pin == 'l' ? "link" : "unlink") : rule_text(s->rule);

		result->rematched++;
		if (s->rule == -2)
			result->ambiguous++;
		if (!s->has_row || s->keys_changed || s->property_id != s->old_property ||
			changed_text(rule, s->old_rule) || s->rule == -2 ||
			fabs(s->confidence - s->old_confidence) > 0.0005 ||
			(s->rule != -3 &&
			 (changed_text(ev ? ev->connection : NULL, s->old_matched_connection) ||
			  changed_text(ev ? ev->listing_key : NULL, s->old_matched_listing_key))))
			which[nwhich++] = (int) i;
		if (s->property_id != s->old_property)
		{
			conns[nprops] = s->connection;
			lkeys[nprops] = s->listing_key;
			from[nprops] = s->old_property;
			props[nprops++] = s->property_id;
		}
	}
	write_matches(e, tenant, which, nwhich, NULL);
	if (nprops > 0)
	{
		Oid			argtypes[4] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID, INT8ARRAYOID};
		Datum		values[4];
		int64	   *moved_from = palloc(sizeof(int64) * nprops);
		int64	   *moved_to = palloc(sizeof(int64) * nprops);
		int			nmoved = 0;

		values[0] = CStringGetTextDatum(tenant);
		values[1] = text_array(conns, nprops);
		values[2] = text_array(lkeys, nprops);
		values[3] = int8_array(props, NULL, nprops);
		if (SPI_execute_with_args("UPDATE mlsync.mls_listings l SET property_id = v.property_id"
								  "  FROM unnest($2, $3, $4) AS v(connection, listing_key, property_id)"
								  " WHERE l.tenant_id = $1 AND l.connection = v.connection"
								  "   AND l.listing_key = v.listing_key"
								  "   AND l.property_id IS DISTINCT FROM v.property_id",
								  4, argtypes, values, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not update the properties of listings");
		result->moved += nprops;

		/*
		 * The statistics count a cross-listed property through one of its
		 * listings (count_per = property): the listings that moved and those
		 * left in the properties they moved from are counted again at the
		 * next refresh (src/stats/refresh.c takes the marks).
		 */
		values[3] = int8_array(from, NULL, nprops);
		if (SPI_execute_with_args("INSERT INTO mlsync.mls_stats_dirty (tenant_id, connection, listing_key)"
								  " SELECT $1, v.connection, v.listing_key FROM unnest($2, $3) AS v(connection, listing_key)"
								  " UNION"
								  " SELECT $1, m.connection, m.listing_key FROM mlsync.mls_listing_matches m"
								  "  WHERE m.tenant_id = $1 AND m.property_id = ANY ($4)",
								  4, argtypes, values, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not mark the statistics of moved listings");
		for (int k = 0; k < nprops; k++)
		{
			if (from[k] > 0)
			{
				moved_from[nmoved] = from[k];
				moved_to[nmoved++] = props[k];
			}
		}
		if (nmoved > 0)
		{
			Oid			mtypes[3] = {TEXTOID, INT8ARRAYOID, INT8ARRAYOID};

			values[1] = int8_array(moved_from, NULL, nmoved);
			values[2] = int8_array(moved_to, NULL, nmoved);
			if (SPI_execute_with_args("SELECT mlsync.mls_follow_properties($1, $2, $3)",
									  3, mtypes, values, NULL, false, 0) != SPI_OK_SELECT)
				elog(ERROR, "could not move watches of merged properties");
		}
	}
}

/*
 * Run one statement of rematching; fail with its name.
 */
static void
rematch_exec(const char *sql, int nargs, Oid *argtypes, Datum *values, int expected)
{
	int			rc = SPI_execute_with_args(sql, nargs, argtypes, values, NULL, false, 0);

	if (rc != expected)
		elog(ERROR, "rematching failed (%s): %s", SPI_result_code_string(rc), sql);
}

/*
 * Recompute the property matches of a tenant; see the file header.
 */
void
MlsRematch(const char *tenant, bool full, MlsRematchResult *result)
{
	Oid			argtypes[3] = {TEXTOID, BOOLOID, INT4OID};
	Datum		values[3];
	Portal		portal;
	HASHCTL		ctl;
	HTAB	   *claimed_all;
	char	   *sql = psprintf(candidates_sql, ", p.ord",
							   " LEFT JOIN LATERAL (SELECT p.ord FROM pg_temp.mls_rematch_pending p"
							   "                     WHERE p.connection = m.connection"
							   "                       AND p.listing_key = m.listing_key OFFSET 0) p ON true");
	bool		isnull;

	memset(result, 0, sizeof(*result));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MlsMatchLockTenant(tenant);

	values[0] = CStringGetTextDatum(tenant);
	values[1] = BoolGetDatum(full);
	values[2] = Int32GetDatum(MLS_ADDRESS_RULES_VERSION);
	rematch_exec("SELECT FROM mlsync.mls_tenants WHERE tenant_id = $1", 1, argtypes, values, SPI_OK_SELECT);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant \"%s\" does not exist", tenant),
				 errhint("Create it with mlsync.mls_create_tenant().")));
	/*
	 * The statements below read and write by index only when the planner
	 * knows how large the tables are: tables never analyzed (just loaded)
	 * are analyzed first (its lock blocks neither readers nor writers), when
	 * the caller may (else ANALYZE would only warn).
	 */
	rematch_exec("SELECT c.relname FROM pg_catalog.pg_class c"
				 " WHERE c.oid IN ('mlsync.mls_listings'::regclass, 'mlsync.mls_listing_matches'::regclass)"
				 "   AND c.reltuples < 0 AND pg_catalog.pg_has_role(c.relowner, 'USAGE')",
				 0, NULL, NULL, SPI_OK_SELECT);
	{
		List	   *never_analyzed = NIL;
		ListCell   *lc;

		for (uint64 r = 0; r < SPI_processed; r++)
			never_analyzed = lappend(never_analyzed,
									 SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1));
		foreach(lc, never_analyzed)
			rematch_exec(psprintf("ANALYZE mlsync.%s", quote_identifier(lfirst(lc))),
						 0, NULL, NULL, SPI_OK_UTILITY);
	}
	rematch_exec("SELECT count(*) FROM mlsync.mls_listings WHERE tenant_id = $1",
				 1, argtypes, values, SPI_OK_SELECT);
	result->listings = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));

	/* left over by an earlier call in this transaction */
	rematch_exec("SELECT to_regclass('pg_temp.mls_rematch_found') IS NOT NULL",
				 0, NULL, NULL, SPI_OK_SELECT);
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		rematch_exec("DROP TABLE pg_temp.mls_rematch_found, pg_temp.mls_rematch_pending",
					 0, NULL, NULL, SPI_OK_UTILITY);
	rematch_exec("CREATE TEMP TABLE mls_rematch_found ("
				 " connection text, listing_key text, priority integer, first_seen_at timestamptz,"
				 " upi_key text, parcel_key text, address_key text, house_key text,"
				 " normalized_address text, latitude float8, longitude float8, old_property bigint,"
				 " old_rule text, old_confidence numeric, old_matched_connection text,"
				 " old_matched_listing_key text, has_row boolean, keys_changed boolean,"
				 " pin_action text, pin_property bigint, not_with text[]) ON COMMIT DROP",
				 0, NULL, NULL, SPI_OK_UTILITY);
	rematch_exec(found_sql, 3, argtypes, values, SPI_OK_INSERT);
	rematch_exec(mates_sql, 1, argtypes, values, SPI_OK_INSERT);
	rematch_exec("CREATE TEMP TABLE mls_rematch_pending ON COMMIT DROP AS"
				 " SELECT row_number() OVER (ORDER BY priority, first_seen_at, connection, listing_key) AS ord,"
				 "        connection, listing_key, upi_key, parcel_key, address_key, house_key,"
				 "        normalized_address, latitude, longitude, old_property, old_rule,"
				 "        old_confidence::float8, old_matched_connection, old_matched_listing_key,"
				 "        has_row, keys_changed, pin_action, pin_property, not_with"
				 "   FROM mls_rematch_found",
				 0, NULL, NULL, SPI_OK_UTILITY);
	rematch_exec("CREATE UNIQUE INDEX ON pg_temp.mls_rematch_pending (connection, listing_key)",
				 0, NULL, NULL, SPI_OK_UTILITY);
	rematch_exec("CREATE INDEX ON pg_temp.mls_rematch_pending (ord)",
				 0, NULL, NULL, SPI_OK_UTILITY);
	rematch_exec("ANALYZE pg_temp.mls_rematch_pending", 0, NULL, NULL, SPI_OK_UTILITY);

	/* the properties pinned listings hold are taken */
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(Claim);
	ctl.hcxt = CurrentMemoryContext;
	claimed_all = hash_create("mlsync rematch properties", 1024, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	rematch_exec("SELECT property_id FROM mlsync.mls_match_overrides WHERE tenant_id = $1",
				 1, argtypes, values, SPI_OK_SELECT);
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		int64		p = spi_int8(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);

		hash_search(claimed_all, &p, HASH_ENTER, NULL);
	}

	portal = SPI_cursor_open_with_args(NULL, "SELECT * FROM pg_temp.mls_rematch_pending ORDER BY ord",
									   0, NULL, NULL, NULL, false, 0);
	for (;;)
	{
		MemoryContext chunk_cxt = AllocSetContextCreate(CurrentMemoryContext, "mlsync rematch chunk",
														ALLOCSET_DEFAULT_SIZES);
		MemoryContext old;
		SPITupleTable *tuptable;
		uint64		nrows;

		CHECK_FOR_INTERRUPTS();
		SPI_cursor_fetch(portal, true, REMATCH_CHUNK);
		tuptable = SPI_tuptable;
		nrows = SPI_processed;
		if (nrows == 0)
		{
			MemoryContextDelete(chunk_cxt);
			break;
		}
		old = MemoryContextSwitchTo(chunk_cxt);
		rematch_chunk(tenant, tuptable, nrows, claimed_all, result, sql);
		MemoryContextSwitchTo(old);
		SPI_freetuptable(tuptable);
		MemoryContextDelete(chunk_cxt);
	}
	SPI_cursor_close(portal);
	rematch_exec("DROP TABLE pg_temp.mls_rematch_found, pg_temp.mls_rematch_pending",
				 0, NULL, NULL, SPI_OK_UTILITY);
	SPI_finish();
}
