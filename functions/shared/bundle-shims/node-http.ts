/**
 * Stands in for `node:http` in the Lambda bundles (an esbuild alias in infra/aws/bundling.ts).
 * An ESM import of a built-in makes Node read every export of it, and `node:http`'s lazy
 * WebSocket exports then load undici: about 40 ms of every cold start, for the status texts
 * middy reads. `require` reads only what is used. A module that imports anything else from
 * `node:http` fails the build here, not at run time.
 */
import type * as Http from 'node:http';
import { createRequire } from 'node:module';

const http: typeof Http = createRequire(import.meta.url)('node:http');

export const { Agent, STATUS_CODES, request } = http;
export default http;
