/*-------------------------------------------------------------------------
 *
 * crypto.c
 *	  Connection credentials encrypted at rest with AES-256-GCM.
 *
 * Folder src/secrets/: credentials at rest - the key file and AES-256-GCM
 * (this file).  It may not include transport/, protocol or engine headers;
 * a secret leaves it only as plaintext handed to the sync in memory.
 *
 * The key lives in a file outside the database, named by the superuser-only
 * setting mlsync.secret_key_file, so a dump or a copy of the data directory
 * does not reveal secrets.  Secrets are write-only from SQL: mls_set_credentials
 * stores them, and only the sync (C, in the server) decrypts them.
 *
 * Stored form: version byte (1) || nonce (12) || tag (16) || ciphertext.
 * The additional authenticated data binds a ciphertext to its tenant,
 * connection and kind, so ciphertexts cannot be swapped between rows.  The
 * key id (first 8 bytes of SHA-256 over a label and the key) is stored
 * beside it, so a wrong key is reported as such, never as corrupt data.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>
#include <openssl/evp.h>

#include "common/string.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"

#include "secrets/crypto.h"
#include "mlsync.h"

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16
#define KEY_ID_BYTES 8
#define FORMAT_VERSION 1
#define HEADER_BYTES (1 + NONCE_BYTES + TAG_BYTES)
/* Secrets are passwords and tokens; a megabyte is far beyond any of them */
#define MAX_SECRET_BYTES (1024 * 1024)

static const char *const secret_kinds[] = {
	"password", "client_secret", "ua_password", "access_token"
};

PG_FUNCTION_INFO_V1(mls_set_credentials);
PG_FUNCTION_INFO_V1(mls_credentials_status);

/*
 * Read the 256-bit key from mlsync.secret_key_file (64 hexadecimal digits).
 * The file must belong to the server's user and not be readable by others,
 * as PostgreSQL demands of its own TLS key.
 */
static void
read_secret_key(uint8 key[KEY_BYTES])
{
	const char *path = mlsync_secret_key_file;
	struct stat st;
	FILE	   *file;
	char		buf[128];
	size_t		len;
	int			ndigits = 0;

	if (path == NULL || path[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("mlsync.secret_key_file is not set"),
				 errdetail("Credentials are encrypted with a key kept outside the database."),
				 errhint("Create a key with \"openssl rand -hex 32 > FILE; chmod 600 FILE\" as the server's user and set mlsync.secret_key_file to FILE in postgresql.conf.")));
	if (stat(path, &st) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not access secret key file \"%s\": %m", path)));
	if (!S_ISREG(st.st_mode))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("secret key file \"%s\" is not a regular file", path)));
	if (st.st_uid == geteuid() && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("secret key file \"%s\" has group or world access", path),
				 errdetail("The file must have permissions u=rw (0600) or less."),
				 errhint("chmod 600 %s", path)));

	file = AllocateFile(path, "r");
	if (file == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open secret key file \"%s\": %m", path)));
	len = fread(buf, 1, sizeof(buf) - 1, file);
	FreeFile(file);
	buf[len] = '\0';

	for (size_t i = 0; i < len; i++)
	{
		int			nibble;
		char		c = buf[i];

		if (c >= '0' && c <= '9')
			nibble = c - '0';
		else if (c >= 'a' && c <= 'f')
			nibble = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			nibble = c - 'A' + 10;
		else if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		else
			break;
		if (ndigits >= 2 * KEY_BYTES)
		{
			ndigits++;
			break;
		}
		if (ndigits % 2 == 0)
			key[ndigits / 2] = (uint8) (nibble << 4);
		else
			key[ndigits / 2] |= (uint8) nibble;
		ndigits++;
	}
	explicit_bzero(buf, sizeof(buf));
	if (ndigits != 2 * KEY_BYTES)
	{
		explicit_bzero(key, KEY_BYTES);
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("secret key file \"%s\" must hold exactly 64 hexadecimal digits", path),
				 errhint("Create a key with \"openssl rand -hex 32\".")));
	}
}

/*
 * The key id: SHA-256("mlsync key id" || key), first 8 bytes.
 */
static bytea *
key_id(const uint8 key[KEY_BYTES])
{
	static const char label[] = "mlsync key id";
	uint8		digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len;
	EVP_MD_CTX *volatile ctx = NULL;
	bytea	   *result;
	bool		ok;

	PG_TRY();
	{
		ctx = EVP_MD_CTX_new();
		ok = ctx != NULL &&
			EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
			EVP_DigestUpdate(ctx, label, sizeof(label) - 1) == 1 &&
			EVP_DigestUpdate(ctx, key, KEY_BYTES) == 1 &&
			EVP_DigestFinal_ex(ctx, digest, &digest_len) == 1;
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not compute the key id of the secret key")));
	}
	PG_FINALLY();
	{
		EVP_MD_CTX_free(ctx);
	}
	PG_END_TRY();

	result = palloc(VARHDRSZ + KEY_ID_BYTES);
	SET_VARSIZE(result, VARHDRSZ + KEY_ID_BYTES);
	memcpy(VARDATA(result), digest, KEY_ID_BYTES);
	return result;
}

/*
 * The additional authenticated data of a secret.
 */
static char *
secret_aad(const char *tenant, const char *connection, const char *kind)
{
	return psprintf("mlsync:v%d:%s:%s:%s", FORMAT_VERSION, tenant, connection, kind);
}

/*
 * Encrypt a secret; returns the stored form.
 */
static bytea *
encrypt_secret(const uint8 key[KEY_BYTES], const char *aad,
			   const char *plaintext, int plaintext_len)
{
	bytea	   *result = palloc(VARHDRSZ + HEADER_BYTES + plaintext_len);
	uint8	   *out = (uint8 *) VARDATA(result);
	uint8	   *nonce = out + 1;
	uint8	   *tag = nonce + NONCE_BYTES;
	uint8	   *ciphertext = tag + TAG_BYTES;
	EVP_CIPHER_CTX *volatile ctx = NULL;

	out[0] = FORMAT_VERSION;
	if (!pg_strong_random(nonce, NONCE_BYTES))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random nonce")));

	PG_TRY();
	{
		int			len;
		bool		ok;

		ctx = EVP_CIPHER_CTX_new();
		ok = ctx != NULL &&
			EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
			EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1 &&
			EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) == 1 &&
			EVP_EncryptUpdate(ctx, NULL, &len, (const uint8 *) aad, strlen(aad)) == 1 &&
			EVP_EncryptUpdate(ctx, ciphertext, &len, (const uint8 *) plaintext,
							  plaintext_len) == 1 &&
			EVP_EncryptFinal_ex(ctx, ciphertext + len, &len) == 1 &&
			EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not encrypt a secret")));
	}
	PG_FINALLY();
	{
		EVP_CIPHER_CTX_free(ctx);
	}
	PG_END_TRY();

	SET_VARSIZE(result, VARHDRSZ + HEADER_BYTES + plaintext_len);
	return result;
}

/*
 * Decrypt a stored secret.  Returns NULL when authentication fails (wrong
 * key, tampered data, or a ciphertext moved to another row).
 */
static char *
decrypt_secret(const uint8 key[KEY_BYTES], const char *aad, bytea *stored)
{
	int			stored_len = VARSIZE_ANY_EXHDR(stored);
	const uint8 *in = (const uint8 *) VARDATA_ANY(stored);
	int			plaintext_len = stored_len - HEADER_BYTES;
	char	   *plaintext;
	EVP_CIPHER_CTX *volatile ctx = NULL;
	volatile bool ok = false;

	if (stored_len < HEADER_BYTES || in[0] != FORMAT_VERSION)
		return NULL;
	plaintext = palloc(plaintext_len + 1);

	PG_TRY();
	{
		const uint8 *nonce = in + 1;
		const uint8 *tag = nonce + NONCE_BYTES;
		const uint8 *ciphertext = tag + TAG_BYTES;
		int			len;
		int			final_len;

		ctx = EVP_CIPHER_CTX_new();
		ok = ctx != NULL &&
			EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
			EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1 &&
			EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce) == 1 &&
			EVP_DecryptUpdate(ctx, NULL, &len, (const uint8 *) aad, strlen(aad)) == 1 &&
			EVP_DecryptUpdate(ctx, (uint8 *) plaintext, &len, ciphertext,
							  plaintext_len) == 1 &&
			EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, (void *) tag) == 1 &&
			EVP_DecryptFinal_ex(ctx, (uint8 *) plaintext + len, &final_len) == 1;
	}
	PG_FINALLY();
	{
		EVP_CIPHER_CTX_free(ctx);
	}
	PG_END_TRY();

	if (!ok)
	{
		explicit_bzero(plaintext, plaintext_len + 1);
		pfree(plaintext);
		return NULL;
	}
	plaintext[plaintext_len] = '\0';
	return plaintext;
}

/*
 * Check that the connection exists; its name is part of every message.
 * Must be called inside SPI.
 */
static void
check_connection_exists(const char *tenant, const char *connection)
{
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		args[2] = {CStringGetTextDatum(tenant), CStringGetTextDatum(connection)};

	if (SPI_execute_with_args("SELECT 1 FROM mlsync.mls_connections"
							  " WHERE tenant_id = $1 AND connection = $2",
							  2, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_connections");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("connection \"%s\" of tenant \"%s\" does not exist",
						connection, tenant),
				 errhint("Create it with mlsync.mls_connect().")));
}

/*
 * mls_set_credentials(tenant, connection, password, client_secret,
 *					   ua_password, access_token) returns text[]
 *
 * Stores each given secret encrypted; NULL leaves a secret as it is and ''
 * removes it.  Returns the kinds of secret the connection has afterwards.
 * Nothing about a secret's value is ever returned or logged.
 */
Datum
mls_set_credentials(PG_FUNCTION_ARGS)
{
	char	   *tenant;
	char	   *connection;
	uint8		key[KEY_BYTES];
	volatile bool have_key = false;
	bytea	   *volatile keyid = NULL;
	Datum		kinds_now[lengthof(secret_kinds)];
	int			nkinds = 0;
	ArrayType  *result;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("tenant and connection must not be null")));
	tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	connection = text_to_cstring(PG_GETARG_TEXT_PP(1));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	PG_TRY();
	{
		check_connection_exists(tenant, connection);

		for (int i = 0; i < lengthof(secret_kinds); i++)
		{
			const char *kind = secret_kinds[i];
			text	   *secret;
			Oid			argtypes[5] = {TEXTOID, TEXTOID, TEXTOID, BYTEAOID, BYTEAOID};
			Datum		args[5];
			int			rc;

			if (PG_ARGISNULL(2 + i))
				continue;
			secret = PG_GETARG_TEXT_PP(2 + i);
			args[0] = CStringGetTextDatum(tenant);
			args[1] = CStringGetTextDatum(connection);
			args[2] = CStringGetTextDatum(kind);

			if (VARSIZE_ANY_EXHDR(secret) == 0)
			{
				rc = SPI_execute_with_args("DELETE FROM mlsync.mls_credentials"
										   " WHERE tenant_id = $1 AND connection = $2 AND kind = $3",
										   3, argtypes, args, NULL, false, 0);
				if (rc != SPI_OK_DELETE)
					elog(ERROR, "could not delete from mlsync.mls_credentials: %s",
						 SPI_result_code_string(rc));
				continue;
			}
			if (VARSIZE_ANY_EXHDR(secret) > MAX_SECRET_BYTES)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("the %s of connection \"%s\" is longer than %d bytes",
								kind, connection, MAX_SECRET_BYTES)));
			if (!have_key)
			{
				read_secret_key(key);
				have_key = true;
				keyid = key_id(key);
			}
			args[3] = PointerGetDatum(keyid);
			args[4] = PointerGetDatum(encrypt_secret(key,
													 secret_aad(tenant, connection, kind),
													 VARDATA_ANY(secret),
													 VARSIZE_ANY_EXHDR(secret)));
			rc = SPI_execute_with_args("INSERT INTO mlsync.mls_credentials"
									   " (tenant_id, connection, kind, key_id, ciphertext)"
									   " VALUES ($1, $2, $3, $4, $5)"
									   " ON CONFLICT (tenant_id, connection, kind) DO UPDATE"
									   " SET key_id = excluded.key_id, ciphertext = excluded.ciphertext,"
									   " updated_at = now()",
									   5, argtypes, args, NULL, false, 0);
			if (rc != SPI_OK_INSERT)
				elog(ERROR, "could not write mlsync.mls_credentials: %s",
					 SPI_result_code_string(rc));
		}
	}
	PG_FINALLY();
	{
		explicit_bzero(key, sizeof(key));
	}
	PG_END_TRY();

	/* not read-only: the query must see the writes made above */
	{
		Oid			argtypes[2] = {TEXTOID, TEXTOID};
		Datum		args[2] = {CStringGetTextDatum(tenant), CStringGetTextDatum(connection)};

		if (SPI_execute_with_args("SELECT kind FROM mlsync.mls_credentials"
								  " WHERE tenant_id = $1 AND connection = $2 ORDER BY kind",
								  2, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read mlsync.mls_credentials");
		for (uint64 i = 0; i < SPI_processed && nkinds < lengthof(secret_kinds); i++)
		{
			char	   *kind = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

			kinds_now[nkinds++] = PointerGetDatum(cstring_to_text(kind));
		}
	}
	/* the array is built in SPI's context: copy it out before SPI_finish */
	result = construct_array(kinds_now, nkinds, TEXTOID, -1, false, TYPALIGN_INT);
	result = (ArrayType *) SPI_datumTransfer(PointerGetDatum(result), false, -1);
	SPI_finish();
	PG_RETURN_ARRAYTYPE_P(result);
}

/*
 * Load and decrypt one secret of a connection; see crypto.h.
 */
char *
MlsLoadSecret(const char *tenant, const char *connection, const char *kind)
{
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		args[3];
	MemoryContext callercxt = CurrentMemoryContext;
	uint8		key[KEY_BYTES];
	char	   *volatile plaintext = NULL;
	bytea	   *stored;
	bytea	   *stored_key_id;
	bool		isnull;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	args[0] = CStringGetTextDatum(tenant);
	args[1] = CStringGetTextDatum(connection);
	args[2] = CStringGetTextDatum(kind);
	if (SPI_execute_with_args("SELECT key_id, ciphertext FROM mlsync.mls_credentials"
							  " WHERE tenant_id = $1 AND connection = $2 AND kind = $3",
							  3, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_credentials");
	if (SPI_processed == 0)
	{
		SPI_finish();
		return NULL;
	}
	stored_key_id = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0],
												  SPI_tuptable->tupdesc, 1, &isnull));
	stored = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0],
										   SPI_tuptable->tupdesc, 2, &isnull));

	PG_TRY();
	{
		bytea	   *current_key_id;
		MemoryContext spicxt;

		read_secret_key(key);
		current_key_id = key_id(key);
		if (VARSIZE_ANY_EXHDR(stored_key_id) != KEY_ID_BYTES ||
			memcmp(VARDATA_ANY(stored_key_id), VARDATA(current_key_id), KEY_ID_BYTES) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PASSWORD),
					 errmsg("the %s of connection \"%s\" was encrypted with another key",
							kind, connection),
					 errhint("Set the credentials again with mlsync.mls_set_credentials(), or restore the key file it was encrypted with.")));
		spicxt = MemoryContextSwitchTo(callercxt);
		plaintext = decrypt_secret(key, secret_aad(tenant, connection, kind), stored);
		MemoryContextSwitchTo(spicxt);
		if (plaintext == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the %s of connection \"%s\" could not be decrypted",
							kind, connection),
					 errdetail("The stored ciphertext failed authentication.")));
	}
	PG_FINALLY();
	{
		explicit_bzero(key, sizeof(key));
	}
	PG_END_TRY();

	SPI_finish();
	return plaintext;
}

/*
 * mls_credentials_status(tenant, connection) returns setof (kind, updated_at,
 * decryptable)
 *
 * Which secrets a connection has and whether the current key decrypts them
 * (after a key change, for example).  Never returns a secret.
 */
Datum
mls_credentials_status(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *tenant = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *connection = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		args[2] = {CStringGetTextDatum(tenant), CStringGetTextDatum(connection)};
	uint8		key[KEY_BYTES];
	volatile bool have_key = false;
	MemoryContext spicxt;

	InitMaterializedSRF(fcinfo, 0);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	spicxt = CurrentMemoryContext;
	check_connection_exists(tenant, connection);
	if (SPI_execute_with_args("SELECT kind, updated_at, key_id, ciphertext FROM mlsync.mls_credentials"
							  " WHERE tenant_id = $1 AND connection = $2 ORDER BY kind",
							  2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read mlsync.mls_credentials");

	PG_TRY();
	{
		/* with no key file named, nothing decrypts; a broken one is an error */
		if (SPI_processed > 0 && mlsync_secret_key_file && mlsync_secret_key_file[0])
		{
			read_secret_key(key);
			have_key = true;
		}
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	row = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			bool		isnull;
			char	   *kind = SPI_getvalue(row, desc, 1);
			Datum		values[3];
			bool		nulls[3] = {false, false, false};
			char	   *plaintext = NULL;

			values[0] = CStringGetTextDatum(kind);
			values[1] = SPI_getbinval(row, desc, 2, &isnull);
			if (have_key)
				plaintext = decrypt_secret(key, secret_aad(tenant, connection, kind),
										   DatumGetByteaPP(SPI_getbinval(row, desc, 4, &isnull)));
			values[2] = BoolGetDatum(plaintext != NULL);
			if (plaintext)
				explicit_bzero(plaintext, strlen(plaintext));
			MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			MemoryContextSwitchTo(spicxt);
		}
	}
	PG_FINALLY();
	{
		explicit_bzero(key, sizeof(key));
	}
	PG_END_TRY();

	SPI_finish();
	return (Datum) 0;
}
