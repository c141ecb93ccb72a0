/** The yearly survey's clocks and pace in the stack: the defaults, and an operator's own. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  batchSizeFor,
  functions,
  mailClaimLeaseSeconds,
  visibilityTimeoutSeconds,
} from '#functions/wiring.ts';
import { StageConfigError, stageConfigFrom } from '#infra/aws/config.ts';
import { defined, logicalId, stageContext, synthesize } from './synth.ts';

describe('survey schedules', () => {
  const synth = synthesize();
  const target = (name: 'startSurveyCampaign' | 'surveyDaily') => ({
    'Fn::GetAtt': [
      logicalId(synth.stateless, defined(synth.stateless.functions.get(name), name)),
      'Arn',
    ],
  });

  it('starts the campaign at 09:00 China time on 15 January', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 15 1 ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Arn: target('startSurveyCampaign') }),
    });
  });

  it('reminds and closes daily at 10:00 China time', () => {
    synth.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 10 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Arn: target('surveyDaily') }),
    });
  });

  it("takes the operator's campaign date and send rate from the stage configuration", () => {
    const custom = synthesize({
      context: stageContext('prod', {
        schedules: {
          'survey-campaign': { expression: 'cron(0 8 1 3 ? *)', timezone: 'Europe/Berlin' },
        },
        settings: { SURVEY_SEND_RATE_PER_SECOND: '14' },
      }),
    });
    custom.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 1 3 ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    custom.statelessTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SURVEY_SEND_RATE_PER_SECOND: '14' }) },
    });
  });

  it('refuses an unknown schedule, a bad expression or time zone, and an unknown setting', () => {
    const configWith = (overrides: Record<string, unknown>) => () => {
      const context = stageContext('prod', overrides);
      return stageConfigFrom((key) => context[key]);
    };
    expect(
      configWith({ schedules: { 'survey-yearly': { expression: 'cron(0 9 15 1 ? *)' } } }),
    ).toThrow(StageConfigError);
    expect(configWith({ schedules: { 'survey-campaign': { expression: '0 9 15 1 *' } } })).toThrow(
      /rate\(…\) or cron\(…\)/,
    );
    expect(
      configWith({
        schedules: {
          'survey-campaign': { expression: 'cron(0 9 15 1 ? *)', timezone: 'Mars/Base' },
        },
      }),
    ).toThrow(/IANA time zone/);
    expect(configWith({ settings: { SURVEY_SPEED: '3' } })).toThrow(/SURVEY_SEND_RATE_PER_SECOND/);
  });

  it('refuses a send rate so slow that a sender could not send even one mail within its timeout', () => {
    const configWith = (rate: string) => () => {
      const context = stageContext('prod', { settings: { SURVEY_SEND_RATE_PER_SECOND: rate } });
      return stageConfigFrom((key) => context[key]);
    };
    // Two senders, 40 s less 10 s of table work: one mail a sender in 30 s is the slowest.
    expect(configWith('0.05')).toThrow(/SURVEY_SEND_RATE_PER_SECOND/);
    expect(configWith('0.06')).toThrow(/SURVEY_SEND_RATE_PER_SECOND/);
    expect(configWith('0.1')).not.toThrow();
    expect(configWith('1')).not.toThrow();
  });

  it('gives the survey sender the batch that fits its timeout at the stage’s send rate', () => {
    const surveyMapping = (rate: string) => {
      const { statelessTemplate } = synthesize({
        context: stageContext('prod', { settings: { SURVEY_SEND_RATE_PER_SECOND: rate } }),
      });
      const mappings = Object.values(
        statelessTemplate.findResources('AWS::Lambda::EventSourceMapping'),
      ).filter((mapping) => JSON.stringify(mapping.Properties.EventSourceArn).includes('Survey'));
      expect(mappings).toHaveLength(1);
      return mappings[0]?.Properties;
    };
    // SES's sandbox rate: half of 1 a second for 30 s is 15 mails.
    expect(surveyMapping('1').BatchSize).toBe(15);
    // The default rate: the whole batch of 25.
    expect(surveyMapping('10').BatchSize).toBe(25);
    // One mail a sender in 30 s: a batch of one, with no batching window (ten or fewer).
    const slowest = surveyMapping('0.07');
    expect(slowest.BatchSize).toBe(1);
    expect(slowest.MaximumBatchingWindowInSeconds).toBeUndefined();
  });

  it('takes the same batch in the local pollers, and a dead sender’s batch is back within 5 minutes', () => {
    // The local host passes a function's variables: a test may lower the rate at run time.
    expect(batchSizeFor(functions.sendSurveyMail, { SURVEY_SEND_RATE_PER_SECOND: '1' })).toBe(15);
    expect(batchSizeFor(functions.sendSurveyMail)).toBe(25);
    expect(batchSizeFor(functions.routeComplaint, { SURVEY_SEND_RATE_PER_SECOND: '1' })).toBe(10);
    // Redelivered after its claims went stale, so the first redelivery sends.
    expect(visibilityTimeoutSeconds('survey')).toBeLessThanOrEqual(300);
    expect(visibilityTimeoutSeconds('survey')).toBeGreaterThan(
      mailClaimLeaseSeconds(functions.sendSurveyMail),
    );
  });
});
