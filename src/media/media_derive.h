/*-------------------------------------------------------------------------
 *
 * media_derive.h
 *	  Checking images and making their derivatives, in a helper process
 *	  (helper/mlsync_media_helper.c) under a memory limit.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_MEDIA_DERIVE_H
#define MLSYNC_MEDIA_DERIVE_H

#define MLS_MEDIA_MAX_DERIVATIVES 16

typedef struct MlsMediaDerivative
{
	char		format[8];		/* webp, jpeg */
	int			requested;		/* the width of mlsync.media_sizes */
	int			width;
	int			height;
	int64		bytes;
	char	   *path;			/* the file the helper wrote */
} MlsMediaDerivative;

typedef struct MlsMediaDerived
{
	bool		ok;
	char	   *error;
	int			width;			/* of the original, upright */
	int			height;
	int			nderivatives;
	MlsMediaDerivative derivatives[MLS_MEDIA_MAX_DERIVATIVES];
} MlsMediaDerived;

typedef struct MlsMediaHelper MlsMediaHelper;

extern MlsMediaHelper *MlsMediaHelperStart(void);
extern void MlsMediaDerive(MlsMediaHelper *helper, const char *input, const char *outdir,
						   MlsMediaDerived *result);
extern int64 MlsMediaHelperPeakBytes(MlsMediaHelper *helper);
extern void MlsMediaHelperStop(MlsMediaHelper *helper);

#endif							/* MLSYNC_MEDIA_DERIVE_H */
