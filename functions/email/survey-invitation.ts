/**
 * The survey's invitation and reminders, in the customer's language: a complete HTML
 * document in the look of every other customer mail (every value escaped by `html`) and a
 * plain-text part, signed by the company's customer service, with "do not ask me again" in
 * words beside the `List-Unsubscribe` header. Phone, fax and post of the old procedure
 * become this email.
 */
import type { Language } from '#functions/domain/complaint.ts';
import { surveyTitle } from '#functions/domain/survey.ts';
import { html } from '#functions/shared/html.ts';
import { site } from '#functions/shared/site.ts';
import { unsubscribeHeaders } from './mailer.ts';
import { oneLine, page, type RenderedEmail } from './templates.ts';

export interface SurveyInvitationInput {
  language: Language;
  year: number;
  name?: string;
  company?: string;
  link: string;
  /** The privacy notice (PIPL and GDPR want it reachable from every mail). */
  privacyUrl: string;
  /** This mail's unsubscribe link (a token, never the address): header and body. */
  unsubscribeUrl: string;
  closesAt: string;
  /** 0 for the invitation, n for the n-th reminder. */
  mail: number;
}

// Built once per language: a DateTimeFormat costs more to make than the rest of the mail
// (profiled in the survey bench's senders).
const closingDates = new Map<Language, Intl.DateTimeFormat>();

const closingDate = (closesAt: string, language: Language) => {
  let format = closingDates.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'long',
    });
    closingDates.set(language, format);
  }
  return format.format(new Date(closesAt));
};

export function surveyInvitationEmail(input: SurveyInvitationInput): RenderedEmail {
  const closes = closingDate(input.closesAt, input.language);
  const reminder = input.mail > 0;
  const language = input.language;
  const company = site().company[language];
  const copy =
    language === 'zh'
      ? {
          subject: `${reminder ? '提醒：' : ''}${input.year} 年${surveyTitle.zh}`,
          greeting: `${input.company ? `${input.company} ` : ''}${input.name ?? ''}您好：`,
          intro: reminder
            ? `我们尚未收到您对 ${input.year} 年${surveyTitle.zh}的回复。您的意见对我们很重要。`
            : `感谢您一直以来对我公司的支持。为不断改进产品质量、合同履行和售后服务，我们诚邀您填写 ${input.year} 年${surveyTitle.zh}。`,
          about:
            '调查约需 3 分钟，包括产品质量、合同履行（交货、单证、货物相符）和售后服务的评价，以及您的意见和建议。调查结果将提交公司管理评审。',
          linkIntro: `请点击您的专属链接填写（${closes}截止，仅可提交一次）：`,
          button: '填写调查表',
          deadline: `（${closes}截止，仅可提交一次）`,
          reply: '如有疑问，请直接回复本邮件。',
          regards: '此致\n敬礼',
          signOff: `${company} 客户服务部`,
          optOut: '不想再收到满意度调查？点击此链接，我们将不再询问您：',
          optOutLink: '不再询问我',
          privacy: '个人信息保护说明',
          colon: '：',
        }
      : {
          subject: `${reminder ? 'Reminder: ' : ''}${surveyTitle.en} ${input.year}`,
          greeting: `Dear ${input.name ?? 'customer'}${input.company ? ` (${input.company})` : ''},`,
          intro: reminder
            ? `We have not yet received your answers to our ${input.year} customer satisfaction survey. Your view matters to us.`
            : `Thank you for your business. To keep improving our products, contract performance and after-sales service, we would like to hear how we did in ${input.year}.`,
          about:
            'The survey takes about three minutes: product quality, contract performance (delivery, documents, goods as ordered), after-sales service, and your suggestions. The results go to our management review.',
          linkIntro: `Please answer through your personal link by ${closes} (it can be used once):`,
          button: 'Answer the survey',
          deadline: ` by ${closes} (the link can be used once).`,
          reply: 'If you have any questions, just reply to this email.',
          regards: 'Kind regards,',
          signOff: `Customer Service, ${company}`,
          optOut:
            'Rather not be asked again? Follow this link and we will not send you the survey again:',
          optOutLink: 'Do not ask me again',
          privacy: 'Privacy notice',
          colon: ': ',
        };
  const text = [
    copy.greeting,
    '',
    copy.intro,
    '',
    copy.about,
    '',
    copy.linkIntro,
    input.link,
    '',
    copy.reply,
    '',
    copy.regards,
    copy.signOff,
    '',
    copy.optOut,
    input.unsubscribeUrl,
    '',
    `${copy.privacy}${copy.colon}${input.privacyUrl}`,
    '',
  ].join('\n');
  const body = html`<p>${copy.greeting}</p>
<p>${copy.intro}</p>
<p>${copy.about}</p>
<p><a href="${input.link}" style="display:inline-block;padding:.5em 1.2em;background:#1b5fae;color:#fff;text-decoration:none;border-radius:4px;font-weight:600">${copy.button}</a>${copy.deadline}</p>
<p>${copy.reply}</p>
<p>${copy.regards.split('\n').map((line, index) => (index === 0 ? html`${line}` : html`<br>${line}`))}<br>${copy.signOff}</p>
<p><small>${copy.optOut} <a href="${input.unsubscribeUrl}">${copy.optOutLink}</a></small></p>
<p><small><a href="${input.privacyUrl}">${copy.privacy}</a></small></p>`;
  return {
    subject: oneLine(copy.subject),
    text,
    html: page(language, copy.subject, body),
    headers: unsubscribeHeaders(input.unsubscribeUrl),
    stream: 'survey',
  };
}
