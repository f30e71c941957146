/** What a logger was told: `error` lines as `error <line>`, `log` lines as `log <line>`, in order. */
export function recordingLogger(): { lines: string[]; logger: { error(line: string): void; log(line: string): void } } {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      error: (line) => void lines.push(`error ${line}`),
      log: (line) => void lines.push(`log ${line}`),
    },
  };
}
