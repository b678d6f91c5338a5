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
 * Stored form: version byte (2) || nonce (12) || tag (16) || ciphertext.
 * The additional authenticated data binds a ciphertext to its tenant,
 * connection and kind, so ciphertexts cannot be swapped between rows, and
 * to what it was stored for: the origins (scheme, host, port) of the
 * connection's endpoint and token URL and its user name.  A connection
 * pointed elsewhere cannot decrypt its secrets, so whoever may change a
 * connection cannot send its stored secret to a host of their choosing
 * (a trigger also removes the secrets when those change, and version 1
 * ciphertexts, of mlsync 0.1.0, are bound to the row only).  The key id
 * (first 8 bytes of SHA-256 over a label and the key) is stored beside it,
 * so a wrong key is reported as such, never as corrupt data.
 *
 * Other owners of secrets (the S3 secret of a tenant's media storage,
 * src/media/media_secret.c) use the same key, cipher and stored form
 * through MlsSecretEncrypt and MlsSecretDecrypt, with additional data of
 * their own.
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

#include "support/sqlargs.h"
#include "secrets/crypto.h"
#include "mlsync.h"

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16
#define KEY_ID_BYTES 8
#define FORMAT_VERSION 2
/* mlsync 0.1.0: the additional data names the row only */
#define FORMAT_VERSION_UNBOUND 1
#define HEADER_BYTES (1 + NONCE_BYTES + TAG_BYTES)
/* Secrets are passwords and tokens; a megabyte is far beyond any of them */
#define MAX_SECRET_BYTES (1024 * 1024)

static const char *const secret_kinds[] = {
	"password", "client_secret", "ua_password", "access_token"
};

PG_FUNCTION_INFO_V1(mls_set_credentials);
PG_FUNCTION_INFO_V1(mls_credentials_status);
PG_FUNCTION_INFO_V1(mls_rotate_secret_key);

/* The two keys of a rotation, for the owners of other secrets */
struct MlsSecretKeys
{
	uint8		old_key[KEY_BYTES];
	uint8		new_key[KEY_BYTES];
	bytea	   *old_id;
	bytea	   *new_id;
};

/* Owners of other secrets that re-encrypt them in a key rotation */
#define MAX_ROTATIONS 4
static MlsSecretRotation rotations[MAX_ROTATIONS];
static int	nrotations = 0;

/* What a connection's secrets are bound to (see the header comment) */
typedef struct SecretBinding
{
	char	   *endpoint_origin;
	char	   *token_origin;	/* "" when none */
	char	   *username;		/* "" when none */
} SecretBinding;

/*
 * Read the 256-bit key from mlsync.secret_key_file (64 hexadecimal digits).
 * The file must belong to the server's user and not be readable by others,
 * as PostgreSQL demands of its own TLS key.
 */
static void
read_key_file(const char *path, uint8 key[KEY_BYTES])
{
	struct stat st;
	FILE	   *file;
	char		buf[128];
	size_t		len;
	int			ndigits = 0;

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
 * Read the key mlsync.secret_key_file names.
 */
static void
read_secret_key(uint8 key[KEY_BYTES])
{
	const char *path = mlsync_secret_key_file;

	if (path == NULL || path[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("mlsync.secret_key_file is not set"),
				 errdetail("Credentials are encrypted with a key kept outside the database."),
				 errhint("Create a key with \"openssl rand -hex 32 > FILE; chmod 600 FILE\" as the server's user and set mlsync.secret_key_file to FILE in postgresql.conf.")));
	read_key_file(path, key);
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
 * The additional authenticated data of a secret stored in format version
 * (FORMAT_VERSION, or FORMAT_VERSION_UNBOUND when reading an old one).
 * Each part is length-prefixed, so no choice of names makes two bindings
 * read alike.
 */
static char *
secret_aad(int version, const char *tenant, const char *connection, const char *kind,
		   const SecretBinding *binding)
{
	if (version == FORMAT_VERSION_UNBOUND)
		return psprintf("mlsync:v1:%s:%s:%s", tenant, connection, kind);
	return psprintf("mlsync:v%d:%zu:%s:%zu:%s:%zu:%s:%zu:%s:%zu:%s:%zu:%s", version,
					strlen(tenant), tenant, strlen(connection), connection,
					strlen(kind), kind,
					strlen(binding->endpoint_origin), binding->endpoint_origin,
					strlen(binding->token_origin), binding->token_origin,
					strlen(binding->username), binding->username);
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
 * Decrypt a stored secret (of at least HEADER_BYTES) with its additional
 * authenticated data.  Returns NULL when authentication fails (wrong key,
 * tampered data, a ciphertext moved to another row, or bound to something
 * else than aad says).
 */
static char *
decrypt_with_aad(const uint8 key[KEY_BYTES], const char *aad, bytea *stored)
{
	int			stored_len = VARSIZE_ANY_EXHDR(stored);
	const uint8 *in = (const uint8 *) VARDATA_ANY(stored);
	int			plaintext_len = stored_len - HEADER_BYTES;
	char	   *plaintext;
	EVP_CIPHER_CTX *volatile ctx = NULL;
	volatile bool ok = false;

	Assert(stored_len >= HEADER_BYTES);
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
 * Decrypt a stored secret of a connection.  Returns NULL when
 * authentication fails (wrong key, tampered data, a ciphertext moved to
 * another row, or a connection pointed elsewhere since the secret was
 * stored).
 */
static char *
decrypt_secret(const uint8 key[KEY_BYTES], const char *tenant, const char *connection,
			   const char *kind, const SecretBinding *binding, bytea *stored)
{
	int			stored_len = VARSIZE_ANY_EXHDR(stored);
	const uint8 *in = (const uint8 *) VARDATA_ANY(stored);

	if (stored_len < HEADER_BYTES ||
		(in[0] != FORMAT_VERSION && in[0] != FORMAT_VERSION_UNBOUND))
		return NULL;
	return decrypt_with_aad(key, secret_aad(in[0], tenant, connection, kind, binding), stored);
}

/*
 * Whether a stored key id is the one of key.
 */
static bool
key_id_matches(bytea *stored_key_id, const uint8 key[KEY_BYTES])
{
	bytea	   *current = key_id(key);

	return VARSIZE_ANY_EXHDR(stored_key_id) == KEY_ID_BYTES &&
		memcmp(VARDATA_ANY(stored_key_id), VARDATA(current), KEY_ID_BYTES) == 0;
}

/*
 * Encrypt a secret of another owner than a connection (see crypto.h) with
 * the key of mlsync.secret_key_file, bound to aad.  Returns the stored
 * form; *keyid is the key's id, to store beside it.
 */
bytea *
MlsSecretEncrypt(const char *aad, const char *plaintext, int len, bytea **keyid)
{
	uint8		key[KEY_BYTES];
	bytea	   *volatile stored = NULL;

	if (len > MAX_SECRET_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a secret may not be longer than %d bytes", MAX_SECRET_BYTES)));
	PG_TRY();
	{
		read_secret_key(key);
		*keyid = key_id(key);
		stored = encrypt_secret(key, aad, plaintext, len);
	}
	PG_FINALLY();
	{
		explicit_bzero(key, sizeof(key));
	}
	PG_END_TRY();
	return stored;
}

/*
 * Decrypt a secret stored by MlsSecretEncrypt, with the same aad, into
 * *plaintext (in the current memory context; the caller wipes it).  Says
 * whether it was encrypted with another key than mlsync.secret_key_file's,
 * or could not be read (other data bound, altered, an unknown format); the
 * caller reports either in its own words.
 */
MlsSecretStatus
MlsSecretDecrypt(const char *aad, bytea *stored_key_id, bytea *stored, char **plaintext)
{
	uint8		key[KEY_BYTES];
	volatile MlsSecretStatus status = MLS_SECRET_UNREADABLE;

	*plaintext = NULL;
	PG_TRY();
	{
		read_secret_key(key);
		if (!key_id_matches(stored_key_id, key))
			status = MLS_SECRET_OTHER_KEY;
		else if (VARSIZE_ANY_EXHDR(stored) >= HEADER_BYTES &&
				 ((const uint8 *) VARDATA_ANY(stored))[0] == FORMAT_VERSION)
		{
			*plaintext = decrypt_with_aad(key, aad, stored);
			if (*plaintext != NULL)
				status = MLS_SECRET_OK;
		}
	}
	PG_FINALLY();
	{
		explicit_bzero(key, sizeof(key));
	}
	PG_END_TRY();
	return status;
}

/*
 * Have mls_rotate_secret_key call fn for the secrets of another owner
 * (called from _PG_init).
 */
void
MlsSecretRegisterRotation(MlsSecretRotation fn)
{
	for (int i = 0; i < nrotations; i++)
		if (rotations[i] == fn)
			return;
	if (nrotations >= MAX_ROTATIONS)
		elog(ERROR, "too many owners of secrets registered for key rotation");
	rotations[nrotations++] = fn;
}

/*
 * In a key rotation (a function registered with MlsSecretRegisterRotation),
 * re-encrypt one secret of another owner with the new key: the new stored
 * form, with *keyid the new key's id; NULL when it is under the new key
 * already.  what names the secret in errors ("the S3 secret of tenant
 * \"a\""), which undo the whole rotation.
 */
bytea *
MlsSecretRewrap(const MlsSecretKeys *keys, const char *aad, bytea *stored_key_id,
				bytea *stored, const char *what, bytea **keyid)
{
	char	   *plaintext = NULL;
	bytea	   *result;

	if (key_id_matches(stored_key_id, keys->new_key))
		return NULL;			/* rotated already */
	if (!key_id_matches(stored_key_id, keys->old_key))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PASSWORD),
				 errmsg("%s was encrypted with neither key", what),
				 errdetail("Nothing was re-encrypted."),
				 errhint("Store that secret again, then rotate.")));
	if (VARSIZE_ANY_EXHDR(stored) >= HEADER_BYTES &&
		((const uint8 *) VARDATA_ANY(stored))[0] == FORMAT_VERSION)
		plaintext = decrypt_with_aad(keys->old_key, aad, stored);
	if (plaintext == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s could not be decrypted", what),
				 errdetail("Nothing was re-encrypted."),
				 errhint("Store that secret again, then rotate.")));
	result = encrypt_secret(keys->new_key, aad, plaintext, strlen(plaintext));
	explicit_bzero(plaintext, strlen(plaintext));
	*keyid = keys->new_id;
	return result;
}

/*
 * What a connection's secrets are bound to, read from mls_connections (in
 * the caller's memory context); raises when the connection does not
 * exist.  Must be called inside SPI.
 */
static SecretBinding *
load_binding(const char *tenant, const char *connection, MemoryContext cxt)
{
	MlsSqlArgs	a = {0};
	SecretBinding *binding;

	MlsArgText(&a, tenant);
	MlsArgText(&a, connection);
	if (MlsSqlExec("SELECT mlsync.mls_url_origin(endpoint) AS endpoint_origin,"
				   " coalesce(mlsync.mls_url_origin(token_url), '') AS token_origin,"
				   " coalesce(username, '') AS username"
				   " FROM mlsync.mls_connections WHERE tenant_id = $1 AND connection = $2",
				   &a, SPI_OK_SELECT, true) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("connection \"%s\" of tenant \"%s\" does not exist",
						connection, tenant),
				 errhint("Create it with mlsync.mls_connect().")));
	binding = MemoryContextAllocZero(cxt, sizeof(SecretBinding));
	binding->endpoint_origin = MlsSqlText(0, "endpoint_origin", cxt);
	if (binding->endpoint_origin == NULL)
		binding->endpoint_origin = MemoryContextStrdup(cxt, "");
	binding->token_origin = MlsSqlText(0, "token_origin", cxt);
	binding->username = MlsSqlText(0, "username", cxt);
	return binding;
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
		SecretBinding *binding = load_binding(tenant, connection, CurrentMemoryContext);

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
													 secret_aad(FORMAT_VERSION, tenant, connection,
																kind, binding),
													 VARDATA_ANY(secret),
													 VARSIZE_ANY_EXHDR(secret)));
			rc = SPI_execute_with_args("INSERT INTO mlsync.mls_credentials"
									   " (tenant_id, connection, kind, key_id, ciphertext)"
									   " VALUES ($1, $2, $3, $4, $5)"
									   " ON CONFLICT (tenant_id, connection, kind) DO UPDATE"
									   " SET key_id = excluded.key_id, ciphertext = excluded.ciphertext,"
									   " updated_at = excluded.updated_at",
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
		MemoryContext spicxt;
		SecretBinding *binding = load_binding(tenant, connection, CurrentMemoryContext);

		read_secret_key(key);
		if (!key_id_matches(stored_key_id, key))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PASSWORD),
					 errmsg("the %s of connection \"%s\" was encrypted with another key",
							kind, connection),
					 errhint("Set the credentials again with mlsync.mls_set_credentials(), or restore the key file it was encrypted with.")));
		spicxt = MemoryContextSwitchTo(callercxt);
		plaintext = decrypt_secret(key, tenant, connection, kind, binding, stored);
		MemoryContextSwitchTo(spicxt);
		if (plaintext == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("the %s of connection \"%s\" could not be decrypted",
							kind, connection),
					 errdetail("It was stored for another endpoint, token URL or user name than the connection has now, or the stored ciphertext was altered."),
					 errhint("Set it again with mlsync.mls_set_credentials().")));
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
	SecretBinding *binding;

	InitMaterializedSRF(fcinfo, 0);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	spicxt = CurrentMemoryContext;
	binding = load_binding(tenant, connection, spicxt);
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
				plaintext = decrypt_secret(key, tenant, connection, kind, binding,
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

/*
 * mls_rotate_secret_key(new_key_file text) returns integer
 *
 * Re-encrypt every stored secret with the key in new_key_file, in the
 * caller's transaction: all of them (those of connections, then those of
 * the owners registered with MlsSecretRegisterRotation) or, on any error,
 * none.  Secrets of
 * mlsync 0.1.0 (format 1) are re-encrypted bound to their connection's
 * origins.  Then mlsync.secret_key_file is to name the new file (and the
 * configuration reloaded); until then syncs find secrets of another key.
 * Returns how many secrets were re-encrypted.  Superuser only: it reads a
 * file the caller names.
 */
Datum
mls_rotate_secret_key(PG_FUNCTION_ARGS)
{
	char	   *path = text_to_cstring(PG_GETARG_TEXT_PP(0));
	MlsSecretKeys keys;
	uint8	   *old_key = keys.old_key;
	uint8	   *new_key = keys.new_key;
	int			rotated = 0;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a superuser may rotate the secret key"),
				 errdetail("The function reads a key file the caller names.")));
	MlsSqlConnect();
	PG_TRY();
	{
		bytea	   *old_id;
		bytea	   *new_id;
		uint64		n;
		SPITupleTable *rows;

		read_secret_key(old_key);
		read_key_file(path, new_key);
		old_id = keys.old_id = key_id(old_key);
		new_id = keys.new_id = key_id(new_key);
		n = MlsSqlExec("SELECT tenant_id, connection, kind, key_id, ciphertext"
					   " FROM mlsync.mls_credentials ORDER BY tenant_id, connection, kind"
					   " FOR UPDATE",
					   NULL, SPI_OK_SELECT, false);
		rows = SPI_tuptable;
		for (uint64 i = 0; i < n; i++)
		{
			HeapTuple	row = rows->vals[i];
			TupleDesc	desc = rows->tupdesc;
			bool		isnull;
			char	   *tenant = SPI_getvalue(row, desc, 1);
			char	   *connection = SPI_getvalue(row, desc, 2);
			char	   *kind = SPI_getvalue(row, desc, 3);
			bytea	   *stored_id = DatumGetByteaPP(SPI_getbinval(row, desc, 4, &isnull));
			bytea	   *stored = DatumGetByteaPP(SPI_getbinval(row, desc, 5, &isnull));
			SecretBinding *binding;
			char	   *plaintext;
			MlsSqlArgs	a = {0};

			CHECK_FOR_INTERRUPTS();
			if (VARSIZE_ANY_EXHDR(stored_id) == KEY_ID_BYTES &&
				memcmp(VARDATA_ANY(stored_id), VARDATA(new_id), KEY_ID_BYTES) == 0)
				continue;		/* rotated already */
			if (VARSIZE_ANY_EXHDR(stored_id) != KEY_ID_BYTES ||
				memcmp(VARDATA_ANY(stored_id), VARDATA(old_id), KEY_ID_BYTES) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PASSWORD),
						 errmsg("the %s of connection \"%s\" of tenant \"%s\" was encrypted with neither key",
								kind, connection, tenant),
						 errdetail("Nothing was re-encrypted."),
						 errhint("Set that secret again with mlsync.mls_set_credentials(), then rotate.")));
			binding = load_binding(tenant, connection, CurrentMemoryContext);
			plaintext = decrypt_secret(old_key, tenant, connection, kind, binding, stored);
			if (plaintext == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_CORRUPTED),
						 errmsg("the %s of connection \"%s\" of tenant \"%s\" could not be decrypted",
								kind, connection, tenant),
						 errdetail("Nothing was re-encrypted."),
						 errhint("Set that secret again with mlsync.mls_set_credentials(), then rotate.")));
			MlsArgText(&a, tenant);
			MlsArgText(&a, connection);
			MlsArgText(&a, kind);
			MlsArgDatum(&a, BYTEAOID, PointerGetDatum(new_id), false);
			MlsArgDatum(&a, BYTEAOID,
						PointerGetDatum(encrypt_secret(new_key,
													   secret_aad(FORMAT_VERSION, tenant, connection,
																  kind, binding),
													   plaintext, strlen(plaintext))),
						false);
			explicit_bzero(plaintext, strlen(plaintext));
			MlsSqlExec("UPDATE mlsync.mls_credentials SET key_id = $4, ciphertext = $5"
					   " WHERE tenant_id = $1 AND connection = $2 AND kind = $3",
					   &a, SPI_OK_UPDATE, false);
			rotated++;
		}
		/* the secrets of other owners (media storage) */
		for (int i = 0; i < nrotations; i++)
			rotated += rotations[i] (&keys);
	}
	PG_FINALLY();
	{
		explicit_bzero(keys.old_key, sizeof(keys.old_key));
		explicit_bzero(keys.new_key, sizeof(keys.new_key));
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_INT32(rotated);
}
