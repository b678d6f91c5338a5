/*-------------------------------------------------------------------------
 *
 * rets_multipart.h
 *	  Streaming parser of RETS GetObject responses: multipart bodies of
 *	  several objects, single objects, and XML errors.
 *
 * Usage, as the media download will drive it from libcurl callbacks:
 *
 *	p = RetsObjectCreate(cxt);	(may raise)
 *	RetsObjectAddResponseHeader(p, line, len);	(header callback, never raises)
 *	RetsObjectSetContentType(p, content_type);	(before the first feed)
 *	RetsObjectFeed(p, chunk, len);	(write callback, never raises)
 *	  ... after the library call returns:
 *	  n = RetsObjectTakeEvents(p, &events);
 *	  BEGIN: a part starts, its headers known; DATA: bytes of its body;
 *	  END: it is complete (size, and ReplyCode for an XML part)
 *	RetsObjectFinish(p); RetsObjectTakeEvents(p, &events); RetsObjectDestroy(p);
 *
 * A multipart body is never held whole: DATA events carry the bytes of one
 * feed, and are freed at the next RetsObjectTakeEvents.  Part descriptions
 * (headers) stay until the parser is destroyed.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_MULTIPART_H
#define MLSYNC_RETS_MULTIPART_H

#include "rets/parse/rets_xml.h"

typedef struct RetsObjectHeader
{
	char	   *name;
	char	   *value;			/* UTF-8 */
} RetsObjectHeader;

/* One object (a part of a multipart body, or the whole single response) */
typedef struct RetsObjectPart
{
	int			index;			/* 1-based */
	int			nheaders;
	RetsObjectHeader *headers;	/* as sent, in order */
	const char *content_type;
	const char *content_id;		/* the resource key */
	const char *object_id;
	const char *description;	/* Content-Description (or Description) */
	const char *sub_description;
	const char *location;		/* Location=1: where the object is */
	bool		preferred;
	int			nobject_data;	/* RETS 1.8 "ObjectData: Name=Value" */
	RetsObjectHeader *object_data;
	int64		size;			/* body bytes so far; all of them at END */
	bool		has_reply;		/* an XML body with a ReplyCode (at END) */
	int			reply_code;
	char	   *reply_text;
} RetsObjectPart;

typedef enum RetsObjectEventKind
{
	RETS_OBJECT_BEGIN,
	RETS_OBJECT_DATA,
	RETS_OBJECT_END
} RetsObjectEventKind;

typedef struct RetsObjectEvent
{
	RetsObjectEventKind kind;
	RetsObjectPart *part;
	const char *data;			/* DATA only */
	size_t		len;
} RetsObjectEvent;

typedef struct RetsObjectParser RetsObjectParser;

extern RetsObjectParser *RetsObjectCreate(MemoryContext parent);
extern bool RetsObjectAddResponseHeader(RetsObjectParser *p, const char *line, size_t len);
extern bool RetsObjectSetContentType(RetsObjectParser *p, const char *content_type);
extern bool RetsObjectFeed(RetsObjectParser *p, const char *data, size_t len);
extern bool RetsObjectFinish(RetsObjectParser *p);
extern int	RetsObjectTakeEvents(RetsObjectParser *p, RetsObjectEvent **events);
extern bool RetsObjectIsMultipart(RetsObjectParser *p);
extern const char *RetsObjectError(RetsObjectParser *p);
extern void RetsObjectDestroy(RetsObjectParser *p);

#endif							/* MLSYNC_RETS_MULTIPART_H */
