/*-------------------------------------------------------------------------
 *
 * sqlargs.h
 *	  Parameters, execution and results of the SQL statements mlsync's C
 *	  code runs through SPI.
 *
 * Every statement takes its values as parameters (never SQL built from
 * data): a MlsSqlArgs collects them with their types and nulls, and
 * MlsSqlExec runs the statement and checks its result code (MlsSqlExecByKey
 * through a generic plan, for statements that look listings up by key).
 * Results are read by column name from SPI_tuptable.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_SQLARGS_H
#define MLSYNC_SQLARGS_H

#include "postgres.h"

#include "nodes/pg_list.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#define MLS_SQL_MAX_ARGS 32

/* The parameters of one statement, $1 ... $n in the order added */
typedef struct MlsSqlArgs
{
	int			n;
	Oid			types[MLS_SQL_MAX_ARGS];
	Datum		values[MLS_SQL_MAX_ARGS];
	char		nulls[MLS_SQL_MAX_ARGS];
} MlsSqlArgs;

extern void MlsArgDatum(MlsSqlArgs *a, Oid type, Datum value, bool isnull);
extern void MlsArgText(MlsSqlArgs *a, const char *value);
extern void MlsArgInt8(MlsSqlArgs *a, int64 value);
extern void MlsArgInt4(MlsSqlArgs *a, int value, bool isnull);
extern void MlsArgBool(MlsSqlArgs *a, bool value);
extern void MlsArgJsonb(MlsSqlArgs *a, Jsonb *value);
extern void MlsArgTimestamptz(MlsSqlArgs *a, TimestampTz value, bool isnull);
extern void MlsArgTextArray(MlsSqlArgs *a, char **values, int n);
extern void MlsArgInt8Array(MlsSqlArgs *a, const int64 *values, int n);

extern uint64 MlsSqlExec(const char *sql, const MlsSqlArgs *a, int expected, bool read_only);
extern uint64 MlsSqlExecByKey(const char *sql, const MlsSqlArgs *a, int expected, bool read_only);
extern int	MlsSpiExecuteGeneric(const char *sql, int nargs, const Oid *types, const Datum *values,
								 const char *nulls, bool read_only);
extern void MlsSqlConnect(void);
extern Datum MlsSqlDatum(uint64 row, const char *column, bool *isnull);
extern char *MlsSqlText(uint64 row, const char *column, MemoryContext cxt);
extern List *MlsSqlTextList(uint64 row, const char *column, MemoryContext cxt);

#endif							/* MLSYNC_SQLARGS_H */
