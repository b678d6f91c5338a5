/*-------------------------------------------------------------------------
 *
 * worker.h
 *	  The launcher (static background worker) and sync workers (dynamic).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_WORKER_H
#define MLSYNC_WORKER_H

extern void MlsRegisterLauncher(void);
extern bool MlsLauncherRunning(void);
extern void MlsWakeLauncherAtCommit(void);

#endif							/* MLSYNC_WORKER_H */
