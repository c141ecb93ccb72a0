/**
 * What a deployment says about itself to customers: the company's name and the short privacy
 * notice (who processes the data, for what, how long it is kept, whom to contact), as the
 * stage configuration gives them (infra/aws/config.ts `customerPages`); the local host and a
 * stage without them use the defaults below.
 */
import * as z from 'zod/mini';
import { environmentNames } from '#functions/wiring.ts';

/** Lambda's environment holds 4 KB in all: the notice must leave room for the rest. */
export const maxPrivacyNoticeBytes = 1200;

const bilingualText = (maxBytes: number) =>
  z.strictObject({
    zh: z.string().check(
      z.minLength(1),
      z.refine((text) => Buffer.byteLength(text) <= maxBytes, `at most ${maxBytes} bytes`),
    ),
    en: z.string().check(
      z.minLength(1),
      z.refine((text) => Buffer.byteLength(text) <= maxBytes, `at most ${maxBytes} bytes`),
    ),
  });

// Built on first use (z.lazy): a page function's cold start never needs it without the setting.
export const siteSchema = z.lazy(() =>
  z.strictObject({
    company: bilingualText(120),
    privacyNotice: bilingualText(maxPrivacyNoticeBytes),
  }),
);
export type Site = z.output<typeof siteSchema>;

export const defaultSite: Site = {
  company: { zh: '本公司', en: 'Our company' },
  privacyNotice: {
    zh: '我们（本公司客户服务部）处理您在本表单中提供的个人信息（姓名、单位、联系方式、意见内容及附件），仅用于处理您的意见、与您联系和开展年度满意度调查。\n\n这些信息在意见结案后保存三年，之后删除。您可随时要求查阅、更正或删除您的个人信息：请回复我们的任何邮件。',
    en: 'We (our customer service department) process the personal data you give in this form (name, company, contact details, your complaint and its attachments) only to handle your complaint, to contact you about it and for our yearly satisfaction survey.\n\nWe keep it for three years after the complaint is closed, then delete it. You may ask to see, correct or erase your data at any time: reply to any of our emails.',
  },
};

let cached: Site | undefined;

/** The deployment's values, validated on first use; the defaults where it gives none. */
export function site(): Site {
  if (cached) return cached;
  const raw = process.env[environmentNames.site];
  if (!raw) {
    cached = defaultSite;
    return cached;
  }
  cached = z.parse(siteSchema, JSON.parse(raw));
  return cached;
}
