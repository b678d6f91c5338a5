/*-------------------------------------------------------------------------
 *
 * media_secret.c
 *	  The S3 secret access key of a tenant's media storage, encrypted at
 *	  rest like connection credentials (AES-256-GCM under the key of
 *	  mlsync.secret_key_file, same stored form and key id).
 *
 * The additional authenticated data binds the ciphertext to the tenant, the
 * S3 endpoint and the access key id: pointed at another endpoint, the
 * storage cannot decrypt its secret, so it is never sent there.
 *
 * TEMPORARY: secrets/crypto.c keeps its cipher and key file reading to
 * itself, and only knows the secret kinds of connections.  Until it exports
 * an encrypt/decrypt pair for other owners of secrets, the two functions
 * below repeat its format (version, nonce, tag, ciphertext; key id) and its
 * key file rules.  Replace their bodies with calls to that pair.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>
#include <openssl/evp.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "storage/fd.h"
#include "utils/builtins.h"

#include "media/media_storage.h"
#include "mlsync.h"

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16
#define KEY_ID_BYTES 8
#define FORMAT_VERSION 1
#define HEADER_BYTES (1 + NONCE_BYTES + TAG_BYTES)
#define MAX_SECRET_BYTES 4096

PG_FUNCTION_INFO_V1(mls_media_store_secret);

/*
 * Read the 256-bit key of mlsync.secret_key_file (the rules of crypto.c:
 * a regular file, no group or world access, 64 hexadecimal digits).
 */
static void
read_key(uint8 key[KEY_BYTES])
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
				 errhint("Secrets are encrypted with a key kept outside the database; see the README, \"Credentials\".")));
	if (stat(path, &st) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not access secret key file \"%s\": %m", path)));
	if (!S_ISREG(st.st_mode) ||
		(st.st_uid == geteuid() && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("secret key file \"%s\" is not a regular file of mode 0600", path)));
	file = AllocateFile(path, "r");
	if (file == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open secret key file \"%s\": %m", path)));
	len = fread(buf, 1, sizeof(buf) - 1, file);
	FreeFile(file);
	for (size_t i = 0; i < len && ndigits <= 2 * KEY_BYTES; i++)
	{
		char		c = buf[i];
		int			nibble;

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
		if (ndigits < 2 * KEY_BYTES)
		{
			if (ndigits % 2 == 0)
				key[ndigits / 2] = (uint8) (nibble << 4);
			else
				key[ndigits / 2] |= (uint8) nibble;
		}
		ndigits++;
	}
	explicit_bzero(buf, sizeof(buf));
	if (ndigits != 2 * KEY_BYTES)
	{
		explicit_bzero(key, KEY_BYTES);
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("secret key file \"%s\" must hold exactly 64 hexadecimal digits", path)));
	}
}

/*
 * The key id: SHA-256("mlsync key id" || key), first 8 bytes (as crypto.c).
 */
static bytea *
key_id(const uint8 key[KEY_BYTES])
{
	static const char label[] = "mlsync key id";
	uint8		digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	bytea	   *result;

	{
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		bool		ok = ctx != NULL &&
			EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
			EVP_DigestUpdate(ctx, label, sizeof(label) - 1) == 1 &&
			EVP_DigestUpdate(ctx, key, KEY_BYTES) == 1 &&
			EVP_DigestFinal_ex(ctx, digest, &digest_len) == 1;

		EVP_MD_CTX_free(ctx);
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not compute the key id of the secret key")));
	}
	result = palloc(VARHDRSZ + KEY_ID_BYTES);
	SET_VARSIZE(result, VARHDRSZ + KEY_ID_BYTES);
	memcpy(VARDATA(result), digest, KEY_ID_BYTES);
	return result;
}

/*
 * The additional authenticated data of a tenant's S3 secret.
 */
static char *
secret_aad(const char *tenant, const char *endpoint, const char *access_key_id)
{
	return psprintf("mlsync:v%d:media-s3:%s:%s:%s", FORMAT_VERSION, tenant,
					endpoint ? endpoint : "", access_key_id ? access_key_id : "");
}

/*
 * AES-256-GCM in either direction over one buffer; false when it fails
 * (decryption: authentication failed).  No allocation inside.
 */
static bool
gcm(bool encrypt, const uint8 key[KEY_BYTES], const uint8 *nonce, const char *aad,
	const uint8 *in, int len, uint8 *out, uint8 *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int			n;
	bool		ok;

	if (encrypt)
		ok = ctx != NULL &&
			EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
			EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1 &&
			EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) == 1 &&
			EVP_EncryptUpdate(ctx, NULL, &n, (const uint8 *) aad, strlen(aad)) == 1 &&
			EVP_EncryptUpdate(ctx, out, &n, in, len) == 1 &&
			EVP_EncryptFinal_ex(ctx, out + n, &n) == 1 &&
			EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
	else
		ok = ctx != NULL &&
			EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
			EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1 &&
			EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce) == 1 &&
			EVP_DecryptUpdate(ctx, NULL, &n, (const uint8 *) aad, strlen(aad)) == 1 &&
			EVP_DecryptUpdate(ctx, out, &n, in, len) == 1 &&
			EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) == 1 &&
			EVP_DecryptFinal_ex(ctx, out + n, &n) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/*
 * mls_media_store_secret(tenant text, secret text) returns void
 *
 * Encrypts the S3 secret access key of the tenant's storage (whose row must
 * exist: its endpoint and key id are bound into the ciphertext) and stores
 * it; '' removes it.  Called by mls_media_set_storage.
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
	uint8		key[KEY_BYTES];
	int			len;
	bytea	   *stored;
	uint8	   *out;

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

	stored = palloc(VARHDRSZ + HEADER_BYTES + len);
	SET_VARSIZE(stored, VARHDRSZ + HEADER_BYTES + len);
	out = (uint8 *) VARDATA(stored);
	out[0] = FORMAT_VERSION;
	if (!pg_strong_random(out + 1, NONCE_BYTES))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random nonce")));
	read_key(key);
	if (!gcm(true, key, out + 1, secret_aad(tenant, endpoint, access_key_id),
			 (const uint8 *) VARDATA_ANY(secret), len,
			 out + HEADER_BYTES, out + 1 + NONCE_BYTES))
	{
		explicit_bzero(key, sizeof(key));
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not encrypt the S3 secret access key")));
	}
	args[1] = PointerGetDatum(key_id(key));
	explicit_bzero(key, sizeof(key));
	args[2] = PointerGetDatum(stored);
	if (SPI_execute_with_args("INSERT INTO mlsync.mls_media_credentials (tenant_id, key_id, ciphertext)"
							  " VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO UPDATE"
							  " SET key_id = EXCLUDED.key_id, ciphertext = EXCLUDED.ciphertext,"
							  " updated_at = now()",
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
	uint8		key[KEY_BYTES];
	bytea	   *current;
	const uint8 *in;
	int			len;
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
	read_key(key);
	current = key_id(key);
	if (VARSIZE_ANY_EXHDR(stored_key_id) != KEY_ID_BYTES ||
		memcmp(VARDATA_ANY(stored_key_id), VARDATA(current), KEY_ID_BYTES) != 0)
	{
		explicit_bzero(key, sizeof(key));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PASSWORD),
				 errmsg("the S3 secret of tenant \"%s\" was encrypted with another key", tenant),
				 errhint("Set it again with mlsync.mls_media_set_storage().")));
	}
	in = (const uint8 *) VARDATA_ANY(stored);
	len = VARSIZE_ANY_EXHDR(stored) - HEADER_BYTES;
	if (len < 0 || in[0] != FORMAT_VERSION)
	{
		explicit_bzero(key, sizeof(key));
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the S3 secret of tenant \"%s\" is not in a known format", tenant)));
	}
	plaintext = palloc(len + 1);
	if (!gcm(false, key, in + 1, secret_aad(tenant, endpoint, access_key_id),
			 in + HEADER_BYTES, len, (uint8 *) plaintext, (uint8 *) in + 1 + NONCE_BYTES))
	{
		explicit_bzero(key, sizeof(key));
		explicit_bzero(plaintext, len + 1);
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the S3 secret of tenant \"%s\" could not be decrypted", tenant),
				 errdetail("It was stored for another endpoint or access key id, or the stored ciphertext was changed."),
				 errhint("Set it again with mlsync.mls_media_set_storage().")));
	}
	explicit_bzero(key, sizeof(key));
	plaintext[len] = '\0';
	return plaintext;
}
