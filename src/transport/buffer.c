/*-------------------------------------------------------------------------
 *
 * buffer.c
 *	  Appending to a StringInfo without ever raising an error.
 *
 * libcurl and libxml2 callbacks must not raise (longjmp across a library's
 * frames is unsafe), and appendBinaryStringInfo raises when it cannot
 * grow.  This one grows with a no-OOM allocation and says false instead.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "utils/memutils.h"

#include "transport/buffer.h"

/*
 * Append len bytes, growing the buffer (in the context of its data) up to
 * cap bytes.  Returns false, appending nothing, when the result would
 * exceed cap or memory ran out.  buf must have been initialized.
 */
bool
MlsBufferAppend(StringInfo buf, const char *data, size_t len, size_t cap)
{
	size_t		needed = (size_t) buf->len + len;

	if (needed > cap || needed > MLS_BUFFER_MAX)
		return false;
	if (needed + 1 > (size_t) buf->maxlen)
	{
		size_t		newlen = Max((size_t) buf->maxlen * 2, needed + 1);
		char	   *grown;

		newlen = Min(newlen, Min(cap, MLS_BUFFER_MAX) + 1);
		grown = MemoryContextAllocExtended(GetMemoryChunkContext(buf->data), newlen,
										   MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
		if (grown == NULL)
			return false;
		memcpy(grown, buf->data, buf->len + 1);
		pfree(buf->data);
		buf->data = grown;
		buf->maxlen = (int) newlen;
	}
	memcpy(buf->data + buf->len, data, len);
	buf->len += (int) len;
	buf->data[buf->len] = '\0';
	return true;
}
