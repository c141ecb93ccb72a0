/**
 * The survey's invitation and reminders, in the customer's language, as plain text and HTML
 * (every value escaped by `html`). Phone, fax and post of the old procedure become this email.
 */
import type { Language } from '#functions/domain/complaint.ts';
import { surveyTitle } from '#functions/domain/survey.ts';
import { html } from '#functions/shared/html.ts';
import type { RenderedEmail } from './templates.ts';

export interface SurveyInvitationInput {
  language: Language;
  year: number;
  name?: string;
  company?: string;
  link: string;
  /** The privacy notice (PIPL and GDPR want it reachable from every mail). */
  privacyUrl: string;
  closesAt: string;
  /** 0 for the invitation, n for the n-th reminder. */
  mail: number;
}

const closingDate = (closesAt: string, language: Language) =>
  new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'long',
  }).format(new Date(closesAt));

export function surveyInvitationEmail(input: SurveyInvitationInput): RenderedEmail {
  const closes = closingDate(input.closesAt, input.language);
  const reminder = input.mail > 0;
  if (input.language === 'zh') {
    const greeting = `${input.company ? `${input.company} ` : ''}${input.name ?? ''}您好：`;
    const lines = [
      greeting,
      '',
      reminder
        ? `我们尚未收到您对 ${input.year} 年${surveyTitle.zh}的回复。您的意见对我们很重要。`
        : `感谢您一直以来对我公司的支持。为不断改进产品质量、合同履行和售后服务，我们诚邀您填写 ${input.year} 年${surveyTitle.zh}。`,
      '',
      '调查约需 3 分钟，包括产品质量、合同履行（交货、单证、货物相符）和售后服务的评价，以及您的意见和建议。调查结果将提交公司管理评审。',
      '',
      `请点击您的专属链接填写（${closes}截止，仅可提交一次）：`,
      input.link,
      '',
      '如有疑问，请直接回复本邮件。',
      '',
      `个人信息保护说明：${input.privacyUrl}`,
    ];
    return {
      subject: `${reminder ? '提醒：' : ''}${input.year} 年${surveyTitle.zh}`,
      text: lines.join('\n'),
      html: html`<p>${greeting}</p>
<p>${lines[2]}</p>
<p>${lines[4]}</p>
<p><a href="${input.link}">填写调查表</a>（${closes}截止，仅可提交一次）</p>
<p>如有疑问，请直接回复本邮件。</p>
<p><small><a href="${input.privacyUrl}">个人信息保护说明</a></small></p>`.html,
    };
  }
  const greeting = `Dear ${input.name ?? 'customer'}${input.company ? ` (${input.company})` : ''},`;
  const lines = [
    greeting,
    '',
    reminder
      ? `We have not yet received your answers to our ${input.year} customer satisfaction survey. Your view matters to us.`
      : `Thank you for your business. To keep improving our products, contract performance and after-sales service, we would like to hear how we did in ${input.year}.`,
    '',
    'The survey takes about three minutes: product quality, contract performance (delivery, documents, goods as ordered), after-sales service, and your suggestions. The results go to our management review.',
    '',
    `Please answer through your personal link by ${closes} (it can be used once):`,
    input.link,
    '',
    'If you have any questions, just reply to this email.',
    '',
    `Privacy notice: ${input.privacyUrl}`,
  ];
  return {
    subject: `${reminder ? 'Reminder: ' : ''}${surveyTitle.en} ${input.year}`,
    text: lines.join('\n'),
    html: html`<p>${greeting}</p>
<p>${lines[2]}</p>
<p>${lines[4]}</p>
<p><a href="${input.link}">Answer the survey</a> by ${closes} (the link can be used once).</p>
<p>If you have any questions, just reply to this email.</p>
<p><small><a href="${input.privacyUrl}">Privacy notice</a></small></p>`.html,
  };
}
