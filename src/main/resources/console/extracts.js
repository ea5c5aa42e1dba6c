// Practice extracts over SFTP (GET /api/extracts): per practice, the last poll that reached its server, today's
// files and records, the last file and the last error. Refreshed every few seconds; no patient data.
import { get, query } from './api.js';
import { el, show, table, badge, when, say, unsay } from './dom.js';

const REFRESH_MS = 10000;

export async function render(main, ctx) {
  const body = el('div', { id: 'extracts' });
  const stamp = el('p', { class: 'muted', id: 'extracts-time' });
  show(main, el('h1', null, 'Practice extracts'), body, stamp);
  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const d = await get('/api/extracts');
      if (stopped) {
        return;
      }
      unsay();
      show(body, d.practices.length === 0 ? el('p', null, 'No practice extract source is configured (config/practices/).')
        : table(['Practice', 'Server', 'Last successful poll', [{ class: 'num' }, 'Files today'],
          [{ class: 'num' }, 'Done'], [{ class: 'num' }, 'Partial'], [{ class: 'num' }, 'Failed'],
          [{ class: 'num' }, 'In progress'], [{ class: 'num' }, 'Records queued'], [{ class: 'num' }, 'Records parked'],
          'Last file', 'Last error'],
        d.practices.map(p => [
          [{ class: 'mono', title: p.description || '' }, p.ods],
          [{ class: 'mono' }, p.server || ''],
          when(p.lastSuccessfulPoll) || 'never',
          [{ class: 'num' }, String(p.today.files)],
          [{ class: 'num' }, String(p.today.done)],
          [{ class: 'num' }, String(p.today.partial)],
          [{ class: p.today.failed > 0 ? 'num bad' : 'num' }, String(p.today.failed)],
          [{ class: 'num' }, String(p.today.inProgress)],
          [{ class: 'num' }, String(p.today.recordsQueued)],
          [{ class: 'num' }, parked(ctx, p.today.recordsParked)],
          p.lastFile ? [{}, el('span', { class: 'mono' }, p.lastFile.name), ' ', badge(p.lastFile.state),
            p.lastFile.reason ? [el('br'), el('span', { class: 'muted' }, p.lastFile.reason)] : ''] : '',
          p.lastError ? [{ class: 'bad' }, p.lastError, el('br'), el('span', { class: 'muted' }, when(p.lastErrorAt))] : '',
        ]), { id: 'extracts-table' }));
      show(stamp, 'Refreshes every ', String(REFRESH_MS / 1000), ' s. "Today" is the day in England.');
    } catch (e) {
      if (!stopped) {
        say('The extract status could not be read: ' + e.message);
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

/** Parked records are messages parked at routing: link to them in the message browser. */
function parked(ctx, n) {
  return n > 0 && ctx.can('message_metadata') ? el('a', { href: '#/messages' + query({ status: 'parked' }) }, String(n))
    : String(n);
}
