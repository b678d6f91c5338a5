/*-------------------------------------------------------------------------
 *
 * rets_metadata.c
 *	  GetMetadata over a RETS session (docs/protocols.md R9).
 *
 * A connection needs the metadata of its own resource and class: SYSTEM
 * (time zone offset), RESOURCE (KeyField), CLASS, TABLE (SystemName,
 * StandardName, DataType, Interpretation, LookupName), LOOKUP and
 * LOOKUP_TYPE (codes and their values), OBJECT (photo types).  Each comes
 * in COMPACT from its own request; only TABLE is required, the others are
 * kept when the server has them (some answer 2050x for what they lack).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/jsonb.h"

#include "mlsync.h"
#include "rets/rets_dmql.h"
#include "rets/rets_metadata.h"
#include "rets/rets_sql.h"
#include "rets/parse/rets_util.h"

/* A response is parsed in pieces of this size, its rows' memory checked after each */
#define PARSE_PIECE_BYTES (256 * 1024)

/* GetMetadata reply codes that mean "not here" (20500-20514) */
static const int no_metadata_codes[] = {
	20500, 20501, 20502, 20503, 20506, 20507, 20508, 20509, 20510, 20511, 20512, 20513, 20514, -1
};

/*
 * The text of a key of a jsonb object, or NULL.
 */
static char *
object_text(JsonbContainer *object, const char *key)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(object, key, strlen(key), &v) == NULL ||
		v.type != jbvString)
		return NULL;
	return pnstrdup(v.val.string.val, v.val.string.len);
}

/*
 * A jsonb value of a key of a jsonb object (an object or an array), or NULL.
 */
static Jsonb *
object_jsonb(JsonbContainer *object, const char *key)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(object, key, strlen(key), &v) == NULL ||
		v.type != jbvBinary)
		return NULL;
	return JsonbValueToJsonb(&v);
}

/*
 * Where a table belongs: its Resource, Class and Lookup attributes joined
 * by ':' ("Property:RES"), or "" (SYSTEM, RESOURCE).
 */
static char *
table_scope(Jsonb *attributes)
{
	static const char *const parts[] = {"Resource", "Class", "Lookup"};
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < lengthof(parts) && attributes; i++)
	{
		char	   *value = object_text(&attributes->root, parts[i]);

		if (value)
			appendStringInfo(&buf, "%s%s", buf.len > 0 ? ":" : "", value);
	}
	return buf.data;
}

/*
 * Ask for one type of metadata and add its tables to *tables.
 */
static void
fetch_type(RetsSession *session, const char *type, const char *id, bool required,
		   List **tables)
{
	MlsSource  *source = session->source;
	MlsHttpResponse response;
	RetsReply	reply;
	char		charset[64];
	Jsonb	   *parsed;
	Jsonb	   *list;
	char	   *error;
	char	   *what = psprintf("RETS GetMetadata %s", type);
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken token;
	Size		budget = RETS_ROWS_BUDGET(mlsync_max_metadata_bytes);
	bool		over_budget;

	RetsSessionCall(session, session->metadata_url,
					psprintf("Type=%s&ID=%s&Format=COMPACT", type, RetsPercentEncode(id)),
					what, RETS_COMPACT_METADATA, required ? NULL : no_metadata_codes,
					(uint64) mlsync_max_metadata_bytes * 1024, &response, &reply);
	if (reply.code != 0)
		return;					/* a type this server does not have */

	parsed = RetsMetadataToJsonb(response.body.data, response.body.len,
								 RetsContentTypeParam(response.content_type, "charset",
													  charset, sizeof(charset)) ? charset : NULL,
								 PARSE_PIECE_BYTES, budget, &over_budget);
	if (over_budget)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, NULL,
					  "the rows of the GetMetadata %s response take more than %zu kB once parsed, four times mlsync.max_metadata_bytes",
					  type, budget / 1024);
	error = object_text(&parsed->root, "error");
	if (error)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, response.body.data,
					  "malformed GetMetadata %s response: %s", type, error);
	list = object_jsonb(&parsed->root, "tables");
	if (list == NULL)
		return;

	it = JsonbIteratorInit(&list->root);
	while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		MlsMetadataTable *table;

		if (token != WJB_ELEM || v.type != jbvBinary)
			continue;
		table = palloc0(sizeof(MlsMetadataTable));
		table->type = object_text(v.val.binary.data, "type");
		table->attributes = object_jsonb(v.val.binary.data, "attributes");
		table->rows = object_jsonb(v.val.binary.data, "rows");
		if (table->type == NULL || table->rows == NULL)
			continue;
		table->scope = table_scope(table->attributes);
		if (table->attributes)
		{
			table->version = object_text(&table->attributes->root, "Version");
			table->date = object_text(&table->attributes->root, "Date");
		}
		*tables = lappend(*tables, table);
	}
}

/*
 * The metadata a connection's resource and class need, as a List of
 * MlsMetadataTable (in the current memory context).
 */
List *
RetsFetchMetadata(RetsSession *session)
{
	MlsSourceConfig *config = session->source->config;
	const char *resource = config->resource;
	List	   *tables = NIL;

	if (session->metadata_url == NULL)
		MlsSourceFail(session->source, MLS_ERR_PROTOCOL, 0, -1, NULL,
					  "the RETS server's Login lists no GetMetadata capability");
	fetch_type(session, "METADATA-SYSTEM", "0", false, &tables);
	fetch_type(session, "METADATA-RESOURCE", "0", false, &tables);
	fetch_type(session, "METADATA-CLASS", resource, false, &tables);
	fetch_type(session, "METADATA-TABLE", psprintf("%s:%s", resource, config->rets_class),
			   true, &tables);
	fetch_type(session, "METADATA-LOOKUP", resource, false, &tables);
	fetch_type(session, "METADATA-LOOKUP_TYPE", psprintf("%s:*", resource), false, &tables);
	fetch_type(session, "METADATA-OBJECT", resource, false, &tables);
	return tables;
}
