// Per service: routed, delivered, failed attempts, parked, queues now, last error and deliveries per minute over the
// last hour. Refreshed every few seconds from GET /api/dashboard (counters kept in memory by the engine).
import { get, query } from './api.js';
import { el, show, table, badge, when, say, unsay } from './dom.js';
import { sparkline } from './sparkline.js';

const REFRESH_MS = 5000;

export async function render(main, ctx) {
  const heading = el('h1', null, 'Dashboard');
  const summary = el('div', { class: 'row', id: 'dash-summary' });
  const body = el('div', { id: 'dash-services' });
  const stamp = el('p', { class: 'muted', id: 'dash-time' });
  show(main, heading, summary, body, stamp);
  let timer = null;
  let stopped = false;

  const link = (service, status, text) => ctx.can('message_metadata')
    ? el('a', { href: '#/messages' + query({ service, status }) }, String(text)) : String(text);

  async function refresh() {
    try {
      const d = await get('/api/dashboard');
      if (stopped) {
        return;
      }
      unsay();
      show(summary,
        el('span', null, 'Accepted at intake: ', el('strong', { id: 'dash-received' }, String(d.intake.received))),
        el('span', null, 'Rejected: ', el('strong', null, String(d.intake.rejected))),
        Object.entries(d.health).map(([part, up]) => el('span', null, part, ' ', badge(up ? 'UP' : 'DOWN'))));
      show(body, d.services.length === 0 ? el('p', null, 'No services are configured.') : table(
        ['Service', 'Endpoint', [{ class: 'num' }, 'Routed'], [{ class: 'num' }, 'Delivered'],
          [{ class: 'num' }, 'Failed attempts'], [{ class: 'num' }, 'Parked since start'],
          [{ class: 'num' }, 'Ready'], [{ class: 'num' }, 'Held'], [{ class: 'num' }, 'Parked now'],
          'Deliveries per minute, last hour', 'Last error'],
        d.services.map(s => [
          [{ class: 'mono' }, link(s.id, '', s.id)],
          s.endpoint,
          [{ class: 'num' }, String(s.routed)],
          [{ class: 'num' }, link(s.id, 'delivered', s.delivered)],
          [{ class: 'num' }, String(s.failedAttempts)],
          [{ class: 'num' }, String(s.parkedSinceStart)],
          [{ class: 'num' }, depth(s.queue.ready)],
          [{ class: 'num' }, depth(s.queue.held)],
          [{ class: 'num' }, link(s.id, 'parked', depth(s.queue.parked))],
          [{}, sparkline(s.deliveredPerMinute, 180, 28, s.id + ': ')],
          s.lastError ? [{ class: 'bad' }, s.lastError.error, el('br'), el('span', { class: 'muted' }, when(s.lastError.at))] : '',
        ]), { id: 'dash-table' }));
      show(stamp, 'Updated ', when(d.at), '; refreshes every ', String(REFRESH_MS / 1000), ' s. Counts since the engine started.');
    } catch (e) {
      if (!stopped) {
        say('The dashboard could not be refreshed: ' + e.message);
      }
    }
    if (!stopped) {
      timer = setTimeout(refresh, REFRESH_MS);
    }
  }

  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** A queue depth; -1 means the broker could not say. */
function depth(n) {
  return n < 0 ? '?' : String(n);
}
