/**
 * The fleet page (/admin/fleet): one static HTML page, its script and its style, served by the
 * backend with a strict CSP (same-origin script, style and fetch only; no inline code, no external
 * assets). The page holds no data: it asks for the admin token, keeps it in memory only, and reads
 * GET /v1/admin/fleet every 30 s. Workstation names are set with textContent, never as markup.
 */
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/protocol/v1';

export const FLEET_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const FLEET_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Backstop fleet</title>
<link rel="stylesheet" href="/admin/fleet.css">
<script src="/admin/fleet.js" defer></script>
</head>
<body>
<header>
  <h1>Backstop fleet</h1>
  <p>Which desks would be blind if the DCS went down now: a workstation is <strong>blind</strong> when its data is older than the staleness threshold, or it never synced.</p>
  <form id="login" autocomplete="off">
    <label for="token">Admin token</label>
    <input id="token" type="password" autocomplete="off" required>
    <button type="submit">Show fleet</button>
  </form>
</header>
<main>
  <p id="status" role="status"></p>
  <p id="summary"></p>
  <div id="stations"></div>
</main>
</body>
</html>
`;

export const FLEET_CSS = `
body { font: 16px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; color: #111; background: #fff; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin: 1.5rem 0 .5rem; font-size: 1.25rem; }
form { display: flex; gap: .5rem; align-items: center; margin: .75rem 0; }
input, button { font: inherit; padding: .35rem .6rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ccc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.blind td { background: #fde8e8; }
.tag { font-weight: 700; padding: 0 .4rem; border-radius: .25rem; white-space: nowrap; }
.tag-blind { background: #b00020; color: #fff; }
.tag-ok { background: #e3f4e5; color: #0b5d1e; }
#status.error { color: #b00020; font-weight: 700; }
`;

export const FLEET_JS = `'use strict';
(function () {
  var token = '';
  var timer = null;
  function $(id) { return document.getElementById(id); }
  function age(m) { return m === null ? 'never' : m < 120 ? m + ' min' : Math.floor(m / 60) + ' h ' + (m % 60) + ' min'; }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : '\\u2014'; }
  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }
  function say(text, isError) { var s = $('status'); s.textContent = text; s.className = isError ? 'error' : ''; }
  function render(report) {
    var sum = report.summary;
    function n(count, word) { return count + ' ' + word + (count === 1 ? '' : 's'); }
    $('summary').textContent = n(sum.workstations, 'workstation') + ' at ' + n(sum.stations, 'station') + ': ' + sum.blind + ' blind, ' +
      sum.withUnsent + ' with unsent actions (' + sum.unsent + ' in all). Stale after ' + report.staleAfterMinutes + ' min.';
    var root = $('stations');
    root.replaceChildren();
    report.stations.forEach(function (station) {
      root.append(el('h2', station.station + ' \\u2014 ' + station.blind + ' of ' + station.workstations.length + ' blind, ' + station.unsent + ' unsent'));
      var table = el('table');
      var head = el('tr');
      ['Workstation', 'Status', 'Data age', 'Last complete sync', 'Last seen', 'Unsent actions', 'App version'].forEach(function (h) { head.append(el('th', h)); });
      table.append(el('thead'));
      table.tHead.append(head);
      var body = el('tbody');
      station.workstations.forEach(function (w) {
        var tr = el('tr', undefined, w.blind ? 'blind' : '');
        tr.append(el('td', w.name));
        var status = el('td');
        status.append(el('span', w.blind ? (w.why === 'never-synced' ? 'BLIND: never synced' : 'BLIND') : 'ok', 'tag ' + (w.blind ? 'tag-blind' : 'tag-ok')));
        tr.append(status);
        tr.append(el('td', age(w.dataAgeMinutes), 'num'));
        tr.append(el('td', when(w.lastPullAt)));
        tr.append(el('td', when(w.lastSeenAt)));
        tr.append(el('td', w.unsent === null ? '\\u2014' : w.unsent, 'num'));
        tr.append(el('td', w.appVersion || '\\u2014'));
        body.append(tr);
      });
      table.append(body);
      root.append(table);
    });
    say('Updated ' + when(report.generatedAt) + '; refreshes every 30 s.', false);
  }
  function load() {
    fetch('/v1/admin/fleet', { headers: { authorization: 'Bearer ' + token, '${PROTOCOL_HEADER}': '${PROTOCOL_VERSION}' }, cache: 'no-store' })
      .then(function (res) {
        return res.json().then(function (body) {
          if (res.ok) return render(body);
          if (res.status === 401 || res.status === 403) { clearInterval(timer); timer = null; }
          say((body && body.error && body.error.message) || ('HTTP ' + res.status), true);
        });
      })
      .catch(function (e) { say('The backend did not answer: ' + e.message, true); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    $('login').addEventListener('submit', function (event) {
      event.preventDefault();
      token = $('token').value;
      $('token').value = '';
      say('Loading\\u2026', false);
      load();
      if (timer) clearInterval(timer);
      timer = setInterval(load, 30000);
    });
  });
})();
`;
