/**
 * What is running, for `/version` and telemetry: the package version, and the commit and build
 * time that `npm run build` writes into the bundle (`bot/build.ts`). Run from source, the commit
 * is `source`.
 */
import manifest from '../package.json' with { type: 'json' };

/** Replaced by the production build (esbuild `define`); undefined when run from source. */
declare const BUILD_INFO: { readonly commit: string; readonly builtAt: string } | undefined;

/** The running service's version. */
export interface VersionInfo {
  readonly name: string;
  readonly version: string;
  readonly commit: string;
  readonly builtAt: string | undefined;
}

export const VERSION: VersionInfo = Object.freeze({
  name: manifest.name,
  version: manifest.version,
  commit: typeof BUILD_INFO === 'undefined' ? 'source' : BUILD_INFO.commit,
  builtAt: typeof BUILD_INFO === 'undefined' ? undefined : BUILD_INFO.builtAt,
});
