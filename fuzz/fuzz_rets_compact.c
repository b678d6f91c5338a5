/*-------------------------------------------------------------------------
 *
 * fuzz_rets_compact.c
 *	  libFuzzer harness of the RETS COMPACT parser
 *	  (src/rets/parse/rets_compact.c): Search responses and GetMetadata
 *	  (COMPACT and STANDARD-XML), driven as the RETS source drives it.
 *
 * Input: option bytes (see fuzz_common.h), then the body.  Option byte 0:
 *	bit 0		0 Search, 1 GetMetadata
 *	bits 1-3	the Content-Type charset
 *	bits 4-5	max_row_bytes: 0 (16 MB), 64, 1024 or 65536
 *	bits 6-7	rows taken after every piece, every third piece, only at
 *				the end, or after every piece with RetsCompactGetInfo too
 *
 * Each body is parsed fed whole and fed in pieces: the rows, the reply and
 * counters, and the metadata tables must be the same.  Rows are checked as
 * their consumers use them: consecutive numbers, lengths that are the
 * values' lengths, UTF-8 that XML allows, a field count matching the
 * columns unless the row says otherwise, and in a Search one set of
 * columns for every row (the sync looks its key and timestamp columns up
 * once and indexes every later row with them).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fuzz_common.h"
#include "rets/parse/rets_compact.h"

static const char *const charsets[8] = {
	NULL, "utf-8", "ISO-8859-1", "us-ascii", "windows-1252", "latin1", "koi8-r", "UTF8"
};
static const size_t max_row_sizes[4] = {0, 64, 1024, 65536};

/* What a run has seen of its rows */
typedef struct CompactRun
{
	FuzzLog		log;
	int64		rows;
	int64		bad_rows;
	int			search_fields;	/* field count of error-free Search rows, or -1 */
	int64	   *table_rows;
	int			ntable_rows;
} CompactRun;

static void
check_text(const char *s, int len, const char *what)
{
	FUZZ_CHECK(len >= 0 && (size_t) len == strlen(s), "%s: length %d, strlen %zu", what, len, strlen(s));
	FUZZ_CHECK(FuzzIsXmlText(s, len), "%s is not text XML allows", what);
}

/*
 * Take the rows parsed so far, check and log them.
 */
static void
take_rows(RetsCompactParser *p, CompactRun *run, RetsCompactKind kind)
{
	RetsRow   **rows;
	int			n = RetsCompactTakeRows(p, &rows);

	for (int i = 0; i < n; i++)
	{
		RetsRow    *row = rows[i];

		FUZZ_CHECK(row->number == run->rows + 1, "row number %lld after %lld rows",
				   (long long) row->number, (long long) run->rows);
		run->rows++;
		FUZZ_CHECK(row->nfields >= 1, "row %lld has %d fields", (long long) row->number, row->nfields);
		FuzzLogPrintf(&run->log, "R%lld t%d n%d c%d ", (long long) row->number, row->table,
					  row->nfields, row->ncolumns);
		if (row->error)
		{
			run->bad_rows++;
			FuzzLogString(&run->log, row->error);
		}
		else
		{
			FUZZ_CHECK(row->names != NULL, "row %lld has no names", (long long) row->number);
			FUZZ_CHECK(row->nfields == row->ncolumns, "row %lld: %d fields, %d columns, no error",
					   (long long) row->number, row->nfields, row->ncolumns);
		}
		if (kind == RETS_COMPACT_SEARCH)
		{
			FUZZ_CHECK(row->table == -1, "search row in table %d", row->table);
			if (!row->error)
			{
				if (run->search_fields < 0)
					run->search_fields = row->nfields;
				FUZZ_CHECK(row->nfields == run->search_fields,
						   "error-free Search rows with %d and %d fields: a sync indexes every row by the first COLUMNS",
						   run->search_fields, row->nfields);
			}
		}
		else
		{
			FUZZ_CHECK(row->table >= 0 && row->table < RetsCompactNumTables(p),
					   "metadata row in table %d of %d", row->table, RetsCompactNumTables(p));
			if (row->table >= run->ntable_rows)
			{
				int			n2 = row->table + 1;

				run->table_rows = realloc(run->table_rows, sizeof(int64) * n2);
				memset(run->table_rows + run->ntable_rows, 0,
					   sizeof(int64) * (n2 - run->ntable_rows));
				run->ntable_rows = n2;
			}
			run->table_rows[row->table]++;
		}
		if (row->names != NULL)
			for (int k = 0; k < row->ncolumns; k++)
			{
				check_text(row->names[k], strlen(row->names[k]), "a column name");
				FuzzLogString(&run->log, row->names[k]);
			}
		for (int k = 0; k < row->nfields; k++)
		{
			check_text(row->values[k], row->lengths[k], "a value");
			FuzzLogString(&run->log, row->values[k]);
		}
	}
}

static void
log_strings(FuzzLog *log, char **strings, int n)
{
	FuzzLogPrintf(log, "[%d]", n);
	for (int i = 0; i < n; i++)
		FuzzLogString(log, strings[i]);
}

/*
 * The reply, counters and tables, checked against the rows seen.
 */
static void
log_info(RetsCompactParser *p, CompactRun *run, RetsCompactKind kind)
{
	const RetsCompactInfo *info = RetsCompactGetInfo(p);
	int			ntables = RetsCompactNumTables(p);

	FUZZ_CHECK(info->rows == run->rows && info->bad_rows == run->bad_rows,
			   "info says %lld rows (%lld bad), %lld (%lld bad) were taken",
			   (long long) info->rows, (long long) info->bad_rows,
			   (long long) run->rows, (long long) run->bad_rows);
	if (kind == RETS_COMPACT_SEARCH && run->search_fields >= 0)
		FUZZ_CHECK(info->ncolumns == run->search_fields,
				   "%d COLUMNS at the end, rows had %d fields", info->ncolumns, run->search_fields);
	if (info->text)
		check_text(info->text, strlen(info->text), "the free text");
	FuzzLogPrintf(&run->log, "|reply=%d:%d ", info->has_reply, info->reply_code);
	FuzzLogString(&run->log, info->reply_text);
	FuzzLogPrintf(&run->log, " status=%d:%d ", info->has_status, info->status_code);
	FuzzLogString(&run->log, info->status_text);
	FuzzLogPrintf(&run->log, " count=%lld delim=%d:%d maxrows=%d truncated=%d none=%d rows=%lld bad=%lld ",
				  (long long) info->count, info->delimiter, info->delimiter_sent,
				  info->maxrows, info->truncated, info->no_records,
				  (long long) info->rows, (long long) info->bad_rows);
	log_strings(&run->log, info->columns, info->ncolumns);
	FuzzLogString(&run->log, info->text);
	FuzzLogString(&run->log, info->encoding);
	FuzzLogPrintf(&run->log, " repairs=%lld,%lld,%lld bytes=%lld tables=%d",
				  (long long) info->stats.replaced, (long long) info->stats.latin1_bytes,
				  (long long) info->stats.escaped_ampersands, (long long) info->bytes, ntables);
	for (int i = 0; i < ntables; i++)
	{
		const RetsTable *t = RetsCompactGetTable(p, i);

		FUZZ_CHECK(t->parent >= -1 && t->parent < i, "table %d has parent %d", i, t->parent);
		FUZZ_CHECK(t->rows == (i < run->ntable_rows ? run->table_rows[i] : 0),
				   "table %d says %lld rows", i, (long long) t->rows);
		FuzzLogString(&run->log, t->type);
		log_strings(&run->log, t->attr_names, t->nattrs);
		log_strings(&run->log, t->attr_values, t->nattrs);
		log_strings(&run->log, t->columns, t->ncolumns);
		FuzzLogPrintf(&run->log, "compact=%d parent=%d rows=%lld skipped=%lld",
					  t->compact, t->parent, (long long) t->rows, (long long) t->skipped);
	}
}

/*
 * Parse the body whole or in pieces, as the RETS source does: charset,
 * feeds with rows taken between them, finish, the last rows, the info.
 */
static void
parse(CompactRun *run, const uint8_t *body, size_t len, uint8_t opt, bool whole,
	  uint8_t piece_option, uint8_t fail_option)
{
	RetsCompactKind kind = (opt & 1) ? RETS_COMPACT_METADATA : RETS_COMPACT_SEARCH;
	const char *charset = charsets[(opt >> 1) & 7];
	size_t		max_row = max_row_sizes[(opt >> 4) & 3];
	int			take = (opt >> 6) & 3;
	RetsCompactParser *p;
	bool		ok;
	int			feeds = 0;
	long		nth;
	bool		sticky;

	/* creating may raise (out of memory) in the server: failures come after */
	p = RetsCompactCreate(CurrentMemoryContext, kind, max_row);
	if (FuzzFailuresFrom(fail_option, &nth, &sticky))
		FuzzShimFailAllocation(nth, sticky);
	run->search_fields = -1;
	ok = RetsCompactSetCharset(p, charset);
	if (whole)
		ok = ok && RetsCompactFeed(p, (const char *) body, len);
	else
	{
		FuzzPieces pieces;
		size_t		off = 0;

		FuzzPiecesInit(&pieces, piece_option, len);
		while (ok && off < len)
		{
			size_t		n = FuzzPiecesNext(&pieces, len - off);

			(void) RetsCompactPendingBytes(p);
			ok = RetsCompactFeed(p, (const char *) body + off, n);
			off += n;
			if (take == 0 || take == 3 || (take == 1 && ++feeds % 3 == 0))
				take_rows(p, run, kind);
			if (take == 3)
				(void) RetsCompactGetInfo(p);
		}
	}
	ok = RetsCompactFinish(p) && ok;
	take_rows(p, run, kind);
	FUZZ_CHECK(ok == (RetsCompactError(p) == NULL), "outcome %d with error \"%s\"",
			   ok, RetsCompactError(p) ? RetsCompactError(p) : "");
	FUZZ_CHECK(!RetsCompactFeed(p, "x", 1), "a feed after the end was accepted");
	if (ok)
		log_info(p, run, kind);
	else
	{
		/* rows before an error depend on where pieces end: compare the failure */
		(void) RetsCompactGetInfo(p);
		FuzzLogReset(&run->log);
		FuzzLogAppend(&run->log, "|failed", 7);
	}
	RetsCompactDestroy(p);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	uint8_t		opt = FuzzTakeByte(&in);
	uint8_t		piece_option = FuzzTakeByte(&in);
	uint8_t		fail_option = FuzzTakeByte(&in);
	MemoryContext cxt = FuzzBeginRun();
	CompactRun	whole = {0};
	CompactRun	pieces = {0};

	if (fail_option != 0)
	{
		/* allocations differ between runs: only the one run, no comparison */
		parse(&pieces, in.data, in.len, opt, false, piece_option, fail_option);
	}
	else
	{
		parse(&whole, in.data, in.len, opt, true, piece_option, 0);
		parse(&pieces, in.data, in.len, opt, false, piece_option, 0);
		FuzzLogCheckEqual(&whole.log, &pieces.log, "rows and info whole and in pieces");
	}
	FuzzLogFree(&whole.log);
	FuzzLogFree(&pieces.log);
	free(whole.table_rows);
	free(pieces.table_rows);
	FuzzEndRun(cxt);
	return 0;
}
