/* HA peer messages as Kea 2.2/2.4 write and read them (kea-ha-protocol.md §1-2):
 * heartbeats for now. Builders allocate jansson objects; parsers take hostile
 * input and never crash. Any thread. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cfg/cfg-ha.h"

/* Clock skew verdicts of Kea's CommunicationState::clockSkewShouldWarn/Terminate. */
typedef enum ha_skew {
	HA_SKEW_OK,
	HA_SKEW_WARN,                   /* > 30 s */
	HA_SKEW_TERMINATE,              /* > 60 s */
} ha_skew_t;

/* What a partner's ha-heartbeat answer says. */
typedef struct ha_heartbeat {
	cfg_ha_state_t state;
	time_t date_time;
	uint64_t unsent_update_count;   /* 0 when absent */
	bool scope[2];                  /* [0] the primary's scope named, [1] the secondary's */
} ha_heartbeat_t;

/** {"command": @cmd, "service": ["dhcp4"]} (+ "arguments" if @args, stolen). NULL on OOM. */
json_t *ha_msg_command(const char *cmd, json_t *args);

/** The answer to ha-heartbeat: [{"result": 0, "text": "HA peer status returned.",
 *  "arguments": {state, date-time (RFC 1123 of @now), scopes, unsent-update-count}}].
 *  @scopes is a NULL-terminated list of scope names. NULL on OOM. */
json_t *ha_msg_heartbeat_answer(cfg_ha_state_t state, const char *const *scopes,
                                uint64_t unsent, time_t now);

/** Parse a partner's ha-heartbeat answer (a list whose first element is the map, as Kea
 *  requires). @scope_names are the primary's and the secondary's names (NULL if none).
 *  0, or -EPROTO with Kea's reason in @err. */
int ha_msg_parse_heartbeat(json_t *answer, const char *const scope_names[2], ha_heartbeat_t *ret,
                           char *err, size_t errlen);

/** "Thu, 07 Nov 2019 08:49:37 GMT" into @buf (at least 30 bytes). */
void ha_msg_rfc1123(time_t t, char *buf, size_t len);

/** Parse an RFC 1123 GMT date into *@ret. 0 or -EINVAL. */
int ha_msg_parse_rfc1123(const char *s, time_t *ret);

/** How far apart the two clocks are, as Kea judges it. */
ha_skew_t ha_msg_skew(time_t mine, time_t partner);
