/*-------------------------------------------------------------------------
 *
 * source.h
 *	  The source interface: where records come from.
 *
 * A source knows HTTP and one MLS protocol (RESO Web API, RETS) and nothing
 * of SQL.  The pipeline (pipeline.c) asks it for records in batches and
 * writes each batch in its own transaction, so nothing is held open while a
 * source waits on the network beyond one batch.  Everything after the
 * source (mapping, writer, status, errors, events) is shared.
 *
 * Errors: a source raises an ERROR for what ends the run, after describing
 * it with MlsSourceFail (category, HTTP status, reply code, excerpt); it
 * notes what it recovered from (a retried request, a skipped record) with
 * MlsSourceNote.  The pipeline turns both into mls_sync_errors rows.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_SOURCE_H
#define MLSYNC_SOURCE_H

#include "transport/http.h"
#include "nodes/pg_list.h"
#include "pgtime.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

/*
 * How far past now a record's timestamp may take the watermark: a server
 * whose clock runs ahead, or that writes its local time as UTC, stays within
 * a day (MlsSourceCheckpointMayReach)
 */
#define MLS_FUTURE_TOLERANCE_USECS (USECS_PER_DAY)

/*
 * A source's next() hands over fewer records than asked once those it
 * handed hold this many bytes: a batch of records near
 * mlsync.max_record_bytes each (16 MB) would otherwise hold gigabytes
 */
#define MLS_BATCH_BYTES (64 * 1024 * 1024)

/* Categories of mls_sync_errors */
typedef enum MlsErrorCategory
{
	MLS_ERR_AUTH,
	MLS_ERR_NETWORK,
	MLS_ERR_RATE_LIMIT,
	MLS_ERR_SERVER,
	MLS_ERR_PROTOCOL,
	MLS_ERR_DATA,
	MLS_ERR_CONFIG,
	MLS_ERR_INTERNAL
} MlsErrorCategory;

/* What happened after an error (mls_sync_errors.retry_state) */
typedef enum MlsRetryState
{
	MLS_RETRIED,
	MLS_REPAIRED,
	MLS_SKIPPED,
	MLS_FAILED
} MlsRetryState;

/* An error, as recorded in mls_sync_errors */
typedef struct MlsSourceError
{
	MlsErrorCategory category;
	MlsRetryState retry_state;
	char	   *message;
	char	   *record_key;
	int			http_status;	/* 0: none */
	int			reply_code;		/* RETS ReplyCode; -1: none */
	char	   *source_text;	/* an excerpt of what the source sent */
	int			attempt;
	Jsonb	   *record;			/* a skipped record, whole, to keep; or NULL */
} MlsSourceError;

/* What the pipeline asks a source for */
typedef enum MlsFetchMode
{
	MLS_FETCH_CHANGES,			/* records modified since a watermark (or all) */
	MLS_FETCH_KEYS,				/* every key the source has, with its timestamp (reconcile) */
	MLS_FETCH_LIST,				/* the records of a list of keys (reconcile's repairs) */
	MLS_FETCH_ONE,				/* one record by key */
	MLS_FETCH_NOTHING			/* no records: a metadata run */
} MlsFetchMode;

/* The settings of a connection, as a source needs them */
typedef struct MlsSourceConfig
{
	char	   *tenant;
	char	   *connection;
	char	   *protocol;
	char	   *endpoint;
	char	   *token_url;
	char	   *username;
	char	   *oauth_client_auth;
	char	   *oauth_scope;
	char	   *resource;
	char	   *rets_class;
	char	   *rets_version;
	char	   *rets_format;
	char	   *rets_method;
	char	   *rets_http_auth;
	char	   *user_agent;
	char	   *key_field;
	char	   *timestamp_field;
	char	   *source_filter;
	List	   *statuses;		/* of char *; NIL: all */
	int			page_size;
	bool		expand_media;
	List	   *select_fields;	/* of char *; NIL: every field */
	char	   *paging;			/* RESO: "keyset" (default) or "nextlink" */
	List	   *allowed_origins;	/* of char *: other origins credentials may go to */
	double		rate_per_second;	/* 0: unlimited */
	int			rate_per_hour;
	int			rate_per_day;
	int64		incremental_overlap_usecs;	/* -1: mlsync.incremental_overlap */
	pg_tz	   *source_zone;	/* the zone of timestamps written without one
								 * (the mapping set's); NULL: UTC */
	char	   *visibility_field;	/* RESO: a Boolean field false in records the
									 * MLS withdrew (MlgCanView); NULL: none */
	int			requests_last_hour; /* already spent, from the history */
	int			requests_last_day;
	/* secrets, decrypted (wiped at the end of the run) */
	char	   *password;
	char	   *client_secret;
	char	   *ua_password;
	char	   *access_token;
} MlsSourceConfig;

/* One record handed to the pipeline */
typedef struct MlsSourceRecord
{
	Jsonb	   *record;			/* NULL: malformed (problem says why), or a key only */
	char	   *key;			/* its key, when known */
	char	   *timestamp;		/* MLS_FETCH_KEYS: its timestamp as the server wrote it */
	char	   *problem;		/* why the record could not be read */
	bool		gone;			/* the source no longer has it (MLS_FETCH_ONE), or
								 * shows it withdrawn (its visibility field) */
} MlsSourceRecord;

/*
 * One table of a source's metadata (RETS METADATA-*), as it is stored in
 * mls_source_metadata.
 */
typedef struct MlsMetadataTable
{
	char	   *type;			/* "METADATA-TABLE" */
	char	   *scope;			/* "Property:RES": its Resource, Class, Lookup */
	char	   *version;		/* its Version attribute, or NULL */
	char	   *date;			/* its Date attribute, or NULL */
	Jsonb	   *attributes;		/* every attribute of the element */
	Jsonb	   *rows;			/* array of objects, column -> value */
} MlsMetadataTable;

typedef struct MlsSource MlsSource;

typedef struct MlsSourceOps
{
	/* authenticate (token, login); raises when that fails */
	void		(*open) (MlsSource *source);

	/*
	 * Fill up to max records; 0 means the source has no more.  Updates
	 * source->checkpoint_* to the position that is safe to commit once
	 * these records are written.
	 */
	int			(*next) (MlsSource *source, MlsSourceRecord *records, int max);

	/* log out, free what the source holds; must be safe after an error */
	void		(*close) (MlsSource *source);

	/* the server's metadata, as a List of MlsMetadataTable; NULL: none */
	List	   *(*metadata) (MlsSource *source);
} MlsSourceOps;

struct MlsSource
{
	const MlsSourceOps *ops;
	MemoryContext cxt;			/* lives for the run: the source's state goes here */
	MlsSourceConfig *config;
	MlsHttpClient *http;
	MlsFetchMode mode;
	char	   *from_timestamp;	/* changes since this server timestamp (raw), or NULL */
	int64		overlap_usecs;	/* ... read from this long before it */
	char	   *from_key;		/* ... and after this key at that timestamp */
	char	   *resume_timestamp;	/* a full run going on: from this timestamp
									 * (raw), the full run's filters kept */
	bool		want_newest;	/* ask first for the newest record of all the
								 * connection's, and the server's clock (a
								 * first load that reads only some: its
								 * watermark goes no further) */
	char	   *newest_timestamp;	/* ... its timestamp (raw) and key, once
									 * open; NULL: unknown, or no record */
	char	   *newest_key;
	char	   *server_time;	/* ... the clock then (ISO 8601 UTC), or NULL */
	char	   *first_answer_time;	/* RESO: the server's clock (Date, ISO 8601
									 * UTC) on the first page it answered, or
									 * NULL */
	char	   *single_key;		/* MLS_FETCH_ONE */
	char	  **list_keys;		/* MLS_FETCH_LIST */
	int			nlist_keys;

	/*
	 * The position after the records returned so far (raw server values,
	 * allocated in cxt).  Records themselves are allocated in the caller's
	 * current memory context, which the pipeline resets per batch.
	 */
	char	   *checkpoint_timestamp;
	char	   *checkpoint_key;
	bool		checkpoint_held;	/* a record in the future stopped it */
	bool		checkpoint_unused;	/* set by a reader that keeps no
									 * watermark (a media re-check) */

	/* what the source reports */
	bool		keys_left_out;	/* a key sweep took records the server
								 * counted as not sent (RETS: rows it hides):
								 * it proves no listing gone */
	bool		keys_may_shift; /* a key sweep paged by the server's own
								 * links, which may page by offset: a record
								 * leaving it mid-sweep shifts a live one
								 * out of sight, so what it did not see is
								 * looked up by key before any removal */
	int64		total_expected; /* -1: unknown */
	int64		requests;
	int64		earlier_requests;	/* of the run's earlier passes (set by the
									 * caller): mlsync.max_requests_per_run
									 * bounds the whole run */
	int64		bytes;
	List	   *notes;			/* of MlsSourceError *, taken by the pipeline */
	MemoryContext notes_cxt;	/* where notes are made: a child of cxt,
								 * reset once they are taken
								 * (MlsSourceForgetNotes) */
	char	   *metadata_version;	/* the server's, once open (RETS Login); or NULL */
	MlsSourceError *failure;	/* set just before a source raises */

	/* rate limiting */
	double		tokens_hour;
	double		tokens_day;
	TimestampTz last_request_at;
	TimestampTz refilled_at;

	void	   *state;			/* the protocol's own */
};

extern const MlsSourceOps MlsResoSourceOps;
extern const MlsSourceOps MlsRetsSourceOps;

extern const char *MlsErrorCategoryName(MlsErrorCategory category);
extern MlsErrorCategory MlsErrorCategoryFromName(const char *name);
extern int	MlsErrorCategorySqlstate(MlsErrorCategory category);
extern MlsErrorCategory MlsErrorCategoryOfSqlstate(int sqlstate);
extern void MlsSourceInit(MlsSource *source);
extern void MlsSourceThrottle(MlsSource *source);
extern bool MlsSourceBackoff(MlsSource *source, int attempt, int64 retry_after_seconds);
extern bool MlsSourceCheckpointMayReach(MlsSource *source, TimestampTz ts, const char *raw,
										const char *key);
extern void MlsSourceForgetNotes(MlsSource *source);
extern void MlsSourceTakeNotes(MlsSource *to, MlsSource *from);
extern void MlsSourceNote(MlsSource *source, MlsErrorCategory category,
						  MlsRetryState retry_state, int http_status, int reply_code,
						  const char *record_key, const char *source_text,
						  int attempt, const char *fmt,...) pg_attribute_printf(9, 10);
extern void MlsSourceFail(MlsSource *source, MlsErrorCategory category,
						  int http_status, int reply_code, const char *source_text,
						  const char *fmt,...) pg_attribute_printf(6, 7) pg_attribute_noreturn();
extern MlsErrorCategory MlsHttpErrorCategory(const MlsHttpResponse *response);
extern bool MlsHttpOutcomeFinal(const MlsHttpResponse *response);
extern char *MlsCleanText(const char *text, size_t maxbytes);
extern void MlsSourceCount(MlsSource *source, const MlsHttpResponse *response);

#endif							/* MLSYNC_SOURCE_H */
