/**
 * Status links that carry a per-complaint access token (`?access=`, 32 random bytes) rather
 * than the customer's address: a link forwarded, logged or kept in a browser's history no
 * longer names the customer. Only the token's digest is stored: the JSON answer's with the
 * complaint, a mail's on that mail's send-once marker; the old `?email=` lookup keeps
 * working for the public contract.
 */
import { createHash } from 'node:crypto';
import { findComplaintByReference, getComplaint } from '#functions/data/complaints.ts';
import { addStatusAccessDigest, mailStatusAccessDigests } from '#functions/data/status-access.ts';
import { type Complaint, isReference } from '#functions/domain/complaint.ts';
import {
  issueSurveyToken,
  isWellFormedSurveyToken,
  surveyTokenDigest,
  surveyTokenMatches,
} from '#functions/domain/survey-token.ts';
import { publicUrl } from '#functions/shared/links.ts';

/** A mail's status link, and the digest of its token for the mail's marker to keep. */
export interface StatusLink {
  url: string;
  digest: string;
}

/**
 * A fresh status link for a mail: nothing is written here; the digest goes on the mail's
 * marker with its claim (`sendOnce`'s `statusAccessDigest`), so only a mail really sent
 * under that claim carries a link that opens.
 */
export function issueStatusLink(reference: string): StatusLink {
  // The expiry is not used: a status link lives as long as its complaint.
  const token = issueSurveyToken(new Date(0));
  return {
    url: publicUrl(`/complaints/${encodeURIComponent(reference)}`, { access: token.token }),
    digest: token.digest,
  };
}

/**
 * The JSON answer's status link: its token is derived from the complaint's id (the
 * submitter's receipt, a random UUID only the submitter is told), so a retry with the same
 * Idempotency-Key gets the same answer; only the token's digest is stored. Intake stores it
 * with the complaint (`answerAccessDigest`): pass the digests the complaint was read or
 * written with, and the link costs no write of its own.
 */
export async function answerStatusLinkFor(
  complaintId: string,
  reference: string,
  storedDigests: readonly string[] = [],
) {
  const token = answerAccessToken(complaintId);
  const digest = surveyTokenDigest(token);
  const path = `/complaints/${encodeURIComponent(reference)}`;
  const kept =
    storedDigests.includes(digest) ||
    (await addStatusAccessDigest(complaintId, digest)) ||
    ((await getComplaint(complaintId))?.statusAccessDigests ?? []).includes(digest);
  return kept ? publicUrl(path, { access: token }) : publicUrl(path);
}

function answerAccessToken(complaintId: string): string {
  return createHash('sha256')
    .update(`aftercare-status-access\n${complaintId}`, 'utf8')
    .digest('base64url');
}

/** The digest of the JSON answer's access token, for intake to store with the complaint. */
export function answerAccessDigest(complaintId: string): string {
  return surveyTokenDigest(answerAccessToken(complaintId));
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
  if (!fresh) return undefined;
  if (accessMatches(access, fresh.statusAccessDigests)) return fresh;
  // A mail's link: its digest is on the mail's marker.
  return accessMatches(access, await mailStatusAccessDigests(found.id)) ? fresh : undefined;
}
