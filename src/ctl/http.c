/* The HTTP listener on libmicrohttpd's own polling thread: POST / as
 * kea-ctrl-agent, GET /metrics (Prometheus), GET /health, GET / the console
 * (ctl/console.h). Body size limit,
 * Basic authentication and TLS configured as Kea's agent. Packet workers never
 * touch any of this. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <dirent.h>
#include <dlfcn.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "ctl/console.h"
#include "ctl/ctl-int.h"
#include "util/inaddr.h"
#include "util/log.h"

#define HTTP_IDLE_TIMEOUT_S 30 /* Kea's TIMEOUT_AGENT_IDLE_CONNECTION_TIMEOUT */
#define HTTP_MAX_CONNECTIONS 64
/* Request headers may be this large: kea-ctrl-agent 2.2 reads headers of any
 * size, and the answer to a 20 MB Authorization header must be its JSON 401,
 * not libmicrohttpd's HTML 431. The pool is mapped lazily: only a connection
 * that sends such headers uses the memory. */
#define HTTP_MAX_HEADERS (64u * 1024 * 1024)
/* The pool of connections whose headers are small (http-accept.c): MHD zeroes
 * it before each request, so it stays small. */
#define HTTP_SMALL_POOL (256u * 1024)

DEFINE_FREEP(const cfg_t, cfg_release)

typedef struct http_req {
	char *body;
	size_t len;
	size_t cap;
	bool too_big;
} http_req_t;

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, char *text,
                             const char *ctype)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (text == NULL) {
		return MHD_NO; /* out of memory: MHD closes the connection */
	}
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A console file, from the binary's read-only data (never copied, never freed). */
static enum MHD_Result reply_asset(struct MHD_Connection *conn, const ctl_asset_t *a,
                                   const char *ctype)
{
	struct MHD_Response *resp =
	        MHD_create_response_from_buffer(a->len, (void *)a->text, MHD_RESPMEM_PERSISTENT);

	if (resp == NULL) {
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, "Content-Security-Policy", CTL_CONSOLE_CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result reply_json_error(struct MHD_Connection *conn, unsigned status,
                                        const char *text)
{
	char *body;

	if (asprintf(&body, "{\"result\":%u,\"text\":\"%s\"}", status, text) < 0) {
		return MHD_NO;
	}
	return reply(conn, status, body, "application/json");
}

/* ---- Basic authentication (RFC 7617) ---- */

static int b64_val(char c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decode base64 into out (NUL-terminated); false on bad input or overflow. */
static bool b64_decode(const char *in, char *out, size_t cap)
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;

	for (; *in != '\0' && *in != '='; in++) {
		int v = b64_val(*in);

		if (v < 0) {
			return false;
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o + 1 >= cap) {
				return false;
			}
			out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	out[o] = '\0';
	return true;
}

/* Constant-time comparison of two NUL-terminated strings. */
static bool secret_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < la; i++) {
		d |= (unsigned char)(a[i] ^ b[i % (lb > 0 ? lb : 1)]);
	}
	return d == 0;
}

static bool authorized(const ctl_http_t *h, struct MHD_Connection *conn)
{
	const char *v =
	        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	char cred[1024];

	if (h->lcfg.auth_realm == NULL) {
		return true;
	}
	if (v == NULL || strncasecmp(v, "Basic ", 6) != 0 ||
	    !b64_decode(v + 6, cred, sizeof(cred))) {
		return false;
	}
	char *colon = strchr(cred, ':');
	if (colon == NULL) {
		return false;
	}
	*colon = '\0';
	bool ok = false;
	for (size_t i = 0; i < h->lcfg.n_auth_clients; i++) {
		const ctl_auth_client_t *a = &h->lcfg.auth_clients[i];

		/* both compared every time: no early exit that times the user name */
		bool user_ok = secret_eq(cred, a->user);
		bool pass_ok = secret_eq(colon + 1, a->password);

		ok = ok || (user_ok && pass_ok);
	}
	return ok;
}

static enum MHD_Result reply_unauthorized(const ctl_http_t *h, struct MHD_Connection *conn)
{
	struct MHD_Response *resp;
	char *body = strdup("{\"result\":401,\"text\":\"Unauthorized\"}");
	char hdr[256];

	if (body == NULL) {
		return MHD_NO;
	}
	resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	snprintf(hdr, sizeof(hdr), "Basic realm=\"%s\"", h->lcfg.auth_realm);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, hdr);
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_UNAUTHORIZED, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Kea's cert-required: the client must present a certificate that verifies
 * against the trust anchor. libmicrohttpd only *requests* one, so check the
 * session ourselves. gnutls is already loaded (libmicrohttpd's TLS backend);
 * it is looked up at run time so lessor does not link it directly. */
typedef int (*gnutls_verify_fn)(void *session, unsigned *status);

static bool client_cert_ok(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	gnutls_verify_fn verify;
	unsigned status = 1;

	if (ci == NULL || ci->tls_session == NULL) {
		return false;
	}
	*(void **)&verify = dlsym(RTLD_DEFAULT, "gnutls_certificate_verify_peers2");
	if (verify == NULL) {
		return false; /* cannot verify: refuse rather than accept */
	}
	return verify(ci->tls_session, &status) == 0 && status == 0;
}

static int health_locked(ctl_t *ctl, const char **ret_reason)
{
	_cleanup_(cfg_releasep) const cfg_t *cfg = cfg_acquire();

	if (cfg == NULL) {
		*ret_reason = "no configuration loaded";
		return -ENOENT;
	}
	if (ctl->env.store == NULL) {
		*ret_reason = "no lease store";
		return -ENOENT;
	}
	if (ctl->env.db_down != NULL &&
	    ctl->env.db_down(ctl->env.ud, ctl->health_why, sizeof(ctl->health_why))) {
		*ret_reason = ctl->health_why;
		return -ENOTCONN;
	}
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	if (lease_conn_open(ctl->env.store, &c) < 0 || lease_conn_sync(c) < 0) {
		*ret_reason = "lease store not writable";
		return -EIO;
	}
	if (ctl->env.dhcp_is_enabled != NULL && !ctl->env.dhcp_is_enabled(ctl->env.ud)) {
		*ret_reason = "DHCP service disabled";
		return -EAGAIN;
	}
	*ret_reason = "ready";
	return 0;
}

int ctl_health(ctl_t *ctl, const char **ret_reason)
{
	pthread_mutex_lock(&ctl->lock);
	int r = health_locked(ctl, ret_reason);
	pthread_mutex_unlock(&ctl->lock);
	return r;
}

/* ---- request handling ---- */

/* HA's dedicated listener: what Kea's CmdHttpListener answers. Only a POST
 * of JSON is a command; everything else is its 400. */
static enum MHD_Result on_peer_request(ctl_http_t *h, struct MHD_Connection *conn,
                                       const char *method, const http_req_t *rq)
{
	if (strcmp(method, "POST") != 0) {
		return reply_json_error(conn, MHD_HTTP_BAD_REQUEST, "Bad Request");
	}
	if (rq->too_big) {
		return reply_json_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, "Request Entity Too Large");
	}
	unsigned status = MHD_HTTP_OK;
	char *ans = ctl_handle_peer(h->ctl, rq->body != NULL ? rq->body : "", rq->len,
	                            h->restrict_cmds, &status);
	return reply(conn, status, ans, "application/json");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	ctl_http_t *h = cls;
	ctl_t *ctl = h->ctl;
	http_req_t *rq = *con_cls;

	(void)version;
	if (rq == NULL) {
		rq = calloc(1, sizeof(*rq));
		if (rq == NULL) {
			return MHD_NO;
		}
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!rq->too_big) {
			if (rq->len + *upload_size > h->lcfg.max_body) {
				rq->too_big = true;
				free(rq->body);
				rq->body = NULL;
				rq->len = rq->cap = 0;
			} else {
				if (rq->len + *upload_size + 1 > rq->cap) {
					size_t ncap = MAX(rq->cap * 2, rq->len + *upload_size + 1);
					char *nb = realloc(rq->body, ncap);

					if (nb == NULL) {
						return MHD_NO;
					}
					rq->body = nb;
					rq->cap = ncap;
				}
				memcpy(rq->body + rq->len, upload, *upload_size);
				rq->len += *upload_size;
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}

	if (h->lcfg.tls_cert != NULL && h->lcfg.tls_cert_required && !client_cert_ok(conn)) {
		return reply_json_error(conn, MHD_HTTP_FORBIDDEN, "Forbidden");
	}
	if (!authorized(h, conn)) {
		return reply_unauthorized(h, conn);
	}
	if (h->peer) {
		return on_peer_request(h, conn, method, rq);
	}
	if (strcmp(method, "GET") == 0 && strcmp(url, "/metrics") == 0) {
		return reply(conn, MHD_HTTP_OK, ctl_metrics(ctl), "text/plain; version=0.0.4");
	}
	if (strcmp(method, "GET") == 0 && strcmp(url, "/health") == 0) {
		const char *why = NULL;
		int r = ctl_health(ctl, &why);
		char *body = NULL;

		if (asprintf(&body, "{\"status\":\"%s\",\"reason\":\"%s\"}\n",
		             r == 0 ? "ready" : "not-ready", why) < 0) {
			return MHD_NO;
		}
		return reply(conn, r == 0 ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, body,
		             "application/json");
	}
	const char *ctype = NULL;
	const ctl_asset_t *asset = NULL;
	if ((strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) &&
	    (asset = ctl_console_asset(url, &ctype)) != NULL) {
		return reply_asset(conn, asset, ctype);
	}
	if (strcmp(method, "POST") != 0) {
		return reply_json_error(conn, MHD_HTTP_BAD_REQUEST, "Bad Request");
	}
	if (rq->too_big) {
		return reply_json_error(conn, MHD_HTTP_CONTENT_TOO_LARGE,
		                        "Request Entity Too Large");
	}
	const char *ct =
	        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0) {
		return reply_json_error(conn, MHD_HTTP_BAD_REQUEST, "Bad Request");
	}
	unsigned status = 200;
	char *ans = ctl_handle_http(ctl, rq->body != NULL ? rq->body : "", rq->len, &status);
	return reply(conn, status, ans, "application/json");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	http_req_t *rq = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (rq != NULL) {
		free(rq->body);
		free(rq);
		*con_cls = NULL;
	}
}

static int slurp(const char *path, char **ret)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (f == NULL) {
		return -errno;
	}
	FILE *m = open_memstream(&buf, &len);
	if (m == NULL) {
		fclose(f);
		return -ENOMEM;
	}
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		fwrite(chunk, 1, n, m);
	}
	fclose(f);
	if (fclose(m) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*ret = buf;
	return 0;
}

/* libmicrohttpd's diagnostics (a client dropping mid-request, a TLS handshake
 * on the plain port, ...) go to our logger at debug level, not to stderr. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_debug(CTL_LOGGER, LOG_DBG_DETAIL, "LESSOR_HTTP_DIAG", "HTTP control listener: %s", buf);
}

static int cannot_start(const ctl_http_t *h, char **reterr, int r)
{
	if (h->peer && reterr != NULL &&
	    asprintf(reterr, "unable to setup TCP acceptor for listening to the incoming HTTP "
	                     "requests: bind: %s", strerror(-r)) >= 0) {
		return r;
	}
	if (reterr != NULL && asprintf(reterr, "cannot start HTTP control listener on %s port %u",
	                               h->lcfg.http_host, h->lcfg.http_port) < 0) {
		*reterr = NULL;
	}
	return r;
}

/* One daemon with a @pool-byte connection pool; its own listening socket on
 * @ss, or none (@ss NULL: the acceptor hands it connections). */
static struct MHD_Daemon *start_daemon(ctl_http_t *h, unsigned flags, size_t pool,
                                       const struct sockaddr_storage *ss)
{
	struct MHD_OptionItem opts[16];
	size_t n = 0;

	if (ss != NULL) {
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, (void *)ss};
	} else {
		flags |= MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
	}
	opts[n++] =
	        (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, HTTP_IDLE_TIMEOUT_S, NULL};
	opts[n++] =
	        (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, HTTP_MAX_CONNECTIONS, NULL};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, 16, NULL};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)pool, NULL};
	opts[n++] =
	        (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL};
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL};
	if (h->threads > 1) {
		/* Kea's http-listener-threads: requests of several connections
		 * (a partner's concurrent lease updates) are read and answered in
		 * parallel; commands still run one at a time under the ctl lock */
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, h->threads, NULL};
	}
	if (h->tls_cert_pem != NULL) {
		flags |= MHD_USE_TLS;
		opts[n++] =
		        (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, h->tls_cert_pem};
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls_key_pem};
		if (h->tls_ca_pem != NULL && h->lcfg.tls_cert_required) {
			/* MHD asks for and verifies a client certificate against the
			 * trust anchor (Kea's cert-required). */
			opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_TRUST, 0,
			                                    h->tls_ca_pem};
		}
	}
	opts[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	return MHD_start_daemon(flags, h->lcfg.http_port, NULL, NULL, on_request, h,
	                        MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
}

/* A trust anchor that is a directory (Kea accepts a CA path, as the HA
 * peers' trust-anchor may be): every certificate file in it, one PEM text. */
static int slurp_ca_dir(const char *path, char **ret)
{
	DIR *d = opendir(path);
	char *buf = NULL;
	size_t len = 0;
	struct dirent *e;

	if (d == NULL) {
		return -errno;
	}
	FILE *m = open_memstream(&buf, &len);
	while (m != NULL && (e = readdir(d)) != NULL) {
		char *file = NULL, *text = NULL;

		if (e->d_name[0] == '.' || asprintf(&file, "%s/%s", path, e->d_name) < 0) {
			continue;
		}
		if (slurp(file, &text) == 0 && strstr(text, "-----BEGIN CERTIFICATE-----") != NULL) {
			fprintf(m, "%s\n", text);
		}
		free(text);
		free(file);
	}
	closedir(d);
	if (m == NULL || fclose(m) != 0) {
		free(buf);
		return -ENOMEM;
	}
	*ret = buf;
	return 0;
}

static int load_tls(ctl_http_t *h, char **reterr)
{
	int r = slurp(h->lcfg.tls_cert, &h->tls_cert_pem);

	if (r == 0) {
		r = slurp(h->lcfg.tls_key, &h->tls_key_pem);
	}
	if (r == 0 && h->lcfg.tls_ca != NULL) {
		struct stat st;

		r = stat(h->lcfg.tls_ca, &st) == 0 && S_ISDIR(st.st_mode)
		            ? slurp_ca_dir(h->lcfg.tls_ca, &h->tls_ca_pem)
		            : slurp(h->lcfg.tls_ca, &h->tls_ca_pem);
	}
	if (r < 0 && reterr != NULL && asprintf(reterr, "cannot read TLS files: %s", strerror(-r)) < 0) {
		*reterr = NULL;
	}
	return r;
}

/* The listening socket the acceptor owns (as MHD would make it). */
static int listen_on(const struct sockaddr_storage *ss)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int on = 1;
	socklen_t len = ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	if (fd < 0) {
		return -errno;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss->ss_family == AF_INET6) {
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	}
	if (bind(fd, (const struct sockaddr *)ss, len) < 0 || listen(fd, SOMAXCONN) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

/* The listener's address as a socket address; false (and *reterr) if it is
 * no IP literal. */
static bool sockaddr_of(const ctl_http_t *h, struct sockaddr_storage *ss, unsigned *flags,
                        char **reterr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, h->lcfg.http_host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(h->lcfg.http_port);
		return true;
	}
	if (inet_pton(AF_INET6, h->lcfg.http_host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(h->lcfg.http_port);
		*flags |= MHD_USE_IPv6;
		return true;
	}
	if (reterr != NULL &&
	    asprintf(reterr, "Control-agent.http-host: '%s' is not an IP address", h->lcfg.http_host) < 0) {
		*reterr = NULL;
	}
	return false;
}

/* Plain control HTTP: our acceptor in front of a small-pool and a big-pool
 * daemon (http-accept.c). */
static int start_accepted(ctl_http_t *h, unsigned flags, struct sockaddr_storage *ss, char **reterr)
{
	int fd = listen_on(ss);

	h->mhd = fd >= 0 ? start_daemon(h, flags, HTTP_MAX_HEADERS, NULL) : NULL;
	h->mhd_small = h->mhd != NULL ? start_daemon(h, flags, HTTP_SMALL_POOL, NULL) : NULL;
	socklen_t len = sizeof(*ss);
	if (h->mhd_small == NULL || getsockname(fd, (struct sockaddr *)ss, &len) < 0 ||
	    ctl_http_acc_start(&h->acc, fd, h->mhd_small, h->mhd) < 0) {
		if (fd >= 0) {
			close(fd);
		}
		return cannot_start(h, reterr, fd < 0 ? fd : -EADDRINUSE);
	}
	h->port = ntohs(ss->ss_family == AF_INET6 ? ((struct sockaddr_in6 *)ss)->sin6_port
	                                           : ((struct sockaddr_in *)ss)->sin_port);
	return 0;
}

int ctl_http_start(ctl_t *ctl, const ctl_listen_cfg_t *lc, bool peer, bool restrict_cmds,
                   unsigned threads, ctl_http_t **ret, char **reterr)
{
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	ctl_http_t *h = calloc(1, sizeof(*h));
	int r;

	*ret = NULL;
	if (h == NULL) {
		return -ENOMEM;
	}
	*h = (ctl_http_t){ .ctl = ctl, .peer = peer, .restrict_cmds = restrict_cmds, .threads = threads };
	r = ctl_listen_cfg_copy(lc, &h->lcfg);
	if (r < 0) {
		ctl_http_stop(h);
		return r;
	}
	/* libmicrohttpd's thread pool needs epoll (or select) */
	flags |= threads > 1 ? MHD_USE_EPOLL : MHD_USE_POLL;
	if (!sockaddr_of(h, &ss, &flags, reterr)) {
		ctl_http_stop(h);
		return -EINVAL;
	}
	if (h->lcfg.tls_cert != NULL && (r = load_tls(h, reterr)) < 0) {
		ctl_http_stop(h);
		return r;
	}
	if (h->lcfg.tls_cert != NULL || peer) {
		/* ciphertext cannot be peeked at, and a partner's requests are
		 * small: MHD listens itself (the peer with a small pool) */
		int fd = listen_on(&ss);        /* the bind error, which MHD would not tell */

		if (fd < 0) {
			r = cannot_start(h, reterr, fd);
			ctl_http_stop(h);
			return r;
		}
		close(fd);
		h->mhd = start_daemon(h, flags, peer ? HTTP_SMALL_POOL : HTTP_MAX_HEADERS, &ss);
		const union MHD_DaemonInfo *di =
		        h->mhd != NULL ? MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT) : NULL;
		h->port = di != NULL ? di->port : 0;
		r = h->mhd == NULL ? cannot_start(h, reterr, -EADDRINUSE) : 0;
	} else {
		r = start_accepted(h, flags, &ss, reterr);
	}
	if (r < 0) {
		ctl_http_stop(h);
		return r;
	}
	*ret = h;
	return 0;
}

uint16_t ctl_http_port(const ctl_t *ctl)
{
	return ctl != NULL && ctl->http != NULL ? ctl->http->port : 0;
}

void ctl_http_stop(ctl_http_t *h)
{
	if (h == NULL) {
		return;
	}
	ctl_http_acc_stop(h->acc);    /* first: it hands connections to both */
	if (h->mhd_small != NULL) {
		MHD_stop_daemon(h->mhd_small);
	}
	if (h->mhd != NULL) {
		MHD_stop_daemon(h->mhd);
	}
	ctl_listen_cfg_done(&h->lcfg);
	free(h->tls_cert_pem);
	free(h->tls_key_pem);
	free(h->tls_ca_pem);
	free(h);
}
