/**
 * `GET /staff/review?from=&to=`: the management-review pack as one print-ready page, with a
 * period form and the workbook's link above it (hidden in print). Every staff role reads it.
 */
import { parseReviewQuery } from '#functions/contract/review-query.ts';
import { reviewPackPage } from '#functions/reports/review-pack.ts';
import { reviewPack } from '#functions/services/review-pack.ts';
import { html } from '#functions/shared/html.ts';
import { htmlResponse, jsonResponse } from '#functions/shared/http.ts';
import { site } from '#functions/shared/site.ts';
import { staffHttpHandler } from '#functions/shared/staff-auth.ts';
import { staffPath } from '#functions/shared/staff-session.ts';

export const handler = staffHttpHandler(async (event) => {
  const now = new Date();
  const parsed = parseReviewQuery(event.queryStringParameters, now);
  if (!parsed.ok) return jsonResponse(400, { error: 'validation_failed', fields: parsed.errors });
  const { from, to } = parsed.value;
  const pack = await reviewPack(from, to, now);
  const period = new URLSearchParams({ from, to }).toString();
  const toolbar = html`<div class="toolbar">
<p><a href="${staffPath('/')}">← 控制台 Console</a> · <a href="${staffPath('/review/workbook')}?${period}">下载工作簿 Download the workbook (XLSX)</a> · 打印或另存为 PDF：浏览器的打印功能 Print or save as PDF from the browser</p>
<form method="get" action="${staffPath('/review')}">
<div><label for="from">自 From</label><input id="from" name="from" type="date" value="${from}" required></div>
<div><label for="to">至 To</label><input id="to" name="to" type="date" value="${to}" required></div>
<div><button type="submit">生成 Show</button></div>
</form></div>`;
  return htmlResponse(
    200,
    reviewPackPage(pack, { generatedAt: now, company: site().company.zh, toolbar }),
  );
});
