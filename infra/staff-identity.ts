/**
 * The staff user pool as both hosts create it: Cognito on AWS (infra/aws) and the
 * cognito-local stand-in (infra/local). One group per department code; a user's roles are
 * their groups.
 */
import { departmentCodes, departmentNames } from '#functions/domain/departments.ts';

export const staffPool = {
  name: 'aftercare-staff',
  clientName: 'aftercare-console',
  /** About an hour of work before a silent refresh. */
  idTokenValidityMinutes: 60,
  /** About half a working day: then staff sign in again. */
  refreshTokenValidityHours: 12,
  groups: departmentCodes.map((code) => ({
    name: code,
    description: `${departmentNames[code].zh} ${departmentNames[code].en}`,
  })),
} as const;
