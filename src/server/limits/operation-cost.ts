import {
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface OperationLimits {
  maxCost: number;
  /** Levels of the schema's own fields; introspection is measured by its own limits below. */
  maxDepth: number;
  maxAliases: number;
  /** Longest list argument (`nodes(ids:)`, `serverCertificates(ids:)`). */
  maxListArgument: number;
  /** Field selections once every fragment is expanded (not multiplied by list sizes). */
  maxFields: number;
  /** Directives once every fragment is expanded. */
  maxDirectives: number;
}

export const DEFAULT_LIMITS: OperationLimits = { maxCost: 25_000, maxDepth: 8, maxAliases: 50, maxListArgument: 1_000, maxFields: 2_500, maxDirectives: 50 };

/**
 * Introspection has a fixed shape: the standard query (graphql-js `getIntrospectionQuery()`, sent by
 * Apollo Sandbox, GraphQL Code Generator, Postman and Insomnia) is 14 levels deep, most of them the
 * `ofType` chain that unwraps a type such as `[String!]!`. What makes introspection expensive is
 * nesting the fields that list types inside each other (`fields { type { fields { ... } } }`), so those
 * are counted on their own, as graphql-js's MaxIntrospectionDepthRule does.
 */
export const INTROSPECTION_LIMITS = { maxDepth: 20, maxNestedLists: 2 } as const;
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);
const INTROSPECTION_LISTS = new Set(['fields', 'inputFields', 'interfaces', 'possibleTypes']);

/**
 * How many results a list field is assumed to return when no argument says: the size a dashboard
 * sees on a large account. `nodes(ids:)` and `serverCertificates(ids:)` count their arguments.
 */
const ASSUMED_LIST_SIZES: Record<string, number> = { sites: 20, serverCertificates: 50 };
const LIST_ARGUMENTS = new Set(['ids']);
/** Relay connections: their `edges` and `nodes` hold `first` (or `last`) items, 50 when neither is given. */
const CONNECTIONS = new Set(['certificates']);
const PAGE_ARGUMENTS = new Set(['first', 'last']);
const DEFAULT_PAGE_SIZE = 50;
const PAGE_LISTS = new Set(['edges', 'nodes']);

export interface OperationMeasure {
  cost: number;
  depth: number;
  introspectionDepth: number;
  /** Introspection fields that list types, nested in one another on one path. */
  introspectionLists: number;
  aliases: number;
  fields: number;
  directives: number;
  longestList: number;
}

const NOTHING: OperationMeasure = { cost: 0, depth: 0, introspectionDepth: 0, introspectionLists: 0, aliases: 0, fields: 0, directives: 0, longestList: 0 };

/**
 * Measures an operation before it is validated or run, in time linear in the document's size: each
 * fragment is measured once (per mode: inside introspection or not) and its measure reused at every
 * spread, so a chain of fragments that each spread the next twice costs what it says (2^n) without
 * being walked 2^n times. Every field costs one, and what a list field selects costs once per item it
 * may return (its list argument's length, or the assumed size). Aliases, fields and directives are
 * counted as if every fragment were written out. Variables are resolved, so a long `ids` variable
 * costs what a long literal does, and so does the default value of a variable the request leaves out.
 * Counts may reach Infinity on absurd documents; every comparison with a limit still holds.
 */
export function measureOperation(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): OperationMeasure {
  const resolved: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) resolved[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  for (const [name, value] of Object.entries(variables)) if (value !== undefined) resolved[name] = value;
  const walk: Walk = { fragments, variables: resolved, measured: new Map(), visiting: new Set() };
  return measureSelections(operation.selectionSet, false, walk);
}

/**
 * The worst of every operation and every fragment of a document, each measured on its own: graphql-js
 * validates all of them whichever operation runs, so none may be beyond the limits.
 */
export function measureDocument(document: DocumentNode, variables: Record<string, unknown>): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const worst = { ...NOTHING };
  const walk: Walk = { fragments, variables, measured: new Map(), visiting: new Set() };
  for (const definition of document.definitions) {
    let measure: OperationMeasure | undefined;
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      // Default values change what a variable resolves to, so such an operation gets a walk of its own.
      const defaults = definition.variableDefinitions?.some((variable) => variable.defaultValue) ?? false;
      measure = defaults ? measureOperation(definition, fragments, variables) : measureSelections(definition.selectionSet, false, walk);
    }
    else if (definition.kind === Kind.FRAGMENT_DEFINITION) measure = measureFragment(definition.name.value, false, walk);
    if (!measure) continue;
    for (const name of Object.keys(worst) as Array<keyof OperationMeasure>) worst[name] = Math.max(worst[name], measure[name]);
  }
  return worst;
}

/** The problems of a measure against the limits, in words for the caller; empty when within them. */
export function limitProblems(measure: OperationMeasure, limits: OperationLimits): string[] {
  const problems = [
    measure.depth > limits.maxDepth && `is ${measure.depth} levels deep, over the limit of ${limits.maxDepth}`,
    measure.introspectionDepth > INTROSPECTION_LIMITS.maxDepth &&
      `introspects ${measure.introspectionDepth} levels deep, over the limit of ${INTROSPECTION_LIMITS.maxDepth}`,
    measure.introspectionLists > INTROSPECTION_LIMITS.maxNestedLists &&
      `nests ${measure.introspectionLists} introspection lists (fields, inputFields, interfaces, possibleTypes), over the limit of ${INTROSPECTION_LIMITS.maxNestedLists}`,
    measure.aliases > limits.maxAliases && `uses ${count(measure.aliases)} aliases, over the limit of ${limits.maxAliases}`,
    measure.fields > limits.maxFields && `selects ${count(measure.fields)} fields, over the limit of ${limits.maxFields}`,
    measure.directives > limits.maxDirectives && `uses ${count(measure.directives)} directives, over the limit of ${limits.maxDirectives}`,
    measure.longestList > limits.maxListArgument && `asks for ${measure.longestList} ids at once, over the limit of ${limits.maxListArgument}`,
    measure.cost > limits.maxCost && `costs ${count(measure.cost)}, over the limit of ${limits.maxCost}`,
  ];
  return problems.filter((problem): problem is string => typeof problem === 'string');
}

function count(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : 'more than 2^53';
}

/** What the walk carries: what names resolve to, the fragments measured so far, and the spreads being measured. */
interface Walk {
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** `${introspecting}:${name}` -> the fragment's measure. */
  measured: Map<string, OperationMeasure>;
  visiting: Set<string>;
}

/** `pageSize`: the selection is a connection's, whose `edges` and `nodes` hold that many items. */
function measureSelections(selectionSet: SelectionSetNode, introspecting: boolean, walk: Walk, pageSize?: number): OperationMeasure {
  const total = { ...NOTHING };
  for (const selection of selectionSet.selections) {
    let part: OperationMeasure;
    if (selection.kind === Kind.FIELD) part = measureField(selection, introspecting, walk, pageSize);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const inside = introspecting || isIntrospectionType(selection.typeCondition?.name.value);
      part = { ...measureSelections(selection.selectionSet, inside, walk, pageSize) };
      part.directives += selection.directives?.length ?? 0;
    } else {
      part = { ...measureFragment(selection.name.value, introspecting, walk, pageSize) };
      part.directives += selection.directives?.length ?? 0;
    }
    total.cost += part.cost;
    total.aliases += part.aliases;
    total.fields += part.fields;
    total.directives += part.directives;
    total.depth = Math.max(total.depth, part.depth);
    total.introspectionDepth = Math.max(total.introspectionDepth, part.introspectionDepth);
    total.introspectionLists = Math.max(total.introspectionLists, part.introspectionLists);
    total.longestList = Math.max(total.longestList, part.longestList);
  }
  return total;
}

function measureFragment(name: string, introspecting: boolean, walk: Walk, pageSize?: number): OperationMeasure {
  const fragment = walk.fragments.get(name);
  const inside = introspecting || isIntrospectionType(fragment?.typeCondition.name.value);
  const key = `${inside}:${pageSize ?? ''}:${name}`;
  const known = walk.measured.get(key);
  if (known) return known;
  // An unknown fragment, or one spread inside itself: validation refuses both; here they only end the walk.
  if (!fragment || walk.visiting.has(key)) return NOTHING;
  walk.visiting.add(key);
  const measure = measureSelections(fragment.selectionSet, inside, walk, pageSize);
  walk.visiting.delete(key);
  walk.measured.set(key, measure);
  return measure;
}

function measureField(field: FieldNode, introspecting: boolean, walk: Walk, pageSize?: number): OperationMeasure {
  const inside = introspecting || INTROSPECTION_ROOTS.has(field.name.value);
  let items = pageSize !== undefined && PAGE_LISTS.has(field.name.value) ? pageSize : 1;
  let longestList = 0;
  let page: number | undefined;
  for (const argument of field.arguments ?? []) {
    if (PAGE_ARGUMENTS.has(argument.name.value)) page = Math.max(page ?? 0, intValue(argument.value, walk.variables) ?? DEFAULT_PAGE_SIZE);
    if (!LIST_ARGUMENTS.has(argument.name.value)) continue;
    const length = listLength(argument.value, walk.variables);
    longestList = Math.max(longestList, length);
    items = Math.max(items, length);
  }
  const hasIds = longestList > 0;
  if (page === undefined && !hasIds && CONNECTIONS.has(field.name.value)) page = DEFAULT_PAGE_SIZE;
  const own = { aliases: field.alias ? 1 : 0, fields: 1, directives: field.directives?.length ?? 0 };
  if (!field.selectionSet) {
    return { ...NOTHING, ...own, cost: 1, depth: inside ? 0 : 1, introspectionDepth: inside ? 1 : 0, longestList };
  }
  const below = measureSelections(field.selectionSet, inside, walk, page);
  if (items === 1 && !inside) items = ASSUMED_LIST_SIZES[field.name.value] ?? 1;
  const listsTypes = inside && INTROSPECTION_LISTS.has(field.name.value) ? 1 : 0;
  return {
    cost: 1 + items * below.cost,
    depth: inside ? below.depth : 1 + below.depth,
    introspectionDepth: inside ? 1 + below.introspectionDepth : below.introspectionDepth,
    introspectionLists: listsTypes + below.introspectionLists,
    aliases: own.aliases + below.aliases,
    fields: own.fields + below.fields,
    directives: own.directives + below.directives,
    longestList: Math.max(longestList, below.longestList),
  };
}

/** `__Type`, `__Field`...: only introspection selects on them. */
function isIntrospectionType(name: string | undefined): boolean {
  return name?.startsWith('__') ?? false;
}

/** A page size as given, literally or through a variable. */
function intValue(value: ValueNode, variables: Record<string, unknown>): number | undefined {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return typeof bound === 'number' ? bound : undefined;
  }
  return undefined;
}

function listLength(value: ValueNode, variables: Record<string, unknown>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return Array.isArray(bound) ? bound.length : 1;
  }
  return 1;
}
