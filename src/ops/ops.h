/*-------------------------------------------------------------------------
 *
 * ops.h
 *	  Operations: the cron schedules mlsync hands to pg_cron, and how long
 *	  the sync's records are kept (retention).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_OPS_H
#define MLSYNC_OPS_H

#include "postgres.h"

#include "pgtime.h"
#include "utils/timestamp.h"

/* A parsed cron schedule: one bit per value of each field */
typedef struct MlsCron
{
	uint64		minutes;		/* bit m: minute m (0-59) */
	uint32		hours;			/* bit h: hour h (0-23) */
	uint32		days;			/* bit d: day of month d (1-31) */
	uint16		months;			/* bit m: month m (1-12) */
	uint8		weekdays;		/* bit w: day of week w (0-6, Sunday 0) */
	bool		days_star;		/* the day of month field starts with "*" */
	bool		weekdays_star;	/* the day of week field starts with "*" */
} MlsCron;

extern bool MlsCronParse(const char *schedule, MlsCron *cron, char **error);
extern bool MlsCronNext(const MlsCron *cron, TimestampTz after, pg_tz *tz, TimestampTz *next);
extern const char *MlsCronZoneName(void);

#endif							/* MLSYNC_OPS_H */
