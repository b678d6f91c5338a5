/*-------------------------------------------------------------------------
 *
 * mapping.c
 *	  Compile mapping sets from mls_field_mappings and apply them to source
 *	  records (docs/features.md F5).
 *
 * Folder src/mapping/: the mapping engine - compiling mapping sets,
 * applying them to records (this file) and converting text to typed values
 * without raising (convert.c).  It is protocol-neutral: it may not include
 * transport/, reso/ or rets/ headers, nor libcurl or libxml2.
 *
 * Compiling validates every row against the real columns of mls_listings
 * (no SQL is ever built from a target name), resolves each target to an
 * attribute number, loads value maps and RESO lookups, and precomputes the
 * numeric limits of the target columns.  Applying a compiled set to a record
 * is then a loop of key lookups in the jsonb object and conversions; it
 * reports bad data through MlsMapError instead of raising, so one bad record
 * costs a sync one log row, not its page.
 *
 * The same compile step validates single rows in the BEFORE trigger of
 * mls_field_mappings, so any row the table accepts also compiles.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/formatting.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "support/sqlargs.h"
#include "mapping/convert.h"
#include "mapping/mapping.h"
#include "mlsync.h"

#define EXTRA_PREFIX "extra."
#define EXTRA_PREFIX_LEN 6
/* Seed of raw_hash: a fixed value, so hashes stay comparable across runs */
#define MLS_RAW_HASH_SEED UINT64CONST(0x6d6c73796e630001)
/* Lookup values longer than this are never normalized (none come close) */
#define LOOKUP_KEY_LEN 128

/* One legacy spelling -> display spelling pair of a RESO lookup */
typedef struct LookupEntry
{
	char		legacy[LOOKUP_KEY_LEN];
	char	   *standard;
} LookupEntry;

/* A row of mls_field_mappings as read from a tuple */
typedef struct MappingRow
{
	char	   *target;
	char	   *source_field;
	char	   *transform;		/* NULL: derive from the target's type */
	Jsonb	   *value_map;
	char	   *lookup_name;
	bool		has_scale;
	int			scale;
	bool		has_factor;
	Datum		factor;
	char	   *format;
	char	   *separator;
	char	   *default_value;
	bool		required;
} MappingRow;

/* A source value on its way through a transform */
typedef struct SourceValue
{
	JsonbValue *jv;				/* the source's own value (scalar or binary) */
	const char *str;			/* its text, for text-based conversions */
	int			len;
} SourceValue;

static const char *const transform_names[] = {
	[MLS_TRANSFORM_TEXT] = "text",
	[MLS_TRANSFORM_INTEGER] = "integer",
	[MLS_TRANSFORM_NUMERIC] = "numeric",
	[MLS_TRANSFORM_BOOLEAN] = "boolean",
	[MLS_TRANSFORM_DATE] = "date",
	[MLS_TRANSFORM_TIMESTAMPTZ] = "timestamptz",
	[MLS_TRANSFORM_TEXT_ARRAY] = "text[]",
	[MLS_TRANSFORM_LOOKUP] = "lookup",
	[MLS_TRANSFORM_STATUS] = "status",
};

PG_FUNCTION_INFO_V1(mls_map_record);
PG_FUNCTION_INFO_V1(mls_field_mappings_validate);

/*
 * The name of a transform, as written in mls_field_mappings.transform.
 */
const char *
MlsTransformName(MlsTransform transform)
{
	return transform_names[transform];
}

/*
 * Parse a transform name; ereports on an unknown one (the table's CHECK
 * constraint normally catches it first).
 */
static MlsTransform
parse_transform(const char *name)
{
	for (int i = 0; i < lengthof(transform_names); i++)
	{
		if (strcmp(name, transform_names[i]) == 0)
			return (MlsTransform) i;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown transform \"%s\"", name),
			 errhint("Use one of text, integer, numeric, boolean, date, timestamptz, text[], lookup, status.")));
	pg_unreachable();
}

/*
 * The transform a column gets when its mapping names none.
 */
static MlsTransform
default_transform(Oid typid, const char *column)
{
	switch (typid)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return MLS_TRANSFORM_INTEGER;
		case NUMERICOID:
			return MLS_TRANSFORM_NUMERIC;
		case BOOLOID:
			return MLS_TRANSFORM_BOOLEAN;
		case DATEOID:
			return MLS_TRANSFORM_DATE;
		case TIMESTAMPTZOID:
			return MLS_TRANSFORM_TIMESTAMPTZ;
		case TEXTARRAYOID:
			return MLS_TRANSFORM_TEXT_ARRAY;
		default:
			/* the closed StandardStatus list only admits validated values */
			if (strcmp(column, "standard_status") == 0)
				return MLS_TRANSFORM_STATUS;
			return MLS_TRANSFORM_TEXT;
	}
}

/*
 * Whether a transform produces a value a column of this type can hold.
 */
static bool
transform_fits_column(MlsTransform transform, Oid typid, const char *column)
{
	switch (typid)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return transform == MLS_TRANSFORM_INTEGER;
		case NUMERICOID:
			return transform == MLS_TRANSFORM_NUMERIC ||
				transform == MLS_TRANSFORM_INTEGER;
		case BOOLOID:
			return transform == MLS_TRANSFORM_BOOLEAN;
		case DATEOID:
			return transform == MLS_TRANSFORM_DATE;
		case TIMESTAMPTZOID:
			return transform == MLS_TRANSFORM_TIMESTAMPTZ;
		case TEXTARRAYOID:
			return transform == MLS_TRANSFORM_TEXT_ARRAY;
		case TEXTOID:
			if (strcmp(column, "standard_status") == 0)
				return transform == MLS_TRANSFORM_STATUS;
			return transform == MLS_TRANSFORM_TEXT ||
				transform == MLS_TRANSFORM_LOOKUP ||
				transform == MLS_TRANSFORM_STATUS;
		default:
			return false;
	}
}

/*
 * The row type of mlsync.mls_listings, copied into the current context and
 * blessed so that tuples formed with it can be returned as composites.
 */
static TupleDesc
listing_tupdesc(void)
{
	Oid			nspid = get_namespace_oid(MLSYNC_SCHEMA, false);
	Oid			relid = get_relname_relid("mls_listings", nspid);
	TupleDesc	desc;

	if (!OidIsValid(relid))
		elog(ERROR, "relation mlsync.mls_listings does not exist");
	desc = lookup_rowtype_tupdesc_copy(get_rel_type_id(relid), -1);
	return BlessTupleDesc(desc);
}

/*
 * Whether a column may be a mapping target, by the view that names them.
 * Must be called inside SPI.
 */
static bool
column_is_mappable(const char *column)
{
	MlsSqlArgs	a = {0};
	MemoryContext cxt = CurrentMemoryContext;
	uint64		n;

	MlsArgText(&a, column);
	n = MlsSqlExec("SELECT 1 FROM mlsync.mls_mappable_columns WHERE column_name = $1",
				   &a, SPI_OK_SELECT, true);
	/* SPI leaves its own context current; the caller's allocations go on */
	MemoryContextSwitchTo(cxt);
	return n == 1;
}

/*
 * Load the legacy -> display spellings of one RESO lookup into a hash table
 * allocated in cxt.  Returns NULL when the lookup does not exist.  Must be
 * called inside SPI.
 */
static HTAB *
load_lookup(const char *lookup_name, MemoryContext cxt)
{
	MlsSqlArgs	a = {0};
	HASHCTL		ctl;
	HTAB	   *lookup;

	MlsArgText(&a, lookup_name);
	MlsSqlExec("SELECT legacy_value, standard_value FROM mlsync.mls_dd_lookups"
			   " WHERE lookup_name = $1",
			   &a, SPI_OK_SELECT, true);
	/* SPI leaves its own context current; the caller's allocations go on */
	MemoryContextSwitchTo(cxt);
	if (SPI_processed == 0)
		return NULL;

	ctl.keysize = LOOKUP_KEY_LEN;
	ctl.entrysize = sizeof(LookupEntry);
	ctl.hcxt = cxt;
	lookup = hash_create("mlsync lookup", Max(SPI_processed, 16), &ctl,
						 HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *legacy = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		char	   *standard = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		LookupEntry *entry;
		bool		found;

		if (legacy == NULL || strlen(legacy) >= LOOKUP_KEY_LEN ||
			strcmp(legacy, standard) == 0)
			continue;
		entry = hash_search(lookup, legacy, HASH_ENTER, &found);
		entry->standard = MemoryContextStrdup(cxt, standard);
	}
	return lookup;
}

/*
 * Read a text column of a mapping tuple by name; NULL when SQL NULL.
 */
static char *
tuple_text(HeapTuple tuple, TupleDesc desc, const char *column)
{
	int			attnum = SPI_fnumber(desc, column);

	if (attnum <= 0)
		elog(ERROR, "mls_field_mappings has no column \"%s\"", column);
	return SPI_getvalue(tuple, desc, attnum);
}

/*
 * Read a non-text column of a mapping tuple by name.
 */
static Datum
tuple_datum(HeapTuple tuple, TupleDesc desc, const char *column, bool *isnull)
{
	int			attnum = SPI_fnumber(desc, column);

	if (attnum <= 0)
		elog(ERROR, "mls_field_mappings has no column \"%s\"", column);
	return SPI_getbinval(tuple, desc, attnum, isnull);
}

/*
 * Read a row of mls_field_mappings (from a query or a trigger) into a
 * MappingRow, copying everything into the current memory context.
 */
static void
read_mapping_row(HeapTuple tuple, TupleDesc desc, MappingRow *row)
{
	bool		isnull;
	Datum		d;

	row->target = tuple_text(tuple, desc, "target");
	row->source_field = tuple_text(tuple, desc, "source_field");
	row->transform = tuple_text(tuple, desc, "transform");
	row->lookup_name = tuple_text(tuple, desc, "lookup_name");
	row->format = tuple_text(tuple, desc, "format");
	row->separator = tuple_text(tuple, desc, "separator");
	row->default_value = tuple_text(tuple, desc, "default_value");

	d = tuple_datum(tuple, desc, "value_map", &isnull);
	row->value_map = isnull ? NULL : DatumGetJsonbPCopy(d);
	d = tuple_datum(tuple, desc, "scale", &isnull);
	row->has_scale = !isnull;
	row->scale = isnull ? -1 : DatumGetInt32(d);
	d = tuple_datum(tuple, desc, "factor", &isnull);
	row->has_factor = !isnull;
	row->factor = isnull ? (Datum) 0 : datumCopy(d, false, -1);
	d = tuple_datum(tuple, desc, "required", &isnull);
	row->required = !isnull && DatumGetBool(d);
}

/*
 * Check that every value of a value map is a string or null.
 */
static void
check_value_map(const char *target, Jsonb *value_map)
{
	JsonbIterator *it = JsonbIteratorInit(&value_map->root);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_VALUE && v.type != jbvString && v.type != jbvNull)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value_map of mapping target \"%s\" must map codes to strings or null",
							target)));
	}
}

/*
 * The numeric limit of a numeric(p,s) column: 10^(p-s), the smallest
 * magnitude that no longer fits.
 */
static void
set_numeric_limit(MlsMapping *m)
{
	int			precision;
	int			scale;
	StringInfoData buf;

	if (m->typid != NUMERICOID || m->typmod < (int32) VARHDRSZ)
		return;
	precision = ((m->typmod - VARHDRSZ) >> 16) & 0xffff;
	scale = (m->typmod - VARHDRSZ) & 0xffff;
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '1');
	for (int i = 0; i < precision - scale; i++)
		appendStringInfoChar(&buf, '0');
	m->limit = DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
								   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	m->has_limit = true;
	m->column_scale = scale;
}

static bool convert_value(const MlsMappingSet *set, const MlsMapping *m,
						  SourceValue *sv, Datum *result, JsonbValue *json,
						  MlsMapError *error);

/*
 * Compile one mapping row against the listing row type, validating it.
 * Everything is allocated in the current memory context; errors are raised
 * here, at the moment the mapping is written or compiled, with the target
 * named.  Must be called inside SPI (for the column and lookup checks).
 */
static void
compile_mapping(MlsMapping *m, const MappingRow *row, TupleDesc desc,
				const MlsMappingSet *set)
{
	memset(m, 0, sizeof(*m));
	m->target = pstrdup(row->target);
	m->source = pstrdup(row->source_field);
	m->source_len = strlen(m->source);
	m->scale = row->has_scale ? row->scale : -1;
	m->column_scale = -1;
	m->required = row->required;
	m->value_map = row->value_map;
	m->separator = row->separator ? pstrdup(row->separator) : ",";
	m->format = row->format ? pstrdup(row->format) : NULL;
	m->default_value = row->default_value ? pstrdup(row->default_value) : NULL;

	if (strncmp(m->target, EXTRA_PREFIX, EXTRA_PREFIX_LEN) == 0)
	{
		const char *key = m->target + EXTRA_PREFIX_LEN;
		bool		ok = (*key != '\0' && strlen(key) < NAMEDATALEN &&
						  (isalpha((unsigned char) *key) || *key == '_'));

		for (const char *p = key; ok && *p; p++)
			ok = isalnum((unsigned char) *p) || *p == '_';
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid mapping target \"%s\"", m->target),
					 errdetail("Keys of extra must match [A-Za-z_][A-Za-z0-9_]* and be shorter than %d characters.",
							   NAMEDATALEN)));
		m->extra_key = pstrdup(key);
		m->transform = row->transform ? parse_transform(row->transform) : MLS_TRANSFORM_TEXT;
	}
	else
	{
		int			attnum = 0;

		for (int i = 0; i < desc->natts; i++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, i);

			if (!att->attisdropped && strcmp(NameStr(att->attname), m->target) == 0)
				attnum = i + 1;
		}
		if (attnum == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("mapping target \"%s\" is not a column of mlsync.mls_listings",
							m->target),
					 errhint("Map to a column listed by mlsync.mls_mappable_columns, or to extra.<key>.")));
		if (!column_is_mappable(m->target))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_COLUMN_REFERENCE),
					 errmsg("column \"%s\" of mlsync.mls_listings cannot be a mapping target",
							m->target),
					 errdetail("mlsync maintains this column itself, or it holds local data.")));
		m->attnum = attnum;
		m->typid = TupleDescAttr(desc, attnum - 1)->atttypid;
		m->typmod = TupleDescAttr(desc, attnum - 1)->atttypmod;
		m->transform = row->transform ? parse_transform(row->transform)
			: default_transform(m->typid, m->target);
		/* naming a lookup for a text column asks for the lookup transform */
		if (row->transform == NULL && row->lookup_name && m->transform == MLS_TRANSFORM_TEXT)
			m->transform = MLS_TRANSFORM_LOOKUP;
		if (!transform_fits_column(m->transform, m->typid, m->target))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("transform \"%s\" cannot fill column \"%s\" of type %s",
							MlsTransformName(m->transform), m->target,
							format_type_with_typemod(m->typid, m->typmod)),
					 errhint("Use transform \"%s\".",
							 MlsTransformName(default_transform(m->typid, m->target)))));
		set_numeric_limit(m);
	}

	if (row->lookup_name)
	{
		if (m->transform != MLS_TRANSFORM_LOOKUP && m->transform != MLS_TRANSFORM_TEXT_ARRAY)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("lookup_name applies only to the lookup and text[] transforms"),
					 errdetail("Mapping target \"%s\" uses transform \"%s\".",
							   m->target, MlsTransformName(m->transform))));
		m->lookup_name = pstrdup(row->lookup_name);
		m->lookup = load_lookup(m->lookup_name, CurrentMemoryContext);
		if (m->lookup == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("lookup \"%s\" does not exist", m->lookup_name),
					 errhint("RESO lookups are listed in mlsync.mls_dd_lookups.")));
	}
	if ((row->has_factor || row->has_scale) &&
		m->transform != MLS_TRANSFORM_NUMERIC && m->transform != MLS_TRANSFORM_INTEGER)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale and factor apply only to the numeric and integer transforms"),
				 errdetail("Mapping target \"%s\" uses transform \"%s\".",
						   m->target, MlsTransformName(m->transform))));
	if (row->has_factor)
	{
		m->factor = row->factor;
		m->has_factor = true;
	}
	if (m->format && m->transform != MLS_TRANSFORM_DATE &&
		m->transform != MLS_TRANSFORM_TIMESTAMPTZ)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("format applies only to the date and timestamptz transforms"),
				 errdetail("Mapping target \"%s\" uses transform \"%s\".",
						   m->target, MlsTransformName(m->transform))));
	if (m->value_map)
		check_value_map(m->target, m->value_map);

	/* a default that cannot be converted would fail every record later */
	if (m->default_value)
	{
		SourceValue sv = {NULL, m->default_value, strlen(m->default_value)};
		Datum		ignored;
		JsonbValue	json;
		MlsMapError error;

		if (!convert_value(set, m, &sv, &ignored, &json, &error))
			ereport(ERROR,
					(errcode(error.sqlerrcode),
					 errmsg("default value \"%s\" of mapping target \"%s\" is invalid: %s",
							m->default_value, m->target, error.reason)));
	}
}

/*
 * Order of two keys as jsonb stores an object's keys: shorter first, then
 * bytewise.
 */
static int
compare_keys(const char *a, int alen, const char *b, int blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

/*
 * qsort comparator of mappings by source field, in jsonb key order.
 */
static int
compare_sources(const void *a, const void *b)
{
	const MlsMapping *ma = a;
	const MlsMapping *mb = b;

	return compare_keys(ma->source, ma->source_len, mb->source, mb->source_len);
}

/*
 * Compile a mapping set from mls_field_mappings.  The result lives in the
 * current memory context; a sync compiles once per run.
 */
MlsMappingSet *
MlsCompileMappingSet(const char *name)
{
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext spicxt;
	MlsMappingSet *set;
	MlsSqlArgs	a = {0};
	char	   *zone_name;

	set = palloc0(sizeof(MlsMappingSet));
	set->name = pstrdup(name);
	set->tupdesc = listing_tupdesc();
	set->listing_key_attnum = SPI_fnumber(set->tupdesc, "listing_key");
	set->extra_attnum = SPI_fnumber(set->tupdesc, "extra");
	set->raw_attnum = SPI_fnumber(set->tupdesc, "raw");
	set->raw_hash_attnum = SPI_fnumber(set->tupdesc, "raw_hash");
	set->empty_object = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")));

	MlsSqlConnect();
	spicxt = CurrentMemoryContext;

	MlsArgText(&a, name);
	if (MlsSqlExec("SELECT source_timezone FROM mlsync.mls_mapping_sets WHERE mapping_set = $1",
				   &a, SPI_OK_SELECT, true) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("mapping set \"%s\" does not exist", name),
				 errhint("Mapping sets are listed in mlsync.mls_mapping_sets.")));
	zone_name = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	set->source_zone = pg_tzset(zone_name);
	if (set->source_zone == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" of mapping set \"%s\" is not recognized",
						zone_name, name)));

	MlsSqlExec("SELECT * FROM mlsync.mls_field_mappings WHERE mapping_set = $1 ORDER BY target",
			   &a, SPI_OK_SELECT, true);

	{
		SPITupleTable *mappings = SPI_tuptable;
		uint64		nmappings = SPI_processed;

		MemoryContextSwitchTo(callercxt);
		set->nmappings = (int) nmappings;
		set->mappings = palloc0(sizeof(MlsMapping) * Max(nmappings, 1));
		for (uint64 i = 0; i < nmappings; i++)
		{
			MappingRow	row;

			read_mapping_row(mappings->vals[i], mappings->tupdesc, &row);
			compile_mapping(&set->mappings[i], &row, set->tupdesc, set);
			if (set->mappings[i].attnum == set->listing_key_attnum)
				set->mappings[i].required = true;
		}
		MemoryContextSwitchTo(spicxt);
	}
	SPI_finish();

	/* in the order jsonb keeps object keys, so one pass finds every field */
	qsort(set->mappings, set->nmappings, sizeof(MlsMapping), compare_sources);

	for (int i = 0; i < set->nmappings; i++)
	{
		if (set->mappings[i].attnum == set->listing_key_attnum)
			return set;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
			 errmsg("mapping set \"%s\" does not map listing_key", name),
			 errhint("Add a row to mlsync.mls_field_mappings that maps the source's key field to listing_key.")));
	pg_unreachable();
}

/*
 * Fill an MlsMapError; always returns false so callers can return it.
 */
static bool
map_error(MlsMapError *error, int sqlerrcode, const MlsMapping *m,
		  const SourceValue *sv, const char *reason)
{
	error->sqlerrcode = sqlerrcode;
	error->mapping = m;
	error->value = (sv && sv->str) ? pnstrdup(sv->str, sv->len) : NULL;
	error->reason = pstrdup(reason);
	return false;
}

/*
 * The text of a scalar source value (numbers and booleans spelled as JSON
 * spells them).  Returns false for objects and arrays.
 */
static bool
source_text(SourceValue *sv)
{
	JsonbValue *jv = sv->jv;

	if (sv->str != NULL || jv == NULL)
		return true;
	switch (jv->type)
	{
		case jbvString:
			sv->str = jv->val.string.val;
			sv->len = jv->val.string.len;
			return true;
		case jbvNumeric:
			sv->str = DatumGetCString(DirectFunctionCall1(numeric_out,
														  NumericGetDatum(jv->val.numeric)));
			sv->len = strlen(sv->str);
			return true;
		case jbvBool:
			sv->str = jv->val.boolean ? "true" : "false";
			sv->len = strlen(sv->str);
			return true;
		default:
			return false;
	}
}

/*
 * Replace a value by its entry in the mapping's value map, if it has one.
 * Returns false when the map sends the value to null.
 */
static bool
apply_value_map(const MlsMapping *m, const char **str, int *len)
{
	JsonbValue	found;

	if (m->value_map == NULL ||
		getKeyJsonValueFromContainer(&m->value_map->root, *str, *len, &found) == NULL)
		return true;
	if (found.type == jbvNull)
		return false;
	*str = found.val.string.val;
	*len = found.val.string.len;
	return true;
}

/*
 * The display spelling of a RESO lookup value sent in its legacy spelling.
 */
static void
apply_lookup(const MlsMapping *m, const char **str, int *len)
{
	char		key[LOOKUP_KEY_LEN];
	LookupEntry *entry;

	if (m->lookup == NULL || *len >= LOOKUP_KEY_LEN)
		return;
	memcpy(key, *str, *len);
	key[*len] = '\0';
	entry = hash_search(m->lookup, key, HASH_FIND, NULL);
	if (entry)
	{
		*str = entry->standard;
		*len = strlen(entry->standard);
	}
}

/*
 * Numeric result: unit factor, rounding to the column's scale, and a check
 * that the value fits the column.
 */
static bool
finish_numeric(const MlsMapping *m, Datum num, Datum *result, MlsMapError *error,
			   const SourceValue *sv)
{
	if (m->has_factor)
		num = DirectFunctionCall2(numeric_mul, num, m->factor);
	if (m->scale >= 0)
		num = DirectFunctionCall2(numeric_round, num, Int32GetDatum(m->scale));
	/* the column's scale too: a composite's values are not coerced on INSERT */
	if (m->column_scale >= 0)
		num = DirectFunctionCall2(numeric_round, num, Int32GetDatum(m->column_scale));
	if (m->has_limit &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp,
										  DirectFunctionCall1(numeric_abs, num),
										  m->limit)) >= 0)
		return map_error(error, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, m, sv,
						 psprintf("out of range for type %s",
								  format_type_with_typemod(m->typid, m->typmod)));
	*result = num;
	return true;
}

/*
 * Integer result, checked against the column's integer type.
 */
static bool
finish_integer(const MlsMapping *m, int64 value, Datum *result, MlsMapError *error,
			   const SourceValue *sv)
{
	if (m->has_factor)
	{
		Datum		num = DirectFunctionCall2(numeric_mul,
											  NumericGetDatum(int64_to_numeric(value)),
											  m->factor);

		num = DirectFunctionCall2(numeric_round, num, Int32GetDatum(0));
		if (!MlsNumericToInt64(num, &value))
			return map_error(error, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, m, sv,
							 "out of range for an integer");
	}
	switch (m->typid)
	{
		case INT2OID:
			if (value < PG_INT16_MIN || value > PG_INT16_MAX)
				return map_error(error, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, m, sv,
								 "out of range for type smallint");
			*result = Int16GetDatum((int16) value);
			return true;
		case INT4OID:
			if (value < PG_INT32_MIN || value > PG_INT32_MAX)
				return map_error(error, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, m, sv,
								 "out of range for type integer");
			*result = Int32GetDatum((int32) value);
			return true;
		case NUMERICOID:
			return finish_numeric(m, NumericGetDatum(int64_to_numeric(value)),
								  result, error, sv);
		default:
			*result = Int64GetDatum(value);
			return true;
	}
}

/*
 * A broken-down local time, read in the given zone.
 */
static bool
local_time_to_timestamptz(struct pg_tm *tm, fsec_t fsec, pg_tz *zone, TimestampTz *ts)
{
	int			tz = DetermineTimeZoneOffset(tm, zone);

	return tm2timestamp(tm, fsec, &tz, ts) == 0 && IS_VALID_TIMESTAMP(*ts);
}

/*
 * Parse a date or timestamp with the mapping's to_timestamp() template.
 * parse_datetime() reports bad input without raising, and tells whether the
 * template read a zone: without one, the text is read in the mapping set's
 * source time zone.  Fills both *ts and *date.
 */
static bool
parse_with_format(const MlsMappingSet *set, const MlsMapping *m, const char *str,
				  int len, TimestampTz *ts, DateADT *date)
{
	bool		have_error = false;
	Oid			typid;
	int32		typmod;
	int			tz;
	Datum		value;
	struct pg_tm tm;
	fsec_t		fsec = 0;

	value = parse_datetime(cstring_to_text_with_len(str, len),
						   cstring_to_text(m->format), DEFAULT_COLLATION_OID, true,
						   &typid, &typmod, &tz, &have_error);
	if (have_error)
		return false;
	switch (typid)
	{
		case DATEOID:
			*date = DatumGetDateADT(value);
			if (DATE_NOT_FINITE(*date))
				return false;
			memset(&tm, 0, sizeof(tm));
			j2date(*date + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
			return local_time_to_timestamptz(&tm, 0, set->source_zone, ts);
		case TIMESTAMPOID:
			if (timestamp2tm(DatumGetTimestamp(value), NULL, &tm, &fsec, NULL, NULL) != 0)
				return false;
			*date = date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
			return local_time_to_timestamptz(&tm, fsec, set->source_zone, ts);
		case TIMESTAMPTZOID:
			*ts = DatumGetTimestampTz(value);
			*date = DatumGetDateADT(DirectFunctionCall1(timestamptz_date, value));
			return true;
		default:
			return false;		/* a template of a time of day only */
	}
}

/*
 * Build a text[] from a JSON array or from a string of separated values,
 * each element value-mapped and lookup-normalized.  Empty elements are
 * dropped; no elements gives NULL.
 */
static bool
convert_text_array(const MlsMapping *m, SourceValue *sv, Datum *result,
				   JsonbValue *json, bool *isnull, MlsMapError *error)
{
	List	   *elems = NIL;
	ListCell   *lc;
	Datum	   *datums;
	int			n = 0;

	if (sv->jv && sv->jv->type == jbvBinary)
	{
		JsonbIterator *it = JsonbIteratorInit(sv->jv->val.binary.data);
		JsonbValue	v;
		JsonbIteratorToken tok;

		if (!JsonContainerIsArray(sv->jv->val.binary.data))
			return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, NULL,
							 "expected an array or a string of values, found an object");
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			SourceValue ev = {&v, NULL, 0};

			if (tok != WJB_ELEM || v.type == jbvNull)
				continue;
			if (!source_text(&ev))
				return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, NULL,
								 "array elements must be scalars");
			elems = lappend(elems, pnstrdup(ev.str, ev.len));
		}
	}
	else
	{
		const char *p;
		const char *end;
		int			seplen = strlen(m->separator);

		if (!source_text(sv))
			return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, NULL,
							 "expected an array or a string of values");
		p = sv->str;
		end = sv->str + sv->len;
		while (p <= end)
		{
			const char *next = p;

			while (next < end && !(end - next >= seplen && memcmp(next, m->separator, seplen) == 0))
				next++;
			elems = lappend(elems, pnstrdup(p, next - p));
			p = next + seplen;
		}
	}

	datums = palloc(sizeof(Datum) * Max(list_length(elems), 1));
	foreach(lc, elems)
	{
		const char *str = lfirst(lc);
		int			len = strlen(str);

		while (len > 0 && isspace((unsigned char) *str))
			str++, len--;
		while (len > 0 && isspace((unsigned char) str[len - 1]))
			len--;
		if (len == 0 || !apply_value_map(m, &str, &len))
			continue;
		apply_lookup(m, &str, &len);
		datums[n++] = PointerGetDatum(cstring_to_text_with_len(str, len));
	}
	if (n == 0)
	{
		*isnull = true;
		return true;
	}
	*result = PointerGetDatum(construct_array(datums, n, TEXTOID, -1, false, TYPALIGN_INT));

	/* extra keeps the elements as a JSON array of strings */
	{
		JsonbParseState *state = NULL;
		Jsonb	   *array;

		pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
		for (int i = 0; i < n; i++)
		{
			JsonbValue	elem;

			elem.type = jbvString;
			elem.val.string.val = VARDATA_ANY(DatumGetPointer(datums[i]));
			elem.val.string.len = VARSIZE_ANY_EXHDR(DatumGetPointer(datums[i]));
			pushJsonbValue(&state, WJB_ELEM, &elem);
		}
		array = JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_ARRAY, NULL));
		json->type = jbvBinary;
		json->val.binary.data = &array->root;
		json->val.binary.len = VARSIZE(array) - VARHDRSZ;
	}
	return true;
}

/*
 * Convert one present source value through a mapping's transform.  On
 * success *result holds the column value (or, for extra, json holds the
 * JSON value); a value the value map sends to null sets json->type to
 * jbvNull and *result to (Datum) 0 with a true return and sv->str NULL.
 */
static bool
convert_value(const MlsMappingSet *set, const MlsMapping *m, SourceValue *sv,
			  Datum *result, JsonbValue *json, MlsMapError *error)
{
	const char *str;
	int			len;
	int64		i64;
	bool		b;
	DateADT		date;
	TimestampTz ts;
	bool		isnull = false;

	if (m->transform == MLS_TRANSFORM_TEXT_ARRAY)
	{
		if (!convert_text_array(m, sv, result, json, &isnull, error))
			return false;
		if (isnull)
		{
			sv->str = NULL;
			json->type = jbvNull;
		}
		return true;
	}

	/* numbers from JSON go straight to numeric, without a round trip through text */
	if (sv->jv && sv->jv->type == jbvNumeric && m->value_map == NULL &&
		(m->transform == MLS_TRANSFORM_NUMERIC || m->transform == MLS_TRANSFORM_INTEGER))
	{
		Datum		num = NumericGetDatum(sv->jv->val.numeric);

		if (m->transform == MLS_TRANSFORM_NUMERIC)
		{
			if (!finish_numeric(m, num, result, error, sv))
				return false;
			json->type = jbvNumeric;
			json->val.numeric = DatumGetNumeric(*result);
			return true;
		}
		if (!MlsNumericToInt64(num, &i64))
		{
			source_text(sv);
			return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, sv,
							 "not an integer");
		}
		goto integer;
	}
	if (sv->jv && sv->jv->type == jbvBool && m->value_map == NULL &&
		m->transform == MLS_TRANSFORM_BOOLEAN)
	{
		b = sv->jv->val.boolean;
		goto boolean;
	}

	if (!source_text(sv))
	{
		/* objects and arrays: text keeps their JSON, other types refuse them */
		if (m->transform != MLS_TRANSFORM_TEXT)
			return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, NULL,
							 psprintf("expected a single value for transform %s, found %s",
									  MlsTransformName(m->transform),
									  JsonContainerIsArray(sv->jv->val.binary.data) ? "an array" : "an object"));
		sv->str = JsonbToCString(NULL, sv->jv->val.binary.data, sv->jv->val.binary.len);
		sv->len = strlen(sv->str);
	}
	str = sv->str;
	len = sv->len;
	if (!apply_value_map(m, &str, &len))
	{
		sv->str = NULL;
		json->type = jbvNull;
		return true;
	}

	switch (m->transform)
	{
		case MLS_TRANSFORM_TEXT:
		case MLS_TRANSFORM_LOOKUP:
			if (m->transform == MLS_TRANSFORM_LOOKUP)
				apply_lookup(m, &str, &len);
			*result = PointerGetDatum(cstring_to_text_with_len(str, len));
			json->type = jbvString;
			json->val.string.val = (char *) str;
			json->val.string.len = len;
			return true;

		case MLS_TRANSFORM_STATUS:
			{
				const char *status = MlsNormalizeStandardStatus(str, len);

				if (status == NULL)
					return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, sv,
									 "not a RESO StandardStatus value");
				*result = CStringGetTextDatum(status);
				json->type = jbvString;
				json->val.string.val = (char *) status;
				json->val.string.len = strlen(status);
				return true;
			}

		case MLS_TRANSFORM_NUMERIC:
			{
				Datum		num;

				if (!MlsParseNumeric(str, len, &num))
					return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, sv,
									 "not a number");
				if (!finish_numeric(m, num, result, error, sv))
					return false;
				json->type = jbvNumeric;
				json->val.numeric = DatumGetNumeric(*result);
				return true;
			}

		case MLS_TRANSFORM_INTEGER:
			if (!MlsParseInt64(str, len, &i64))
				return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, sv,
								 "not an integer");
			goto integer;

		case MLS_TRANSFORM_BOOLEAN:
			if (!MlsParseBool(str, len, &b))
				return map_error(error, ERRCODE_INVALID_TEXT_REPRESENTATION, m, sv,
								 "not a boolean (expected Y/N, Yes/No, 1/0 or true/false)");
			goto boolean;

		case MLS_TRANSFORM_DATE:
			if (m->format)
			{
				if (!parse_with_format(set, m, str, len, &ts, &date))
					return map_error(error, ERRCODE_INVALID_DATETIME_FORMAT, m, sv,
									 psprintf("not in format \"%s\"", m->format));
			}
			else if (!MlsParseDate(str, len, &date))
				return map_error(error, ERRCODE_INVALID_DATETIME_FORMAT, m, sv,
								 "not a date");
			*result = DateADTGetDatum(date);
			{
				int			y,
							mo,
							d;

				j2date(date + POSTGRES_EPOCH_JDATE, &y, &mo, &d);
				json->type = jbvString;
				json->val.string.val = psprintf("%04d-%02d-%02d", y, mo, d);
				json->val.string.len = strlen(json->val.string.val);
			}
			return true;

		case MLS_TRANSFORM_TIMESTAMPTZ:
			if (m->format)
			{
				if (!parse_with_format(set, m, str, len, &ts, &date))
					return map_error(error, ERRCODE_INVALID_DATETIME_FORMAT, m, sv,
									 psprintf("not in format \"%s\"", m->format));
			}
			else if (!MlsParseTimestamptz(str, len, set->source_zone, &ts))
				return map_error(error, ERRCODE_INVALID_DATETIME_FORMAT, m, sv,
								 "not a timestamp");
			*result = TimestampTzGetDatum(ts);
			{
				static const int utc = 0;

				json->type = jbvString;
				json->val.string.val = JsonEncodeDateTime(NULL, *result, TIMESTAMPTZOID, &utc);
				json->val.string.len = strlen(json->val.string.val);
			}
			return true;

		case MLS_TRANSFORM_TEXT_ARRAY:
			break;				/* handled above */
	}
	elog(ERROR, "unexpected transform %d", (int) m->transform);

integer:
	if (!finish_integer(m, i64, result, error, sv))
		return false;
	json->type = jbvNumeric;
	json->val.numeric = int64_to_numeric(i64);
	return true;

boolean:
	*result = BoolGetDatum(b);
	json->type = jbvBool;
	json->val.boolean = b;
	return true;
}

/*
 * A walk over the keys of a jsonb object in stored order.  The mappings are
 * sorted the same way, so finding every mapped field is one merge pass over
 * the object instead of a binary search per field (which was a sixth of
 * the mapping time).  It reads jsonb's documented on-disk layout
 * (utils/jsonb.h): keys' entries, then values' entries, then their data.
 */
typedef struct ObjectWalk
{
	JsonbContainer *container;
	int			count;			/* number of keys */
	char	   *base;			/* start of the data area */
	int			index;			/* current key */
	uint32		key_offset;		/* data offset of the current key */
	uint32		value_offset;	/* data offset of the current key's value */
} ObjectWalk;

/*
 * Length of an entry's data, given where the data starts.
 */
static inline uint32
entry_length(JEntry entry, uint32 offset)
{
	return JBE_HAS_OFF(entry) ? JBE_OFFLENFLD(entry) - offset : JBE_OFFLENFLD(entry);
}

static void
walk_init(ObjectWalk *walk, JsonbContainer *container)
{
	walk->container = container;
	walk->count = JsonContainerSize(container);
	walk->base = (char *) &container->children[walk->count * 2];
	walk->index = 0;
	walk->key_offset = 0;
	walk->value_offset = walk->count > 0 ? getJsonbOffset(container, walk->count) : 0;
}

/*
 * Find a key at or after the walk's position (keys must be asked for in
 * jsonb order).  Fills *value and returns true when the key is present.
 * The walk stays on a found key, since two mappings may read one field.
 */
static bool
walk_find(ObjectWalk *walk, const char *key, int keylen, JsonbValue *value)
{
	while (walk->index < walk->count)
	{
		JEntry		key_entry = walk->container->children[walk->index];
		JEntry		value_entry = walk->container->children[walk->count + walk->index];
		uint32		key_len = entry_length(key_entry, walk->key_offset);
		int			cmp = compare_keys(walk->base + walk->key_offset, key_len, key, keylen);

		if (cmp == 0)
		{
			uint32		offset = walk->value_offset;
			uint32		len = entry_length(value_entry, offset);

			if (JBE_ISNULL(value_entry))
				value->type = jbvNull;
			else if (JBE_ISSTRING(value_entry))
			{
				value->type = jbvString;
				value->val.string.val = walk->base + offset;
				value->val.string.len = len;
			}
			else if (JBE_ISNUMERIC(value_entry))
			{
				value->type = jbvNumeric;
				value->val.numeric = (Numeric) (walk->base + INTALIGN(offset));
			}
			else if (JBE_ISBOOL(value_entry))
			{
				value->type = jbvBool;
				value->val.boolean = JBE_ISBOOL_TRUE(value_entry);
			}
			else
			{
				value->type = jbvBinary;
				value->val.binary.data = (JsonbContainer *) (walk->base + INTALIGN(offset));
				value->val.binary.len = len - (INTALIGN(offset) - offset);
			}
			return true;
		}
		if (cmp > 0)
			return false;
		walk->key_offset += key_len;
		walk->value_offset += entry_length(value_entry, walk->value_offset);
		walk->index++;
	}
	return false;
}

/*
 * Apply a compiled mapping set to one record.  values/nulls are sized for
 * the mls_listings row type: every mapped column, extra, raw and raw_hash
 * are filled; all other columns are set to null for the caller to fill.
 * Returns false, with *error filled, when the record cannot be mapped.
 * Allocates in the current memory context, which the caller resets.
 */
bool
MlsMapRecord(const MlsMappingSet *set, Jsonb *record, Datum *values, bool *nulls,
			 MlsMapError *error)
{
	JsonbParseState *extra_state = NULL;
	bool		has_extra = false;
	ObjectWalk	walk;

	if (!JB_ROOT_IS_OBJECT(record) || JB_ROOT_IS_SCALAR(record))
	{
		error->sqlerrcode = ERRCODE_INVALID_PARAMETER_VALUE;
		error->mapping = NULL;
		error->value = NULL;
		error->reason = pstrdup("a source record must be a JSON object");
		return false;
	}

	for (int i = 0; i < set->tupdesc->natts; i++)
	{
		values[i] = (Datum) 0;
		nulls[i] = true;
	}

	walk_init(&walk, &record->root);
	for (int i = 0; i < set->nmappings; i++)
	{
		const MlsMapping *m = &set->mappings[i];
		JsonbValue	found;
		SourceValue sv = {NULL, NULL, 0};
		Datum		value = (Datum) 0;
		JsonbValue	json;
		bool		present;

		sv.jv = walk_find(&walk, m->source, m->source_len, &found) ? &found : NULL;
		present = sv.jv != NULL && sv.jv->type != jbvNull &&
			!(sv.jv->type == jbvString && sv.jv->val.string.len == 0);
		if (present)
		{
			if (!convert_value(set, m, &sv, &value, &json, error))
				return false;
			present = json.type != jbvNull;
		}
		if (!present && m->default_value)
		{
			sv.jv = NULL;
			sv.str = m->default_value;
			sv.len = strlen(m->default_value);
			if (!convert_value(set, m, &sv, &value, &json, error))
				return false;
			present = json.type != jbvNull;
		}
		if (!present)
		{
			if (m->required)
			{
				error->sqlerrcode = ERRCODE_NOT_NULL_VIOLATION;
				error->mapping = m;
				error->value = NULL;
				error->reason = pstrdup("required field is missing");
				return false;
			}
			continue;
		}

		if (m->attnum > 0)
		{
			values[m->attnum - 1] = value;
			nulls[m->attnum - 1] = false;
		}
		else
		{
			JsonbValue	key;

			if (!has_extra)
				pushJsonbValue(&extra_state, WJB_BEGIN_OBJECT, NULL);
			has_extra = true;
			key.type = jbvString;
			key.val.string.val = m->extra_key;
			key.val.string.len = strlen(m->extra_key);
			pushJsonbValue(&extra_state, WJB_KEY, &key);
			pushJsonbValue(&extra_state, WJB_VALUE, &json);
		}
	}

	if (has_extra)
		values[set->extra_attnum - 1] =
			JsonbPGetDatum(JsonbValueToJsonb(pushJsonbValue(&extra_state, WJB_END_OBJECT, NULL)));
	else
		values[set->extra_attnum - 1] = JsonbPGetDatum(set->empty_object);
	nulls[set->extra_attnum - 1] = false;

	values[set->raw_attnum - 1] = JsonbPGetDatum(record);
	nulls[set->raw_attnum - 1] = false;

	/*
	 * The hash lets a sync skip unchanged records without detoasting raw.
	 * jsonb's binary form is canonical (keys sorted, duplicates removed), so
	 * equal records hash equally.  64 bits of PostgreSQL's own hash: MD5 cost
	 * a quarter of the mapping time, and a collision (about 1 in 2^64 per
	 * changed record) would only delay an update until the record's next
	 * change.
	 */
	values[set->raw_hash_attnum - 1] =
		hash_bytes_extended((const unsigned char *) VARDATA_ANY(record),
							VARSIZE_ANY_EXHDR(record), MLS_RAW_HASH_SEED);
	nulls[set->raw_hash_attnum - 1] = false;
	return true;
}

/*
 * The message and detail of a map error, as ereport and mls_sync_errors
 * show them.
 */
void
MlsMapErrorMessage(const MlsMappingSet *set, const MlsMapError *error,
				   char **message, char **detail)
{
	const MlsMapping *m = error->mapping;

	if (m == NULL)
	{
		*message = psprintf("invalid source record: %s", error->reason);
		*detail = NULL;
		return;
	}
	if (error->sqlerrcode == ERRCODE_NOT_NULL_VIOLATION)
		*message = psprintf("required field \"%s\" is missing", m->source);
	else if (error->value)
		*message = psprintf("invalid value for field \"%s\": \"%s\" is %s",
							m->source, error->value, error->reason);
	else
		*message = psprintf("invalid value for field \"%s\": %s", m->source, error->reason);
	*detail = psprintf("Mapping set \"%s\" maps %s to %s as %s.",
					   set->name, m->source, m->target, MlsTransformName(m->transform));
}

/*
 * Raise a map error.
 */
void
MlsReportMapError(const MlsMappingSet *set, const MlsMapError *error)
{
	char	   *message;
	char	   *detail;

	MlsMapErrorMessage(set, error, &message, &detail);
	ereport(ERROR,
			(errcode(error->sqlerrcode),
			 errmsg_internal("%s", message),
			 detail ? errdetail_internal("%s", detail) : 0,
			 (error->mapping && error->mapping->value_map == NULL &&
			  error->mapping->transform == MLS_TRANSFORM_STATUS) ?
			 errhint("Map local status codes with the mapping's value_map, e.g. {\"S\": \"Closed\"}.") : 0));
	pg_unreachable();
}

/* The compiled set mls_map_record keeps between calls of one query */
typedef struct MapRecordCache
{
	char	   *name;
	MlsMappingSet *set;
	Datum	   *values;
	bool	   *nulls;
} MapRecordCache;

/*
 * mls_map_record(mapping_set text, record jsonb) returns mls_listings
 *
 * The set is compiled once per query (kept in fn_extra), so mapping a table
 * of raw records costs one compile.
 */
Datum
mls_map_record(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	Jsonb	   *record = PG_GETARG_JSONB_P(1);
	MapRecordCache *cache = fcinfo->flinfo->fn_extra;
	MlsMapError error;
	HeapTuple	tuple;

	if (cache == NULL || strcmp(cache->name, name) != 0)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		cache = palloc0(sizeof(MapRecordCache));
		cache->name = pstrdup(name);
		cache->set = MlsCompileMappingSet(name);
		cache->values = palloc(sizeof(Datum) * cache->set->tupdesc->natts);
		cache->nulls = palloc(sizeof(bool) * cache->set->tupdesc->natts);
		fcinfo->flinfo->fn_extra = cache;
		MemoryContextSwitchTo(old);
	}

	if (!MlsMapRecord(cache->set, record, cache->values, cache->nulls, &error))
		MlsReportMapError(cache->set, &error);
	tuple = heap_form_tuple(cache->set->tupdesc, cache->values, cache->nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

/*
 * BEFORE INSERT OR UPDATE trigger of mls_field_mappings: validate the row
 * with the compiler and fill in the transform derived from the target's
 * type when the row names none.
 */
Datum
mls_field_mappings_validate(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	HeapTuple	tuple;
	TupleDesc	desc;
	MappingRow	row;
	MlsMapping	compiled;
	MlsMappingSet set;
	char	   *set_name;
	char	   *zone_name;
	int			transform_attnum;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("mls_field_mappings_validate() must be called as a trigger")));
	if (!TRIGGER_FIRED_BEFORE(trigdata->tg_event) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("mls_field_mappings_validate() must be fired BEFORE ROW")));

	tuple = TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event) ?
		trigdata->tg_newtuple : trigdata->tg_trigtuple;
	desc = trigdata->tg_relation->rd_att;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	read_mapping_row(tuple, desc, &row);
	set_name = SPI_getvalue(tuple, desc, SPI_fnumber(desc, "mapping_set"));

	/* the set's time zone matters for validating a default timestamp */
	{
		MlsSqlArgs	a = {0};

		MlsArgText(&a, set_name);
		zone_name = MlsSqlExec("SELECT source_timezone FROM mlsync.mls_mapping_sets"
							   " WHERE mapping_set = $1", &a, SPI_OK_SELECT, true) == 1 ?
			SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1) : "UTC";
	}
	memset(&set, 0, sizeof(set));
	set.name = set_name;
	set.source_zone = pg_tzset(zone_name);
	set.tupdesc = listing_tupdesc();

	compile_mapping(&compiled, &row, set.tupdesc, &set);
	SPI_finish();

	if (row.transform == NULL)
	{
		const char *name = MlsTransformName(compiled.transform);
		Datum		value = CStringGetTextDatum(name);
		bool		isnull = false;

		transform_attnum = SPI_fnumber(desc, "transform");
		tuple = heap_modify_tuple_by_cols(tuple, desc, 1, &transform_attnum, &value, &isnull);
	}
	return PointerGetDatum(tuple);
}
