/*-------------------------------------------------------------------------
 *
 * version.c
 *	  The installed version of the extension against the library's (see
 *	  version.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"

#include "support/version.h"

/*
 * The version of extension mlsync in the current database (palloc'd), or
 * NULL when it is not installed.  Reads pg_extension directly, so it needs
 * a transaction but neither SPI nor the extension's own objects.
 */
char *
MlsInstalledVersion(void)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tuple;
	char	   *version = NULL;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum("mlsync"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
	{
		bool		isnull;
		Datum		value = heap_getattr(tuple, Anum_pg_extension_extversion,
										 RelationGetDescr(rel), &isnull);

		if (!isnull)
			version = text_to_cstring(DatumGetTextPP(value));
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return version;
}

/*
 * Refuse to go on when the extension in this database is not at the
 * library's version (an update not yet run, or a library older than the
 * database's objects).
 */
void
MlsCheckInstalledVersion(void)
{
	char	   *installed = MlsInstalledVersion();

	if (installed == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("extension \"mlsync\" is not installed in this database")));
	if (strcmp(installed, MLSYNC_VERSION) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("extension \"mlsync\" is at version %s but its library is version %s",
						installed, MLSYNC_VERSION),
				 errhint("Run ALTER EXTENSION mlsync UPDATE TO '%s', or install the library of version %s again.",
						 MLSYNC_VERSION, installed)));
}
