/*-------------------------------------------------------------------------
 *
 * version.h
 *	  Whether the SQL objects of mlsync in this database are those of the
 *	  library that is loaded.
 *
 * A new mlsync library is installed over the files of the old one, and it
 * meets the old version's tables until ALTER EXTENSION mlsync UPDATE runs.
 * Syncing then would write rows the old tables cannot take: the launcher
 * waits and mls_sync() refuses until the versions agree.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_VERSION_H
#define MLSYNC_VERSION_H

extern char *MlsInstalledVersion(void);
extern void MlsCheckInstalledVersion(void);

#endif							/* MLSYNC_VERSION_H */
