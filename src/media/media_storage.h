/*-------------------------------------------------------------------------
 *
 * media_storage.h
 *	  Content-addressed storage of media files, behind one interface: a
 *	  directory on the server, or an S3-compatible object store.
 *
 * Files are named by the SHA-256 of their bytes (storage keys
 * "<tenant>/<aa>/<sha256>.<ext>", derivatives "<sha256>-<width>.<format>"),
 * so the same image from two feeds is one file, a file never changes once
 * written, and writing it again is harmless.  Downloads in progress are
 * spooled to files under mlsync.media_dir/.tmp (never held in memory) and
 * then moved (directory) or uploaded (S3) under their key.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_MEDIA_STORAGE_H
#define MLSYNC_MEDIA_STORAGE_H

typedef struct MlsMediaStore MlsMediaStore;

extern MlsMediaStore *MlsMediaStoreOpen(const char *tenant);
extern const char *MlsMediaStoreDescribe(MlsMediaStore *store);
extern char *MlsMediaSpoolPath(MlsMediaStore *store, const char *what);
extern char *MlsMediaStorageKey(const char *tenant, const char *sha256, const char *suffix);
extern bool MlsMediaStorePut(MlsMediaStore *store, const char *key, const char *path,
							 const char *sha256, const char *content_type, char **error);
extern char *MlsMediaStoreFetch(MlsMediaStore *store, const char *key, int64 bytes, bool *is_spool,
								bool *gone, char **error);
extern bool MlsMediaStoreDelete(MlsMediaStore *store, const char *key, char **error);
extern void MlsMediaStoreSync(MlsMediaStore *store);

/* media_secret.c */
extern char *MlsMediaLoadSecret(const char *tenant, const char *endpoint,
								const char *access_key_id);
extern void MlsMediaSecretInit(void);

#endif							/* MLSYNC_MEDIA_STORAGE_H */
