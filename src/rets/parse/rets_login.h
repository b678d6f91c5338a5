/*-------------------------------------------------------------------------
 *
 * rets_login.h
 *	  Parser of the bodies of RETS Login, Logout and Action responses.
 *
 * Login and Logout answer with key=value lines inside <RETS-RESPONSE> (or,
 * for RETS 1.0, directly inside <RETS>); Action answers with a bulletin of
 * plain text.  The body is small, so the parser buffers it (up to a limit)
 * and parses it at RetsLoginFinish:
 *
 *	p = RetsLoginCreate(cxt, login_url, max_bytes);	(may raise)
 *	RetsLoginSetCharset(p, charset); RetsLoginFeed(p, ...);	(never raise)
 *	RetsLoginFinish(p);	(never raises; resolves capability URLs)
 *	r = RetsLoginGetResult(p); ... RetsLoginDestroy(p);
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_LOGIN_H
#define MLSYNC_RETS_LOGIN_H

#include "rets/parse/rets_xml.h"

/* A capability: Login, Search, GetMetadata, ..., or an X- extension */
typedef struct RetsCapability
{
	char	   *name;			/* canonical spelling for the known ones */
	char	   *value;			/* as sent */
	char	   *url;			/* absolute http(s) URL, or NULL */
} RetsCapability;

/* A RETS 1.8 "Info=NAME;TYPE;VALUE" line */
typedef struct RetsInfoLine
{
	char	   *name;
	char	   *type;			/* NULL when the line has no type part */
	char	   *value;
} RetsInfoLine;

/* Another key=value line (MemberName, User, Broker, MetadataVersion...) */
typedef struct RetsKeyValue
{
	char	   *key;
	char	   *value;
} RetsKeyValue;

typedef struct RetsLoginResult
{
	bool		xml;			/* false: a plain text body (Action) */
	bool		has_reply;
	int			reply_code;
	char	   *reply_text;
	int			ncapabilities;
	RetsCapability *capabilities;
	int			ninfo;
	RetsInfoLine *info;
	int			nvalues;
	RetsKeyValue *values;
	char	   *metadata_version;	/* from a key=value or an Info= line */
	char	   *metadata_timestamp;
	char	   *min_metadata_version;
	char	   *min_metadata_timestamp;
	int			timeout_seconds;	/* -1 when absent or not a number */
	char	   *text;			/* lines that are not key=value, or the plain body */
	const char *encoding;
	RetsTextStats stats;
} RetsLoginResult;

typedef struct RetsLoginParser RetsLoginParser;

extern RetsLoginParser *RetsLoginCreate(MemoryContext parent, const char *login_url,
										size_t max_bytes);
extern bool RetsLoginSetCharset(RetsLoginParser *p, const char *charset);
extern bool RetsLoginFeed(RetsLoginParser *p, const char *data, size_t len);
extern bool RetsLoginFinish(RetsLoginParser *p);
extern const RetsLoginResult *RetsLoginGetResult(RetsLoginParser *p);
extern const RetsCapability *RetsLoginCapability(RetsLoginParser *p, const char *name);
extern const char *RetsLoginError(RetsLoginParser *p);
extern void RetsLoginDestroy(RetsLoginParser *p);

extern char *RetsResolveUrl(MemoryContext cxt, const char *base, const char *ref);

#endif							/* MLSYNC_RETS_LOGIN_H */
