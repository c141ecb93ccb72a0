/**
 * Structured JSON logs through Powertools Logger, one line each, with the request id, cold
 * start and function name it adds. Only the fields below may be logged: identifiers and
 * counts, never names, addresses, phone numbers, complaint text or an error's message (it
 * may quote any of them): an error is logged by its name and code.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export interface LogFields {
  complaintId?: string;
  reference?: string;
  queue?: string;
  messageId?: string;
  notification?: string;
  count?: number;
  durationMs?: number;
  status?: number;
  route?: string;
  schedule?: string;
  errorName?: string;
  /** A machine code (an AWS SDK error's `Code`, a Node `code`, an HTTP status), never prose. */
  errorCode?: string;
}

const levels = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  silent: 'SILENT',
} as const;

function levelOf(configured: string | undefined) {
  const key = configured?.toLowerCase();
  return key === 'debug' || key === 'info' || key === 'warn' || key === 'error' || key === 'silent'
    ? levels[key]
    : levels.info;
}

/** The one logger; `injectLambdaContext` (in the handler factories) adds the request's keys. */
export const logger = new Logger({
  serviceName: 'aftercare',
  logLevel: levelOf(process.env.LOG_LEVEL),
});

let configuredLevel = process.env.LOG_LEVEL;

function write(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: LogFields) {
  // The threshold follows LOG_LEVEL as it is now: tests and the bench change it at run time.
  if (process.env.LOG_LEVEL !== configuredLevel) {
    configuredLevel = process.env.LOG_LEVEL;
    logger.setLogLevel(levelOf(configuredLevel));
  }
  logger[level](message, { ...fields });
}

export const log = {
  debug: (message: string, fields: LogFields = {}) => write('debug', message, fields),
  info: (message: string, fields: LogFields = {}) => write('info', message, fields),
  warn: (message: string, fields: LogFields = {}) => write('warn', message, fields),
  error: (message: string, fields: LogFields = {}) => write('error', message, fields),
};

const codePattern = /^[A-Za-z0-9_.:-]{1,64}$/;

/** An error's name and machine code: never its message, which may carry personal data. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const code = codeOf(error);
  return { errorName: error.name, ...(code ? { errorCode: code } : {}) };
}

function codeOf(error: Error): string | undefined {
  for (const key of ['code', 'Code', 'statusCode', '$metadata']) {
    const value: unknown = Reflect.get(error, key);
    if (key === '$metadata' && value && typeof value === 'object') {
      const status: unknown = Reflect.get(value, 'httpStatusCode');
      if (typeof status === 'number') return String(status);
      continue;
    }
    if ((typeof value === 'string' || typeof value === 'number') && codePattern.test(`${value}`)) {
      return String(value);
    }
  }
  return undefined;
}
