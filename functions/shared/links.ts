/** Absolute links to the public API, for pages and emails. */
import { environmentNames } from '../wiring.ts';
import { requiredSetting } from './config.ts';

export function publicUrl(path: string, query: Record<string, string> = {}): string {
  const base = requiredSetting(environmentNames.publicBaseUrl).replace(/\/+$/, '');
  const search = new URLSearchParams(query).toString();
  return `${base}${path}${search ? `?${search}` : ''}`;
}

export function statusUrl(reference: string, email?: string): string {
  return publicUrl(`/complaints/${encodeURIComponent(reference)}`, email ? { email } : {});
}
