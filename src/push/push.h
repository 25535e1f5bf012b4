/* The metrics push that replaces the deployment's agent: every
 * lessor-metrics.interval seconds (cfg/cfg-push.h) it takes statistic-get-all
 * (ctl_stats_all(): what the agent polled, without a logged command), builds
 * the metrics (push/sample.h) and sends them as EMF records (push/emf.h) to
 * stdout, a file or the CloudWatch agent's UDP/TCP endpoint, and through
 * PutMetricData (push/put.h).
 *
 * Its own thread in the control plane: it never holds a lock a packet worker
 * takes (ctl's mutex only while copying the statistics, as any API client),
 * every network step is bounded (connect and send 2 s, HTTP 5 s). A failed
 * delivery is retried after 0.2, 0.4, 0.8, ... s until the next round is due, then
 * given up; counted in the statistics metrics-push-{emf,put}-{sent,failed} and
 * metrics-push-retries. The configuration is read each round, so a reload
 * starts, changes or stops the push. */
#pragma once

#include "ctl/ctl.h"
#include "stats/stats.h"

typedef struct push push_t;

/** Start the thread; it counts into @sh (it is that shard's only writer).
 *  0 or -errno. Main thread. */
int push_start(ctl_t *ctl, stats_shard_t *sh, push_t **ret);
/** Stop and join it (a delivery in progress finishes within its bounds).
 *  NULL-safe; returns NULL. Main thread, before ctl_stop(). */
push_t *push_stop(push_t *p);
