/*-------------------------------------------------------------------------
 *
 * reso.c
 *	  The RESO Web API source (OData 4, OAuth2).  docs/protocols.md W1-W7.
 *
 * Folder src/reso/: the RESO Web API source (this file) and its OData page
 * reader (odata.c).  It knows HTTP (through transport/) and OData, never
 * SQL: it may not include executor/spi.h or engine/ headers.
 *
 * Replication is keyset paging on (ModificationTimestamp, ListingKey), both
 * names per connection: a run asks for "ts ge W" from the watermark W, in
 * (ts, key) order, then after each page "ts gt T or (ts eq T and key gt K)"
 * from the last record (T, K) - never by timestamp alone, which loops or
 * skips when more records share a timestamp than fit on a page.
 * Timestamps are re-sent exactly as the server wrote them.  The server's
 * @odata.nextLink is not followed: many servers page by offset underneath,
 * and when a record earlier in the order changes mid-run every later one
 * shifts and a page is skipped.  Our own keyset continuation stays exact
 * whatever the server's page size; only a connection with paging =
 * 'nextlink' (a server that rejects such filters) follows nextLinks, which
 * must then stay on the endpoint's origin and never repeat.
 *
 * Ties out of order.  A server that orders the records of one timestamp by
 * something else than the key (an index on the timestamp alone) leaves at
 * T keys that are not after K, and "ts eq T and key gt K" would skip them.
 * While few records of T were read (MAX_TIE_KEYS), the next page names
 * them instead ("ts eq T and key ne K1 and key ne K2"): the rest of T,
 * whatever its order (a page holding one record of T shows none).  Past
 * that, the order of the records read at T is checked: when they came out
 * of key order, T is read whole as below.
 *
 * Progress guard.  A page whose records all lie at or before the cursor
 * brought nothing new: the server keeps timestamps finer than it sends
 * (microseconds stored, milliseconds sent), so "ts gt T" matches records
 * already read, again and again.  The run then pages by key inside the
 * window [T - u, T + u), u being one unit of the precision T is written in,
 * and resumes at "ts ge T + u".  A window page that brings no key past the
 * last one, keys out of order, or a page URL about to be requested twice in
 * a row mean a server that ignores $filter or $orderby: the run fails with
 * a protocol error instead of looping (mlsync.max_requests_per_run bounds
 * any run as a last resort).
 *
 * Pages are streamed: the OData page reader (odata.c) splits records while
 * they download and pauses the transfer when it holds enough; next() hands
 * them over and resumes.  A page that fails (network, 5xx, 429, a
 * truncated or malformed body) is asked for again, with backoff; records
 * it already delivered come again and are written idempotently.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "mapping/convert.h"
#include "mlsync.h"
#include "reso/odata.h"
#include "transport/source.h"

/* Refresh a token this long before it expires (RESO tools use 30 s) */
#define TOKEN_MARGIN_SECONDS 30
/* A token response without expires_in is taken to last this long */
#define TOKEN_DEFAULT_SECONDS 900
/* Records the page reader holds before it pauses the transfer */
#define HOLD_RECORDS 256

/* Keys of the cursor's timestamp a next page may name to leave out */
#define MAX_TIE_KEYS 8

/* Smaller pages asked for after $top refusals, at most (a named limit, then halves) */
#define MAX_TOP_REFUSALS 3

typedef struct ResoState
{
	MemoryContext page_cxt;		/* one page's request and response; reset per page */
	MemoryContext parse_cxt;	/* parsing one record; reset per record */
	MlsJsonKeyOrder *key_order; /* of the records' keys, learnt */
	MlsODataPage *page;
	char	   *resource_url;	/* service root + resource */
	char	   *token;			/* bearer token */
	TimestampTz token_expires_at;	/* 0: never (a static token) */
	char	   *authorization;	/* "Authorization: Bearer ..." */
	char	   *prefer;			/* "Prefer: odata.maxpagesize=N" */

	/* paging */
	char	   *page_url;		/* the page being read */
	char	   *previous_url;	/* the last page read to its end */
	bool		follow_next_links;	/* paging = 'nextlink' */
	char	   *next_link;		/* ... the server's next page, resolved */
	char	   *next_link_failure;	/* ... why the link cannot be followed */
	List	   *visited;		/* ... hashes (uint64 *) of the pages read */
	char	   *lower_bound;	/* "ts ge" bound when there is no cursor (raw) */
	char	   *start_timestamp;	/* the cursor when the page was asked for */
	char	   *start_key;
	int64		last_page_records;	/* records of the last page read to its end */
	int			list_pos;		/* MLS_FETCH_LIST: first key of the chunk being read */
	int			list_size;		/* ... keys a chunk asks for: LIST_CHUNK, less
								 * when the server refused that many */
	char	   *page_last_timestamp;	/* the page's last record, for order checks */
	char	   *page_last_key;
	bool		window;			/* paging by key inside [window_lo, window_hi) */
	char	   *window_lo;
	char	   *window_hi;
	char	   *window_key;		/* the last key read in the window */
	char	   *window_reach_timestamp; /* the latest record read in the
										 * window: the checkpoint moves
										 * there once the window is read */
	char	   *window_reach_key;
	bool		first_page;
	int			page_size;		/* $top: the connection's, or less when the
								 * server refused it */
	bool		asked_count;	/* the page asked for $count=true */
	bool		count_refused;	/* the server refused $count: never again */
	bool		orderby_refused;	/* the server refused $orderby: its order
									 * is checked across pages, and the
									 * checkpoint moves at the end only */
	char	   *chain_timestamp;	/* ... the last timestamp of the pages
									 * handed over, for that check */
	char	   *pending_timestamp;	/* ... the checkpoint the reading reaches
									 * when it ends */
	char	   *pending_key;
	bool		transfer_active;
	bool		finished;
	bool		end_confirmed;	/* an empty page that ends a key sweep or a
								 * window was asked for again */
	bool		ties_unordered; /* the records read at the cursor's timestamp
								 * came out of key order (on any page) */
	bool		asked_tie_keys; /* the page named the keys read at the cursor's
								 * timestamp ("key ne") */
	bool		tie_keys_refused;	/* the server refused that filter: never
									 * again */
	int			top_refusals;	/* $top refusals answered with a smaller page */
	int			attempt;		/* retries of the current page */
	bool		reauthenticated;	/* a 401 already led to a new token */
	int64		page_records;
	int64		page_keyless;	/* ... of which without a key (unreadable) */
	MlsHttpRequest request;
	MlsHttpResponse response;

	/* records split but not yet handed over */
	MlsODataRecord *taken;
	int			ntaken;
	int			taken_pos;

	/*
	 * The keyset cursor: the last record of the pages read, in the server's
	 * order (its collation decides how keys sort, not ours), raw.
	 */
	char	   *last_timestamp;
	char	   *last_key;

	/*
	 * The keys read at last_timestamp since the cursor came to it, while
	 * there are at most MAX_TIE_KEYS (ntie_keys is MAX_TIE_KEYS + 1 once
	 * there were more).
	 */
	char	   *tie_keys[MAX_TIE_KEYS];
	int			ntie_keys;
} ResoState;

/* Keys asked for at once in MLS_FETCH_LIST (a $filter of "eq ... or ...") */
#define LIST_CHUNK 40

/*
 * The OData enum member name of a lookup's display value, as the RESO Data
 * Dictionary derives it (LegacyODataValue): letters and digits only.
 */
static char *
enum_member_name(const char *display)
{
	char	   *name = palloc(strlen(display) + 1);
	char	   *out = name;

	for (const char *p = display; *p; p++)
		if (isalnum((unsigned char) *p))
			*out++ = *p;
	*out = '\0';
	return name;
}

/*
 * Append "name=value" (value percent-encoded) to a query string.
 */
static void
add_param(StringInfo query, const char *name, const char *value)
{
	appendStringInfo(query, "%s%s=%s", query->len > 0 ? "&" : "", name, MlsHttpEscape(value));
}

/*
 * The $filter clauses every query of the connection carries: its own
 * filter and, for a reading of what the feed holds now (a full load, a key
 * sweep), its statuses and, with a visibility field, the records it shows
 * as visible (as MLS Grid asks of initial imports).  Changes and lookups by
 * key take every record, so that those leaving the statuses or withdrawn
 * show.
 */
static void
add_connection_filters(MlsSource *source, List **clauses, bool current_only)
{
	MlsSourceConfig *config = source->config;

	if (config->source_filter && config->source_filter[0])
		*clauses = lappend(*clauses, psprintf("(%s)", config->source_filter));
	if (current_only && config->visibility_field)
		*clauses = lappend(*clauses, psprintf("%s eq true", config->visibility_field));
	if (current_only && config->statuses != NIL)
	{
		StringInfoData buf;
		ListCell   *lc;

		initStringInfo(&buf);
		foreach(lc, config->statuses)
		{
			const char *display = lfirst(lc);
			char	   *enum_spelling = enum_member_name(display);

			/*
			 * Servers store lookups as "Active Under Contract" or as
			 * "ActiveUnderContract" and compare strings exactly, without an
			 * error for the other spelling: ask for both.
			 */
			appendStringInfo(&buf, "%sStandardStatus eq %s",
							 buf.len > 0 ? " or " : "", MlsODataString(display));
			if (strcmp(enum_spelling, display) != 0)
				appendStringInfo(&buf, " or StandardStatus eq %s", MlsODataString(enum_spelling));
		}
		*clauses = lappend(*clauses, psprintf("(%s)", buf.data));
	}
}

/*
 * Join filter clauses with "and".
 */
static char *
join_clauses(List *clauses)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, clauses)
		appendStringInfo(&buf, "%s%s", buf.len > 0 ? " and " : "", (char *) lfirst(lc));
	return buf.data;
}

/*
 * Whether a server's error message names a query option, as a word of its
 * own in any case ("$orderby is not supported", "The query option 'OrderBy'
 * is not allowed"; "count", not "account").
 */
static bool
mentions_option(const char *message, const char *option)
{
	size_t		len = strlen(option);

	for (const char *p = message; *p; p++)
	{
		if (pg_strncasecmp(p, option, len) == 0 &&
			(p == message || !isalpha((unsigned char) p[-1])) && !isalpha((unsigned char) p[len]))
			return true;
	}
	return false;
}

/*
 * Whether a server's error message says that $top passed a limit: the word
 * "top" on its own ("$top", "Top query"), not inside another ("stop"), and
 * words of a limit ("The limit of '200' for Top query has been exceeded",
 * "$top must be less than or equal to 200").  A message that only lists
 * the query options a server takes is about something else.
 */
static bool
mentions_top(const char *message)
{
	static const char *const limit_words[] = {
		"limit", "exceed", "max", "between", "less", "greater", "larg", "at most", "too "
	};

	if (!mentions_option(message, "top"))
		return false;
	for (int i = 0; i < lengthof(limit_words); i++)
	{
		size_t		len = strlen(limit_words[i]);

		for (const char *p = message; *p; p++)
			if (pg_strncasecmp(p, limit_words[i], len) == 0)
				return true;
	}
	return false;
}

/*
 * The page size to ask for after a server refused $top=refused: the
 * largest number its message names below refused (its limit: "The limit
 * of '200' for Top query", "$top must be between 1 and 200"), else half of
 * refused; 0 when there is nothing smaller to ask for.
 */
static int
smaller_page_size(const char *message, int refused)
{
	int			best = 0;

	for (const char *p = message; *p; p++)
	{
		int64		n = 0;
		int			digits = 0;

		if (!isdigit((unsigned char) *p) || (p > message && isdigit((unsigned char) p[-1])))
			continue;
		/* a number of more than 9 digits is no page size */
		while (isdigit((unsigned char) p[digits]) && digits < 10)
			n = n * 10 + (p[digits++] - '0');
		if (digits < 10 && n >= 1 && n < refused && n > best)
			best = (int) n;
	}
	return best > 0 ? best : refused / 2;
}

/*
 * Whether the next page may name the keys read at the cursor's timestamp
 * instead of asking for the keys after the last (see changes_url).
 */
static bool
tie_keys_usable(ResoState *st)
{
	return st->ntie_keys <= MAX_TIE_KEYS && !st->tie_keys_refused;
}

/*
 * Keys asked for in one chunk of MLS_FETCH_LIST: at most a page.
 */
static int
list_chunk(MlsSource *source)
{
	ResoState  *st = source->state;

	return Min(st->list_size, st->page_size);
}

/*
 * A $select list of field names.
 */
static char *
select_list(List *fields)
{
	StringInfoData select;
	ListCell   *lc;

	initStringInfo(&select);
	foreach(lc, fields)
		appendStringInfo(&select, "%s%s", select.len > 0 ? "," : "", (char *) lfirst(lc));
	return select.data;
}

/*
 * The URL of the next page of changes, by keyset from the last record (or
 * from the watermark, or from the start).
 */
static char *
changes_url(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	const char *ts = config->timestamp_field;
	const char *key = config->key_field;
	List	   *clauses = NIL;
	StringInfoData query;

	st->asked_tie_keys = false;
	if (st->window)
		clauses = lappend(clauses,
						  psprintf("%s ge %s and %s lt %s%s%s", ts, st->window_lo, ts, st->window_hi,
								   st->window_key ? psprintf(" and %s gt ", key) : "",
								   st->window_key ? MlsODataString(st->window_key) : ""));
	else if (st->last_timestamp && st->last_key && tie_keys_usable(st))
	{
		/*
		 * Few records of the cursor's timestamp T were read, all named: the
		 * rest of T is whatever else the server holds at T, in whatever
		 * order it gives ties.  A page holding one record of T shows no
		 * order to check, and "key gt K" would skip, on a server that does
		 * not order ties by key, those of T with lower keys still to come.
		 */
		StringInfoData others;

		initStringInfo(&others);
		for (int i = 0; i < st->ntie_keys; i++)
			appendStringInfo(&others, " and %s ne %s", key, MlsODataString(st->tie_keys[i]));
		clauses = lappend(clauses,
						  psprintf("(%s gt %s or (%s eq %s%s))",
								   ts, st->last_timestamp, ts, st->last_timestamp, others.data));
		st->asked_tie_keys = true;
	}
	else if (st->last_timestamp && st->last_key)
		clauses = lappend(clauses,
						  psprintf("(%s gt %s or (%s eq %s and %s gt %s))",
								   ts, st->last_timestamp, ts, st->last_timestamp,
								   key, MlsODataString(st->last_key)));
	else if (st->lower_bound)
		clauses = lappend(clauses, psprintf("%s ge %s", ts, st->lower_bound));
	/* a full load takes the connection's statuses; changes take every status */
	add_connection_filters(source, &clauses, source->from_timestamp == NULL);

	initStringInfo(&query);
	if (clauses != NIL)
		add_param(&query, "$filter", join_clauses(clauses));
	/* (a server that refused $orderby answers in its own order, checked) */
	if (!st->orderby_refused)
		add_param(&query, "$orderby", st->window ? psprintf("%s asc", key) :
				  psprintf("%s asc,%s asc", ts, key));
	add_param(&query, "$top", psprintf("%d", st->page_size));
	st->asked_count = st->first_page && !st->count_refused;
	if (st->asked_count)
		add_param(&query, "$count", "true");
	if (config->select_fields != NIL)
		add_param(&query, "$select", select_list(config->select_fields));
	if (config->expand_media)
		add_param(&query, "$expand", "Media");
	return psprintf("%s?%s", st->resource_url, query.data);
}

/*
 * The URL of the next page of keys (reconcile: each with its timestamp), or
 * of the records of the current chunk of a key list; by keyset on the key.
 */
static char *
keys_url(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	List	   *clauses = NIL;
	StringInfoData query;

	if (source->mode == MLS_FETCH_LIST)
	{
		StringInfoData list;
		int			end = Min(st->list_pos + list_chunk(source), source->nlist_keys);

		initStringInfo(&list);
		for (int i = st->list_pos; i < end; i++)
			appendStringInfo(&list, "%s%s eq %s", i > st->list_pos ? " or " : "",
							 config->key_field, MlsODataString(source->list_keys[i]));
		clauses = lappend(clauses, psprintf("(%s)", list.data));
	}
	if (st->last_key)
		clauses = lappend(clauses, psprintf("%s gt %s", config->key_field,
											MlsODataString(st->last_key)));
	/* a list looks keys up in every status: one may have left them unseen */
	add_connection_filters(source, &clauses, source->mode == MLS_FETCH_KEYS);
	initStringInfo(&query);
	if (clauses != NIL)
		add_param(&query, "$filter", join_clauses(clauses));
	if (source->mode == MLS_FETCH_KEYS)
		add_param(&query, "$select", psprintf("%s,%s", config->key_field, config->timestamp_field));
	else if (config->select_fields != NIL)
		add_param(&query, "$select", select_list(config->select_fields));
	add_param(&query, "$orderby", psprintf("%s asc", config->key_field));
	add_param(&query, "$top", psprintf("%d", st->page_size));
	st->asked_count = st->first_page && source->mode == MLS_FETCH_KEYS && !st->count_refused;
	if (st->asked_count)
		add_param(&query, "$count", "true");
	return psprintf("%s?%s", st->resource_url, query.data);
}

/*
 * Forget the keys read at the cursor's timestamp (it moved on, or paging
 * left it).
 */
static void
forget_tie_keys(ResoState *st)
{
	for (int i = 0; i < Min(st->ntie_keys, MAX_TIE_KEYS); i++)
		pfree(st->tie_keys[i]);
	st->ntie_keys = 0;
	st->ties_unordered = false;
}

/*
 * A record at the cursor's timestamp was read: keep its key while they are
 * few (once: a page read again, or a server that compares finer timestamps
 * than it sends, hands keys over again).
 */
static void
note_tie_key(MlsSource *source, const char *key)
{
	ResoState  *st = source->state;

	for (int i = 0; i < Min(st->ntie_keys, MAX_TIE_KEYS); i++)
		if (strcmp(st->tie_keys[i], key) == 0)
			return;
	if (st->ntie_keys < MAX_TIE_KEYS)
		st->tie_keys[st->ntie_keys] = MemoryContextStrdup(source->cxt, key);
	if (st->ntie_keys <= MAX_TIE_KEYS)
		st->ntie_keys++;
}

/*
 * The previous page brought records, none of them past the cursor (T, K),
 * or its records at T came out of key order (unordered_ties): page by key
 * inside [T - u, T + u) from now on (see the header comment).
 */
static void
enter_window(MlsSource *source, bool unordered_ties)
{
	ResoState  *st = source->state;
	char	   *lo = MlsShiftTimestampText(st->last_timestamp, -1, 0, source->config->source_zone);
	char	   *hi = MlsShiftTimestampText(st->last_timestamp, 1, 0, source->config->source_zone);

	if (lo == NULL || hi == NULL)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
					  "the server's pages make no progress past %s = %s, which is not a timestamp",
					  source->config->timestamp_field, st->last_timestamp);
	if (unordered_ties)
		MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, 200, -1, st->last_key, NULL, 1,
					  "the records of a page at %s = %s came out of %s order (the server orders them by something else, or compares timestamps finer than it sends them): (%s, %s) does not say which of them are left; reading [%s, %s) by %s",
					  source->config->timestamp_field, st->last_timestamp,
					  source->config->key_field, st->last_timestamp, st->last_key, lo, hi,
					  source->config->key_field);
	else
		MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, 200, -1, st->last_key, NULL, 1,
					  "a page brought no record past (%s, %s): the server compares timestamps finer than it sends them; reading [%s, %s) by %s",
					  st->last_timestamp, st->last_key, lo, hi, source->config->key_field);
	st->window = true;
	forget_tie_keys(st);
	st->window_lo = MemoryContextStrdup(source->cxt, lo);
	st->window_hi = MemoryContextStrdup(source->cxt, hi);
	st->window_key = NULL;
}

static void move_position(MlsSource *source, char **pos_ts, char **pos_key, const char *ts,
						  const char *key);

/*
 * A window page brought nothing: the window is read, paging goes on by
 * timestamp from its end, and the checkpoint moves to the latest record
 * read in it.
 */
static void
leave_window(MlsSource *source)
{
	ResoState  *st = source->state;

	st->window = false;
	forget_tie_keys(st);
	st->lower_bound = st->window_hi;
	if (st->window_reach_timestamp)
	{
		move_position(source, &source->checkpoint_timestamp, &source->checkpoint_key,
					  st->window_reach_timestamp, st->window_reach_key);
		pfree(st->window_reach_timestamp);
		pfree(st->window_reach_key);
		st->window_reach_timestamp = st->window_reach_key = NULL;
	}
	if (st->last_timestamp)
		pfree(st->last_timestamp);
	if (st->last_key)
		pfree(st->last_key);
	if (st->window_key)
		pfree(st->window_key);
	st->last_timestamp = st->last_key = st->window_key = NULL;
}

/*
 * Replace a position string (a cursor, the checkpoint) with a copy of
 * value in the run's memory.  The old copy is freed: positions change with
 * every record, and keeping every copy would grow the run's memory with
 * the number of records.  Each position owns its copy (never shared).
 */
static char *
keep(MlsSource *source, char *old, const char *value)
{
	if (old != NULL)
		pfree(old);
	return MemoryContextStrdup(source->cxt, value);
}

/*
 * Whether two strings, either NULL, are the same.
 */
static bool
same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * Whether a string is all digits (a key an Edm.Int64 field or a numeric
 * collation sorts by value).
 */
static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char) *s))
			return false;
	return true;
}

/*
 * Whether key a certainly sorts before key b on the server: before it byte
 * by byte, without regard to case, and, both being digits, by value ("100"
 * comes after "99" by value).  Servers sort by collations we cannot know;
 * an order check must not mistake theirs for disorder.
 */
static bool
key_precedes(const char *a, const char *b)
{
	if (strcmp(a, b) >= 0 || pg_strcasecmp(a, b) >= 0)
		return false;
	if (all_digits(a) && all_digits(b))
	{
		size_t		la = strspn(a, "0"),
					lb = strspn(b, "0");

		/* by value: the shorter without leading zeros is the smaller */
		if (strlen(a + la) != strlen(b + lb))
			return strlen(a + la) < strlen(b + lb);
		return strcmp(a + la, b + lb) < 0;
	}
	return true;
}

/*
 * Whether a list of keys (MLS_FETCH_LIST) has keys after those being read.
 */
static bool
list_has_more(MlsSource *source)
{
	ResoState  *st = source->state;

	return source->mode == MLS_FETCH_LIST &&
		st->list_pos + list_chunk(source) < source->nlist_keys;
}

/*
 * Forget how far a list's chunk was read, so that its next query starts
 * at the chunk's first key; the guards against a server repeating itself
 * start over with it (the new query's links may repeat the last one's,
 * being opaque tokens).
 */
static void
forget_chunk_reading(ResoState *st)
{
	if (st->last_key)
		pfree(st->last_key);
	if (st->start_key)
		pfree(st->start_key);
	st->last_key = st->start_key = NULL;
	list_free_deep(st->visited);
	st->visited = NIL;
}

/*
 * A list of keys: move to its next keys, from their first page.  Returns
 * false when the list has no more (or the source reads no list).
 */
static bool
next_list_chunk(MlsSource *source)
{
	ResoState  *st = source->state;

	if (!list_has_more(source))
		return false;
	st->list_pos += list_chunk(source);
	forget_chunk_reading(st);
	return true;
}

/*
 * Fail a run whose server does not honour the query it was sent.
 */
static void
fail_no_progress(MlsSource *source, const char *what)
{
	MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
				  "the server %s: paging cannot make progress, so the run stops (nothing past the last committed batch is lost)",
				  what);
}

/*
 * Fail a run whose records came out of the order its paging needs (field's
 * value after previous): the server ignores $orderby, or, having refused
 * it, answers in an order of its own that is another.
 */
static void
fail_out_of_order(MlsSource *source, const char *field, const char *value, const char *previous)
{
	if (((ResoState *) source->state)->orderby_refused)
		MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
					  "the server takes no $orderby and answers in an order other than by %s (%s %s came after %s): the run stops, its watermark where it was",
					  field, field, value, previous);
	fail_no_progress(source, psprintf("ignores $orderby: %s %s came after %s", field, value, previous));
}

/*
 * The URL of the next page of mlsync's own query (not a server's next
 * link): of changes or of keys, as the run reads.
 */
static char *
page_query_url(MlsSource *source)
{
	return source->mode == MLS_FETCH_CHANGES ? changes_url(source) : keys_url(source);
}

/*
 * The URL of the next page to read, or NULL when the source has no more.
 * Called only once every record of the previous page has been handed
 * over, so the progress that page made is known.
 */
static char *
next_page_url(MlsSource *source)
{
	ResoState  *st = source->state;
	char	   *url;

	/* a server in its own order: the next page goes on from this one */
	if (st->orderby_refused && st->page_last_timestamp)
		st->chain_timestamp = keep(source, st->chain_timestamp, st->page_last_timestamp);
	if (st->follow_next_links && !st->first_page)
	{
		uint64		hash;
		ListCell   *lc;

		if (st->next_link_failure != NULL)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL, "%s", st->next_link_failure);
		if (st->next_link != NULL)
		{
			url = st->next_link;
			st->next_link = NULL;
		}
		/* a list of keys goes on with its next keys once their links end */
		else if (next_list_chunk(source))
			return MemoryContextStrdup(source->cxt, keys_url(source));
		else
			return NULL;
		if (!MlsOriginAllowed(url, MlsUrlOrigin(st->resource_url),
							  source->config->allowed_origins))
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
						  "@odata.nextLink leads to another origin (%s); the connection's credentials are not sent there",
						  MlsUrlOrigin(url) ? MlsUrlOrigin(url) : url);
		hash = hash_bytes_extended((const unsigned char *) url, strlen(url), 0);
		foreach(lc, st->visited)
		{
			if (*(uint64 *) lfirst(lc) == hash)
				fail_no_progress(source, psprintf("sent an @odata.nextLink to a page already read (%s)", url));
		}
		{
			MemoryContext old = MemoryContextSwitchTo(source->cxt);
			uint64	   *copy = palloc(sizeof(uint64));

			*copy = hash;
			st->visited = lappend(st->visited, copy);
			MemoryContextSwitchTo(old);
		}
	}
	else
	{
		bool		key_paged = source->mode != MLS_FETCH_CHANGES || st->window;
		const char *cursor_ts = key_paged ? NULL : st->last_timestamp;
		const char *cursor_key = st->window ? st->window_key : st->last_key;

		/* the previous page had records (else the source had ended) */
		if (!st->first_page && st->last_page_records > 0 &&
			same_string(cursor_ts, st->start_timestamp) && same_string(cursor_key, st->start_key))
		{
			/*
			 * What is left of a list's chunk are records without a key
			 * (handed over as unreadable, which the pipeline notes): the
			 * list goes on with its next keys.
			 */
			if (source->mode == MLS_FETCH_LIST && st->page_keyless > 0)
			{
				if (!next_list_chunk(source))
					return NULL;
			}
			else if (key_paged)
				fail_no_progress(source, psprintf("ignores $filter: a page brought no %s past %s",
												  source->config->key_field,
												  cursor_key ? cursor_key : "the first"));
			/* no window around a timestamp no record had */
			else if (cursor_ts == NULL)
				fail_no_progress(source, psprintf("sent a page of " INT64_FORMAT " records none of which has both a %s and a %s to page from",
												  st->last_page_records,
												  source->config->timestamp_field,
												  source->config->key_field));
			else
				enter_window(source, false);
		}

		/*
		 * The records read at the cursor's timestamp T came out of key
		 * order, and too many of them to name: those left at T are not
		 * the keys after the last one, so "ts eq T and key gt K" would
		 * skip some.  Read all of T by key.
		 */
		else if (!key_paged && st->ties_unordered && !tie_keys_usable(st) && cursor_ts != NULL)
			enter_window(source, true);
		url = page_query_url(source);
		if (st->previous_url && strcmp(url, st->previous_url) == 0)
			fail_no_progress(source, psprintf("would be asked for the same page twice in a row (%s)", url));
		/* what the next page will be judged against */
		cursor_ts = st->window ? NULL : st->last_timestamp;
		cursor_key = st->window ? st->window_key : st->last_key;
		if (st->start_timestamp)
			pfree(st->start_timestamp);
		if (st->start_key)
			pfree(st->start_key);
		st->start_timestamp = cursor_ts ? MemoryContextStrdup(source->cxt, cursor_ts) : NULL;
		st->start_key = cursor_key ? MemoryContextStrdup(source->cxt, cursor_key) : NULL;
	}
	return MemoryContextStrdup(source->cxt, url);
}

/*
 * Get an OAuth2 client-credentials token (docs/protocols.md W4), with the
 * secret in a Basic header or in the form body, as the connection says.
 */
static void
fetch_token(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	StringInfoData body;
	MlsHttpRequest request;
	MlsHttpResponse response;
	int			attempt = 0;

	if (config->client_secret == NULL)
		MlsSourceFail(source, MLS_ERR_CONFIG, 0, -1, NULL,
					  "connection \"%s\" has a token_url but no client_secret", config->connection);

	initStringInfo(&body);
	appendStringInfoString(&body, "grant_type=client_credentials");
	if (config->oauth_scope)
		appendStringInfo(&body, "&scope=%s", MlsHttpEscape(config->oauth_scope));
	memset(&request, 0, sizeof(request));
	request.url = config->token_url;
	/* the body (or a header) is the secret: never re-sent elsewhere */
	request.no_redirects = true;
	request.max_body_bytes = MLS_MAX_TOKEN_BYTES;
	request.headers[0] = "Content-Type: application/x-www-form-urlencoded";
	request.headers[1] = "Accept: application/json";
	if (strcmp(config->oauth_client_auth, "body") == 0)
		appendStringInfo(&body, "&client_id=%s&client_secret=%s",
						 MlsHttpEscape(config->username ? config->username : ""),
						 MlsHttpEscape(config->client_secret));
	else
		request.headers[2] = MlsHttpBasicAuthHeader(config->username, config->client_secret);
	request.body = body.data;

	for (;;)
	{
		attempt++;
		MlsSourceThrottle(source);
		MlsHttpPerform(source->http, &request, &response);
		MlsSourceCount(source, &response);
		if (response.outcome == MLS_HTTP_OK && response.status == 200)
			break;
		if (MlsHttpOutcomeFinal(&response))
			MlsSourceFail(source, MlsHttpErrorCategory(&response), response.status, -1, NULL,
						  "token request failed: %s", response.error);
		if (response.outcome == MLS_HTTP_OK && response.status >= 300 && response.status < 400)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, response.status, -1, NULL,
						  "the token endpoint answered with a redirect (HTTP %ld); token requests do not follow redirects",
						  response.status);
		if (response.outcome == MLS_HTTP_OK &&
			(response.status == 400 || response.status == 401 || response.status == 403))
			MlsSourceFail(source, MLS_ERR_AUTH, response.status, -1, response.body.data,
						  "the token endpoint refused the client credentials (HTTP %ld)",
						  response.status);
		if (response.outcome == MLS_HTTP_OK && response.status < 500 && response.status != 429)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, response.status, -1, response.body.data,
						  "the token endpoint answered HTTP %ld", response.status);
		MlsSourceNote(source, MlsHttpErrorCategory(&response), MLS_RETRIED, response.status, -1,
					  NULL, response.body.data, attempt, "token request failed: %s",
					  response.outcome == MLS_HTTP_OK ? psprintf("HTTP %ld", response.status) : response.error);
		if (!MlsSourceBackoff(source, attempt, response.retry_after))
			MlsSourceFail(source, MlsHttpErrorCategory(&response), response.status, -1,
						  response.body.data, "token request failed after %d attempt%s", attempt,
						  attempt == 1 ? "" : "s");
	}
	explicit_bzero(body.data, body.len);

	{
		char	   *problem = NULL;
		Jsonb	   *json = MlsJsonToJsonb(response.body.data, response.body.len, &problem);
		JsonbValue	v;
		int64		expires_in = TOKEN_DEFAULT_SECONDS;

		if (json == NULL ||
			getKeyJsonValueFromContainer(&json->root, "access_token", 12, &v) == NULL ||
			v.type != jbvString)
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
						  "the token endpoint's answer has no access_token%s%s",
						  problem ? ": " : "", problem ? problem : "");
		st->token = MemoryContextAlloc(source->cxt, v.val.string.len + 1);
		memcpy(st->token, v.val.string.val, v.val.string.len);
		st->token[v.val.string.len] = '\0';
		/* it goes into a header: a CR or LF in it would add headers */
		if (strlen(st->token) != v.val.string.len || MlsHeaderControlChar(st->token) >= 0)
		{
			explicit_bzero(st->token, v.val.string.len);
			st->token = NULL;
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, NULL,
						  "the token endpoint's access_token contains a control character; it is not used");
		}
		if (getKeyJsonValueFromContainer(&json->root, "expires_in", 10, &v) != NULL)
		{
			if (v.type == jbvNumeric)
				(void) MlsNumericToInt64(NumericGetDatum(v.val.numeric), &expires_in);
			else if (v.type == jbvString)
				(void) MlsParseInt64(v.val.string.val, v.val.string.len, &expires_in);
		}
		/* a lifetime past a day is taken as a day (far larger ones overflow) */
		expires_in = Min(Max(expires_in, 0), SECS_PER_DAY);
		st->token_expires_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
														   Max(expires_in - TOKEN_MARGIN_SECONDS, 1) * 1000);
		st->authorization = MemoryContextStrdup(source->cxt,
												psprintf("Authorization: Bearer %s", st->token));
	}
}

/*
 * A usable bearer token: the static one, or a fresh OAuth2 token.
 */
static void
ensure_token(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;

	if (config->token_url == NULL)
	{
		if (config->access_token == NULL)
			MlsSourceFail(source, MLS_ERR_CONFIG, 0, -1, NULL,
						  "connection \"%s\" has neither a token_url nor an access_token",
						  config->connection);
		if (st->authorization == NULL)
			st->authorization = MemoryContextStrdup(source->cxt,
													psprintf("Authorization: Bearer %s",
															 config->access_token));
		return;
	}
	if (st->token == NULL || GetCurrentTimestamp() >= st->token_expires_at)
		fetch_token(source);
}

static void ask_newest(MlsSource *source);

static void
reso_open(MlsSource *source)
{
	MemoryContext old = MemoryContextSwitchTo(source->cxt);
	ResoState  *st = palloc0(sizeof(ResoState));
	MlsSourceConfig *config = source->config;
	const char *root = config->endpoint;
	int			len = strlen(root);

	source->state = st;
	st->page_cxt = AllocSetContextCreate(source->cxt, "mlsync RESO page", ALLOCSET_DEFAULT_SIZES);
	st->parse_cxt = AllocSetContextCreate(source->cxt, "mlsync RESO record", ALLOCSET_DEFAULT_SIZES);
	st->key_order = MlsJsonKeyOrderCreate(source->cxt);
	st->resource_url = psprintf("%s%s%s", root, (len > 0 && root[len - 1] == '/') ? "" : "/",
								config->resource);
	st->page_size = config->page_size;
	st->list_size = LIST_CHUNK;
	st->prefer = psprintf("Prefer: odata.maxpagesize=%d", st->page_size);
	st->page = MlsODataPageCreate(HOLD_RECORDS, (size_t) mlsync_max_record_bytes * 1024);
	st->first_page = true;
	st->lower_bound = source->from_timestamp ? source->from_timestamp : source->resume_timestamp;
	/* an incremental run reads again what came before its watermark late */
	if (source->from_timestamp && source->overlap_usecs > 0)
	{
		char	   *earlier = MlsShiftTimestampText(source->from_timestamp, 0, -source->overlap_usecs,
												 source->config->source_zone);

		if (earlier != NULL)
			st->lower_bound = earlier;
	}
	st->follow_next_links = config->paging && strcmp(config->paging, "nextlink") == 0;
	source->keys_may_shift = st->follow_next_links && source->mode == MLS_FETCH_KEYS;
	ensure_token(source);
	if (source->want_newest && source->mode == MLS_FETCH_CHANGES)
		ask_newest(source);
	MemoryContextSwitchTo(old);
}

/*
 * Start reading a page.
 */
static void
start_page(MlsSource *source, const char *url)
{
	ResoState  *st = source->state;
	MemoryContext old;

	ensure_token(source);
	if (st->page_url != url)
		st->page_url = MemoryContextStrdup(source->cxt, url);
	/* order is checked within one answer: a page read again starts over */
	if (st->page_last_timestamp)
		pfree(st->page_last_timestamp);
	if (st->page_last_key)
		pfree(st->page_last_key);
	st->page_last_timestamp = st->page_last_key = NULL;
	MlsODataPageReset(st->page);
	/* the previous page's request and response go; the state stays */
	MemoryContextReset(st->page_cxt);
	old = MemoryContextSwitchTo(st->page_cxt);
	st->ntaken = st->taken_pos = 0;
	st->page_records = 0;
	st->page_keyless = 0;
	memset(&st->request, 0, sizeof(st->request));
	st->request.url = st->page_url;
	st->request.headers[0] = "Accept: application/json";
	st->request.headers[1] = st->prefer;
	st->request.headers[2] = st->authorization;
	st->request.sink = MlsODataPageSink;
	st->request.sink_arg = st->page;
	MlsSourceThrottle(source);
	MlsHttpBegin(source->http, &st->request, &st->response);
	st->transfer_active = true;
	MemoryContextSwitchTo(old);
}

/*
 * Decide what follows a page that ended; returns true when the same page
 * must be read again (after a retry wait).
 */
static bool
finish_page(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsHttpResponse *response = &st->response;
	const char *problem = NULL;
	const char *next_link;
	const char *link_problem = NULL;
	int64		count;

	st->transfer_active = false;
	MlsSourceCount(source, response);

	if (response->outcome == MLS_HTTP_OK && response->status == 200 &&
		MlsODataPageComplete(st->page, &problem))
	{
		if (MlsODataPageError(st->page))
			MlsSourceFail(source, MLS_ERR_PROTOCOL, 200, -1, MlsODataPageError(st->page),
						  "the server answered with an OData error: %s", MlsODataPageError(st->page));
		if (st->first_page && MlsODataPageCount(st->page, &count))
			source->total_expected = count;
		if (source->first_answer_time == NULL)
		{
			char	   *clock = MlsHttpServerTime(response);

			if (clock)
				source->first_answer_time = MemoryContextStrdup(source->cxt, clock);
		}
		st->first_page = false;
		st->asked_count = false;
		st->attempt = 0;
		st->reauthenticated = false;
		st->last_page_records = st->page_records;
		st->previous_url = st->page_url;
		st->page_url = NULL;	/* next_page_url() decides, once the records are handed over */
		/*
		 * Keyset paging never reads the server's nextLinks.  A link that
		 * cannot be followed fails the run once this page's records have
		 * been handed over (next_page_url), not before.
		 */
		next_link = st->follow_next_links && st->page_records > 0 ?
			MlsODataPageNextLink(st->page, &link_problem) : NULL;
		if (link_problem != NULL || next_link != NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(source->cxt);
			char	   *resolved = link_problem ? NULL :
				MlsHttpResolveUrl(st->previous_url, next_link);

			if (link_problem != NULL)
				st->next_link_failure = psprintf("the server's @odata.nextLink cannot be read: %s",
												 link_problem);
			else if (resolved == NULL)
				st->next_link_failure = psprintf("cannot resolve @odata.nextLink \"%s\"", next_link);
			else
				st->next_link = resolved;
			MemoryContextSwitchTo(old);
		}
		/*
		 * A key sweep ends at an empty page, and the reconcile removes what
		 * it did not see: a page that came back empty for a moment (a search
		 * backend that timed out) must not end it, least of all on a server
		 * that does not count.  Nor a window, whose end the reading goes on
		 * from by timestamp, past the keys it would leave unread.  The page
		 * is asked for once more.
		 */
		if ((source->mode == MLS_FETCH_KEYS || st->window) && !st->follow_next_links)
		{
			if (st->page_records == 0 && !st->end_confirmed)
			{
				st->end_confirmed = true;
				st->page_url = st->previous_url;
				(void) MlsSourceBackoff(source, 1, 0);
				return true;
			}
			st->end_confirmed = false;
		}
		if (st->page_records == 0)
		{
			if (st->window)
				leave_window(source);
			else if (st->follow_next_links)
			{
				/* next_page_url moves a list on to its next keys */
				if (!list_has_more(source))
					st->finished = true;
			}
			else if (!next_list_chunk(source))
				st->finished = true;
		}
		return false;
	}

	/* a rejected token: get a new one once, then it is an auth failure */
	if (response->outcome == MLS_HTTP_OK && response->status == 401)
	{
		if (st->reauthenticated || source->config->token_url == NULL)
			MlsSourceFail(source, MLS_ERR_AUTH, 401, -1, response->body.data,
						  "the server refused the bearer token (HTTP 401)");
		st->reauthenticated = true;
		st->token = NULL;
		return true;
	}

	/* what retrying cannot fix */
	if (response->outcome == MLS_HTTP_OK &&
		((response->status >= 400 && response->status < 500 &&
		  response->status != 408 && response->status != 429) || response->status == 501))
	{
		MlsODataPage *errpage = MlsODataPageCreate(1, 1024 * 1024);
		const char *message;
		int			smaller;

		(void) MlsODataPageSink(errpage, response->body.data, response->body.len);
		message = MlsODataPageError(errpage);

		/*
		 * Servers that cap $top refuse a larger one rather than serve the
		 * cap (ASP.NET OData's "The limit of '200' for Top query has been
		 * exceeded").  mlsync's own query is asked for again with a
		 * smaller page: the limit the message names, else half; at most
		 * MAX_TOP_REFUSALS times in one reading.
		 */
		if (response->status == 400 && (!st->follow_next_links || st->first_page) &&
			message != NULL && mentions_top(message) && st->top_refusals < MAX_TOP_REFUSALS &&
			(smaller = smaller_page_size(message, st->page_size)) > 0)
		{
			int			refused = st->page_size;

			st->top_refusals++;
			st->page_size = smaller;
			st->prefer = MemoryContextStrdup(source->cxt,
											 psprintf("Prefer: odata.maxpagesize=%d", st->page_size));
			MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, response->status, -1, NULL,
						  response->body.data, 1,
						  "the server refused $top=%d (HTTP 400: %s); reading pages of %d",
						  refused, message, st->page_size);
			st->page_url = MemoryContextStrdup(source->cxt, page_query_url(source));
			return true;
		}

		/*
		 * A server that limits how large a $filter may be (ASP.NET OData's
		 * MaxNodeCount, "The node count limit of '100' has been exceeded";
		 * MLS Grid's few "or"; a URL length limit, 414) refuses a list of
		 * many keys, on its first page or on a later one, whose filter has
		 * the last key read too.  The chunk is asked for again from its
		 * start in halves, down to one key, and the size that was taken
		 * stays for the rest of the reading; a refusal that was about
		 * something else comes back at one key and fails the run below.
		 */
		if ((response->status == 400 || response->status == 414) &&
			source->mode == MLS_FETCH_LIST && list_chunk(source) > 1)
		{
			int			refused = list_chunk(source);

			st->list_size = refused / 2;
			/* the chunk starts over: records read again are written again */
			forget_chunk_reading(st);
			MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, response->status, -1, NULL,
						  response->body.data, 1,
						  "the server refused a $filter of %d keys (HTTP %ld%s%s); asking for %d at a time",
						  refused, response->status, message ? ": " : "", message ? message : "",
						  st->list_size);
			st->page_url = MemoryContextStrdup(source->cxt, keys_url(source));
			return true;
		}

		/*
		 * A server that takes "key ne" in no filter, or no filter that long
		 * (ASP.NET OData's node count): page on by the keys after the last,
		 * and read the cursor's timestamp whole by key when its records
		 * came out of key order.
		 */
		if (response->status == 400 && st->asked_tie_keys && !st->tie_keys_refused)
		{
			st->tie_keys_refused = true;
			MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, response->status, -1, NULL,
						  response->body.data, 1,
						  "the server refused a filter naming the keys read at %s = %s (HTTP 400%s%s); paging by the keys after the last instead",
						  source->config->timestamp_field, st->last_timestamp,
						  message ? ": " : "", message ? message : "");
			if (st->ties_unordered)
				enter_window(source, true);
			st->page_url = MemoryContextStrdup(source->cxt, page_query_url(source));
			return true;
		}

		/*
		 * Servers without $count refuse it (400 or 501) rather than ignore
		 * it.  The count only measures progress and checks a key sweep,
		 * which confirms its end without one: the page is asked for again
		 * without it, and a refusal that was about something else comes
		 * back and fails the run below.  One that names $orderby or $top
		 * and not $count is about them.
		 */
		if ((response->status == 400 || response->status == 501) && st->first_page &&
			st->asked_count &&
			!(message && !mentions_option(message, "count") &&
			  (mentions_option(message, "orderby") || mentions_option(message, "top"))))
		{
			st->count_refused = true;
			MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, response->status, -1, NULL,
						  response->body.data, 1,
						  "the server refused $count=true (HTTP %ld%s%s); reading without a count",
						  response->status, message ? ": " : "", message ? message : "");
			st->page_url = MemoryContextStrdup(source->cxt, page_query_url(source));
			return true;
		}
		/*
		 * Replication endpoints may take no $orderby and answer in their
		 * own order, oldest first (Bridge's).  Keyset paging cannot trust
		 * an order it did not ask for (a page filtered from the last record
		 * would hide an older record such a server put later): it fails,
		 * with a hint.  A connection that follows the server's nextLinks
		 * reads changes on without $orderby; each record is checked
		 * against the one before it, across pages too, and the checkpoint
		 * moves only when the reading ends, so that a run stopped by a
		 * record out of order loses nothing.  Key sweeps and key lists
		 * need the order by key: they fail below, as does a refusal that
		 * was about something else when it comes back.
		 */
		if (response->status == 400 && !st->orderby_refused && st->first_page &&
			source->mode == MLS_FETCH_CHANGES &&
			message != NULL && mentions_option(message, "orderby"))
		{
			if (!st->follow_next_links)
				MlsSourceFail(source, MLS_ERR_CONFIG, response->status, -1, response->body.data,
							  "the server refused $orderby (HTTP 400: %s), which keyset paging needs; a server that answers in its own order is read with paging => 'nextlink'",
							  message);
			st->orderby_refused = true;
			MlsSourceNote(source, MLS_ERR_PROTOCOL, MLS_REPAIRED, response->status, -1, NULL,
						  response->body.data, 1,
						  "the server refused $orderby (HTTP 400: %s); following its nextLinks in its own order, which each record is checked against, the watermark moving at the end of the reading",
						  message);
			st->page_url = MemoryContextStrdup(source->cxt, page_query_url(source));
			return true;
		}
		MlsSourceFail(source, response->status == 403 ? MLS_ERR_AUTH :
					  response->status == 400 ? MLS_ERR_CONFIG : MLS_ERR_PROTOCOL,
					  response->status, -1, response->body.data,
					  "the server refused the request (HTTP %ld)%s%s", response->status,
					  message ? ": " : "", message ? message : "");
	}
	if (MlsHttpOutcomeFinal(response))
		MlsSourceFail(source, MlsHttpErrorCategory(response), response->status, -1, NULL,
					  "%s", response->error);

	/* network trouble, 5xx, 429, a timeout, a truncated or malformed page */
	st->attempt++;
	{
		MlsErrorCategory category;
		const char *what;

		if (response->outcome == MLS_HTTP_OK && response->status == 200)
		{
			category = MLS_ERR_PROTOCOL;
			what = psprintf("malformed page: %s", problem);
		}
		else if (response->outcome == MLS_HTTP_SINK_ABORTED)
		{
			category = MLS_ERR_PROTOCOL;
			(void) MlsODataPageComplete(st->page, &problem);
			what = psprintf("malformed page: %s", problem);
		}
		else
		{
			category = MlsHttpErrorCategory(response);
			what = response->outcome == MLS_HTTP_OK ?
				psprintf("HTTP %ld", response->status) : response->error;
		}
		if (st->attempt > mlsync_max_retries)
			MlsSourceFail(source, category, response->status, -1, response->body.data,
						  "page request failed after %d attempt%s: %s", st->attempt,
						  st->attempt == 1 ? "" : "s", what);
		MlsSourceNote(source, category, MLS_RETRIED, response->status, -1, NULL,
					  response->body.data, st->attempt, "page request failed: %s", what);
		(void) MlsSourceBackoff(source, st->attempt, response->retry_after);
	}
	return true;
}

/*
 * Compare two timestamps as the server wrote them (by value, whatever the
 * precision or zone each is written in); text order when either is not a
 * timestamp.
 */
static int
compare_timestamps(const char *a, const char *b)
{
	TimestampTz ta,
				tb;

	if (!MlsParseTimestamptz(a, strlen(a), pg_tzset("UTC"), &ta) ||
		!MlsParseTimestamptz(b, strlen(b), pg_tzset("UTC"), &tb))
		return strcmp(a, b);
	return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/*
 * Whether the checkpoint may move to a record at ts (not one dated in the
 * future: MlsSourceCheckpointMayReach).
 */
static bool
checkpoint_may_reach(MlsSource *source, const char *ts, const char *key)
{
	TimestampTz t;

	if (!MlsParseTimestamptz(ts, strlen(ts), pg_tzset("UTC"), &t))
		return true;
	return MlsSourceCheckpointMayReach(source, t, ts, key);
}

/*
 * Whether (ts, key) comes after the position (pos_ts, pos_key); every
 * record comes after no position at all.
 */
static bool
after_position(const char *ts, const char *key, const char *pos_ts, const char *pos_key)
{
	int			cmp;

	if (pos_ts == NULL)
		return true;
	cmp = compare_timestamps(ts, pos_ts);
	if (cmp != 0)
		return cmp > 0;
	return pos_key == NULL || strcmp(key, pos_key) > 0;
}

/*
 * A record without its OData instance annotations ("@odata.context",
 * "@odata.etag", ...): they describe the response, not the listing, and
 * would make the same listing differ between a collection and a single
 * entity response.  Only records whose text has an annotation pay for this.
 */
static Jsonb *
without_annotations(Jsonb *record, const char *text, int len)
{
	JsonbParseState *state = NULL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	JsonbValue *result = NULL;
	bool		skip = false;
	bool		found = false;

	for (const char *at = memchr(text, '@', len); at && !found;
		 at = memchr(at + 1, '@', len - (at + 1 - text)))
		found = at > text && at[-1] == '"';
	if (!found)
		return record;

	it = JsonbIteratorInit(&record->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			skip = v.val.string.len > 0 && v.val.string.val[0] == '@';
			if (!skip)
				pushJsonbValue(&state, tok, &v);
		}
		else if (tok == WJB_VALUE)
		{
			if (!skip)
				pushJsonbValue(&state, tok, &v);
		}
		else
			result = pushJsonbValue(&state, tok, tok == WJB_BEGIN_OBJECT || tok == WJB_END_OBJECT ? NULL : &v);
	}
	return JsonbValueToJsonb(result);
}

/*
 * Move a position of the reading (its checkpoint, or the one it reaches
 * when it ends) to a record after it, unless the record is dated too far
 * ahead to take the checkpoint (checkpoint_may_reach).
 */
static void
move_position(MlsSource *source, char **pos_ts, char **pos_key, const char *ts, const char *key)
{
	if (after_position(ts, key, *pos_ts, *pos_key) && checkpoint_may_reach(source, ts, key))
	{
		*pos_ts = keep(source, *pos_ts, ts);
		*pos_key = keep(source, *pos_key, key);
	}
}

/*
 * Turn a split record into what the pipeline gets.
 */
static void
convert_record(MlsSource *source, const MlsODataRecord *in, MlsSourceRecord *out)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	char	   *problem = NULL;

	memset(out, 0, sizeof(*out));
	if (in->oversized)
	{
		out->problem = psprintf("record larger than mlsync.max_record_bytes (%d kB)",
								mlsync_max_record_bytes);
		return;
	}
	{
		int			replaced = 0;
		int			non_finite = 0;
		const char *text = in->text;
		int			len = in->len;
		char	   *repaired;
		char	   *nulled;
		Jsonb	   *parsed;
		MemoryContext caller = CurrentMemoryContext;

		/*
		 * Parsing makes several times the record's size in garbage (tokens,
		 * the value tree): it happens in a context reset per record, and
		 * only the finished jsonb is copied out.
		 */
		MemoryContextReset(st->parse_cxt);
		MemoryContextSwitchTo(st->parse_cxt);
		repaired = MlsJsonRepair(text, len, &replaced);
		if (repaired)
		{
			text = repaired;
			len = strlen(repaired);
		}
		nulled = MlsJsonNonFiniteToNull(text, len, &non_finite);
		if (nulled)
		{
			text = nulled;
			len = strlen(nulled);
		}
		parsed = MlsJsonRecordToJsonb(text, len, st->key_order, &problem);
		if (parsed)
			parsed = without_annotations(parsed, text, len);
		MemoryContextSwitchTo(caller);
		if (parsed == NULL)
		{
			out->problem = psprintf("malformed record: %s", problem);
			return;
		}
		out->record = palloc(VARSIZE(parsed));
		memcpy(out->record, parsed, VARSIZE(parsed));
		if (repaired)
			MlsSourceNote(source, MLS_ERR_DATA, MLS_REPAIRED, 0, -1,
						  MlsODataFieldText(out->record, config->key_field), NULL, 1,
						  "%d characters the database cannot store were replaced (not UTF-8, or \\u0000 or an unpaired surrogate escape)",
						  replaced);
		if (nulled)
			MlsSourceNote(source, MLS_ERR_DATA, MLS_REPAIRED, 0, -1,
						  MlsODataFieldText(out->record, config->key_field), NULL, 1,
						  "%d values that are no JSON number (NaN, Infinity) were stored as null",
						  non_finite);
	}
	out->key = MlsODataFieldText(out->record, config->key_field);
	if (out->key == NULL)
		return;
	if (source->mode != MLS_FETCH_CHANGES || st->window)
	{
		/* pages ordered by key: the last key read is the cursor */
		if (st->page_last_key && key_precedes(out->key, st->page_last_key))
			fail_out_of_order(source, config->key_field, out->key, st->page_last_key);
		st->page_last_key = keep(source, st->page_last_key, out->key);
		if (st->window)
			st->window_key = keep(source, st->window_key, out->key);
		else
			st->last_key = keep(source, st->last_key, out->key);
		if (source->mode == MLS_FETCH_KEYS)
		{
			out->timestamp = MlsODataFieldText(out->record, config->timestamp_field);
			return;
		}
		if (source->mode == MLS_FETCH_LIST)
			return;
	}
	{
		char	   *ts = MlsODataFieldText(out->record, config->timestamp_field);

		if (ts == NULL)
			return;
		if (!st->window)
		{
			const char *previous = st->page_last_timestamp ? st->page_last_timestamp :
				st->chain_timestamp;

			/* pages ordered by timestamp: it never goes back; the last record is the cursor */
			if (previous && compare_timestamps(ts, previous) < 0)
				fail_out_of_order(source, config->timestamp_field, ts, previous);
			/*
			 * The records read at the cursor's timestamp, whichever pages
			 * they came on, should come in key order.
			 */
			if (st->last_timestamp == NULL || compare_timestamps(ts, st->last_timestamp) != 0)
				forget_tie_keys(st);
			else if (st->last_key && key_precedes(out->key, st->last_key))
				st->ties_unordered = true;
			note_tie_key(source, out->key);
			st->page_last_timestamp = keep(source, st->page_last_timestamp, ts);
			st->last_timestamp = keep(source, st->last_timestamp, ts);
			st->last_key = keep(source, st->last_key, out->key);
		}
		/*
		 * In the server's own order, it moves when the reading ends
		 * (reso_next_paged).  In a window read by key, when the window is
		 * read (leave_window): a record read early in key order may be
		 * dated after one not read yet, which a load that resumes from its
		 * checkpoint would skip.
		 */
		if (st->orderby_refused)
			move_position(source, &st->pending_timestamp, &st->pending_key, ts, out->key);
		else if (st->window)
			move_position(source, &st->window_reach_timestamp, &st->window_reach_key,
						  ts, out->key);
		else
			move_position(source, &source->checkpoint_timestamp, &source->checkpoint_key,
						  ts, out->key);
	}
}

/*
 * A record the connection's visibility field shows withdrawn (MLS Grid's
 * MlgCanView false) is handed over as gone: its listing is removed, as a
 * reconcile would remove it, but at once.  A key sweep's records carry only
 * key and timestamp (it asks for visible records only).
 */
static void
mark_withdrawn(MlsSource *source, MlsSourceRecord *out)
{
	const char *field = source->config->visibility_field;

	if (field && source->mode != MLS_FETCH_KEYS && out->record && out->key &&
		MlsODataFieldIsFalse(out->record, field))
	{
		pfree(out->record);
		out->record = NULL;
		out->gone = true;
	}
}

/*
 * Convert one record for the caller; returns its size, which bounds a batch.
 */
static int64
hand_over(MlsSource *source, const MlsODataRecord *in, MlsSourceRecord *out)
{
	convert_record(source, in, out);
	mark_withdrawn(source, out);
	if (out->key == NULL)
		((ResoState *) source->state)->page_keyless++;
	return out->record ? VARSIZE(out->record) : 0;
}

/*
 * Hand over up to max records of changes or keys, reading pages as needed;
 * fewer once they hold MLS_BATCH_BYTES.
 */
static int
reso_next_paged(MlsSource *source, MlsSourceRecord *records, int max)
{
	ResoState  *st = source->state;
	int			n = 0;
	int64		bytes = 0;

	/* a batch of records past MLS_BATCH_BYTES ends early */
	while (n < max && bytes < MLS_BATCH_BYTES)
	{
		CHECK_FOR_INTERRUPTS();

		/* first what is already split */
		if (st->taken_pos < st->ntaken)
		{
			while (n < max && bytes < MLS_BATCH_BYTES && st->taken_pos < st->ntaken)
				bytes += hand_over(source, &st->taken[st->taken_pos++], &records[n++]);
			continue;
		}
		if (st->ntaken > 0)
		{
			MlsODataPageRelease(st->page);
			st->ntaken = st->taken_pos = 0;
		}

		if (!st->transfer_active)
		{
			if (st->finished)
				break;
			if (st->page_url == NULL)
			{
				st->page_url = next_page_url(source);
				if (st->page_url == NULL)
				{
					st->finished = true;
					break;
				}
			}
			start_page(source, st->page_url);
		}
		else if (MlsHttpPaused(source->http))
			MlsHttpResume(source->http);

		if (!MlsHttpStep(source->http))
		{
			/* the transfer ended: hand over what it split, then decide */
			st->ntaken = MlsODataPageTake(st->page, &st->taken);
			st->page_records += st->ntaken;
			st->taken_pos = 0;
			if (finish_page(source))
			{
				/* the same page again, once its records are handed over */
				while (n < max && bytes < MLS_BATCH_BYTES && st->taken_pos < st->ntaken)
					bytes += hand_over(source, &st->taken[st->taken_pos++], &records[n++]);
				if (st->taken_pos < st->ntaken)
				{
					/* keep the rest for the next call; restart after them */
					st->transfer_active = false;
					break;
				}
				MlsODataPageRelease(st->page);
				st->ntaken = 0;
				start_page(source, st->page_url);
			}
			continue;
		}
		/* paused: the reader holds records */
		st->ntaken = MlsODataPageTake(st->page, &st->taken);
		st->page_records += st->ntaken;
		st->taken_pos = 0;
	}

	/*
	 * A reading in the server's own order reached its end, every record
	 * handed over: only now may the checkpoint pass what it read.
	 */
	if (st->finished && st->orderby_refused && st->pending_timestamp)
		move_position(source, &source->checkpoint_timestamp, &source->checkpoint_key,
					  st->pending_timestamp, st->pending_key);
	return n;
}

/*
 * A key as the path segment of Resource('key'): an OData string literal
 * (quotes doubled inside), percent-encoded except for what a path segment
 * may hold as it is, the quotes above all - a server that does not decode
 * %27 answers a generic 404, which must never read as "removed".
 */
static char *
key_path_literal(const char *key)
{
	static const char hex[] = "0123456789ABCDEF";
	char	   *literal = MlsODataString(key);
	StringInfoData buf;

	initStringInfo(&buf);
	for (const unsigned char *p = (const unsigned char *) literal; *p; p++)
	{
		if (isalnum(*p) || strchr("-._~'!$&()*+,;=:@", *p) != NULL)
			appendStringInfoChar(&buf, (char) *p);
		else
			appendStringInfo(&buf, "%%%c%c", hex[*p >> 4], hex[*p & 0x0f]);
	}
	return buf.data;
}

/*
 * Perform a small request (one record, the newest record), with retries;
 * returns 0 when an answer came (any status but those retried), else the
 * attempts made: a failure retrying cannot mend, or retries spent.
 */
static int
try_small(MlsSource *source, const char *url, MlsHttpResponse *response)
{
	ResoState  *st = source->state;
	MlsHttpRequest request;
	int			attempt = 0;

	for (;;)
	{
		attempt++;
		ensure_token(source);
		memset(&request, 0, sizeof(request));
		request.url = url;
		request.headers[0] = "Accept: application/json";
		request.headers[1] = st->authorization;
		request.max_body_bytes = (uint64) mlsync_max_record_bytes * 1024 * 2;
		MlsSourceThrottle(source);
		MlsHttpPerform(source->http, &request, response);
		MlsSourceCount(source, response);
		if (MlsHttpOutcomeFinal(response))
			return attempt;
		if (response->outcome == MLS_HTTP_OK && response->status == 401 && !st->reauthenticated &&
			source->config->token_url)
		{
			st->reauthenticated = true;
			st->token = NULL;
			continue;
		}
		if (response->outcome == MLS_HTTP_OK && response->status < 500 && response->status != 429 &&
			response->status != 408)
		{
			/* a new token that worked: the pages may get one too */
			if (response->status != 401)
				st->reauthenticated = false;
			return 0;
		}
		MlsSourceNote(source, MlsHttpErrorCategory(response), MLS_RETRIED, response->status, -1,
					  source->single_key, response->body.data, attempt, "request failed: %s",
					  response->outcome == MLS_HTTP_OK ?
					  psprintf("HTTP %ld", response->status) : response->error);
		if (!MlsSourceBackoff(source, attempt, response->retry_after))
			return attempt;
	}
}

/*
 * try_small, or fail the run when no answer came.
 */
static void
perform_small(MlsSource *source, const char *url, MlsHttpResponse *response)
{
	int			attempts = try_small(source, url, response);

	if (attempts == 0)
		return;
	if (MlsHttpOutcomeFinal(response))
		MlsSourceFail(source, MlsHttpErrorCategory(response), response->status, -1, NULL,
					  "request failed: %s", response->error);
	MlsSourceFail(source, MlsHttpErrorCategory(response), response->status, -1,
				  response->body.data, "request failed after %d attempt%s", attempts,
				  attempts == 1 ? "" : "s");
}

/*
 * The first record of a small answer's "value" array; NULL, with *empty
 * set, when the array is empty, and NULL alone when the answer is no page
 * of records.
 */
static Jsonb *
first_record_of(const MlsHttpResponse *response, bool *empty)
{
	char	   *problem = NULL;
	Jsonb	   *page;
	JsonbValue	v;
	JsonbValue *first;

	*empty = false;
	page = response->status == 200 ?
		MlsJsonToJsonb(response->body.data, response->body.len, &problem) : NULL;
	if (page == NULL ||
		getKeyJsonValueFromContainer(&page->root, "value", 5, &v) == NULL ||
		v.type != jbvBinary || !JsonContainerIsArray(v.val.binary.data))
		return NULL;
	if (JsonContainerSize(v.val.binary.data) == 0)
	{
		*empty = true;
		return NULL;
	}
	first = getIthJsonbValueFromContainer(v.val.binary.data, 0);
	if (first == NULL || first->type != jbvBinary)
		return NULL;
	return JsonbValueToJsonb(first);
}

/*
 * Ask the server for its newest record among all the connection's (its
 * source_filter only, every status, withdrawn ones too), and note its clock
 * (the answer's Date header): a first load that reads only some records
 * (statuses, a visibility field) sets the watermark no further than the
 * newest record (pipeline.c, first_load_limit), so that a listing it read
 * that left them while it ran, stamped before where the load ends, is read
 * again by the next incremental run.  The clock stands in when there is no
 * newest record to be had (a server that takes no $orderby, a request that
 * failed after its retries), and for one dated in the future.  Neither
 * known: noted, and the load goes on as before.  The answer is read in a
 * context of its own: a server that ignores $top and $select may send a
 * whole page.
 */
static void
ask_newest(MlsSource *source)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	MemoryContext cxt = AllocSetContextCreate(source->cxt, "mlsync RESO newest record",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	List	   *clauses = NIL;
	StringInfoData query;
	MlsHttpResponse response;
	Jsonb	   *newest = NULL;
	char	   *clock;
	bool		empty = false;
	bool		answered;

	add_connection_filters(source, &clauses, false);
	initStringInfo(&query);
	if (clauses != NIL)
		add_param(&query, "$filter", join_clauses(clauses));
	add_param(&query, "$orderby", psprintf("%s desc,%s desc", config->timestamp_field,
										   config->key_field));
	add_param(&query, "$top", "1");
	add_param(&query, "$select", psprintf("%s,%s", config->key_field, config->timestamp_field));
	answered = try_small(source, psprintf("%s?%s", st->resource_url, query.data), &response) == 0;
	if (answered)
		newest = first_record_of(&response, &empty);
	clock = MlsHttpServerTime(&response);

	MemoryContextSwitchTo(source->cxt);
	if (newest != NULL)
	{
		source->newest_timestamp = MlsODataFieldText(newest, config->timestamp_field);
		source->newest_key = MlsODataFieldText(newest, config->key_field);
	}
	if (clock != NULL)
		source->server_time = pstrdup(clock);
	if (!empty && (source->newest_timestamp == NULL || source->newest_key == NULL))
	{
		const char *what = response.outcome == MLS_HTTP_OK ?
			psprintf("HTTP %ld", response.status) : response.error;
		MlsErrorCategory category = answered ? MLS_ERR_PROTOCOL : MlsHttpErrorCategory(&response);

		source->newest_timestamp = source->newest_key = NULL;
		if (clock != NULL)
			MlsSourceNote(source, category, MLS_REPAIRED, response.status, -1, NULL,
						  response.body.data, 1,
						  "the server gave no newest record (%s); this first load's watermark goes no further than the server's clock when it began (its Date header, %s)",
						  what, clock);
		else
			MlsSourceNote(source, category, MLS_REPAIRED, response.status, -1, NULL,
						  response.body.data, 1,
						  "the server gave no newest record (%s) and no Date; this first load's watermark is where its reading ends, and a listing that leaves the connection's statuses or is withdrawn while it runs is read again only within mlsync.incremental_overlap, else removed by a reconcile",
						  what);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}

/*
 * Fetch one record by key: Resource('key').  "Not found" means removed
 * only when it is certain: a 404, even an OData error of the service
 * itself, is checked with $filter=key eq '...', and only an empty answer
 * removes the listing.  A generic 404 page of a server or proxy is no
 * answer, and neither is an OData 404 when the connection's key_field is
 * not the entity key (ListingId, say) or the server has no entity lookup.
 * A connection with a source_filter asks by that filter and the key alone.
 * An answer that says neither fails the run, and nothing is removed.
 */
static int
reso_next_one(MlsSource *source, MlsSourceRecord *records, int max)
{
	ResoState  *st = source->state;
	MlsSourceConfig *config = source->config;
	MlsHttpResponse response;
	char	   *problem = NULL;
	Jsonb	   *record = NULL;
	bool		filtered = config->source_filter && config->source_filter[0];

	if (st->finished)
		return 0;
	st->finished = true;
	memset(&records[0], 0, sizeof(MlsSourceRecord));
	records[0].key = source->single_key;

	/*
	 * A connection with a source_filter holds the records its filter takes,
	 * and vendors of several MLSs refuse a request that does not name one
	 * in its $filter (MLS Grid): its lookups go by filter alone.
	 */
	if (!filtered)
		perform_small(source, psprintf("%s(%s)", st->resource_url,
									   key_path_literal(source->single_key)),
					  &response);
	if (!filtered && response.status == 200)
	{
		record = MlsJsonToJsonb(response.body.data, response.body.len, &problem);
		if (record != NULL)
			record = without_annotations(record, response.body.data, response.body.len);
	}
	else if (filtered || response.status == 404)
	{
		List	   *clauses = NIL;
		StringInfoData query;
		bool		empty;
		MlsErrorCategory category;

		add_connection_filters(source, &clauses, false);
		clauses = lappend(clauses, psprintf("%s eq %s", config->key_field,
											MlsODataString(source->single_key)));
		initStringInfo(&query);
		add_param(&query, "$filter", join_clauses(clauses));
		add_param(&query, "$top", "2");
		perform_small(source, psprintf("%s?%s", st->resource_url, query.data), &response);
		record = first_record_of(&response, &empty);
		if (empty)
		{
			records[0].gone = true;
			return 1;
		}
		category = response.status == 200 ? MLS_ERR_PROTOCOL : MlsHttpErrorCategory(&response);
		if (record == NULL && filtered)
			MlsSourceFail(source, category, response.status, -1, response.body.data,
						  "the filter by the connection's source_filter and key '%s' gave no usable answer (HTTP %ld); the listing is not marked removed",
						  source->single_key, response.status);
		if (record == NULL)
			MlsSourceFail(source, category, response.status, -1, response.body.data,
						  "%s('%s') answered 404, and the filter by key gave no usable answer (HTTP %ld); the listing is not marked removed",
						  config->resource, source->single_key, response.status);
		record = without_annotations(record, response.body.data, response.body.len);
	}
	else
		MlsSourceFail(source, MlsHttpErrorCategory(&response), response.status, -1,
					  response.body.data, "the server refused the request (HTTP %ld)",
					  response.status);

	if (record == NULL)
		records[0].problem = psprintf("malformed record: %s", problem);
	records[0].record = record;
	mark_withdrawn(source, &records[0]);
	return 1;
}

static int
reso_next(MlsSource *source, MlsSourceRecord *records, int max)
{
	if (source->mode == MLS_FETCH_ONE)
		return reso_next_one(source, records, max);
	return reso_next_paged(source, records, max);
}

/*
 * Nothing to log out of: a page transfer still attached to the client is
 * aborted and the token wiped; the HTTP client goes with the run's memory.
 */
static void
reso_close(MlsSource *source)
{
	ResoState  *st = source->state;

	if (st == NULL)
		return;

	/*
	 * A reader that stops before the end (the media re-check at its cap)
	 * leaves a page transfer paused on the client it shares with others
	 */
	if (st->transfer_active)
	{
		MlsHttpAbort(source->http);
		st->transfer_active = false;
	}
	if (st->token)
		explicit_bzero(st->token, strlen(st->token));
}

const MlsSourceOps MlsResoSourceOps = {
	.open = reso_open,
	.next = reso_next,
	.close = reso_close,
};
