/*-------------------------------------------------------------------------
 *
 * rets_login.c
 *	  Parser of RETS Login, Logout and Action response bodies
 *	  (docs/protocols.md R3, R10).
 *
 * The capability list is plain text inside <RETS-RESPONSE>, one Name=Value
 * line each.  Rules, from libRETS's KeyValueResponse and PHRETS's parser
 * and the fixtures: lines end in LF (CR before it dropped), blank lines are
 * skipped, lines may be indented, each is split on its first '=' only
 * (capability URLs carry query strings), key and value are trimmed, keys
 * compare without case, values may be empty.  RETS 1.0 servers put the
 * lines directly in <RETS>.  RETS 1.8 adds Info=NAME;TYPE;VALUE lines.
 * Capability URLs may be relative: they are resolved against the Login URL
 * by RFC 3986, with libcurl's own URL parser (the one that will fetch them),
 * so scheme, host and a non-standard port are kept.  A failed login answers
 * HTTP 200 with a ReplyCode such as 20036; an Action answers plain text.
 *
 * Nothing here raises after creation: RetsLoginFeed only buffers, and
 * RetsLoginFinish records errors in the parser.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <curl/curl.h>

#include "utils/memutils.h"

#include "rets/parse/rets_login.h"
#include "transport/uri.h"

#define DEFAULT_MAX_BYTES (1024 * 1024)

/* Capabilities RETS defines (PHRETS's list, plus 1.8's UpdateObject) */
static const char *const known_capabilities[] = {
	"Action", "ChangePassword", "GetMetadata", "GetObject", "GetPayloadList",
	"Login", "LoginComplete", "Logout", "PostObject", "Search",
	"ServerInformation", "Update", "UpdateObject", NULL
};

struct RetsLoginParser
{
	MemoryContext cxt;
	char	   *login_url;
	size_t		max_bytes;
	char		charset[64];
	RetsBuf		body;
	char		errbuf[RETS_ERROR_LEN];
	bool		finished;
	RetsLoginResult result;

	/* while parsing the XML */
	RetsXml    *xml;
	bool		in_response;
	bool		seen_response;
	RetsBuf		response_text;	/* text inside <RETS-RESPONSE> */
	RetsBuf		root_text;		/* text directly inside <RETS> */
	int			caps_cap;
	int			info_cap;
	int			values_cap;
};

#define ABORT(p, ...) RetsXmlAbort((p)->xml, __VA_ARGS__)

static void
login_start(void *arg, int depth, const char *name, int nattrs,
			const RetsXmlAttr *attrs)
{
	RetsLoginParser *p = (RetsLoginParser *) arg;
	int			i;

	if (depth == 0)
	{
		if (strcmp(name, "RETS") != 0)
		{
			ABORT(p, "not a RETS response: the root element is <%s>", name);
			return;
		}
		for (i = 0; i < nattrs; i++)
		{
			if (strcmp(attrs[i].name, "ReplyCode") == 0)
			{
				if (!RetsParseReplyCode(attrs[i].value, &p->result.reply_code))
				{
					ABORT(p, "invalid ReplyCode \"%s\"", attrs[i].value);
					return;
				}
				p->result.has_reply = true;
			}
			else if (strcmp(attrs[i].name, "ReplyText") == 0)
				p->result.reply_text = RetsStrndup(p->cxt, attrs[i].value, strlen(attrs[i].value));
		}
	}
	else if (depth == 1 && strcmp(name, "RETS-RESPONSE") == 0)
	{
		p->in_response = true;
		p->seen_response = true;
	}
}

static void
login_end(void *arg, int depth, const char *name)
{
	RetsLoginParser *p = (RetsLoginParser *) arg;

	if (depth == 1 && strcmp(name, "RETS-RESPONSE") == 0)
		p->in_response = false;
}

static void
login_text(void *arg, int depth, const char *data, size_t len)
{
	RetsLoginParser *p = (RetsLoginParser *) arg;
	RetsBuf    *buf = NULL;

	if (p->in_response)
		buf = &p->response_text;
	else if (depth == 0)
		buf = &p->root_text;
	if (buf != NULL && !RetsBufAppend(p->cxt, buf, data, len))
		ABORT(p, "out of memory");
}

static const RetsXmlHandler login_handler = {login_start, login_end, login_text};

/*
 * Create a parser of a Login (or Logout, or Action) body.  login_url, when
 * given, is what relative capability URLs are resolved against; bodies
 * longer than max_bytes (0: 1 MB) are an error.  May raise (out of memory).
 */
RetsLoginParser *
RetsLoginCreate(MemoryContext parent, const char *login_url, size_t max_bytes)
{
	MemoryContext cxt;
	RetsLoginParser *p;

	cxt = AllocSetContextCreate(parent, "RETS login parser", ALLOCSET_SMALL_SIZES);
	p = MemoryContextAllocZero(cxt, sizeof(RetsLoginParser));
	p->cxt = cxt;
	p->login_url = login_url ? MemoryContextStrdup(cxt, login_url) : NULL;
	p->max_bytes = max_bytes > 0 ? max_bytes : DEFAULT_MAX_BYTES;
	p->result.timeout_seconds = -1;
	return p;
}

/*
 * The charset of the HTTP Content-Type, before the first feed.
 */
bool
RetsLoginSetCharset(RetsLoginParser *p, const char *charset)
{
	if (charset != NULL)
		strlcpy(p->charset, charset, sizeof(p->charset));
	return true;
}

/*
 * Buffer the next piece of the body.  Never raises.
 */
bool
RetsLoginFeed(RetsLoginParser *p, const char *data, size_t len)
{
	if (p->errbuf[0] != '\0')
		return false;
	if (p->body.len + len > p->max_bytes)
	{
		RetsSetError(p->errbuf, "response body is longer than %zu bytes", p->max_bytes);
		return false;
	}
	if (!RetsBufAppend(p->cxt, &p->body, data, len))
	{
		RetsSetError(p->errbuf, "out of memory");
		return false;
	}
	return true;
}

/*
 * Trim spaces, tabs and CRs from both ends of s[0..*len), in place.
 */
static char *
trim(char *s, size_t *len)
{
	while (*len > 0 && RetsIsSpace(s[0]))
	{
		s++;
		(*len)--;
	}
	while (*len > 0 && RetsIsSpace(s[*len - 1]))
		(*len)--;
	s[*len] = '\0';
	return s;
}

/*
 * Grow an array of the result by one element; NULL on out-of-memory.
 */
static void *
grow(RetsLoginParser *p, void **array, int *n, int *cap, size_t elemsize)
{
	if (*n == *cap)
	{
		int			newcap = *cap == 0 ? 16 : *cap * 2;
		char	   *a = RetsAlloc(p->cxt, elemsize * newcap);

		if (a == NULL)
			return NULL;
		if (*n > 0)
			memcpy(a, *array, elemsize * *n);
		*array = a;
		*cap = newcap;
	}
	return (char *) *array + elemsize * (*n)++;
}

/*
 * The canonical name of a capability key, or NULL if the key is not one.
 */
static const char *
capability_name(const char *key)
{
	int			i;

	for (i = 0; known_capabilities[i] != NULL; i++)
		if (pg_strcasecmp(key, known_capabilities[i]) == 0)
			return known_capabilities[i];
	if (pg_strncasecmp(key, "X-", 2) == 0)
		return key;
	return NULL;
}

/*
 * Resolve ref against base as a URI (MlsLinkAsUri: a capability URL with a
 * raw space in it goes percent-encoded, as a browser sends it) and return
 * the absolute URL, or NULL when MlsUriResolve refuses it (blank,
 * unresolvable, not http or https, or not sendable) or memory runs out.
 * Never raises.
 */
char *
RetsResolveUrl(MemoryContext cxt, const char *base, const char *ref)
{
	char	   *uri;
	char	   *url;
	char	   *result = NULL;
	size_t		len;

	if (ref == NULL || (len = MlsLinkAsUri(ref, NULL)) == 0)
		return NULL;
	uri = RetsAlloc(cxt, len + 1);
	if (uri == NULL)
		return NULL;
	MlsLinkAsUri(ref, uri);
	url = MlsUriResolve(base, uri);
	if (url != NULL)
		result = RetsStrndup(cxt, url, strlen(url));
	curl_free(url);
	pfree(uri);
	return result;
}

/*
 * Whether a capability value is meant as a URL: absolute http(s), or a path.
 * X- extensions hold other things too.
 */
static bool
looks_like_url(const char *value)
{
	return value[0] == '/' ||
		pg_strncasecmp(value, "http://", 7) == 0 ||
		pg_strncasecmp(value, "https://", 8) == 0;
}

/*
 * One Name=Value line.
 */
static bool
add_line(RetsLoginParser *p, char *key, char *value)
{
	RetsLoginResult *r = &p->result;
	const char *cap;

	if (pg_strcasecmp(key, "Info") == 0)
	{
		RetsInfoLine *info = grow(p, (void **) &r->info, &r->ninfo, &p->info_cap,
								  sizeof(RetsInfoLine));
		char	   *semi;
		size_t		len;

		if (info == NULL)
			return false;
		memset(info, 0, sizeof(RetsInfoLine));
		semi = strchr(value, ';');
		if (semi == NULL)
		{
			len = strlen(value);
			info->name = trim(value, &len);
			info->value = "";
			return true;
		}
		*semi = '\0';
		len = semi - value;
		info->name = trim(value, &len);
		value = semi + 1;
		semi = strchr(value, ';');
		if (semi != NULL)
		{
			/* NAME;TYPE;VALUE: the value keeps any further ';' */
			*semi = '\0';
			len = semi - value;
			info->type = trim(value, &len);
			value = semi + 1;
		}
		len = strlen(value);
		info->value = trim(value, &len);
		return true;
	}

	cap = capability_name(key);
	if (cap != NULL)
	{
		RetsCapability *c = NULL;
		int			i;

		/* a repeated capability replaces the earlier one */
		for (i = 0; i < r->ncapabilities; i++)
			if (pg_strcasecmp(r->capabilities[i].name, cap) == 0)
				c = &r->capabilities[i];
		if (c == NULL)
			c = grow(p, (void **) &r->capabilities, &r->ncapabilities, &p->caps_cap,
					 sizeof(RetsCapability));
		if (c == NULL)
			return false;
		c->name = (char *) cap;
		c->value = value;
		c->url = NULL;
		if (looks_like_url(value))
			c->url = RetsResolveUrl(p->cxt, p->login_url, value);
		else if (pg_strncasecmp(cap, "X-", 2) != 0)
			c->url = RetsResolveUrl(p->cxt, p->login_url, value);
		return true;
	}

	{
		RetsKeyValue *kv = grow(p, (void **) &r->values, &r->nvalues, &p->values_cap,
								sizeof(RetsKeyValue));

		if (kv == NULL)
			return false;
		kv->key = key;
		kv->value = value;
	}
	return true;
}

/*
 * Split the capability text into lines and sort them out.
 */
static bool
parse_lines(RetsLoginParser *p, char *text, size_t textlen)
{
	char	   *s = text;
	char	   *end;
	RetsBuf		other = {0};

	/* a reply without any text has no buffer at all */
	if (text == NULL)
		return true;
	end = text + textlen;
	while (s < end)
	{
		char	   *nl = memchr(s, '\n', end - s);
		char	   *line;
		size_t		len;
		char	   *eq;

		if (nl == NULL)
			nl = end;
		len = nl - s;
		line = trim(s, &len);
		s = nl + 1;
		if (len == 0)
			continue;
		eq = strchr(line, '=');
		if (eq != NULL && eq != line)
		{
			size_t		klen = eq - line;
			size_t		vlen = len - klen - 1;
			char	   *key = trim(line, &klen);
			char	   *value = trim(eq + 1, &vlen);

			if (klen > 0)
			{
				if (!add_line(p, key, value))
					return false;
				continue;
			}
		}
		/* not a key=value line ("Connection Closed") */
		if ((other.len > 0 && !RetsBufAppend(p->cxt, &other, "\n", 1)) ||
			!RetsBufAppend(p->cxt, &other, line, len))
			return false;
	}
	if (other.len > 0)
		p->result.text = other.data;
	return true;
}

/*
 * A value from a key=value line, else from an Info= line (case-insensitive).
 */
static char *
find_value(RetsLoginResult *r, const char *name)
{
	int			i;

	for (i = 0; i < r->nvalues; i++)
		if (pg_strcasecmp(r->values[i].key, name) == 0)
			return r->values[i].value;
	for (i = 0; i < r->ninfo; i++)
		if (pg_strcasecmp(r->info[i].name, name) == 0)
			return r->info[i].value;
	return NULL;
}

/*
 * The body is complete: parse it.  Returns false with an error when it is
 * neither a RETS reply nor plain text.  Never raises.
 */
bool
RetsLoginFinish(RetsLoginParser *p)
{
	RetsLoginResult *r = &p->result;
	const char *s = p->body.data ? p->body.data : "";
	size_t		i = 0;
	char	   *timeout;

	if (p->finished)
		return p->errbuf[0] == '\0';
	p->finished = true;
	if (p->errbuf[0] != '\0')
		return false;

	/* skip whitespace and a UTF-8 BOM to see what the body is */
	while (i < p->body.len && (RetsIsSpace(s[i]) ||
							   (i + 2 < p->body.len && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0)))
		i += RetsIsSpace(s[i]) ? 1 : 3;

	if (i < p->body.len && s[i] == '<')
	{
		r->xml = true;
		p->xml = RetsXmlCreate(p->cxt, &login_handler, p, 0, p->errbuf);
		if (p->xml == NULL)
		{
			RetsSetError(p->errbuf, "out of memory");
			return false;
		}
		if (!RetsXmlSetCharset(p->xml, p->charset[0] ? p->charset : NULL) ||
			!RetsXmlFeed(p->xml, s, p->body.len) ||
			!RetsXmlFinish(p->xml))
		{
			RetsXmlDestroy(p->xml);
			return false;
		}
		r->encoding = RetsXmlEncoding(p->xml);
		r->stats = *RetsXmlStats(p->xml);
		RetsXmlDestroy(p->xml);
		if (p->seen_response)
		{
			if (!parse_lines(p, p->response_text.data, p->response_text.len))
				goto oom;
		}
		else if (!parse_lines(p, p->root_text.data, p->root_text.len))
			goto oom;
	}
	else
	{
		/* Action: a bulletin of plain text */
		char	   *text = RetsDecodeText(p->cxt, s, p->body.len,
										  p->charset[0] ? p->charset : NULL, &r->stats);
		size_t		len;

		if (text == NULL)
			goto oom;
		len = strlen(text);
		r->text = trim(text, &len);
		if (len == 0)
			r->text = NULL;
		r->encoding = p->charset[0] ? p->charset : "UTF-8";
	}

	r->metadata_version = find_value(r, "MetadataVersion");
	r->metadata_timestamp = find_value(r, "MetadataTimestamp");
	r->min_metadata_version = find_value(r, "MinMetadataVersion");
	r->min_metadata_timestamp = find_value(r, "MinMetadataTimestamp");
	timeout = find_value(r, "TimeoutSeconds");
	if (timeout != NULL)
	{
		char	   *end;
		long		v;

		errno = 0;
		v = strtol(timeout, &end, 10);
		if (errno == 0 && end != timeout && *end == '\0' && v >= 0 && v <= INT_MAX)
			r->timeout_seconds = (int) v;
	}
	return true;

oom:
	RetsSetError(p->errbuf, "out of memory");
	return false;
}

const RetsLoginResult *
RetsLoginGetResult(RetsLoginParser *p)
{
	return &p->result;
}

/*
 * A capability by name (case-insensitive), or NULL.
 */
const RetsCapability *
RetsLoginCapability(RetsLoginParser *p, const char *name)
{
	int			i;

	for (i = 0; i < p->result.ncapabilities; i++)
		if (pg_strcasecmp(p->result.capabilities[i].name, name) == 0)
			return &p->result.capabilities[i];
	return NULL;
}

const char *
RetsLoginError(RetsLoginParser *p)
{
	/* it may quote what the server sent */
	return p->errbuf[0] != '\0' ? RetsCleanMessage(p->errbuf) : NULL;
}

void
RetsLoginDestroy(RetsLoginParser *p)
{
	if (p == NULL)
		return;
	if (p->xml != NULL)
		RetsXmlDestroy(p->xml);
	MemoryContextDelete(p->cxt);
}
