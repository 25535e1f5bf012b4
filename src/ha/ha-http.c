/* The HA peer client: JSON POSTs with libcurl (see ha-int.h), Kea's rules for
 * the answer (kea-ha-protocol.md §1): a list whose first element is a map. */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ha/ha-int.h"

/* Bounded body: a page of 10,000 leases is a few MB; more is hostile. */
#define HA_HTTP_BODY_MAX (64u * 1024u * 1024u)

typedef struct body {
	char *p;
	size_t len;
	bool overflow;
} body_t;

static size_t on_data(char *ptr, size_t size, size_t n, void *ud)
{
	body_t *b = ud;
	size_t add = size * n;

	if (b->len + add > HA_HTTP_BODY_MAX) {
		b->overflow = true;
		return 0;
	}
	char *np = realloc(b->p, b->len + add + 1);
	if (np == NULL) {
		return 0;
	}
	memcpy(np + b->len, ptr, add);
	b->p = np;
	b->len += add;
	b->p[b->len] = '\0';
	return add;
}

static int setup(ha_http_t *c, const cfg_ha_peer_t *peer, long timeout_ms)
{
	if (c->curl == NULL) {
		c->curl = curl_easy_init();
		if (c->curl == NULL) {
			return -ENOMEM;
		}
	}
	CURL *e = c->curl;

	curl_easy_setopt(e, CURLOPT_URL, peer->url);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");         /* never an environment proxy */
	curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	if (peer->basic_auth_user != NULL) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, peer->basic_auth_user);
		curl_easy_setopt(e, CURLOPT_PASSWORD,
		                 peer->basic_auth_password != NULL ? peer->basic_auth_password : "");
	}
	if (peer->tls.trust_anchor != NULL) {
		struct stat st;
		/* Kea's trust-anchor is a CA file or a directory of hashed CA files */
		bool dir = stat(peer->tls.trust_anchor, &st) == 0 && S_ISDIR(st.st_mode);

		curl_easy_setopt(e, CURLOPT_CAPATH, dir ? peer->tls.trust_anchor : NULL);
		curl_easy_setopt(e, CURLOPT_CAINFO, dir ? NULL : peer->tls.trust_anchor);
		curl_easy_setopt(e, CURLOPT_SSLCERT, peer->tls.cert_file);
		curl_easy_setopt(e, CURLOPT_SSLKEY, peer->tls.key_file);
	}
	return 0;
}

int ha_http_post_raw(ha_http_t *c, const cfg_ha_peer_t *peer, json_t *cmd, long timeout_ms,
                     json_t **ret, char *err, size_t errlen)
{
	body_t b = { 0 };
	char *text = json_dumps(cmd, JSON_COMPACT);
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	int r = text != NULL && hdr != NULL ? setup(c, peer, timeout_ms) : -ENOMEM;

	*ret = NULL;
	if (r == 0) {
		curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, text);
		curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &b);
		CURLcode cr = curl_easy_perform(c->curl);
		long status = 0;

		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
		if (cr != CURLE_OK) {
			snprintf(err, errlen, "%s", b.overflow ? "response too large" : curl_easy_strerror(cr));
			r = -EIO;
		} else if (status != 200) {
			snprintf(err, errlen, "HTTP status %ld", status);
			r = -EPROTO;
		} else {
			json_error_t je;

			*ret = b.p != NULL ? json_loadb(b.p, b.len, 0, &je) : NULL;
			if (*ret == NULL) {
				snprintf(err, errlen, "unable to parse the response: %s",
				         b.p != NULL ? je.text : "empty body");
				r = -EPROTO;
			}
		}
		/* the handle outlives this call: no pointers into our locals */
		curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, NULL);
	} else {
		snprintf(err, errlen, "%s", strerror(-r));
	}
	curl_slist_free_all(hdr);
	free(text);
	free(b.p);
	return r;
}

int ha_http_post(ha_http_t *c, const cfg_ha_peer_t *peer, json_t *cmd, long timeout_ms,
                 json_t **ret, char *err, size_t errlen)
{
	json_t *body = NULL;
	int r = ha_http_post_raw(c, peer, cmd, timeout_ms, &body, err, errlen);

	*ret = NULL;
	if (r < 0) {
		return r;
	}
	/* HAService::verifyAsyncResponse: a bare map is an error, whatever it says */
	json_t *a = json_is_array(body) ? json_array_get(body, 0) : NULL;
	if (!json_is_object(a)) {
		json_t *t = json_is_object(body) ? json_object_get(body, "text") : NULL;

		snprintf(err, errlen, "%s",
		         json_is_string(t) ? json_string_value(t) : "unexpected response: not a list holding a map");
		json_decref(body);
		return -EPROTO;
	}
	*ret = json_incref(a);
	json_decref(body);
	return 0;
}

void ha_http_done(ha_http_t *c)
{
	if (c->curl != NULL) {
		curl_easy_cleanup(c->curl);
		c->curl = NULL;
	}
}

int ha_result(const json_t *ans)
{
	json_t *r = json_object_get(ans, "result");

	return json_is_integer(r) ? (int)json_integer_value(r) : -1;
}
