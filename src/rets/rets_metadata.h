/*-------------------------------------------------------------------------
 *
 * rets_metadata.h
 *	  GetMetadata over a RETS session: the tables a connection's mapping
 *	  is built from (docs/protocols.md R9).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_METADATA_H
#define MLSYNC_RETS_METADATA_H

#include "rets/rets_session.h"

extern List *RetsFetchMetadata(RetsSession *session);

#endif							/* MLSYNC_RETS_METADATA_H */
