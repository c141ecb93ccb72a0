/** The departments of the procedure (BRIEF.md, "The procedure"). Their addresses are configuration. */
import type { Bilingual } from './labels.ts';

export const departmentCodes = ['gm', 'production_vp', 'qc', 'sales', 'export', 'office'] as const;
export type DepartmentCode = (typeof departmentCodes)[number];

export interface Department {
  code: DepartmentCode;
  name: Bilingual;
  email: string;
}

export const departmentNames: Record<DepartmentCode, Bilingual> = {
  gm: { zh: '总经理', en: 'General Manager' },
  production_vp: { zh: '生产副总经理', en: 'Production Vice President' },
  qc: { zh: '质检科', en: 'Quality Control' },
  sales: { zh: '经营部', en: 'Domestic Sales' },
  export: { zh: '出口部', en: 'Export Sales' },
  office: { zh: '办公室', en: 'Office' },
};

/** Departments with addresses at `domain`, e.g. `gm@example.com`: the local defaults. */
export function departmentsAt(domain: string): Department[] {
  return departmentCodes.map((code) => ({
    code,
    name: departmentNames[code],
    email: `${code}@${domain}`,
  }));
}
