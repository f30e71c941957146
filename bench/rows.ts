// The measured rows (bench/README.md has the table) and the state each one gathers during a run.
import type { ChildProcess } from 'node:child_process';
import { BENCH_SUBJECT, type LoadResult } from './common.js';
import { selectedRowIds } from './knobs.js';
import { FASTIFY_ROWS } from './rows-fastify.js';

/** A script under bench/servers/. */
export type ServerName = 'library-app' | 'bare-nest' | 'express-sdk';
export type TokenKind = 'valid' | 'none' | 'bad-signature';

export interface RowSpec {
  id: string;
  label: string;
  server: ServerName;
  /** The server's HTTP platform (`BENCH_HTTP_ADAPTER`); default Express. */
  httpAdapter?: 'express' | 'fastify';
  auth: 'on' | 'off';
  token: TokenKind;
  expectStatus: 200 | 401;
  /** For 200 rows: text the `whoami` result must contain. */
  expectText?: string;
}

export const ROW_SPECS: RowSpec[] = [
  {
    id: '1',
    label: 'library app, valid token',
    server: 'library-app',
    auth: 'on',
    token: 'valid',
    expectStatus: 200,
    expectText: BENCH_SUBJECT,
  },
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
  {
    id: '3',
    label: 'bare NestJS POST route',
    server: 'bare-nest',
    auth: 'on',
    token: 'valid',
    expectStatus: 200,
    expectText: BENCH_SUBJECT,
  },
  {
    id: '4',
    label: 'Express + SDK requireBearerAuth',
    server: 'express-sdk',
    auth: 'on',
    token: 'valid',
    expectStatus: 200,
    expectText: BENCH_SUBJECT,
  },
  { id: '5a', label: 'library app, no token', server: 'library-app', auth: 'on', token: 'none', expectStatus: 401 },
  {
    id: '5b',
    label: 'library app, bad signature',
    server: 'library-app',
    auth: 'on',
    token: 'bad-signature',
    expectStatus: 401,
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
  token?: string;
  rounds: RoundResult[];
  /** JWKS fetches the issuer saw during this row's measured rounds. */
  jwksFetches: number;
  peakRssKb?: number;
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
    rounds: [],
    jwksFetches: 0,
  }));
}

export const findRow = (rows: readonly RowState[], id: string): RowState | undefined =>
  rows.find((row) => row.spec.id === id);

export const activeRows = (rows: readonly RowState[]): RowState[] => rows.filter((row) => row.status === 'OK');
