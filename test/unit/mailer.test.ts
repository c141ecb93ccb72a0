import { describe, expect, it } from 'vitest';
import {
  classifySendFailure,
  configurationSetFor,
  encodedMailbox,
} from '#functions/email/mailer.ts';

const sesError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('the From mailbox', () => {
  it('sends a Chinese display name as a MIME encoded-word', () => {
    const encoded = encodedMailbox('售后服务 <aftercare@maker.example>');
    expect(encoded).toBe(
      `=?UTF-8?B?${Buffer.from('售后服务').toString('base64')}?= <aftercare@maker.example>`,
    );
  });

  it('quotes an ASCII name with specials and leaves a plain one alone', () => {
    expect(encodedMailbox('Acme Co., Ltd. <a@b.example>')).toBe('"Acme Co., Ltd." <a@b.example>');
    expect(encodedMailbox('Aftercare <a@b.example>')).toBe('Aftercare <a@b.example>');
    expect(encodedMailbox(' a@b.example ')).toBe('a@b.example');
  });
});

describe('SES failures', () => {
  it('retries what is on our side: an unverified identity, the sandbox, throttling, outages', () => {
    expect(
      classifySendFailure(
        sesError(
          'MessageRejected',
          'Email address is not verified. The following identities failed the check',
        ),
      ),
    ).toBe('transient');
    expect(classifySendFailure(sesError('TooManyRequestsException', 'Rate exceeded'))).toBe(
      'transient',
    );
    expect(classifySendFailure(new TypeError('fetch failed'))).toBe('transient');
  });

  it('gives up on a message SES refuses for good', () => {
    expect(classifySendFailure(sesError('MessageRejected', 'Address blacklisted.'))).toBe(
      'permanent',
    );
    expect(classifySendFailure(sesError('BadRequestException', 'Missing final @domain'))).toBe(
      'permanent',
    );
  });
});

describe('configuration sets', () => {
  it('sends survey mail with the survey’s set and everything else with the transactional one', () => {
    process.env.SES_CONFIGURATION_SET = 'mail';
    process.env.SES_SURVEY_CONFIGURATION_SET = 'survey';
    expect(configurationSetFor('survey')).toBe('survey');
    expect(configurationSetFor(undefined)).toBe('mail');
    delete process.env.SES_SURVEY_CONFIGURATION_SET;
    expect(configurationSetFor('survey')).toBe('mail');
    delete process.env.SES_CONFIGURATION_SET;
  });
});
