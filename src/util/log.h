/* Logging in Kea's format, so operators' alerts and greps keep working:
 *   2026-11-29 06:30:00.123 INFO  [kea-dhcp4.dhcp4/1234.140231] DHCP4_STARTED Kea DHCPv4 server version ...
 * Loggers are Kea's names ("kea-dhcp4.dhcp4", ".packets", ".leases", ...).
 * Message IDs are Kea's for the events lessor shares with Kea; docs/log-messages.md
 * is the catalogue. Thread-safe; a line is written with a single write(). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

typedef enum log_sev {
	LOG_SEV_DEBUG = 0,
	LOG_SEV_INFO = 1,
	LOG_SEV_WARN = 2,
	LOG_SEV_ERROR = 3,
	LOG_SEV_FATAL = 4,
	LOG_SEV_NONE = 5,
	_LOG_SEV_INVALID = -22,
} log_sev_t;

/* Kea's debug levels (log/log_dbglevels.h + dhcp4_log.h). */
#define LOG_DBG_START_SHUT 0
#define LOG_DBG_BASIC 10
#define LOG_DBG_TRACE 40
#define LOG_DBG_TRACE_DATA 45          /* Kea's DBGLVL_TRACE_BASIC_DATA (DHCP4_PACKET_RECEIVED) */
#define LOG_DBG_DETAIL 50
#define LOG_DBG_DETAIL_DATA 55
#define LOG_DBG_ALLOC 50

struct cfg_logger;

/** "DEBUG" ... "NONE", or "?" for a value outside the enum. */
const char *log_sev_name(log_sev_t sev);

/** Parse "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "NONE" (case-insensitive). */
log_sev_t log_sev_from_string(const char *s);

/** Reconfigure from the config's "loggers" (NULL/0 = defaults: INFO to stdout).
 *  Returns 0 or a negative code (e.g. an unwritable file). Main thread. */
int log_configure(const struct cfg_logger *loggers, size_t n);

/** -d on the command line: DEBUG 99 for every logger, overrides the config. */
void log_set_debug_override(bool on);

/** Cheap test for the hot path: would a message at this level be written? */
bool log_enabled(const char *logger, log_sev_t sev, int dbglevel);

/** Write one line. @logger is a Kea logger name, @msgid a Kea message ID. */
void log_emit(const char *logger, log_sev_t sev, int dbglevel, const char *msgid, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The latest WARN, ERROR and FATAL lines that were written (util/log-ring.c), for the
 * console's log view (command log-get). */
#define LOG_RING_SIZE 256
typedef struct log_entry {
	uint64_t seq;           /* 1 for the first line since start, counting up */
	struct timeval tv;
	log_sev_t sev;
	char logger[64];
	char msgid[64];
	char text[512];         /* valid UTF-8, control characters as spaces, cut if longer */
} log_entry_t;

/** Copy up to @max of the latest entries into @out, newest first; returns how many. */
size_t log_recent(log_entry_t *out, size_t max);
/** Forget them (tests). */
void log_recent_clear(void);
/** Copy @src into @dst (@cap bytes) as valid UTF-8: invalid bytes become '?', control
 *  characters ' ', cut on a character boundary; always NUL-terminated when @cap > 0. */
void log_utf8_copy(char *dst, size_t cap, const char *src);

/* Shorthands. The level test comes first so arguments are not formatted in vain. */
#define log_info(logger, id, ...) log_emit(logger, LOG_SEV_INFO, 0, id, __VA_ARGS__)
#define log_warn(logger, id, ...) log_emit(logger, LOG_SEV_WARN, 0, id, __VA_ARGS__)
#define log_error(logger, id, ...) log_emit(logger, LOG_SEV_ERROR, 0, id, __VA_ARGS__)
#define log_fatal(logger, id, ...) log_emit(logger, LOG_SEV_FATAL, 0, id, __VA_ARGS__)
#define log_debug(logger, lvl, id, ...)                                         \
	do {                                                                    \
		if (log_enabled(logger, LOG_SEV_DEBUG, lvl)) {                  \
			log_emit(logger, LOG_SEV_DEBUG, lvl, id, __VA_ARGS__);  \
		}                                                               \
	} while (0)

/* Logger names used across modules. */
#define LOGGER_DHCP4 "kea-dhcp4.dhcp4"
#define LOGGER_PACKETS "kea-dhcp4.packets"
#define LOGGER_LEASES "kea-dhcp4.leases"
#define LOGGER_ALLOC "kea-dhcp4.alloc-engine"
#define LOGGER_DHCPSRV "kea-dhcp4.dhcpsrv"
#define LOGGER_OPTIONS "kea-dhcp4.options"
#define LOGGER_HOSTS "kea-dhcp4.hosts"
#define LOGGER_BAD_PACKETS "kea-dhcp4.bad-packets"
#define LOGGER_DDNS "kea-dhcp4.ddns"
#define LOGGER_COMMANDS "kea-dhcp4.commands"
