/* The metrics push thread (push/push.h). */
#include "push/push.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "push/emf.h"
#include "push/put.h"
#include "push/send.h"
#include "source/fetch.h"
#include "util/log.h"

#define PUSH_HTTP_TIMEOUT_S 5
#define PUSH_IDLE_S 1 /* how often an idle thread looks at the configuration */
#define PUSH_BACKOFF_FIRST_MS 200 /* then doubling, until the next round is due */

DEFINE_FREEP(const cfg_t, cfg_release)

enum { DEST_EMF, DEST_PUT, _DEST_MAX };

struct push {
	ctl_t *ctl;
	stats_shard_t *sh;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* CLOCK_MONOTONIC */
	bool stop;
	bool failing[_DEST_MAX]; /* log once per outage, not once per round */
};

/* One round's work for a destination: 0 or -errno with @err. */
typedef int (*deliver_fn)(push_t *p, const cfg_push_t *c, const push_sample_t *s,
                          const char *server, char *err, size_t errlen);

static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Sleep until CLOCK_MONOTONIC @until_ms or a stop; true = stop asked. */
static bool nap(push_t *p, int64_t until_ms)
{
	struct timespec ts = { .tv_sec = until_ms / 1000, .tv_nsec = (until_ms % 1000) * 1000000 };
	bool stop;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && mono_ms() < until_ms) {
		pthread_cond_timedwait(&p->cv, &p->mu, &ts);
	}
	stop = p->stop;
	pthread_mutex_unlock(&p->mu);
	return stop;
}

static int deliver_emf(push_t *p, const cfg_push_t *c, const push_sample_t *s,
                       const char *server, char *err, size_t errlen)
{
	(void)p;
	_cleanup_free_ char *text = push_emf_build(s, c->ns, server);

	if (text == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return push_send_emf(c->emf, text, strlen(text), err, errlen);
}

static int post_one(const push_put_req_t *req, const char *body, char *err, size_t errlen)
{
	const char *hdrs[] = { req->token_header, NULL };
	fetch_req_t fr = { .url = req->url,
		           .sigv4 = req->sigv4,
		           .userpwd = req->userpwd,
		           .headers = req->token_header != NULL ? hdrs : NULL,
		           .body = body,
		           .body_len = strlen(body),
		           .timeout_s = PUSH_HTTP_TIMEOUT_S };
	fetch_resp_t resp = { 0 };
	int r = fetch_http(&fr, &resp, err, errlen);

	if (r == 0 && resp.status != 200) {
		snprintf(err, errlen, "%s: HTTP %ld: %.200s", req->url, resp.status,
		         resp.body != NULL ? resp.body : "");
		r = -EIO;
	}
	fetch_resp_done(&resp);
	return r;
}

static int deliver_put(push_t *p, const cfg_push_t *c, const push_sample_t *s,
                       const char *server, char *err, size_t errlen)
{
	s3_creds_t creds = { 0 };
	push_put_req_t req = { 0 };
	int r = s3_creds_get(NULL, NULL, PUSH_HTTP_TIMEOUT_S, &creds, err, errlen);

	if (r == 0) {
		r = push_put_build(s, c->ns, server, c->region, c->endpoint, &creds, &req);
		if (r < 0) {
			snprintf(err, errlen, "out of memory");
		}
	}
	for (size_t i = 0; r == 0 && i < req.n_bodies; i++) {
		/* each request may take PUSH_HTTP_TIMEOUT_S: a stop cannot wait for all */
		r = nap(p, 0) ? -ECANCELED : post_one(&req, req.bodies[i], err, errlen);
	}
	push_put_done(&req);
	s3_creds_done(&creds);
	return r;
}

/* Try @fn until it succeeds or the next round is due (@deadline_ms). */
static void deliver(push_t *p, int dest, deliver_fn fn, const cfg_push_t *c,
                    const push_sample_t *s, const char *server, int64_t deadline_ms)
{
	static const char *const names[] = { "EMF", "PutMetricData" };
	static const stat_id_t sent[] = { STAT_PUSH_EMF_SENT, STAT_PUSH_PUT_SENT };
	static const stat_id_t failed[] = { STAT_PUSH_EMF_FAILED, STAT_PUSH_PUT_FAILED };
	char err[512] = "";
	int64_t backoff_ms = PUSH_BACKOFF_FIRST_MS;

	for (;;) {
		if (fn(p, c, s, server, err, sizeof(err)) == 0) {
			stats_inc(p->sh, sent[dest]);
			if (p->failing[dest]) {
				p->failing[dest] = false;
				log_info(LOGGER_DHCP4, "LESSOR_METRICS_PUSH_RECOVERED",
				         "metrics push (%s) delivers again", names[dest]);
			}
			return;
		}
		if (mono_ms() + backoff_ms >= deadline_ms || nap(p, mono_ms() + backoff_ms)) {
			break;
		}
		stats_inc(p->sh, STAT_PUSH_RETRIES);
		backoff_ms *= 2;
	}
	stats_inc(p->sh, failed[dest]);
	if (!p->failing[dest]) {
		p->failing[dest] = true;
		log_warn(LOGGER_DHCP4, "LESSOR_METRICS_PUSH_FAILED",
		         "metrics push (%s) failed, retrying every round: %s", names[dest], err);
	}
}

static void round_run(push_t *p, const cfg_push_t *c, const cfg_t *cfg, int64_t deadline_ms)
{
	json_t *all = ctl_stats_all(p->ctl);
	push_sample_t s = { 0 };
	struct timespec now;
	char host[256] = "";

	clock_gettime(CLOCK_REALTIME, &now);
	int r = all != NULL ? push_sample_build(all, cfg, c->top_subnets,
	                                        (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000, &s)
	                    : -ENOMEM;
	json_decref(all);
	if (r < 0) {
		return; /* out of memory: the next round tries again */
	}
	if (c->server_name == NULL) {
		gethostname(host, sizeof(host) - 1);
	}
	const char *server = c->server_name != NULL ? c->server_name : host;
	if (c->emf != NULL) {
		deliver(p, DEST_EMF, deliver_emf, c, &s, server, deadline_ms);
	}
	if (c->put) {
		deliver(p, DEST_PUT, deliver_put, c, &s, server, deadline_ms);
	}
	push_sample_done(&s);
}

static void *push_main(void *ud)
{
	push_t *p = ud;
	int64_t due_ms = 0;

	(void)pthread_setname_np(pthread_self(), "lessor-push");
	/* nap() always runs before a round, so a stop is seen within one step */
	while (!nap(p, 0)) {
		_cleanup_(cfg_releasep) const cfg_t *cfg = cfg_acquire();
		int64_t now = mono_ms();

		if (cfg == NULL || !cfg->push.enabled || now < due_ms) {
			int64_t wake = now + PUSH_IDLE_S * 1000;

			if (nap(p, cfg != NULL && cfg->push.enabled && due_ms < wake ? due_ms : wake)) {
				break;
			}
			continue;
		}
		due_ms = now + (int64_t)cfg->push.interval * 1000;
		round_run(p, &cfg->push, cfg, due_ms);
	}
	return NULL;
}

int push_start(ctl_t *ctl, stats_shard_t *sh, push_t **ret)
{
	push_t *p = calloc(1, sizeof(*p));
	pthread_condattr_t ca;
	int r;

	if (p == NULL) {
		return -ENOMEM;
	}
	p->ctl = ctl;
	p->sh = sh;
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	r = pthread_create(&p->thread, NULL, push_main, p);
	if (r != 0) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return -r;
	}
	*ret = p;
	return 0;
}

push_t *push_stop(push_t *p)
{
	if (p == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
	return NULL;
}
