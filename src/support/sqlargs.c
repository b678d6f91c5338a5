/*-------------------------------------------------------------------------
 *
 * sqlargs.c
 *	  Parameters, execution and results of SPI statements (see sqlargs.h).
 *
 * Folder src/support/: helpers any folder may use (here, running SQL with
 * parameters).  It may include only PostgreSQL's headers: it knows no MLS
 * protocol, no HTTP and nothing of the engine.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "support/sqlargs.h"

/*
 * Add a parameter of any type.
 */
void
MlsArgDatum(MlsSqlArgs *a, Oid type, Datum value, bool isnull)
{
	if (a->n >= MLS_SQL_MAX_ARGS)
		elog(ERROR, "too many SQL parameters");
	a->types[a->n] = type;
	a->values[a->n] = isnull ? (Datum) 0 : value;
	a->nulls[a->n] = isnull ? 'n' : ' ';
	a->n++;
}

/*
 * Add a text parameter; NULL for a null pointer.
 */
void
MlsArgText(MlsSqlArgs *a, const char *value)
{
	MlsArgDatum(a, TEXTOID, value ? CStringGetTextDatum(value) : (Datum) 0, value == NULL);
}

void
MlsArgInt8(MlsSqlArgs *a, int64 value)
{
	MlsArgDatum(a, INT8OID, Int64GetDatum(value), false);
}

void
MlsArgInt4(MlsSqlArgs *a, int value, bool isnull)
{
	MlsArgDatum(a, INT4OID, Int32GetDatum(value), isnull);
}

void
MlsArgBool(MlsSqlArgs *a, bool value)
{
	MlsArgDatum(a, BOOLOID, BoolGetDatum(value), false);
}

/*
 * Add a jsonb parameter; NULL for a null pointer.
 */
void
MlsArgJsonb(MlsSqlArgs *a, Jsonb *value)
{
	MlsArgDatum(a, JSONBOID, value ? JsonbPGetDatum(value) : (Datum) 0, value == NULL);
}

void
MlsArgTimestamptz(MlsSqlArgs *a, TimestampTz value, bool isnull)
{
	MlsArgDatum(a, TIMESTAMPTZOID, TimestampTzGetDatum(value), isnull);
}

/*
 * Add a text[] parameter of n strings; a null pointer is a NULL element.
 */
void
MlsArgTextArray(MlsSqlArgs *a, char **values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * Max(n, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(n, 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};

	for (int i = 0; i < n; i++)
	{
		nulls[i] = values[i] == NULL;
		datums[i] = values[i] ? CStringGetTextDatum(values[i]) : (Datum) 0;
	}
	MlsArgDatum(a, TEXTARRAYOID,
				PointerGetDatum(construct_md_array(datums, nulls, 1, dims, lbs, TEXTOID, -1,
												   false, TYPALIGN_INT)),
				false);
}

/*
 * Add a bigint[] parameter of n numbers.
 */
void
MlsArgInt8Array(MlsSqlArgs *a, const int64 *values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * Max(n, 1));

	for (int i = 0; i < n; i++)
		datums[i] = Int64GetDatum(values[i]);
	MlsArgDatum(a, INT8ARRAYOID,
				PointerGetDatum(construct_array(datums, n, INT8OID, 8, FLOAT8PASSBYVAL,
												TYPALIGN_DOUBLE)),
				false);
}

/*
 * Connect to SPI (a failure cannot happen in a sane backend).
 */
void
MlsSqlConnect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/*
 * The number of rows a statement processed, once its result code is the
 * one expected (any other is a bug of the statement's, not of the data).
 */
static uint64
processed_if(int rc, int expected, const char *sql)
{
	if (rc != expected)
		elog(ERROR, "mlsync statement failed (%s): %s", SPI_result_code_string(rc), sql);
	return SPI_processed;
}

/*
 * Run one statement with parameters (a may be NULL), check its result code
 * and return the number of rows it processed.
 */
uint64
MlsSqlExec(const char *sql, const MlsSqlArgs *a, int expected, bool read_only)
{
	return processed_if(SPI_execute_with_args(sql, a ? a->n : 0, a ? (Oid *) a->types : NULL,
											  a ? (Datum *) a->values : NULL,
											  a ? a->nulls : NULL, read_only, 0),
						expected, sql);
}

/*
 * Run a statement through a generic plan made for this call: a plan made
 * without the values of the parameters.  For statements that look rows up
 * by key within one tenant (tenant_id = $n and the rest of a key).
 *
 * Why: statistics taken before a tenant's first load have never seen its
 * tenant_id, so a plan made for that value expects the tenant to have no
 * rows.  Then any index that begins with tenant_id looks as good as the
 * primary key, a smaller one wins, and each lookup reads every row of the
 * tenant through it: the tenant's first load slows down with its own size
 * (measured: a full sync of 10,000 listings into a table that held another
 * tenant's 10,000 took 45 s instead of 2 s).  Without the value, the
 * planner estimates an average tenant and looks each key up through the
 * index that holds the whole key.  The plan is made anew for each call, so
 * it follows the table's size as it grows during a run.
 */
int
MlsSpiExecuteGeneric(const char *sql, int nargs, const Oid *types, const Datum *values,
					 const char *nulls, bool read_only)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, (Oid *) types, CURSOR_OPT_GENERIC_PLAN);
	int			rc;

	if (plan == NULL)
		elog(ERROR, "could not prepare an mlsync statement (%s): %s",
			 SPI_result_code_string(SPI_result), sql);
	rc = SPI_execute_plan(plan, (Datum *) values, nulls, read_only, 0);
	SPI_freeplan(plan);
	return rc;
}

/*
 * MlsSqlExec through a generic plan made for this call (see
 * MlsSpiExecuteGeneric): for statements that look listings up by key.
 */
uint64
MlsSqlExecByKey(const char *sql, const MlsSqlArgs *a, int expected, bool read_only)
{
	return processed_if(MlsSpiExecuteGeneric(sql, a ? a->n : 0, a ? a->types : NULL,
											 a ? a->values : NULL, a ? a->nulls : NULL,
											 read_only),
						expected, sql);
}

/*
 * A column of a result row, by name.
 */
Datum
MlsSqlDatum(uint64 row, const char *column, bool *isnull)
{
	int			attnum = SPI_fnumber(SPI_tuptable->tupdesc, column);

	if (attnum <= 0)
		elog(ERROR, "no column \"%s\" in the result", column);
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, attnum, isnull);
}

/*
 * The text of a column of a result row, copied into cxt; NULL for null.
 */
char *
MlsSqlText(uint64 row, const char *column, MemoryContext cxt)
{
	int			attnum = SPI_fnumber(SPI_tuptable->tupdesc, column);
	char	   *value;

	if (attnum <= 0)
		elog(ERROR, "no column \"%s\" in the result", column);
	value = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, attnum);
	return value ? MemoryContextStrdup(cxt, value) : NULL;
}

/*
 * A text[] column of a result row as a List of strings in cxt (nulls
 * dropped).
 */
List *
MlsSqlTextList(uint64 row, const char *column, MemoryContext cxt)
{
	bool		isnull;
	Datum		d = MlsSqlDatum(row, column, &isnull);
	Datum	   *elems;
	bool	   *elem_nulls;
	int			nelems;
	List	   *result = NIL;
	MemoryContext old;

	if (isnull)
		return NIL;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &elem_nulls, &nelems);
	old = MemoryContextSwitchTo(cxt);
	for (int i = 0; i < nelems; i++)
		if (!elem_nulls[i])
			result = lappend(result, TextDatumGetCString(elems[i]));
	MemoryContextSwitchTo(old);
	return result;
}
