/*-------------------------------------------------------------------------
 *
 * tenancy.h
 *	  The check of a caller's privilege on a tenant (tenancy.c), for C
 *	  functions that act for their caller.
 *
 *-------------------------------------------------------------------------
 */
#ifndef MLSYNC_TENANCY_H
#define MLSYNC_TENANCY_H

extern void MlsRequireTenantPrivilege(const char *tenant, const char *privilege,
									  const char *what);

#endif							/* MLSYNC_TENANCY_H */
