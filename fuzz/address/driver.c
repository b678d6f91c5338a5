/*-------------------------------------------------------------------------
 *
 * driver.c
 *	  A fuzzing driver for address_fuzz.c without libFuzzer: random and
 *	  mutated addresses, deterministic from a seed.
 *
 *	  address_fuzz [ITERATIONS [SEED]]	 run the generated inputs
 *	  address_fuzz FILE...				 run the inputs in these files
 *
 * Inputs are drawn from three generators in turn: addresses assembled from
 * the words real addresses are made of (numbers, directionals, names,
 * suffixes in every spelling, unit designators, highway names, ZIP codes,
 * accents, punctuation), mutations of real-world address forms (bytes
 * flipped, inserted, deleted, duplicated, spliced), and random bytes.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 600

static uint64_t rng_state;

/*
 * xorshift64*: a small deterministic generator.
 */
static uint64_t
next_random(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t
below(size_t n)
{
	return n == 0 ? 0 : (size_t) (next_random() % n);
}

static const char *const corpus[] = {
	"123 Main St", "123 N. Main Street, Apt. 4", "00456 West Fifth St #12",
	"789 E Riverside Dr Unit 210", "1200 Barton Springs Rd Ste 100",
	"4501 Twenty-First St", "12800 FM 1431", "3300 Farm to Market Road 1431 Bldg B",
	"9600 W RM 620 N", "1100 Ranch Road 620 South", "500 IH 35 N Frontage",
	"2222 I-35 North", "100 State Hwy 71 W", "2 US-183 Svc Rd", "77 CR 12",
	"15 County Road 12 Lot 7", "8 Old Hwy 290 E", "4 N Loop 1", "11 St. Johns Ave",
	"12 Saint Johns Avenue Apt 3B", "300 Avenue B", "301 Ave. B Rear",
	"123 1/2 Peñasco Dr", "123½ Cañón Trl", "N123W4567 Main St",
	"123-A O'Brien Ln", "123-125 Congress Ave, Austin, TX 78701-1234",
	"PO Box 1234", "1 Harbor Key Dr", "5 Key West Dr", "6 Park Side Dr Upper",
	"7 Lk Shore Dr Bldg 2 Apt 4", "8 Mt Pleasant Rd", "9 Mount Pleasant Road No. 9",
	"10 North St", "11 N St NW", "12 W North Loop Blvd", "13 Avenue N",
	"14 Main St, Unit 5", "15 Main St 6", "16 Main St B", "17 Main St E",
	"1600 Pennsylvania Ave NW, Washington, DC 20500",
	"221 Baker Street, London", "350 5th Ave FL 34, New York NY 10118",
	"1 Infinite Loop, Cupertino, CA 95014", "742 Evergreen Terrace",
	"31 Spooner St, Quahog", "12 Grimmauld Pl", "4 Privet Dr", "0 Main St",
	"# 4, 123 Main St", "Apt 4 123 Main St", "123 # Apt 4 Main", "123 Main St ##",
	"123 Main Street Apartment Four", "123 Main St Penthouse", "123 Main St PH 2",
	"1 Rue Ste Catherine", "2 Calle Señora", "3 Château Hills Cv",
};

static const char *const words[] = {
	"123", "0045", "7", "1200", "98765", "123A", "123-A", "123-125", "1/2", "N12W345",
	"N", "S", "E", "W", "NE", "SW", "North", "south", "EAST", "West", "Northeast", "N.E.",
	"Main", "Oak", "Live Oak", "Peñasco", "Cañón", "O'Brien", "Saint", "St", "Ste", "Mt",
	"Mount", "Fort", "Ft", "First", "Twenty", "Twenty-First", "5th", "1st", "Lake", "Park",
	"St", "Street", "Str", "Ave", "Avenue", "Av", "Dr", "Drive", "Ln", "Lane", "Rd", "Road",
	"Blvd", "Boulevard", "Ct", "Court", "Cv", "Cove", "Trl", "Trail", "Way", "Loop", "Pass",
	"Bnd", "Bend", "Cir", "Circle", "Pkwy", "Parkway", "Hwy", "Highway", "Key", "Run",
	"Apt", "Apartment", "Unit", "#", "No", "No.", "Ste", "Suite", "Bldg", "Building", "Fl",
	"Floor", "Rm", "Room", "Lot", "Spc", "Trlr", "Rear", "Upper", "PH", "Penthouse",
	"4", "4B", "B", "12", "0012", "A-1", "FM", "RM", "CR", "SH", "US", "IH", "I", "FM1431",
	"Farm", "to", "Market", "Ranch", "County", "Co", "State", "Interstate", "Private",
	"78701", "78701-1234", "TX", "Texas", "Austin", ",", ", ", "-", "/", ".", "'", "½",
	"é", "ñ", "\xc3", "\xe2\x80\x99", "\xff", "\t", "  ", "\x1f",
};

/*
 * Append up to n bytes of s to buf (len so far), within MAX_INPUT.
 */
static size_t
append(uint8_t *buf, size_t len, const char *s, size_t n)
{
	while (n-- > 0 && *s && len < MAX_INPUT)
		buf[len++] = (uint8_t) *s++;
	return len;
}

/*
 * An address assembled from words.
 */
static size_t
assembled(uint8_t *buf)
{
	size_t		len = 0;
	size_t		count = 1 + below(12);

	for (size_t i = 0; i < count; i++)
	{
		const char *w = words[below(sizeof(words) / sizeof(words[0]))];

		len = append(buf, len, w, strlen(w));
		if (below(5) != 0)
			len = append(buf, len, " ", 1);
	}
	return len;
}

/*
 * A real-world address form, mutated a few times.
 */
static size_t
mutated(uint8_t *buf)
{
	const char *base = corpus[below(sizeof(corpus) / sizeof(corpus[0]))];
	size_t		len = append(buf, 0, base, strlen(base));
	size_t		mutations = below(5);

	for (size_t m = 0; m < mutations; m++)
	{
		size_t		at = below(len + 1);

		switch (below(6))
		{
			case 0:				/* flip a byte */
				if (len > 0)
					buf[below(len)] ^= (uint8_t) (1 << below(8));
				break;
			case 1:				/* insert a random byte */
				if (len < MAX_INPUT)
				{
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = (uint8_t) below(256);
					len++;
				}
				break;
			case 2:				/* delete a stretch */
				if (len > 0)
				{
					size_t		n = 1 + below(4);

					if (at + n > len)
						n = len - at;
					memmove(buf + at, buf + at + n, len - at - n);
					len -= n;
				}
				break;
			case 3:				/* insert a word */
				{
					const char *w = words[below(sizeof(words) / sizeof(words[0]))];
					size_t		n = strlen(w);

					if (len + n <= MAX_INPUT)
					{
						memmove(buf + at + n, buf + at, len - at);
						memcpy(buf + at, w, n);
						len += n;
					}
				}
				break;
			case 4:				/* duplicate the text */
				if (len * 2 <= MAX_INPUT)
				{
					memcpy(buf + len, buf, len);
					len *= 2;
				}
				break;
			default:			/* splice another address */
				{
					const char *other = corpus[below(sizeof(corpus) / sizeof(corpus[0]))];
					size_t		from = below(strlen(other) + 1);

					len = at;
					len = append(buf, len, other + from, strlen(other + from));
				}
				break;
		}
	}
	return len;
}

/*
 * Random bytes, biased towards letters, digits and separators.
 */
static size_t
random_bytes(uint8_t *buf)
{
	static const char common[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 #-/.,'";
	size_t		len = below(MAX_INPUT / 2);

	for (size_t i = 0; i < len; i++)
		buf[i] = below(3) == 0 ? (uint8_t) below(256) : (uint8_t) common[below(sizeof(common) - 1)];
	return len;
}

/*
 * Run the inputs of files.
 */
static int
run_files(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
	{
		FILE	   *f = fopen(argv[i], "rb");
		uint8_t    *buf;
		long		len;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0)
		{
			perror(argv[i]);
			return 1;
		}
		rewind(f);
		buf = malloc((size_t) len + 1);
		if (buf == NULL || fread(buf, 1, (size_t) len, f) != (size_t) len)
		{
			perror(argv[i]);
			return 1;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t) len);
		free(buf);
	}
	printf("address fuzz: %d files, no failure\n", argc - 1);
	return 0;
}

int
main(int argc, char **argv)
{
	long		iterations = 100000;
	uint8_t		buf[MAX_INPUT + 1];

	if (argc > 1 && (argv[1][0] < '0' || argv[1][0] > '9'))
		return run_files(argc, argv);
	if (argc > 1)
		iterations = atol(argv[1]);
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	if (rng_state == 0)
		rng_state = 1;
	for (long i = 0; i < iterations; i++)
	{
		size_t		len;

		switch (i % 3)
		{
			case 0:
				len = assembled(buf);
				break;
			case 1:
				len = mutated(buf);
				break;
			default:
				len = random_bytes(buf);
				break;
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	/* and every real-world form as it is */
	for (size_t c = 0; c < sizeof(corpus) / sizeof(corpus[0]); c++)
		LLVMFuzzerTestOneInput((const uint8_t *) corpus[c], strlen(corpus[c]));
	printf("address fuzz: %ld generated inputs, no crash, idempotent\n", iterations);
	return 0;
}
