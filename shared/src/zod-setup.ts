import { z } from 'zod';
// The .cjs file: CommonJS consumers (the API, jest) cannot load the ESM one; the
// mini-program's webpack aliases it back to the ESM file to keep one zod core.
import zhCN from 'zod/v4/locales/zh-CN.cjs';

// Mini-programs forbid `new Function`, which zod uses for its fast path: jitless
// must be set before any schema is defined, so every schema module imports this
// file first. Only the one Chinese locale is loaded (importing all locales costs
// ≈ 480 KB in the weapp bundle).
z.config({ jitless: true, ...zhCN() });
