import { createServer } from "node:net";

/** A port nothing listens on right now (on loopback). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

class PortInUseError extends Error {}

/** Throws, naming the variable that sets it, when `port` is taken (0 means any, always free). */
export async function assertPortFree(port: number, variable: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", () =>
      reject(new PortInUseError(`port ${port} is already in use; set ${variable} to a free port`)),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}
