import { S3Client } from '@aws-sdk/client-s3';
import { cachedPerEndpoint } from './local-endpoints.ts';

// Path-style addressing locally: `bucket.127.0.0.1` would not resolve.
export const s3Client = cachedPerEndpoint(
  's3',
  (overrides) => new S3Client({ ...overrides, forcePathStyle: overrides.endpoint !== undefined }),
);
