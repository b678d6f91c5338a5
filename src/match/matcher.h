/*-------------------------------------------------------------------------
 *
 * matcher.h
 *	  Property matching: which listings are the same property.
 *
 * Every listing a sync writes is matched, one set-based step per written
 * batch, through two hooks the writer calls around its upsert; rematching
 * recomputes a tenant's matches after the rules change.  Knows SQL, not
 * HTTP.  See matcher.c for the rules.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_MATCHER_H
#define MLSYNC_MATCHER_H

#include "executor/spi.h"

/* Settings (GUCs), defined by MlsMatchInit */
extern bool mlsync_property_matching;
extern int	mlsync_duplicate_alert_window;

typedef struct MlsMatcher MlsMatcher;

/* What mls_rematch did */
typedef struct MlsRematchResult
{
	int64		listings;		/* listings of the tenant */
	int64		rematched;		/* listings decided again */
	int64		moved;			/* listings whose property changed */
	int64		new_properties; /* property ids handed out */
	int64		ambiguous;		/* listings left for review */
} MlsRematchResult;

extern void MlsMatchInit(void);
extern void MlsMatchLockTenant(const char *tenant);

extern MlsMatcher *MlsMatcherCreate(const char *tenant, const char *connection,
									TupleDesc desc);
extern void MlsMatcherBeforeUpsert(MlsMatcher *matcher, Datum *rows, int n,
								   MemoryContext rows_cxt);
extern void MlsMatcherAfterUpsert(MlsMatcher *matcher, SPITupleTable *written,
								  uint64 nwritten);
extern void MlsMatcherDestroy(MlsMatcher *matcher);

extern void MlsRematch(const char *tenant, bool full, MlsRematchResult *result);

#endif							/* MLSYNC_MATCHER_H */
