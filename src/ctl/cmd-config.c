/* config-get, config-hash-get, config-test, config-set, config-reload,
 * config-write. A new configuration is built and validated on the ctl thread
 * (never on a packet worker) and swapped in by the daemon's reload callback;
 * a failure leaves the running configuration in place. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "cfg/cfg-dump.h"
#include "ctl/ctl-int.h"

/* The running configuration as config-get shows it (Kea's defaults in). */
static json_t *running_root(void)
{
	const cfg_t *cfg = cfg_acquire();
	json_t *root = cfg_dump(cfg);

	cfg_release(cfg);
	return root;
}

/* The running configuration as it was given (what config-hash-get hashes). */
static json_t *given_root(void)
{
	const cfg_t *cfg = cfg_acquire();
	json_t *root = NULL;

	if (cfg != NULL && cfg->json != NULL) {
		/* a private copy: the answer outlives our reference */
		root = json_pack("{s:o}", "Dhcp4", json_deep_copy(cfg->json));
	}
	cfg_release(cfg);
	return root;
}

json_t *ctl_cmd_config_get(ctl_t *ctl, json_t *args)
{
	json_t *root = running_root();

	(void)ctl;
	(void)args;
	if (root == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "No configuration is loaded.");
	}
	return ctl_answer(CTL_RESULT_SUCCESS, root, NULL);
}

json_t *ctl_cmd_config_hash_get(ctl_t *ctl, json_t *args)
{
	_cleanup_(json_decrefp) json_t *root = given_root();
	_cleanup_free_ char *text = NULL;
	char hex[65];

	(void)ctl;
	(void)args;
	if (root == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "No configuration is loaded.");
	}
	text = json_dumps(root, JSON_SORT_KEYS | JSON_COMPACT);
	if (text == NULL) {
		return NULL;
	}
	ctl_sha256_hex(text, strlen(text), hex);
	return ctl_answer(CTL_RESULT_SUCCESS, json_pack("{s:s}", "hash", hex), NULL);
}

/* The checks Kea's config-test and config-set share: a map holding a map
 * "Dhcp4" (and optionally "loggers"-era siblings Kea ignores: none in 2.2). */
static json_t *check_args(json_t *args)
{
	const char *key;
	json_t *v;

	if (args == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Missing mandatory 'arguments' parameter.");
	}
	if (!json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'arguments' parameter expected to be a map.");
	}
	json_t *d4 = json_object_get(args, "Dhcp4");
	if (d4 == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Missing mandatory 'Dhcp4' parameter.");
	}
	if (!json_is_object(d4)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'Dhcp4' parameter expected to be a map.");
	}
	json_object_foreach(args, key, v)
	{
		if (strcmp(key, "Dhcp4") != 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL, "Unsupported '%s' parameter.",
			                  key);
		}
	}
	return NULL;
}

json_t *ctl_cmd_config_test(ctl_t *ctl, json_t *args)
{
	_cleanup_(cfg_freep) cfg_t *cfg = NULL;
	cfg_err_t err;
	char buf[1200];
	json_t *bad = check_args(args);

	(void)ctl;
	if (bad != NULL) {
		return bad;
	}
	memset(&err, 0, sizeof(err));
	int r = cfg_load_json(args, &cfg, &err);
	if (r == -ENOMEM) {
		return NULL;
	}
	if (r < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s",
		                  cfg_err_format(&err, buf, sizeof(buf)));
	}
	return ctl_answer(CTL_RESULT_SUCCESS, NULL,
	                  "Configuration seems sane. Control-socket, hook-libraries, and D2 "
	                  "configuration were sanity checked, but not applied.");
}

static json_t *do_reload(ctl_t *ctl, json_t *root, const char *fail_prefix)
{
	_cleanup_free_ char *err = NULL;

	if (ctl->env.reload == NULL) {
		return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL, "'%s' command not supported.",
		                  root != NULL ? "config-set" : "config-reload");
	}
	int r = ctl->env.reload(ctl->env.ud, root, &err);
	if (r < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s%s", fail_prefix,
		                  err != NULL ? err : strerror(-r));
	}
	clock_gettime(CLOCK_MONOTONIC, &ctl->reloaded);
	/* Statistics follow the new subnet list at once. */
	ctl_sample_locked(ctl);
	return ctl_answer(CTL_RESULT_SUCCESS, NULL, "Configuration successful.");
}

/* The control socket a config-set moves to is opened by the ctl thread once
 * the configuration is in force; a path it cannot bind there must fail the
 * command (result 1) rather than be answered "successful". Kea 2.2 creates
 * "<socket>.lock" first and fails with this text; lessor tries the same file
 * before anything changes, so the running configuration and the old socket
 * stay. NULL when the path is usable or unchanged. */
static json_t *check_new_socket(const ctl_t *ctl, json_t *args)
{
	json_t *name = json_object_get(json_object_get(json_object_get(args, "Dhcp4"),
	                                               "control-socket"), "socket-name");
	const char *want = json_string_value(name);

	if (want == NULL || !ctl->lcfg.unix_follows_cfg) {
		return NULL;
	}
	const cfg_t *cfg = cfg_acquire();
	bool same = cfg != NULL && cfg->control_socket.socket_name != NULL &&
	            strcmp(cfg->control_socket.socket_name, want) == 0;
	cfg_release(cfg);
	if (same) {
		return NULL;
	}
	_cleanup_free_ char *lock = NULL;
	if (asprintf(&lock, "%s.lock", want) < 0) {
		return NULL;
	}
	int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		(void)unlink(lock);
	} else if (errno != EEXIST) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "cannot create socket lockfile, %s, : %s",
		                  lock, strerror(errno));
	}
	return NULL;
}

json_t *ctl_cmd_config_set(ctl_t *ctl, json_t *args)
{
	json_t *bad = check_args(args);

	if (bad == NULL) {
		bad = check_new_socket(ctl, args);
	}
	if (bad != NULL) {
		return bad;
	}
	return do_reload(ctl, args, "");
}

json_t *ctl_cmd_config_reload(ctl_t *ctl, json_t *args)
{
	(void)args;
	return do_reload(ctl, NULL, "Config reload failed: ");
}

/* The absolute path @name resolves to, allowed only inside the directory of
 * @config_path. 0, -EPERM, -ENOENT or -ENOMEM. */
static int confine_path(const char *config_path, const char *name, char **ret)
{
	_cleanup_free_ char *cdir = NULL, *full = NULL, *fdir = NULL, *rcdir = NULL, *rfdir = NULL;

	if (config_path == NULL || config_path[0] == '\0') {
		return -EPERM;
	}
	cdir = strdup(config_path);
	if (cdir == NULL) {
		return -ENOMEM;
	}
	char *slash = strrchr(cdir, '/');
	if (slash == NULL) {
		strcpy(cdir, ".");
	} else {
		slash[slash == cdir ? 1 : 0] = '\0';
	}
	if (name[0] == '/') {
		full = strdup(name);
	} else if (asprintf(&full, "%s/%s", cdir, name) < 0) {
		full = NULL;
	}
	if (full == NULL) {
		return -ENOMEM;
	}
	const char *base = strrchr(full, '/') + 1;
	if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		return -EPERM;
	}
	fdir = strndup(full, (size_t)(base - full));
	if (fdir == NULL) {
		return -ENOMEM;
	}
	rcdir = realpath(cdir, NULL);
	rfdir = realpath(fdir, NULL);
	if (rcdir == NULL || rfdir == NULL) {
		return -ENOENT;
	}
	if (strcmp(rcdir, rfdir) != 0) {
		return -EPERM;
	}
	if (asprintf(ret, "%s/%s", rfdir, base) < 0) {
		return -ENOMEM;
	}
	return 0;
}

json_t *ctl_cmd_config_write(ctl_t *ctl, json_t *args)
{
	_cleanup_(json_decrefp) json_t *root = NULL;
	_cleanup_free_ char *text = NULL;
	const char *path = ctl->env.config_path;

	if (args != NULL && !json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Argument must be a map");
	}
	if (args != NULL) {
		json_t *f = json_object_get(args, "filename");

		if (f != NULL) {
			if (!json_is_string(f)) {
				return ctl_answer(CTL_RESULT_ERROR, NULL,
				                  "passed parameter 'filename' is not a string");
			}
			path = json_string_value(f);
		}
	}
	if (path == NULL || path[0] == '\0') {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Unable to determine filename.");
	}
	/* Hardening (Kea 2.6.3+, CVE-2025-32801): write only next to the
	 * configuration file; a relative name is relative to its directory. */
	_cleanup_free_ char *target = NULL;
	int rr = confine_path(ctl->env.config_path, path, &target);
	if (rr == -ENOMEM) {
		return NULL;
	}
	if (rr == -ENOENT) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Error during write-config:Unable to open file %s for writing", path);
	}
	if (rr < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "not allowed to write config into %s: path "
		                  "must be in the directory of the configuration file",
		                  path);
	}
	/* the answer names the file as it was asked for, as Kea's does */
	root = running_root();
	if (root == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "No configuration is loaded.");
	}
	text = ctl_kea_pretty(root); /* byte for byte Kea's file format */
	if (text == NULL) {
		return NULL;
	}
	size_t len = strlen(text);
	FILE *f = fopen(target, "we");
	if (f == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Error during write-config:Unable to open file %s for writing", path);
	}
	bool ok = fwrite(text, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Error during write-config:Unable to write to file %s", path);
	}
	return ctl_answer(CTL_RESULT_SUCCESS,
	                  json_pack("{s:s, s:I}", "filename", path, "size", (json_int_t)len),
	                  "Configuration written to %s successful", path);
}
