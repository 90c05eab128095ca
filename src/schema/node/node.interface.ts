import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType('Node', {
  description: 'An object with a global id: node(id:) finds it again.',
  resolveType: (value: { id?: string; typename?: string }) => value.typename ?? (value.id?.startsWith('crt_') ? 'Certificate' : 'Site'),
})
export abstract class NodeInterface {
  @Field(() => ID) id!: string;
}
