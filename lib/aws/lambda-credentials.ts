import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Stands in for `@aws-sdk/credential-provider-node` (the SDK's default credential
 * chain) in the deployed bundles only, by an esbuild alias (infra/bundling.ts). Lambda
 * hands a function its role's credentials in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the chain's SSO, INI, process,
 * web-identity and STS providers and their nested clients are weight at every cold
 * start and never used. Everywhere else (tests, `npm start`, the operator commands)
 * the SDK's full chain stays.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
