/*-------------------------------------------------------------------------
 *
 * pipeline.h
 *	  One sync run: source -> mapping -> writer, batch by batch.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_PIPELINE_H
#define MLSYNC_PIPELINE_H

/*
 * Perform the queued run run_id in this process.  In a background worker
 * (background = true) every batch commits in its own transaction; in a
 * backend (mls_sync(wait => true)) every batch is a subtransaction of the
 * caller's transaction.  The run's outcome is recorded, not raised, except
 * when the process must stop (terminate).
 */
extern void MlsRunSync(int64 run_id, bool background);

#endif							/* MLSYNC_PIPELINE_H */
