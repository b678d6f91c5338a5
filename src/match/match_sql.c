/*-------------------------------------------------------------------------
 *
 * match_sql.c
 *	  SQL-callable face of property matching: the normaliser's functions,
 *	  the keys of a listing, and mls_rematch().
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "match/address.h"
#include "match/keys.h"
#include "match/matcher.h"
#include "mlsync.h"
#include "tenancy/tenancy.h"

PG_FUNCTION_INFO_V1(mls_normalize_address_text);
PG_FUNCTION_INFO_V1(mls_normalize_address_fields);
PG_FUNCTION_INFO_V1(mls_parse_address);
PG_FUNCTION_INFO_V1(mls_normalize_parcel);
PG_FUNCTION_INFO_V1(mls_normalize_upi);
PG_FUNCTION_INFO_V1(mls_match_keys);
PG_FUNCTION_INFO_V1(mls_rematch);
PG_FUNCTION_INFO_V1(mls_match_rules_version);

/*
 * Argument n as a C string, or NULL.
 */
static const char *
arg_text(FunctionCallInfo fcinfo, int n)
{
	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * Text of a C string, or SQL NULL when it is empty.
 */
#define RETURN_TEXT_OR_NULL(s) \
	do { \
		if ((s)[0] == '\0') \
			PG_RETURN_NULL(); \
		PG_RETURN_TEXT_P(cstring_to_text(s)); \
	} while (0)

/*
 * mls_normalize_address(address text) -> text: the USPS form of a free
 * text address ("123 N MAIN ST APT 4, 78701"); NULL when nothing is left.
 */
Datum
mls_normalize_address_text(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	MlsAddress	address;
	char		buf[MLS_ADDR_TEXT_SIZE];

	mls_address_parse(VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in), &address);
	mls_address_format(&address, buf, sizeof(buf));
	RETURN_TEXT_OR_NULL(buf);
}

/*
 * The address of RESO fields (see mls_address_from_fields).
 */
static void
fields_address(FunctionCallInfo fcinfo, MlsAddress *address)
{
	MlsAddressFields f;

	f.number = arg_text(fcinfo, 0);
	f.dir_prefix = arg_text(fcinfo, 1);
	f.name = arg_text(fcinfo, 2);
	f.suffix = arg_text(fcinfo, 3);
	f.dir_suffix = arg_text(fcinfo, 4);
	f.unit = arg_text(fcinfo, 5);
	f.postal_code = arg_text(fcinfo, 6);
	f.unparsed = arg_text(fcinfo, 7);
	mls_address_from_fields(&f, address);
}

/*
 * mls_normalize_address(street_number, street_dir_prefix, street_name,
 * street_suffix, street_dir_suffix, unit_number, postal_code,
 * unparsed_address) -> text: the same for RESO fields.
 */
Datum
mls_normalize_address_fields(PG_FUNCTION_ARGS)
{
	MlsAddress	address;
	char		buf[MLS_ADDR_TEXT_SIZE];

	fields_address(fcinfo, &address);
	mls_address_format(&address, buf, sizeof(buf));
	RETURN_TEXT_OR_NULL(buf);
}

/*
 * mls_parse_address(address text) -> record: the parts of the normalised
 * address, its text and its match key.
 */
Datum
mls_parse_address(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	MlsAddress	a;
	TupleDesc	desc;
	Datum		values[10];
	bool		nulls[10];
	const char *parts[8];
	char		normalized[MLS_ADDR_TEXT_SIZE];
	char		key[MLS_ADDR_TEXT_SIZE];

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "mls_parse_address must return a record");
	desc = BlessTupleDesc(desc);
	mls_address_parse(VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in), &a);
	parts[0] = a.number;
	parts[1] = a.predir;
	parts[2] = a.name;
	parts[3] = a.suffix;
	parts[4] = a.postdir;
	parts[5] = a.unit;
	parts[6] = a.unit_key;
	parts[7] = a.postal_code;
	for (int i = 0; i < 8; i++)
	{
		nulls[i] = parts[i][0] == '\0';
		values[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(parts[i]);
	}
	mls_address_format(&a, normalized, sizeof(normalized));
	nulls[8] = normalized[0] == '\0';
	values[8] = nulls[8] ? (Datum) 0 : CStringGetTextDatum(normalized);
	nulls[9] = !mls_address_key(&a, key, sizeof(key));
	values[9] = nulls[9] ? (Datum) 0 : CStringGetTextDatum(key);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * mls_normalize_parcel(parcel, county, state) -> text: the parcel key
 * ("TX|TRAVIS|R123456"); NULL without a parcel number.
 */
Datum
mls_normalize_parcel(PG_FUNCTION_ARGS)
{
	MlsListingAddress in;
	MlsMatchKeys keys;

	memset(&in, 0, sizeof(in));
	in.parcel = arg_text(fcinfo, 0);
	in.county = arg_text(fcinfo, 1);
	in.state = arg_text(fcinfo, 2);
	MlsMatchKeysCompute(&in, &keys);
	if (keys.parcel == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(keys.parcel));
}

/*
 * mls_normalize_upi(upi) -> text.
 */
Datum
mls_normalize_upi(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	char		buf[MLS_ID_SIZE];

	if (!mls_upi_normalize(VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in), buf, sizeof(buf)))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

/*
 * mls_match_keys(upi, parcel, county, state, unparsed, number, dir_prefix,
 * name, suffix, dir_suffix, unit, postal_code, latitude, longitude) ->
 * record: the keys a listing is matched by (keys.h), as mls_rematch
 * computes them for every listing of a tenant.
 */
Datum
mls_match_keys(PG_FUNCTION_ARGS)
{
	MlsListingAddress in;
	MlsMatchKeys keys;
	TupleDesc	desc;
	Datum		values[8];
	bool		nulls[8];
	char	   *texts[5];

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "mls_match_keys must return a record");
	desc = BlessTupleDesc(desc);
	in.upi = arg_text(fcinfo, 0);
	in.parcel = arg_text(fcinfo, 1);
	in.county = arg_text(fcinfo, 2);
	in.state = arg_text(fcinfo, 3);
	in.unparsed = arg_text(fcinfo, 4);
	in.number = arg_text(fcinfo, 5);
	in.dir_prefix = arg_text(fcinfo, 6);
	in.name = arg_text(fcinfo, 7);
	in.suffix = arg_text(fcinfo, 8);
	in.dir_suffix = arg_text(fcinfo, 9);
	in.unit = arg_text(fcinfo, 10);
	in.postal_code = arg_text(fcinfo, 11);
	in.has_coordinates = !PG_ARGISNULL(12) && !PG_ARGISNULL(13);
	if (in.has_coordinates)
	{
		in.latitude = DatumGetFloat8(DirectFunctionCall1(numeric_float8, PG_GETARG_DATUM(12)));
		in.longitude = DatumGetFloat8(DirectFunctionCall1(numeric_float8, PG_GETARG_DATUM(13)));
	}
	MlsMatchKeysCompute(&in, &keys);
	texts[0] = keys.upi;
	texts[1] = keys.parcel;
	texts[2] = keys.address;
	texts[3] = keys.house;
	texts[4] = keys.normalized;
	for (int i = 0; i < 5; i++)
	{
		nulls[i] = texts[i] == NULL;
		values[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(texts[i]);
	}
	nulls[5] = nulls[6] = nulls[7] = !keys.has_geo;
	values[5] = Float8GetDatum(keys.latitude);
	values[6] = Float8GetDatum(keys.longitude);
	values[7] = Int64GetDatum(keys.geo_cell);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * mls_rematch(tenant, full) -> record: recompute the tenant's property
 * matches (matcher.c).
 */
Datum
mls_rematch(PG_FUNCTION_ARGS)
{
	char	   *tenant;
	bool		full = PG_ARGISNULL(1) ? false : PG_GETARG_BOOL(1);
	MlsRematchResult result;
	TupleDesc	desc;
	Datum		values[5];
	bool		nulls[5] = {false};

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tenant must not be null")));
	tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "mls_rematch must return a record");
	desc = BlessTupleDesc(desc);
	/* before the tenant's matching lock, which no other role may hold */
	MlsRequireTenantPrivilege(tenant, "operate", "rematching listings");
	MlsRematch(tenant, full, &result);
	values[0] = Int64GetDatum(result.listings);
	values[1] = Int64GetDatum(result.rematched);
	values[2] = Int64GetDatum(result.moved);
	values[3] = Int64GetDatum(result.new_properties);
	values[4] = Int64GetDatum(result.ambiguous);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * mls_match_rules_version() -> integer: the version of the normalisation
 * rules of this build, stored with every match.
 */
Datum
mls_match_rules_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(MLS_ADDRESS_RULES_VERSION);
}
