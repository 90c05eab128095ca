import {
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface OperationLimits {
  maxCost: number;
  maxDepth: number;
  maxAliases: number;
  /** Longest list argument (`certificates(ids:)`, `serverCertificates(ids:)`). */
  maxListArgument: number;
}

export const DEFAULT_LIMITS: OperationLimits = { maxCost: 25_000, maxDepth: 8, maxAliases: 50, maxListArgument: 1_000 };

/**
 * How many results a list field is assumed to return when no argument says: the size a dashboard
 * sees on a large account. `certificates(ids:)` and `serverCertificates(ids:)` count their arguments.
 */
const ASSUMED_LIST_SIZES: Record<string, number> = { sites: 20, certificates: 25, serverCertificates: 50 };
const LIST_ARGUMENTS = new Set(['ids']);

export interface OperationMeasure {
  cost: number;
  depth: number;
  aliases: number;
  longestList: number;
}

/**
 * Measures an operation before it runs: every field costs one, and what a list field selects costs
 * once per item it may return (its list argument's length, or the assumed size). Aliases count like
 * any field, and are also counted on their own. Variables are resolved, so a long `ids` variable
 * costs what a long literal does, and so does the default value of a variable the request leaves out.
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): OperationMeasure {
  const measure: OperationMeasure = { cost: 0, depth: 0, aliases: 0, longestList: 0 };
  const resolved: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) resolved[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  for (const [name, value] of Object.entries(variables)) if (value !== undefined) resolved[name] = value;
  measure.cost = selectionCost(operation.selectionSet, 1, { measure, fragments, variables: resolved, visiting: new Set() });
  return measure;
}

/** What the walk carries down the document: the running measure and what names resolve to. */
interface Walk {
  measure: OperationMeasure;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Fragments being expanded on the current path. */
  visiting: Set<string>;
}

function selectionCost(selectionSet: SelectionSetNode, depth: number, walk: Walk): number {
  const { measure, fragments, visiting } = walk;
  measure.depth = Math.max(measure.depth, depth);
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(selection, depth, walk);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += selectionCost(selection.selectionSet, depth, walk);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      // A fragment spread inside itself never terminates; validation refuses it, this only stops the walk.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      cost += selectionCost(fragment.selectionSet, depth, walk);
      visiting.delete(name);
    }
  }
  return cost;
}

function fieldCost(field: FieldNode, depth: number, walk: Walk): number {
  const { measure } = walk;
  if (field.alias) measure.aliases += 1;
  let items = 1;
  for (const argument of field.arguments ?? []) {
    if (!LIST_ARGUMENTS.has(argument.name.value)) continue;
    const length = listLength(argument.value, walk.variables);
    measure.longestList = Math.max(measure.longestList, length);
    items = Math.max(items, length);
  }
  if (!field.selectionSet) return 1;
  if (items === 1) items = ASSUMED_LIST_SIZES[field.name.value] ?? 1;
  return 1 + items * selectionCost(field.selectionSet, depth + 1, walk);
}

function listLength(value: ValueNode, variables: Record<string, unknown>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return Array.isArray(bound) ? bound.length : 1;
  }
  return 1;
}
