/*-------------------------------------------------------------------------
 *
 * mapping.h
 *	  The mapping engine: a compiled mapping set turns one source record
 *	  (a jsonb object) into the column values of an mls_listings row.
 *
 * A mapping set is compiled once (per run, or per query for the SQL
 * function) and then applied to any number of records.  Applying never
 * raises an error for bad data: it fills an MlsMapError so a sync can log
 * the record and go on with the rest of its page.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_MAPPING_H
#define MLSYNC_MAPPING_H

#include "access/tupdesc.h"
#include "pgtime.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"

typedef enum MlsTransform
{
	MLS_TRANSFORM_TEXT,
	MLS_TRANSFORM_INTEGER,
	MLS_TRANSFORM_NUMERIC,
	MLS_TRANSFORM_BOOLEAN,
	MLS_TRANSFORM_DATE,
	MLS_TRANSFORM_TIMESTAMPTZ,
	MLS_TRANSFORM_TEXT_ARRAY,
	MLS_TRANSFORM_LOOKUP,
	MLS_TRANSFORM_STATUS
} MlsTransform;

/* One row of mls_field_mappings, compiled */
typedef struct MlsMapping
{
	char	   *target;			/* column name, or "extra.<key>" */
	char	   *source;			/* source field name */
	int			source_len;
	AttrNumber	attnum;			/* column of mls_listings; 0 for extra */
	char	   *extra_key;		/* key in extra, when attnum is 0 */
	Oid			typid;			/* type of the column (InvalidOid for extra) */
	int32		typmod;
	MlsTransform transform;
	Jsonb	   *value_map;		/* local code -> value, or NULL */
	char	   *lookup_name;	/* RESO lookup for legacy spellings, or NULL */
	HTAB	   *lookup;			/* legacy spelling -> display spelling */
	int			scale;			/* decimal places to round to; -1 for none */
	int			column_scale;	/* scale of a numeric(p,s) column, or -1 */
	Datum		factor;			/* numeric unit factor, when has_factor */
	bool		has_factor;
	Datum		limit;			/* numeric: smallest magnitude too large for
								 * the column, when has_limit */
	bool		has_limit;
	char	   *format;			/* to_timestamp() template, or NULL */
	char	   *separator;		/* text[]: separator of multi-values */
	char	   *default_value;	/* used when the source sends nothing */
	bool		required;
} MlsMapping;

/* A compiled mapping set */
typedef struct MlsMappingSet
{
	char	   *name;
	pg_tz	   *source_zone;	/* zone of timestamps sent without offset */
	int			nmappings;
	MlsMapping *mappings;		/* sorted by source, in jsonb key order */
	TupleDesc	tupdesc;		/* row type of mls_listings, blessed */
	AttrNumber	listing_key_attnum;
	AttrNumber	extra_attnum;
	AttrNumber	raw_attnum;
	AttrNumber	raw_hash_attnum;
	Jsonb	   *empty_object;	/* extra of a record that fills none */
} MlsMappingSet;

/* Why a record could not be mapped */
typedef struct MlsMapError
{
	int			sqlerrcode;
	const MlsMapping *mapping;	/* the mapping that failed */
	char	   *value;			/* the offending source value, or NULL */
	char	   *reason;			/* what is wrong with it */
} MlsMapError;

extern MlsMappingSet *MlsCompileMappingSet(const char *name);
extern bool MlsMapRecord(const MlsMappingSet *set, Jsonb *record,
						 Datum *values, bool *nulls, MlsMapError *error);
extern void MlsMapErrorMessage(const MlsMappingSet *set, const MlsMapError *error,
							   char **message, char **detail);
extern void MlsReportMapError(const MlsMappingSet *set,
							  const MlsMapError *error) pg_attribute_noreturn();
extern const char *MlsTransformName(MlsTransform transform);

#endif							/* MLSYNC_MAPPING_H */
