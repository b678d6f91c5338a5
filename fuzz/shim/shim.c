/*-------------------------------------------------------------------------
 *
 * shim.c
 *	  The backend functions mlsync's parsers call, implemented for the fuzz
 *	  harnesses that run them outside PostgreSQL.
 *
 * Memory contexts: a subset with the server's semantics that matter to the
 * parsers (children deleted with their parent, reset callbacks called
 * before a reset or delete, the context pointer stored just before each
 * chunk as GetMemoryChunkContext expects, MemoryContextMemAllocated), but
 * every chunk is a malloc of its own and is freed at once, so that
 * AddressSanitizer sees each chunk's bounds and every use after a pfree,
 * reset or delete.  The rest of each chunk header is poisoned, so an
 * underflow into it is reported too.  Allocations that may fail in the
 * server (MCXT_ALLOC_NO_OOM) can be made to fail on purpose, to reach the
 * parsers' out-of-memory paths.
 *
 * Errors: ereport/elog at ERROR or above cannot happen in a parser fed from
 * a library callback (the parsers only raise when created, and only for
 * out of memory), so they print the message and abort: the fuzzer reports
 * that as a crash.  Lower levels are ignored.
 *
 * Everything else the parsers use comes from PostgreSQL's own libpgport
 * and libpgcommon (string functions, snprintf, StringInfo, psprintf, UTF-8
 * verification).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "mb/pg_wchar.h"
#include "utils/datetime.h"
#include "utils/memutils.h"

#include "shim.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define SHIM_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define SHIM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#endif
#endif
#ifndef SHIM_POISON
#define SHIM_POISON(p, n) ((void) 0)
#define SHIM_UNPOISON(p, n) ((void) 0)
#endif

#define CHUNK_MAGIC UINT64CONST(0x6d6c73796e636b21)

/*
 * The header of every chunk.  The context pointer must be last: it is what
 * GetMemoryChunkContext reads just before the chunk.
 */
typedef struct ShimChunk
{
	struct ShimChunk *prev;
	struct ShimChunk *next;
	Size		size;
	uint64		magic;
	MemoryContext context;
} ShimChunk;

StaticAssertDecl(sizeof(ShimChunk) % MAXIMUM_ALIGNOF == 0,
				 "chunk headers keep chunks MAXALIGNed");

#define CHUNK_HIDDEN offsetof(ShimChunk, context)

typedef struct ShimContext
{
	MemoryContextData header;
	ShimChunk  *chunks;
} ShimContext;

MemoryContext CurrentMemoryContext = NULL;
MemoryContext TopMemoryContext = NULL;
MemoryContext ErrorContext = NULL;

const int	day_tab[2][13] = {
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0}
};

static long fail_countdown = 0;
static bool fail_sticky = false;
static bool failing = false;
static long failed_count = 0;
static int	live_contexts = 0;

/* the report being built by errstart ... errfinish */
static int	error_level;
static char error_message[1024];

/*
 * Report a condition that cannot happen and stop: the fuzzer sees a crash.
 */
static void
shim_die(const char *fmt,...) pg_attribute_printf(1, 2) pg_attribute_noreturn();

static void
shim_die(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz shim: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

void
FuzzShimInit(void)
{
	if (TopMemoryContext != NULL)
		return;
	TopMemoryContext = AllocSetContextCreate(NULL, "TopMemoryContext", ALLOCSET_DEFAULT_SIZES);
	ErrorContext = AllocSetContextCreate(TopMemoryContext, "ErrorContext", ALLOCSET_SMALL_SIZES);
	CurrentMemoryContext = TopMemoryContext;
}

void
FuzzShimFailAllocation(long n, bool sticky)
{
	fail_countdown = n;
	fail_sticky = sticky;
	failing = false;
	failed_count = 0;
}

long
FuzzShimFailedAllocations(void)
{
	return failed_count;
}

int
FuzzShimLiveContexts(void)
{
	return live_contexts;
}

/*
 * Whether this allocation, one that may fail, is made to.
 */
static bool
should_fail(void)
{
	if (failing && fail_sticky)
	{
		failed_count++;
		return true;
	}
	if (fail_countdown > 0 && --fail_countdown == 0)
	{
		failing = true;
		failed_count++;
		return true;
	}
	return false;
}

static ShimChunk *
chunk_of(void *pointer)
{
	ShimChunk  *chunk;

	if (pointer == NULL || pointer != (void *) MAXALIGN(pointer))
		shim_die("pfree or repalloc of a bad pointer %p", pointer);
	chunk = (ShimChunk *) ((char *) pointer - sizeof(ShimChunk));
	SHIM_UNPOISON(chunk, CHUNK_HIDDEN);
	if (chunk->magic != CHUNK_MAGIC)
		shim_die("pfree or repalloc of a pointer that is no chunk: %p", pointer);
	return chunk;
}

static void
chunk_unlink(ShimChunk *chunk)
{
	ShimContext *cxt = (ShimContext *) chunk->context;

	if (chunk->prev)
	{
		SHIM_UNPOISON(chunk->prev, CHUNK_HIDDEN);
		chunk->prev->next = chunk->next;
		SHIM_POISON(chunk->prev, CHUNK_HIDDEN);
	}
	else
		cxt->chunks = chunk->next;
	if (chunk->next)
	{
		SHIM_UNPOISON(chunk->next, CHUNK_HIDDEN);
		chunk->next->prev = chunk->prev;
		SHIM_POISON(chunk->next, CHUNK_HIDDEN);
	}
	cxt->header.mem_allocated -= chunk->size;
	chunk->magic = 0;
}

/*
 * Allocate a chunk of a context; NULL only for MCXT_ALLOC_NO_OOM.
 */
static void *
chunk_alloc(MemoryContext context, Size size, int flags)
{
	ShimContext *cxt = (ShimContext *) context;
	ShimChunk  *chunk;

	if (!MemoryContextIsValid(context))
		shim_die("allocation in an invalid memory context");
	if (((flags & MCXT_ALLOC_HUGE) != 0 && !AllocHugeSizeIsValid(size)) ||
		((flags & MCXT_ALLOC_HUGE) == 0 && !AllocSizeIsValid(size)))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	if ((flags & MCXT_ALLOC_NO_OOM) != 0 && should_fail())
		return NULL;
	chunk = malloc(sizeof(ShimChunk) + size);
	if (chunk == NULL)
	{
		if ((flags & MCXT_ALLOC_NO_OOM) != 0)
			return NULL;
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed on request of size %zu.", size)));
	}
	chunk->prev = NULL;
	chunk->next = cxt->chunks;
	chunk->size = size;
	chunk->magic = CHUNK_MAGIC;
	chunk->context = context;
	if (cxt->chunks)
	{
		SHIM_UNPOISON(cxt->chunks, CHUNK_HIDDEN);
		cxt->chunks->prev = chunk;
		SHIM_POISON(cxt->chunks, CHUNK_HIDDEN);
	}
	cxt->chunks = chunk;
	SHIM_POISON(chunk, CHUNK_HIDDEN);
	context->mem_allocated += size;
	context->isReset = false;
	if ((flags & MCXT_ALLOC_ZERO) != 0)
		memset(chunk + 1, 0, size);
	return chunk + 1;
}

/*
 * Create a context.  The sizes are ignored: every chunk is its own malloc.
 */
MemoryContext
AllocSetContextCreateInternal(MemoryContext parent, const char *name,
							  Size minContextSize, Size initBlockSize,
							  Size maxBlockSize)
{
	ShimContext *cxt = calloc(1, sizeof(ShimContext));

	if (cxt == NULL)
		shim_die("out of memory creating context \"%s\"", name);
	cxt->header.type = T_AllocSetContext;
	cxt->header.isReset = true;
	cxt->header.name = name;
	cxt->header.parent = parent;
	if (parent)
	{
		cxt->header.nextchild = parent->firstchild;
		if (parent->firstchild)
			parent->firstchild->prevchild = &cxt->header;
		parent->firstchild = &cxt->header;
	}
	live_contexts++;
	return &cxt->header;
}

/*
 * Call and forget the reset callbacks of a context (last registered first,
 * as the server does).
 */
static void
call_reset_callbacks(MemoryContext context)
{
	MemoryContextCallback *cb;

	while ((cb = context->reset_cbs) != NULL)
	{
		context->reset_cbs = cb->next;
		cb->func(cb->arg);
	}
}

/*
 * Free every chunk of a context.
 */
static void
free_chunks(MemoryContext context)
{
	ShimContext *cxt = (ShimContext *) context;
	ShimChunk  *chunk = cxt->chunks;

	while (chunk)
	{
		ShimChunk  *next;

		SHIM_UNPOISON(chunk, CHUNK_HIDDEN);
		next = chunk->next;
		chunk->magic = 0;
		free(chunk);
		chunk = next;
	}
	cxt->chunks = NULL;
	context->mem_allocated = 0;
}

void
MemoryContextDeleteChildren(MemoryContext context)
{
	while (context->firstchild != NULL)
		MemoryContextDelete(context->firstchild);
}

void
MemoryContextResetOnly(MemoryContext context)
{
	if (!context->isReset)
	{
		call_reset_callbacks(context);
		free_chunks(context);
		context->isReset = true;
	}
}

void
MemoryContextReset(MemoryContext context)
{
	if (!MemoryContextIsValid(context))
		shim_die("reset of an invalid memory context");
	if (context->firstchild != NULL)
		MemoryContextDeleteChildren(context);
	MemoryContextResetOnly(context);
}

void
MemoryContextResetChildren(MemoryContext context)
{
	MemoryContext child;

	for (child = context->firstchild; child != NULL; child = child->nextchild)
	{
		MemoryContextResetChildren(child);
		MemoryContextResetOnly(child);
	}
}

void
MemoryContextDelete(MemoryContext context)
{
	if (!MemoryContextIsValid(context))
		shim_die("delete of an invalid memory context");
	if (context == TopMemoryContext)
		shim_die("delete of TopMemoryContext");
	if (context == CurrentMemoryContext)
		shim_die("delete of CurrentMemoryContext \"%s\"", context->name);
	MemoryContextDeleteChildren(context);
	call_reset_callbacks(context);
	if (context->parent)
	{
		if (context->prevchild)
			context->prevchild->nextchild = context->nextchild;
		else
			context->parent->firstchild = context->nextchild;
		if (context->nextchild)
			context->nextchild->prevchild = context->prevchild;
	}
	free_chunks(context);
	context->type = T_Invalid;
	free(context);
	live_contexts--;
}

void
MemoryContextRegisterResetCallback(MemoryContext context, MemoryContextCallback *cb)
{
	cb->next = context->reset_cbs;
	context->reset_cbs = cb;
	context->isReset = false;
}

Size
MemoryContextMemAllocated(MemoryContext context, bool recurse)
{
	Size		total = context->mem_allocated;

	if (recurse)
	{
		MemoryContext child;

		for (child = context->firstchild; child != NULL; child = child->nextchild)
			total += MemoryContextMemAllocated(child, true);
	}
	return total;
}

void
MemoryContextSetIdentifier(MemoryContext context, const char *id)
{
	context->ident = id;
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, 0);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, MCXT_ALLOC_ZERO);
}

void *
MemoryContextAllocZeroAligned(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, MCXT_ALLOC_ZERO);
}

void *
MemoryContextAllocExtended(MemoryContext context, Size size, int flags)
{
	return chunk_alloc(context, size, flags);
}

void *
MemoryContextAllocHuge(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, MCXT_ALLOC_HUGE);
}

void *
palloc(Size size)
{
	return chunk_alloc(CurrentMemoryContext, size, 0);
}

void *
palloc0(Size size)
{
	return chunk_alloc(CurrentMemoryContext, size, MCXT_ALLOC_ZERO);
}

void *
palloc_extended(Size size, int flags)
{
	return chunk_alloc(CurrentMemoryContext, size, flags);
}

void
pfree(void *pointer)
{
	ShimChunk  *chunk = chunk_of(pointer);

	chunk_unlink(chunk);
	free(chunk);
}

/*
 * Always a new chunk, so that a pointer kept to the old one is a use after
 * free for AddressSanitizer.
 */
static void *
chunk_realloc(void *pointer, Size size, int flags)
{
	ShimChunk  *chunk = chunk_of(pointer);
	MemoryContext context = chunk->context;
	Size		oldsize = chunk->size;
	void	   *copy;

	SHIM_POISON(chunk, CHUNK_HIDDEN);
	copy = chunk_alloc(context, size, flags);
	if (copy == NULL)
		return NULL;
	memcpy(copy, pointer, Min(size, oldsize));
	pfree(pointer);
	return copy;
}

void *
repalloc(void *pointer, Size size)
{
	return chunk_realloc(pointer, size, 0);
}

void *
repalloc_huge(void *pointer, Size size)
{
	return chunk_realloc(pointer, size, MCXT_ALLOC_HUGE);
}

Size
GetMemoryChunkSpace(void *pointer)
{
	ShimChunk  *chunk = chunk_of(pointer);
	Size		size = chunk->size;

	SHIM_POISON(chunk, CHUNK_HIDDEN);
	return size + sizeof(ShimChunk);
}

char *
MemoryContextStrdup(MemoryContext context, const char *string)
{
	Size		len = strlen(string) + 1;
	char	   *copy = chunk_alloc(context, len, 0);

	memcpy(copy, string, len);
	return copy;
}

char *
pstrdup(const char *in)
{
	return MemoryContextStrdup(CurrentMemoryContext, in);
}

char *
pnstrdup(const char *in, Size len)
{
	char	   *copy;

	len = strnlen(in, len);
	copy = palloc(len + 1);
	memcpy(copy, in, len);
	copy[len] = '\0';
	return copy;
}

/* Error reporting: see the file header */

bool
errstart(int elevel, const char *domain)
{
	if (elevel < ERROR)
		return false;
	error_level = elevel;
	error_message[0] = '\0';
	return true;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	shim_die("%s raised at %s:%d (%s): %s",
			 error_level == ERROR ? "ERROR" : "FATAL or PANIC",
			 filename, lineno, funcname ? funcname : "?", error_message);
}

int
errcode(int sqlerrcode)
{
	return 0;
}

static void
append_message(const char *fmt, va_list ap) pg_attribute_printf(1, 0);

static void
append_message(const char *fmt, va_list ap)
{
	size_t		used = strlen(error_message);

	if (used > 0 && used + 2 < sizeof(error_message))
	{
		strcat(error_message, "; ");
		used += 2;
	}
	vsnprintf(error_message + used, sizeof(error_message) - used, fmt, ap);
}

#define DEFINE_ERR_FUNC(name) \
int \
name(const char *fmt,...) \
{ \
	va_list		ap; \
\
	va_start(ap, fmt); \
	append_message(fmt, ap); \
	va_end(ap); \
	return 0; \
}

DEFINE_ERR_FUNC(errmsg)
DEFINE_ERR_FUNC(errmsg_internal)
DEFINE_ERR_FUNC(errdetail)
DEFINE_ERR_FUNC(errdetail_internal)
DEFINE_ERR_FUNC(errhint)
DEFINE_ERR_FUNC(errcontext_msg)

int
set_errcontext_domain(const char *domain)
{
	return 0;
}

void
ExceptionalCondition(const char *conditionName, const char *errorType,
					 const char *fileName, int lineNumber)
{
	shim_die("%s(\"%s\") at %s:%d", errorType ? errorType : "Assert",
			 conditionName ? conditionName : "?", fileName ? fileName : "?", lineNumber);
}

/*
 * The server's check of a string's encoding (mbutils.c), on libpgcommon's
 * verifier; never raises here, as the callers pass noError.
 */
bool
pg_verify_mbstr(int encoding, const char *mbstr, int len, bool noError)
{
	int			oklen = pg_encoding_verifymbstr(encoding, mbstr, len);

	if (oklen != len)
	{
		if (noError)
			return false;
		elog(ERROR, "invalid byte sequence in encoding %d", encoding);
	}
	return true;
}
