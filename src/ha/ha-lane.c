/* The parking lot's lanes (ha-int.h HA_LANES): workers park a lease change
 * (and its held reply) in the lane of its address; each lane's thread sends
 * what waits in it as one request to the partner (a lessor-lease4-batch, or
 * one lease4-update / lease4-del per lease to Kea) over its own kept-alive
 * connection, so HA_LANES requests are in flight at once and an address's
 * updates stay in order. The limit counts what is queued and what is in
 * flight, as Kea's parking lot does (a reply is parked until unparked). */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "ha/ha-int.h"
#include "util/inaddr.h"
#include "util/log.h"

/* The first ring of a lane; it doubles when full, up to the limit. */
#define HA_LANE_RING0 64
/* At most one LESSOR_HA_PARK_FULL warning this often (ms). */
#define HA_PARK_WARN_MS 10000

unsigned ha_lane_of(uint32_t addr)
{
	/* consecutive addresses spread over the lanes (the allocator hands
	 * them out in order) */
	return (addr ^ (addr >> 8) ^ (addr >> 16)) % HA_LANES;
}

size_t ha_park_limit(const cfg_t *cfg)
{
	if (cfg == NULL || !cfg->parked_packet_limit_set) {
		return HA_PARK_DEFAULT;
	}
	return cfg->parked_packet_limit == 0 ? HA_PARK_CAP : MIN((size_t)cfg->parked_packet_limit, (size_t)HA_PARK_CAP);
}

/* The fields and the used part of the reply (a slot is DHCP_PKT_MAX). */
static void copy_parked(ha_parked_t *dst, const ha_parked_t *src)
{
	memcpy(dst, src, offsetof(ha_parked_t, buf));
	memcpy(dst->buf, src->buf, src->has_reply ? MIN(src->tx.len, sizeof(src->buf)) : 0);
	dst->tx.buf = dst->buf;
}

/* Room for one more in @l: grow the ring (unwrapped into the new one). Lock held. */
static bool lane_room_locked(ha_lane_t *l)
{
	if (l->n < l->cap) {
		return true;
	}
	size_t cap = MIN(l->cap * 2, (size_t)HA_PARK_CAP);
	ha_parked_t *r = cap > l->cap ? malloc(cap * sizeof(*r)) : NULL;

	if (r == NULL) {
		return false;
	}
	for (size_t i = 0; i < l->n; i++) {
		copy_parked(&r[i], &l->ring[(l->head + i) % l->cap]);
	}
	free(l->ring);
	l->ring = r;
	l->cap = cap;
	l->head = 0;
	return true;
}

/* Kea's DHCP4_HOOK_LEASES4_PARKING_LOT_FULL (debug), and lessor's warning
 * with the count so that drops at the limit are never silent. Lock held. */
static void note_full_locked(ha_t *ha, uint32_t addr)
{
	char a[INADDR_STRLEN];
	int64_t now = ha_now_ms();

	log_debug("kea-dhcp4.packets", 15, "DHCP4_HOOK_LEASES4_PARKING_LOT_FULL",
	          "The parked-packet-limit %zu, has been reached, dropping query: lease %s", ha->park_limit,
	          inaddr_fmt(addr, a));
	ha->park_full++;
	if (ha->park_full_warned_ms == 0 || now - ha->park_full_warned_ms >= HA_PARK_WARN_MS) {
		log_warn(HA_LOGGER, "LESSOR_HA_PARK_FULL",
		         "parked-packet-limit %zu reached: %" PRIu64 " replies dropped (counted in pkt4-receive-drop)",
		         ha->park_limit, ha->park_full);
		ha->park_full = 0;
		ha->park_full_warned_ms = now;
	}
}

bool ha_park(ha_t *ha, const ha_parked_t *p)
{
	ha_lane_t *l = &ha->lanes[ha_lane_of(p->addr)];

	pthread_mutex_lock(&ha->lock);
	if (ha->parked >= ha->park_limit || !lane_room_locked(l)) {
		note_full_locked(ha, p->addr);
		pthread_mutex_unlock(&ha->lock);
		return false;
	}
	copy_parked(&l->ring[(l->head + l->n) % l->cap], p);
	l->n++;
	l->parked_seq++;
	ha->parked++;
	pthread_cond_signal(&l->wake);
	pthread_mutex_unlock(&ha->lock);
	return true;
}

void ha_park_release(ha_t *ha, size_t n)
{
	pthread_mutex_lock(&ha->lock);
	ha->parked -= MIN(n, ha->parked);
	pthread_mutex_unlock(&ha->lock);
}

/* Up to @max items off @l, oldest first (they keep their parking space). */
static size_t pop_batch(ha_t *ha, ha_lane_t *l, ha_parked_t *out, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&ha->lock);
	for (; n < max && l->n > 0; n++) {
		copy_parked(&out[n], &l->ring[l->head]);
		l->head = (l->head + 1) % l->cap;
		l->n--;
	}
	pthread_mutex_unlock(&ha->lock);
	return n;
}

/* @n items of @l are finished. */
static void lane_done(ha_t *ha, ha_lane_t *l, size_t n)
{
	pthread_mutex_lock(&ha->lock);
	l->done_seq += n;
	pthread_cond_broadcast(&ha->lane_done);
	pthread_mutex_unlock(&ha->lock);
}

int ha_park_flush(ha_t *ha, int64_t timeout_ms)
{
	uint64_t want[HA_LANES];
	int64_t end = ha_now_ms() + timeout_ms;
	int r = 0;

	pthread_mutex_lock(&ha->lock);
	for (size_t i = 0; i < HA_LANES; i++) {
		want[i] = ha->lanes[i].parked_seq;
	}
	for (size_t i = 0; i < HA_LANES && r == 0; i++) {
		while (ha->lanes_running && ha->lanes[i].done_seq < want[i] && r == 0) {
			struct timespec ts = { .tv_sec = end / 1000, .tv_nsec = (end % 1000) * 1000000 };

			r = pthread_cond_timedwait(&ha->lane_done, &ha->lock, &ts) == ETIMEDOUT ? -ETIMEDOUT : 0;
		}
	}
	pthread_mutex_unlock(&ha->lock);
	return r;
}

static void drop(ha_t *ha, ha_parked_t *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ps[i].fd >= 0) {
			close(ps[i].fd);
		}
	}
	ha_park_release(ha, n);
}

void ha_park_drop_all(ha_t *ha)
{
	ha_parked_t p;

	for (size_t i = 0; i < HA_LANES; i++) {
		while (pop_batch(ha, &ha->lanes[i], &p, 1) == 1) {
			drop(ha, &p, 1);
			lane_done(ha, &ha->lanes[i], 1);
		}
	}
}

static void *lane_main(void *arg)
{
	ha_lane_t *l = arg;
	ha_t *ha = l->ha;

	for (;;) {
		pthread_mutex_lock(&ha->lock);
		while (!ha->lanes_stop && l->n == 0) {
			pthread_cond_wait(&l->wake, &ha->lock);
		}
		bool stop = ha->lanes_stop;
		pthread_mutex_unlock(&ha->lock);
		if (stop) {
			break;
		}
		const cfg_t *cfg = cfg_acquire();
		const cfg_ha_t *h = cfg != NULL && cfg->hooks.ha ? cfg->ha : NULL;
		size_t n = pop_batch(ha, l, l->batch, HA_BATCH_MAX);

		if (h != NULL) {
			ha_park_send(ha, &l->http, h, l->batch, n);
		} else {
			drop(ha, l->batch, n);  /* HA went away with the configuration */
		}
		lane_done(ha, l, n);
		cfg_release(cfg);
	}
	ha_http_done(&l->http);
	return NULL;
}

int ha_lanes_init(ha_t *ha)
{
	pthread_condattr_t ca;

	ha->park_limit = HA_PARK_DEFAULT;
	ha->post = ha_http_post;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ha->lane_done, &ca);
	for (size_t i = 0; i < HA_LANES; i++) {
		ha_lane_t *l = &ha->lanes[i];

		l->ha = ha;
		l->cap = HA_LANE_RING0;
		l->ring = malloc(l->cap * sizeof(*l->ring));
		l->batch = malloc(HA_BATCH_MAX * sizeof(*l->batch));
		pthread_cond_init(&l->wake, &ca);
	}
	pthread_condattr_destroy(&ca);
	for (size_t i = 0; i < HA_LANES; i++) {
		if (ha->lanes[i].ring == NULL || ha->lanes[i].batch == NULL) {
			return -ENOMEM;
		}
	}
	return 0;
}

int ha_lanes_start(ha_t *ha)
{
	ha->lanes_stop = false;
	for (size_t i = 0; i < HA_LANES; i++) {
		int r = pthread_create(&ha->lanes[i].thread, NULL, lane_main, &ha->lanes[i]);

		if (r != 0) {
			for (size_t j = 0; j < i; j++) {
				pthread_mutex_lock(&ha->lock);
				ha->lanes_stop = true;
				pthread_cond_broadcast(&ha->lanes[j].wake);
				pthread_mutex_unlock(&ha->lock);
				pthread_join(ha->lanes[j].thread, NULL);
			}
			return -r;
		}
		(void)pthread_setname_np(ha->lanes[i].thread, "lessor-ha-tx");
	}
	ha->lanes_running = true;
	return 0;
}

void ha_lanes_stop(ha_t *ha)
{
	if (!ha->lanes_running) {
		return;
	}
	pthread_mutex_lock(&ha->lock);
	ha->lanes_stop = true;
	for (size_t i = 0; i < HA_LANES; i++) {
		pthread_cond_broadcast(&ha->lanes[i].wake);
	}
	pthread_mutex_unlock(&ha->lock);
	for (size_t i = 0; i < HA_LANES; i++) {
		pthread_join(ha->lanes[i].thread, NULL);
	}
	ha->lanes_running = false;
}

void ha_lanes_free(ha_t *ha)
{
	for (size_t i = 0; i < HA_LANES; i++) {
		free(ha->lanes[i].ring);
		free(ha->lanes[i].batch);
		ha->lanes[i].ring = ha->lanes[i].batch = NULL;
		pthread_cond_destroy(&ha->lanes[i].wake);
	}
	pthread_cond_destroy(&ha->lane_done);
}
