// Preloaded into the reusable V8 context by bench/bundle.bench.ts: zod, with its lazily set default locale set now,
// before the SDK freezes shared modules (zod would otherwise write it on first use and throw).
import { z } from 'zod';

z.config(z.locales.en());
export { z };
