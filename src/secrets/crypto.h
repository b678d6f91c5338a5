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

#endif							/* MLSYNC_CRYPTO_H */
