/**
 * The one description of the system: which function answers which route, queue or
 * schedule, what it may touch, and what it is told through its environment. The CDK
 * stack (infra/aws) and the local host (infra/local) both read this module; nothing about
 * which function answers what is written anywhere else.
 */

import * as z from 'zod/mini';
import { capaWriters } from './domain/capa.ts';
import { type DepartmentCode, departmentCodes } from './domain/departments.ts';

export const queueNames = ['routing', 'notification', 'survey', 'mailEvents'] as const;
export type QueueName = (typeof queueNames)[number];

export interface QueueSpec {
  description: string;
  /** Deliveries before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
  /**
   * Who fills the queue when no function does: `sesEvents` is SES's event publishing (the
   * configuration set's event destination → an SNS topic → this queue, raw delivery).
   */
  source?: 'sesEvents';
}

export const queues: Record<QueueName, QueueSpec> = {
  routing: {
    description: 'New complaints waiting to be routed to departments',
    maxReceiveCount: 5,
  },
  notification: { description: 'One email each: acknowledgements and alerts', maxReceiveCount: 8 },
  survey: { description: 'One survey invitation or reminder each', maxReceiveCount: 8 },
  mailEvents: {
    description: "SES's events about our mail (send, delivery, bounce, complaint, reject…)",
    maxReceiveCount: 5,
    source: 'sesEvents',
  },
};

/**
 * The SES events the configuration set publishes to the mail-event topic (SES's
 * `EventType` names). `send` is what lets a crashed sender's claim be resolved without a
 * second copy; the others are recorded on the mail's marker.
 */
export const sesEventTypes = [
  'send',
  'reject',
  'bounce',
  'complaint',
  'delivery',
  'deliveryDelay',
  'renderingFailure',
] as const;

/**
 * The survey's configuration set publishes the same, less the deliveries: the customer's
 * mail about a complaint keeps its delivery on its marker, no one looks for a survey
 * invitation's, and each event is a publish, a queue message and an invocation per mail.
 */
export const surveySesEventTypes = sesEventTypes.filter(
  (type) => type !== 'delivery' && type !== 'deliveryDelay',
);

/**
 * Tags on every mail naming its exactly-once marker, so SES's events about it find it: the
 * marker's key, base64url-encoded and cut into values SES accepts (256 characters each).
 */
export const mailTags = { markerPrefix: 'aftercare-marker-', claim: 'aftercare-claim' } as const;

/**
 * How long after a sending function's deadline SES's send event may still arrive: a
 * claim is taken over (and the mail sent again) only once this has passed with no event.
 * It covers a consumer of the event dying with the event in hand (the event comes back
 * after the queue's visibility timeout), plus 30 s for SES and SNS to deliver it.
 */
export function mailEventGraceSeconds(): number {
  return visibilityTimeoutSeconds('mailEvents') + 30;
}

/** A mail claim goes stale shortly after the longest its sender may run, plus the event's grace. */
export function mailClaimLeaseSeconds(sender: FunctionSpec): number {
  return sender.timeoutSeconds + mailEventGraceSeconds();
}

export type HttpMethod = 'GET' | 'POST';

/**
 * Who may call a staff route: `signed-in` is any staff user, even one in no group (only
 * `GET /staff/api/me` and signing out); otherwise the user must hold one of the roles
 * (a role is a Cognito group named by a department code).
 */
export interface StaffAuth {
  roles: 'signed-in' | readonly DepartmentCode[];
}

/** Every role: any member of any department. */
export const anyRole: readonly DepartmentCode[] = departmentCodes;

export type HttpRoute = {
  method: HttpMethod;
  /** API Gateway resource path; `{name}` marks a path parameter. */
  path: string;
} & (
  | {
      /** Reachable by anyone on the internet: rate-limited by the WAF, form CORS allowed. */
      public: true;
    }
  | {
      public: false;
      /** Checked by the staff authorizer at the gateway and again in the handler. */
      auth: StaffAuth;
    }
);

export type Trigger =
  | { kind: 'http'; routes: HttpRoute[] }
  /** The API Gateway request authorizer in front of every route with `auth`. */
  | { kind: 'authorizer' }
  | {
      kind: 'queue';
      queue: QueueName;
      /** The most a batch holds (see `batchSizeFor`). */
      batchSize: number;
      /** Concurrent batches at most (Lambda's event source mapping needs at least 2). */
      maxConcurrency: number;
      /** The rate setting that paces the consumer's sends: its batch shrinks to what fits. */
      pacedBy?: SettingName;
    }
  | {
      kind: 'schedule';
      name: string;
      /** EventBridge Scheduler expression: `rate(…)` or `cron(…)`. */
      expression: string;
      timezone: string;
    };

export type TableAccess = 'none' | 'read' | 'readwrite';

export interface FunctionSpec {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  trigger: Trigger;
  table: TableAccess;
  sendsTo: QueueName[];
  sendsEmail: boolean;
  /** Verifies staff tokens or signs staff in: told the user pool, its client and issuer. */
  staffIdentity?: boolean;
  /** Presigns uploads to the attachments bucket and checks and records what arrives. */
  attachments?: boolean;
  /** Fixed settings; deployment-specific values come from `environmentFor`. */
  settings?: Record<string, string>;
  /** Writes register exports to the private bucket's `exports/` and presigns their download. */
  exports?: boolean;
}

/** The survey's clock and pace; operators change them here (or per stage in the stack). */
const surveySettings = {
  SURVEY_OPEN_DAYS: '30',
  SURVEY_MAX_REMINDERS: '2',
  SURVEY_REMINDER_INTERVAL_DAYS: '7',
  SURVEY_SEND_RATE_PER_SECOND: '10',
};

/**
 * The survey sender's batch, senders and timeout. A batch of 25 takes 5 s at the default
 * pace; at a slow one the batch shrinks to what fits (`batchSizeFor`: 15 at SES's sandbox
 * rate, 1 a second), so the timeout need not grow with it. 40 s: its queue's visibility
 * timeout is 6 × the timeout, which is how long a batch whose sender died waits, and 4
 * minutes keeps a restart's recovery within 5. 25, not 10: between two batches (the marks,
 * the count, the next batch received and its first mails' table work) the sender's turns
 * wait unused, and at 50 a second a batch of 10 had that gap two and a half times a second
 * (README, "The survey's pacing").
 */
const surveyBatchSize = 25;
const surveySenders = 2;
const surveySenderTimeoutSeconds = 40;
/** Of a paced consumer's timeout, what is kept for its table work, not its sends. */
const pacedTableWorkSeconds = 10;

const staffIdentity = true;

// Both marked free of side effects, so that esbuild still drops `functions` from a bundle that
// reads none of it (the web pages' and the authorizer's), as it does an object of literals.

/** A route anyone on the internet may call. */
/* @__NO_SIDE_EFFECTS__ */ function publicRoute(method: HttpMethod, path: string): HttpRoute {
  return { method, path, public: true };
}

/** A route for signed-in staff holding one of `roles` (or any signed-in user). */
/* @__NO_SIDE_EFFECTS__ */ function staffRoute(
  method: HttpMethod,
  path: string,
  roles: StaffAuth['roles'],
): HttpRoute {
  return { method, path, public: false, auth: { roles } };
}

/** The departments that deal with customers, the office and the GM. */
const customerDesks: readonly DepartmentCode[] = ['gm', 'office', 'sales', 'export'];

/** The departments that own complaints (domestic and export sales) and the GM. */
const complaintOwners: readonly DepartmentCode[] = ['gm', 'sales', 'export'];

export const functions = {
  webPages: {
    entry: 'functions/handlers/web-pages.ts',
    description: 'The complaint form in Chinese or English, and the privacy notice',
    memoryMb: 256,
    timeoutSeconds: 5,
    trigger: {
      kind: 'http',
      routes: [publicRoute('GET', '/'), publicRoute('GET', '/privacy')],
    },
    table: 'none',
    sendsTo: [],
    sendsEmail: false,
  },
  submitComplaint: {
    entry: 'functions/handlers/submit-complaint.ts',
    description: 'Intake: validates, stores and enqueues a complaint for routing',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: { kind: 'http', routes: [publicRoute('POST', '/complaints')] },
    table: 'readwrite',
    sendsTo: ['routing'],
    sendsEmail: false,
    // A form posted sooner after the page was served is taken for a bot's.
    settings: { FORM_MINIMUM_FILL_SECONDS: '3' },
  },
  complaintStatus: {
    entry: 'functions/handlers/complaint-status.ts',
    description:
      'Public status of one complaint, for the customer who filed it; the thank-you page after filing',
    memoryMb: 256,
    timeoutSeconds: 5,
    trigger: {
      kind: 'http',
      routes: [
        publicRoute('GET', '/complaints/{reference}'),
        publicRoute('GET', '/status'),
        // The thank-you page confirms a reference only with its receipt (the complaint's id).
        publicRoute('GET', '/thanks'),
      ],
    },
    table: 'read',
    sendsTo: [],
    sendsEmail: false,
  },
  complaintAttachments: {
    entry: 'functions/handlers/complaint-attachments.ts',
    description: 'Photos and documents: presigned uploads to S3, checked and recorded on return',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [publicRoute('GET', '/attachments'), publicRoute('GET', '/attachments/recorded')],
    },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
    attachments: true,
  },
  enqueueSweep: {
    entry: 'functions/handlers/enqueue-sweep.ts',
    description: 'Re-enqueues complaints whose routing message was never confirmed sent',
    memoryMb: 256,
    timeoutSeconds: 60,
    trigger: {
      kind: 'schedule',
      name: 'enqueue-sweep',
      // Every minute: bounded work per run, and a stranded complaint waits minutes, not more.
      expression: 'rate(1 minute)',
      timezone: 'Asia/Shanghai',
    },
    table: 'readwrite',
    sendsTo: ['routing'],
    sendsEmail: false,
    settings: { ENQUEUE_GRACE_SECONDS: '60', ENQUEUE_SWEEP_MAX_ENTRIES: '500' },
  },
  routeComplaint: {
    entry: 'functions/handlers/route-complaint.ts',
    description:
      'Routing: who is told of a complaint, in which role, how urgent; queues the emails',
    memoryMb: 256,
    timeoutSeconds: 30,
    trigger: { kind: 'queue', queue: 'routing', batchSize: 10, maxConcurrency: 2 },
    table: 'readwrite',
    sendsTo: ['notification'],
    sendsEmail: false,
  },
  sendNotification: {
    entry: 'functions/handlers/send-notification.ts',
    description: 'Sends each acknowledgement and alert through SES, once per recipient',
    memoryMb: 256,
    timeoutSeconds: 30,
    trigger: { kind: 'queue', queue: 'notification', batchSize: 10, maxConcurrency: 2 },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: true,
    settings: { HANDLING_FEEDBACK_DAYS: '14' },
  },
  recordMailEvents: {
    entry: 'functions/handlers/record-mail-events.ts',
    description: "Records SES's events on each mail's marker: accepted (sent), delivered, bounced",
    memoryMb: 256,
    // Short, so an event whose consumer died is back (after 6 × this) well before a
    // sender's redelivered message (6 × 30 s) may take the mail's claim over.
    timeoutSeconds: 10,
    trigger: { kind: 'queue', queue: 'mailEvents', batchSize: 10, maxConcurrency: 2 },
    table: 'readwrite',
    // The owner's "phone instead" mail when the customer's mail bounced for good.
    sendsTo: ['notification'],
    sendsEmail: false,
  },
  surveyPage: {
    entry: 'functions/handlers/survey-page.ts',
    description: "The satisfaction survey behind a customer's personal link",
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [publicRoute('GET', '/survey/{token}'), publicRoute('POST', '/survey/{token}')],
    },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
  },
  startSurveyCampaign: {
    entry: 'functions/handlers/start-survey-campaign.ts',
    description: "Starts the year's satisfaction survey: one invitation per deliverable customer",
    memoryMb: 512,
    timeoutSeconds: 900,
    trigger: {
      kind: 'schedule',
      name: 'survey-campaign',
      expression: 'cron(0 9 15 1 ? *)',
      timezone: 'Asia/Shanghai',
    },
    table: 'readwrite',
    sendsTo: ['survey'],
    sendsEmail: false,
    settings: surveySettings,
  },
  sendSurveyMail: {
    entry: 'functions/handlers/send-survey-mail.ts',
    description: 'Sends each survey invitation and reminder once, paced to the SES send rate',
    memoryMb: 256,
    timeoutSeconds: surveySenderTimeoutSeconds,
    trigger: {
      kind: 'queue',
      queue: 'survey',
      batchSize: surveyBatchSize,
      maxConcurrency: surveySenders,
      pacedBy: 'SURVEY_SEND_RATE_PER_SECOND',
    },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: true,
    settings: surveySettings,
  },
  surveyDaily: {
    entry: 'functions/handlers/survey-daily.ts',
    description: 'Reminds customers who have not answered; closes the campaign and reports',
    memoryMb: 512,
    timeoutSeconds: 300,
    trigger: {
      kind: 'schedule',
      name: 'survey-daily',
      expression: 'cron(0 10 * * ? *)',
      timezone: 'Asia/Shanghai',
    },
    table: 'readwrite',
    sendsTo: ['survey'],
    sendsEmail: true,
    settings: surveySettings,
  },
  staffAuthorizer: {
    entry: 'functions/handlers/staff-authorizer.ts',
    description: 'API Gateway authorizer of the staff routes: verifies the Cognito ID token',
    memoryMb: 256,
    timeoutSeconds: 5,
    trigger: { kind: 'authorizer' },
    table: 'none',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
  },
  staffSignIn: {
    entry: 'functions/handlers/staff-sign-in.ts',
    description:
      'Staff sign-in, first-password, authenticator set-up and sign-out pages, against Cognito',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        publicRoute('GET', '/staff/login'),
        publicRoute('POST', '/staff/login'),
        publicRoute('POST', '/staff/login/new-password'),
        publicRoute('POST', '/staff/login/mfa'),
        staffRoute('GET', '/staff/mfa', 'signed-in'),
        staffRoute('POST', '/staff/mfa', 'signed-in'),
        staffRoute('POST', '/staff/logout', 'signed-in'),
      ],
    },
    table: 'none',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
  },
  staffConsole: {
    entry: 'functions/handlers/staff-console.ts',
    description: "The staff console's queue and who the signed-in user is",
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        staffRoute('GET', '/staff', anyRole),
        staffRoute('GET', '/staff/api/me', 'signed-in'),
        // The survey report the results mail links to (suggestions stay out of mailboxes).
        staffRoute('GET', '/staff/survey/{year}/report', anyRole),
      ],
    },
    table: 'read',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
  },
  caseFeedback: {
    entry: 'functions/handlers/case-feedback.ts',
    description: "The customer's answer to our response, behind the link in the response email",
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [publicRoute('GET', '/feedback/{token}'), publicRoute('POST', '/feedback/{token}')],
    },
    table: 'readwrite',
    sendsTo: ['notification'],
    sendsEmail: false,
  },
  visitReport: {
    entry: 'functions/handlers/visit-report.ts',
    description:
      "An on-site visit's report behind the outlet's personal link; the customer's calendar file",
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        publicRoute('GET', '/visit/{token}'),
        publicRoute('POST', '/visit/{token}'),
        publicRoute('GET', '/visit/{token}/ics'),
      ],
    },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
  },
  slaEscalation: {
    entry: 'functions/handlers/sla-escalation.ts',
    description:
      'Escalates overdue first responses (owner, office), resolutions (GM) and CAPA actions, once each',
    memoryMb: 256,
    timeoutSeconds: 120,
    trigger: {
      kind: 'schedule',
      name: 'sla-escalation',
      expression: 'rate(15 minutes)',
      timezone: 'Asia/Shanghai',
    },
    table: 'readwrite',
    sendsTo: ['notification'],
    // Overdue CAPA actions are mailed from here (complaints' escalations go through the queue).
    sendsEmail: true,
  },
  caseDaily: {
    entry: 'functions/handlers/case-daily.ts',
    description: "The GM's 08:30 digest of overdue complaints; unanswered responses closed",
    memoryMb: 256,
    timeoutSeconds: 300,
    trigger: {
      kind: 'schedule',
      name: 'case-daily',
      expression: 'cron(30 8 * * ? *)',
      timezone: 'Asia/Shanghai',
    },
    table: 'readwrite',
    sendsTo: ['notification'],
    sendsEmail: true,
    settings: { HANDLING_FEEDBACK_DAYS: '14' },
  },
  staffCases: {
    entry: 'functions/handlers/staff-cases.ts',
    description: 'Case handling: the staff API and the complaint pages with their action forms',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        staffRoute('GET', '/staff/api/complaints', anyRole),
        staffRoute('POST', '/staff/api/complaints', customerDesks),
        staffRoute('GET', '/staff/api/complaints/{reference}', anyRole),
        staffRoute('POST', '/staff/api/complaints/{reference}/actions', anyRole),
        staffRoute('GET', '/staff/complaints/{reference}', anyRole),
        staffRoute('POST', '/staff/complaints/{reference}/actions', anyRole),
        // On-site visits: the owner (or the GM) schedules one (issue 15).
        staffRoute('POST', '/staff/api/complaints/{reference}/visits', complaintOwners),
        staffRoute('POST', '/staff/complaints/{reference}/visits', complaintOwners),
      ],
    },
    table: 'readwrite',
    sendsTo: ['routing', 'notification'],
    sendsEmail: false,
    staffIdentity,
  },
  staffSurveys: {
    entry: 'functions/handlers/staff-surveys.ts',
    description:
      'The survey in the console: answers entered from phone and paper, printable forms, call lists',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        staffRoute('GET', '/staff/surveys', customerDesks),
        staffRoute('GET', '/staff/surveys/{year}', customerDesks),
        staffRoute('POST', '/staff/surveys/{year}/answers', customerDesks),
        staffRoute('GET', '/staff/surveys/{year}/forms', customerDesks),
        staffRoute('GET', '/staff/surveys/{year}/calls', customerDesks),
      ],
    },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
  },
  staffRegister: {
    entry: 'functions/handlers/staff-register.ts',
    description: 'The complaint register and statistics: console pages, JSON and CSV',
    memoryMb: 512,
    timeoutSeconds: 29,
    trigger: {
      kind: 'http',
      routes: [
        staffRoute('GET', '/staff/register', anyRole),
        staffRoute('GET', '/staff/api/register', anyRole),
        staffRoute('GET', '/staff/statistics', anyRole),
        staffRoute('GET', '/staff/api/statistics', anyRole),
      ],
    },
    // Month summaries are cached on read and statistics downloads logged: both are writes.
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
  },
  staffCustomers: {
    entry: 'functions/handlers/staff-customers.ts',
    description:
      'One view of a customer: profile, mail state, complaints and their outcome, surveys',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        staffRoute('GET', '/staff/customers', customerDesks),
        staffRoute('GET', '/staff/customers/{email}', customerDesks),
      ],
    },
    table: 'read',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
  },
  registerExport: {
    entry: 'functions/handlers/register-export.ts',
    description: 'Register exports (CSV, XLSX) of any filter, written to S3 and logged',
    // Rows stream from the table into the file; the file (8.3 MB XLSX, 18 MB CSV at 100,000
    // rows) is held once. 2 GB for more than one vCPU: exceljs's zip is CPU-bound.
    memoryMb: 2048,
    // API Gateway answers within 29 s: the file goes to S3 and the answer is a link.
    timeoutSeconds: 29,
    trigger: {
      kind: 'http',
      routes: [
        staffRoute('GET', '/staff/register/export', anyRole),
        staffRoute('GET', '/staff/api/register/export', anyRole),
      ],
    },
    // Syncs nothing; logs the export.
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
    exports: true,
  },
  surveyOptOut: {
    entry: 'functions/handlers/survey-opt-out.ts',
    description:
      "The survey mail's unsubscribe link: a page with one button; a POST opts out at once",
    memoryMb: 256,
    timeoutSeconds: 5,
    trigger: {
      kind: 'http',
      routes: [
        publicRoute('GET', '/unsubscribe/{token}'),
        // RFC 8058 one-click: mailbox providers POST here, with no session and no CSRF token.
        publicRoute('POST', '/unsubscribe/{token}'),
      ],
    },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
  },
  openApi: {
    entry: 'functions/handlers/openapi.ts',
    description:
      'The OpenAPI 3.1 description of the routes, generated from this wiring and its schemas',
    memoryMb: 256,
    timeoutSeconds: 5,
    trigger: { kind: 'http', routes: [publicRoute('GET', '/openapi.json')] },
    table: 'none',
    sendsTo: [],
    sendsEmail: false,
  },
  staffCapa: {
    entry: 'functions/handlers/staff-capa.ts',
    description: 'Corrective and preventive actions: the staff API and the console pages',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        staffRoute('GET', '/staff/api/capa', anyRole),
        staffRoute('POST', '/staff/api/capa', capaWriters),
        staffRoute('GET', '/staff/api/capa/{reference}', anyRole),
        staffRoute('POST', '/staff/api/capa/{reference}/actions', anyRole),
        staffRoute('GET', '/staff/capa', anyRole),
        staffRoute('POST', '/staff/capa', capaWriters),
        // Before `{reference}`: the local host matches routes in this order.
        staffRoute('GET', '/staff/capa/new', capaWriters),
        staffRoute('GET', '/staff/capa/{reference}', anyRole),
        staffRoute('POST', '/staff/capa/{reference}/actions', anyRole),
      ],
    },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
  },
  staffReview: {
    entry: 'functions/handlers/staff-review.ts',
    description: 'The management-review pack: one print-ready page of the period',
    memoryMb: 512,
    timeoutSeconds: 29,
    trigger: {
      kind: 'http',
      routes: [staffRoute('GET', '/staff/review', anyRole)],
    },
    // Reading statistics caches month summaries: a write.
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
  },
  reviewWorkbook: {
    entry: 'functions/handlers/review-workbook.ts',
    description: 'The management-review workbook (XLSX), written to S3 and logged',
    memoryMb: 1024,
    timeoutSeconds: 29,
    trigger: {
      kind: 'http',
      routes: [staffRoute('GET', '/staff/review/workbook', anyRole)],
    },
    table: 'readwrite',
    sendsTo: [],
    sendsEmail: false,
    staffIdentity,
    exports: true,
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

/** Environment variable names, shared by the hosts that set them and the code that reads them. */
export const environmentNames = {
  tableName: 'TABLE_NAME',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  mailFrom: 'MAIL_FROM',
  mailReplyTo: 'MAIL_REPLY_TO',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  staffUserPoolId: 'STAFF_USER_POOL_ID',
  staffClientId: 'STAFF_CLIENT_ID',
  staffTokenIssuer: 'STAFF_TOKEN_ISSUER',
  /** The private bucket of customers' photos and documents. */
  attachmentsBucket: 'ATTACHMENTS_BUCKET',
  queueUrl: (queue: QueueName) => `${queue.toUpperCase()}_QUEUE_URL`,
  sesSurveyConfigurationSet: 'SES_SURVEY_CONFIGURATION_SET',
} as const;

/** What differs between deployments: the stack passes CDK tokens, the local host real values. */
export interface Deployment {
  tableName: string;
  queueUrls: Record<QueueName, string>;
  /** Where customers reach the API: status links in emails point here. */
  publicBaseUrl: string;
  /** The bucket of customers' photos and documents. */
  attachmentsBucket: string;
  mail: {
    from: string;
    replyTo: string;
    configurationSet?: string;
    /** The survey's bulk mail is sent with its own configuration set (its own tracking). */
    surveyConfigurationSet?: string;
  };
  /** Operator values for settings the functions declare (a function only gets its own). */
  settings?: Record<string, string>;
  /** The staff user pool: its id, the console's app client and the ID tokens' issuer. */
  staffIdentity: { userPoolId: string; clientId: string; issuer: string };
  /**
   * The company name and privacy notice on pages and in mail, bundled into the stack's
   * functions (infra/aws/bundling.ts); default: functions/shared/site.ts.
   */
  site?: { company: Record<'zh' | 'en', string>; privacyNotice: Record<'zh' | 'en', string> };
}

export function environmentFor(spec: FunctionSpec, deployment: Deployment): Record<string, string> {
  const environment: Record<string, string> = {
    [environmentNames.publicBaseUrl]: deployment.publicBaseUrl,
  };
  for (const [name, value] of Object.entries(settingsOf(spec))) {
    environment[name] = deployment.settings?.[name] ?? value;
  }
  if (spec.table !== 'none') environment[environmentNames.tableName] = deployment.tableName;
  if (spec.attachments || spec.exports) {
    environment[environmentNames.attachmentsBucket] = deployment.attachmentsBucket;
  }
  for (const queue of spec.sendsTo) {
    environment[environmentNames.queueUrl(queue)] = deployment.queueUrls[queue];
  }
  if (spec.sendsEmail) {
    environment[environmentNames.mailFrom] = deployment.mail.from;
    environment[environmentNames.mailReplyTo] = deployment.mail.replyTo;
    if (deployment.mail.configurationSet) {
      environment[environmentNames.sesConfigurationSet] = deployment.mail.configurationSet;
    }
    if (deployment.mail.surveyConfigurationSet) {
      environment[environmentNames.sesSurveyConfigurationSet] =
        deployment.mail.surveyConfigurationSet;
    }
  }
  if (spec.staffIdentity) {
    environment[environmentNames.staffUserPoolId] = deployment.staffIdentity.userPoolId;
    environment[environmentNames.staffClientId] = deployment.staffIdentity.clientId;
    environment[environmentNames.staffTokenIssuer] = deployment.staffIdentity.issuer;
  }
  return environment;
}

/** The route a request came in on, found by API Gateway's resource path and method. */
export function routeFor(resource: string, method: string): HttpRoute | undefined {
  for (const [, spec] of functionSpecs()) {
    if (spec.trigger.kind !== 'http') continue;
    const route = spec.trigger.routes.find(
      (candidate) => candidate.path === resource && candidate.method === method,
    );
    if (route) return route;
  }
  return undefined;
}

function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(functions, name);
}

/** Every function with its spec, for the hosts to walk. */
export function functionSpecs(): [FunctionName, FunctionSpec][] {
  return Object.entries(functions).flatMap(([name, spec]): [FunctionName, FunctionSpec][] =>
    isFunctionName(name) ? [[name, spec]] : [],
  );
}

/** Lambda wants a queue's visibility timeout well above its consumer's run time: six times. */
export function visibilityTimeoutSeconds(queue: QueueName): number {
  const consumer = functionSpecs().find(
    ([, spec]) => spec.trigger.kind === 'queue' && spec.trigger.queue === queue,
  );
  return consumer ? consumer[1].timeoutSeconds * 6 : 30;
}

/**
 * A queue consumer's batch size with the deployment's settings (`settings`, by name; the
 * spec's defaults otherwise): the trigger's `batchSize`, but a consumer paced by a rate
 * setting takes at most what its share of the rate (the rate over its concurrent batches)
 * sends in its timeout less its table work, so a batch always fits: the survey sender takes
 * 25 from 1.67 a second up, 15 at SES's sandbox rate of 1 a second. Both hosts set it.
 */
export function batchSizeFor(spec: FunctionSpec, settings?: Record<string, string>): number {
  const trigger = spec.trigger;
  if (trigger.kind !== 'queue') throw new Error(`${spec.entry} is not a queue consumer`);
  if (!trigger.pacedBy) return trigger.batchSize;
  const rate = Number(settings?.[trigger.pacedBy] ?? settingsOf(spec)[trigger.pacedBy]);
  const fits = Math.floor(
    (rate / trigger.maxConcurrency) * (spec.timeoutSeconds - pacedTableWorkSeconds),
  );
  return Math.max(1, Math.min(trigger.batchSize, fits));
}

/**
 * Lambda's batching window for a queue trigger, in seconds: a batch above ten messages needs
 * one, and gathers until it is full or the window has passed (the stack sets it on the event
 * source mapping; the local pollers keep it).
 */
export function batchingWindowSeconds(batchSize: number): number {
  return batchSize > 10 ? 1 : 0;
}

/**
 * What each setting a function declares (`settings` above, whose values are its defaults) may
 * be: the one schema a stage's `settings` are checked against at synth (infra/aws/config.ts)
 * and a function's environment is read with at run time (functions/shared/config.ts).
 */
export const settingSchemas = {
  FORM_MINIMUM_FILL_SECONDS: { whole: true, min: 0, max: 600 },
  ENQUEUE_GRACE_SECONDS: { whole: true, min: 0, max: 3600 },
  ENQUEUE_SWEEP_MAX_ENTRIES: { whole: true, min: 1, max: 10_000 },
  // Days and rates may be fractions: tests run the survey's clock in seconds.
  HANDLING_FEEDBACK_DAYS: { whole: false, min: 0, max: 365 },
  SURVEY_OPEN_DAYS: { whole: false, min: 0, max: 365 },
  SURVEY_MAX_REMINDERS: { whole: true, min: 0, max: 10 },
  SURVEY_REMINDER_INTERVAL_DAYS: { whole: false, min: 0, max: 365 },
  // Above the rate at which even a batch of one, at a sender's share of the rate, would
  // take all of the sender's timeout but its table work: one mail in 15 s.
  SURVEY_SEND_RATE_PER_SECOND: {
    whole: false,
    min: surveySenders / (surveySenderTimeoutSeconds - pacedTableWorkSeconds),
    max: 1000,
  },
  CONFIGURATION_CACHE_SECONDS: { whole: true, min: 0, max: 3600 },
} as const satisfies Record<string, { whole: boolean; min: number; max: number }>;

/**
 * The zod schema of a setting's text: a whole number from `min`, or a number above `min`, up
 * to `max`. Built when asked for, so a bundle that reads no setting carries no zod for it.
 */
export function settingSchema(name: SettingName): z.ZodMiniType<number, string> {
  const { whole, min, max } = settingSchemas[name];
  const text = z
    .string()
    .check(
      z.refine(
        (value) => value.trim() !== '' && Number.isFinite(Number(value)),
        'must be a number',
      ),
    );
  const range = whole
    ? z.int().check(z.gte(min), z.lte(max))
    : z.number().check(z.gt(min), z.lte(max));
  return z.pipe(
    text,
    z.pipe(
      z.transform((value: string) => Number(value)),
      range,
    ),
  );
}

export type SettingName = keyof typeof settingSchemas;

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(settingSchemas, name);
}

/** The wiring's value of a setting (the first function that declares it), its default. */
export function settingDefault(name: SettingName): string | undefined {
  for (const [, spec] of functionSpecs()) {
    const value = settingsOf(spec)[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * A function's settings: its own, and, for every function that reads the table, how long a
 * warm environment keeps the configuration it read (departments, outlets, routing policy).
 */
export function settingsOf(spec: FunctionSpec): Record<string, string> {
  return {
    ...(spec.table !== 'none' ? { CONFIGURATION_CACHE_SECONDS: '60' } : {}),
    ...spec.settings,
  };
}
