/** The staff queue names the time zone once, in the due column's heading, not in every cell. */
import { beforeAll, expect, it } from 'vitest';
import { queuePage } from '#functions/web/case-pages.ts';

beforeAll(() => {
  process.env.PUBLIC_BASE_URL = 'https://aftercare.maker.example';
});

const row = {
  reference: 'FB-2027-000001',
  status: 'routed',
  category: 'quality',
  severity: 'normal',
  subject: 'Cracked frames',
  createdAt: '2027-01-10T01:00:00.000Z',
  dueAt: '2027-01-11T01:30:00.000Z',
  overdue: false,
  departments: ['gm'],
} as const;

for (const [lang, heading] of [
  ['en', 'Due (China time)'],
  ['zh', '期限（北京时间）'],
] as const) {
  it(`shows China time without the zone in the cells (${lang})`, () => {
    const page = queuePage({
      user: { email: 'gm@maker.example', name: 'GM', roles: ['gm'] },
      csrf: 'token',
      lang,
      rows: [{ ...row, departments: [...row.departments] }],
      filters: {},
    }).toString();
    expect(page).toContain(`<th>${heading}</th>`);
    expect(page).toContain('<td>2027-01-11 09:30</td>');
    expect(page).not.toContain('09:30 (Asia/Shanghai)');
  });
}
