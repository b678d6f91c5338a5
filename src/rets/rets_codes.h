/*-------------------------------------------------------------------------
 *
 * rets_codes.h
 *	  RETS reply codes: what each means and what a sync does about it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_CODES_H
#define MLSYNC_RETS_CODES_H

/* What the RETS source does with a reply */
typedef enum RetsAction
{
	RETS_ACTION_OK,				/* success */
	RETS_ACTION_EMPTY,			/* success, nothing found */
	RETS_ACTION_TRUNCATED,		/* success, rows withheld: split the window */
	RETS_ACTION_SPLIT,			/* failed on size: narrow the query and retry */
	RETS_ACTION_RETRY,			/* transient: back off and retry */
	RETS_ACTION_RELOGIN,		/* session lost: log in again once, then fatal */
	RETS_ACTION_SKIP,			/* this item only: skip it, go on */
	RETS_ACTION_IGNORE,			/* nothing to do (a failed Logout) */
	RETS_ACTION_FATAL			/* the run fails; a person must act */
} RetsAction;

typedef struct RetsReplyCodeInfo
{
	int			code;
	const char *transaction;	/* Login, Search, GetObject, ... or NULL */
	const char *category;		/* mls_sync_errors category, NULL if no error */
	RetsAction	action;
	const char *meaning;
	bool		known;			/* false: classified by its range */
} RetsReplyCodeInfo;

extern void RetsReplyCodeLookup(int code, RetsReplyCodeInfo *info);
extern int	RetsReplyCodeCount(void);
extern const RetsReplyCodeInfo *RetsReplyCodeAt(int i);
extern const char *RetsActionName(RetsAction action);

#endif							/* MLSYNC_RETS_CODES_H */
