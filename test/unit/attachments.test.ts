import { describe, expect, it } from 'vitest';
import {
  displayName,
  judgeUpload,
  maxAttachmentBytes,
  parseIncomingKey,
  sniffedType,
} from '#functions/domain/attachments.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));
const id = '0b6f2c1e-1111-4222-8333-944455556666';
const upload = '7d2b3a4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';

describe('uploads', () => {
  it('tells the four types by their first bytes', () => {
    expect(sniffedType(bytes(0xff, 0xd8, 0xff, 0xe1))).toBe('image/jpeg');
    expect(sniffedType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
    expect(sniffedType(ascii('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffedType(ascii('\0\0\0\x18ftypheic\0\0\0\0'))).toBe('image/heic');
    expect(sniffedType(ascii('\0\0\0\x18ftypisom'))).toBeUndefined();
    expect(sniffedType(ascii('<html>'))).toBeUndefined();
  });

  it('keeps a file only when its size fits and its content matches its name', () => {
    const jpeg = bytes(0xff, 0xd8, 0xff, 0xe0);
    expect(judgeUpload('Corner.JPG', 2048, jpeg)).toEqual({ ok: true, type: 'image/jpeg' });
    expect(judgeUpload('corner.png', 2048, jpeg)).toEqual({ ok: false, reason: 'wrong_type' });
    expect(judgeUpload('corner.exe', 2048, jpeg)).toEqual({ ok: false, reason: 'wrong_type' });
    expect(judgeUpload('corner.jpg', 0, jpeg)).toEqual({ ok: false, reason: 'empty' });
    expect(judgeUpload('corner.jpg', maxAttachmentBytes + 1, jpeg)).toEqual({
      ok: false,
      reason: 'too_large',
    });
  });

  it('accepts only keys under the complaint’s own incoming folder', () => {
    expect(parseIncomingKey(id, `incoming/${id}/${upload}/corner.jpg`)).toEqual({
      uploadId: upload,
      filename: 'corner.jpg',
    });
    expect(parseIncomingKey(id, `incoming/other/${upload}/corner.jpg`)).toBeUndefined();
    expect(parseIncomingKey(id, `complaints/${id}/${upload}/corner.jpg`)).toBeUndefined();
    expect(parseIncomingKey(id, `incoming/${id}/not-a-uuid/corner.jpg`)).toBeUndefined();
    expect(parseIncomingKey(id, `incoming/${id}/${upload}/a/b.jpg`)).toBeUndefined();
  });

  it('shows names without control characters, shortened', () => {
    expect(displayName('a\u0007b.jpg')).toBe('ab.jpg');
    expect(displayName(`${'x'.repeat(200)}.jpg`)).toHaveLength(120);
  });
});
