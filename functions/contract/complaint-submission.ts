/** The public contract of `POST /complaints` (BRIEF.md), as one schema. */
import * as z from 'zod/mini';
import {
  type Category,
  type ComplaintDraft,
  type Customer,
  categories,
  claimTypes,
  defaultCurrency,
  defaultLanguage,
  languages,
  markets,
  maxDescriptionLength,
  staffChannels,
} from '#functions/domain/complaint.ts';
import { emailAddress, message, oneOf, parseWith, text, withRegionCode } from './fields.ts';
import { idempotencyKeySchema } from './idempotency-key.ts';

export { maxDescriptionLength };

const optionalLine = (max: number) => z.optional(text(max, { singleLine: true }));

// The schemas are built on first use (z.lazy), not at import: most functions parse none.
const customerFields = () => ({
  name: text(100, { singleLine: true }),
  company: optionalLine(200),
  email: emailAddress,
  phone: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.regex(/^[0-9+()\-. ]{3,40}$/, message('Not a valid phone number', '电话号码无效')),
      ),
  ),
  market: oneOf(markets),
  region: text(64, { singleLine: true }),
});

const customer = () =>
  z.pipe(z.object(customerFields(), message('Required', '必填')), z.transform(withRegionCode));

/** Keyed in by staff: a customer who wrote a letter or phoned may have no email address. */
const customerMaybeWithoutEmail = () =>
  z.pipe(
    z.object({ ...customerFields(), email: z.optional(emailAddress) }, message('Required', '必填')),
    z.transform(withRegionCode),
  );

// Form posts send amounts as text; JSON may send either.
const amountText = /^\d{1,10}(\.\d{1,2})?$/;
const amount = () =>
  z.pipe(
    z.transform((value: unknown) =>
      typeof value === 'string' && amountText.test(value.trim()) ? Number(value) : value,
    ),
    z.number(message('Must be an amount such as 1200.50', '须为金额，如 1200.50')).check(
      z.positive(message('Must be more than 0', '须大于 0')),
      z.lte(1_000_000_000, message('Too large', '金额过大')),
      // Whole cents also keep JSON numbers such as 1e-200 out of the table, which refuses them.
      z.refine(
        (value) => Math.round(value * 100) / 100 === value,
        message('At most 2 decimal places', '最多两位小数'),
      ),
    ),
  );

const orderTrace = () =>
  z.object({
    contractNo: optionalLine(64),
    orderNo: optionalLine(64),
    deliveryNoteNo: optionalLine(64),
    batchNo: optionalLine(64),
    productModel: optionalLine(100),
  });

const claim = () =>
  z.object({
    type: oneOf(claimTypes),
    amount: z.optional(amount()),
    currency: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.toUpperCase(),
          z.regex(
            /^[A-Z]{3}$/,
            message('Must be a currency code such as CNY', '须为币种代码，如 CNY'),
          ),
        ),
    ),
  });

const submissionObject = () =>
  z.object(
    {
      customer: customer(),
      category: oneOf(categories),
      subject: text(200, { singleLine: true }),
      description: text(maxDescriptionLength, { singleLine: false }),
      order: z.optional(orderTrace()),
      claim: z.optional(claim()),
      language: z.optional(oneOf(languages)),
      idempotencyKey: z.optional(idempotencyKeySchema),
    },
    message('Expected an object with the complaint fields', '须为包含投诉字段的对象'),
  );

export const complaintSubmission = z.lazy(submissionObject);

export type ComplaintSubmission = z.output<typeof complaintSubmission>;

export function parseComplaintSubmission(input: unknown) {
  return parseWith(complaintSubmission, input);
}

/** The submission as a draft complaint, with the defaults the procedure implies. */
export function draftFromSubmission(
  submission: Omit<ComplaintSubmission, 'customer'> & { customer: Customer },
): ComplaintDraft {
  const { idempotencyKey: _key, language, claim: submittedClaim, ...rest } = submission;
  const market = submission.customer.market;
  const draft: ComplaintDraft = {
    ...rest,
    category: submission.category satisfies Category,
    language: language ?? defaultLanguage(market),
    channel: 'web',
  };
  if (submittedClaim) {
    draft.claim =
      submittedClaim.amount === undefined
        ? submittedClaim
        : { ...submittedClaim, currency: submittedClaim.currency ?? defaultCurrency(market) };
  }
  return draft;
}

/** Staff keying in a complaint that came by letter, phone, fax, email or visit: the public body, plus how and when. */
export const staffComplaintEntry = z.lazy(() =>
  z.extend(submissionObject(), {
    customer: customerMaybeWithoutEmail(),
    channel: oneOf(staffChannels),
    receivedAt: z.iso.datetime({
      offset: true,
      error: message('An ISO 8601 time with its offset', '须为带时区的 ISO 8601 时间'),
    }),
  }),
);

export function parseStaffComplaintEntry(input: unknown, now: Date) {
  const parsed = parseWith(staffComplaintEntry, input);
  if (!parsed.ok) return parsed;
  const receivedAt = new Date(parsed.value.receivedAt);
  if (receivedAt.getTime() > now.getTime() + 5 * 60_000) {
    return {
      ok: false as const,
      errors: { receivedAt: message('Cannot be in the future', '不能晚于现在') },
    };
  }
  const { channel, receivedAt: _at, ...submission } = parsed.value;
  const draft: ComplaintDraft = {
    ...draftFromSubmission(submission),
    channel,
    receivedAt: receivedAt.toISOString(),
  };
  return { ok: true as const, value: { draft, idempotencyKey: submission.idempotencyKey } };
}
