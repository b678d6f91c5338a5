/*-------------------------------------------------------------------------
 *
 * rets_codes.c
 *	  RETS reply codes mapped to the error categories of mls_sync_errors
 *	  (auth, network, rate_limit, server, protocol, data, config) and to what
 *	  the RETS source does (docs/protocols.md R6).
 *
 * Meanings follow the RETS 1.7.2/1.8 reply code list (refindly's
 * rets_reply_codes.json, rets-client's replyCodes).  Codes not in the table
 * are classified by their range (docs/protocols.md R6: any 2xxxx code is
 * handled generically): a server may use codes of its own (libRETS's fixture
 * answers 20205).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "rets/rets_codes.h"

#define K(code, trans, cat, act, meaning) \
	{code, trans, cat, RETS_ACTION_##act, meaning, true}

static const RetsReplyCodeInfo reply_codes[] = {
	K(0, NULL, NULL, OK, "Operation successful"),
	K(10000, NULL, "server", RETRY, "System error"),
	K(20003, "Login", "auth", FATAL, "Zero balance"),
	K(20012, "Login", "config", FATAL, "Broker code required"),
	K(20013, "Login", "config", FATAL, "Broker code invalid"),
	K(20022, "Login", "rate_limit", RETRY, "Additional login not permitted: another session of this user is open"),
	K(20036, "Login", "auth", FATAL, "Miscellaneous server login error"),
	K(20037, "Login", "auth", RELOGIN, "Client (user agent) authentication failed"),
	K(20041, "Login", "config", FATAL, "User agent authentication required"),
	K(20050, "Login", "server", RETRY, "Server temporarily disabled"),
	K(20140, "ChangePassword", "config", FATAL, "Insecure password"),
	K(20141, "ChangePassword", "config", FATAL, "Same as previous password"),
	K(20142, "ChangePassword", "auth", FATAL, "Encrypted user name invalid"),
	K(20200, "Search", "config", FATAL, "Unknown query field"),
	K(20201, "Search", NULL, EMPTY, "No records found"),
	K(20202, "Search", "config", FATAL, "Invalid select"),
	K(20203, "Search", "protocol", FATAL, "Miscellaneous search error"),
	K(20206, "Search", "protocol", FATAL, "Invalid query syntax"),
	K(20207, "Search", "config", FATAL, "Unauthorized query"),
	K(20208, "Search", NULL, TRUNCATED, "Maximum records exceeded"),
	K(20209, "Search", "server", SPLIT, "Search timed out"),
	K(20210, "Search", "rate_limit", RETRY, "Too many outstanding queries"),
	K(20211, "Search", "protocol", SPLIT, "Query too complex"),
	K(20212, "Search", "protocol", FATAL, "Invalid key request"),
	K(20213, "Search", "protocol", FATAL, "Invalid key"),
	K(20400, "GetObject", "config", FATAL, "Invalid resource"),
	K(20401, "GetObject", "config", FATAL, "Invalid object type"),
	K(20402, "GetObject", "data", SKIP, "Invalid identifier"),
	K(20403, "GetObject", NULL, SKIP, "No object found"),
	K(20406, "GetObject", "config", FATAL, "Unsupported MIME type"),
	K(20407, "GetObject", "auth", SKIP, "Unauthorized retrieval"),
	K(20408, "GetObject", "server", RETRY, "Resource unavailable"),
	K(20409, "GetObject", "server", RETRY, "Object unavailable"),
	K(20410, "GetObject", "protocol", SPLIT, "Request too large"),
	K(20411, "GetObject", "server", RETRY, "Timeout"),
	K(20412, "GetObject", "rate_limit", RETRY, "Too many outstanding requests"),
	K(20413, "GetObject", "server", RETRY, "Miscellaneous error"),
	K(20500, "GetMetadata", "config", FATAL, "Invalid resource"),
	K(20501, "GetMetadata", "config", FATAL, "Invalid metadata type"),
	K(20502, "GetMetadata", "config", FATAL, "Invalid identifier"),
	K(20503, "GetMetadata", NULL, EMPTY, "No metadata found"),
	K(20506, "GetMetadata", "config", FATAL, "Unsupported MIME type"),
	K(20507, "GetMetadata", "auth", FATAL, "Unauthorized retrieval"),
	K(20508, "GetMetadata", "server", RETRY, "Resource unavailable"),
	K(20509, "GetMetadata", "server", RETRY, "Metadata unavailable"),
	K(20510, "GetMetadata", "protocol", FATAL, "Request too large"),
	K(20511, "GetMetadata", "server", RETRY, "Timeout"),
	K(20512, "GetMetadata", "rate_limit", RETRY, "Too many outstanding requests"),
	K(20513, "GetMetadata", "server", RETRY, "Miscellaneous error"),
	K(20514, "GetMetadata", "protocol", FATAL, "Requested DTD version unavailable"),
	K(20601, "ServerInformation", "protocol", FATAL, "Not supported"),
	K(20602, "ServerInformation", "server", RETRY, "Miscellaneous error"),
	K(20701, "Logout", "auth", RELOGIN, "Not logged in"),
	K(20702, "Logout", NULL, IGNORE, "Miscellaneous logout error"),
};

#undef K

/*
 * Describe a reply code: from the table when known, else by its range.
 */
void
RetsReplyCodeLookup(int code, RetsReplyCodeInfo *info)
{
	int			lo = 0;
	int			hi = lengthof(reply_codes) - 1;

	/* the table is sorted by code */
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2;

		if (reply_codes[mid].code == code)
		{
			*info = reply_codes[mid];
			return;
		}
		if (reply_codes[mid].code < code)
			lo = mid + 1;
		else
			hi = mid - 1;
	}

	info->code = code;
	info->known = false;
	info->category = "protocol";
	info->action = RETS_ACTION_FATAL;
	info->transaction = NULL;
	if (code >= 10000 && code < 20000)
	{
		info->category = "server";
		info->action = RETS_ACTION_RETRY;
		info->meaning = "Unknown system error";
	}
	else if (code >= 20000 && code < 20100)
	{
		info->transaction = "Login";
		info->category = "auth";
		info->meaning = "Unknown login error";
	}
	else if (code >= 20100 && code < 20200)
	{
		info->transaction = "ChangePassword";
		info->category = "config";
		info->meaning = "Unknown password error";
	}
	else if (code >= 20200 && code < 20300)
	{
		info->transaction = "Search";
		info->meaning = "Unknown search error";
	}
	else if (code >= 20300 && code < 20400)
	{
		info->transaction = "Update";
		info->meaning = "Unknown update error";
	}
	else if (code >= 20400 && code < 20500)
	{
		info->transaction = "GetObject";
		info->meaning = "Unknown object error";
	}
	else if (code >= 20500 && code < 20600)
	{
		info->transaction = "GetMetadata";
		info->meaning = "Unknown metadata error";
	}
	else if (code >= 20600 && code < 20700)
	{
		info->transaction = "ServerInformation";
		info->meaning = "Unknown server information error";
	}
	else if (code >= 20700 && code < 20800)
	{
		info->transaction = "Logout";
		info->category = NULL;
		info->action = RETS_ACTION_IGNORE;
		info->meaning = "Unknown logout error";
	}
	else
		info->meaning = "Unknown reply code";
}

int
RetsReplyCodeCount(void)
{
	return lengthof(reply_codes);
}

const RetsReplyCodeInfo *
RetsReplyCodeAt(int i)
{
	Assert(i >= 0 && i < (int) lengthof(reply_codes));
	return &reply_codes[i];
}

/*
 * The name of an action, as the SQL functions show it.
 */
const char *
RetsActionName(RetsAction action)
{
	switch (action)
	{
		case RETS_ACTION_OK:
			return "ok";
		case RETS_ACTION_EMPTY:
			return "empty";
		case RETS_ACTION_TRUNCATED:
			return "truncated";
		case RETS_ACTION_SPLIT:
			return "split";
		case RETS_ACTION_RETRY:
			return "retry";
		case RETS_ACTION_RELOGIN:
			return "relogin";
		case RETS_ACTION_SKIP:
			return "skip";
		case RETS_ACTION_IGNORE:
			return "ignore";
		case RETS_ACTION_FATAL:
			return "fatal";
	}
	return "fatal";
}
