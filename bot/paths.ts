/** Folders the service serves from, resolved from this file so any working directory works. */
import { fileURLToPath } from 'node:url';

/** The built tab (tab/dist), served at `/`. */
export const TAB_DIR = fileURLToPath(new URL('../tab/dist', import.meta.url));
