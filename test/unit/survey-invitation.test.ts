import { beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeHeaders } from '#functions/email/mailer.ts';
import { surveyInvitationEmail } from '#functions/email/survey-invitation.ts';

beforeAll(() => {
  process.env.PUBLIC_BASE_URL = 'https://aftercare.maker.example';
});

const input = {
  year: 2027,
  name: '<b>李明</b>',
  company: '华南门窗',
  link: 'https://aftercare.maker.example/survey/abc',
  privacyUrl: 'https://aftercare.maker.example/privacy?lang=zh',
  unsubscribeUrl: 'https://aftercare.maker.example/unsubscribe/tok',
  closesAt: '2027-02-14T01:00:00.000Z',
};

describe('survey mail', () => {
  for (const language of ['zh', 'en'] as const) {
    for (const mail of [0, 1]) {
      it(`is a complete document with a text part, a sign-off and the opt-out (${language}, mail ${mail})`, () => {
        const email = surveyInvitationEmail({ ...input, language, mail });
        expect(email.html).toMatch(
          /^<!doctype html>\n<html lang="(zh-CN|en)">\n<head><meta charset="utf-8">/,
        );
        expect(email.html).toContain('</html>');
        expect(email.html).not.toContain('<b>李明</b>');
        expect(email.text).toContain(input.link);
        expect(email.text).toContain(input.unsubscribeUrl);
        expect(email.text).toMatch(language === 'zh' ? /客户服务部/ : /Customer Service, /);
        expect(email.html).toContain(`href="${input.unsubscribeUrl}"`);
        expect(email.headers).toEqual([
          { name: 'List-Unsubscribe', value: `<${input.unsubscribeUrl}>` },
          { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
        ]);
        expect(email.subject.includes('提醒') || email.subject.includes('Reminder')).toBe(mail > 0);
      });
    }
  }

  it('refuses an unsubscribe link that could add a header', () => {
    expect(() => unsubscribeHeaders('https://x.example/u/1>\r\nBcc: a@b.example')).toThrow();
  });
});
