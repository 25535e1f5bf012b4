/* config-get's view of a configuration (Kea's defaults filled in). */
#pragma once

#include <jansson.h>

#include "cfg/cfg.h"

/** {"Dhcp4": ...}: @cfg's Dhcp4 object as given plus every default Kea 2.2's
 *  config-get shows (global, shared network, subnet, pool, option-data,
 *  option-def, class, reservation, logger defaults and inherited lifetimes).
 *  A new reference; NULL without a configuration or on -ENOMEM. Any thread. */
json_t *cfg_dump(const cfg_t *cfg);
