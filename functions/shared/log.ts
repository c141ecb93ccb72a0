/**
 * Structured JSON logs, one line each. Only the fields below may be logged: identifiers
 * and counts, never names, addresses, phone numbers or complaint text.
 */
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
  errorMessage?: string;
}

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, 'silent'>;

function threshold(): number {
  const configured = process.env.LOG_LEVEL as keyof typeof levels | undefined;
  return levels[configured ?? 'info'] ?? levels.info;
}

function write(level: Level, message: string, fields: LogFields): void {
  if (levels[level] < threshold()) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...fields });
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (message: string, fields: LogFields = {}) => write('debug', message, fields),
  info: (message: string, fields: LogFields = {}) => write('info', message, fields),
  warn: (message: string, fields: LogFields = {}) => write('warn', message, fields),
  error: (message: string, fields: LogFields = {}) => write('error', message, fields),
};

export function errorFields(error: unknown): LogFields {
  return error instanceof Error
    ? { errorName: error.name, errorMessage: error.message }
    : { errorName: typeof error };
}
