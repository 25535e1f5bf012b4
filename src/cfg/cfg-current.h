/* The published configuration snapshot. Readers hold a reference for one batch;
 * a reload swaps in a new snapshot atomically and the old one is freed when its
 * last reader releases it. */
#pragma once

#include "cfg/cfg.h"

/** Take a reference to the current config (NULL before the first publish). Any thread. */
const cfg_t *cfg_acquire(void);
/** Drop a reference taken by cfg_acquire(). NULL-safe. Any thread. */
void cfg_release(const cfg_t *cfg);
/** Publish @cfg (takes ownership of the caller's reference). Main/ctl thread. */
void cfg_publish(cfg_t *cfg);
