// Logging in, and the password change a new user (or one given a one-time password) must make first.
import { post } from './api.js';
import { el, show, say, unsay } from './dom.js';

export function renderLogin(main, { done }) {
  const username = el('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true });
  const form = el('form', { class: 'stack', id: 'login-form' },
    el('label', null, 'User name', username),
    el('label', null, 'Password', password),
    el('button', { type: 'submit', id: 'login-submit' }, 'Log in'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    unsay();
    try {
      await post('/api/login', { username: username.value, password: password.value });
      password.value = '';
      await done();
    } catch (e) {
      password.value = '';
      say(e.message);
    }
  });
  show(main, el('div', { class: 'panel login' }, el('h1', null, 'Log in to iLINKS'), form));
  username.focus();
}

export function renderPasswordChange(main, { me, done }) {
  const current = el('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true });
  const next = el('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', minlength: 12, required: true });
  const again = el('input', { id: 'pw-again', type: 'password', autocomplete: 'new-password', required: true });
  const form = el('form', { class: 'stack', id: 'password-form' },
    el('p', null, 'Hello ', me.username, '. Your password was set by someone else: choose your own (at least 12 characters) before going on.'),
    el('label', null, 'Current password', current),
    el('label', null, 'New password', next),
    el('label', null, 'New password again', again),
    el('button', { type: 'submit', id: 'pw-submit' }, 'Change password'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    unsay();
    if (next.value !== again.value) {
      say('The two new passwords differ.');
      return;
    }
    try {
      await post('/api/me/password', { currentPassword: current.value, newPassword: next.value });
      await done();
    } catch (e) {
      say(e.message);
    }
  });
  show(main, el('div', { class: 'panel login' }, el('h1', null, 'Change your password'), form));
  current.focus();
}
