import type { IncomingMessage, ServerResponse } from 'node:http';
import { styleHashSource } from './dev-login-style.js';

const MAX_FORM_BYTES = 16 * 1024;

/** Reads an `application/x-www-form-urlencoded` body of at most 16 KiB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_FORM_BYTES) {
      // Shaped like an oidc-provider error so the caller answers it as one (413, message shown).
      throw Object.assign(new Error('form too large'), {
        error: 'invalid_request',
        error_description: 'Form too large.',
        statusCode: 413,
      });
    }
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Sends an HTML page that may not be framed, cached, or load anything: no scripts, no external
 * resources, and only its own inline style sheet (`css`, allowed by hash) when it has one.
 */
export function sendPage(
  res: ServerResponse,
  status: number,
  page: { html: string; css?: string },
  headers: Record<string, string> = {},
): void {
  const styleSrc = page.css ? `; style-src ${styleHashSource(page.css)}` : '';
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // A consent page must not be framed (clickjacking). No form-action: Chromium applies it to the
    // redirects after the form post too, and the last one goes to the client's redirect_uri.
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': `default-src 'none'${styleSrc}; frame-ancestors 'none'`,
    ...headers,
  });
  res.end(page.html);
}
