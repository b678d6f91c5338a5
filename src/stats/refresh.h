/*-------------------------------------------------------------------------
 *
 * refresh.h
 *	  The statistics refresh: what a writer of listings marks so that the
 *	  next mls_refresh_stats() recomputes what it changed.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_STATS_REFRESH_H
#define MLSYNC_STATS_REFRESH_H

/*
 * Mark listings of a connection changed (in the current transaction, so the
 * mark commits with the change), or every listing of the connection.  Each
 * connects to SPI itself.
 */
extern void MlsStatsMarkChanged(const char *tenant, const char *connection, char **keys, int n);
extern void MlsStatsMarkConnection(const char *tenant, const char *connection);

#endif							/* MLSYNC_STATS_REFRESH_H */
