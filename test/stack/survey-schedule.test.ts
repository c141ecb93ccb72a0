/** The yearly survey's clocks in the stack: the defaults, and an operator's own. */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
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

  it('refuses a send rate so slow that a sender could not send its batch within its timeout', () => {
    const configWith = (rate: string) => () => {
      const context = stageContext('prod', { settings: { SURVEY_SEND_RATE_PER_SECOND: rate } });
      return stageConfigFrom((key) => context[key]);
    };
    // Two senders, 25 a batch, 70 s: a batch must take at most 60 s at half the rate. SES's
    // sandbox rate, 1 a second, is allowed.
    expect(configWith('0.5')).toThrow(/SURVEY_SEND_RATE_PER_SECOND/);
    expect(configWith('0.8')).toThrow(/SURVEY_SEND_RATE_PER_SECOND/);
    expect(configWith('1')).not.toThrow();
  });
});
