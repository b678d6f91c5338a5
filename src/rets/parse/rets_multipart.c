/*-------------------------------------------------------------------------
 *
 * rets_multipart.c
 *	  Streaming parser of RETS GetObject responses (docs/protocols.md R8).
 *
 * Several objects come as a multipart body (every recorded server says
 * multipart/parallel; any multipart/ type is read the same way).  Quirks of
 * real servers, each in a fixture: the boundary quoted, with spaces, with a
 * charset parameter after it; no CRLF before the first boundary; bare LF
 * line ends; part header names in any case, with or without a space after
 * the colon; header values continued on following lines that have no colon
 * (CRIS puts multi-line descriptions there); XML parts that carry a
 * ReplyCode instead of an object (20403 No Object Found, or 0 with a
 * Location header).  A response of one object is the object itself, its
 * description in the HTTP headers; an error is a plain XML body.
 *
 * The delimiter is "--boundary" at the start of the body or after an LF
 * (the CR before that LF, if any, belongs to it too), followed by "--" for
 * the last one, or by optional spaces and a line end.  Bytes are handed on
 * as soon as they cannot be the start of a delimiter, so at most a
 * delimiter's length of each part is held back.
 *
 * Nothing here raises after creation; errors are kept in the parser.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "rets/parse/rets_multipart.h"

#define MAX_BOUNDARY 200
/* Headers of one part, and of the response */
#define MAX_HEADER_BYTES (64 * 1024)
/* XML bodies larger than this are not read for a ReplyCode */
#define MAX_XML_BODY (64 * 1024)
/* Preamble kept to recognise an XML error sent with a multipart type */
#define MAX_PREAMBLE (64 * 1024)

typedef enum PartState
{
	ST_PREAMBLE,				/* before the first delimiter */
	ST_HEADERS,					/* part headers, up to a blank line */
	ST_BODY,					/* part body, up to the next delimiter */
	ST_EPILOGUE,				/* after the close delimiter */
	ST_SINGLE					/* not multipart: the body is one object */
} PartState;

struct RetsObjectParser
{
	MemoryContext cxt;
	MemoryContext ev_cxt[2];	/* events being filled / last taken */
	int			filling;
	char		errbuf[RETS_ERROR_LEN];
	bool		started;
	bool		finished;
	bool		multipart;
	char	   *content_type;
	char		dash_boundary[MAX_BOUNDARY + 3];	/* "--" boundary */
	int			dlen;
	PartState	state;
	RetsBuf		response_headers;	/* header lines of the response */
	RetsBuf		pend;			/* bytes not yet decided */
	RetsBuf		header_lines;	/* lines of the part being read */
	RetsBuf		preamble;
	RetsObjectPart *part;		/* the open part */
	bool		capture_xml;
	RetsBuf		xml_body;
	int			nparts;
	RetsTextStats stats;
	RetsObjectEvent *events;
	int			nevents;
	int			events_cap;
};

/*
 * Queue an event; DATA bytes are copied, since the caller's buffer goes away.
 */
static bool
push_event(RetsObjectParser *p, RetsObjectEventKind kind, const char *data, size_t len)
{
	RetsObjectEvent *ev;

	if (p->nevents == p->events_cap)
	{
		int			cap = p->events_cap == 0 ? 32 : p->events_cap * 2;
		RetsObjectEvent *events = RetsAlloc(p->ev_cxt[p->filling], sizeof(RetsObjectEvent) * cap);

		if (events == NULL)
			goto oom;
		if (p->nevents > 0)
			memcpy(events, p->events, sizeof(RetsObjectEvent) * p->nevents);
		if (p->events != NULL)
			pfree(p->events);
		p->events = events;
		p->events_cap = cap;
	}
	ev = &p->events[p->nevents];
	ev->kind = kind;
	ev->part = p->part;
	ev->data = NULL;
	ev->len = 0;
	if (kind == RETS_OBJECT_DATA)
	{
		char	   *copy = RetsAlloc(p->ev_cxt[p->filling], len);

		if (copy == NULL)
			goto oom;
		memcpy(copy, data, len);
		ev->data = copy;
		ev->len = len;
	}
	p->nevents++;
	return true;

oom:
	RetsSetError(p->errbuf, "out of memory");
	return false;
}

/*
 * Whether s[0..len) is a header name: letters, digits, '-' and '_'.  A line
 * whose text before the colon is anything else continues the header before.
 */
static bool
is_header_name(const char *s, size_t len)
{
	size_t		i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!(isalnum((unsigned char) s[i]) || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

/*
 * Turn raw header lines (LF-separated, CRs allowed) into name/value pairs,
 * values decoded to UTF-8, continuation lines joined: a line starting with
 * a space or tab continues with a space (RFC 5322 folding); a line without
 * a header name continues with a newline.
 */
static bool
parse_headers(RetsObjectParser *p, const char *raw, size_t rawlen,
			  RetsObjectHeader **headers_out, int *nheaders_out)
{
	RetsBuf		hb = {0};		/* name \0 value \0 ... */
	int			n = 0;
	/* no header lines at all come as NULL: no arithmetic on it */
	const char *s = raw ? raw : "";
	const char *end = s + rawlen;
	RetsObjectHeader *headers;
	const char *q;
	int			k;

	while (s < end)
	{
		const char *nl = memchr(s, '\n', end - s);
		const char *line = s;
		size_t		len;
		const char *colon;
		bool		folded;

		if (nl == NULL)
			nl = end;
		len = nl - s;
		s = nl + 1;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		folded = (line[0] == ' ' || line[0] == '\t');
		colon = memchr(line, ':', len);
		if (!folded && colon != NULL && is_header_name(line, colon - line))
		{
			const char *v = colon + 1;
			size_t		vlen = len - (v - line);

			/*
			 * Values are kept NUL-terminated in hb: a NUL inside one would
			 * end it early and shift every later name and value.  The value
			 * ends at a NUL.
			 */
			vlen = strnlen(v, vlen);
			while (vlen > 0 && RetsIsSpace(*v))
			{
				v++;
				vlen--;
			}
			while (vlen > 0 && RetsIsSpace(v[vlen - 1]))
				vlen--;
			if (!RetsBufAppend(p->cxt, &hb, line, colon - line) ||
				!RetsBufAppend(p->cxt, &hb, "", 1) ||
				!RetsBufAppend(p->cxt, &hb, v, vlen) ||
				!RetsBufAppend(p->cxt, &hb, "", 1))
				goto oom;
			n++;
		}
		else if (n > 0)
		{
			/* a continuation: reopen the last value (which ends at a NUL too) */
			len = strnlen(line, len);
			while (len > 0 && RetsIsSpace(*line))
			{
				line++;
				len--;
			}
			while (len > 0 && RetsIsSpace(line[len - 1]))
				len--;
			hb.len--;			/* drop the value's NUL */
			if (!RetsBufAppend(p->cxt, &hb, folded ? " " : "\n", 1) ||
				!RetsBufAppend(p->cxt, &hb, line, len) ||
				!RetsBufAppend(p->cxt, &hb, "", 1))
				goto oom;
		}
		/* else: a stray line before any header, ignored */
	}

	headers = RetsAlloc(p->cxt, sizeof(RetsObjectHeader) * Max(n, 1));
	if (headers == NULL)
		goto oom;
	q = hb.data;
	for (k = 0; k < n; k++)
	{
		size_t		vlen;

		headers[k].name = RetsStrndup(p->cxt, q, strlen(q));
		q += strlen(q) + 1;
		vlen = strlen(q);
		headers[k].value = RetsDecodeText(p->cxt, q, vlen, NULL, &p->stats);
		q += vlen + 1;
		if (headers[k].name == NULL || headers[k].value == NULL)
			goto oom;
	}
	RetsBufFree(&hb);
	*headers_out = headers;
	*nheaders_out = n;
	return true;

oom:
	RetsBufFree(&hb);
	RetsSetError(p->errbuf, "out of memory");
	return false;
}

/*
 * The value of a header (case-insensitive), or NULL.
 */
static const char *
header_value(RetsObjectPart *part, const char *name)
{
	int			i;

	for (i = 0; i < part->nheaders; i++)
		if (pg_strcasecmp(part->headers[i].name, name) == 0)
			return part->headers[i].value;
	return NULL;
}

/*
 * A part starts: describe it from its headers and announce it.
 */
static bool
begin_part(RetsObjectParser *p, const char *raw, size_t rawlen, const char *content_type)
{
	RetsObjectPart *part = RetsAlloc(p->cxt, sizeof(RetsObjectPart));
	const char *preferred;
	int			i;
	int			ndata = 0;

	if (part == NULL)
	{
		RetsSetError(p->errbuf, "out of memory");
		return false;
	}
	memset(part, 0, sizeof(RetsObjectPart));
	part->index = ++p->nparts;
	if (!parse_headers(p, raw, rawlen, &part->headers, &part->nheaders))
		return false;
	part->content_type = header_value(part, "Content-Type");
	if (part->content_type == NULL)
		part->content_type = content_type;
	part->content_id = header_value(part, "Content-ID");
	part->object_id = header_value(part, "Object-ID");
	part->description = header_value(part, "Content-Description");
	if (part->description == NULL)
		part->description = header_value(part, "Description");
	part->sub_description = header_value(part, "Content-Sub-Description");
	part->location = header_value(part, "Location");
	preferred = header_value(part, "Preferred");
	part->preferred = preferred != NULL &&
		(strcmp(preferred, "1") == 0 || pg_strcasecmp(preferred, "true") == 0 ||
		 pg_strcasecmp(preferred, "yes") == 0);

	for (i = 0; i < part->nheaders; i++)
		if (pg_strcasecmp(part->headers[i].name, "ObjectData") == 0)
			ndata++;
	if (ndata > 0)
	{
		part->object_data = RetsAlloc(p->cxt, sizeof(RetsObjectHeader) * ndata);
		if (part->object_data == NULL)
		{
			RetsSetError(p->errbuf, "out of memory");
			return false;
		}
		for (i = 0; i < part->nheaders; i++)
		{
			const char *v = part->headers[i].value;
			const char *eq;
			RetsObjectHeader *od;
			size_t		nlen;

			if (pg_strcasecmp(part->headers[i].name, "ObjectData") != 0)
				continue;
			od = &part->object_data[part->nobject_data++];
			eq = strchr(v, '=');
			nlen = eq ? (size_t) (eq - v) : strlen(v);
			while (nlen > 0 && RetsIsSpace(v[nlen - 1]))
				nlen--;
			od->name = RetsStrndup(p->cxt, v, nlen);
			if (eq != NULL)
			{
				eq++;
				while (RetsIsSpace(*eq))
					eq++;
			}
			od->value = RetsStrndup(p->cxt, eq ? eq : "", eq ? strlen(eq) : 0);
			if (od->name == NULL || od->value == NULL)
			{
				RetsSetError(p->errbuf, "out of memory");
				return false;
			}
		}
	}

	p->part = part;
	p->capture_xml = RetsMediaTypeIs(part->content_type, "text/xml") ||
		RetsMediaTypeIs(part->content_type, "application/xml");
	p->xml_body.len = 0;
	return push_event(p, RETS_OBJECT_BEGIN, NULL, 0);
}

/*
 * Bytes of the open part's body.
 */
static bool
part_data(RetsObjectParser *p, const char *data, size_t len)
{
	if (len == 0)
		return true;
	p->part->size += len;
	if (p->capture_xml && p->xml_body.len + len <= MAX_XML_BODY &&
		!RetsBufAppend(p->cxt, &p->xml_body, data, len))
	{
		RetsSetError(p->errbuf, "out of memory");
		return false;
	}
	return push_event(p, RETS_OBJECT_DATA, data, len);
}

/*
 * The open part is complete; an XML body is read for its ReplyCode.
 */
static bool
end_part(RetsObjectParser *p)
{
	RetsObjectPart *part = p->part;

	if (p->capture_xml && part->size <= MAX_XML_BODY && part->size > 0)
	{
		char		errbuf[RETS_ERROR_LEN] = "";
		char		charset[64];
		const char *cs = NULL;

		if (RetsContentTypeParam(part->content_type, "charset", charset, sizeof(charset)))
			cs = charset;
		part->has_reply = RetsParseStatus(p->cxt, p->xml_body.data, p->xml_body.len, cs,
										  &part->reply_code, &part->reply_text, errbuf);
	}
	p->capture_xml = false;
	if (!push_event(p, RETS_OBJECT_END, NULL, 0))
		return false;
	p->part = NULL;
	return true;
}

/*
 * Find s (slen bytes) in buf[from..n); -1 when absent.
 */
static ssize_t
find_bytes(const char *buf, size_t from, size_t n, const char *s, size_t slen)
{
	while (from + slen <= n)
	{
		const char *c = memchr(buf + from, s[0], n - from - slen + 1);

		if (c == NULL)
			return -1;
		if (memcmp(c, s, slen) == 0)
			return c - buf;
		from = (c - buf) + 1;
	}
	return -1;
}

/*
 * Look at a candidate delimiter whose "--boundary" starts at b.  Returns 1
 * when it is one (*close set for the last one, *next set to the first byte
 * after its line), 0 when it is not, -1 when more bytes are needed.
 */
static int
check_delimiter(RetsObjectParser *p, const char *buf, size_t n, size_t b,
				bool final, bool *close, size_t *next)
{
	size_t		t = b + p->dlen;
	size_t		u;

	if (n - b < (size_t) p->dlen)
	{
		if (final || memcmp(buf + b, p->dash_boundary, n - b) != 0)
			return 0;
		return -1;
	}
	if (memcmp(buf + b, p->dash_boundary, p->dlen) != 0)
		return 0;
	if (t < n && buf[t] == '-')
	{
		if (t + 1 >= n)
			return final ? 0 : -1;
		if (buf[t + 1] == '-')
		{
			*close = true;
			*next = n;
			return 1;
		}
		return 0;
	}
	u = t;
	while (u < n && (buf[u] == ' ' || buf[u] == '\t'))
		u++;
	if (u < n && buf[u] == '\r')
		u++;
	if (u >= n)
		return final ? 0 : -1;
	if (buf[u] != '\n')
		return 0;
	*close = false;
	*next = u + 1;
	return 1;
}

/*
 * Run the multipart state machine over the bytes held in pend.
 */
static void
process(RetsObjectParser *p, bool final)
{
	const char *buf = p->pend.data;
	size_t		n = p->pend.len;
	size_t		pos = 0;

	while (pos < n && p->errbuf[0] == '\0')
	{
		if (p->state == ST_PREAMBLE)
		{
			size_t		from = pos;
			ssize_t		b;
			int			r = 0;
			bool		close = false;
			size_t		next = 0;

			while ((b = find_bytes(buf, from, n, p->dash_boundary, p->dlen)) >= 0)
			{
				/* at the very start of the body, or at the start of a line */
				if ((b == 0 && p->preamble.len == 0) || (b > 0 && buf[b - 1] == '\n'))
				{
					r = check_delimiter(p, buf, n, b, final, &close, &next);
					if (r != 0)
						break;
				}
				from = b + 1;
			}
			if (b < 0 || r < 0)
			{
				/*
				 * Keep what may start a delimiter: a candidate waiting for its
				 * line end, or the last bytes, with the LF before them.
				 */
				size_t		keep_from;

				if (b >= 0)
					keep_from = b > 0 ? b - 1 : 0;
				else if (final)
					keep_from = n;
				else
					keep_from = n - Min(n - pos, (size_t) p->dlen + 1);
				if (keep_from > pos && p->preamble.len < MAX_PREAMBLE &&
					!RetsBufAppend(p->cxt, &p->preamble, buf + pos,
								   Min(keep_from - pos, MAX_PREAMBLE - p->preamble.len)))
					RetsSetError(p->errbuf, "out of memory");
				pos = keep_from;
				break;
			}
			if (b > 0 && p->preamble.len < MAX_PREAMBLE &&
				!RetsBufAppend(p->cxt, &p->preamble, buf + pos,
							   Min((size_t) b - pos, MAX_PREAMBLE - p->preamble.len)))
				RetsSetError(p->errbuf, "out of memory");
			pos = next;
			p->state = close ? ST_EPILOGUE : ST_HEADERS;
			p->header_lines.len = 0;
		}
		else if (p->state == ST_HEADERS)
		{
			const char *nl = memchr(buf + pos, '\n', n - pos);
			size_t		len;

			if (nl == NULL)
			{
				if (p->header_lines.len + (n - pos) > MAX_HEADER_BYTES)
					RetsSetError(p->errbuf, "part headers longer than %d bytes", MAX_HEADER_BYTES);
				break;
			}
			len = nl - (buf + pos);
			if (len == 0 || (len == 1 && buf[pos] == '\r'))
			{
				pos = nl - buf + 1;
				if (!begin_part(p, p->header_lines.data, p->header_lines.len, NULL))
					break;
				p->state = ST_BODY;
				continue;
			}
			if (p->header_lines.len + len + 1 > MAX_HEADER_BYTES)
			{
				RetsSetError(p->errbuf, "part headers longer than %d bytes", MAX_HEADER_BYTES);
				break;
			}
			if (!RetsBufAppend(p->cxt, &p->header_lines, buf + pos, len + 1))
			{
				RetsSetError(p->errbuf, "out of memory");
				break;
			}
			pos = nl - buf + 1;
		}
		else if (p->state == ST_BODY)
		{
			size_t		from = pos;
			bool		progressed = false;

			for (;;)
			{
				const char *nlp = memchr(buf + from, '\n', n - from);
				size_t		k;
				size_t		data_end;
				bool		close = false;
				size_t		next = 0;
				int			r;

				if (nlp == NULL)
				{
					/* no line end: all but a CR that may precede one is data */
					size_t		end = n;

					if (!final && end > pos && buf[end - 1] == '\r')
						end--;
					part_data(p, buf + pos, end - pos);
					pos = end;
					break;
				}
				k = nlp - buf;
				r = check_delimiter(p, buf, n, k + 1, final, &close, &next);
				if (r == 0)
				{
					from = k + 1;
					continue;
				}
				data_end = (k > pos && buf[k - 1] == '\r') ? k - 1 : k;
				/* a part whose bytes were lost (out of memory) must not end */
				if (!part_data(p, buf + pos, data_end - pos))
					break;
				pos = data_end;
				if (r < 0)
					break;		/* wait for the rest of the candidate */
				if (!end_part(p))
					break;
				pos = next;
				p->state = close ? ST_EPILOGUE : ST_HEADERS;
				p->header_lines.len = 0;
				progressed = true;
				break;
			}
			if (!progressed)
				break;
		}
		else
		{
			/* the epilogue is ignored */
			pos = n;
		}
	}

	/* keep the undecided bytes for the next feed */
	if (pos > 0)
	{
		memmove(p->pend.data, p->pend.data + pos, n - pos);
		p->pend.len = n - pos;
	}
}

/*
 * Create a GetObject response parser in a new memory context under parent.
 * May raise (out of memory): call it before the transfer starts.
 */
RetsObjectParser *
RetsObjectCreate(MemoryContext parent)
{
	MemoryContext cxt;
	RetsObjectParser *p;

	cxt = AllocSetContextCreate(parent, "RETS object parser", ALLOCSET_DEFAULT_SIZES);
	p = MemoryContextAllocZero(cxt, sizeof(RetsObjectParser));
	p->cxt = cxt;
	p->ev_cxt[0] = AllocSetContextCreate(cxt, "RETS object events", ALLOCSET_DEFAULT_SIZES);
	p->ev_cxt[1] = AllocSetContextCreate(cxt, "RETS object events", ALLOCSET_DEFAULT_SIZES);
	return p;
}

/*
 * One line of the HTTP response headers, as libcurl's header callback
 * delivers them.  A status line starts a new header block (after a redirect
 * or a 100 Continue), so only the last block counts.  Never raises.
 */
bool
RetsObjectAddResponseHeader(RetsObjectParser *p, const char *line, size_t len)
{
	if (p->errbuf[0] != '\0')
		return false;
	if (p->started)
	{
		RetsSetError(p->errbuf, "response headers added after the body");
		return false;
	}
	if (len >= 5 && memcmp(line, "HTTP/", 5) == 0)
	{
		p->response_headers.len = 0;
		return true;
	}
	if (p->response_headers.len + len + 1 > MAX_HEADER_BYTES)
	{
		RetsSetError(p->errbuf, "response headers longer than %d bytes", MAX_HEADER_BYTES);
		return false;
	}
	if (!RetsBufAppend(p->cxt, &p->response_headers, line, len) ||
		!RetsBufAppend(p->cxt, &p->response_headers, "\n", 1))
	{
		RetsSetError(p->errbuf, "out of memory");
		return false;
	}
	return true;
}

/*
 * The Content-Type of the response, before the first feed.  A multipart
 * type must name its boundary.  Never raises.
 */
bool
RetsObjectSetContentType(RetsObjectParser *p, const char *content_type)
{
	char		boundary[MAX_BOUNDARY + 1];

	if (p->errbuf[0] != '\0')
		return false;
	if (p->started)
	{
		RetsSetError(p->errbuf, "Content-Type set after the body");
		return false;
	}
	p->content_type = content_type ? RetsStrndup(p->cxt, content_type, strlen(content_type)) : NULL;
	if (content_type != NULL && p->content_type == NULL)
	{
		RetsSetError(p->errbuf, "out of memory");
		return false;
	}
	p->multipart = RetsMediaTypeHasPrefix(content_type, "multipart/");
	if (p->multipart)
	{
		if (!RetsContentTypeParam(content_type, "boundary", boundary, sizeof(boundary)) ||
			boundary[0] == '\0')
		{
			RetsSetError(p->errbuf, "multipart Content-Type without a usable boundary: %s", content_type);
			return false;
		}
		snprintf(p->dash_boundary, sizeof(p->dash_boundary), "--%s", boundary);
		p->dlen = strlen(p->dash_boundary);
	}
	return true;
}

/*
 * Start: a single object begins at once, described by the response headers.
 */
static bool
start(RetsObjectParser *p)
{
	p->started = true;
	if (p->multipart)
	{
		p->state = ST_PREAMBLE;
		return true;
	}
	p->state = ST_SINGLE;
	return begin_part(p, p->response_headers.data, p->response_headers.len, p->content_type);
}

/*
 * Parse the next piece of the body.  Never raises.
 */
bool
RetsObjectFeed(RetsObjectParser *p, const char *data, size_t len)
{
	if (p->errbuf[0] != '\0')
		return false;
	if (p->finished)
	{
		RetsSetError(p->errbuf, "data fed after the end of the body");
		return false;
	}
	if (!p->started && !start(p))
		return false;
	if (p->state == ST_SINGLE)
		return part_data(p, data, len);
	if (!RetsBufAppend(p->cxt, &p->pend, data, len))
	{
		RetsSetError(p->errbuf, "out of memory");
		return false;
	}
	process(p, false);
	return p->errbuf[0] == '\0';
}

/*
 * The body is complete.  A multipart body must have ended with its close
 * delimiter; one without any boundary is read as an XML error if it is one.
 */
bool
RetsObjectFinish(RetsObjectParser *p)
{
	if (p->finished)
		return p->errbuf[0] == '\0';
	if (p->errbuf[0] != '\0')
		return false;
	if (!p->started && !start(p))
		return false;
	p->finished = true;
	if (p->state == ST_SINGLE)
		return end_part(p) && p->errbuf[0] == '\0';

	process(p, true);
	if (p->errbuf[0] != '\0')
		return false;
	switch (p->state)
	{
		case ST_EPILOGUE:
			return true;
		case ST_PREAMBLE:
			{
				/* no boundary at all: an XML error under a multipart type? */
				int			code;
				char	   *text;
				char		errbuf[RETS_ERROR_LEN] = "";

				if (p->preamble.len > 0 &&
					RetsParseStatus(p->cxt, p->preamble.data, p->preamble.len, NULL,
									&code, &text, errbuf))
				{
					if (!begin_part(p, p->response_headers.data, p->response_headers.len,
									"text/xml"))
						return false;
					p->part->content_type = "text/xml";
					p->part->size = p->preamble.len;
					p->part->has_reply = true;
					p->part->reply_code = code;
					p->part->reply_text = text;
					p->capture_xml = false;
					return push_event(p, RETS_OBJECT_DATA, p->preamble.data, p->preamble.len) &&
						push_event(p, RETS_OBJECT_END, NULL, 0);
				}
				RetsSetError(p->errbuf, "no multipart boundary \"%s\" found in the body",
							 p->dash_boundary + 2);
				return false;
			}
		case ST_HEADERS:
			RetsSetError(p->errbuf, "multipart body ended in the headers of part %d",
						 p->nparts + 1);
			return false;
		default:
			RetsSetError(p->errbuf, "multipart body ended before its closing boundary (in part %d)",
						 p->nparts);
			return false;
	}
}

/*
 * Take the events since the last call; valid until the next call.  Never
 * raises.
 */
int
RetsObjectTakeEvents(RetsObjectParser *p, RetsObjectEvent **events)
{
	int			other = 1 - p->filling;
	int			n = p->nevents;

	MemoryContextReset(p->ev_cxt[other]);
	*events = p->events;
	p->filling = other;
	p->events = NULL;
	p->nevents = 0;
	p->events_cap = 0;
	return n;
}

bool
RetsObjectIsMultipart(RetsObjectParser *p)
{
	return p->multipart;
}

const char *
RetsObjectError(RetsObjectParser *p)
{
	/* it may quote what the server sent */
	return p->errbuf[0] != '\0' ? RetsCleanMessage(p->errbuf) : NULL;
}

void
RetsObjectDestroy(RetsObjectParser *p)
{
	if (p != NULL)
		MemoryContextDelete(p->cxt);
}
