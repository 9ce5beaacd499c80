/**
 * The app's guards, for a machine in a clinic: every request must name the loopback host and port it
 * was sent to (a page on another site that rebinds its name to 127.0.0.1 is refused), every /api
 * request must carry the token (a bearer header, or the cookie set when the printed address is
 * opened), and no /api request may come from a page of another origin. No CORS header is ever sent,
 * and every answer carries a Content-Security-Policy that allows no other origin.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { problem } from "../messages.ts";
import type { Problem } from "../problem.ts";

export const TOKEN_COOKIE = "alliance_token";

/** The page's policy: its own scripts and styles only, nothing from any other origin. */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
/** A published report shown in the page: self-contained, so it may load nothing at all, and runs no script. */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox; frame-ancestors 'self'";

/**
 * Whether two tokens are equal, in time that does not depend on where they differ.
 * @example sameToken("abc", "abc") // => true
 */
export function sameToken(given: string | undefined, token: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const refuse = (reply: FastifyReply, status: number, p: Problem) =>
  reply
    .code(status)
    .header("cache-control", "no-store")
    .send({ problems: [p] });

/** The token a request carries: its bearer header, else its cookie. */
function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === "string" && auth.startsWith("Bearer ")) return auth.slice(7).trim();
  return req.cookies?.[TOKEN_COOKIE];
}

/**
 * Installs the guards. `port()` is the port the server listens on (known once it listens).
 * @example installGuards(app, { token, port: () => 8765 })
 */
export function installGuards(app: FastifyInstance, options: { token: string; port: () => number }): void {
  const hosts = () => new Set([`127.0.0.1:${options.port()}`, `localhost:${options.port()}`]);
  const origins = () => new Set([...hosts()].map((h) => `http://${h}`));
  app.addHook("onRequest", async (req, reply) => {
    reply.header("content-security-policy", APP_CSP);
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("cross-origin-opener-policy", "same-origin");
    reply.header("cross-origin-resource-policy", "same-origin");
    if (!hosts().has(String(req.headers.host ?? ""))) {
      return refuse(reply, 403, problem("E_APP_HOST", { host: String(req.headers.host ?? "") }));
    }
    const origin = req.headers.origin;
    const api = req.url.startsWith("/api/") || req.url === "/api";
    const changes = !["GET", "HEAD", "OPTIONS"].includes(req.method);
    if (origin !== undefined && (api || changes) && !origins().has(origin)) {
      return refuse(reply, 403, problem("E_APP_ORIGIN", { origin }));
    }
    if (api && !sameToken(tokenOf(req), options.token)) {
      return refuse(reply, 401, problem("E_APP_TOKEN", {}));
    }
  });
}
