import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'src/generated/**', 'test/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The emulator is a separate program: it never reaches into the gateway.
    files: ['src/emulator/**/*.ts'],
    rules: {
      // test/unit/architecture.test.ts also proves no relative import leaves src/emulator.
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@alicloud/*'], message: 'The emulator is the cloud; it does not call it.' },
      ] }],
    },
  },
  {
    // Plain CommonJS: the jest config and the TypeScript loader for scripts.
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
  },
);
