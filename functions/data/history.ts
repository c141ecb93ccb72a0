/**
 * The complaint's history: one item per event, after the complaint in its partition, so one
 * Query returns both. An event's key is built from its time and type, and the caller passes
 * a time that is fixed for the event (e.g. when routing was decided), so writing the same
 * event again finds it there and adds nothing.
 */
import { putIfAbsent } from './db.ts';
import { keys } from './keys.ts';

export interface HistoryEvent {
  type: string;
  at: string;
  /** `system` for steps the system took; staff actions name the department. */
  actor: string;
  /** Ids and codes only: the complaint itself holds the text. */
  details?: Record<string, unknown>;
}

/** Adds the event once; false when it was already recorded. `discriminator` tells apart events of one type at one time. */
export async function recordHistoryEvent(
  complaintId: string,
  event: HistoryEvent,
  discriminator?: string,
): Promise<boolean> {
  const type = discriminator ? `${event.type}#${discriminator}` : event.type;
  return putIfAbsent({
    ...keys.complaintEvent(complaintId, event.at, type),
    complaintId,
    ...event,
  });
}
