/* store-extended-info: the relay's data kept in a lease's user-context as
 * Kea 2.2's AllocEngine::updateLease4ExtendedInfo() keeps it, so that lease
 * queries by relay (and lease4-get) see what the relay sent. */
#pragma once

#include <stddef.h>

#include "dhcp/pkt4.h"

/** Set "ISC": { "relay-agent-info": "0x<HEX>" } in the user-context JSON text
 *  @uctx (capacity @cap; "" = no context yet; other keys are kept), where HEX
 *  is option 82 @rai's payload as Kea re-packs it (agent_canonical():
 *  sub-options in code order, upper-case hex; "" when nothing is left). The
 *  text is written as Kea writes it (Element::str()). Returns 0, -EINVAL when
 *  @uctx is not a JSON map (left alone), -ENOSPC when the result does not fit
 *  (left alone), -ENOMEM. Any thread. */
int extinfo_set_relay(const opt_view_t *rai, char *uctx, size_t cap);
