/**
 * Erasing one person's data on request (PIPL art. 47, GDPR art. 17): their complaints keep
 * what the statistics need (category, market, region, dates, handling) under a pseudonym,
 * with their details and their own words replaced (on the complaint, its queue rows and its
 * register row); their files, registry entry (with the days of its last acknowledgements)
 * and survey mail markers are deleted; their survey answers keep the ratings
 * under the pseudonym, without the written suggestion. Each complaint's history records
 * that it was done and by whom. A dry run lists the same and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import { recordHistoryEvent } from '#functions/data/history.ts';
import { keys } from '#functions/data/keys.ts';
import {
  anonymiseAssignment,
  anonymiseComplaint,
  anonymiseDescription,
  complaintsFiledBy,
  deleteItem,
  erasedText,
  getItem,
  itemExists,
  keysUnder,
  putIfAbsent,
  readdressMarker,
} from '#functions/data/privacy.ts';
import { s3Client } from '#functions/shared/aws/s3.ts';
import { businessYear } from '#functions/shared/clock.ts';
import { environmentNames } from '#functions/wiring.ts';
import { syncRegisterRow } from './register.ts';

export interface ErasePlan {
  email: string;
  complaints: { id: string; reference: string; files: number }[];
  registryEntry: boolean;
  surveyYears: number[];
  surveyMailMarkers: number;
}

export interface EraseOptions {
  email: string;
  /** Who asked for it to be done: written to each complaint's history. */
  by: string;
  dryRun: boolean;
  now: Date;
}

/** Survey years looked at: this one and the ten before (invitations are kept per year). */
const surveyYearsBack = 10;

export async function erasePersonalData(options: EraseOptions): Promise<ErasePlan> {
  const email = options.email.trim().toLowerCase();
  const { now } = options;
  const at = now.toISOString();
  const plan = await planErasure(email, now);
  if (options.dryRun) return plan;

  // One pseudonym per request: the person's complaints and answers still count as one
  // customer's, but nothing leads back to the address.
  const pseudonym = `erased-${randomUUID()}@erased.invalid`;
  for (const complaint of plan.complaints) {
    await deleteFiles(complaint.id);
    for (const key of await keysUnder(keys.complaintPartition(complaint.id), 'ATTACHMENT#')) {
      await deleteItem(key);
    }
    // The acknowledgement's exactly-once marker keeps the address it went to.
    for (const key of await keysUnder(keys.complaintPartition(complaint.id), 'NOTIFICATION#')) {
      await readdressMarker(key, email, pseudonym);
    }
    const stored = await getItem(keys.complaint(complaint.id));
    const customer = z.safeParse(
      z.object({ market: z.enum(['domestic', 'export']), region: z.string() }),
      stored?.customer,
    );
    if (!customer.success) continue;
    await anonymiseDescription(complaint.id);
    await anonymiseComplaint(
      complaint.id,
      { name: erasedText, email: pseudonym, ...customer.data },
      at,
    );
    // The queue rows: the departments' assignment items, and the register row (the name, the
    // company, the subject; the GM's queue row) written again from the anonymised complaint.
    for (const key of await keysUnder(keys.complaintPartition(complaint.id), 'ASSIGNMENT#')) {
      await anonymiseAssignment(key);
    }
    if (stored?.routing !== undefined) await syncRegisterRow(complaint.id);
    await recordHistoryEvent(complaint.id, {
      type: 'personal_data_erased',
      at,
      actor: options.by,
      details: { files: complaint.files },
    });
  }
  if (plan.registryEntry) await deleteItem(keys.customer(email));
  for (const year of plan.surveyYears) await anonymiseInvitation(year, email, pseudonym);
  for (const year of plan.surveyYears) {
    for (const key of await keysUnder(`SURVEY#${year}`, `MAIL#${email}#`)) await deleteItem(key);
  }
  return plan;
}

async function planErasure(email: string, now: Date): Promise<ErasePlan> {
  const complaints = [];
  for (const complaint of await complaintsFiledBy(email)) {
    const files = await keysUnder(keys.complaintPartition(complaint.id), 'ATTACHMENT#');
    complaints.push({ ...complaint, files: files.length });
  }
  const year = businessYear(now);
  const years = Array.from({ length: surveyYearsBack + 1 }, (_, back) => year - back);
  const surveyYears = [];
  let surveyMailMarkers = 0;
  for (const candidate of years) {
    if (await itemExists(keys.surveyInvitation(candidate, email))) surveyYears.push(candidate);
    surveyMailMarkers += (await keysUnder(`SURVEY#${candidate}`, `MAIL#${email}#`)).length;
  }
  return {
    email,
    complaints,
    registryEntry: await itemExists(keys.customer(email)),
    surveyYears,
    surveyMailMarkers,
  };
}

const invitationFields = z.object({
  year: z.number(),
  market: z.string(),
  region: z.string(),
  language: z.string(),
  createdAt: z.string(),
  remindersSent: z.optional(z.number()),
  sentAt: z.optional(z.string()),
  answeredAt: z.optional(z.string()),
  // How the customer was surveyed and answered names no one; the report's channel split needs it.
  channel: z.optional(z.enum(['phone', 'fax', 'post'])),
  answerChannel: z.optional(z.enum(['email', 'phone', 'fax', 'post'])),
  answer: z.optional(
    z.object({ ratings: z.record(z.string(), z.number()), recommend: z.number() }),
  ),
});

/** The invitation moves to the pseudonym, keeping the ratings and dropping name and words. */
async function anonymiseInvitation(year: number, email: string, pseudonym: string) {
  const original = keys.surveyInvitation(year, email);
  const parsed = z.safeParse(invitationFields, await getItem(original));
  if (parsed.success) {
    await putIfAbsent({
      ...keys.surveyInvitation(year, pseudonym),
      ...parsed.data,
      remindersSent: parsed.data.remindersSent ?? 0,
      email: pseudonym,
    });
  }
  await deleteItem(original);
}

/** Every object (and, on a versioned bucket, every version) of the complaint's files. */
async function deleteFiles(complaintId: string): Promise<void> {
  const bucket = process.env[environmentNames.attachmentsBucket];
  if (!bucket) throw new Error(`Set ${environmentNames.attachmentsBucket} to erase files`);
  for (const prefix of [`complaints/${complaintId}/`, `incoming/${complaintId}/`]) {
    const listed = await s3Client().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }),
    );
    for (const object of listed.Contents ?? []) {
      if (object.Key) {
        await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
      }
    }
    // The bucket is versioned on AWS: a deleted object's earlier versions go too. (The S3
    // stand-in keeps no versions and answers with none.)
    const versions = await s3Client().send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }),
    );
    for (const version of [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]) {
      if (version.Key && version.VersionId) {
        await s3Client().send(
          new DeleteObjectCommand({
            Bucket: bucket,
            Key: version.Key,
            VersionId: version.VersionId,
          }),
        );
      }
    }
  }
}
