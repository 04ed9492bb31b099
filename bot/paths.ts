/** Folders the service serves from, resolved from this file so any working directory works. */
import { fileURLToPath } from 'node:url';

/** Set by the production build (bot/build.ts): where the tab is beside the bundle. */
declare const BUILD_TAB_DIR: string | undefined;

/** The built tab, served at `/`: tab/dist from source, dist/tab in the production build. */
export const TAB_DIR = fileURLToPath(
  new URL(typeof BUILD_TAB_DIR === 'string' ? BUILD_TAB_DIR : '../tab/dist', import.meta.url),
);
