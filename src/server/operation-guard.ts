import { type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import { GatewayError } from '../domain/errors/gateway-error';
import { type GatewayContext } from '../schema/context';
import { measureOperation, type OperationLimits } from './limits/operation-cost';

/**
 * Refuses, before anything runs, an operation the caller's key may not perform (queries need
 * `certificates:read`, mutations `certificates:write`) or one too expensive to run: cost, depth,
 * aliases and list arguments are measured with the operation's variables.
 */
export function operationGuard(limits: OperationLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, contextValue }) {
          if (!operation) return;
          // graphql-js only finds out at execution that the schema has no subscription root, and says
          // so with an uncoded error that would be masked as our own fault.
          if (operation.operation === 'subscription') {
            throw refuse(new GatewayError('GRAPHQL_VALIDATION_FAILED', 'This gateway has no subscriptions.', { provider: 'GATEWAY' }), 400);
          }
          const scope = operation.operation === 'mutation' ? 'certificates:write' : 'certificates:read';
          if (!contextValue.access.can(scope)) {
            throw refuse(new GatewayError('FORBIDDEN', `This API key lacks the ${scope} scope.`, { provider: 'GATEWAY' }), 403);
          }
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const measure = measureOperation(operation, fragments, request.variables ?? {});
          const problems = [
            measure.cost > limits.maxCost && `costs ${measure.cost}, over the limit of ${limits.maxCost}`,
            measure.depth > limits.maxDepth && `is ${measure.depth} levels deep, over the limit of ${limits.maxDepth}`,
            measure.aliases > limits.maxAliases && `uses ${measure.aliases} aliases, over the limit of ${limits.maxAliases}`,
            measure.longestList > limits.maxListArgument && `asks for ${measure.longestList} ids at once, over the limit of ${limits.maxListArgument}`,
          ].filter((problem): problem is string => typeof problem === 'string');
          if (problems.length) {
            throw refuse(new GatewayError('GRAPHQL_VALIDATION_FAILED', `The operation ${problems.join('; ')}.`, { provider: 'GATEWAY' }), 400);
          }
        },
      };
    },
  };
}

/** Apollo answers an error thrown here with the HTTP status in its extensions; the formatter reads the GatewayError. */
function refuse(error: GatewayError, status: number): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status } } });
}
