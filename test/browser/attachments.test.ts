/**
 * A customer adds photos after filing, JavaScript off: the form posts straight to S3 (fauxqs
 * here), S3 sends the browser back, and the file is checked before it is recorded.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { listAttachments } from '#functions/data/attachments.ts';
import { findComplaintByReference } from '#functions/data/complaints.ts';
import { attachmentDownloadLink } from '#functions/services/attachments.ts';
import { s3Client } from '#functions/shared/aws/s3.ts';
import { localAttachmentsBucket } from '#infra/local/host.ts';
import { skipBrowserTests, useChromium } from '#test/support/browser.ts';
import { postForm, useTestHost } from '#test/support/local-host.ts';

const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  Buffer.alloc(2048, 7),
]);

describe.skipIf(skipBrowserTests)('photos and documents', () => {
  const host = useTestHost();
  const browser = useChromium();

  it('uploads a photo to S3 without JavaScript, checks it and records it once', async () => {
    const response = await postForm(host(), '/complaints', {
      language: 'en',
      'customer.name': 'Jonas Weber',
      'customer.email': 'jonas.weber@kunde.example',
      'customer.market': 'export',
      'customer.region': 'Germany',
      category: 'quality',
      subject: 'Oxide film peeling',
      description: 'Batch 2026-140: the anodised film peels at the corners.',
    });
    const thanks = new URL(response.headers.get('location') ?? '', `${host().url}/complaints`);
    const reference = thanks.searchParams.get('reference') ?? '';
    const dir = host().dataDir;
    await writeFile(join(dir, 'corner.jpg'), jpeg);
    await writeFile(join(dir, 'report.pdf'), 'not really a PDF');

    const context = await browser().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(thanks.href);
    await Promise.all([
      page.waitForURL(/\/attachments\?/),
      page.click('text=Add photos or documents'),
    ]);
    expect(await page.textContent('body')).toContain('No files yet.');

    await page.setInputFiles('#file', join(dir, 'corner.jpg'));
    await Promise.all([page.waitForURL(/result=recorded/), page.click('button[type=submit]')]);
    expect(await page.textContent('[role=status]')).toContain('we have the file');
    expect(await page.textContent('main ul')).toContain('corner.jpg');

    // A reload after the redirect records nothing twice.
    await page.reload();
    await page.setInputFiles('#file', join(dir, 'report.pdf'));
    await Promise.all([page.waitForURL(/result=wrong_type/), page.click('button[type=submit]')]);
    expect(await page.textContent('[role=alert]')).toContain('must match the file name');

    const complaint = await findComplaintByReference(reference);
    if (!complaint) throw new Error('complaint not found');
    const files = await listAttachments(complaint.id);
    expect(files.map((file) => [file.name, file.type, file.size])).toEqual([
      ['corner.jpg', 'image/jpeg', jpeg.length],
    ]);
    // Kept under the complaint, with the type its content shows; the refused one is gone.
    const kept = await s3Client().send(
      new GetObjectCommand({ Bucket: localAttachmentsBucket, Key: files[0]?.key ?? '' }),
    );
    expect(Buffer.from((await kept.Body?.transformToByteArray()) ?? [])).toEqual(jpeg);
    expect(files[0]?.key.startsWith(`complaints/${complaint.id}/`)).toBe(true);
    await expect(
      s3Client().send(
        new HeadObjectCommand({
          Bucket: localAttachmentsBucket,
          Key: files[0]?.key.replace('complaints/', 'incoming/') ?? '',
        }),
      ),
    ).rejects.toThrow();

    // Staff get a short-lived link to the file (for the console), and only to a recorded one.
    const link = await attachmentDownloadLink(complaint.id, files[0]?.uploadId ?? '');
    expect(link).toMatch(/X-Amz-Expires=300/);
    const download = await fetch(link ?? '');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(jpeg);
    expect(await attachmentDownloadLink(complaint.id, crypto.randomUUID())).toBeUndefined();

    // The status page lists the file, and the way to add more.
    await Promise.all([page.waitForURL(/\/status\?/), page.click('text=Done: see the status')]);
    expect(await page.textContent('main')).toContain('corner.jpg');
    expect(await page.locator('a[href*="attachments?"]').count()).toBe(1);
    await context.close();
  });

  it('refuses the upload page without the receipt', async () => {
    const answer = await fetch(`${host().url}/attachments?reference=FB-2026-000001`);
    expect(answer.status).toBe(404);
    expect(await answer.text()).not.toContain('type="file"');
  });
});
