/*-------------------------------------------------------------------------
 *
 * media.c
 *	  Media settings, and the hooks the sync calls after each batch and
 *	  after a reconcile.
 *
 * The sync only notes which listings' media must be looked at (their photo
 * fields moved, they were removed, or their media came inline with
 * $expand=Media); reading media lists from the source happens at the end of
 * the run (media_list.c), and downloads happen in media workers
 * (media_worker.c), so a backlog of photos never holds up listing data.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "media/media.h"
#include "media/media_derive.h"
#include "media/media_storage.h"
#include "engine/worker.h"
#include "support/sqlargs.h"

char	   *mlsync_media_dir = NULL;
int			mlsync_media_workers = 1;
int			mlsync_media_max_bytes = 50 * 1024;
int			mlsync_media_timeout = 120;
int			mlsync_media_max_attempts = 5;
int			mlsync_media_batch = 1000;
bool		mlsync_media_derive = true;
char	   *mlsync_media_sizes = NULL;
char	   *mlsync_media_formats = NULL;
int			mlsync_media_max_pixels = 50 * 1000 * 1000;
int			mlsync_media_helper_memory = 512;
int			mlsync_media_quality = 80;

/* Sizes of mlsync.media_sizes: with both formats, MLS_MEDIA_MAX_DERIVATIVES */
#define MEDIA_SIZES_MAX (MLS_MEDIA_MAX_DERIVATIVES / 2)

/*
 * GUC check hook: a comma-separated list of at most MEDIA_SIZES_MAX widths
 * between 16 and 8192 (with both formats, MLS_MEDIA_MAX_DERIVATIVES
 * derivatives).
 */
static bool
check_media_sizes(char **newval, void **extra, GucSource source)
{
	const char *p = *newval;
	int			nsizes = 0;

	/* the helper's request is a line of tab-separated fields */
	if (p && strspn(p, "0123456789, ") != strlen(p))
	{
		GUC_check_errdetail("Sizes are widths in pixels between 16 and 8192, separated by commas.");
		return false;
	}

	while (p && *p)
	{
		char	   *end;
		long		width;

		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		width = strtol(p, &end, 10);
		if (end == p || width < 16 || width > 8192)
		{
			GUC_check_errdetail("Sizes are widths in pixels between 16 and 8192, separated by commas.");
			return false;
		}
		if (++nsizes > MEDIA_SIZES_MAX)
		{
			GUC_check_errdetail("At most %d sizes.", MEDIA_SIZES_MAX);
			return false;
		}
		p = end;
		while (*p == ' ')
			p++;
		if (*p != '\0' && *p != ',')
		{
			GUC_check_errdetail("Sizes are widths in pixels between 16 and 8192, separated by commas.");
			return false;
		}
	}
	return true;
}

/*
 * GUC check hook: a comma-separated list of webp and jpeg, each once.
 */
static bool
check_media_formats(char **newval, void **extra, GucSource source)
{
	char	   *copy = pstrdup(*newval ? *newval : "");
	char	   *save = NULL;
	bool		webp = false;
	bool		jpeg = false;

	for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
	{
		bool	   *seen = strcmp(tok, "webp") == 0 ? &webp : strcmp(tok, "jpeg") == 0 ? &jpeg : NULL;

		if (seen == NULL || *seen)
		{
			GUC_check_errdetail("Formats are webp and jpeg, each at most once, separated by commas.");
			pfree(copy);
			return false;
		}
		*seen = true;
	}
	pfree(copy);
	return true;
}

/*
 * Define the media settings and register the S3 secrets with key rotation
 * (from _PG_init).
 */
void
MlsMediaInit(void)
{
	DefineCustomStringVariable("mlsync.media_dir",
							   gettext_noop("Directory where media files are stored when a tenant has no other storage."),
							   gettext_noop("Relative to the data directory unless absolute; also holds the downloads in progress."),
							   &mlsync_media_dir,
							   "mlsync_media",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.media_workers",
							gettext_noop("Maximum number of media workers (downloads and derivatives) running at once."),
							gettext_noop("0 leaves media to mlsync.mls_media_download()."),
							&mlsync_media_workers,
							1, 0, 16,
							PGC_SIGHUP,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.media_max_bytes",
							gettext_noop("Largest media file downloaded; a larger one is recorded as failed."),
							NULL,
							&mlsync_media_max_bytes,
							50 * 1024, 16, INT_MAX,
							PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.media_timeout",
							gettext_noop("Longest time one media download may take."),
							NULL,
							&mlsync_media_timeout,
							120, 1, 86400,
							PGC_USERSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.media_max_attempts",
							gettext_noop("Attempts at a media download that fails for a reason that may pass, before it is recorded as failed."),
							NULL,
							&mlsync_media_max_attempts,
							5, 1, 100,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.media_batch",
							gettext_noop("Media items a worker takes from the queue at a time."),
							NULL,
							&mlsync_media_batch,
							1000, 1, 100000,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	DefineCustomBoolVariable("mlsync.media_derive",
							 gettext_noop("Check every stored image and make its derivatives."),
							 gettext_noop("Off stores originals unchecked; they are derived once it is on again."),
							 &mlsync_media_derive,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomStringVariable("mlsync.media_sizes",
							   gettext_noop("Widths in pixels of the derivatives of each image, separated by commas."),
							   gettext_noop("An image narrower than a width is not enlarged."),
							   &mlsync_media_sizes,
							   "320,1024",
							   PGC_USERSET,
							   0,
							   check_media_sizes, NULL, NULL);

	DefineCustomStringVariable("mlsync.media_formats",
							   gettext_noop("Formats of the derivatives: webp, jpeg or both."),
							   NULL,
							   &mlsync_media_formats,
							   "webp,jpeg",
							   PGC_USERSET,
							   0,
							   check_media_formats, NULL, NULL);

	DefineCustomIntVariable("mlsync.media_max_pixels",
							gettext_noop("Largest image (width times height) decoded; a larger one is recorded as failed."),
							gettext_noop("Refuses decompression bombs: small files that decode to huge images."),
							&mlsync_media_max_pixels,
							50 * 1000 * 1000, 1000, INT_MAX,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.media_helper_memory",
							gettext_noop("Memory limit of the process that decodes images and makes derivatives."),
							NULL,
							&mlsync_media_helper_memory,
							512, 64, 65536,
							PGC_SUSET,
							GUC_UNIT_MB,
							NULL, NULL, NULL);

	DefineCustomIntVariable("mlsync.media_quality",
							gettext_noop("Quality (1-100) of WebP and JPEG derivatives."),
							NULL,
							&mlsync_media_quality,
							80, 1, 100,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	/* the S3 secrets go through key rotations with the connections' */
	MlsMediaSecretInit();
}

/*
 * (sync hook) After a batch is written, with the keys it upserted or
 * removed: note what their media need (SQL: mls_media_note_listings).  Runs
 * inside the batch's unit, so it commits with the batch.  Wakes the
 * launcher at commit: media workers may have work.
 */
void
MlsMediaAfterBatch(const char *tenant, const char *connection, char **keys, int nkeys)
{
	MlsSqlArgs	args = {0};

	if (nkeys == 0)
		return;
	MlsArgText(&args, tenant);
	MlsArgText(&args, connection);
	MlsArgTextArray(&args, keys, nkeys);
	MlsArgTimestamptz(&args, GetCurrentTimestamp(), false);
	MlsSqlConnect();
	MlsSqlExec("SELECT mlsync.mls_media_note_listings($1, $2, $3, $4)", &args,
			   SPI_OK_SELECT, false);
	SPI_finish();
	MlsWakeLauncherAtCommit();
}

/*
 * (sync hook) Whether a run of this connection owes a photo pass (see
 * pipeline.c: photo_pass): it keeps media, and the server did not refuse
 * the pass in the last day.  *raw and *key (in cxt) are where the last
 * pass stopped, NULL before the first.  Inside a unit.
 */
bool
MlsMediaPhotoPassDue(const char *tenant, const char *connection, MemoryContext cxt,
					 char **raw, char **key)
{
	MlsSqlArgs	args = {0};
	bool		isnull;
	bool		due = false;

	MlsArgText(&args, tenant);
	MlsArgText(&args, connection);
	MlsArgTimestamptz(&args, GetCurrentTimestamp() - USECS_PER_DAY, false);
	*raw = *key = NULL;
	MlsSqlConnect();
	if (MlsSqlExec("SELECT c.photo_policy <> 'none'"
				   "		 AND (w.photos_refused_at IS NULL OR w.photos_refused_at < $3) AS due,"
				   "	  w.photos_watermark_raw, w.photos_watermark_key"
				   " FROM mlsync.mls_connections c"
				   " LEFT JOIN mlsync.mls_media_sync_status w USING (tenant_id, connection)"
				   " WHERE c.tenant_id = $1 AND c.connection = $2",
				   &args, SPI_OK_SELECT, true) == 1)
	{
		due = DatumGetBool(MlsSqlDatum(0, "due", &isnull)) && !isnull;
		*raw = MlsSqlText(0, "photos_watermark_raw", cxt);
		*key = MlsSqlText(0, "photos_watermark_key", cxt);
	}
	SPI_finish();
	return due;
}

/*
 * (sync hook) Store where the photo pass stands: the photo timestamp
 * (PhotosChangeTimestamp, or the RETS field mapped to photos_change_timestamp)
 * and key it committed (key NULL: the start of a first pass).  A pass that
 * moves is no longer refused.  Inside a unit.
 */
void
MlsMediaStorePhotoWatermark(const char *tenant, const char *connection,
							const char *raw, const char *key)
{
	MlsSqlArgs	args = {0};

	MlsArgText(&args, tenant);
	MlsArgText(&args, connection);
	MlsArgText(&args, raw);
	MlsArgText(&args, key);
	MlsSqlConnect();
	MlsSqlExec("INSERT INTO mlsync.mls_media_sync_status AS w"
			   "  (tenant_id, connection, photos_watermark_raw, photos_watermark_key)"
			   " VALUES ($1, $2, $3, $4)"
			   " ON CONFLICT (tenant_id, connection) DO UPDATE"
			   " SET photos_watermark_raw = EXCLUDED.photos_watermark_raw,"
			   "	 photos_watermark_key = EXCLUDED.photos_watermark_key,"
			   "	 photos_refused_at = NULL",
			   &args, SPI_OK_INSERT, false);
	SPI_finish();
}

/*
 * Store now in one of mls_media_sync_status's refusal columns (a column
 * name of this file's, never input).  Inside a unit.
 */
static void
store_refusal(const char *tenant, const char *connection, const char *column)
{
	MlsSqlArgs	args = {0};

	MlsArgText(&args, tenant);
	MlsArgText(&args, connection);
	MlsArgTimestamptz(&args, GetCurrentTimestamp(), false);
	MlsSqlConnect();
	MlsSqlExec(psprintf("INSERT INTO mlsync.mls_media_sync_status AS w"
						"  (tenant_id, connection, %s)"
						" VALUES ($1, $2, $3)"
						" ON CONFLICT (tenant_id, connection) DO UPDATE"
						" SET %s = EXCLUDED.%s",
						column, column, column),
			   &args, SPI_OK_INSERT, false);
	SPI_finish();
}

/*
 * (sync hook) Remember that the server refused the photo pass now: runs
 * skip it for a day.  Inside a unit.
 */
void
MlsMediaPhotoPassRefused(const char *tenant, const char *connection)
{
	store_refusal(tenant, connection, "photos_refused_at");
}

/*
 * Remember that the server refused the Media resource a re-check of lists
 * $expand=Media cut needs: for a day, such lists are taken as read in part.
 * Inside a unit.
 */
void
MlsMediaRecheckRefused(const char *tenant, const char *connection)
{
	store_refusal(tenant, connection, "recheck_refused_at");
}

/*
 * (sync hook) After a reconcile removed listings: their media are removed.
 */
void
MlsMediaAfterReconcile(const char *tenant, const char *connection)
{
	MlsSqlArgs	args = {0};

	MlsArgText(&args, tenant);
	MlsArgText(&args, connection);
	MlsArgTimestamptz(&args, GetCurrentTimestamp(), false);
	MlsSqlConnect();
	MlsSqlExec("SELECT mlsync.mls_media_remove_gone($1, $2, NULL, $3)", &args,
			   SPI_OK_SELECT, false);
	SPI_finish();
	MlsWakeLauncherAtCommit();
}
