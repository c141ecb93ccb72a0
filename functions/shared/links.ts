/** Absolute links to the public API, for pages and emails. */
import { environmentNames } from '#functions/wiring.ts';
import { requiredSetting } from './config.ts';

export function publicUrl(path: string, query: Record<string, string> = {}): string {
  const base = requiredSetting(environmentNames.publicBaseUrl).replace(/\/+$/, '');
  const search = new URLSearchParams(query).toString();
  return `${base}${path}${search ? `?${search}` : ''}`;
}

export function statusUrl(reference: string, email?: string): string {
  return publicUrl(`/complaints/${encodeURIComponent(reference)}`, email ? { email } : {});
}

/**
 * A link from the page answering `fromResource` (an API Gateway resource such as
 * `/complaints/{reference}`) to `path`, relative to it: it works at whatever address the
 * page was opened (127.0.0.1, a LAN name, a stage path), which `form-action 'self'` needs.
 */
export function relativeUrl(
  fromResource: string,
  path: string,
  query: Record<string, string> = {},
): string {
  const depth = Math.max(0, fromResource.split('/').filter(Boolean).length - 1);
  const prefix = depth === 0 ? './' : '../'.repeat(depth);
  const search = new URLSearchParams(query).toString();
  return `${prefix}${path.replace(/^\/+/, '')}${search ? `?${search}` : ''}`;
}

/**
 * The form opened at a stage's root without its slash (`…/prod`) would resolve its relative
 * links against the host's root: where to send the browser instead (`prod/`), or undefined
 * when the address is fine. `requestPath` is the path the browser asked for, stage included.
 */
export function slashRedirect(requestPath: string, query: Record<string, string> = {}) {
  if (requestPath === '' || requestPath.endsWith('/')) return undefined;
  const last = requestPath.slice(requestPath.lastIndexOf('/') + 1);
  const search = new URLSearchParams(query).toString();
  return `${encodeURIComponent(decodeURIComponent(last))}/${search ? `?${search}` : ''}`;
}
