/**
 * Every email the complaint desk sends, in one place: the customer's acknowledgement and the
 * alert to each party told of a complaint, in Chinese or English, each as plain text and
 * HTML. HTML parts are built with the `html` tag, so every value is escaped; subjects are
 * kept to one line.
 */
import type { Channel, Complaint, Language } from '#functions/domain/complaint.ts';
import { departmentNames } from '#functions/domain/departments.ts';
import {
  type Bilingual,
  categoryLabels,
  claimTypeLabels,
  marketLabels,
} from '#functions/domain/labels.ts';
import { provinceByCode } from '#functions/domain/regions.ts';
import type {
  Assessment,
  Role,
  RoutingDecision,
  Severity,
  SeverityReason,
} from '#functions/domain/routing.ts';
import { businessTimeZone } from '#functions/shared/clock.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { site } from '#functions/shared/site.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** Extra message headers (SES v2 `Headers`), e.g. `List-Unsubscribe` on survey mail only. */
  headers?: { name: string; value: string }[];
  /** `survey`: bulk mail, sent with the survey's configuration set; else transactional. */
  stream?: 'survey';
}

export const roleLabels: Record<Role, Bilingual> = {
  owner: { zh: '负责处理', en: 'Owner' },
  analysis: { zh: '组织分析', en: 'Analysis' },
  root_cause: { zh: '原因分析与纠正措施', en: 'Root cause and corrective action' },
  approval: { zh: '审批', en: 'Approval' },
  informed: { zh: '知悉', en: 'For information' },
  local_service: { zh: '当地服务', en: 'Local service' },
};

const roleDuties: Record<Role, Bilingual> = {
  owner: {
    zh: '由您负责处理并与客户保持联系：按期答复客户，处理过程中随时告知进展，处理完毕后请客户评价满意程度。',
    en: 'You own this complaint: answer the customer in time, keep them informed while it is handled, and ask how satisfied they are once it is resolved.',
  },
  analysis: {
    zh: '请组织相关部门分析原因，并根据合同、订单、送货单、批号和产品型号追溯产品。',
    en: 'Please organise the analysis with the departments concerned and trace the product by contract, order, delivery note, batch and model.',
  },
  root_cause: {
    zh: '请查找根本原因，制定纠正措施，并记入《用户意见登记及处理表》。',
    en: 'Please find the root cause, set the corrective measures and record them in the complaint register.',
  },
  approval: {
    zh: '客户提出赔偿要求：赔偿及改进措施须经总经理审批。',
    en: 'The customer claims compensation: compensation and improvement measures need your approval.',
  },
  informed: {
    zh: '每一项客户意见均报总经理知悉。',
    en: 'Every complaint is reported to the General Manager for information.',
  },
  local_service: {
    zh: '客户位于贵网点的服务区域，请准备提供现场服务或技术支持。',
    en: 'The customer is in your service area: please be ready to give on-site service or technical support.',
  },
};

export const severityLabels: Record<Severity, Bilingual> = {
  high: { zh: '高', en: 'High' },
  normal: { zh: '中', en: 'Normal' },
  low: { zh: '低', en: 'Low' },
};

const channelLabels: Record<Channel, Bilingual> = {
  web: { zh: '网页表单', en: 'Web form' },
  phone: { zh: '电话', en: 'Phone' },
  letter: { zh: '信函', en: 'Letter' },
  fax: { zh: '传真', en: 'Fax' },
  email: { zh: '电子邮件', en: 'Email' },
  visit: { zh: '来访', en: 'Visit' },
};

const reasonLabels: Record<SeverityReason, Bilingual> = {
  safety_concern: { zh: '涉及人身或使用安全', en: 'safety concern' },
  compensation_claim: { zh: '赔偿要求', en: 'compensation claim' },
  return_or_exchange: { zh: '退换货要求', en: 'return or exchange requested' },
  product_quality: { zh: '产品质量', en: 'product quality' },
  low_severity_category: { zh: '建议类', en: 'suggestion' },
};

/** A fact line: label and value, or nothing when the value is absent. */
type Fact = [label: string, value: string | undefined];

const words = {
  zh: {
    colon: '：',
    listSeparator: '、',
    reference: '受理编号',
    category: '类别',
    subject: '主题',
    description: '内容',
    severity: '严重程度',
    firstResponseDue: '首次答复期限',
    resolutionDue: '处理完成期限',
    parties: '相关部门',
    customer: '客户',
    name: '姓名',
    company: '单位',
    email: '邮箱',
    phone: '电话',
    market: '市场',
    region: '地区',
    order: '订单信息',
    contractNo: '合同号',
    orderNo: '订单号',
    deliveryNoteNo: '送货单号',
    batchNo: '批号',
    productModel: '产品型号',
    claim: '索赔要求',
    received: '收到时间',
    channel: '来源',
    yourRole: '您的职责',
    statusLink: '查询处理进度',
    signature: '客户服务部',
    privacy: '个人信息保护说明',
    attachments: '客户照片和文件',
  },
  en: {
    colon: ': ',
    listSeparator: ', ',
    reference: 'Reference',
    category: 'Category',
    subject: 'Subject',
    description: 'Description',
    severity: 'Severity',
    firstResponseDue: 'First response due',
    resolutionDue: 'Resolution due',
    parties: 'Parties',
    customer: 'Customer',
    name: 'Name',
    company: 'Company',
    email: 'Email',
    phone: 'Phone',
    market: 'Market',
    region: 'Region',
    order: 'Order',
    contractNo: 'Contract no.',
    orderNo: 'Order no.',
    deliveryNoteNo: 'Delivery note no.',
    batchNo: 'Batch no.',
    productModel: 'Product model',
    claim: 'Claim',
    received: 'Received',
    channel: 'Channel',
    yourRole: 'Your role',
    statusLink: 'Follow its progress',
    signature: 'Customer Service',
    privacy: 'Privacy notice',
    attachments: 'Customer photos and documents',
  },
} as const;

// ── The customer's acknowledgement ──────────────────────────────────────────

export interface AcknowledgementInput {
  complaint: Complaint;
  /** The public status page for this complaint and address. */
  statusUrl: string;
  /** The privacy notice (PIPL and GDPR want it reachable from every mail). */
  privacyUrl: string;
}

export function acknowledgementEmail({
  complaint,
  statusUrl,
  privacyUrl,
}: AcknowledgementInput): RenderedEmail {
  const language = complaint.language;
  const w = words[language];
  const reference = complaint.reference;
  const owner = complaint.routing?.assignments.find((assignment) => assignment.role === 'owner');
  const ownerName = owner ? departmentNames[owner.department][language] : undefined;
  const firstResponse = complaint.assessment
    ? formatTime(complaint.assessment.firstResponseDueAt, language)
    : undefined;

  const copy =
    language === 'zh'
      ? {
          // No customer-written text in the subject: the form must not become a way to mail
          // anyone a subject line of one's choosing from our domain.
          subject: `您的意见已受理（${reference}）`,
          // Nor in the body: anyone may type anyone's address into the form, so the
          // acknowledgement carries only what we generate (issue: email trust).
          greeting: '您好：',
          intro: `感谢您的来信。我们已收到您的意见，受理编号为 ${reference}。`,
          nextTitle: '接下来：',
          next: [
            ownerName
              ? `您的意见已转交${ownerName}负责处理，并已报告总经理。`
              : '您的意见已转交相关部门处理，并已报告总经理。',
            firstResponse
              ? `我们将在 ${firstResponse}（北京时间）前答复您，处理过程中会随时告知进展。`
              : '我们将尽快答复您，处理过程中会随时告知进展。',
            '处理完毕后，我们会请您评价处理结果；如不满意，可要求重新处理。',
          ],
          statusNote: '查询时请使用您提交时填写的邮箱地址。',
          replyNote: `如需补充说明，请直接回复本邮件，并注明受理编号 ${reference}。`,
        }
      : {
          subject: `We have received your feedback (${reference})`,
          greeting: 'Hello,',
          intro: `Thank you for writing to us. We have received your feedback under reference ${reference}.`,
          nextTitle: 'What happens next:',
          next: [
            ownerName
              ? `It has been passed to our ${ownerName} department, which handles it, and reported to the General Manager.`
              : 'It has been passed to the departments concerned and reported to the General Manager.',
            firstResponse
              ? `We will answer you by ${firstResponse} (China time, UTC+8) and keep you informed while it is handled.`
              : 'We will answer you soon and keep you informed while it is handled.',
            'Once it is resolved we will ask how satisfied you are; if you are not, we will take it up again.',
          ],
          statusNote: 'Use the email address you gave when you wrote to us.',
          replyNote: `To add anything, reply to this email and quote reference ${reference}.`,
        };

  const facts: Fact[] = [
    [w.reference, reference],
    [w.category, categoryLabels[complaint.category][language]],
    [w.received, formatTime(complaint.createdAt, language)],
  ];

  const text = [
    copy.greeting,
    '',
    copy.intro,
    '',
    textFacts(facts, language),
    '',
    copy.nextTitle,
    ...copy.next.map((line, index) => `${index + 1}. ${line}`),
    '',
    `${w.statusLink}${w.colon}${statusUrl}`,
    copy.statusNote,
    '',
    copy.replyNote,
    '',
    `${site().company[language]} ${w.signature}`,
    '',
    `${w.privacy}${w.colon}${privacyUrl}`,
    '',
  ].join('\n');

  const body = html`<p>${copy.greeting}</p>
<p>${copy.intro}</p>
${htmlFacts(facts)}
<p><strong>${copy.nextTitle}</strong></p>
<ol>${copy.next.map((line) => html`<li>${line}</li>`)}</ol>
<p><a href="${statusUrl}">${w.statusLink}</a><br><small>${copy.statusNote}</small></p>
<p>${copy.replyNote}</p>
<p>${site().company[language]} ${w.signature}</p>
<p><small><a href="${privacyUrl}">${w.privacy}</a></small></p>`;

  return { subject: oneLine(copy.subject), text, html: page(language, copy.subject, body) };
}

// ── The alert to a department or outlet ─────────────────────────────────────

export interface AlertInput {
  complaint: Complaint;
  routing: RoutingDecision;
  assessment: Assessment;
  /** Whom it is addressed to: a department or an outlet. */
  recipientName: Bilingual;
  role: Role;
  language: Language;
  /** The outlet told, if any, to list it among the parties. */
  outletName?: Bilingual;
  /** Photos and documents the customer has added so far: counted here, opened only by staff. */
  attachments: number;
  /** An outlet abroad: its own time zone, shown beside China time. */
  recipientTimeZone?: string;
  /** The complaint in the staff console, for departments (outlets have no staff account). */
  consoleUrl?: string;
}

export function alertEmail(input: AlertInput): RenderedEmail {
  const { routing, assessment, role, language } = input;
  // Links customers typed reach staff unclickable: a complaint must not phish the factory.
  const complaint = defangedComplaint(input.complaint);
  const w = words[language];
  const severity = severityLabels[assessment.severity][language];
  const reasons = assessment.reasons.map((reason) => reasonLabels[reason][language]);
  const category = categoryLabels[complaint.category][language];

  const subject =
    language === 'zh'
      ? `[${complaint.reference}] 新客户意见 · ${category} · ${roleLabels[role].zh} · 严重程度${severity}：${complaint.subject}`
      : `[${complaint.reference}] New complaint · ${category} · ${roleLabels[role].en} · ${severity} severity: ${complaint.subject}`;
  const greeting =
    language === 'zh' ? `${input.recipientName.zh}：` : `To ${input.recipientName.en},`;
  const intro =
    language === 'zh'
      ? `客户意见 ${complaint.reference} 已转交给您。`
      : `Complaint ${complaint.reference} has been passed to you.`;

  const parties = [
    ...routing.assignments.map(
      (assignment) =>
        `${departmentNames[assignment.department][language]}${inParentheses(roleLabels[assignment.role][language], language)}`,
    ),
    ...(routing.outlet && input.outletName
      ? [
          `${input.outletName[language]}${inParentheses(roleLabels[routing.outlet.role][language], language)}`,
        ]
      : []),
  ];

  const summary: Fact[] = [
    [w.reference, complaint.reference],
    [w.category, category],
    [
      w.severity,
      reasons.length > 0
        ? `${severity}${inParentheses(reasons.join(w.listSeparator), language)}`
        : severity,
    ],
    // Staff and outlets work across time zones: every time names its own.
    [w.firstResponseDue, zoned(assessment.firstResponseDueAt, language, input.recipientTimeZone)],
    [w.resolutionDue, zoned(assessment.resolutionDueAt, language, input.recipientTimeZone)],
    [w.parties, parties.join(w.listSeparator)],
    [w.received, zoned(complaint.createdAt, language, input.recipientTimeZone)],
    [w.channel, channelLabels[complaint.channel][language]],
    [w.attachments, attachmentCount(input.attachments, language)],
  ];
  const customer = complaint.customer;
  const customerFacts: Fact[] = [
    [w.name, customer.name],
    [w.company, customer.company],
    [w.email, customer.email],
    [w.phone, customer.phone],
    [w.market, marketLabels[customer.market][language]],
    [w.region, regionName(customer.region, language)],
  ];
  const order = complaint.order ?? {};
  const orderFacts: Fact[] = [
    [w.contractNo, order.contractNo],
    [w.orderNo, order.orderNo],
    [w.deliveryNoteNo, order.deliveryNoteNo],
    [w.batchNo, order.batchNo],
    [w.productModel, order.productModel],
    [w.claim, claimText(complaint, language)],
  ];

  const text = [
    greeting,
    '',
    intro,
    `${w.yourRole}${w.colon}${roleLabels[role][language]}`,
    roleDuties[role][language],
    '',
    textFacts(summary, language),
    '',
    `${w.customer}`,
    textFacts(customerFacts, language),
    '',
    `${w.order}`,
    textFacts(orderFacts, language),
    '',
    `${w.subject}${w.colon}${complaint.subject}`,
    `${w.description}${w.colon}`,
    complaint.description,
    '',
    ...(input.consoleUrl ? [`${consoleLinkText[language]}${w.colon}${input.consoleUrl}`, ''] : []),
  ].join('\n');

  const body = html`<p>${greeting}</p>
<p>${intro}</p>
${input.consoleUrl ? html`<p><a href="${input.consoleUrl}">${consoleLinkText[language]}</a></p>` : ''}
<p><strong>${w.yourRole}${w.colon}${roleLabels[role][language]}</strong><br>${roleDuties[role][language]}</p>
${htmlFacts(summary)}
<h3>${w.customer}</h3>
${htmlFacts(customerFacts)}
<h3>${w.order}</h3>
${htmlFacts(orderFacts)}
<h3>${w.subject}${w.colon}${complaint.subject}</h3>
<p style="white-space:pre-wrap">${complaint.description}</p>`;

  return { subject: oneLine(subject), text, html: page(language, subject, body) };
}

// ── Shared pieces ───────────────────────────────────────────────────────────

const consoleLinkText: Record<Language, string> = {
  zh: '在管理控制台中处理（照片和文件也在那里）',
  en: 'Handle it in the staff console (photos and documents are there too)',
};

/**
 * `https://evil.example/x` → `hxxps://evil[.]example/x`, `www.evil.example` →
 * `www[.]evil[.]example`: the usual way to show a link that no mail client turns into one.
 */
export function defang(text: string): string {
  return text
    .replace(
      /\b(h)(tt)(ps?)(:\/\/)([^\s/?#<>"']+)/gi,
      (_, _h: string, _tt: string, ps: string, sep: string, host: string) =>
        `hxx${ps.toLowerCase()}${sep}${host.replaceAll('.', '[.]')}`,
    )
    .replace(/\bwww\.[^\s/?#<>"']+/gi, (host) => host.replaceAll('.', '[.]'));
}

function defangedComplaint(complaint: Complaint): Complaint {
  const customer = complaint.customer;
  return {
    ...complaint,
    subject: defang(complaint.subject),
    description: defang(complaint.description),
    customer: {
      ...customer,
      name: defang(customer.name),
      ...(customer.company === undefined ? {} : { company: defang(customer.company) }),
    },
  };
}

function textFacts(facts: Fact[], language: Language): string {
  return facts
    .filter((fact): fact is [string, string] => fact[1] !== undefined && fact[1] !== '')
    .map(([label, value]) => `${label}${words[language].colon}${value}`)
    .join('\n');
}

function htmlFacts(facts: Fact[]): SafeHtml {
  const shown = facts.filter(([, value]) => value !== undefined && value !== '');
  return html`<table cellpadding="4" style="border-collapse:collapse">${shown.map(
    ([label, value]) =>
      html`<tr><th align="left" valign="top" style="padding-right:1em">${label}</th><td>${value}</td></tr>`,
  )}</table>`;
}

/** A complete HTML document in the look every customer mail shares. */
export function page(language: Language, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${language === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><title>${oneLine(title)}</title></head>
<body style="font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;line-height:1.5;max-width:44rem">
${body}
</body>
</html>`.html;
}

/** A header value stays on one line whatever it contains. */
export function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

/** One DateTimeFormat per language and zone: building one costs far more than using it. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function formatTime(iso: string, language: Language, timeZone = businessTimeZone): string {
  const key = `${language} ${timeZone}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    timeFormats.set(key, format);
  }
  return format.format(new Date(iso));
}

/** China time with its zone named; for a recipient elsewhere, their own time beside it. */
function zoned(iso: string, language: Language, localZone?: string): string {
  const china = `${formatTime(iso, language)} (${businessTimeZone})`;
  if (!localZone || localZone === businessTimeZone) return china;
  return `${china}${language === 'zh' ? '；' : '; '}${formatTime(iso, language, localZone)} (${localZone})`;
}

function regionName(code: string, language: Language): string {
  const province = provinceByCode(code);
  if (province) return `${province[language]}${inParentheses(code, language)}`;
  const country = new Intl.DisplayNames([language === 'zh' ? 'zh-CN' : 'en'], {
    type: 'region',
  }).of(code);
  return country && country !== code ? `${country}${inParentheses(code, language)}` : code;
}

function inParentheses(value: string, language: Language): string {
  return language === 'zh' ? `（${value}）` : ` (${value})`;
}

function claimText(complaint: Complaint, language: Language): string | undefined {
  const claim = complaint.claim;
  if (!claim || claim.type === 'none') return undefined;
  const type = claimTypeLabels[claim.type][language];
  return claim.amount === undefined
    ? type
    : `${type} ${claim.amount} ${claim.currency ?? ''}`.trim();
}

/** The files are never attached to mail: staff open them in the console. */
function attachmentCount(count: number, language: Language): string {
  if (language === 'zh') {
    return count === 0
      ? '暂无（客户提交后可补充，最多 5 个）'
      : `${count} 个（请在管理控制台查看，邮件不附文件）`;
  }
  return count === 0
    ? 'none yet (the customer may add up to 5 after filing)'
    : `${count} (open them in the staff console; mail carries no files)`;
}
