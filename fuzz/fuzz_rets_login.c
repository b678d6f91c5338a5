/*-------------------------------------------------------------------------
 *
 * fuzz_rets_login.c
 *	  libFuzzer harness of the RETS Login/Logout/Action parser
 *	  (src/rets/parse/rets_login.c), capability URLs resolved with
 *	  libcurl's URL parser as the sync does.
 *
 * Input: option bytes (see fuzz_common.h), then the body.  Option byte 0:
 *	bits 0-2	the Content-Type charset
 *	bits 3-4	the Login URL relative capability URLs are resolved against
 *	bits 5-6	the body limit: 0 (1 MB), 16, 256 or 4096 bytes
 *	bit 7		look every known capability up by name afterwards
 *
 * Each body is parsed fed whole and fed in pieces, and the results must be
 * the same.  Every string of the result must be UTF-8 that XML allows, and
 * every capability URL absolute http or https.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fuzz_common.h"
#include "rets/parse/rets_login.h"

static const char *const charsets[8] = {
	NULL, "utf-8", "ISO-8859-1", "us-ascii", "windows-1252", "latin1", "koi8-r", "UTF8"
};
static const char *const login_urls[4] = {
	NULL, "http://127.0.0.1:6103/demo/rets/login",
	"https://rets.example.com/rets2_1/Login?a=1#f", "http://[::1]:8080/"
};
static const size_t max_bytes[4] = {0, 16, 256, 4096};
static const char *const capability_names[] = {
	"Login", "Search", "GetMetadata", "GetObject", "Logout", "Action", "search",
	"X-SupportSite", "Update", NULL
};

static void
log_text(FuzzLog *log, const char *s, const char *what)
{
	if (s != NULL)
		FUZZ_CHECK(FuzzIsXmlText(s, strlen(s)), "%s is not text XML allows", what);
	FuzzLogString(log, s);
}

/*
 * Parse the body whole or in pieces and log the result.
 */
static void
parse(FuzzLog *log, const uint8_t *body, size_t len, uint8_t opt, bool whole,
	  uint8_t piece_option, uint8_t fail_option)
{
	const char *charset = charsets[opt & 7];
	RetsLoginParser *p;
	const RetsLoginResult *r;
	bool		ok;
	long		nth;
	bool		sticky;

	/* creating may raise (out of memory) in the server: failures come after */
	p = RetsLoginCreate(CurrentMemoryContext, login_urls[(opt >> 3) & 3], max_bytes[(opt >> 5) & 3]);
	if (FuzzFailuresFrom(fail_option, &nth, &sticky))
		FuzzShimFailAllocation(nth, sticky);
	ok = RetsLoginSetCharset(p, charset);
	if (whole)
		ok = ok && RetsLoginFeed(p, (const char *) body, len);
	else
	{
		FuzzPieces pieces;
		size_t		off = 0;

		FuzzPiecesInit(&pieces, piece_option, len);
		while (ok && off < len)
		{
			size_t		n = FuzzPiecesNext(&pieces, len - off);

			ok = RetsLoginFeed(p, (const char *) body + off, n);
			off += n;
		}
	}
	ok = RetsLoginFinish(p) && ok;
	FUZZ_CHECK(ok == (RetsLoginError(p) == NULL), "outcome %d with error \"%s\"",
			   ok, RetsLoginError(p) ? RetsLoginError(p) : "");
	if (!ok)
	{
		FuzzLogString(log, RetsLoginError(p));
		RetsLoginDestroy(p);
		return;
	}
	r = RetsLoginGetResult(p);
	FuzzLogPrintf(log, "xml=%d reply=%d:%d ", r->xml, r->has_reply, r->reply_code);
	log_text(log, r->reply_text, "ReplyText");
	for (int i = 0; i < r->ncapabilities; i++)
	{
		const RetsCapability *c = &r->capabilities[i];

		log_text(log, c->name, "a capability name");
		log_text(log, c->value, "a capability value");
		if (c->url != NULL)
		{
			FUZZ_CHECK(pg_strncasecmp(c->url, "http://", 7) == 0 ||
					   pg_strncasecmp(c->url, "https://", 8) == 0,
					   "capability %s resolved to \"%s\"", c->name, c->url);
			/* a URI: a request line can carry it (src/transport/uri.c) */
			for (const unsigned char *u = (const unsigned char *) c->url; *u; u++)
				FUZZ_CHECK(*u > ' ' && *u != 0x7f,
						   "capability %s resolved to \"%s\", with byte 0x%02x",
						   c->name, c->url, *u);
		}
		FuzzLogString(log, c->url);
	}
	for (int i = 0; i < r->ninfo; i++)
	{
		log_text(log, r->info[i].name, "an Info name");
		log_text(log, r->info[i].type, "an Info type");
		log_text(log, r->info[i].value, "an Info value");
	}
	for (int i = 0; i < r->nvalues; i++)
	{
		log_text(log, r->values[i].key, "a key");
		log_text(log, r->values[i].value, "a value");
	}
	log_text(log, r->metadata_version, "MetadataVersion");
	log_text(log, r->metadata_timestamp, "MetadataTimestamp");
	log_text(log, r->min_metadata_version, "MinMetadataVersion");
	log_text(log, r->min_metadata_timestamp, "MinMetadataTimestamp");
	log_text(log, r->text, "the text");
	FuzzLogPrintf(log, "timeout=%d ", r->timeout_seconds);
	FuzzLogString(log, r->encoding);
	FuzzLogPrintf(log, "repairs=%lld,%lld,%lld", (long long) r->stats.replaced,
				  (long long) r->stats.latin1_bytes, (long long) r->stats.escaped_ampersands);
	if (opt & 0x80)
		for (int i = 0; capability_names[i] != NULL; i++)
		{
			const RetsCapability *c = RetsLoginCapability(p, capability_names[i]);

			FuzzLogString(log, c ? c->url : NULL);
		}
	RetsLoginDestroy(p);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in = {data, size};
	uint8_t		opt = FuzzTakeByte(&in);
	uint8_t		piece_option = FuzzTakeByte(&in);
	uint8_t		fail_option = FuzzTakeByte(&in);
	MemoryContext cxt = FuzzBeginRun();
	FuzzLog		whole = {0};
	FuzzLog		pieces = {0};

	if (fail_option != 0)
		parse(&pieces, in.data, in.len, opt, false, piece_option, fail_option);
	else
	{
		parse(&whole, in.data, in.len, opt, true, piece_option, 0);
		parse(&pieces, in.data, in.len, opt, false, piece_option, 0);
		FuzzLogCheckEqual(&whole, &pieces, "Login result whole and in pieces");
	}
	FuzzLogFree(&whole);
	FuzzLogFree(&pieces);
	FuzzEndRun(cxt);
	return 0;
}
