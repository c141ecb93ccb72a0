/**
 * Two-step sign-in set up by the staff member themself (GET/POST /staff/mfa) against
 * cognito-local: Cognito's secret shown once, a wrong code refused with the key shown again,
 * the right one switching TOTP on; the next sign-in then asks for the app's code.
 */
import { describe, expect, it } from 'vitest';
import { useTestHost } from '#test/support/local-host.ts';
import { addStaff, hiddenField, idTokenOf, request, signIn } from '#test/support/staff.ts';
import { totpCode } from '#test/support/totp.ts';

const host = useTestHost();
const user = { email: 'qc.mfa@maker.example', name: '李质检', roles: ['qc' as const] };

describe('two-step sign-in', () => {
  it('is set up from the console and then asked for at sign-in', async () => {
    await addStaff(host(), user);
    const { jar } = await signIn(host(), user.email);
    const start = await (await request(host(), '/staff/mfa?lang=en', { jar })).text();
    expect(start).toContain('Set up an authenticator app');
    const csrf = hiddenField(start, 'csrf');

    // Without the CSRF token nothing happens.
    expect((await request(host(), '/staff/mfa', { jar, form: { step: 'begin' } })).status).toBe(
      403,
    );
    const scan = await (
      await request(host(), '/staff/mfa?lang=en', { jar, form: { csrf, step: 'begin' } })
    ).text();
    const secret = hiddenField(scan, 'secret');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(scan).toContain(
      `otpauth://totp/Aftercare:${encodeURIComponent(user.email)}?secret=${secret}`,
    );

    const wrongCode = String((Number(totpCode(secret)) + 1) % 1_000_000).padStart(6, '0');
    const wrong = await request(host(), '/staff/mfa?lang=en', {
      jar,
      form: { csrf, step: 'verify', secret, code: wrongCode },
    });
    expect(wrong.status).toBe(400);
    const again = await wrong.text();
    expect(again).toContain('The code is not correct');
    expect(hiddenField(again, 'secret')).toBe(secret);

    const done = await request(host(), '/staff/mfa?lang=en', {
      jar,
      form: { csrf, step: 'verify', secret, code: totpCode(secret) },
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Two-step sign-in is on');

    // The next sign-in: the password, then the app's code.
    const next = await signIn(host(), user.email);
    expect(next.response.status).toBe(200);
    const codePage = await next.response.text();
    expect(codePage).toContain('Authenticator code');
    const signedIn = await request(host(), '/staff/login/mfa', {
      jar: next.jar,
      form: {
        csrf: hiddenField(codePage, 'csrf'),
        email: hiddenField(codePage, 'email'),
        session: hiddenField(codePage, 'session'),
        code: totpCode(secret),
      },
    });
    expect(signedIn.status).toBe(303);
    expect((await request(host(), '/staff/api/me', { jar: next.jar })).status).toBe(200);
  });

  it('sends an API client, which has no browser session, to the console', async () => {
    const other = { email: 'sales.mfa@maker.example', name: '张经营', roles: ['sales' as const] };
    await addStaff(host(), other);
    const answer = await request(host(), '/staff/mfa?lang=en', {
      headers: { authorization: `Bearer ${await idTokenOf(host(), other.email)}` },
      form: { step: 'begin' },
    });
    expect(answer.status).toBe(401);
    expect(await answer.text()).toContain('Sign in to the console in a browser');
  });
});
