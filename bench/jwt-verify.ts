// Row 6, the cryptographic floor: jose `jwtVerify` of the bench's RS256 token shape against a cached
// local JWKS (`createLocalJWKSet`), in one process (the orchestrator pins it to the server core).
// `node dist/bench/jwt-verify.js` prints one JwtVerifyResult JSON line (also readable by humans).
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { BENCH_CLIENT_ID, BENCH_SCOPE, BENCH_SUBJECT, envNumber, median } from './common.js';

export interface JwtVerifyResult {
  /** Sequential verifications: one at a time, awaited. */
  sequentialOpsPerSec: number;
  sequentialMicrosPerOp: number;
  /** 32 verifications in flight (how a server under load uses it). */
  concurrentOpsPerSec: number;
  rounds: { sequentialOpsPerSec: number; concurrentOpsPerSec: number }[];
}

const ISSUER = 'http://127.0.0.1:1/';
const AUDIENCE = 'http://127.0.0.1:2/mcp';

async function main(): Promise<void> {
  const rounds = envNumber('BENCH_ROUNDS', 3);
  const seconds = Math.min(envNumber('BENCH_SECONDS', 5), 2); // a micro-benchmark needs less time per round
  const warmupSeconds = Math.min(envNumber('BENCH_WARMUP', 3), 2);

  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  const token = await new SignJWT({ scope: BENCH_SCOPE, client_id: BENCH_CLIENT_ID })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(BENCH_SUBJECT)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const options = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'] };

  const verifyOnce = async (): Promise<void> => {
    const { payload } = await jwtVerify(token, jwks, options);
    if (payload.sub !== BENCH_SUBJECT) throw new Error('jwtVerify returned the wrong subject');
  };

  const sequential = async (ms: number): Promise<number> => {
    let ops = 0;
    const start = performance.now();
    const end = start + ms;
    while (performance.now() < end) {
      for (let i = 0; i < 64; i++) await verifyOnce();
      ops += 64;
    }
    return ops / ((performance.now() - start) / 1000);
  };

  const concurrent = async (ms: number, inFlight = 32): Promise<number> => {
    let ops = 0;
    const start = performance.now();
    const end = start + ms;
    const worker = async (): Promise<void> => {
      while (performance.now() < end) {
        await verifyOnce();
        ops++;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return ops / ((performance.now() - start) / 1000);
  };

  await sequential((warmupSeconds * 1000) / 2);
  await concurrent((warmupSeconds * 1000) / 2);
  const results: JwtVerifyResult['rounds'] = [];
  for (let r = 0; r < rounds; r++) {
    results.push({
      sequentialOpsPerSec: await sequential((seconds * 1000) / 2),
      concurrentOpsPerSec: await concurrent((seconds * 1000) / 2),
    });
  }
  const sequentialOpsPerSec = median(results.map((r) => r.sequentialOpsPerSec));
  const result: JwtVerifyResult = {
    sequentialOpsPerSec,
    sequentialMicrosPerOp: 1e6 / sequentialOpsPerSec,
    concurrentOpsPerSec: median(results.map((r) => r.concurrentOpsPerSec)),
    rounds: results,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`jwt-verify failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
