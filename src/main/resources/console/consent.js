// A patient's consent directives and what each service would decide now (GET /api/consent/{nhsNumber}). The NHS
// number stays in this form: it is never put in the address bar, the browser's history or a log.
import { get, query, enc } from './api.js';
import { el, show, table, badge, when, say, unsay } from './dom.js';

export async function render(main) {
  const nhs = el('input', { id: 'consent-nhs', inputmode: 'numeric', autocomplete: 'off', size: 14,
    maxlength: 12, required: true, placeholder: '10 digits' });
  const purpose = el('input', { id: 'consent-purpose', size: 50, maxlength: 500, required: true,
    placeholder: 'why you are looking, e.g. SAR-2026-114' });
  const out = el('div', { id: 'consent-result' });
  const form = el('form', { class: 'filters panel', id: 'consent-form', autocomplete: 'off' },
    el('label', null, 'NHS number', nhs),
    el('label', null, 'Purpose (recorded with your name and the patient)', purpose),
    el('button', { type: 'submit' }, 'Look up'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    unsay();
    show(out);
    try {
      const c = await get('/api/consent/' + enc(nhs.value.replace(/\s+/g, '')) + query({ purpose: purpose.value.trim() }));
      show(out,
        el('h2', null, 'Directives'),
        c.directives.length === 0 ? el('p', null, 'No directive recorded: each service follows its consent model.') : table(
          ['Id', 'State', 'Decision', 'Scope', 'From', 'To', 'Source', 'Recorded by', 'Reason'],
          c.directives.map(d => [String(d.id), badge(d.state), d.decision,
            d.scope + (d.scopeValue ? ' ' + d.scopeValue : ''), d.from, d.to || '', d.source, d.recordedBy || '',
            d.reason || '']), { id: 'directives-table' }),
        el('h2', null, 'What each service would decide now'),
        table(['Service', 'Consent model', 'Outcome', 'Why'],
          c.decisions.map(d => [d.service, d.model, badge(d.outcome), d.why]), { id: 'decisions-table' }),
        el('p', { class: 'muted' }, 'Looked up ', when(new Date().toISOString()), '.'));
    } catch (e) {
      say(e.message);
    }
  });
  show(main, el('h1', null, 'Consent lookup'), form, out);
}
