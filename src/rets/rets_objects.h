/*-------------------------------------------------------------------------
 *
 * rets_objects.h
 *	  GetObject over a RETS session: the objects (photos) of a listing
 *	  (docs/protocols.md R8).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_OBJECTS_H
#define MLSYNC_RETS_OBJECTS_H

#include "rets/rets_session.h"

/* One object of a listing, as GetObject described it */
typedef struct RetsObjectInfo
{
	char	   *object_id;
	char	   *content_type;
	char	   *description;
	char	   *location;		/* Location=1: its URL; NULL when the bytes came */
	bool		preferred;
	int64		size;			/* body bytes received (0 with a Location) */
} RetsObjectInfo;

extern List *RetsFetchObjectList(RetsSession *session, const char *type, const char *key);

#endif							/* MLSYNC_RETS_OBJECTS_H */
