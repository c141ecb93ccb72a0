/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias in
 * infra/aws/bundling.ts). Lambda always hands the function role's credentials over in the
 * environment, so the default chain's other sources (profiles, SSO, login, process, web
 * identity, IMDS and the nested STS/SSO clients they bring) are never used there and only
 * add about 135 KB to every bundle that makes an AWS client. The local host runs the sources
 * unbundled and keeps the whole chain.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
