/*-------------------------------------------------------------------------
 *
 * uri.c
 *	  A link as servers write it (an OData nextLink, a MediaURL, a RETS
 *	  capability URL), made a URI that libcurl takes as the server meant it.
 *
 * Servers that echo the decoded request write spaces, quotes and non-ASCII
 * characters into their links (IRIs, such as "$filter=City eq 'Sao Paulo'"
 * with an accent as UTF-8); libcurl refuses an absolute URL with a space
 * and turns a space in the query of a relative one into "+", which a server
 * reads back as a plus.  So: spaces and control characters around the link
 * go, as a browser drops them; then what a URI cannot hold is
 * percent-encoded as UTF-8 bytes (a space, a non-ASCII byte, and
 * " < > \ ^ ` { | }), and nothing else: existing escapes and the reserved
 * characters travel as the server wrote them.  A "+" does too, unless the
 * query (from "?" to "#") holds a raw space: it was then written decoded,
 * where a "+" (the offset of a timestamp) is a plus and a "%" not followed
 * by two hex digits a percent sign, and in the query they go back as %2B
 * and %25.  Control characters inside are left for libcurl to refuse.
 *
 * MlsUriResolve resolves such a URI against the URL it came from, with
 * libcurl's URL parser: one rule for nextLinks and capability URLs.
 *
 * Plain C, without server state: src/rets/parse/ and the fuzzers link it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <curl/curl.h>

#include "transport/uri.h"

/* An ASCII hex digit, whatever the locale */
static bool
is_hex_digit(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * The query of a link, from its "?" to its "#" or its end (both NULL when
 * it has none).
 */
static void
find_query(const unsigned char *start, const unsigned char *end,
		   const unsigned char **query, const unsigned char **query_end)
{
	const unsigned char *fragment = memchr(start, '#', end - start);

	*query_end = fragment ? fragment : end;
	*query = memchr(start, '?', *query_end - start);
	if (*query == NULL)
		*query_end = NULL;
}

/*
 * Write the link as a URI into out, NUL-terminated, and return its length
 * (without the NUL).  With out NULL, only the length: the caller allocates
 * that plus one byte and calls again.
 */
size_t
MlsLinkAsUri(const char *link, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *start = (const unsigned char *) link;
	const unsigned char *end = start + strlen(link);
	const unsigned char *query;
	const unsigned char *query_end;
	bool		decoded = false;
	size_t		n = 0;

	while (start < end && *start <= ' ')
		start++;
	while (end > start && end[-1] <= ' ')
		end--;
	find_query(start, end, &query, &query_end);
	for (const unsigned char *p = query; p != NULL && p < query_end; p++)
		decoded = decoded || *p == ' ';

	for (const unsigned char *p = start; p < end; p++)
	{
		bool		in_decoded_query = decoded && p > query && p < query_end;
		bool		escape_sign = end - p > 2 && is_hex_digit(p[1]) && is_hex_digit(p[2]);

		if (*p >= 0x80 || strchr(" \"<>\\^`{|}", *p) != NULL ||
			(in_decoded_query && (*p == '+' || (*p == '%' && !escape_sign))))
		{
			if (out)
			{
				out[n] = '%';
				out[n + 1] = hex[*p >> 4];
				out[n + 2] = hex[*p & 0x0f];
			}
			n += 3;
		}
		else
		{
			if (out)
				out[n] = (char) *p;
			n++;
		}
	}
	if (out)
		out[n] = '\0';
	return n;
}

/*
 * Whether a URL libcurl resolved can go on a request line: no space,
 * control character or DEL.  A resolved URL can hold one that the link did
 * not: libcurl decodes the escapes of a host ("http://a%7fb/").
 */
bool
MlsUriIsSendable(const char *url)
{
	for (const unsigned char *p = (const unsigned char *) url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

/*
 * Resolve uri (a link made a URI by MlsLinkAsUri) against base (RFC 3986;
 * with base NULL, uri must be absolute) and return the absolute URL in
 * libcurl's memory (the caller copies it and curl_free()s it), or NULL when
 * uri is empty, cannot be resolved, is not http or https, or could not go
 * on a request line.  An empty reference would resolve to the base itself
 * (a service root that answers 200), not to another page.  Never raises.
 */
char *
MlsUriResolve(const char *base, const char *uri)
{
	CURLU	   *handle;
	char	   *scheme = NULL;
	char	   *url = NULL;
	char	   *result = NULL;

	if (uri[0] == '\0' || (handle = curl_url()) == NULL)
		return NULL;
	if ((base == NULL || curl_url_set(handle, CURLUPART_URL, base, 0) == CURLUE_OK) &&
		curl_url_set(handle, CURLUPART_URL, uri, 0) == CURLUE_OK &&
		curl_url_get(handle, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		(pg_strcasecmp(scheme, "http") == 0 || pg_strcasecmp(scheme, "https") == 0) &&
		curl_url_get(handle, CURLUPART_URL, &url, 0) == CURLUE_OK &&
		MlsUriIsSendable(url))
		result = url;
	else
		curl_free(url);
	curl_free(scheme);
	curl_url_cleanup(handle);
	return result;
}
