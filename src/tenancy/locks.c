/*-------------------------------------------------------------------------
 *
 * locks.c
 *	  Locks of mlsync that no role can take or hold against it.
 *
 * A tenant's matching steps, its media storage, a connection's media work
 * and the statistics refresh serialize on heavyweight locks.  PostgreSQL's
 * advisory locks are open to every role: pg_advisory_xact_lock needs no
 * privilege, so if mlsync used them any role of the database could take
 * tenant acme's matching lock, keep its transaction open, and acme's syncs
 * would wait for it forever.  mlsync's locks are therefore advisory tags
 * SQL cannot name: pg_advisory_lock and its kin always write 1 (one bigint
 * key) or 2 (two integer keys) into the tag's last field, mlsync writes
 * MLS_LOCKTAG_FIELD4 (as Citus does with its own lock classes).  In
 * pg_locks they are advisory locks with objsubid 28012, the kind in
 * classid and a hash of the tenant (and connection) in objid.  SQL reaches
 * them only through mlsync's functions, which check the caller's privilege
 * on the tenant first (mls_match_lock, src/tenancy/tenancy.c).
 *
 * Explicit table locks are the other way to stop every tenant.  mlsync's
 * tables are shared by all tenants and PUBLIC holds UPDATE or DELETE on
 * several (row-level security decides which rows), and PostgreSQL lets a
 * role holding those lock a table in any mode: LOCK TABLE
 * mlsync.mls_listings IN ACCESS EXCLUSIVE MODE in an open transaction
 * would stop every tenant's syncs and reads.  So a utility hook refuses a
 * LOCK stronger than ROW EXCLUSIVE, the strongest a role's own reads and
 * writes take (it holds that much by writing anyway), on a table of mlsync
 * (or a partition of one, or a view over one) unless the role owns the
 * table.  The hook is in every backend when mlsync is in
 * shared_preload_libraries, as the sync workers need it to be; a backend
 * that only loads mlsync when it first calls one of its functions is
 * unguarded until then (docs/security.md).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "commands/extension.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "rewrite/rewriteHandler.h"
#include "storage/lock.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "tenancy/locks.h"

static ProcessUtility_hook_type previous_process_utility = NULL;

/*
 * The tag of one of mlsync's locks (see the file header).
 */
static void
lock_tag(LOCKTAG *tag, MlsLockKind kind, const char *tenant, const char *connection)
{
	uint32		h = 0;

	if (tenant)
		h = hash_bytes((const unsigned char *) tenant, strlen(tenant));
	if (connection)
		h = hash_combine(h, hash_bytes((const unsigned char *) connection, strlen(connection)));
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, (uint32) kind, h, MLS_LOCKTAG_FIELD4);
}

/*
 * Take one of mlsync's locks in exclusive mode: until the end of the
 * transaction, or (session) until MlsLockRelease.  Without wait, returns
 * false at once when another process holds it.  Tenants whose names hash
 * alike share a lock: they only wait for each other.
 */
bool
MlsLockTake(MlsLockKind kind, const char *tenant, const char *connection,
			bool session, bool wait)
{
	LOCKTAG		tag;

	lock_tag(&tag, kind, tenant, connection);
	return LockAcquire(&tag, ExclusiveLock, session, !wait) != LOCKACQUIRE_NOT_AVAIL;
}

/*
 * Release a session lock taken by MlsLockTake.
 */
void
MlsLockRelease(MlsLockKind kind, const char *tenant, const char *connection)
{
	LOCKTAG		tag;

	lock_tag(&tag, kind, tenant, connection);
	(void) LockRelease(&tag, ExclusiveLock, true);
}

/* ---------------------------------------------------------------------
 * Explicit table locks
 * ---------------------------------------------------------------------
 */

/* What a LOCK statement would reach: the first table of mlsync met */
typedef struct LockReach
{
	Oid			schema;			/* mlsync's */
	Oid			table;			/* the table found, or InvalidOid */
	List	   *views;			/* views entered, against cycles */
} LockReach;

static bool relation_reaches_mlsync(Oid relid, LockReach *reach);

/*
 * Walk a view's query (its subqueries, CTEs and sublinks too) for the
 * relations that LOCK on the view would lock.
 */
static bool
query_reaches_mlsync(Node *node, LockReach *reach)
{
	if (node == NULL)
		return false;
	if (IsA(node, Query))
	{
		Query	   *query = (Query *) node;
		ListCell   *lc;

		foreach(lc, query->rtable)
		{
			RangeTblEntry *rte = lfirst(lc);

			if (rte->rtekind == RTE_RELATION && relation_reaches_mlsync(rte->relid, reach))
				return true;
		}
		return query_tree_walker(query, query_reaches_mlsync, reach, 0);
	}
	return expression_tree_walker(node, query_reaches_mlsync, reach);
}

/*
 * Whether locking the relation locks a table of mlsync: it is one, a
 * partition of one, or a view over one (LOCK on a view locks the tables
 * under it).
 */
static bool
relation_reaches_mlsync(Oid relid, LockReach *reach)
{
	if (get_rel_namespace(relid) == reach->schema)
	{
		reach->table = relid;
		return true;
	}
	if (get_rel_relispartition(relid))
	{
		ListCell   *lc;

		foreach(lc, get_partition_ancestors(relid))
			if (get_rel_namespace(lfirst_oid(lc)) == reach->schema)
			{
				reach->table = lfirst_oid(lc);
				return true;
			}
	}
	if (get_rel_relkind(relid) == RELKIND_VIEW && !list_member_oid(reach->views, relid))
	{
		Relation	view = table_open(relid, AccessShareLock);
		bool		found;

		reach->views = lappend_oid(reach->views, relid);
		found = query_reaches_mlsync((Node *) get_view_query(view), reach);
		table_close(view, AccessShareLock);
		return found;
	}
	return false;
}

/*
 * A lock mode as LOCK TABLE spells it.
 */
static const char *
lock_mode_sql(int mode)
{
	static const char *const names[] = {
		"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
		"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"
	};

	return mode >= 1 && mode <= MaxLockMode ? names[mode] : "?";
}

/*
 * Refuse a LOCK statement stronger than ROW EXCLUSIVE on a table of mlsync
 * the current role does not own (see the file header).
 */
static void
check_lock_statement(LockStmt *stmt)
{
	LockReach	reach = {0};
	ListCell   *lc;

	if (stmt->mode <= RowExclusiveLock || superuser())
		return;
	/* the schema of the extension in this database, if it is installed */
	reach.schema = get_namespace_oid("mlsync", true);
	if (!OidIsValid(reach.schema) || !OidIsValid(get_extension_oid("mlsync", true)))
		return;
	foreach(lc, stmt->relations)
	{
		RangeVar   *rv = lfirst(lc);
		Oid			relid = RangeVarGetRelid(rv, NoLock, true);

		/* a missing relation: LOCK itself says so */
		if (!OidIsValid(relid))
			continue;
		reach.table = InvalidOid;
		if (relation_reaches_mlsync(relid, &reach) &&
			!pg_class_ownercheck(reach.table, GetUserId()))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to lock %s in %s mode",
							rv->relname, lock_mode_sql(stmt->mode)),
					 errdetail("It would lock mlsync.%s, a table of mlsync that every tenant shares: a lock stronger than ROW EXCLUSIVE would stop the syncs of all of them.",
							   get_rel_name(reach.table)),
					 errhint("Only the owner of the table may lock it so.")));
	}
}

/* A lock the session holds on a relation of mlsync */
typedef struct HeldLock
{
	Oid			relid;
	LOCKMODE	mode;
	NameData	relname;
} HeldLock;

/*
 * The locks stronger than ROW EXCLUSIVE the session holds on relations of
 * mlsync's schema, as a List of HeldLock.  One scan of pg_class.
 */
static List *
strong_locks_held(Oid schema)
{
	Relation	classes;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tuple;
	List	   *held = NIL;

	classes = table_open(RelationRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_class_relnamespace, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(schema));
	scan = systable_beginscan(classes, InvalidOid, false, NULL, 1, &key);
	while ((tuple = systable_getnext(scan)) != NULL)
	{
		Form_pg_class form = (Form_pg_class) GETSTRUCT(tuple);
		LOCKTAG		tag;

		SET_LOCKTAG_RELATION(tag, MyDatabaseId, form->oid);
		for (LOCKMODE mode = ShareUpdateExclusiveLock; mode <= AccessExclusiveLock; mode++)
		{
			if (LockHeldByMe(&tag, mode))
			{
				HeldLock   *lock = palloc(sizeof(HeldLock));

				lock->relid = form->oid;
				lock->mode = mode;
				lock->relname = form->relname;
				held = lappend(held, lock);
			}
		}
	}
	systable_endscan(scan);
	table_close(classes, AccessShareLock);
	return held;
}

/*
 * After a LOCK statement: refuse it if it left the session holding a lock
 * stronger than ROW EXCLUSIVE, which it did not hold before, on a relation
 * of mlsync's schema that the role does not own.  No statement a role may
 * run takes such a lock on mlsync's tables but LOCK (those that would, like
 * CREATE TRIGGER, are refused), so whatever the names meant by the time
 * LOCK read them, this sees what it locked.
 */
static void
check_locks_taken(Oid schema, List *before)
{
	ListCell   *lc;

	foreach(lc, strong_locks_held(schema))
	{
		HeldLock   *lock = lfirst(lc);
		bool		held_before = false;
		ListCell   *b;

		foreach(b, before)
		{
			HeldLock   *old = lfirst(b);

			held_before |= old->relid == lock->relid && old->mode == lock->mode;
		}
		if (!held_before && !pg_class_ownercheck(lock->relid, GetUserId()))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to lock mlsync.%s in %s mode",
							NameStr(lock->relname), lock_mode_sql(lock->mode)),
					 errdetail("It is a table of mlsync that every tenant shares: a lock stronger than ROW EXCLUSIVE would stop the syncs of all of them."),
					 errhint("Only the owner of the table may lock it so.")));
	}
}

/*
 * The utility hook: LOCK statements are checked, everything runs as before.
 *
 * A LOCK is checked twice.  Before it runs, by the names it gives, so that
 * a refused one waits for nobody.  And after, by the locks it took: LOCK
 * looks its names up again, and between the two a name may have come to
 * mean another relation (a table renamed away and a view over
 * mlsync.mls_listings renamed to its name, a table created earlier in the
 * search_path).  The second refusal ends the transaction, locks and all.
 */
static void
mls_process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
					ProcessUtilityContext context, ParamListInfo params,
					QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	Oid			schema = InvalidOid;
	List	   *before = NIL;

	if (IsA(pstmt->utilityStmt, LockStmt))
	{
		check_lock_statement((LockStmt *) pstmt->utilityStmt);
		if (((LockStmt *) pstmt->utilityStmt)->mode > RowExclusiveLock && !superuser() &&
			OidIsValid(get_extension_oid("mlsync", true)))
			schema = get_namespace_oid("mlsync", true);
		if (OidIsValid(schema))
			before = strong_locks_held(schema);
	}
	if (previous_process_utility)
		previous_process_utility(pstmt, queryString, readOnlyTree, context, params,
								 queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params,
								queryEnv, dest, qc);
	if (OidIsValid(schema))
		check_locks_taken(schema, before);
}

/*
 * Install the utility hook (from _PG_init).
 */
void
MlsLocksInit(void)
{
	previous_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = mls_process_utility;
}
