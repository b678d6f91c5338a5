/*-------------------------------------------------------------------------
 *
 * keys.h
 *	  The match keys of a listing: what property matching compares.
 *
 * From a listing's RESO fields: its UPI, its parcel key (state, county and
 * parcel number, normalised), its address key (normalised street address
 * with unit and postal code), its house key (house number and unit) and
 * coordinates with the grid cell they fall in.  Built on the pure
 * normaliser (address.h); these functions allocate with palloc.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_MATCH_KEYS_H
#define MLSYNC_MATCH_KEYS_H

#include "postgres.h"

/* Coordinates closer than this (with the same house number and unit) match */
#define MLS_MATCH_MAX_DISTANCE_M	30.0

/* Side of a grid cell in degrees: about 55 m of latitude */
#define MLS_MATCH_CELL_DEGREES		0.0005

/* Most cells a point's neighbourhood spans (more only near the poles) */
#define MLS_MATCH_MAX_PROBE_CELLS	16

/* The address fields of a listing, as C strings (NULL when missing) */
typedef struct MlsListingAddress
{
	const char *upi;
	const char *parcel;
	const char *county;
	const char *state;
	const char *unparsed;
	const char *number;
	const char *dir_prefix;
	const char *name;
	const char *suffix;
	const char *dir_suffix;
	const char *unit;
	const char *postal_code;
	bool		has_coordinates;
	double		latitude;
	double		longitude;
} MlsListingAddress;

/* The keys; NULL strings for keys a listing lacks */
typedef struct MlsMatchKeys
{
	char	   *upi;			/* "US-48453-N-R123456-R-N" */
	char	   *parcel;			/* "TX|TRAVIS|R123456" */
	char	   *address;		/* "123|N|MAIN|ST||#4|78701" */
	char	   *house;			/* "123|#4" */
	char	   *normalized;		/* "123 N MAIN ST APT 4, 78701" */
	bool		has_geo;
	double		latitude;
	double		longitude;
	int64		geo_cell;
} MlsMatchKeys;

extern void MlsMatchKeysCompute(const MlsListingAddress *address, MlsMatchKeys *keys);
extern bool MlsMatchKeysEqual(const MlsMatchKeys *a, const MlsMatchKeys *b);
extern int64 MlsGeoCell(double latitude, double longitude);
extern int	MlsGeoProbeCells(double latitude, double longitude, int64 *cells);
extern double MlsDistanceMetres(double lat1, double lon1, double lat2, double lon2);
extern bool MlsParcelKeysConflict(const char *a, const char *b);
extern void MlsHouseKeySplit(const char *house, char **number, char **unit);

#endif							/* MLSYNC_MATCH_KEYS_H */
