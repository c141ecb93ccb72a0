/**
 * The console's customer pages: a search by company, name or email (`/staff/customers?q=`)
 * and one customer (`/staff/customers/{email}`): profile, whether mail to them bounced,
 * every complaint with how it ended, every yearly survey answer.
 */
import type { Customer } from '#functions/data/customers.ts';
import { handlingOutcomeLabels } from '#functions/domain/customer-history.ts';
import { categoryLabels, marketLabels } from '#functions/domain/labels.ts';
import { dimensionLabels, ratingDimensions } from '#functions/domain/survey.ts';
import { isOfflineAddress, surveyChannelLabels } from '#functions/domain/survey-channels.ts';
import { formatChinaTime } from '#functions/domain/working-hours.ts';
import type { CustomerView } from '#functions/services/customer-view.ts';
import type { StaffUser } from '#functions/services/staff-tokens.ts';
import { html } from '#functions/shared/html.ts';
import { staffPath } from '#functions/shared/staff-session.ts';
import { staffStatusLabels } from './case-pages.ts';
import { type ConsoleLanguage, consoleHeader, staffLayout, t } from './staff-pages.ts';

const langQuery = (lang: ConsoleLanguage, first = '?') => (lang === 'en' ? `${first}lang=en` : '');

const styles = html`<style>
table{border-collapse:collapse;width:100%;table-layout:fixed}th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid #e1e4ea;vertical-align:top;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.warn{color:#a4262c;font-weight:600}
@media (max-width:40rem){dl{grid-template-columns:1fr}}
</style>`;

const customerLink = (email: string, lang: ConsoleLanguage) =>
  `${staffPath(`/customers/${encodeURIComponent(email)}`)}${langQuery(lang)}`;

export function customerSearchPage(input: {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  query: string;
  results: readonly Customer[];
}) {
  const { lang } = input;
  const title = t(lang, '客户', 'Customers');
  return staffLayout(
    title,
    html`${styles}<h1>${title}</h1>
<form method="get" action="${staffPath('/customers')}" class="search" role="search">
${lang === 'en' ? html`<input type="hidden" name="lang" value="en">` : ''}
<div><label for="q">${t(lang, '单位、姓名或邮箱', 'Company, name or email')}</label>
<input id="q" name="q" type="search" value="${input.query}" maxlength="100"></div>
<div><button type="submit">${t(lang, '查找', 'Search')}</button></div></form>
${
  input.query === ''
    ? ''
    : input.results.length === 0
      ? html`<p>${t(lang, '没有找到。', 'No customer found.')}</p>`
      : html`<table><caption>${t(lang, `找到 ${input.results.length} 位客户`, `${input.results.length} customers found`)}</caption>
<thead><tr><th scope="col">${t(lang, '单位', 'Company')}</th><th scope="col">${t(lang, '联系人', 'Contact')}</th><th scope="col">${t(lang, '市场', 'Market')}</th></tr></thead>
<tbody>${input.results.map(
          (customer) =>
            html`<tr><td>${customer.company ?? ''}</td><td><a href="${customerLink(customer.email, lang)}">${customer.name ?? customer.email}</a></td><td>${marketLabels[customer.market][lang]}</td></tr>`,
        )}</tbody></table>`
}`,
    lang,
    consoleHeader(input.user, input.csrf, lang, '/customers'),
  );
}

function mailState(customer: Customer, lang: ConsoleLanguage) {
  if (isOfflineAddress(customer.email)) return t(lang, '无邮箱', 'No email address');
  if (customer.deliverable) return t(lang, '正常', 'Delivered normally');
  const reason = customer.undeliverableReason ?? '';
  const known: Record<string, [string, string]> = {
    bounced: ['退信（地址无效），不再发送调查', 'Bounced for good: no more survey mail'],
    complained: ['收件人投诉为垃圾邮件，不再发送调查', 'Reported as spam: no more survey mail'],
  };
  const words = known[reason];
  return words
    ? t(lang, words[0], words[1])
    : t(lang, `不再发送（${reason}）`, `No more mail (${reason})`);
}

export function customerPage(input: {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  view: CustomerView;
}) {
  const { lang, view } = input;
  const customer = view.customer;
  const title = customer?.company ?? customer?.name ?? view.email;
  return staffLayout(
    title,
    html`${styles}<h1>${title}</h1>
<p><a href="${staffPath('/customers')}${langQuery(lang)}">${t(lang, '← 查找客户', '← Find a customer')}</a></p>
<section aria-labelledby="profile"><h2 id="profile">${t(lang, '客户资料', 'Profile')}</h2>
${
  customer
    ? html`<dl>
<dt>${t(lang, '联系人', 'Contact')}</dt><dd>${customer.name ?? '—'}</dd>
<dt>${t(lang, '单位', 'Company')}</dt><dd>${customer.company ?? '—'}</dd>
<dt>${t(lang, '邮箱', 'Email')}</dt><dd>${isOfflineAddress(customer.email) ? html`${t(lang, '无，登记为', 'None; registered as')} <small>${customer.email}</small>` : customer.email}</dd>
<dt>${t(lang, '市场 / 地区', 'Market / region')}</dt><dd>${marketLabels[customer.market][lang]} · ${customer.region}</dd>
<dt>${t(lang, '调查方式', 'Surveyed by')}</dt><dd>${surveyChannelLabels[customer.surveyChannel ?? 'email'][lang]}${customer.phone ? ` · ${customer.phone}` : ''}${customer.fax ? ` · ${t(lang, '传真', 'fax')} ${customer.fax}` : ''}${customer.postalAddress ? ` · ${customer.postalAddress}` : ''}</dd>
<dt>${t(lang, '邮件', 'Mail')}</dt><dd${customer.deliverable ? '' : html` class="warn"`}>${mailState(customer, lang)}</dd>
<dt>${t(lang, '来源', 'Source')}</dt><dd>${customer.source === 'import' ? t(lang, '导入', 'Imported') : t(lang, '投诉', 'From a complaint')} · ${formatChinaTime(customer.createdAt)}</dd>
</dl>`
    : html`<p>${t(lang, '不在客户名录中（仅有投诉记录）。', 'Not in the customer registry (complaints only).')}</p>`
}</section>
<section aria-labelledby="complaints"><h2 id="complaints">${t(lang, '投诉与意见', 'Complaints')} (${view.complaints.length})</h2>
${
  view.complaints.length === 0
    ? html`<p>${t(lang, '没有投诉。', 'No complaints.')}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, '编号', 'Reference')}</th><th scope="col">${t(lang, '类别 / 主题', 'Category / subject')}</th><th scope="col">${t(lang, '状态', 'Status')}</th><th scope="col">${t(lang, '对处理的评价', 'Satisfaction with the handling')}</th></tr></thead><tbody>
${view.complaints.map(
  (complaint) =>
    html`<tr><td><a href="${staffPath(`/complaints/${complaint.reference}`)}${langQuery(lang)}">${complaint.reference}</a><br><small>${formatChinaTime(complaint.createdAt)}</small></td><td>${categoryLabels[complaint.category][lang]}<br>${complaint.subject ?? ''}</td><td>${staffStatusLabels[complaint.status][lang]}</td><td>${handlingOutcomeLabels[complaint.outcome][lang]}</td></tr>`,
)}</tbody></table>`
}</section>
<section aria-labelledby="visits"><h2 id="visits">${t(lang, '上门服务', 'On-site visits')}</h2>
${
  view.complaints.every((complaint) => complaint.visits.length === 0)
    ? html`<p>${t(lang, '没有上门服务记录。', 'No visits.')}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, '投诉', 'Complaint')}</th><th scope="col">${t(lang, '时间', 'When')}</th><th scope="col">${t(lang, '上门人员', 'Visitor')}</th><th scope="col">${t(lang, '报告', 'Report')}</th></tr></thead><tbody>
${view.complaints.flatMap((complaint) =>
  complaint.visits.map(
    (visit) =>
      html`<tr><td>${complaint.reference}</td><td>${visit.date} ${visit.from}–${visit.to} (${visit.timeZone})</td><td>${visit.assignee.kind === 'outlet' ? visit.assignee.id : visit.assignee.name}</td><td>${
        visit.report
          ? html`${visit.report.findings}<br><small>${t(lang, '客户确认：', 'Confirmed by ')}${visit.report.confirmedBy}</small>`
          : t(lang, '尚未报告', 'Not reported yet')
      }</td></tr>`,
  ),
)}</tbody></table>`
}</section>
<section aria-labelledby="surveys"><h2 id="surveys">${t(lang, '年度满意度调查', 'Yearly surveys')}</h2>
${
  view.surveys.length === 0
    ? html`<p>${t(lang, '没有参加过调查。', 'Not surveyed yet.')}</p>`
    : html`<table><thead><tr><th scope="col">${t(lang, '年度', 'Year')}</th><th scope="col">${t(lang, '答卷', 'Answer')}</th><th scope="col">${t(lang, '评分', 'Ratings')}</th></tr></thead><tbody>
${view.surveys.map(
  (survey) =>
    html`<tr><td>${survey.year}</td><td>${
      survey.answeredAt
        ? html`${formatChinaTime(survey.answeredAt)}<br>${surveyChannelLabels[survey.answerChannel ?? 'email'][lang]}${survey.enteredBy ? ` · ${survey.enteredBy.name}` : ''}`
        : t(lang, '未答', 'Not answered')
    }</td><td>${
      survey.answer
        ? html`${ratingDimensions.map((d) => html`${dimensionLabels[d][lang]} ${survey.answer?.ratings[d]}; `)}${t(lang, '推荐', 'Recommend')} ${survey.answer.recommend}${survey.answer.suggestions ? html`<br>“${survey.answer.suggestions}”` : ''}`
        : '—'
    }</td></tr>`,
)}</tbody></table>`
}</section>`,
    lang,
    consoleHeader(input.user, input.csrf, lang, '/customers'),
  );
}
