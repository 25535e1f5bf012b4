/* The lease6-* commands of Kea's lease_cmds hook, on a DHCPv4 server: Kea
 * lists them whenever the hook is loaded and answers them with its argument
 * checks, then with "no IPv6 subnet" / "0 IPv6 lease(s) found." since a
 * DHCPv4 server has no IPv6 subnets or leases. lessor gives the same answers
 * (texts of Kea 2.2), so that a client that walks list-commands sees Kea. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl-int.h"

/* Lease6Parser::parse() up to the subnet, which never exists here. */
static json_t *lease6_parse(json_t *args)
{
	char v6[INET6_ADDRSTRLEN];
	uint8_t duid[255];
	size_t n;
	uint32_t a4;
	json_int_t sid = 0;
	json_t *err;

	json_t *v = json_object_get(args, "ip-address");
	if (v == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "missing parameter 'ip-address'");
	}
	if (!json_is_string(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "invalid type specified for parameter 'ip-address'");
	}
	const char *as = json_string_value(v);
	int fam = ctl_addr_parse(as, &a4, v6);
	if (fam == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Failed to convert '%s' to address: Failed to convert string "
		                  "to address '%s': Invalid argument",
		                  as, as);
	}
	if (fam != 6) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Non-IPv6 address specified: %s", as);
	}
	v = json_object_get(args, "duid");
	if (v == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "missing parameter 'duid'");
	}
	if (!json_is_string(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "invalid type specified for parameter 'duid'");
	}
	err = ctl_duid_parse(json_string_value(v), duid, sizeof(duid), &n);
	if (err != NULL) {
		return err;
	}
	if (json_object_get(args, "subnet-id") != NULL &&
	    (err = ctl_arg_uint(args, "subnet-id", UINT32_MAX, &sid)) != NULL) {
		return err;
	}
	if (sid == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "subnet-id not specified and failed to find a subnet for "
		                  "address %s",
		                  v6);
	}
	return ctl_answer(CTL_RESULT_ERROR, NULL,
	                  "Invalid subnet-id: No IPv6 subnet with subnet-id=%lld currently "
	                  "configured.",
	                  (long long)sid);
}

static json_t *add_or_update6(json_t *args, const char *none)
{
	if (args == NULL || json_is_null(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", none);
	}
	if (!json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "get(string) called on a non-map Element in");
	}
	return lease6_parse(args);
}

json_t *ctl_cmd_lease6_add(ctl_t *ctl, json_t *args)
{
	(void)ctl;
	return add_or_update6(args, "no parameters specified for the command");
}

json_t *ctl_cmd_lease6_update(ctl_t *ctl, json_t *args)
{
	(void)ctl;
	return add_or_update6(args, "no parameters specified for lease6-update command");
}

json_t *ctl_cmd_lease6_bulk_apply(ctl_t *ctl, json_t *args)
{
	json_t *del, *add, *v, *failed = NULL;
	size_t i;

	(void)ctl;
	if (!json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Command arguments missing or a not a map.");
	}
	del = json_object_get(args, "deleted-leases");
	add = json_object_get(args, "leases");
	if (del == NULL && add == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "neither 'deleted-leases' nor 'leases' parameter specified");
	}
	if (del != NULL && !json_is_array(del)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "the 'deleted-leases' parameter must be a list");
	}
	if (add != NULL && !json_is_array(add)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "the 'leases' parameter must be a list");
	}
	/* every lease is parsed before any is applied, and with no IPv6 subnet
	 * the first one fails them all */
	if (json_array_size(add) > 0) {
		v = json_array_get(add, 0);
		return json_is_object(v) ? lease6_parse(v)
		                         : ctl_answer(CTL_RESULT_ERROR, NULL,
		                                      "get(string) called on a non-map Element in");
	}
	json_array_foreach(del, i, v)
	{
		json_t *ip = json_is_object(v) ? json_object_get(v, "ip-address") : NULL;
		json_t *type = json_is_object(v) ? json_object_get(v, "type") : NULL;
		json_t *one = json_pack("{s:s, s:O, s:i, s:s}", "error-message", "lease not found",
		                        "ip-address", ip != NULL ? ip : json_null(), "result",
		                        CTL_RESULT_EMPTY, "type",
		                        json_is_string(type) ? json_string_value(type) : "IA_NA");

		if (failed == NULL) {
			failed = json_array();
		}
		if (failed == NULL || one == NULL || json_array_append_new(failed, one) < 0) {
			json_decref(failed);
			return NULL;
		}
	}
	return ctl_answer(CTL_RESULT_EMPTY,
	                  failed != NULL ? json_pack("{s:o}", "failed-deleted-leases", failed) : NULL,
	                  "Bulk apply of 0 IPv6 leases completed.");
}

json_t *ctl_cmd_lease6_get(ctl_t *ctl, json_t *args)
{
	ctl_lease_key_t key;
	json_t *err = ctl_lease_key_parse(args, 6, "Query", &key);

	(void)ctl;
	return err != NULL ? err : ctl_answer(CTL_RESULT_EMPTY, NULL, "Lease not found.");
}

json_t *ctl_cmd_lease6_del(ctl_t *ctl, json_t *args)
{
	ctl_lease_key_t key;
	json_t *err = ctl_lease_key_parse(args, 6, "Delete", &key);

	(void)ctl;
	return err != NULL ? err : ctl_answer(CTL_RESULT_EMPTY, NULL, "IPv6 lease not found.");
}

static json_t *none_found(bool with_count)
{
	json_t *a = with_count ? json_pack("{s:[], s:i}", "leases", "count", 0)
	                       : json_pack("{s:[]}", "leases");

	return ctl_answer(CTL_RESULT_EMPTY, a, "0 IPv6 lease(s) found.");
}

json_t *ctl_cmd_lease6_get_all(ctl_t *ctl, json_t *args)
{
	uint32_t *ids;
	size_t n;
	json_t *err = ctl_subnets_arg(args, &ids, &n);

	(void)ctl;
	free(ids);
	return err != NULL ? err : none_found(false);
}

json_t *ctl_cmd_lease6_get_page(ctl_t *ctl, json_t *args)
{
	uint32_t after, limit;
	json_t *err = ctl_page_args(args, 6, &after, &limit);

	(void)ctl;
	return err != NULL ? err : none_found(true);
}

json_t *ctl_cmd_lease6_get_by_duid(ctl_t *ctl, json_t *args)
{
	uint8_t duid[255];
	size_t n;
	const char *s;
	json_t *err = ctl_get_by_arg(args, "duid", &s);

	(void)ctl;
	if (err == NULL) {
		err = ctl_duid_parse(s, duid, sizeof(duid), &n);
	}
	return err != NULL ? err : none_found(false);
}

json_t *ctl_cmd_lease6_get_by_hostname(ctl_t *ctl, json_t *args)
{
	const char *s;
	json_t *err = ctl_get_by_arg(args, "hostname", &s);

	(void)ctl;
	return err != NULL ? err : none_found(false);
}

json_t *ctl_cmd_lease6_resend_ddns(ctl_t *ctl, json_t *args)
{
	(void)ctl;
	return ctl_resend_ddns(args, 6);
}

json_t *ctl_cmd_lease6_wipe(ctl_t *ctl, json_t *args)
{
	json_int_t sid = 0;
	json_t *err;

	(void)ctl;
	if (args != NULL && !json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "contains(string) called on a non-map Element in");
	}
	if (args != NULL && json_object_get(args, "subnet-id") != NULL &&
	    (err = ctl_arg_uint(args, "subnet-id", UINT32_MAX, &sid)) != NULL) {
		return err;
	}
	if (sid > 0) {
		return ctl_answer(CTL_RESULT_EMPTY, NULL,
		                  "Deleted 0 IPv6 lease(s) from subnet(s) %lld", (long long)sid);
	}
	return ctl_answer(CTL_RESULT_EMPTY, NULL, "Deleted 0 IPv6 lease(s) from subnet(s)");
}
