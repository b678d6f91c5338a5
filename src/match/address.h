/*-------------------------------------------------------------------------
 *
 * address.h
 *	  Table-driven normalisation of US street addresses, and of the other
 *	  identifiers properties are matched on: parcel numbers, counties,
 *	  states and RESO Universal Property Ids.
 *
 * Pure C (the C library only, no PostgreSQL header, no allocation): every
 * result is written into a caller's fixed-size buffer, so the code can be
 * fuzzed outside the server (fuzz/address/).  Inputs are bytes of any
 * length and content; UTF-8 letters of Latin-1 are folded to ASCII, other
 * bytes separate words.
 *
 * The normalised address follows USPS Publication 28: upper case, house
 * number without leading zeros, directionals and street suffixes in their
 * standard abbreviations, unit designators in theirs, ZIP code of five
 * digits.  Normalising is idempotent: parsing the formatted form of a
 * normalised address gives the same address again.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_ADDRESS_H
#define MLSYNC_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Bumped whenever a rule changes what a key is: stored keys are then stale */
#define MLS_ADDRESS_RULES_VERSION 1

#define MLS_ADDR_NUMBER_SIZE	24
#define MLS_ADDR_DIR_SIZE		3
#define MLS_ADDR_NAME_SIZE		100
#define MLS_ADDR_SUFFIX_SIZE	5
#define MLS_ADDR_UNIT_SIZE		48
#define MLS_ADDR_POSTAL_SIZE	7

/* Large enough for any formatted address or key */
#define MLS_ADDR_TEXT_SIZE		256
/* Large enough for a normalised parcel, county, state or UPI */
#define MLS_ID_SIZE				136

/* A parsed, normalised address; empty strings for missing parts */
typedef struct MlsAddress
{
	char		number[MLS_ADDR_NUMBER_SIZE];	/* "123", "123A", "123 1/2" */
	char		predir[MLS_ADDR_DIR_SIZE];	/* "N", "NE", ... */
	char		name[MLS_ADDR_NAME_SIZE];	/* "MAIN", "COUNTY ROAD 12" */
	char		suffix[MLS_ADDR_SUFFIX_SIZE];	/* "ST", "AVE", ... */
	char		postdir[MLS_ADDR_DIR_SIZE];
	char		unit[MLS_ADDR_UNIT_SIZE];	/* "APT 4", "# 4", "BLDG 2 APT 4" */
	char		unit_key[MLS_ADDR_UNIT_SIZE];	/* "#4", "BLDG2/#4": designator
												 * class and id */
	char		postal_code[MLS_ADDR_POSTAL_SIZE];	/* "78701", "K1A0B1" */
} MlsAddress;

/* An address as RESO fields; any of them may be NULL */
typedef struct MlsAddressFields
{
	const char *unparsed;		/* UnparsedAddress */
	const char *number;			/* StreetNumber */
	const char *dir_prefix;		/* StreetDirPrefix */
	const char *name;			/* StreetName */
	const char *suffix;			/* StreetSuffix */
	const char *dir_suffix;		/* StreetDirSuffix */
	const char *unit;			/* UnitNumber */
	const char *postal_code;	/* PostalCode */
} MlsAddressFields;

extern void mls_address_parse(const char *text, size_t len, MlsAddress *out);
extern void mls_address_from_fields(const MlsAddressFields *fields, MlsAddress *out);
extern size_t mls_address_format(const MlsAddress *address, char *buf, size_t size);
extern bool mls_address_key(const MlsAddress *address, char *buf, size_t size);
extern bool mls_address_house_key(const MlsAddress *address, char *buf, size_t size);

extern bool mls_parcel_normalize(const char *text, size_t len, char *buf, size_t size);
extern bool mls_county_normalize(const char *text, size_t len, char *buf, size_t size);
extern bool mls_state_normalize(const char *text, size_t len, char *buf, size_t size);
extern bool mls_upi_normalize(const char *text, size_t len, char *buf, size_t size);

#endif							/* MLSYNC_ADDRESS_H */
