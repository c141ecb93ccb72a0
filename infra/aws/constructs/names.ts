/** `sendNotification` → `SendNotification`: how wiring names become construct ids. */
export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
