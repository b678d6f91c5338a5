/*-------------------------------------------------------------------------
 *
 * media_secret.c
 *	  The S3 secret access key of a tenant's media storage, encrypted at
 *	  rest like connection credentials: secrets/crypto.c's key file,
 *	  cipher and stored form (MlsSecretEncrypt, MlsSecretDecrypt).
 *
 * The additional authenticated data binds the ciphertext to the tenant, the
 * S3 endpoint and the access key id: pointed at another endpoint, the
 * storage cannot decrypt its secret, so it is never sent there.  A key
 * rotation (mls_rotate_secret_key) re-encrypts these secrets with the
 * connections' (rotate_secrets).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "media/media_storage.h"
#include "mlsync.h"
#include "secrets/crypto.h"

/* An S3 secret access key is 40 characters; this leaves room for others */
#define MAX_SECRET_BYTES 4096

PG_FUNCTION_INFO_V1(mls_media_store_secret);

/*
 * The additional authenticated data of a tenant's S3 secret; each part is
 * length-prefixed, as crypto.c's own, so no choice of values makes two
 * bindings read alike.
 */
static char *
secret_aad(const char *tenant, const char *endpoint, const char *access_key_id)
{
	endpoint = endpoint ? endpoint : "";
	access_key_id = access_key_id ? access_key_id : "";
	return psprintf("mlsync:v2:media-s3:%zu:%s:%zu:%s:%zu:%s", strlen(tenant), tenant,
					strlen(endpoint), endpoint, strlen(access_key_id), access_key_id);
}

/*
 * mls_media_store_secret(tenant text, secret text) returns void
 *
 * Encrypts the S3 secret access key of the tenant's storage (whose row must
 * exist: its endpoint and key id are bound into the ciphertext) and stores
 * it; '' removes it.  Called by mls_media_set_storage_unchecked.
 */
Datum
mls_media_store_secret(PG_FUNCTION_ARGS)
{
	char	   *tenant;
	text	   *secret;
	Oid			argtypes[3] = {TEXTOID, BYTEAOID, BYTEAOID};
	Datum		args[3];
	char	   *endpoint;
	char	   *access_key_id;
	int			len;
	bytea	   *stored;
	bytea	   *keyid;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tenant and secret must not be null")));
	tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	secret = PG_GETARG_TEXT_PP(1);
	len = VARSIZE_ANY_EXHDR(secret);
	if (len > MAX_SECRET_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the S3 secret access key is longer than %d bytes", MAX_SECRET_BYTES)));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = CStringGetTextDatum(tenant);
	if (SPI_execute_with_args("SELECT endpoint, access_key_id FROM mlsync.mls_media_storage"
							  " WHERE tenant_id = $1", 1, argtypes, args, NULL, false, 1)
		!= SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_media_storage");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tenant \"%s\" has no media storage", tenant),
				 errhint("Set it with mlsync.mls_media_set_storage().")));
	endpoint = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	access_key_id = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

	if (len == 0)
	{
		if (SPI_execute_with_args("DELETE FROM mlsync.mls_media_credentials WHERE tenant_id = $1",
								  1, argtypes, args, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "could not delete from mlsync.mls_media_credentials");
		SPI_finish();
		PG_RETURN_VOID();
	}

	stored = MlsSecretEncrypt(secret_aad(tenant, endpoint, access_key_id),
							  VARDATA_ANY(secret), len, &keyid);
	args[1] = PointerGetDatum(keyid);
	args[2] = PointerGetDatum(stored);
	if (SPI_execute_with_args("INSERT INTO mlsync.mls_media_credentials (tenant_id, key_id, ciphertext)"
							  " VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO UPDATE"
							  " SET key_id = EXCLUDED.key_id, ciphertext = EXCLUDED.ciphertext,"
							  " updated_at = excluded.updated_at",
							  3, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write mlsync.mls_media_credentials");
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * The decrypted S3 secret access key of a tenant's storage, in the current
 * memory context, or NULL when none is stored.  Must be called inside SPI
 * (the caller's connection).  The caller wipes it.
 */
char *
MlsMediaLoadSecret(const char *tenant, const char *endpoint, const char *access_key_id)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(tenant)};
	MemoryContext caller = CurrentMemoryContext;
	bool		isnull;
	bytea	   *stored_key_id;
	bytea	   *stored;
	char	   *plaintext;

	if (SPI_execute_with_args("SELECT key_id, ciphertext FROM mlsync.mls_media_credentials"
							  " WHERE tenant_id = $1", 1, argtypes, args, NULL, false, 1)
		!= SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_media_credentials");
	/* SPI left its own context current; the secret goes to the caller's */
	MemoryContextSwitchTo(caller);
	if (SPI_processed == 0)
		return NULL;
	stored_key_id = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
												  1, &isnull));
	stored = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
										   2, &isnull));
	switch (MlsSecretDecrypt(secret_aad(tenant, endpoint, access_key_id), stored_key_id, stored,
							 &plaintext))
	{
		case MLS_SECRET_OK:
			break;
		case MLS_SECRET_OTHER_KEY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PASSWORD),
					 errmsg("the S3 secret of tenant \"%s\" was encrypted with another key", tenant),
					 errhint("Set it again with mlsync.mls_media_set_storage().")));
			break;
		case MLS_SECRET_UNREADABLE:
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the S3 secret of tenant \"%s\" could not be decrypted", tenant),
					 errdetail("It was stored for another endpoint or access key id, or the stored ciphertext was changed."),
					 errhint("Set it again with mlsync.mls_media_set_storage().")));
			break;
	}
	return plaintext;
}

/*
 * (key rotation, MlsSecretRegisterRotation) Re-encrypt every tenant's S3
 * secret with the new key; returns how many were.  Runs inside
 * mls_rotate_secret_key's SPI connection and transaction: an error undoes
 * the whole rotation.
 */
static int
rotate_secrets(const MlsSecretKeys *keys)
{
	SPITupleTable *rows;
	uint64		n;
	int			rotated = 0;

	if (SPI_execute("SELECT c.tenant_id, s.endpoint, s.access_key_id, c.key_id, c.ciphertext"
					" FROM mlsync.mls_media_credentials c"
					" JOIN mlsync.mls_media_storage s USING (tenant_id)"
					" ORDER BY c.tenant_id FOR UPDATE OF c", false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_media_credentials");
	rows = SPI_tuptable;
	n = SPI_processed;
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	row = rows->vals[i];
		TupleDesc	desc = rows->tupdesc;
		bool		isnull;
		char	   *tenant = SPI_getvalue(row, desc, 1);
		Oid			argtypes[3] = {TEXTOID, BYTEAOID, BYTEAOID};
		Datum		args[3];
		bytea	   *keyid;
		bytea	   *stored;

		CHECK_FOR_INTERRUPTS();
		stored = MlsSecretRewrap(keys,
								 secret_aad(tenant, SPI_getvalue(row, desc, 2),
											SPI_getvalue(row, desc, 3)),
								 DatumGetByteaPP(SPI_getbinval(row, desc, 4, &isnull)),
								 DatumGetByteaPP(SPI_getbinval(row, desc, 5, &isnull)),
								 psprintf("the S3 secret of tenant \"%s\"", tenant), &keyid);
		if (stored == NULL)
			continue;			/* rotated already */
		args[0] = CStringGetTextDatum(tenant);
		args[1] = PointerGetDatum(keyid);
		args[2] = PointerGetDatum(stored);
		if (SPI_execute_with_args("UPDATE mlsync.mls_media_credentials SET key_id = $2, ciphertext = $3"
								  " WHERE tenant_id = $1",
								  3, argtypes, args, NULL, false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not write mlsync.mls_media_credentials");
		rotated++;
	}
	return rotated;
}

/*
 * Register the S3 secrets with key rotation (from _PG_init).
 */
void
MlsMediaSecretInit(void)
{
	MlsSecretRegisterRotation(rotate_secrets);
}
