import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { redactPem } from '../domain/redaction';
import { type GatewayContext } from '../schema/context';
import { formatError } from './errors/format-error';
import { MAX_DOCUMENT_TOKENS } from './limits/document-reader';
import { type Logger } from './logger';

export interface ApolloOptions {
  /** Hears about faults of ours that callers only see masked. */
  logger: Logger;
  production: boolean;
  introspection: boolean;
  /** Apollo Sandbox on GET /graphql for browsers. */
  sandbox: boolean;
}

/**
 * Apollo Server validates, executes and formats; everything before that (limits, keys, persisted
 * queries, batches) is the HTTP front's stages, which hand it only operations they have checked.
 */
export function createApollo(schema: GraphQLSchema, options: ApolloOptions): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    // Checked before: this only backs up the front's own count.
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    // Browsers may only send "simple" requests cross-site; everything else needs a preflight header.
    csrfPrevention: true,
    // The gateway drains and stops itself on SIGTERM; Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false,
    // The front splits batches and keeps persisted queries in the shared store (pipeline/).
    allowBatchedHttpRequests: false,
    persistedQueries: false,
    logger: jsonLogger(options.logger),
    formatError: errorFormatter(options.logger, options.production),
    plugins: [
      // The schema sets no cache hints, and HTTP caching is not how certificates are kept fresh (the
      // shared cache is); Apollo's cache-control plugin would otherwise wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      options.sandbox ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}

/** formatError, with the faults it masks logged (the subscriptions' websocket formats its errors the same way). */
export function errorFormatter(logger: Logger, production: boolean): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const answer = formatError(formatted, error, { production });
    if (answer.extensions?.code === 'INTERNAL_SERVER_ERROR') {
      const cause = unwrapResolverError(error) as Error;
      logger.error({ path: formatted.path, error: redactPem(cause?.stack ?? String(cause)) }, 'unexpected error, masked for the caller');
    }
    return answer;
  };
}

type ApolloLogger = NonNullable<ApolloServerOptions<GatewayContext>['logger']>;

/** Apollo Server's own messages as the gateway's JSON log lines (its default logger writes plain text). */
function jsonLogger(logger: Logger): ApolloLogger {
  const line = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) => logger[level]({ source: 'apollo' }, redactPem(String(message)));
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
