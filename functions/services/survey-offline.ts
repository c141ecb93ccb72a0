/**
 * The survey by phone, fax and post: the campaign lists these customers (one invitation
 * each, with the code printed on their form, and no mail); staff find a customer's survey
 * by name, company or code and enter the answer taken by phone or from a returned form.
 * One answer per customer and year, whichever channel brings it first.
 */
import { offlineSurveyCustomers } from '#functions/data/customers.ts';
import {
  countOnCampaign,
  createInvitation,
  getCampaign,
  getInvitation,
  invitationsOf,
  recordEnteredAnswer,
  type SurveyInvitation,
} from '#functions/data/surveys.ts';
import type { DepartmentCode } from '#functions/domain/departments.ts';
import { ownerFor } from '#functions/domain/routing.ts';
import { isCampaignOpen, type SurveyAnswer } from '#functions/domain/survey.ts';
import {
  isOfflineChannel,
  normaliseSurveyCode,
  type SurveyChannel,
  surveyCode,
} from '#functions/domain/survey-channels.ts';
import { errorFields, log } from '#functions/shared/log.ts';

const pageSize = 100;

/** Lists every phone, fax and post customer in the year's survey; idempotent (one invitation each). */
export async function inviteOfflineCustomers(year: number, now: Date): Promise<number> {
  let created = 0;
  let next: Record<string, unknown> | undefined;
  do {
    const page = await offlineSurveyCustomers(pageSize, next);
    for (const customer of page.customers) {
      if (!isOfflineChannel(customer.surveyChannel)) continue;
      const invitation: SurveyInvitation = {
        year,
        email: customer.email,
        market: customer.market,
        region: customer.region,
        language: customer.language,
        createdAt: now.toISOString(),
        remindersSent: 0,
        channel: customer.surveyChannel,
        code: surveyCode(year, customer.email),
        surveyChannel: customer.surveyChannel,
      };
      if (customer.name !== undefined) invitation.name = customer.name;
      if (customer.company !== undefined) invitation.company = customer.company;
      if (customer.phone !== undefined) invitation.phone = customer.phone;
      if (customer.fax !== undefined) invitation.fax = customer.fax;
      if (customer.postalAddress !== undefined) invitation.postalAddress = customer.postalAddress;
      if (await createInvitation(invitation)) created++;
    }
    next = page.next;
  } while (next);
  if (created > 0) log.info('survey by phone, fax and post listed', { count: created });
  return created;
}

/** The department that surveys a customer: the owner of their market (`sales`, `export`). */
export function surveyingDepartment(invitation: Pick<SurveyInvitation, 'market'>): DepartmentCode {
  return ownerFor(invitation.market);
}

/** May these roles see and enter this customer's survey? gm and office all, owners their own. */
export function maySurvey(
  roles: readonly DepartmentCode[],
  invitation: Pick<SurveyInvitation, 'market'>,
): boolean {
  return (
    roles.includes('gm') ||
    roles.includes('office') ||
    roles.includes(surveyingDepartment(invitation))
  );
}

/**
 * The year's surveys matching a name, company, email or code (case-insensitive; a code
 * matches however it is typed), within what the roles may see. One Query of the year's
 * partition: the survey has one invitation per customer, a few thousand at most.
 */
export async function findSurveys(
  year: number,
  query: string,
  roles: readonly DepartmentCode[],
  limit = 50,
): Promise<SurveyInvitation[]> {
  const needle = query.trim().toLowerCase();
  const code = normaliseSurveyCode(query);
  const found = (await invitationsOf(year)).filter((invitation) => {
    if (!maySurvey(roles, invitation)) return false;
    if (needle === '') return true;
    if (invitation.code && code.length >= 4 && normaliseSurveyCode(invitation.code).includes(code))
      return true;
    return [invitation.name, invitation.company, invitation.email].some((value) =>
      value?.toLowerCase().includes(needle),
    );
  });
  return found.slice(0, limit);
}

/** The phone, fax and post surveys of one department, by company then name. */
export async function offlineSurveysOf(
  year: number,
  department: DepartmentCode,
): Promise<SurveyInvitation[]> {
  return (await invitationsOf(year))
    .filter((invitation) => invitation.channel && surveyingDepartment(invitation) === department)
    .sort((a, b) =>
      `${a.company ?? ''}\u0000${a.name ?? ''}`.localeCompare(
        `${b.company ?? ''}\u0000${b.name ?? ''}`,
        'zh',
      ),
    );
}

export type EntryOutcome =
  | { outcome: 'recorded'; invitation: SurveyInvitation }
  | { outcome: 'already_answered'; answeredAt: string; channel: SurveyChannel }
  | { outcome: 'not_in_survey' }
  | { outcome: 'hidden' }
  | { outcome: 'closed' };

/** Records an answer staff took by phone or from a returned form (or an email customer's call). */
export async function enterSurveyAnswer(entry: {
  year: number;
  email: string;
  answer: SurveyAnswer;
  channel: SurveyChannel;
  enteredBy: { email: string; name: string; roles: readonly DepartmentCode[] };
  now: Date;
}): Promise<EntryOutcome> {
  const invitation = await getInvitation(entry.year, entry.email);
  if (!invitation) return { outcome: 'not_in_survey' };
  if (!maySurvey(entry.enteredBy.roles, invitation)) return { outcome: 'hidden' };
  if (invitation.answeredAt) return alreadyAnswered(invitation);
  const campaign = await getCampaign(entry.year);
  if (!campaign || !isCampaignOpen(campaign, entry.now)) return { outcome: 'closed' };
  const recorded = await recordEnteredAnswer(
    entry.year,
    invitation.email,
    {
      answer: entry.answer,
      channel: entry.channel,
      enteredBy: { email: entry.enteredBy.email, name: entry.enteredBy.name },
    },
    entry.now.toISOString(),
  );
  if (!recorded) {
    // Someone (the customer's link, or a colleague) answered between our read and our write.
    const winner = await getInvitation(entry.year, entry.email);
    return winner ? alreadyAnswered(winner) : { outcome: 'not_in_survey' };
  }
  try {
    await countOnCampaign(entry.year, 'responded');
  } catch (error) {
    log.warn('survey answer entered; its count did not finish', errorFields(error));
  }
  log.info('survey answer entered by staff', { count: 1 });
  return { outcome: 'recorded', invitation };
}

function alreadyAnswered(invitation: SurveyInvitation): EntryOutcome {
  return {
    outcome: 'already_answered',
    answeredAt: invitation.answeredAt ?? '',
    channel: invitation.answerChannel ?? 'email',
  };
}
