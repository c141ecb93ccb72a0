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

const generationPattern = /generation\\":\{\\"S\\":\\"(\w+)\\"/g;

function writesOf(resources: ReturnType<typeof resourcesOf>): string[] {
  return Object.values(resources)
    .filter((resource) => resource.Type === 'Custom::AWS')
    .map((resource) => JSON.stringify(resource.Properties));
}

describe('configuration written on deploy', () => {
  it('writes the department addresses, and the service network with its generation', () => {
    const plain = writesOf(resourcesOf(synthesize().statelessTemplate));
    // Six departments, the calendar and the network item, one write each.
    expect(plain).toHaveLength(8);
    expect(plain.find((write) => write.includes('DEPARTMENT#qc'))).toContain('qc@example.com');
    // No outlets configured: the network item alone, so routing tells no outlet.
    expect(plain.find((write) => write.includes('NETWORK#current'))).toBeDefined();
    expect(plain.filter((write) => write.includes('OUTLET#'))).toEqual([]);

    const resources = resourcesOf(
      synthesize({ context: stageContext('prod', { outlets: [outlet] }) }).statelessTemplate,
    );
    const withOutlets = writesOf(resources);
    const outletWrite = withOutlets.find((write) => write.includes('OUTLET#south-china')) ?? '';
    const networkWrite = withOutlets.find((write) => write.includes('NETWORK#current')) ?? '';
    expect(outletWrite).toContain('CN-GX');
    const generations = [...`${outletWrite}${networkWrite}`.matchAll(generationPattern)].map(
      (match) => match[1],
    );
    // The outlet and the network item (in the create and the update call) name one generation.
    expect(generations).toHaveLength(4);
    expect(new Set(generations).size).toBe(1);
    // The network item is written after its outlets.
    const [networkId] = Object.entries(resources).find(
      ([, resource]) =>
        resource.Type === 'Custom::AWS' && JSON.stringify(resource.Properties).includes('NETWORK#'),
    ) ?? [''];
    const [outletId] = Object.entries(resources).find(
      ([, resource]) =>
        resource.Type === 'Custom::AWS' && JSON.stringify(resource.Properties).includes('OUTLET#'),
    ) ?? [''];
    expect(resources[networkId]?.DependsOn).toContain(outletId);
  });

  it('writes each item with PutItem, which fails the deploy, never a batch whose leftovers it would ignore', () => {
    const writes = writesOf(resourcesOf(synthesize().statelessTemplate));
    for (const write of writes) {
      expect(write).toContain('\\"action\\":\\"putItem\\"');
      expect(write).not.toMatch(/batchWriteItem/i);
    }
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
  it('is written on deploy, from the stage', () => {
    const calendar = { holidays: ['2027-02-08', '2027-02-09'], workingWeekendDays: ['2027-02-06'] };
    const writes = writesOf(
      resourcesOf(synthesize({ context: stageContext('prod', { calendar }) }).statelessTemplate),
    );
    const written = writes.find((write) => write.includes('CALENDAR#current')) ?? '';
    expect(written).toContain('2027-02-08');
    expect(written).toContain('2027-02-06');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    const context = stageContext('prod', { calendar: { holidays: ['8 Feb 2027'] } });
    expect(() => stageConfigFrom((key) => context[key])).toThrow(/must be YYYY-MM-DD/);
  });
});
