/* ctl transports: the UNIX control socket and the HTTP listener on loopback
 * (POST / as kea-ctrl-agent, body limit, content type, Basic auth, TLS with
 * client certificates, /metrics, /health, the console's files, a stalled client). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cfg/cfg-current.h"
#include "util/log.h"
#include "ctl/console.h"
#include "ctl/ctl.h"

static const char test_cfg[] =
        "{ \"Dhcp4\": { \"valid-lifetime\": 4000,\n"
        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_lease_cmds.so\" },\n"
        "    { \"library\": \"/usr/lib/kea/hooks/libdhcp_stat_cmds.so\" } ],\n"
        "  \"lease-database\": { \"type\": \"memfile\", \"persist\": false },\n"
        "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
        "      \"pools\": [ { \"pool\": \"192.0.2.100 - 192.0.2.200\" } ] } ] } }\n";

typedef struct hstate {
	char dir[64];
	char sock[128];
	lease_store_t *store;
	stats_t stats;
	ctl_env_t env;
	ctl_t *ctl;
	uint16_t port;
} hstate_t;

static int common_setup(hstate_t *s)
{
	lease_store_cfg_t lcfg = {.type = "memfile", .persist = false};
	cfg_t *cfg = NULL;
	cfg_err_t err;
	char *msg = NULL;

	snprintf(s->dir, sizeof(s->dir), "/tmp/test-ctl-http-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->sock, sizeof(s->sock), "%s/ctl.sock", s->dir);
	assert_int_equal(cfg_load_text(test_cfg, strlen(test_cfg), &cfg, &err), 0);
	cfg_publish(cfg);
	assert_int_equal(lease_store_open(&lcfg, &s->store, &msg), 0);
	assert_int_equal(stats_init(&s->stats, 1), 0);
	s->env = (ctl_env_t){.store = s->store, .stats = &s->stats};
	return 0;
}

static int start_with(hstate_t *s, ctl_listen_cfg_t *lc)
{
	char *err = NULL;
	int r = ctl_start(&s->env, lc, &s->ctl, &err);

	if (r < 0) {
		fail_msg("ctl_start: %d %s", r, err != NULL ? err : "");
	}
	s->port = ctl_http_port(s->ctl);
	return 0;
}

static int setup(void **state)
{
	hstate_t *s = calloc(1, sizeof(*s));
	ctl_listen_cfg_t lc = {.http_host = (char *)"127.0.0.1", .http_port = 0, .max_body = 4096};

	common_setup(s);
	lc.unix_path = s->sock;
	start_with(s, &lc);
	assert_true(s->port != 0);
	*state = s;
	return 0;
}

static int setup_auth(void **state)
{
	hstate_t *s = calloc(1, sizeof(*s));
	ctl_auth_client_t clients[] = {{(char *)"admin", (char *)"s3cret"}};
	ctl_listen_cfg_t lc = {.http_host = (char *)"127.0.0.1",
	                       .auth_realm = (char *)"lessor",
	                       .auth_clients = clients,
	                       .n_auth_clients = 1};

	common_setup(s);
	start_with(s, &lc);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	hstate_t *s = *state;
	char cmd[256];

	s->ctl = ctl_stop(s->ctl);
	lease_store_close(s->store);
	stats_done(&s->stats);
	cfg_publish(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	assert_int_equal(system(cmd), 0);
	free(s);
	return 0;
}

/* Send @req raw over TCP to the listener, read until close; returns malloc'd
 * response text (status line, headers, body). */
static char *http_raw(uint16_t port, const char *req, size_t len)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char *out = NULL;
	size_t olen = 0;

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	size_t off = 0;
	while (off < len) {
		ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n <= 0) {
			break; /* the server may close early (oversized body) */
		}
		off += (size_t)n;
	}
	for (;;) {
		char buf[4096];
		struct pollfd p = {.fd = fd, .events = POLLIN};

		if (poll(&p, 1, 5000) <= 0) {
			break;
		}
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			break;
		}
		out = realloc(out, olen + (size_t)n + 1);
		assert_non_null(out);
		memcpy(out + olen, buf, (size_t)n);
		olen += (size_t)n;
		out[olen] = '\0';
	}
	close(fd);
	return out != NULL ? out : strdup("");
}

static char *http_post(uint16_t port, const char *ctype, const char *extra_hdr, const char *body)
{
	char *req = NULL;
	int n = asprintf(&req,
	                 "POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
	                 "%s%s%s%sContent-Length: %zu\r\n\r\n%s",
	                 ctype != NULL ? "Content-Type: " : "", ctype != NULL ? ctype : "",
	                 ctype != NULL ? "\r\n" : "", extra_hdr != NULL ? extra_hdr : "",
	                 strlen(body), body);
	assert_true(n > 0);
	char *resp = http_raw(port, req, (size_t)n);
	free(req);
	return resp;
}

static int status_of(const char *resp)
{
	int code = 0;

	if (sscanf(resp, "HTTP/1.%*d %d", &code) != 1) {
		return -1;
	}
	return code;
}

static json_t *body_json(const char *resp)
{
	const char *b = strstr(resp, "\r\n\r\n");

	assert_non_null(b);
	json_t *j = json_loads(b + 4, 0, NULL);
	if (j == NULL) {
		fail_msg("body is not JSON: %s", b + 4);
	}
	return j;
}

static void test_http_post(void **state)
{
	hstate_t *s = *state;
	char *resp;
	json_t *j;

	resp = http_post(s->port, "application/json", NULL,
	                 "{\"command\":\"statistic-get-all\",\"service\":[\"dhcp4\"]}");
	assert_int_equal(status_of(resp), 200);
	assert_non_null(strstr(resp, "Content-Type: application/json"));
	j = body_json(resp);
	assert_true(json_is_array(j));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0), "result")), 0);
	assert_non_null(json_object_get(json_object_get(json_array_get(j, 0), "arguments"),
	                                "subnet[1].total-addresses"));
	json_decref(j);
	free(resp);

	/* wrong content type, wrong method, bad JSON: Kea CA's 400 */
	resp = http_post(s->port, "text/plain", NULL, "{\"command\":\"version-get\"}");
	assert_int_equal(status_of(resp), 400);
	j = body_json(resp);
	assert_int_equal(json_integer_value(json_object_get(j, "result")), 400);
	json_decref(j);
	free(resp);
	resp = http_post(s->port, "application/json", NULL, "{nope");
	assert_int_equal(status_of(resp), 400);
	free(resp);
	/* a GET of anything but the console, /metrics or /health is Kea's 400 */
	const char get[] = "GET /config HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	resp = http_raw(s->port, get, sizeof(get) - 1);
	assert_int_equal(status_of(resp), 400);
	free(resp);
}

static void test_http_oversize(void **state)
{
	hstate_t *s = *state;
	size_t big = 64 * 1024;
	char *body = malloc(big + 128);

	assert_non_null(body);
	strcpy(body,
	       "{\"command\":\"version-get\",\"service\":[\"dhcp4\"],\"arguments\":{\"x\":\"");
	size_t l = strlen(body);
	memset(body + l, 'a', big);
	strcpy(body + l + big, "\"}}");
	char *resp = http_post(s->port, "application/json", NULL, body);
	assert_int_equal(status_of(resp), 413);
	free(resp);
	free(body);
	/* the listener still serves */
	resp = http_post(s->port, "application/json", NULL,
	                 "{\"command\":\"version-get\",\"service\":[\"dhcp4\"]}");
	assert_int_equal(status_of(resp), 200);
	free(resp);
}

/* A client that sends half a request and stalls does not block others. */
static void test_http_stalled_client(void **state)
{
	hstate_t *s = *state;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(s->port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	const char partial[] = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	                       "Content-Length: 100\r\n\r\n{\"comm";

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(send(fd, partial, sizeof(partial) - 1, 0), (ssize_t)sizeof(partial) - 1);
	char *resp = http_post(s->port, "application/json", NULL,
	                       "{\"command\":\"status-get\",\"service\":[\"dhcp4\"]}");
	assert_int_equal(status_of(resp), 200);
	free(resp);
	close(fd);
}

static void test_metrics_health(void **state)
{
	hstate_t *s = *state;
	const char m[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	const char h[] = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	char *resp;

	resp = http_raw(s->port, m, sizeof(m) - 1);
	assert_int_equal(status_of(resp), 200);
	assert_non_null(strstr(resp, "text/plain; version=0.0.4"));
	assert_non_null(strstr(resp, "# TYPE kea_dhcp4_pkt4_received_total counter"));
	assert_non_null(strstr(resp, "kea_dhcp4_subnet_total_addresses{subnet_id=\"1\","
	                             "subnet=\"192.0.2.0/24\",shared_network=\"\"} 101"));
	free(resp);
	resp = http_raw(s->port, h, sizeof(h) - 1);
	assert_int_equal(status_of(resp), 200);
	assert_non_null(strstr(resp, "\"ready\""));
	free(resp);
	cfg_publish(NULL);
	resp = http_raw(s->port, h, sizeof(h) - 1);
	assert_int_equal(status_of(resp), 503);
	free(resp);
}

static char *http_get(uint16_t port, const char *method, const char *path, const char *extra)
{
	char *req = NULL;
	int n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n", method,
	                 path, extra != NULL ? extra : "");

	assert_true(n > 0);
	char *resp = http_raw(port, req, (size_t)n);
	free(req);
	return resp;
}

static const char *body_of(const char *resp)
{
	const char *b = strstr(resp, "\r\n\r\n");

	assert_non_null(b);
	return b + 4;
}

/* GET / and the page's two files come from the binary, byte for byte, with a CSP that
 * forbids anything not from this origin and any inline script; other GETs stay Kea's 400;
 * HEAD gets the headers only. */
static void test_console_files(void **state)
{
	hstate_t *s = *state;
	static const struct {
		const char *path, *file, *ctype;
	} files[] = {
	        {"/", "index.html", "text/html; charset=utf-8"},
	        {"/index.html", "index.html", "text/html; charset=utf-8"},
	        {"/console.js", "console.js", "text/javascript; charset=utf-8"},
	        {"/console.css", "console.css", "text/css; charset=utf-8"},
	        {"/favicon.svg", "favicon.svg", "image/svg+xml"},
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const ctl_asset_t *a = ctl_asset_find(files[i].file);
		char *resp = http_get(s->port, "GET", files[i].path, NULL);
		char hdr[128];

		assert_non_null(a);
		assert_true(a->len > 50);
		assert_int_equal(strlen(a->text), a->len);
		assert_int_equal(status_of(resp), 200);
		snprintf(hdr, sizeof(hdr), "Content-Type: %s\r\n", files[i].ctype);
		assert_non_null(strstr(resp, hdr));
		assert_non_null(strstr(resp, "Content-Security-Policy: " CTL_CONSOLE_CSP "\r\n"));
		assert_non_null(strstr(resp, "X-Content-Type-Options: nosniff\r\n"));
		assert_string_equal(body_of(resp), a->text);
		free(resp);
	}
	/* the policy itself: same origin only, no inline code, no framing */
	assert_non_null(strstr(CTL_CONSOLE_CSP, "default-src 'none'"));
	assert_non_null(strstr(CTL_CONSOLE_CSP, "script-src 'self';"));
	assert_null(strstr(CTL_CONSOLE_CSP, "unsafe"));
	assert_non_null(strstr(CTL_CONSOLE_CSP, "frame-ancestors 'none'"));
	/* the page loads no script inline and nothing from elsewhere */
	const char *html = ctl_asset_find("index.html")->text;
	assert_non_null(strstr(html, "<script src=\"console.js\""));
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "http://"));
	assert_null(strstr(html, "https://"));

	char *resp = http_get(s->port, "HEAD", "/", NULL);
	assert_int_equal(status_of(resp), 200);
	assert_string_equal(body_of(resp), "");
	free(resp);
	static const char *const not_files[] = {"/console.html", "/../index.html", "/index.html/",
	                                        "/CMakeLists.txt", "//", "/console/index.html"};
	for (size_t i = 0; i < sizeof(not_files) / sizeof(not_files[0]); i++) {
		resp = http_get(s->port, "GET", not_files[i], NULL);
		assert_int_equal(status_of(resp), 400);
		assert_string_equal(body_of(resp), "{\"result\":400,\"text\":\"Bad Request\"}");
		free(resp);
	}
	resp = http_get(s->port, "DELETE", "/", NULL);
	assert_int_equal(status_of(resp), 400);
	free(resp);
}

static char *unix_call(const char *path, const char *body, bool half_close)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	char *out = NULL;
	size_t olen = 0;

	strcpy(sa.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(send(fd, body, strlen(body), 0), (ssize_t)strlen(body));
	if (half_close) {
		shutdown(fd, SHUT_WR);
	}
	for (;;) {
		char buf[4096];
		struct pollfd p = {.fd = fd, .events = POLLIN};

		if (poll(&p, 1, 12000) <= 0) {
			break;
		}
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			break;
		}
		out = realloc(out, olen + (size_t)n + 1);
		memcpy(out + olen, buf, (size_t)n);
		olen += (size_t)n;
		out[olen] = '\0';
	}
	close(fd);
	return out;
}

static void test_unix_socket(void **state)
{
	hstate_t *s = *state;
	char *ans;
	json_t *j;

	/* answered as soon as the command is complete, without EOF, then closed */
	ans = unix_call(s->sock, "{\"command\":\"version-get\"}", false);
	assert_non_null(ans);
	j = json_loads(ans, 0, NULL);
	assert_true(json_is_object(j));
	assert_string_equal(json_string_value(json_object_get(j, "text")), "2.2.0");
	json_decref(j);
	free(ans);

	ans = unix_call(s->sock,
	                "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":"
	                "\"192.0.2.150\",\"hw-address\":\"01:02:03:04:05:06\"}}",
	                true);
	j = json_loads(ans, 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(j, "result")), 0);
	json_decref(j);
	free(ans);

	/* more than max-body (4096 here) without a complete command: refused */
	char *big = malloc(9000);
	assert_non_null(big);
	memset(big, ' ', 8999);
	memcpy(big, "{\"command\":\"version-get\",\"arguments\":{\"x\":\"", 43);
	big[8999] = '\0';
	ans = unix_call(s->sock, big, false);
	free(big);
	assert_non_null(ans);
	j = json_loads(ans, 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(j, "result")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "text")), "Command too large.");
	json_decref(j);
	free(ans);

	/* a broken command with EOF gets an error answer */
	ans = unix_call(s->sock, "{bad", true);
	j = json_loads(ans, 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(j, "result")), 1);
	json_decref(j);
	free(ans);
}

/* A UNIX client that connects and says nothing holds only its own slot; the
 * history keeps being sampled meanwhile. */
static void test_unix_slow_client(void **state)
{
	hstate_t *s = *state;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int idle[3];

	strcpy(sa.sun_path, s->sock);
	for (size_t i = 0; i < ARRAY_SIZE(idle); i++) {
		idle[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_int_equal(connect(idle[i], (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
	assert_int_equal(send(idle[0], "{\"command\":", 11, 0), 11); /* half a command */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *ans = unix_call(s->sock, "{\"command\":\"status-get\"}", false);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(ans);
	assert_non_null(strstr(ans, "\"pid\""));
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	free(ans);

	/* counters move while the idle clients hang on */
	stats_add(&s->stats.shards[0], STAT_PKT4_RECEIVED, 9);
	usleep(1300 * 1000);
	ans = unix_call(s->sock,
	                "{\"command\":\"statistic-get\",\"arguments\":{\"name\":"
	                "\"pkt4-received\"}}",
	                false);
	assert_non_null(strstr(ans, "[[9,"));
	free(ans);
	for (size_t i = 0; i < ARRAY_SIZE(idle); i++) {
		close(idle[i]);
	}
}

static void test_auth(void **state)
{
	hstate_t *s = *state;
	const char *cmd = "{\"command\":\"version-get\",\"service\":[\"dhcp4\"]}";
	char *resp;
	json_t *j;

	resp = http_post(s->port, "application/json", NULL, cmd);
	assert_int_equal(status_of(resp), 401);
	assert_non_null(strstr(resp, "WWW-Authenticate: Basic realm=\"lessor\""));
	j = body_json(resp);
	assert_int_equal(json_integer_value(json_object_get(j, "result")), 401);
	assert_string_equal(json_string_value(json_object_get(j, "text")), "Unauthorized");
	json_decref(j);
	free(resp);
	/* admin:wrong */
	resp = http_post(s->port, "application/json", "Authorization: Basic YWRtaW46d3Jvbmc=\r\n",
	                 cmd);
	assert_int_equal(status_of(resp), 401);
	free(resp);
	/* garbage */
	resp = http_post(s->port, "application/json", "Authorization: Basic !!!\r\n", cmd);
	assert_int_equal(status_of(resp), 401);
	free(resp);
	/* admin:s3cret */
	resp = http_post(s->port, "application/json", "Authorization: Basic YWRtaW46czNjcmV0\r\n",
	                 cmd);
	assert_int_equal(status_of(resp), 200);
	free(resp);
	/* the console is behind the same door: no page, script or style without the password */
	static const char *const console[] = {"/", "/index.html", "/console.js", "/console.css",
	                                      "/favicon.svg"};
	for (size_t i = 0; i < sizeof(console) / sizeof(console[0]); i++) {
		resp = http_get(s->port, "GET", console[i], NULL);
		assert_int_equal(status_of(resp), 401);
		assert_non_null(strstr(resp, "WWW-Authenticate: Basic realm=\"lessor\""));
		assert_null(strstr(resp, "<html"));
		free(resp);
		resp = http_get(s->port, "GET", console[i], "Authorization: Basic YWRtaW46d3Jvbmc=\r\n");
		assert_int_equal(status_of(resp), 401);
		assert_string_equal(body_of(resp), "{\"result\":401,\"text\":\"Unauthorized\"}");
		free(resp);
		resp = http_get(s->port, "GET", console[i], "Authorization: Basic YWRtaW46czNjcmV0\r\n");
		assert_int_equal(status_of(resp), 200);
		free(resp);
	}
}

/* TLS with a client certificate required: curl against certificates made by
 * the openssl tool. Skipped when either tool is missing. */
static void test_tls(void **state)
{
	hstate_t *s = calloc(1, sizeof(*s));
	char cmd[2048], ca[200], cert[200], key[200], ccert[200], ckey[200];
	ctl_listen_cfg_t lc = {.http_host = (char *)"127.0.0.1"};

	(void)state;
	if (system("command -v openssl >/dev/null && command -v curl >/dev/null") != 0) {
		free(s);
		skip();
	}
	common_setup(s);
	snprintf(
	        cmd, sizeof(cmd),
	        "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem "
	        "-days 2 "
	        "-subj /CN=test-ca >/dev/null 2>&1 && "
	        "openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj "
	        "/CN=127.0.0.1 "
	        ">/dev/null 2>&1 && printf 'subjectAltName=IP:127.0.0.1\\n' > ext && "
	        "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out "
	        "srv.pem "
	        "-days 2 -extfile ext >/dev/null 2>&1 && "
	        "openssl req -newkey rsa:2048 -nodes -keyout cli.key -out cli.csr -subj /CN=client "
	        ">/dev/null 2>&1 && openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key "
	        "-CAcreateserial -out cli.pem -days 2 >/dev/null 2>&1",
	        s->dir);
	assert_int_equal(system(cmd), 0);
	snprintf(ca, sizeof(ca), "%s/ca.pem", s->dir);
	snprintf(cert, sizeof(cert), "%s/srv.pem", s->dir);
	snprintf(key, sizeof(key), "%s/srv.key", s->dir);
	snprintf(ccert, sizeof(ccert), "%s/cli.pem", s->dir);
	snprintf(ckey, sizeof(ckey), "%s/cli.key", s->dir);
	lc.tls_ca = ca;
	lc.tls_cert = cert;
	lc.tls_key = key;
	lc.tls_cert_required = true;
	start_with(s, &lc);

	/* with the client certificate: 200 and the array answer */
	snprintf(cmd, sizeof(cmd),
	         "curl -s -o %s/out -w '%%{http_code}' --cacert %s --cert %s --key %s "
	         "-H 'Content-Type: application/json' -d '{\"command\":\"version-get\",\"service\":"
	         "[\"dhcp4\"]}' https://127.0.0.1:%u/ > %s/code",
	         s->dir, ca, ccert, ckey, s->port, s->dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "grep -qx 200 %s/code && grep -q '\"2.2.0\"' %s/out", s->dir,
	         s->dir);
	assert_int_equal(system(cmd), 0);
	/* without one: refused */
	snprintf(cmd, sizeof(cmd),
	         "curl -s -o /dev/null -w '%%{http_code}' --cacert %s "
	         "-H 'Content-Type: application/json' -d '{\"command\":\"version-get\"}' "
	         "https://127.0.0.1:%u/ > %s/code; grep -qx 200 %s/code",
	         ca, s->port, s->dir, s->dir);
	assert_int_not_equal(system(cmd), 0);
	/* plain HTTP on the TLS port: no answer */
	char *resp = http_post(s->port, "application/json", NULL, "{\"command\":\"version-get\"}");
	assert_int_not_equal(status_of(resp), 200);
	free(resp);
	void *st = s;
	teardown(&st);
}

static void test_start_failures(void **state)
{
	hstate_t *s = calloc(1, sizeof(*s));
	ctl_listen_cfg_t lc = {.http_host = (char *)"not-an-ip"};
	char *err = NULL;
	ctl_t *ctl = NULL;

	(void)state;
	common_setup(s);
	assert_int_equal(ctl_start(&s->env, &lc, &ctl, &err), -EINVAL);
	assert_null(ctl);
	assert_non_null(err);
	free(err);
	err = NULL;
	lc = (ctl_listen_cfg_t){.unix_path = (char *)"/nonexistent-dir/x.sock"};
	assert_true(ctl_start(&s->env, &lc, &ctl, &err) < 0);
	assert_null(ctl);
	free(err);
	void *st = s;
	teardown(&st);
}

int main(void)
{
	/* every command is logged at INFO (COMMAND_RECEIVED): keep test output short */
	cfg_logger_t quiet = {.name = (char *)"kea-dhcp4", .severity = LOG_SEV_WARN};
	(void)log_configure(&quiet, 1);

	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_http_post, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_http_oversize, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_http_stalled_client, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_metrics_health, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_console_files, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_unix_socket, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_unix_slow_client, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_auth, setup_auth, teardown),
	        cmocka_unit_test(test_tls),
	        cmocka_unit_test(test_start_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
