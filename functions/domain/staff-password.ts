/**
 * The staff password policy: the Cognito user pool enforces it on AWS (infra/aws), the
 * sign-in page checks it first so the message is ours, and the local stand-in (which
 * enforces none) behaves the same.
 */
export const passwordPolicy = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
} as const;

export function meetsPasswordPolicy(password: string): boolean {
  return (
    password.length >= passwordPolicy.minLength &&
    /[a-z]/.test(password) &&
    /[A-Z]/.test(password) &&
    /[0-9]/.test(password) &&
    /[^A-Za-z0-9\s]/.test(password)
  );
}
