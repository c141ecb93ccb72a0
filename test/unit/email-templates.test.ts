/** The email templates: both languages, both parts, and every value escaped in HTML. */
import { describe, expect, it } from 'vitest';
import type { Complaint } from '#functions/domain/complaint.ts';
import { decideRouting, defaultRoutingPolicy } from '#functions/domain/routing.ts';
import { acknowledgementEmail, alertEmail, oneLine } from '#functions/email/templates.ts';

const hostile = '<script>alert("x")</script> & \'quotes\'';

function complaint(overrides: Partial<Complaint> = {}): Complaint {
  const base: Complaint = {
    id: 'c-1',
    reference: 'FB-2026-000123',
    status: 'routed',
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-02T01:00:05.000Z',
    channel: 'web',
    language: 'zh',
    category: 'quality',
    customer: {
      name: '李明',
      company: '华南门窗有限公司',
      email: 'li.ming@customer.example',
      phone: '+86 20 1234 5678',
      market: 'domestic',
      region: 'CN-GD',
    },
    subject: '6063 型材表面氧化膜脱落',
    description: '第 2026-118 批次到货后发现氧化膜局部脱落。\n影响安装。',
    order: { contractNo: 'HT-2026-042', batchNo: '2026-118' },
    claim: { type: 'compensation', amount: 1200.5, currency: 'CNY' },
    ...overrides,
  };
  const { decision, assessment } = decideRouting(
    base,
    { policy: defaultRoutingPolicy, outlets: [] },
    new Date('2026-03-02T01:00:05.000Z'),
  );
  return { ...base, routing: decision, assessment, ...overrides };
}

const statusUrl =
  'https://complaints.example.com/complaints/FB-2026-000123?access=dGhpcy1pcy1hLXRlc3QtdG9rZW4tb2YtNDMtY2hhcnM';
const privacyUrl = 'https://complaints.example.com/privacy?lang=zh';

describe('the acknowledgement', () => {
  it('is in Chinese for zh: reference in the subject, what happens next, the status link', () => {
    const email = acknowledgementEmail({ complaint: complaint(), statusUrl, privacyUrl });
    expect(email.subject).toBe('您的意见已受理（FB-2026-000123）');
    expect(email.text).toContain('您好：');
    expect(email.text).toContain('经营部负责处理');
    // High severity (a compensation claim): answered within 4 hours, shown in China time.
    expect(email.text).toContain('2026年3月2日 13:00（北京时间）');
    expect(email.text).toContain(`查询处理进度：${statusUrl}`);
    expect(email.text).toContain(`个人信息保护说明：${privacyUrl}`);
    expect(email.html).toContain(`href="${privacyUrl}"`);
    expect(email.html).toContain('<html lang="zh-CN">');
    expect(email.html).toContain(
      'href="https://complaints.example.com/complaints/FB-2026-000123?access=dGhpcy1pcy1hLXRlc3QtdG9rZW4tb2YtNDMtY2hhcnM"',
    );
  });

  it('is in English for en', () => {
    const email = acknowledgementEmail({
      privacyUrl,
      complaint: complaint({
        language: 'en',
        customer: {
          name: 'Anna Schmidt',
          email: 'anna@kunde.example',
          market: 'export',
          region: 'DE',
        },
        subject: 'Wrong alloy delivered',
      }),
      statusUrl,
    });
    // The customer's own words stay out of the subject of a mail anyone can trigger.
    expect(email.subject).toBe('We have received your feedback (FB-2026-000123)');
    expect(email.text).toContain('Hello,');
    expect(email.text).toContain('our Export Sales department');
    expect(email.text).toContain('2 Mar 2026, 13:00 (China time, UTC+8)');
    expect(email.text).toContain(`Follow its progress: ${statusUrl}`);
    expect(email.text).not.toMatch(/[\u4e00-\u9fff]/);
    expect(email.html).toContain('<html lang="en">');
  });

  it('carries nothing typed into the form: anyone may type anyone’s address', () => {
    const typed = {
      name: 'Visit https://evil.example now',
      company: 'Win a prize at www.prize.example',
      subject: 'Your account is locked',
      description: 'Log in at https://evil.example/login to unlock it.',
    };
    const email = acknowledgementEmail({
      privacyUrl,
      complaint: complaint({
        subject: typed.subject,
        description: typed.description,
        customer: { ...complaint().customer, name: typed.name, company: typed.company },
      }),
      statusUrl: 'https://example.com/?a=1&b="2"',
    });
    for (const words of Object.values(typed)) {
      for (const part of [email.subject, email.text, email.html]) expect(part).not.toContain(words);
    }
    expect(email.text).toContain('FB-2026-000123');
    expect(email.text).toContain('产品质量');
    expect(email.html).toContain('href="https://example.com/?a=1&amp;b=&quot;2&quot;"');
  });
});

describe('the alert', () => {
  const routed = complaint();
  const alert = (overrides: Partial<Parameters<typeof alertEmail>[0]> = {}) =>
    alertEmail({
      complaint: routed,
      routing: routed.routing as NonNullable<Complaint['routing']>,
      assessment: routed.assessment as NonNullable<Complaint['assessment']>,
      recipientName: { zh: '质检科', en: 'Quality Control' },
      role: 'root_cause',
      language: 'zh',
      attachments: 0,
      ...overrides,
    });

  it('gives the facts and the recipient’s role, in Chinese', () => {
    const email = alert();
    expect(email.subject).toBe(
      '[FB-2026-000123] 新客户意见 · 产品质量 · 原因分析与纠正措施 · 严重程度高：6063 型材表面氧化膜脱落',
    );
    expect(email.text).toContain('质检科：');
    expect(email.text).toContain('您的职责：原因分析与纠正措施');
    expect(email.text).toContain('严重程度：高（赔偿要求）');
    expect(email.text).toContain(
      '相关部门：总经理（审批）、经营部（负责处理）、生产副总经理（组织分析）、质检科（原因分析与纠正措施）',
    );
    expect(email.text).toContain('地区：广东（CN-GD）');
    expect(email.text).toContain('索赔要求：赔偿 1200.5 CNY');
    expect(email.text).toContain('批号：2026-118');
    expect(email.text).toMatch(/首次答复期限：[^\n]+\(Asia\/Shanghai\)/);
    expect(email.text).toContain('第 2026-118 批次到货后发现氧化膜局部脱落。\n影响安装。');
    expect(email.text).not.toContain('送货单号');
    expect(email.text).toContain('客户照片和文件：暂无');
  });

  it('says how many files the customer sent, without attaching them', () => {
    const email = alert({ attachments: 3, language: 'en' });
    expect(email.text).toContain(
      'Customer photos and documents: 3 (open them in the staff console',
    );
  });

  it('is in English for an English-speaking outlet', () => {
    const email = alert({
      role: 'local_service',
      recipientName: { zh: '欧洲代理', en: 'European agent' },
      language: 'en',
    });
    expect(email.subject).toContain(
      '[FB-2026-000123] New complaint · Product quality · Local service',
    );
    expect(email.text).toContain('To European agent,');
    expect(email.text).toContain('Your role: Local service');
    expect(email.text).toContain('Region: Guangdong (CN-GD)');
  });

  it('links a department to the complaint in the console, never to a file', () => {
    const email = alert({
      role: 'owner',
      recipientName: { zh: '经营部', en: 'Sales' },
      consoleUrl: 'https://complaints.example.com/staff/complaints/FB-2026-000123',
    });
    expect(email.text).toContain(
      '在管理控制台中处理（照片和文件也在那里）：https://complaints.example.com/staff/complaints/FB-2026-000123',
    );
    expect(email.html).toContain(
      'href="https://complaints.example.com/staff/complaints/FB-2026-000123"',
    );
  });

  it('shows an outlet abroad its own time beside China time', () => {
    const email = alert({
      role: 'local_service',
      recipientName: { zh: '欧洲代理', en: 'European agent' },
      language: 'en',
      recipientTimeZone: 'Europe/Amsterdam',
    });
    // Received 2026-03-02T01:00Z: 09:00 in China, 02:00 in Amsterdam (CET).
    expect(email.text).toMatch(
      /2 Mar 2026, 09:00 \(Asia\/Shanghai\); 2 Mar 2026, 02:00 \(Europe\/Amsterdam\)/,
    );
    const department = alert({ role: 'owner', recipientName: { zh: '经营部', en: 'Sales' } });
    expect(department.text).not.toContain('Europe/Amsterdam');
  });

  it('escapes every value in HTML, and keeps the subject on one line', () => {
    const email = alertEmail({
      complaint: {
        ...routed,
        subject: `${hostile}\r\nBcc: someone@example.com`,
        description: hostile,
      },
      routing: routed.routing as NonNullable<Complaint['routing']>,
      assessment: routed.assessment as NonNullable<Complaint['assessment']>,
      recipientName: { zh: '<i>质检科</i>', en: 'QC' },
      role: 'root_cause',
      language: 'zh',
      attachments: 0,
    });
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<i>质检科</i>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.text).toContain(hostile);
    expect(oneLine('a\r\nb\tc\n')).toBe('a b c');
  });

  it('shows links the customer typed defanged, so no mail client makes them clickable', () => {
    const email = alertEmail({
      complaint: {
        ...routed,
        subject: 'See https://evil.example/x',
        description: 'Photos at http://files.evil.example/a.zip or www.evil.example, 3.5 mm gap.',
        customer: { ...routed.customer, company: 'https://phish.example' },
      },
      routing: routed.routing as NonNullable<Complaint['routing']>,
      assessment: routed.assessment as NonNullable<Complaint['assessment']>,
      recipientName: { zh: '质检科', en: 'QC' },
      role: 'root_cause',
      language: 'zh',
      attachments: 0,
    });
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toMatch(/https?:\/\/(evil|files|phish)/);
    }
    expect(email.subject).toContain('hxxps://evil[.]example/x');
    expect(email.text).toContain('hxxp://files[.]evil[.]example/a.zip');
    expect(email.text).toContain('www[.]evil[.]example');
    expect(email.text).toContain('hxxps://phish[.]example');
    expect(email.text).toContain('3.5 mm gap');
  });
});
