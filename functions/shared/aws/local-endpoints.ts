/**
 * Where the AWS clients point. On Lambda none of these is set and the SDK finds AWS as
 * usual; the local host sets them to its stand-ins (dynalite, fauxqs, aws-ses-v2-local,
 * cognito-local),
 * which speak the same wire protocols, so every SDK code path stays the real one.
 */
export const localEndpointVariables = {
  dynamodb: 'AFTERCARE_DYNAMODB_ENDPOINT',
  sqs: 'AFTERCARE_SQS_ENDPOINT',
  ses: 'AFTERCARE_SES_ENDPOINT',
  cognito: 'AFTERCARE_COGNITO_ENDPOINT',
  /** fauxqs serves S3 on its SQS endpoint. */
  s3: 'AFTERCARE_S3_ENDPOINT',
} as const;

export type Service = keyof typeof localEndpointVariables;

/** The region the stand-ins answer for; fauxqs puts it into queue URLs and ARNs. */
export const localRegion = 'us-east-1';

export interface ClientOverrides {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function clientOverrides(service: Service): ClientOverrides {
  const endpoint = process.env[localEndpointVariables[service]];
  if (!endpoint) return {};
  // The stand-ins accept any credentials; fixed ones keep the SDK from searching for real ones.
  return {
    endpoint,
    region: localRegion,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

/** One client per endpoint: Lambda reuses it across invocations, tests may restart stand-ins. */
export function cachedPerEndpoint<T>(service: Service, create: (overrides: ClientOverrides) => T) {
  const clients = new Map<string, T>();
  return (): T => {
    const overrides = clientOverrides(service);
    const cacheKey = overrides.endpoint ?? 'aws';
    let client = clients.get(cacheKey);
    if (!client) {
      client = create(overrides);
      clients.set(cacheKey, client);
    }
    return client;
  };
}
