/*-------------------------------------------------------------------------
 *
 * buffer.h
 *	  Growing a StringInfo inside a library callback, where nothing may
 *	  raise an error.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_BUFFER_H
#define MLSYNC_BUFFER_H

#include <limits.h>

#include "lib/stringinfo.h"

/* Largest buffer MlsBufferAppend grows to (StringInfo lengths are int) */
#define MLS_BUFFER_MAX ((size_t) INT_MAX - 1)

extern bool MlsBufferAppend(StringInfo buf, const char *data, size_t len, size_t cap);

#endif							/* MLSYNC_BUFFER_H */
