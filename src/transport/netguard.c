/*-------------------------------------------------------------------------
 *
 * netguard.c
 *	  Which network addresses mlsync may connect to (see netguard.h).
 *
 * Only parsing and matching live here: no PostgreSQL call, no allocation
 * but one malloc'd block per parsed list (GUC check hooks hand such blocks
 * to the GUC machinery, which frees them with free()).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>

#include "transport/netguard.h"

/*
 * Parse one item: "a.b.c.d", "a.b.c.d/n", an IPv6 address with or without
 * "/n", or (when names are allowed) a host name.  Returns false, with an
 * error, for anything else.
 */
static bool
parse_item(const char *item, bool names_allowed, MlsNetRule *rule, char *error, size_t errlen)
{
	char		text[300];
	char	   *slash;
	int			maxbits;

	memset(rule, 0, sizeof(*rule));
	if (strlen(item) >= sizeof(text))
	{
		snprintf(error, errlen, "\"%.40s...\" is too long", item);
		return false;
	}
	strcpy(text, item);
	slash = strchr(text, '/');
	if (slash)
		*slash = '\0';

	if (inet_pton(AF_INET, text, rule->addr) == 1)
	{
		rule->family = AF_INET;
		maxbits = 32;
	}
	else if (inet_pton(AF_INET6, text, rule->addr) == 1)
	{
		rule->family = AF_INET6;
		maxbits = 128;
	}
	else
	{
		size_t		len = strlen(text);

		if (slash || !names_allowed || len == 0 || len >= sizeof(rule->name))
		{
			snprintf(error, errlen, "\"%s\" is not an IP address or CIDR range", item);
			return false;
		}
		for (size_t i = 0; i < len; i++)
		{
			unsigned char c = (unsigned char) text[i];

			if (!isalnum(c) && c != '-' && c != '.')
			{
				snprintf(error, errlen, "\"%s\" is not a host name, an IP address or a CIDR range",
						 item);
				return false;
			}
			rule->name[i] = (char) tolower(c);
		}
		rule->name[len] = '\0';
		return true;
	}

	rule->prefix = maxbits;
	if (slash)
	{
		char	   *end;
		long		bits = strtol(slash + 1, &end, 10);

		if (end == slash + 1 || *end != '\0' || bits < 0 || bits > maxbits)
		{
			snprintf(error, errlen, "\"%s\" has an invalid prefix length", item);
			return false;
		}
		rule->prefix = (int) bits;
	}
	return true;
}

/*
 * Parse a list of items separated by commas and/or white space into one
 * malloc'd block.  Returns NULL with an error when an item is invalid or
 * memory is short.
 */
MlsNetRules *
MlsNetParseRules(const char *list, bool names_allowed, char *error, size_t errlen)
{
	MlsNetRules *rules;
	int			capacity = 1;
	const char *p;

	for (p = list ? list : ""; *p; p++)
		if (*p == ',' || isspace((unsigned char) *p))
			capacity++;
	rules = malloc(offsetof(MlsNetRules, rules) + sizeof(MlsNetRule) * capacity);
	if (rules == NULL)
	{
		snprintf(error, errlen, "out of memory");
		return NULL;
	}
	rules->nrules = 0;

	p = list ? list : "";
	while (*p)
	{
		char		item[300];
		size_t		len = 0;

		while (*p == ',' || isspace((unsigned char) *p))
			p++;
		while (*p && *p != ',' && !isspace((unsigned char) *p))
		{
			if (len + 1 < sizeof(item))
				item[len] = *p;
			len++;
			p++;
		}
		if (len == 0)
			continue;
		if (len + 1 > sizeof(item))
		{
			snprintf(error, errlen, "an item of the list is too long");
			free(rules);
			return NULL;
		}
		item[len] = '\0';
		if (!parse_item(item, names_allowed, &rules->rules[rules->nrules], error, errlen))
		{
			free(rules);
			return NULL;
		}
		rules->nrules++;
	}
	return rules;
}

/*
 * Whether the first "prefix" bits of a and b are equal.
 */
static bool
prefix_equal(const unsigned char *a, const unsigned char *b, int prefix)
{
	int			bytes = prefix / 8;
	int			bits = prefix % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	if (bits == 0)
		return true;
	return ((a[bytes] ^ b[bytes]) & (0xFF << (8 - bits))) == 0;
}

/*
 * Whether a rule list matches an address (family and bytes) or a host
 * name.
 */
static bool
rules_match(const MlsNetRules *rules, int family, const unsigned char *addr, const char *host)
{
	if (rules == NULL)
		return false;
	for (int i = 0; i < rules->nrules; i++)
	{
		const MlsNetRule *r = &rules->rules[i];

		if (r->family == 0)
		{
			if (host && pg_strcasecmp(r->name, host) == 0)
				return true;
		}
		else if (r->family == family && prefix_equal(r->addr, addr, r->prefix))
			return true;
	}
	return false;
}

/*
 * Whether a connection to address (for a URL naming host) is denied: the
 * address is in a denied range and neither it nor the host name is
 * allowed.  An IPv6 address that carries an IPv4 one is judged in both
 * forms (denied if either is, allowed if either is): mapped
 * (::ffff:a.b.c.d), NAT64's well-known prefix (64:ff9b::a.b.c.d, which a
 * NAT64 gateway turns into a.b.c.d) and 6to4 (2002:aabb:ccdd::/48).  Fills
 * why when denied.  Safe to call inside a
 * libcurl callback: it allocates nothing and never raises.
 */
bool
MlsNetAddressDenied(const MlsNetRules *denied, const MlsNetRules *allowed,
					const struct sockaddr *address, const char *host,
					char *why, size_t whylen)
{
	static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
	static const unsigned char nat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
	const unsigned char *v6 = NULL;
	const unsigned char *v4 = NULL;
	char		text[INET6_ADDRSTRLEN];

	if (address->sa_family == AF_INET)
		v4 = (const unsigned char *) &((const struct sockaddr_in *) address)->sin_addr;
	else if (address->sa_family == AF_INET6)
	{
		v6 = (const unsigned char *) &((const struct sockaddr_in6 *) address)->sin6_addr;
		if (memcmp(v6, v4mapped, sizeof(v4mapped)) == 0 || memcmp(v6, nat64, sizeof(nat64)) == 0)
			v4 = v6 + 12;
		else if (v6[0] == 0x20 && v6[1] == 0x02)
			v4 = v6 + 2;		/* 6to4 */
	}
	else
	{
		snprintf(why, whylen, "address family %d is not IP", (int) address->sa_family);
		return true;
	}

	/* denied in either form, allowed in either */
	if (!((v6 && rules_match(denied, AF_INET6, v6, NULL)) ||
		  (v4 && rules_match(denied, AF_INET, v4, NULL))))
		return false;
	if ((v6 && rules_match(allowed, AF_INET6, v6, host)) ||
		(v4 && rules_match(allowed, AF_INET, v4, host)))
		return false;
	if (inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? v4 : v6, text, sizeof(text)) == NULL)
		strcpy(text, "?");
	snprintf(why, whylen, "address %s is in mlsync.denied_networks and not in mlsync.allowed_hosts",
			 text);
	return true;
}

/*
 * Whether a request for a URL naming host, sent through a proxy, is denied.
 * The proxy resolves the names it is given, so mlsync never sees the
 * address it connects to: only what the host itself says can be judged.
 * An address literal is judged as that address (IPv4 in every form
 * inet_aton reads, "2130706433" and "127.1" included, since a proxy may
 * read them so; IPv6 in brackets), and "localhost" and the names below it
 * as loopback, which they are by definition (RFC 6761); a trailing dot
 * changes none of that.  Any other name is the proxy's to judge: false.
 * Fills why when denied; allocates nothing and never raises.
 */
bool
MlsNetHostDenied(const MlsNetRules *denied, const MlsNetRules *allowed, const char *host,
				 char *why, size_t whylen)
{
	char		bare[256];
	size_t		len = strlen(host);
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	const struct sockaddr *address;

	if (len >= sizeof(bare))
		return false;			/* longer than any name or literal */
	memcpy(bare, host, len + 1);
	if (len > 0 && bare[len - 1] == '.')
		bare[--len] = '\0';

	memset(&v4, 0, sizeof(v4));
	memset(&v6, 0, sizeof(v6));
	v4.sin_family = AF_INET;
	v6.sin6_family = AF_INET6;
	if (len > 2 && bare[0] == '[' && bare[len - 1] == ']')
	{
		char	   *zone;

		bare[len - 1] = '\0';
		zone = strchr(bare, '%');
		if (zone)
			*zone = '\0';
		if (inet_pton(AF_INET6, bare + 1, &v6.sin6_addr) != 1)
			return false;
		address = (const struct sockaddr *) &v6;
	}
	else if (inet_aton(bare, &v4.sin_addr) != 0)
		address = (const struct sockaddr *) &v4;
	else if (pg_strcasecmp(bare, "localhost") == 0 ||
			 (len > 10 && pg_strcasecmp(bare + len - 10, ".localhost") == 0))
	{
		v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		address = (const struct sockaddr *) &v4;
	}
	else
		return false;
	return MlsNetAddressDenied(denied, allowed, address, host, why, whylen);
}
