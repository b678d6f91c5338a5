/*-------------------------------------------------------------------------
 *
 * worker.h
 *	  The launcher (static background worker), sync workers (dynamic), and
 *	  request workers (dynamic: mls_sync(wait => true) runs its sync in one
 *	  and waits for it).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_WORKER_H
#define MLSYNC_WORKER_H

#include "engine/queue.h"

/* A request worker started by mls_sync(wait => true) */
typedef struct MlsRequestWorker MlsRequestWorker;

extern void MlsRegisterLauncher(void);
extern bool MlsLauncherServes(Oid database);
extern void MlsWakeLauncherAtCommit(void);
extern MlsRequestWorker *MlsStartRequestWorker(const char *tenant, const char *connection,
											   const char *mode, const char *listing_key);
extern int64 MlsFinishRequestWorker(MlsRequestWorker *worker, MlsQueuedAs *how);
extern void MlsCancelRequestWorker(MlsRequestWorker *worker);

#endif							/* MLSYNC_WORKER_H */
