/*-------------------------------------------------------------------------
 *
 * odata.h
 *	  Streaming reader of OData JSON collection responses.
 *
 * An OData page is {"@odata.context": ..., "value": [ {record}, ... ],
 * "@odata.nextLink": ..., "@odata.count": N} with the control members in
 * any order (or without their "odata." prefix, OData 4.01), or an error
 * object {"error": {...}}.  The reader is a libcurl sink: it splits the
 * stream into the text of each record as bytes arrive, holding at most a
 * few records (it pauses the transfer until the caller takes them), so
 * memory does not grow with the page.  Records are then parsed into jsonb
 * one by one, plain text by a fast reader (json_read.c) and anything else
 * by PostgreSQL's own JSON parser, reporting a malformed record instead of
 * raising, so the rest of the page is kept.
 *
 * Why not buffer a whole page and parse it with jsonb_in: memory would grow
 * with the page size (5,000 records of 6 kB is 30 MB per page, and a server
 * may ignore the page size asked for).  Why not yajl: PostgreSQL's parser
 * is already in the server, builds jsonb directly and gives the errors, and
 * the split needs only a string/depth scanner.  See docs/architecture.md.
 *
 * The page reader (splitting and repairing record text) is declared in
 * odata_page.h; this header adds what needs jsonb.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_ODATA_H
#define MLSYNC_ODATA_H

#include "reso/odata_page.h"
#include "support/keyorder.h"
#include "utils/jsonb.h"

/* Records nested deeper than this are malformed (real ones nest a few levels) */
#define MLS_MAX_JSON_DEPTH 100

extern const char *MlsODataPageError(MlsODataPage *page);
extern Jsonb *MlsJsonToJsonb(const char *text, int len, char **problem);
extern Jsonb *MlsJsonRecordToJsonb(const char *text, int len, MlsJsonKeyOrder *order,
								   char **problem);
extern char *MlsODataString(const char *value);
extern char *MlsODataFieldText(Jsonb *record, const char *field);
extern bool MlsODataFieldIsFalse(Jsonb *record, const char *field);

#endif							/* MLSYNC_ODATA_H */
