/*-------------------------------------------------------------------------
 *
 * media_fetch.h
 *	  Concurrent media downloads on libcurl's multi interface, streamed to
 *	  spool files and hashed (SHA-256) on the way, within request and byte
 *	  budgets.  No SQL here.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_MEDIA_FETCH_H
#define MLSYNC_MEDIA_FETCH_H

#include "datatype/timestamp.h"

#include "media/media.h"
#include "media/media_storage.h"

/* How a download ended */
typedef enum MlsMediaOutcome
{
	MLS_MEDIA_OK,				/* bytes in spool_path, hashed */
	MLS_MEDIA_RETRY,			/* failed for a reason that may pass */
	MLS_MEDIA_FAILED,			/* failed for good (404, hostile, too large) */
	MLS_MEDIA_DEFERRED			/* not tried: the budget is spent */
} MlsMediaOutcome;

/* One media item to download, and what came of it */
typedef struct MlsMediaJob
{
	/* given */
	char	   *media_key;
	char	   *listing_key;
	char	   *url;
	char	   *modified;		/* the item's source_modified_raw when claimed */
	int			attempts;		/* earlier attempts */
	/* result */
	MlsMediaOutcome outcome;
	char	   *error;
	long		http_status;
	int64		retry_after;	/* seconds the server asked to wait, or 0 */
	char	   *spool_path;
	char		sha256[MLS_MEDIA_SHA256_HEX + 1];
	int64		bytes;
	const char *content_type;	/* from the bytes: image/jpeg, image/png ... */
	const char *extension;		/* .jpg, .png ... */
} MlsMediaJob;

/* The limits a batch of downloads keeps */
typedef struct MlsMediaBudget
{
	double		per_second;		/* requests per second; 0: no limit */
	int64		requests_left;	/* before the budget's hour ends; -1: no limit */
	int64		bytes_left;		/* idem */
	int64		quota_left;		/* bytes the tenant's max_media_bytes still
								 * allows; -1: no quota */
	int			concurrency;
	const char *user_agent;
	/* spent by the batch */
	int64		requests;
	int64		bytes;
} MlsMediaBudget;

typedef void (*MlsMediaDone) (MlsMediaJob *job, void *arg);

extern void MlsMediaFetch(MlsMediaStore *store, MlsMediaJob *jobs, int njobs,
						  MlsMediaBudget *budget, MlsMediaDone done, void *arg);
extern const char *MlsMediaSniff(const unsigned char *head, size_t len,
								 const char **extension);

#endif							/* MLSYNC_MEDIA_FETCH_H */
