/*-------------------------------------------------------------------------
 *
 * rets_session.h
 *	  A RETS session over HTTP: Login, the headers every transaction
 *	  carries, what a reply means for the request, re-login, Logout.
 *	  docs/protocols.md R1-R3, R6, R10.
 *
 * The session knows HTTP and RETS, not SQL.  It reports through the
 * source it belongs to (MlsSourceNote, MlsSourceFail), so errors land in
 * mls_sync_errors like those of any source.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_SESSION_H
#define MLSYNC_RETS_SESSION_H

#include "rets/parse/rets_compact.h"
#include "transport/source.h"

typedef struct RetsSession
{
	MlsSource  *source;
	MemoryContext cxt;			/* the session's strings; lives with the source */
	char	   *login_url;
	char	   *login_origin;	/* where the session's credentials belong */
	char	   *search_url;
	char	   *metadata_url;	/* NULL: the server offers no GetMetadata */
	char	   *object_url;		/* NULL: no GetObject */
	char	   *logout_url;		/* NULL: no Logout */
	char	   *version;		/* RETS-Version sent: the server's after Login */
	char	   *metadata_version;	/* from Login, or NULL */
	MlsHttpAuth auth;
	bool		logged_in;
	bool		relogged;		/* a re-login already served the current request */
	bool		post;			/* send as POST, whatever the connection's
								 * rets_method: a GET was refused as too long */
	int			logins;
} RetsSession;

/* What a request's answer means */
typedef enum RetsStep
{
	RETS_STEP_DONE,				/* a RETS reply to read (success, empty or truncated) */
	RETS_STEP_AGAIN,			/* send the same request again (after a wait or re-login) */
	RETS_STEP_SPLIT				/* the server wants a smaller request */
} RetsStep;

/* A reply code and text read from a response body, for RetsSessionJudge */
typedef struct RetsReply
{
	bool		present;		/* the body was a RETS reply */
	int			code;
	const char *text;
	int64		count;			/* <COUNT Records>, or -1 */
	const char *problem;		/* why the body could not be read, or NULL */
} RetsReply;

extern RetsSession *RetsSessionCreate(MlsSource *source);
extern RetsSession *MlsRetsSourceSession(MlsSource *source);
extern void RetsSessionLogin(RetsSession *session);
extern void RetsSessionLogout(RetsSession *session);
extern void RetsSessionPrepare(RetsSession *session, MlsHttpRequest *request,
							   const char *url, const char *args);
extern void RetsSessionSend(RetsSession *session, const char *url, const char *args,
							uint64 max_body_bytes, MlsHttpResponse *response);
extern RetsStep RetsSessionJudge(RetsSession *session, const MlsHttpResponse *response,
								 const RetsReply *reply, int *attempt, const char *what);
extern void RetsSessionSucceeded(RetsSession *session, int *attempt);
extern void RetsSessionCall(RetsSession *session, const char *url, const char *args,
							const char *what, RetsCompactKind kind, const int *tolerated,
							uint64 max_body_bytes, MlsHttpResponse *response,
							RetsReply *reply);
extern void RetsReadReply(const MlsHttpResponse *response, RetsCompactKind kind,
						  RetsReply *reply);
extern void RetsReplyFromInfo(const RetsCompactInfo *info, RetsReply *reply);

#endif							/* MLSYNC_RETS_SESSION_H */
