/*-------------------------------------------------------------------------
 *
 * asan-first.c
 *	  A library fuzz/asan-suite preloads after the ASan runtime, so that the
 *	  runtime initialises before glibc takes a locale lock.
 *
 * The postgres binary (and psql, initdb, python...) is not instrumented, so
 * the ASan runtime is preloaded and initialises at the first malloc it
 * intercepts.  In Debian 12 that first malloc comes from a library
 * constructor (libgpg-error's bindtextdomain, libp11-kit's newlocale) while
 * glibc holds _nl_state_lock or __libc_setlocale_lock for writing; the
 * runtime's initialisation calls dlerror(), which takes the same lock for
 * reading, and the lock is left corrupt: the process hangs at its next
 * bindtextdomain or freelocale.  Wrapping the glibc functions that take
 * those locks for writing, so that they initialise the runtime first,
 * avoids it.  Nothing else changes.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <locale.h>
#include <stdlib.h>

extern void __asan_init(void) __attribute__((weak));

#define WRAP(ret, name, params, args) \
ret name params; \
ret \
name params \
{ \
	static ret (*real) params; \
\
	if (__asan_init) \
		__asan_init(); \
	if (real == NULL) \
		real = (ret (*) params) dlsym(RTLD_NEXT, #name); \
	return real args; \
}

WRAP(char *, bindtextdomain, (const char *domain, const char *dir), (domain, dir))
WRAP(char *, bind_textdomain_codeset, (const char *domain, const char *codeset), (domain, codeset))
WRAP(char *, textdomain, (const char *domain), (domain))
WRAP(char *, setlocale, (int category, const char *locale), (category, locale))
WRAP(locale_t, newlocale, (int mask, const char *locale, locale_t base), (mask, locale, base))
WRAP(locale_t, duplocale, (locale_t locale), (locale))
