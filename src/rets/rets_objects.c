/*-------------------------------------------------------------------------
 *
 * rets_objects.c
 *	  GetObject over a RETS session (docs/protocols.md R8).
 *
 * The photo list of a listing is asked for with Location=1, so the server
 * answers with URLs instead of images; a server that sends the images
 * anyway is read too (their sizes are reported, their bytes dropped), up
 * to MLS_MAX_OBJECT_LIST_BYTES of them.  The
 * answer is one object or a multipart body (any multipart type), parsed by rets_multipart.c;
 * a part or body with ReplyCode 20403 means there is no such object.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "mlsync.h"
#include "rets/rets_codes.h"
#include "rets/rets_dmql.h"
#include "rets/parse/rets_multipart.h"
#include "rets/rets_objects.h"
#include "rets/parse/rets_util.h"

/*
 * Parse a GetObject response into a List of RetsObjectInfo; *reply gets
 * the reply code of a body (or single part) that is an XML reply.
 */
static List *
read_objects(const MlsHttpResponse *response, RetsReply *reply)
{
	RetsObjectParser *parser = RetsObjectCreate(CurrentMemoryContext);
	RetsObjectEvent *events;
	List	   *objects = NIL;
	const char *line = response->headers.data;
	bool		ok;
	int			n;

	memset(reply, 0, sizeof(*reply));
	reply->present = true;		/* an answer with objects is a success */
	reply->count = -1;
	while (line && *line)
	{
		const char *end = strchr(line, '\n');
		size_t		len = end ? (size_t) (end - line) : strlen(line);

		(void) RetsObjectAddResponseHeader(parser, line, len);
		line = end ? end + 1 : NULL;
	}
	ok = RetsObjectSetContentType(parser, response->content_type) &&
		RetsObjectFeed(parser, response->body.data, response->body.len) &&
		RetsObjectFinish(parser);
	if (!ok)
		reply->problem = pstrdup(RetsObjectError(parser));

	n = RetsObjectTakeEvents(parser, &events);
	for (int i = 0; i < n; i++)
	{
		RetsObjectPart *part = events[i].part;
		RetsObjectInfo *info;

		if (events[i].kind != RETS_OBJECT_END)
			continue;
		if (part->has_reply && part->reply_code != 0)
		{
			/* a missing object is no object; any other code speaks for the answer */
			if (part->reply_code != 20403 && reply->code == 0)
			{
				reply->code = part->reply_code;
				reply->text = part->reply_text ? pstrdup(part->reply_text) : NULL;
			}
			continue;
		}
		info = palloc0(sizeof(RetsObjectInfo));
		info->object_id = part->object_id ? pstrdup(part->object_id) : NULL;
		/* with Location=1 a part may be an XML reply naming the URL (flexmls) */
		info->content_type = part->content_type &&
			!(part->location && RetsMediaTypeIs(part->content_type, "text/xml")) ?
			pstrdup(part->content_type) : NULL;
		info->description = part->description ? pstrdup(part->description) : NULL;
		info->location = part->location ? pstrdup(part->location) : NULL;
		info->preferred = part->preferred;
		info->size = part->location ? 0 : part->size;
		for (int j = 0; j < part->nobject_data; j++)
			if (pg_strcasecmp(part->object_data[j].name, "ModificationTimestamp") == 0 ||
				pg_strcasecmp(part->object_data[j].name, "MediaModificationTimestamp") == 0)
				info->modified = pstrdup(part->object_data[j].value);
		objects = lappend(objects, info);
	}
	RetsObjectDestroy(parser);
	return objects;
}

/*
 * The objects of one listing (type: Photo, Thumbnail, ...), as a List of
 * RetsObjectInfo in the current memory context.  object_data asks a RETS
 * 1.8 server for each object's metadata (ObjectData=*), which carries its
 * modification timestamp; older servers ignore the argument.
 */
List *
RetsFetchObjectList(RetsSession *session, const char *type, const char *key, bool object_data)
{
	MlsSource  *source = session->source;
	char	   *args;
	int			attempt = 0;
	List	   *objects;

	if (session->object_url == NULL)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 0, -1, NULL,
					  "the RETS server's Login lists no GetObject capability");
	args = psprintf("Resource=%s&Type=%s&ID=%s&Location=1%s",
					RetsPercentEncode(source->config->resource), RetsPercentEncode(type),
					RetsPercentEncode(psprintf("%s:*", key)),
					object_data ? "&ObjectData=*" : "");
	for (;;)
	{
		MlsHttpResponse response;
		RetsReply	reply;
		RetsStep	step;

		RetsSessionSend(session, session->object_url, args, MLS_MAX_OBJECT_LIST_BYTES, &response);
		objects = NIL;
		memset(&reply, 0, sizeof(reply));
		if (response.outcome == MLS_HTTP_OK && response.status == 200)
			objects = read_objects(&response, &reply);
		step = RetsSessionJudge(session, &response, &reply, &attempt, "RETS GetObject");
		if (step == RETS_STEP_DONE)
			break;
		if (step == RETS_STEP_SPLIT)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, NULL,
						  "RETS GetObject failed with ReplyCode %d: %s", reply.code,
						  reply.text ? reply.text : "request too large");
	}
	RetsSessionSucceeded(session, &attempt);
	return objects;
}
