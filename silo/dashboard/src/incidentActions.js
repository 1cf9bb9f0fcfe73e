// Incident work from the dashboard: open an incident (type, place by map click or lat/lon, priority, and a justification
// when a person opens it), and on the selected incident move, escalate (priority, radius, agencies), confirm and close.
// The server decides who may do what; a refusal is shown with its own message.
import { api, auth } from './api.js';
import { t, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';
import { pickOnMap } from './map.js';

const TYPES = ['112-emergency-video', '112-dispatch', '119-dispatch', 'disaster-response', 'vulnerable-sos'];
const PERSON_ROLES = ['operator', 'supervisor'];
export const DISPATCHER_ROLES = [...PERSON_ROLES, 'dispatch-system'];
let onOpened = () => {};

const isPerson = () => PERSON_ROLES.includes(auth.role);
const numberOrNull = (input) => (input.value.trim() === '' ? null : Number(input.value));

/** Shows the outcome of an action in <el>: done, or the server's refusal in its own words. */
async function attempt(el, action, done) {
  el.className = 'message';
  el.textContent = '';
  try {
    const result = await action();
    el.className = 'message ok';
    el.textContent = done;
    return result;
  } catch (e) {
    el.className = 'message error';
    el.textContent = t('actionRefused', e.status || '', e.message);
    return null;
  }
}

function pickInto(lat, lon) {
  pickOnMap((la, lo) => { lat.value = la.toFixed(6); lon.value = lo.toFixed(6); });
}

/** The "new incident" form, for the roles that open incidents (the server checks the agency's kind). */
export function initIncidentActions(opened) {
  onOpened = opened;
  const section = $('new-incident');
  section.hidden = false;
  const render = () => {
    const values = Object.fromEntries([...section.querySelectorAll('[name]')].map((el) => [el.name, el.value]));
    section.innerHTML = `
      <details><summary>${escapeHtml(t('newIncident'))}</summary>
      <form class="actions-form">
        <label>${escapeHtml(t('incidentType'))} <select name="type">${TYPES.map((x) => `<option value="${x}">${escapeHtml(t(`type.${x}`))}</option>`).join('')}</select></label>
        <label>${escapeHtml(t('latitude'))} <input name="latitude" inputmode="decimal" required></label>
        <label>${escapeHtml(t('longitude'))} <input name="longitude" inputmode="decimal" required></label>
        <button type="button" class="pick">${escapeHtml(t('pickOnMap'))}</button>
        <label>${escapeHtml(t('priorityLabel'))} <select name="priority">${[1, 2, 3, 4, 5].map((p) => `<option ${p === 3 ? 'selected' : ''}>${p}</option>`).join('')}</select></label>
        <label>${escapeHtml(t('externalReference'))} <input name="externalReference"></label>
        <label>${escapeHtml(t('justification'))} <textarea name="justification" rows="2" ${isPerson() ? 'required' : ''}></textarea></label>
        <button type="submit">${escapeHtml(t('openIncident'))}</button>
        <p class="message"></p>
      </form></details>`;
    for (const [name, value] of Object.entries(values)) { const el = section.querySelector(`[name="${name}"]`); if (el) el.value = value; }
    const form = section.querySelector('form');
    form.querySelector('.pick').addEventListener('click', () => pickInto(form.latitude, form.longitude));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const view = await attempt(form.querySelector('.message'), () => api('POST', '/incidents', {
        type: form.type.value, latitude: numberOrNull(form.latitude), longitude: numberOrNull(form.longitude),
        priority: Number(form.priority.value), externalReference: form.externalReference.value.trim() || null,
        justification: form.justification.value.trim() || null,
      }), t('incidentOpenedMessage'));
      if (view) { form.reset(); onOpened(view.id); }
    });
  };
  onLanguageChange(render);
  render();
}

/** The actions on one incident; kept across re-renders of its panel (what the user typed stays). */
export function incidentActions(incidentId) {
  const el = document.createElement('div');
  el.className = 'incident-actions';
  el.dataset.incident = incidentId;
  const path = (action) => `/incidents/${encodeURIComponent(incidentId)}/${action}`;
  el.innerHTML = `
    <form class="move"><strong>${escapeHtml(t('move'))}</strong>
      <input name="latitude" placeholder="${escapeHtml(t('latitude'))}" inputmode="decimal"> <input name="longitude" placeholder="${escapeHtml(t('longitude'))}" inputmode="decimal">
      <button type="button" class="pick">${escapeHtml(t('pickOnMap'))}</button> <button type="submit">${escapeHtml(t('move'))}</button></form>
    <form class="escalate"><strong>${escapeHtml(t('escalate'))}</strong>
      <select name="priority"><option value="">${escapeHtml(t('priorityLabel'))}</option>${[1, 2, 3, 4, 5].map((p) => `<option>${p}</option>`).join('')}</select>
      <input name="radiusMeters" placeholder="${escapeHtml(t('radiusMeters'))}" inputmode="numeric">
      <input name="agencies" placeholder="${escapeHtml(t('addAgencies'))}" list="agencies">
      <button type="submit">${escapeHtml(t('escalate'))}</button></form>
    <form class="confirm" hidden><button type="submit">${escapeHtml(t('confirmIncident'))}</button></form>
    <form class="close"><input name="reason" placeholder="${escapeHtml(t('closeReason'))}"> <button type="submit">${escapeHtml(t('closeIncident'))}</button></form>
    <p class="message"></p>`;
  const message = el.querySelector('.message');
  const on = (selector, handler) => el.querySelector(selector).addEventListener('submit', (e) => { e.preventDefault(); handler(e.target); });
  const move = el.querySelector('form.move');
  // Picking a spot on the map moves the incident there at once; typed coordinates move it on submit.
  move.querySelector('.pick').addEventListener('click', () => pickOnMap((lat, lon) => {
    move.latitude.value = lat.toFixed(6); move.longitude.value = lon.toFixed(6);
    move.requestSubmit();
  }));
  on('form.move', (f) => attempt(message, () => api('POST', path('location'), { latitude: numberOrNull(f.latitude), longitude: numberOrNull(f.longitude) }), t('movedMessage')));
  on('form.escalate', (f) => attempt(message, () => api('POST', path('agencies'), {
    priority: f.priority.value ? Number(f.priority.value) : null,
    radiusMeters: numberOrNull(f.radiusMeters),
    agencies: f.agencies.value.split(/[\s,]+/).filter(Boolean),
  }), t('escalatedMessage')));
  on('form.confirm', () => attempt(message, () => api('POST', path('confirm'), {}), t('confirmedMessage')));
  on('form.close', (f) => attempt(message, () => api('POST', path('close'), { reason: f.reason.value.trim() || null }), t('closedMessage')));
  return el;
}

/** Shows the actions that fit the incident's state: none once it is closing; confirm only while a person's incident awaits review. */
export function updateIncidentActions(el, view) {
  el.hidden = view.status !== 'open' || !DISPATCHER_ROLES.includes(auth.role);
  el.querySelector('form.confirm').hidden = !(view.pendingReview && auth.role === 'supervisor');
}
