// The REST client: every call carries the signed-in token; errors become exceptions carrying the ProblemDetails, whose
// message is the problem's reason in the interface language when the dashboard knows it, else the server's detail.
import { reasonText } from './i18n.js';

/** The signed-in caller: token, and the agency and role it speaks for (set once signed in). */
export const auth = { token: null, agencyId: null, role: null };

export async function api(method, path, body, token = auth.token) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text && (response.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text;
  if (!response.ok) {
    const error = new Error(reasonText(data?.reason, (data && (data.detail || data.title)) || `${response.status}`));
    error.status = response.status; error.problem = data;
    error.retryAfterSeconds = Number(response.headers.get('retry-after')) || null;
    throw error;
  }
  return data;
}

/**
 * A refusal that says nothing about the right to the resource, only that the service cannot answer now (a database
 * restart, the audit ledger unavailable, overload, a gateway in between), or no answer at all (the network): worth asking
 * again shortly.
 */
export const isTransient = (e) => !e.status || [429, 502, 503, 504].includes(e.status);

/** A binary resource (a snapshot) as an object URL, or null when refused. */
export async function apiBlobUrl(path) {
  const response = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${auth.token}` } });
  return response.ok ? URL.createObjectURL(await response.blob()) : null;
}
