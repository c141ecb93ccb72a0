/**
 * Staff identity against the Cognito user pool: signing in (with the first-password and
 * TOTP challenges), refreshing, setting up TOTP and signing out. Tokens are verified in
 * staff-tokens.ts.
 */
import {
  AssociateSoftwareTokenCommand,
  type AuthenticationResultType,
  AuthFlowType,
  ChallengeNameType,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from '#functions/shared/aws/cognito.ts';
import { identity, type StaffUser, verifyIdToken } from './staff-tokens.ts';

export interface Tokens {
  idToken: string;
  /** Absent on a refresh: the refresh token in hand stays valid. */
  refreshToken?: string;
}

export type SignInStep =
  | { step: 'signed_in'; tokens: Tokens; user: StaffUser }
  | { step: 'new_password_required'; session: string }
  | { step: 'mfa_required'; session: string }
  | { step: 'refused'; reason: 'credentials' | 'password_policy' | 'code' | 'unsupported' };

export async function signIn(email: string, password: string): Promise<SignInStep> {
  const { clientId } = identity();
  try {
    const answer = await cognitoClient().send(
      new InitiateAuthCommand({
        AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
        ClientId: clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    return await stepFrom(answer.AuthenticationResult, answer.ChallengeName, answer.Session);
  } catch (error) {
    return refusal(error, 'credentials');
  }
}

export async function setFirstPassword(
  email: string,
  session: string,
  newPassword: string,
): Promise<SignInStep> {
  return answerChallenge(ChallengeNameType.NEW_PASSWORD_REQUIRED, session, {
    USERNAME: email,
    NEW_PASSWORD: newPassword,
  });
}

export async function answerMfa(email: string, session: string, code: string) {
  return answerChallenge(ChallengeNameType.SOFTWARE_TOKEN_MFA, session, {
    USERNAME: email,
    SOFTWARE_TOKEN_MFA_CODE: code,
  });
}

async function answerChallenge(
  challenge: ChallengeNameType,
  session: string,
  responses: Record<string, string>,
): Promise<SignInStep> {
  const { clientId } = identity();
  try {
    const answer = await cognitoClient().send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: challenge,
        Session: session,
        ChallengeResponses: responses,
      }),
    );
    return await stepFrom(answer.AuthenticationResult, answer.ChallengeName, answer.Session);
  } catch (error) {
    return refusal(
      error,
      challenge === ChallengeNameType.SOFTWARE_TOKEN_MFA ? 'code' : 'credentials',
    );
  }
}

async function stepFrom(
  result: AuthenticationResultType | undefined,
  challenge: string | undefined,
  session: string | undefined,
): Promise<SignInStep> {
  if (result?.IdToken) {
    const check = await verifyIdToken(result.IdToken);
    if (check.outcome !== 'valid') return { step: 'refused', reason: 'credentials' };
    return {
      step: 'signed_in',
      tokens: { idToken: result.IdToken, refreshToken: result.RefreshToken },
      user: check.user,
    };
  }
  if (challenge === ChallengeNameType.NEW_PASSWORD_REQUIRED && session) {
    return { step: 'new_password_required', session };
  }
  if (challenge === ChallengeNameType.SOFTWARE_TOKEN_MFA && session) {
    return { step: 'mfa_required', session };
  }
  // MFA_SETUP and the rest: set up in the AWS console or CLI first (README).
  return { step: 'refused', reason: 'unsupported' };
}

/** Cognito's refusals all read the same to the user: no telling unknown users from wrong passwords. */
function refusal(error: unknown, reason: 'credentials' | 'code'): SignInStep {
  const name = error instanceof Error ? error.name : '';
  if (name === 'InvalidPasswordException') return { step: 'refused', reason: 'password_policy' };
  if (
    [
      'NotAuthorizedException',
      'UserNotFoundException',
      'PasswordResetRequiredException',
      'UserNotConfirmedException',
      'CodeMismatchException',
      'ExpiredCodeException',
      'InvalidParameterException',
      'EnableSoftwareTokenMFAException',
    ].includes(name)
  ) {
    return { step: 'refused', reason };
  }
  throw error;
}

/** Fresh tokens for a refresh token, or undefined when Cognito no longer honours it. */
async function renewed(refreshToken: string): Promise<AuthenticationResultType | undefined> {
  const { clientId } = identity();
  try {
    const answer = await cognitoClient().send(
      new InitiateAuthCommand({
        AuthFlow: AuthFlowType.REFRESH_TOKEN_AUTH,
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    return answer.AuthenticationResult;
  } catch (error) {
    refusal(error, 'credentials');
    return undefined;
  }
}

/** A new ID token for a refresh token, or undefined when Cognito no longer honours it. */
export async function refresh(
  refreshToken: string,
): Promise<(StaffUser & { idToken: string }) | undefined> {
  const idToken = (await renewed(refreshToken))?.IdToken;
  if (!idToken) return undefined;
  const check = await verifyIdToken(idToken);
  return check.outcome === 'valid' ? { ...check.user, idToken } : undefined;
}

/**
 * The first half of setting up an authenticator app: Cognito's new secret for the user
 * (shown to them once, never stored here). The calls take an access token, which the
 * session does not keep: it is asked for with the refresh token each time.
 */
export async function beginTotpSetup(refreshToken: string): Promise<string | undefined> {
  const accessToken = (await renewed(refreshToken))?.AccessToken;
  if (!accessToken) return undefined;
  const answer = await cognitoClient().send(
    new AssociateSoftwareTokenCommand({ AccessToken: accessToken }),
  );
  return answer.SecretCode;
}

/** The second half: a code from the app proves it holds the secret, then TOTP is switched on. */
export async function finishTotpSetup(
  refreshToken: string,
  code: string,
): Promise<'enabled' | 'code' | 'expired'> {
  const accessToken = (await renewed(refreshToken))?.AccessToken;
  if (!accessToken) return 'expired';
  try {
    await cognitoClient().send(
      new VerifySoftwareTokenCommand({
        AccessToken: accessToken,
        UserCode: code,
        FriendlyDeviceName: 'Aftercare',
      }),
    );
  } catch (error) {
    refusal(error, 'code');
    return 'code';
  }
  await cognitoClient().send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  return 'enabled';
}

/** Signing out revokes the refresh token, so a copied session cookie cannot be renewed. */
export async function revoke(refreshToken: string): Promise<void> {
  const { clientId } = identity();
  try {
    await cognitoClient().send(new RevokeTokenCommand({ ClientId: clientId, Token: refreshToken }));
  } catch (error) {
    refusal(error, 'credentials');
  }
}
