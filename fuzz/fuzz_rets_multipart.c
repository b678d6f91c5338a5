/*-------------------------------------------------------------------------
 *
 * fuzz_rets_multipart.c
 *	  libFuzzer harness of the RETS GetObject reader
 *	  (src/rets/parse/rets_multipart.c): multipart bodies, single objects
 *	  and XML errors, with the response headers libcurl would deliver.
 *
 * Input: option bytes (see fuzz_common.h), then the Content-Type on a line
 * of its own, then response header lines up to an empty line, then the
 * body.  Option byte 0:
 *	bits 0-1	events taken after every piece, every third piece, only at
 *				the end, or after every piece and at the end
 *	bit 2		a status line ("HTTP/1.1 200 OK") before the headers, and an
 *				earlier block of headers before it (after a redirect)
 *	bit 3		no Content-Type at all (the line is read and ignored)
 *
 * Each body is read fed whole and fed in pieces: the parts (headers, the
 * concatenation of their DATA, size, reply) and the outcome must be the
 * same.  Events must come in order: BEGIN, DATA..., END per part, parts
 * numbered from 1, the size at END the bytes of its DATA events.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <stdlib.h>

#include "fuzz_common.h"
#include "rets/parse/rets_multipart.h"

/* What a run has seen */
typedef struct ObjectRun
{
	FuzzLog		log;
	RetsObjectPart *open;		/* the part between BEGIN and END */
	int			parts;
	int64		data_bytes;
} ObjectRun;

static void
log_header_value(FuzzLog *log, const char *s, const char *what)
{
	if (s != NULL)
		FUZZ_CHECK(FuzzIsXmlText(s, strlen(s)), "%s is not text XML allows", what);
	FuzzLogString(log, s);
}

/*
 * Take the events so far, check their order and log them.
 */
static void
take_events(RetsObjectParser *p, ObjectRun *run)
{
	RetsObjectEvent *events;
	int			n = RetsObjectTakeEvents(p, &events);

	for (int i = 0; i < n; i++)
	{
		RetsObjectEvent *ev = &events[i];
		RetsObjectPart *part = ev->part;

		FUZZ_CHECK(part != NULL, "an event without a part");
		switch (ev->kind)
		{
			case RETS_OBJECT_BEGIN:
				FUZZ_CHECK(run->open == NULL, "part %d begins inside part %d",
						   part->index, run->open->index);
				FUZZ_CHECK(part->index == run->parts + 1, "part %d after %d parts",
						   part->index, run->parts);
				run->open = part;
				run->parts++;
				run->data_bytes = 0;
				FuzzLogPrintf(&run->log, "B%d ", part->index);
				for (int k = 0; k < part->nheaders; k++)
				{
					const char *name = part->headers[k].name;

					FUZZ_CHECK(name[0] != '\0' && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(name),
							   "\"%s\" is no header name", name);
					log_header_value(&run->log, part->headers[k].name, "a header name");
					log_header_value(&run->log, part->headers[k].value, "a header value");
				}
				for (int k = 0; k < part->nobject_data; k++)
				{
					log_header_value(&run->log, part->object_data[k].name, "an ObjectData name");
					log_header_value(&run->log, part->object_data[k].value, "an ObjectData value");
				}
				FuzzLogString(&run->log, part->content_type);
				FuzzLogString(&run->log, part->content_id);
				FuzzLogString(&run->log, part->object_id);
				FuzzLogString(&run->log, part->description);
				FuzzLogString(&run->log, part->sub_description);
				FuzzLogString(&run->log, part->location);
				FuzzLogPrintf(&run->log, "preferred=%d D:", part->preferred);
				break;
			case RETS_OBJECT_DATA:
				FUZZ_CHECK(run->open == part, "DATA outside its part");
				FUZZ_CHECK(ev->data != NULL || ev->len == 0, "DATA without bytes");
				run->data_bytes += ev->len;
				FuzzLogAppend(&run->log, ev->data, ev->len);
				break;
			case RETS_OBJECT_END:
				FUZZ_CHECK(run->open == part, "END of a part not open");
				FUZZ_CHECK(part->size == run->data_bytes, "part %d: size %lld, %lld bytes of DATA",
						   part->index, (long long) part->size, (long long) run->data_bytes);
				run->open = NULL;
				FuzzLogPrintf(&run->log, "|E%d size=%lld reply=%d:%d ", part->index,
							  (long long) part->size, part->has_reply, part->reply_code);
				log_header_value(&run->log, part->reply_text, "a ReplyText");
				break;
		}
	}
}

/*
 * Read the response whole or in pieces.
 */
static void
parse(ObjectRun *run, const char *content_type, const char *headers, size_t headers_len,
	  const uint8_t *body, size_t len, uint8_t opt, bool whole, uint8_t piece_option,
	  uint8_t fail_option)
{
	RetsObjectParser *p;
	int			take = opt & 3;
	bool		ok = true;
	long		nth;
	bool		sticky;
	int			feeds = 0;

	/* creating may raise (out of memory) in the server: failures come after */
	p = RetsObjectCreate(CurrentMemoryContext);
	if (FuzzFailuresFrom(fail_option, &nth, &sticky))
		FuzzShimFailAllocation(nth, sticky);
	if (opt & 4)
	{
		ok = RetsObjectAddResponseHeader(p, "HTTP/1.1 302 Found\r\n", 20) &&
			RetsObjectAddResponseHeader(p, "Content-Type: text/html\r\n", 25) &&
			RetsObjectAddResponseHeader(p, "HTTP/1.1 200 OK\r\n", 17);
	}
	/* one header line per call, with its line end, as libcurl hands them */
	for (size_t off = 0; ok && off < headers_len;)
	{
		const char *nl = memchr(headers + off, '\n', headers_len - off);
		size_t		n = nl ? (size_t) (nl - (headers + off)) + 1 : headers_len - off;

		ok = RetsObjectAddResponseHeader(p, headers + off, n);
		off += n;
	}
	ok = ok && RetsObjectSetContentType(p, (opt & 8) ? NULL : content_type);
	if (whole)
		ok = ok && RetsObjectFeed(p, (const char *) body, len);
	else
	{
		FuzzPieces pieces;
		size_t		off = 0;

		FuzzPiecesInit(&pieces, piece_option, len);
		while (ok && off < len)
		{
			size_t		n = FuzzPiecesNext(&pieces, len - off);

			ok = RetsObjectFeed(p, (const char *) body + off, n);
			off += n;
			if (take == 0 || take == 3 || (take == 1 && ++feeds % 3 == 0))
				take_events(p, run);
		}
	}
	ok = RetsObjectFinish(p) && ok;
	take_events(p, run);
	FUZZ_CHECK(ok == (RetsObjectError(p) == NULL), "outcome %d with error \"%s\"",
			   ok, RetsObjectError(p) ? RetsObjectError(p) : "");
	if (ok)
	{
		FUZZ_CHECK(run->open == NULL, "part %d still open after the end", run->open->index);
		FuzzLogPrintf(&run->log, "|ok multipart=%d parts=%d", RetsObjectIsMultipart(p), run->parts);
	}
	else
	{
		/* events before an error depend on where pieces end */
		FuzzLogReset(&run->log);
		FuzzLogString(&run->log, RetsObjectError(p));
	}
	RetsObjectDestroy(p);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	uint8_t		opt = FuzzTakeByte(&in);
	uint8_t		piece_option = FuzzTakeByte(&in);
	uint8_t		fail_option = FuzzTakeByte(&in);
	char	   *content_type = FuzzTakeLine(&in, 1024);
	const char *headers = (const char *) in.data;
	size_t		headers_len;
	MemoryContext cxt;
	ObjectRun	whole = {0};
	ObjectRun	pieces = {0};

	/* the header lines end at an empty line (LF or CRLF) */
	for (headers_len = 0; headers_len < in.len; headers_len++)
		if (in.data[headers_len] == '\n' &&
			(headers_len == 0 || in.data[headers_len - 1] == '\n' ||
			 (headers_len >= 2 && in.data[headers_len - 1] == '\r' &&
			  in.data[headers_len - 2] == '\n')))
			break;
	in.data += Min(headers_len + 1, in.len);
	in.len -= Min(headers_len + 1, in.len);

	cxt = FuzzBeginRun();
	if (fail_option != 0)
		parse(&pieces, content_type, headers, headers_len, in.data, in.len, opt, false,
			  piece_option, fail_option);
	else
	{
		parse(&whole, content_type, headers, headers_len, in.data, in.len, opt, true,
			  piece_option, 0);
		parse(&pieces, content_type, headers, headers_len, in.data, in.len, opt, false,
			  piece_option, 0);
		FuzzLogCheckEqual(&whole.log, &pieces.log, "objects whole and in pieces");
	}
	FuzzLogFree(&whole.log);
	FuzzLogFree(&pieces.log);
	free(content_type);
	FuzzEndRun(cxt);
	return 0;
}
