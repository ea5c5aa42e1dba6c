// Replay jobs (POST /api/replay starts one): the list, newest first, and one job with its progress and each
// message's outcome; running jobs can be stopped and stopped ones resumed.
import { get, post, enc } from './api.js';
import { el, show, table, badge, say, unsay } from './dom.js';

const REFRESH_MS = 2000;

export async function render(main, ctx) {
  const jobId = ctx.rest[0];
  let stopped = false;
  let timer = null;
  const body = el('div', { id: 'jobs' });
  show(main, el('h1', null, jobId ? 'Replay job ' + jobId : 'Replay jobs'), body);

  async function refresh() {
    try {
      if (jobId) {
        const job = await get('/api/replay/' + enc(jobId));
        show(body, jobView(job, ctx, refresh), el('p', null, el('a', { href: '#/jobs' }, '‹ all jobs')));
        schedule(job.state === 'RUNNING');
      } else {
        const list = await get('/api/replay');
        const jobs = Array.isArray(list) ? list : list.jobs || [];
        show(body, jobs.length === 0 ? el('p', null, 'No replay job yet. Start one from a message page.') : table(
          ['Job', 'State', 'By', 'Reason', 'Progress', 'Queued', 'Withheld', 'Held', 'Refused', 'Failed', ''],
          jobs.map(j => [
            [{ class: 'mono' }, el('a', { href: '#/jobs/' + enc(j.jobId) }, j.jobId)],
            badge(j.state), j.requestedBy || '', j.reason || '', j.done + ' / ' + j.total,
            ...['queued', 'withheld', 'held', 'refused', 'failed'].map(k => [{ class: 'num' }, String((j.counts || {})[k] || 0)]),
            controls(j, refresh),
          ]), { id: 'jobs-table' }));
        schedule(jobs.some(j => j.state === 'RUNNING'));
      }
    } catch (e) {
      if (!stopped) {
        say(e.message);
      }
    }
  }

  function schedule(again) {
    clearTimeout(timer);
    if (again && !stopped) {
      timer = setTimeout(refresh, REFRESH_MS);
    }
  }

  await refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** One job: state, progress, counts, stop or resume, and each item's outcome when the answer has items. */
export function jobView(job, ctx, after) {
  const counts = job.counts || {};
  return el('div', { class: 'panel job', 'data-job': job.jobId, 'data-state': job.state },
    el('div', { class: 'row' },
      el('span', { class: 'mono' }, el('a', { href: '#/jobs/' + enc(job.jobId) }, job.jobId)), badge(job.state),
      el('progress', { max: Math.max(1, job.total), value: job.done }),
      el('span', { class: 'job-done' }, job.done + ' of ' + job.total + ' done'),
      controls(job, after)),
    el('p', { class: 'muted' }, 'Requested by ', job.requestedBy || '?', ': ', job.reason || ''),
    job.stateReason ? el('p', { class: 'state-reason' }, job.stateReason) : null,
    el('p', null, ['queued', 'withheld', 'held', 'refused', 'failed'].map(k =>
      el('span', { class: 'count-' + k }, k + ' ' + (counts[k] || 0) + '  '))),
    Array.isArray(job.items) && job.items.length > 0 ? table(['Message', 'Service', 'Outcome', 'Detail'],
      job.items.map(i => [
        [{ class: 'mono' }, el('a', { href: '#/message/' + enc(i.messageId) }, i.messageId)],
        i.service || '', [{ class: 'item-outcome' }, badge(i.outcome)], i.detail || '']), { class: 'job-items' }) : null);
}

function controls(job, after) {
  const act = async verb => {
    unsay();
    try {
      await post('/api/replay/' + enc(job.jobId) + '/' + verb);
      if (after) {
        await after();
      }
    } catch (e) {
      say(e.message);
    }
  };
  if (job.state === 'RUNNING') {
    return el('button', { class: 'secondary job-stop', on: { click: () => act('stop') } }, 'Stop');
  }
  if (job.state === 'STOPPED') {
    return el('button', { class: 'secondary job-resume', on: { click: () => act('resume') } }, 'Resume');
  }
  return '';
}
