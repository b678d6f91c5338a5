/*-------------------------------------------------------------------------
 *
 * address_fuzz.c
 *	  libFuzzer harness of the address normaliser (src/match/address.c).
 *
 * For any input it checks what the normaliser promises:
 *   - no crash, no out-of-bounds access (run it under ASan and UBSan);
 *   - every result is a NUL-terminated string within its buffer;
 *   - idempotence: parsing the formatted form of a normalised address gives
 *	   the same address (and the same keys), whether the address came from
 *	   free text or from RESO fields (the input split at 0x1F bytes);
 *   - parcel, county, state and UPI normalisation are idempotent too.
 * A broken promise aborts with the input and both results on stderr.
 *
 * Build (clang with libFuzzer):
 *	 clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *		 src/match/address.c fuzz/address/address_fuzz.c -o address_fuzz
 * or without libFuzzer, with the random and mutating driver (driver.c):
 *	 cc -g -O1 -fsanitize=address,undefined -Isrc src/match/address.c \
 *		 fuzz/address/address_fuzz.c fuzz/address/driver.c -o address_fuzz
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/address.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Print the input (escaped) and abort.
 */
static void
fail(const char *what, const uint8_t *data, size_t size, const char *a, const char *b)
{
	fprintf(stderr, "address fuzz: %s\ninput (%zu bytes): \"", what, size);
	for (size_t i = 0; i < size; i++)
	{
		if (data[i] >= 0x20 && data[i] < 0x7F && data[i] != '"' && data[i] != '\\')
			fputc(data[i], stderr);
		else
			fprintf(stderr, "\\x%02x", data[i]);
	}
	fprintf(stderr, "\"\nfirst:  %s\nsecond: %s\n", a ? a : "", b ? b : "");
	abort();
}

/*
 * A string of buffer size is NUL-terminated within it.
 */
static void
check_bounded(const char *s, size_t size, const char *what, const uint8_t *data, size_t len)
{
	if (memchr(s, '\0', size) == NULL)
		fail(what, data, len, "unterminated", NULL);
}

static void
check_address(const MlsAddress *a, const uint8_t *data, size_t size)
{
	check_bounded(a->number, sizeof(a->number), "number overflows", data, size);
	check_bounded(a->predir, sizeof(a->predir), "predir overflows", data, size);
	check_bounded(a->name, sizeof(a->name), "name overflows", data, size);
	check_bounded(a->suffix, sizeof(a->suffix), "suffix overflows", data, size);
	check_bounded(a->postdir, sizeof(a->postdir), "postdir overflows", data, size);
	check_bounded(a->unit, sizeof(a->unit), "unit overflows", data, size);
	check_bounded(a->unit_key, sizeof(a->unit_key), "unit key overflows", data, size);
	check_bounded(a->postal_code, sizeof(a->postal_code), "postal code overflows", data, size);
}

/*
 * Format a, parse the text again and compare every part and both keys.
 */
static void
check_idempotent(const MlsAddress *a, const char *origin, const uint8_t *data, size_t size)
{
	MlsAddress	b;
	char		text_a[MLS_ADDR_TEXT_SIZE];
	char		text_b[MLS_ADDR_TEXT_SIZE];
	char		key_a[MLS_ADDR_TEXT_SIZE];
	char		key_b[MLS_ADDR_TEXT_SIZE];
	bool		has_a;
	bool		has_b;

	check_address(a, data, size);
	mls_address_format(a, text_a, sizeof(text_a));
	mls_address_parse(text_a, strlen(text_a), &b);
	check_address(&b, data, size);
	mls_address_format(&b, text_b, sizeof(text_b));
	if (strcmp(text_a, text_b) != 0 ||
		strcmp(a->number, b.number) != 0 || strcmp(a->predir, b.predir) != 0 ||
		strcmp(a->name, b.name) != 0 || strcmp(a->suffix, b.suffix) != 0 ||
		strcmp(a->postdir, b.postdir) != 0 || strcmp(a->unit, b.unit) != 0 ||
		strcmp(a->unit_key, b.unit_key) != 0 || strcmp(a->postal_code, b.postal_code) != 0)
	{
		char		what[64];

		snprintf(what, sizeof(what), "not idempotent (%s)", origin);
		fail(what, data, size, text_a, text_b);
	}
	has_a = mls_address_key(a, key_a, sizeof(key_a));
	has_b = mls_address_key(&b, key_b, sizeof(key_b));
	if (has_a != has_b || strcmp(key_a, key_b) != 0)
		fail("keys differ after a second normalisation", data, size, key_a, key_b);
	has_a = mls_address_house_key(a, key_a, sizeof(key_a));
	has_b = mls_address_house_key(&b, key_b, sizeof(key_b));
	if (has_a != has_b || strcmp(key_a, key_b) != 0)
		fail("house keys differ after a second normalisation", data, size, key_a, key_b);
}

typedef bool (*IdNormalizer) (const char *, size_t, char *, size_t);

/*
 * An identifier normaliser is idempotent and stays within its buffer.
 */
static void
check_id(IdNormalizer fn, const char *what, const uint8_t *data, size_t size)
{
	char		once[MLS_ID_SIZE];
	char		twice[MLS_ID_SIZE];

	if (!fn((const char *) data, size, once, sizeof(once)))
	{
		if (once[0] != '\0')
			fail(what, data, size, "false with a result", once);
		return;
	}
	check_bounded(once, sizeof(once), what, data, size);
	if (!fn(once, strlen(once), twice, sizeof(twice)) || strcmp(once, twice) != 0)
		fail(what, data, size, once, twice);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	MlsAddress	a;
	char	   *copy = malloc(size + 1);
	const char *fields[8] = {NULL};
	MlsAddressFields f;
	int			nfields = 0;
	char	   *start;

	if (copy == NULL)
		return 0;

	/* free text */
	mls_address_parse((const char *) data, size, &a);
	check_idempotent(&a, "text", data, size);

	/* RESO fields: the input cut at 0x1F; empty fields are NULL */
	memcpy(copy, data, size);
	copy[size] = '\0';
	start = copy;
	for (size_t i = 0; i <= size && nfields < 8; i++)
	{
		if (i == size || copy[i] == '\x1f' || copy[i] == '\0')
		{
			bool		end = i == size || copy[i] == '\0';

			copy[i] = '\0';
			fields[nfields++] = *start ? start : NULL;
			start = copy + i + 1;
			if (end)
				break;
		}
	}
	f.unparsed = fields[0];
	f.number = fields[1];
	f.dir_prefix = fields[2];
	f.name = fields[3];
	f.suffix = fields[4];
	f.dir_suffix = fields[5];
	f.unit = fields[6];
	f.postal_code = fields[7];
	mls_address_from_fields(&f, &a);
	check_idempotent(&a, "fields", data, size);
	free(copy);

	check_id(mls_parcel_normalize, "parcel not idempotent", data, size);
	check_id(mls_county_normalize, "county not idempotent", data, size);
	check_id(mls_state_normalize, "state not idempotent", data, size);
	check_id(mls_upi_normalize, "UPI not idempotent", data, size);
	return 0;
}
