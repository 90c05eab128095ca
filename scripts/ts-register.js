// Runs repository TypeScript (scripts, bench) directly: each .ts file is transpiled on require with
// the project's compiler options. Plain transpilation keeps emitDecoratorMetadata, which type-graphql
// needs and esbuild-based runners drop. Type checking is `npm run typecheck`'s job.
const fs = require('node:fs');
const ts = require('typescript');

const { config } = ts.readConfigFile(require.resolve('../tsconfig.json'), ts.sys.readFile);
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, process.cwd());
const compilerOptions = { ...options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true, incremental: false };

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
