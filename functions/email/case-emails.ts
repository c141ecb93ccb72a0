/**
 * The emails of case handling: to the customer in their language (being handled; the
 * response with the feedback question), to staff in Chinese with English below (approval
 * asked, approved or rejected, reopened by the customer, overdue, the GM's digest). Every
 * time names its time zone. HTML parts escape every value; subjects are one line.
 */
import type { Remedy } from '#functions/domain/case-lifecycle.ts';
import type { Complaint, Language } from '#functions/domain/complaint.ts';
import type { Bilingual } from '#functions/domain/labels.ts';
import { formatChinaTime } from '#functions/domain/working-hours.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { oneLine, type RenderedEmail } from './templates.ts';

export const remedyLabels: Record<Remedy['type'], Bilingual> = {
  none: { zh: '无需补救', en: 'No remedy' },
  repair: { zh: '维修', en: 'Repair' },
  return: { zh: '退货', en: 'Return' },
  exchange: { zh: '换货', en: 'Exchange' },
  compensation: { zh: '赔偿', en: 'Compensation' },
};

export function remedyText(remedy: Remedy, language: Language): string {
  const label = remedyLabels[remedy.type][language];
  return remedy.amount !== undefined
    ? `${label} ${remedy.amount.toFixed(2)} ${remedy.currency ?? ''}`.trim()
    : label;
}

interface Paragraphs {
  subject: string;
  language: Language;
  paragraphs: string[];
  link?: { url: string; label: string };
}

function render({ subject, language, paragraphs, link }: Paragraphs): RenderedEmail {
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.url}`] : []), ''].join('\n\n');
  const body: SafeHtml = html`${paragraphs.map((line) => html`<p>${line}</p>`)}${
    link ? html`<p><a href="${link.url}">${link.label}</a></p>` : ''
  }`;
  const page = html`<!doctype html><html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${subject}</title></head><body>${body}</body></html>`;
  return { subject: oneLine(subject), text, html: page.toString() };
}

const signature: Bilingual = { zh: '客户服务部', en: 'Customer Service' };

/** The customer: their complaint is being handled now. */
export function handlingEmail(complaint: Complaint, statusUrl: string): RenderedEmail {
  const { reference, language } = complaint;
  return language === 'zh'
    ? render({
        subject: `您的意见正在处理中（${reference}）`,
        language,
        paragraphs: [
          `${complaint.customer.name}，您好：`,
          `您的意见（编号 ${reference}）已由负责部门受理，正在处理中。处理过程中我们会随时告知进展。`,
          signature.zh,
        ],
        link: { url: statusUrl, label: '查看处理进度' },
      })
    : render({
        subject: `Your feedback is being handled (${reference})`,
        language,
        paragraphs: [
          `Dear ${complaint.customer.name},`,
          `The department responsible has taken up your feedback (reference ${reference}) and is handling it. We will keep you informed.`,
          signature.en,
        ],
        link: { url: statusUrl, label: 'See where it stands' },
      });
}

/** The customer: our decision, and the question whether they are satisfied (a personal link). */
export function responseEmail(
  complaint: Complaint,
  response: { text: string; remedy: Remedy },
  feedbackUrl: string,
): RenderedEmail {
  const { reference, language } = complaint;
  return language === 'zh'
    ? render({
        subject: `我们对您意见的答复（${reference}）`,
        language,
        paragraphs: [
          `${complaint.customer.name}，您好：`,
          `关于您的意见（编号 ${reference}），我们的答复如下：`,
          response.text,
          `处理方式：${remedyText(response.remedy, 'zh')}`,
          '您对处理结果是否满意？请点击下面的链接告诉我们。如不满意，我们将重新处理。',
          signature.zh,
        ],
        link: { url: feedbackUrl, label: '评价处理结果' },
      })
    : render({
        subject: `Our answer to your feedback (${reference})`,
        language,
        paragraphs: [
          `Dear ${complaint.customer.name},`,
          `About your feedback (reference ${reference}), this is our answer:`,
          response.text,
          `Remedy: ${remedyText(response.remedy, 'en')}`,
          'Are you satisfied with how it was handled? Please tell us through the link below. If you are not, we will take it up again.',
          signature.en,
        ],
        link: { url: feedbackUrl, label: 'Tell us if you are satisfied' },
      });
}

export type StaffNotice =
  | { kind: 'approval_requested'; remedy: Remedy; response: string }
  | { kind: 'approved' | 'rejected'; comment?: string }
  | { kind: 'reopened_by_customer'; comment?: string }
  | { kind: 'escalation'; level: 'first_response' | 'resolution'; dueAt: string };

/** Staff mail: Chinese, then English; times in China time with the zone named. */
export function staffEmail(
  complaint: Complaint,
  notice: StaffNotice,
  consoleUrl: string,
): RenderedEmail {
  const ref = complaint.reference;
  const [zh, en]: [string, string] = (() => {
    switch (notice.kind) {
      case 'approval_requested':
        return [
          `请审批：${remedyText(notice.remedy, 'zh')}。拟答复客户：${notice.response}`,
          `Please approve: ${remedyText(notice.remedy, 'en')}. Proposed answer: ${notice.response}`,
        ];
      case 'approved':
        return [
          `总经理已批准处理方案，可以答复客户。${notice.comment ?? ''}`,
          `The General Manager approved the proposal: you may answer the customer. ${notice.comment ?? ''}`,
        ];
      case 'rejected':
        return [
          `总经理未批准处理方案：${notice.comment ?? ''}`,
          `The General Manager rejected the proposal: ${notice.comment ?? ''}`,
        ];
      case 'reopened_by_customer':
        return [
          `客户对处理结果不满意，已重新打开。客户意见：${notice.comment ?? '（无）'}`,
          `The customer is not satisfied; the complaint is reopened. Their comment: ${notice.comment ?? '(none)'}`,
        ];
      case 'escalation':
        return notice.level === 'first_response'
          ? [
              `首次答复已逾期（期限 ${formatChinaTime(notice.dueAt)}），请尽快答复客户。`,
              `The first response is overdue (due ${formatChinaTime(notice.dueAt)}): answer the customer now.`,
            ]
          : [
              `处理期限已过（期限 ${formatChinaTime(notice.dueAt)}），上报总经理。`,
              `Resolution is overdue (due ${formatChinaTime(notice.dueAt)}): escalated to the General Manager.`,
            ];
    }
  })();
  const subjects: Record<StaffNotice['kind'], string> = {
    approval_requested: '待审批 Approval needed',
    approved: '已批准 Approved',
    rejected: '未批准 Rejected',
    reopened_by_customer: '客户不满意 Reopened by the customer',
    escalation: '逾期 Overdue',
  };
  return render({
    subject: `${subjects[notice.kind]}: ${ref}`,
    language: 'zh',
    paragraphs: [`${ref} · ${complaint.subject}`, zh, en],
    link: { url: consoleUrl, label: '在控制台中打开 Open in the console' },
  });
}

export interface DigestLine {
  reference: string;
  subject: string;
  status: string;
  dueAt: string;
}

/** The GM's morning list of what is overdue. */
/** A repeated problem the statistics propose a CAPA for; the GM decides. */
export interface DigestSuggestion {
  category: string;
  productModel: string;
  references: string[];
  count: number;
  /** The CAPA form, prefilled with the complaints. */
  url: string;
}

export function digestEmail(
  day: string,
  lines: DigestLine[],
  consoleUrl: string,
  suggestions: readonly DigestSuggestion[] = [],
): RenderedEmail {
  return render({
    subject: `逾期投诉日报 Overdue complaints ${day}: ${lines.length}`,
    language: 'zh',
    paragraphs: [
      `截至 ${day} 08:30 (Asia/Shanghai)，逾期投诉 ${lines.length} 件。 Overdue complaints as of ${day} 08:30 (Asia/Shanghai): ${lines.length}.`,
      ...lines.map(
        (line) =>
          `${line.reference} · ${line.status} · 期限 due ${formatChinaTime(line.dueAt)} · ${line.subject}`,
      ),
      ...(suggestions.length
        ? [
            `建议采取纠正预防措施（由您决定） CAPA suggested (you decide): ${suggestions.length}`,
            ...suggestions.map(
              (suggestion) =>
                `${suggestion.category} · ${suggestion.productModel} · ${suggestion.count} 件 complaints: ${suggestion.references.join(', ')} → ${suggestion.url}`,
            ),
          ]
        : []),
    ],
    link: { url: consoleUrl, label: '打开待办 Open the queue' },
  });
}
