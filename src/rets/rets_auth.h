/*-------------------------------------------------------------------------
 *
 * rets_auth.h
 *	  RETS-UA-Authorization: client (user agent) authentication, RCP-36.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_AUTH_H
#define MLSYNC_RETS_AUTH_H

/* 32 lower-case hex digits and a NUL */
#define RETS_UA_DIGEST_LEN 33

extern bool RetsUaAuthDigest(const char *user_agent, const char *ua_password,
							 const char *request_id, const char *session_id,
							 const char *rets_version, bool interealty,
							 char *digest, const char **errstr);

#endif							/* MLSYNC_RETS_AUTH_H */
