/* lessor console. Plain JavaScript, no framework, nothing loaded from elsewhere (the page's
 * Content-Security-Policy forbids it). Every figure comes from the ordinary control commands,
 * POSTed to this origin with the credentials the browser already holds for the page; the page
 * only reads. Text from the server (hostnames, client-ids, log lines: client-supplied) is only
 * ever put into the DOM as text, never as markup. */
'use strict';

const POLL_MS = 2000;          /* rates, subnets, log: live while the page is open */
const SLOW_POLL_MS = 10000;    /* server view (status, health, hash) */
const WINDOW_S = 300;          /* the charts show the last 5 minutes */
const MIN_STEP_MS = 1500;      /* shortest interval a chart's rate is measured over */

/* The charted statistics: Kea's names, and the line's label. */
const RATES = [
	['pkt4-discover-received', 'DISCOVER received'],
	['pkt4-offer-sent', 'OFFER sent'],
	['pkt4-request-received', 'REQUEST received'],
	['pkt4-ack-sent', 'ACK sent'],
	['pkt4-nak-sent', 'NAK sent'],
	['pkt4-receive-drop', 'packets dropped'],
	['v4-allocation-fail', 'allocation failures'],
];

const state = {
	config: null,        /* Dhcp4 of config-get */
	hash: null,          /* its hash, to notice a reload */
	subnets: [],         /* {id, prefix, network, name, text, total, assigned, declined} */
	stats: new Map(),    /* stat -> Map(server time ms -> value) */
	skew: null,          /* server clock - browser clock, ms */
	view: 'server',
};

/* ---- talking to the server ---- */

class ApiError extends Error {}

/* One control command; resolves to Kea's answer map. */
async function api(command, args) {
	const body = {command: command, service: ['dhcp4']};
	if (args !== undefined) {
		body.arguments = args;
	}
	const r = await fetch('/', {
		method: 'POST',
		headers: {'Content-Type': 'application/json'},
		body: JSON.stringify(body),
		credentials: 'same-origin',
		cache: 'no-store',
	});
	if (!r.ok) {
		throw new ApiError(command + ': HTTP ' + r.status);
	}
	const ans = await r.json();
	const a = Array.isArray(ans) ? ans[0] : ans;
	if (a === null || typeof a !== 'object') {
		throw new ApiError(command + ': malformed answer');
	}
	return a;
}

/* Arguments of a successful (0) or empty (3) answer; throws on an error result. */
async function apiArgs(command, args) {
	const a = await api(command, args);
	if (a.result !== 0 && a.result !== 3) {
		throw new ApiError(command + ': ' + (a.text || 'result ' + a.result));
	}
	return a.arguments || {};
}

function setConn(ok, text) {
	const c = document.getElementById('conn');
	c.textContent = text;
	c.className = 'conn ' + (ok ? 'ok' : 'bad');
}

/* ---- DOM helpers (text only) ---- */

function el(tag, attrs, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (k === 'class') {
			e.className = v;
		} else {
			e.setAttribute(k, v);
		}
	}
	for (const k of kids) {
		if (k !== null && k !== undefined) {
			e.append(k instanceof Node ? k : String(k));
		}
	}
	return e;
}

function clear(e) {
	while (e.firstChild) {
		e.removeChild(e.firstChild);
	}
	return e;
}

function fmtDuration(s) {
	s = Math.max(0, Math.floor(s));
	const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
	const m = Math.floor(s % 3600 / 60), sec = s % 60;
	return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + (d || h || m ? m + 'm ' : '') + sec + 's';
}

/* Kea's "YYYY-MM-DD HH:MM:SS.ffffff" (server local time) as ms, read as browser local
 * time; the skew estimate absorbs any difference between the two clocks and zones. */
function parseTs(ts) {
	const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(ts);
	if (!m) {
		return NaN;
	}
	const ms = m[7] ? Number((m[7] + '000').slice(0, 3)) : 0;
	return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms).getTime();
}

/* ---- server view ---- */

function hooksLoaded(cfg, name) {
	return (cfg && cfg['hooks-libraries'] || []).some(h => String(h.library).includes(name));
}

function sourceRows(src) {
	if (!src) {
		return [['Configuration source', 'file given with -c']];
	}
	const res = src['last-result'];
	return [
		['Configuration source', src.kind + ': ' + src.location],
		['Source text hash', src.hash || '-'],
		['Last fetch', (src['last-fetch'] || '-') + ' (poll every ' + src['poll-interval'] + ' s)'],
		['Last result', el('span', {class: src['last-error'] ? 'bad-text' : 'ok-text'},
			String(res) + (src['last-error'] ? ': ' + src['last-error'] : ''))],
		['Fetches', `${src.fetches} (applied ${src.applied}, unchanged ${src.unchanged}, ` +
			`failed ${src.failed}, rejected ${src.rejected})`],
	];
}

function dhcpStateCell(ds) {
	if (!ds) {
		return '-';
	}
	if (ds.enabled) {
		return el('span', {class: 'ok-text'}, 'enabled');
	}
	return el('span', {class: 'bad-text'}, 'disabled by ' + (ds['disabled-by'] || []).join(', '));
}

function haCell(st, cfg) {
	const ha = st['high-availability'];
	if (Array.isArray(ha) && ha.length) {
		return ha.map(h => {
			const l = h['ha-servers'] && h['ha-servers'].local || {};
			const r = h['ha-servers'] && h['ha-servers'].remote || {};
			/* last-state is the partner's answer to the last heartbeat that worked */
			const reach = r['in-touch'] === false ? ' (not reached)'
				: r['communication-interrupted'] ? ' (communication interrupted)' : '';
			return `${h['ha-mode'] || ''} local ${l.role || ''} ${l.state || ''}, ` +
				`partner ${r.role || ''} ${r['last-state'] || r.state || 'unknown'}${reach}`;
		}).join('; ');
	}
	return hooksLoaded(cfg, 'libdhcp_ha') ? 'configured (libdhcp_ha), no state reported'
		: 'not configured';
}

async function health() {
	const r = await fetch('/health', {credentials: 'same-origin', cache: 'no-store'});
	const j = await r.json();
	return j;
}

async function refreshServer() {
	const [ver, st, hash, tag, h] = await Promise.all([
		api('version-get'), apiArgs('status-get'), apiArgs('config-hash-get').catch(() => ({})),
		apiArgs('server-tag-get').catch(() => ({})), health().catch(e => ({reason: String(e)}))]);
	if (hash.hash && hash.hash !== state.hash) {
		await loadConfig();
	}
	const cfg = state.config || {};
	const db = cfg['lease-database'] || {};
	const name = tag['server-tag'] || location.hostname;
	document.getElementById('hdr-name').textContent = name;
	const rows = [
		['Name', name],
		['Version', ver.text || '-'],
		['PID', st.pid],
		['Uptime', fmtDuration(st.uptime)],
		['Configuration in force', 'hash ' + (hash.hash || '-')],
		['Last reload', fmtDuration(st.reload) + ' ago'],
		...sourceRows(st['config-source']),
		['Lease database', (db.type || '-') + (db.name ? ' ' + db.name : '') +
			(db.host ? ' on ' + db.host : '')],
		['Readiness', el('span', {class: h.status === 'ready' ? 'ok-text' : 'bad-text'},
			(h.status || 'unknown') + ': ' + (h.reason || ''))],
		['DHCP service', dhcpStateCell(st['dhcp-state'])],
		['High availability', haCell(st, cfg)],
		['Multi-threading', st['multi-threading-enabled'] ?
			'on, ' + (st['thread-pool-size'] || '?') + ' threads' : 'off'],
		['Subnets', state.subnets.length],
	];
	const tb = clear(document.querySelector('#server-table tbody'));
	for (const [k, v] of rows) {
		tb.append(el('tr', {}, el('th', {}, k), el('td', {}, v)));
	}
}

/* ---- subnets view ---- */

async function loadConfig() {
	/* the hash to watch is config-hash-get's: config-get's answer carries none (as
	 * Kea 2.2's), and without one the page reloaded the (megabytes of) configuration
	 * on every refresh */
	const [a, h] = await Promise.all([apiArgs('config-get'),
		apiArgs('config-hash-get').catch(() => ({}))]);
	const d = a.Dhcp4 || {};
	state.config = d;
	state.hash = h.hash || null;
	const list = [];
	/* a reload keeps the figures known so far until the next stat-lease4-get */
	const prev = new Map(state.subnets.map(s => [s.id, s]));
	const add = (s, network) => {
		const uc = s['user-context'] || {};
		const p = prev.get(s.id) || {total: 0, assigned: 0, declined: 0};
		const name = [uc['site-name'], uc['site-id'], uc.name, s.comment]
			.filter(x => typeof x === 'string' && x).join(' ');
		list.push({id: s.id, prefix: s.subnet, network: network, name: name,
			total: p.total, assigned: p.assigned, declined: p.declined,
			text: [s.subnet, network, name, String(s.id)].join(' ').toLowerCase()});
	};
	for (const s of d.subnet4 || []) {
		add(s, '');
	}
	for (const n of d['shared-networks'] || []) {
		for (const s of n.subnet4 || []) {
			add(s, n.name || '');
		}
	}
	state.subnets = list;
}

function usage(s) {
	return s.total > 0 ? (s.assigned + s.declined) / s.total : 0;
}

async function refreshSubnetStats() {
	const ans = await api('stat-lease4-get');
	if (ans.result === 2) {
		/* no libdhcp_stat_cmds.so: the command is unknown, Kea's own statistics remain */
		await refreshSubnetStatsFromStatistics();
		await refreshPoolStats();
		return;
	}
	if (ans.result !== 0 && ans.result !== 3) {
		throw new ApiError('stat-lease4-get: ' + (ans.text || 'result ' + ans.result));
	}
	const rs = (ans.arguments || {})['result-set'];
	if (!rs) {
		return;
	}
	const col = {};
	rs.columns.forEach((c, i) => { col[c] = i; });
	const byId = new Map(rs.rows.map(r => [r[col['subnet-id']], r]));
	for (const s of state.subnets) {
		const r = byId.get(s.id);
		if (r) {
			s.total = r[col['total-addresses']];
			s.assigned = r[col['assigned-addresses']];
			s.declined = r[col['declined-addresses']];
		}
	}
	await refreshPoolStats();
	const server = parseTs(rs.timestamp);
	if (!Number.isNaN(server)) {
		/* the answer was made between sending and now: the largest offset seen is the best */
		const skew = server - Date.now();
		state.skew = state.skew === null ? skew : Math.max(state.skew, skew);
	}
}

/* The subnets' figures from statistic-get-all's subnet[id].total-/assigned-/declined-addresses,
 * which Kea and lessor keep without any hook library (the latest sample of each). */
async function refreshSubnetStatsFromStatistics() {
	const all = await apiArgs('statistic-get-all');
	const latest = name => {
		const v = all[name];
		return Array.isArray(v) && v.length > 0 && Array.isArray(v[0]) ? v[0][0] : undefined;
	};
	for (const s of state.subnets) {
		const total = latest(`subnet[${s.id}].total-addresses`);
		if (total !== undefined) {
			s.total = total;
			s.assigned = latest(`subnet[${s.id}].assigned-addresses`) || 0;
			s.declined = latest(`subnet[${s.id}].declined-addresses`) || 0;
		}
	}
}

/* Per-pool figures from lessor's stat-pool4-get (Kea 2.4's subnet[id].pool[pid].* figures;
 * not in statistic-get-all, which Kea 2.2 has none of). A server without the command (Kea)
 * shows subnets only. Pool "assigned" already includes declined, as Kea counts it. */
async function refreshPoolStats() {
	let a;
	try {
		a = await apiArgs('stat-pool4-get');
	} catch (e) {
		return;
	}
	const bySubnet = new Map();
	for (const p of a.pools || []) {
		if (!bySubnet.has(p['subnet-id'])) {
			bySubnet.set(p['subnet-id'], []);
		}
		bySubnet.get(p['subnet-id']).push({range: p.pool, total: p['total-addresses'],
			assigned: p['assigned-addresses'] - p['declined-addresses'],
			declined: p['declined-addresses']});
	}
	for (const s of state.subnets) {
		s.pools = bySubnet.get(s.id) || [];
	}
}

function usageRow(cls, x, threshold, label, name, attrs) {
	const u = usage(x), t = Math.max(x.total, 1);
	const bar = el('div', {class: 'bar', title: `${x.assigned} assigned, ${x.declined} declined, ` +
		`${x.total - x.assigned - x.declined} free of ${x.total}`},
		el('span', {class: 'assigned'}), el('span', {class: 'declined'}));
	/* CSSOM widths, not style attributes: the CSP allows no inline style */
	bar.children[0].style.width = (100 * x.assigned / t) + '%';
	bar.children[1].style.width = (100 * x.declined / t) + '%';
	return el('div', Object.assign({class: cls + (u * 100 >= threshold ? ' hot' : '')}, attrs),
		el('span', {class: 'prefix'}, label),
		el('span', {class: 'name', title: name}, name),
		bar,
		el('span', {class: 'pct'}, `${(u * 100).toFixed(1)}% ${x.assigned + x.declined}/${x.total}`));
}

/* A subnet's row, then, when it has more than one pool, a row per pool (a single pool's
 * figures are the subnet's), each highlighted over the threshold on its own. */
function subnetRows(s, threshold) {
	const rows = [usageRow('subnet', s, threshold, s.prefix,
		s.name || (s.network ? '' : 'id ' + s.id), {'data-id': s.id})];
	if ((s.pools || []).length > 1) {
		s.pools.forEach((p, i) => rows.push(usageRow('pool', p, threshold, p.range,
			'pool ' + i, {'data-subnet': s.id, 'data-pool': i})));
	}
	return rows;
}

function renderSubnets() {
	const q = document.getElementById('subnet-filter').value.trim().toLowerCase();
	const threshold = Number(document.getElementById('subnet-threshold').value) || 0;
	const grouped = document.getElementById('subnet-group').checked;
	const shown = state.subnets.filter(s => !q || s.text.includes(q));
	/* fullest first; ties by id so the order is stable between refreshes */
	shown.sort((a, b) => usage(b) - usage(a) || a.id - b.id);
	document.getElementById('subnet-count').textContent =
		`(${shown.length} of ${state.subnets.length})`;
	const out = document.createDocumentFragment();
	if (grouped) {
		/* networks ordered by their fullest subnet, which is the order met in `shown` */
		const groups = new Map();
		for (const s of shown) {
			if (!groups.has(s.network)) {
				groups.set(s.network, []);
			}
			groups.get(s.network).push(s);
		}
		for (const [net, subs] of groups) {
			const used = subs.reduce((n, s) => n + s.assigned + s.declined, 0);
			const total = subs.reduce((n, s) => n + s.total, 0);
			const g = el('div', {class: 'group', 'data-network': net},
				el('h3', {}, (net || '(no shared network)') +
					` — ${subs.length} subnet${subs.length > 1 ? 's' : ''}, ${used}/${total} used`));
			for (const s of subs) {
				g.append(...subnetRows(s, threshold));
			}
			out.append(g);
		}
	} else {
		const g = el('div', {class: 'group'});
		for (const s of shown) {
			g.append(...subnetRows(s, threshold));
		}
		out.append(g);
	}
	clear(document.getElementById('subnet-list')).append(out);
}

/* ---- rates view ---- */

async function refreshRates() {
	const answers = await Promise.all(RATES.map(([n]) => apiArgs('statistic-get', {name: n})));
	answers.forEach((a, i) => {
		const name = RATES[i][0];
		const samples = a[name] || [];
		if (!state.stats.has(name)) {
			state.stats.set(name, new Map());
		}
		const m = state.stats.get(name);
		for (const [v, ts] of samples) {
			const t = parseTs(ts);
			if (!Number.isNaN(t)) {
				m.set(t, v);
			}
		}
	});
}

/* Per-second rates from a counter's samples: one step per pair of consecutive samples. */
function rateSteps(samples, from, to) {
	const pts = [...samples.entries()].sort((a, b) => a[0] - b[0]);
	const steps = [];
	/* Every command samples the statistics, so samples can be milliseconds apart: rates
	 * are taken over at least MIN_STEP_MS, or one packet would read as a burst. */
	let k = 0;
	for (let i = 1; i < pts.length; i++) {
		const [t0, v0] = pts[k], [t1, v1] = pts[i];
		if (v1 < v0) {
			k = i; /* a reset */
			continue;
		}
		if (t1 - t0 < MIN_STEP_MS) {
			continue;
		}
		k = i;
		if (t1 > from) {
			steps.push([Math.max(t0, from), t1, (v1 - v0) * 1000 / (t1 - t0)]);
		}
	}
	/* after the last measured step: the same rate while samples are still coming (the
	 * next step is not MIN_STEP_MS long yet), 0 once none came for a while (idle) */
	const last = steps.length ? steps[steps.length - 1][1] : from;
	if (last < to) {
		const idle = steps.length === 0 || to - last > 3 * POLL_MS;
		steps.push([Math.max(last, from), to, idle ? 0 : steps[steps.length - 1][2]]);
	}
	for (const [t] of pts) {
		if (t < from - WINDOW_S * 1000) {
			samples.delete(t); /* forget what no window will show again */
		}
	}
	return steps;
}

function drawChart(canvas, steps, from, to) {
	const dpr = window.devicePixelRatio || 1;
	const w = canvas.clientWidth, h = canvas.clientHeight;
	canvas.width = w * dpr;
	canvas.height = h * dpr;
	const g = canvas.getContext('2d');
	g.scale(dpr, dpr);
	g.clearRect(0, 0, w, h);
	const max = Math.max(1, ...steps.map(s => s[2]));
	const x = t => 40 + (w - 44) * (t - from) / (to - from);
	const y = v => h - 14 - (h - 20) * v / max;
	g.strokeStyle = '#d8dce3';
	g.fillStyle = '#667';
	g.font = '10px sans-serif';
	for (const f of [0, 0.5, 1]) {
		g.beginPath();
		g.moveTo(40, y(max * f));
		g.lineTo(w - 4, y(max * f));
		g.stroke();
		g.fillText((max * f).toFixed(max * f >= 10 ? 0 : 1), 2, y(max * f) + 3);
	}
	g.fillText('-' + WINDOW_S / 60 + ' min', 40, h - 2);
	g.fillText('now', w - 24, h - 2);
	g.strokeStyle = '#2f6fdb';
	g.lineWidth = 1.5;
	g.beginPath();
	steps.forEach(([t0, t1, v], i) => {
		if (i === 0) {
			g.moveTo(x(t0), y(v));
		} else {
			g.lineTo(x(t0), y(v));
		}
		g.lineTo(x(t1), y(v));
	});
	g.stroke();
}

function renderRates() {
	const box = document.getElementById('charts');
	if (!box.firstChild) {
		for (const [name, label] of RATES) {
			box.append(el('div', {class: 'chart', 'data-stat': name},
				el('h3', {}, label, el('span', {class: 'now'}, '')),
				el('canvas', {})));
		}
	}
	const to = Date.now() + (state.skew || 0);
	const from = to - WINDOW_S * 1000;
	for (const [name] of RATES) {
		const c = box.querySelector(`[data-stat="${name}"]`);
		const steps = rateSteps(state.stats.get(name) || new Map(), from, to);
		const nowRate = steps.length ? steps[steps.length - 1][2] : 0;
		c.querySelector('.now').textContent = nowRate.toFixed(1) + '/s';
		c.dataset.rate = String(nowRate);
		drawChart(c.querySelector('canvas'), steps, from, to);
	}
}

/* ---- lease search ---- */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;
const HEXID = /^[0-9a-f]{2}([:-]?[0-9a-f]{2})+$/i;

function leaseQuery(q, by) {
	if (by === 'auto') {
		by = IPV4.test(q) ? 'address' : MAC.test(q) ? 'hw-address' : HEXID.test(q) ? 'client-id'
			: 'hostname';
	}
	switch (by) {
	case 'address': return ['lease4-get', {'ip-address': q}];
	case 'hw-address': return ['lease4-get-by-hw-address', {'hw-address': q.replace(/-/g, ':')}];
	case 'client-id': return ['lease4-get-by-client-id', {'client-id': q}];
	default: return ['lease4-get-by-hostname', {hostname: q}];
	}
}

const LEASE_STATES = {0: 'default', 1: 'declined', 2: 'expired-reclaimed'};

function leaseTable(l) {
	const subnet = state.subnets.find(s => s.id === l['subnet-id']);
	const rows = [
		['Address', l['ip-address']],
		['MAC', l['hw-address'] || '-'],
		['Client-id', l['client-id'] || '-'],
		['Hostname', l.hostname || '-'],
		['Subnet', l['subnet-id'] + (subnet ? ' ' + subnet.prefix + (subnet.network ?
			' (' + subnet.network + ')' : '') : '')],
		['State', LEASE_STATES[l.state] || String(l.state)],
		['Obtained', new Date((l.cltt) * 1000).toISOString()],
		['Expires', new Date((l.cltt + l['valid-lft']) * 1000).toISOString() +
			` (valid lifetime ${l['valid-lft']} s)`],
	];
	if (l['user-context']) {
		rows.push(['User context', JSON.stringify(l['user-context'])]);
	}
	return el('table', {class: 'kv lease'}, el('tbody', {},
		...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))));
}

async function searchLeases(ev) {
	ev.preventDefault();
	const q = document.getElementById('lease-q').value.trim();
	const by = document.getElementById('lease-by').value;
	const status = document.getElementById('lease-status');
	const out = clear(document.getElementById('lease-results'));
	if (!q) {
		return;
	}
	const [cmd, args] = leaseQuery(q, by);
	status.textContent = 'searching…';
	try {
		const a = await api(cmd, args);
		if (a.result === 3) {
			status.textContent = 'no lease found (' + cmd + ')';
			return;
		}
		if (a.result !== 0) {
			status.textContent = cmd + ': ' + (a.text || 'error ' + a.result);
			return;
		}
		const leases = a.arguments.leases || [a.arguments];
		status.textContent = `${leases.length} lease${leases.length > 1 ? 's' : ''} (${cmd})`;
		for (const l of leases) {
			out.append(leaseTable(l));
		}
	} catch (e) {
		status.textContent = String(e.message || e);
	}
}

/* ---- log view ---- */

async function refreshLog() {
	const status = document.getElementById('log-status');
	const a = await api('log-get', {limit: 200});
	if (a.result !== 0 && a.result !== 3) {
		status.textContent = a.text || 'log-get failed';
		return;
	}
	const lines = (a.arguments && a.arguments.entries) || [];
	status.textContent = lines.length ? '' : 'no warnings or errors since the server started';
	const tb = clear(document.querySelector('#log-table tbody'));
	for (const e of lines) {
		tb.append(el('tr', {class: e.level === 'ERROR' || e.level === 'FATAL' ? 'bad-text' : ''},
			el('td', {}, e.time), el('td', {}, e.level), el('td', {}, e.logger),
			el('td', {}, (e.id ? e.id + ' ' : '') + e.message)));
	}
}

/* ---- views and polling ---- */

function showView() {
	const v = (location.hash || '#server').slice(1);
	state.view = document.getElementById('view-' + v) ? v : 'server';
	for (const s of document.querySelectorAll('.view')) {
		s.classList.toggle('active', s.id === 'view-' + state.view);
	}
	for (const a of document.querySelectorAll('nav a')) {
		a.classList.toggle('active', a.dataset.view === state.view);
	}
	render();
}

function render() {
	if (state.view === 'subnets') {
		renderSubnets();
	} else if (state.view === 'rates') {
		renderRates();
	}
}

/* Run @fn every @ms, one call at a time; a failure shows in the header and is retried. */
function every(ms, fn) {
	let running = false;
	const tick = async () => {
		if (running) {
			return;
		}
		running = true;
		try {
			await fn();
			setConn(true, 'live');
		} catch (e) {
			setConn(false, String(e.message || e));
		} finally {
			running = false;
		}
	};
	tick();
	return setInterval(tick, ms);
}

async function start() {
	window.addEventListener('hashchange', showView);
	document.getElementById('subnet-filter').addEventListener('input', renderSubnets);
	document.getElementById('subnet-threshold').addEventListener('input', renderSubnets);
	document.getElementById('subnet-group').addEventListener('change', renderSubnets);
	document.getElementById('lease-form').addEventListener('submit', searchLeases);
	try {
		await loadConfig();
		await refreshSubnetStats();
	} catch (e) {
		setConn(false, String(e.message || e));
		return;
	}
	showView();
	every(SLOW_POLL_MS, refreshServer);
	every(POLL_MS, async () => {
		await Promise.all([refreshSubnetStats(), refreshRates()]);
		render();
	});
	every(POLL_MS * 2, refreshLog);
	document.body.dataset.ready = '1';
}

document.addEventListener('DOMContentLoaded', start);
