/*-------------------------------------------------------------------------
 *
 * uri.h
 *	  A link as servers write it, made a URI (no fmgr, SPI or server state:
 *	  the RETS parsers and the fuzzers use it too).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_URI_H
#define MLSYNC_URI_H

extern size_t MlsLinkAsUri(const char *link, char *out);
extern bool MlsUriIsSendable(const char *url);
extern char *MlsUriResolve(const char *base, const char *uri);

#endif
