// The SignalR connection to /hubs/operations: incident and access events of this agency, shown as live/offline.
import * as signalR from '@microsoft/signalr';
import { auth } from './api.js';
import { t, onLanguageChange } from './i18n.js';
import { $ } from './dom.js';

let hub = null;

/**
 * handlers: { eventName: fn }; after every (re)connection, subscribes to the agency's incidents (handed to
 * onSubscribed) and to camera status changes of the districts in its jurisdiction (the hub refuses the others).
 */
export async function connectHub(handlers, onSubscribed, districtCodes) {
  hub = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/operations', { accessTokenFactory: () => auth.token })
    .withAutomaticReconnect()
    .build();
  for (const [name, handler] of Object.entries(handlers)) hub.on(name, handler);
  const subscribe = async () => {
    await onSubscribed(await hub.invoke('SubscribeIncidents'));
    await Promise.all(districtCodes.map((code) => hub.invoke('SubscribeDistrict', code).catch(() => {})));
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
