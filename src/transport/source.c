/*-------------------------------------------------------------------------
 *
 * source.c
 *	  What every source shares: rate limiting (a token bucket per second,
 *	  hour and day), exponential backoff with jitter, and error notes.
 *
 * No SQL here: the budgets already spent are handed in by the pipeline
 * (from mls_sync_history), and notes are taken by the pipeline.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/pg_prng.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "mb/pg_wchar.h"
#include "storage/latch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "mlsync.h"
#include "transport/source.h"

/* Longest excerpt of a protocol response (JSON, XML) kept with an error */
#define EXCERPT_BYTES 2000
/* ... and of any other body */
#define SHORT_EXCERPT_BYTES 200
/* Longest message of an error */
#define MESSAGE_BYTES 4000

/*
 * The error categories of mls_sync_errors and the SQLSTATEs they raise,
 * one table for both directions: a source raises a category's first code;
 * an error caught during a run is classified by the first row with its
 * exact code, else by a row whose code is its class (28000 stands for
 * every authorization error, 22000 for every data exception).  Codes of
 * class ML are mlsync's own, for categories no standard class names.
 */
typedef struct CategoryCode
{
	MlsErrorCategory category;
	int			sqlstate;
} CategoryCode;

#define ERRCODE_MLS_NETWORK		MAKE_SQLSTATE('M','L','0','0','1')
#define ERRCODE_MLS_RATE_LIMIT	MAKE_SQLSTATE('M','L','0','0','2')
#define ERRCODE_MLS_SERVER		MAKE_SQLSTATE('M','L','0','0','3')
#define ERRCODE_MLS_PROTOCOL	MAKE_SQLSTATE('M','L','0','0','4')

static const char *const category_names[] = {
	[MLS_ERR_AUTH] = "auth",
	[MLS_ERR_NETWORK] = "network",
	[MLS_ERR_RATE_LIMIT] = "rate_limit",
	[MLS_ERR_SERVER] = "server",
	[MLS_ERR_PROTOCOL] = "protocol",
	[MLS_ERR_DATA] = "data",
	[MLS_ERR_CONFIG] = "config",
	[MLS_ERR_INTERNAL] = "internal",
};

static const CategoryCode category_codes[] = {
	/* what each category raises */
	{MLS_ERR_AUTH, ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION},
	{MLS_ERR_NETWORK, ERRCODE_MLS_NETWORK},
	{MLS_ERR_RATE_LIMIT, ERRCODE_MLS_RATE_LIMIT},
	{MLS_ERR_SERVER, ERRCODE_MLS_SERVER},
	{MLS_ERR_PROTOCOL, ERRCODE_MLS_PROTOCOL},
	{MLS_ERR_DATA, ERRCODE_DATA_EXCEPTION},
	{MLS_ERR_CONFIG, ERRCODE_INVALID_PARAMETER_VALUE},
	{MLS_ERR_INTERNAL, ERRCODE_INTERNAL_ERROR},
	/* what else is recognised: a run's configuration is wrong */
	{MLS_ERR_CONFIG, ERRCODE_UNDEFINED_OBJECT},
	{MLS_ERR_CONFIG, ERRCODE_UNDEFINED_COLUMN},
	{MLS_ERR_CONFIG, ERRCODE_INVALID_OBJECT_DEFINITION},
	{MLS_ERR_CONFIG, ERRCODE_FEATURE_NOT_SUPPORTED},
	{MLS_ERR_CONFIG, ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE},
	{MLS_ERR_CONFIG, ERRCODE_CONFIG_FILE_ERROR},
	{MLS_ERR_CONFIG, ERRCODE_CONFIGURATION_LIMIT_EXCEEDED},
	/* a secret that cannot be decrypted (another key) needs new credentials */
	{MLS_ERR_AUTH, ERRCODE_DATA_CORRUPTED},
};

/*
 * The name of a category, as mls_sync_errors.category spells it.
 */
const char *
MlsErrorCategoryName(MlsErrorCategory category)
{
	return category_names[category];
}

/*
 * The category a name spells (as MlsErrorCategoryName gives it); internal
 * for a name that is none.
 */
MlsErrorCategory
MlsErrorCategoryFromName(const char *name)
{
	for (int i = 0; i < lengthof(category_names); i++)
	{
		if (name != NULL && strcmp(category_names[i], name) == 0)
			return (MlsErrorCategory) i;
	}
	return MLS_ERR_INTERNAL;
}

/*
 * The SQLSTATE an error of a category is raised with.
 */
int
MlsErrorCategorySqlstate(MlsErrorCategory category)
{
	for (int i = 0; i < lengthof(category_codes); i++)
	{
		if (category_codes[i].category == category)
			return category_codes[i].sqlstate;
	}
	return ERRCODE_INTERNAL_ERROR;
}

/*
 * The category of an error raised with a SQLSTATE: the first row of the
 * table with that exact code, else the first row whose code is the class
 * of that code, else internal.
 */
MlsErrorCategory
MlsErrorCategoryOfSqlstate(int sqlstate)
{
	for (int i = 0; i < lengthof(category_codes); i++)
	{
		if (category_codes[i].sqlstate == sqlstate)
			return category_codes[i].category;
	}
	for (int i = 0; i < lengthof(category_codes); i++)
	{
		if (ERRCODE_TO_CATEGORY(category_codes[i].sqlstate) == category_codes[i].sqlstate &&
			ERRCODE_TO_CATEGORY(sqlstate) == category_codes[i].sqlstate)
			return category_codes[i].category;
	}
	return MLS_ERR_INTERNAL;
}

/*
 * Initialize the shared parts of a source (counters, budgets) once its
 * config is set.
 */
void
MlsSourceInit(MlsSource *source)
{
	MlsSourceConfig *config = source->config;

	source->total_expected = -1;
	source->checkpoint_held = false;
	source->checkpoint_unused = false;
	source->requests = 0;
	source->bytes = 0;
	source->notes = NIL;
	source->notes_cxt = AllocSetContextCreate(source->cxt, "mlsync source notes",
											  ALLOCSET_SMALL_SIZES);
	source->failure = NULL;
	source->tokens_hour = config->rate_per_hour > 0 ?
		Max(config->rate_per_hour - config->requests_last_hour, 0) : 0;
	source->tokens_day = config->rate_per_day > 0 ?
		Max(config->rate_per_day - config->requests_last_day, 0) : 0;
	source->last_request_at = 0;
	source->refilled_at = GetCurrentTimestamp();
}

/*
 * Sleep, waking for interrupts; the latch keeps it responsive to cancel and
 * terminate.
 */
static void
sleep_ms(int64 ms)
{
	TimestampTz until = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ms);

	for (;;)
	{
		long		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), until);

		CHECK_FOR_INTERRUPTS();
		if (left <= 0)
			return;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 Min(left, 1000), PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * Wait until the connection's limits allow one more request, and take it.
 * A wait longer than mlsync.retry_max_delay ends the run instead: the hour
 * or day budget is spent and the next run will pick up from the watermark.
 */
void
MlsSourceThrottle(MlsSource *source)
{
	MlsSourceConfig *config = source->config;
	TimestampTz now = GetCurrentTimestamp();
	double		elapsed = (now - source->refilled_at) / 1000000.0;
	double		wait_s = 0;

	source->refilled_at = now;
	if (config->rate_per_hour > 0)
	{
		source->tokens_hour = Min(source->tokens_hour + elapsed * config->rate_per_hour / 3600.0,
								  (double) config->rate_per_hour);
		if (source->tokens_hour < 1)
			wait_s = Max(wait_s, (1 - source->tokens_hour) * 3600.0 / config->rate_per_hour);
	}
	if (config->rate_per_day > 0)
	{
		source->tokens_day = Min(source->tokens_day + elapsed * config->rate_per_day / 86400.0,
								 (double) config->rate_per_day);
		if (source->tokens_day < 1)
			wait_s = Max(wait_s, (1 - source->tokens_day) * 86400.0 / config->rate_per_day);
	}
	if (config->rate_per_second > 0 && source->last_request_at != 0)
	{
		double		since = (now - source->last_request_at) / 1000000.0;
		double		gap = 1.0 / config->rate_per_second;

		if (since < gap)
			wait_s = Max(wait_s, gap - since);
	}
	if (mlsync_max_requests_per_run > 0 &&
		source->earlier_requests + source->requests >= mlsync_max_requests_per_run)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 0, -1, NULL,
					  "the run reached mlsync.max_requests_per_run (%d requests) and stops",
					  mlsync_max_requests_per_run);
	if (wait_s * 1000 > mlsync_retry_max_delay)
		MlsSourceFail(source, MLS_ERR_RATE_LIMIT, 0, -1, NULL,
					  "the connection's request budget is spent for %.0f seconds", wait_s);
	if (wait_s > 0)
		sleep_ms((int64) (wait_s * 1000));

	now = GetCurrentTimestamp();
	if (config->rate_per_hour > 0)
		source->tokens_hour = Max(source->tokens_hour - 1, 0);
	if (config->rate_per_day > 0)
		source->tokens_day = Max(source->tokens_day - 1, 0);
	source->last_request_at = now;
}

/*
 * Sleep before retry number "attempt" (1, 2, ...): exponential backoff
 * from mlsync.retry_base_delay with full jitter in its upper half, or what
 * the server asked for (Retry-After), capped by mlsync.retry_max_delay.
 * Returns false, without sleeping, when the retries are used up.
 */
bool
MlsSourceBackoff(MlsSource *source, int attempt, int64 retry_after_seconds)
{
	double		delay;

	if (attempt > mlsync_max_retries)
		return false;
	delay = (double) mlsync_retry_base_delay * pow(2.0, attempt - 1);
	delay = Min(delay, (double) mlsync_retry_max_delay);
	/* jitter spreads the retries of many workers hitting one server */
	delay = delay / 2 + pg_prng_double(&pg_global_prng_state) * delay / 2;
	if (retry_after_seconds > 0)
		delay = Max(delay, (double) retry_after_seconds * 1000);
	delay = Min(delay, (double) mlsync_retry_max_delay);
	sleep_ms((int64) delay);
	return true;
}

/*
 * Text from the network made fit to store and show: bytes that are not
 * UTF-8 and control characters (but tab and line ends) become U+FFFD, and
 * the text is cut at a character boundary after at most maxbytes.  Every
 * message and excerpt of an error goes through here: a hostile server's
 * bytes must not make a row the database cannot dump, nor a log line
 * that forges others.
 */
char *
MlsCleanText(const char *text, size_t maxbytes)
{
	StringInfoData buf;
	const unsigned char *p = (const unsigned char *) text;
	size_t		len = strlen(text);
	size_t		i = 0;

	initStringInfo(&buf);
	while (i < len && (size_t) buf.len < maxbytes)
	{
		int			n = pg_utf_mblen(p + i);

		if (p[i] < 0x80)
		{
			if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') || p[i] == 0x7F)
				appendStringInfoString(&buf, "\xEF\xBF\xBD");
			else
				appendStringInfoChar(&buf, (char) p[i]);
			i++;
			continue;
		}
		if (i + n > len || !pg_utf8_islegal(p + i, n))
		{
			appendStringInfoString(&buf, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if ((size_t) buf.len + n > maxbytes)
			break;
		appendBinaryStringInfo(&buf, (const char *) p + i, n);
		i += n;
	}
	return buf.data;
}

/*
 * What is kept of a body the source sent: a protocol answer (JSON or XML,
 * an OData or RETS error) up to EXCERPT_BYTES, anything else (an HTML page
 * of some other service, say) only its first SHORT_EXCERPT_BYTES, and
 * always cleaned (MlsCleanText).
 */
static char *
excerpt(const char *text)
{
	const char *p = text;

	if (text == NULL)
		return NULL;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '{' || *p == '[' || strncmp(p, "<?xml", 5) == 0 || strncmp(p, "<RETS", 5) == 0)
		return MlsCleanText(text, EXCERPT_BYTES);
	return MlsCleanText(text, SHORT_EXCERPT_BYTES);
}

/*
 * Build an error description.
 */
static MlsSourceError *
make_error(MlsErrorCategory category, MlsRetryState retry_state, int http_status,
		   int reply_code, const char *record_key, const char *source_text,
		   int attempt, const char *message)
{
	MlsSourceError *error = palloc0(sizeof(MlsSourceError));

	error->category = category;
	error->retry_state = retry_state;
	error->http_status = http_status;
	error->reply_code = reply_code;
	error->record_key = record_key ? MlsCleanText(record_key, MESSAGE_BYTES) : NULL;
	error->source_text = excerpt(source_text);
	error->attempt = attempt;
	error->message = MlsCleanText(message, MESSAGE_BYTES);
	return error;
}

/*
 * A palloc'd message from a printf format and its arguments.
 */
static char *format_message(const char *fmt, va_list args) pg_attribute_printf(1, 0);

static char *
format_message(const char *fmt, va_list args)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (;;)
	{
		va_list		attempt_args;
		int			needed;

		/* appendStringInfoVA consumes the list: each try needs a copy */
		va_copy(attempt_args, args);
		needed = appendStringInfoVA(&buf, fmt, attempt_args);
		va_end(attempt_args);
		if (needed == 0)
			return buf.data;
		enlargeStringInfo(&buf, needed);
	}
}

/*
 * Note an error the run recovered from (a retried request, a skipped
 * record); the pipeline records it with the next batch.
 */
void
MlsSourceNote(MlsSource *source, MlsErrorCategory category, MlsRetryState retry_state,
			  int http_status, int reply_code, const char *record_key,
			  const char *source_text, int attempt, const char *fmt,...)
{
	va_list		args;
	char	   *message;
	MemoryContext old;

	va_start(args, fmt);
	message = format_message(fmt, args);
	va_end(args);

	/*
	 * In the notes' own memory: a source may note what it recovered from
	 * in a context its caller resets before the pipeline takes the notes
	 * (the media lists read one answer at a time)
	 */
	old = MemoryContextSwitchTo(source->notes_cxt);
	source->notes = lappend(source->notes,
							make_error(category, retry_state, http_status, reply_code,
									   record_key, source_text, attempt, message));
	MemoryContextSwitchTo(old);
}

/*
 * Whether the checkpoint may move to a record at ts (raw, key: as the
 * server wrote them).  Not to one stamped more than
 * MLS_FUTURE_TOLERANCE_USECS after now: a record dated in the future (a
 * wrong clock, a time zone written as UTC) would take the watermark there,
 * and every later run would ask only for changes after it, missing every
 * real one.  The checkpoint stays at the last record before it, so later
 * runs read it again with the changes that follow; each pass (source)
 * notes it once.  Readers of keys or lists, and those that keep no
 * watermark, move no watermark: anything goes.
 */
bool
MlsSourceCheckpointMayReach(MlsSource *source, TimestampTz ts, const char *raw, const char *key)
{
	if (source->mode != MLS_FETCH_CHANGES || source->checkpoint_unused ||
		ts <= GetCurrentTimestamp() + MLS_FUTURE_TOLERANCE_USECS)
		return true;
	if (!source->checkpoint_held)
		MlsSourceNote(source, MLS_ERR_DATA, MLS_REPAIRED, 0, -1, key, NULL, 1,
					  "the record is dated %s, in the future: the watermark stays before it, and later runs read it again",
					  raw);
	source->checkpoint_held = true;
	return false;
}

/*
 * The pipeline has stored the notes: forget them, and their memory.
 */
void
MlsSourceForgetNotes(MlsSource *source)
{
	source->notes = NIL;
	MemoryContextReset(source->notes_cxt);
}

/*
 * Move the notes of a source (the media lists' own) to another (the
 * sync's, whose pipeline stores them), copied into its notes' memory.
 */
void
MlsSourceTakeNotes(MlsSource *to, MlsSource *from)
{
	MemoryContext old = MemoryContextSwitchTo(to->notes_cxt);
	ListCell   *lc;

	foreach(lc, from->notes)
	{
		MlsSourceError *e = lfirst(lc);
		MlsSourceError *copy = palloc(sizeof(MlsSourceError));

		*copy = *e;
		copy->message = e->message ? pstrdup(e->message) : NULL;
		copy->record_key = e->record_key ? pstrdup(e->record_key) : NULL;
		copy->source_text = e->source_text ? pstrdup(e->source_text) : NULL;
		if (e->record)
		{
			copy->record = palloc(VARSIZE(e->record));
			memcpy(copy->record, e->record, VARSIZE(e->record));
		}
		to->notes = lappend(to->notes, copy);
	}
	MemoryContextSwitchTo(old);
	MlsSourceForgetNotes(from);
}

/*
 * Describe what ends the run and raise it.
 */
void
MlsSourceFail(MlsSource *source, MlsErrorCategory category, int http_status,
			  int reply_code, const char *source_text, const char *fmt,...)
{
	va_list		args;
	char	   *message;
	MemoryContext old;

	va_start(args, fmt);
	message = format_message(fmt, args);
	va_end(args);
	/* the run's memory: the pipeline reads it after the error unwinds */
	old = MemoryContextSwitchTo(source->cxt);
	source->failure = make_error(category, MLS_FAILED, http_status, reply_code, NULL,
								 source_text, 1, message);
	MemoryContextSwitchTo(old);
	ereport(ERROR,
			(errcode(MlsErrorCategorySqlstate(category)),
			 errmsg("%s", source->failure->message),
			 errdetail("Error category: %s.", MlsErrorCategoryName(category))));
}

/*
 * The category of a failed HTTP exchange.
 */
MlsErrorCategory
MlsHttpErrorCategory(const MlsHttpResponse *response)
{
	switch (response->outcome)
	{
		case MLS_HTTP_NETWORK:
		case MLS_HTTP_TIMEOUT:
			return MLS_ERR_NETWORK;
		case MLS_HTTP_TOO_LARGE:
		case MLS_HTTP_SINK_ABORTED:
			return MLS_ERR_PROTOCOL;
		case MLS_HTTP_BAD_REQUEST:
		case MLS_HTTP_REFUSED:
			return MLS_ERR_CONFIG;
		case MLS_HTTP_OK:
			break;
	}
	if (response->status == 401 || response->status == 403)
		return MLS_ERR_AUTH;
	if (response->status == 429)
		return MLS_ERR_RATE_LIMIT;
	if (response->status >= 500)
		return MLS_ERR_SERVER;
	return MLS_ERR_PROTOCOL;
}

/*
 * Whether a failed exchange is final: retrying the same request cannot
 * help (a refused request, one libcurl cannot send, an oversized body).
 */
bool
MlsHttpOutcomeFinal(const MlsHttpResponse *response)
{
	return response->outcome == MLS_HTTP_TOO_LARGE ||
		response->outcome == MLS_HTTP_BAD_REQUEST ||
		response->outcome == MLS_HTTP_REFUSED;
}

/*
 * Count a request and its bytes.
 */
void
MlsSourceCount(MlsSource *source, const MlsHttpResponse *response)
{
	source->requests++;
	source->bytes += response->wire_bytes;
}
