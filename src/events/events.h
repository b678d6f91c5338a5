/*-------------------------------------------------------------------------
 *
 * events.h
 *	  Listing events: the capture switch and the per-transaction NOTIFY.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_EVENTS_H
#define MLSYNC_EVENTS_H

#include "nodes/pg_list.h"

/* The channel every committing transaction that inserted events notifies */
#define MLS_EVENTS_CHANNEL "mlsync_events"

/* Values of mlsync.listing_events */
typedef enum MlsListingEventsMode
{
	MLS_LISTING_EVENTS_ON,			/* history and events */
	MLS_LISTING_EVENTS_HISTORY_ONLY,	/* history, no listing events */
	MLS_LISTING_EVENTS_OFF			/* nothing: restores */
} MlsListingEventsMode;

extern int	mlsync_listing_events;

/* Events of one tenant not yet counted in mls_usage (MlsEventsTakeCounts) */
typedef struct MlsEventCount
{
	char	   *tenant;
	int64		count;
} MlsEventCount;

extern void MlsEventsInit(void);
extern List *MlsEventsTakeCounts(void);
extern bool MlsEventsWriterCapture(bool on);

#endif							/* MLSYNC_EVENTS_H */
