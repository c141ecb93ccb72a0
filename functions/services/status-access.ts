/**
 * Status links that carry a per-complaint access token (`?access=`, 32 random bytes) rather
 * than the customer's address: a link forwarded, logged or kept in a browser's history no
 * longer names the customer. The token's digest is stored on the complaint; the old
 * `?email=` lookup keeps working for the public contract.
 */
import { createHash } from 'node:crypto';
import { findComplaintByReference, getComplaint } from '#functions/data/complaints.ts';
import { addStatusAccessDigest } from '#functions/data/status-access.ts';
import { type Complaint, isReference } from '#functions/domain/complaint.ts';
import {
  issueSurveyToken,
  isWellFormedSurveyToken,
  surveyTokenDigest,
  surveyTokenMatches,
} from '#functions/domain/survey-token.ts';
import { publicUrl } from '#functions/shared/links.ts';

/** A fresh status link for the complaint; without a token if it holds the most it may. */
export async function statusLinkFor(complaintId: string, reference: string): Promise<string> {
  // The expiry is not used: a status link lives as long as its complaint.
  const token = issueSurveyToken(new Date(0));
  const path = `/complaints/${encodeURIComponent(reference)}`;
  return (await addStatusAccessDigest(complaintId, token.digest))
    ? publicUrl(path, { access: token.token })
    : publicUrl(path);
}

/**
 * The JSON answer's status link: its token is derived from the complaint's id (the
 * submitter's receipt, a random UUID only the submitter is told), so a retry with the same
 * Idempotency-Key gets the same answer; only the token's digest is stored.
 */
export async function answerStatusLinkFor(complaintId: string, reference: string) {
  const token = createHash('sha256')
    .update(`aftercare-status-access\n${complaintId}`, 'utf8')
    .digest('base64url');
  const digest = surveyTokenDigest(token);
  const path = `/complaints/${encodeURIComponent(reference)}`;
  const kept =
    (await addStatusAccessDigest(complaintId, digest)) ||
    ((await getComplaint(complaintId))?.statusAccessDigests ?? []).includes(digest);
  return kept ? publicUrl(path, { access: token }) : publicUrl(path);
}

/** Does `token` open this complaint's status? Compared in constant time against each digest. */
export function accessMatches(token: string, digests: readonly string[] | undefined): boolean {
  if (!isWellFormedSurveyToken(token) || !digests) return false;
  let matched = false;
  for (const digest of digests) matched = surveyTokenMatches(token, digest) || matched;
  return matched;
}

/** The status link from a mail or the JSON answer: the complaint's own access token. */
export async function complaintByAccess(
  reference: string,
  access: string,
): Promise<Complaint | undefined> {
  if (!isReference(reference)) return undefined;
  const found = await findComplaintByReference(reference);
  if (!found) return undefined;
  if (accessMatches(access, found.statusAccessDigests)) return found;
  // The index may not have the newest token yet (a link handed out a moment ago).
  const fresh = await getComplaint(found.id);
  return fresh && accessMatches(access, fresh.statusAccessDigests) ? fresh : undefined;
}
