/*-------------------------------------------------------------------------
 *
 * rets.c
 *	  The RETS source: Search in time windows that always terminate.
 *	  docs/protocols.md R4-R7 and R12.
 *
 * Folder src/rets/: the RETS source (this file), its session, metadata,
 * objects, DMQL2, UA digest and reply codes, the SQL functions over the
 * parsers and the making of jsonb records from rows (rets_sql.c).  The
 * parsers themselves live in parse/.  It may not include executor/spi.h
 * or engine/ headers: RETS code never runs SQL.
 *
 * RETS has no paging a sync can trust: servers cap the rows of a Search
 * (MAXROWS, 20208), some put MAXROWS on the last page, many ignore or
 * reject Offset.  So a run reads inclusive windows of the connection's
 * timestamp field, starting with [watermark, open end), and splits every
 * window that comes back truncated:
 *
 *	- an open window is cut at the latest timestamp it returned, T, into
 *	  [from, T] and [T, open end), which share T (a server may store a
 *	  finer time than it writes); [from, T] is read again unless the answer
 *	  came in timestamp order and its count (Count=2), less the instant T,
 *	  is the rows it held before T (an answer in another order can match
 *	  the count only because as many rows left the window since); when every row
 *	  returned lay at from: [from, from + 1 ms] and [from + 1 ms, open end),
 *	  the first read a millisecond at a time when it cannot be paged by
 *	  key (split_adjacent);
 *	- a closed window is halved at a millisecond ([from, mid], [mid, to]:
 *	  the middle instant is read twice, never skipped);
 *	- a window too narrow to halve (all its rows share one millisecond) is
 *	  paged by key range on the resource's KeyField, (KeyField=K+) from the
 *	  greatest key read so far: servers sort the rows of one timestamp by
 *	  key, so a truncated page is the smallest keys from K on.  Each page
 *	  must be in key order and the rows read must add up to the window's
 *	  COUNT; otherwise the run fails with a clear error rather than losing
 *	  records.  Offset is never used: many servers ignore or reject it.
 *
 * Once a run has seen the server's row cap, each closed window is first
 * counted (Count=2) and split before its rows are downloaded.  Windows are
 * read in time order (a stack, left half on top), and the watermark moves
 * only when a window is complete and all its rows are handed over: it is
 * then the latest timestamp the server itself sent in a completed window,
 * never a bound mlsync computed.  Records read twice are written
 * idempotently.
 *
 * Responses are streamed: the COMPACT parser (rets_compact.c) splits rows
 * while they download and the transfer pauses when the parser holds a few
 * megabytes of rows, so memory does not grow with the response.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "pgtime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "mapping/convert.h"
#include "mlsync.h"
#include "rets/rets_codes.h"
#include "rets/parse/rets_compact.h"
#include "rets/rets_dmql.h"
#include "rets/rets_metadata.h"
#include "rets/rets_session.h"
#include "rets/rets_sql.h"
#include "rets/parse/rets_util.h"
#include "transport/source.h"

/* Parsed rows held before the transfer pauses */
#define HOLD_BYTES (2 * 1024 * 1024)
/* Windows are halved at whole milliseconds (DMQL2 writes milliseconds) */
#define WINDOW_RESOLUTION INT64CONST(1000)
/* A full sync reads from here (docs/protocols.md R12) */
#define FULL_SYNC_FROM "1900-01-01T00:00:00"

/* An inclusive window of the timestamp field */
typedef struct Window
{
	Timestamp	from;
	Timestamp	to;
	bool		open;			/* no upper bound */
	int64		rows_held;		/* rows of it before "to" already handed over,
								 * or -1 */
	bool		expect_rows;	/* rows were seen at "from": it is not empty */
	/* rows_held >= 0: the latest of them the checkpoint may reach */
	bool		have_ck;
	Timestamp	ck_ts;
	char	   *ck_raw;
	char	   *ck_key;
} Window;

typedef struct RetsState
{
	RetsSession *session;
	MemoryContext response_cxt; /* one response's request and parser */
	MlsJsonKeyOrder *key_order; /* of the rows' columns, learnt */
	pg_tz	   *utc;

	/* windows still to read; the next one on top */
	Window	   *stack;
	int			nstack;
	int			stack_cap;

	/* the window being read */
	bool		in_window;
	Window		window;
	bool		counted;		/* the window's rows were counted first */
	int64		window_count;	/* its COUNT, -1 when unknown */
	int64		window_rows;	/* distinct rows read over its key pages */
	bool		key_paging;		/* paged by key range (one dense millisecond) */
	char	   *key_from;		/* the key the page requested starts at */
	int64		rows_below_max; /* rows of the response older than max_ts */
	int64		rows_at_max;
	bool		have_max;		/* the latest timestamp among its rows */
	Timestamp	max_ts;
	bool		have_ck;		/* the latest the checkpoint may reach (not in
								 * the future: MlsSourceCheckpointMayReach) */
	Timestamp	ck_ts;
	char	   *ck_raw;
	char	   *ck_key;

	int64		row_cap;		/* the most rows the server returns, 0: unknown */
	bool		row_cap_inferred;	/* ... taken from answers short of their
									 * COUNT, none said to be cut */
	bool		short_reread;	/* the window's answer came short of its COUNT
								 * once and is being read again */
	bool		counts_unserved;	/* the server was seen to count rows it
									 * never sends (rows it hides from this
									 * user) */
	bool		noted_empty_reread; /* an answer without its counted rows
									 * was noted as read again */

	/* the response being read */
	bool		transfer_active;
	bool		response_ended; /* decide what follows once its rows are handed over */
	bool		parse_complete; /* the parser read the whole body */
	RetsCompactParser *parser;
	bool		charset_set;
	MlsHttpRequest request;
	MlsHttpResponse response;
	int			attempt;
	int			key_column;		/* -1: not known yet */
	int			ts_column;
	int64		page_rows;
	int64		page_new_rows;	/* rows other than the key_from row read again */
	bool		page_sorted;	/* its keys came in ascending order */
	bool		page_time_sorted;	/* its rows came in timestamp order */
	char	   *page_max_key;	/* its greatest key */
	RetsRow   **rows;
	int			nrows;
	int			row_pos;

	/* a completed window's checkpoint, waiting for its rows to be handed over */
	bool		checkpoint_pending;

	bool		started;
	bool		finished;
	int			list_pos;		/* MLS_FETCH_LIST: the next key to ask for */
} RetsState;

/* Keys asked for in one Search of MLS_FETCH_LIST */
#define LIST_CHUNK 50

/*
 * Push a window onto the stack.
 */
static void
push_window(MlsSource *source, Timestamp from, Timestamp to, bool open, int64 rows_held)
{
	RetsState  *st = source->state;

	if (st->nstack == st->stack_cap)
	{
		st->stack_cap = Max(st->stack_cap * 2, 16);
		st->stack = st->stack ?
			repalloc(st->stack, sizeof(Window) * st->stack_cap) :
			MemoryContextAlloc(source->cxt, sizeof(Window) * st->stack_cap);
	}
	st->stack[st->nstack].from = from;
	st->stack[st->nstack].to = to;
	st->stack[st->nstack].open = open;
	st->stack[st->nstack].rows_held = rows_held;
	st->stack[st->nstack].expect_rows = false;
	st->stack[st->nstack].have_ck = false;
	st->nstack++;
}

/*
 * A timestamp as the server wrote it, read as wall-clock time (RETS
 * timestamps carry no zone; windows are written back the same way).
 */
static bool
parse_server_timestamp(RetsState *st, const char *raw, int len, Timestamp *ts)
{
	TimestampTz t;

	if (!MlsParseTimestamptz(raw, len, st->utc, &t))
		return false;
	*ts = (Timestamp) t;
	return true;
}

/*
 * Replace a string kept in the source's context.
 */
static void
keep_string(MlsSource *source, char **slot, const char *value)
{
	if (*slot)
		pfree(*slot);
	*slot = value ? MemoryContextStrdup(source->cxt, value) : NULL;
}

/*
 * The Search arguments for the current window (count: the Count argument).
 */
static char *
window_search_args(MlsSource *source, const Window *w, int count)
{
	RetsState  *st = source->state;
	MlsSourceConfig *config = source->config;
	RetsQuerySpec q = {0};
	RetsSearchArgs a = {0};
	List	   *select = NIL;

	q.timestamp_field = config->timestamp_field;
	q.has_from = true;
	q.from = w->from;
	q.has_to = !w->open;
	q.to = w->to;
	q.extra = config->source_filter;
	if (st->key_paging && st->key_from)
	{
		q.key_field = config->key_field;
		q.key_from = st->key_from;
	}

	if (source->mode == MLS_FETCH_KEYS)
		select = list_make2(config->key_field, config->timestamp_field);
	else
		select = config->select_fields;

	a.resource = config->resource;
	a.class_name = config->rets_class;
	a.query = RetsDmqlQuery(&q);
	a.format = config->rets_format;
	a.count = count;
	if (select != NIL && count != 2)
	{
		const char **names = palloc(sizeof(char *) * list_length(select));
		ListCell   *lc;
		int			i = 0;

		foreach(lc, select)
			names[i++] = lfirst(lc);
		a.select = names;
		a.nselect = i;
	}
	return RetsSearchRequest(&a);
}

/*
 * A window as text, for messages.
 */
static char *
window_text(const Window *w)
{
	if (w->open)
		return psprintf("from %s on", RetsDmqlTimestamp(w->from, false));
	return psprintf("%s to %s", RetsDmqlTimestamp(w->from, false), RetsDmqlTimestamp(w->to, true));
}

/*
 * libcurl write callback of a Search: feed the parser, pause while it holds
 * enough rows.  Never raises.
 */
static MlsSinkResult
search_sink(void *arg, const char *data, size_t len)
{
	RetsState  *st = arg;

	if (!st->charset_set)
	{
		char		content_type[256];
		char		charset[64];

		st->charset_set = true;
		if (MlsHttpHeaderCopy(&st->response, "Content-Type", content_type, sizeof(content_type)) &&
			RetsContentTypeParam(content_type, "charset", charset, sizeof(charset)) &&
			!RetsCompactSetCharset(st->parser, charset))
			return MLS_SINK_ABORT;
	}
	if (RetsCompactPendingBytes(st->parser) >= HOLD_BYTES)
		return MLS_SINK_PAUSE;
	return RetsCompactFeed(st->parser, data, len) ? MLS_SINK_CONSUMED : MLS_SINK_ABORT;
}

/*
 * Forget the previous response (its memory, parser, rows and what its rows
 * said) and make a parser for the next one, in the response's memory.
 */
static void
new_response(MlsSource *source)
{
	RetsState  *st = source->state;

	MemoryContextReset(st->response_cxt);
	st->parser = RetsCompactCreate(st->response_cxt, RETS_COMPACT_SEARCH,
								   (size_t) mlsync_max_record_bytes * 1024);
	st->charset_set = false;
	st->response_ended = st->parse_complete = false;
	st->key_column = st->ts_column = -1;
	st->page_rows = st->page_new_rows = 0;
	st->page_sorted = true;
	st->page_time_sorted = true;
	st->page_max_key = NULL;
	st->rows_below_max = st->rows_at_max = 0;
	st->rows = NULL;
	st->nrows = st->row_pos = 0;
}

/*
 * Start the Search of the current window (or of its next Offset page).
 */
static void
start_search(MlsSource *source)
{
	RetsState  *st = source->state;
	MemoryContext old;

	new_response(source);
	old = MemoryContextSwitchTo(st->response_cxt);
	RetsSessionPrepare(st->session, &st->request, st->session->search_url,
					   window_search_args(source, &st->window, 1));
	st->request.sink = search_sink;
	st->request.sink_arg = st;
	MlsSourceThrottle(source);
	MlsHttpBegin(source->http, &st->request, &st->response);
	st->transfer_active = true;
	MemoryContextSwitchTo(old);
}

/*
 * Find the key and timestamp columns once COLUMNS has been read (info: of
 * the parser that read them).
 */
static void
find_columns(MlsSource *source, const RetsCompactInfo *info)
{
	RetsState  *st = source->state;
	MlsSourceConfig *config = source->config;

	for (int i = 0; i < info->ncolumns; i++)
	{
		if (strcmp(info->columns[i], config->key_field) == 0)
			st->key_column = i;
		if (strcmp(info->columns[i], config->timestamp_field) == 0)
			st->ts_column = i;
	}
	if (st->key_column < 0)
		MlsSourceFail(source, MLS_ERR_CONFIG, 200, 0, NULL,
					  "the Search results of class \"%s\" have no column \"%s\" (the connection's key_field)",
					  config->rets_class, config->key_field);
	if (st->ts_column < 0)
		MlsSourceFail(source, MLS_ERR_CONFIG, 200, 0, NULL,
					  "the Search results of class \"%s\" have no column \"%s\" (the connection's timestamp_field)",
					  config->rets_class, config->timestamp_field);
}

/*
 * Take the rows the parser split.
 */
static void
take_rows(MlsSource *source)
{
	RetsState  *st = source->state;

	st->nrows = RetsCompactTakeRows(st->parser, &st->rows);
	st->row_pos = 0;
	if (st->nrows > 0 && st->key_column < 0)
		find_columns(source, RetsCompactGetInfo(st->parser));
}

/*
 * Turn a row into a record for the pipeline (in the caller's memory
 * context), and follow the latest timestamp of the window.
 */
static void
convert_row(MlsSource *source, RetsRow *row, MlsSourceRecord *out)
{
	RetsState  *st = source->state;
	Timestamp	ts;

	memset(out, 0, sizeof(*out));
	if (st->key_column < row->nfields)
		out->key = pnstrdup(row->values[st->key_column], row->lengths[st->key_column]);
	st->page_rows++;
	if (out->key)
	{
		if (st->page_max_key && RetsKeyCompare(out->key, st->page_max_key) < 0)
			st->page_sorted = false;
		if (st->page_max_key == NULL || RetsKeyCompare(out->key, st->page_max_key) > 0)
			st->page_max_key = MemoryContextStrdup(st->response_cxt, out->key);
		if (!(st->key_from && RetsKeyCompare(out->key, st->key_from) == 0))
			st->page_new_rows++;
	}
	if (row->error)
	{
		out->problem = psprintf("row " INT64_FORMAT " of the Search response: %s",
								row->number, row->error);
		return;
	}
	if (parse_server_timestamp(st, row->values[st->ts_column], row->lengths[st->ts_column], &ts))
	{
		if (!st->have_max || ts > st->max_ts)
		{
			st->rows_below_max += st->rows_at_max;
			st->rows_at_max = 1;
			st->have_max = true;
			st->max_ts = ts;
		}
		else if (ts == st->max_ts)
			st->rows_at_max++;
		else
		{
			st->rows_below_max++;
			st->page_time_sorted = false;
		}
		if ((!st->have_ck || ts > st->ck_ts) &&
			MlsSourceCheckpointMayReach(source, (TimestampTz) ts, row->values[st->ts_column], out->key))
		{
			st->have_ck = true;
			st->ck_ts = ts;
			keep_string(source, &st->ck_raw, row->values[st->ts_column]);
			keep_string(source, &st->ck_key, out->key);
		}
	}
	else
		st->page_time_sorted = false;
	if (source->mode != MLS_FETCH_KEYS)
		out->record = RetsRowToJsonb(row, st->key_order);
	else if (st->ts_column < row->nfields)
		out->timestamp = pnstrdup(row->values[st->ts_column], row->lengths[st->ts_column]);
}

/*
 * Start reading a window: forget the previous window's state.
 */
static void
enter_window(MlsSource *source, const Window *w)
{
	RetsState  *st = source->state;

	st->in_window = true;
	st->window = *w;
	st->counted = false;
	st->window_count = -1;
	st->window_rows = 0;
	st->key_paging = false;
	keep_string(source, &st->key_from, NULL);
	st->page_rows = 0;
	st->have_max = false;
	st->have_ck = false;
	st->short_reread = false;
}

/*
 * The window is complete: its latest timestamp becomes the checkpoint once
 * its rows are handed over.
 */
static void
complete_window(MlsSource *source)
{
	RetsState  *st = source->state;

	st->in_window = false;
	if (st->have_ck && source->mode == MLS_FETCH_CHANGES)
		st->checkpoint_pending = true;
}

/*
 * Apply a completed window's checkpoint (all its rows are handed over).
 */
static void
apply_checkpoint(MlsSource *source)
{
	RetsState  *st = source->state;
	TimestampTz current;

	st->checkpoint_pending = false;
	/* never back: windows complete in time order, but an open window re-reads T */
	if (source->checkpoint_timestamp &&
		MlsParseTimestamptz(source->checkpoint_timestamp, strlen(source->checkpoint_timestamp),
							st->utc, &current) &&
		(Timestamp) current >= st->ck_ts)
		return;
	keep_string(source, &source->checkpoint_timestamp, st->ck_raw);
	keep_string(source, &source->checkpoint_key, st->ck_key ? st->ck_key : "");
}

/*
 * Count the rows of a closed window (Count=2).
 */
static int64
count_window(MlsSource *source, const Window *window)
{
	RetsState  *st = source->state;
	MlsHttpResponse response;
	RetsReply	reply;
	MemoryContext old;
	int64		count;

	MemoryContextReset(st->response_cxt);
	old = MemoryContextSwitchTo(st->response_cxt);
	RetsSessionCall(st->session, st->session->search_url,
					window_search_args(source, window, 2),
					"RETS Search (count)", RETS_COMPACT_SEARCH, NULL, MLS_MAX_LOGIN_BYTES,
					&response, &reply);
	MemoryContextSwitchTo(old);
	if (reply.code == 20201)
		return 0;
	if (reply.count < 0)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, NULL,
					  "the server answered a count-only Search without a COUNT");
	count = reply.count;
	return count;
}

/*
 * A window of two adjacent milliseconds, [T, T + 1 ms] (what an open window
 * whose rows all lay at T became: split_window), that cannot be paged by
 * key: the server sorts by time, so the rows of T + 1 ms come after those
 * of T whatever their keys.  Each millisecond is read alone instead.  A
 * server that stores a finer time than it writes holds the rows written T
 * between T and T + 1 ms, in neither: [T, T] is then empty, and the run
 * fails there (advance).  Returns false for any other window.
 */
static bool
split_adjacent(MlsSource *source)
{
	RetsState  *st = source->state;
	Window		w = st->window;

	if (w.open || w.to - w.from != WINDOW_RESOLUTION)
		return false;
	push_window(source, w.to, w.to, false, -1);
	push_window(source, w.from, w.from, false, -1);
	st->stack[st->nstack - 1].expect_rows = true;
	st->in_window = false;
	return true;
}

/*
 * After a truncated page of a window paged by key: the next page starts at
 * the page's greatest key, which is safe only when the page came in key
 * order (it is then the smallest keys from key_from on).
 */
static void
continue_by_key(MlsSource *source)
{
	RetsState  *st = source->state;

	if (!st->page_sorted && split_adjacent(source))
		return;
	if (!st->page_sorted)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
					  "more than " INT64_FORMAT " records lie in the window %s and the server does not sort them by %s, so they cannot be paged by key",
					  st->row_cap, window_text(&st->window), source->config->key_field);
	if (st->page_max_key == NULL ||
		(st->key_from && RetsKeyCompare(st->page_max_key, st->key_from) <= 0))
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
					  "a key page of the window %s brought no key past %s",
					  window_text(&st->window), st->key_from ? st->key_from : "the start");
	st->window_rows += st->page_new_rows;
	keep_string(source, &st->key_from, st->page_max_key);
	/* the next key page is an answer of its own */
	st->short_reread = false;
}

/*
 * Split the current window, which holds more rows than the server returns
 * at once; or page it by key when it cannot be split.
 */
static void
split_window(MlsSource *source)
{
	RetsState  *st = source->state;
	Window		w = st->window;
	Timestamp	left_to,
				right_from;

	/*
	 * An open window is closed at the latest timestamp T seen, and the rest
	 * stays open.  The two share T, as the halves of a closed window share
	 * their middle: a server that stores a finer time than it writes holds
	 * records between T - 1 ms and T, which a closed part ending at T - 1 ms
	 * and an open one starting at T would both leave out.
	 */
	if (w.open)
	{
		if (st->have_max && st->max_ts > w.from)
		{
			push_window(source, st->max_ts, 0, true, -1);

			/*
			 * An answer in time order already held every row before T, and
			 * counts prove it.  Any other answer must be read again: a
			 * count that matches the rows held may only mean that as many
			 * rows left the window (changed since) as the answer left out.
			 */
			push_window(source, w.from, st->max_ts, false,
						st->page_time_sorted ? st->rows_below_max : -1);
			/* should counts prove it held, its checkpoint is this answer's */
			if (st->page_time_sorted && st->have_ck)
			{
				Window	   *held = &st->stack[st->nstack - 1];

				held->have_ck = true;
				held->ck_ts = st->ck_ts;
				held->ck_raw = MemoryContextStrdup(source->cxt, st->ck_raw);
				held->ck_key = st->ck_key ? MemoryContextStrdup(source->cxt, st->ck_key) : NULL;
			}
		}
		else
		{
			/* every row returned lies at "from": its millisecond, then on */
			push_window(source, w.from + WINDOW_RESOLUTION, 0, true, -1);
			push_window(source, w.from, w.from + WINDOW_RESOLUTION, false, -1);
		}
		st->in_window = false;
		return;
	}
	if (RetsSplitWindow(w.from, w.to, WINDOW_RESOLUTION, &left_to, &right_from))
	{
		push_window(source, right_from, w.to, false, -1);
		push_window(source, w.from, left_to, false, -1);
		st->in_window = false;
		return;
	}
	/* one millisecond holds more rows than a Search returns: key pages */
	st->key_paging = true;
	st->window_rows = 0;
	if (st->page_rows > 0)
		continue_by_key(source);
}

/*
 * The current window's answers are taken as all the server sends of the
 * rows it counts: it counts rows it never sends (rows it hides from this
 * user), and a key sweep so read proves no listing gone.
 */
static void
take_as_sent(MlsSource *source)
{
	RetsState  *st = source->state;

	st->counts_unserved = true;
	if (source->mode == MLS_FETCH_KEYS)
		source->keys_left_out = true;
}

/*
 * Split the current window, which the server did not answer (20209, 20211)
 * or whose answers held none of the rows they counted, not knowing where
 * its rows lie: a closed window in halves, an open one closed a year ahead
 * of now (past any record) with the rest left open.  An open window that
 * starts there (the rest of such a split: a record dated years ahead lies
 * in it) is closed a day after its start when day_steps, else it cannot be
 * split (closed a year ahead again, it would be split at every turn into
 * an empty window and itself).  False when it cannot be split; so is a
 * window of a millisecond or two.
 */
static bool
split_unanswered(MlsSource *source, bool day_steps)
{
	RetsState  *st = source->state;
	Window		w = st->window;
	Timestamp	left_to,
				right_from;

	if (w.open)
	{
		Timestamp	to = (Timestamp) GetCurrentTimestamp() + USECS_PER_DAY * INT64CONST(366);

		if (to - USECS_PER_DAY <= w.from)
		{
			if (!day_steps)
				return false;
			to = w.from + USECS_PER_DAY;
		}
		push_window(source, to, 0, true, -1);
		push_window(source, w.from, to, false, -1);
	}
	else if (RetsSplitWindow(w.from, w.to, WINDOW_RESOLUTION, &left_to, &right_from))
	{
		push_window(source, right_from, w.to, false, -1);
		push_window(source, w.from, left_to, false, -1);
	}
	else
		return false;
	st->in_window = false;
	return true;
}

/*
 * Note what the parser repaired in a response (characters XML forbids,
 * undeclared ISO-8859-1 bytes): the records are kept, and the repair is on
 * record in mls_sync_errors.
 */
static void
note_repairs(MlsSource *source)
{
	RetsState  *st = source->state;
	const RetsTextStats *stats = &RetsCompactGetInfo(st->parser)->stats;

	if (stats->replaced > 0)
		MlsSourceNote(source, MLS_ERR_DATA, MLS_REPAIRED, 200, -1, NULL, NULL, 1,
					  INT64_FORMAT " characters XML does not allow (control characters, invalid character references) were replaced with U+FFFD in a Search response",
					  stats->replaced);
	if (stats->latin1_bytes > 0)
		MlsSourceNote(source, MLS_ERR_DATA, MLS_REPAIRED, 200, -1, NULL, NULL, 1,
					  INT64_FORMAT " bytes of a Search response that were not UTF-8 were read as windows-1252 (ISO-8859-1)",
					  stats->latin1_bytes);
}

/*
 * Decide what follows a Search response that ended.
 */
static void
finish_search(MlsSource *source)
{
	RetsState  *st = source->state;
	MlsHttpResponse *response = &st->response;
	const RetsCompactInfo *info;
	RetsReply	reply;
	RetsStep	step;
	bool		truncated;

	st->response_ended = false;
	MlsSourceCount(source, response);

	memset(&reply, 0, sizeof(reply));
	reply.count = -1;
	if (response->outcome == MLS_HTTP_OK && response->status == 200)
	{
		if (!st->parse_complete)
			reply.problem = RetsCompactError(st->parser);
		RetsReplyFromInfo(RetsCompactGetInfo(st->parser), &reply);
	}
	else if (response->outcome == MLS_HTTP_SINK_ABORTED)
		reply.problem = RetsCompactError(st->parser);

	note_repairs(source);
	step = RetsSessionJudge(st->session, response, &reply, &st->attempt, "RETS Search");
	if (step == RETS_STEP_AGAIN)
		return;					/* the same page again */
	/* answered: the next Search starts with fresh retries and re-login */
	RetsSessionSucceeded(st->session, &st->attempt);
	if (step == RETS_STEP_SPLIT)
	{
		/* 20209 timeout, 20211 too complex: a narrower window may do */
		if (!split_unanswered(source, true))
			MlsSourceFail(source, MLS_ERR_SERVER, 200, reply.code, response->body.data,
						  "the server cannot answer the Search of the window %s (ReplyCode %d: %s)",
						  window_text(&st->window), reply.code, reply.text ? reply.text : "");
		return;
	}

	info = RetsCompactGetInfo(st->parser);
	if (source->total_expected < 0 && info->count >= 0)
		source->total_expected = info->count;
	if (info->no_records || reply.code == 20201)
	{
		complete_window(source);
		return;
	}
	truncated = info->truncated;

	/*
	 * An answer that counts rows and sends none says nothing of the window:
	 * servers send COUNT and COLUMNS without DATA now and then, and servers
	 * that count rows they hide from this user send it for every window
	 * holding only such rows.  It is read again once.  A second one is
	 * split (halves are read afresh; a passing fault does not follow them),
	 * down to a window that cannot be split, which, like any window once
	 * the server is known to count rows it never sends, is taken as it
	 * came, noted: failing, the run would stop there at every run while a
	 * hidden record is the window's only one.  Not a window the server
	 * showed rows in before (split_adjacent's [T, T]), nor a key page while
	 * the server is not known to hide rows: those stop the run, as a
	 * window paged by key whose rows fall short of its count does.  A
	 * window taken so moves no checkpoint, and a key sweep that took one
	 * removes nothing.
	 */
	if (info->count > 0 && st->page_rows == 0)
	{
		if (!st->short_reread)
		{
			st->short_reread = true;
			/* once a run: a split window's halves would note it at each split */
			if (!st->noted_empty_reread)
				MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_RETRIED, 200, reply.code, NULL, NULL, 1,
							  "the Search of the window %s counted " INT64_FORMAT " records and sent none; it is read again",
							  window_text(&st->window), info->count);
			st->noted_empty_reread = true;
			return;				/* the same window again */
		}
		if (!st->counts_unserved && !st->key_paging && split_unanswered(source, false))
			return;
		if (st->window.expect_rows || (st->key_paging && !st->counts_unserved))
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, NULL,
						  "the Search of the window %s counted " INT64_FORMAT " records and sent none, twice, where rows were read before: the run stops (nothing past the last committed batch is lost)",
						  window_text(&st->window), info->count);
		take_as_sent(source);
		MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_SKIPPED, 200, reply.code, NULL, NULL, 1,
					  "the Search of the window %s counted " INT64_FORMAT " records and sent none, twice: taken as holding none the server sends (a record it counts and does not send is read when it changes again, or by a reconcile)",
					  window_text(&st->window), info->count);
		st->have_ck = false;
		complete_window(source);
		return;
	}

	/* a closed window's first page counts all its rows */
	if (!st->window.open && !st->key_paging && st->window_count < 0 && info->count >= 0)
		st->window_count = info->count;

	if (st->key_paging)
	{
		/* a key page as large as a cap taken from short answers is cut too */
		if (!truncated && st->row_cap_inferred && info->count > st->page_rows &&
			st->page_rows >= st->row_cap)
			truncated = true;
		/* MAXROWS on the last page: COUNT says when it is the last */
		if (st->page_rows == 0 || !truncated ||
			(st->window_count >= 0 && st->window_rows + st->page_new_rows >= st->window_count))
		{
			st->window_rows += st->page_new_rows;
			if (st->window_count >= 0 && st->window_rows != st->window_count &&
				split_adjacent(source))
				return;
			if (st->window_count >= 0 && st->window_rows != st->window_count &&
				!st->row_cap_inferred)
				MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, NULL,
							  "paging the window %s by key read " INT64_FORMAT " records where the server counts " INT64_FORMAT "; it cannot be read exactly",
							  window_text(&st->window), st->window_rows, st->window_count);

			/*
			 * A server whose cap was only inferred from answers short of
			 * their COUNT may count rows it never serves (the cause of the
			 * short answers): the window is taken as read, noted.
			 */
			if (st->window_count >= 0 && st->window_rows < st->window_count)
			{
				take_as_sent(source);
				MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_SKIPPED, 200, reply.code, NULL, NULL, 1,
							  "paging the window %s by key read " INT64_FORMAT " records where the server counts " INT64_FORMAT "; the server says of no answer that it was cut, so it may count records it does not send: taken as read",
							  window_text(&st->window), st->window_rows, st->window_count);
			}
			complete_window(source);
		}
		else
			continue_by_key(source);
		return;
	}

	/*
	 * An answer with fewer rows than its own COUNT that does not say it was
	 * cut (no MAXROWS, no 20208): servers that cap their answers without
	 * saying so, or not every time, and servers that now and then send
	 * COUNT and COLUMNS without DATA.  Taken as complete, it would let the
	 * checkpoint pass the rows it left out (mlsync sends no Limit or
	 * Offset: an answer holds every row it counts).  An answer as large as
	 * the server's known cap is cut; any other is read again once, and a
	 * second short answer is cut too while no cap is known (its size
	 * becomes the cap, and smaller windows follow).  A server that counts
	 * rows it never serves (rows it hides from this user) then shows a
	 * short answer below the cap: it is taken as it came, noted.  (An
	 * answer without rows was dealt with above.)
	 */
	if (!truncated && info->count > st->page_rows)
	{
		if (st->row_cap > 0 && st->page_rows >= st->row_cap)
			truncated = true;
		else if (!st->short_reread)
		{
			st->short_reread = true;
			/* the answer read again is compared with itself only */
			st->have_max = false;
			MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_RETRIED, 200, reply.code, NULL, NULL, 1,
						  "the Search of the window %s sent " INT64_FORMAT " of the " INT64_FORMAT " records it counted without saying it was cut (no MAXROWS); it is read again",
						  window_text(&st->window), st->page_rows, info->count);
			return;				/* the same window again */
		}
		else if (st->row_cap == 0)
		{
			truncated = true;
			MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, 200, reply.code, NULL, NULL, 1,
						  "the Search of the window %s sent " INT64_FORMAT " of the " INT64_FORMAT " records it counted again: taken as the server's cap on rows, read in smaller windows",
						  window_text(&st->window), st->page_rows, info->count);
		}
		else
		{
			take_as_sent(source);
			MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_SKIPPED, 200, reply.code, NULL, NULL, 1,
						  "the Search of the window %s sent " INT64_FORMAT " of the " INT64_FORMAT " records it counted, twice; taken as it came (a record the server counts and does not send is read when it changes again, or by a reconcile)",
						  window_text(&st->window), st->page_rows, info->count);
		}
	}
	if (!truncated)
	{
		complete_window(source);
		return;
	}
	if (st->page_rows > 0)
	{
		if (info->truncated)
			st->row_cap_inferred = false;
		else if (st->row_cap == 0)
			st->row_cap_inferred = true;
		st->row_cap = st->row_cap > 0 ? Min(st->row_cap, st->page_rows) : st->page_rows;
	}
	if (st->window.open && st->page_rows > 0 && !st->have_max)
		MlsSourceFail(source, MLS_ERR_CONFIG, 200, reply.code, NULL,
					  "the Search was truncated and its rows have no readable timestamp in \"%s\" to split it by",
					  source->config->timestamp_field);
	split_window(source);
}

/*
 * Begin the next window (or the next page of the current one); false when
 * no window is left.
 */
static bool
advance(MlsSource *source)
{
	RetsState  *st = source->state;

	while (!st->in_window)
	{
		Window		w;

		if (st->nstack == 0)
			return false;
		w = st->stack[--st->nstack];
		enter_window(source, &w);

		/* once the cap is known, count before downloading a closed window */
		if (!w.open && st->row_cap > 0)
		{
			int64		count = count_window(source, &st->window);

			st->counted = true;
			st->window_count = count;

			/*
			 * Nothing there, or every row before "to" handed over already
			 * (those at "to" the next window reads): the rows before it are
			 * the count less the instant "to" alone.  Not the count alone:
			 * a server that stores a finer time than it writes counts a row
			 * written "to" outside the window, and the rows held may count
			 * it in.
			 */
			if (count == 0 && w.expect_rows)
				MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
							  "the rows the server wrote at %s lie outside the window %s: it stores a finer time than it writes and does not sort by %s, so they cannot be paged",
							  RetsDmqlTimestamp(w.from, false), window_text(&w), source->config->key_field);
			if (count == 0 ||
				(w.rows_held >= 0 && count >= w.rows_held &&
				 (count == w.rows_held ||
				  count - count_window(source, &(Window) {w.to, w.to, false, -1}) == w.rows_held)))
			{
				/*
				 * Its rows came (and were handed over) with the answer
				 * that was split: the checkpoint may move to the latest
				 * of them, which the later windows, past a record dated in
				 * the future, may never reach
				 */
				if (w.have_ck && source->mode == MLS_FETCH_CHANGES)
				{
					st->have_ck = true;
					st->ck_ts = w.ck_ts;
					keep_string(source, &st->ck_raw, w.ck_raw);
					keep_string(source, &st->ck_key, w.ck_key);
					apply_checkpoint(source);
				}
				st->in_window = false;
				continue;
			}
			if (count > st->row_cap)
				split_window(source);
		}
	}
	start_search(source);
	return true;
}

/*
 * Log in and set up the first window.
 */
static void
rets_open(MlsSource *source)
{
	MemoryContext old = MemoryContextSwitchTo(source->cxt);
	RetsState  *st = palloc0(sizeof(RetsState));
	MlsSourceConfig *config = source->config;
	Timestamp	from;

	source->state = st;
	st->utc = pg_tzset("UTC");
	st->response_cxt = AllocSetContextCreate(source->cxt, "mlsync RETS response",
											 ALLOCSET_DEFAULT_SIZES);
	st->key_order = MlsJsonKeyOrderCreate(source->cxt);
	st->session = RetsSessionCreate(source);
	if (config->rets_class == NULL)
		MlsSourceFail(source, MLS_ERR_CONFIG, 0, -1, NULL,
					  "RETS connection \"%s\" has no rets_class", config->connection);

	if (source->mode != MLS_FETCH_ONE && source->mode != MLS_FETCH_LIST)
	{
		const char *raw = source->from_timestamp ? source->from_timestamp :
			source->resume_timestamp ? source->resume_timestamp : FULL_SYNC_FROM;

		/*
		 * an incremental run reads again what came before its watermark late
		 * (as far back as the instant goes, across a change of clocks)
		 */
		if (source->from_timestamp && source->overlap_usecs > 0)
		{
			char	   *earlier = MlsShiftTimestampText(raw, 0, -source->overlap_usecs,
														config->source_zone);

			if (earlier != NULL)
				raw = earlier;
		}
		if (!parse_server_timestamp(st, raw, strlen(raw), &from))
			MlsSourceFail(source, MLS_ERR_INTERNAL, 0, -1, NULL,
						  "the watermark \"%s\" is not a timestamp", raw);
		push_window(source, from, 0, true, -1);
	}
	RetsSessionLogin(st->session);
	source->metadata_version = st->session->metadata_version;
	MemoryContextSwitchTo(old);
}

/*
 * Hand over up to max records of changes or keys, reading windows as
 * needed.
 */
static int
rets_next_windows(MlsSource *source, MlsSourceRecord *records, int max)
{
	RetsState  *st = source->state;
	int			n = 0;
	int64		bytes = 0;

	/* a batch of records past MLS_BATCH_BYTES ends early */
	while (n < max && bytes < MLS_BATCH_BYTES)
	{
		CHECK_FOR_INTERRUPTS();

		if (st->row_pos < st->nrows)
		{
			while (n < max && bytes < MLS_BATCH_BYTES && st->row_pos < st->nrows)
			{
				convert_row(source, st->rows[st->row_pos++], &records[n]);
				if (records[n].record)
					bytes += VARSIZE(records[n].record);
				n++;
			}
			continue;
		}
		if (st->transfer_active)
		{
			if (MlsHttpPaused(source->http))
				MlsHttpResume(source->http);
			if (!MlsHttpStep(source->http))
			{
				/* ended: its last rows first, then what follows */
				st->transfer_active = false;
				st->response_ended = true;
				st->parse_complete = st->response.outcome == MLS_HTTP_OK &&
					st->response.status == 200 && RetsCompactFinish(st->parser);
			}
			take_rows(source);
			continue;
		}
		if (st->response_ended)
		{
			finish_search(source);
			continue;
		}
		if (st->checkpoint_pending)
			apply_checkpoint(source);
		if (st->finished)
			break;
		if (!advance(source))
			st->finished = true;
	}
	return n;
}

/*
 * Fetch one record by key: a Search on the key field.  The source no
 * longer has it only when it says so (20201, or a COUNT of none): an
 * answer without rows and without that (a server that now and then sends
 * COUNT and COLUMNS without DATA) fails the run and removes nothing, as
 * does one whose rows are of other listings.
 */
static int
rets_next_one(MlsSource *source, MlsSourceRecord *records, int max)
{
	RetsState  *st = source->state;
	MlsSourceConfig *config = source->config;
	RetsQuerySpec q = {0};
	RetsSearchArgs a = {0};
	MlsHttpResponse response;
	RetsReply	reply;
	RetsCompactParser *parser;
	RetsRow   **rows;
	int			nrows;
	char		charset[64];

	if (st->finished)
		return 0;
	st->finished = true;
	memset(&records[0], 0, sizeof(MlsSourceRecord));
	records[0].key = source->single_key;

	q.extra = psprintf("(%s=%s)", config->key_field, RetsDmqlValue(source->single_key));
	a.resource = config->resource;
	a.class_name = config->rets_class;
	a.query = RetsDmqlQuery(&q);
	a.format = config->rets_format;
	a.count = 1;
	RetsSessionCall(st->session, st->session->search_url, RetsSearchRequest(&a),
					"RETS Search", RETS_COMPACT_SEARCH, NULL,
					(uint64) mlsync_max_record_bytes * 1024 * 2, &response, &reply);
	if (reply.code == 20201)
	{
		records[0].gone = true;
		return 1;
	}
	parser = RetsCompactCreate(CurrentMemoryContext, RETS_COMPACT_SEARCH,
							   (size_t) mlsync_max_record_bytes * 1024);
	if (RetsContentTypeParam(response.content_type, "charset", charset, sizeof(charset)))
		(void) RetsCompactSetCharset(parser, charset);
	if (!RetsCompactFeed(parser, response.body.data, response.body.len) ||
		!RetsCompactFinish(parser))
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, response.body.data,
					  "malformed Search response: %s", RetsCompactError(parser));
	nrows = RetsCompactTakeRows(parser, &rows);
	if (nrows == 0)
	{
		if (RetsCompactGetInfo(parser)->count != 0)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, response.body.data,
						  "the Search for listing \"%s\" brought no row and did not say there is none (no ReplyCode 20201, no COUNT of 0); the listing is kept",
						  source->single_key);
		records[0].gone = true;
		return 1;
	}
	st->key_column = st->ts_column = -1;
	find_columns(source, RetsCompactGetInfo(parser));
	for (int i = 0; i < nrows; i++)
	{
		RetsRow    *row = rows[i];

		if (st->key_column >= row->nfields ||
			row->lengths[st->key_column] != strlen(source->single_key) ||
			memcmp(row->values[st->key_column], source->single_key, row->lengths[st->key_column]) != 0)
			continue;
		if (row->error)
			records[0].problem = psprintf("malformed row: %s", row->error);
		else
			records[0].record = RetsRowToJsonb(row, NULL);
		return 1;
	}
	MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, NULL,
				  "the Search for listing \"%s\" brought %d rows, none of that listing (the server ignores the query?); the listing is kept",
				  source->single_key, nrows);
	return 1;
}

/*
 * Hand over the records of a list of keys (reconcile's repairs): Searches
 * of up to max keys at a time, (KeyField=K1,K2,...); a truncated answer
 * (a server capping rows lower still) is asked again for half the keys.
 * An answer may hold more rows than keys were asked for (a server that
 * repeats rows, or ignores the query): its rows are kept in the response's
 * memory and handed over max at a time, never more than records holds.
 */
static int
rets_next_list(MlsSource *source, MlsSourceRecord *records, int max)
{
	RetsState  *st = source->state;
	MlsSourceConfig *config = source->config;
	int			chunk = Min(max, LIST_CHUNK);
	int			n = 0;

	for (;;)
	{
		RetsQuerySpec q = {0};
		RetsSearchArgs a = {0};
		MlsHttpResponse response;
		RetsReply	reply;
		StringInfoData keys;
		int			end;
		char		charset[64];

		CHECK_FOR_INTERRUPTS();
		while (n < max && st->row_pos < st->nrows)
			convert_row(source, st->rows[st->row_pos++], &records[n++]);
		if (n > 0 || st->list_pos >= source->nlist_keys)
			return n;

		end = Min(st->list_pos + chunk, source->nlist_keys);
		initStringInfo(&keys);
		for (int i = st->list_pos; i < end; i++)
			appendStringInfo(&keys, "%s%s", i > st->list_pos ? "," : "",
							 RetsDmqlValue(source->list_keys[i]));
		q.extra = psprintf("(%s=%s)", config->key_field, keys.data);
		a.resource = config->resource;
		a.class_name = config->rets_class;
		a.query = RetsDmqlQuery(&q);
		a.format = config->rets_format;
		a.count = 0;
		if (config->select_fields != NIL)
		{
			const char **names = palloc(sizeof(char *) * list_length(config->select_fields));
			ListCell   *lc;
			int			i = 0;

			foreach(lc, config->select_fields)
				names[i++] = lfirst(lc);
			a.select = names;
			a.nselect = i;
		}
		RetsSessionCall(st->session, st->session->search_url, RetsSearchRequest(&a),
						"RETS Search (keys)", RETS_COMPACT_SEARCH, NULL,
						(uint64) mlsync_max_record_bytes * 1024 * (end - st->list_pos + 1),
						&response, &reply);
		if (reply.code == 20201)
		{
			st->list_pos = end;
			continue;
		}
		/* the previous answer's rows are all handed over */
		new_response(source);
		if (RetsContentTypeParam(response.content_type, "charset", charset, sizeof(charset)))
			(void) RetsCompactSetCharset(st->parser, charset);
		if (!RetsCompactFeed(st->parser, response.body.data, response.body.len) ||
			!RetsCompactFinish(st->parser))
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, reply.code, response.body.data,
						  "malformed Search response: %s", RetsCompactError(st->parser));
		if (RetsCompactGetInfo(st->parser)->truncated && end - st->list_pos > 1)
		{
			chunk = Max((end - st->list_pos) / 2, 1);
			continue;
		}
		st->nrows = RetsCompactTakeRows(st->parser, &st->rows);
		if (st->nrows > 0)
			find_columns(source, RetsCompactGetInfo(st->parser));
		st->list_pos = end;
	}
}

static int
rets_next(MlsSource *source, MlsSourceRecord *records, int max)
{
	if (source->mode == MLS_FETCH_ONE)
		return rets_next_one(source, records, max);
	if (source->mode == MLS_FETCH_LIST)
		return rets_next_list(source, records, max);
	return rets_next_windows(source, records, max);
}

/*
 * Log out (also after an error: servers limit sessions).
 */
static void
rets_close(MlsSource *source)
{
	RetsState  *st = source->state;

	if (st == NULL)
		return;
	/* a Search still attached to the client goes before the Logout */
	MlsHttpAbort(source->http);
	st->transfer_active = false;
	RetsSessionLogout(st->session);
}

/*
 * The connection's metadata (GetMetadata), for mls_source_metadata.
 */
static List *
rets_metadata(MlsSource *source)
{
	RetsState  *st = source->state;

	return RetsFetchMetadata(st->session);
}

/*
 * (media hook) The RETS session of a RETS source that is open, so that the
 * media of a sync (src/media/media_list.c) are read with GetObject in the
 * same session; NULL when the source is not open.
 */
RetsSession *
MlsRetsSourceSession(MlsSource *source)
{
	RetsState  *st = source->state;

	return st ? st->session : NULL;
}

const MlsSourceOps MlsRetsSourceOps = {
	.open = rets_open,
	.next = rets_next,
	.close = rets_close,
	.metadata = rets_metadata,
};
