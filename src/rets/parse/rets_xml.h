/*-------------------------------------------------------------------------
 *
 * rets_xml.h
 *	  The XML core shared by the RETS parsers: a streaming decoder that turns
 *	  whatever a RETS server sends into well-formed UTF-8, and libxml2's SAX2
 *	  push parser behind it.
 *
 * RETS servers send raw ISO-8859-1 bodies, declared or not, control
 * characters, character references to characters XML forbids (&#1;,
 * &#xFFFE;) and bare ampersands.  libxml2 stops at the first of these and
 * the record (or the whole response) would be lost.  The decoder repairs
 * them in the byte stream, before libxml2 sees it, and counts each repair:
 *
 *	- charset: the HTTP Content-Type charset if given, else the XML
 *	  declaration's encoding, else UTF-8.  ISO-8859-1 is decoded as
 *	  windows-1252 (what servers that say ISO-8859-1 actually send, and what
 *	  the WHATWG encoding standard does).  In UTF-8, a byte that is not part
 *	  of a valid sequence is decoded as windows-1252 too (counted in
 *	  latin1_bytes), so an undeclared ISO-8859-1 body still parses.
 *	- control characters other than TAB, LF and CR, character references to
 *	  characters XML forbids, U+FFFE/U+FFFF and the five bytes windows-1252
 *	  leaves undefined become U+FFFD (counted in replaced).
 *	- an '&' that does not start a character reference or one of XML's
 *	  five predefined entities is kept as a literal '&' (counted in
 *	  escaped_ampersands); no other entity is ever expanded.
 *	- "]]>" outside a CDATA section (which XML forbids in text) becomes
 *	  "]]&gt;": the same characters, and a failure libxml2's push parser
 *	  would report or not depending on where the body was cut.
 *
 * libxml2 then always reads UTF-8 (XML_PARSE_IGNORE_ENC) with
 * XML_PARSE_NONET, no entity substitution and no DTD loading.  Errors are
 * caught by a structured error handler set on the parser context, never by
 * libxml2's global handlers.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_XML_H
#define MLSYNC_RETS_XML_H

#include "rets/parse/rets_util.h"

/* One attribute of an element, decoded, NUL-terminated */
typedef struct RetsXmlAttr
{
	const char *name;
	const char *value;
} RetsXmlAttr;

/*
 * What the XML core calls while parsing.  depth is the depth of the element
 * (0 for the root); text belongs to the innermost open element, at depth.
 * The callbacks must not raise errors: they record problems with
 * RetsXmlAbort.
 */
typedef struct RetsXmlHandler
{
	void		(*start) (void *arg, int depth, const char *name,
						  int nattrs, const RetsXmlAttr *attrs);
	void		(*end) (void *arg, int depth, const char *name);
	void		(*text) (void *arg, int depth, const char *data, size_t len);
} RetsXmlHandler;

/* What the decoder repaired */
typedef struct RetsTextStats
{
	int64		replaced;		/* characters replaced with U+FFFD */
	int64		latin1_bytes;	/* invalid UTF-8 bytes read as windows-1252 */
	int64		escaped_ampersands; /* '&' kept as literal text */
} RetsTextStats;

typedef struct RetsXml RetsXml;

extern RetsXml *RetsXmlCreate(MemoryContext cxt, const RetsXmlHandler *handler,
							  void *arg, size_t max_text, char *errbuf);
extern RetsXml *RetsTextCreate(MemoryContext cxt, RetsBuf *out, char *errbuf);
extern bool RetsXmlSetCharset(RetsXml *x, const char *charset);
extern bool RetsXmlFeed(RetsXml *x, const char *data, size_t len);
extern bool RetsXmlFinish(RetsXml *x);
extern void RetsXmlAbort(RetsXml *x, const char *fmt,...) pg_attribute_printf(2, 3);
extern void RetsXmlDestroy(RetsXml *x);
extern const RetsTextStats *RetsXmlStats(RetsXml *x);
extern const char *RetsXmlEncoding(RetsXml *x);
extern bool RetsXmlStarted(RetsXml *x);

extern char *RetsDecodeText(MemoryContext cxt, const char *data, size_t len,
							const char *charset, RetsTextStats *stats);
extern bool RetsParseStatus(MemoryContext cxt, const char *body, size_t len,
							const char *charset, int *reply_code,
							char **reply_text, char *errbuf);
extern bool RetsParseReplyCode(const char *s, int *code);

#endif							/* MLSYNC_RETS_XML_H */
