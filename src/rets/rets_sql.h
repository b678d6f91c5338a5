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

/*
 * The most memory the parsed rows of a body may take, for a cap on the
 * body of cap_kb: four times it (the jsonb of a row takes tens of times
 * its text, hundreds for empty fields; rets_sql.c, rows_context).
 */
#define RETS_ROWS_BUDGET(cap_kb) ((Size) 4 * (cap_kb) * 1024)

extern Jsonb *RetsRowToJsonb(const RetsRow *row, MlsJsonKeyOrder *order);
extern Jsonb *RetsMetadataToJsonb(const char *data, size_t len, const char *charset,
								  size_t chunk, Size budget, bool *over_budget);

#endif							/* MLSYNC_RETS_SQL_H */
