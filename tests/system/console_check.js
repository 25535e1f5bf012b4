// Drives the console in Debian's headless chromium through playwright-core (npm, in
// /opt/lessor-test-node; NODE_PATH points there) for test_console.py. Reads its job as JSON
// from argv[2]: {url, user, password, out, expect_first, lease: {address, mac}, wait_s}.
// Prints one JSON object of observations; asserting is the Python side's work.
'use strict';
const {chromium} = require('playwright-core');
const path = require('path');

const job = JSON.parse(process.argv[2]);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function watch(page, obs) {
	page.on('console', m => {
		if (m.type() === 'error' || m.type() === 'warning') {
			obs.console.push(m.type() + ': ' + m.text());
		}
	});
	page.on('pageerror', e => obs.console.push('pageerror: ' + e.message));
	page.on('requestfailed', r => obs.failed.push(r.method() + ' ' + r.url() + ' ' +
		(r.failure() ? r.failure().errorText : '')));
	page.on('response', r => {
		obs.requests++;
		if (r.status() >= 400) {
			obs.failed.push(r.request().method() + ' ' + r.url() + ' HTTP ' + r.status());
		}
	});
}

async function view(page, name) {
	await page.evaluate(v => { location.hash = v; }, name);
	await page.waitForSelector('#view-' + name + '.active');
}

async function shot(page, obs, name) {
	const f = path.join(job.out, 'console-' + name + '.png');
	await page.screenshot({path: f, fullPage: name !== 'subnets'});
	obs.screenshots.push(f);
}

// Everything the rates view shows: each chart's current rate and its pixels.
async function charts(page) {
	return page.$$eval('.chart', cs => cs.map(c => ({
		stat: c.dataset.stat, rate: Number(c.dataset.rate),
		pixels: c.querySelector('canvas').toDataURL(),
	})));
}

async function good(browser, obs) {
	const ctx = await browser.newContext({
		httpCredentials: {username: job.user, password: job.password},
		viewport: {width: 1400, height: 900},
	});
	const page = await ctx.newPage();
	await watch(page, obs);
	const t0 = Date.now();
	await page.goto(job.url + '/#server');
	await page.waitForSelector('body[data-ready="1"]', {timeout: 60000});
	await page.waitForSelector('#server-table tr');
	obs.load_ms = Date.now() - t0;
	obs.csp = (await (await ctx.request.get(job.url + '/')).headers())['content-security-policy'];
	obs.server = await page.$$eval('#server-table tr', rs => Object.fromEntries(
		rs.map(r => [r.cells[0].textContent, r.cells[1].textContent])));
	await shot(page, obs, 'server');
	if (job.server_only) {
		await ctx.close();
		return;
	}

	await view(page, 'subnets');
	const t1 = Date.now();
	await page.waitForSelector('.subnet');
	obs.subnets_ms = Date.now() - t1;
	obs.subnet_rows = await page.$$eval('.subnet', rs => rs.length);
	obs.subnet_first = await page.$$eval('.subnet', rs => rs.slice(0, 3).map(r => ({
		prefix: r.querySelector('.prefix').textContent, pct: r.querySelector('.pct').textContent,
		hot: r.classList.contains('hot')})));
	obs.groups = await page.$$eval('.group', gs => gs.length);
	obs.pools = await page.$$eval('.pool', rs => rs.map(r => ({subnet: Number(r.dataset.subnet),
		range: r.querySelector('.prefix').textContent, pct: r.querySelector('.pct').textContent,
		hot: r.classList.contains('hot')})));
	await shot(page, obs, 'subnets');
	await page.fill('#subnet-filter', job.filter);
	obs.filtered = await page.$$eval('.subnet .prefix', rs => rs.map(r => r.textContent));
	await page.fill('#subnet-filter', '');

	await view(page, 'rates');
	const before = await charts(page);
	await page.waitForTimeout(job.wait_s * 1000);
	const after = await charts(page);
	obs.rates = after.map((c, i) => ({stat: c.stat, before: before[i].rate, after: c.rate,
		moved: c.pixels !== before[i].pixels}));
	await shot(page, obs, 'rates');

	await view(page, 'leases');
	obs.lease = {};
	for (const [by, q] of [['auto', job.lease.address], ['hw-address', job.lease.mac]]) {
		await page.selectOption('#lease-by', by);
		await page.fill('#lease-q', q);
		await page.click('#lease-form button');
		await page.waitForFunction(() => !document.getElementById('lease-status')
			.textContent.startsWith('searching'));
		obs.lease[by] = await page.$$eval('#lease-results tr', rs => Object.fromEntries(
			rs.map(r => [r.cells[0].textContent, r.cells[1].textContent])));
	}
	await shot(page, obs, 'leases');

	await view(page, 'log');
	await page.waitForFunction(() => document.querySelector('#log-table tbody tr') !== null ||
		document.getElementById('log-status').textContent !== '', null, {timeout: 15000});
	obs.log = await page.$$eval('#log-table tbody tr', rs => rs.map(r => r.textContent));
	await shot(page, obs, 'log');
	await ctx.close();
}

// A wrong password: the browser gets the 401 and nothing of the page or its data.
async function wrong(browser, obs) {
	const ctx = await browser.newContext({
		httpCredentials: {username: job.user, password: job.password + 'x'}});
	const page = await ctx.newPage();
	const r = await page.goto(job.url + '/');
	obs.wrong = {status: r.status(), body: await r.text(),
		subnets: await page.$$eval('.subnet', rs => rs.length)};
	const api = await ctx.request.post(job.url + '/', {
		headers: {'Content-Type': 'application/json'},
		data: JSON.stringify({command: 'stat-lease4-get', service: ['dhcp4']})});
	obs.wrong.api_status = api.status();
	obs.wrong.api_body = await api.text();
	const js = await ctx.request.get(job.url + '/console.js');
	obs.wrong.js_status = js.status();
	await page.screenshot({path: path.join(job.out, 'console-wrong-password.png')});
	await ctx.close();
}

(async () => {
	const obs = {console: [], failed: [], requests: 0, screenshots: []};
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium', headless: true,
		// playwright gives every launch a fresh, empty --user-data-dir of its own (it
		// refuses the flag): no profile, cache or saved credentials carry over
		args: FLAGS,
	});
	try {
		await good(browser, obs);
		if (!job.server_only) {
			await wrong(browser, obs);
		}
	} catch (e) {
		obs.error = String(e.stack || e);
	} finally {
		await browser.close();
	}
	process.stdout.write(JSON.stringify(obs) + '\n');
})();
