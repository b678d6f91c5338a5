/*-------------------------------------------------------------------------
 *
 * crypto.h
 *	  Credentials encrypted at rest (docs/features.md F4).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_CRYPTO_H
#define MLSYNC_CRYPTO_H

/*
 * The secret of one kind ("password", "client_secret", "ua_password",
 * "access_token") of a connection, decrypted, or NULL when none is stored.
 * The caller should wipe it (explicit_bzero) when done.
 */
extern char *MlsLoadSecret(const char *tenant, const char *connection,
						   const char *kind);

/*
 * Secrets of other owners (the S3 secret of a tenant's media storage):
 * encrypted with the same key file, cipher and stored form as connection
 * secrets (format 2), bound to additional authenticated data the owner
 * gives, which must name the row and what the secret is for, so that a
 * ciphertext moved elsewhere or a secret pointed at another host cannot be
 * decrypted.  The owner stores the key id beside the ciphertext.
 */
typedef enum MlsSecretStatus
{
	MLS_SECRET_OK,
	MLS_SECRET_OTHER_KEY,		/* encrypted with another key */
	MLS_SECRET_UNREADABLE		/* other data bound, altered, or unknown format */
} MlsSecretStatus;

extern bytea *MlsSecretEncrypt(const char *aad, const char *plaintext, int len,
							   bytea **keyid);
extern MlsSecretStatus MlsSecretDecrypt(const char *aad, bytea *stored_key_id, bytea *stored,
										char **plaintext);

/*
 * Key rotation (mls_rotate_secret_key) re-encrypts the secrets of other
 * owners too: each registers, in _PG_init, a function that re-encrypts its
 * secrets with MlsSecretRewrap (inside the rotation's SPI connection and
 * transaction) and returns how many it re-encrypted.
 */
typedef struct MlsSecretKeys MlsSecretKeys;
typedef int (*MlsSecretRotation) (const MlsSecretKeys *keys);

extern void MlsSecretRegisterRotation(MlsSecretRotation fn);
extern bytea *MlsSecretRewrap(const MlsSecretKeys *keys, const char *aad, bytea *stored_key_id,
							  bytea *stored, const char *what, bytea **keyid);

#endif							/* MLSYNC_CRYPTO_H */
