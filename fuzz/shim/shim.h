/*-------------------------------------------------------------------------
 *
 * shim.h
 *	  The few backend functions mlsync's parsers need, for the fuzz
 *	  harnesses that run them outside PostgreSQL (see shim.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_FUZZ_SHIM_H
#define MLSYNC_FUZZ_SHIM_H

#include "postgres.h"

#include "utils/memutils.h"

/* Set up TopMemoryContext and CurrentMemoryContext; idempotent */
extern void FuzzShimInit(void);

/*
 * Make the n-th allocation that may fail (MCXT_ALLOC_NO_OOM) from now on
 * return NULL, and every one after it too when sticky; n = 0 turns
 * failures off.  Allocations that would raise in the server never fail.
 */
extern void FuzzShimFailAllocation(long n, bool sticky);

/* How many allocations the shim made to fail since the last call above */
extern long FuzzShimFailedAllocations(void);

/* Memory contexts alive (TopMemoryContext included) */
extern int	FuzzShimLiveContexts(void);

#endif							/* MLSYNC_FUZZ_SHIM_H */
