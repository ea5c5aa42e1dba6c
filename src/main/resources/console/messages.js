// The message history, newest first, with the filters of GET /api/messages. The filters live in the address
// (#/messages?status=parked&page=1), so a filtered list can be bookmarked and Back works. Metadata only.
import { get, query } from './api.js';
import { el, show, table, badge, when } from './dom.js';

const STATUSES = ['queued', 'withheld', 'held', 'failed', 'delivered', 'parked', 'replayed', 'untracked', 'not_subscribed'];
const FIELDS = ['service', 'status', 'from', 'to', 'type', 'error', 'id', 'unresolved'];
const SIZE = 50;

export async function render(main, ctx) {
  const p = ctx.params;
  const services = await get('/api/services').then(r => r.services.map(s => s.id)).catch(() => []);
  const input = (name, attrs) => el('input', Object.assign({ id: 'f-' + name, name, value: p.get(name) || '' }, attrs));
  const service = el('select', { id: 'f-service', name: 'service' }, el('option', { value: '' }, 'any'),
    services.map(s => el('option', { value: s, selected: s === p.get('service') }, s)));
  const status = el('select', { id: 'f-status', name: 'status' }, el('option', { value: '' }, 'any'),
    STATUSES.map(s => el('option', { value: s, selected: s === (p.get('status') || '').toLowerCase() }, s.replace('_', ' '))));
  const from = el('input', { id: 'f-from', type: 'datetime-local', step: 1, value: local(p.get('from')) });
  const to = el('input', { id: 'f-to', type: 'datetime-local', step: 1, value: local(p.get('to')) });
  const type = input('type', { placeholder: 'ADT^A01', size: 10 });
  const error = input('error', { placeholder: 'text in the last error', size: 18 });
  const id = input('id', { placeholder: 'message id', size: 28, class: 'mono' });
  const unresolved = el('input', { id: 'f-unresolved', type: 'checkbox', checked: p.get('unresolved') === 'true' });
  const form = el('form', { class: 'filters panel', id: 'filters' },
    el('label', null, 'Service', service), el('label', null, 'Status', status),
    el('label', null, 'Received from', from), el('label', null, 'to', to),
    el('label', null, 'Type', type), el('label', null, 'Error', error), el('label', null, 'Message id', id),
    el('label', { class: 'inline' }, unresolved, 'unresolved only'),
    el('button', { type: 'submit', id: 'f-submit' }, 'Find'),
    el('button', { type: 'button', class: 'secondary', on: { click: () => ctx.go('#/messages') } }, 'Clear'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    ctx.go('#/messages' + query({ service: service.value, status: status.value, from: instant(from.value),
      to: instant(to.value), type: type.value.trim(), error: error.value.trim(), id: id.value.trim(),
      unresolved: unresolved.checked ? 'true' : '' }));
  });
  const results = el('div', { id: 'results' }, el('p', { class: 'muted' }, 'Searching…'));
  show(main, el('h1', null, 'Messages'), form, results);

  const page = Math.max(0, parseInt(p.get('page') || '0', 10) || 0);
  const filters = {};
  FIELDS.forEach(f => { filters[f] = p.get(f) || ''; });
  const found = await get('/api/messages' + query(Object.assign({}, filters, { page, size: SIZE })));
  const pageLink = n => '#/messages' + query(Object.assign({}, filters, { page: n || '' }));
  show(results,
    found.messages.length === 0 ? el('p', { id: 'no-results' }, 'No message matches.') : table(
      ['Received', 'Message id', 'Type', 'From', 'Control id', 'Services'],
      found.messages.map(m => [
        when(m.receivedAt),
        [{ class: 'mono' }, el('a', { href: '#/message/' + encodeURIComponent(m.messageId), class: 'message-link' }, m.messageId)],
        m.type,
        [m.sendingApplication, m.sendingFacility].filter(Boolean).join(' / '),
        [{ class: 'mono' }, m.controlId || ''],
        m.routing === 'PARKED' ? badge('parked at routing')
          : m.services.length === 0 ? el('span', { class: 'muted' }, 'no subscriber')
            : [{ class: 'services' }, m.services.map(s => el('div', null, s.service, ' ', badge(s.status),
              s.attempts > 1 ? el('span', { class: 'muted' }, ' (' + s.attempts + ')') : null))],
      ]), { id: 'messages-table' }),
    el('div', { class: 'pager' },
      page > 0 ? el('a', { href: pageLink(page - 1), id: 'newer' }, '‹ newer') : null,
      el('span', { class: 'muted' }, 'page ' + (page + 1)),
      found.more ? el('a', { href: pageLink(page + 1), id: 'older' }, 'older ›') : null));
}

/** A datetime-local value (local time) as an instant, or ''. */
function instant(value) {
  if (!value) {
    return '';
  }
  const d = new Date(value);
  return isNaN(d) ? '' : d.toISOString().replace('.000Z', 'Z');
}

/** An instant as a datetime-local value, or ''. */
function local(value) {
  if (!value) {
    return '';
  }
  const d = new Date(value);
  if (isNaN(d)) {
    return '';
  }
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
