/*-------------------------------------------------------------------------
 *
 * http.c
 *	  HTTP for mlsync, on libcurl.
 *
 * This file knows HTTP and nothing of SQL or of MLS protocols.  Rules it
 * keeps (see docs/architecture.md): only http and https, never an error
 * raised inside a libcurl callback, libcurl handles freed on every path.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <curl/curl.h>

#include "fmgr.h"
#include "utils/builtins.h"

#include "http.h"

PG_FUNCTION_INFO_V1(mls_check_url);

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
