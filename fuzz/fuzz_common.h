/*-------------------------------------------------------------------------
 *
 * fuzz_common.h
 *	  What every mlsync fuzz harness shares: reading options from the input,
 *	  cutting a body into pieces as a transfer would deliver it, recording
 *	  what a parser produced to compare two runs, and checks.
 *
 * Input of every harness: three option bytes, then the body (some
 * harnesses read a few header lines before the body, see each one).
 * Option byte 0 is the harness's own; byte 1 chooses the piece sizes
 * (FuzzPiecesInit); byte 2, when not 0, makes an allocation that may fail
 * fail (FuzzFailuresFrom).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_FUZZ_COMMON_H
#define MLSYNC_FUZZ_COMMON_H

#include "postgres.h"

#include <stddef.h>
#include <stdint.h>

#include "shim/shim.h"

/* A failed invariant: print and abort, which the fuzzer reports */
#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			FuzzFail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

extern void FuzzFail(const char *file, int line, const char *cond,
					 const char *fmt,...) pg_attribute_printf(4, 5) pg_attribute_noreturn();

/* The input, read from the front */
typedef struct FuzzInput
{
	const uint8_t *data;
	size_t		len;
} FuzzInput;

extern uint8_t FuzzTakeByte(FuzzInput *in);
extern char *FuzzTakeLine(FuzzInput *in, size_t max);

/* Piece sizes of a body, from option byte 1 and the body's length */
typedef struct FuzzPieces
{
	uint64_t	state;
	bool		tiny;			/* pieces of 1 to 4 bytes only */
} FuzzPieces;

extern void FuzzPiecesInit(FuzzPieces *pieces, uint8_t option, size_t total);
extern size_t FuzzPiecesNext(FuzzPieces *pieces, size_t remaining);

/* Whether option byte 2 asks for an injected allocation failure */
extern bool FuzzFailuresFrom(uint8_t option, long *nth, bool *sticky);

/* A growable record of what a parser produced (plain malloc) */
typedef struct FuzzLog
{
	char	   *data;
	size_t		len;
	size_t		cap;
} FuzzLog;

extern void FuzzLogAppend(FuzzLog *log, const void *data, size_t len);
extern void FuzzLogPrintf(FuzzLog *log, const char *fmt,...) pg_attribute_printf(2, 3);
extern void FuzzLogString(FuzzLog *log, const char *s);
extern void FuzzLogReset(FuzzLog *log);
extern void FuzzLogFree(FuzzLog *log);
extern void FuzzLogCheckEqual(const FuzzLog *a, const FuzzLog *b, const char *what);

/* Text checks */
extern bool FuzzIsUtf8(const char *s, size_t len);
extern bool FuzzIsXmlText(const char *s, size_t len);

/* A memory context per run, checked to leave nothing behind */
extern MemoryContext FuzzBeginRun(void);
extern void FuzzEndRun(MemoryContext cxt);

#endif							/* MLSYNC_FUZZ_COMMON_H */
