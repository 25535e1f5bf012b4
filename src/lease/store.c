/* Backend factory. */
#include "lease/store.h"

#include <errno.h>
#include <string.h>

static const lease_store_ops_t *const backends[] = {
	&store_memfile_ops,
};

int lease_store_open(const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr)
{
	const char *type;

	assert_return(cfg != NULL && ret_store != NULL, -EINVAL);
	/* Kea's lease-database default is memfile. */
	type = cfg->type != NULL ? cfg->type : "memfile";
	for (size_t i = 0; i < ARRAY_SIZE(backends); i++) {
		if (strcmp(backends[i]->type, type) == 0) {
			return backends[i]->open(cfg, ret_store, reterr);
		}
	}
	return -EOPNOTSUPP;
}

void lease_store_close(lease_store_t *ls)
{
	if (ls != NULL) {
		ls->ops->close(ls);
	}
}
