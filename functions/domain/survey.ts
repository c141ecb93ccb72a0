/**
 * The yearly customer-satisfaction survey 《用户满意情况调查表》 (BRIEF.md, "Yearly survey"):
 * its questions, the shape of an answer, and the campaign's clock (open, reminders, close).
 * Everything here is pure; the caller passes `now`.
 */
import { businessYear } from '#functions/shared/clock.ts';
import type { Bilingual } from './labels.ts';

/** What the customer rates 1–5, in the order the form asks. */
export const ratingDimensions = [
  'productQuality',
  'delivery',
  'documents',
  'goodsAccuracy',
  'afterSalesService',
  'overall',
] as const;
export type RatingDimension = (typeof ratingDimensions)[number];

export const ratings = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof ratings)[number];

export const recommendScores = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export type RecommendScore = (typeof recommendScores)[number];

export interface SurveyAnswer {
  ratings: Record<RatingDimension, Rating>;
  /** 0–10: how likely the customer is to recommend us (the NPS question). */
  recommend: RecommendScore;
  suggestions?: string;
}

/** The areas of the procedure's form; contract performance has three questions. */
export const surveyAreas = [
  'productQuality',
  'contractPerformance',
  'afterSalesService',
  'overall',
] as const;
export type SurveyArea = (typeof surveyAreas)[number];

export const areaDimensions: Record<SurveyArea, readonly RatingDimension[]> = {
  productQuality: ['productQuality'],
  contractPerformance: ['delivery', 'documents', 'goodsAccuracy'],
  afterSalesService: ['afterSalesService'],
  overall: ['overall'],
};

/** Short names, for tables and charts. */
export const dimensionLabels: Record<RatingDimension, Bilingual> = {
  productQuality: { zh: '产品质量', en: 'Product quality' },
  delivery: { zh: '交货', en: 'Delivery' },
  documents: { zh: '单证资料', en: 'Documents' },
  goodsAccuracy: { zh: '货物相符', en: 'Goods as ordered' },
  afterSalesService: { zh: '售后服务', en: 'After-sales service' },
  overall: { zh: '总体满意度', en: 'Overall satisfaction' },
};

/** The questions as the form asks them. */
export const dimensionQuestions: Record<RatingDimension, Bilingual> = {
  productQuality: {
    zh: '您对我公司产品质量（外观、尺寸、性能）的满意程度',
    en: 'How satisfied are you with the quality of our products (finish, dimensions, performance)?',
  },
  delivery: {
    zh: '您对我公司按合同约定时间、数量交货的满意程度',
    en: 'How satisfied are you with delivery on the agreed date and in the agreed quantity?',
  },
  documents: {
    zh: '您对随货单证（送货单、发票、质量证明书等）齐全、准确的满意程度',
    en: 'How satisfied are you with the documents (delivery notes, invoices, quality certificates)?',
  },
  goodsAccuracy: {
    zh: '您对所交货物与合同、订单相符（无货不对板）的满意程度',
    en: 'How satisfied are you that the goods matched the contract and order?',
  },
  afterSalesService: {
    zh: '您对我公司售后服务（答复、技术支持、上门服务、投诉处理）的满意程度',
    en: 'How satisfied are you with our after-sales service (answers, technical support, on-site service, complaint handling)?',
  },
  overall: {
    zh: '总体而言，您对我公司的满意程度',
    en: 'Overall, how satisfied are you with us?',
  },
};

export const ratingLabels: Record<Rating, Bilingual> = {
  1: { zh: '很不满意', en: 'Very dissatisfied' },
  2: { zh: '不满意', en: 'Dissatisfied' },
  3: { zh: '一般', en: 'Neutral' },
  4: { zh: '满意', en: 'Satisfied' },
  5: { zh: '很满意', en: 'Very satisfied' },
};

export const recommendQuestion: Bilingual = {
  zh: '您向同行或合作伙伴推荐我公司的可能性有多大？（0 = 完全不可能，10 = 极有可能）',
  en: 'How likely are you to recommend us to a colleague or business partner? (0 = not at all likely, 10 = extremely likely)',
};

export const suggestionsQuestion: Bilingual = {
  zh: '您对我公司产品质量、合同履行和售后服务的意见和建议',
  en: 'Your comments and suggestions on our products, contract performance and after-sales service',
};

export const surveyTitle: Bilingual = {
  zh: '用户满意情况调查表',
  en: 'Customer satisfaction survey',
};

/** NPS groups: promoters answer 9–10, passives 7–8, detractors 0–6. */
export type RecommendGroup = 'promoter' | 'passive' | 'detractor';

export function recommendGroup(score: RecommendScore): RecommendGroup {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

export const recommendGroupLabels: Record<RecommendGroup, Bilingual> = {
  promoter: { zh: '推荐者（9–10）', en: 'Promoters (9–10)' },
  passive: { zh: '被动者（7–8）', en: 'Passives (7–8)' },
  detractor: { zh: '贬损者（0–6）', en: 'Detractors (0–6)' },
};

/** One survey per customer and year: the customer is its email address, as mail systems compare it. */
export function surveyCustomerKey(email: string): string {
  return email.trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// The campaign's clock

export interface SurveySchedule {
  /** Days from the start of the campaign until it closes. */
  openDays: number;
  /** At most this many reminders per customer. */
  maxReminders: number;
  /** At least this many days between two mails to one customer (invitation or reminder). */
  reminderIntervalDays: number;
}

export const defaultSurveySchedule: SurveySchedule = {
  openDays: 30,
  maxReminders: 2,
  reminderIntervalDays: 7,
};

/** What is wrong with a schedule, in words for an operator; empty when it is usable. */
export function surveyScheduleProblems(schedule: SurveySchedule): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(schedule.openDays) || schedule.openDays < 1 || schedule.openDays > 366) {
    problems.push('openDays must be a whole number of days from 1 to 366');
  }
  if (
    !Number.isInteger(schedule.maxReminders) ||
    schedule.maxReminders < 0 ||
    schedule.maxReminders > 10
  ) {
    problems.push('maxReminders must be a whole number from 0 to 10');
  }
  if (
    !Number.isFinite(schedule.reminderIntervalDays) ||
    schedule.reminderIntervalDays <= 0 ||
    schedule.reminderIntervalDays > 366
  ) {
    problems.push('reminderIntervalDays must be more than 0 and at most 366');
  }
  return problems;
}

const dayMs = 86_400_000;

function instant(value: string | Date, what: string): number {
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`${what} is not a valid time: ${String(value)}`);
  return time;
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * dayMs);
}

/** When a campaign runs: the survey year is the business year (China time) it starts in. */
export interface CampaignWindow {
  year: number;
  openedAt: string;
  closesAt: string;
}

export function campaignWindow(now: Date, schedule: SurveySchedule): CampaignWindow {
  return {
    year: businessYear(now),
    openedAt: now.toISOString(),
    closesAt: addDays(now, schedule.openDays).toISOString(),
  };
}

export type CampaignState = 'open' | 'closed';

/** Open until `closesAt` (exclusive), or until it was closed by hand (`closedAt`). */
export function campaignState(
  campaign: { closesAt: string; closedAt?: string },
  now: Date,
): CampaignState {
  if (campaign.closedAt !== undefined) return 'closed';
  return now.getTime() < instant(campaign.closesAt, 'closesAt') ? 'open' : 'closed';
}

export function isCampaignOpen(campaign: { closesAt: string; closedAt?: string }, now: Date) {
  return campaignState(campaign, now) === 'open';
}

/** The close job's question: has the period ended without the campaign being closed yet? */
export function campaignDueToClose(
  campaign: { closesAt: string; closedAt?: string },
  now: Date,
): boolean {
  return campaign.closedAt === undefined && campaignState(campaign, now) === 'closed';
}

/** Where one customer's invitation stands, as far as reminders care. */
export interface InvitationProgress {
  /** When the invitation went out; absent while queued or when it could not be delivered. */
  sentAt?: string;
  answeredAt?: string;
  remindersSent: number;
  lastReminderAt?: string;
}

export type ReminderSkipReason =
  | 'campaign_closed'
  | 'not_sent'
  | 'answered'
  | 'limit_reached'
  | 'too_soon';

export type ReminderDecision =
  | { send: true; reminderNumber: number }
  | { send: false; reason: ReminderSkipReason; notBefore?: string };

/**
 * Whether to remind a customer now: only while the campaign is open, only after the
 * invitation went out, never after an answer, at most `maxReminders` times, and at least
 * `reminderIntervalDays` after the previous mail (the invitation or the last reminder).
 */
export function reminderDecision(
  invitation: InvitationProgress,
  campaign: { closesAt: string; closedAt?: string },
  schedule: SurveySchedule,
  now: Date,
): ReminderDecision {
  if (invitation.answeredAt !== undefined) return { send: false, reason: 'answered' };
  if (!isCampaignOpen(campaign, now)) return { send: false, reason: 'campaign_closed' };
  if (invitation.sentAt === undefined) return { send: false, reason: 'not_sent' };
  if (invitation.remindersSent >= schedule.maxReminders) {
    return { send: false, reason: 'limit_reached' };
  }
  const previous = invitation.lastReminderAt ?? invitation.sentAt;
  const earliest = instant(previous, 'previous mail') + schedule.reminderIntervalDays * dayMs;
  if (now.getTime() < earliest) {
    return { send: false, reason: 'too_soon', notBefore: new Date(earliest).toISOString() };
  }
  return { send: true, reminderNumber: invitation.remindersSent + 1 };
}
