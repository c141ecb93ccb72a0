/**
 * CAPA's staff mail: an overdue planned action, to its department and the GM, in Chinese with
 * English beside it. HTML parts escape every value; the subject is one line.
 */
import type { PlannedAction } from '#functions/domain/capa.ts';
import { departmentNames } from '#functions/domain/departments.ts';
import { formatChinaTime } from '#functions/domain/working-hours.ts';
import { html } from '#functions/shared/html.ts';
import { oneLine, type RenderedEmail } from './templates.ts';

export function capaOverdueEmail(input: {
  reference: string;
  problem: string;
  action: PlannedAction;
  index: number;
  dueAt: string;
  url: string;
}): RenderedEmail {
  const department = departmentNames[input.action.department];
  const subject = `逾期纠正预防措施 Overdue CAPA action ${input.reference} #${input.index + 1}`;
  const paragraphs = [
    `${input.reference} 的措施 ${input.index + 1} 已逾期（期限 ${formatChinaTime(input.dueAt)}），责任部门：${department.zh}。`,
    `Action ${input.index + 1} of ${input.reference} is overdue (due ${formatChinaTime(input.dueAt)}); owner: ${department.en}.`,
    `措施 Action: ${input.action.description}`,
    `问题 Problem: ${input.problem}`,
  ];
  const link = { url: input.url, label: '打开纠正预防措施 Open the CAPA' };
  const text = [...paragraphs, `${link.label}: ${link.url}`, ''].join('\n\n');
  const page = html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${subject}</title></head><body>${paragraphs.map((line) => html`<p>${line}</p>`)}<p><a href="${link.url}">${link.label}</a></p></body></html>`;
  return { subject: oneLine(subject), text, html: page.toString() };
}
