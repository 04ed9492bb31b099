/**
 * Security headers on every response (issue 16): a content security policy that allows only this
 * service's own scripts, styles and API, and framing only by Microsoft 365 hosts (the tab runs in
 * a Teams iframe). The tab's page has one inline script (the theme before first paint) and one
 * inline style block (critical CSS); they are allowed by their SHA-256 hashes, read from the built
 * page at start, so nothing else inline can run.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RequestHandler } from 'express';

/** The Microsoft 365 hosts that may frame the tab. */
export const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.skype.com',
] as const;

/** The hashes of the inline `<script>` and `<style>` blocks of an HTML page. */
export function inlineHashes(html: string): { scripts: string[]; styles: string[] } {
  const hashes = (tag: string) =>
    [...html.matchAll(new RegExp(`<${tag}(?![^>]*\\bsrc=)[^>]*>([\\s\\S]*?)</${tag}>`, 'gi'))].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
    );
  return { scripts: hashes('script'), styles: hashes('style') };
}

/** The content security policy for the service, allowing the tab page's inline blocks. */
export function contentSecurityPolicy(tabDir: string | undefined): string {
  let inline = { scripts: [] as string[], styles: [] as string[] };
  if (tabDir !== undefined) {
    try {
      inline = inlineHashes(readFileSync(join(tabDir, 'index.html'), 'utf8'));
    } catch {
      // No built tab: nothing inline to allow.
    }
  }
  return [
    "default-src 'self'",
    `script-src 'self' ${inline.scripts.join(' ')}`.trimEnd(),
    `style-src 'self' ${inline.styles.join(' ')}`.trimEnd(),
    "img-src 'self' data:",
    // teams-js reads the current list of Microsoft 365 host origins from Microsoft's CDN.
    "connect-src 'self' https://res.cdn.office.net",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
  ].join('; ');
}

/** Sets the security headers on every response. */
export function securityHeaders(options: { tabDir: string | undefined; https: boolean }): RequestHandler {
  const csp = contentSecurityPolicy(options.tabDir);
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin-allow-popups');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    // Behind App Service's TLS front end; never sent on the local plain-HTTP stack.
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
