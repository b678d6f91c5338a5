/*-------------------------------------------------------------------------
 *
 * fuzz_rets_xml.c
 *	  libFuzzer harness of the RETS XML core (src/rets/parse/rets_xml.c):
 *	  the repairing decoder with libxml2's SAX2 push parser behind it, the
 *	  decoder alone (plain text), and RetsParseStatus.
 *
 * Input: option bytes (see fuzz_common.h), then the body.  Option byte 0:
 *	bits 0-2	the Content-Type charset (none, utf-8, ISO-8859-1, ...)
 *	bits 3-4	what runs: 0-1 the XML parser, 2 the text decoder,
 *				3 RetsParseStatus
 *	bits 5-6	max_text: 0 (none), 16, 200 or 65536 bytes
 *	bit 7		the handler stops the parser at an element named STOP
 *
 * Each body is parsed twice, fed whole and fed in pieces; the events (text
 * joined per element, since libxml2 splits text where pieces end), the
 * outcome, the charset and the repair counts must be the same.  Every name,
 * attribute value and text reaching the handler must be UTF-8 holding only
 * characters XML allows; the text decoder's output too, and it must leave
 * such text unchanged.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fuzz_common.h"
#include "rets/parse/rets_xml.h"

static const char *const charsets[8] = {
	NULL, "utf-8", "ISO-8859-1", "us-ascii", "windows-1252", "latin1", "koi8-r", "UTF8"
};
static const size_t max_texts[4] = {0, 16, 200, 65536};

/* One parse and what it produced */
typedef struct XmlRun
{
	RetsXml    *x;
	FuzzLog		log;
	bool		stop_at_stop;
	int			open;			/* elements open */
	bool		in_text;		/* the last event was text ... */
	int			text_depth;		/* ... at this depth */
} XmlRun;

static void
end_text(XmlRun *run)
{
	if (run->in_text)
		FuzzLogAppend(&run->log, "\x01", 1);
	run->in_text = false;
}

static void
on_start(void *arg, int depth, const char *name, int nattrs, const RetsXmlAttr *attrs)
{
	XmlRun	   *run = arg;

	FUZZ_CHECK(depth == run->open, "start of <%s> at depth %d with %d open", name, depth, run->open);
	FUZZ_CHECK(FuzzIsUtf8(name, strlen(name)), "element name is not UTF-8");
	end_text(run);
	FuzzLogPrintf(&run->log, "<%d ", depth);
	FuzzLogString(&run->log, name);
	for (int i = 0; i < nattrs; i++)
	{
		FUZZ_CHECK(FuzzIsUtf8(attrs[i].name, strlen(attrs[i].name)), "attribute name is not UTF-8");
		FUZZ_CHECK(FuzzIsXmlText(attrs[i].value, strlen(attrs[i].value)),
				   "attribute %s has a value XML forbids", attrs[i].name);
		FuzzLogString(&run->log, attrs[i].name);
		FuzzLogString(&run->log, attrs[i].value);
	}
	run->open++;
	if (run->stop_at_stop && strcmp(name, "STOP") == 0)
		RetsXmlAbort(run->x, "stopped at <%s>", name);
}

static void
on_end(void *arg, int depth, const char *name)
{
	XmlRun	   *run = arg;

	run->open--;
	FUZZ_CHECK(depth == run->open, "end of <%s> at depth %d with %d open", name, depth, run->open);
	end_text(run);
	FuzzLogPrintf(&run->log, ">%d ", depth);
	FuzzLogString(&run->log, name);
}

static void
on_text(void *arg, int depth, const char *data, size_t len)
{
	XmlRun	   *run = arg;

	FUZZ_CHECK(depth == run->open - 1, "text at depth %d with %d open", depth, run->open);
	FUZZ_CHECK(FuzzIsXmlText(data, len), "text XML forbids reached the handler");
	if (!run->in_text || run->text_depth != depth)
	{
		end_text(run);
		FuzzLogPrintf(&run->log, "T%d:", depth);
		run->in_text = true;
		run->text_depth = depth;
	}
	FuzzLogAppend(&run->log, data, len);
}

static const RetsXmlHandler handler = {on_start, on_end, on_text};

/*
 * Parse body as XML, whole or in pieces; the log gets the events and the
 * outcome.
 */
static void
parse_xml(XmlRun *run, const uint8_t *body, size_t len, const char *charset,
		  size_t max_text, bool whole, uint8_t piece_option)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "xml", ALLOCSET_SMALL_SIZES);
	char		errbuf[RETS_ERROR_LEN] = "";
	bool		ok;
	const RetsTextStats *stats;

	run->x = RetsXmlCreate(cxt, &handler, run, max_text, errbuf);
	if (run->x == NULL)
	{
		MemoryContextDelete(cxt);
		FuzzLogString(&run->log, "create failed");
		return;
	}
	ok = RetsXmlSetCharset(run->x, charset);
	if (whole)
		ok = ok && RetsXmlFeed(run->x, (const char *) body, len);
	else
	{
		FuzzPieces pieces;
		size_t		off = 0;

		FuzzPiecesInit(&pieces, piece_option, len);
		while (ok && off < len)
		{
			size_t		n = FuzzPiecesNext(&pieces, len - off);

			ok = RetsXmlFeed(run->x, (const char *) body + off, n);
			off += n;
		}
	}
	ok = RetsXmlFinish(run->x) && ok;
	FUZZ_CHECK(ok == (errbuf[0] == '\0'), "outcome %d with error \"%s\"", ok, errbuf);
	end_text(run);
	stats = RetsXmlStats(run->x);
	if (ok)
	{
		FUZZ_CHECK(run->open == 0, "%d elements open after a successful parse", run->open);
		FuzzLogPrintf(&run->log, "|ok started=%d encoding=", RetsXmlStarted(run->x));
		FuzzLogString(&run->log, RetsXmlEncoding(run->x));
		FuzzLogPrintf(&run->log, " replaced=%lld latin1=%lld amp=%lld",
					  (long long) stats->replaced, (long long) stats->latin1_bytes,
					  (long long) stats->escaped_ampersands);
	}
	else
	{
		/*
		 * Where a parse stops depends on where pieces end (text is checked
		 * against max_text when a piece ends, libxml2 delivers what it has):
		 * of a failed parse only the failure is compared.
		 */
		FuzzLogReset(&run->log);
		FuzzLogAppend(&run->log, "|failed", 7);
	}
	RetsXmlDestroy(run->x);
	MemoryContextDelete(cxt);
}

/*
 * The plain text decoder, whole (RetsDecodeText) and in pieces.
 */
static void
decode_text(const uint8_t *body, size_t len, const char *charset, uint8_t piece_option,
			bool compare)
{
	RetsTextStats whole_stats = {0};
	char	   *whole;
	RetsBuf		out = {0};
	char		errbuf[RETS_ERROR_LEN] = "";
	RetsXml    *x;
	bool		ok;
	FuzzPieces	pieces;
	size_t		off = 0;
	const RetsTextStats *stats;

	whole = RetsDecodeText(CurrentMemoryContext, (const char *) body, len, charset, &whole_stats);
	if (whole != NULL)
	{
		size_t		wlen = strlen(whole);

		FUZZ_CHECK(FuzzIsXmlText(whole, wlen), "decoded text holds what XML forbids");
		if ((charset == NULL || strcmp(charset, "utf-8") == 0 || strcmp(charset, "UTF8") == 0) &&
			FuzzIsXmlText((const char *) body, len) && memchr(body, '\0', len) == NULL)
			FUZZ_CHECK(wlen == len && memcmp(whole, body, len) == 0 &&
					   whole_stats.replaced == 0 && whole_stats.latin1_bytes == 0,
					   "the decoder changed text that needed no repair");
	}

	x = RetsTextCreate(CurrentMemoryContext, &out, errbuf);
	if (x == NULL)
		return;
	ok = RetsXmlSetCharset(x, charset);
	FuzzPiecesInit(&pieces, piece_option, len);
	while (ok && off < len)
	{
		size_t		n = FuzzPiecesNext(&pieces, len - off);

		ok = RetsXmlFeed(x, (const char *) body + off, n);
		off += n;
	}
	ok = ok && RetsXmlFinish(x) && RetsBufAppend(CurrentMemoryContext, &out, "", 0);
	stats = RetsXmlStats(x);
	if (compare)
	{
		FUZZ_CHECK((whole != NULL) == ok, "whole %s, pieces %s (%s)",
				   whole ? "decoded" : "failed", ok ? "decoded" : "failed", errbuf);
		if (ok)
		{
			FUZZ_CHECK(out.len == strlen(whole) && memcmp(out.data, whole, out.len) == 0,
					   "text decoded whole and in pieces differs");
			FUZZ_CHECK(stats->replaced == whole_stats.replaced &&
					   stats->latin1_bytes == whole_stats.latin1_bytes,
					   "repair counts differ whole and in pieces");
		}
	}
	RetsXmlDestroy(x);
	RetsBufFree(&out);
	if (whole)
		pfree(whole);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	uint8_t		opt = FuzzTakeByte(&in);
	uint8_t		piece_option = FuzzTakeByte(&in);
	uint8_t		fail_option = FuzzTakeByte(&in);
	const char *charset = charsets[opt & 7];
	int			mode = (opt >> 3) & 3;
	size_t		max_text = max_texts[(opt >> 5) & 3];
	long		nth;
	bool		sticky;
	bool		inject = FuzzFailuresFrom(fail_option, &nth, &sticky);
	MemoryContext cxt = FuzzBeginRun();

	if (mode == 2)
	{
		if (inject)
			FuzzShimFailAllocation(nth, sticky);
		decode_text(in.data, in.len, charset, piece_option, !inject);
	}
	else if (mode == 3)
	{
		int			code;
		char	   *text = NULL;
		char		errbuf[RETS_ERROR_LEN] = "";

		if (inject)
			FuzzShimFailAllocation(nth, sticky);
		if (RetsParseStatus(CurrentMemoryContext, (const char *) in.data, in.len, charset,
							&code, &text, errbuf) && text != NULL)
			FUZZ_CHECK(FuzzIsXmlText(text, strlen(text)), "ReplyText XML forbids");
	}
	else
	{
		XmlRun		whole = {0};
		XmlRun		pieces = {0};

		whole.stop_at_stop = pieces.stop_at_stop = (opt & 0x80) != 0;
		if (inject)
		{
			/* allocations differ between runs: only the one run, no comparison */
			FuzzShimFailAllocation(nth, sticky);
			parse_xml(&pieces, in.data, in.len, charset, max_text, false, piece_option);
		}
		else
		{
			parse_xml(&whole, in.data, in.len, charset, max_text, true, piece_option);
			parse_xml(&pieces, in.data, in.len, charset, max_text, false, piece_option);
			FuzzLogCheckEqual(&whole.log, &pieces.log, "XML events whole and in pieces");
		}
		FuzzLogFree(&whole.log);
		FuzzLogFree(&pieces.log);
	}
	FuzzEndRun(cxt);
	return 0;
}
