/**
 * LOCAL_MAX_CONTAINERS: how many containers `npm start` keeps at most per function
 * (Lambda's concurrency, locally). Default 10.
 */
export const DEFAULT_MAX_CONTAINERS = 10;

export function readMaxContainers(env: Record<string, string | undefined>): number {
  const raw = env.LOCAL_MAX_CONTAINERS?.trim();
  if (raw === undefined || raw === "") return DEFAULT_MAX_CONTAINERS;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000)
    throw new Error(`LOCAL_MAX_CONTAINERS must be a whole number from 1 to 1000, got "${raw}"`);
  return Number(raw);
}
