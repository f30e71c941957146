// The measured rows (bench/README.md has the table) and the state each one gathers during a run.
import type { ChildProcess } from 'node:child_process';
import { BENCH_SUBJECT, type LoadResult } from './common.js';
import type { CredentialSource, CredentialsKind } from './credentials.js';
import { selectedRowIds } from './knobs.js';
import { FASTIFY_ROWS } from './rows-fastify.js';

/** A script under bench/servers/. */
export type ServerName = 'library-app' | 'bare-nest' | 'express-sdk';

export interface RowSpec {
  id: string;
  label: string;
  server: ServerName;
  /** The server's HTTP platform (`BENCH_HTTP_ADAPTER`); default Express. */
  httpAdapter?: 'express' | 'fastify';
  auth: 'on' | 'off';
  token: CredentialsKind;
  /** The library app's `tokenCache.ttlMs` (unset: the default, 60 s); 0 turns the result cache off. */
  tokenCacheTtlMs?: number;
  expectStatus: 200 | 401;
  /** For 200 rows: text the `whoami` result must contain. */
  expectText?: string;
}

const LIBRARY = { server: 'library-app', auth: 'on' } as const;
const SDK = { server: 'express-sdk', auth: 'on' } as const;
const OK = { expectStatus: 200, expectText: BENCH_SUBJECT } as const;
const REFUSED = { expectStatus: 401 } as const;

export const ROW_SPECS: RowSpec[] = [
  { id: '1', label: 'library app, valid token', ...LIBRARY, token: 'valid', ...OK },
  // Issue 13: what the token cache costs when it never hits, and what a DPoP proof costs per request.
  {
    id: '1n',
    label: 'library app, valid token, tokenCache.ttlMs 0',
    ...LIBRARY,
    token: 'valid',
    tokenCacheTtlMs: 0,
    ...OK,
  },
  { id: '1d', label: 'library app, DPoP-bound token + fresh proof', ...LIBRARY, token: 'dpop', ...OK },
  // Same request bytes as row 1 (token included); with auth off the app must ignore it.
  {
    id: '2',
    label: 'library app, auth off',
    server: 'library-app',
    auth: 'off',
    token: 'valid',
    expectStatus: 200,
    expectText: 'anonymous',
  },
  { id: '3', label: 'bare NestJS POST route', server: 'bare-nest', auth: 'on', token: 'valid', ...OK },
  { id: '4', label: 'Express + SDK requireBearerAuth', ...SDK, token: 'valid', ...OK },
  { id: '5a', label: 'library app, no token', ...LIBRARY, token: 'none', ...REFUSED },
  { id: '5b', label: 'library app, bad signature', ...LIBRARY, token: 'bad-signature', ...REFUSED },
  // Issue 13: the paths a cache cannot help (many users; an attacker), against the SDK pattern too.
  { id: '7a', label: 'library app, different valid token each request', ...LIBRARY, token: 'distinct-valid', ...OK },
  {
    id: '7n',
    label: 'library app, different valid tokens, ttlMs 0',
    ...LIBRARY,
    token: 'distinct-valid',
    tokenCacheTtlMs: 0,
    ...OK,
  },
  { id: '7s', label: 'Express + SDK, different valid token each request', ...SDK, token: 'distinct-valid', ...OK },
  {
    id: '8a',
    label: 'library app, different forged token each request',
    ...LIBRARY,
    token: 'distinct-forged',
    ...REFUSED,
  },
  {
    id: '8s',
    label: 'Express + SDK, different forged token each request',
    ...SDK,
    token: 'distinct-forged',
    ...REFUSED,
  },
  ...FASTIFY_ROWS,
];

/** A load run plus what the server process spent on it. */
export interface RoundResult extends LoadResult {
  /** CPU time (user + system) the server process used during the run. */
  serverCpuSeconds: number;
  /** Requests per server CPU-second: throughput normalised by the CPU the server actually got. */
  reqPerCpuSec: number;
  /** Server CPU time / run time: below ~0.9 the server was starved (noisy machine) or the load generator was the limit. */
  serverCpuShare: number;
  /** Load generator CPU time / run time: near 1 it, not the server, was the limit. */
  loadCpuShare: number;
  /** The server's resident set size (VmRSS) right after the run, in kB. */
  rssAfterKb?: number;
  /**
   * Share of the server's core (core 0 when pinned) busy with anything but the server, hypervisor steal included,
   * per second of run time: high means neighbours took the CPU and the row's req/s is understated. NaN when not pinned.
   */
  othersOnServerCore: number;
}

/** Medians over a row's measured rounds (key order is that of latest.json). */
export interface RowMedians {
  rps: number;
  p50: number;
  p99: number;
  reqPerCpuSec: number;
  serverCpuShare: number;
  loadCpuShare: number;
  othersOnServerCore: number;
}

export interface RowState {
  spec: RowSpec;
  status: 'OK' | 'INVALID' | 'SKIPPED';
  /** Why the row is INVALID or SKIPPED (the first problem found). */
  reason?: string;
  port?: number;
  url?: string;
  child?: ChildProcess;
  /** Last lines the server wrote to stderr, quoted when it dies. */
  stderrTail: string[];
  credentials?: CredentialSource;
  /** Per-request credentials of the current run: their file, size, and where the next run starts in it. */
  pool?: { file: string; size: number; next: number };
  /** Seconds of load the server has had so far (warm-up included). */
  loadedSeconds: number;
  rounds: RoundResult[];
  /** JWKS fetches the issuer saw during this row's measured rounds. */
  jwksFetches: number;
  peakRssKb?: number;
  /** VmRSS right after the row's last measured round, in kB. */
  rssAfterKb?: number;
  median?: RowMedians;
  /** Lowest and highest req/s of the rounds (how noisy the machine was). */
  rpsRange?: [number, number];
}

/** Fresh state for every row BENCH_ROWS selects (all rows without it), in table order. */
export function selectRows(): RowState[] {
  return ROW_SPECS.filter((spec) => !selectedRowIds || selectedRowIds.includes(spec.id)).map((spec) => ({
    spec,
    status: 'OK',
    stderrTail: [],
    loadedSeconds: 0,
    rounds: [],
    jwksFetches: 0,
  }));
}

export const findRow = (rows: readonly RowState[], id: string): RowState | undefined =>
  rows.find((row) => row.spec.id === id);

export const activeRows = (rows: readonly RowState[]): RowState[] => rows.filter((row) => row.status === 'OK');
