/*-------------------------------------------------------------------------
 *
 * queue.h
 *	  The sync queue (mlsync.mls_sync_queue): every statement on it.
 *
 * A run is a queue row from its request until it ends: queued, then
 * running (claimed by the launcher or taken by the request worker of
 * mls_sync(wait => true)), then removed when its history row records the
 * outcome.  A long run may yield its worker between batches while others
 * wait: it is queued again, with its history row kept, and goes on where it
 * stopped at its next turn.  Requests for a
 * connection join a queued run of the same mode, or are merged into its
 * running one; a connection never has two runs running at once.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_QUEUE_H
#define MLSYNC_QUEUE_H

#include "postgres.h"

#include "nodes/pg_list.h"
#include "utils/timestamp.h"

/* How a request was queued (MlsQueueRequest) */
typedef enum MlsQueuedAs
{
	MLS_QUEUED_ADDED,			/* a new run */
	MLS_QUEUED_JOINED,			/* joined a queued run of the same mode */
	MLS_QUEUED_MERGED,			/* merged into the running run: one more pass */
	MLS_QUEUED_WAITING			/* to run here, but the connection has a run
								 * running: queued until it ends */
} MlsQueuedAs;

/* Whether a run queued to be run here could be taken (MlsQueueTakeOver) */
typedef enum MlsTakeOver
{
	MLS_TAKEOVER_TAKEN,			/* running in this process now */
	MLS_TAKEOVER_WAIT,			/* still queued behind a running run */
	MLS_TAKEOVER_GONE			/* the launcher started it (or it ended) */
} MlsTakeOver;

/* A queue row, as a run starts from it */
typedef struct MlsQueueEntry
{
	char	   *tenant;
	char	   *connection;
	char	   *mode;
	char	   *trigger;
	char	   *listing_key;
	bool		resumed;		/* it had a worker before and yielded it */
	char	   *resume_raw;		/* a full run that yielded: where it goes on */
	TimestampTz first_started_at;	/* when its first turn began; 0: this is
									 * its first */
} MlsQueueEntry;

/* Requests (mls_sync, mls_sync_cancel, mls_sync_wait), inside SPI */
extern int64 MlsQueueRequest(const char *tenant, const char *connection, const char *mode,
							 const char *listing_key, const char *trigger,
							 const char *requested_by, bool run_here, MlsQueuedAs *how);
extern MlsTakeOver MlsQueueTakeOver(int64 run_id);
extern bool MlsQueueCancel(int64 run_id, int *worker_pid);
extern int64 MlsQueueCancelOfDisabled(void);
extern char *MlsQueueRunState(int64 run_id, bool *requested_here);

/* The launcher, inside SPI */
extern List *MlsQueueClaim(int max_runs, MemoryContext cxt);
extern void MlsQueueSetWorkerPid(int64 run_id, int pid);
extern long MlsQueueMsUntilDue(long at_most);
extern int	MlsQueueReapInterrupted(bool launcher_starting, int64 *live_runs, int nlive,
									const char *tenant, const char *connection);

/* A run (each connects to SPI itself) */
extern void MlsQueueEndUnstarted(int64 run_id, bool canceled, const char *message);
extern MlsQueueEntry *MlsQueueLoad(int64 run_id, MemoryContext cxt);
extern void MlsQueueStart(int64 run_id, int pid);
extern bool MlsQueueCancelRequested(int64 run_id);
extern bool MlsQueueTakeRerun(int64 run_id);
extern void MlsQueueRetry(const char *tenant, const char *connection, int64 run_id,
						  TimestampTz not_before);
extern void MlsQueueRemove(int64 run_id);

/* Fair turns (inside SPI) */
extern bool MlsQueueOthersWaiting(const char *tenant, const char *connection);
extern void MlsQueueYield(int64 run_id, const char *resume_raw);
extern void MlsQueueKeepPosition(int64 run_id, const char *resume_raw);

#endif							/* MLSYNC_QUEUE_H */
