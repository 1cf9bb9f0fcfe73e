// How the dashboard's SignalR connections reconnect. SignalR's default gives up after four tries (0, 2, 10 and 30 s): a
// situation-room wall screen whose node was away longer (a restart of the whole cluster, maintenance, a network cut)
// would stay "disconnected" until someone reloaded it. This policy never gives up: quickly at first, then every 10 to
// 15 s, spread at random so that a city's dashboards do not all come back in the same instant.

const FIRST_DELAYS = [0, 2000, 5000];
const STEADY_DELAY = 10000;
const SPREAD = 5000;

/** The longest this page has gone on trying to reconnect (read by the browser tests). */
export const reconnects = { longestMs: 0 };

export const keepReconnecting = {
  nextRetryDelayInMilliseconds({ previousRetryCount, elapsedMilliseconds }) {
    reconnects.longestMs = Math.max(reconnects.longestMs, elapsedMilliseconds);
    return FIRST_DELAYS[previousRetryCount] ?? STEADY_DELAY + Math.random() * SPREAD;
  },
};
