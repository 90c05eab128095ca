// The CloudProvider port lives in the domain (dependencies point inward); adapters import it from here.
export * from '../domain/ports';
