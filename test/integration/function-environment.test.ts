/**
 * Each function runs with only its own environment, as on AWS: a function that reads a queue
 * or a setting it was never given fails here too, instead of passing locally on a shared
 * environment and failing after the deploy.
 */
import { describe, expect, it } from 'vitest';
import { environmentNames, type FunctionName, functions } from '#functions/wiring.ts';
import { loadFunction, runtimeEnvironment } from '#infra/local/lambda-runtime.ts';
import { startTestHost, useTestHost } from '#test/support/local-host.ts';

const host = useTestHost();
const routingQueue = environmentNames.queueUrl('routing');

/** The probe handler, hosted as `name` would be: with the variables the host gives `name`. */
async function probeAs(name: FunctionName) {
  const spec = { ...functions[name], entry: 'test/support/fixtures/environment-probe-handler.ts' };
  return loadFunction(name, spec, 0, () => host().variablesOf(name));
}

describe('function environments', () => {
  it('gives a function its own variables, the endpoints and the runtime ones, nothing else', async () => {
    const probe = await probeAs('complaintStatus');
    try {
      const expected = Object.keys({
        ...runtimeEnvironment('complaintStatus'),
        ...host().variablesOf('complaintStatus'),
      }).sort();
      expect(expected).toContain(environmentNames.tableName);
      expect(expected).not.toContain(routingQueue);
      expect(expected).not.toContain(environmentNames.mailFrom);
      expect(await probe.invoke({})).toEqual({ variables: expected });
    } finally {
      await probe.stop();
    }
  });

  it('fails a function that reads a queue or a setting it was never given', async () => {
    // The host process holds every function's variables (it seeds the table, tests call data
    // access directly): a shared environment would have let these reads pass.
    expect(process.env[routingQueue]).toBeTruthy();
    expect(process.env.FORM_MINIMUM_FILL_SECONDS).toBe('0');

    const status = await probeAs('complaintStatus');
    try {
      await expect(status.invoke({ read: routingQueue })).rejects.toThrow(
        `Missing environment variable ${routingQueue}`,
      );
      await expect(status.invoke({ read: 'FORM_MINIMUM_FILL_SECONDS' })).rejects.toThrow(
        'Missing environment variable FORM_MINIMUM_FILL_SECONDS',
      );
    } finally {
      await status.stop();
    }

    // The function that was given them reads them.
    const intake = await probeAs('submitComplaint');
    try {
      expect(await intake.invoke({ read: routingQueue })).toEqual({
        value: host().queueUrls.routing,
      });
      expect(await intake.invoke({ read: 'FORM_MINIMUM_FILL_SECONDS' })).toEqual({ value: '0' });
    } finally {
      await intake.stop();
    }
  });

  it('refuses a setting no function declares', async () => {
    await expect(startTestHost({ settings: { ENQUEUE_GRACE_SECOND: '0' } })).rejects.toThrow(
      'No function declares the setting ENQUEUE_GRACE_SECOND',
    );
  });
});
