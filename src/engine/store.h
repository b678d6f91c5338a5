/*-------------------------------------------------------------------------
 *
 * store.h
 *	  The sync engine's bookkeeping in SQL: runs, history, status, errors
 *	  (the queue's own statements are in queue.h).  Every function runs
 *	  inside a transaction (or subtransaction) of the caller's and connects
 *	  to SPI itself.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_STORE_H
#define MLSYNC_STORE_H

#include "datatype/timestamp.h"
#include "transport/source.h"

/* Counts of a run, as mls_sync_history keeps them */
typedef struct MlsRunCounters
{
	int64		seen;
	int64		inserted;
	int64		updated;
	int64		unchanged;
	int64		removed;
	int64		flagged;
	int64		fetched_missing;	/* reconcile: listings the source had and mlsync lacked */
	int64		refetched_stale;	/* reconcile: listings whose timestamp differed */
	int64		errors;
	int64		requests;
	int64		bytes;
	int64		total_expected; /* -1: unknown */
	int64		peak_memory;	/* bytes; 0: not measured */
	int64		excluded;		/* records of excluded listings left alone */
	int64		capped;			/* new listings left out for the listing cap */
} MlsRunCounters;

/* A run and everything needed to perform it */
typedef struct MlsRunInfo
{
	int64		run_id;
	char	   *tenant;
	char	   *connection;
	char	   *mode;
	char	   *trigger;
	char	   *listing_key;
	char	   *mapping_set;
	bool		select_mapped_only;
	MlsSourceConfig *config;
	char	   *watermark_raw;	/* NULL: never synced */
	char	   *watermark_key;
	int64		max_listings;	/* -1: no quota */
	int64		listings_before;	/* the tenant's listings when the run began */
	int64		max_requests_per_day;	/* the tenant's quota; -1: none */
	int64		requests_today; /* the tenant's requests this UTC day, as of
								 * the run's last progress (mls_usage) */
	char	   *metadata_version;	/* the source metadata's version stored, or NULL */
	bool		metadata_fetched;	/* whether metadata was ever stored */
	bool		first_load;		/* no run of the connection that loads
								 * listings has succeeded yet */
	bool		first_load_events;	/* ... and its listings still raise events */
	TimestampTz started_at;		/* when the run started in this process */
	TimestampTz first_started_at;	/* ... and in its first turn; a first
									 * load, in the first run of it that read
									 * listings */
	int64		alert_slow_after;	/* microseconds after which it is slow */
	bool		slow_alerted;	/* sync_slow raised by this run already */
	bool		resumed;		/* it had a worker before and yielded it */
	char	   *resume_raw;		/* ... a full run: the position it goes on from */
} MlsRunInfo;

/* How a run ended */
typedef enum MlsRunEnd
{
	MLS_RUN_SUCCEEDED,
	MLS_RUN_FAILED,
	MLS_RUN_CANCELED
} MlsRunEnd;

extern MlsRunInfo *MlsStoreLoadRun(int64 run_id, MemoryContext cxt);
extern void MlsStoreLoadSecrets(MlsRunInfo *run, MemoryContext cxt);
extern MlsSourceConfig *MlsStoreLoadConnection(const char *tenant, const char *connection,
											   MemoryContext cxt);
extern void MlsStoreWipeSecrets(MlsSourceConfig *config);
extern void MlsStoreMetadata(MlsRunInfo *run, const char *version, List *tables);
extern bool MlsStoreStartRun(MlsRunInfo *run);
extern void MlsStoreLoadWatermark(MlsRunInfo *run, MemoryContext cxt);
extern void MlsStoreLockStatus(MlsRunInfo *run);
extern void MlsStoreProgress(MlsRunInfo *run, const MlsRunCounters *counters);
extern bool MlsStoreWatermark(MlsRunInfo *run, const char *raw, const char *key,
							  TimestampTz ts);
extern void MlsStoreErrors(MlsRunInfo *run, List *errors);
extern void MlsStoreLoadProgress(MlsRunInfo *run, MlsRunCounters *counters,
								 char **watermark_to, MemoryContext cxt);
extern void MlsStoreYield(MlsRunInfo *run, const char *resume_raw, const char *watermark_to);
extern void MlsStoreKeepPosition(MlsRunInfo *run, const char *resume_raw);
extern bool MlsRunModeLoadsListings(const char *mode);
extern void MlsStoreAnalyzeListings(void);
extern void MlsStoreFinishRun(MlsRunInfo *run, MlsRunEnd end, const MlsRunCounters *counters,
							  const char *watermark_to, const MlsSourceError *failure);

#endif							/* MLSYNC_STORE_H */
