/*-------------------------------------------------------------------------
 *
 * convert.h
 *	  Text-to-value conversions of source data that report failure instead
 *	  of raising an error.
 *
 * A sync must skip a bad record and keep the rest of its page, and raising
 * and catching an error per bad value would need a subtransaction per
 * record.  These parsers therefore return false on bad input; the caller
 * decides whether that is an ERROR (mls_map_record) or a logged, skipped
 * record (a sync).  Input is a pointer and a length: JSON strings are not
 * NUL-terminated.
 *
 * The text-only half (convert_text.c) needs nothing of the server and is
 * declared after the typed conversions (convert.c) built on it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_CONVERT_H
#define MLSYNC_CONVERT_H

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/date.h"

/* convert.c */
extern bool MlsParseNumeric(const char *str, int len, Datum *result);
extern bool MlsParseInt64(const char *str, int len, int64 *result);
extern bool MlsParseDate(const char *str, int len, DateADT *result);
extern bool MlsParseTimestamptz(const char *str, int len, pg_tz *zone,
								TimestampTz *result);
extern bool MlsNumericToInt64(Datum num, int64 *result);
extern char *MlsShiftTimestampText(const char *raw, int units, int64 usecs, pg_tz *zone);

/* The parts of an ISO 8601 date or date-time */
typedef struct MlsIsoDateTime
{
	struct pg_tm tm;
	fsec_t		fsec;
	bool		has_time;
	bool		has_zone;
	int			utc_offset;		/* seconds east of UTC, when has_zone */
} MlsIsoDateTime;

/* What the fast path makes of integer text */
typedef enum MlsPlainInt
{
	MLS_PLAIN_INT_OK,			/* a plain integer that fits */
	MLS_PLAIN_INT_OUT_OF_RANGE, /* a plain integer that does not */
	MLS_PLAIN_INT_OTHER			/* anything else: the numeric path decides */
} MlsPlainInt;

/* convert_text.c */
extern void MlsTrimSpace(const char **str, int *len);
extern bool MlsIsDecimalText(const char *str, int len);
extern MlsPlainInt MlsParsePlainInt64(const char *str, int len, int64 *result);
extern bool MlsParseIsoDateTime(const char *str, int len, MlsIsoDateTime *out);
extern bool MlsParseBool(const char *str, int len, bool *result);
extern const char *MlsNormalizeStandardStatus(const char *str, int len);

#endif							/* MLSYNC_CONVERT_H */
