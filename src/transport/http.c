/*-------------------------------------------------------------------------
 *
 * http.c
 *	  HTTP for mlsync, on libcurl.
 *
 * Folder src/transport/: what every source stands on - the HTTP client on
 * libcurl (this file), buffers filled inside library callbacks (buffer.c)
 * and the source interface with rate limits and backoff (source.c).  It
 * knows no MLS protocol and no SQL: it may not include reso/, rets/,
 * engine/ headers or executor/spi.h.
 *
 * This file knows HTTP and nothing of SQL or of MLS protocols.  Rules it
 * keeps (see docs/architecture.md):
 *
 * - Only http and https, for requests and redirects; at most 5 redirects,
 *   followed here (not by libcurl) so that credentials (authentication,
 *   an Authorization header, session cookies) never follow a redirect to
 *   another origin: such a redirect is refused, unless the request carries
 *   none or the origin is one the caller allows.  A request may refuse
 *   redirects altogether (a token request: its body is the secret).
 * - Every connection is checked against mlsync.denied_networks and
 *   mlsync.allowed_hosts on the address it is about to connect to (the
 *   socket-open callback, after name resolution), so nothing is sent to a
 *   denied network, whatever a host name resolves to.
 * - Header values with control characters are refused before anything is
 *   sent: a CR or LF in a token or a User-Agent would add headers.
 * - Nothing inside a libcurl callback raises an error, checks interrupts or
 *   allocates memory that could raise: callbacks record what happened in
 *   the transfer's state and return a code that makes libcurl stop.  The
 *   caller acts after curl_easy_perform() returns.
 * - The easy handle is freed by a callback of the memory context the client
 *   lives in, so it is freed on every path, errors included; per-request
 *   header lists are freed in PG_FINALLY.
 * - The response body is capped at mlsync.max_response_bytes after
 *   decompression (a gzip bomb stops there); error bodies (status >= 400)
 *   are kept (first 64 kB) for the error log and never reach a sink.
 * - Transfers run on a multi handle in our own loop (MlsHttpStep), which
 *   checks interrupts (cancel, terminate) at least every 100 ms and bounds
 *   the time spent on the network by mlsync.http_timeout, paused time
 *   excluded, so a body that never ends or dribbles is cut off.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <curl/curl.h>

#include "common/base64.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "portability/instr_time.h"
#include "utils/memutils.h"

#include "transport/buffer.h"
#include "transport/http.h"
#include "transport/netguard.h"
#include "transport/uri.h"
#include "mlsync.h"

/* Room kept for response headers; more is dropped (servers send < 8 kB) */
#define HEADER_BUFFER_BYTES (64 * 1024)
/* How much of an error body is kept */
#define ERROR_BODY_BYTES (64 * 1024)
/* Redirects followed for one request */
#define MAX_REDIRECTS 5

struct MlsHttpClient
{
	CURL	   *easy;
	CURLM	   *multi;
	MemoryContextCallback cleanup;
	/* the transfer in progress, read by the callbacks */
	const MlsHttpRequest *request;
	MlsHttpResponse *response;
	struct curl_slist *headers;
	char		errbuf[CURL_ERROR_SIZE];
	bool		active;			/* a transfer is attached to the multi handle */
	bool		paused;			/* the sink paused it */
	uint64		limit;
	long		current_status;
	bool		expect_status_line; /* the next header line starts a response */
	bool		too_large;
	bool		sink_aborted;
	bool		out_of_memory;
	bool		timed_out;
	int64		active_ms;		/* time spent on the network, paused time excluded */
	char	   *last_url;		/* the URL of the last request begun (for errors) */

	/* redirects and the network guard */
	char	   *url;			/* the URL being fetched (after redirects) */
	char	   *origin;			/* the origin credentials belong to */
	MlsHttpGuard guard;			/* host name of url; what was refused */
	int			redirects;
	uint64		redirect_wire_bytes;	/* bytes of the redirect responses */
};

PG_FUNCTION_INFO_V1(mls_check_url);
PG_FUNCTION_INFO_V1(mls_url_origin);

static bool curl_initialized = false;

/*
 * Validate a URL a connection will be fetched from and return it
 * normalized by libcurl's own parser (the one that will fetch it).  Only
 * http and https are accepted, a host is required, and credentials inside
 * the URL are refused, because the URL is shown in views and logs.  "what"
 * names the URL in messages ("endpoint", "token_url").
 */
char *
MlsCheckUrl(const char *url, const char *what)
{
	CURLU	   *volatile handle = NULL;
	char	   *result = NULL;

	PG_TRY();
	{
		CURLUcode	rc;
		char	   *part = NULL;

		handle = curl_url();
		if (handle == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		rc = curl_url_set(handle, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
		if (rc != CURLUE_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s URL \"%s\": %s", what, url, curl_url_strerror(rc)),
					 errhint("Write an absolute URL such as https://mls.example.com/reso/odata/.")));

		rc = curl_url_get(handle, CURLUPART_SCHEME, &part, 0);
		if (rc != CURLUE_OK || (pg_strcasecmp(part, "http") != 0 && pg_strcasecmp(part, "https") != 0))
		{
			char	   *scheme = pstrdup(part ? part : "");

			curl_free(part);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s URL \"%s\": scheme \"%s\" is not allowed", what, url, scheme),
					 errhint("Only http and https URLs are accepted.")));
		}
		curl_free(part);
		part = NULL;

		/* the URL itself may be the secret here: do not repeat it */
		if (curl_url_get(handle, CURLUPART_USER, &part, 0) == CURLUE_OK ||
			curl_url_get(handle, CURLUPART_PASSWORD, &part, 0) == CURLUE_OK)
		{
			curl_free(part);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s URL must not contain a user name or password", what),
					 errhint("Store secrets with mlsync.mls_set_credentials() and the user name with the username argument of mlsync.mls_connect().")));
		}

		rc = curl_url_get(handle, CURLUPART_HOST, &part, 0);
		if (rc != CURLUE_OK || part == NULL || part[0] == '\0')
		{
			curl_free(part);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s URL \"%s\": no host", what, url)));
		}
		curl_free(part);
		part = NULL;

		rc = curl_url_get(handle, CURLUPART_URL, &part, 0);
		if (rc != CURLUE_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid %s URL \"%s\": %s", what, url, curl_url_strerror(rc))));
		result = pstrdup(part);
		curl_free(part);
	}
	PG_FINALLY();
	{
		curl_url_cleanup(handle);
	}
	PG_END_TRY();

	return result;
}

/*
 * mls_check_url(url text, what text) returns text
 *
 * SQL face of MlsCheckUrl, used by mls_connect.
 */
Datum
mls_check_url(PG_FUNCTION_ARGS)
{
	char	   *url = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *what = text_to_cstring(PG_GETARG_TEXT_PP(1));

	PG_RETURN_TEXT_P(cstring_to_text(MlsCheckUrl(url, what)));
}

/*
 * The origin of an http or https URL, "scheme://host:port" in lower case
 * with the default port written out; NULL for anything else.
 */
char *
MlsUrlOrigin(const char *url)
{
	CURLU	   *volatile handle = NULL;
	char	   *volatile result = NULL;

	PG_TRY();
	{
		char	   *scheme = NULL;
		char	   *host = NULL;
		char	   *port = NULL;

		handle = curl_url();
		if (handle != NULL &&
			curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK &&
			curl_url_get(handle, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
			curl_url_get(handle, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
			curl_url_get(handle, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
			(pg_strcasecmp(scheme, "http") == 0 || pg_strcasecmp(scheme, "https") == 0))
		{
			char	   *origin = psprintf("%s://%s:%s", scheme, host, port);

			for (char *c = origin; *c; c++)
				*c = pg_tolower((unsigned char) *c);
			result = origin;
		}
		curl_free(scheme);
		curl_free(host);
		curl_free(port);
	}
	PG_FINALLY();
	{
		curl_url_cleanup(handle);
	}
	PG_END_TRY();
	return result;
}

/*
 * mls_url_origin(url text) returns text
 *
 * SQL face of MlsUrlOrigin; NULL for a URL that is not http or https.
 */
Datum
mls_url_origin(PG_FUNCTION_ARGS)
{
	char	   *origin = MlsUrlOrigin(text_to_cstring(PG_GETARG_TEXT_PP(0)));

	if (origin == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(origin));
}

/*
 * Whether credentials that belong to origin may go to url: url is on that
 * origin, or on its https upgrade (http on port 80 to https on 443, never
 * the reverse; another port is another service), or on one of
 * allowed_origins.
 */
bool
MlsOriginAllowed(const char *url, const char *origin, List *allowed_origins)
{
	char	   *target = MlsUrlOrigin(url);
	ListCell   *lc;

	if (target == NULL || origin == NULL)
		return false;
	if (strcmp(target, origin) == 0)
		return true;
	if (strncmp(origin, "http://", 7) == 0 && strncmp(target, "https://", 8) == 0)
	{
		const char *ohost = origin + 7;
		const char *thost = target + 8;
		const char *ocolon = strrchr(ohost, ':');
		const char *tcolon = strrchr(thost, ':');

		if (ocolon && tcolon && ocolon - ohost == tcolon - thost &&
			strncmp(ohost, thost, ocolon - ohost) == 0 &&
			strcmp(ocolon, ":80") == 0 && strcmp(tcolon, ":443") == 0)
			return true;
	}
	foreach(lc, allowed_origins)
	{
		char	   *allowed = MlsUrlOrigin((const char *) lfirst(lc));

		if (allowed && strcmp(allowed, target) == 0)
			return true;
	}
	return false;
}

/*
 * Where the first control character (other than TAB) of a header value is,
 * or -1: a CR or LF would end the header and start another.
 */
int
MlsHeaderControlChar(const char *value)
{
	for (const unsigned char *p = (const unsigned char *) value; p && *p; p++)
	{
		if ((*p < 0x20 && *p != '\t') || *p == 0x7F)
			return (int) (p - (const unsigned char *) value);
	}
	return -1;
}

/*
 * Refuse a value that is to go into an HTTP header when it holds a control
 * character.  "what" names the value; the value itself is never repeated
 * (it may be a secret).
 */
void
MlsCheckHeaderValue(const char *value, const char *what)
{
	int			at = MlsHeaderControlChar(value);

	if (at >= 0)
	{
		const unsigned char *p = (const unsigned char *) value + at;

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s contains a control character and cannot be sent in an HTTP header",
						what),
				 errdetail("Character 0x%02X at position %d.", *p, at + 1)));
	}
}

/*
 * A link as a URI (an OData nextLink, a MediaURL), palloc'd: see
 * src/transport/uri.c for the rule.
 */
char *
MlsHttpLinkAsUri(const char *link)
{
	char	   *uri = palloc(MlsLinkAsUri(link, NULL) + 1);

	MlsLinkAsUri(link, uri);
	return uri;
}

/*
 * Resolve a possibly relative link (an OData nextLink) against the URL it
 * came from, as a URI (MlsHttpLinkAsUri), in palloc'd memory.  Returns NULL
 * when MlsUriResolve refuses it (blank, unresolvable, not http or https, or
 * not sendable).
 */
char *
MlsHttpResolveUrl(const char *base, const char *relative)
{
	char	   *link = MlsHttpLinkAsUri(relative);
	char	   *url = MlsUriResolve(base, link);
	char	   *result = NULL;

	pfree(link);
	if (url == NULL)
		return NULL;
	PG_TRY();
	{
		result = pstrdup(url);
	}
	PG_FINALLY();
	{
		curl_free(url);
	}
	PG_END_TRY();
	return result;
}

/*
 * Percent-encode text for a query string value: everything but unreserved
 * characters, so "+" travels as %2B and a space as %20.
 */
char *
MlsHttpEscape(const char *text)
{
	static const char hex[] = "0123456789ABCDEF";
	StringInfoData buf;

	initStringInfo(&buf);
	for (const unsigned char *p = (const unsigned char *) text; *p; p++)
	{
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~')
			appendStringInfoChar(&buf, (char) *p);
		else
		{
			appendStringInfoChar(&buf, '%');
			appendStringInfoChar(&buf, hex[*p >> 4]);
			appendStringInfoChar(&buf, hex[*p & 0x0f]);
		}
	}
	return buf.data;
}

/*
 * "Authorization: Basic base64(user:password)"
 */
char *
MlsHttpBasicAuthHeader(const char *user, const char *password)
{
	char	   *plain = psprintf("%s:%s", user ? user : "", password ? password : "");
	int			len = strlen(plain);
	char	   *encoded = palloc(pg_b64_enc_len(len) + 1);
	int			n = pg_b64_encode(plain, len, encoded, pg_b64_enc_len(len));
	char	   *header;

	encoded[n] = '\0';
	header = psprintf("Authorization: Basic %s", encoded);
	explicit_bzero(plain, len);
	explicit_bzero(encoded, n);
	return header;
}

/*
 * Where the value of a response header (case-insensitive name) starts, and
 * its length; NULL when absent.  Allocates nothing.
 */
static const char *
find_header(const MlsHttpResponse *response, const char *name, int *vlen)
{
	int			namelen = strlen(name);
	const char *line = response->headers.data;

	while (line && *line)
	{
		const char *end = strchr(line, '\n');
		int			len = end ? end - line : strlen(line);

		if (len > namelen && line[namelen] == ':' && pg_strncasecmp(line, name, namelen) == 0)
		{
			const char *value = line + namelen + 1;

			*vlen = len - namelen - 1;
			while (*vlen > 0 && (*value == ' ' || *value == '\t'))
				value++, (*vlen)--;
			while (*vlen > 0 && (value[*vlen - 1] == '\r' || value[*vlen - 1] == ' '))
				(*vlen)--;
			return value;
		}
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

/*
 * The value of the cookie called name that the client holds now (set by
 * any earlier response), or NULL.  RETS needs RETS-Session-ID for its
 * user-agent digest; libcurl's cookie engine keeps the cookies themselves.
 */
char *
MlsHttpCookie(MlsHttpClient *client, const char *name)
{
	struct curl_slist *cookies = NULL;
	char	   *value = NULL;

	if (curl_easy_getinfo(client->easy, CURLINFO_COOKIELIST, &cookies) != CURLE_OK)
		return NULL;
	/* Netscape format: domain, subdomains, path, secure, expiry, name, value */
	for (struct curl_slist *c = cookies; c != NULL && value == NULL; c = c->next)
	{
		const char *field = c->data;

		for (int i = 0; i < 5 && field != NULL; i++)
		{
			field = strchr(field, '\t');
			if (field)
				field++;
		}
		if (field != NULL)
		{
			const char *tab = strchr(field, '\t');

			if (tab != NULL && (size_t) (tab - field) == strlen(name) &&
				strncmp(field, name, tab - field) == 0)
			{
				/* no raising while libcurl's list is held: it would leak */
				size_t		len = strlen(tab + 1);

				value = MemoryContextAllocExtended(CurrentMemoryContext, len + 1,
												   MCXT_ALLOC_NO_OOM);
				if (value != NULL)
					memcpy(value, tab + 1, len + 1);
			}
		}
	}
	curl_slist_free_all(cookies);
	return value;
}

/*
 * Forget every cookie the client holds: a session the server ended must
 * not be presented again (RETS computes its user-agent digest from the
 * session cookie, and a Login carrying the dead one is refused).
 */
void
MlsHttpForgetCookies(MlsHttpClient *client)
{
	(void) curl_easy_setopt(client->easy, CURLOPT_COOKIELIST, "ALL");
}

/*
 * The value of a response header, or NULL.
 */
char *
MlsHttpHeader(const MlsHttpResponse *response, const char *name)
{
	int			vlen;
	const char *value = find_header(response, name, &vlen);

	return value ? pnstrdup(value, vlen) : NULL;
}

/*
 * The server's clock when it answered, from its Date header, as an ISO 8601
 * UTC timestamp to the second ("2025-06-01T12:00:00Z"); NULL when there is
 * no Date header that reads as a date.
 */
char *
MlsHttpServerTime(const MlsHttpResponse *response)
{
	char	   *date = MlsHttpHeader(response, "Date");
	time_t		t;
	struct tm	tm;
	char		buf[32];

	if (date == NULL)
		return NULL;
	t = curl_getdate(date, NULL);
	if (t <= 0 || gmtime_r(&t, &tm) == NULL ||
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return pstrdup(buf);
}

/*
 * Copy the value of a response header into buf without allocating, so a
 * sink may call it.  Returns false when the header is absent.
 */
bool
MlsHttpHeaderCopy(const MlsHttpResponse *response, const char *name, char *buf, size_t buflen)
{
	int			vlen;
	const char *value = find_header(response, name, &vlen);

	if (value == NULL)
		return false;
	vlen = Min(vlen, (int) buflen - 1);
	memcpy(buf, value, vlen);
	buf[vlen] = '\0';
	return true;
}

/*
 * libcurl header callback.  A status line starts a new response (after a
 * redirect or an authentication round), so the kept headers restart too.
 */
static size_t
header_callback(char *data, size_t size, size_t nmemb, void *userdata)
{
	MlsHttpClient *client = userdata;
	MlsHttpResponse *response = client->response;
	size_t		len = size * nmemb;

	long		status = MlsHttpStatusLine(data, len, &client->expect_status_line);

	if (status >= 0)
	{
		resetStringInfo(&response->headers);
		client->current_status = status;
		return len;
	}
	/* the challenges of every round of the request (a 401 before the 200) */
	if (len > 17 && pg_strncasecmp(data, "WWW-Authenticate:", 17) == 0)
	{
		const char *v = data + 17;
		const char *end = data + len;

		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		if (end - v >= 6 && pg_strncasecmp(v, "Digest", 6) == 0)
			response->auth_offered |= MLS_HTTP_OFFERED_DIGEST;
		else if (end - v >= 5 && pg_strncasecmp(v, "Basic", 5) == 0)
			response->auth_offered |= MLS_HTTP_OFFERED_BASIC;
	}
	/* past the room kept for headers, the rest is dropped, not an error */
	if (response->headers.len + len < (size_t) response->headers.maxlen)
	{
		memcpy(response->headers.data + response->headers.len, data, len);
		response->headers.len += len;
		response->headers.data[response->headers.len] = '\0';
	}
	return len;
}

/*
 * libcurl write callback: count, cap, and hand the body to the sink, or
 * keep it.  Returning less than len makes libcurl stop the transfer.
 */
static size_t
write_callback(char *data, size_t size, size_t nmemb, void *userdata)
{
	MlsHttpClient *client = userdata;
	MlsHttpResponse *response = client->response;
	const MlsHttpRequest *request = client->request;
	size_t		len = size * nmemb;

	client->expect_status_line = false;	/* (a trailer after the body is no status) */
	response->body_bytes += len;
	if (response->body_bytes > client->limit)
	{
		client->too_large = true;
		return 0;
	}
	/* redirect and error bodies never reach a sink */
	if (client->current_status >= 300 || request->sink == NULL)
	{
		size_t		cap = client->current_status >= 300 ? ERROR_BODY_BYTES : client->limit;

		if (!MlsBufferAppend(&response->body, data, len, cap))
		{
			/* an error body beyond what we keep is not worth failing for */
			if (client->current_status >= 300 && response->body.len >= (int) ERROR_BODY_BYTES)
				return len;
			client->out_of_memory = true;
			return 0;
		}
		return len;
	}
	switch (request->sink(request->sink_arg, data, len))
	{
		case MLS_SINK_CONSUMED:
			return len;
		case MLS_SINK_PAUSE:
			/* the data stays with libcurl until MlsHttpResume() */
			client->paused = true;
			response->body_bytes -= len;
			return CURL_WRITEFUNC_PAUSE;
		case MLS_SINK_ABORT:
			break;
	}
	client->sink_aborted = true;
	return 0;
}

/*
 * The status code of a header line libcurl hands a header callback when
 * the line is a status line, else -1.  A status line opens each response
 * of a transfer (an interim 100, a 401 before the digest round, a
 * redirect), and only the first line or one after a blank line is one: a
 * header line of a hostile server that starts with "HTTP/" is a header.
 * *expect_status carries that from line to line; it starts true for each
 * transfer, and write callbacks clear it (a trailer after the body is no
 * status line).
 */
long
MlsHttpStatusLine(const char *data, size_t len, bool *expect_status)
{
	bool		status_line = *expect_status && len >= 5 && strncmp(data, "HTTP/", 5) == 0;
	const char *space;

	*expect_status = len >= 1 && len <= 2 && (data[0] == '\r' || data[0] == '\n');
	if (!status_line)
		return -1;
	space = memchr(data, ' ', len);
	return space ? strtol(space + 1, NULL, 10) : 0;
}

/*
 * libcurl socket-open callback of every easy handle mlsync uses
 * (MlsHttpSetupEasy): the one place every connection passes, with the
 * address name resolution gave.  A denied address gets no socket, so
 * nothing at all is sent to it.
 */
static curl_socket_t
open_socket_callback(void *guardp, curlsocktype purpose, struct curl_sockaddr *address)
{
	MlsHttpGuard *guard = guardp;

	/* a proxied request was judged by its host before it began */
	if (guard->refused)
		return CURL_SOCKET_BAD;
	/* through a proxy every socket goes to it, which the superuser chose */
	if (!guard->proxied &&
		MlsNetAddressDenied(mlsync_denied_networks, mlsync_allowed_hosts, &address->addr,
							guard->host, guard->refusal, sizeof(guard->refusal)))
	{
		guard->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype, address->protocol);
}

/*
 * libcurl callback before each request is sent, on a new connection or a
 * reused one: a proxied request the guard refused is not sent on a
 * connection to the proxy that another request opened (the socket-open
 * callback sees new connections only).
 */
static int
prerequest_callback(void *guardp, char *primary_ip, char *local_ip, int primary_port,
					int local_port)
{
	MlsHttpGuard *guard = guardp;

	return guard->refused ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK;
}

/*
 * Free a multi handle, an easy handle (taken off the multi handle first
 * when attached) and a header list, any of which may be NULL; the pointers
 * are cleared.  Safe in a memory context callback: it never raises.
 */
void
MlsHttpFreeHandles(CURLM **multi, CURL **easy, bool attached, struct curl_slist **headers)
{
	if (*multi && *easy && attached)
		curl_multi_remove_handle(*multi, *easy);
	if (*easy)
		curl_easy_cleanup(*easy);
	if (*multi)
		curl_multi_cleanup(*multi);
	curl_slist_free_all(*headers);
	*easy = NULL;
	*multi = NULL;
	*headers = NULL;
}

/*
 * Memory context callback: the easy handle goes with the client.
 */
static void
client_cleanup(void *arg)
{
	MlsHttpClient *client = arg;

	MlsHttpFreeHandles(&client->multi, &client->easy, client->active, &client->headers);
}

#define SETOPT(client, option, value) MLS_CURL_SETOPT((client)->easy, option, value)

/*
 * The transport rules every libcurl easy handle of mlsync carries, whoever
 * drives it: the sync's client (below) and the media downloads and S3
 * requests (src/media/): no signals, http and https only, no redirect
 * followed by libcurl (the caller follows them with MlsHttpRedirectAllowed),
 * the network guard on every connection (its state in *guard, which must
 * live as long as the handle; MlsHttpGuardUrl before each transfer), a
 * User-Agent without control characters.  libcurl is initialized here on
 * first use.  A handle reset with curl_easy_reset() needs this again.
 */
void
MlsHttpSetupEasy(CURL *easy, const char *user_agent, MlsHttpGuard *guard)
{
	if (!curl_initialized)
	{
		if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not initialize libcurl")));
		curl_initialized = true;
	}
	MlsCheckHeaderValue(user_agent, "the User-Agent");

	/* libcurl must not use signals (SIGALRM) inside a PostgreSQL backend */
	MLS_CURL_SETOPT(easy, CURLOPT_NOSIGNAL, 1L);
	MLS_CURL_SETOPT(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	/* redirects are followed by the caller, which knows whose they are */
	MLS_CURL_SETOPT(easy, CURLOPT_FOLLOWLOCATION, 0L);
	MLS_CURL_SETOPT(easy, CURLOPT_OPENSOCKETFUNCTION, open_socket_callback);
	MLS_CURL_SETOPT(easy, CURLOPT_OPENSOCKETDATA, guard);
	MLS_CURL_SETOPT(easy, CURLOPT_PREREQFUNCTION, prerequest_callback);
	MLS_CURL_SETOPT(easy, CURLOPT_PREREQDATA, guard);

	/*
	 * The proxy of mlsync.http_proxy, or none: "" keeps libcurl from taking
	 * one from the server's environment (http_proxy, https_proxy,
	 * ALL_PROXY), whose address alone the guard would then see, and an
	 * empty no-proxy list from letting NO_PROXY send some hosts around the
	 * proxy the guard counts on.
	 */
	guard->proxied = mlsync_http_proxy != NULL && mlsync_http_proxy[0] != '\0';
	MLS_CURL_SETOPT(easy, CURLOPT_PROXY, guard->proxied ? mlsync_http_proxy : "");
	MLS_CURL_SETOPT(easy, CURLOPT_NOPROXY, "");
	MLS_CURL_SETOPT(easy, CURLOPT_TCP_KEEPALIVE, 1L);
	MLS_CURL_SETOPT(easy, CURLOPT_USERAGENT, user_agent);
}

/*
 * Prepare a guard for a transfer of url: its host name (which
 * mlsync.allowed_hosts may name), nothing refused yet.  Through a proxy,
 * which resolves names itself, the host is judged here by what it says
 * (MlsNetHostDenied), and a refused transfer opens no socket and sends no
 * request (the callbacks above).
 */
void
MlsHttpGuardUrl(MlsHttpGuard *guard, const char *url)
{
	CURLU	   *handle = curl_url();
	char	   *host = NULL;

	guard->host[0] = '\0';
	guard->refused = false;
	guard->refusal[0] = '\0';
	if (handle != NULL && curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK &&
		curl_url_get(handle, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		strlcpy(guard->host, host, sizeof(guard->host));
	curl_free(host);
	curl_url_cleanup(handle);
	if (guard->proxied &&
		MlsNetHostDenied(mlsync_denied_networks, mlsync_allowed_hosts, guard->host,
						 guard->refusal, sizeof(guard->refusal)))
		guard->refused = true;
}

/*
 * Refuse the transfer that just ended: the guard says why, and the
 * transfer's outcome is a refusal.
 */
static void
refuse(MlsHttpGuard *guard, const char *fmt,...) pg_attribute_printf(2, 3);

static void
refuse(MlsHttpGuard *guard, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(guard->refusal, sizeof(guard->refusal), fmt, ap);
	va_end(ap);
	guard->refused = true;
}

/*
 * The redirect the transfer that just ended on easy asks for: its absolute
 * target (palloc'd) and its status, or NULL when the response is not a
 * redirect (301, 302, 303, 307, 308 with a Location).
 */
char *
MlsHttpRedirectLocation(CURL *easy, long *status)
{
	char	   *location = NULL;

	*status = 0;
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, status);
	if (*status != 301 && *status != 302 && *status != 303 && *status != 307 && *status != 308)
		return NULL;
	if (curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location) != CURLE_OK ||
		location == NULL)
		return NULL;
	return pstrdup(location);
}

/*
 * Whether a redirect (status, to target) may be followed, by mlsync's
 * rules: at most MAX_REDIRECTS per request (*redirects counts them), only
 * to http or https, and, when the request holds something to its origin
 * (held says why: its credentials, say; NULL when nothing), only to that
 * origin, its https upgrade or one of allowed_origins.  A request body
 * never goes to another origin.  *to_get says whether the redirect turns
 * the request into a GET (a 303, or a 301 or 302 of a request with a
 * body).  A refusal is recorded in the guard.
 */
bool
MlsHttpRedirectAllowed(MlsHttpGuard *guard, const char *target, long status, int *redirects,
					   const char *origin, List *allowed_origins, const char *held,
					   bool has_body, bool *to_get)
{
	bool		same_origin;

	if (++(*redirects) > MAX_REDIRECTS)
	{
		refuse(guard, "more than %d redirects", MAX_REDIRECTS);
		return false;
	}
	if (MlsUrlOrigin(target) == NULL)
	{
		refuse(guard, "a redirect to a URL that is not http or https");
		return false;
	}
	same_origin = MlsOriginAllowed(target, origin, allowed_origins);
	*to_get = status == 303 || ((status == 301 || status == 302) && has_body);
	if (!same_origin && held != NULL)
	{
		refuse(guard, "a redirect from %s to another origin (%s): %s",
			   origin ? origin : "?", MlsUrlOrigin(target), held);
		return false;
	}
	if (!same_origin && has_body && !*to_get)
	{
		refuse(guard, "a redirect (HTTP %ld) that would send the request body to another origin (%s)",
			   status, MlsUrlOrigin(target));
		return false;
	}
	return true;
}

/*
 * Create a client in the current memory context.  It lives, with its
 * connections and cookies, until that context is reset or deleted.
 */
MlsHttpClient *
MlsHttpClientCreate(const char *user_agent)
{
	MlsHttpClient *client = palloc0(sizeof(MlsHttpClient));

	client->easy = curl_easy_init();
	client->multi = curl_multi_init();
	if (client->easy == NULL || client->multi == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not create a libcurl handle")));
	client->cleanup.func = client_cleanup;
	client->cleanup.arg = client;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &client->cleanup);

	MlsHttpSetupEasy(client->easy, user_agent, &client->guard);
	/* "" offers every encoding libcurl can decode; NULL offers none */
	SETOPT(client, CURLOPT_ACCEPT_ENCODING, mlsync_http_compression ? "" : (char *) NULL);
	SETOPT(client, CURLOPT_COOKIEFILE, "");
	SETOPT(client, CURLOPT_HEADERFUNCTION, header_callback);
	SETOPT(client, CURLOPT_HEADERDATA, client);
	SETOPT(client, CURLOPT_WRITEFUNCTION, write_callback);
	SETOPT(client, CURLOPT_WRITEDATA, client);
	SETOPT(client, CURLOPT_ERRORBUFFER, client->errbuf);
	return client;
}

/*
 * pfree a pointer that may be NULL.
 */
static void
pfree_if(void *pointer)
{
	if (pointer)
		pfree(pointer);
}

/*
 * Remember the URL being fetched and give its host name to the network
 * guard (which matches host names of mlsync.allowed_hosts against it); the
 * URL is also what error contexts show.
 */
static void
set_url(MlsHttpClient *client, const char *url)
{
	MemoryContext cxt = GetMemoryChunkContext(client);

	pfree_if(client->url);
	client->url = MemoryContextStrdup(cxt, url);
	pfree_if(client->last_url);
	client->last_url = MemoryContextStrdup(cxt, url);
	MlsHttpGuardUrl(&client->guard, url);
}

/*
 * Start a request.  *response is initialized here, in the current memory
 * context.  Drive it with MlsHttpStep() until that returns false.
 */
void
MlsHttpBegin(MlsHttpClient *client, const MlsHttpRequest *request,
			 MlsHttpResponse *response)
{
	CURLMcode	mrc;

	Assert(!client->active);
	memset(response, 0, sizeof(*response));
	initStringInfo(&response->body);
	response->headers.data = palloc(HEADER_BUFFER_BYTES);
	response->headers.maxlen = HEADER_BUFFER_BYTES;
	response->headers.len = 0;
	response->headers.data[0] = '\0';

	/* nothing is sent when a header would carry a control character */
	for (int i = 0; i < MLS_HTTP_MAX_HEADERS && request->headers[i]; i++)
	{
		const char *colon = strchr(request->headers[i], ':');
		char	   *name = pnstrdup(request->headers[i],
									colon ? colon - request->headers[i] : strlen(request->headers[i]));

		MlsCheckHeaderValue(request->headers[i], psprintf("the %s header", name));
	}

	client->request = request;
	client->response = response;
	set_url(client, request->url);
	pfree_if(client->origin);
	client->origin = MlsUrlOrigin(request->url);
	if (client->origin)
		client->origin = MemoryContextStrdup(GetMemoryChunkContext(client), client->origin);
	client->redirects = 0;
	client->redirect_wire_bytes = 0;
	client->limit = request->max_body_bytes > 0 ? request->max_body_bytes :
		(uint64) mlsync_max_response_bytes * 1024;
	client->current_status = 0;
	client->expect_status_line = true;
	client->too_large = client->sink_aborted = client->out_of_memory = false;
	client->timed_out = client->paused = false;
	client->active_ms = 0;
	client->errbuf[0] = '\0';

	curl_slist_free_all(client->headers);
	client->headers = NULL;
	for (int i = 0; i < MLS_HTTP_MAX_HEADERS && request->headers[i]; i++)
	{
		struct curl_slist *appended = curl_slist_append(client->headers, request->headers[i]);

		if (appended == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		client->headers = appended;
	}
	SETOPT(client, CURLOPT_URL, client->url);
	SETOPT(client, CURLOPT_HTTPHEADER, client->headers);
	SETOPT(client, CURLOPT_CONNECTTIMEOUT, (long) mlsync_connect_timeout);
	if (request->body != NULL)
	{
		SETOPT(client, CURLOPT_POST, 1L);
		SETOPT(client, CURLOPT_COPYPOSTFIELDS, request->body);
	}
	else
		SETOPT(client, CURLOPT_HTTPGET, 1L);
	if (request->auth == MLS_HTTP_AUTH_NONE)
	{
		SETOPT(client, CURLOPT_HTTPAUTH, CURLAUTH_NONE);
		SETOPT(client, CURLOPT_USERNAME, (char *) NULL);
		SETOPT(client, CURLOPT_PASSWORD, (char *) NULL);
	}
	else
	{
		unsigned long auth = request->auth == MLS_HTTP_AUTH_BASIC ? CURLAUTH_BASIC :
			request->auth == MLS_HTTP_AUTH_DIGEST ? CURLAUTH_DIGEST :
			(CURLAUTH_BASIC | CURLAUTH_DIGEST);

		SETOPT(client, CURLOPT_HTTPAUTH, auth);
		SETOPT(client, CURLOPT_USERNAME, request->username ? request->username : "");
		SETOPT(client, CURLOPT_PASSWORD, request->password ? request->password : "");
	}

	mrc = curl_multi_add_handle(client->multi, client->easy);
	if (mrc != CURLM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not start an HTTP transfer: %s", curl_multi_strerror(mrc))));
	client->active = true;
}

/*
 * The URL of the last request begun, or NULL: what an error context names.
 */
const char *
MlsHttpLastUrl(const MlsHttpClient *client)
{
	return client ? client->last_url : NULL;
}

/*
 * Take the transfer off the multi handle.  The header list and the
 * password must not outlive the request.
 */
static void
detach_transfer(MlsHttpClient *client)
{
	curl_multi_remove_handle(client->multi, client->easy);
	client->active = false;
	client->paused = false;
	curl_easy_setopt(client->easy, CURLOPT_HTTPHEADER, (struct curl_slist *) NULL);
	curl_easy_setopt(client->easy, CURLOPT_PASSWORD, (char *) NULL);
	curl_slist_free_all(client->headers);
	client->headers = NULL;
	client->request = NULL;
	client->response = NULL;
}

/*
 * Fill the response's outcome and metadata once the transfer has ended.
 */
static void
finish_transfer(MlsHttpClient *client, CURLcode rc)
{
	MlsHttpResponse *response = client->response;
	long		status = 0;
	char	   *content_type = NULL;
	curl_off_t	retry_after = 0;
	curl_off_t	downloaded = 0;
	long		header_size = 0;

	curl_easy_getinfo(client->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(client->easy, CURLINFO_CONTENT_TYPE, &content_type);
	curl_easy_getinfo(client->easy, CURLINFO_RETRY_AFTER, &retry_after);
	curl_easy_getinfo(client->easy, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
	curl_easy_getinfo(client->easy, CURLINFO_HEADER_SIZE, &header_size);
	response->status = status;
	response->content_type = content_type ? pstrdup(content_type) : NULL;
	/* before libcurl 8.12 a date in the past gives a negative value */
	response->retry_after = Max(retry_after, 0);
	response->wire_bytes = (uint64) downloaded + (uint64) header_size +
		client->redirect_wire_bytes;

	if (client->guard.refused)
		response->outcome = MLS_HTTP_REFUSED;
	else if (client->timed_out)
		response->outcome = MLS_HTTP_TIMEOUT;
	else if (rc == CURLE_OK)
		response->outcome = MLS_HTTP_OK;
	else if (client->too_large)
		response->outcome = MLS_HTTP_TOO_LARGE;
	else if (client->sink_aborted)
		response->outcome = MLS_HTTP_SINK_ABORTED;
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		response->outcome = MLS_HTTP_TIMEOUT;
	else if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ||
			 rc == CURLE_TOO_MANY_REDIRECTS || client->out_of_memory)
		response->outcome = MLS_HTTP_BAD_REQUEST;
	else
		response->outcome = MLS_HTTP_NETWORK;

	if (response->outcome == MLS_HTTP_REFUSED)
		snprintf(response->error, sizeof(response->error), "request refused: %s",
				 client->guard.refusal);
	else if (response->outcome == MLS_HTTP_TIMEOUT && client->timed_out)
		snprintf(response->error, sizeof(response->error),
				 "no complete response within mlsync.http_timeout (%d s)", mlsync_http_timeout);
	else if (response->outcome == MLS_HTTP_TOO_LARGE && client->request->max_body_bytes > 0)
		snprintf(response->error, sizeof(response->error),
				 "response body larger than the " UINT64_FORMAT " kB this kind of request accepts",
				 client->limit / 1024);
	else if (response->outcome == MLS_HTTP_TOO_LARGE)
		snprintf(response->error, sizeof(response->error),
				 "response body larger than mlsync.max_response_bytes (%d kB)",
				 mlsync_max_response_bytes);
	else if (client->out_of_memory)
		snprintf(response->error, sizeof(response->error), "out of memory for the response body");
	else if (rc != CURLE_OK)
		snprintf(response->error, sizeof(response->error), "%s",
				 client->errbuf[0] ? client->errbuf : curl_easy_strerror(rc));

	detach_transfer(client);
}

/*
 * Whether the request carries credentials: authentication, an
 * Authorization or Cookie header, or cookies the client keeps (a session).
 */
static bool
carries_credentials(MlsHttpClient *client)
{
	const MlsHttpRequest *request = client->request;
	struct curl_slist *cookies = NULL;
	bool		result = request->auth != MLS_HTTP_AUTH_NONE;

	for (int i = 0; i < MLS_HTTP_MAX_HEADERS && request->headers[i] && !result; i++)
		result = pg_strncasecmp(request->headers[i], "Authorization:", 14) == 0 ||
			pg_strncasecmp(request->headers[i], "Cookie:", 7) == 0;
	if (!result && curl_easy_getinfo(client->easy, CURLINFO_COOKIELIST, &cookies) == CURLE_OK)
		result = cookies != NULL;
	curl_slist_free_all(cookies);
	return result;
}

/*
 * The transfer ended with a redirect: follow it (true, the transfer goes
 * on with the target) or not (false: the redirect is the answer, or it was
 * refused, MlsHttpRedirectAllowed).  Credentials stay on their origin.
 */
static bool
follow_redirect(MlsHttpClient *client)
{
	const MlsHttpRequest *request = client->request;
	long		status;
	char	   *target;
	bool		to_get;
	curl_off_t	downloaded = 0;
	long		header_size = 0;
	CURLMcode	mrc;

	if (request->no_redirects)
		return false;
	target = MlsHttpRedirectLocation(client->easy, &status);
	if (target == NULL)
		return false;
	if (!MlsHttpRedirectAllowed(&client->guard, target, status, &client->redirects,
								client->origin, request->allowed_origins,
								carries_credentials(client) ?
								"credentials are sent only to the origin they were configured for" : NULL,
								request->body != NULL, &to_get))
		return false;

	curl_easy_getinfo(client->easy, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
	curl_easy_getinfo(client->easy, CURLINFO_HEADER_SIZE, &header_size);
	client->redirect_wire_bytes += (uint64) downloaded + (uint64) header_size;
	curl_multi_remove_handle(client->multi, client->easy);
	set_url(client, target);
	SETOPT(client, CURLOPT_URL, client->url);
	if (to_get)
		SETOPT(client, CURLOPT_HTTPGET, 1L);
	resetStringInfo(&client->response->body);
	client->response->body_bytes = 0;
	client->current_status = 0;
	client->expect_status_line = true;
	mrc = curl_multi_add_handle(client->multi, client->easy);
	if (mrc != CURLM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not follow a redirect: %s", curl_multi_strerror(mrc))));
	return true;
}

/*
 * Drive the transfer: returns false when it has ended (the response is then
 * complete), true when the sink paused it (consume, then MlsHttpResume()).
 * Interrupts are checked at least every 100 ms while waiting on the network;
 * mlsync.http_timeout bounds the time spent on the network, not the time a
 * paused transfer waits for its caller.
 */
bool
MlsHttpStep(MlsHttpClient *client)
{
	Assert(client->active);
	for (;;)
	{
		int			running = 0;
		int			queued;
		CURLMsg    *msg;
		CURLMcode	mrc;
		instr_time	start,
					elapsed;

		CHECK_FOR_INTERRUPTS();
		INSTR_TIME_SET_CURRENT(start);
		mrc = curl_multi_perform(client->multi, &running);
		if (mrc != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("HTTP transfer failed: %s", curl_multi_strerror(mrc))));
		while ((msg = curl_multi_info_read(client->multi, &queued)) != NULL)
		{
			if (msg->msg == CURLMSG_DONE && msg->easy_handle == client->easy)
			{
				if (msg->data.result == CURLE_OK && follow_redirect(client))
					break;
				finish_transfer(client, msg->data.result);
				return false;
			}
		}
		if (client->paused)
			return true;
		mrc = curl_multi_poll(client->multi, NULL, 0, 100, NULL);
		if (mrc != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("HTTP transfer failed: %s", curl_multi_strerror(mrc))));
		INSTR_TIME_SET_CURRENT(elapsed);
		INSTR_TIME_SUBTRACT(elapsed, start);
		client->active_ms += (int64) INSTR_TIME_GET_MILLISEC(elapsed);
		if (client->active_ms > (int64) mlsync_http_timeout * 1000)
		{
			client->timed_out = true;
			finish_transfer(client, CURLE_OPERATION_TIMEDOUT);
			return false;
		}
	}
}

/*
 * Whether the sink paused the transfer.
 */
bool
MlsHttpPaused(MlsHttpClient *client)
{
	return client->active && client->paused;
}

/*
 * Resume a paused transfer.  libcurl may hand the held data to the sink
 * right here.
 */
void
MlsHttpResume(MlsHttpClient *client)
{
	CURLcode	rc;

	Assert(client->active && client->paused);
	client->paused = false;
	rc = curl_easy_pause(client->easy, CURLPAUSE_CONT);
	if (rc != CURLE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not resume an HTTP transfer: %s", curl_easy_strerror(rc))));
}

/*
 * Drop a transfer that was begun and not driven to its end (a run that
 * failed while reading), so the client can send another request.
 */
void
MlsHttpAbort(MlsHttpClient *client)
{
	if (client->active)
		detach_transfer(client);
}

/*
 * Perform a whole request whose body is small or goes to a sink that never
 * pauses (tokens, RETS login, error bodies).
 */
void
MlsHttpPerform(MlsHttpClient *client, const MlsHttpRequest *request,
			   MlsHttpResponse *response)
{
	MlsHttpBegin(client, request, response);
	while (MlsHttpStep(client))
	{
		/* a sink that pauses needs a caller that consumes: resume blindly */
		MlsHttpResume(client);
	}
}
