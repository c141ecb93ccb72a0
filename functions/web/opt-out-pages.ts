/**
 * The unsubscribe page behind a survey mail's `List-Unsubscribe` link: in both languages
 * (the customer's first), a plain form with one button, no JavaScript.
 */
import type { Language } from '#functions/domain/complaint.ts';
import { html, type SafeHtml } from '#functions/shared/html.ts';
import { messagePage } from './pages.ts';

const words = {
  title: { zh: '不再接收满意度调查', en: 'No more satisfaction surveys' },
  ask: {
    zh: '按下按钮后，我们不再向您的邮箱发送年度用户满意度调查及其提醒。有关您投诉处理的邮件不受影响。',
    en: 'Press the button and we will no longer send the yearly customer satisfaction survey or its reminders to your address. Mail about your own complaints is not affected.',
  },
  button: { zh: '不再询问我', en: 'Do not ask me again' },
  doneTitle: { zh: '已取消订阅', en: 'You are unsubscribed' },
  done: {
    zh: '我们不会再向您发送满意度调查。感谢您的支持。',
    en: 'We will not send you the satisfaction survey again. Thank you.',
  },
  unknownTitle: { zh: '链接无效', en: 'This link does not work' },
  unknown: {
    zh: '此链接无效或已过期。如需取消调查邮件，请直接回复任意一封调查邮件。',
    en: 'This link is not valid or has expired. To stop survey mail, reply to any survey email.',
  },
} as const;

/** The question, with the button that posts to the same link (RFC 8058's body included). */
export function optOutPage(language: Language, action: string): SafeHtml {
  return messagePage(words.title, words.ask, {
    first: language,
    after: (lang) =>
      html`<form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${words.button[lang]} · ${words.button[lang === 'zh' ? 'en' : 'zh']}</button></form>`,
  });
}

export function optedOutPage(language: Language): SafeHtml {
  return messagePage(words.doneTitle, words.done, { first: language });
}

export function optOutUnknownPage(): SafeHtml {
  return messagePage(words.unknownTitle, words.unknown, { first: 'zh' });
}
