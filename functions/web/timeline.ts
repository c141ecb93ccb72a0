/** The public steps of a complaint as a timeline, in both languages, times in China time with the zone named. */
import type { PublicStep, PublicStepEntry } from '../domain/case-lifecycle.ts';
import type { Bilingual } from '../domain/labels.ts';
import { formatChinaTime } from '../domain/working-hours.ts';
import { html, type SafeHtml } from '../shared/html.ts';

export const publicStepLabels: Record<PublicStep, Bilingual> = {
  received: { zh: '已收到', en: 'Received' },
  handling: { zh: '处理中', en: 'Being handled' },
  responded: { zh: '已答复', en: 'Response sent' },
  closed: { zh: '已结案', en: 'Closed' },
  reopened: { zh: '重新处理', en: 'Reopened' },
};

export function timelineHtml(steps: readonly PublicStepEntry[]): SafeHtml {
  return html`<h2>处理进度 Progress</h2>
<ol class="timeline">${steps.map(
    (entry) =>
      html`<li><strong>${publicStepLabels[entry.step].zh} ${publicStepLabels[entry.step].en}</strong> · <time datetime="${entry.at}">${formatChinaTime(entry.at)}</time></li>`,
  )}</ol>`;
}
