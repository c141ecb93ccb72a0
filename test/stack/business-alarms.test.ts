/**
 * The business metrics' alarms (infra/aws/business-alarms.ts) and the settings' one schema
 * (functions/wiring.ts), checked at synth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { setting } from '#functions/shared/config.ts';
import { businessMetrics } from '#functions/shared/metrics.ts';
import { functionSpecs, isSettingName, settingSchema } from '#functions/wiring.ts';
import { businessAlarmSpecs } from '#infra/aws/business-alarms.ts';
import { StageConfigError, stageConfigFrom } from '#infra/aws/config.ts';
import { resourcesOf, type Synthesized, stageContext, synthesize } from './synth.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

describe('business alarms', () => {
  it('watch the stage’s own namespace, named with the stage, telling the alarm topic', () => {
    const alarms = Object.values(resourcesOf(synth.statelessTemplate))
      .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
      .map((resource) => resource.Properties)
      .filter((alarm) => String(alarm.Namespace ?? '').startsWith('Aftercare'));
    expect(alarms.map((alarm) => alarm.MetricName).sort()).toEqual(
      businessAlarmSpecs.map((spec) => spec.metric).sort(),
    );
    for (const alarm of alarms) {
      expect(alarm.Namespace).toBe(`Aftercare/${synth.config.stage}`);
      expect(alarm.Dimensions).toEqual([{ Name: 'service', Value: 'aftercare' }]);
      expect(String(alarm.AlarmName)).toMatch(new RegExp(`^aftercare-${synth.config.stage}-`));
      expect(alarm.AlarmActions).toHaveLength(1);
      expect(alarm.OKActions).toBeUndefined();
    }
    expect(alarms.map((alarm) => alarm.MetricName)).toEqual(
      expect.arrayContaining(['MailsRejected', 'ComplaintsRejected']),
    );
  });

  it('only name metrics the functions count', () => {
    for (const spec of businessAlarmSpecs) expect(businessMetrics).toContain(spec.metric);
  });

  it('have every function write its metrics to the stage’s namespace', () => {
    const functions = Object.values(resourcesOf(synth.statelessTemplate)).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(resource.Properties.Environment ?? {}).includes('PUBLIC_BASE_URL'),
    );
    expect(functions).toHaveLength(functionSpecs().length);
    for (const fn of functions) {
      expect(fn.Properties.Environment).toMatchObject({
        Variables: { POWERTOOLS_METRICS_NAMESPACE: `Aftercare/${synth.config.stage}` },
      });
    }
  });
});

describe('settings', () => {
  it('each setting a function declares has a schema its default passes', () => {
    for (const [name, spec] of functionSpecs()) {
      for (const [settingName, value] of Object.entries(spec.settings ?? {})) {
        expect(isSettingName(settingName), `${name}: ${settingName}`).toBe(true);
        if (!isSettingName(settingName)) continue;
        expect(z.safeParse(settingSchema(settingName), value).success, settingName).toBe(true);
      }
    }
  });

  it('are read typed at run time, from the environment or the wiring’s default', () => {
    const previous = process.env.SURVEY_SEND_RATE_PER_SECOND;
    try {
      delete process.env.SURVEY_SEND_RATE_PER_SECOND;
      expect(setting('SURVEY_SEND_RATE_PER_SECOND')).toBe(10);
      process.env.SURVEY_SEND_RATE_PER_SECOND = '2.5';
      expect(setting('SURVEY_SEND_RATE_PER_SECOND')).toBe(2.5);
      process.env.SURVEY_SEND_RATE_PER_SECOND = 'fast';
      expect(() => setting('SURVEY_SEND_RATE_PER_SECOND')).toThrow(/SURVEY_SEND_RATE_PER_SECOND/);
    } finally {
      if (previous === undefined) delete process.env.SURVEY_SEND_RATE_PER_SECOND;
      else process.env.SURVEY_SEND_RATE_PER_SECOND = previous;
    }
  });

  it("refuse a stage's value the functions could not read, naming it", () => {
    const context = stageContext('prod', { settings: { SURVEY_MAX_REMINDERS: 'two' } });
    const read = () => stageConfigFrom((key) => context[key]);
    expect(read).toThrow(StageConfigError);
    expect(read).toThrow(/settings\.SURVEY_MAX_REMINDERS: must be a number/);
    const fine = stageContext('prod', { settings: { SURVEY_MAX_REMINDERS: '3' } });
    expect(stageConfigFrom((key) => fine[key]).settings.SURVEY_MAX_REMINDERS).toBe('3');
  });
});
