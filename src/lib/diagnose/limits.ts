/** Largest log accepted, in bytes of UTF-8 (or characters of an already decoded string). Its own module, so the page's main script can check a paste without loading the engine. */
export const MAX_LOG_BYTES = 10 * 1024 * 1024;
