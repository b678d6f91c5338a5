/*-------------------------------------------------------------------------
 *
 * rets_util.h
 *	  Small helpers shared by the RETS parsers: allocation that never
 *	  raises, growable buffers, error messages kept in parser state, and
 *	  Content-Type parameters.
 *
 * The RETS parsers are fed from inside libcurl write callbacks and drive
 * libxml2, whose callbacks must never longjmp.  So everything a parser does
 * while it is fed allocates with MCXT_ALLOC_NO_OOM and reports failure by
 * return value; the caller raises the error later, outside library frames.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_UTIL_H
#define MLSYNC_RETS_UTIL_H

#include "postgres.h"

/* Room for the message of the first error a parser meets */
#define RETS_ERROR_LEN 256

/* A growable byte buffer allocated in a memory context, never raising */
typedef struct RetsBuf
{
	char	   *data;			/* NUL-terminated after RetsBufAppend */
	size_t		len;
	size_t		cap;
} RetsBuf;

extern void *RetsAlloc(MemoryContext cxt, size_t size);
extern char *RetsStrndup(MemoryContext cxt, const char *s, size_t len);
extern bool RetsBufReserve(MemoryContext cxt, RetsBuf *buf, size_t extra);
extern bool RetsBufAppend(MemoryContext cxt, RetsBuf *buf, const char *data, size_t len);
extern void RetsBufFree(RetsBuf *buf);

extern void RetsSetError(char *errbuf, const char *fmt,...) pg_attribute_printf(2, 3);
extern char *RetsCleanMessage(char *message);

extern bool RetsContentTypeParam(const char *content_type, const char *name,
								 char *out, size_t outlen);
extern bool RetsMediaTypeIs(const char *content_type, const char *type);
extern bool RetsMediaTypeHasPrefix(const char *content_type, const char *prefix);

extern bool RetsIsSpace(char c);
extern size_t RetsUtf8Clip(const char *s, size_t len, size_t max);

#endif							/* MLSYNC_RETS_UTIL_H */
