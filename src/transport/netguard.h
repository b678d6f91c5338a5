/*-------------------------------------------------------------------------
 *
 * netguard.h
 *	  Which network addresses mlsync may connect to.
 *
 * A connection's endpoint is chosen by whoever may call mls_connect(), not
 * by the database administrator, so mlsync could otherwise be pointed at
 * the database server's own network (loopback, private ranges, the cloud
 * metadata service at 169.254.169.254): server-side request forgery.  The
 * superuser settings mlsync.denied_networks (CIDR ranges, private and
 * local ones by default) and mlsync.allowed_hosts (host names or CIDR
 * ranges allowed despite that) decide, and the check runs on the address
 * libcurl actually connects to, after name resolution, so a host name that
 * resolves to a denied address (DNS rebinding included) is refused before
 * any byte is sent.
 *
 * The parsing and matching here are plain C (no PostgreSQL calls), so they
 * can be fuzzed outside the server.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_NETGUARD_H
#define MLSYNC_NETGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* One range of addresses, or one host name */
typedef struct MlsNetRule
{
	int			family;			/* AF_INET, AF_INET6, or 0 for a host name */
	int			prefix;			/* bits that must match */
	unsigned char addr[16];
	char		name[256];		/* host name, lower case (family 0) */
} MlsNetRule;

/* A parsed list of rules, in one malloc'd block (a GUC's "extra") */
typedef struct MlsNetRules
{
	int			nrules;
	MlsNetRule	rules[FLEXIBLE_ARRAY_MEMBER];
} MlsNetRules;

/* The ranges denied unless allowed: loopback, private, link-local, ... */
#define MLS_DEFAULT_DENIED_NETWORKS \
	"0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, " \
	"172.16.0.0/12, 192.0.0.0/24, 192.168.0.0/16, 198.18.0.0/15, 224.0.0.0/3, " \
	"::/128, ::1/128, 64:ff9b:1::/48, fc00::/7, fe80::/10, ff00::/8"

extern MlsNetRules *MlsNetParseRules(const char *list, bool names_allowed,
									 char *error, size_t errlen);
extern bool MlsNetAddressDenied(const MlsNetRules *denied, const MlsNetRules *allowed,
								const struct sockaddr *address, const char *host,
								char *why, size_t whylen);
extern bool MlsNetHostDenied(const MlsNetRules *denied, const MlsNetRules *allowed,
							 const char *host, char *why, size_t whylen);

#endif							/* MLSYNC_NETGUARD_H */
