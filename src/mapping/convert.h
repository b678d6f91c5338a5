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
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_CONVERT_H
#define MLSYNC_CONVERT_H

#include "datatype/timestamp.h"
#include "pgtime.h"
#include "utils/date.h"

extern bool MlsParseBool(const char *str, int len, bool *result);
extern bool MlsParseNumeric(const char *str, int len, Datum *result);
extern bool MlsParseInt64(const char *str, int len, int64 *result);
extern bool MlsParseDate(const char *str, int len, DateADT *result);
extern bool MlsParseTimestamptz(const char *str, int len, pg_tz *zone,
								TimestampTz *result);
extern bool MlsNumericToInt64(Datum num, int64 *result);
extern const char *MlsNormalizeStandardStatus(const char *str, int len);

#endif							/* MLSYNC_CONVERT_H */
