/*-------------------------------------------------------------------------
 *
 * rets_sql.h
 *	  The one place where RETS parsing meets SQL values: rows to jsonb.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_SQL_H
#define MLSYNC_RETS_SQL_H

#include "utils/jsonb.h"

#include "rets_compact.h"

extern Jsonb *RetsRowToJsonb(const RetsRow *row);

#endif							/* MLSYNC_RETS_SQL_H */
