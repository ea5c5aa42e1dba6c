// One message: its metadata, each service's copy, its hops from the audit trail, its content (body permission, with
// a purpose) and a replay form (replay permission). While a copy is still on its way the states are refreshed.
import { get, post, query, enc } from './api.js';
import { el, show, table, badge, when, say, unsay } from './dom.js';
import { jobView } from './jobs.js';

const IN_FLIGHT = ['QUEUED', 'FAILED', 'REPLAYED'];
const REFRESH_MS = 3000;
const OUTCOMES = { 0: 'success', 4: 'minor failure', 8: 'serious failure', 12: 'major failure' };

export async function render(main, ctx) {
  const id = ctx.rest[0];
  if (!id) {
    ctx.go('#/messages');
    return;
  }
  let stopped = false;
  let timer = null;
  const meta = el('div', { class: 'panel', id: 'message-meta' });
  const states = el('div', { id: 'message-services' });
  const trail = el('div', { id: 'message-trail' });
  const content = el('div', { id: 'message-content' });
  const replay = el('div', { id: 'message-replay' });
  show(main, el('h1', null, 'Message ', el('span', { class: 'mono', id: 'message-id' }, id)), meta,
    el('h2', null, 'Services'), states, replay, content, el('h2', null, 'Hop trail (audit)'), trail);

  let message = await get('/api/messages/' + enc(id));
  drawMeta(meta, message);
  drawStates(states, message);
  drawTrail(trail, id);
  if (ctx.can('body')) {
    drawContent(content, id);
  }
  const edit = el('div', { id: 'message-edit' });
  main.insertBefore(edit, content);
  if (ctx.can('replay')) {
    drawReplay(replay, message, ctx, () => watch());
  }
  if (ctx.can('replay') && ctx.can('body')) {
    drawEdit(edit, message, ctx, () => watch());
  }

  // Re-reads the message while any copy is on its way, then stops (each read is audited).
  async function watch() {
    clearTimeout(timer);
    const tick = async () => {
      if (stopped) {
        return;
      }
      try {
        message = await get('/api/messages/' + enc(id));
        drawStates(states, message);
      } catch (e) {
        say(e.message);
        return;
      }
      if (message.services.some(s => IN_FLIGHT.includes(s.status)) && !stopped) {
        timer = setTimeout(tick, REFRESH_MS);
      } else {
        drawTrail(trail, id);
      }
    };
    timer = setTimeout(tick, REFRESH_MS);
  }
  if (message.services.some(s => IN_FLIGHT.includes(s.status))) {
    watch();
  }
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function drawMeta(node, m) {
  const row = (k, v) => [el('dt', null, k), el('dd', null, v === null || v === undefined || v === '' ? '—' : v)];
  show(node, el('dl', { class: 'meta' },
    row('Received', when(m.receivedAt)),
    row('Routed', when(m.routedAt)),
    row('Type', m.type),
    row('Sending application / facility', [m.sendingApplication, m.sendingFacility].filter(Boolean).join(' / ')),
    row('Control id', m.controlId),
    row('Routing', [m.routing, m.routingReason].filter(Boolean).join(': ')),
    row('Content', m.contentKept ? (m.contentEncrypted ? 'kept, encrypted' : 'kept') : 'no longer kept (retention)')));
}

function drawStates(node, m) {
  show(node, m.services.length === 0 ? el('p', { class: 'muted' }, 'No service subscribes to this message.') : table(
    ['Service', 'Status', 'Attempts', 'Last error', 'Decision', 'Decided', 'Last attempt', 'Delivered'],
    m.services.map(s => [
      [{ class: 'mono' }, s.service],
      [{ class: 'service-status', 'data-service': s.service }, badge(s.status)],
      [{ class: 'num' }, String(s.attempts)],
      s.lastError ? [{ class: 'bad' }, s.lastError] : '',
      [s.reasonCode, s.reason].filter(Boolean).join(': '),
      when(s.decidedAt), when(s.lastAttemptAt), when(s.deliveredAt),
    ]), { id: 'services-table' }));
}

async function drawTrail(node, id) {
  try {
    const t = await get('/api/messages/' + enc(id) + '/trail');
    show(node, t.hops.length === 0 ? el('p', { class: 'muted' }, 'No hop recorded yet.') : table(
      ['Time', 'Event', 'Service', 'Outcome', 'By', 'Detail'],
      t.hops.map(h => [when(h.time), badge(h.type), h.service || '', OUTCOMES[h.outcome] || String(h.outcome),
        h.actor, h.detail || '']), { id: 'trail-table' }));
  } catch (e) {
    show(node, el('p', { class: 'bad' }, 'The hop trail could not be read: ', e.message));
  }
}

function drawContent(node, id) {
  const purpose = el('input', { id: 'content-purpose', size: 50, maxlength: 500, required: true,
    placeholder: 'why you need to see it, e.g. INC-1234' });
  const out = el('div');
  const form = el('form', { class: 'row', id: 'content-form' },
    el('label', null, 'Purpose (recorded with your name and the patient)', purpose),
    el('button', { type: 'submit', class: 'secondary' }, 'Show content'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    unsay();
    try {
      const text = await get('/api/messages/' + enc(id) + '/content' + query({ purpose: purpose.value.trim() }));
      show(out, el('pre', { class: 'content', id: 'content-text' }, text),
        el('button', { type: 'button', class: 'secondary', on: { click: () => show(out) } }, 'Hide'));
    } catch (e) {
      say(e.message);
    }
  });
  show(node, el('h2', null, 'Content'), el('p', { class: 'muted' },
    'The message as received is patient data: seeing it needs a purpose, and each view is recorded.'), form, out);
}

function drawReplay(node, m, ctx, watch) {
  const service = el('select', { id: 'replay-service' },
    el('option', { value: '' }, 'every service that subscribes to it today'),
    m.services.map(s => el('option', { value: s.service }, s.service + ' (' + s.status.toLowerCase() + ')')));
  const reason = el('textarea', { id: 'replay-reason', maxlength: 500, required: true,
    placeholder: 'why it is sent again, e.g. INC-1234: the ward system is fixed' });
  const force = el('input', { type: 'checkbox', id: 'replay-force' });
  const progress = el('div', { id: 'replay-progress' });
  const submit = el('button', { type: 'submit', id: 'replay-submit' }, 'Replay');
  const form = el('form', { class: 'stack', id: 'replay-form' },
    el('label', null, 'Send to', service),
    el('label', null, 'Reason (required, recorded)', reason),
    el('label', { class: 'inline' }, force, 'send again even where a copy was already delivered'),
    submit);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    unsay();
    if (!reason.value.trim()) {
      say('Give a reason for the replay.');
      return;
    }
    submit.disabled = true;
    try {
      const body = { ids: [m.messageId], reason: reason.value.trim(), force: force.checked };
      if (service.value) {
        body.service = service.value;
      }
      let job = await post('/api/replay', body);
      reason.value = ''; // a second click must not replay again with the same reason unnoticed
      show(progress, jobView(job, ctx));
      while (job.state === 'RUNNING') {
        await new Promise(r => setTimeout(r, 1000));
        job = await get('/api/replay/' + enc(job.jobId));
        show(progress, jobView(job, ctx));
      }
      watch();
    } catch (e) {
      say(e.message);
    } finally {
      submit.disabled = false;
    }
  });
  show(node, el('details', { class: 'panel', id: 'replay-panel', open: true },
    el('summary', null, 'Replay this message'), form, progress));
}

// Edit a copy parked for a service, then replay the edit to it: the original is kept and the diff recorded. The
// content is loaded only after a purpose is given (the view is recorded), and the edits made so far can be shown.
function drawEdit(node, m, ctx, watch) {
  const parked = m.services.filter(s => s.status === 'PARKED');
  // A row of a delimited extract parked because it could not be read: corrected, it goes to every service taking it.
  const extractRow = m.routing === 'PARKED' && String(m.type).startsWith('EXTRACT');
  if (parked.length === 0 && !extractRow) {
    show(node);
    return;
  }
  const service = extractRow
    ? el('select', { id: 'edit-service' }, el('option', { value: '' }, 'every service that takes the extract'))
    : el('select', { id: 'edit-service' }, parked.map(s => el('option', { value: s.service }, s.service)));
  const purpose = el('input', { id: 'edit-purpose', size: 50, maxlength: 500, required: true,
    placeholder: 'why you are correcting it, e.g. INC-1234' });
  const text = el('textarea', { id: 'edit-content', rows: 12, cols: 100, class: 'mono', hidden: true });
  const reason = el('textarea', { id: 'edit-reason', maxlength: 500, required: true,
    placeholder: 'what was wrong, e.g. INC-1234: wrong ward code in PV1-3' });
  const progress = el('div', { id: 'edit-progress' });
  const edits = el('div', { id: 'edit-history' });
  const load = el('button', { type: 'button', class: 'secondary', id: 'edit-load' }, 'Load the content to edit');
  const history = el('button', { type: 'button', class: 'secondary', id: 'edit-show-history' }, 'Show earlier edits');
  const submit = el('button', { type: 'submit', id: 'edit-submit', disabled: true }, 'Replay the edited message');
  load.addEventListener('click', async () => {
    unsay();
    if (!purpose.value.trim()) {
      say('Give a purpose: loading the content is recorded.');
      return;
    }
    try {
      text.value = await get('/api/messages/' + enc(m.messageId) + '/content' + query({ purpose: purpose.value.trim() }));
      text.hidden = false;
      submit.disabled = false;
    } catch (e) {
      say(e.message);
    }
  });
  history.addEventListener('click', async () => {
    unsay();
    if (!purpose.value.trim()) {
      say('Give a purpose: showing edits is recorded.');
      return;
    }
    try {
      const found = await get('/api/messages/' + enc(m.messageId) + '/edits' + query({ purpose: purpose.value.trim() }));
      show(edits, found.edits.length === 0 ? el('p', { class: 'muted' }, 'No edits yet.') : found.edits.map(e =>
        el('div', { class: 'panel' }, el('p', null, when(e.editedAt), ' by ', e.editedBy, ' for ', e.service, ': ',
          e.reason), el('pre', { class: 'content' }, e.diff))));
    } catch (e) {
      say(e.message);
    }
  });
  const form = el('form', { class: 'stack', id: 'edit-form' },
    el('label', null, 'Parked for', service),
    el('label', null, 'Purpose (recorded with your name and the patient)', purpose),
    el('div', { class: 'row' }, load, history), text,
    el('label', null, 'Reason for the edit (required, recorded)', reason), submit);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    unsay();
    if (!reason.value.trim() || !purpose.value.trim()) {
      say('Give a purpose and a reason for the edit.');
      return;
    }
    submit.disabled = true;
    try {
      const body = { purpose: purpose.value.trim(), reason: reason.value.trim(), content: text.value };
      if (service.value) {
        body.service = service.value;
      }
      let job = await post('/api/messages/' + enc(m.messageId) + '/edit-and-replay', body);
      show(progress, jobView(job, ctx));
      while (job.state === 'RUNNING') {
        await new Promise(r => setTimeout(r, 1000));
        job = await get('/api/replay/' + enc(job.jobId));
        show(progress, jobView(job, ctx));
      }
      text.value = ''; // patient data: not left on the page once sent
      text.hidden = true;
      watch();
    } catch (e) {
      say(e.message);
      submit.disabled = false;
    }
  });
  show(node, el('details', { class: 'panel', id: 'edit-panel' },
    el('summary', null, 'Edit and replay (body and support)'),
    el('p', { class: 'muted' }, 'The original is kept; the edit and its difference from it are recorded.'),
    form, progress, edits));
}
