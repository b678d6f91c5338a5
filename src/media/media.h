/*-------------------------------------------------------------------------
 *
 * media.h
 *	  The media of listings: settings, and the entry points the rest of
 *	  mlsync calls (the sync's hooks, the launcher's, the media worker).
 *
 * What lives where (src/media/):
 *	media.c			settings, the sync's hooks
 *	media_list.c	reading media lists from the source during a sync (RESO
 *					Media resource, re-checks, RETS GetObject)
 *	media_queue.c	the queue in SQL: claim, record, usage, garbage
 *	media_fetch.c	concurrent downloads on libcurl's multi interface
 *	media_storage.c	content-addressed storage: a directory or S3
 *	media_derive.c	derivatives, in a helper process (helper/)
 *	media_worker.c	media workers, the launcher's hook, mls_media_download()
 *	media_secret.c	the encrypted S3 secret
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_MEDIA_H
#define MLSYNC_MEDIA_H

#include "datatype/timestamp.h"
#include "nodes/pg_list.h"

/* Settings (media.c) */
extern char *mlsync_media_dir;
extern int	mlsync_media_workers;
extern int	mlsync_media_max_bytes;
extern int	mlsync_media_timeout;
extern int	mlsync_media_max_attempts;
extern int	mlsync_media_batch;
extern bool mlsync_media_derive;
extern char *mlsync_media_sizes;
extern char *mlsync_media_formats;
extern int	mlsync_media_max_pixels;
extern int	mlsync_media_helper_memory;
extern int	mlsync_media_quality;

/* Longest storage key: tenant, two levels, the digest, a suffix */
#define MLS_MEDIA_SHA256_HEX 64

struct MlsSource;

extern void MlsMediaInit(void);

/* sync hooks (pipeline.c) */
extern void MlsMediaAfterBatch(const char *tenant, const char *connection,
							   char **keys, int nkeys);
extern void MlsMediaAfterReconcile(const char *tenant, const char *connection);
extern void MlsMediaReadLists(struct MlsSource *source,
							  void (*unit_begin) (void *), void (*unit_commit) (void *),
							  void (*unit_abort) (void *), void *unit_arg);

/* the photo pass of a run (pipeline.c) */
extern bool MlsMediaPhotoPassDue(const char *tenant, const char *connection, MemoryContext cxt,
								 char **raw, char **key);
extern void MlsMediaStorePhotoWatermark(const char *tenant, const char *connection,
										const char *raw, const char *key);
extern void MlsMediaPhotoPassRefused(const char *tenant, const char *connection);
extern void MlsMediaRecheckRefused(const char *tenant, const char *connection);

/* the launcher's hook (worker.c) */
extern void MlsMediaLauncherRound(void);

#endif							/* MLSYNC_MEDIA_H */
