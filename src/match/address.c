/*-------------------------------------------------------------------------
 *
 * address.c
 *	  Table-driven normalisation of addresses and property identifiers
 *	  (see address.h).  Pure C: no PostgreSQL header, no allocation.
 *
 * An address goes through four steps:
 *
 * 1. Words.  The text is cut into words (upper case ASCII; Latin-1 letters
 *	  folded: "Peña" -> PENA; periods and apostrophes dropped inside a word:
 *	  "N.E." -> NE, "O'Brien" -> OBRIEN; "#" is a word of its own), words
 *	  into comma-separated segments.  The first segment is the street line;
 *	  later ones hold a unit ("..., Apt 4") or city, state and ZIP code.
 *
 * 2. Canonical words, whatever their place: directionals abbreviated
 *	  (NORTH -> N), SAINT -> ST, ordinals in digits (TWENTY FIRST -> 21ST),
 *	  highway names (FARM TO MARKET ROAD -> FM, CR -> COUNTY ROAD, HWY 71
 *	  -> HIGHWAY 71).  Highway names become one *locked* word, which no
 *	  later step takes for a suffix or a unit designator.
 *
 * 3. Structure, from the canonical words: the house number (first word,
 *	  number-shaped: 123, 123A, 123-125, N123W4567, then 1/2), the unit
 *	  (from the first unit designator followed by an identifier: APT 4,
 *	  # 4, BLDG 2 UNIT 5, REAR; or a bare identifier after a street suffix:
 *	  "MAIN ST 4"), then, on the street words left, the post-directional
 *	  (last word), the suffix (last word, a street type with a name before
 *	  it), the pre-directional (first word, with a name after it), and the
 *	  name (the rest).
 *
 * 4. Spelling by place: a suffix takes its USPS abbreviation (Drive -> DR),
 *	  a street type inside the name its full word (Ave B -> AVENUE B), so
 *	  both spellings of a name agree; unit designators take theirs
 *	  (Apartment -> APT, No. -> #).
 *
 * Why idempotent: every decision of step 3 is made on canonical words, and
 * the formatted address consists of canonical words in the order step 3
 * found them, so parsing it again makes the same decisions.  The fuzz test
 * (fuzz/address/) checks exactly that.
 *
 * The tables follow USPS Publication 28, appendices C1 (street suffixes)
 * and C2 (secondary unit designators), plus the state and province codes.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "match/address.h"

#define MAX_SEGMENTS	6
#define MAX_WORDS		40
#define WORD_SIZE		32
/* longest house number kept as a number (longer: an ordinary word) */
#define MAX_NUMBER_LEN	15
/*
 * most words of a street name: with the number, directionals, suffix and
 * unit a formatted address stays within MAX_WORDS
 */
#define MAX_NAME_WORDS	20
/* longest unit identifier, and unit levels kept */
#define MAX_UNIT_ID_LEN 12
#define MAX_UNIT_LEVELS 3

typedef struct Word
{
	char		s[WORD_SIZE];
	bool		locked;			/* a highway name: never a suffix or unit */
} Word;

typedef struct WordList
{
	Word		w[MAX_WORDS];
	int			n;
} WordList;

typedef struct Segments
{
	WordList	seg[MAX_SEGMENTS];
	int			n;
} Segments;

/* ---------------------------------------------------------------------
 * Tables
 * ---------------------------------------------------------------------
 */

/*
 * Street suffixes (USPS Publication 28, C1): the standard abbreviation, the
 * full word, then other spellings.  Every spelling appears once.
 */
static const char *const suffix_groups[][10] = {
	{"ALY", "ALLEY", "ALLEE", "ALLY"},
	{"ANX", "ANNEX", "ANEX", "ANNX"},
	{"ARC", "ARCADE"},
	{"AVE", "AVENUE", "AV", "AVEN", "AVENU", "AVN", "AVNUE"},
	{"BYU", "BAYOU", "BAYOO"},
	{"BCH", "BEACH"},
	{"BND", "BEND"},
	{"BLF", "BLUFF", "BLUF"},
	{"BLFS", "BLUFFS"},
	{"BTM", "BOTTOM", "BOT", "BOTTM"},
	{"BLVD", "BOULEVARD", "BOUL", "BOULV"},
	{"BR", "BRANCH", "BRNCH"},
	{"BRG", "BRIDGE", "BRDGE"},
	{"BRK", "BROOK"},
	{"BRKS", "BROOKS"},
	{"BG", "BURG"},
	{"BGS", "BURGS"},
	{"BYP", "BYPASS", "BYPA", "BYPAS", "BYPS"},
	{"CP", "CAMP", "CMP"},
	{"CYN", "CANYON", "CANYN", "CNYN"},
	{"CPE", "CAPE"},
	{"CSWY", "CAUSEWAY", "CAUSWA"},
	{"CTR", "CENTER", "CEN", "CENT", "CENTR", "CENTRE", "CNTER", "CNTR"},
	{"CTRS", "CENTERS"},
	{"CIR", "CIRCLE", "CIRC", "CIRCL", "CRCL", "CRCLE"},
	{"CIRS", "CIRCLES"},
	{"CLF", "CLIFF"},
	{"CLFS", "CLIFFS"},
	{"CLB", "CLUB"},
	{"CMN", "COMMON"},
	{"CMNS", "COMMONS"},
	{"COR", "CORNER"},
	{"CORS", "CORNERS"},
	{"CRSE", "COURSE"},
	{"CT", "COURT"},
	{"CTS", "COURTS"},
	{"CV", "COVE"},
	{"CVS", "COVES"},
	{"CRK", "CREEK"},
	{"CRES", "CRESCENT", "CRSENT", "CRSNT"},
	{"CRST", "CREST"},
	{"XING", "CROSSING", "CRSSNG"},
	{"XRD", "CROSSROAD"},
	{"XRDS", "CROSSROADS"},
	{"CURV", "CURVE"},
	{"DL", "DALE"},
	{"DM", "DAM"},
	{"DV", "DIVIDE", "DIV", "DVD"},
	{"DR", "DRIVE", "DRIV", "DRV"},
	{"DRS", "DRIVES"},
	{"EST", "ESTATE"},
	{"ESTS", "ESTATES"},
	{"EXPY", "EXPRESSWAY", "EXP", "EXPR", "EXPRESS", "EXPW"},
	{"EXT", "EXTENSION", "EXTN", "EXTNSN"},
	{"EXTS", "EXTENSIONS"},
	{"FALL", "FALL"},
	{"FLS", "FALLS"},
	{"FRY", "FERRY", "FRRY"},
	{"FLD", "FIELD"},
	{"FLDS", "FIELDS"},
	{"FLT", "FLAT"},
	{"FLTS", "FLATS"},
	{"FRD", "FORD"},
	{"FRDS", "FORDS"},
	{"FRST", "FOREST", "FORESTS"},
	{"FRG", "FORGE", "FORG"},
	{"FRGS", "FORGES"},
	{"FRK", "FORK"},
	{"FRKS", "FORKS"},
	{"FT", "FORT", "FRT"},
	{"FWY", "FREEWAY", "FREEWY", "FRWAY", "FRWY"},
	{"GDN", "GARDEN", "GARDN", "GRDEN", "GRDN"},
	{"GDNS", "GARDENS", "GRDNS"},
	{"GTWY", "GATEWAY", "GATEWY", "GATWAY", "GTWAY"},
	{"GLN", "GLEN"},
	{"GLNS", "GLENS"},
	{"GRN", "GREEN"},
	{"GRNS", "GREENS"},
	{"GRV", "GROVE", "GROV"},
	{"GRVS", "GROVES"},
	{"HBR", "HARBOR", "HARB", "HARBR", "HRBOR"},
	{"HBRS", "HARBORS"},
	{"HVN", "HAVEN"},
	{"HTS", "HEIGHTS", "HT"},
	{"HWY", "HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY"},
	{"HL", "HILL"},
	{"HLS", "HILLS"},
	{"HOLW", "HOLLOW", "HLLW", "HOLLOWS", "HOLWS"},
	{"INLT", "INLET"},
	{"IS", "ISLAND", "ISLND"},
	{"ISS", "ISLANDS", "ISLNDS"},
	{"ISLE", "ISLE", "ISLES"},
	{"JCT", "JUNCTION", "JCTION", "JCTN", "JUNCTN", "JUNCTON"},
	{"JCTS", "JUNCTIONS", "JCTNS"},
	{"KY", "KEY"},
	{"KYS", "KEYS"},
	{"KNL", "KNOLL", "KNOL"},
	{"KNLS", "KNOLLS"},
	{"LK", "LAKE"},
	{"LKS", "LAKES"},
	{"LAND", "LAND"},
	{"LNDG", "LANDING", "LNDNG"},
	{"LN", "LANE"},
	{"LGT", "LIGHT"},
	{"LGTS", "LIGHTS"},
	{"LF", "LOAF"},
	{"LCK", "LOCK"},
	{"LCKS", "LOCKS"},
	{"LDG", "LODGE", "LDGE", "LODG"},
	{"LOOP", "LOOP", "LOOPS"},
	{"MALL", "MALL"},
	{"MNR", "MANOR"},
	{"MNRS", "MANORS"},
	{"MDW", "MEADOW"},
	{"MDWS", "MEADOWS", "MEDOWS"},
	{"MEWS", "MEWS"},
	{"ML", "MILL"},
	{"MLS", "MILLS"},
	{"MSN", "MISSION", "MISSN", "MSSN"},
	{"MTWY", "MOTORWAY"},
	{"MT", "MOUNT", "MNT"},
	{"MTN", "MOUNTAIN", "MNTAIN", "MNTN", "MOUNTIN", "MTIN"},
	{"MTNS", "MOUNTAINS", "MNTNS"},
	{"NCK", "NECK"},
	{"ORCH", "ORCHARD", "ORCHRD"},
	{"OVAL", "OVAL", "OVL"},
	{"OPAS", "OVERPASS"},
	{"PARK", "PARK", "PRK", "PARKS"},
	{"PKWY", "PARKWAY", "PARKWY", "PKWAY", "PKY", "PARKWAYS", "PKWYS"},
	{"PASS", "PASS"},
	{"PSGE", "PASSAGE"},
	{"PATH", "PATH", "PATHS"},
	{"PIKE", "PIKE", "PIKES"},
	{"PNE", "PINE"},
	{"PNES", "PINES"},
	{"PL", "PLACE"},
	{"PLN", "PLAIN"},
	{"PLNS", "PLAINS"},
	{"PLZ", "PLAZA", "PLZA"},
	{"PT", "POINT"},
	{"PTS", "POINTS"},
	{"PRT", "PORT"},
	{"PRTS", "PORTS"},
	{"PR", "PRAIRIE", "PRR"},
	{"RADL", "RADIAL", "RAD", "RADIEL"},
	{"RAMP", "RAMP"},
	{"RNCH", "RANCH", "RANCHES", "RNCHS"},
	{"RPD", "RAPID"},
	{"RPDS", "RAPIDS"},
	{"RST", "REST"},
	{"RDG", "RIDGE", "RDGE"},
	{"RDGS", "RIDGES"},
	{"RIV", "RIVER", "RVR", "RIVR"},
	{"RD", "ROAD"},
	{"RDS", "ROADS"},
	{"RTE", "ROUTE"},
	{"ROW", "ROW"},
	{"RUE", "RUE"},
	{"RUN", "RUN"},
	{"SHL", "SHOAL"},
	{"SHLS", "SHOALS"},
	{"SHR", "SHORE", "SHOAR"},
	{"SHRS", "SHORES", "SHOARS"},
	{"SKWY", "SKYWAY"},
	{"SPG", "SPRING", "SPNG", "SPRNG"},
	{"SPGS", "SPRINGS", "SPNGS", "SPRNGS"},
	{"SPUR", "SPUR", "SPURS"},
	{"SQ", "SQUARE", "SQR", "SQRE", "SQU"},
	{"SQS", "SQUARES", "SQRS"},
	{"STA", "STATION", "STATN", "STN"},
	{"STRA", "STRAVENUE", "STRAV", "STRAVEN", "STRAVN", "STRVN", "STRVNUE"},
	{"STRM", "STREAM", "STREME"},
	{"ST", "STREET", "STRT", "STR"},
	{"STS", "STREETS"},
	{"SMT", "SUMMIT", "SUMIT", "SUMITT"},
	{"TER", "TERRACE", "TERR"},
	{"TRWY", "THROUGHWAY"},
	{"TRCE", "TRACE", "TRACES"},
	{"TRAK", "TRACK", "TRACKS", "TRK", "TRKS"},
	{"TRFY", "TRAFFICWAY"},
	{"TRL", "TRAIL", "TRAILS", "TRLS"},
	{"TRLR", "TRAILER"},
	{"TUNL", "TUNNEL", "TUNEL", "TUNLS", "TUNNELS", "TUNNL"},
	{"TPKE", "TURNPIKE", "TRNPK", "TURNPK"},
	{"UPAS", "UNDERPASS"},
	{"UN", "UNION"},
	{"UNS", "UNIONS"},
	{"VLY", "VALLEY", "VALLY", "VLLY"},
	{"VLYS", "VALLEYS"},
	{"VIA", "VIADUCT", "VDCT", "VIADCT"},
	{"VW", "VIEW"},
	{"VWS", "VIEWS"},
	{"VLG", "VILLAGE", "VILL", "VILLAG", "VILLG", "VILLIAGE"},
	{"VLGS", "VILLAGES"},
	{"VL", "VILLE"},
	{"VIS", "VISTA", "VIST", "VST", "VSTA"},
	{"WALK", "WALK", "WALKS"},
	{"WALL", "WALL"},
	{"WAY", "WAY", "WY"},
	{"WAYS", "WAYS"},
	{"WL", "WELL"},
	{"WLS", "WELLS"},
};

#define NUM_SUFFIX_GROUPS ((int) (sizeof(suffix_groups) / sizeof(suffix_groups[0])))

/* Directionals: every spelling -> abbreviation */
static const char *const directional_words[][2] = {
	{"N", "N"}, {"S", "S"}, {"E", "E"}, {"W", "W"},
	{"NE", "NE"}, {"NW", "NW"}, {"SE", "SE"}, {"SW", "SW"},
	{"NORTH", "N"}, {"SOUTH", "S"}, {"EAST", "E"}, {"WEST", "W"},
	{"NORTHEAST", "NE"}, {"NORTHWEST", "NW"}, {"SOUTHEAST", "SE"}, {"SOUTHWEST", "SW"},
};

/* Unit designator kinds */
#define UNIT_NEEDS_ID	0		/* APT 4: an identifier must follow */
#define UNIT_ALONE		1		/* REAR: no identifier needed */

/*
 * Secondary unit designators (USPS Publication 28, C2): abbreviation,
 * kind, whether it names a dwelling (keys treat APT 4, UNIT 4 and # 4 as
 * one unit), then the spellings.
 */
typedef struct UnitDesignator
{
	const char *abbr;
	int			kind;
	bool		dwelling;
	const char *spellings[6];
} UnitDesignator;

static const UnitDesignator unit_designators[] = {
	{"APT", UNIT_NEEDS_ID, true, {"APT", "APARTMENT", "APTMT"}},
	{"BSMT", UNIT_ALONE, true, {"BSMT", "BASEMENT"}},
	{"BLDG", UNIT_NEEDS_ID, false, {"BLDG", "BUILDING", "BLD"}},
	{"DEPT", UNIT_NEEDS_ID, false, {"DEPT", "DEPARTMENT"}},
	{"FL", UNIT_NEEDS_ID, false, {"FL", "FLOOR", "FLR"}},
	{"FRNT", UNIT_ALONE, true, {"FRNT", "FRONT"}},
	{"HNGR", UNIT_NEEDS_ID, true, {"HNGR", "HANGAR"}},
	{"KEY", UNIT_NEEDS_ID, true, {"KEY"}},
	{"LBBY", UNIT_ALONE, true, {"LBBY", "LOBBY"}},
	{"LOT", UNIT_NEEDS_ID, true, {"LOT"}},
	{"LOWR", UNIT_ALONE, true, {"LOWR", "LOWER"}},
	{"OFC", UNIT_ALONE, true, {"OFC", "OFFICE"}},
	{"PH", UNIT_ALONE, true, {"PH", "PENTHOUSE"}},
	{"PIER", UNIT_NEEDS_ID, true, {"PIER"}},
	{"REAR", UNIT_ALONE, true, {"REAR"}},
	{"RM", UNIT_NEEDS_ID, true, {"RM", "ROOM"}},
	{"SIDE", UNIT_ALONE, true, {"SIDE"}},
	{"SLIP", UNIT_NEEDS_ID, true, {"SLIP"}},
	{"SPC", UNIT_NEEDS_ID, true, {"SPC", "SPACE"}},
	{"STOP", UNIT_NEEDS_ID, true, {"STOP"}},
	{"STE", UNIT_NEEDS_ID, true, {"STE", "SUITE"}},
	{"TRLR", UNIT_NEEDS_ID, true, {"TRLR", "TRAILER"}},
	{"UNIT", UNIT_NEEDS_ID, true, {"UNIT", "UNT"}},
	{"UPPR", UNIT_ALONE, true, {"UPPR", "UPPER"}},
	{"#", UNIT_NEEDS_ID, true, {"#", "NO", "NUM", "NUMBER", "NBR"}},
};

#define NUM_UNIT_DESIGNATORS ((int) (sizeof(unit_designators) / sizeof(unit_designators[0])))

/* Ordinal words -> digits; tens combine with a following unit ordinal */
static const char *const ordinal_words[][2] = {
	{"FIRST", "1ST"}, {"SECOND", "2ND"}, {"THIRD", "3RD"}, {"FOURTH", "4TH"},
	{"FIFTH", "5TH"}, {"SIXTH", "6TH"}, {"SEVENTH", "7TH"}, {"EIGHTH", "8TH"},
	{"NINTH", "9TH"}, {"TENTH", "10TH"}, {"ELEVENTH", "11TH"}, {"TWELFTH", "12TH"},
	{"THIRTEENTH", "13TH"}, {"FOURTEENTH", "14TH"}, {"FIFTEENTH", "15TH"},
	{"SIXTEENTH", "16TH"}, {"SEVENTEENTH", "17TH"}, {"EIGHTEENTH", "18TH"},
	{"NINETEENTH", "19TH"}, {"TWENTIETH", "20TH"}, {"THIRTIETH", "30TH"},
	{"FORTIETH", "40TH"}, {"FIFTIETH", "50TH"}, {"SIXTIETH", "60TH"},
	{"SEVENTIETH", "70TH"}, {"EIGHTIETH", "80TH"}, {"NINETIETH", "90TH"},
	{"HUNDREDTH", "100TH"},
};

static const char *const tens_words[] = {
	"TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"
};

/* Other words with one spelling everywhere */
static const char *const canonical_words[][2] = {
	{"SAINT", "ST"}, {"SAINTE", "STE"},
};

/* States, districts, territories and Canadian provinces: name -> code */
static const char *const state_names[][2] = {
	{"ALABAMA", "AL"}, {"ALASKA", "AK"}, {"ARIZONA", "AZ"}, {"ARKANSAS", "AR"},
	{"CALIFORNIA", "CA"}, {"COLORADO", "CO"}, {"CONNECTICUT", "CT"}, {"DELAWARE", "DE"},
	{"DISTRICTOFCOLUMBIA", "DC"}, {"FLORIDA", "FL"}, {"GEORGIA", "GA"}, {"HAWAII", "HI"},
	{"IDAHO", "ID"}, {"ILLINOIS", "IL"}, {"INDIANA", "IN"}, {"IOWA", "IA"},
	{"KANSAS", "KS"}, {"KENTUCKY", "KY"}, {"LOUISIANA", "LA"}, {"MAINE", "ME"},
	{"MARYLAND", "MD"}, {"MASSACHUSETTS", "MA"}, {"MICHIGAN", "MI"}, {"MINNESOTA", "MN"},
	{"MISSISSIPPI", "MS"}, {"MISSOURI", "MO"}, {"MONTANA", "MT"}, {"NEBRASKA", "NE"},
	{"NEVADA", "NV"}, {"NEWHAMPSHIRE", "NH"}, {"NEWJERSEY", "NJ"}, {"NEWMEXICO", "NM"},
	{"NEWYORK", "NY"}, {"NORTHCAROLINA", "NC"}, {"NORTHDAKOTA", "ND"}, {"OHIO", "OH"},
	{"OKLAHOMA", "OK"}, {"OREGON", "OR"}, {"PENNSYLVANIA", "PA"}, {"RHODEISLAND", "RI"},
	{"SOUTHCAROLINA", "SC"}, {"SOUTHDAKOTA", "SD"}, {"TENNESSEE", "TN"}, {"TEXAS", "TX"},
	{"UTAH", "UT"}, {"VERMONT", "VT"}, {"VIRGINIA", "VA"}, {"WASHINGTON", "WA"},
	{"WESTVIRGINIA", "WV"}, {"WISCONSIN", "WI"}, {"WYOMING", "WY"},
	{"PUERTORICO", "PR"}, {"GUAM", "GU"}, {"VIRGINISLANDS", "VI"},
	{"USVIRGINISLANDS", "VI"}, {"AMERICANSAMOA", "AS"}, {"NORTHERNMARIANAISLANDS", "MP"},
	{"ALBERTA", "AB"}, {"BRITISHCOLUMBIA", "BC"}, {"MANITOBA", "MB"}, {"NEWBRUNSWICK", "NB"},
	{"NEWFOUNDLANDANDLABRADOR", "NL"}, {"NEWFOUNDLAND", "NL"}, {"NOVASCOTIA", "NS"},
	{"NORTHWESTTERRITORIES", "NT"}, {"NUNAVUT", "NU"}, {"ONTARIO", "ON"},
	{"PRINCEEDWARDISLAND", "PE"}, {"QUEBEC", "QC"}, {"SASKATCHEWAN", "SK"}, {"YUKON", "YT"},
	/* common older abbreviations */
	{"ALA", "AL"}, {"ARIZ", "AZ"}, {"ARK", "AR"}, {"CALIF", "CA"}, {"CAL", "CA"},
	{"COLO", "CO"}, {"CONN", "CT"}, {"DEL", "DE"}, {"FLA", "FL"}, {"ILL", "IL"},
	{"IND", "IN"}, {"KAN", "KS"}, {"KANS", "KS"}, {"MASS", "MA"}, {"MICH", "MI"},
	{"MINN", "MN"}, {"MISS", "MS"}, {"NEB", "NE"}, {"NEBR", "NE"}, {"NEV", "NV"},
	{"OKLA", "OK"}, {"ORE", "OR"}, {"PENN", "PA"}, {"PENNA", "PA"}, {"TENN", "TN"},
	{"TEX", "TX"}, {"WASH", "WA"}, {"WIS", "WI"}, {"WISC", "WI"}, {"WYO", "WY"},
	{"QUE", "QC"}, {"PQ", "QC"},
};

static const char *const state_codes[] = {
	"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
	"IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
	"NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
	"VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
	"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
};

/* Words that end a county name without being part of it */
static const char *const county_designators[] = {
	"COUNTY", "CO", "CNTY", "CTY", "PARISH", "PAR", "BOROUGH", "BORO", "MUNICIPALITY",
	"MUNI", "CENSUS", "AREA", "CITY", "AND",
};

/* ---------------------------------------------------------------------
 * Table lookups
 *
 * Every spelling of every table is found by binary search in one sorted
 * index, built on first use (a static array: no allocation).
 * ---------------------------------------------------------------------
 */

#define KIND_SUFFIX		1
#define KIND_DIRECTION	2
#define KIND_UNIT		3
#define KIND_ORDINAL	4
#define KIND_CANONICAL	5

typedef struct IndexEntry
{
	const char *word;
	int			kind;
	int			item;			/* group or row of the table */
} IndexEntry;

#define INDEX_SIZE 1024
static IndexEntry word_index[INDEX_SIZE];
static int	word_index_size = 0;
static bool word_index_ready = false;

/*
 * qsort comparator of index entries: by word, then kind.
 */
static int
compare_entries(const void *a, const void *b)
{
	const IndexEntry *x = a;
	const IndexEntry *y = b;
	int			cmp = strcmp(x->word, y->word);

	if (cmp != 0)
		return cmp;
	return x->kind - y->kind;
}

/*
 * Add one spelling to the index (ignoring overflow, which the table sizes
 * above never reach).
 */
static void
index_add(const char *word, int kind, int item)
{
	if (word == NULL || word_index_size >= INDEX_SIZE)
		return;
	word_index[word_index_size].word = word;
	word_index[word_index_size].kind = kind;
	word_index[word_index_size].item = item;
	word_index_size++;
}

/*
 * Build the index once.
 */
static void
build_index(void)
{
	if (word_index_ready)
		return;
	for (int g = 0; g < NUM_SUFFIX_GROUPS; g++)
	{
		for (int k = 0; k < 10 && suffix_groups[g][k]; k++)
		{
			/* the full word may repeat the abbreviation (LOOP, LOOP) */
			if (k == 1 && strcmp(suffix_groups[g][1], suffix_groups[g][0]) == 0)
				continue;
			index_add(suffix_groups[g][k], KIND_SUFFIX, g);
		}
	}
	for (size_t i = 0; i < sizeof(directional_words) / sizeof(directional_words[0]); i++)
		index_add(directional_words[i][0], KIND_DIRECTION, (int) i);
	for (int d = 0; d < NUM_UNIT_DESIGNATORS; d++)
	{
		for (int k = 0; k < 6 && unit_designators[d].spellings[k]; k++)
			index_add(unit_designators[d].spellings[k], KIND_UNIT, d);
	}
	for (size_t i = 0; i < sizeof(ordinal_words) / sizeof(ordinal_words[0]); i++)
		index_add(ordinal_words[i][0], KIND_ORDINAL, (int) i);
	for (size_t i = 0; i < sizeof(canonical_words) / sizeof(canonical_words[0]); i++)
		index_add(canonical_words[i][0], KIND_CANONICAL, (int) i);
	qsort(word_index, word_index_size, sizeof(IndexEntry), compare_entries);
	word_index_ready = true;
}

/*
 * The table row of a word of one kind, or -1.
 */
static int
lookup(const char *word, int kind)
{
	int			lo = 0;
	int			hi;

	build_index();
	hi = word_index_size - 1;
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;
		int			cmp = strcmp(word, word_index[mid].word);

		if (cmp == 0)
			cmp = kind - word_index[mid].kind;
		if (cmp == 0)
			return word_index[mid].item;
		if (cmp < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Classification of canonical words */
static int
suffix_group(const Word *w)
{
	return w->locked ? -1 : lookup(w->s, KIND_SUFFIX);
}

static bool
is_direction(const Word *w)
{
	return !w->locked && lookup(w->s, KIND_DIRECTION) >= 0;
}

static int
unit_designator(const Word *w)
{
	return w->locked ? -1 : lookup(w->s, KIND_UNIT);
}

/* ---------------------------------------------------------------------
 * Small string helpers (bounded)
 * ---------------------------------------------------------------------
 */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z');
}

/*
 * Copy src into dst (size bytes), truncated; returns false when it did not
 * fit.
 */
static bool
copy_str(char *dst, size_t size, const char *src)
{
	size_t		len = strlen(src);

	if (size == 0)
		return false;
	if (len >= size)
	{
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return false;
	}
	memcpy(dst, src, len + 1);
	return true;
}

/*
 * Append " word" (or "word" to an empty string) if the whole of it fits;
 * returns false, leaving dst unchanged, when it does not.
 */
static bool
append_word(char *dst, size_t size, const char *word)
{
	size_t		len = strlen(dst);
	size_t		wlen = strlen(word);
	size_t		need = len + (len > 0 ? 1 : 0) + wlen + 1;

	if (wlen == 0)
		return true;
	if (need > size)
		return false;
	if (len > 0)
		dst[len++] = ' ';
	memcpy(dst + len, word, wlen + 1);
	return true;
}

static void
set_word(Word *w, const char *s, bool locked)
{
	copy_str(w->s, WORD_SIZE, s);
	w->locked = locked;
}

static void
remove_words(WordList *list, int at, int count)
{
	if (count <= 0 || at < 0 || at >= list->n)
		return;
	if (at + count > list->n)
		count = list->n - at;
	memmove(&list->w[at], &list->w[at + count], sizeof(Word) * (list->n - at - count));
	list->n -= count;
}

/* ---------------------------------------------------------------------
 * Step 1: words
 * ---------------------------------------------------------------------
 */

/*
 * ASCII letters for a Latin-1 code point U+00C0..U+00FF (as its second
 * UTF-8 byte minus 0x80 plus 0x40), or NULL for the two signs (x, /).
 */
static const char *
fold_latin1(unsigned char low)
{
	static const char *const folds[64] = {
		"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
		"D", "N", "O", "O", "O", "O", "O", NULL, "O", "U", "U", "U", "U", "Y", "TH", "SS",
		"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
		"D", "N", "O", "O", "O", "O", "O", NULL, "O", "U", "U", "U", "U", "Y", "TH", "Y",
	};

	return folds[low & 0x3F];
}

typedef struct Tokenizer
{
	Segments   *out;
	char		word[WORD_SIZE];
	int			len;
} Tokenizer;

/*
 * End the word being built: drop a trailing "-" or "/" (kept only between
 * letters or digits) and append it to the current segment.
 */
static void
end_word(Tokenizer *t)
{
	WordList   *seg;

	while (t->len > 0 && (t->word[t->len - 1] == '-' || t->word[t->len - 1] == '/'))
		t->len--;
	if (t->len == 0)
		return;
	t->word[t->len] = '\0';
	seg = &t->out->seg[t->out->n - 1];
	if (seg->n < MAX_WORDS)
		set_word(&seg->w[seg->n++], t->word, false);
	t->len = 0;
}

static void
add_char(Tokenizer *t, char c)
{
	if (t->len < WORD_SIZE - 1)
		t->word[t->len++] = c;
}

static void
add_word(Tokenizer *t, const char *s)
{
	end_word(t);
	while (*s)
		add_char(t, *s++);
	end_word(t);
}

static void
new_segment(Tokenizer *t)
{
	end_word(t);
	if (t->out->n < MAX_SEGMENTS)
	{
		t->out->seg[t->out->n].n = 0;
		t->out->n++;
	}
}

/*
 * Whether byte i of s is an ASCII letter or digit.
 */
static bool
alnum_at(const char *s, size_t len, size_t i)
{
	return i < len && is_alnum(s[i]);
}

/*
 * Cut text into words and segments (step 1).
 */
static void
tokenize(const char *s, size_t len, Segments *out)
{
	Tokenizer	t;

	out->n = 1;
	out->seg[0].n = 0;
	t.out = out;
	t.len = 0;
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x80)
		{
			if (c >= 'a' && c <= 'z')
				add_char(&t, (char) (c - 'a' + 'A'));
			else if (is_upper((char) c) || is_digit((char) c))
				add_char(&t, (char) c);
			else if (c == '.' || c == '\'' || c == '`')
				;				/* joins: N.E. -> NE, O'Brien -> OBRIEN */
			else if (c == '-' && t.len > 0 && is_alnum(t.word[t.len - 1]) && alnum_at(s, len, i + 1))
				add_char(&t, '-');
			else if (c == '/' && t.len > 0 && is_digit(t.word[t.len - 1]) &&
					 i + 1 < len && is_digit(s[i + 1]))
				add_char(&t, '/');
			else if (c == '#')
				add_word(&t, "#");
			else if (c == ',' || c == ';' || c == '\n' || c == '\r')
				new_segment(&t);
			else
				end_word(&t);
			continue;
		}
		/* UTF-8: Latin-1 letters fold to ASCII, anything else separates */
		if (c == 0xC3 && i + 1 < len && ((unsigned char) s[i + 1] & 0xC0) == 0x80)
		{
			const char *fold = fold_latin1((unsigned char) s[i + 1]);

			if (fold)
				while (*fold)
					add_char(&t, *fold++);
			else
				end_word(&t);
			i++;
			continue;
		}
		if (c == 0xC2 && i + 1 < len && (unsigned char) s[i + 1] == 0xBD)
		{
			/* the one-half sign: 123½ -> 123 1/2 */
			add_word(&t, "1/2");
			i++;
			continue;
		}
		if (c == 0xE2 && i + 2 < len && (unsigned char) s[i + 1] == 0x80 &&
			((unsigned char) s[i + 2] == 0x98 || (unsigned char) s[i + 2] == 0x99))
		{
			i += 2;				/* typographic apostrophes join, as ' does */
			continue;
		}
		end_word(&t);
		/* skip the continuation bytes of this character */
		while (i + 1 < len && ((unsigned char) s[i + 1] & 0xC0) == 0x80)
			i++;
	}
	end_word(&t);
}

/* ---------------------------------------------------------------------
 * Step 2: canonical words
 * ---------------------------------------------------------------------
 */

/*
 * Whether a word is a house number: 123, 123A, 123-125, 123-A, N123W4567
 * (at most MAX_NUMBER_LEN characters; ordinals such as 5TH are not).
 */
static bool
is_house_number(const char *s)
{
	size_t		len = strlen(s);
	size_t		i = 0;

	if (len == 0 || len > MAX_NUMBER_LEN)
		return false;
	if (is_digit(s[0]))
	{
		while (i < len && is_digit(s[i]))
			i++;
		if (i == len)
			return true;
		if (s[i] == '-')
		{
			size_t		j = i + 1;

			if (j < len && is_digit(s[j]))
			{
				while (j < len && is_digit(s[j]))
					j++;
				return j == len;
			}
			while (j < len && is_upper(s[j]))
				j++;
			if (j != len || j - i - 1 < 1 || j - i - 1 > 2)
				return false;
			/* 123-ST would become 123ST, no number */
			return !(strcmp(s + i + 1, "ST") == 0 || strcmp(s + i + 1, "ND") == 0 ||
					 strcmp(s + i + 1, "RD") == 0 || strcmp(s + i + 1, "TH") == 0);
		}
		if (len - i <= 2)
		{
			const char *tail = s + i;

			for (size_t j = i; j < len; j++)
				if (!is_upper(s[j]))
					return false;
			/* 1ST, 2ND, 3RD, 4TH name streets */
			if (strcmp(tail, "ST") == 0 || strcmp(tail, "ND") == 0 ||
				strcmp(tail, "RD") == 0 || strcmp(tail, "TH") == 0)
				return false;
			return true;
		}
		return false;
	}
	/* Wisconsin-style grid numbers: N123W4567 */
	if (s[0] == 'N' || s[0] == 'S' || s[0] == 'E' || s[0] == 'W')
	{
		i = 1;
		if (i >= len || !is_digit(s[i]))
			return false;
		while (i < len && is_digit(s[i]))
			i++;
		if (i >= len || !(s[i] == 'N' || s[i] == 'S' || s[i] == 'E' || s[i] == 'W'))
			return false;
		i++;
		if (i >= len || !is_digit(s[i]))
			return false;
		while (i < len && is_digit(s[i]))
			i++;
		return i == len;
	}
	return false;
}

/*
 * Whether a word is a fraction: 1/2, 3/4.
 */
static bool
is_fraction(const char *s)
{
	const char *slash = strchr(s, '/');

	if (slash == NULL || slash == s || slash[1] == '\0')
		return false;
	for (const char *p = s; *p; p++)
		if (!is_digit(*p) && p != slash)
			return false;
	return true;
}

static bool
starts_with_digit(const Word *w)
{
	return is_digit(w->s[0]);
}

/*
 * Keep letters and digits only and drop the leading zeros of every run of
 * digits ("0012B04" -> "12B4", "0/7" -> "7"), keeping one zero of a run of
 * zeros.
 */
static void
strip_zeros(const char *src, char *dst, size_t size)
{
	char		alnum[WORD_SIZE * 2];
	size_t		n = 0;
	size_t		o = 0;

	for (const char *p = src; *p && n + 1 < sizeof(alnum); p++)
		if (is_digit(*p) || is_upper(*p))
			alnum[n++] = *p;
	alnum[n] = '\0';
	for (size_t i = 0; i < n;)
	{
		size_t		j = i;

		if (!is_digit(alnum[i]))
		{
			if (o + 1 < size)
				dst[o++] = alnum[i];
			i++;
			continue;
		}
		/* the run [i, j): skip its leading zeros but the last digit */
		while (j < n && is_digit(alnum[j]))
			j++;
		while (i + 1 < j && alnum[i] == '0')
			i++;
		for (; i < j; i++)
			if (o + 1 < size)
				dst[o++] = alnum[i];
	}
	if (size > 0)
		dst[o] = '\0';
}

/*
 * Normalise a house number: leading zeros dropped, "123-A" -> "123A".
 */
static void
normalize_number(const char *s, char *dst, size_t size)
{
	const char *dash = strchr(s, '-');

	if (dash && !is_digit(dash[1]))
	{
		/* 0123-A -> 123A */
		char		joined[WORD_SIZE];
		size_t		o = 0;

		for (const char *p = s; *p && o + 1 < sizeof(joined); p++)
			if (*p != '-')
				joined[o++] = *p;
		joined[o] = '\0';
		strip_zeros(joined, dst, size);
		return;
	}
	if (dash)
	{
		/* 0123-0125 -> 123-125 */
		char		left[WORD_SIZE];
		char		right[WORD_SIZE];
		char		a[WORD_SIZE];
		char		b[WORD_SIZE];
		size_t		llen = (size_t) (dash - s);

		if (llen >= sizeof(left))
			llen = sizeof(left) - 1;
		memcpy(left, s, llen);
		left[llen] = '\0';
		copy_str(right, sizeof(right), dash + 1);
		strip_zeros(left, a, sizeof(a));
		strip_zeros(right, b, sizeof(b));
		dst[0] = '\0';
		copy_str(dst, size, a);
		if (strlen(dst) + 1 + strlen(b) < size)
		{
			strcat(dst, "-");
			strcat(dst, b);
		}
		return;
	}
	if (is_digit(s[0]))
		strip_zeros(s, dst, size);
	else
		copy_str(dst, size, s);	/* grid numbers stay as written */
}

/*
 * Split words at inner dashes ("I-35" -> I 35, "SAINT-JEAN" -> SAINT JEAN),
 * except house numbers (123-125, 123-A); split glued highway numbers
 * (FM1431 -> FM 1431, US183 -> US 183).
 */
static void
split_words(WordList *in, WordList *out)
{
	/* not RM (ROOM) or HWY: split, they would not read as unit identifiers */
	static const char *const glued[] = {"FM", "CR", "SH", "IH", "I", "US"};

	out->n = 0;
	for (int i = 0; i < in->n; i++)
	{
		const char *s = in->w[i].s;
		char		part[WORD_SIZE];
		size_t		p = 0;

		if (strchr(s, '-') && is_house_number(s))
		{
			if (out->n < MAX_WORDS)
				out->w[out->n++] = in->w[i];
			continue;
		}
		for (const char *c = s;; c++)
		{
			if (*c == '-' || *c == '\0')
			{
				part[p] = '\0';
				if (p > 0 && out->n < MAX_WORDS)
				{
					bool		split = false;

					for (size_t g = 0; g < sizeof(glued) / sizeof(glued[0]); g++)
					{
						size_t		gl = strlen(glued[g]);

						if (strncmp(part, glued[g], gl) == 0 && part[gl] != '\0')
						{
							const char *digits = part + gl;
							bool		all = true;

							for (const char *d = digits; *d; d++)
								all = all && is_digit(*d);
							if (all)
							{
								/*
								 * no room for both halves: drop the word, so
								 * the text reads the same with fewer words
								 */
								if (out->n + 1 < MAX_WORDS)
								{
									set_word(&out->w[out->n++], glued[g], false);
									set_word(&out->w[out->n++], digits, false);
								}
								split = true;
							}
							break;
						}
					}
					if (!split)
						set_word(&out->w[out->n++], part, false);
				}
				p = 0;
				if (*c == '\0')
					break;
				continue;
			}
			if (p < WORD_SIZE - 1)
				part[p++] = *c;
		}
	}
}

/*
 * Spell every word the one way it is spelled anywhere: directionals
 * abbreviated, SAINT -> ST, ordinal words in digits (TWENTY FIRST ->
 * 21ST).
 */
static void
canonical_spelling(WordList *list)
{
	for (int i = 0; i < list->n; i++)
	{
		Word	   *w = &list->w[i];
		int			row;

		if ((row = lookup(w->s, KIND_DIRECTION)) >= 0)
		{
			set_word(w, directional_words[row][1], false);
			continue;
		}
		if ((row = lookup(w->s, KIND_CANONICAL)) >= 0)
		{
			set_word(w, canonical_words[row][1], false);
			continue;
		}
		for (size_t t = 0; t < sizeof(tens_words) / sizeof(tens_words[0]); t++)
		{
			if (strcmp(w->s, tens_words[t]) == 0 && i + 1 < list->n &&
				(row = lookup(list->w[i + 1].s, KIND_ORDINAL)) >= 0 && row < 9)
			{
				char		ordinal[WORD_SIZE];
				const char *unit = ordinal_words[row][1];	/* "1ST" */

				/* tens digit, then the unit ordinal: 20 + 1ST -> 21ST */
				ordinal[0] = (char) ('2' + t);
				copy_str(ordinal + 1, sizeof(ordinal) - 1, unit);
				set_word(w, ordinal, false);
				remove_words(list, i + 1, 1);
				break;
			}
		}
		if ((row = lookup(w->s, KIND_ORDINAL)) >= 0)
			set_word(w, ordinal_words[row][1], false);
	}
}

/*
 * One element of a highway phrase: a literal word, or any spelling of a
 * street suffix group (by its abbreviation).
 */
typedef struct PhraseWord
{
	const char *word;
	const char *suffix;			/* group abbreviation, or NULL */
} PhraseWord;

typedef struct Phrase
{
	PhraseWord	words[4];
	int			nwords;
	bool		needs_number;	/* applies only before a number */
	bool		at_start;		/* only first in the street (after a
								 * directional) */
	const char *canonical;		/* the one locked word it becomes */
} Phrase;

/*
 * Longer phrases first: the first that matches at a position wins.  RM is
 * also ROOM, and STATE (from ST HWY) reads as a unit identifier after #:
 * the phrases that make them from other words count only at the start of
 * the street, where no unit can begin, so the formatted address reads the
 * same.  A phrase that ends in a street type keeps it in its canonical
 * form (COUNTY ROAD, INTERSTATE HIGHWAY), so that a phrase read again
 * takes the same words: "INTERSTATE HWY HWY 5" is INTERSTATE HIGHWAY
 * HIGHWAY 5 both times.
 */
static const Phrase phrases[] = {
	{{{"FARM", NULL}, {"TO", NULL}, {"MARKET", NULL}, {NULL, "RD"}}, 4, false, false, "FM"},
	{{{"RANCH", NULL}, {"TO", NULL}, {"MARKET", NULL}, {NULL, "RD"}}, 4, false, true, "RM"},
	{{{"FARM", NULL}, {"TO", NULL}, {"MARKET", NULL}}, 3, false, false, "FM"},
	{{{"RANCH", NULL}, {"TO", NULL}, {"MARKET", NULL}}, 3, false, true, "RM"},
	{{{"INTERSTATE", NULL}, {NULL, "HWY"}}, 2, false, false, "INTERSTATE HIGHWAY"},
	{{{"COUNTY", NULL}, {NULL, "RD"}}, 2, false, false, "COUNTY ROAD"},
	{{{"CO", NULL}, {NULL, "RD"}}, 2, false, false, "COUNTY ROAD"},
	{{{"CNTY", NULL}, {NULL, "RD"}}, 2, false, false, "COUNTY ROAD"},
	{{{"STATE", NULL}, {NULL, "HWY"}}, 2, false, false, "STATE HIGHWAY"},
	{{{NULL, "ST"}, {NULL, "HWY"}}, 2, false, true, "STATE HIGHWAY"},
	{{{"US", NULL}, {NULL, "HWY"}}, 2, false, false, "US HIGHWAY"},
	{{{"PRIVATE", NULL}, {NULL, "RD"}}, 2, false, false, "PRIVATE ROAD"},
	{{{"PVT", NULL}, {NULL, "RD"}}, 2, false, false, "PRIVATE ROAD"},
	{{{NULL, "RNCH"}, {NULL, "RD"}}, 2, true, true, "RM"},
	{{{"INTERSTATE", NULL}}, 1, true, false, "INTERSTATE HIGHWAY"},
	{{{"IH", NULL}}, 1, true, true, "INTERSTATE HIGHWAY"},
	{{{"I", NULL}}, 1, true, true, "INTERSTATE HIGHWAY"},
	{{{"CR", NULL}}, 1, true, true, "COUNTY ROAD"},
	{{{"SH", NULL}}, 1, true, true, "STATE HIGHWAY"},
	{{{"US", NULL}}, 1, true, true, "US HIGHWAY"},
	{{{"PR", NULL}}, 1, true, true, "PRIVATE ROAD"},
	{{{"FM", NULL}}, 1, true, true, "FM"},
	{{{"RM", NULL}}, 1, true, true, "RM"},
	{{{NULL, "HWY"}}, 1, true, false, "HIGHWAY"},
	{{{NULL, "RTE"}}, 1, true, false, "ROUTE"},
	{{{NULL, "LOOP"}}, 1, true, false, "LOOP"},
	{{{NULL, "SPUR"}}, 1, true, false, "SPUR"},
};

/*
 * Whether a phrase word matches a word.
 */
static bool
phrase_word_matches(const PhraseWord *p, const Word *w)
{
	if (w->locked)
		return false;
	if (p->word)
		return strcmp(p->word, w->s) == 0;
	{
		int			g = lookup(w->s, KIND_SUFFIX);

		return g >= 0 && strcmp(suffix_groups[g][0], p->suffix) == 0;
	}
}

/*
 * Replace highway phrases in words[from..n) by one locked word each
 * (FARM TO MARKET RD 1431 -> FM 1431, CR 12 -> COUNTY ROAD 12, HWY 71 ->
 * HIGHWAY 71).  A phrase that is only a prefix of a number (CR, US, I, FM,
 * RM, ...) counts only at the start of the street, after a directional at
 * most: "MAIN ST RM 5" is room 5.
 */
static void
apply_phrases(WordList *list, int from)
{
	for (int i = from; i < list->n; i++)
	{
		bool		at_start = i == from || (i == from + 1 && is_direction(&list->w[from]));

		for (size_t p = 0; p < sizeof(phrases) / sizeof(phrases[0]); p++)
		{
			const Phrase *ph = &phrases[p];
			bool		match = i + ph->nwords <= list->n;

			for (int k = 0; match && k < ph->nwords; k++)
				match = phrase_word_matches(&ph->words[k], &list->w[i + k]);
			if (!match)
				continue;
			if (ph->needs_number &&
				!(i + ph->nwords < list->n && starts_with_digit(&list->w[i + ph->nwords])))
				continue;
			if (ph->at_start && !at_start)
				continue;
			set_word(&list->w[i], ph->canonical, true);
			remove_words(list, i + 1, ph->nwords - 1);
			break;
		}
	}
}

/* ---------------------------------------------------------------------
 * Step 3 and 4: structure and spelling
 * ---------------------------------------------------------------------
 */

/*
 * Whether a text can identify a unit: letters and digits only, not a unit
 * designator, and either holding a digit or a short word that is nothing
 * else (APT B, STE AB; not KEY DR or UNIT N).  After # longer words pass
 * (# PH2A), after other designators four letters at most.
 */
static bool
is_unit_id_text(const char *s, bool after_hash)
{
	size_t		len = strlen(s);
	bool		digit = false;
	Word		w;

	if (len == 0 || len > MAX_UNIT_ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
	{
		if (!is_upper(s[i]) && !is_digit(s[i]))
			return false;
		digit = digit || is_digit(s[i]);
	}
	set_word(&w, s, false);
	/* nor a word step 2 spells otherwise (FORTIETH, SAINT) */
	if (unit_designator(&w) >= 0 || lookup(s, KIND_ORDINAL) >= 0 || lookup(s, KIND_CANONICAL) >= 0)
		return false;
	if (digit)
		return true;
	return len <= (after_hash ? MAX_UNIT_ID_LEN : 4) && !is_direction(&w) && suffix_group(&w) < 0;
}

/*
 * A unit identifier as keys and formatted addresses hold it: letters and
 * digits, leading zeros dropped ("04B" -> "4B").
 */
static void
normalize_unit_id(const char *s, char *dst, size_t size)
{
	strip_zeros(s, dst, size);
}

/*
 * Whether a word is # in any spelling (#, NO, NUM, NUMBER, NBR).
 */
static bool
is_hash_designator(const Word *w)
{
	int			d = unit_designator(w);

	return d >= 0 && strcmp(unit_designators[d].abbr, "#") == 0;
}

/*
 * Whether a word can identify a unit after a designator.
 */
static bool
is_unit_id(const Word *w, bool after_hash)
{
	char		id[WORD_SIZE];

	if (w->locked)
		return false;
	normalize_unit_id(w->s, id, sizeof(id));
	return is_unit_id_text(id, after_hash);
}

/*
 * Parse unit words (designators and identifiers) into out->unit and
 * out->unit_key.  The words of one identifier are joined (APT 4 B -> 4B)
 * as long as the joined identifier is still one, so that parsing the
 * formatted unit again reads the same identifier.  Words after the unit
 * that are neither designators nor identifiers are ignored (a city written
 * without a comma).  Returns whether a unit was found.
 */
static bool
parse_unit_words(const Word *words, int n, MlsAddress *out)
{
	char		text[MLS_ADDR_UNIT_SIZE] = "";
	char		key[MLS_ADDR_UNIT_SIZE] = "";
	int			levels = 0;
	int			i = 0;

	while (i < n && levels < MAX_UNIT_LEVELS)
	{
		int			d = unit_designator(&words[i]);
		char		ids[WORD_SIZE] = "";
		char		level_text[MLS_ADDR_UNIT_SIZE];
		char		level_key[MLS_ADDR_UNIT_SIZE];
		const UnitDesignator *des;
		bool		hash;

		if (d >= 0)
		{
			/* "# APT 4": the # adds nothing */
			if (strcmp(unit_designators[d].abbr, "#") == 0 && i + 1 < n &&
				unit_designator(&words[i + 1]) >= 0)
			{
				i++;
				continue;
			}
			i++;
		}
		else if (levels == 0 && is_unit_id(&words[i], false))
			d = NUM_UNIT_DESIGNATORS - 1;	/* a bare identifier: # */
		else
			break;
		des = &unit_designators[d];
		/* after a written # (not NO, NUM) longer words identify a unit */
		hash = i > 0 && strcmp(words[i - 1].s, "#") == 0 && strcmp(des->abbr, "#") == 0;
		/* UNIT #4, APT NO. 4: the # adds nothing (its identifier is APT's) */
		if (des->kind == UNIT_NEEDS_ID && strcmp(des->abbr, "#") != 0 && i + 1 < n &&
			is_hash_designator(&words[i]) && is_unit_id(&words[i + 1], false))
			i++;

		/* its identifier: words joined while the result is one */
		while (i < n && is_unit_id(&words[i], hash))
		{
			char		joined[WORD_SIZE * 2];
			char		normalized[WORD_SIZE * 2];

			copy_str(joined, sizeof(joined), ids);
			if (strlen(joined) + strlen(words[i].s) >= sizeof(joined))
				break;
			strcat(joined, words[i].s);
			normalize_unit_id(joined, normalized, sizeof(normalized));
			if (!is_unit_id_text(normalized, hash))
				break;
			copy_str(ids, sizeof(ids), normalized);
			i++;
		}
		if (ids[0] == '\0' && des->kind == UNIT_NEEDS_ID)
			continue;			/* APT with nothing after it */

		/* APT 4; REAR; and the key: #4, #REAR, BLDG2 */
		level_text[0] = '\0';
		append_word(level_text, sizeof(level_text), des->abbr);
		append_word(level_text, sizeof(level_text), ids);
		if (des->dwelling)
		{
			strcpy(level_key, "#");
			if (des->kind == UNIT_ALONE)
				strcat(level_key, des->abbr);
		}
		else
			strcpy(level_key, des->abbr);
		strcat(level_key, ids);

		if (strlen(text) + 1 + strlen(level_text) + 1 > sizeof(text) ||
			strlen(key) + 1 + strlen(level_key) + 1 > sizeof(key))
			break;
		append_word(text, sizeof(text), level_text);
		if (key[0])
			strcat(key, "/");
		strcat(key, level_key);
		levels++;
	}
	if (levels == 0)
		return false;
	copy_str(out->unit, sizeof(out->unit), text);
	copy_str(out->unit_key, sizeof(out->unit_key), key);
	return true;
}

/*
 * Whether a designator at position k of the line starts the unit: one that
 * needs an identifier is followed by one (any word after #), one that
 * needs none ends the line or is followed by unit words.
 */
static bool
starts_unit(const WordList *line, int k)
{
	int			d = unit_designator(&line->w[k]);

	if (d < 0)
		return false;
	if (strcmp(unit_designators[d].abbr, "#") == 0)
		return k + 1 < line->n && (unit_designator(&line->w[k + 1]) >= 0 ||
								   is_unit_id(&line->w[k + 1], strcmp(line->w[k].s, "#") == 0));
	if (unit_designators[d].kind == UNIT_NEEDS_ID)
	{
		/* UNIT #4, APT NO. 4 */
		if (k + 2 < line->n && is_hash_designator(&line->w[k + 1]))
			return is_unit_id(&line->w[k + 2], false);
		return k + 1 < line->n && is_unit_id(&line->w[k + 1], false);
	}
	return k + 1 == line->n || unit_designator(&line->w[k + 1]) >= 0 ||
		is_unit_id(&line->w[k + 1], false);
}

/*
 * Whether a word is a unit designator that ends a street line without its
 * identifier and is dropped there: APT, UNIT, STE, BLDG, FL, RM, SPC,
 * DEPT, # (spelled any way).
 */
static bool
dangling_designator(const Word *w)
{
	static const char *const dropped[] = {"APT", "UNIT", "STE", "BLDG", "FL", "RM", "SPC", "DEPT", "#"};
	int			d = unit_designator(w);

	if (d < 0)
		return false;
	for (size_t k = 0; k < sizeof(dropped) / sizeof(dropped[0]); k++)
		if (strcmp(unit_designators[d].abbr, dropped[k]) == 0)
			return true;
	return false;
}

/*
 * Whether a word is a ZIP code (78701, 78701-1234, 787011234); the five
 * digits go to zip.
 */
static bool
zip_of(const char *s, char *zip)
{
	size_t		len = strlen(s);

	for (int i = 0; i < 5; i++)
		if (i >= (int) len || !is_digit(s[i]))
			return false;
	if (len == 5 || (len == 9 && is_digit(s[5]) && is_digit(s[8])) ||
		(len == 10 && s[5] == '-' && is_digit(s[6]) && is_digit(s[9])))
	{
		memcpy(zip, s, 5);
		zip[5] = '\0';
		return true;
	}
	return false;
}

/*
 * Whether a word (or two) is a Canadian postal code: K1A0B1, K1A 0B1.
 */
static bool
canadian_postal_of(const char *a, const char *b, char *out)
{
	char		code[8];
	size_t		len = strlen(a);

	if (len == 6)
		memcpy(code, a, 7);
	else if (len == 3 && b && strlen(b) == 3)
	{
		memcpy(code, a, 3);
		memcpy(code + 3, b, 4);
	}
	else
		return false;
	if (is_upper(code[0]) && is_digit(code[1]) && is_upper(code[2]) &&
		is_digit(code[3]) && is_upper(code[4]) && is_digit(code[5]))
	{
		memcpy(out, code, 7);
		return true;
	}
	return false;
}

static bool
is_state_code(const char *s)
{
	for (size_t i = 0; i < sizeof(state_codes) / sizeof(state_codes[0]); i++)
		if (strcmp(s, state_codes[i]) == 0)
			return true;
	return false;
}

/*
 * Assemble the name from words, each spelled for its place: a street type
 * in a name takes its full word (AVE B -> AVENUE B), except ST (SAINT).
 * Returns false when the name does not fit (or has too many words).
 */
static bool
assemble_name(const Word *words, int n, char *name, size_t size)
{
	name[0] = '\0';
	if (n > MAX_NAME_WORDS)
		return false;
	for (int i = 0; i < n; i++)
	{
		const char *s = words[i].s;
		int			g = suffix_group(&words[i]);

		if (strcmp(s, "#") == 0)
			continue;
		if (g >= 0 && strcmp(s, "ST") != 0)
		{
			Word		full;

			/*
			 * The full word, unless it is also a unit designator (KEY): a
			 * name word must not become one, or the formatted address would
			 * read differently (KY 4 is a street, KEY 4 a unit).
			 */
			set_word(&full, suffix_groups[g][1], false);
			s = unit_designator(&full) >= 0 ? suffix_groups[g][0] : suffix_groups[g][1];
		}
		if (!append_word(name, size, s))
			return false;
	}
	return true;
}

/*
 * Parse the street line (segment 0): number, street, unit (step 3, 4).
 * Returns whether a unit from a later segment may be added: not when the
 * line ends in a unit designator (in "... NO, REAR" the NO would read as
 * the start of the unit once the address is formatted).
 */
static bool
parse_line(WordList *raw, MlsAddress *out)
{
	WordList	line;
	WordList	street;
	int			i = 0;
	int			u;
	int			first;
	int			last;
	bool		named = false;
	bool		segment_unit_ok;

	split_words(raw, &line);
	canonical_spelling(&line);

	/* the house number, and a fraction after it */
	while (i < line.n && strcmp(line.w[i].s, "#") == 0)
		i++;
	if (i < line.n && is_house_number(line.w[i].s))
	{
		normalize_number(line.w[i].s, out->number, sizeof(out->number));
		i++;
		{
			/* 123 # 1/2: stray #s vanish, the fraction belongs to the number */
			int			j = i;

			while (j < line.n && strcmp(line.w[j].s, "#") == 0)
				j++;
			if (j < line.n && is_fraction(line.w[j].s))
				i = j;
		}
		if (i < line.n && is_fraction(line.w[i].s) &&
			strlen(out->number) + 1 + strlen(line.w[i].s) < sizeof(out->number))
		{
			strcat(out->number, " ");
			strcat(out->number, line.w[i].s);
			i++;
		}
	}

	/*
	 * The unit: from the first designator that has a street word before it
	 * other than a directional ("W RM 620" is Ranch to Market Road 620, not
	 * room 620).
	 */
	u = line.n;
	for (int k = i; k < line.n; k++)
	{
		if (named && starts_unit(&line, k) && parse_unit_words(&line.w[k], line.n - k, out))
		{
			u = k;
			break;
		}
		named = named || (!is_direction(&line.w[k]) && strcmp(line.w[k].s, "#") != 0);
	}
	segment_unit_ok = u < line.n || line.n == i || unit_designator(&line.w[line.n - 1]) < 0;

	/* the street's words, without stray #s; then its highway names */
	street.n = 0;
	for (int k = i; k < u; k++)
		if (strcmp(line.w[k].s, "#") != 0)
			street.w[street.n++] = line.w[k];

	/*
	 * A designator without its identifier at the end ("123 MAIN ST APT"):
	 * no unit, and no part of the street either (but KEY and TRAILER name
	 * streets too, and the first word is always the street's).
	 */
	while (street.n >= 2 && dangling_designator(&street.w[street.n - 1]))
		street.n--;
	apply_phrases(&street, 0);
	first = 0;
	last = street.n - 1;

	if (out->unit[0] == '\0' && street.n >= 3)
	{
		/*
		 * A bare identifier after a suffix that follows a name: MAIN ST 4,
		 * MAIN ST NW 4 (not W HIGHWAY 71, where HIGHWAY has no name before).
		 */
		const Word *id = &street.w[last];
		int			type_at = last - 1;
		bool		digit = false;
		bool		name_before = false;

		if (type_at >= 1 && is_direction(&street.w[type_at]) && suffix_group(&street.w[type_at - 1]) >= 0)
			type_at--;
		for (const char *p = id->s; *p; p++)
			digit = digit || is_digit(*p);
		for (int k = 0; k < type_at; k++)
			name_before = name_before || !is_direction(&street.w[k]);
		if (!id->locked && (digit || (strlen(id->s) == 1 && !is_direction(id))) &&
			unit_designator(id) < 0 && suffix_group(&street.w[type_at]) >= 0 && name_before &&
			parse_unit_words(id, 1, out))
			last--;
	}

	/* post-directional, suffix, pre-directional, name */
	if (last - first + 1 >= 2 && is_direction(&street.w[last]))
	{
		copy_str(out->postdir, sizeof(out->postdir), street.w[last].s);
		last--;
	}
	if (last - first + 1 >= 2 && suffix_group(&street.w[last]) >= 0)
	{
		copy_str(out->suffix, sizeof(out->suffix), suffix_groups[suffix_group(&street.w[last])][0]);
		last--;
	}
	if (last - first + 1 >= 2 && is_direction(&street.w[first]))
	{
		copy_str(out->predir, sizeof(out->predir), street.w[first].s);
		first++;
	}
	if (last >= first &&
		!assemble_name(&street.w[first], last - first + 1, out->name, sizeof(out->name)))
	{
		/* a name this long is no street name: no street at all */
		out->number[0] = out->predir[0] = out->name[0] = '\0';
		out->suffix[0] = out->postdir[0] = out->unit[0] = out->unit_key[0] = '\0';
	}
	return segment_unit_ok;
}

/*
 * Parse a later segment: unit words ("..., APT 4"), gathered in unit_words,
 * or city, state and ZIP code.
 */
static void
parse_other_segment(WordList *raw, MlsAddress *out, WordList *unit_words)
{
	WordList	seg;

	split_words(raw, &seg);
	canonical_spelling(&seg);
	if (seg.n == 0)
		return;
	if (unit_designator(&seg.w[0]) >= 0)
	{
		/* "..., Building 2, Unit 150": one unit of two levels */
		for (int i = 0; i < seg.n && unit_words->n < MAX_WORDS; i++)
			unit_words->w[unit_words->n++] = seg.w[i];
		return;
	}
	if (out->postal_code[0])
		return;
	for (int i = 0; i < seg.n; i++)
	{
		char		zip[MLS_ADDR_POSTAL_SIZE];

		if (zip_of(seg.w[i].s, zip) ||
			canadian_postal_of(seg.w[i].s, i + 1 < seg.n ? seg.w[i + 1].s : NULL, zip))
		{
			copy_str(out->postal_code, sizeof(out->postal_code), zip);
			return;
		}
	}
}

/*
 * A unit needs a street with a word that is not a directional (a name or a
 * suffix): "W, APT 4" is no address, and its formatted form "W APT 4"
 * would read as a street named APT 4.
 */
static void
drop_unit_without_street(MlsAddress *out)
{
	Segments	segs;
	bool		named = out->suffix[0] != '\0';

	if (out->unit[0] == '\0')
		return;
	if (!named && out->name[0])
	{
		tokenize(out->name, strlen(out->name), &segs);
		for (int i = 0; i < segs.seg[0].n && !named; i++)
			named = !is_direction(&segs.seg[0].w[i]);
	}
	if (!named)
	{
		out->unit[0] = '\0';
		out->unit_key[0] = '\0';
	}
}

/*
 * Parse free text (an UnparsedAddress, or a formatted address) into a
 * normalised address.  Returns whether a unit given apart may be added
 * (see parse_line).
 */
static bool
parse_text(const char *text, size_t len, MlsAddress *out)
{
	Segments	segs;
	WordList	unit_words;
	bool		unit_ok;

	memset(out, 0, sizeof(*out));
	if (text == NULL)
		return true;
	tokenize(text, len, &segs);
	unit_ok = parse_line(&segs.seg[0], out);
	unit_words.n = 0;
	for (int s = 1; s < segs.n; s++)
		parse_other_segment(&segs.seg[s], out, &unit_words);
	if (out->unit[0] == '\0' && unit_ok && unit_words.n > 0)
		parse_unit_words(unit_words.w, unit_words.n, out);
	drop_unit_without_street(out);
	return unit_ok;
}

void
mls_address_parse(const char *text, size_t len, MlsAddress *out)
{
	parse_text(text, len, out);
}

/*
 * Whether a field holds anything but blanks.
 */
static bool
has_text(const char *s)
{
	if (s == NULL)
		return false;
	for (; *s; s++)
		if (is_alnum(*s) || (unsigned char) *s >= 0x80)
			return true;
	return false;
}

/*
 * Append a field to a line buffer, separated by a blank.
 */
static void
append_field(char *line, size_t size, const char *field)
{
	size_t		len = strlen(line);

	if (!has_text(field))
		return;
	if (len > 0 && len + 1 < size)
		line[len++] = ' ';
	for (const char *p = field; *p && len + 1 < size; p++)
		line[len++] = *p;
	line[len] = '\0';
}

/*
 * A postal code field: ZIP (first five digits) or Canadian code.
 */
static bool
postal_field(const char *s, char *out)
{
	Segments	segs;
	WordList   *w;

	if (!has_text(s))
		return false;
	tokenize(s, strlen(s), &segs);
	w = &segs.seg[0];
	if (w->n == 0)
		return false;
	if (zip_of(w->w[0].s, out))
		return true;
	if (strlen(w->w[0].s) >= 5)
	{
		/* 78701-12 and other malformed ZIP+4: the first five digits */
		char		five[6];

		memcpy(five, w->w[0].s, 5);
		five[5] = '\0';
		if (zip_of(five, out))
			return true;
	}
	return canadian_postal_of(w->w[0].s, w->n > 1 ? w->w[1].s : NULL, out);
}

/*
 * Parse a unit field (UnitNumber): "4", "#4", "Apt 4", "Unit 4B" replace
 * the unit the street line holds, if any; words that say there is none
 * (N/A, NONE) and words that are no unit leave it.
 */
static void
unit_field(const char *s, MlsAddress *out)
{
	Segments	segs;
	WordList	w;
	char		joined[WORD_SIZE * 2] = "";

	tokenize(s, strlen(s), &segs);
	split_words(&segs.seg[0], &w);
	canonical_spelling(&w);
	for (int i = 0; i < w.n; i++)
		if (strlen(joined) + strlen(w.w[i].s) < sizeof(joined))
			strcat(joined, w.w[i].s);
	if (w.n == 0 || strcmp(joined, "NA") == 0 || strcmp(joined, "NONE") == 0 ||
		strcmp(joined, "NULL") == 0)
		return;
	/* a field that holds no unit leaves the street line's */
	parse_unit_words(w.w, w.n, out);
}

/*
 * Normalise an address given as RESO fields.  The street fields are read
 * as one line (so a suffix inside StreetName is found); UnparsedAddress is
 * read when there is no StreetName.  UnitNumber and PostalCode, when
 * usable, win over what the line holds; without a unit, the unit written
 * in UnparsedAddress is taken.
 */
void
mls_address_from_fields(const MlsAddressFields *f, MlsAddress *out)
{
	char		line[512] = "";
	bool		unit_ok;

	if (has_text(f->name))
	{
		append_field(line, sizeof(line), f->number);
		append_field(line, sizeof(line), f->dir_prefix);
		append_field(line, sizeof(line), f->name);
		append_field(line, sizeof(line), f->suffix);
		append_field(line, sizeof(line), f->dir_suffix);
		unit_ok = parse_text(line, strlen(line), out);
	}
	else
		unit_ok = parse_text(f->unparsed, f->unparsed ? strlen(f->unparsed) : 0, out);

	if (has_text(f->unit) && unit_ok)
		unit_field(f->unit, out);
	if (out->unit[0] == '\0' && unit_ok && has_text(f->name) && has_text(f->unparsed))
	{
		/* no UnitNumber: the unit written in UnparsedAddress, if any */
		MlsAddress	other;

		parse_text(f->unparsed, strlen(f->unparsed), &other);
		if (other.unit[0] != '\0')
		{
			copy_str(out->unit, sizeof(out->unit), other.unit);
			copy_str(out->unit_key, sizeof(out->unit_key), other.unit_key);
		}
	}
	{
		char		postal[MLS_ADDR_POSTAL_SIZE];

		if (postal_field(f->postal_code, postal))
			copy_str(out->postal_code, sizeof(out->postal_code), postal);
	}
	drop_unit_without_street(out);
}

/*
 * The normalised address as text: "123 N MAIN ST APT 4, 78701".  Returns
 * its length (the text is cut to size - 1 bytes).
 */
size_t
mls_address_format(const MlsAddress *a, char *buf, size_t size)
{
	char		text[MLS_ADDR_TEXT_SIZE] = "";

	append_word(text, sizeof(text), a->number);
	append_word(text, sizeof(text), a->predir);
	append_word(text, sizeof(text), a->name);
	append_word(text, sizeof(text), a->suffix);
	append_word(text, sizeof(text), a->postdir);
	append_word(text, sizeof(text), a->unit);
	if (a->postal_code[0])
	{
		strcat(text, ", ");
		strcat(text, a->postal_code);
	}
	copy_str(buf, size, text);
	return strlen(buf);
}

/*
 * The address key two listings of one property share: number, street,
 * unit (designator class and identifier, so APT 4 = UNIT 4 = # 4) and
 * postal code, separated by "|".  False (and an empty key) when the
 * address lacks a house number, a street name or a postal code.
 */
bool
mls_address_key(const MlsAddress *a, char *buf, size_t size)
{
	const char *parts[7];
	char		key[MLS_ADDR_TEXT_SIZE] = "";
	size_t		len = 0;

	if (size > 0)
		buf[0] = '\0';
	if (a->number[0] == '\0' || a->name[0] == '\0' || a->postal_code[0] == '\0')
		return false;
	parts[0] = a->number;
	parts[1] = a->predir;
	parts[2] = a->name;
	parts[3] = a->suffix;
	parts[4] = a->postdir;
	parts[5] = a->unit_key;
	parts[6] = a->postal_code;
	for (int p = 0; p < 7; p++)
	{
		size_t		plen = strlen(parts[p]);

		if (len + plen + 2 > sizeof(key))
			return false;
		if (p > 0)
			key[len++] = '|';
		memcpy(key + len, parts[p], plen + 1);
		len += plen;
	}
	return copy_str(buf, size, key);
}

/*
 * The house key of the coordinates rule: number and unit ("123|#4").
 * False without a house number.
 */
bool
mls_address_house_key(const MlsAddress *a, char *buf, size_t size)
{
	char		key[MLS_ADDR_NUMBER_SIZE + MLS_ADDR_UNIT_SIZE + 2];

	if (size > 0)
		buf[0] = '\0';
	if (a->number[0] == '\0')
		return false;
	strcpy(key, a->number);
	strcat(key, "|");
	strcat(key, a->unit_key);
	return copy_str(buf, size, key);
}

/* ---------------------------------------------------------------------
 * Parcels, counties, states, UPIs
 * ---------------------------------------------------------------------
 */

/*
 * Letters and digits of a text, upper case, Latin-1 letters folded;
 * keep_dash keeps "-" too.  Returns the length written.
 */
static size_t
alnum_fold(const char *s, size_t len, char *buf, size_t size, bool keep_dash)
{
	size_t		o = 0;

	if (size == 0)
		return 0;
	for (size_t i = 0; i < len && o + 1 < size; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c >= 'a' && c <= 'z')
			buf[o++] = (char) (c - 'a' + 'A');
		else if (is_upper((char) c) || is_digit((char) c) || (keep_dash && c == '-'))
			buf[o++] = (char) c;
		else if (c == 0xC3 && i + 1 < len && ((unsigned char) s[i + 1] & 0xC0) == 0x80)
		{
			const char *fold = fold_latin1((unsigned char) s[i + 1]);

			for (; fold && *fold && o + 1 < size; fold++)
				buf[o++] = *fold;
			i++;
		}
	}
	buf[o] = '\0';
	return o;
}

/*
 * A parcel number (APN) as keys hold it: letters and digits only, leading
 * zeros dropped ("012-345-67" and "1234567" agree).  False when nothing is
 * left.
 */
bool
mls_parcel_normalize(const char *text, size_t len, char *buf, size_t size)
{
	char		tmp[MLS_ID_SIZE];
	const char *p = tmp;

	if (size > 0)
		buf[0] = '\0';
	if (text == NULL || alnum_fold(text, len, tmp, sizeof(tmp), false) == 0)
		return false;
	while (*p == '0' && p[1] != '\0')
		p++;
	if (strcmp(p, "0") == 0)
		return false;			/* 0, 000-000: no parcel */
	return copy_str(buf, size, p);
}

/*
 * A county as keys hold it: letters only, without "County", "Parish",
 * ...; ST -> SAINT, so "St. Louis County" and "Saint Louis" agree.
 */
bool
mls_county_normalize(const char *text, size_t len, char *buf, size_t size)
{
	Segments	segs;
	WordList   *w;
	int			first = 0;
	int			last;
	char		out[MLS_ID_SIZE] = "";

	if (size > 0)
		buf[0] = '\0';
	if (text == NULL)
		return false;
	tokenize(text, len, &segs);
	w = &segs.seg[0];
	last = w->n - 1;
	/* "County of Travis" */
	if (w->n >= 3 && strcmp(w->w[0].s, "COUNTY") == 0 && strcmp(w->w[1].s, "OF") == 0)
		first = 2;
	while (last > first)
	{
		bool		designator = false;

		for (size_t d = 0; d < sizeof(county_designators) / sizeof(county_designators[0]); d++)
			designator = designator || strcmp(w->w[last].s, county_designators[d]) == 0;
		if (!designator)
			break;
		last--;
	}
	for (int i = first; i <= last; i++)
	{
		const char *s = w->w[i].s;

		/*
		 * "St. Louis": an abbreviation before another word (alone, ST is
		 * left as it is, so that the joined result reads the same again)
		 */
		if (i < last && strcmp(s, "ST") == 0)
			s = "SAINT";
		else if (i < last && strcmp(s, "STE") == 0)
			s = "SAINTE";
		else if (i < last && strcmp(s, "FT") == 0)
			s = "FORT";
		else if (i < last && strcmp(s, "MT") == 0)
			s = "MOUNT";
		/* a county is one word of at most WORD_SIZE - 1 letters */
		for (; *s && strlen(out) + 1 < WORD_SIZE; s++)
		{
			if (is_alnum(*s))
			{
				size_t		l = strlen(out);

				out[l] = *s;
				out[l + 1] = '\0';
			}
		}
	}
	if (out[0] == '\0')
		return false;
	return copy_str(buf, size, out);
}

/*
 * A state or province as its two-letter code ("Texas", "Tex.", "TX" ->
 * TX).  False when it is none.
 */
bool
mls_state_normalize(const char *text, size_t len, char *buf, size_t size)
{
	char		tmp[MLS_ID_SIZE];

	if (size > 0)
		buf[0] = '\0';
	if (text == NULL || alnum_fold(text, len, tmp, sizeof(tmp), false) == 0)
		return false;
	if (strlen(tmp) == 2 && is_state_code(tmp))
		return copy_str(buf, size, tmp);
	for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(tmp, state_names[i][0]) == 0)
			return copy_str(buf, size, state_names[i][1]);
	return false;
}

/*
 * A RESO Universal Property Id as keys hold it: upper case, letters,
 * digits and dashes (its separators) only.
 */
bool
mls_upi_normalize(const char *text, size_t len, char *buf, size_t size)
{
	char		tmp[MLS_ID_SIZE];
	bool		any = false;

	if (size > 0)
		buf[0] = '\0';
	if (text == NULL || alnum_fold(text, len, tmp, sizeof(tmp), true) == 0)
		return false;
	for (const char *p = tmp; *p; p++)
		any = any || is_alnum(*p);
	if (!any)
		return false;
	return copy_str(buf, size, tmp);
}
