/*-------------------------------------------------------------------------
 *
 * media_fetch.c
 *	  Concurrent media downloads on one libcurl multi handle.
 *
 * Up to budget->concurrency transfers run at once (one easy handle each,
 * kept for the batch so connections are reused).  Each streams its body to
 * a spool file while hashing it, so no image is ever held in memory and the
 * content's key is known when the last byte arrives.  The loop starts a
 * transfer only when the connection's pace (requests per second) and the
 * hour's request and byte budgets allow; what the budget cannot cover is
 * left for later (MLS_MEDIA_DEFERRED).
 *
 * Rules a download keeps:
 * - The transport rules of every request of mlsync (MlsHttpSetupEasy):
 *   http and https only, the network guard (mlsync.denied_networks,
 *   mlsync.allowed_hosts) on every connection, so a photo URL on a denied
 *   network fails its item before anything is sent.
 * - No credentials, no cookies: media URLs are public (usually a CDN).
 * - Redirects are followed here by mlsync's rules (MlsHttpRedirectAllowed),
 *   as for a request that holds credentials: within the URL's origin (or
 *   its https upgrade), at most 5: a redirect to another origin fails the
 *   item.
 * - The body is capped at mlsync.media_max_bytes (an announced larger
 *   Content-Length fails before any byte), the transfer at
 *   mlsync.media_timeout, its redirects included, so an endless body (or
 *   a chain of slow redirects) ends.
 * - The bytes must be an image whatever the Content-Type says.
 *
 * Callbacks never raise, allocate with palloc or check interrupts; the loop
 * does, between libcurl calls, every 100 ms at most.  The handles are freed
 * by a memory context callback, so an error anywhere frees them.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <unistd.h>
#include <curl/curl.h>
#include <openssl/evp.h>

#include "common/file_perm.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "media/media_fetch.h"
#include "mlsync.h"
#include "transport/http.h"

/* Bytes of an error body read (then dropped) before giving up on it */
#define ERROR_BODY_BYTES (64 * 1024)
/* Why a download follows no redirect to another origin */
#define HELD_TO_ORIGIN "media are downloaded only from the origin of their URL"
/* Bytes kept from the start of a body to tell what it is */
#define HEAD_BYTES 16

typedef struct Transfer
{
	CURL	   *easy;
	MlsMediaJob *job;
	char	   *url;			/* the URL being fetched (after redirects) */
	char	   *origin;			/* the origin of the job's URL */
	int			redirects;
	TimestampTz deadline;		/* mlsync.media_timeout after the job began */
	MlsHttpGuard guard;			/* the network guard's state (MlsHttpSetupEasy) */
	int			fd;
	EVP_MD_CTX *sha;
	/* filled by callbacks */
	long		status;			/* status of the response being received */
	int64		announced;		/* its Content-Length, or -1 */
	bool		expect_status_line; /* the next header line starts a response */
	uint64		bytes;
	uint64		error_bytes;
	bool		too_large;
	bool		write_failed;
	bool		hash_failed;
	unsigned char head[HEAD_BYTES];
	size_t		head_len;
	char		errbuf[CURL_ERROR_SIZE];
} Transfer;

typedef struct Fetch
{
	MemoryContext job_cxt;		/* the caller's: what jobs keep goes there */
	CURLM	   *multi;
	Transfer   *transfers;
	int			ntransfers;
	MemoryContextCallback cleanup;
} Fetch;

/*
 * What the first bytes of a file say it is: the content type and file
 * extension of the image formats derivatives can be made of, or NULL.
 */
const char *
MlsMediaSniff(const unsigned char *head, size_t len, const char **extension)
{
	if (len >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
	{
		*extension = ".jpg";
		return "image/jpeg";
	}
	if (len >= 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0)
	{
		*extension = ".png";
		return "image/png";
	}
	if (len >= 6 && (memcmp(head, "GIF87a", 6) == 0 || memcmp(head, "GIF89a", 6) == 0))
	{
		*extension = ".gif";
		return "image/gif";
	}
	if (len >= 12 && memcmp(head, "RIFF", 4) == 0 && memcmp(head + 8, "WEBP", 4) == 0)
	{
		*extension = ".webp";
		return "image/webp";
	}
	*extension = NULL;
	return NULL;
}

/*
 * What a body that is not an image looks like, for the error message.
 */
static const char *
describe_bytes(const unsigned char *head, size_t len)
{
	size_t		i = 0;

	if (len == 0)
		return "an empty body";
	while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	if (i < len && head[i] == '<')
		return "HTML or XML";
	if (i < len && (head[i] == '{' || head[i] == '['))
		return "JSON";
	if (len >= 4 && memcmp(head, "%PDF", 4) == 0)
		return "a PDF document";
	return "bytes of no image format mlsync reads (JPEG, PNG, GIF, WebP)";
}

/*
 * Memory context callback: every handle of the fetch, and the spool files
 * of downloads an error interrupted (a finished download's file is its
 * job's, which stores or removes it).
 */
static void
fetch_cleanup(void *arg)
{
	Fetch	   *fetch = arg;

	for (int i = 0; i < fetch->ntransfers; i++)
	{
		Transfer   *t = &fetch->transfers[i];

		if (t->easy)
		{
			if (t->job)
				curl_multi_remove_handle(fetch->multi, t->easy);
			curl_easy_cleanup(t->easy);
			t->easy = NULL;
		}
		if (t->fd >= 0)
		{
			close(t->fd);
			if (t->job && t->job->spool_path)
				(void) unlink(t->job->spool_path);
		}
		t->fd = -1;
		EVP_MD_CTX_free(t->sha);
		t->sha = NULL;
	}
	if (fetch->multi)
		curl_multi_cleanup(fetch->multi);
	fetch->multi = NULL;
}

/*
 * libcurl header callback: the status and announced length of each
 * response (a redirect starts a new one).
 */
static size_t
header_callback(char *data, size_t size, size_t nmemb, void *arg)
{
	Transfer   *t = arg;
	size_t		len = size * nmemb;

	long		status = MlsHttpStatusLine(data, len, &t->expect_status_line);

	if (status >= 0)
	{
		t->status = status;
		t->announced = -1;
	}
	else if (len > 15 && pg_strncasecmp(data, "Content-Length:", 15) == 0)
	{
		char		digits[32];
		size_t		n = Min(len - 15, sizeof(digits) - 1);

		memcpy(digits, data + 15, n);
		digits[n] = '\0';
		t->announced = strtoi64(digits, NULL, 10);
	}
	return len;
}

/*
 * libcurl write callback: a success's body goes to the spool file and the
 * hash; other bodies are counted and dropped.
 */
static size_t
write_callback(char *data, size_t size, size_t nmemb, void *arg)
{
	Transfer   *t = arg;
	size_t		len = size * nmemb;
	size_t		done = 0;

	t->expect_status_line = false;	/* (a trailer after the body is no status) */
	if (t->status < 200 || t->status >= 300)
	{
		t->error_bytes += len;
		return t->error_bytes > ERROR_BODY_BYTES ? 0 : len;
	}
	t->bytes += len;
	if (t->bytes > (uint64) mlsync_media_max_bytes * 1024)
	{
		t->too_large = true;
		return 0;
	}
	if (t->head_len < HEAD_BYTES)
	{
		size_t		n = Min(len, HEAD_BYTES - t->head_len);

		memcpy(t->head + t->head_len, data, n);
		t->head_len += n;
	}
	if (EVP_DigestUpdate(t->sha, data, len) != 1)
	{
		t->hash_failed = true;
		return 0;
	}
	while (done < len)
	{
		ssize_t		n = write(t->fd, data + done, len - done);

		if (n <= 0)
		{
			t->write_failed = true;
			return 0;
		}
		done += n;
	}
	return len;
}

/*
 * (Re)start a transfer of its job's URL (t->url), into an empty spool file.
 */
static void
start_transfer(Fetch *fetch, Transfer *t, MlsMediaBudget *budget)
{
	CURLMcode	mrc;

	if (ftruncate(t->fd, 0) != 0 || lseek(t->fd, 0, SEEK_SET) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not reset spool file \"%s\": %m", t->job->spool_path)));
	if (t->sha == NULL)
		t->sha = EVP_MD_CTX_new();
	if (t->sha == NULL || EVP_DigestInit_ex(t->sha, EVP_sha256(), NULL) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not start a SHA-256 digest")));
	t->status = 0;
	t->announced = -1;
	t->expect_status_line = true;
	t->bytes = t->error_bytes = 0;
	t->too_large = t->write_failed = t->hash_failed = false;
	t->head_len = 0;
	t->errbuf[0] = '\0';

	curl_easy_reset(t->easy);
	MlsHttpSetupEasy(t->easy, budget->user_agent, &t->guard);
	MlsHttpGuardUrl(&t->guard, t->url);
	MLS_CURL_SETOPT(t->easy, CURLOPT_URL, t->url);
	MLS_CURL_SETOPT(t->easy, CURLOPT_HTTPGET, 1L);
	MLS_CURL_SETOPT(t->easy, CURLOPT_CONNECTTIMEOUT, (long) mlsync_connect_timeout);
	/* redirects share the job's time: each hop gets what is left of it */
	MLS_CURL_SETOPT(t->easy, CURLOPT_TIMEOUT_MS,
					(long) Max((t->deadline - GetCurrentTimestamp()) / 1000, 1));
	MLS_CURL_SETOPT(t->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) mlsync_media_max_bytes * 1024);
	MLS_CURL_SETOPT(t->easy, CURLOPT_HEADERFUNCTION, header_callback);
	MLS_CURL_SETOPT(t->easy, CURLOPT_HEADERDATA, t);
	MLS_CURL_SETOPT(t->easy, CURLOPT_WRITEFUNCTION, write_callback);
	MLS_CURL_SETOPT(t->easy, CURLOPT_WRITEDATA, t);
	MLS_CURL_SETOPT(t->easy, CURLOPT_ERRORBUFFER, t->errbuf);
	MLS_CURL_SETOPT(t->easy, CURLOPT_PRIVATE, t);
	mrc = curl_multi_add_handle(fetch->multi, t->easy);
	if (mrc != CURLM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not start a media download: %s", curl_multi_strerror(mrc))));
	budget->requests++;
	if (budget->requests_left > 0)
		budget->requests_left--;
}

/*
 * Take a job: open its spool file and start it.
 */
static void
begin_job(Fetch *fetch, Transfer *t, MlsMediaJob *job, MlsMediaStore *store,
		  MlsMediaBudget *budget)
{
	MemoryContext old = MemoryContextSwitchTo(fetch->job_cxt);

	t->job = job;
	/* a MediaURL with a space in it is fetched as a browser would */
	t->url = MlsHttpLinkAsUri(job->url);
	t->origin = MlsUrlOrigin(t->url);
	t->redirects = 0;
	t->deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
											  (int64) mlsync_media_timeout * 1000);
	job->spool_path = MlsMediaSpoolPath(store, "download");
	MemoryContextSwitchTo(old);
	t->fd = open(job->spool_path, O_RDWR | O_CREAT | O_TRUNC | PG_BINARY, pg_file_create_mode);
	if (t->fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create spool file \"%s\": %m", job->spool_path)));
	start_transfer(fetch, t, budget);
}

/*
 * A transfer ended (libcurl result rc): settle its job, or follow a
 * redirect mlsync's rules allow.  Returns true when the transfer was
 * restarted.
 */
static bool
finish_transfer(Fetch *fetch, Transfer *t, CURLcode rc, MlsMediaBudget *budget)
{
	MlsMediaJob *job = t->job;
	long		status = 0;
	char	   *target = NULL;
	bool		to_get;
	int64		announced = t->announced;
	curl_off_t	retry_after = 0;
	/* the job's results outlive the fetch */
	MemoryContext old = MemoryContextSwitchTo(fetch->job_cxt);

	/*
	 * An error or redirect body past what is kept of it was cut off there
	 * (the write callback refused the rest): the answer is its status all
	 * the same, a 404 that fails the item, a redirect to follow.
	 */
	if (rc == CURLE_WRITE_ERROR && t->error_bytes > ERROR_BODY_BYTES)
		rc = CURLE_OK;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &retry_after);
	if (rc == CURLE_OK && !t->guard.refused)
		target = MlsHttpRedirectLocation(t->easy, &status);
	curl_multi_remove_handle(fetch->multi, t->easy);
	budget->bytes += t->bytes;
	if (budget->bytes_left > 0)
		budget->bytes_left = Max(budget->bytes_left - (int64) t->bytes, 0);
	if (budget->quota_left > 0)
		budget->quota_left = Max(budget->quota_left - (int64) t->bytes, 0);
	job->http_status = status;
	job->retry_after = Max(retry_after, 0);
	job->outcome = MLS_MEDIA_FAILED;

	if (t->guard.refused)
		job->error = psprintf("request refused: %s", t->guard.refusal);
	else if (rc == CURLE_FILESIZE_EXCEEDED || t->too_large)
		job->error = announced > 0 ?
			psprintf("the server announced " INT64_FORMAT " bytes, more than mlsync.media_max_bytes (%d kB)",
					 announced, mlsync_media_max_bytes) :
			psprintf("body larger than mlsync.media_max_bytes (%d kB)", mlsync_media_max_bytes);
	else if (t->write_failed || t->hash_failed)
	{
		job->outcome = MLS_MEDIA_RETRY;
		job->error = psprintf("could not write spool file \"%s\"", job->spool_path);
	}
	else if (rc == CURLE_OPERATION_TIMEDOUT)
	{
		job->outcome = MLS_MEDIA_RETRY;
		job->error = psprintf("no complete response within mlsync.media_timeout (%d s), " UINT64_FORMAT " bytes received",
							  mlsync_media_timeout, t->bytes);
	}
	else if (rc != CURLE_OK)
	{
		job->outcome = MLS_MEDIA_RETRY;
		job->error = psprintf("%s", t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
	}
	else if (target != NULL)
	{
		if (!MlsHttpRedirectAllowed(&t->guard, target, status, &t->redirects, t->origin, NIL,
									HELD_TO_ORIGIN, false, &to_get))
			job->error = psprintf("request refused: %s", t->guard.refusal);
		else
		{
			t->url = target;
			start_transfer(fetch, t, budget);
			MemoryContextSwitchTo(old);
			return true;
		}
	}
	/* 407: the proxy of mlsync.http_proxy refused, which is not the photo's fault */
	else if (status == 429 || status == 408 || status == 407 || status >= 500 || status == 0)
	{
		job->outcome = MLS_MEDIA_RETRY;
		job->error = psprintf("HTTP %ld", status);
	}
	else if (status < 200 || status >= 300)
		job->error = psprintf("HTTP %ld", status);
	else
	{
		const char *extension;
		const char *type = MlsMediaSniff(t->head, t->head_len, &extension);
		char	   *claimed = NULL;
		uint8		digest[EVP_MAX_MD_SIZE];
		unsigned int digest_len = 0;

		curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &claimed);
		if (type == NULL)
			job->error = psprintf("the content is not an image: Content-Type says %s, the bytes are %s",
								  claimed ? claimed : "nothing", describe_bytes(t->head, t->head_len));
		else if (EVP_DigestFinal_ex(t->sha, digest, &digest_len) != 1)
		{
			job->outcome = MLS_MEDIA_RETRY;
			job->error = pstrdup("could not finish the SHA-256 digest");
		}
		else
		{
			for (unsigned int i = 0; i < digest_len && i < 32; i++)
				snprintf(job->sha256 + 2 * i, 3, "%02x", digest[i]);
			job->bytes = t->bytes;
			job->content_type = type;
			job->extension = extension;
			job->outcome = MLS_MEDIA_OK;
		}
	}

	close(t->fd);
	t->fd = -1;
	if (job->outcome != MLS_MEDIA_OK)
		(void) unlink(job->spool_path);
	t->job = NULL;
	MemoryContextSwitchTo(old);
	return false;
}

/*
 * Seconds until the pace allows the next request (0: now).
 */
static double
pace_wait(MlsMediaBudget *budget, TimestampTz last_start)
{
	double		since;

	if (budget->per_second <= 0 || last_start == 0)
		return 0;
	since = (GetCurrentTimestamp() - last_start) / 1000000.0;
	return Max(1.0 / budget->per_second - since, 0);
}

/*
 * Download jobs[0..njobs-1], budget->concurrency at a time.  done(job, arg)
 * is called as each one ends (outside libcurl: it may raise and use SPI);
 * jobs the budget cannot cover end DEFERRED.
 */
void
MlsMediaFetch(MlsMediaStore *store, MlsMediaJob *jobs, int njobs, MlsMediaBudget *budget,
			  MlsMediaDone done, void *arg)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "mlsync media fetch",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Fetch	   *fetch = palloc0(sizeof(Fetch));
	int			next = 0;
	int			active = 0;
	TimestampTz last_start = 0;

	fetch->job_cxt = old;
	fetch->ntransfers = Min(Max(budget->concurrency, 1), Max(njobs, 1));
	fetch->transfers = palloc0(sizeof(Transfer) * fetch->ntransfers);
	for (int i = 0; i < fetch->ntransfers; i++)
		fetch->transfers[i].fd = -1;
	fetch->cleanup.func = fetch_cleanup;
	fetch->cleanup.arg = fetch;
	MemoryContextRegisterResetCallback(cxt, &fetch->cleanup);
	fetch->multi = curl_multi_init();
	if (fetch->multi == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not create a libcurl handle")));
	for (int i = 0; i < fetch->ntransfers; i++)
	{
		fetch->transfers[i].easy = curl_easy_init();
		if (fetch->transfers[i].easy == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("could not create a libcurl handle")));
	}

	while (next < njobs || active > 0)
	{
		int			running;
		int			queued;
		CURLMsg    *msg;
		long		timeout_ms = 100;

		CHECK_FOR_INTERRUPTS();

		/* start what the slots, the pace and the budgets allow */
		while (next < njobs && active < fetch->ntransfers)
		{
			double		wait = pace_wait(budget, last_start);
			Transfer   *t = NULL;

			if (budget->requests_left == 0 || budget->bytes_left == 0 || budget->quota_left == 0)
			{
				/*
				 * spent: what is left waits for the next hour (a tenant at
				 * its quota tries again then, in case it was raised or
				 * files were removed)
				 */
				bool		quota = budget->quota_left == 0;

				for (; next < njobs; next++)
				{
					MemoryContextSwitchTo(old);
					jobs[next].outcome = MLS_MEDIA_DEFERRED;
					jobs[next].error = pstrdup(quota ?
											   "the tenant's max_media_bytes is reached" :
											   "the connection's media budget for this hour is spent");
					done(&jobs[next], arg);
					MemoryContextSwitchTo(cxt);
				}
				break;
			}
			if (wait > 0)
			{
				timeout_ms = Min(timeout_ms, (long) (wait * 1000) + 1);
				break;
			}
			for (int i = 0; i < fetch->ntransfers && t == NULL; i++)
				if (fetch->transfers[i].job == NULL)
					t = &fetch->transfers[i];
			Assert(t != NULL);
			begin_job(fetch, t, &jobs[next++], store, budget);
			last_start = GetCurrentTimestamp();
			active++;
		}
		if (active == 0)
		{
			if (next >= njobs)
				break;
			pg_usleep(timeout_ms * 1000L);
			continue;
		}

		(void) curl_multi_perform(fetch->multi, &running);
		while ((msg = curl_multi_info_read(fetch->multi, &queued)) != NULL)
		{
			Transfer   *t = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **) &t);
			if (t == NULL || t->job == NULL)
				continue;
			{
				MlsMediaJob *job = t->job;

				if (finish_transfer(fetch, t, msg->data.result, budget))
					continue;
				active--;
				MemoryContextSwitchTo(old);
				done(job, arg);
				MemoryContextSwitchTo(cxt);
			}
		}
		if (active > 0)
			(void) curl_multi_poll(fetch->multi, NULL, 0, (int) timeout_ms, NULL);
	}

	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
}
