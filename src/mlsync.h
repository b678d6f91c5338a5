/*-------------------------------------------------------------------------
 *
 * mlsync.h
 *	  Declarations shared by every part of mlsync: settings and names.
 *
 * mlsync keeps a PostgreSQL database in sync with real-estate MLS feeds.
 * Terms used throughout: a *tenant* owns *connections*; a connection is one
 * MLS feed (RESO Web API or RETS); a *run* is one sync of one connection; a
 * *mapping set* turns a source record into the columns of mls_listings.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_H
#define MLSYNC_H

#include "postgres.h"

#define MLSYNC_SCHEMA "mlsync"

/* Settings (GUCs), defined in mlsync.c */
extern char *mlsync_secret_key_file;
extern char *mlsync_database_name;
extern int	mlsync_max_workers;
extern int	mlsync_worker_turn;
extern int	mlsync_naptime;
extern int	mlsync_batch_size;
extern int	mlsync_http_timeout;
extern int	mlsync_connect_timeout;
extern int	mlsync_max_response_bytes;
extern int	mlsync_max_record_bytes;
extern char *mlsync_user_agent;
extern int	mlsync_max_consecutive_failures;
extern int	mlsync_max_retries;
extern int	mlsync_retry_base_delay;
extern int	mlsync_retry_max_delay;
extern bool mlsync_http_compression;
extern int	mlsync_max_requests_per_run;
extern int	mlsync_incremental_overlap;
extern int	mlsync_max_metadata_bytes;
extern int	mlsync_max_parse_bytes;
extern int	mlsync_sync_errors_retention;
extern int	mlsync_sync_history_retention;
extern int	mlsync_events_retention;
extern int	mlsync_dry_run_changes_limit;

/* mlsync.denied_networks and mlsync.allowed_hosts, parsed (netguard.h) */
struct MlsNetRules;
extern struct MlsNetRules *mlsync_denied_networks;
extern struct MlsNetRules *mlsync_allowed_hosts;
/* mlsync.http_proxy: the one proxy requests go through, "" for none */
extern char *mlsync_http_proxy;

/* Caps of requests whose answers are small by nature */
#define MLS_MAX_LOGIN_BYTES (1024 * 1024)	/* RETS Login, Logout, Action */
#define MLS_MAX_TOKEN_BYTES (64 * 1024) /* an OAuth2 token response */
/* a RETS photo list (GetObject, Location=1): URLs, or images a server
 * sends anyway, read whole and copied twice by the multipart parser */
#define MLS_MAX_OBJECT_LIST_BYTES (64 * 1024 * 1024)

/* Minutes in a day, the unit of the retention settings' bounds */
#define MLS_MINUTES_PER_DAY (24 * 60)

/* The User-Agent sent when neither the connection nor the setting names one */
#define MLSYNC_DEFAULT_USER_AGENT "mlsync/" MLSYNC_VERSION

#endif							/* MLSYNC_H */
