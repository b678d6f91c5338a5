/*-------------------------------------------------------------------------
 *
 * media_queue.h
 *	  The media queue in SQL: what a worker takes, what it records.  Every
 *	  function runs inside a transaction of the caller's and connects to
 *	  SPI itself.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_MEDIA_QUEUE_H
#define MLSYNC_MEDIA_QUEUE_H

#include "media/media_derive.h"
#include "media/media_fetch.h"

/* A connection's media work, as a worker needs it */
typedef struct MlsMediaConnection
{
	char	   *tenant;
	char	   *connection;
	char	   *photo_policy;
	MlsMediaBudget budget;
} MlsMediaConnection;

/* A stored object whose image is still to be checked and derived */
typedef struct MlsMediaObject
{
	char	   *sha256;
	char	   *storage_key;
	char	   *content_type;
	int64		bytes;			/* as stored */
} MlsMediaObject;

/* What a worker did, for mls_media_download() and the logs */
typedef struct MlsMediaCounts
{
	int64		stored;
	int64		failed;
	int64		retry_later;
	int64		bytes;
	int64		derived;
	int64		deleted_files;
} MlsMediaCounts;

extern MlsMediaConnection *MlsMediaLoadConnection(const char *tenant, const char *connection,
												  TimestampTz now);
extern MlsMediaJob *MlsMediaClaim(MlsMediaConnection *mc, int max, TimestampTz now, int *njobs);
extern List *MlsMediaExistingObjects(const char *tenant, List *sha256s);
extern void MlsMediaRecord(MlsMediaConnection *mc, MlsMediaJob **jobs, char **storage_keys,
						   int njobs, TimestampTz now, MlsMediaCounts *counts);
extern MlsMediaObject *MlsMediaObjectsToDerive(MlsMediaConnection *mc, int max,
												TimestampTz now, int *n);
extern void MlsMediaRecordUnreadable(MlsMediaConnection *mc, const char *sha256,
									 const char *error, bool gone, TimestampTz now);
extern void MlsMediaRecordDerived(MlsMediaConnection *mc, const char *sha256,
								  const MlsMediaDerived *derived, const char **keys,
								  TimestampTz now);
extern void MlsMediaCollectObjects(const char *tenant);
extern List *MlsMediaGarbage(const char *tenant, int max);
extern void MlsMediaGarbageDone(const char *tenant, const char *key, const char *error);
extern int64 MlsMediaRaiseEvents(const char *tenant, const char *connection);
extern List *MlsMediaConnectionsWithWork(const char *tenant, const char *connection,
										 TimestampTz now, int limit);

#endif							/* MLSYNC_MEDIA_QUEUE_H */
