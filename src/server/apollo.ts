import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { type GraphQLSchema } from 'graphql';
import { type GatewayContext } from '../schema/context';
import { unwrapResolverError } from '@apollo/server/errors';
import { formatError, redactPem } from './format-error';
import { type Logger } from './logger';
import { type OperationLimits } from './limits/operation-cost';
import { type GatewayMetrics } from './metrics';
import { operationGuard } from './operation-guard';
import { currentRequestScope } from './request-scope';

export interface ApolloOptions {
  /** Hears about faults of ours that callers only see masked. */
  logger: Logger;
  production: boolean;
  introspection: boolean;
  /** Apollo Sandbox on GET /graphql for browsers. */
  sandbox: boolean;
  metrics: GatewayMetrics;
  limits: OperationLimits;
}

/**
 * Most lexical tokens a document may have. The operation limits are measured on the parsed document,
 * so parsing and validation come first; validation of repeated fields grows with the square of their
 * number, and a 1 MiB body holds a few hundred thousand tokens. The largest operation the limits
 * allow (a thousand ids, fifty aliases, every Certificate field) is a few thousand tokens.
 */
export const MAX_DOCUMENT_TOKENS = 20_000;

export function createApollo(schema: GraphQLSchema, options: ApolloOptions): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    // Browsers may only send "simple" requests cross-site; everything else needs a preflight header.
    csrfPrevention: true,
    // The gateway drains and stops itself on SIGTERM; Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    // Several operations in one request are allowed; the HTTP layer caps how many.
    allowBatchedHttpRequests: true,
    formatError: (formatted, error) => {
      const answer = formatError(formatted, error, { production: options.production });
      if (answer.extensions?.code === 'INTERNAL_SERVER_ERROR') {
        const cause = unwrapResolverError(error) as Error;
        options.logger.error({ path: formatted.path, error: redactPem(cause?.stack ?? String(cause)) }, 'unexpected error, masked for the caller');
      }
      return answer;
    },
    plugins: [
      // The schema sets no cache hints, and HTTP caching is not how certificates are kept fresh (the
      // shared cache is); Apollo's cache-control plugin would otherwise wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      options.sandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }) : ApolloServerPluginLandingPageDisabled(),
      operationGuard(options.limits),
      requestMetrics(options.metrics),
      answerSources(),
    ],
  });
}

function requestMetrics(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors }) {
          metrics.observeRequest(operationName ?? 'anonymous', errors?.length ? 'error' : 'ok', Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

/** Tells the response cache which answers are queries without errors, and until when their values hold. */
function answerSources(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, operationName, errors, response, contextValue }) {
          const sources = currentRequestScope()?.sources;
          if (!sources || operation?.operation !== 'query' || errors?.length) return;
          if (response.body.kind !== 'single' || response.body.singleResult.errors?.length) return;
          sources.answeredQuery(operationName ?? 'anonymous', contextValue.clock.validUntil);
        },
      };
    },
  };
}
