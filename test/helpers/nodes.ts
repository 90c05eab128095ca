/** A node of a `nodes(ids:)` answer, as codegen types it: a union on `__typename`. */
type AnyNode = { __typename: string } | null;

/**
 * The certificates of a `nodes(ids:)` answer, in the order asked, null where the answer has null.
 * A node of another type (a Site where a certificate id was asked) fails the test.
 */
export function certificatesOf<N extends AnyNode>(nodes: readonly N[] | undefined): Array<Extract<N, { __typename: 'Certificate' }> | null> {
  return (nodes ?? []).map((node) => {
    if (node === null) return null;
    if (node.__typename !== 'Certificate') throw new Error(`nodes(ids:) answered a ${node.__typename} where a Certificate was asked`);
    return node as Extract<N, { __typename: 'Certificate' }>;
  });
}
