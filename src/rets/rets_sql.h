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

#include "rets/parse/rets_compact.h"
#include "support/keyorder.h"

extern Jsonb *RetsRowToJsonb(const RetsRow *row, MlsJsonKeyOrder *order);
extern Jsonb *RetsMetadataToJsonb(const char *data, size_t len, const char *charset,
								  size_t chunk, Size budget, bool *over_budget);

#endif							/* MLSYNC_RETS_SQL_H */
