/**
 * Per-stage configuration: what an operator owns and nothing else. It lives in cdk.json
 * under the context key `aftercare:stages`, one entry per stage; `-c stage=<name>` picks one
 * (default: the `stage` context value). It is validated here at synth time, so a missing or
 * mistyped value stops `cdk synth` / `cdk deploy` with a message that names it.
 */

import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod/mini';
import { isTimeZone } from '#functions/contract/configuration.ts';
import { languages } from '#functions/domain/complaint.ts';
import { type DepartmentCode, departmentCodes } from '#functions/domain/departments.ts';
import { outletIdPattern } from '#functions/domain/outlets.ts';
import { countryCode, provinceByCode } from '#functions/domain/regions.ts';
import { defaultSite, siteSchema } from '#functions/shared/site.ts';
import { functionSpecs, isSettingName, settingSchema, settingsOf } from '#functions/wiring.ts';

export const stagesContextKey = 'aftercare:stages';

const scheduleNames = functionSpecs().flatMap(([, spec]) =>
  spec.trigger.kind === 'schedule' ? [spec.trigger.name] : [],
);
const settingNames = [
  ...new Set(functionSpecs().flatMap(([, spec]) => Object.keys(settingsOf(spec)))),
];

export const stageContextKey = 'stage';

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

const emailPattern =
  /^[^\s@<>"',;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const domainPattern = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;
/** `Name <address>` or a bare address; no CR/LF, so it can never split a mail header. */
const mailboxPattern = /^(?:[^<>\r\n]+ <([^<>\s]+)>|([^<>\s]+))$/;

const email = z.string().check(z.regex(emailPattern, 'must be an email address'));
const positiveInt = z.int().check(z.gte(1, 'must be at least 1'));
const retentionValues = Object.values(RetentionDays).filter(
  (value): value is RetentionDays => typeof value === 'number',
);

const departmentsSchema = z.strictObject(
  Object.fromEntries(departmentCodes.map((code) => [code, email])) as Record<
    DepartmentCode,
    typeof email
  >,
);

const stageSchema = z.strictObject({
  /** Where to deploy; default: the account and region of the AWS profile in use. */
  account: z.optional(z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit account id'))),
  region: z.optional(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region'))),
  /** Protects both stacks from `cdk destroy` / deletion in the console. */
  terminationProtection: z._default(z.boolean(), false),
  mail: z.strictObject({
    /** The SES identity mail is sent as: a domain (recommended) or one address. */
    identity: z
      .string()
      .check(
        z.refine(
          (value) => domainPattern.test(value) || emailPattern.test(value),
          'must be a domain such as example.com, or an email address',
        ),
      ),
    /** The From header, e.g. `Aftercare <aftercare@example.com>`; must belong to the identity. */
    from: z.string().check(z.regex(mailboxPattern, 'must be "Name <address>" or an address')),
    replyTo: email,
    /** While the account is in the SES sandbox: verified recipient addresses to allow. */
    sandboxRecipients: z._default(z.array(email), []),
    /**
     * A custom MAIL FROM domain under the identity's domain (e.g. `bounce.maker.example`),
     * so the envelope sender, and with it SPF, aligns with From for DMARC.
     */
    mailFromDomain: z.optional(
      z.string().check(z.regex(domainPattern, 'must be a domain such as bounce.example.com')),
    ),
    /**
     * `true`: SES delivers only over TLS and drops mail to a server that cannot do it
     * (configuration sets' `TlsPolicy: REQUIRE`); default: TLS when the server offers it.
     */
    requireTls: z._default(z.boolean(), false),
  }),
  /** The address each department's alerts go to. */
  departments: departmentsSchema,
  /**
   * The regional service outlets and agents (the service network): which provinces or
   * countries each covers, where its alerts go and in which language.
   */
  outlets: z._default(
    z
      .array(
        z.strictObject({
          id: z
            .string()
            .check(z.regex(outletIdPattern, 'must be lower-case letters, digits and dashes')),
          name: z.strictObject({
            zh: z.string().check(z.minLength(1)),
            en: z.string().check(z.minLength(1)),
          }),
          email,
          regions: z
            .array(
              z
                .string()
                .check(
                  z.refine(
                    (code) =>
                      provinceByCode(code) !== undefined ||
                      (code !== 'CN' && countryCode(code) === code),
                    'must be a province code such as CN-GD or a country code such as DE',
                  ),
                ),
            )
            .check(z.minLength(1, 'must list at least one region')),
          language: z.enum(languages),
          /** The outlet's own time zone: its alerts show its local time beside China's. */
          timeZone: z.optional(
            z
              .string()
              .check(z.refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam')),
          ),
        }),
      )
      .check(z.maxLength(24, 'at most 24 outlets')),
    [],
  ),
  alarms: z._default(
    z.strictObject({
      /** Subscribed to the alarm topic (each confirms by email). */
      emails: z._default(z.array(email), []),
      /** A queue whose oldest message is older than this raises an alarm. */
      oldestMessageAgeMinutes: z._default(positiveInt, 30),
      /** Requests the firewall may block in five minutes before it raises an alarm. */
      blockedRequestsPerFiveMinutes: z._default(positiveInt, 100),
    }),
    { emails: [], oldestMessageAgeMinutes: 30, blockedRequestsPerFiveMinutes: 100 },
  ),
  api: z._default(
    z.strictObject({
      /** Stage throttling, requests per second across all clients. */
      rateLimit: z._default(positiveInt, 25),
      burstLimit: z._default(positiveInt, 50),
      /** Staff sign-in requests per client address per five minutes (WAF). */
      signInRequestsPerFiveMinutes: z._default(
        z.int().check(z.gte(10, 'must be at least 10 (the WAF minimum)')),
        100,
      ),
      /** WAF rate-based rule: requests from one IP address per 5 minutes before it is blocked. */
      wafRequestsPerFiveMinutes: z._default(
        z.int().check(z.gte(10, 'must be at least 10 (the WAF minimum)')),
        300,
      ),
      /**
       * Other sites allowed to post to the public routes from a browser script. The form is
       * served by the API itself, so it needs none; a plain HTML form on another site needs
       * none either. Default: no CORS at all.
       */
      corsOrigins: z._default(
        z.array(z.string().check(z.regex(/^https:\/\/[^/\s]+$/, 'must be https://host'))),
        [],
      ),
      /** Serve the API on your own name; point a DNS record at the output `ApiDomainTarget`. */
      customDomain: z.optional(
        z.strictObject({
          name: z.string().check(z.regex(domainPattern, 'must be a domain name')),
          /** An ACM certificate for the name, in the stack's region. */
          certificateArn: z
            .string()
            .check(
              z.regex(
                /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/,
                'must be an ACM certificate ARN',
              ),
            ),
        }),
      ),
    }),
    {
      rateLimit: 25,
      burstLimit: 50,
      signInRequestsPerFiveMinutes: 100,
      wafRequestsPerFiveMinutes: 300,
      corsOrigins: [],
    },
  ),
  /** Days Lambda and API access logs are kept. */
  logRetentionDays: z._default(
    z
      .number()
      .check(
        z.refine(
          (value) => (retentionValues as number[]).includes(value),
          `must be one of ${retentionValues.join(', ')}`,
        ),
      ),
    RetentionDays.ONE_YEAR,
  ),
  /**
   * A different clock for a schedule of the wiring, e.g. the survey campaign on another day:
   * `{ "survey-campaign": { "expression": "cron(0 9 1 3 ? *)", "timezone": "Asia/Shanghai" } }`.
   */
  schedules: z._default(
    z.record(
      z
        .string()
        .check(
          z.refine(
            (name) => scheduleNames.includes(name),
            `must be one of ${scheduleNames.join(', ')}`,
          ),
        ),
      z.strictObject({
        expression: z
          .string()
          .check(
            z.regex(
              /^(rate|cron)\(.+\)$/,
              'must be rate(…) or cron(…) as EventBridge Scheduler reads it',
            ),
          ),
        timezone: z._default(
          z.string().check(z.refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai')),
          'Asia/Shanghai',
        ),
      }),
    ),
    {},
  ),
  /**
   * Values for the settings the wiring gives functions (e.g. SURVEY_SEND_RATE_PER_SECOND, the
   * account's SES rate; SURVEY_OPEN_DAYS): each applies to every function that has it.
   */
  settings: z._default(
    z.record(
      z
        .string()
        .check(
          z.refine(
            (name) => settingNames.includes(name),
            `must be one of ${settingNames.join(', ')}`,
          ),
        ),
      z.string(),
    ),
    {},
  ),
  /**
   * ISO 9001 records outlive point-in-time recovery's 35 days: an AWS Backup plan keeps a
   * daily backup for 35 days and a monthly one for `backupYears`; `customerManagedKey`
   * encrypts the table with a key of the stage's own (rotated yearly, kept on deletion).
   */
  records: z._default(
    z.strictObject({
      backupYears: z._default(
        z.int().check(z.gte(1, 'must be at least 1'), z.lte(99, 'must be at most 99')),
        10,
      ),
      customerManagedKey: z._default(z.boolean(), false),
    }),
    { backupYears: 10, customerManagedKey: false },
  ),
  /**
   * The company's working calendar for due dates (08:30–17:30 China time, Monday to Friday):
   * public holidays, and the weekend days China moves work to (调休), as YYYY-MM-DD dates.
   * Written to the table on every deployment that changes it.
   */
  calendar: z._default(
    z.strictObject({
      holidays: z._default(z.array(z.string().check(z.regex(isoDate, 'must be YYYY-MM-DD'))), []),
      workingWeekendDays: z._default(
        z.array(z.string().check(z.regex(isoDate, 'must be YYYY-MM-DD'))),
        [],
      ),
    }),
    { holidays: [], workingWeekendDays: [] },
  ),
  /** AWS X-Ray tracing of the API and every function. */
  tracing: z._default(z.boolean(), true),
  /** Staff sign-in: TOTP multi-factor authentication is optional unless this makes it required. */
  staff: z._default(
    z.strictObject({
      mfa: z._default(z.enum(['optional', 'required']), 'optional'),
    }),
    { mfa: 'optional' },
  ),
  /**
   * What customers see: the company's name in the page header and the short privacy notice
   * (who processes the data, for what, how long it is kept, whom to contact; PIPL and GDPR
   * expect it) on the form, at /privacy and linked from every mail. Paragraphs are separated
   * by a blank line; each text at most 1,200 bytes. Validated here and bundled into the
   * functions (infra/aws/bundling.ts), so they show it without validating it again.
   */
  customerPages: z._default(siteSchema, defaultSite),
  /** Customers' photos and documents (the bucket in the stateful stack). */
  attachments: z._default(
    z.strictObject({
      /** GuardDuty Malware Protection for S3 on the bucket (billed per GB scanned). */
      malwareProtection: z._default(z.boolean(), false),
    }),
    { malwareProtection: false },
  ),
  /** EventBridge Scheduler's retries before an invocation goes to the schedules' dead-letter queue. */
  scheduleRetryAttempts: z._default(
    z.int().check(z.gte(0, 'must be 0 or more'), z.lte(185, 'must be at most 185')),
    3,
  ),
});

export interface StageConfig extends z.output<typeof stageSchema> {
  stage: string;
  logRetentionDays: RetentionDays;
}

export class StageConfigError extends Error {
  override name = 'StageConfigError';
}

/** Reads and validates the chosen stage's configuration from the CDK context. */
export function stageConfigFrom(context: (key: string) => unknown): StageConfig {
  const stage = context(stageContextKey);
  if (typeof stage !== 'string' || !/^[a-z][a-z0-9]{0,15}$/.test(stage)) {
    throw new StageConfigError(
      `Choose a stage with -c stage=<name> (lower-case letters and digits, e.g. prod); got ${JSON.stringify(stage)}.`,
    );
  }
  let stages = context(stagesContextKey);
  if (typeof stages === 'string') {
    try {
      stages = JSON.parse(stages);
    } catch {
      throw new StageConfigError(`The context value "${stagesContextKey}" is not valid JSON.`);
    }
  }
  const known = stages && typeof stages === 'object' ? Object.keys(stages) : [];
  const raw = (stages as Record<string, unknown> | undefined)?.[stage];
  if (raw === undefined) {
    throw new StageConfigError(
      `No configuration for stage "${stage}". Add it to cdk.json under context."${stagesContextKey}".${stage} ` +
        `(configured stages: ${known.length > 0 ? known.join(', ') : 'none'}); see "Deploy to AWS" in README.md.`,
    );
  }
  const parsed = z.safeParse(stageSchema, raw, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${describeIssue(issue)}`);
    throw new StageConfigError(
      `Stage "${stage}" (cdk.json context."${stagesContextKey}".${stage}) is not valid:\n${problems.join('\n')}`,
    );
  }
  const config = {
    ...parsed.data,
    stage,
    logRetentionDays: parsed.data.logRetentionDays as RetentionDays,
  };
  const fromDomain = config.mail.mailFromDomain;
  if (
    fromDomain &&
    (config.mail.identity.includes('@') || !fromDomain.endsWith(`.${config.mail.identity}`))
  ) {
    throw new StageConfigError(
      `Stage "${stage}" is not valid:\n  - mail.mailFromDomain: must be a subdomain of ${config.mail.identity}, the SES domain identity (mail.identity)`,
    );
  }
  const mismatch = senderMismatch(config.mail.identity, config.mail.from);
  if (mismatch) {
    throw new StageConfigError(`Stage "${stage}" is not valid:\n  - mail.from: ${mismatch}`);
  }
  // Each setting against the schema the functions read it with (functions/wiring.ts).
  const badSettings = Object.entries(config.settings).flatMap(([name, value]) => {
    if (!isSettingName(name)) return [];
    const checked = z.safeParse(settingSchema(name), value);
    return checked.success
      ? []
      : [
          `  - settings.${name}: ${checked.error.issues[0]?.message} (got ${JSON.stringify(value)})`,
        ];
  });
  if (badSettings.length > 0) {
    throw new StageConfigError(`Stage "${stage}" is not valid:\n${badSettings.join('\n')}`);
  }
  if (config.records.customerManagedKey && !config.region) {
    // DynamoDB global tables name their key per region, so the stack must know its region.
    throw new StageConfigError(
      `Stage "${stage}" is not valid:\n  - region: must be set when records.customerManagedKey is true`,
    );
  }
  return config;
}

/** The address in a `Name <address>` mailbox, or the mailbox itself. */
export function mailboxAddress(mailbox: string): string {
  const match = mailboxPattern.exec(mailbox);
  return (match?.[1] ?? match?.[2] ?? mailbox).toLowerCase();
}

/** SES sends only as its verified identity: the From address must be it or on its domain. */
function senderMismatch(identity: string, from: string): string | undefined {
  const address = mailboxAddress(from);
  if (!emailPattern.test(address)) return `${address} is not an email address`;
  const lowered = identity.toLowerCase();
  if (lowered.includes('@')) {
    return address === lowered
      ? undefined
      : `must be ${identity}, the SES identity (mail.identity)`;
  }
  const domain = address.slice(address.lastIndexOf('@') + 1);
  return domain === lowered || domain.endsWith(`.${lowered}`)
    ? undefined
    : `${address} is not on ${identity}, the SES identity (mail.identity)`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(stage)';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `${path}: is missing`
        : `${path}: must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}`;
    case 'unrecognized_keys':
      return `${path}: unknown setting ${issue.keys.join(', ')}`;
    case 'invalid_key':
      return `${path}: ${issue.issues[0]?.message ?? 'is not a name this setting knows'}`;
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
      return `${path}: ${issue.message === 'Invalid input' ? 'is not valid' : issue.message}`;
    default:
      return `${path}: is not valid`;
  }
}
