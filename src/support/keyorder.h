/*-------------------------------------------------------------------------
 *
 * keyorder.h
 *	  The order jsonb stores the keys of like objects in (keyorder.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_KEYORDER_H
#define MLSYNC_KEYORDER_H

#include "utils/jsonb.h"

typedef struct MlsJsonKeyOrder MlsJsonKeyOrder;

extern MlsJsonKeyOrder *MlsJsonKeyOrderCreate(MemoryContext cxt);
extern void MlsJsonKeyOrderApply(MlsJsonKeyOrder *order, JsonbValue *object);

#endif							/* MLSYNC_KEYORDER_H */
