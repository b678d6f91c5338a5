/*-------------------------------------------------------------------------
 *
 * rets_util.c
 *	  Helpers shared by the RETS parsers: allocation that never raises,
 *	  growable buffers, error messages and Content-Type parameters.
 *
 * Folder src/rets/parse/: the RETS body parsers (XML core, COMPACT,
 * Login, multipart) and the helpers they share (this file).  They run
 * inside libcurl and libxml2 callbacks, so they may not include fmgr.h,
 * executor/spi.h or utils/jsonb.h, and nothing they run while fed may raise.
 *
 * Nothing here calls ereport, palloc without MCXT_ALLOC_NO_OOM, or
 * CHECK_FOR_INTERRUPTS: these functions run inside libcurl and libxml2
 * callbacks, where a longjmp would skip the libraries' own cleanup.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <stdarg.h>

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "rets/parse/rets_util.h"

/*
 * Allocate in cxt, returning NULL on out-of-memory or on a size no
 * allocation may have, instead of raising.
 */
void *
RetsAlloc(MemoryContext cxt, size_t size)
{
	/* MemoryContextAllocExtended would elog() on an invalid size */
	if (size == 0)
		size = 1;
	if (!AllocSizeIsValid(size))
		return NULL;
	return MemoryContextAllocExtended(cxt, size, MCXT_ALLOC_NO_OOM);
}

/*
 * Copy len bytes of s into a new NUL-terminated string, or NULL on
 * out-of-memory.
 */
char *
RetsStrndup(MemoryContext cxt, const char *s, size_t len)
{
	char	   *copy = RetsAlloc(cxt, len + 1);

	if (copy == NULL)
		return NULL;
	if (len > 0)
		memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

/*
 * Make room for extra more bytes (plus a terminating NUL).  The buffer at
 * least doubles, so appending n bytes one by one costs O(n).
 */
bool
RetsBufReserve(MemoryContext cxt, RetsBuf *buf, size_t extra)
{
	size_t		need = buf->len + extra + 1;
	size_t		newcap;
	char	   *data;

	if (need <= buf->cap)
		return true;
	if (need < buf->len)		/* overflow */
		return false;
	newcap = buf->cap < 256 ? 256 : buf->cap;
	while (newcap < need)
	{
		if (newcap > MaxAllocSize / 2)
		{
			newcap = need;
			break;
		}
		newcap *= 2;
	}
	data = RetsAlloc(cxt, newcap);
	if (data == NULL)
		return false;
	if (buf->len > 0)
		memcpy(data, buf->data, buf->len);
	data[buf->len] = '\0';
	if (buf->data != NULL)
		pfree(buf->data);
	buf->data = data;
	buf->cap = newcap;
	return true;
}

/*
 * Append len bytes and keep the buffer NUL-terminated.
 */
bool
RetsBufAppend(MemoryContext cxt, RetsBuf *buf, const char *data, size_t len)
{
	if (!RetsBufReserve(cxt, buf, len))
		return false;
	if (len > 0)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
	return true;
}

/*
 * Release a buffer's memory and empty it.
 */
void
RetsBufFree(RetsBuf *buf)
{
	if (buf->data != NULL)
		pfree(buf->data);
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
}

/*
 * Record an error message in a parser's error buffer, unless one is already
 * there: the first error is the one that explains the others.
 */
void
RetsSetError(char *errbuf, const char *fmt,...)
{
	va_list		ap;

	if (errbuf[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, RETS_ERROR_LEN, fmt, ap);
	va_end(ap);
}

/*
 * Make an error message safe to store and show, in place: it may quote
 * what a server sent (an encoding name, an element, a value), cut anywhere
 * by the buffer's size.  Control characters and bytes that are not UTF-8
 * become '?', which never lengthens it.  Returns the message.
 */
char *
RetsCleanMessage(char *message)
{
	unsigned char *p = (unsigned char *) message;

	while (*p)
	{
		int			n = 1;

		if (*p >= 0x80)
		{
			n = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
			for (int i = 1; i < n; i++)
				if ((p[i] & 0xC0) != 0x80)
					n = 0;
			if (n == 0 || !pg_utf8_islegal(p, n))
			{
				*p++ = '?';
				continue;
			}
		}
		else if (*p < 0x20 || *p == 0x7F)
			*p = '?';
		p += n;
	}
	return message;
}

/*
 * How many of the first len bytes of UTF-8 text s to keep so that at most
 * max are kept and no character is cut.
 */
size_t
RetsUtf8Clip(const char *s, size_t len, size_t max)
{
	size_t		n = max;

	if (len <= max)
		return len;
	/* s[n] is the first byte dropped: step back while it continues a character */
	while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/*
 * Whitespace as RETS bodies use it (XML's S, plus vertical tab and form
 * feed for good measure).
 */
bool
RetsIsSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/*
 * Find parameter "name" (case-insensitive) of a Content-Type value such as
 * `multipart/parallel; boundary="simple boundary"; charset=utf-8` and copy
 * its value, unquoted, to out.  Returns false when the parameter is absent
 * or does not fit.  Quoted values may contain ';' and backslash escapes
 * (RFC 7231 quoted-string).
 */
bool
RetsContentTypeParam(const char *content_type, const char *name,
					 char *out, size_t outlen)
{
	const char *p;
	size_t		namelen = strlen(name);

	if (content_type == NULL)
		return false;
	p = strchr(content_type, ';');
	while (p != NULL && *p == ';')
	{
		const char *pname;
		size_t		pnamelen;
		size_t		n = 0;
		bool		match;
		bool		fits = true;

		p++;
		while (RetsIsSpace(*p))
			p++;
		pname = p;
		while (*p != '\0' && *p != '=' && *p != ';')
			p++;
		pnamelen = p - pname;
		while (pnamelen > 0 && RetsIsSpace(pname[pnamelen - 1]))
			pnamelen--;
		match = (pnamelen == namelen && pg_strncasecmp(pname, name, namelen) == 0);
		if (*p != '=')
			continue;
		p++;
		while (RetsIsSpace(*p))
			p++;
		if (*p == '"')
		{
			p++;
			while (*p != '\0' && *p != '"')
			{
				if (*p == '\\' && p[1] != '\0')
					p++;
				if (n + 1 < outlen)
					out[n++] = *p;
				else
					fits = false;
				p++;
			}
			if (*p == '"')
				p++;
			/* anything up to the next ';' after a quoted value is junk */
			while (*p != '\0' && *p != ';')
				p++;
		}
		else
		{
			const char *v = p;
			size_t		vlen;

			while (*p != '\0' && *p != ';')
				p++;
			vlen = p - v;
			while (vlen > 0 && RetsIsSpace(v[vlen - 1]))
				vlen--;
			if (vlen + 1 <= outlen)
			{
				memcpy(out, v, vlen);
				n = vlen;
			}
			else
				fits = false;
		}
		if (match)
		{
			if (outlen > 0)
				out[fits ? n : 0] = '\0';
			return fits;
		}
	}
	return false;
}

/*
 * Length of the media type of a Content-Type value (the part before any
 * parameter), with surrounding spaces skipped; *start is set to its start.
 */
static size_t
media_type_span(const char *content_type, const char **start)
{
	const char *p = content_type;
	size_t		len;

	while (RetsIsSpace(*p))
		p++;
	*start = p;
	len = strcspn(p, ";");
	while (len > 0 && RetsIsSpace(p[len - 1]))
		len--;
	return len;
}

/*
 * Whether a Content-Type value's media type is exactly "type" (any case).
 */
bool
RetsMediaTypeIs(const char *content_type, const char *type)
{
	const char *start;
	size_t		len;

	if (content_type == NULL)
		return false;
	len = media_type_span(content_type, &start);
	return len == strlen(type) && pg_strncasecmp(start, type, len) == 0;
}

/*
 * Whether a Content-Type value's media type starts with prefix (any case),
 * e.g. "multipart/".
 */
bool
RetsMediaTypeHasPrefix(const char *content_type, const char *prefix)
{
	const char *start;
	size_t		len;
	size_t		plen = strlen(prefix);

	if (content_type == NULL)
		return false;
	len = media_type_span(content_type, &start);
	return len >= plen && pg_strncasecmp(start, prefix, plen) == 0;
}
