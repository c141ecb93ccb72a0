/**
 * Photos and documents a customer adds to a complaint: up to five files of at most 10 MB,
 * JPEG, PNG, HEIC or PDF. Browsers post them straight to S3 (a presigned POST under the
 * complaint's `incoming/` prefix); what S3 holds is checked again when the upload is recorded
 * (size, and its first bytes against the type its name declares), because S3 stand-ins do not
 * enforce POST policies and a name is only a claim.
 */

export const maxAttachments = 5;
export const maxAttachmentBytes = 10 * 1024 * 1024;
/** Uploads never recorded are removed by the bucket's lifecycle rule after this many days. */
export const incomingExpiryDays = 1;

export const attachmentTypes = [
  'image/jpeg',
  'image/png',
  'image/heic',
  'application/pdf',
] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

const typeByExtension: Record<string, AttachmentType> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  heic: 'image/heic',
  heif: 'image/heic',
  pdf: 'application/pdf',
};

/** The `accept` attribute of the file input. */
export const acceptedFiles =
  '.jpg,.jpeg,.png,.heic,.heif,.pdf,image/jpeg,image/png,image/heic,application/pdf';

export function declaredType(filename: string): AttachmentType | undefined {
  const extension = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return extension ? typeByExtension[extension] : undefined;
}

const heifBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** The type the first bytes show, or undefined for anything else. */
export function sniffedType(head: Uint8Array): AttachmentType | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && ascii(4, 8) === 'ftyp' && heifBrands.has(ascii(8, 12))) {
    return 'image/heic';
  }
  return undefined;
}

export type UploadVerdict =
  | { ok: true; type: AttachmentType }
  | { ok: false; reason: 'empty' | 'too_large' | 'wrong_type' };

/** Whether an uploaded object may be kept, from its size, its name and its first bytes. */
export function judgeUpload(filename: string, size: number, head: Uint8Array): UploadVerdict {
  if (size <= 0) return { ok: false, reason: 'empty' };
  if (size > maxAttachmentBytes) return { ok: false, reason: 'too_large' };
  const declared = declaredType(filename);
  if (!declared || sniffedType(head) !== declared) return { ok: false, reason: 'wrong_type' };
  return { ok: true, type: declared };
}

/** Where a browser uploads: one folder per upload, the browser's file name inside it. */
export function incomingPrefix(complaintId: string, uploadId: string): string {
  return `incoming/${complaintId}/${uploadId}/`;
}

/** Where a recorded file lives for good. */
export function attachmentKey(complaintId: string, uploadId: string, filename: string): string {
  return `complaints/${complaintId}/${uploadId}/${filename}`;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The upload a key S3 sent back names, if it is one of this complaint's incoming uploads. */
export function parseIncomingKey(
  complaintId: string,
  key: string,
): { uploadId: string; filename: string } | undefined {
  const prefix = `incoming/${complaintId}/`;
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  const slash = rest.indexOf('/');
  const uploadId = rest.slice(0, slash);
  const filename = rest.slice(slash + 1);
  if (slash < 0 || !uuid.test(uploadId) || !filename || filename.includes('/')) return undefined;
  return { uploadId, filename };
}

/** A file name fit to show and store: no control characters, at most 120 characters. */
export function displayName(filename: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const cleaned = filename.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned.length > 120 ? `…${cleaned.slice(-119)}` : cleaned;
}
