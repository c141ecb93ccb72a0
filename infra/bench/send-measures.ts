/** How a run of sends (their times in milliseconds, sorted) compares with a per-second rate. */

/** The most times any one-second window [t, t + 1 s) holds. */
export function busiestOneSecondWindow(times: number[]): number {
  let busiest = 0;
  for (let first = 0, index = 0; index < times.length; index++) {
    while ((times[index] as number) - (times[first] as number) >= 1000) first++;
    busiest = Math.max(busiest, index - first + 1);
  }
  return busiest;
}

/**
 * The mean, over every one-second window [t, t + 1 s) with t from the first time to one
 * second before the last, of the times it holds (sorted, in milliseconds).
 */
export function meanOneSecondWindow(times: number[]): number {
  const first = times[0];
  const last = times.at(-1);
  if (first === undefined || last === undefined || last - first <= 1000) return times.length;
  const from = first;
  const to = last - 1000;
  // Each time s is in the windows starting in (s − 1 s, s]: its share of [from, to].
  let covered = 0;
  for (const time of times)
    covered += Math.max(0, Math.min(time, to) - Math.max(time - 1000, from));
  return covered / (to - from);
}
