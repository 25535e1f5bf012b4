/* Lookups over a loaded cfg_t and its destructor. */
#include "cfg/cfg.h"

#include <stdlib.h>
#include <string.h>

#include "cfg/host.h"
#include "cfg/subnet.h"

const cfg_option_t *cfg_optset_find_vendor(const cfg_optset_t *set, uint32_t vendor, uint8_t code)
{
	/* a scope has a handful of vendor sub-options: a scan is enough */
	for (size_t i = 0; i < set->n_vend; i++) {
		if (set->vend[i].vendor == vendor && set->vend[i].code == code) {
			return &set->vend[i];
		}
	}
	return NULL;
}

const cfg_option_t *cfg_optset_find(const cfg_optset_t *set, uint8_t code)
{
	size_t lo = 0, hi = set->n;

	/* sorted by code: binary search */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (set->v[mid].code == code) {
			return &set->v[mid];
		}
		if (set->v[mid].code < code) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

const cfg_subnet4_t *cfg_subnet_by_id(const cfg_t *cfg, uint32_t id)
{
	size_t lo = 0, hi = cfg->n_subnets;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t v = cfg->subnets[mid].id;
		if (v == id) {
			return &cfg->subnets[mid];
		}
		if (v < id) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

const cfg_pool_t *cfg_subnet_pool_of(const cfg_subnet4_t *s, uint32_t addr)
{
	/* Pools per subnet are few (Kea users have 1-4); a scan is cheapest. */
	for (size_t i = 0; i < s->n_pools; i++) {
		if (addr >= s->pools[i].first && addr <= s->pools[i].last) {
			return &s->pools[i];
		}
	}
	return NULL;
}

int cfg_class_find(const cfg_t *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_classes; i++) {
		if (strcmp(cfg->classes[i].name, name) == 0) {
			return (int)i;
		}
	}
	return CFG_CLASS_NONE;
}

static void optset_free(cfg_optset_t *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].data);
	}
	free(set->v);
	for (size_t i = 0; i < set->n_vend; i++) {
		free(set->vend[i].data);
	}
	free(set->vend);
}

void cfg_host_done(cfg_host_t *h)
{
	free(h->hostname);
	optset_free(&h->opts);
	free(h->classes.idx);
	free(h->server_hostname);
	free(h->boot_file_name);
	*h = (cfg_host_t){ 0 };
}

void cfg_free(cfg_t *cfg)
{
	if (cfg == NULL) {
		return;
	}
	subnet_index_free(cfg);
	cfg_ha_free(cfg->ha);
	host_index_free(cfg);
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		cfg_subnet4_t *s = &cfg->subnets[i];
		for (size_t j = 0; j < s->n_pools; j++) {
			free(s->pools[j].require.idx);
			optset_free(&s->pools[j].opts);
		}
		free(s->pools);
		optset_free(&s->opts);
		free(s->relay_addrs);
		free(s->interface);
		free(s->require.idx);
		free(s->server_hostname);
		free(s->boot_file_name);
	}
	free(cfg->subnets);
	for (size_t i = 0; i < cfg->n_sanitizers; i++) {
		sanitize_done(cfg->sanitizers[i]);
		free(cfg->sanitizers[i]);
	}
	free(cfg->sanitizers);
	free(cfg->hosts_dbs);
	cfg_hosts_db_done(cfg);
	for (size_t i = 0; i < cfg->n_networks; i++) {
		cfg_shared_network_t *n = &cfg->networks[i];
		free(n->name);
		free(n->subnets);
		optset_free(&n->opts);
		free(n->require.idx);
	}
	free(cfg->networks);
	optset_free(&cfg->opts);
	for (size_t i = 0; i < cfg->n_classes; i++) {
		cfg_class_t *c = &cfg->classes[i];
		free(c->name);
		class_expr_free(c->test);
		optset_free(&c->opts);
		free(c->server_hostname);
		free(c->boot_file_name);
	}
	free(cfg->classes);
	for (size_t i = 0; i < cfg->n_hosts; i++) {
		cfg_host_done(&cfg->hosts[i]);
	}
	free(cfg->hosts);
	free(cfg->server_tag);
	for (size_t i = 0; i < cfg->interfaces.n_names; i++) {
		free(cfg->interfaces.names[i]);
	}
	free(cfg->interfaces.names);
	for (size_t i = 0; i < cfg->n_loggers; i++) {
		cfg_logger_t *l = &cfg->loggers[i];
		free(l->name);
		for (size_t j = 0; j < l->n_outputs; j++) {
			free(l->outputs[j].output);
			free(l->outputs[j].pattern);
		}
		free(l->outputs);
	}
	free(cfg->loggers);
	free(cfg->control_socket.socket_type);
	free(cfg->control_socket.socket_name);
	json_decref(cfg->json);
	free(cfg);
}
