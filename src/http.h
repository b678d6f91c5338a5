/*-------------------------------------------------------------------------
 *
 * http.h
 *	  HTTP for mlsync: libcurl only, no SQL.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_HTTP_H
#define MLSYNC_HTTP_H

extern char *MlsCheckUrl(const char *url, const char *what);

#endif							/* MLSYNC_HTTP_H */
