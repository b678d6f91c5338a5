/*-------------------------------------------------------------------------
 *
 * writer.h
 *	  Writing listings: one upsert statement per batch, built once per run
 *	  and planned for each batch, less excluded listings and those past the
 *	  listing cap; a dry run's preview; removals found by reconciliation.
 *	  Knows SQL, not HTTP.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_WRITER_H
#define MLSYNC_WRITER_H

#include "datatype/timestamp.h"
#include "nodes/pg_list.h"

#include "executor/spi.h"
#include "mapping/mapping.h"

typedef struct MlsWriter MlsWriter;

/* What a write did */
typedef struct MlsWriteResult
{
	int64		inserted;
	int64		updated;
	int64		unchanged;
	int64		excluded;		/* rows of excluded listings, not written */
	int64		capped;			/* new listings past the listing cap, not written */
	List	   *failed;			/* MlsSourceError * of rows the database refused */
} MlsWriteResult;

extern MlsWriter *MlsWriterCreate(MlsMappingSet *set, const char *tenant,
								  const char *connection);
extern void MlsWriterUpsert(MlsWriter *writer, Datum *rows, char **keys, int n,
							MlsWriteResult *result);
extern void MlsWriterPreview(MlsWriter *writer, int64 run_id, Datum *rows, char **keys, int n,
							 MlsWriteResult *result);
extern void MlsWriterSeeKeys(MlsWriter *writer, int64 run_id, char **keys,
							 const TimestampTz *timestamps, const bool *nulls, int n);
extern void MlsWriterKeysToRepair(MlsWriter *writer, int64 run_id, List **missing,
								  List **stale);
extern List *MlsWriterUnseenKeys(MlsWriter *writer, int64 run_id, List *statuses);
extern void MlsWriterRemoveUnseen(MlsWriter *writer, int64 run_id, List *statuses, List *only,
								  int64 *removed, int64 *flagged);
extern void MlsWriterRemoveKeys(MlsWriter *writer, char **keys, int n,
								int64 *removed, int64 *flagged);
extern void MlsWriterPreviewRemoval(MlsWriter *writer, char **keys, int n,
									int64 *removed, int64 *flagged);
extern void MlsWriterForgetSeen(MlsWriter *writer, int64 run_id);
extern int64 MlsWriterSeenCount(int64 run_id);
extern int64 MlsWriterListingCount(MlsWriter *writer);
extern void MlsWriterDestroy(MlsWriter *writer);

#endif							/* MLSYNC_WRITER_H */
