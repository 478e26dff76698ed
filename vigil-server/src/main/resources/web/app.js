// Vigil's first page: vanilla JS, no build step. The token is entered once and kept in
// sessionStorage; every API call sends it as a bearer token. Refreshes every 10 seconds.
'use strict';
const $ = (id) => document.getElementById(id);
let sort = 'count';
let timer = null;

function token() { return sessionStorage.getItem('vigil.token'); }

async function api(path) {
  const r = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
  let body = null;
  try { body = await r.json(); } catch (e) { /* not JSON */ }
  if (!r.ok) {
    const err = new Error((body && body.error) || ('HTTP ' + r.status));
    err.status = r.status;
    throw err;
  }
  return body;
}

const ms = (s) => (s * 1000).toFixed(1);
const pct = (v) => (v === null || v === undefined ? '-' : v.toFixed(1) + '%');
function cell(text) { const td = document.createElement('td'); td.textContent = text; return td; }
function card(k, v) {
  const d = document.createElement('div');
  d.className = 'card';
  const vv = document.createElement('div'); vv.className = 'v'; vv.textContent = v;
  const kk = document.createElement('div'); kk.className = 'k'; kk.textContent = k;
  d.append(vv, kk);
  return d;
}

async function refresh() {
  const w = encodeURIComponent($('window').value);
  try {
    const [sum, eps, slow, sys] = await Promise.all([
      api('/api/performance/summary?window=' + w),
      api('/api/performance/endpoints?sort=' + sort + '&window=' + w),
      api('/api/performance/slow-requests?limit=20&window=' + w),
      api('/api/performance/system-metrics?window=5m&points=2'),
    ]);
    $('error').textContent = '';
    const h = $('health');
    h.textContent = sum.system_health;
    h.className = 'badge ' + sum.system_health;
    $('reasons').replaceChildren(...sum.health_reasons.map((r) => {
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = `${r.level}: ${r.metric} is ${r.value.toFixed(1)}, above ${r.threshold}`;
      return p;
    }));
    const cur = sys.current || {};
    $('cards').replaceChildren(
      card('requests', sum.total_requests.toLocaleString()),
      card('requests / s', sum.requests_per_second.toFixed(2)),
      card('avg ms', ms(sum.avg_response_time)),
      card('p95 ms', ms(sum.p95)),
      card('p99 ms', ms(sum.p99)),
      card('error rate', sum.error_rate.toFixed(2) + '%'),
      card('slow requests', sum.slow_requests),
      card('Apdex', sum.performance_score.toFixed(3)),
      card('CPU', pct(cur.cpu_percent)),
      card('memory', pct(cur.memory_percent)),
      card('disk', pct(cur.disk_percent)));
    $('endpoints').tBodies[0].replaceChildren(...Object.values(eps).map((e) => {
      const tr = document.createElement('tr');
      tr.append(cell(e.endpoint), cell(e.count), cell(e.requests_per_second.toFixed(2)), cell(ms(e.avg_time)),
        cell(ms(e.p50)), cell(ms(e.p95)), cell(ms(e.p99)), cell(ms(e.max_time)),
        cell(e.errors_4xx), cell(e.errors_5xx), cell(e.error_rate.toFixed(2)));
      return tr;
    }));
    $('slow').tBodies[0].replaceChildren(...slow.slow_requests.map((s) => {
      const tr = document.createElement('tr');
      tr.append(cell(new Date(s.timestamp).toLocaleTimeString()), cell(s.endpoint), cell(s.status_code),
        cell(s.response_time.toFixed(3)), cell(s.user || '-'), cell(s.service + ' / ' + s.instance));
      return tr;
    }));
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    if (e.status === 401) { logout('That token was not accepted.'); return; }
    $('error').textContent = e.message;
  }
}

function show() {
  const has = !!token();
  $('login').hidden = has;
  $('main').hidden = !has;
  if (has) {
    refresh();
    clearInterval(timer);
    timer = setInterval(refresh, 10000);
  }
}

function logout(message) {
  sessionStorage.removeItem('vigil.token');
  clearInterval(timer);
  $('login-error').textContent = message || '';
  show();
}

// A token in the URL fragment (never sent to the server) is taken once and removed from the URL.
if (location.hash.startsWith('#token=')) {
  sessionStorage.setItem('vigil.token', decodeURIComponent(location.hash.slice(7)));
  history.replaceState(null, '', location.pathname + location.search);
}

$('login').addEventListener('submit', (ev) => {
  ev.preventDefault();
  sessionStorage.setItem('vigil.token', $('token').value.trim());
  $('token').value = '';
  show();
});
$('logout').addEventListener('click', () => logout(''));
$('window').addEventListener('change', refresh);
document.querySelectorAll('th[data-sort]').forEach((th) => th.addEventListener('click', () => { sort = th.dataset.sort; refresh(); }));
show();
