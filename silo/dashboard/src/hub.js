// The SignalR connection to /hubs/operations: incident and access events of this agency and camera status changes of its
// districts, shown as live/offline.
import * as signalR from '@microsoft/signalr';
import { keepReconnecting } from './reconnect.js';
import { auth } from './api.js';
import { t, onLanguageChange } from './i18n.js';
import { $ } from './dom.js';
import { sequenceTracker } from './sequence.js';

let hub = null;

const INCIDENT_EVENTS = ['incidentOpened', 'incidentUpdated', 'incidentClosed'];

/**
 * How often this page (re)subscribed, and how often it saw a gap in its agency's (or its districts') events and read that
 * state again (read by the browser tests).
 */
export const resyncs = { subscriptions: 0, gaps: 0, completed: 0, statusGaps: 0, statusCompleted: 0 };

/**
 * handlers: { eventName: fn }; after every (re)connection, subscribes to the agency's incidents as cards (the list's and
 * the map's fields, batched in 'events' messages; the selected incident's whole view arrives through subscribeIncident),
 * handed to onSubscribed with the ids of incidents that events changed while the answer was on its way, and to camera
 * status changes of the districts in its jurisdiction (the hub refuses the others). When the agency's event numbers show a gap or a new epoch,
 * subscribes again; when a district's do, calls onStatusesStale (which reads the cameras' statuses again). A lost event
 * costs one re-read, not lost state.
 */
export async function connectHub(handlers, onSubscribed, districtCodes, onStatusesStale) {
  hub = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/operations', { accessTokenFactory: () => auth.token })
    .withAutomaticReconnect(keepReconnecting)
    .build();
  const sequence = sequenceTracker();
  // Incidents an event told of while a subscription's answer was on its way are left as the events leave them: the answer
  // may have been read before that change and would undo it (re-list a closed incident, drop one just opened), while any
  // newer change the answer holds was published as an event too, so it still arrives.
  const pending = new Set(); // one set of touched incident ids per answer on its way
  const subscribeIncidents = async () => {
    const touched = new Set();
    pending.add(touched);
    try {
      const open = await hub.invoke('SubscribeIncidentCards');
      await onSubscribed(open, touched);
    } finally {
      pending.delete(touched);
    }
  };
  const resync = async () => {
    resyncs.gaps++;
    await subscribeIncidents();
    resyncs.completed++;
  };
  const resyncStatuses = async () => {
    resyncs.statusGaps++;
    await onStatusesStale();
    resyncs.statusCompleted++;
  };
  const track = (payload, isHeartbeat) => {
    const stale = sequence.observe(payload?.sequence, isHeartbeat);
    if (!stale) return;
    (stale.startsWith('district:') ? resyncStatuses() : resync()).catch(() => {});
  };
  const deliver = (name, payload) => {
    if (name === 'sequencePosition') { track(payload, true); return; }
    if (INCIDENT_EVENTS.includes(name) && payload?.id) for (const touched of pending) touched.add(payload.id);
    handlers[name]?.(payload);
    track(payload, false);
  };
  for (const name of [...Object.keys(handlers), 'sequencePosition']) hub.on(name, (payload) => deliver(name, payload));
  // The agency's events, as cards, one message per delivery (SubscribeIncidentCards).
  hub.on('events', (batch) => { for (const e of batch) deliver(e.name, e.payload); });
  const subscribe = async () => {
    sequence.reset();
    await subscribeIncidents();
    if (districtCodes.length) await hub.invoke('SubscribeDistricts', districtCodes).catch(() => {});
    resyncs.subscriptions++;
    renderConnection();
  };
  hub.onreconnected(subscribe);
  hub.onclose(renderConnection);
  hub.onreconnecting(renderConnection);
  onLanguageChange(renderConnection);
  await hub.start();
  await subscribe();
}

export const subscribeIncident = (id) => hub?.invoke('SubscribeIncident', id).catch(() => {});

export const stopHub = () => hub?.stop().catch(() => {});

function renderConnection() {
  $('conn').textContent = hub ? t(hub.state === signalR.HubConnectionState.Connected ? 'connected' : 'disconnected') : '';
}
