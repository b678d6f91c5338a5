/*-------------------------------------------------------------------------
 *
 * media_derive.c
 *	  Driving the image helper process: start it, send it one image at a
 *	  time, read its answer within mlsync.media_timeout, restart it when it
 *	  dies.
 *
 * Why a process: libvips and the image libraries under it decode bytes
 * from anywhere.  In a backend, a crash there would make the postmaster
 * restart every process of the cluster; in the helper it ends the helper,
 * and the image is recorded as failed.  The helper also runs under
 * RLIMIT_AS (mlsync.media_helper_memory), so a decoder that wants too much
 * memory fails instead of growing the worker, and the worker's own memory
 * stays flat whatever the images.
 *
 * The helper is started with fork and execve only (nothing else runs in
 * the child), its descriptors above stderr closed, its signals unblocked,
 * and it exits when its stdin closes: when the worker ends, even killed.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "miscadmin.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "media/media.h"
#include "media/media_derive.h"

/* Longest answer line of the helper */
#define ANSWER_BYTES 16384
/*
 * Images a helper process decodes before it is replaced: the allocator and
 * libvips keep a little of each image, so a fresh process keeps memory flat
 * over thousands of images (measured by bench/media.sh).
 */
#define HELPER_JOBS 500

struct MlsMediaHelper
{
	pid_t		pid;
	int			to_fd;			/* its stdin */
	int			from_fd;		/* its stdout */
	int64		peak_kb;		/* largest peak it reported */
	int			jobs;			/* images sent to the current process */
	char		answer[ANSWER_BYTES];
	MemoryContextCallback cleanup;
};

/*
 * End the helper: close its stdin (it exits), and kill it if it lingers.
 */
static void
stop_process(MlsMediaHelper *helper)
{
	int			status;

	if (helper->pid <= 0)
		return;
	if (helper->to_fd >= 0)
		close(helper->to_fd);
	if (helper->from_fd >= 0)
		close(helper->from_fd);
	helper->to_fd = helper->from_fd = -1;
	kill(helper->pid, SIGKILL);
	(void) waitpid(helper->pid, &status, 0);
	helper->pid = 0;
}

static void
helper_cleanup(void *arg)
{
	stop_process((MlsMediaHelper *) arg);
}

/*
 * Start the helper process.
 */
static void
start_process(MlsMediaHelper *helper)
{
	char		dir[MAXPGPATH];
	char		path[MAXPGPATH];
	int			in[2];
	int			out[2];
	struct rlimit limit;
	char	   *argv[2];
	char	   *envp[3] = {"MALLOC_ARENA_MAX=2", "VIPS_WARNING=0", NULL};
	pid_t		pid;

	get_pkglib_path(my_exec_path, dir);
	snprintf(path, sizeof(path), "%s/mlsync_media_helper", dir);
	if (access(path, X_OK) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FILE),
				 errmsg("the media helper \"%s\" cannot be run: %m", path),
				 errhint("It is installed with mlsync (make install); set mlsync.media_derive = off to store media without derivatives.")));
	if (pipe(in) != 0 || pipe(out) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not create a pipe for the media helper: %m")));
	limit.rlim_cur = limit.rlim_max = (rlim_t) mlsync_media_helper_memory * 1024 * 1024;
	argv[0] = path;
	argv[1] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
	{
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not start the media helper: %m")));
	}
	if (pid == 0)
	{
		/* the child: async-signal-safe calls only, then exec */
		sigset_t	none;
		int			devnull = open("/dev/null", O_WRONLY);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || (devnull >= 0 && dup2(devnull, 2) < 0))
			_exit(126);
		closefrom(3);
		setrlimit(RLIMIT_AS, &limit);
		execve(path, argv, envp);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	helper->pid = pid;
	helper->to_fd = in[1];
	helper->from_fd = out[0];
	(void) fcntl(helper->from_fd, F_SETFL, O_NONBLOCK);
	(void) fcntl(helper->to_fd, F_SETFD, FD_CLOEXEC);
	(void) fcntl(helper->from_fd, F_SETFD, FD_CLOEXEC);
}

/*
 * Start a helper, owned by the current memory context (it is stopped when
 * that goes).
 */
MlsMediaHelper *
MlsMediaHelperStart(void)
{
	MlsMediaHelper *helper = palloc0(sizeof(MlsMediaHelper));

	helper->to_fd = helper->from_fd = -1;
	helper->cleanup.func = helper_cleanup;
	helper->cleanup.arg = helper;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &helper->cleanup);
	start_process(helper);
	return helper;
}

/*
 * How the helper ended, for the message of the image it was working on.
 */
static char *
helper_death(MlsMediaHelper *helper)
{
	int			status = 0;
	char	   *what;

	if (helper->pid > 0 && waitpid(helper->pid, &status, 0) == helper->pid)
	{
		if (WIFSIGNALED(status))
			what = psprintf("the image helper was killed by signal %d (%s)", WTERMSIG(status),
							WTERMSIG(status) == SIGABRT || WTERMSIG(status) == SIGSEGV ?
							"a crash or exhausted memory while decoding" : "signal");
		else
			what = psprintf("the image helper exited with status %d", WEXITSTATUS(status));
		helper->pid = 0;
	}
	else
		what = pstrdup("the image helper stopped answering");
	stop_process(helper);
	return what;
}

/*
 * Read one answer line within the timeout; NULL (and the helper gone) when
 * it died or timed out, with *error saying which.
 */
static char *
read_answer(MlsMediaHelper *helper, char **error)
{
	size_t		len = 0;
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
													   (int64) mlsync_media_timeout * 1000);

	for (;;)
	{
		ssize_t		n;
		char	   *newline;
		long		left;
		int			rc;

		CHECK_FOR_INTERRUPTS();
		n = read(helper->from_fd, helper->answer + len, sizeof(helper->answer) - 1 - len);
		if (n > 0)
		{
			len += n;
			helper->answer[len] = '\0';
			newline = strchr(helper->answer, '\n');
			if (newline)
			{
				*newline = '\0';
				return helper->answer;
			}
			if (len >= sizeof(helper->answer) - 1)
			{
				*error = pstrdup("the image helper's answer is too long");
				stop_process(helper);
				return NULL;
			}
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
		{
			*error = helper_death(helper);
			return NULL;
		}
		left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), deadline);
		if (left <= 0)
		{
			*error = psprintf("the image took longer than mlsync.media_timeout (%d s) to decode",
							  mlsync_media_timeout);
			stop_process(helper);
			return NULL;
		}
		rc = WaitLatchOrSocket(MyLatch, WL_LATCH_SET | WL_SOCKET_READABLE | WL_TIMEOUT |
							   WL_EXIT_ON_PM_DEATH, helper->from_fd, Min(left, 1000),
							   PG_WAIT_EXTENSION);
		if (rc & WL_LATCH_SET)
			ResetLatch(MyLatch);
	}
}

/*
 * A list setting as the helper reads it: the settings allow spaces after
 * the commas ("webp, jpeg"), the helper splits at commas alone and would
 * take " jpeg" for another format.
 */
static char *
without_spaces(const char *list)
{
	char	   *copy = palloc(strlen(list) + 1);
	char	   *out = copy;

	for (const char *p = list; *p; p++)
		if (*p != ' ')
			*out++ = *p;
	*out = '\0';
	return copy;
}

/*
 * Check the image at input and write its derivatives (mlsync.media_sizes
 * in mlsync.media_formats, or none when mlsync.media_sizes is empty) into
 * outdir.  Never raises over the image: a bad one comes back !ok with the
 * reason, and a helper that died over it is replaced for the next one.
 */
void
MlsMediaDerive(MlsMediaHelper *helper, const char *input, const char *outdir,
			   MlsMediaDerived *result)
{
	char	   *request;
	char	   *answer;
	/* ok, peak, width, height, loader, then one per derivative */
	char	   *fields[5 + MLS_MEDIA_MAX_DERIVATIVES];
	int			nfields = 0;
	size_t		done = 0;

	memset(result, 0, sizeof(*result));
	if (helper->pid > 0 && helper->jobs >= HELPER_JOBS)
		stop_process(helper);
	if (helper->pid <= 0)
	{
		start_process(helper);
		helper->jobs = 0;
	}
	helper->jobs++;
	request = psprintf("%s\t%s\t%s\t%s\t%d\t%d\n", input, outdir,
					   without_spaces(mlsync_media_sizes ? mlsync_media_sizes : ""),
					   without_spaces(mlsync_media_formats ? mlsync_media_formats : "webp"),
					   mlsync_media_max_pixels, mlsync_media_quality);
	while (done < strlen(request))
	{
		ssize_t		n = write(helper->to_fd, request + done, strlen(request) - done);

		if (n <= 0)
		{
			result->error = helper_death(helper);
			return;
		}
		done += n;
	}
	answer = read_answer(helper, &result->error);
	if (answer == NULL)
		return;

	for (char *p = answer; p && nfields < lengthof(fields); nfields++)
	{
		char	   *tab = strchr(p, '\t');

		fields[nfields] = p;
		if (tab)
			*tab = '\0';
		p = tab ? tab + 1 : NULL;
	}
	if (nfields >= 2)
		helper->peak_kb = Max(helper->peak_kb, strtol(fields[1], NULL, 10));
	if (nfields >= 3 && strcmp(fields[0], "error") == 0)
	{
		result->error = pstrdup(fields[2]);
		return;
	}
	if (nfields < 5 || strcmp(fields[0], "ok") != 0)
	{
		result->error = psprintf("the image helper answered \"%.100s\"", answer);
		return;
	}
	result->width = atoi(fields[2]);
	result->height = atoi(fields[3]);
	for (int i = 5; i < nfields && result->nderivatives < MLS_MEDIA_MAX_DERIVATIVES; i++)
	{
		MlsMediaDerivative *d = &result->derivatives[result->nderivatives];
		char		format[8];
		int			w,
					h;
		long long	bytes;
		int			consumed = 0;
		const char *slash;

		if (sscanf(fields[i], "%7[a-z]:%d:%d:%lld:%n", format, &w, &h, &bytes, &consumed) != 4 ||
			consumed == 0)
			continue;
		strlcpy(d->format, format, sizeof(d->format));
		d->width = w;
		d->height = h;
		d->bytes = bytes;
		d->path = pstrdup(fields[i] + consumed);
		slash = strrchr(d->path, '/');
		d->requested = slash ? atoi(slash + 1) : w;
		result->nderivatives++;
	}
	result->ok = true;
}

/*
 * The largest memory the helper used so far (bytes), as it reports it.
 */
int64
MlsMediaHelperPeakBytes(MlsMediaHelper *helper)
{
	return helper->peak_kb * 1024;
}

/*
 * Stop the helper now.
 */
void
MlsMediaHelperStop(MlsMediaHelper *helper)
{
	stop_process(helper);
}
