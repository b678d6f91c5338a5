/*-------------------------------------------------------------------------
 *
 * odata_page.h
 *	  The part of the OData reader that needs nothing of the server beyond
 *	  memory contexts: splitting a collection page into the text of its
 *	  records, repairing a record's text before it is parsed, and checking
 *	  its numbers before numeric_in sees them.
 *
 * It is kept apart from the conversion of a record to jsonb (odata.h) so
 * that it builds outside PostgreSQL, where fuzz/ exercises it with hostile
 * pages.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_ODATA_PAGE_H
#define MLSYNC_ODATA_PAGE_H

#include "transport/http.h"

typedef struct MlsODataPage MlsODataPage;

/* One record's text as the page reader split it */
typedef struct MlsODataRecord
{
	const char *text;
	int			len;
	bool		oversized;		/* longer than mlsync.max_record_bytes: text omitted */
} MlsODataRecord;

extern MlsODataPage *MlsODataPageCreate(int hold_records, size_t max_record_bytes);
extern void MlsODataPageReset(MlsODataPage *page);
extern MlsSinkResult MlsODataPageSink(void *arg, const char *data, size_t len);
extern int	MlsODataPageTake(MlsODataPage *page, MlsODataRecord **records);
extern void MlsODataPageRelease(MlsODataPage *page);
extern bool MlsODataPageComplete(MlsODataPage *page, const char **problem);
extern const char *MlsODataPageNextLink(MlsODataPage *page, const char **problem);
extern bool MlsODataPageCount(MlsODataPage *page, int64 *count);
extern const char *MlsODataPageErrorText(MlsODataPage *page, int *len);
extern char *MlsJsonRepair(const char *text, int len, int *replaced);
extern char *MlsJsonNonFiniteToNull(const char *text, int len, int *replaced);
extern int	MlsJsonHex4(const char *p);
extern const char *MlsJsonStringStop(const char *p, const char *end);
extern int	MlsJsonEscapedChar(char letter);
extern bool MlsJsonNumberFits(const char *token);

#endif							/* MLSYNC_ODATA_PAGE_H */
