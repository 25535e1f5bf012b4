/* Lease updates to the partner and the replies that wait for them (Kea's
 * leases4_committed + parking lot, kea-ha-protocol.md §2-3). Workers park, the
 * HA thread sends lease4-update / lease4-del and then the reply. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "ha/ha-int.h"
#include "util/inaddr.h"
#include "util/log.h"

/* Lease4::toElement as the partner wants it: "expire" instead of "cltt".
 * Rewrites @l in place (the caller owns the answer it is in: no copy per
 * lease) and returns a new reference to it. */
static json_t *wire_lease(json_t *l)
{
	json_t *cltt = json_object_get(l, "cltt"), *vl = json_object_get(l, "valid-lft");

	if (json_is_integer(cltt) && json_is_integer(vl)) {
		json_object_set_new(l, "expire", json_integer(json_integer_value(cltt) + json_integer_value(vl)));
	}
	json_object_del(l, "cltt");
	json_object_set_new(l, "origin", json_string("ha-partner"));
	return json_incref(l);
}

/* lease4-update for a lease @l (lease4-get's arguments, rewritten in place;
 * NULL or json null: none) that is active or declined, lease4-del for one
 * that is gone or reclaimed. NULL on OOM. */
static json_t *lease_command_of(json_t *l, uint32_t addr)
{
	char a[INADDR_STRLEN];
	json_t *st = json_object_get(l, "state");
	json_t *cltt = json_object_get(l, "cltt"), *vl = json_object_get(l, "valid-lft");
	bool live = json_is_integer(st) &&
	            ((json_integer_value(st) == 0 && json_is_integer(cltt) && json_is_integer(vl) &&
	              json_integer_value(cltt) + json_integer_value(vl) > (json_int_t)time(NULL)) ||
	             json_integer_value(st) == 1);

	inaddr_fmt(addr, a);
	if (live) {
		json_t *w = wire_lease(l);

		if (w != NULL) {
			json_object_set_new(w, "force-create", json_true());
		}
		return ha_msg_command("lease4-update", w);
	}
	json_t *w = json_is_object(l) ? wire_lease(l) : json_pack("{s:s, s:s}", "ip-address", a, "origin", "ha-partner");

	return ha_msg_command("lease4-del", w);
}

/* The command for @addr as the store has it now. NULL on OOM. */
static json_t *lease_command(ha_t *ha, uint32_t addr)
{
	char a[INADDR_STRLEN];
	json_t *ans = ha_local(ha, "lease4-get", json_pack("{s:s}", "ip-address", inaddr_fmt(addr, a)));
	json_t *cmd = lease_command_of(ha_result(ans) == 0 ? json_object_get(ans, "arguments") : NULL, addr);

	json_decref(ans);
	return cmd;
}

static void poke(ha_t *ha, const cfg_ha_t *h, bool ok)
{
	int64_t now = ha_now_ms();

	pthread_mutex_lock(&ha->lock);
	if (ok) {
		/* any successful exchange counts as a heartbeat (Kea pokes the timer) */
		ha->last_ok_ms = now;
		ha->next_hb_ms = now + h->heartbeat_delay;
		ha_clients_clear_locked(ha);
	} else {
		ha->partner = HA_PARTNER_UNAVAILABLE;
	}
	pthread_mutex_unlock(&ha->lock);
}

/* Kea's judgement of the partner's answer to one lease's command: 0 on
 * success, "empty" (3) or conflict (4, logged); negative (logged) otherwise.
 * @r: the transport's verdict, @err its reason. */
static int judge(const cfg_ha_t *h, const cfg_ha_peer_t *p, uint32_t addr, int r, json_t *ans,
                 char *err, size_t errlen)
{
	char a[INADDR_STRLEN];
	int res = r == 0 ? ha_result(ans) : -1;

	if (r == 0 && res != 0 && res != 3 && res != 4) {
		json_t *t = json_object_get(ans, "text");

		snprintf(err, errlen, "%s", json_is_string(t) ? json_string_value(t) : "error");
		r = -EPROTO;
	}
	if (res == 4) {
		log_warn(HA_LOGGER, "HA_LEASE_UPDATE_CONFLICT", "%s: lease update for %s to %s returned conflict status code: %s",
		         h->this_server_name, inaddr_fmt(addr, a), p->name,
		         json_string_value(json_object_get(ans, "text")));
	}
	if (r < 0) {
		log_warn(HA_LOGGER, "HA_LEASE_UPDATE_FAILED", "%s: lease update for %s to %s failed: %s",
		         h->this_server_name, inaddr_fmt(addr, a), p != NULL ? p->name : "?", err);
	}
	return r;
}

static long update_timeout(const cfg_ha_t *h)
{
	return MIN(MAX((long)h->max_response_delay, 100L), 10000L);
}

int ha_send_lease(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, uint32_t addr)
{
	char err[256] = "";
	json_t *ans = NULL, *cmd = lease_command(ha, addr);
	const cfg_ha_peer_t *p = ha_partner(h);
	int r = cmd != NULL && p != NULL ? ha->post(c, p, cmd, update_timeout(h), &ans, err, sizeof(err))
	                                 : -ENOMEM;

	r = judge(h, p, addr, r, ans, err, sizeof(err));
	poke(ha, h, r == 0);
	json_decref(cmd);
	json_decref(ans);
	return r;
}

/* A partner behind a restricted dedicated listener answers version-get with
 * HTTP 403 (Kea's and lessor's alike): an empty batch tells a lessor (result
 * 0) from a Kea (403 again). */
static bool batch_probe(ha_http_t *c, const cfg_ha_t *h)
{
	char err[256];
	json_t *ans = NULL, *cmd = ha_msg_command("lessor-lease4-batch", json_pack("{s:[]}", "leases"));
	int r = cmd != NULL ? ha_http_post(c, ha_partner(h), cmd, update_timeout(h), &ans, err, sizeof(err))
	                    : -ENOMEM;
	bool lessor = r == 0 && ha_result(ans) == 0;

	json_decref(cmd);
	json_decref(ans);
	return lessor;
}

void ha_negotiate(ha_t *ha, ha_http_t *c, const cfg_ha_t *h)
{
	char err[256];
	json_t *ans = NULL, *cmd = ha_msg_command("version-get", NULL);
	int r = cmd != NULL ? ha->post(c, ha_partner(h), cmd, update_timeout(h), &ans, err, sizeof(err))
	                    : -ENOMEM;
	const char *ext = json_string_value(json_object_get(json_object_get(ans, "arguments"), "extended"));
	bool forbidden = r < 0 && strcmp(err, "HTTP status 403") == 0;

	if (r == 0 || forbidden) {
		/* lessor's version-get names it; Kea's never does */
		bool lessor = forbidden ? batch_probe(c, h)
		                        : ha_result(ans) == 0 && ext != NULL && strstr(ext, "\nlessor ") != NULL;

		atomic_store(&ha->peer_batch, lessor ? HA_BATCH_YES : HA_BATCH_NO);
		log_info(HA_LOGGER, "LESSOR_HA_PEER_BATCH", "%s: lease updates to %s go %s",
		         h->this_server_name, ha_partner(h)->name,
		         lessor ? "in batches (lessor-lease4-batch)" : "one lease per command");
	}
	json_decref(cmd);
	json_decref(ans);
}

/* The change to every backup server (Kea sends them every change, whatever
 * the state); a backup that fails is logged, never marked unavailable. @r is
 * the partner's verdict; returns the item's: a backup's failure counts only
 * with wait-backup-ack. */
static int to_backups(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, uint32_t addr, int r)
{
	if (!ha_has_backups(h)) {
		return r;
	}
	json_t *cmd = lease_command(ha, addr);

	for (size_t i = 0; i < h->n_peers; i++) {
		const cfg_ha_peer_t *p = &h->peers[i];
		char err[256] = "";
		json_t *ans = NULL;

		if (i == h->self || p->role != CFG_HA_BACKUP) {
			continue;
		}
		int b = cmd != NULL ? ha->post(c, p, cmd, update_timeout(h), &ans, err, sizeof(err)) : -ENOMEM;

		b = judge(h, p, addr, b, ans, err, sizeof(err));
		json_decref(ans);
		if (b < 0 && h->wait_backup_ack && r == 0) {
			r = b;
		}
	}
	json_decref(cmd);
	return r;
}

/* Items 0..n-1 of @ps in one lessor-lease4-batch; each one's verdict in res[].
 * false when the partner does not know the command (then nothing is judged). */
static bool send_batch(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, const ha_parked_t *ps, size_t n,
                       int *res)
{
	char err[256] = "";
	const cfg_ha_peer_t *p = ha_partner(h);
	json_t *list = json_array(), *ans = NULL;
	uint32_t addrs[HA_BATCH_MAX];

	for (size_t i = 0; i < n; i++) {
		addrs[i] = ps[i].addr;
	}
	/* every lease of the batch in one ctl call (else lease4-get each) */
	json_t *leases = ha->ctl != NULL ? ctl_lease4_get_many(ha->ctl, addrs, n) : NULL;

	for (size_t i = 0; list != NULL && i < n; i++) {
		json_t *cmd = leases != NULL ? lease_command_of(json_array_get(leases, i), ps[i].addr)
		                             : lease_command(ha, ps[i].addr);

		json_object_del(cmd, "service");
		if (cmd == NULL || json_array_append_new(list, cmd) < 0) {
			json_decref(list);
			list = NULL;
		}
	}
	json_decref(leases);
	json_t *req = list != NULL ? ha_msg_command("lessor-lease4-batch", json_pack("{s:o}", "leases", list)) : NULL;
	int r = req != NULL && p != NULL ? ha->post(c, p, req, update_timeout(h), &ans, err, sizeof(err))
	                                 : -ENOMEM;
	json_decref(req);
	if (r == 0 && ha_result(ans) == 2) {
		atomic_store(&ha->peer_batch, HA_BATCH_NO);     /* not (or no longer) a lessor */
		json_decref(ans);
		return false;
	}
	if (r == 0 && ha_result(ans) != 0) {
		json_t *t = json_object_get(ans, "text");

		snprintf(err, sizeof(err), "%s", json_is_string(t) ? json_string_value(t) : "batch failed");
		r = -EPROTO;
	}
	json_t *results = json_object_get(json_object_get(ans, "arguments"), "results");
	for (size_t i = 0; i < n; i++) {
		json_t *one = r == 0 ? json_array_get(results, i) : NULL;
		int ri = r;

		if (r == 0 && !json_is_object(one)) {
			snprintf(err, sizeof(err), "no answer for this lease in the batch");
			ri = -EPROTO;
		}
		res[i] = judge(h, p, ps[i].addr, ri, one, err, sizeof(err));
	}
	poke(ha, h, r == 0);
	json_decref(ans);
	return true;
}

/* The reply that waited, on the worker's socket (a dup: the worker may be gone). */
static int send_reply(const ha_parked_t *p)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(p->dport) };
	struct iovec iov = { .iov_base = (void *)p->buf, .iov_len = p->tx.len };
	_Alignas(struct cmsghdr) uint8_t cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1 };
	bool bcast = p->tx.kind != DHCP4_TX_UDP;

	to.sin_addr.s_addr = htonl(bcast ? INADDR_BROADCAST : p->tx.dst_addr);
	if (p->tx.src_addr != 0 || bcast) {
		struct in_pktinfo pi = { .ipi_ifindex = bcast ? p->tx.ifindex : 0 };

		pi.ipi_spec_dst.s_addr = htonl(p->tx.src_addr);
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	}
	if (sendmsg(p->fd, &msg, 0) >= 0) {
		return 0;
	}
	if (msg.msg_control != NULL && !bcast) {
		msg.msg_control = NULL;         /* a non-local server id: let routing choose */
		msg.msg_controllen = 0;
		if (sendmsg(p->fd, &msg, 0) >= 0) {
			return 0;
		}
	}
	return -errno;
}

/* The update's verdict @r decides the held reply (Kea: a failed update drops
 * it; the client retries). The caller releases its parking space. */
static void finish(const cfg_ha_t *h, ha_parked_t *p, int r)
{
	int sr = p->has_reply && r == 0 ? send_reply(p) : 0;

	if (sr < 0) {
		log_warn(HA_LOGGER, "LESSOR_HA_PARKED_SEND_FAIL", "%s: failed to send a parked reply: %s",
		         h->this_server_name, strerror(-sr));
	}
	if (p->fd >= 0) {
		close(p->fd);
	}
}

unsigned ha_park_send(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, ha_parked_t *ps, size_t n)
{
	int res[HA_BATCH_MAX];
	unsigned failed = 0;

	n = MIN(n, (size_t)HA_BATCH_MAX);
	pthread_mutex_lock(&ha->lock);
	/* parked for the backups only, or the state changed since */
	bool to_partner = ha_to_partner_locked(ha, h);
	bool gone = ha->partner == HA_PARTNER_UNAVAILABLE;
	pthread_mutex_unlock(&ha->lock);
	/* a partner that stopped answering would hold every update for a
	 * timeout: drop at once until a heartbeat finds it again */
	bool batched = to_partner && !gone && atomic_load(&ha->peer_batch) == HA_BATCH_YES &&
	               send_batch(ha, c, h, ps, n, res);

	for (size_t i = 0; i < n; i++) {
		if (!to_partner || gone) {
			if (!ha_backlog_add(ha, h, ps[i].addr) && ha_partner(h) != NULL) {
				ha_note_unsent(ha);
			}
			res[i] = to_partner ? -EHOSTUNREACH : 0;
		} else if (!batched) {
			res[i] = ha_send_lease(ha, c, h, ps[i].addr);
		}
		res[i] = to_backups(ha, c, h, ps[i].addr, res[i]);
		failed += res[i] < 0;
		finish(h, &ps[i], res[i]);
	}
	ha_park_release(ha, n);
	return failed;
}
