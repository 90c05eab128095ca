/**
 * A Jest transform for the OTLP exporters' transport only. Jest runs CommonJS in a VM that cannot
 * run a dynamic `import()` without --experimental-vm-modules (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG),
 * and @opentelemetry/otlp-exporter-base loads node:http and node:https that way
 * (dist/platform/node/transport/http-exporter-transport.cjs). Under Jest those two loads become
 * `require`; outside Jest (the gateway, the bench) the package runs as published.
 */
module.exports = {
  process(source) {
    return { code: source.replace(/\bimport\((["'])(https?)\1\)/g, 'Promise.resolve(require("$2"))') };
  },
};
