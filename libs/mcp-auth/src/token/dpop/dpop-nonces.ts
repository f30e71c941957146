import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-issued DPoP nonces (RFC 9449 §9) that need no storage: a nonce is a time step and its HMAC under
 * a secret, so every replica sharing the secret can check it. The current step's nonce and the previous
 * step's are accepted, so a nonce lives between one and two `lifetimeSeconds`.
 */
export class DpopNonces {
  constructor(
    private readonly secret: Buffer,
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The nonce to hand out now (the same for every client during one step). */
  current(): string {
    return this.forStep(this.step());
  }

  /** Whether `nonce` is the current or the previous step's. */
  isValid(nonce: unknown): boolean {
    if (typeof nonce !== 'string' || nonce.length > 64) return false;
    const step = this.step();
    return [step, step - 1].some((candidate) => equal(nonce, this.forStep(candidate)));
  }

  private step(): number {
    return Math.floor(this.now() / 1000 / this.lifetimeSeconds);
  }

  private forStep(step: number): string {
    const mac = createHmac('sha256', this.secret).update(`dpop-nonce:${step}`).digest('base64url').slice(0, 22);
    return `${step.toString(36)}.${mac}`;
  }
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
