/*-------------------------------------------------------------------------
 *
 * json_read.h
 *	  A fast reader of the JSON of one record into jsonb (json_read.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_JSON_READ_H
#define MLSYNC_JSON_READ_H

#include "support/keyorder.h"
#include "utils/jsonb.h"

extern Jsonb *MlsJsonReadPlain(const char *text, int len, MlsJsonKeyOrder *order);
extern bool MlsJsonNumberValue(const char *token, JsonbValue *out);

#endif							/* MLSYNC_JSON_READ_H */
