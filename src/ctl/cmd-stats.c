/* statistic-* (Kea's StatsMgr commands), stat-lease4-get (stat_cmds hook),
 * and the sampler that feeds the history from the stats shards, the lease
 * store and the configuration. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl-int.h"

DEFINE_FREEP(const cfg_t, cfg_release)

/* Kea 2.2 per-subnet statistics (CfgSubnets4::updateStatistics + recount). */
static const char *const subnet_counters[] = {
        "cumulative-assigned-addresses",
        "reclaimed-declined-addresses",
        "reclaimed-leases",
        "v4-reservation-conflicts",
};

/* Kea 2.2 creates these per-subnet counters on first increment (ChangeLog
 * 1993): shown once non-zero. */
static const char *const subnet_counters_lazy[] = {
        "v4-allocation-fail",
        "v4-allocation-fail-classes",
        "v4-allocation-fail-no-pools",
        "v4-allocation-fail-shared-network",
        "v4-allocation-fail-subnet",
};

static uint64_t subnet_total(const cfg_subnet4_t *s)
{
	uint64_t t = 0;

	for (size_t i = 0; i < s->n_pools; i++) {
		t += (uint64_t)s->pools[i].last - s->pools[i].first + 1;
	}
	return t;
}

static void observe(ctl_t *ctl, const char *name, uint64_t v, const struct timespec *now,
                    uint64_t gen)
{
	(void)stat_history_observe(ctl->hist, name, (int64_t)v, now, gen);
}

void ctl_sample_locked(ctl_t *ctl)
{
	_cleanup_(cfg_releasep) const cfg_t *cfg = cfg_acquire();
	_cleanup_free_ lease_count_t *counts = NULL;
	struct timespec now;
	uint64_t gen = stat_history_round(ctl->hist);
	uint64_t declined = 0;
	int n_counts = 0;
	char name[96];

	clock_gettime(CLOCK_REALTIME, &now);
	for (int id = 0; id < _STAT_MAX; id++) {
		/* Kea 2.2 has no v4-lease-reuses; declined-addresses is a gauge
		 * read from the lease store below. */
		if (id == STAT_V4_LEASE_REUSES || id == STAT_DECLINED_ADDRESSES) {
			continue;
		}
		uint64_t v = ctl->env.stats != NULL ? stats_sum(ctl->env.stats, id) : 0;
		/* lessor's own counters exist only once they counted something
		 * (a polled source, a lost allocation race): a plain memfile
		 * server lists exactly Kea's */
		if (v == 0 && stats_is_own(id)) {
			continue;
		}
		observe(ctl, stats_name(id), v, &now, gen);
	}

	if (ctl->env.store != NULL) {
		_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;

		if (lease_conn_open(ctl->env.store, &c) == 0) {
			n_counts = c->store->ops->count(c, &counts);
			if (n_counts < 0) {
				n_counts = 0;
				counts = NULL;
			}
		}
	}
	for (int i = 0; i < n_counts; i++) {
		declined += counts[i].declined;
	}
	observe(ctl, "declined-addresses", declined, &now, gen);

	for (size_t i = 0; cfg != NULL && i < cfg->n_subnets; i++) {
		const cfg_subnet4_t *s = &cfg->subnets[i];
		uint64_t assigned = 0, decl = 0;

		for (int k = 0; k < n_counts; k++) {
			if (counts[k].subnet_id == s->id) {
				/* LeaseMgr::recountLeaseStats4: "Declined leases
				 * also count as assigned." */
				assigned = counts[k].assigned + counts[k].declined;
				decl = counts[k].declined;
			}
		}
		snprintf(name, sizeof(name), "subnet[%u].total-addresses", s->id);
		observe(ctl, name, subnet_total(s), &now, gen);
		snprintf(name, sizeof(name), "subnet[%u].assigned-addresses", s->id);
		observe(ctl, name, assigned, &now, gen);
		snprintf(name, sizeof(name), "subnet[%u].declined-addresses", s->id);
		observe(ctl, name, decl, &now, gen);
		for (size_t k = 0; k < ARRAY_SIZE(subnet_counters); k++) {
			uint64_t v = 0;

			if (ctl->env.subnet_counter == NULL ||
			    ctl->env.subnet_counter(ctl->env.ud, s->id, subnet_counters[k], &v) <
			            0) {
				v = 0;
			}
			snprintf(name, sizeof(name), "subnet[%u].%s", s->id, subnet_counters[k]);
			observe(ctl, name, v, &now, gen);
		}
		for (size_t k = 0; k < ARRAY_SIZE(subnet_counters_lazy); k++) {
			uint64_t v = 0;

			if (ctl->env.subnet_counter == NULL ||
			    ctl->env.subnet_counter(ctl->env.ud, s->id, subnet_counters_lazy[k],
			                            &v) < 0 ||
			    v == 0) {
				continue;
			}
			snprintf(name, sizeof(name), "subnet[%u].%s", s->id, subnet_counters_lazy[k]);
			observe(ctl, name, v, &now, gen);
		}
	}
	stat_history_sweep(ctl->hist, gen);
}

void ctl_sample(ctl_t *ctl)
{
	pthread_mutex_lock(&ctl->lock);
	ctl_sample_locked(ctl);
	pthread_mutex_unlock(&ctl->lock);
}

json_t *ctl_stats_all(ctl_t *ctl)
{
	pthread_mutex_lock(&ctl->lock);
	ctl_sample_locked(ctl);
	json_t *all = stat_history_json(ctl->hist, NULL);
	pthread_mutex_unlock(&ctl->lock);
	return all;
}

/* ---- statistic-* ---- */

/* The mandatory string "name"; NULL + *ret_name, or an error answer. */
static json_t *arg_name(json_t *args, const char **ret_name)
{
	json_t *v = json_is_object(args) ? json_object_get(args, "name") : NULL;

	if (v == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Missing mandatory 'name' parameter.");
	}
	if (!json_is_string(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'name' parameter expected to be a string.");
	}
	*ret_name = json_string_value(v);
	return NULL;
}

/* A mandatory non-negative integer @key. */
static json_t *arg_uint(json_t *args, const char *key, uint32_t *ret)
{
	json_t *v = json_is_object(args) ? json_object_get(args, key) : NULL;

	if (v == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Missing mandatory '%s' parameter.", key);
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > UINT32_MAX) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'%s' parameter expected to be an integer.", key);
	}
	*ret = (uint32_t)json_integer_value(v);
	return NULL;
}

/* "duration": Kea 2.2 reads it with intValue() and reports a wrong type so. */
static json_t *arg_duration(json_t *args, uint32_t *ret)
{
	json_t *v = json_is_object(args) ? json_object_get(args, "duration") : NULL;

	if (v != NULL && !json_is_integer(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Error during command processing: intValue() "
		                  "called on non-integer Element in");
	}
	return arg_uint(args, "duration", ret);
}

json_t *ctl_cmd_statistic_get(ctl_t *ctl, json_t *args)
{
	const char *name = NULL; /* set by the argument parser; -O3 cannot see that */
	json_t *err = arg_name(args, &name);

	if (err != NULL) {
		return err;
	}
	ctl_sample_locked(ctl);
	return ctl_answer(CTL_RESULT_SUCCESS, stat_history_json(ctl->hist, name), NULL);
}

json_t *ctl_cmd_statistic_get_all(ctl_t *ctl, json_t *args)
{
	(void)args;
	ctl_sample_locked(ctl);
	return ctl_answer(CTL_RESULT_SUCCESS, stat_history_json(ctl->hist, NULL), NULL);
}

json_t *ctl_cmd_statistic_reset(ctl_t *ctl, json_t *args)
{
	struct timespec now;
	const char *name = NULL; /* set by the argument parser; -O3 cannot see that */
	json_t *err = arg_name(args, &name);

	if (err != NULL) {
		return err;
	}
	ctl_sample_locked(ctl);
	clock_gettime(CLOCK_REALTIME, &now);
	if (stat_history_reset(ctl->hist, name, &now) < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "No '%s' statistic found", name);
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "Statistic '%s' reset.", name);
}

json_t *ctl_cmd_statistic_reset_all(ctl_t *ctl, json_t *args)
{
	struct timespec now;

	(void)args;
	ctl_sample_locked(ctl);
	clock_gettime(CLOCK_REALTIME, &now);
	stat_history_reset_all(ctl->hist, &now);
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "All statistics reset to neutral values.");
}

json_t *ctl_cmd_statistic_remove(ctl_t *ctl, json_t *args)
{
	const char *name = NULL; /* set by the argument parser; -O3 cannot see that */
	json_t *err = arg_name(args, &name);

	if (err != NULL) {
		return err;
	}
	ctl_sample_locked(ctl);
	if (stat_history_remove(ctl->hist, name) < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "No '%s' statistic found", name);
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "Statistic '%s' removed.", name);
}

json_t *ctl_cmd_statistic_remove_all(ctl_t *ctl, json_t *args)
{
	(void)args;
	ctl_sample_locked(ctl);
	stat_history_remove_all(ctl->hist);
	return ctl_answer(CTL_RESULT_SUCCESS, NULL,
	                  "Warning: statistic-remove-all command is "
	                  "deprecated. All statistics removed.");
}

json_t *ctl_cmd_statistic_sample_age_set(ctl_t *ctl, json_t *args)
{
	const char *name = NULL; /* set by the argument parser; -O3 cannot see that */
	uint32_t d;
	json_t *err = arg_name(args, &name);

	if (err == NULL) {
		err = arg_duration(args, &d);
	}
	if (err != NULL) {
		return err;
	}
	if (stat_history_set_max_age(ctl->hist, name, d) < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "No '%s' statistic found", name);
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "Statistic '%s' duration limit is set.", name);
}

json_t *ctl_cmd_statistic_sample_age_set_all(ctl_t *ctl, json_t *args)
{
	uint32_t d = 0;
	json_t *err = arg_duration(args, &d);

	if (err != NULL) {
		return err;
	}
	stat_history_set_max_age_all(ctl->hist, d);
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "All statistics duration limit are set.");
}

json_t *ctl_cmd_statistic_sample_count_set(ctl_t *ctl, json_t *args)
{
	const char *name = NULL; /* set by the argument parser; -O3 cannot see that */
	uint32_t n;
	json_t *err = arg_name(args, &name);

	if (err == NULL) {
		err = arg_uint(args, "max-samples", &n);
	}
	if (err != NULL) {
		return err;
	}
	if (n == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'max-samples' parameter must not be zero");
	}
	if (stat_history_set_max_count(ctl->hist, name, n) < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "No '%s' statistic found", name);
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "Statistic '%s' count limit is set.", name);
}

json_t *ctl_cmd_statistic_sample_count_set_all(ctl_t *ctl, json_t *args)
{
	uint32_t n = 0;
	json_t *err = arg_uint(args, "max-samples", &n);

	if (err != NULL) {
		return err;
	}
	if (n == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'max-samples' parameter must not be zero");
	}
	stat_history_set_max_count_all(ctl->hist, n);
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "All statistics count limit are set.");
}

/* ---- stat-lease4-get ---- */

static int64_t hist_value(ctl_t *ctl, uint32_t id, const char *what)
{
	char name[96];
	int64_t v = 0;

	snprintf(name, sizeof(name), "subnet[%u].%s", id, what);
	if (stat_history_value(ctl->hist, name, &v) < 0) {
		return 0;
	}
	return v;
}

static json_t *sid_arg(json_t *v, const char *key, uint32_t *ret)
{
	if (!json_is_integer(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'%s' parameter is not integer", key);
	}
	if (json_integer_value(v) <= 0 || json_integer_value(v) > UINT32_MAX) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'%s' parameter must be > 0", key);
	}
	*ret = (uint32_t)json_integer_value(v);
	return NULL;
}

/* What stat-lease4-get / stat-lease6-get select: subnets first..last. */
typedef struct stat_sel {
	uint32_t first, last;
	bool single; /* "subnet-id" */
	bool range;  /* "subnet-range" */
	char label[96];
} stat_sel_t;

/* The stat_cmds hook's argument checks (same texts for v4 and v6). */
static json_t *stat_sel_parse(json_t *args, stat_sel_t *sel)
{
	json_t *err;

	*sel = (stat_sel_t){.first = 0, .last = UINT32_MAX, .label = "all subnets"};
	if (args != NULL && !json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'arguments' parameter is not a map");
	}
	json_t *sid = json_is_object(args) ? json_object_get(args, "subnet-id") : NULL;
	json_t *range = json_is_object(args) ? json_object_get(args, "subnet-range") : NULL;
	if (sid != NULL && range != NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "cannot specify both subnet-id and subnet-range");
	}
	if (sid != NULL) {
		err = sid_arg(sid, "subnet-id", &sel->first);
		if (err != NULL) {
			return err;
		}
		sel->last = sel->first;
		sel->single = true;
		snprintf(sel->label, sizeof(sel->label), "subnet-id=%u", sel->first);
	} else if (range != NULL) {
		if (!json_is_object(range)) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "subnet-range parameter is not a map");
		}
		json_t *f = json_object_get(range, "first-subnet-id");
		json_t *l = json_object_get(range, "last-subnet-id");
		if (!json_is_integer(f)) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "'first-subnet-id' parameter missing or not an integer");
		}
		if (!json_is_integer(l)) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "'last-subnet-id' parameter missing or not an integer");
		}
		err = sid_arg(f, "first-subnet-id", &sel->first);
		if (err == NULL) {
			err = sid_arg(l, "last-subnet-id", &sel->last);
		}
		if (err != NULL) {
			return err;
		}
		if (sel->last <= sel->first) {
			return ctl_answer(
			        CTL_RESULT_ERROR, NULL,
			        "'last-subnet-id' must be greater than 'first-subnet-id'");
		}
		sel->range = true;
		snprintf(sel->label, sizeof(sel->label), "subnets %u through %u", sel->first,
		         sel->last);
	}
	return NULL;
}

/* A DHCPv4 server has no IPv6 subnets: every selection is empty, in the
 * words of Kea's stat_cmds (its "all subnets" range is 0 through 0 then). */
json_t *ctl_cmd_stat_lease6_get(ctl_t *ctl, json_t *args)
{
	stat_sel_t sel;
	json_t *err = stat_sel_parse(args, &sel);

	(void)ctl;
	if (err != NULL) {
		return err;
	}
	if (sel.single) {
		return ctl_answer(CTL_RESULT_EMPTY, json_object(),
		                  "stat-lease6-get[%s]: no matching data, "
		                  "subnet-id: %u does not exist",
		                  sel.label, sel.first);
	}
	return ctl_answer(CTL_RESULT_EMPTY, json_object(),
	                  "stat-lease6-get[%s]: no matching data, selected ID range: %u through "
	                  "%u includes no known subnets",
	                  sel.label, sel.range ? sel.first : 0, sel.range ? sel.last : 0);
}

json_t *ctl_cmd_stat_lease4_get(ctl_t *ctl, json_t *args)
{
	_cleanup_(cfg_releasep) const cfg_t *cfg = NULL;
	stat_sel_t sel;
	json_t *err = stat_sel_parse(args, &sel);

	if (err != NULL) {
		return err;
	}
	uint32_t first = sel.first, last = sel.last;
	bool single = sel.single;
	const char *label = sel.label;

	ctl_sample_locked(ctl);
	cfg = cfg_acquire();
	if (single && (cfg == NULL || cfg_subnet_by_id(cfg, first) == NULL)) {
		return ctl_answer(CTL_RESULT_EMPTY, json_object(),
		                  "stat-lease4-get[%s]: no matching data, "
		                  "subnet-id: %u does not exist",
		                  label, first);
	}
	json_t *rows = json_array();
	if (rows == NULL) {
		return NULL;
	}
	size_t n = 0;
	for (size_t i = 0; cfg != NULL && i < cfg->n_subnets; i++) {
		uint32_t id = cfg->subnets[i].id;

		if (id < first || id > last) {
			continue;
		}
		json_t *row =
		        json_pack("[I,I,I,I,I]", (json_int_t)id,
		                  (json_int_t)hist_value(ctl, id, "total-addresses"),
		                  (json_int_t)hist_value(ctl, id, "cumulative-assigned-addresses"),
		                  (json_int_t)hist_value(ctl, id, "assigned-addresses"),
		                  (json_int_t)hist_value(ctl, id, "declined-addresses"));
		if (row == NULL || json_array_append_new(rows, row) < 0) {
			json_decref(rows);
			return NULL;
		}
		n++;
	}
	if (n == 0) {
		json_decref(rows);
		if (sel.range) {
			return ctl_answer(
			        CTL_RESULT_EMPTY, json_object(),
			        "stat-lease4-get[%s]: no matching "
			        "data, selected ID range: %u through %u includes no known subnets",
			        label, first, last);
		}
		return ctl_answer(CTL_RESULT_EMPTY, json_object(),
		                  "stat-lease4-get[%s]: no matching data", label);
	}
	struct timespec now;
	char ts[40];
	clock_gettime(CLOCK_REALTIME, &now);
	json_t *a = json_pack("{s:{s:[sssss], s:o, s:s}}", "result-set", "columns", "subnet-id",
	                      "total-addresses", "cumulative-assigned-addresses",
	                      "assigned-addresses", "declined-addresses", "rows", rows, "timestamp",
	                      stat_history_fmt_time(&now, ts, sizeof(ts)));
	return ctl_answer(CTL_RESULT_SUCCESS, a, "stat-lease4-get[%s]: %zu rows found", label, n);
}
