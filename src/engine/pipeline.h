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

#endif							/* MLSYNC_PIPELINE_H */
