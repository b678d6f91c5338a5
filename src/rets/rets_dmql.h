/*-------------------------------------------------------------------------
 *
 * rets_dmql.h
 *	  DMQL2 queries and Search request arguments, and the splitting of
 *	  query windows that came back truncated.
 *
 * These run in the backend outside any library callback: they palloc and
 * raise errors for bad input like any PostgreSQL function.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_RETS_DMQL_H
#define MLSYNC_RETS_DMQL_H

#include "datatype/timestamp.h"

/* The conditions of one Search query; every part is optional */
typedef struct RetsQuerySpec
{
	const char *timestamp_field;
	bool		has_from;		/* inclusive lower bound */
	Timestamp	from;
	bool		has_to;			/* inclusive upper bound */
	Timestamp	to;
	const char *key_field;
	const char *key_from;		/* inclusive, NULL for none */
	const char *key_to;
	const char *status_field;
	const char *const *statuses;
	int			nstatuses;
	const char *extra;			/* a DMQL2 expression ANDed with the rest */
} RetsQuerySpec;

/* The arguments of a Search transaction */
typedef struct RetsSearchArgs
{
	const char *resource;		/* SearchType */
	const char *class_name;		/* Class */
	const char *query;			/* DMQL2, not yet encoded */
	const char *format;			/* COMPACT or COMPACT-DECODED */
	const char *const *select;
	int			nselect;
	int			limit;			/* 0: none */
	int			offset;			/* 1-based; 0: none */
	int			count;			/* 0, 1 or 2; -1: none */
	bool		standard_names;
	const char *restricted_indicator;
} RetsSearchArgs;

extern char *RetsDmqlQuery(const RetsQuerySpec *q);
extern char *RetsDmqlTimestamp(Timestamp ts, bool round_up);
extern char *RetsDmqlValue(const char *value);
extern char *RetsPercentEncode(const char *s);
extern char *RetsSearchRequest(const RetsSearchArgs *a);
extern int	RetsKeyCompare(const char *a, const char *b);
extern bool RetsSplitWindow(Timestamp from, Timestamp to, int64 resolution,
							Timestamp *left_to, Timestamp *right_from);

#endif							/* MLSYNC_RETS_DMQL_H */
