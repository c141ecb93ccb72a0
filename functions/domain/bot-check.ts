/**
 * Telling a form-filling bot from a person without JavaScript or a CAPTCHA: a field people
 * never see (bots fill every field they find) and a minimum time between the page being
 * served and its post (people take more than a few seconds to describe a problem).
 */
export const honeypotField = 'website';
export const issuedAtField = 'formIssuedAt';
export function looksAutomated(fields: unknown, now: number, minimumFillMs: number): boolean {
  if (fields === null || typeof fields !== 'object') return false;
  const honeypot = Reflect.get(fields, honeypotField);
  if (typeof honeypot === 'string' && honeypot.trim() !== '') return true;
  const issued = Number(Reflect.get(fields, issuedAtField));
  // No time (an old page, a plain HTML form elsewhere): nothing to judge by.
  if (!Number.isFinite(issued) || issued <= 0) return false;
  return now - issued < minimumFillMs;
}
