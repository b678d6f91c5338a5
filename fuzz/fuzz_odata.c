/*-------------------------------------------------------------------------
 *
 * fuzz_odata.c
 *	  libFuzzer harness of the OData page reader (src/reso/odata_page.c):
 *	  the splitter of collection pages into records, driven as the RESO
 *	  source drives it, and the repair of a record's text.
 *
 * Input: option bytes (see fuzz_common.h), then the page.  Option byte 0:
 *	bits 0-1	records held before the sink pauses: 1, 2, 5 or 100
 *	bits 2-3	mlsync.max_record_bytes: 1 MB, 16, 100 or 4096 bytes
 *	bit 4		the page object is reset and reused for a second read of
 *				the same page, which must give the same
 *	bit 5		read it as an error response is (one sink call, no pause)
 *
 * As libcurl does, a chunk the sink paused on is delivered again after the
 * records are taken and released.  The page is read fed whole and fed in
 * pieces: the records, the outcome, nextLink, count and error text must be
 * the same.  Each record's text must be one JSON object ("{...}") no
 * longer than the limit; after its repair, PostgreSQL's JSON parser
 * (libpgcommon's, the server's code) must never refuse it for a \u0000 or
 * surrogate escape, and what it accepts must be UTF-8: what the repair is
 * for.  Its numbers must be judged by MlsJsonNumberFits as numeric_in's
 * bounds say (odata.c refuses the others softly instead of raising).  What is not covered, the jsonb conversion in odata.c,
 * is said in docs/security.md.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"

#include "fuzz_common.h"
#include "reso/odata_page.h"

static const int hold_counts[4] = {1, 2, 5, 100};
static const size_t record_limits[4] = {1024 * 1024, 16, 100, 4096};

/* Deeper JSON is not handed to libpgcommon's parser, which recurses */
#define MAX_BRACKETS 1000

/*
 * A JSON number numeric_in takes without raising, read independently: at
 * most 1000 characters, an exponent of at most 1000 either way (numeric
 * values stay far inside numeric's limits then).
 */
static bool
number_fits(const char *token)
{
	const char *e = strpbrk(token, "eE");
	long		exponent = 0;

	if (strlen(token) > 1000)
		return false;
	if (e == NULL)
		return true;
	e++;
	if (*e == '+' || *e == '-')
		e++;
	for (; *e >= '0' && *e <= '9'; e++)
		if ((exponent = exponent * 10 + (*e - '0')) > 1000)
			return false;
	return true;
}

/*
 * Each number of a record: what odata.c asks before numeric_in.
 */
static void
check_scalar(void *state, char *token, JsonTokenType tokentype)
{
	if (tokentype == JSON_TOKEN_NUMBER)
		FUZZ_CHECK(MlsJsonNumberFits(token) == number_fits(token),
				   "MlsJsonNumberFits says %d of %.80s", MlsJsonNumberFits(token), token);
}

/*
 * Check a record as the RESO source converts it: the repair, then
 * PostgreSQL's JSON parser on the result, with its numbers.
 */
static void
check_record(const MlsODataRecord *r, size_t limit)
{
	const char *text = r->text;
	int			len = r->len;
	int			replaced = 0;
	int			non_finite = 0;
	char	   *repaired;
	char	   *nulled;
	int			brackets = 0;

	if (r->oversized)
	{
		FUZZ_CHECK(r->len == 0, "an oversized record with %d bytes of text", r->len);
		return;
	}
	/* the splitter counts depth, not which bracket closes: the parser judges */
	FUZZ_CHECK(len >= 2 && text[0] == '{' && (text[len - 1] == '}' || text[len - 1] == ']'),
			   "a record is not one object: %.*s", Min(len, 100), text);
	FUZZ_CHECK((size_t) len <= limit, "a record of %d bytes, the limit is %zu", len, limit);

	repaired = MlsJsonRepair(text, len, &replaced);
	if (repaired != NULL)
	{
		text = repaired;
		len = strlen(repaired);
	}
	nulled = MlsJsonNonFiniteToNull(text, len, &non_finite);
	if (nulled != NULL)
	{
		int			again = 0;

		FUZZ_CHECK(non_finite > 0, "NaN repair returned text without replacing anything");
		text = nulled;
		len = strlen(nulled);
		/* every token outside strings went: a second pass finds none */
		FUZZ_CHECK(MlsJsonNonFiniteToNull(text, len, &again) == NULL,
				   "NaN repair left %d non-finite tokens: %.*s", again, Min(len, 100), text);
	}
	for (int i = 0; i < len; i++)
		brackets += (text[i] == '{' || text[i] == '[');
	if (brackets < MAX_BRACKETS)
	{
		JsonLexContext *lex = makeJsonLexContextCstringLen((char *) text, len, PG_UTF8, true);
		JsonSemAction sem = {0};
		JsonParseErrorType rc;

		sem.scalar = check_scalar;
		rc = pg_parse_json(lex, &sem);

		FUZZ_CHECK(rc != JSON_UNICODE_CODE_POINT_ZERO && rc != JSON_UNICODE_HIGH_SURROGATE &&
				   rc != JSON_UNICODE_LOW_SURROGATE,
				   "the JSON parser refuses an escape of a repaired record (error %d)", (int) rc);
		/* what the parser accepts becomes jsonb: it must be UTF-8 */
		if (rc == JSON_SUCCESS)
			FUZZ_CHECK(pg_verify_mbstr(PG_UTF8, text, len, true),
					   "a repaired record the JSON parser accepts is not UTF-8");
	}
	if (repaired)
		pfree(repaired);
	if (nulled)
		pfree(nulled);
}

/*
 * Take the records split so far, check and log them, release them.
 */
static void
take_records(MlsODataPage *page, FuzzLog *log, size_t limit)
{
	MlsODataRecord *records;
	int			n = MlsODataPageTake(page, &records);

	for (int i = 0; i < n; i++)
	{
		check_record(&records[i], limit);
		FuzzLogPrintf(log, "R%d:", records[i].oversized);
		FuzzLogAppend(log, records[i].text, records[i].len);
		FuzzLogAppend(log, "\x01", 1);
	}
	MlsODataPageRelease(page);
}

/*
 * Read the page whole or in pieces, as reso_next_paged does.
 */
static void
read_page(MlsODataPage *page, FuzzLog *log, const uint8_t *body, size_t len,
		  size_t limit, bool whole, uint8_t piece_option)
{
	FuzzPieces	pieces;
	size_t		off = 0;
	bool		aborted = false;
	const char *problem = NULL;
	const char *link;
	const char *link_problem;
	const char *error;
	int			errlen = 0;
	int64		count;

	FuzzPiecesInit(&pieces, piece_option, len);
	while (off < len && !aborted)
	{
		size_t		n = whole ? len : FuzzPiecesNext(&pieces, len - off);
		int			pauses = 0;

		for (;;)
		{
			MlsSinkResult r = MlsODataPageSink(page, (const char *) body + off, n);

			if (r == MLS_SINK_CONSUMED)
				break;
			if (r == MLS_SINK_ABORT)
			{
				aborted = true;
				break;
			}
			/* paused: the caller takes the records, libcurl delivers again */
			FUZZ_CHECK(++pauses == 1, "the sink paused again after its records were released");
			take_records(page, log, limit);
		}
		off += n;
	}
	take_records(page, log, limit);
	if (MlsODataPageComplete(page, &problem))
		FUZZ_CHECK(!aborted, "an aborted page is complete");
	else
		FUZZ_CHECK(problem != NULL, "an incomplete page without a problem");
	FuzzLogString(log, problem);
	link = MlsODataPageNextLink(page, &link_problem);
	/* escapes are ASCII: a body in UTF-8 gives a link in UTF-8 */
	if (link != NULL && pg_verify_mbstr(PG_UTF8, (const char *) body, len, true))
		FUZZ_CHECK(pg_verify_mbstr(PG_UTF8, link, strlen(link), true),
				   "the nextLink of a UTF-8 body is not UTF-8");
	FuzzLogString(log, link);
	FuzzLogString(log, link_problem);
	if (MlsODataPageCount(page, &count))
		FuzzLogPrintf(log, "count=%lld", (long long) count);
	error = MlsODataPageErrorText(page, &errlen);
	if (error != NULL)
	{
		FUZZ_CHECK(errlen > 0 && (size_t) errlen >= strlen(error), "error text of %d bytes", errlen);
		FuzzLogPrintf(log, "E%d:", errlen);
		FuzzLogAppend(log, error, errlen);
	}
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	uint8_t		opt = FuzzTakeByte(&in);
	uint8_t		piece_option = FuzzTakeByte(&in);
	uint8_t		fail_option = FuzzTakeByte(&in);
	int			hold = hold_counts[opt & 3];
	size_t		limit = record_limits[(opt >> 2) & 3];
	MemoryContext cxt = FuzzBeginRun();
	MemoryContext page_cxt = AllocSetContextCreate(cxt, "page", ALLOCSET_DEFAULT_SIZES);
	MlsODataPage *page;
	FuzzLog		whole = {0};
	FuzzLog		pieces = {0};
	long		nth;
	bool		sticky;

	/* as the RESO source: the page in a context of its own */
	MemoryContextSwitchTo(page_cxt);
	if (opt & 0x20)
	{
		/* an error response (HTTP 4xx): one call with the whole body */
		int			errlen;
		const char *error;

		page = MlsODataPageCreate(1, 1024 * 1024);
		(void) MlsODataPageSink(page, (const char *) in.data, in.len);
		error = MlsODataPageErrorText(page, &errlen);
		if (error != NULL)
			FUZZ_CHECK(errlen > 0 && (size_t) errlen >= strlen(error), "error text of %d bytes", errlen);
	}
	else if (FuzzFailuresFrom(fail_option, &nth, &sticky))
	{
		page = MlsODataPageCreate(hold, limit);
		FuzzShimFailAllocation(nth, sticky);
		read_page(page, &pieces, in.data, in.len, limit, false, piece_option);
	}
	else
	{
		page = MlsODataPageCreate(hold, limit);
		read_page(page, &whole, in.data, in.len, limit, true, piece_option);
		if (opt & 0x10)
			MlsODataPageReset(page);
		else
			page = MlsODataPageCreate(hold, limit);
		read_page(page, &pieces, in.data, in.len, limit, false, piece_option);
		FuzzLogCheckEqual(&whole, &pieces, "the page read whole and in pieces");
	}
	MemoryContextSwitchTo(cxt);
	MemoryContextDelete(page_cxt);
	FuzzLogFree(&whole);
	FuzzLogFree(&pieces);
	FuzzEndRun(cxt);
	return 0;
}
