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
 * table.  It also refuses, before they lock anything, the statements
 * PostgreSQL refuses only once it holds their lock (CREATE TRIGGER, CREATE
 * RULE, PARTITION OF, ATTACH and DETACH PARTITION, a foreign key
 * referencing a table of mlsync): the lock they wait for conflicts with
 * every batch, and every later reader or writer would queue behind them.  The hook is in every backend when
 * mlsync is in shared_preload_libraries, as the sync workers need it to
 * be; a backend that only loads mlsync when it first calls one of its
 * functions is unguarded until then (docs/security.md).
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
 * The table of mlsync (in schema) that the relation is, or is a partition
 * of; InvalidOid when none.
 */
static Oid
table_of_mlsync(Oid relid, Oid schema)
{
	if (get_rel_namespace(relid) == schema)
		return relid;
	if (get_rel_relispartition(relid))
	{
		ListCell   *lc;

		foreach(lc, get_partition_ancestors(relid))
			if (get_rel_namespace(lfirst_oid(lc)) == schema)
				return lfirst_oid(lc);
	}
	return InvalidOid;
}

/*
 * Whether locking the relation locks a table of mlsync: it is one, a
 * partition of one, or a view over one (LOCK on a view locks the tables
 * under it).
 */
static bool
relation_reaches_mlsync(Oid relid, LockReach *reach)
{
	reach->table = table_of_mlsync(relid, reach->schema);
	if (OidIsValid(reach->table))
		return true;
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
 * (schema is mlsync's) the current role does not own, by the names it
 * gives (see the file header).  The caller has checked the mode and role.
 */
static void
check_lock_statement(LockStmt *stmt, Oid schema)
{
	LockReach	reach = {0};
	ListCell   *lc;

	reach.schema = schema;
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

/* ---------------------------------------------------------------------
 * Statements PostgreSQL refuses only after taking their lock
 * ---------------------------------------------------------------------
 */

/*
 * The relation rv names, if it is a table of mlsync or a partition of one;
 * else InvalidOid.  Looked up without a lock: the statement looks it up
 * again and takes its own.
 */
static Oid
named_relation_of_mlsync(RangeVar *rv, Oid schema)
{
	Oid			relid = rv ? RangeVarGetRelid(rv, NoLock, true) : InvalidOid;

	return OidIsValid(relid) && OidIsValid(table_of_mlsync(relid, schema)) ? relid : InvalidOid;
}

/*
 * Refuse as PostgreSQL would, but before it locks anything: relid is the
 * relation of mlsync the statement names and needs privilege on
 * (ACL_NO_RIGHTS: ownership).  A column's REFERENCES is enough here, as for
 * PostgreSQL when it is on the referenced columns; it checks them itself.
 */
static void
require_on_mlsync_table(Oid relid, AclMode privilege)
{
	AclResult	result;

	if (!OidIsValid(relid))
		return;
	if (privilege == ACL_NO_RIGHTS)
		result = pg_class_ownercheck(relid, GetUserId()) ? ACLCHECK_OK : ACLCHECK_NOT_OWNER;
	else if (pg_class_aclcheck(relid, GetUserId(), privilege) == ACLCHECK_OK ||
			 pg_attribute_aclcheck_all(relid, GetUserId(), privilege, ACLMASK_ANY) == ACLCHECK_OK)
		result = ACLCHECK_OK;
	else
		result = ACLCHECK_NO_PRIV;
	if (result != ACLCHECK_OK)
		aclcheck_error(result, get_relkind_objtype(get_rel_relkind(relid)), get_rel_name(relid));
}

/*
 * The foreign keys among constraints (of a table or a column): each needs
 * REFERENCES on the table it references.
 */
static void
check_foreign_keys(List *constraints, Oid schema)
{
	ListCell   *lc;

	foreach(lc, constraints)
	{
		Constraint *constraint = lfirst(lc);

		if (IsA(constraint, Constraint) && constraint->contype == CONSTR_FOREIGN)
			require_on_mlsync_table(named_relation_of_mlsync(constraint->pktable, schema),
									ACL_REFERENCES);
	}
}

/*
 * Refuse, before PostgreSQL locks anything, the statements it refuses on a
 * table of mlsync only once it holds a lock that conflicts with every
 * tenant's writes (CREATE TRIGGER, a foreign key referencing the table),
 * or with everything (CREATE RULE, CREATE [FOREIGN] TABLE ... PARTITION
 * OF, ALTER TABLE ... ATTACH or DETACH PARTITION naming it).  A refused
 * request would otherwise wait behind a running batch, with every later
 * reader or writer of the table queued behind it, and repeated it would
 * keep them waiting.
 *
 * The foreign keys of CREATE TABLE are not looked at here: PostgreSQL runs
 * them as ALTER TABLE ... ADD CONSTRAINT through this hook once the table
 * exists (so that one referencing the new table itself is not taken for
 * the mlsync table of its name).
 */
static void
check_lock_first_statement(Node *stmt, Oid schema)
{
	switch (nodeTag(stmt))
	{
		case T_CreateTrigStmt:
			require_on_mlsync_table(named_relation_of_mlsync(((CreateTrigStmt *) stmt)->relation,
															 schema),
									ACL_TRIGGER);
			break;
		case T_RuleStmt:
			require_on_mlsync_table(named_relation_of_mlsync(((RuleStmt *) stmt)->relation, schema),
									ACL_NO_RIGHTS);
			break;
		case T_CreateStmt:
		case T_CreateForeignTableStmt:
			{
				/* a CreateForeignTableStmt begins with its CreateStmt */
				CreateStmt *create = IsA(stmt, CreateStmt) ? (CreateStmt *) stmt :
					&((CreateForeignTableStmt *) stmt)->base;

				if (create->partbound != NULL && create->inhRelations != NIL)
					require_on_mlsync_table(named_relation_of_mlsync(linitial(create->inhRelations),
																	 schema),
											ACL_NO_RIGHTS);
				break;
			}
		case T_AlterTableStmt:
			{
				ListCell   *lc;

				foreach(lc, ((AlterTableStmt *) stmt)->cmds)
				{
					AlterTableCmd *cmd = lfirst(lc);

					if (cmd->def == NULL)
						continue;
					if (cmd->subtype == AT_AddConstraint)
						check_foreign_keys(list_make1(cmd->def), schema);
					else if (cmd->subtype == AT_AddColumn && IsA(cmd->def, ColumnDef))
						check_foreign_keys(((ColumnDef *) cmd->def)->constraints, schema);
					/* the partition it names is locked before its owner is checked */
					else if ((cmd->subtype == AT_AttachPartition ||
							  cmd->subtype == AT_DetachPartition) &&
							 IsA(cmd->def, PartitionCmd))
						require_on_mlsync_table(named_relation_of_mlsync(((PartitionCmd *) cmd->def)->name,
																		 schema),
												ACL_NO_RIGHTS);
				}
				break;
			}
		default:
			break;
	}
}

/*
 * The utility hook: LOCK statements, and those PostgreSQL refuses only
 * after their lock (check_lock_first_statement), are checked; everything
 * runs as before.
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
	Node	   *stmt = pstmt->utilityStmt;
	bool		is_lock = IsA(stmt, LockStmt);
	Oid			schema = InvalidOid;
	List	   *before = NIL;

	/*
	 * A LOCK stronger than ROW EXCLUSIVE, or a statement refused only after
	 * its lock, not by a superuser, where mlsync is installed.
	 */
	if (((is_lock && ((LockStmt *) stmt)->mode > RowExclusiveLock) ||
		 IsA(stmt, CreateTrigStmt) || IsA(stmt, RuleStmt) || IsA(stmt, CreateStmt) ||
		 IsA(stmt, CreateForeignTableStmt) || IsA(stmt, AlterTableStmt)) &&
		!superuser() && OidIsValid(get_extension_oid("mlsync", true)))
		schema = get_namespace_oid("mlsync", true);
	if (OidIsValid(schema) && is_lock)
	{
		check_lock_statement((LockStmt *) stmt, schema);
		before = strong_locks_held(schema);
	}
	else if (OidIsValid(schema))
		check_lock_first_statement(stmt, schema);
	if (previous_process_utility)
		previous_process_utility(pstmt, queryString, readOnlyTree, context, params,
								 queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params,
								queryEnv, dest, qc);
	if (OidIsValid(schema) && is_lock)
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
