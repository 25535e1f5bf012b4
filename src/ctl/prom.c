/* GET /metrics: the statistics, process and service state in the Prometheus
 * text exposition format (version 0.0.4). Built from the control plane's own
 * statistic history under ctl->lock, so a scrape costs the packet workers
 * nothing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl-int.h"
#include "util/inaddr.h"

DEFINE_FREEP(const cfg_t, cfg_release)

/* Kea statistic name -> metric name and type. */
static bool metric_is_gauge(const char *kea)
{
	return strcmp(kea, "total-addresses") == 0 || strcmp(kea, "assigned-addresses") == 0 ||
	       strcmp(kea, "declined-addresses") == 0;
}

static void metric_name(const char *prefix, const char *kea, char *buf, size_t size)
{
	size_t o = (size_t)snprintf(buf, size, "%s", prefix);

	for (const char *p = kea; *p != '\0' && o + 1 < size; p++) {
		buf[o++] = *p == '-' || *p == '.' ? '_' : *p;
	}
	buf[o] = '\0';
	if (!metric_is_gauge(kea)) {
		snprintf(buf + o, size - o, "_total");
	}
}

typedef struct metrics_ctx {
	FILE *f;
	const cfg_t *cfg;
	bool subnet_pass;
	const char *family; /* Kea name of the per-subnet family being written */
} metrics_ctx_t;

void ctl_prom_label(FILE *f, const char *v)
{
	/* label value escaping: backslash, double quote and line feed */
	for (const char *p = v != NULL ? v : ""; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"') {
			fputc('\\', f);
			fputc(*p, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else {
			fputc(*p, f);
		}
	}
}

static void emit_global(const char *name, int64_t value, void *ud)
{
	metrics_ctx_t *m = ud;
	char mname[160];

	if (strncmp(name, "subnet[", 7) == 0) {
		return;
	}
	metric_name("kea_dhcp4_", name, mname, sizeof(mname));
	fprintf(m->f, "# HELP %s Kea statistic %s.\n# TYPE %s %s\n%s %lld\n", mname, name, mname,
	        metric_is_gauge(name) ? "gauge" : "counter", mname, (long long)value);
}

static void emit_subnet(const char *name, int64_t value, void *ud)
{
	metrics_ctx_t *m = ud;
	unsigned id;
	int off = 0;
	char mname[160], net[INADDR_STRLEN];

	if (sscanf(name, "subnet[%u].%n", &id, &off) != 1 || off == 0 ||
	    strcmp(name + off, m->family) != 0) {
		return;
	}
	const cfg_subnet4_t *s = m->cfg != NULL ? cfg_subnet_by_id(m->cfg, id) : NULL;
	metric_name("kea_dhcp4_subnet_", m->family, mname, sizeof(mname));
	fprintf(m->f, "%s{subnet_id=\"%u\",subnet=\"%s/%u\",shared_network=\"", mname, id,
	        s != NULL ? inaddr_fmt(s->net, net) : "", s != NULL ? s->plen : 0);
	ctl_prom_label(m->f, s != NULL && s->network != NULL ? s->network->name : "");
	fprintf(m->f, "\"} %lld\n", (long long)value);
}

static void emit_process(FILE *f, const ctl_t *ctl)
{
	struct rusage ru;
	long rss_pages = 0;
	int nfds = 0;
	struct timespec rt;

	getrusage(RUSAGE_SELF, &ru);
	FILE *sm = fopen("/proc/self/statm", "re");
	if (sm != NULL) {
		long size;

		if (fscanf(sm, "%ld %ld", &size, &rss_pages) != 2) {
			rss_pages = 0;
		}
		fclose(sm);
	}
	DIR *d = opendir("/proc/self/fd");
	if (d != NULL) {
		while (readdir(d) != NULL) {
			nfds++;
		}
		closedir(d);
		nfds = nfds > 2 ? nfds - 3 : 0; /* ".", ".." and the DIR's own fd */
	}
	clock_gettime(CLOCK_REALTIME, &rt);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
	             ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
	fprintf(f,
	        "# HELP process_cpu_seconds_total Total user and system CPU time spent in "
	        "seconds.\n"
	        "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %.6f\n",
	        cpu);
	fprintf(f,
	        "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
	        "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %lld\n",
	        (long long)rss_pages * sysconf(_SC_PAGESIZE));
	fprintf(f,
	        "# HELP process_open_fds Number of open file descriptors.\n"
	        "# TYPE process_open_fds gauge\nprocess_open_fds %d\n",
	        nfds);
	fprintf(f,
	        "# HELP process_start_time_seconds Start time of the process since unix epoch in "
	        "seconds.\n# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds "
	        "%lld\n",
	        (long long)(rt.tv_sec - ctl_elapsed(&ctl->started)));
	bool enabled = ctl->env.dhcp_is_enabled == NULL || ctl->env.dhcp_is_enabled(ctl->env.ud);
	fprintf(f,
	        "# HELP lessor_dhcp_enabled Whether DHCP service is enabled (dhcp-disable).\n"
	        "# TYPE lessor_dhcp_enabled gauge\nlessor_dhcp_enabled %d\n",
	        enabled ? 1 : 0);
	fprintf(f,
	        "# HELP lessor_config_age_seconds Seconds since the configuration was loaded.\n"
	        "# TYPE lessor_config_age_seconds gauge\nlessor_config_age_seconds %lld\n",
	        (long long)ctl_elapsed(&ctl->reloaded));
}

char *ctl_metrics(ctl_t *ctl)
{
	static const char *const families[] = {"total-addresses",
	                                       "assigned-addresses",
	                                       "declined-addresses",
	                                       "cumulative-assigned-addresses",
	                                       "reclaimed-declined-addresses",
	                                       "reclaimed-leases",
	                                       "v4-reservation-conflicts",
	                                       "v4-allocation-fail",
	                                       "v4-allocation-fail-classes",
	                                       "v4-allocation-fail-no-pools",
	                                       "v4-allocation-fail-shared-network",
	                                       "v4-allocation-fail-subnet"};
	_cleanup_(cfg_releasep) const cfg_t *cfg = cfg_acquire();
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	metrics_ctx_t m = {.f = f, .cfg = cfg};

	if (f == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&ctl->lock);
	ctl_sample_locked(ctl);
	stat_history_foreach(ctl->hist, emit_global, &m);
	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		char mname[160];

		metric_name("kea_dhcp4_subnet_", families[i], mname, sizeof(mname));
		fprintf(f, "# HELP %s Kea statistic subnet[id].%s.\n# TYPE %s %s\n", mname,
		        families[i], mname, metric_is_gauge(families[i]) ? "gauge" : "counter");
		m.family = families[i];
		stat_history_foreach(ctl->hist, emit_subnet, &m);
	}
	emit_process(f, ctl);
	ctl_prom_lessor(f, ctl);
	pthread_mutex_unlock(&ctl->lock);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
