/*-------------------------------------------------------------------------
 *
 * rets_xml.c
 *	  The XML core of the RETS parsers: a streaming decoder that repairs
 *	  what RETS servers send into well-formed UTF-8, and libxml2's SAX2 push
 *	  parser behind it.  See rets_xml.h for the repairs and why.
 *
 * The decoder works on a byte stream cut at arbitrary places: a sequence it
 * must see whole to decide (a UTF-8 sequence, "&#...;", "<![CDATA[") may
 * straddle two chunks, so an undecided tail of at most LOOKAHEAD bytes is
 * carried over to the next feed.  Clean runs of bytes go to libxml2
 * unchanged; only the bytes that need repair are rewritten.
 *
 * Nothing in this file raises an error: it runs inside libcurl write
 * callbacks and calls libxml2, whose callbacks must not longjmp.  Failures
 * are recorded in the owner's error buffer and reported by return value.
 * libxml2 allocates with malloc; its parser context is freed by
 * RetsXmlDestroy, or by a memory context reset callback when the owner's
 * context goes away first (an error raised by the caller), so nothing leaks
 * on any path.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <libxml/parser.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "port/pg_bitutils.h"
#include "utils/memutils.h"

#include "rets/parse/rets_xml.h"

/* Longest byte sequence the decoder must see whole ("&#x0010FFFF;" etc.) */
#define LOOKAHEAD 40
/* Undecided bytes carried from one feed to the next (> LOOKAHEAD) */
#define CARRY_CAP 128
/* Bytes examined for a BOM and the XML declaration before deciding */
#define PROLOG_CAP 1024
/* Repaired output is batched before it goes to libxml2 */
#define OUT_CAP 16384

/* What the decoder reads the bytes as */
typedef enum DecodeCharset
{
	CHARSET_UNDECIDED = 0,
	CHARSET_UTF8,				/* UTF-8, invalid bytes read as windows-1252 */
	CHARSET_LATIN1				/* ISO-8859-1, read as windows-1252 */
} DecodeCharset;

/* Where in the XML the decoder is, as far as repairs care */
typedef enum DecodeMode
{
	MODE_MARKUP = 0,			/* elements, attributes, text */
	MODE_CDATA,					/* inside <![CDATA[ ... ]]> */
	MODE_COMMENT,				/* inside <!-- ... --> */
	MODE_TEXT					/* not XML at all: only charset and controls */
} DecodeMode;

/* Result of looking at an '&' */
typedef enum RefKind
{
	REF_OK,						/* a valid reference: keep it */
	REF_FORBIDDEN,				/* a character reference XML forbids */
	REF_LITERAL,				/* not a reference: a literal '&' */
	REF_NEED_MORE				/* cannot tell before more bytes arrive */
} RefKind;

struct RetsXml
{
	MemoryContext cxt;
	bool		xml;			/* false: plain text decoding into text_out */
	bool		guarded;		/* a reset callback frees libxml2's memory */
	bool		released;
	char	   *errbuf;			/* the owner's error buffer */
	bool		failed;

	/* charset */
	DecodeCharset charset;
	char		http_charset[64];
	const char *encoding_name;

	/* prolog: BOM, leading whitespace, XML declaration */
	bool		in_prolog;
	int			prolog_len;
	unsigned char prolog[PROLOG_CAP];

	/* decoder */
	DecodeMode	mode;
	int			carry_len;
	unsigned char carry[CARRY_CAP];
	int			out_len;
	char		out[OUT_CAP];
	uint64		offset;			/* input bytes decoded so far */
	uint64		last_lt;		/* input offset of the last '<' */
	bool		open_markup;	/* a '<' came and no '>' since */
	uint64		open_lt;		/* ... the input offset of that '<' */
	size_t		max_text;		/* longest text without markup, 0 = any (and
								 * then any tag too) */
	RetsTextStats stats;

	/* libxml2 */
	xmlParserCtxtPtr ctxt;
	const RetsXmlHandler *handler;
	void	   *arg;
	bool		lib_error;		/* the error came from libxml2 */
	bool		explained;		/* ... and explain_failure reworded it */
	int			depth;
	bool		started;		/* the root element was seen */
	RetsXmlAttr *attrs;
	int			attrs_cap;
	RetsBuf		attrbuf;
	MemoryContextCallback cleanup;

	/* plain text output */
	RetsBuf    *text_out;
};

static const char utf8_replacement[] = "\xEF\xBF\xBD";

/* windows-1252 code points of bytes 0x80-0x9F; 0 where it defines none */
static const uint16 cp1252_c1[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* The longest tag (a start tag with its attributes, say) taken whole */
#define MAX_TAG_BYTES (1024 * 1024)

/* Bytes that stop the fast scan, per mode */
static unsigned char special_markup[256];
static unsigned char special_cdata[256];
static unsigned char special_comment[256];
static unsigned char special_text[256];
static bool tables_ready = false;

/*
 * Fill the scan tables once per process: control characters other than
 * TAB, LF and CR, and every non-ASCII byte, stop the scan in every mode;
 * each mode adds the bytes that may start a sequence it must look at.
 */
static void
init_tables(void)
{
	int			c;

	for (c = 0; c < 256; c++)
	{
		bool		stop = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c >= 0x80;

		special_markup[c] = special_cdata[c] = special_comment[c] = special_text[c] = stop;
	}
	special_markup['&'] = special_markup['<'] = special_markup[']'] = special_markup['>'] = 1;
	special_cdata[']'] = 1;
	special_comment['-'] = 1;
	tables_ready = true;
}

/*
 * Whether a code point is a Char of XML 1.0.
 */
static inline bool
xml_char_ok(uint32 cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
		(cp >= 0x20 && cp <= 0xD7FF) ||
		(cp >= 0xE000 && cp <= 0xFFFD) ||
		(cp >= 0x10000 && cp <= 0x10FFFF);
}

/*
 * Encode a code point (below U+10000) as UTF-8; returns the length.
 */
static inline int
utf8_encode(uint32 cp, char *buf)
{
	if (cp < 0x80)
	{
		buf[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		buf[0] = (char) (0xC0 | (cp >> 6));
		buf[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	buf[0] = (char) (0xE0 | (cp >> 12));
	buf[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
	buf[2] = (char) (0x80 | (cp & 0x3F));
	return 3;
}

/*
 * Look at a UTF-8 sequence: returns its length when it is valid (and sets
 * *cp), 0 when it is not, -1 when it is valid so far but incomplete.
 * Overlong forms and surrogates are invalid (RFC 3629).
 */
static int
utf8_decode(const unsigned char *p, size_t avail, uint32 *cp)
{
	unsigned char c = p[0];
	int			len;
	unsigned char lo = 0x80,
				hi = 0xBF;
	uint32		v;
	int			k;

	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0)
	{
		len = 2;
		v = c & 0x1F;
	}
	else if (c < 0xF0)
	{
		len = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	}
	else
	{
		len = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	}
	for (k = 1; k < len; k++)
	{
		unsigned char b;

		if ((size_t) k >= avail)
			return -1;
		b = p[k];
		if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (b & 0x3F);
	}
	*cp = v;
	return len;
}

/*
 * Record the first failure of the decoder or of libxml2.
 */
static void
xml_fail(RetsXml *x, const char *fmt,...) pg_attribute_printf(2, 3);

static void
xml_fail(RetsXml *x, const char *fmt,...)
{
	va_list		ap;

	if (x->errbuf[0] == '\0')
	{
		va_start(ap, fmt);
		vsnprintf(x->errbuf, RETS_ERROR_LEN, fmt, ap);
		va_end(ap);
	}
	x->failed = true;
}

/*
 * libxml2's words for a body that is no XML at all, or that stops early,
 * are misleading ("Document is empty", "Extra content at the end of the
 * document"): say what happened.  Truncation can only be told at the end.
 */
static void
explain_failure(RetsXml *x, bool at_end)
{
	char		detail[RETS_ERROR_LEN];

	if (!x->xml || !x->failed || !x->lib_error || x->explained)
		return;
	if (!x->started && x->offset == 0 && at_end)
		snprintf(x->errbuf, RETS_ERROR_LEN, "response is empty");
	else if (!x->started)
	{
		strlcpy(detail, x->errbuf, sizeof(detail));
		snprintf(x->errbuf, RETS_ERROR_LEN, "response is not XML (no root element): %s", detail);
	}
	else if (at_end && x->depth > 0)
		snprintf(x->errbuf, RETS_ERROR_LEN,
				 "response ends inside its XML document (truncated)");
	else
		return;
	x->explained = true;
}

/*
 * Hand decoded bytes to libxml2, or to the text buffer in text mode.
 */
static void
sink(RetsXml *x, const char *data, size_t len)
{
	if (x->failed || len == 0)
		return;
	if (!x->xml)
	{
		if (!RetsBufAppend(x->cxt, x->text_out, data, len))
			xml_fail(x, "out of memory");
		return;
	}
	while (len > 0 && !x->failed)
	{
		/* xmlParseChunk takes an int */
		int			piece = len > (size_t) (INT_MAX / 2) ? INT_MAX / 2 : (int) len;

		xmlParseChunk(x->ctxt, data, piece, 0);
		if (!x->failed && !x->ctxt->wellFormed)
			xml_fail(x, "response is not well-formed XML");
		if (x->failed && !x->ctxt->wellFormed)
		{
			x->lib_error = true;
			explain_failure(x, false);
		}
		data += piece;
		len -= piece;
	}
}

/*
 * Send the batched output on.
 */
static void
flush_out(RetsXml *x)
{
	if (x->out_len > 0)
	{
		int			n = x->out_len;

		x->out_len = 0;
		sink(x, x->out, n);
	}
}

/*
 * Queue decoded bytes; large runs skip the batch and go straight on.
 */
static void
emit(RetsXml *x, const char *data, size_t len)
{
	if (len == 0)
		return;
	if (len >= OUT_CAP / 2)
	{
		flush_out(x);
		sink(x, data, len);
		return;
	}
	if (x->out_len + len > OUT_CAP)
		flush_out(x);
	memcpy(x->out + x->out_len, data, len);
	x->out_len += len;
}

/*
 * Emit a byte read as windows-1252; the five bytes it leaves undefined
 * become U+FFFD.
 */
static void
emit_cp1252(RetsXml *x, unsigned char c)
{
	char		buf[4];
	uint32		cp = c;

	if (c >= 0x80 && c < 0xA0)
	{
		cp = cp1252_c1[c - 0x80];
		if (cp == 0)
		{
			emit(x, utf8_replacement, 3);
			x->stats.replaced++;
			return;
		}
	}
	emit(x, buf, utf8_encode(cp, buf));
}

/*
 * Whether the first min(avail, litlen) bytes of p match lit; *complete says
 * whether all of lit could be compared.
 */
static bool
prefix_match(const unsigned char *p, size_t avail, const char *lit, size_t litlen,
			 bool *complete)
{
	size_t		n = Min(avail, litlen);

	*complete = avail >= litlen;
	return memcmp(p, lit, n) == 0;
}

/*
 * Classify the '&' at p[0].  *len is set to the length of a reference that
 * is kept or replaced whole.
 */
static RefKind
check_reference(const unsigned char *p, size_t n, bool final, size_t *len)
{
	size_t		j;

	if (n < 2)
		return final ? REF_LITERAL : REF_NEED_MORE;
	if (p[1] == '#')
	{
		bool		hex = false;
		bool		big = false;
		uint32		v = 0;
		int			digits = 0;

		j = 2;
		if (j < n && p[j] == 'x')
		{
			hex = true;
			j++;
		}
		while (j < n && j < LOOKAHEAD)
		{
			int			d;
			unsigned char c = p[j];

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				break;
			if (!big)
			{
				v = v * (hex ? 16 : 10) + d;
				if (v > 0x10FFFF)
					big = true;
			}
			digits++;
			j++;
		}
		if (j >= n)
			return (!final && j < LOOKAHEAD) ? REF_NEED_MORE : REF_LITERAL;
		if (digits == 0 || p[j] != ';')
			return REF_LITERAL;
		*len = j + 1;
		return (!big && xml_char_ok(v)) ? REF_OK : REF_FORBIDDEN;
	}
	if ((p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z') ||
		p[1] == '_' || p[1] == ':')
	{
		size_t		namelen;

		j = 2;
		while (j < n && j < LOOKAHEAD &&
			   ((p[j] >= 'A' && p[j] <= 'Z') || (p[j] >= 'a' && p[j] <= 'z') ||
				(p[j] >= '0' && p[j] <= '9') || p[j] == '_' || p[j] == ':' ||
				p[j] == '-' || p[j] == '.'))
			j++;
		if (j >= n)
			return (!final && j < LOOKAHEAD) ? REF_NEED_MORE : REF_LITERAL;
		if (p[j] != ';')
			return REF_LITERAL;
		namelen = j - 1;
		/* only XML's predefined entities: nothing else is ever expanded */
		if ((namelen == 3 && memcmp(p + 1, "amp", 3) == 0) ||
			(namelen == 2 && memcmp(p + 1, "lt", 2) == 0) ||
			(namelen == 2 && memcmp(p + 1, "gt", 2) == 0) ||
			(namelen == 4 && memcmp(p + 1, "quot", 4) == 0) ||
			(namelen == 4 && memcmp(p + 1, "apos", 4) == 0))
		{
			*len = j + 1;
			return REF_OK;
		}
		return REF_LITERAL;
	}
	return REF_LITERAL;
}

/*
 * Skip the bytes from p[i] on that need no repair; returns the position of
 * the first byte that may.  Markup is the hot path (every byte of a Search
 * response goes through it), so it looks at 16 bytes at a time where SSE2
 * is there: a control character other than TAB, LF and CR, a non-ASCII
 * byte (negative as a signed char, so below 0x20 too), '&', '<', '>' or ']'.
 */
static inline size_t
scan_clean(const unsigned char *p, size_t i, size_t n, const unsigned char *tbl,
		   DecodeMode mode)
{
#ifdef __SSE2__
	if (mode == MODE_MARKUP)
	{
		const __m128i space = _mm_set1_epi8(0x20);
		const __m128i tab = _mm_set1_epi8('\t');
		const __m128i lf = _mm_set1_epi8('\n');
		const __m128i cr = _mm_set1_epi8('\r');
		const __m128i amp = _mm_set1_epi8('&');
		const __m128i lt = _mm_set1_epi8('<');
		const __m128i gt = _mm_set1_epi8('>');
		const __m128i rsqb = _mm_set1_epi8(']');

		while (i + 16 <= n)
		{
			__m128i		v = _mm_loadu_si128((const __m128i *) (p + i));
			__m128i		low = _mm_cmplt_epi8(v, space);
			__m128i		white = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab),
														  _mm_cmpeq_epi8(v, lf)),
											 _mm_cmpeq_epi8(v, cr));
			__m128i		special = _mm_or_si128(_mm_andnot_si128(white, low),
											   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp),
																		 _mm_cmpeq_epi8(v, lt)),
															_mm_or_si128(_mm_cmpeq_epi8(v, gt),
																		 _mm_cmpeq_epi8(v, rsqb))));
			uint32		mask = (uint32) _mm_movemask_epi8(special);

			if (mask != 0)
				return i + pg_rightmost_one_pos32(mask);
			i += 16;
		}
	}
#endif
	while (i < n && !tbl[p[i]])
		i++;
	return i;
}

/*
 * Fail when the tag opened at x->open_lt has gone on, at input offset at,
 * past MAX_TAG_BYTES (or max_text, when less) without its '>': libxml2
 * buffers an unfinished tag whole, and looks through all of it again for
 * each piece it is fed (a minute for 64 MB).  CDATA sections and comments
 * are text, which max_text bounds.  Returns whether it failed.
 */
static bool
open_markup_too_long(RetsXml *x, uint64 at)
{
	size_t		limit = Min(x->max_text, MAX_TAG_BYTES);

	if (!x->open_markup || x->max_text == 0 || at - x->open_lt <= limit)
		return false;
	xml_fail(x, "more than %zu bytes in a tag without its '>'", limit);
	return true;
}

/*
 * Decode and repair p[0..n), sending the result on.  Returns how many bytes
 * were consumed: less than n only when a sequence at the end cannot be
 * decided before more bytes arrive (never when final).
 */
static size_t
decode(RetsXml *x, const unsigned char *p, size_t n, bool final)
{
	size_t		i = 0;
	size_t		run = 0;

#define FLUSH_RUN() \
	do { emit(x, (const char *) p + run, i - run); } while (0)

	while (i < n && !x->failed)
	{
		const unsigned char *tbl;
		unsigned char c;

		switch (x->mode)
		{
			case MODE_CDATA:
				tbl = special_cdata;
				break;
			case MODE_COMMENT:
				tbl = special_comment;
				break;
			case MODE_TEXT:
				tbl = special_text;
				break;
			default:
				tbl = special_markup;
				break;
		}
		i = scan_clean(p, i, n, tbl, x->mode);
		if (i >= n)
			break;
		c = p[i];

		if (c >= 0x80)
		{
			uint32		cp = 0;
			int			len;

			if (x->charset == CHARSET_LATIN1)
			{
				FLUSH_RUN();
				emit_cp1252(x, c);
				run = ++i;
				continue;
			}
			len = utf8_decode(p + i, n - i, &cp);
			if (len < 0 && !final)
				goto need_more;
			if (len > 0)
			{
				if (cp == 0xFFFE || cp == 0xFFFF)
				{
					FLUSH_RUN();
					emit(x, utf8_replacement, 3);
					x->stats.replaced++;
					i += len;
					run = i;
				}
				else
					i += len;
				continue;
			}
			/* not UTF-8: the byte is windows-1252 */
			FLUSH_RUN();
			emit_cp1252(x, c);
			x->stats.latin1_bytes++;
			run = ++i;
			continue;
		}

		if (c < 0x20)
		{
			/* a control character XML forbids */
			FLUSH_RUN();
			emit(x, utf8_replacement, 3);
			x->stats.replaced++;
			run = ++i;
			continue;
		}

		if (x->mode == MODE_CDATA || x->mode == MODE_COMMENT)
		{
			const char *close = x->mode == MODE_CDATA ? "]]>" : "-->";
			bool		complete;

			if (prefix_match(p + i, n - i, close, 3, &complete))
			{
				if (!complete && !final)
					goto need_more;
				if (complete)
				{
					i += 3;
					x->mode = MODE_MARKUP;
					x->open_markup = false;
					continue;
				}
			}
			i++;
			continue;
		}

		if (c == '<')
		{
			bool		complete;
			uint64		at = x->offset + i;

			if (x->max_text > 0 && at - x->last_lt > x->max_text)
			{
				xml_fail(x, "more than %zu bytes of text without markup", x->max_text);
				break;
			}
			x->last_lt = at;
			if (!x->open_markup)
			{
				x->open_markup = true;
				x->open_lt = at;
			}
			else if (open_markup_too_long(x, at))
				break;
			if (n - i < 2)
			{
				if (!final)
					goto need_more;
				i++;
				continue;
			}
			if (p[i + 1] != '!')
			{
				i++;
				continue;
			}
			if (prefix_match(p + i, n - i, "<![CDATA[", 9, &complete))
			{
				if (!complete && !final)
					goto need_more;
				if (complete)
				{
					i += 9;
					x->mode = MODE_CDATA;
					x->open_markup = false;
					continue;
				}
			}
			if (prefix_match(p + i, n - i, "<!--", 4, &complete))
			{
				if (!complete && !final)
					goto need_more;
				if (complete)
				{
					/*
					 * A space after the opener.  libxml2 2.9's push parser
					 * looks for the comment's "-->" from its '<', so in
					 * "<!-->" and "<!--->" it finds one inside the opener,
					 * parses the comment before its real end has arrived,
					 * and fails or not depending on where the body was
					 * cut.  Comments are not passed on: the space changes
					 * nothing else.
					 */
					i += 4;
					FLUSH_RUN();
					emit(x, " ", 1);
					run = i;
					x->mode = MODE_COMMENT;
					x->open_markup = false;
					continue;
				}
			}
			i += 2;
			continue;
		}

		if (c == '>')
		{
			x->open_markup = false;
			i++;
			continue;
		}

		if (c == ']')
		{
			bool		complete;

			/*
			 * "]]>" outside a CDATA section, which XML forbids in text.
			 * libxml2 2.9's push parser only notices it when its three bytes
			 * arrive in one chunk, so whether a body failed would depend on
			 * where the network cut it.  "]]&gt;" is the same characters,
			 * in text and in attribute values alike.
			 */
			if (prefix_match(p + i, n - i, "]]>", 3, &complete))
			{
				if (!complete && !final)
					goto need_more;
				if (complete)
				{
					FLUSH_RUN();
					emit(x, "]]&gt;", 6);
					i += 3;
					run = i;
					continue;
				}
			}
			i++;
			continue;
		}

		/* c == '&' */
		{
			size_t		len = 0;

			switch (check_reference(p + i, n - i, final, &len))
			{
				case REF_OK:
					i += len;
					break;
				case REF_FORBIDDEN:
					FLUSH_RUN();
					emit(x, utf8_replacement, 3);
					x->stats.replaced++;
					i += len;
					run = i;
					break;
				case REF_LITERAL:
					FLUSH_RUN();
					emit(x, "&amp;", 5);
					x->stats.escaped_ampersands++;
					run = ++i;
					break;
				case REF_NEED_MORE:
					goto need_more;
			}
		}
	}
	if (i > n)
		i = n;
	FLUSH_RUN();
	if (x->xml && x->max_text > 0 && x->offset + i - x->last_lt > x->max_text && !x->failed)
		xml_fail(x, "more than %zu bytes of text without markup", x->max_text);
	if (x->xml && !x->failed)
		(void) open_markup_too_long(x, x->offset + i);
	return i;

need_more:
	FLUSH_RUN();
	return i;
#undef FLUSH_RUN
}

/*
 * Decode a piece of the body proper, carrying an undecided tail over.
 *
 * decode() consumes less than it was given for two reasons: a sequence at
 * the end that more bytes must decide (never longer than LOOKAHEAD), or a
 * failure, after which it stops wherever it was.  Only the first kind may be
 * carried: after a failure nothing more is decoded, so nothing is kept, and
 * every copy into carry[] is bounded by its size whatever decode() did.
 */
static void
feed_body(RetsXml *x, const unsigned char *data, size_t len, bool final)
{
	while (!x->failed && (len > 0 || (final && x->carry_len > 0)))
	{
		size_t		used;

		if (x->carry_len > 0)
		{
			size_t		k = Min(len, (size_t) (CARRY_CAP - x->carry_len));

			memcpy(x->carry + x->carry_len, data, k);
			x->carry_len += k;
			data += k;
			len -= k;
			used = decode(x, x->carry, x->carry_len, final && len == 0);
			x->offset += used;
			x->carry_len -= used;
			if (x->failed)
				break;
			if (x->carry_len > LOOKAHEAD)
			{
				xml_fail(x, "internal error: %d undecided bytes", x->carry_len);
				break;
			}
			if (x->carry_len > 0)
				memmove(x->carry, x->carry + used, x->carry_len);
			if (x->carry_len > 0 && len == 0)
				break;
			continue;
		}
		used = decode(x, data, len, final);
		x->offset += used;
		if (x->failed)
			break;
		if (used < len)
		{
			if (len - used > LOOKAHEAD)
			{
				xml_fail(x, "internal error: %zu undecided bytes", len - used);
				break;
			}
			memcpy(x->carry, data + used, len - used);
			x->carry_len = (int) (len - used);
		}
		len = 0;
	}
	/* after a failure nothing is decoded again: drop what was held back */
	if (x->failed)
		x->carry_len = 0;
}

/*
 * Map a charset name to what the decoder does with it; NULL for names it
 * does not know.
 */
static const char *
charset_lookup(const char *name, DecodeCharset *cs)
{
	static const char *const utf8_names[] = {
		"utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", NULL
	};
	static const char *const latin1_names[] = {
		"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
		"windows-1252", "cp1252", "x-cp1252", "cp819", "ibm819", NULL
	};
	int			i;

	for (i = 0; utf8_names[i] != NULL; i++)
		if (pg_strcasecmp(name, utf8_names[i]) == 0)
		{
			*cs = CHARSET_UTF8;
			return "UTF-8";
		}
	for (i = 0; latin1_names[i] != NULL; i++)
		if (pg_strcasecmp(name, latin1_names[i]) == 0)
		{
			*cs = CHARSET_LATIN1;
			return "ISO-8859-1";
		}
	return NULL;
}

/*
 * Find encoding="..." in an XML declaration p[0..n) and copy its value.
 */
static bool
declared_encoding(const unsigned char *p, size_t n, char *out, size_t outlen)
{
	size_t		i;

	for (i = 0; i + 8 <= n; i++)
	{
		size_t		j;
		unsigned char q;
		size_t		k = 0;

		if (memcmp(p + i, "encoding", 8) != 0)
			continue;
		j = i + 8;
		while (j < n && RetsIsSpace(p[j]))
			j++;
		if (j >= n || p[j] != '=')
			continue;
		j++;
		while (j < n && RetsIsSpace(p[j]))
			j++;
		if (j >= n || (p[j] != '"' && p[j] != '\''))
			continue;
		q = p[j++];
		while (j < n && p[j] != q && k + 1 < outlen)
			out[k++] = p[j++];
		out[k] = '\0';
		return j < n && p[j] == q;
	}
	return false;
}

/*
 * Decide the charset once the start of the body is known: skip whitespace
 * and a UTF-8 BOM (libxml2 refuses whitespace before the declaration), read
 * the declaration's encoding, then let the HTTP charset override it.
 * Returns false while undecided and more bytes may help; *skip is set to
 * the bytes dropped.
 */
static bool
prolog_decide(RetsXml *x, bool force, int *skip)
{
	const unsigned char *p = x->prolog;
	int			n = x->prolog_len;
	int			i = 0;
	char		declared[64] = "";
	bool		has_declared = false;
	const char *name;

	for (;;)
	{
		if (i < n && RetsIsSpace(p[i]))
			i++;
		else if (n - i >= 3 && p[i] == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF)
			i += 3;
		else if (!force && i < n && p[i] == 0xEF && (n - i == 1 || p[i + 1] == 0xBB))
			return false;
		else
			break;
	}
	if (i == n && !force)
		return false;
	if (!force && n - i == 1 && (p[i] == 0xFE || p[i] == 0xFF))
		return false;			/* perhaps a UTF-16 BOM */
	if (n - i >= 2 && ((p[i] == 0xFE && p[i + 1] == 0xFF) || (p[i] == 0xFF && p[i + 1] == 0xFE)))
	{
		xml_fail(x, "UTF-16 responses are not supported");
		return true;
	}
	if (n - i > 0 && p[i] == '<')
	{
		bool		complete;

		if (prefix_match(p + i, n - i, "<?xml", 5, &complete))
		{
			if (!complete && !force)
				return false;
			if (complete)
			{
				int			end;

				for (end = i + 5; end + 1 < n; end++)
					if (p[end] == '?' && p[end + 1] == '>')
						break;
				if (end + 1 >= n && !force)
					return false;
				has_declared = declared_encoding(p + i, end - i, declared, sizeof(declared));
			}
		}
	}
	*skip = i;

	if (x->http_charset[0] != '\0')
	{
		name = charset_lookup(x->http_charset, &x->charset);
		if (name == NULL)
		{
			xml_fail(x, "unsupported character encoding \"%s\" in Content-Type", x->http_charset);
			return true;
		}
	}
	else if (has_declared)
	{
		name = charset_lookup(declared, &x->charset);
		if (name == NULL)
		{
			xml_fail(x, "unsupported character encoding \"%s\" in the XML declaration", declared);
			return true;
		}
	}
	else
	{
		x->charset = CHARSET_UTF8;
		name = "UTF-8";
	}
	x->encoding_name = name;
	return true;
}

/*
 * Collect the attributes of an element, decoded.  Without XML_PARSE_NOENT
 * libxml2 hands an "&amp;" inside an attribute value to SAX2 as "&#38;"
 * (for a DOM builder to expand later); nothing else can produce "&#38;"
 * here, so it is turned back into '&'.
 */
static bool
collect_attrs(RetsXml *x, int nb, const xmlChar **attributes)
{
	int			i;
	size_t	   *offsets;

	/* nothing to collect, and x->attrs may not exist yet */
	if (nb == 0)
		return true;
	if (nb > x->attrs_cap)
	{
		int			cap = Max(nb, 16);
		RetsXmlAttr *attrs = RetsAlloc(x->cxt, sizeof(RetsXmlAttr) * cap + sizeof(size_t) * cap);

		if (attrs == NULL)
			return false;
		if (x->attrs != NULL)
			pfree(x->attrs);
		x->attrs = attrs;
		x->attrs_cap = cap;
	}
	offsets = (size_t *) (x->attrs + x->attrs_cap);
	x->attrbuf.len = 0;
	for (i = 0; i < nb; i++)
	{
		const char *v = (const char *) attributes[i * 5 + 3];
		const char *vend = (const char *) attributes[i * 5 + 4];

		offsets[i] = x->attrbuf.len;
		while (v < vend)
		{
			const char *amp = memchr(v, '&', vend - v);
			const char *stop = amp ? amp : vend;

			if (!RetsBufAppend(x->cxt, &x->attrbuf, v, stop - v))
				return false;
			v = stop;
			if (amp != NULL)
			{
				if (vend - amp >= 5 && memcmp(amp, "&#38;", 5) == 0)
				{
					if (!RetsBufAppend(x->cxt, &x->attrbuf, "&", 1))
						return false;
					v = amp + 5;
				}
				else
				{
					if (!RetsBufAppend(x->cxt, &x->attrbuf, "&", 1))
						return false;
					v = amp + 1;
				}
			}
		}
		if (!RetsBufAppend(x->cxt, &x->attrbuf, "", 1))
			return false;
	}
	for (i = 0; i < nb; i++)
	{
		x->attrs[i].name = (const char *) attributes[i * 5];
		x->attrs[i].value = x->attrbuf.data + offsets[i];
	}
	return true;
}

/* libxml2 SAX2 callbacks: translate to the handler, never raise */

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		  const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
		  int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	RetsXml    *x = (RetsXml *) ctx;

	if (x->failed)
		return;
	if (!collect_attrs(x, nb_attributes, attributes))
	{
		RetsXmlAbort(x, "out of memory");
		return;
	}
	x->started = true;
	if (x->handler->start)
		x->handler->start(x->arg, x->depth, (const char *) localname,
						  nb_attributes, x->attrs);
	x->depth++;
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		const xmlChar *URI)
{
	RetsXml    *x = (RetsXml *) ctx;

	if (x->failed)
		return;
	x->depth--;
	if (x->handler->end)
		x->handler->end(x->arg, x->depth, (const char *) localname);
}

static void
sax_text(void *ctx, const xmlChar *ch, int len)
{
	RetsXml    *x = (RetsXml *) ctx;

	if (x->failed || x->depth == 0)
		return;
	if (x->handler->text)
		x->handler->text(x->arg, x->depth - 1, (const char *) ch, len);
}

/*
 * libxml2's structured error handler for this parser context only: keep the
 * first fatal error.  Warnings and namespace errors do not stop RETS
 * parsing (libxml2 does not stop for them either).
 */
static void
sax_error(void *ctx, xmlErrorPtr error)
{
	RetsXml    *x = (RetsXml *) ctx;
	char		msg[RETS_ERROR_LEN];
	size_t		len;

	if (error == NULL || error->level < XML_ERR_FATAL || x->failed)
		return;
	strlcpy(msg, error->message ? error->message : "unknown error", sizeof(msg));
	len = strlen(msg);
	while (len > 0 && RetsIsSpace(msg[len - 1]))
		msg[--len] = '\0';
	xml_fail(x, "invalid XML at line %d: %s", error->line, msg);
	x->lib_error = true;
}

/*
 * Free libxml2's memory when the owner's memory context goes away before
 * RetsXmlDestroy was called (an error was raised by the caller).
 */
static void
release_callback(void *arg)
{
	RetsXml    *x = (RetsXml *) arg;

	if (!x->released && x->ctxt != NULL)
		xmlFreeParserCtxt(x->ctxt);
	x->ctxt = NULL;
	x->released = true;
}

/*
 * Create an XML parser that reports to handler.  Everything is allocated
 * in cxt.  With guard, cxt is expected to belong to the caller's parser
 * alone: a reset callback on it frees libxml2's memory if the context is
 * reset or deleted first, and the RetsXml itself is then never pfree'd (a
 * registered callback cannot be unregistered in PostgreSQL 15).  Without
 * guard, the caller must destroy it before anything can raise.  max_text bounds the text
 * between two pieces of markup (what libxml2 buffers before it delivers
 * text); 0 means no bound.  Errors go to errbuf (RETS_ERROR_LEN bytes).
 * Returns NULL on out-of-memory; never raises.
 */
static RetsXml *
xml_create(MemoryContext cxt, const RetsXmlHandler *handler, void *arg,
		   size_t max_text, char *errbuf, bool guard)
{
	RetsXml    *x;
	xmlSAXHandler sax;

	if (!tables_ready)
		init_tables();
	x = RetsAlloc(cxt, sizeof(RetsXml));
	if (x == NULL)
		return NULL;
	memset(x, 0, sizeof(RetsXml));
	x->mode = MODE_MARKUP;
	x->max_text = max_text;
	x->handler = handler;
	x->arg = arg;
	x->cxt = cxt;
	x->xml = true;
	x->errbuf = errbuf;
	x->in_prolog = true;
	x->charset = CHARSET_UNDECIDED;

	/*
	 * Only the callbacks mlsync needs: no startDocument, so no document tree
	 * is ever built; no getEntity or entityDecl, so no entity but XML's five
	 * predefined ones can be expanded, whatever a DTD declares.
	 */
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_text;
	sax.ignorableWhitespace = sax_text;
	sax.cdataBlock = sax_text;
	sax.serror = sax_error;

	xmlInitParser();
	x->ctxt = xmlCreatePushParserCtxt(&sax, x, NULL, 0, NULL);
	if (x->ctxt == NULL)
		return NULL;
	xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_HUGE);

	if (guard)
	{
		x->cleanup.func = release_callback;
		x->cleanup.arg = x;
		MemoryContextRegisterResetCallback(cxt, &x->cleanup);
		x->guarded = true;
	}
	return x;
}

/*
 * Create an XML parser that reports to handler, guarded by a reset callback
 * on cxt (see xml_create).
 */
RetsXml *
RetsXmlCreate(MemoryContext cxt, const RetsXmlHandler *handler, void *arg,
			  size_t max_text, char *errbuf)
{
	return xml_create(cxt, handler, arg, max_text, errbuf, true);
}

/*
 * Create a decoder of plain text (no XML): the body is decoded to UTF-8
 * with control characters replaced, and appended to out.  Never raises;
 * NULL on out-of-memory.  May be pfree'd.
 */
RetsXml *
RetsTextCreate(MemoryContext cxt, RetsBuf *out, char *errbuf)
{
	RetsXml    *x;

	if (!tables_ready)
		init_tables();
	x = RetsAlloc(cxt, sizeof(RetsXml));
	if (x == NULL)
		return NULL;
	memset(x, 0, sizeof(RetsXml));
	x->cxt = cxt;
	x->xml = false;
	x->errbuf = errbuf;
	x->in_prolog = false;
	x->mode = MODE_TEXT;
	x->charset = CHARSET_UTF8;
	x->encoding_name = "UTF-8";
	x->text_out = out;
	return x;
}

/*
 * Set the charset named by the HTTP Content-Type, before the first byte is
 * fed; it overrides the XML declaration.  Unknown names are an error.
 */
bool
RetsXmlSetCharset(RetsXml *x, const char *charset)
{
	DecodeCharset cs;
	const char *name;

	if (charset == NULL || charset[0] == '\0')
		return !x->failed;
	if (x->offset > 0 || x->prolog_len > 0)
	{
		xml_fail(x, "the charset must be set before the body is fed");
		return false;
	}
	name = charset_lookup(charset, &cs);
	if (name == NULL)
	{
		xml_fail(x, "unsupported character encoding \"%s\" in Content-Type", charset);
		return false;
	}
	strlcpy(x->http_charset, charset, sizeof(x->http_charset));
	if (!x->xml)
	{
		/* text mode has no declaration to wait for */
		x->charset = cs;
		x->encoding_name = name;
	}
	return !x->failed;
}

/*
 * Feed the next piece of the body.  Returns false once parsing has failed
 * (see the error buffer); never raises.
 */
bool
RetsXmlFeed(RetsXml *x, const char *data, size_t len)
{
	if (x->failed)
		return false;
	if (x->in_prolog)
	{
		size_t		take = Min(len, (size_t) (PROLOG_CAP - x->prolog_len));
		int			skip = 0;

		memcpy(x->prolog + x->prolog_len, data, take);
		x->prolog_len += take;
		data += take;
		len -= take;
		if (!prolog_decide(x, x->prolog_len == PROLOG_CAP, &skip))
			return true;
		x->in_prolog = false;
		if (x->failed)
			return false;
		feed_body(x, x->prolog + skip, x->prolog_len - skip, false);
	}
	feed_body(x, (const unsigned char *) data, len, false);
	flush_out(x);
	return !x->failed;
}

/*
 * The body is complete: decode what was held back and let libxml2 check
 * that the document ended properly.
 */
bool
RetsXmlFinish(RetsXml *x)
{
	if (x->failed)
	{
		explain_failure(x, true);
		return false;
	}
	if (x->in_prolog)
	{
		int			skip = 0;

		prolog_decide(x, true, &skip);
		x->in_prolog = false;
		if (x->failed)
			return false;
		feed_body(x, x->prolog + skip, x->prolog_len - skip, false);
	}
	/* no bytes, but a real pointer: feed_body copies and advances it */
	feed_body(x, (const unsigned char *) "", 0, true);
	flush_out(x);
	if (x->xml && !x->failed)
	{
		xmlParseChunk(x->ctxt, NULL, 0, 1);
		if (!x->failed && !x->ctxt->wellFormed)
			xml_fail(x, "response is not well-formed XML");
	}

	explain_failure(x, true);
	return !x->failed;
}

/*
 * Stop parsing from inside a handler callback, recording why.  libxml2 is
 * told to stop, so no further callback arrives.
 */
void
RetsXmlAbort(RetsXml *x, const char *fmt,...)
{
	va_list		ap;

	if (x->errbuf[0] == '\0')
	{
		va_start(ap, fmt);
		vsnprintf(x->errbuf, RETS_ERROR_LEN, fmt, ap);
		va_end(ap);
	}
	x->failed = true;
	if (x->ctxt != NULL)
		xmlStopParser(x->ctxt);
}

/*
 * Free libxml2's parser context.  A guarded RetsXml lives on until its
 * memory context goes; a text decoder is freed.
 */
void
RetsXmlDestroy(RetsXml *x)
{
	if (x == NULL)
		return;
	if (!x->released && x->ctxt != NULL)
		xmlFreeParserCtxt(x->ctxt);
	x->ctxt = NULL;
	x->released = true;
	if (!x->guarded)
	{
		RetsBufFree(&x->attrbuf);
		if (x->attrs != NULL)
			pfree(x->attrs);
		pfree(x);
	}
}

const RetsTextStats *
RetsXmlStats(RetsXml *x)
{
	return &x->stats;
}

/*
 * The charset the body is read as ("UTF-8" or "ISO-8859-1"), or NULL
 * before it is decided.
 */
const char *
RetsXmlEncoding(RetsXml *x)
{
	return x->encoding_name;
}

/*
 * Whether the root element has been seen.
 */
bool
RetsXmlStarted(RetsXml *x)
{
	return x->started;
}

/*
 * Decode a short byte string (a header value, a plain text body) to UTF-8
 * with the decoder's rules.  charset may be NULL (UTF-8, falling back to
 * windows-1252 per byte).  Repairs are added to *stats when given.
 * Returns NULL on failure; never raises.
 */
char *
RetsDecodeText(MemoryContext cxt, const char *data, size_t len,
			   const char *charset, RetsTextStats *stats)
{
	RetsBuf		out = {0};
	char		errbuf[RETS_ERROR_LEN] = "";
	RetsXml    *x = RetsTextCreate(cxt, &out, errbuf);
	bool		ok;

	if (x == NULL)
		return NULL;
	ok = RetsXmlSetCharset(x, charset) &&
		RetsXmlFeed(x, data, len) &&
		RetsXmlFinish(x) &&
		RetsBufAppend(cxt, &out, "", 0);
	if (stats != NULL)
	{
		stats->replaced += x->stats.replaced;
		stats->latin1_bytes += x->stats.latin1_bytes;
		stats->escaped_ampersands += x->stats.escaped_ampersands;
	}
	RetsXmlDestroy(x);
	if (!ok)
	{
		RetsBufFree(&out);
		return NULL;
	}
	return out.data;
}

/* State of RetsParseStatus */
typedef struct StatusState
{
	RetsXml    *x;
	MemoryContext cxt;
	bool		found;
	bool		bad_code;
	int			code;
	char	   *text;
} StatusState;

static void
status_start(void *arg, int depth, const char *name, int nattrs,
			 const RetsXmlAttr *attrs)
{
	StatusState *st = (StatusState *) arg;
	int			i;

	if (depth != 0)
		return;
	if (strcmp(name, "RETS") == 0)
	{
		for (i = 0; i < nattrs; i++)
		{
			if (strcmp(attrs[i].name, "ReplyCode") == 0)
			{
				if (RetsParseReplyCode(attrs[i].value, &st->code))
					st->found = true;
				else
					st->bad_code = true;
			}
			else if (strcmp(attrs[i].name, "ReplyText") == 0)
				st->text = RetsStrndup(st->cxt, attrs[i].value, strlen(attrs[i].value));
		}
	}
	/* the root is all a status needs: stop before any junk after it */
	if (st->x->ctxt != NULL)
		xmlStopParser(st->x->ctxt);
}

/*
 * Read the ReplyCode and ReplyText of a small RETS XML body (a GetObject
 * part, a non-multipart error).  Returns false, with a message in errbuf,
 * when the body is not a RETS reply.  Never raises.
 */
bool
RetsParseStatus(MemoryContext cxt, const char *body, size_t len,
				const char *charset, int *reply_code, char **reply_text,
				char *errbuf)
{
	static const RetsXmlHandler handler = {status_start, NULL, NULL};
	StatusState st;
	RetsXml    *x;
	bool		ok;

	memset(&st, 0, sizeof(st));
	st.cxt = cxt;
	/* a status body is small and parsed in one go, nothing raises meanwhile */
	x = xml_create(cxt, &handler, &st, 0, errbuf, false);
	if (x == NULL)
	{
		RetsSetError(errbuf, "out of memory");
		return false;
	}
	st.x = x;
	ok = RetsXmlSetCharset(x, charset) && RetsXmlFeed(x, body, len);
	if (ok && !x->started)
		ok = RetsXmlFinish(x);
	RetsXmlDestroy(x);
	if (st.bad_code)
	{
		RetsSetError(errbuf, "invalid ReplyCode");
		return false;
	}
	if (!st.found)
	{
		if (ok)
			RetsSetError(errbuf, "not a RETS reply");
		return false;
	}
	*reply_code = st.code;
	*reply_text = st.text;
	return true;
}

/*
 * Parse a ReplyCode attribute ("0", " 20201 ") as an int.
 */
bool
RetsParseReplyCode(const char *s, int *code)
{
	char	   *end;
	long		v;

	while (RetsIsSpace(*s))
		s++;
	if (*s == '\0')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || v < INT_MIN || v > INT_MAX)
		return false;
	while (RetsIsSpace(*end))
		end++;
	if (*end != '\0')
		return false;
	*code = (int) v;
	return true;
}
