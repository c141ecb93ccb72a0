/**
 * The emails of an on-site visit: the appointment to the customer in their language (with
 * the link to its calendar file), the appointment to who goes (the outlet in its language,
 * a technician in Chinese with English below) with the site, the complaint and the report
 * link, and the reminders when the report is late. HTML escapes every value.
 */
import type { Complaint, Language } from '#functions/domain/complaint.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { oneLine, type RenderedEmail } from './templates.ts';

export interface VisitFacts {
  date: string;
  from: string;
  to: string;
  timeZone: string;
  address: string;
  contact: { name: string; phone?: string };
  /** Who goes, as the customer should read it. */
  visitorName: string;
}

interface Paragraphs {
  subject: string;
  language: Language;
  paragraphs: string[];
  links: { url: string; label: string }[];
}

function render({ subject, language, paragraphs, links }: Paragraphs): RenderedEmail {
  const text = [...paragraphs, ...links.map((link) => `${link.label}: ${link.url}`), ''].join(
    '\n\n',
  );
  const body: SafeHtml = html`${paragraphs.map((line) => html`<p style="white-space:pre-wrap">${line}</p>`)}${links.map(
    (link) => html`<p><a href="${link.url}">${link.label}</a></p>`,
  )}`;
  const page = html`<!doctype html><html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${subject}</title></head><body>${body}</body></html>`;
  return { subject: oneLine(subject), text, html: page.toString() };
}

const windowText = (visit: VisitFacts) =>
  `${visit.date} ${visit.from}–${visit.to} (${visit.timeZone})`;
const contactText = (visit: VisitFacts) =>
  [visit.contact.name, visit.contact.phone].filter(Boolean).join(', ');

/** The customer: when we come, who comes, and the calendar file. */
export function visitCustomerEmail(
  complaint: Pick<Complaint, 'reference' | 'language' | 'customer'>,
  visit: VisitFacts,
  calendarUrl: string,
): RenderedEmail {
  const { reference, language } = complaint;
  return language === 'zh'
    ? render({
        subject: `上门服务预约（${reference}）`,
        language,
        paragraphs: [
          `${complaint.customer.name}，您好：`,
          `关于您的意见（编号 ${reference}），我们已安排上门服务：`,
          `时间：${windowText(visit)}\n地点：${visit.address}\n服务人员：${visit.visitorName}\n现场联系人：${contactText(visit)}`,
          '客户服务部',
        ],
        links: [{ url: calendarUrl, label: '加入日历（.ics）' }],
      })
    : render({
        subject: `Your on-site service appointment (${reference})`,
        language,
        paragraphs: [
          `Dear ${complaint.customer.name},`,
          `About your feedback (reference ${reference}), we have arranged a visit:`,
          `When: ${windowText(visit)}\nWhere: ${visit.address}\nWho comes: ${visit.visitorName}\nContact on site: ${contactText(visit)}`,
          'Customer Service',
        ],
        links: [{ url: calendarUrl, label: 'Add to your calendar (.ics)' }],
      });
}

/** Who goes: the appointment, the site, the complaint, and the personal link to report the visit. */
export function visitAssignmentEmail(
  complaint: Pick<Complaint, 'reference' | 'customer' | 'subject' | 'description'>,
  visit: VisitFacts,
  recipientName: string,
  language: Language,
  reportUrl: string,
  reminder: boolean,
): RenderedEmail {
  const customer = [complaint.customer.name, complaint.customer.company, complaint.customer.phone]
    .filter(Boolean)
    .join(', ');
  const zh = render({
    subject: reminder
      ? `请提交上门服务报告（${complaint.reference}）`
      : `上门服务任务（${complaint.reference}）`,
    language: 'zh',
    paragraphs: [
      `${recipientName}：`,
      reminder
        ? `以下上门服务的时间已过一个工作日，尚未收到服务报告，请通过下方链接提交。`
        : `请按以下安排上门服务，完成后通过下方链接提交服务报告（链接仅限使用一次）。`,
      `时间：${windowText(visit)}\n地点：${visit.address}\n现场联系人：${contactText(visit)}\n客户：${customer}`,
      `投诉 ${complaint.reference}：${complaint.subject}\n${complaint.description}`,
    ],
    links: [{ url: reportUrl, label: '提交服务报告' }],
  });
  const en = render({
    subject: reminder
      ? `Please report the on-site visit (${complaint.reference})`
      : `On-site visit to make (${complaint.reference})`,
    language: 'en',
    paragraphs: [
      `${recipientName},`,
      reminder
        ? 'The visit below ended more than one working day ago and we have no report yet. Please send it through the link below.'
        : 'Please make the visit below, then send your report through the link below (it works once).',
      `When: ${windowText(visit)}\nWhere: ${visit.address}\nContact on site: ${contactText(visit)}\nCustomer: ${customer}`,
      `Complaint ${complaint.reference}: ${complaint.subject}\n${complaint.description}`,
    ],
    links: [{ url: reportUrl, label: 'Report the visit' }],
  });
  return language === 'zh' ? zh : en;
}

/** The owner: a visit's report is late (Chinese, English below). */
export function visitOverdueOwnerEmail(
  complaint: Pick<Complaint, 'reference' | 'subject'>,
  visit: VisitFacts,
  consoleUrl: string,
): RenderedEmail {
  return render({
    subject: `上门服务报告逾期 / Visit report overdue（${complaint.reference}）`,
    language: 'zh',
    paragraphs: [
      `投诉 ${complaint.reference}（${complaint.subject}）的上门服务（${windowText(visit)}，${visit.visitorName}）已过一个工作日仍未提交报告。服务人员已收到提醒。`,
      `The visit for complaint ${complaint.reference} (${windowText(visit)}, ${visit.visitorName}) ended more than one working day ago and has not been reported. Whoever went has been reminded.`,
    ],
    links: [{ url: consoleUrl, label: '查看投诉 / Open the complaint' }],
  });
}
