/*-------------------------------------------------------------------------
 *
 * odata_page.c
 *	  Splitting OData JSON collection pages into the text of their records,
 *	  and repairing a record's text (see odata.h for the design).
 *
 * The splitter is a byte scanner that knows only strings (with escapes),
 * nesting depth and the members of the top-level object.  It runs inside
 * libcurl's write callback, so it never raises and allocates only with
 * MCXT_ALLOC_NO_OOM, recording failures in the page state.
 *
 * Nothing here needs the server beyond memory contexts and StringInfo: the
 * conversion of a record to jsonb is in odata.c (which asks
 * MlsJsonNumberFits before it hands a number to numeric_in).  That keeps this file
 * buildable outside PostgreSQL, where fuzz/fuzz_odata.c feeds it hostile
 * pages.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "mapping/convert.h"
#include "transport/buffer.h"
#include "reso/odata_page.h"

/* The members of the top-level object the reader cares about */
typedef enum PageMember
{
	MEMBER_OTHER,
	MEMBER_VALUE,				/* "value": the records */
	MEMBER_NEXT_LINK,			/* "@odata.nextLink" or "@nextLink" */
	MEMBER_COUNT,				/* "@odata.count" or "@count" */
	MEMBER_ERROR				/* "error": an OData error object */
} PageMember;

#define KEY_BYTES 64
#define SCALAR_BYTES 8192
/* a nextLink may echo a long $select: longer ones are refused, never cut */
#define NEXT_LINK_BYTES 65536
#define ERROR_BYTES 8192
/* the split records held before the transfer pauses, in bytes */
#define HOLD_READY_BYTES (32 * 1024 * 1024)

/* Where a ready record's text lies in the ready buffer */
typedef struct ReadySlot
{
	size_t		offset;
	int			len;
	bool		oversized;
} ReadySlot;

struct MlsODataPage
{
	MemoryContext cxt;
	int			hold_records;
	size_t		max_record_bytes;

	/* scanner */
	int			depth;
	bool		in_string;
	bool		escape;
	bool		started;
	bool		finished;
	const char *failure;

	/* members of the top-level object */
	bool		expect_key;
	bool		reading_key;
	char		key[KEY_BYTES];
	int			keylen;
	PageMember	member;
	bool		in_value_array;

	/* captures */
	bool		capturing_record;
	bool		record_oversized;
	StringInfoData current;
	StringInfo	scalar_target;	/* where a nextLink or count value goes */
	bool		saw_value;		/* the "value" array was there */
	StringInfoData next_link_text;
	bool		next_link_too_long;
	StringInfoData count_text;
	bool		capturing_error;
	StringInfoData error;

	/* results */
	StringInfoData ready_text;
	ReadySlot  *ready;
	int			nready;
	int			ready_cap;
	MlsODataRecord *taken;
	int			taken_cap;
	char	   *next_link;
};

/*
 * Append a byte of a nextLink or count value.  A count past SCALAR_BYTES is
 * no number anyway and is cut; a nextLink past NEXT_LINK_BYTES is marked
 * too long (MlsODataPageNextLink refuses it: a cut link would be fetched as
 * if it were the next page).  Returns false when memory runs out.
 */
static bool
append_scalar(MlsODataPage *page, unsigned char c)
{
	bool		next_link = page->scalar_target == &page->next_link_text;

	if (page->scalar_target->len >= (next_link ? NEXT_LINK_BYTES : SCALAR_BYTES))
	{
		page->next_link_too_long |= next_link;
		return true;
	}
	return MlsBufferAppend(page->scalar_target, (const char *) &c, 1, MLS_BUFFER_MAX);
}

/*
 * Create a page reader in the current memory context.  hold_records is how
 * many split records it holds before it pauses the transfer.
 */
MlsODataPage *
MlsODataPageCreate(int hold_records, size_t max_record_bytes)
{
	MlsODataPage *page = palloc0(sizeof(MlsODataPage));

	page->cxt = CurrentMemoryContext;
	page->hold_records = Max(hold_records, 1);
	page->max_record_bytes = max_record_bytes;
	initStringInfo(&page->current);
	initStringInfo(&page->next_link_text);
	initStringInfo(&page->count_text);
	initStringInfo(&page->error);
	initStringInfo(&page->ready_text);
	MlsODataPageReset(page);
	return page;
}

/*
 * Prepare for a new response (buffers are kept for reuse).
 */
void
MlsODataPageReset(MlsODataPage *page)
{
	page->depth = 0;
	page->in_string = page->escape = false;
	page->started = page->finished = false;
	page->failure = NULL;
	page->expect_key = page->reading_key = false;
	page->keylen = 0;
	page->member = MEMBER_OTHER;
	page->in_value_array = false;
	page->capturing_record = page->record_oversized = false;
	page->scalar_target = NULL;
	page->capturing_error = false;
	resetStringInfo(&page->current);
	resetStringInfo(&page->next_link_text);
	page->next_link_too_long = false;
	page->saw_value = false;
	resetStringInfo(&page->count_text);
	resetStringInfo(&page->error);
	resetStringInfo(&page->ready_text);
	page->nready = 0;
	page->next_link = NULL;
}

/*
 * Which member a top-level key names.
 */
static PageMember
member_of(const char *key, int len)
{
	if (len == 5 && memcmp(key, "value", 5) == 0)
		return MEMBER_VALUE;
	if ((len == 15 && memcmp(key, "@odata.nextLink", 15) == 0) ||
		(len == 9 && memcmp(key, "@nextLink", 9) == 0))
		return MEMBER_NEXT_LINK;
	if ((len == 12 && memcmp(key, "@odata.count", 12) == 0) ||
		(len == 6 && memcmp(key, "@count", 6) == 0))
		return MEMBER_COUNT;
	if (len == 5 && memcmp(key, "error", 5) == 0)
		return MEMBER_ERROR;
	return MEMBER_OTHER;
}

/*
 * A record's text is complete: move it to the ready records.
 */
static bool
finish_record(MlsODataPage *page)
{
	ReadySlot  *slot;

	if (page->nready >= page->ready_cap)
	{
		int			cap = Max(page->ready_cap * 2, page->hold_records + 64);
		ReadySlot  *grown = MemoryContextAllocExtended(page->cxt, sizeof(ReadySlot) * cap,
													   MCXT_ALLOC_NO_OOM);

		if (grown == NULL)
			return false;
		if (page->ready)
		{
			memcpy(grown, page->ready, sizeof(ReadySlot) * page->nready);
			pfree(page->ready);
		}
		page->ready = grown;
		page->ready_cap = cap;
	}
	slot = &page->ready[page->nready];
	slot->offset = page->ready_text.len;
	slot->oversized = page->record_oversized;
	slot->len = page->record_oversized ? 0 : (int) page->current.len;
	if (!page->record_oversized &&
		!MlsBufferAppend(&page->ready_text, page->current.data, page->current.len, MLS_BUFFER_MAX))
		return false;
	page->nready++;
	resetStringInfo(&page->current);
	page->record_oversized = false;
	page->capturing_record = false;
	return true;
}

/*
 * Add a span of the record being captured, unless it grew too large.
 */
static bool
capture_span(MlsODataPage *page, const char *data, size_t len)
{
	if (page->record_oversized || len == 0)
		return true;
	if (page->current.len + len > page->max_record_bytes)
	{
		page->record_oversized = true;
		return true;
	}
	return MlsBufferAppend(&page->current, data, len, MLS_BUFFER_MAX);
}

/*
 * The next quote or backslash in the content of a JSON string from p, or
 * end: inside a string only they matter to a scanner.  memchr reads many
 * bytes at a time.
 */
const char *
MlsJsonStringStop(const char *p, const char *end)
{
	const char *quote = memchr(p, '"', end - p);
	const char *stop = quote ? quote : end;
	const char *backslash = memchr(p, '\\', stop - p);

	return backslash ? backslash : stop;
}

/*
 * The character a one-letter JSON escape stands for (letter: what follows
 * the backslash), or -1 when it is none (\u, or not an escape).
 */
int
MlsJsonEscapedChar(char letter)
{
	switch (letter)
	{
		case '"':
		case '\\':
		case '/':
			return letter;
		case 'b':
			return '\b';
		case 'f':
			return '\f';
		case 'n':
			return '\n';
		case 'r':
			return '\r';
		case 't':
			return '\t';
		default:
			return -1;
	}
}

/*
 * The libcurl sink: scan a chunk of the response.
 */
MlsSinkResult
MlsODataPageSink(void *arg, const char *data, size_t len)
{
	MlsODataPage *page = arg;
	size_t		span_start = 0;

	if (page->failure)
		return MLS_SINK_ABORT;
	/*
	 * Hold no more than asked, in records and in bytes (records near
	 * mlsync.max_record_bytes, which a gzipped body makes cheap to send,
	 * would otherwise pile up by the gigabyte): the caller takes records
	 * between steps
	 */
	if (page->nready >= page->hold_records ||
		(page->nready > 0 && page->ready_text.len >= HOLD_READY_BYTES))
		return MLS_SINK_PAUSE;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c;

		/*
		 * Inside a string that nothing captures byte by byte (nearly all of
		 * a record's text), only a quote or a backslash matters: skip to the
		 * next one with memchr, which reads many bytes at a time.
		 */
		if (page->in_string && !page->escape && !page->reading_key &&
			!page->scalar_target && !page->capturing_error)
		{
			i = MlsJsonStringStop(data + i, data + len) - data;
			if (i == len)
				break;
		}
		c = (unsigned char) data[i];

		if (page->in_string)
		{
			bool		closing = false;

			if (page->escape)
				page->escape = false;
			else if (c == '\\')
				page->escape = true;
			else if (c == '"')
				closing = true;
			if (closing)
			{
				page->in_string = false;
				if (page->reading_key)
				{
					page->reading_key = false;
					page->member = member_of(page->key, page->keylen);
				}
				else if (page->scalar_target)
					page->scalar_target = NULL;	/* the string value ended */
			}
			else
			{
				if (page->reading_key && page->keylen < KEY_BYTES)
					page->key[page->keylen++] = (char) c;
				if (page->scalar_target && !append_scalar(page, c))
					goto out_of_memory;
			}
			if (page->capturing_error && page->error.len < ERROR_BYTES &&
				!MlsBufferAppend(&page->error, (const char *) &c, 1, MLS_BUFFER_MAX))
				goto out_of_memory;
			continue;
		}

		switch (c)
		{
			case '"':
				page->in_string = true;
				if (page->depth == 1 && page->expect_key)
				{
					page->reading_key = true;
					page->keylen = 0;
				}
				break;
			case '{':
			case '[':
				if (page->depth == 0)
				{
					if (c != '{' || page->started)
					{
						page->failure = "the response is not a JSON object";
						return MLS_SINK_ABORT;
					}
					page->started = true;
					page->expect_key = true;
				}
				else if (page->depth == 1)
				{
					if (page->member == MEMBER_VALUE && c == '[')
						page->in_value_array = page->saw_value = true;
					else if (page->member == MEMBER_ERROR)
						page->capturing_error = true;
				}
				else if (page->depth == 2 && page->in_value_array)
				{
					if (c != '{')
					{
						page->failure = "an element of \"value\" is not an object";
						return MLS_SINK_ABORT;
					}
					page->capturing_record = true;
					span_start = i;
				}
				page->depth++;
				break;
			case '}':
			case ']':
				if (page->depth == 0)
				{
					page->failure = "unbalanced JSON";
					return MLS_SINK_ABORT;
				}
				page->depth--;
				if (page->depth == 0)
					page->finished = true;
				else if (page->depth == 2 && page->capturing_record)
				{
					if (!capture_span(page, data + span_start, i + 1 - span_start) ||
						!finish_record(page))
						goto out_of_memory;
				}
				else if (page->depth == 1 && page->in_value_array && c == ']')
					page->in_value_array = false;
				break;
			case ':':
				if (page->depth == 1)
				{
					page->expect_key = false;
					if (page->member == MEMBER_NEXT_LINK)
						page->scalar_target = &page->next_link_text;
					else if (page->member == MEMBER_COUNT)
						page->scalar_target = &page->count_text;
					if (page->scalar_target)
					{
						resetStringInfo(page->scalar_target);
						if (page->scalar_target == &page->next_link_text)
							page->next_link_too_long = false;
						continue;
					}
				}
				break;
			case ',':
				if (page->depth == 1)
				{
					page->expect_key = true;
					page->scalar_target = NULL;
					page->member = MEMBER_OTHER;
				}
				break;
			default:
				if (isspace(c))
					break;
				if (page->depth == 0 && !page->started && (c == 0xEF || c == 0xBB || c == 0xBF))
					break;		/* a UTF-8 byte order mark */
				if (page->depth == 0)
				{
					page->failure = page->finished ? "text after the end of the JSON object"
						: "the response is not a JSON object";
					return MLS_SINK_ABORT;
				}
				if (page->depth == 2 && page->in_value_array && !page->capturing_record)
				{
					page->failure = "an element of \"value\" is not an object";
					return MLS_SINK_ABORT;
				}
				break;
		}

		/* a number or literal value of nextLink or count, outside quotes */
		if (page->depth == 1 && page->scalar_target && !page->in_string && c != '"' &&
			c != ',' && c != '}' && !isspace(c) && !append_scalar(page, c))
			goto out_of_memory;
		if (page->capturing_error && page->error.len < ERROR_BYTES &&
			!MlsBufferAppend(&page->error, (const char *) &c, 1, MLS_BUFFER_MAX))
			goto out_of_memory;
		if (page->capturing_error && page->depth == 1 && (c == '}' || c == ']'))
			page->capturing_error = false;
	}

	if (page->capturing_record && !capture_span(page, data + span_start, len - span_start))
		goto out_of_memory;
	return MLS_SINK_CONSUMED;

out_of_memory:
	page->failure = "out of memory while reading the response";
	return MLS_SINK_ABORT;
}

/*
 * The records split so far; valid until MlsODataPageRelease().
 */
int
MlsODataPageTake(MlsODataPage *page, MlsODataRecord **records)
{
	if (page->nready > page->taken_cap)
	{
		page->taken_cap = Max(page->nready, page->hold_records + 64);
		page->taken = MemoryContextAlloc(page->cxt, sizeof(MlsODataRecord) * page->taken_cap);
	}
	for (int i = 0; i < page->nready; i++)
	{
		page->taken[i].text = page->ready_text.data + page->ready[i].offset;
		page->taken[i].len = page->ready[i].len;
		page->taken[i].oversized = page->ready[i].oversized;
	}
	*records = page->taken;
	return page->nready;
}

/*
 * Forget the records taken, making room for more.
 */
void
MlsODataPageRelease(MlsODataPage *page)
{
	page->nready = 0;
	resetStringInfo(&page->ready_text);
}

/*
 * Whether the whole response was one well-formed page: a top-level object
 * with a "value" array, or an OData error object; when not,
 * *problem says what was wrong (a truncated body, for instance).  An
 * object without "value" is no empty page: servers that throttle with a
 * 200 answer so, and taken as the end of the listings it would end a
 * reconcile's sweep there.
 */
bool
MlsODataPageComplete(MlsODataPage *page, const char **problem)
{
	if (page->failure)
		*problem = page->failure;
	else if (!page->started)
		*problem = "the response is empty";
	else if (!page->finished || page->in_string)
		*problem = "the response ends in the middle of the JSON (truncated)";
	else if (!page->saw_value && page->error.len == 0)
		*problem = "the response has no \"value\" array";
	else
		return true;
	return false;
}

/*
 * Decode a JSON string's contents: escapes, \uXXXX as UTF-8 and a pair of
 * surrogate escapes as the one character they stand for (servers that
 * escape every non-ASCII character, as Python's json and .NET's encoder do
 * by default, write a character past U+FFFF so).  Returns NULL, with
 * *problem saying why, for text no URL can hold: a \u escape without four
 * hex digits, \u0000 (the C string would silently end there, and another
 * URL be requested than the server sent) or half a surrogate pair.
 */
static char *
json_unescape(const char *text, int len, const char **problem)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < len; i++)
	{
		int			code;

		if (text[i] != '\\' || i + 1 >= len)
		{
			appendStringInfoChar(&buf, text[i]);
			continue;
		}
		i++;
		if (text[i] != 'u')
		{
			int			c = MlsJsonEscapedChar(text[i]);

			/* an escape JSON does not have: the letter itself */
			appendStringInfoChar(&buf, c >= 0 ? (char) c : text[i]);
			continue;
		}

		/* text[i] is the 'u', its hex digits text[i + 1] to text[i + 4] */
		code = i + 4 < len ? MlsJsonHex4(text + i + 1) : -1;
		i += 4;
		if (code >= 0xD800 && code <= 0xDBFF)
		{
			int			low = (i + 6 < len && text[i + 1] == '\\' && text[i + 2] == 'u') ?
				MlsJsonHex4(text + i + 3) : -1;

			if (low < 0xDC00 || low > 0xDFFF)
			{
				*problem = "a high surrogate escape without its low half";
				return NULL;
			}
			code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
			i += 6;
		}
		else if (code < 0)
		{
			*problem = "a \\u escape without four hex digits";
			return NULL;
		}
		else if (code == 0)
		{
			*problem = "the escape \\u0000";
			return NULL;
		}
		else if (code >= 0xDC00 && code <= 0xDFFF)
		{
			*problem = "a low surrogate escape without its high half";
			return NULL;
		}

		{
			unsigned char utf8[8];

			unicode_to_utf8((pg_wchar) code, utf8);
			appendBinaryStringInfo(&buf, (char *) utf8, pg_utf_mblen(utf8));
		}
	}
	return buf.data;
}

/*
 * The next page's URL, as the server wrote it (possibly relative), or NULL
 * when the page has none.  A nextLink whose JSON escapes cannot be decoded
 * into a URL is no absent one: NULL, with *problem saying what is wrong
 * (else *problem is NULL).
 */
const char *
MlsODataPageNextLink(MlsODataPage *page, const char **problem)
{
	*problem = NULL;
	if (page->next_link_too_long)
	{
		*problem = "it is longer than " CppAsString2(NEXT_LINK_BYTES) " bytes";
		return NULL;
	}
	if (page->next_link == NULL && page->next_link_text.len > 0 &&
		strcmp(page->next_link_text.data, "null") != 0)
		page->next_link = json_unescape(page->next_link_text.data, page->next_link_text.len,
										problem);
	return page->next_link;
}

/*
 * @odata.count, when the page has one.
 */
bool
MlsODataPageCount(MlsODataPage *page, int64 *count)
{
	char	   *end;

	if (page->count_text.len == 0 || !isdigit((unsigned char) page->count_text.data[0]))
		return false;
	errno = 0;
	*count = strtoll(page->count_text.data, &end, 10);
	return errno == 0 && *end == '\0';
}

/*
 * The raw text of the page's "error" member (an OData error body), or NULL
 * when the page has none; *len is set to its length.
 */
const char *
MlsODataPageErrorText(MlsODataPage *page, int *len)
{
	if (page->error.len == 0)
		return NULL;
	*len = page->error.len;
	return page->error.data;
}

/*
 * Append a UTF-8 byte sequence for one Latin-1 byte.
 */
static void
append_latin1(StringInfo buf, unsigned char c)
{
	appendStringInfoChar(buf, (char) (0xC0 | (c >> 6)));
	appendStringInfoChar(buf, (char) (0x80 | (c & 0x3F)));
}

/*
 * The value of the four hex digits at p (a \u escape's), or -1.
 */
int
MlsJsonHex4(const char *p)
{
	int			v = 0;

	for (int i = 0; i < 4; i++)
	{
		char		c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Repair a record's JSON text that PostgreSQL cannot store as it is: bytes
 * that are not UTF-8 (a server sending ISO-8859-1) are read as ISO-8859-1,
 * and escapes of characters text cannot hold (\u0000, unpaired surrogate
 * halves) become U+FFFD.  Returns NULL when the text needs nothing, else
 * the repaired text with *replaced set to the number of characters changed.
 * The fast path (valid UTF-8, no suspicious escape) costs one scan.
 */
char *
MlsJsonRepair(const char *text, int len, int *replaced)
{
	bool		utf8 = pg_verify_mbstr(PG_UTF8, text, len, true);
	bool		suspicious = false;
	StringInfoData buf;

	for (const char *bs = memchr(text, '\\', len); bs && !suspicious;
		 bs = memchr(bs + 1, '\\', len - (bs + 1 - text)))
		suspicious = bs + 2 < text + len && bs[1] == 'u' &&
			(bs[2] == '0' || bs[2] == 'd' || bs[2] == 'D');
	if (utf8 && !suspicious)
		return NULL;

	*replaced = 0;
	initStringInfo(&buf);
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) text[i];

		if (c >= 0x80 && !utf8)
		{
			append_latin1(&buf, c);
			(*replaced)++;
			continue;
		}
		if (c != '\\' || i + 1 >= len)
		{
			appendStringInfoChar(&buf, (char) c);
			continue;
		}
		if (text[i + 1] != 'u' || i + 5 >= len)
		{
			/* another escape: copied whole, so "\\u0000" stays text */
			appendBinaryStringInfo(&buf, text + i, 2);
			i++;
			continue;
		}
		{
			int			code = MlsJsonHex4(text + i + 2);
			int			low = (i + 11 < len && text[i + 6] == '\\' && text[i + 7] == 'u') ?
				MlsJsonHex4(text + i + 8) : -1;

			if (code >= 0xD800 && code <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF)
			{
				appendBinaryStringInfo(&buf, text + i, 12);	/* a valid pair */
				i += 11;
			}
			else if (code == 0 || (code >= 0xD800 && code <= 0xDFFF))
			{
				appendStringInfoString(&buf, "\\ufffd");
				(*replaced)++;
				i += 5;
			}
			else
			{
				appendBinaryStringInfo(&buf, text + i, 6);
				i += 5;
			}
		}
	}
	/* valid escapes only (a surrogate pair, say): the text was fine */
	if (*replaced == 0)
	{
		pfree(buf.data);
		return NULL;
	}
	return buf.data;
}

/*
 * Whether the non-finite token of MlsJsonNonFiniteToNull starts at p (a
 * value position outside strings): its length, or 0.  The token must end
 * there, not run on into a longer word.
 */
static int
non_finite_token(const char *p, const char *end)
{
	static const char *const tokens[] = {"NaN", "Infinity", "-Infinity", "+Infinity", "-NaN"};

	for (int i = 0; i < lengthof(tokens); i++)
	{
		int			n = strlen(tokens[i]);

		if (end - p >= n && memcmp(p, tokens[i], n) == 0 &&
			(end - p == n || !isalnum((unsigned char) p[n])))
			return n;
	}
	return 0;
}

/*
 * Replace the non-finite numbers a record's JSON text may hold though JSON
 * has none (NaN, Infinity, -Infinity, as Python's json module and older
 * .NET serializers write a float that has no value) with null, outside
 * strings.  Without this the record does not parse and is skipped, page
 * after page: one empty coordinate would keep the listing out for good.
 * Returns NULL when the text holds none (the fast path: no "NaN" or
 * "Infinity" anywhere), else the repaired text with *replaced set to the
 * number of values replaced.
 */
char *
MlsJsonNonFiniteToNull(const char *text, int len, int *replaced)
{
	const char *end = text + len;
	const char *p = text;
	StringInfoData buf;
	bool		in_string = false;

	*replaced = 0;
	if (!memmem(text, len, "NaN", 3) && !memmem(text, len, "Infinity", 8))
		return NULL;
	initStringInfo(&buf);
	while (p < end)
	{
		int			n;

		if (in_string)
		{
			if (*p == '\\' && p + 1 < end)
			{
				appendBinaryStringInfo(&buf, p, 2);
				p += 2;
				continue;
			}
			in_string = *p != '"';
		}
		else if (*p == '"')
			in_string = true;
		else if ((n = non_finite_token(p, end)) > 0 &&
				 (p == text || !isalnum((unsigned char) p[-1])))
		{
			appendStringInfoString(&buf, "null");
			(*replaced)++;
			p += n;
			continue;
		}
		appendStringInfoChar(&buf, *p);
		p++;
	}
	if (*replaced == 0)
	{
		pfree(buf.data);
		return NULL;
	}
	return buf.data;
}

/*
 * Whether numeric_in takes a JSON number token without raising: numbers
 * with absurd exponents or thousands of digits would make it raise, and a
 * record holding one is refused softly instead (the caller stores null and
 * reports the record).
 */
bool
MlsJsonNumberFits(const char *token)
{
	/*
	 * The rule of the mapping's numeric text (at most 1000 characters, an
	 * exponent of at most 1000), which reads the exponent digit by digit:
	 * atoi() on it wrapped around for exponents past INT_MAX ("1e4294967296"
	 * read as 1e0), and numeric_in then raised, failing the whole run.
	 */
	return MlsIsDecimalText(token, strlen(token));
}
