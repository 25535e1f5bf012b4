/* libdhcp_ha.so's commands: forwarded to the daemon's HA service (src/ha),
 * which builds the whole answer. */
#include "ctl/ctl-int.h"

static json_t *ha_forward(ctl_t *ctl, const char *name, json_t *args)
{
	if (ctl->env.ha_command == NULL) {
		return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL, "'%s' command not supported.", name);
	}
	return ctl->env.ha_command(ctl->env.ud, name, args);
}

#define HA_CMD(fn, name) \
	json_t *fn(ctl_t *ctl, json_t *args) \
	{ \
		return ha_forward(ctl, name, args); \
	}
HA_CMD(ctl_cmd_ha_continue, "ha-continue")
HA_CMD(ctl_cmd_ha_heartbeat, "ha-heartbeat")
HA_CMD(ctl_cmd_ha_maintenance_cancel, "ha-maintenance-cancel")
HA_CMD(ctl_cmd_ha_maintenance_notify, "ha-maintenance-notify")
HA_CMD(ctl_cmd_ha_maintenance_start, "ha-maintenance-start")
HA_CMD(ctl_cmd_ha_reset, "ha-reset")
HA_CMD(ctl_cmd_ha_scopes, "ha-scopes")
HA_CMD(ctl_cmd_ha_sync, "ha-sync")
HA_CMD(ctl_cmd_ha_sync_complete_notify, "ha-sync-complete-notify")

