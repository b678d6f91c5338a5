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
 * Perform the queued run run_id in this background worker: every batch
 * commits in its own transaction.  The run's outcome is recorded, not
 * raised, except when the process must stop (terminate).
 */
extern void MlsRunSync(int64 run_id);

/*
 * The same for a worker of the launcher: the run may end its turn between
 * batches when runs of other connections wait for a worker (it is then
 * queued again and goes on where it stopped; docs/architecture.md,
 * "Scheduling").
 */
extern void MlsRunSyncTurn(int64 run_id);

#endif							/* MLSYNC_PIPELINE_H */
