/* The "memfile" backend: store-mem indexes + the lfile journal. Opened through
 * lease_store_open() with type "memfile"; this header only adds what tests,
 * benchmarks and the control API need beyond the store.h vtable. */
#pragma once

#include <stdbool.h>

#include "lease/lfile.h"
#include "lease/store.h"

/** Start a lease file cleanup now, regardless of lfc-interval (kea's
 *  "lease4-file-cleanup"-like trigger). @wait: also wait for the merge and
 *  return its result. 0, -EBUSY if one is running, -EOPNOTSUPP with
 *  persist false. Main/ctl thread. */
int store_memfile_lfc_now(lease_store_t *ls, bool wait);

/** The journal of a memfile store (NULL with persist false). For tests and
 *  benchmarks. */
lfile_t *store_memfile_lfile(lease_store_t *ls);
