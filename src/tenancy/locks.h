/*-------------------------------------------------------------------------
 *
 * locks.h
 *	  Locks of mlsync that no role can take against it, and the refusal of
 *	  explicit table locks that would stop every tenant (see locks.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_LOCKS_H
#define MLSYNC_LOCKS_H

/* What a lock serializes; its second field in pg_locks (classid) */
typedef enum MlsLockKind
{
	MLS_LOCK_MATCH = 1,			/* a tenant's matching steps */
	MLS_LOCK_MEDIA_STORE,		/* a tenant's media storage */
	MLS_LOCK_MEDIA_CONNECTION,	/* a connection's media work */
	MLS_LOCK_STATS_REFRESH		/* the statistics refresh (one for all) */
} MlsLockKind;

/*
 * The last field of mlsync's lock tags (objsubid in pg_locks): SQL's
 * advisory lock functions only ever write 1 or 2 there.
 */
#define MLS_LOCKTAG_FIELD4 0x6d6c

extern bool MlsLockTake(MlsLockKind kind, const char *tenant, const char *connection,
						bool session, bool wait);
extern void MlsLockRelease(MlsLockKind kind, const char *tenant, const char *connection);
extern void MlsLocksInit(void);

#endif							/* MLSYNC_LOCKS_H */
