/*-------------------------------------------------------------------------
 *
 * media_storage.c
 *	  Content-addressed media storage: a directory (mlsync.media_dir) or an
 *	  S3-compatible object store (libcurl, AWS Signature V4).
 *
 * Directory: a finished download is renamed from the spool into place (one
 * filesystem, so the move is atomic and copies nothing), and the whole
 * filesystem is flushed once per group of files (syncfs) before the rows
 * that name them commit: a crash never leaves a committed row naming a file
 * that is not on disk.
 *
 * S3: path-style requests (endpoint/bucket/key), which every S3-compatible
 * store accepts, signed by libcurl (CURLOPT_AWS_SIGV4) with the payload's
 * SHA-256 as x-amz-content-sha256: the content hash is the key we computed
 * while downloading, so the upload streams from the spool file.  Storage
 * requests carry only the S3 credentials, to the configured endpoint, and
 * follow no redirects; like every request of mlsync they keep the
 * transport rules of MlsHttpSetupEasy, the network guard included (an
 * endpoint on a denied network is refused before anything is sent).
 *
 * Nothing here raises inside a libcurl callback; the transfer loop checks
 * interrupts every 100 ms and the handles go with the store's memory
 * context.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <curl/curl.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "common/file_perm.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "media/media.h"
#include "media/media_storage.h"
#include "mlsync.h"
#include "transport/http.h"

/* How much of an S3 error body is kept for the message */
#define S3_ERROR_BYTES 4096

typedef enum MlsMediaBackend
{
	MLS_MEDIA_DIRECTORY,
	MLS_MEDIA_S3
} MlsMediaBackend;

struct MlsMediaStore
{
	MlsMediaBackend backend;
	char	   *tenant;
	char	   *root;			/* mlsync.media_dir, absolute */
	char	   *spool;			/* root/.tmp */
	char	   *describe;
	int			spool_seq;
	bool		dirty;			/* files written since the last sync */
	/* S3 */
	char	   *endpoint;
	char	   *bucket;
	char	   *region;
	char	   *prefix;
	char	   *userpwd;		/* "key id:secret", wiped with the context */
	char	   *sigv4;
	CURL	   *easy;
	CURLM	   *multi;
	struct curl_slist *headers;
	MemoryContextCallback cleanup;
	MlsHttpGuard guard;			/* the network guard's state (MlsHttpSetupEasy) */
	char		errbuf[CURL_ERROR_SIZE];
	/* the transfer in progress */
	int			upload_fd;
	int			download_fd;
	uint64		downloaded;		/* bytes of a GET's body written */
	uint64		download_cap;	/* ... at most: the object's size as stored */
	bool		write_failed;
	bool		too_large;		/* a GET's body passed mlsync.media_max_bytes */
	char		body[S3_ERROR_BYTES];
	size_t		body_len;
};

/*
 * Remove what processes that are gone left in the spool (a killed worker's
 * downloads and derivations, a finished download an error kept from its
 * storage): every entry is named "<pid>-<n>-<what>" by the process that
 * made it (MlsMediaSpoolPath), and a process that is alive still owns its
 * entries.  The spool is this server's: media_dir is not shared between
 * servers.
 */
static void
sweep_spool(const char *spool)
{
	DIR		   *dir = AllocateDir(spool);
	struct dirent *de;

	while ((de = ReadDir(dir, spool)) != NULL)
	{
		char	   *end;
		long		pid = strtol(de->d_name, &end, 10);
		char	   *path;
		struct stat st;

		if (end == de->d_name || *end != '-' || pid <= 0 || pid == MyProcPid ||
			kill((pid_t) pid, 0) == 0 || errno != ESRCH)
			continue;
		path = psprintf("%s/%s", spool, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			(void) rmtree(path, true);
		else
			(void) unlink(path);
		pfree(path);
	}
	FreeDir(dir);
}

/*
 * The absolute directory of mlsync.media_dir (relative to the data
 * directory), created when missing, with its spool, swept.
 */
static void
open_directory(MlsMediaStore *store)
{
	const char *dir = mlsync_media_dir && mlsync_media_dir[0] ? mlsync_media_dir : "mlsync_media";

	store->root = is_absolute_path(dir) ? pstrdup(dir) : psprintf("%s/%s", DataDir, dir);
	store->spool = psprintf("%s/.tmp", store->root);
	if (pg_mkdir_p(pstrdup(store->spool), pg_dir_create_mode) != 0 && errno != EEXIST)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create media directory \"%s\": %m", store->spool),
				 errhint("Check mlsync.media_dir and the server user's rights on it.")));
	sweep_spool(store->spool);
}

/*
 * Memory context callback: the libcurl handles and the secret go with the
 * store.
 */
static void
store_cleanup(void *arg)
{
	MlsMediaStore *store = arg;

	MlsHttpFreeHandles(&store->multi, &store->easy, true, &store->headers);
	if (store->userpwd)
		explicit_bzero(store->userpwd, strlen(store->userpwd));
}

/*
 * Open the storage of a tenant, in the current memory context: its
 * mls_media_storage row, or the directory when it has none.  The S3 secret
 * is decrypted here and lives as long as the store.
 */
MlsMediaStore *
MlsMediaStoreOpen(const char *tenant)
{
	MlsMediaStore *store = palloc0(sizeof(MlsMediaStore));
	MemoryContext cxt = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(tenant)};

	store->tenant = pstrdup(tenant);
	store->upload_fd = store->download_fd = -1;
	open_directory(store);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT backend, endpoint, bucket, region, access_key_id, key_prefix"
							  " FROM mlsync.mls_media_storage WHERE tenant_id = $1",
							  1, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_media_storage");
	if (SPI_processed == 1 &&
		strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "s3") == 0)
	{
		HeapTuple	row = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *access_key_id = SPI_getvalue(row, desc, 5);
		char	   *secret;
		MemoryContext spi_cxt = MemoryContextSwitchTo(cxt);

		store->backend = MLS_MEDIA_S3;
		store->endpoint = pstrdup(SPI_getvalue(row, desc, 2));
		store->bucket = pstrdup(SPI_getvalue(row, desc, 3));
		store->region = pstrdup(SPI_getvalue(row, desc, 4));
		store->prefix = pstrdup(SPI_getvalue(row, desc, 6));
		secret = MlsMediaLoadSecret(tenant, store->endpoint, access_key_id);
		/* SPI leaves its own context current: come back to the store's */
		MemoryContextSwitchTo(cxt);
		if (secret == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the S3 media storage of tenant \"%s\" has no secret access key", tenant),
					 errhint("Set it with mlsync.mls_media_set_storage(secret_access_key => ...).")));
		store->userpwd = psprintf("%s:%s", access_key_id, secret);
		explicit_bzero(secret, strlen(secret));
		store->sigv4 = psprintf("aws:amz:%s:s3", store->region);
		store->describe = psprintf("s3 bucket \"%s\" at %s", store->bucket, store->endpoint);
		MemoryContextSwitchTo(spi_cxt);
	}
	SPI_finish();

	if (store->backend == MLS_MEDIA_DIRECTORY)
		store->describe = psprintf("directory \"%s\"", store->root);
	else
	{
		store->easy = curl_easy_init();
		store->multi = curl_multi_init();
		store->cleanup.func = store_cleanup;
		store->cleanup.arg = store;
		MemoryContextRegisterResetCallback(cxt, &store->cleanup);
		if (store->easy == NULL || store->multi == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("could not create a libcurl handle")));
	}
	return store;
}

/*
 * What the store is, for messages.
 */
const char *
MlsMediaStoreDescribe(MlsMediaStore *store)
{
	return store->describe;
}

/*
 * A new file name in the spool (the file is not created).
 */
char *
MlsMediaSpoolPath(MlsMediaStore *store, const char *what)
{
	return psprintf("%s/%d-%d-%s", store->spool, MyProcPid, ++store->spool_seq, what);
}

/*
 * The storage key of content: "<tenant>/<first two hex digits>/<sha256><suffix>".
 */
char *
MlsMediaStorageKey(const char *tenant, const char *sha256, const char *suffix)
{
	return psprintf("%s/%.2s/%s%s", tenant, sha256, sha256, suffix);
}

/*
 * Directory: move a spool file into place.  A file already at the key is
 * replaced, not trusted: it names the same bytes, but it may be a partial
 * one, renamed before an OS crash whose flush never came and whose rows
 * never committed, or any stray file.  A rename is atomic, so a reader
 * sees one file or the other, whole.
 */
static bool
directory_put(MlsMediaStore *store, const char *key, const char *path, char **error)
{
	char	   *final = psprintf("%s/%s", store->root, key);
	char	   *dir = pstrdup(final);

	*strrchr(dir, '/') = '\0';
	if (pg_mkdir_p(dir, pg_dir_create_mode) != 0 && errno != EEXIST)
	{
		*error = psprintf("could not create directory \"%s\": %m", dir);
		return false;
	}
	if (rename(path, final) != 0)
	{
		*error = psprintf("could not move \"%s\" to \"%s\": %m", path, final);
		return false;
	}
	store->dirty = true;
	return true;
}

/*
 * libcurl read callback: the upload's bytes from the spool file.
 */
static size_t
s3_read(char *buffer, size_t size, size_t nitems, void *arg)
{
	MlsMediaStore *store = arg;
	ssize_t		n = read(store->upload_fd, buffer, size * nitems);

	return n < 0 ? CURL_READFUNC_ABORT : (size_t) n;
}

/*
 * libcurl write callback: a GET's body to its file, or the start of an
 * error body for the message.
 */
static size_t
s3_write(char *data, size_t size, size_t nmemb, void *arg)
{
	MlsMediaStore *store = arg;
	size_t		len = size * nmemb;
	long		status = 0;

	curl_easy_getinfo(store->easy, CURLINFO_RESPONSE_CODE, &status);
	if (store->download_fd >= 0 && status >= 200 && status < 300)
	{
		size_t		done = 0;

		/* more than was stored is not that object */
		store->downloaded += len;
		if (store->downloaded > store->download_cap)
		{
			store->too_large = true;
			return 0;
		}

		while (done < len)
		{
			ssize_t		n = write(store->download_fd, data + done, len - done);

			if (n <= 0)
			{
				store->write_failed = true;
				return 0;
			}
			done += n;
		}
		return len;
	}
	if (store->body_len < sizeof(store->body) - 1)
	{
		size_t		room = sizeof(store->body) - 1 - store->body_len;

		memcpy(store->body + store->body_len, data, Min(room, len));
		store->body_len += Min(room, len);
		store->body[store->body_len] = '\0';
	}
	return len;
}

/*
 * The text of an XML element of an S3 error body ("Code", "Message"), or "".
 */
static char *
s3_error_field(const char *body, const char *name)
{
	char	   *open = psprintf("<%s>", name);
	const char *start = strstr(body, open);
	const char *end;

	if (start == NULL)
		return "";
	start += strlen(open);
	end = strstr(start, "</");
	return end ? pnstrdup(start, Min(end - start, 200)) : "";
}

/*
 * One S3 request (PUT from upload_path, GET into download_fd, DELETE),
 * driven with interrupts checked; returns the HTTP status, or 0 with
 * *error set when no response arrived.
 */
static long
s3_request(MlsMediaStore *store, const char *method, const char *key,
		   const char *upload_path, const char *sha256, const char *content_type,
		   int download_fd, char **error)
{
	char	   *url = psprintf("%s/%s/%s%s", store->endpoint, store->bucket, store->prefix, key);
	long		status = 0;
	volatile CURLcode result = CURLE_OK;
	volatile bool added = false;

	store->body_len = 0;
	store->body[0] = '\0';
	store->write_failed = false;
	store->too_large = false;
	store->downloaded = 0;
	store->download_fd = download_fd;
	store->upload_fd = -1;
	store->errbuf[0] = '\0';

	PG_TRY();
	{
		struct curl_slist *list = NULL;
		CURLMcode	mrc;
		bool		done = false;

		curl_easy_reset(store->easy);
		/* no redirect is followed: the S3 credentials go to the endpoint only */
		MlsHttpSetupEasy(store->easy, mlsync_user_agent ? mlsync_user_agent : MLSYNC_DEFAULT_USER_AGENT,
						 &store->guard);
		MlsHttpGuardUrl(&store->guard, url);
		MLS_CURL_SETOPT(store->easy, CURLOPT_URL, url);
		MLS_CURL_SETOPT(store->easy, CURLOPT_AWS_SIGV4, store->sigv4);
		MLS_CURL_SETOPT(store->easy, CURLOPT_USERPWD, store->userpwd);
		MLS_CURL_SETOPT(store->easy, CURLOPT_CONNECTTIMEOUT, (long) mlsync_connect_timeout);
		MLS_CURL_SETOPT(store->easy, CURLOPT_TIMEOUT, (long) mlsync_media_timeout);
		MLS_CURL_SETOPT(store->easy, CURLOPT_WRITEFUNCTION, s3_write);
		MLS_CURL_SETOPT(store->easy, CURLOPT_WRITEDATA, store);
		MLS_CURL_SETOPT(store->easy, CURLOPT_ERRORBUFFER, store->errbuf);

		curl_slist_free_all(store->headers);
		store->headers = NULL;
		/* the payload's hash: the content key, or unsigned, or that of no body */
		list = curl_slist_append(list, psprintf("x-amz-content-sha256: %s",
												sha256 ? sha256 :
												strcmp(method, "PUT") == 0 ? "UNSIGNED-PAYLOAD" :
												"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
		if (content_type && list)
			list = curl_slist_append(list, psprintf("Content-Type: %s", content_type));
		if (list == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
		store->headers = list;
		MLS_CURL_SETOPT(store->easy, CURLOPT_HTTPHEADER, store->headers);

		if (strcmp(method, "PUT") == 0)
		{
			struct stat st;

			store->upload_fd = open(upload_path, O_RDONLY | PG_BINARY, 0);
			if (store->upload_fd < 0 || fstat(store->upload_fd, &st) != 0)
				ereport(ERROR,
						(errcode_for_file_access(),
						 errmsg("could not open \"%s\": %m", upload_path)));
			MLS_CURL_SETOPT(store->easy, CURLOPT_UPLOAD, 1L);
			MLS_CURL_SETOPT(store->easy, CURLOPT_READFUNCTION, s3_read);
			MLS_CURL_SETOPT(store->easy, CURLOPT_READDATA, store);
			MLS_CURL_SETOPT(store->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t) st.st_size);
		}
		else if (strcmp(method, "DELETE") == 0)
			MLS_CURL_SETOPT(store->easy, CURLOPT_CUSTOMREQUEST, "DELETE");
		else
		{
			MLS_CURL_SETOPT(store->easy, CURLOPT_HTTPGET, 1L);
			/* an announced larger body fails before any byte of it */
			MLS_CURL_SETOPT(store->easy, CURLOPT_MAXFILESIZE_LARGE,
							(curl_off_t) store->download_cap);
		}

		mrc = curl_multi_add_handle(store->multi, store->easy);
		if (mrc != CURLM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not start an S3 request: %s", curl_multi_strerror(mrc))));
		added = true;
		while (!done)
		{
			int			running;
			int			queued;
			CURLMsg    *msg;

			CHECK_FOR_INTERRUPTS();
			(void) curl_multi_perform(store->multi, &running);
			while ((msg = curl_multi_info_read(store->multi, &queued)) != NULL)
			{
				if (msg->msg == CURLMSG_DONE)
				{
					result = msg->data.result;
					done = true;
				}
			}
			if (!done)
				(void) curl_multi_poll(store->multi, NULL, 0, 100, NULL);
		}
		curl_easy_getinfo(store->easy, CURLINFO_RESPONSE_CODE, &status);
	}
	PG_FINALLY();
	{
		if (added)
			curl_multi_remove_handle(store->multi, store->easy);
		if (store->upload_fd >= 0)
			close(store->upload_fd);
		store->upload_fd = -1;
		store->download_fd = -1;
		curl_easy_setopt(store->easy, CURLOPT_HTTPHEADER, (struct curl_slist *) NULL);
		curl_slist_free_all(store->headers);
		store->headers = NULL;
	}
	PG_END_TRY();

	if (store->guard.refused)
	{
		*error = psprintf("S3 %s of \"%s\" at %s refused: %s", method, key, store->endpoint,
						  store->guard.refusal);
		return 0;
	}
	if (result == CURLE_FILESIZE_EXCEEDED)
	{
		/* libcurl judges any answer's Content-Length: an error page too */
		(void) curl_easy_getinfo(store->easy, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && status < 300)
			store->too_large = true;
	}
	if (result == CURLE_FILESIZE_EXCEEDED || store->too_large)
	{
		*error = psprintf("S3 %s of \"%s\" at %s failed: the answer is larger than the " UINT64_FORMAT " bytes stored",
						  method, key, store->endpoint, store->download_cap);
		return 0;
	}
	if (result != CURLE_OK || store->write_failed)
	{
		*error = psprintf("S3 %s of \"%s\" at %s failed: %s", method, key, store->endpoint,
						  store->write_failed ? "could not write the file" :
						  store->errbuf[0] ? store->errbuf : curl_easy_strerror(result));
		return 0;
	}
	if (status >= 300)
		*error = psprintf("S3 %s of \"%s\" in bucket \"%s\" answered HTTP %ld %s: %s", method, key,
						  store->bucket, status, s3_error_field(store->body, "Code"),
						  s3_error_field(store->body, "Message"));
	return status;
}

/*
 * Store the file at path (a spool file, consumed) under key.  false with
 * *error when it could not be stored.
 */
bool
MlsMediaStorePut(MlsMediaStore *store, const char *key, const char *path,
				 const char *sha256, const char *content_type, char **error)
{
	long		status;

	if (store->backend == MLS_MEDIA_DIRECTORY)
		return directory_put(store, key, path, error);
	status = s3_request(store, "PUT", key, path, sha256, content_type, -1, error);
	(void) unlink(path);
	return status >= 200 && status < 300;
}

/*
 * A local file with the bytes stored under key: the stored file itself
 * (directory), or a spool copy (S3, *is_spool: the caller removes it).
 * NULL with *error when it cannot be had, and *gone when the storage
 * answered that it does not hold those bytes (no such file, S3's NoSuchKey,
 * an answer larger than what was stored) rather than failing to answer.
 */
char *
MlsMediaStoreFetch(MlsMediaStore *store, const char *key, int64 bytes, bool *is_spool,
				   bool *gone, char **error)
{
	char	   *path;
	int			fd;
	long		status;

	if (store->backend == MLS_MEDIA_DIRECTORY)
	{
		struct stat st;

		*is_spool = false;
		*gone = false;
		path = psprintf("%s/%s", store->root, key);
		if (stat(path, &st) != 0)
		{
			int			err = errno;

			/* an unmounted or missing media_dir is no file gone */
			*gone = err == ENOENT && stat(store->root, &st) == 0;
			errno = err;
			*error = psprintf("stored file \"%s\" is missing: %m", path);
			return NULL;
		}
		return path;
	}
	*is_spool = true;
	*gone = false;
	/* the size recorded when it was stored; else the most mlsync stores */
	store->download_cap = bytes >= 0 ? (uint64) bytes : (uint64) mlsync_media_max_bytes * 1024;
	path = MlsMediaSpoolPath(store, "fetch");
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | PG_BINARY, pg_file_create_mode);
	if (fd < 0)
	{
		*error = psprintf("could not create \"%s\": %m", path);
		return NULL;
	}
	PG_TRY();
	{
		status = s3_request(store, "GET", key, NULL, NULL, NULL, fd, error);
	}
	PG_FINALLY();
	{
		close(fd);
	}
	PG_END_TRY();
	if (status < 200 || status >= 300)
	{
		/* NoSuchBucket, a proxy's 404: the storage is wrong, not the file */
		*gone = store->too_large ||
			(status == 404 && strcmp(s3_error_field(store->body, "Code"), "NoSuchKey") == 0);
		(void) unlink(path);
		return NULL;
	}
	return path;
}

/*
 * Delete what is stored under key (absent is fine).
 */
bool
MlsMediaStoreDelete(MlsMediaStore *store, const char *key, char **error)
{
	long		status;

	if (store->backend == MLS_MEDIA_DIRECTORY)
	{
		char	   *path = psprintf("%s/%s", store->root, key);

		if (unlink(path) != 0 && errno != ENOENT)
		{
			*error = psprintf("could not remove \"%s\": %m", path);
			return false;
		}
		store->dirty = true;
		return true;
	}
	status = s3_request(store, "DELETE", key, NULL, NULL, NULL, -1, error);
	return (status >= 200 && status < 300) || status == 404;
}

/*
 * Make what was stored durable before the rows naming it commit.  A
 * directory flushes its filesystem once for the whole group of files
 * (cheaper than one fsync per file); S3 acknowledges a PUT once it is
 * durable.
 */
void
MlsMediaStoreSync(MlsMediaStore *store)
{
	int			fd;

	if (store->backend != MLS_MEDIA_DIRECTORY || !store->dirty)
		return;
	fd = open(store->root, O_RDONLY, 0);
	if (fd < 0 || syncfs(fd) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not flush media directory \"%s\": %m", store->root)));
	close(fd);
	store->dirty = false;
}
