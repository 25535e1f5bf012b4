/* ctl listen configuration: the control-socket and Control Agent sections
 * (Kea syntax) parsed into ctl_listen_cfg_t, secrets read from files, deep copy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl-int.h"
#include "util/log.h"

static int set_str(char **dst, const json_t *v)
{
	if (!json_is_string(v)) {
		return -EINVAL;
	}
	char *s = strdup(json_string_value(v));
	if (s == NULL) {
		return -ENOMEM;
	}
	free(*dst);
	*dst = s;
	return 0;
}

static int fail(char **reterr, const char *fmt, const char *arg)
{
	if (reterr != NULL && asprintf(reterr, fmt, arg) < 0) {
		*reterr = NULL;
	}
	return -EINVAL;
}

/* Read a one-line secret file (Kea's user-file/password-file). */
static int read_secret(const char *dir, const char *file, char **ret)
{
	_cleanup_free_ char *path = NULL;
	char buf[512];

	if (asprintf(&path, "%s%s%s", file[0] == '/' || dir == NULL ? "" : dir,
	             file[0] == '/' || dir == NULL ? "" : "/", file) < 0) {
		return -ENOMEM;
	}
	FILE *f = fopen(path, "re");
	if (f == NULL) {
		return -errno;
	}
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	*ret = strdup(buf);
	return *ret == NULL ? -ENOMEM : 0;
}

static int parse_auth(const json_t *auth, ctl_listen_cfg_t *c, char **reterr)
{
	json_t *t = json_object_get(auth, "type");
	const char *dir = json_string_value(json_object_get(auth, "directory"));
	json_t *clients = json_object_get(auth, "clients");
	size_t i;
	json_t *cl;
	int r;

	if (!json_is_string(t) || strcmp(json_string_value(t), "basic") != 0) {
		return fail(reterr, "Control-agent.authentication.type: %s",
		            "only 'basic' is supported");
	}
	r = set_str(&c->auth_realm, json_object_get(auth, "realm"));
	if (r == -EINVAL) {
		c->auth_realm = strdup("kea-control-agent"); /* Kea's default realm */
		r = c->auth_realm == NULL ? -ENOMEM : 0;
	}
	if (r < 0) {
		return r;
	}
	if (clients != NULL && !json_is_array(clients)) {
		return fail(reterr, "Control-agent.authentication.clients: %s", "must be a list");
	}
	c->auth_clients = calloc(json_array_size(clients) + 1, sizeof(*c->auth_clients));
	if (c->auth_clients == NULL) {
		return -ENOMEM;
	}
	json_array_foreach(clients, i, cl)
	{
		ctl_auth_client_t *a = &c->auth_clients[c->n_auth_clients++];
		json_t *u = json_object_get(cl, "user");
		json_t *uf = json_object_get(cl, "user-file");
		json_t *p = json_object_get(cl, "password");
		json_t *pf = json_object_get(cl, "password-file");

		r = u != NULL ? set_str(&a->user, u)
		    : uf != NULL && json_is_string(uf)
		            ? read_secret(dir, json_string_value(uf), &a->user)
		            : -EINVAL;
		if (r < 0) {
			return fail(reterr, "Control-agent.authentication.clients: %s",
			            "each client needs a readable user or user-file");
		}
		r = p != NULL ? set_str(&a->password, p)
		    : pf != NULL && json_is_string(pf)
		            ? read_secret(dir, json_string_value(pf), &a->password)
		            : -EINVAL;
		if (r < 0) {
			return fail(reterr, "Control-agent.authentication.clients: %s",
			            "each client needs a readable password or password-file");
		}
		/* Kea: a password-file alone holds "user:password". */
		if (a->user == NULL && pf != NULL) {
			char *colon = strchr(a->password, ':');
			if (colon == NULL) {
				return fail(reterr, "Control-agent.authentication.clients: %s",
				            "password-file without user must hold user:password");
			}
			*colon = '\0';
			a->user = a->password;
			a->password = strdup(colon + 1);
			if (a->password == NULL) {
				return -ENOMEM;
			}
		}
		if (strchr(a->user, ':') != NULL) {
			return fail(reterr,
			            "Control-agent.authentication.clients: user '%s' contains ':'",
			            a->user);
		}
	}
	return 0;
}

static int parse_agent(const json_t *ca, ctl_listen_cfg_t *c, char **reterr)
{
	json_t *v;
	int r;

	if (!json_is_object(ca)) {
		return fail(reterr, "%s: must be a map", "Control-agent");
	}
	v = json_object_get(ca, "http-host");
	if (v != NULL) {
		r = set_str(&c->http_host, v);
	} else {
		free(c->http_host);
		c->http_host = strdup("127.0.0.1"); /* Kea CA's default */
		r = c->http_host == NULL ? -ENOMEM : 0;
	}
	if (r < 0) {
		return r == -ENOMEM
		               ? r
		               : fail(reterr, "Control-agent.http-host: %s", "must be a string");
	}
	c->http_port = CTL_HTTP_PORT_DEFAULT;
	v = json_object_get(ca, "http-port");
	if (v != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0 ||
		    json_integer_value(v) > 65535) {
			return fail(reterr, "Control-agent.http-port: %s", "must be 1..65535");
		}
		c->http_port = (uint16_t)json_integer_value(v);
	}
	v = json_object_get(ca, "max-body-size"); /* lessor extension */
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		c->max_body = (size_t)json_integer_value(v);
	}
	const char *const keys[] = {"trust-anchor", "cert-file", "key-file"};
	char **dsts[] = {&c->tls_ca, &c->tls_cert, &c->tls_key};
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		v = json_object_get(ca, keys[i]);
		if (v != NULL && set_str(dsts[i], v) < 0) {
			return fail(reterr, "Control-agent.%s: must be a string", keys[i]);
		}
	}
	/* Kea: all three or none. */
	if ((c->tls_ca != NULL || c->tls_cert != NULL || c->tls_key != NULL) &&
	    (c->tls_ca == NULL || c->tls_cert == NULL || c->tls_key == NULL)) {
		return fail(reterr, "Control-agent: %s",
		            "trust-anchor, cert-file and key-file must "
		            "all be given for TLS");
	}
	v = json_object_get(ca, "cert-required");
	c->tls_cert_required = c->tls_ca != NULL && (v == NULL || json_is_true(v));
	v = json_object_get(ca, "authentication");
	if (v != NULL) {
		r = parse_auth(v, c, reterr);
		if (r < 0) {
			return r;
		}
	}
	v = json_object_get(json_object_get(json_object_get(ca, "control-sockets"), "dhcp4"),
	                    "socket-name");
	if (v != NULL && c->unix_path == NULL) {
		if (set_str(&c->unix_path, v) < 0) {
			return -ENOMEM;
		}
		/* the agent file's socket is not Dhcp4.control-socket's: a
		 * reconfiguration without one must not close it */
		c->unix_follows_cfg = false;
	}
	json_decref(c->agent_json);
	c->agent_json = json_pack("{s:O}", "Control-agent", ca);
	return c->agent_json == NULL ? -ENOMEM : 0;
}

int ctl_listen_cfg_parse(const json_t *root, ctl_listen_cfg_t *ret, char **reterr)
{
	json_t *d4 = json_object_get(root, "Dhcp4");
	json_t *ca = json_object_get(root, "Control-agent");
	int r;

	assert_return(root != NULL && ret != NULL, -EINVAL);
	if (d4 != NULL) {
		json_t *cs = json_object_get(d4, "control-socket");
		json_t *name = json_object_get(cs, "socket-name");

		if (cs != NULL && name != NULL) {
			r = set_str(&ret->unix_path, name);
			ret->unix_follows_cfg = r == 0;
			if (r < 0) {
				return r == -ENOMEM ? r
				                    : fail(reterr,
				                           "Dhcp4.control-socket.socket-name: %s",
				                           "must be a string");
			}
		}
	}
	if (ca != NULL) {
		r = parse_agent(ca, ret, reterr);
		if (r < 0) {
			return r;
		}
	}
	/* Started without a control socket: a reconfiguration that adds
	 * Dhcp4.control-socket opens it (Kea does) */
	if (ret->unix_path == NULL) {
		ret->unix_follows_cfg = true;
	}
	return 0;
}

int ctl_listen_cfg_load_file(const char *path, ctl_listen_cfg_t *ret, char **reterr)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	json_error_t jerr;
	FILE *f, *m;
	char chunk[4096];
	size_t n;

	assert_return(path != NULL && ret != NULL, -EINVAL);
	f = fopen(path, "re");
	if (f == NULL) {
		int r = -errno;

		if (reterr != NULL && asprintf(reterr, "%s: %s", path, strerror(-r)) < 0) {
			*reterr = NULL;
		}
		return r;
	}
	m = open_memstream(&text, &len);
	if (m == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		fwrite(chunk, 1, n, m);
	}
	fclose(f);
	if (fclose(m) != 0) {
		return -ENOMEM;
	}
	ctl_strip_comments(text, len);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (reterr != NULL &&
		    asprintf(reterr, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text) < 0) {
			*reterr = NULL;
		}
		return -EINVAL;
	}
	int r = ctl_listen_cfg_parse(root, ret, reterr);
	json_decref(root);
	return r;
}

void ctl_listen_cfg_done(ctl_listen_cfg_t *c)
{
	if (c == NULL) {
		return;
	}
	free(c->unix_path);
	free(c->http_host);
	free(c->tls_ca);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->auth_realm);
	for (size_t i = 0; i < c->n_auth_clients; i++) {
		free(c->auth_clients[i].user);
		free(c->auth_clients[i].password);
	}
	free(c->auth_clients);
	json_decref(c->agent_json);
	*c = (ctl_listen_cfg_t){0};
}

static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL) {
		return 0;
	}
	*dst = strdup(src);
	return *dst == NULL ? -ENOMEM : 0;
}

int ctl_listen_cfg_copy(const ctl_listen_cfg_t *src, ctl_listen_cfg_t *dst)
{
	int r = 0;

	*dst = (ctl_listen_cfg_t){.http_port = src->http_port,
	                          .max_body = src->max_body,
	                          .tls_cert_required = src->tls_cert_required,
	                          .unix_follows_cfg = src->unix_follows_cfg};
	r |= dup_opt(&dst->unix_path, src->unix_path);
	r |= dup_opt(&dst->http_host, src->http_host);
	r |= dup_opt(&dst->tls_ca, src->tls_ca);
	r |= dup_opt(&dst->tls_cert, src->tls_cert);
	r |= dup_opt(&dst->tls_key, src->tls_key);
	r |= dup_opt(&dst->auth_realm, src->auth_realm);
	if (src->n_auth_clients > 0) {
		dst->auth_clients = calloc(src->n_auth_clients, sizeof(*dst->auth_clients));
		if (dst->auth_clients == NULL) {
			return -ENOMEM;
		}
		dst->n_auth_clients = src->n_auth_clients;
		for (size_t i = 0; i < src->n_auth_clients; i++) {
			r |= dup_opt(&dst->auth_clients[i].user, src->auth_clients[i].user);
			r |= dup_opt(&dst->auth_clients[i].password, src->auth_clients[i].password);
		}
	}
	if (src->agent_json != NULL) {
		dst->agent_json = json_deep_copy(src->agent_json);
		if (dst->agent_json == NULL) {
			return -ENOMEM;
		}
	}
	if (dst->max_body == 0) {
		dst->max_body = CTL_MAX_BODY_DEFAULT;
	}
	return r != 0 ? -ENOMEM : 0;
}
