/*-------------------------------------------------------------------------
 *
 * events.c
 *	  One NOTIFY per committing transaction for the events it inserted, and
 *	  the mlsync.listing_events switch.
 *
 * Folder src/events/: the C side of listing events - the one NOTIFY per
 * transaction and the mlsync.listing_events switch (this file), and the
 * price keys of the saved-search matching (match_keys.c); the triggers and
 * tables are SQL (sql/src/30-35).  It may not include libcurl, protocol or
 * engine headers: events come from whatever writes mls_listings.
 *
 * The statement trigger on mls_events calls mls_note_events() with the
 * tenant, kind, count and id range of the rows each statement inserted.  The
 * notes pile up in a list that lives as long as the transaction; a pre-commit
 * transaction callback folds them into one small JSON payload and queues one
 * NOTIFY on channel mlsync_events.  PostgreSQL runs the pre-commit callbacks
 * before it moves queued notifications to the shared queue, and delivers
 * them only if the commit succeeds, so listeners hear of a transaction's
 * events exactly when they become visible, and never of a rolled-back one.
 *
 * A subtransaction that rolls back takes its notes with it: each note records
 * the nesting level it was made at, and the subtransaction callback drops or
 * promotes notes when a subtransaction ends.
 *
 * The sync's writer records the history, events, deliveries and alerts of
 * the listings it writes itself, set-based per batch (src/engine/writer.c,
 * mls_writer_capture); while its statements run, MlsEventsWriterCapture
 * raises a flag that the capture triggers' WHEN clause reads through
 * mls_writer_capturing(), so they stay out of the way.  The triggers remain
 * for the writes of everybody else (sql/src/31-33).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/async.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/memutils.h"

#include "mlsync.h"
#include "events/events.h"

/*
 * The longest payload NOTIFY accepts: async.c's NOTIFY_PAYLOAD_MAX_LENGTH,
 * which is not exported; a longer payload is shortened to fit (see below).
 */
#define MLS_NOTIFY_MAX_PAYLOAD	(BLCKSZ - NAMEDATALEN - 128)

/* What one or more statements at one nesting level inserted */
typedef struct MlsEventNote
{
	int			nest_level;
	char	   *tenant;
	char	   *kind;
	int64		count;
	int64		counted;		/* of count, already added to mls_usage */
	int64		first_id;
	int64		last_id;
} MlsEventNote;

int			mlsync_listing_events = MLS_LISTING_EVENTS_ON;

static const struct config_enum_entry listing_events_options[] = {
	{"on", MLS_LISTING_EVENTS_ON, false},
	{"history_only", MLS_LISTING_EVENTS_HISTORY_ONLY, false},
	{"off", MLS_LISTING_EVENTS_OFF, false},
	{"true", MLS_LISTING_EVENTS_ON, true},
	{"false", MLS_LISTING_EVENTS_OFF, true},
	{"yes", MLS_LISTING_EVENTS_ON, true},
	{"no", MLS_LISTING_EVENTS_OFF, true},
	{"1", MLS_LISTING_EVENTS_ON, true},
	{"0", MLS_LISTING_EVENTS_OFF, true},
	{NULL, 0, false}
};

/* Notes of the current transaction, allocated in TopTransactionContext */
static List *pending_notes = NIL;

/* Whether the statement running is the writer's (MlsEventsWriterCapture) */
static bool writer_capturing = false;

static void MlsEventsXactCallback(XactEvent event, void *arg);
static void MlsEventsSubXactCallback(SubXactEvent event, SubTransactionId mySubid,
									 SubTransactionId parentSubid, void *arg);
static char *MlsBuildPayload(List *notes);

PG_FUNCTION_INFO_V1(mls_note_events);
PG_FUNCTION_INFO_V1(mls_writer_capturing);

/*
 * Define the setting and register the transaction callbacks; called from
 * _PG_init.  The callbacks cost nothing in transactions without notes.
 */
void
MlsEventsInit(void)
{
	DefineCustomEnumVariable("mlsync.listing_events",
							 gettext_noop("What changes of mls_listings record: history and events (on), history only, or nothing (off)."),
							 gettext_noop("history_only suits an initial load that should not alert anyone; off suits restoring a dump, whose history and events are restored as they were."),
							 &mlsync_listing_events,
							 MLS_LISTING_EVENTS_ON,
							 listing_events_options,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);

	RegisterXactCallback(MlsEventsXactCallback, NULL);
	RegisterSubXactCallback(MlsEventsSubXactCallback, NULL);
}

/*
 * mls_note_events(tenant, kind, count, first_id, last_id): remember that the
 * current statement inserted count events of one tenant and kind, with ids
 * between first_id and last_id, for the NOTIFY sent at commit.
 */
Datum
mls_note_events(PG_FUNCTION_ARGS)
{
	char	   *tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int64		count = PG_GETARG_INT64(2);
	int64		first_id = PG_GETARG_INT64(3);
	int64		last_id = PG_GETARG_INT64(4);
	int			level = GetCurrentTransactionNestLevel();
	ListCell   *lc;
	MemoryContext oldcxt;
	MlsEventNote *note;

	if (count <= 0)
		PG_RETURN_VOID();

	/* merge with a note of the same tenant and kind at this level */
	foreach(lc, pending_notes)
	{
		note = (MlsEventNote *) lfirst(lc);
		if (note->nest_level == level &&
			strcmp(note->tenant, tenant) == 0 && strcmp(note->kind, kind) == 0)
		{
			note->count += count;
			note->first_id = Min(note->first_id, first_id);
			note->last_id = Max(note->last_id, last_id);
			PG_RETURN_VOID();
		}
	}

	/* the list must outlive the statement: keep it in the transaction */
	oldcxt = MemoryContextSwitchTo(TopTransactionContext);
	note = (MlsEventNote *) palloc(sizeof(MlsEventNote));
	note->nest_level = level;
	note->tenant = pstrdup(tenant);
	note->kind = pstrdup(kind);
	note->count = count;
	note->counted = 0;
	note->first_id = first_id;
	note->last_id = last_id;
	pending_notes = lappend(pending_notes, note);
	MemoryContextSwitchTo(oldcxt);

	PG_RETURN_VOID();
}

/*
 * Raise (true) or lower the flag saying that the statements running are the
 * writer's, which capture their own changes; returns the flag's previous
 * value, for the caller to put back (in PG_FINALLY, so an error lowers it).
 */
bool
MlsEventsWriterCapture(bool on)
{
	bool		previous = writer_capturing;

	writer_capturing = on;
	return previous;
}

/*
 * mls_writer_capturing(): whether the statement running is the writer's.
 * The WHEN clause of the capture, alert and delivery triggers: false, they
 * fire; true, the writer records what its statement changed itself.
 */
Datum
mls_writer_capturing(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(writer_capturing);
}

/*
 * The events noted at the current nesting level or deeper that mls_usage
 * does not count yet, per tenant (a List of MlsEventCount in the current
 * memory context); they are marked counted.  The caller adds them to
 * mls_usage at the same level, so a rollback of that level takes both the
 * notes and their count away: nothing is lost or counted twice.  Notes of
 * outer levels are left for their own level to count.
 */
List *
MlsEventsTakeCounts(void)
{
	int			level = GetCurrentTransactionNestLevel();
	List	   *counts = NIL;
	ListCell   *lc;
	ListCell   *lc2;

	foreach(lc, pending_notes)
	{
		MlsEventNote *note = (MlsEventNote *) lfirst(lc);
		MlsEventCount *found = NULL;

		if (note->nest_level < level || note->count == note->counted)
			continue;
		foreach(lc2, counts)
		{
			MlsEventCount *c = (MlsEventCount *) lfirst(lc2);

			if (strcmp(c->tenant, note->tenant) == 0)
				found = c;
		}
		if (found == NULL)
		{
			found = palloc(sizeof(MlsEventCount));
			found->tenant = pstrdup(note->tenant);
			found->count = 0;
			counts = lappend(counts, found);
		}
		found->count += note->count - note->counted;
		note->counted = note->count;
	}
	return counts;
}

/*
 * Send the one NOTIFY of a committing transaction.  Every other end of the
 * transaction just forgets the notes: their memory goes with
 * TopTransactionContext.  A prepared transaction cannot NOTIFY (PREPARE
 * refuses transactions that did), so its events are announced by nobody;
 * consumers still find them in the outbox.
 */
static void
MlsEventsXactCallback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (pending_notes != NIL)
			{
				char	   *payload = MlsBuildPayload(pending_notes);

				pending_notes = NIL;
				Async_Notify(MLS_EVENTS_CHANNEL, payload);
			}
			break;
		case XACT_EVENT_PARALLEL_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PREPARE:
			pending_notes = NIL;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			pending_notes = NIL;
			/* the writer lowers its flag itself; an abort must not leave it up */
			writer_capturing = false;
			break;
	}
}

/*
 * A subtransaction that commits hands its notes to its parent; one that
 * rolls back drops them, like the rows they describe.  The callbacks run
 * while the ending subtransaction is still the current one, so its level is
 * the current nesting level.
 */
static void
MlsEventsSubXactCallback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();
	ListCell   *lc;

	if (pending_notes == NIL)
		return;

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		foreach(lc, pending_notes)
		{
			MlsEventNote *note = (MlsEventNote *) lfirst(lc);

			if (note->nest_level >= level)
				pending_notes = foreach_delete_current(pending_notes, lc);
		}
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB)
	{
		foreach(lc, pending_notes)
		{
			MlsEventNote *note = (MlsEventNote *) lfirst(lc);

			if (note->nest_level >= level)
				note->nest_level = level - 1;
		}
	}
}

/* Comparator ordering C strings, for a deterministic payload */
static int
MlsCompareStrings(const ListCell *a, const ListCell *b)
{
	return strcmp((const char *) lfirst(a), (const char *) lfirst(b));
}

/* Append s to a list of distinct strings unless it is there already */
static List *
MlsAddDistinct(List *list, char *s)
{
	ListCell   *lc;

	foreach(lc, list)
	{
		if (strcmp((const char *) lfirst(lc), s) == 0)
			return list;
	}
	return lappend(list, s);
}

/*
 * Fold the notes into the payload:
 *	 {"tenant": "acme", "count": 12, "kinds": {"new_listing": 10, ...},
 *	  "first_id": 101, "last_id": 112}
 * A transaction that touched several tenants gets "tenant": null and
 * "tenants": [...].  If that would not fit a NOTIFY, the tenant list and then
 * the kinds are left out and "truncated": true says so: the outbox has it all.
 */
static char *
MlsBuildPayload(List *notes)
{
	List	   *tenants = NIL;
	List	   *kinds = NIL;
	int64		total = 0;
	int64		first_id = PG_INT64_MAX;
	int64		last_id = PG_INT64_MIN;
	ListCell   *lc;
	ListCell   *lc2;
	StringInfoData buf;
	int			attempt;

	foreach(lc, notes)
	{
		MlsEventNote *note = (MlsEventNote *) lfirst(lc);

		total += note->count;
		first_id = Min(first_id, note->first_id);
		last_id = Max(last_id, note->last_id);
		tenants = MlsAddDistinct(tenants, note->tenant);
		kinds = MlsAddDistinct(kinds, note->kind);
	}
	list_sort(tenants, MlsCompareStrings);
	list_sort(kinds, MlsCompareStrings);

	/* attempt 0: everything; 1: without the tenant list; 2: without kinds */
	initStringInfo(&buf);
	for (attempt = 0; attempt < 3; attempt++)
	{
		bool		with_tenants = list_length(tenants) > 1 && attempt == 0;
		bool		with_kinds = attempt < 2;

		resetStringInfo(&buf);
		appendStringInfoString(&buf, "{\"tenant\": ");
		if (list_length(tenants) == 1)
			escape_json(&buf, (const char *) linitial(tenants));
		else
			appendStringInfoString(&buf, "null");
		if (with_tenants)
		{
			appendStringInfoString(&buf, ", \"tenants\": [");
			foreach(lc, tenants)
			{
				if (foreach_current_index(lc) > 0)
					appendStringInfoString(&buf, ", ");
				escape_json(&buf, (const char *) lfirst(lc));
			}
			appendStringInfoChar(&buf, ']');
		}
		appendStringInfo(&buf, ", \"count\": " INT64_FORMAT, total);
		if (with_kinds)
		{
			appendStringInfoString(&buf, ", \"kinds\": {");
			foreach(lc, kinds)
			{
				const char *kind = (const char *) lfirst(lc);
				int64		n = 0;

				foreach(lc2, notes)
				{
					MlsEventNote *note = (MlsEventNote *) lfirst(lc2);

					if (strcmp(note->kind, kind) == 0)
						n += note->count;
				}
				if (foreach_current_index(lc) > 0)
					appendStringInfoString(&buf, ", ");
				escape_json(&buf, kind);
				appendStringInfo(&buf, ": " INT64_FORMAT, n);
			}
			appendStringInfoChar(&buf, '}');
		}
		appendStringInfo(&buf, ", \"first_id\": " INT64_FORMAT ", \"last_id\": " INT64_FORMAT,
						 first_id, last_id);
		if ((list_length(tenants) > 1 && !with_tenants) || !with_kinds)
			appendStringInfoString(&buf, ", \"truncated\": true");
		appendStringInfoChar(&buf, '}');

		if (buf.len < MLS_NOTIFY_MAX_PAYLOAD)
			break;
	}
	return buf.data;
}
