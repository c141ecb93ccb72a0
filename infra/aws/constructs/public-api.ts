/**
 * The public face: the REST API (createRestApi: its stage, access log and optional custom
 * domain), and the PublicApi construct on it: the staff routes' request authorizer, the routes
 * of the wiring, CORS for the public routes, the WAF in front of the stage, and the alarms on
 * both.
 *
 * Its id in the stack is 'Default', which CDK leaves out of logical ids and unique names: the
 * API's resources keep the ids they had as the stack's own children, and so do the Lambda
 * permissions named after the API's and the authorizer's unique names.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  type LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  RequestValidator,
  type Resource,
  RestApi,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { HttpMethod, HttpRoute } from '#functions/wiring.ts';
import type { StageConfig } from '../config.ts';
import type { Alarms } from './alarms.ts';

export interface PublicApiProps {
  /** From createRestApi. */
  api: RestApi;
  config: StageConfig;
  alarms: Alarms;
}

export class PublicApi extends Construct {
  readonly api: RestApi;
  private readonly config: StageConfig;
  private readonly validator: RequestValidator;
  private readonly publicMethods = new Map<Resource, Set<HttpMethod>>();
  private staffAuthorizer: RequestAuthorizer | undefined;

  constructor(scope: Construct, props: PublicApiProps) {
    super(scope, 'Default');
    const { config, alarms } = props;
    this.config = config;
    this.api = props.api;
    this.validator = new RequestValidator(this, 'ApiRequestValidator', {
      restApi: this.api,
      // Bodies are validated by the handlers (zod, with field-level messages); no route
      // declares a model, so API Gateway checks the required path parameters only.
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    alarms.add(
      this,
      'ApiServerErrorsAlarm',
      // The stage's own metric: two stages in one account never share it.
      this.api.deploymentStage.metricServerError({
        period: Duration.minutes(5),
        statistic: Stats.SUM,
      }),
      1,
      'The API answered with a 5XX: see the access log and the functions\u2019 logs.',
    );
    this.createFirewall(alarms);
  }

  /** The staff routes' authorizer: set it before adding any staff route. */
  setStaffAuthorizer(handler: IFunction): void {
    this.staffAuthorizer = new RequestAuthorizer(this, 'StaffRequestAuthorizer', {
      handler,
      authorizerName: `aftercare-${this.config.stage}-staff`,
      // Sessions are cookies or bearer tokens: no single header to key a cache on.
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });
  }

  /** One route of the wiring: public ones open to all, the others behind the authorizer. */
  addRoute(route: HttpRoute, integration: LambdaIntegration): void {
    const resource = this.api.root.resourceForPath(route.path);
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    if (!route.public && !this.staffAuthorizer) {
      throw new Error(`${route.path} needs an authorizer, and the wiring has none`);
    }
    const method = resource.addMethod(route.method, integration, {
      requestValidator: this.validator,
      requestParameters: Object.fromEntries(
        pathParameters.map((parameter) => [`method.request.path.${parameter}`, true]),
      ),
      ...(route.public
        ? {}
        : { authorizer: this.staffAuthorizer, authorizationType: AuthorizationType.CUSTOM }),
    });
    if (route.public) {
      const methods = this.publicMethods.get(resource) ?? new Set<HttpMethod>();
      methods.add(route.method);
      this.publicMethods.set(resource, methods);
      Validations.of(method).acknowledge(
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'A public route: customers are anonymous by design (staff routes have the ' +
            'authorizer). Status lookups answer only with the matching email; the WAF rate ' +
            'rules and stage throttling guard every route.',
        },
        {
          id: 'AwsSolutions-COG4',
          reason: 'A public route for anonymous customers (see AwsSolutions-APIG4).',
        },
      );
    } else {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'Staff routes use a Lambda request authorizer that verifies the staff user ' +
          'pool\u2019s ID tokens (aws-jwt-verify): the console works without JavaScript, so ' +
          'its session is an HttpOnly cookie, which a Cognito authorizer cannot read.',
      });
    }
  }

  /** After the last route: CORS for the public routes, if the stage lists origins. */
  addCorsPreflights(): void {
    if (this.config.api.corsOrigins.length === 0) return;
    // Only the public routes, only the listed origins, only the methods they answer.
    for (const [resource, methods] of this.publicMethods) {
      resource.addCorsPreflight({
        allowOrigins: this.config.api.corsOrigins,
        allowMethods: [...methods],
        allowHeaders: ['Content-Type', 'Idempotency-Key'],
        maxAge: Duration.hours(1),
      });
    }
  }

  private createFirewall(alarms: Alarms): void {
    const { config } = this;
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = (priority: number, name: string, countOnly: { name: string }[] = []) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ...(countOnly.length > 0
            ? {
                ruleActionOverrides: countOnly.map(({ name: rule }) => ({
                  name: rule,
                  actionToUse: { count: {} },
                })),
              }
            : {}),
        },
      },
      visibilityConfig: visibility(name),
    });
    const aclName = `aftercare-${config.stage}-api`;
    const acl = new CfnWebACL(this, 'ApiFirewall', {
      name: aclName,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description:
        'Rate-limits each client address, its staff sign-in attempts more tightly, and drops known-bad traffic',
      visibilityConfig: visibility(`aftercare-${config.stage}-api`),
      rules: [
        {
          name: 'RatePerClient',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              limit: config.api.wafRequestsPerFiveMinutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('RatePerClient'),
        },
        {
          // Password guessing: far fewer sign-in posts than page views per address.
          name: 'SignInRatePerClient',
          priority: 1,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              limit: config.api.signInRequestsPerFiveMinutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'CONTAINS',
                  searchString: '/staff/login',
                  textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
                },
              },
            },
          },
          visibilityConfig: visibility('SignInRatePerClient'),
        },
        managed(2, 'AWSManagedRulesAmazonIpReputationList'),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
        // The common rule set blocks bodies over 8 KB; a complaint may be 64 KB (5,000 Chinese
        // characters are 15 KB), and the handlers enforce that limit themselves.
        managed(4, 'AWSManagedRulesCommonRuleSet', [{ name: 'SizeRestrictions_BODY' }]),
      ],
    });
    new CfnWebACLAssociation(this, 'ApiFirewallAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
    // WAF's own log: which rule blocked whom. Its name must start with aws-waf-logs-. WAF
    // never logs bodies; cookies and tokens are redacted.
    const wafLogs = new LogGroup(this, 'ApiFirewallLogs', {
      logGroupName: `aws-waf-logs-aftercare-${config.stage}`,
      retention: config.logRetentionDays,
    });
    new CfnLoggingConfiguration(this, 'ApiFirewallLogging', {
      resourceArn: acl.attrArn,
      logDestinationConfigs: [wafLogs.logGroupArn],
      redactedFields: [
        { singleHeader: { Name: 'cookie' } },
        { singleHeader: { Name: 'authorization' } },
      ],
    });
    alarms.add(
      this,
      'ApiFirewallBlocksAlarm',
      new Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: aclName, Region: Stack.of(this).region, Rule: 'ALL' },
        statistic: Stats.SUM,
        period: Duration.minutes(5),
      }),
      config.alarms.blockedRequestsPerFiveMinutes,
      'The firewall blocked many requests in five minutes: an attack, or a rule catching real customers. See its log group.',
    );
  }
}

/**
 * The REST API with its stage, access log and optional custom domain, made in the given
 * scope (the stack), not inside PublicApi: the logical id of the API's deployment hashes the
 * RestApi's whole template entry, its construct path included, so a RestApi one level deeper
 * would replace the deployment.
 */
export function createRestApi(scope: Construct, config: StageConfig): RestApi {
  const accessLogs = new LogGroup(scope, 'ApiAccessLogs', { retention: config.logRetentionDays });
  const api = new RestApi(scope, 'Api', {
    restApiName: `aftercare-${config.stage}`,
    description: `Aftercare ${config.stage}: complaint form, intake, status and the staff console`,
    endpointConfiguration: { types: [EndpointType.REGIONAL] },
    // Execution and access logs need the account-level CloudWatch role; keep it when this
    // stack goes, as other APIs in the account may rely on it.
    cloudWatchRole: true,
    cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
    deployOptions: {
      stageName: config.stage,
      throttlingRateLimit: config.api.rateLimit,
      throttlingBurstLimit: config.api.burstLimit,
      loggingLevel: MethodLoggingLevel.ERROR,
      // Never log request or response bodies: they hold customers' personal data.
      dataTraceEnabled: false,
      metricsEnabled: true,
      tracingEnabled: config.tracing,
      accessLogDestination: new LogGroupLogDestination(accessLogs),
      // The resource path (`/complaints/{reference}`), never the actual path or query
      // string, so no reference or email address reaches the access log.
      accessLogFormat: AccessLogFormat.custom(
        JSON.stringify({
          requestId: AccessLogField.contextRequestId(),
          ip: AccessLogField.contextIdentitySourceIp(),
          requestTime: AccessLogField.contextRequestTime(),
          method: AccessLogField.contextHttpMethod(),
          resourcePath: AccessLogField.contextResourcePath(),
          status: AccessLogField.contextStatus(),
          responseLength: AccessLogField.contextResponseLength(),
          responseLatencyMs: AccessLogField.contextResponseLatency(),
          integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
          integrationError: AccessLogField.contextIntegrationErrorMessage(),
          waf: AccessLogField.contextWafResponseCode(),
        }),
      ),
    },
  });
  const customDomain = config.api.customDomain;
  if (customDomain) {
    api.addDomainName('Domain', {
      domainName: customDomain.name,
      certificate: Certificate.fromCertificateArn(
        scope,
        'DomainCertificate',
        customDomain.certificateArn,
      ),
      endpointType: EndpointType.REGIONAL,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
  }
  const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    Validations.of(cloudWatchRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role API Gateway logs with; AWS maintains this service policy for exactly that.',
    });
  }
  return api;
}
