/*-------------------------------------------------------------------------
 *
 * rets_session.c
 *	  A RETS session over HTTP (docs/protocols.md R1-R3, R6, R10).
 *
 * Login goes to the connection's endpoint with HTTP Digest or Basic,
 * whichever the server asks for (or what the connection forces); a server
 * that answers 401 without any challenge gets Basic credentials up front.
 * The Login body's capability URLs are where every later transaction goes.
 * libcurl's cookie engine returns the session cookies; the session reads
 * RETS-Session-ID back from it for the user-agent digest, which is
 * recomputed for every request.  The RETS-Version the server answers with
 * is sent from then on, when it is one (RETS/<digits>(.<digits>)+): a
 * hostile header must not become part of ours.
 *
 * Credentials stay with the Login's origin (scheme, host, port): a
 * capability URL on another origin is refused unless the connection's
 * allowed_origins names it, and the authentication scheme the server asked
 * for at Login is pinned for the session, so a host answering "401 Basic"
 * later never gets the password in clear; Basic is never sent to another
 * origin at all.  Login, Logout and Action answers are capped at 1 MB,
 * metadata at mlsync.max_metadata_bytes.
 *
 * Every answer goes through RetsSessionJudge, which decides between
 * reading it, sending the request again (after a backoff, or after one
 * re-login on HTTP 401 or ReplyCode 20037) and failing the run, and notes
 * what it recovered from.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "mlsync.h"
#include "rets/rets_auth.h"
#include "rets/rets_codes.h"
#include "rets/parse/rets_compact.h"
#include "rets/parse/rets_login.h"
#include "rets/rets_session.h"


/*
 * Whether a RETS-Version header value is one: RETS/<digits>(.<digits>)+.
 */
static bool
is_rets_version(const char *value)
{
	const char *p = value;
	int			parts = 0;

	if (strncmp(p, "RETS/", 5) != 0)
		return false;
	p += 5;
	for (;;)
	{
		if (!isdigit((unsigned char) *p))
			return false;
		while (isdigit((unsigned char) *p))
			p++;
		parts++;
		if (*p == '\0')
			return parts >= 2;
		if (*p != '.')
			return false;
		p++;
	}
}

/*
 * Create the session of a source (nothing is sent yet).
 */
RetsSession *
RetsSessionCreate(MlsSource *source)
{
	MlsSourceConfig *config = source->config;
	RetsSession *session = MemoryContextAllocZero(source->cxt, sizeof(RetsSession));

	session->source = source;
	session->cxt = source->cxt;
	session->login_url = config->endpoint;
	session->login_origin = MlsUrlOrigin(config->endpoint);
	session->version = config->rets_version;
	if (strcmp(config->rets_http_auth, "digest") == 0)
		session->auth = MLS_HTTP_AUTH_DIGEST;
	else if (strcmp(config->rets_http_auth, "basic") == 0)
		session->auth = MLS_HTTP_AUTH_BASIC;
	else
		session->auth = MLS_HTTP_AUTH_ANY;
	return session;
}

/*
 * Fill a request for url with the transaction's arguments (already
 * percent-encoded): in the query string for GET, as a form body for POST,
 * with the headers every RETS request carries.
 */
void
RetsSessionPrepare(RetsSession *session, MlsHttpRequest *request,
				   const char *url, const char *args)
{
	MlsSourceConfig *config = session->source->config;
	/* the switch to POST concerns requests with arguments (not Login or Logout) */
	bool		post = (session->post && args != NULL && args[0] != '\0') ||
		strcmp(config->rets_method, "POST") == 0;
	int			h = 0;

	memset(request, 0, sizeof(*request));
	if (post)
	{
		request->method = "POST";
		request->url = url;
		request->body = args ? args : "";
		request->headers[h++] = "Content-Type: application/x-www-form-urlencoded";
	}
	else
	{
		request->method = "GET";
		request->url = (args && args[0]) ?
			psprintf("%s%c%s", url, strchr(url, '?') ? '&' : '?', args) : url;
	}
	request->headers[h++] = "Accept: */*";
	request->headers[h++] = psprintf("RETS-Version: %s", session->version);
	if (config->ua_password != NULL)
	{
		char		digest[RETS_UA_DIGEST_LEN];
		const char *problem = NULL;
		char	   *session_id = MlsHttpCookie(session->source->http, "RETS-Session-ID");

		/* the session id is empty until a Login set the cookie (RCP-36) */
		if (!RetsUaAuthDigest(config->user_agent, config->ua_password, "",
							  session_id ? session_id : "", session->version, false,
							  digest, &problem))
			MlsSourceFail(session->source, MLS_ERR_CONFIG, 0, -1, NULL,
						  "cannot compute RETS-UA-Authorization: %s", problem);
		request->headers[h++] = psprintf("RETS-UA-Authorization: Digest %s", digest);
	}
	request->auth = session->auth;
	request->username = config->username;
	request->password = config->password;
	request->allowed_origins = config->allowed_origins;

	/* the password goes to the Login's origin, or to one the connection allows */
	if (!MlsOriginAllowed(request->url, session->login_origin, NULL))
	{
		if (!MlsOriginAllowed(request->url, session->login_origin, config->allowed_origins))
			MlsSourceFail(session->source, MLS_ERR_CONFIG, 0, -1, NULL,
						  "a RETS capability URL is on another origin (%s) than the Login (%s); the session's credentials are not sent there",
						  MlsUrlOrigin(request->url) ? MlsUrlOrigin(request->url) : "?",
						  session->login_origin ? session->login_origin : "?");
		if (session->auth == MLS_HTTP_AUTH_BASIC)
			MlsSourceFail(session->source, MLS_ERR_CONFIG, 0, -1, NULL,
						  "the RETS session authenticates with Basic, which is never sent to another origin (%s)",
						  MlsUrlOrigin(request->url));
		request->auth = MLS_HTTP_AUTH_DIGEST;
	}
}

/*
 * Send one request of the session (paced by the connection's rate limits)
 * and keep its whole answer, at most max_body_bytes of it (0: the
 * setting), in *response.
 */
void
RetsSessionSend(RetsSession *session, const char *url, const char *args,
				uint64 max_body_bytes, MlsHttpResponse *response)
{
	MlsSource  *source = session->source;
	MlsHttpRequest request;

	RetsSessionPrepare(session, &request, url, args);
	request.max_body_bytes = max_body_bytes;
	MlsSourceThrottle(source);
	MlsHttpPerform(source->http, &request, response);
	MlsSourceCount(source, response);
}

/*
 * Note a failed request and wait before it is sent again, or fail the run
 * when the retries are used up.
 */
static RetsStep
retry_or_fail(RetsSession *session, MlsErrorCategory category,
			  const MlsHttpResponse *response, int reply_code, int *attempt,
			  const char *what, const char *problem)
{
	MlsSource  *source = session->source;

	(*attempt)++;
	if (*attempt > mlsync_max_retries)
		MlsSourceFail(source, category, response->status, reply_code, response->body.data,
					  "%s failed after %d attempt%s: %s", what, *attempt,
					  *attempt == 1 ? "" : "s", problem);
	MlsSourceNote(source, category, MLS_RETRIED, response->status, reply_code, NULL,
				  response->body.data, *attempt, "%s failed: %s", what, problem);
	(void) MlsSourceBackoff(source, *attempt, response->retry_after);
	return RETS_STEP_AGAIN;
}

/*
 * Log in again after the server dropped the session, once per request.
 */
static RetsStep
relogin_or_fail(RetsSession *session, const MlsHttpResponse *response,
				int reply_code, const char *what, const char *problem)
{
	MlsSource  *source = session->source;

	if (session->relogged)
		MlsSourceFail(source, MLS_ERR_AUTH, response->status, reply_code, response->body.data,
					  "%s failed again after a new Login: %s", what, problem);
	MlsSourceNote(source, MLS_ERR_AUTH, MLS_RETRIED, response->status, reply_code, NULL,
				  response->body.data, 1, "%s: %s; logging in again", what, problem);
	session->logged_in = false;
	/* once per request, whatever the Login meets */
	session->relogged = true;
	RetsSessionLogin(session);
	return RETS_STEP_AGAIN;
}

/*
 * What an answer means for its request.  reply is what the caller read of
 * a 200 response's body.  Fails the run (raising) for what no retry can
 * fix; notes what it retries.
 */
RetsStep
RetsSessionJudge(RetsSession *session, const MlsHttpResponse *response,
				 const RetsReply *reply, int *attempt, const char *what)
{
	MlsSource  *source = session->source;
	RetsReplyCodeInfo info;

	if (MlsHttpOutcomeFinal(response))
		MlsSourceFail(source, MlsHttpErrorCategory(response), response->status, -1, NULL,
					  "%s failed: %s", what, response->error);
	if (response->outcome == MLS_HTTP_SINK_ABORTED)
		return retry_or_fail(session, MLS_ERR_PROTOCOL, response, -1, attempt, what,
							 psprintf("malformed response: %s",
									  reply->problem ? reply->problem : "unreadable"));
	if (response->outcome != MLS_HTTP_OK)
		return retry_or_fail(session, MlsHttpErrorCategory(response), response, -1, attempt,
							 what, response->error);

	/* some servers answer 412 Precondition Failed to an expired session */
	if (response->status == 401 || response->status == 412)
		return relogin_or_fail(session, response, -1, what,
							   psprintf("HTTP %ld", response->status));
	if (response->status == 405)
		MlsSourceFail(source, MLS_ERR_CONFIG, 405, -1, response->body.data,
					  "%s failed: the server does not accept the %s method (HTTP 405)",
					  what, session->post ? "POST" : source->config->rets_method);
	/*
	 * A URL too long for the server or a proxy before it (a Search of many
	 * keys, or of many fields): the session's requests go as POST, whose
	 * form body has no such limit, from this one on.
	 */
	if (response->status == 414 && strcmp(source->config->rets_method, "POST") != 0 &&
		!session->post)
	{
		session->post = true;
		MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, 414, -1, NULL, NULL, 1,
					  "%s: the server refused a URL as too long (HTTP 414); the session's requests go as POST",
					  what);
		return RETS_STEP_AGAIN;
	}
	if (response->status >= 500 || response->status == 429 || response->status == 408)
		return retry_or_fail(session, MlsHttpErrorCategory(response), response, -1, attempt,
							 what, psprintf("HTTP %ld", response->status));
	if (response->status != 200)
		MlsSourceFail(source, MlsHttpErrorCategory(response), response->status, -1,
					  response->body.data, "%s failed: HTTP %ld", what, response->status);

	if (reply->problem)
		return retry_or_fail(session, MLS_ERR_PROTOCOL, response, -1, attempt, what,
							 psprintf("malformed response: %s", reply->problem));
	if (!reply->present)
		return retry_or_fail(session, MLS_ERR_PROTOCOL, response, -1, attempt, what,
							 "the response is not a RETS reply");

	RetsReplyCodeLookup(reply->code, &info);
	switch (info.action)
	{
		case RETS_ACTION_OK:
		case RETS_ACTION_EMPTY:
		case RETS_ACTION_TRUNCATED:
		case RETS_ACTION_SKIP:
		case RETS_ACTION_IGNORE:
			return RETS_STEP_DONE;
		case RETS_ACTION_SPLIT:
			return RETS_STEP_SPLIT;
		case RETS_ACTION_RETRY:
			return retry_or_fail(session, MlsErrorCategoryFromName(info.category), response,
								 reply->code, attempt, what,
								 psprintf("ReplyCode %d: %s", reply->code,
										  reply->text ? reply->text : info.meaning));
		case RETS_ACTION_RELOGIN:
			return relogin_or_fail(session, response, reply->code, what,
								   psprintf("ReplyCode %d: %s", reply->code,
											reply->text ? reply->text : info.meaning));
		case RETS_ACTION_FATAL:
			break;
	}
	MlsSourceFail(source, MlsErrorCategoryFromName(info.category), 200, reply->code,
				  response->body.data, "%s failed with ReplyCode %d: %s", what, reply->code,
				  reply->text && reply->text[0] ? reply->text : info.meaning);
}

/*
 * A request went through: the next one starts with fresh retries and may
 * log in again.
 */
void
RetsSessionSucceeded(RetsSession *session, int *attempt)
{
	*attempt = 0;
	session->relogged = false;
}

/*
 * The reply of a parsed COMPACT body: the code of RETS-STATUS when it has
 * one other than 0 (20208 there means truncated), else the root's.
 */
void
RetsReplyFromInfo(const RetsCompactInfo *info, RetsReply *reply)
{
	bool		status = info->has_status && info->status_code != 0;

	reply->present = info->has_reply || info->has_status;
	reply->code = status ? info->status_code : info->reply_code;
	reply->text = status ? info->status_text : info->reply_text;
	reply->count = info->count;
}

/* How much of a body RetsReadReply parses between two looks at interrupts */
#define REPLY_SLICE_BYTES (256 * 1024)

/*
 * The reply of a whole response body (a count-only Search, a GetMetadata),
 * read with the COMPACT parser of the given kind.
 */
void
RetsReadReply(const MlsHttpResponse *response, RetsCompactKind kind, RetsReply *reply)
{
	RetsCompactParser *parser;
	const RetsCompactInfo *info;
	char		charset[64];

	memset(reply, 0, sizeof(*reply));
	reply->count = -1;
	if (response->outcome != MLS_HTTP_OK || response->status != 200)
		return;
	parser = RetsCompactCreate(CurrentMemoryContext, kind, (size_t) mlsync_max_record_bytes * 1024);
	if (RetsContentTypeParam(response->content_type, "charset", charset, sizeof(charset)))
		(void) RetsCompactSetCharset(parser, charset);

	/*
	 * Fed in slices, its rows dropped as they come: only the reply is read,
	 * and a body of many short rows takes many times its size as rows.
	 */
	for (size_t at = 0; reply->problem == NULL && at < response->body.len; at += REPLY_SLICE_BYTES)
	{
		RetsRow   **rows;

		CHECK_FOR_INTERRUPTS();
		if (!RetsCompactFeed(parser, response->body.data + at,
							 Min(REPLY_SLICE_BYTES, response->body.len - at)))
			reply->problem = pstrdup(RetsCompactError(parser));
		(void) RetsCompactTakeRows(parser, &rows);
	}
	if (reply->problem == NULL && !RetsCompactFinish(parser))
		reply->problem = pstrdup(RetsCompactError(parser));
	info = RetsCompactGetInfo(parser);
	RetsReplyFromInfo(info, reply);
	reply->text = reply->text ? pstrdup(reply->text) : NULL;
	RetsCompactDestroy(parser);
}

/*
 * Send a small request (its whole body is kept in *response) until its
 * answer is one to read, through retries and re-login; *reply is what
 * RetsReadReply read of it.  Reply codes in tolerated (ended by -1) are
 * answers to read too, whatever the reply code table says of them.
 */
void
RetsSessionCall(RetsSession *session, const char *url, const char *args,
				const char *what, RetsCompactKind kind, const int *tolerated,
				uint64 max_body_bytes, MlsHttpResponse *response, RetsReply *reply)
{
	MlsSource  *source = session->source;
	int			attempt = 0;

	for (;;)
	{
		RetsStep	step;

		RetsSessionSend(session, url, args, max_body_bytes, response);
		RetsReadReply(response, kind, reply);
		if (tolerated && reply->present && reply->problem == NULL)
		{
			bool		found = false;

			for (const int *code = tolerated; *code >= 0 && !found; code++)
				found = (*code == reply->code);
			if (found)
				break;
		}
		step = RetsSessionJudge(session, response, reply, &attempt, what);
		if (step == RETS_STEP_DONE)
			break;
		if (step == RETS_STEP_SPLIT)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply->code, response->body.data,
						  "%s failed with ReplyCode %d: %s", what, reply->code,
						  reply->text ? reply->text : "the request is too large");
	}
	RetsSessionSucceeded(session, &attempt);
}

/*
 * The absolute URL of a capability of the Login, or NULL.
 */
static char *
capability_url(RetsSession *session, RetsLoginParser *parser, const char *name)
{
	const RetsCapability *capability = RetsLoginCapability(parser, name);

	if (capability == NULL || capability->url == NULL)
		return NULL;
	return MemoryContextStrdup(session->cxt, capability->url);
}

/*
 * Parse a Login response's body; *reply says whether it is a RETS reply,
 * its code and text, or why it could not be read.  The caller destroys the
 * parser it returns.
 */
static RetsLoginParser *
read_login(RetsSession *session, const MlsHttpResponse *response, RetsReply *reply)
{
	RetsLoginParser *parser = RetsLoginCreate(CurrentMemoryContext, session->login_url,
											  MLS_MAX_LOGIN_BYTES);
	const RetsLoginResult *result;
	char		charset[64];

	memset(reply, 0, sizeof(*reply));
	if (RetsContentTypeParam(response->content_type, "charset", charset, sizeof(charset)))
		(void) RetsLoginSetCharset(parser, charset);
	if (!RetsLoginFeed(parser, response->body.data, response->body.len) ||
		!RetsLoginFinish(parser))
		reply->problem = pstrdup(RetsLoginError(parser));
	result = RetsLoginGetResult(parser);
	reply->present = result->xml && result->has_reply;
	reply->code = result->reply_code;
	reply->text = result->reply_text;
	return parser;
}

/*
 * Log in: authenticate, read the capability URLs, adopt the server's
 * RETS-Version, fetch the Action URL once when there is one.
 */
void
RetsSessionLogin(RetsSession *session)
{
	MlsSource  *source = session->source;
	MlsSourceConfig *config = source->config;
	RetsLoginParser *parser = NULL;
	MlsHttpResponse response;
	RetsReply	reply;
	int			attempt = 0;
	bool		tried_basic = false;
	char	   *server_version;
	char	   *action_url;

	if (config->username == NULL || config->password == NULL)
		MlsSourceFail(source, MLS_ERR_CONFIG, 0, -1, NULL,
					  "RETS connection \"%s\" needs a username and a password",
					  config->connection);

	/*
	 * A session starts without the cookies of any before it (a session the
	 * server ended, or one an earlier pass of the run logged out of on a
	 * server that leaves its cookie set): Login's digest names no session.
	 */
	MlsHttpForgetCookies(source->http);
	for (;;)
	{
		RetsReplyCodeInfo info;

		if (parser)
			RetsLoginDestroy(parser);	/* the answer of a try that failed */
		parser = NULL;
		RetsSessionSend(session, session->login_url, NULL, MLS_MAX_LOGIN_BYTES, &response);

		if (response.outcome == MLS_HTTP_OK && response.status == 401 &&
			session->auth == MLS_HTTP_AUTH_ANY && !tried_basic &&
			MlsHttpHeader(&response, "WWW-Authenticate") == NULL)
		{
			/* HAR, NTREIS: 401 without a challenge; Basic must be sent up front */
			session->auth = MLS_HTTP_AUTH_BASIC;
			tried_basic = true;
			continue;
		}
		if (response.outcome == MLS_HTTP_OK &&
			(response.status == 401 || response.status == 403 || response.status == 412))
			MlsSourceFail(source, MLS_ERR_AUTH, response.status, -1, response.body.data,
						  "the RETS server refused the login of user \"%s\" (HTTP %ld)",
						  config->username, response.status);
		if (response.outcome != MLS_HTTP_OK || response.status != 200)
		{
			memset(&reply, 0, sizeof(reply));
			(void) RetsSessionJudge(session, &response, &reply, &attempt, "RETS Login");
			continue;
		}

		parser = read_login(session, &response, &reply);
		if (reply.problem || !reply.present)
		{
			(void) RetsSessionJudge(session, &response, &reply, &attempt, "RETS Login");
			continue;
		}
		if (reply.code == 0)
			break;
		RetsReplyCodeLookup(reply.code, &info);
		if (info.action != RETS_ACTION_RETRY)
			MlsSourceFail(source, info.category ? MlsErrorCategoryFromName(info.category) : MLS_ERR_AUTH,
						  200, reply.code, response.body.data,
						  "RETS Login failed with ReplyCode %d: %s", reply.code,
						  reply.text && reply.text[0] ? reply.text : info.meaning);
		/* 20022 (another session is open), 20050, 10000: wait and try again */
		(void) RetsSessionJudge(session, &response, &reply, &attempt, "RETS Login");
	}

	session->search_url = capability_url(session, parser, "Search");
	session->metadata_url = capability_url(session, parser, "GetMetadata");
	session->object_url = capability_url(session, parser, "GetObject");
	session->logout_url = capability_url(session, parser, "Logout");
	action_url = capability_url(session, parser, "Action");
	if (session->search_url == NULL)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, 0, response.body.data,
					  "the RETS Login response has no Search capability URL");
	if (RetsLoginGetResult(parser)->metadata_version)
		session->metadata_version = MemoryContextStrdup(session->cxt,
														RetsLoginGetResult(parser)->metadata_version);
	server_version = MlsHttpHeader(&response, "RETS-Version");
	if (server_version && is_rets_version(server_version))
		session->version = MemoryContextStrdup(session->cxt, server_version);
	else if (server_version)
		MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, 200, 0, NULL, NULL, 1,
					  "the server's RETS-Version header is not a RETS version; %s is sent instead",
					  session->version);
	/* the scheme the server asked for is the session's from now on */
	if (session->auth == MLS_HTTP_AUTH_ANY)
	{
		if (response.auth_offered & MLS_HTTP_OFFERED_DIGEST)
			session->auth = MLS_HTTP_AUTH_DIGEST;
		else if (response.auth_offered & MLS_HTTP_OFFERED_BASIC)
			session->auth = MLS_HTTP_AUTH_BASIC;
	}
	RetsLoginDestroy(parser);
	session->logged_in = true;
	session->logins++;

	/* the Action URL is a bulletin some servers want read once (PHRETS, libRETS) */
	if (action_url)
		RetsSessionSend(session, action_url, NULL, MLS_MAX_LOGIN_BYTES, &response);
}

/*
 * Log out, when logged in.  Errors in the answer are ignored (20702): the
 * session ends either way.
 */
void
RetsSessionLogout(RetsSession *session)
{
	MlsHttpResponse response;

	if (!session->logged_in)
		return;
	session->logged_in = false;
	if (session->logout_url == NULL)
		return;
	RetsSessionSend(session, session->logout_url, NULL, MLS_MAX_LOGIN_BYTES, &response);
}
