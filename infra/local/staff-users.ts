/**
 * `npm run staff:add -- --email E --name N --role qc[,gm…] [--password P]` creates or
 * updates a staff user; `npm run staff:list` lists them with their roles. On the running
 * local host, or on AWS when STAFF_USER_POOL_ID is set.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod/mini';
import { departmentCodes } from '#functions/domain/departments.ts';
import { meetsPasswordPolicy } from '#functions/domain/staff-password.ts';
import { cognitoClient } from '#functions/shared/aws/cognito.ts';
import { useStaffPoolTarget } from './operator-target.ts';

const usage = `Usage:
  npm run staff:add -- --email E --name N --role ROLE[,ROLE…] [--password P]
  npm run staff:list
Roles: ${departmentCodes.join(', ')}`;

const addArguments = z.object({
  email: z.email('--email must be an email address'),
  name: z.string().check(z.minLength(1, '--name is required'), z.maxLength(100)),
  role: z.pipe(
    z.string(),
    z.transform((value) => value.split(',').map((role) => role.trim())),
  ),
  password: z.optional(z.string()),
});
const roles = z.array(z.enum(departmentCodes, `roles are ${departmentCodes.join(', ')}`));

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'list') return list();
  if (command !== 'add') {
    console.error(usage);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
    },
    strict: true,
  });
  const parsed = addArguments.safeParse(values);
  const wanted = parsed.success ? roles.safeParse(parsed.data.role) : undefined;
  if (!parsed.success || !wanted?.success) {
    const issues = parsed.success ? (wanted?.error?.issues ?? []) : parsed.error.issues;
    for (const issue of issues) console.error(`  ${issue.message}`);
    console.error(usage);
    return 2;
  }
  const { email, name, password } = parsed.data;
  if (password !== undefined && !meetsPasswordPolicy(password)) {
    console.error(
      '  --password needs at least 12 characters with upper and lower case letters, digits and symbols',
    );
    return 2;
  }
  return add(email.toLowerCase(), name, wanted.data, password);
}

async function add(
  email: string,
  name: string,
  wantedRoles: string[],
  password: string | undefined,
): Promise<number> {
  const target = await useStaffPoolTarget();
  const cognito = cognitoClient();
  const UserPoolId = target.userPoolId;
  const existing = await findUser(UserPoolId, email);
  let temporaryPassword: string | undefined;
  if (existing) {
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username: email,
        UserAttributes: [{ Name: 'name', Value: name }],
      }),
    );
  } else {
    // Locally no mail goes out, so the temporary password is printed instead.
    temporaryPassword = password === undefined && target.local ? newTemporaryPassword() : undefined;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: name },
        ],
        TemporaryPassword: temporaryPassword,
        DesiredDeliveryMediums: ['EMAIL'],
        ...(target.local || password !== undefined ? { MessageAction: 'SUPPRESS' } : {}),
      }),
    );
  }
  if (password !== undefined) {
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId,
        Username: email,
        Password: password,
        Permanent: true,
      }),
    );
  }
  const groups = await cognito.send(
    new AdminListGroupsForUserCommand({ UserPoolId, Username: email }),
  );
  const current = new Set((groups.Groups ?? []).map((group) => group.GroupName ?? ''));
  for (const role of wantedRoles) {
    if (!current.has(role)) {
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: role }),
      );
    }
  }
  for (const role of current) {
    if (!wantedRoles.includes(role)) {
      await cognito.send(
        new AdminRemoveUserFromGroupCommand({ UserPoolId, Username: email, GroupName: role }),
      );
    }
  }
  console.info(
    `${existing ? 'Updated' : 'Added'} ${email} (${name}) with roles ${wantedRoles.join(', ')} in the ${target.where}.`,
  );
  if (temporaryPassword) {
    console.info(`Temporary password: ${temporaryPassword}`);
    console.info('The first sign-in at /staff/login asks for a new password.');
  } else if (!existing && password === undefined) {
    console.info('Cognito emails the temporary password; the first sign-in asks for a new one.');
  }
  return 0;
}

async function findUser(UserPoolId: string, email: string): Promise<boolean> {
  try {
    await cognitoClient().send(new AdminGetUserCommand({ UserPoolId, Username: email }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'UserNotFoundException') return false;
    throw error;
  }
}

/** Meets the password policy: upper, lower, digit, symbol, and 16 random characters. */
function newTemporaryPassword(): string {
  return `Tmp-${randomBytes(12).toString('base64url')}9a!`;
}

async function list(): Promise<number> {
  const target = await useStaffPoolTarget();
  const cognito = cognitoClient();
  const users: UserType[] = [];
  let PaginationToken: string | undefined;
  do {
    const page = await cognito.send(
      new ListUsersCommand({ UserPoolId: target.userPoolId, PaginationToken }),
    );
    users.push(...(page.Users ?? []));
    PaginationToken = page.PaginationToken;
  } while (PaginationToken);
  console.info(`${users.length} staff users in the ${target.where}:`);
  for (const user of users) {
    const attribute = (name: string) =>
      user.Attributes?.find((candidate) => candidate.Name === name)?.Value ?? '';
    const groups = await cognito.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: target.userPoolId,
        Username: user.Username,
      }),
    );
    const userRoles = (groups.Groups ?? []).map((group) => group.GroupName).join(',') || '(none)';
    console.info(
      `  ${attribute('email').padEnd(32)} ${attribute('name').padEnd(20)} ${userRoles.padEnd(24)} ${user.UserStatus ?? ''}`,
    );
  }
  return 0;
}

try {
  process.exit(await main());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
