/* Host reservation indexes (private to the cfg module; lookups are declared
 * in cfg.h). Two open-addressing hash tables over cfg_t.hosts[]: by
 * (subnet_id, identifier type, identifier bytes) and by (subnet_id, address). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cfg/cfg.h"

/** Build both indexes over cfg->hosts. A second host with the same
 *  (subnet, type, identifier), or, when @addr_unique, the same (subnet,
 *  address), makes it fail with -EEXIST: *ret_dup is the later host's index
 *  and *ret_by_addr tells which rule it broke. 0, -EEXIST or -ENOMEM. */
int host_index_build(cfg_t *cfg, bool addr_unique, size_t *ret_dup, bool *ret_by_addr);
/** Free the indexes (NULL-safe on a cfg without them). */
void host_index_free(cfg_t *cfg);
