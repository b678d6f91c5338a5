/*-------------------------------------------------------------------------
 *
 * rets_auth.c
 *	  RETS-UA-Authorization (docs/protocols.md R2), as libRETS, PHRETS and
 *	  rets-client compute it:
 *
 *		A1     = hex(MD5(UserAgent ":" UA-Password))
 *		digest = hex(MD5(A1 ":" RETS-Request-ID ":" RETS-Session-ID ":" RETS-Version))
 *
 * and the header is "RETS-UA-Authorization: Digest <digest>".  The request
 * id is the one sent (or empty), the session id the value of the
 * RETS-Session-ID cookie (empty before Login sets it), the version the
 * header string with its "RETS/" prefix (refindly once stripped it, which
 * servers reject).  Every input is trimmed (RCP-36).  libRETS's Interealty
 * variant hashes only the product name, the user agent up to its first '/'.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/md5.h"
#include "lib/stringinfo.h"

#include "rets/rets_auth.h"

/*
 * Append s to buf without leading and trailing spaces and tabs.
 */
static void
append_trimmed(StringInfo buf, const char *s, int maxlen)
{
	int			len = s ? strlen(s) : 0;

	if (maxlen >= 0 && len > maxlen)
		len = maxlen;
	while (len > 0 && (*s == ' ' || *s == '\t'))
	{
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	appendBinaryStringInfo(buf, s, len);
}

/*
 * Compute the digest of RETS-UA-Authorization into digest (33 bytes).
 * rets_version may be given without its "RETS/" prefix; it is added.
 * Returns false, with *errstr set, when MD5 is not available (FIPS mode).
 */
bool
RetsUaAuthDigest(const char *user_agent, const char *ua_password,
				 const char *request_id, const char *session_id,
				 const char *rets_version, bool interealty,
				 char *digest, const char **errstr)
{
	StringInfoData buf;
	char		a1[RETS_UA_DIGEST_LEN];
	int			agent_len = -1;
	const char *version = rets_version ? rets_version : "";
	bool		ok;

	while (*version == ' ' || *version == '\t')
		version++;

	if (interealty && user_agent != NULL)
	{
		const char *slash = strchr(user_agent, '/');

		if (slash != NULL)
			agent_len = slash - user_agent;
	}

	initStringInfo(&buf);
	append_trimmed(&buf, user_agent, agent_len);
	appendStringInfoChar(&buf, ':');
	append_trimmed(&buf, ua_password, -1);
	ok = pg_md5_hash(buf.data, buf.len, a1, errstr);
	if (ok)
	{
		resetStringInfo(&buf);
		appendStringInfo(&buf, "%s:", a1);
		append_trimmed(&buf, request_id, -1);
		appendStringInfoChar(&buf, ':');
		append_trimmed(&buf, session_id, -1);
		appendStringInfoChar(&buf, ':');
		if (pg_strncasecmp(version, "RETS/", 5) != 0)
			appendStringInfoString(&buf, "RETS/");
		append_trimmed(&buf, version, -1);
		ok = pg_md5_hash(buf.data, buf.len, digest, errstr);
	}
	/* the password was in there */
	explicit_bzero(buf.data, buf.maxlen);
	pfree(buf.data);
	return ok;
}
