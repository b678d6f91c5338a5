/*-------------------------------------------------------------------------
 *
 * keys.c
 *	  The match keys of a listing (see keys.h).
 *
 * Coordinates fall in a grid of MLS_MATCH_CELL_DEGREES cells, so that the
 * listings near a point are found by an index lookup of the few cells its
 * MLS_MATCH_MAX_DISTANCE_M neighbourhood overlaps (one to four away from
 * the poles); the exact distance is then computed for those.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "match/address.h"
#include "match/keys.h"

/* Mean Earth radius, as mls_distance_km() uses */
#define EARTH_RADIUS_M 6371008.8

/* Metres in a degree of latitude */
#define METRES_PER_DEGREE (EARTH_RADIUS_M * M_PI / 180.0)

/* Columns of the grid: cell = column * GRID_ROWS + row */
#define GRID_ROWS INT64CONST(1000000)

/*
 * A palloc'd copy of a normaliser result, or NULL when it found nothing.
 */
static char *
result_or_null(bool found, const char *buf)
{
	return found && buf[0] ? pstrdup(buf) : NULL;
}

/*
 * Compute every key of a listing.
 */
void
MlsMatchKeysCompute(const MlsListingAddress *in, MlsMatchKeys *keys)
{
	MlsAddressFields fields;
	MlsAddress	address;
	char		buf[MLS_ADDR_TEXT_SIZE];
	char		parcel[MLS_ID_SIZE];
	char		county[MLS_ID_SIZE];
	char		state[MLS_ID_SIZE];

	memset(keys, 0, sizeof(*keys));

	if (in->upi)
	{
		bool		found = mls_upi_normalize(in->upi, strlen(in->upi), buf, sizeof(buf));

		keys->upi = result_or_null(found, buf);
	}

	/* the parcel counts only within its state and county */
	if (in->parcel && mls_parcel_normalize(in->parcel, strlen(in->parcel), parcel, sizeof(parcel)))
	{
		if (!in->county || !mls_county_normalize(in->county, strlen(in->county), county, sizeof(county)))
			county[0] = '\0';
		if (!in->state || !mls_state_normalize(in->state, strlen(in->state), state, sizeof(state)))
			state[0] = '\0';
		keys->parcel = psprintf("%s|%s|%s", state, county, parcel);
	}

	fields.unparsed = in->unparsed;
	fields.number = in->number;
	fields.dir_prefix = in->dir_prefix;
	fields.name = in->name;
	fields.suffix = in->suffix;
	fields.dir_suffix = in->dir_suffix;
	fields.unit = in->unit;
	fields.postal_code = in->postal_code;
	mls_address_from_fields(&fields, &address);
	keys->address = result_or_null(mls_address_key(&address, buf, sizeof(buf)), buf);
	keys->house = result_or_null(mls_address_house_key(&address, buf, sizeof(buf)), buf);
	mls_address_format(&address, buf, sizeof(buf));
	keys->normalized = buf[0] ? pstrdup(buf) : NULL;

	/* (0, 0) is where geocoders put what they could not place */
	if (in->has_coordinates && !(in->latitude == 0 && in->longitude == 0) &&
		fabs(in->latitude) <= 90 && fabs(in->longitude) <= 180)
	{
		keys->has_geo = true;
		keys->latitude = in->latitude;
		keys->longitude = in->longitude;
		keys->geo_cell = MlsGeoCell(in->latitude, in->longitude);
	}
}

static bool
strings_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * Whether two listings' keys are the same (so a decision made on one set
 * holds for the other).
 */
bool
MlsMatchKeysEqual(const MlsMatchKeys *a, const MlsMatchKeys *b)
{
	return strings_equal(a->upi, b->upi) && strings_equal(a->parcel, b->parcel) &&
		strings_equal(a->address, b->address) && strings_equal(a->house, b->house) &&
		strings_equal(a->normalized, b->normalized) && a->has_geo == b->has_geo &&
		(!a->has_geo || (a->latitude == b->latitude && a->longitude == b->longitude));
}

/*
 * The grid cell of a point.
 */
int64
MlsGeoCell(double latitude, double longitude)
{
	int64		column = (int64) floor((longitude + 180.0) / MLS_MATCH_CELL_DEGREES);
	int64		row = (int64) floor((latitude + 90.0) / MLS_MATCH_CELL_DEGREES);

	return column * GRID_ROWS + row;
}

/*
 * The cells within MLS_MATCH_MAX_DISTANCE_M of a point; returns how many
 * (0 near the poles, where the neighbourhood spans too many).
 */
int
MlsGeoProbeCells(double latitude, double longitude, int64 *cells)
{
	double		dlat = MLS_MATCH_MAX_DISTANCE_M / METRES_PER_DEGREE;
	double		coslat = cos(latitude * M_PI / 180.0);
	double		dlon;
	int64		col_lo;
	int64		col_hi;
	int64		row_lo;
	int64		row_hi;
	int			n = 0;

	if (coslat < 0.01)
		return 0;
	dlon = dlat / coslat;
	col_lo = (int64) floor((longitude - dlon + 180.0) / MLS_MATCH_CELL_DEGREES);
	col_hi = (int64) floor((longitude + dlon + 180.0) / MLS_MATCH_CELL_DEGREES);
	row_lo = (int64) floor((latitude - dlat + 90.0) / MLS_MATCH_CELL_DEGREES);
	row_hi = (int64) floor((latitude + dlat + 90.0) / MLS_MATCH_CELL_DEGREES);
	if ((col_hi - col_lo + 1) * (row_hi - row_lo + 1) > MLS_MATCH_MAX_PROBE_CELLS)
		return 0;
	for (int64 c = col_lo; c <= col_hi; c++)
		for (int64 r = row_lo; r <= row_hi; r++)
			cells[n++] = c * GRID_ROWS + r;
	return n;
}

/*
 * Great-circle distance in metres (haversine).
 */
double
MlsDistanceMetres(double lat1, double lon1, double lat2, double lon2)
{
	double		p1 = lat1 * M_PI / 180.0;
	double		p2 = lat2 * M_PI / 180.0;
	double		dp = p2 - p1;
	double		dl = (lon2 - lon1) * M_PI / 180.0;
	double		h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);

	return 2 * EARTH_RADIUS_M * asin(Min(1.0, sqrt(h)));
}

/*
 * Whether two parcel keys ("STATE|COUNTY|PARCEL") name different parcels
 * of one county: then the listings are different properties, whatever
 * their addresses say.  Keys of different or unknown counties do not
 * conflict.
 */
bool
MlsParcelKeysConflict(const char *a, const char *b)
{
	const char *pa;
	const char *pb;

	if (a == NULL || b == NULL || strcmp(a, b) == 0)
		return false;
	pa = strrchr(a, '|');
	pb = strrchr(b, '|');
	if (pa == NULL || pb == NULL)
		return false;
	/* same "STATE|COUNTY" prefix, with a county */
	if (pa - a != pb - b || strncmp(a, b, pa - a) != 0 || pa[-1] == '|')
		return false;
	return strcmp(pa + 1, pb + 1) != 0;
}

/*
 * Split a house key ("123|#4") into number and unit key (palloc'd).
 */
void
MlsHouseKeySplit(const char *house, char **number, char **unit)
{
	const char *bar;

	*number = NULL;
	*unit = NULL;
	if (house == NULL || (bar = strchr(house, '|')) == NULL)
		return;
	*number = pnstrdup(house, bar - house);
	*unit = pstrdup(bar + 1);
}
