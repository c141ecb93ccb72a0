/**
 * The receipt: the complaint's id, which only the submitter's redirect after the form post
 * carries. With the reference it confirms the complaint and lets files be added to it; a
 * reference alone (existing or not) gets nothing, so references cannot be probed.
 */
import { timingSafeEqual } from 'node:crypto';
import { findComplaintByReference } from '#functions/data/complaints.ts';
import { type Complaint, isReference, sameEmail } from '#functions/domain/complaint.ts';

export async function complaintByReceipt(
  reference: string,
  receipt: string,
): Promise<Complaint | undefined> {
  if (!isReference(reference) || !receipt) return undefined;
  const complaint = await findComplaintByReference(reference);
  return complaint && sameSecret(complaint.id, receipt) ? complaint : undefined;
}

/**
 * The complaint `reference` names, if `email` filed it. A complaint keyed in without an
 * address has no public status: nobody can prove it is theirs.
 */
export async function complaintFiledBy(
  reference: string,
  email: string,
): Promise<Complaint | undefined> {
  if (!isReference(reference) || !email) return undefined;
  const complaint = await findComplaintByReference(reference);
  return complaint?.customer.email && sameEmail(complaint.customer.email, email)
    ? complaint
    : undefined;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
