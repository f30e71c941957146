// The orchestrator's row-6 step: the jose jwtVerify micro-benchmark (bench/jwt-verify.ts) in its own
// process on the server core, run after every row server has stopped so nothing shares that core.
import { errorMessage } from './format.js';
import type { JwtVerifyResult } from './jwt-verify.js';
import { knobs } from './knobs.js';
import { SERVER_CORE, runNodeScript } from './processes.js';

const JWT_VERIFY_TIMEOUT_MS = 120_000;

/** The micro-benchmark's result, or undefined when it failed (a harness error; the reason is printed). */
export async function runJwtVerifyRow(): Promise<JwtVerifyResult | undefined> {
  console.log('\nrow 6   jose jwtVerify micro-benchmark...');
  try {
    const { code, stdout, stderr } = await runNodeScript(
      'jwt-verify.js',
      [],
      SERVER_CORE,
      {
        BENCH_ROUNDS: String(knobs.rounds),
        BENCH_SECONDS: String(knobs.seconds),
        BENCH_WARMUP: String(knobs.warmupSeconds),
      },
      JWT_VERIFY_TIMEOUT_MS,
    );
    if (code !== 0) throw new Error(`exited with ${code}: ${stderr.trim().slice(-500)}`);
    return JSON.parse(stdout.trim().split('\n').pop()!) as JwtVerifyResult;
  } catch (error) {
    console.log(`  failed: ${errorMessage(error)}`);
    return undefined;
  }
}
