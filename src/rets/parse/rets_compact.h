/*-------------------------------------------------------------------------
 *
 * rets_compact.h
 *	  Streaming parser of RETS COMPACT and COMPACT-DECODED responses: Search
 *	  results and GetMetadata (COMPACT, and STANDARD-XML metadata too).
 *
 * Usage, as the RETS source drives it from a libcurl write callback:
 *
 *	p = RetsCompactCreate(cxt, RETS_COMPACT_SEARCH, max_row_bytes);	(may raise)
 *	RetsCompactSetCharset(p, charset from Content-Type);	(never raises)
 *	for each chunk: RetsCompactFeed(p, chunk, len);	(never raises)
 *	  ... after the library call returns:
 *	  n = RetsCompactTakeRows(p, &rows);	(never raises)
 *	  turn rows[0..n) into records, ereport what must be
 *	RetsCompactFinish(p); RetsCompactTakeRows(p, &rows);
 *	RetsCompactGetInfo(p): reply code and text, COUNT, MAXROWS, counters
 *	RetsCompactError(p): the first error, or NULL
 *	RetsCompactDestroy(p);
 *
 * Memory: the parser works in its own memory context, a child of the one
 * given at creation.  Everything it allocates while fed uses
 * MCXT_ALLOC_NO_OOM; running out of memory is a parser error.  Rows live
 * until the next RetsCompactTakeRows, so memory is bounded by the rows of
 * one feed (plus the largest row), not by the response.  Deleting the
 * parent context also frees libxml2's memory, so an error raised between
 * create and destroy leaks nothing.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_COMPACT_H
#define MLSYNC_RETS_COMPACT_H

#include "rets/parse/rets_xml.h"

typedef enum RetsCompactKind
{
	RETS_COMPACT_SEARCH,		/* Search: COUNT, DELIMITER, COLUMNS, DATA */
	RETS_COMPACT_METADATA		/* GetMetadata: METADATA-* tables */
} RetsCompactKind;

/*
 * One row: a DATA line of a search or of a COMPACT metadata table, or one
 * element of a STANDARD-XML metadata table.  Values are NUL-terminated
 * UTF-8 (never containing NUL).  When error is set, the row's field count
 * does not match COLUMNS: names then has the COLUMNS (ncolumns of them)
 * and values the fields found (nfields); the caller logs and skips it.
 */
typedef struct RetsRow
{
	int64		number;			/* 1-based position among the response's rows */
	int			table;			/* metadata: index of its table; search: -1 */
	int			nfields;
	int			ncolumns;		/* number of names */
	char	  **names;
	char	  **values;
	int		   *lengths;
	const char *error;
} RetsRow;

/* A METADATA-* element and what it holds */
typedef struct RetsTable
{
	char	   *type;			/* element name, e.g. "METADATA-TABLE" */
	int			nattrs;			/* its attributes: Resource, Class, Version... */
	char	  **attr_names;
	char	  **attr_values;
	int			ncolumns;		/* COLUMNS of a COMPACT table, else 0 */
	char	  **columns;
	bool		compact;		/* COLUMNS/DATA (else STANDARD-XML elements) */
	int			parent;			/* enclosing table, or -1 */
	int64		rows;			/* rows delivered */
	int64		skipped;		/* blank rows skipped */
} RetsTable;

/* Everything but the rows */
typedef struct RetsCompactInfo
{
	bool		has_reply;		/* a <RETS> root with a ReplyCode was seen */
	int			reply_code;
	char	   *reply_text;
	bool		has_status;		/* a <RETS-STATUS> was seen */
	int			status_code;
	char	   *status_text;
	int64		count;			/* <COUNT Records>, or -1 */
	int			delimiter;		/* byte splitting COLUMNS and DATA */
	bool		delimiter_sent; /* false: TAB by default */
	int			ncolumns;		/* search COLUMNS */
	char	  **columns;
	bool		maxrows;		/* <MAXROWS/> */
	bool		truncated;		/* MAXROWS, or 20208 in the root or RETS-STATUS */
	bool		no_records;		/* ReplyCode 20201 */
	int64		rows;			/* rows delivered so far */
	int64		bad_rows;		/* of which with a field count error */
	char	   *text;			/* free text inside <RETS>, whitespace folded */
	const char *encoding;		/* "UTF-8" or "ISO-8859-1" */
	RetsTextStats stats;		/* repairs of the decoder */
	int64		bytes;			/* body bytes fed */
	Size		peak_memory;	/* most memory the parser held after a feed */
} RetsCompactInfo;

typedef struct RetsCompactParser RetsCompactParser;

extern RetsCompactParser *RetsCompactCreate(MemoryContext parent, RetsCompactKind kind,
											size_t max_row_bytes);
extern bool RetsCompactSetCharset(RetsCompactParser *p, const char *charset);
extern bool RetsCompactFeed(RetsCompactParser *p, const char *data, size_t len);
extern bool RetsCompactFinish(RetsCompactParser *p);
extern int	RetsCompactTakeRows(RetsCompactParser *p, RetsRow ***rows);
extern size_t RetsCompactPendingBytes(RetsCompactParser *p);
extern const RetsCompactInfo *RetsCompactGetInfo(RetsCompactParser *p);
extern int	RetsCompactNumTables(RetsCompactParser *p);
extern const RetsTable *RetsCompactGetTable(RetsCompactParser *p, int i);
extern const char *RetsCompactError(RetsCompactParser *p);
extern void RetsCompactDestroy(RetsCompactParser *p);

#endif							/* MLSYNC_RETS_COMPACT_H */
