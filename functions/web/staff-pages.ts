/**
 * The staff pages: sign-in (with the first-password and authenticator-code steps) and the
 * console shell. Server-rendered, no script, every value escaped; the console is Chinese
 * first with an English switch (`?lang=en`).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { type DepartmentCode, departmentNames } from '#functions/domain/departments.ts';
import type { Bilingual } from '#functions/domain/labels.ts';
import type { StaffUser } from '#functions/services/staff-tokens.ts';
import { html, SafeHtml } from '#functions/shared/html.ts';
import { htmlResponse } from '#functions/shared/http.ts';
import { staffPath } from '#functions/shared/staff-session.ts';
import { layout } from './pages.ts';

export type ConsoleLanguage = 'zh' | 'en';

const staffStyles = new SafeHtml(`<style>
main,header.site p{max-width:60rem}
.bar,nav.console{max-width:60rem;margin:0 auto;padding:.5rem 1rem;box-sizing:border-box}
.bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;border-bottom:1px solid #c8ccd4;padding-bottom:.75rem}
.bar form{margin:0}.bar button{padding:.35rem .9rem}.who{font-weight:600}.roles{color:#5b6270;font-size:.9rem}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}nav a,nav span{display:inline-block;padding:.4rem .8rem;border:1px solid #c8ccd4;border-radius:4px;text-decoration:none;color:#1b5fae}
nav span{color:#5b6270}.card{border:1px solid #c8ccd4;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.narrow{max-width:24rem}code.secret{font-size:1.1rem;letter-spacing:.05em;word-spacing:.3em}
</style>`);

/** The console's words in its language: Chinese or English. */
export const t = (lang: ConsoleLanguage, zh: string, en: string) => (lang === 'zh' ? zh : en);

export function staffLayout(
  title: string,
  body: SafeHtml,
  lang: ConsoleLanguage | 'both' = 'both',
  bar: SafeHtml | '' = '',
) {
  return layout(title, html`${staffStyles}${body}`, lang === 'en' ? 'en' : 'zh-CN', bar);
}

export interface SignInForm {
  csrf: string;
  next?: string;
  email?: string;
  /** One message, the same for an unknown user and a wrong password. */
  error?: Bilingual;
  notice?: Bilingual;
}

export function signInPage(form: SignInForm): SafeHtml {
  return staffLayout(
    '员工登录 Staff sign-in',
    html`<div class="narrow">
<h1>员工登录 · Staff sign-in</h1>
${form.notice ? html`<p role="status">${form.notice.zh}<br><span lang="en">${form.notice.en}</span></p>` : ''}
${form.error ? html`<div class="summary" role="alert"><p class="error">${form.error.zh}<br><span lang="en">${form.error.en}</span></p></div>` : ''}
<form method="post" action="${staffPath('/login')}">
<input type="hidden" name="csrf" value="${form.csrf}">
${form.next ? html`<input type="hidden" name="next" value="${form.next}">` : ''}
<label for="email">邮箱 <span lang="en">Email</span></label>
<input id="email" name="email" type="email" autocomplete="username" required value="${form.email ?? ''}">
<label for="password">密码 <span lang="en">Password</span></label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">登录 <span lang="en">Sign in</span></button></p>
</form>
<p class="hint">没有账号？请联系办公室。<span lang="en">No account? Ask the office to add you.</span></p>
</div>`,
  );
}

export interface ChallengeForm {
  csrf: string;
  email: string;
  session: string;
  next?: string;
  error?: Bilingual;
}

export function newPasswordPage(form: ChallengeForm): SafeHtml {
  return staffLayout(
    '设置新密码 Choose a new password',
    html`<div class="narrow">
<h1>设置新密码 · Choose a new password</h1>
<p>首次登录请设置您自己的密码（至少 12 个字符）。<br><span lang="en">This is your first sign-in: choose your own password (at least 12 characters).</span></p>
${form.error ? html`<div class="summary" role="alert"><p class="error">${form.error.zh}<br><span lang="en">${form.error.en}</span></p></div>` : ''}
<form method="post" action="${staffPath('/login/new-password')}">
${challengeFields(form)}
<label for="password">新密码 <span lang="en">New password</span></label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
<label for="confirm">再次输入 <span lang="en">Repeat it</span></label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" required>
<p><button type="submit">保存并登录 <span lang="en">Save and sign in</span></button></p>
</form>
</div>`,
  );
}

export function mfaPage(form: ChallengeForm): SafeHtml {
  return staffLayout(
    '验证码 Authenticator code',
    html`<div class="narrow">
<h1>验证码 · Authenticator code</h1>
<p>请输入身份验证器应用中的 6 位数字。<br><span lang="en">Enter the 6-digit code from your authenticator app.</span></p>
${form.error ? html`<div class="summary" role="alert"><p class="error">${form.error.zh}<br><span lang="en">${form.error.en}</span></p></div>` : ''}
<form method="post" action="${staffPath('/login/mfa')}">
${challengeFields(form)}
<label for="code">验证码 <span lang="en">Code</span></label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<p><button type="submit">登录 <span lang="en">Sign in</span></button></p>
</form>
</div>`,
  );
}

function challengeFields(form: ChallengeForm): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${form.csrf}">
<input type="hidden" name="email" value="${form.email}">
<input type="hidden" name="session" value="${form.session}">
${form.next ? html`<input type="hidden" name="next" value="${form.next}">` : ''}`;
}

/** What the console will hold; each later piece of work turns its entry into a link. */
const sections: { path: string; label: Bilingual; ready: boolean }[] = [
  { path: '/', label: { zh: '待办', en: 'Queue' }, ready: true },
  { path: '/register', label: { zh: '意见登记表', en: 'Register' }, ready: true },
  { path: '/statistics', label: { zh: '统计', en: 'Statistics' }, ready: true },
  { path: '/capa', label: { zh: '纠正预防措施', en: 'CAPA' }, ready: true },
  { path: '/review', label: { zh: '管理评审', en: 'Management review' }, ready: true },
  { path: '/surveys', label: { zh: '满意度调查', en: 'Survey' }, ready: true },
  { path: '/customers', label: { zh: '客户', en: 'Customers' }, ready: true },
];

export function roleNames(roles: readonly DepartmentCode[], lang: ConsoleLanguage): string {
  return roles.map((role) => departmentNames[role][lang]).join(lang === 'zh' ? '、' : ', ');
}

export function consoleHeader(user: StaffUser, csrf: string, lang: ConsoleLanguage, here: string) {
  const other: ConsoleLanguage = lang === 'zh' ? 'en' : 'zh';
  return html`<section class="bar" aria-label="${lang === 'zh' ? '当前用户' : 'Signed in'}">
<div><span class="who">${user.name}</span> <span class="roles">${roleNames(user.roles, lang) || (lang === 'zh' ? '未分配部门' : 'no department')}</span></div>
<div><a href="${staffPath(here)}?lang=${other}" lang="${other === 'en' ? 'en' : 'zh-CN'}">${other === 'en' ? 'English' : '中文'}</a></div>
<div><a href="${staffPath('/mfa')}${lang === 'en' ? '?lang=en' : ''}"${here === '/mfa' ? html` aria-current="page"` : ''}>${lang === 'zh' ? '两步验证' : 'Two-step sign-in'}</a></div>
<form method="post" action="${staffPath('/logout')}"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">${lang === 'zh' ? '退出登录' : 'Sign out'}</button></form>
</section>
<nav class="console" aria-label="${lang === 'zh' ? '控制台' : 'Console'}"><ul>${sections.map(
    (section) =>
      section.ready
        ? html`<li><a href="${staffPath(section.path)}${lang === 'en' ? '?lang=en' : ''}"${section.path === here ? html` aria-current="page"` : ''}>${section.label[lang]}</a></li>`
        : html`<li><span>${section.label[lang]} ${lang === 'zh' ? '（即将推出）' : '(coming)'}</span></li>`,
  )}</ul></nav>`;
}

export function forbiddenPage(reason: string, csrf: string): APIGatewayProxyResult {
  return htmlResponse(
    403,
    staffLayout(
      '无权访问 Not allowed',
      html`<div class="narrow">
<h1>无权访问 · Not allowed</h1>
<p>您的账号没有此页面所需的部门角色。请联系办公室为您分配部门。<br><span lang="en">Your account lacks the department role this page needs. Ask the office to add you to your department.</span></p>
<p class="hint" lang="en">${reason}</p>
<form method="post" action="${staffPath('/logout')}"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">退出登录 <span lang="en">Sign out</span></button></form>
</div>`,
    ),
  );
}

/** Where the TOTP set-up stands: before it, the app's key to enter, or done. */
export type TotpSetupStep =
  | { step: 'start'; error?: Bilingual }
  | { step: 'scan'; secret: string; error?: Bilingual }
  | { step: 'done' };

/**
 * Two-step sign-in for the signed-in user: an authenticator app's key (typed in, or opened
 * as an `otpauth:` link on the phone), then one of its codes to switch it on.
 */
export function totpSetupPage(input: {
  user: StaffUser;
  csrf: string;
  lang: ConsoleLanguage;
  setup: TotpSetupStep;
}): SafeHtml {
  const { user, csrf, lang, setup } = input;
  const action = `${staffPath('/mfa')}${lang === 'en' ? '?lang=en' : ''}`;
  const hidden = html`<input type="hidden" name="csrf" value="${csrf}">`;
  const error =
    setup.step !== 'done' && setup.error
      ? html`<div class="summary" role="alert"><p class="error">${setup.error[lang]}</p></div>`
      : '';
  let body: SafeHtml;
  if (setup.step === 'start') {
    body = html`<p>${t(lang, '开启后，登录时除密码外还需输入身份验证器应用（如 Microsoft Authenticator、Google 身份验证器）显示的 6 位数字。', 'Once on, signing in asks for the 6-digit code of an authenticator app (such as Microsoft Authenticator or Google Authenticator) after the password.')}</p>
<p class="hint">${t(lang, '已设置过的，重新设置会以新密钥替换手机上原有的。', 'Set up before? Setting it up again replaces the key on the phone with a new one.')}</p>
${error}<form method="post" action="${action}">${hidden}<input type="hidden" name="step" value="begin">
<p><button type="submit">${t(lang, '设置身份验证器', 'Set up an authenticator app')}</button></p></form>`;
  } else if (setup.step === 'scan') {
    const grouped = setup.secret.replace(/(.{4})/g, '$1 ').trim();
    const link = `otpauth://totp/Aftercare:${encodeURIComponent(user.email)}?secret=${setup.secret}&issuer=Aftercare`;
    body = html`<ol>
<li>${t(lang, '在身份验证器应用中添加账户，输入以下密钥（基于时间）：', 'In the authenticator app, add an account and enter this key (time-based):')}
<p><code class="secret">${grouped}</code></p>
<p class="hint">${t(lang, '在手机上打开此页时，也可点击：', 'On the phone itself you may instead open:')} <a href="${link}">${t(lang, '添加到身份验证器', 'Add to the authenticator app')}</a></p></li>
<li>${t(lang, '输入应用显示的 6 位数字：', 'Enter the 6-digit code it shows:')}</li></ol>
${error}<form method="post" action="${action}">${hidden}<input type="hidden" name="step" value="verify"><input type="hidden" name="secret" value="${setup.secret}">
<label for="code">${t(lang, '验证码', 'Code')}</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<p><button type="submit">${t(lang, '开启两步验证', 'Turn on two-step sign-in')}</button></p></form>`;
  } else {
    body = html`<div class="notice" role="status"><p>${t(lang, '两步验证已开启：下次登录时将要求输入验证码。', 'Two-step sign-in is on: your next sign-in asks for a code.')}</p></div>`;
  }
  return staffLayout(
    t(lang, '两步验证', 'Two-step sign-in'),
    html`<div class="narrow"><h1>${t(lang, '两步验证', 'Two-step sign-in')}</h1>${body}</div>`,
    lang,
    consoleHeader(user, csrf, lang, '/mfa'),
  );
}
