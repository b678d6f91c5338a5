/*-------------------------------------------------------------------------
 *
 * mlsync_media_helper.c
 *	  The process that decodes media images and makes their derivatives,
 *	  with libvips.  A media worker starts one (media_derive.c) and keeps
 *	  it for its whole life, under a memory limit (RLIMIT_AS).
 *
 * Image decoders are the code most exposed to hostile bytes.  Here a crash,
 * an abort on exhausted memory or a hang ends this process only: the worker
 * records the image as failed and starts another helper, and PostgreSQL
 * never restarts its processes over an image.
 *
 * Protocol, one line per job on stdin, tab-separated:
 *	input path, output directory, widths ("320,1024" or ""), formats
 *	("webp,jpeg"), largest pixel count, quality
 * One line per job on stdout:
 *	"ok" TAB peak-kB TAB width TAB height TAB loader
 *	  then TAB "format:width:height:bytes:path" per derivative
 *	"error" TAB peak-kB TAB message
 * Each derivative is scaled down to its width (never up), rotated as the
 * EXIF orientation says, and stripped of metadata (EXIF, XMP, ICC, GPS).
 * With no widths the image is only checked: decoded whole at a small size.
 *
 * Not PostgreSQL code: built with libvips alone (see the Makefile).
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <vips/vips.h>

/* Image loaders accepted: the formats media are served in */
static const char *const loaders[] = {
	"jpegload", "pngload", "pngload_base", "webpload", "gifload", NULL
};

/*
 * Peak resident memory of this process, in kB.
 */
static long
peak_kb(void)
{
	struct rusage usage;

	if (getrusage(RUSAGE_SELF, &usage) != 0)
		return 0;
	return usage.ru_maxrss;
}

/*
 * Answer a job with an error: the message on one line, without tabs.
 */
static void
reply_error(const char *what, const char *detail)
{
	char		message[600];

	snprintf(message, sizeof(message), "%s%s%s", what, detail && detail[0] ? ": " : "",
			 detail ? detail : "");
	for (char *p = message; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	/* libvips ends its messages with a newline; drop trailing blanks */
	for (size_t n = strlen(message); n > 0 && message[n - 1] == ' '; n--)
		message[n - 1] = '\0';
	printf("error\t%ld\t%s\n", peak_kb(), message);
	fflush(stdout);
}

/*
 * Split a line into n tab-separated fields in place; false if fewer.
 */
static int
split(char *line, char **fields, int n)
{
	for (int i = 0; i < n; i++)
	{
		char	   *tab;

		if (line == NULL)
			return 0;
		fields[i] = line;
		tab = strchr(line, '\t');
		if (tab)
		{
			*tab = '\0';
			line = tab + 1;
		}
		else
			line = NULL;
	}
	return 1;
}

/*
 * Remove every metadata field (EXIF, XMP, IPTC, ICC, comments) from an
 * image we own.  The savers' "strip" option does not reach every format
 * (WebP keeps EXIF in libvips 8.14), so nothing is left for them to copy.
 */
static void
strip_metadata(VipsImage *image)
{
	gchar	  **names = vips_image_get_fields(image);

	for (int i = 0; names && names[i]; i++)
		(void) vips_image_remove(image, names[i]);
	g_strfreev(names);
}

/*
 * One job; see the header comment.
 */
static void
derive(char *line)
{
	char	   *f[6];
	const char *input;
	const char *outdir;
	double		max_pixels;
	int			quality;
	VipsImage  *header;
	const char *name;
	char		loader[64];
	int			width;
	int			height;
	int			ok_loader = 0;
	VipsImage  *base = NULL;
	char		out[8192];
	size_t		used = 0;
	int			widths[16];
	int			nwidths = 0;
	int			largest = 0;

	if (!split(line, f, 6))
	{
		reply_error("bad request", "six tab-separated fields expected");
		return;
	}
	input = f[0];
	outdir = f[1];
	max_pixels = atof(f[4]);
	quality = atoi(f[5]);
	for (char *w = strtok(f[2], ","); w && nwidths < 16; w = strtok(NULL, ","))
	{
		widths[nwidths] = atoi(w);
		if (widths[nwidths] > 0)
		{
			if (widths[nwidths] > largest)
				largest = widths[nwidths];
			nwidths++;
		}
	}

	/* the header alone: format and size, before any pixel is decoded */
	header = vips_image_new_from_file(input, "access", VIPS_ACCESS_SEQUENTIAL,
									  "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	if (header == NULL)
	{
		reply_error("not a readable image", vips_error_buffer());
		return;
	}
	/* copied: the string goes with the image */
	if (vips_image_get_typeof(header, VIPS_META_LOADER) == 0 ||
		vips_image_get_string(header, VIPS_META_LOADER, &name) != 0)
		name = "unknown";
	snprintf(loader, sizeof(loader), "%s", name);
	for (int i = 0; loaders[i]; i++)
		ok_loader |= strcmp(loader, loaders[i]) == 0;
	width = vips_image_get_width(header);
	height = vips_image_get_height(header);
	if (vips_image_get_orientation_swap(header))
	{
		int			swap = width;

		width = height;
		height = swap;
	}
	g_object_unref(header);
	if (!ok_loader)
	{
		char		detail[128];

		snprintf(detail, sizeof(detail), "format read by %s", loader);
		reply_error("not an image format mlsync derives (JPEG, PNG, WebP, GIF)", detail);
		return;
	}
	if ((double) width * (double) height > max_pixels)
	{
		char		detail[160];

		snprintf(detail, sizeof(detail), "%d x %d pixels, more than mlsync.media_max_pixels (%.0f)",
				 width, height, max_pixels);
		reply_error("image too large to decode", detail);
		return;
	}

	/*
	 * Decode once, at the largest width asked (shrink-on-load makes JPEG
	 * decoding cheap), rotated upright; the smaller sizes come from it.
	 * With no width, decode at a small size: that reads every byte, so a
	 * truncated or corrupt image fails here.
	 */
	if (vips_thumbnail(input, &base, largest > 0 ? largest : 64,
					   "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN,
					   "fail_on", VIPS_FAIL_ON_ERROR, NULL) != 0)
	{
		reply_error("the image could not be decoded", vips_error_buffer());
		return;
	}
	{
		VipsImage  *memory = vips_image_copy_memory(base);

		g_object_unref(base);
		base = memory;
		if (base == NULL)
		{
			reply_error("the image could not be decoded", vips_error_buffer());
			return;
		}
	}
	strip_metadata(base);

	/* the derivatives' fields; the answer's head once the peak is known */
	out[0] = '\0';
	used = 0;
	for (int i = 0; i < nwidths; i++)
	{
		VipsImage  *scaled = NULL;
		char	   *formats = strdup(f[3]);
		char	   *save = NULL;

		if (formats == NULL)
		{
			reply_error("out of memory", NULL);
			g_object_unref(base);
			return;
		}
		if (widths[i] >= vips_image_get_width(base))
		{
			scaled = base;
			g_object_ref(scaled);
		}
		else if (vips_thumbnail_image(base, &scaled, widths[i], "height", VIPS_MAX_COORD,
									  "size", VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL) != 0)
		{
			reply_error("the image could not be scaled", vips_error_buffer());
			free(formats);
			g_object_unref(base);
			return;
		}
		for (char *fmt = strtok_r(formats, ",", &save); fmt; fmt = strtok_r(NULL, ",", &save))
		{
			char		path[4096];
			struct stat st;
			int			rc;

			snprintf(path, sizeof(path), "%s/%d.%s", outdir, widths[i],
					 strcmp(fmt, "jpeg") == 0 ? "jpg" : "webp");
			if (strcmp(fmt, "jpeg") == 0)
				rc = vips_jpegsave(scaled, path, "Q", quality, "strip", TRUE,
								   "optimize_coding", TRUE, NULL);
			else
				rc = vips_webpsave(scaled, path, "Q", quality, "strip", TRUE, "effort", 2, NULL);
			if (rc != 0 || stat(path, &st) != 0)
			{
				reply_error("a derivative could not be written", vips_error_buffer());
				g_object_unref(scaled);
				free(formats);
				g_object_unref(base);
				return;
			}
			used += snprintf(out + used, sizeof(out) - used, "\t%s:%d:%d:%lld:%s", fmt,
							 vips_image_get_width(scaled), vips_image_get_height(scaled),
							 (long long) st.st_size, path);
			if (used >= sizeof(out))
			{
				reply_error("too many derivatives", NULL);
				g_object_unref(scaled);
				free(formats);
				g_object_unref(base);
				return;
			}
		}
		free(formats);
		g_object_unref(scaled);
	}
	g_object_unref(base);
	/* never a format: the paths may hold a "%" */
	printf("ok\t%ld\t%d\t%d\t%s%s\n", peak_kb(), width, height, loader, out);
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	char	   *line = NULL;
	size_t		size = 0;
	ssize_t		len;

	if (VIPS_INIT(argv[0]))
	{
		fprintf(stderr, "mlsync_media_helper: %s\n", vips_error_buffer());
		return 1;
	}
	/* one thread, no cache: memory stays flat from image to image */
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	/* no loader that shells out or parses exotic formats */
	vips_block_untrusted_set(TRUE);

	while ((len = getline(&line, &size, stdin)) > 0)
	{
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (strcmp(line, "ping") == 0)
		{
			printf("pong\t%ld\n", peak_kb());
			fflush(stdout);
			continue;
		}
		derive(line);
		vips_error_clear();
	}
	free(line);
	vips_shutdown();
	return 0;
}
