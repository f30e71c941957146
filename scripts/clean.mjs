// Removes build output (both the app's and the library's), so no stale compiled test survives a rename.
import { rmSync } from 'node:fs';

for (const path of ['dist', 'libs/mcp-auth/dist']) rmSync(path, { recursive: true, force: true });
