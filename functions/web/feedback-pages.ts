/**
 * The page behind the response email's link: are you satisfied with how we handled it?
 * A plain form in the customer's language, no script; and the pages after it.
 */
import type { Language } from '#functions/domain/complaint.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { htmlLang, layout, messagePage } from './pages.ts';

const words = {
  title: { zh: '您对处理结果满意吗？', en: 'Are you satisfied with how we handled it?' },
  satisfied: { zh: '满意', en: 'Satisfied' },
  notSatisfied: { zh: '不满意，请重新处理', en: 'Not satisfied: please take it up again' },
  comment: { zh: '意见（可选）', en: 'Comment (optional)' },
  submit: { zh: '提交', en: 'Send' },
  error: { zh: '请选择满意或不满意。', en: 'Please choose satisfied or not satisfied.' },
  closedTitle: { zh: '感谢您的评价', en: 'Thank you' },
  closed: { zh: '您的意见已结案。感谢您的支持！', en: 'Your complaint is closed. Thank you!' },
  reopened: {
    zh: '我们已重新打开您的意见，负责部门和总经理会尽快与您联系。',
    en: 'We have reopened your complaint; the department in charge and our General Manager will contact you soon.',
  },
  used: {
    zh: '此链接已使用或已失效。如需帮助，请回复我们的邮件。',
    en: 'This link has been used or is no longer valid. To reach us, reply to our email.',
  },
} as const;

export function feedbackFormPage(input: {
  language: Language;
  reference: string;
  subject: string;
  action: string;
  error?: boolean;
}): SafeHtml {
  const lang = input.language;
  return layout(
    words.title[lang],
    html`<h1>${words.title[lang]}</h1>
<p>${input.reference} · ${input.subject}</p>
${input.error ? html`<div class="summary" role="alert">${words.error[lang]}</div>` : ''}
<form method="post" action="${input.action}" accept-charset="utf-8">
<fieldset><legend>${words.title[lang]}</legend>
<label><input type="radio" name="satisfied" value="satisfied" required> ${words.satisfied[lang]}</label>
<label><input type="radio" name="satisfied" value="not_satisfied" required> ${words.notSatisfied[lang]}</label>
</fieldset>
<label for="comment">${words.comment[lang]}</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea>
<p><button type="submit">${words.submit[lang]}</button></p>
</form>`,
    htmlLang[lang],
  );
}

export function feedbackDonePage(language: Language, reopened: boolean): SafeHtml {
  return messagePage(words.closedTitle, reopened ? words.reopened : words.closed, language);
}

export function feedbackRefusedPage(language: Language): SafeHtml {
  return messagePage(words.closedTitle, words.used, language);
}
