/** What an operator configures per stage reaches the table on deploy: departments and outlets. */
import { describe, expect, it } from 'vitest';
import { stageConfigFrom } from '#infra/aws/config.ts';
import { resourcesOf, stageContext, synthesize } from './synth.ts';

const outlet = {
  id: 'south-china',
  name: { zh: '华南服务网点', en: 'South China outlet' },
  email: 'gz@maker.example',
  regions: ['CN-GD', 'CN-GX'],
  language: 'zh',
};

function writesOf(resources: ReturnType<typeof resourcesOf>): string[] {
  return Object.values(resources)
    .filter((resource) => resource.Type === 'Custom::AWS')
    .map((resource) => JSON.stringify(resource.Properties));
}

describe('configuration written on deploy', () => {
  it('writes the department addresses, and the service network with its generation', () => {
    const plain = writesOf(resourcesOf(synthesize().statelessTemplate));
    expect(plain).toHaveLength(2);
    expect(plain.find((write) => write.includes('DEPARTMENT#qc'))).toContain('qc@example.com');
    // No outlets configured: the network item alone, so routing tells no outlet.
    expect(plain.find((write) => write.includes('NETWORK#current'))).not.toContain('OUTLET#');

    const withOutlets = writesOf(
      resourcesOf(
        synthesize({ context: stageContext('prod', { outlets: [outlet] }) }).statelessTemplate,
      ),
    );
    const network = withOutlets.find((write) => write.includes('OUTLET#south-china')) ?? '';
    expect(network).toContain('CN-GX');
    expect(network).toContain('NETWORK#current');
    const generations = [...network.matchAll(/generation\\":\{\\"S\\":\\"(\w+)\\"/g)].map(
      (match) => match[1],
    );
    // The outlet and the network item (in the create and the update call) name one generation.
    expect(generations.length).toBeGreaterThanOrEqual(2);
    expect(new Set(generations).size).toBe(1);
  });

  it('refuses an outlet with an unknown region or id', () => {
    const configWith = (outlets: unknown[]) => () => {
      const context = stageContext('prod', { outlets });
      return stageConfigFrom((key) => context[key]);
    };
    expect(configWith([{ ...outlet, regions: ['Guangdong'] }])).toThrow(
      /province code such as CN-GD/,
    );
    expect(configWith([{ ...outlet, regions: ['CN'] }])).toThrow(/province code/);
    expect(configWith([{ ...outlet, id: 'South China' }])).toThrow(/lower-case/);
    expect(configWith([outlet])().outlets).toHaveLength(1);
  });
});

describe('the working calendar', () => {
  it('is written on deploy with the departments, from the stage', () => {
    const calendar = { holidays: ['2027-02-08', '2027-02-09'], workingWeekendDays: ['2027-02-06'] };
    const writes = writesOf(
      resourcesOf(synthesize({ context: stageContext('prod', { calendar }) }).statelessTemplate),
    );
    const departments = writes.find((write) => write.includes('DEPARTMENT#qc')) ?? '';
    expect(departments).toContain('CALENDAR#current');
    expect(departments).toContain('2027-02-08');
    expect(departments).toContain('2027-02-06');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    const context = stageContext('prod', { calendar: { holidays: ['8 Feb 2027'] } });
    expect(() => stageConfigFrom((key) => context[key])).toThrow(/must be YYYY-MM-DD/);
  });
});
