/*-------------------------------------------------------------------------
 *
 * http.h
 *	  HTTP for mlsync: libcurl only, no SQL, no MLS protocol.
 *
 * A client is one libcurl easy handle kept for a whole run, so connections
 * are reused (keep-alive) and cookies kept (RETS sessions).  Transfers run
 * on a multi handle driven by our own loop (MlsHttpStep), so a caller can
 * stream a response: the sink pauses the transfer when it holds enough,
 * the caller consumes it between steps (outside libcurl, where errors may
 * be raised and SPI used), then resumes.  Memory stays bounded by what the
 * sink holds, whatever the size of the response.  Its handle is
 * freed when the memory context it was created in goes away, which covers
 * every error path.  Transport failures never raise: they are reported in
 * the response for the caller to classify, retry or log.  Only interrupts
 * (cancel, terminate) raise, and only after libcurl has returned.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_HTTP_H
#define MLSYNC_HTTP_H

#include <curl/curl.h>

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

typedef struct MlsHttpClient MlsHttpClient;

typedef enum MlsHttpAuth
{
	MLS_HTTP_AUTH_NONE,
	MLS_HTTP_AUTH_BASIC,
	MLS_HTTP_AUTH_DIGEST,
	MLS_HTTP_AUTH_ANY			/* Digest or Basic, whichever the server asks */
} MlsHttpAuth;

/*
 * What a sink did with a chunk of the body.  PAUSE leaves the chunk
 * unconsumed: libcurl delivers it again after MlsHttpResume().
 */
typedef enum MlsSinkResult
{
	MLS_SINK_CONSUMED,
	MLS_SINK_PAUSE,
	MLS_SINK_ABORT
} MlsSinkResult;

/*
 * Receives the response body of a successful (status < 400) response in
 * chunks, already decompressed.  Runs inside libcurl: it must not raise an
 * error, check interrupts, allocate memory that can raise, or use SPI; it
 * records failures in its own state.  The response's status and headers are
 * known when it is first called (MlsHttpHeaderCopy reads them safely).
 */
typedef MlsSinkResult (*MlsHttpSink) (void *arg, const char *data, size_t len);

#define MLS_HTTP_MAX_HEADERS 8

/*
 * A request.  Credentials (auth, an Authorization header, the client's
 * cookies) belong to the origin (scheme, host, port) of url: a redirect to
 * another origin is followed only when the request carries none of them,
 * or when the target's origin is in allowed_origins (an https upgrade of
 * the same host counts as the same origin).  A zeroed request follows
 * redirects and is capped by mlsync.max_response_bytes.
 */
typedef struct MlsHttpRequest
{
	const char *method;			/* "GET" (default) or "POST" */
	const char *url;
	const char *headers[MLS_HTTP_MAX_HEADERS];	/* "Name: value", NULL-ended */
	const char *body;			/* POST body, or NULL */
	MlsHttpAuth auth;
	const char *username;
	const char *password;
	MlsHttpSink sink;			/* NULL: the body is kept in response->body */
	void	   *sink_arg;
	bool		no_redirects;	/* a 3xx is the answer (token requests) */
	uint64		max_body_bytes; /* cap for this request; 0: the setting */
	List	   *allowed_origins;	/* of char *: origins credentials may go to */
} MlsHttpRequest;

/* What a request came back with */
typedef enum MlsHttpOutcome
{
	MLS_HTTP_OK,				/* a response arrived (any status) */
	MLS_HTTP_NETWORK,			/* connection failed, reset, truncated */
	MLS_HTTP_TIMEOUT,			/* connect or total timeout */
	MLS_HTTP_TOO_LARGE,			/* body exceeded mlsync.max_response_bytes */
	MLS_HTTP_SINK_ABORTED,		/* the sink asked to stop */
	MLS_HTTP_BAD_REQUEST,		/* libcurl refused the request (URL, option) */
	MLS_HTTP_REFUSED			/* mlsync refused it: a denied network, or a
								 * redirect that would carry credentials to
								 * another origin */
} MlsHttpOutcome;

typedef struct MlsHttpResponse
{
	MlsHttpOutcome outcome;
	long		status;			/* HTTP status, 0 when none arrived */
	char		error[CURL_ERROR_SIZE + 64];	/* transport error, when not OK */
	char	   *content_type;	/* Content-Type, or NULL */
	int64		retry_after;	/* seconds the server asked to wait, or 0 */
	uint64		body_bytes;		/* body bytes after decompression */
	uint64		wire_bytes;		/* bytes received (headers and body as sent) */
	StringInfoData body;		/* the body, when the request had no sink */
	StringInfoData headers;		/* response headers, "Name: value\n" each */
	int			auth_offered;	/* MLS_HTTP_OFFERED_* the server's challenges named */
} MlsHttpResponse;

/*
 * Set a libcurl option that cannot fail on a valid handle, or raise saying
 * which one failed.  Outside libcurl callbacks only.
 */
#define MLS_CURL_SETOPT(easy, option, value) \
	do { \
		CURLcode _rc = curl_easy_setopt((easy), (option), (value)); \
		if (_rc != CURLE_OK) \
			ereport(ERROR, \
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION), \
					 errmsg("could not set libcurl option %s: %s", #option, \
							curl_easy_strerror(_rc)))); \
	} while (0)

/*
 * The network guard and redirect state of one libcurl easy handle, for
 * every handle mlsync uses (MlsHttpSetupEasy): the host name of the URL
 * being fetched (mlsync.allowed_hosts may name it), whether the handle
 * goes through mlsync.http_proxy, and whether the guard or the redirect
 * rules refused the transfer, and why.  Written inside libcurl callbacks,
 * so it holds fixed buffers only.
 */
typedef struct MlsHttpGuard
{
	char		host[256];
	bool		proxied;
	bool		refused;
	char		refusal[300];
} MlsHttpGuard;

/* Authentication schemes a server offered (WWW-Authenticate) during a request */
#define MLS_HTTP_OFFERED_BASIC	0x01
#define MLS_HTTP_OFFERED_DIGEST 0x02

extern char *MlsCheckUrl(const char *url, const char *what);
extern char *MlsUrlOrigin(const char *url);
extern bool MlsOriginAllowed(const char *url, const char *origin, List *allowed_origins);
extern int	MlsHeaderControlChar(const char *value);
extern void MlsCheckHeaderValue(const char *value, const char *what);
extern long MlsHttpStatusLine(const char *data, size_t len, bool *expect_status);
extern void MlsHttpSetupEasy(CURL *easy, const char *user_agent, MlsHttpGuard *guard);
extern void MlsHttpFreeHandles(CURLM **multi, CURL **easy, bool attached,
							   struct curl_slist **headers);
extern void MlsHttpGuardUrl(MlsHttpGuard *guard, const char *url);
extern char *MlsHttpRedirectLocation(CURL *easy, long *status);
extern bool MlsHttpRedirectAllowed(MlsHttpGuard *guard, const char *target, long status,
								   int *redirects, const char *origin, List *allowed_origins,
								   const char *held, bool has_body, bool *to_get);
extern MlsHttpClient *MlsHttpClientCreate(const char *user_agent);
extern void MlsHttpPerform(MlsHttpClient *client, const MlsHttpRequest *request,
						   MlsHttpResponse *response);
extern void MlsHttpBegin(MlsHttpClient *client, const MlsHttpRequest *request,
						 MlsHttpResponse *response);
extern bool MlsHttpStep(MlsHttpClient *client);
extern bool MlsHttpPaused(MlsHttpClient *client);
extern void MlsHttpResume(MlsHttpClient *client);
extern void MlsHttpAbort(MlsHttpClient *client);
extern char *MlsHttpHeader(const MlsHttpResponse *response, const char *name);
extern char *MlsHttpCookie(MlsHttpClient *client, const char *name);
extern void MlsHttpForgetCookies(MlsHttpClient *client);
extern char *MlsHttpServerTime(const MlsHttpResponse *response);
extern bool MlsHttpHeaderCopy(const MlsHttpResponse *response, const char *name,
							  char *buf, size_t buflen);
extern const char *MlsHttpLastUrl(const MlsHttpClient *client);
extern char *MlsHttpLinkAsUri(const char *link);
extern char *MlsHttpResolveUrl(const char *base, const char *relative);
extern char *MlsHttpEscape(const char *text);
extern char *MlsHttpBasicAuthHeader(const char *user, const char *password);

#endif							/* MLSYNC_HTTP_H */
