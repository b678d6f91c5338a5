/*-------------------------------------------------------------------------
 *
 * fuzz_common.c
 *	  Helpers shared by the mlsync fuzz harnesses (see fuzz_common.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"

/*
 * Report a failed invariant and abort.
 */
void
FuzzFail(const char *file, int line, const char *cond, const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "\nfuzz invariant failed at %s:%d: %s\n  ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/*
 * The next byte of the input, 0 once it is exhausted.
 */
uint8_t
FuzzTakeByte(FuzzInput *in)
{
	uint8_t		b;

	if (in->len == 0)
		return 0;
	b = in->data[0];
	in->data++;
	in->len--;
	return b;
}

/*
 * The next line of the input (up to LF, which is dropped, and at most max
 * bytes), as a malloc'd NUL-terminated string; NUL bytes end it early.
 */
char *
FuzzTakeLine(FuzzInput *in, size_t max)
{
	size_t		n = 0;
	char	   *line;

	while (n < in->len && n < max && in->data[n] != '\n')
		n++;
	line = malloc(n + 1);
	memcpy(line, in->data, n);
	line[n] = '\0';
	if (n < in->len && in->data[n] == '\n')
		n++;
	in->data += n;
	in->len -= n;
	return line;
}

/*
 * Choose the piece sizes of a body of total bytes.  One option in eight
 * cuts small bodies into pieces of 1 to 4 bytes; otherwise sizes mix small
 * pieces (1 to 8 bytes, where sequences straddle pieces) with pieces of up
 * to 64 kB, so that large bodies stay fast.
 */
void
FuzzPiecesInit(FuzzPieces *pieces, uint8_t option, size_t total)
{
	pieces->state = 0x9E3779B97F4A7C15ULL ^ ((uint64_t) option << 32) ^ total;
	pieces->tiny = (option & 7) == 0 && total <= 4096;
}

/*
 * The size of the next piece (at least 1, at most remaining).
 */
size_t
FuzzPiecesNext(FuzzPieces *pieces, size_t remaining)
{
	uint64_t	x = pieces->state;
	size_t		size;

	/* xorshift64 */
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	pieces->state = x;
	if (pieces->tiny)
		size = 1 + (x & 3);
	else if ((x & 1) == 0)
		size = 1 + ((x >> 1) & 7);
	else
		size = 1 + ((x >> 8) & ((1u << ((x >> 4) & 15)) - 1)) + ((x >> 2) & 3);
	return Min(size, remaining);
}

/*
 * Option byte 2: 0, no failure; else the nth allocation that may fail does
 * (nth from 1 to 127), and every later one too when the high bit is set.
 */
bool
FuzzFailuresFrom(uint8_t option, long *nth, bool *sticky)
{
	if (option == 0)
		return false;
	*nth = option & 0x7F;
	if (*nth == 0)
		*nth = 128;
	*sticky = (option & 0x80) != 0;
	return true;
}

void
FuzzLogAppend(FuzzLog *log, const void *data, size_t len)
{
	if (log->len + len + 1 > log->cap)
	{
		size_t		cap = Max(log->cap * 2, log->len + len + 1);

		cap = Max(cap, 256);
		log->data = realloc(log->data, cap);
		if (log->data == NULL)
			abort();
		log->cap = cap;
	}
	if (len > 0)
		memcpy(log->data + log->len, data, len);
	log->len += len;
	log->data[log->len] = '\0';
}

void
FuzzLogPrintf(FuzzLog *log, const char *fmt,...)
{
	char		buf[512];
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	FuzzLogAppend(log, buf, Min((size_t) n, sizeof(buf) - 1));
}

/*
 * A string, or "(null)", with its length so that the log is unambiguous.
 */
void
FuzzLogString(FuzzLog *log, const char *s)
{
	if (s == NULL)
	{
		FuzzLogAppend(log, "(null);", 7);
		return;
	}
	FuzzLogPrintf(log, "%zu:", strlen(s));
	FuzzLogAppend(log, s, strlen(s));
	FuzzLogAppend(log, ";", 1);
}

void
FuzzLogReset(FuzzLog *log)
{
	log->len = 0;
	if (log->data)
		log->data[0] = '\0';
}

void
FuzzLogFree(FuzzLog *log)
{
	free(log->data);
	log->data = NULL;
	log->len = log->cap = 0;
}

/*
 * Two runs must have produced the same; show where they part.
 */
void
FuzzLogCheckEqual(const FuzzLog *a, const FuzzLog *b, const char *what)
{
	size_t		i = 0;

	if (a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0))
		return;
	while (i < a->len && i < b->len && a->data[i] == b->data[i])
		i++;
	FuzzFail(__FILE__, __LINE__, what,
			 "whole and pieces differ at byte %zu (lengths %zu and %zu):\n  whole:  %.*s\n  pieces: %.*s",
			 i, a->len, b->len,
			 (int) Min(a->len - Min(i, a->len), 200), a->data ? a->data + i : "",
			 (int) Min(b->len - Min(i, b->len), 200), b->data ? b->data + i : "");
}

/*
 * Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF).
 */
bool
FuzzIsUtf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = p[i];
		int			n;
		uint32_t	cp;

		if (c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07;
		else
			return false;
		if (i + n >= len)
			return false;		/* the sequence is cut short */
		for (int k = 1; k <= n; k++)
		{
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
			(cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

/*
 * UTF-8 holding only characters of XML 1.0 (no control characters but TAB,
 * LF and CR, no U+FFFE or U+FFFF): what the RETS decoder promises.
 */
bool
FuzzIsXmlText(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;

	if (!FuzzIsUtf8(s, len))
		return false;
	for (size_t i = 0; i < len; i++)
	{
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return false;
		if (p[i] == 0xEF && i + 2 < len && p[i + 1] == 0xBF &&
			(p[i + 2] == 0xBE || p[i + 2] == 0xBF))
			return false;
	}
	return true;
}

/*
 * A fresh memory context for one run of a parser, made current.
 */
MemoryContext
FuzzBeginRun(void)
{
	MemoryContext cxt;

	FuzzShimInit();
	cxt = AllocSetContextCreate(TopMemoryContext, "fuzz run", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(cxt);
	return cxt;
}

/*
 * The run is over: the parsers must have deleted every context they made
 * (their Destroy functions) and left nothing in TopMemoryContext.
 */
void
FuzzEndRun(MemoryContext cxt)
{
	MemoryContextSwitchTo(TopMemoryContext);
	FUZZ_CHECK(cxt->firstchild == NULL,
			   "a parser left its memory context \"%s\" behind", cxt->firstchild->name);
	MemoryContextDelete(cxt);
	FUZZ_CHECK(TopMemoryContext->mem_allocated == 0,
			   "%zu bytes allocated in TopMemoryContext", TopMemoryContext->mem_allocated);
	FuzzShimFailAllocation(0, false);
}
