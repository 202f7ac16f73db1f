// The server's CSP allows no eval: zod's compiled parsers would probe `new Function`, which the
// browser reports as a CSP violation even though zod catches it. Zod decides between compiled and
// interpreted parsing when a schema is built, so the switch must be set before any module builds
// one, whatever chunk the bundler puts it in: this runs as a polyfill, ahead of main.ts. Zod keeps
// its configuration on `globalThis.__zod_globalConfig` (zod/v4/core) and adopts an existing one,
// so the setting is made there without loading a second copy of zod into the polyfills bundle.
const zodHost = globalThis as { __zod_globalConfig?: Record<string, unknown> };
zodHost.__zod_globalConfig = { ...zodHost.__zod_globalConfig, jitless: true };

export {};
