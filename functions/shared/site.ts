/**
 * What a deployment says about itself to customers: the company's name and the short privacy
 * notice (who processes the data, for what, how long it is kept, whom to contact), as the
 * stage configuration gives them (infra/aws/config.ts `customerPages`, validated with the
 * schema below at synth). A bundle carries the stage's values as bundled (`bundleDefines`,
 * infra/aws/bundling.ts), so its cold start loads no zod; the sources (the local host, the
 * tests) use the defaults below.
 */
import * as z from 'zod/mini';

/** A short notice, shown whole on the form; every bundle that renders a page or mail carries it. */
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

// Pure, so a bundle, which never validates (see site() below), leaves it and zod out.
export const siteSchema = /* @__PURE__ */ z.lazy(() =>
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

/** Replaced by the stage's values as JSON text in a bundle; undeclared when running the sources. */
declare const AFTERCARE_SITE_JSON: string | undefined;

let cached: Site | undefined;

/** The deployment's values as bundled; the defaults when running the sources. */
export function site(): Site {
  cached ??=
    typeof AFTERCARE_SITE_JSON === 'string' ? bundledSite(AFTERCARE_SITE_JSON) : defaultSite;
  return cached;
}

/** Validated with the stage's configuration at synth (infra/aws/config.ts). */
function bundledSite(json: string): Site {
  return JSON.parse(json);
}
