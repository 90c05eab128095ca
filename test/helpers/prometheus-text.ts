/** One sample of a Prometheus text exposition, its label values unescaped. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;

/**
 * A strict reading of the text format (https://prometheus.io/docs/instrumenting/exposition_formats/):
 * a label value may hold only `\\`, `\"` and `\n` as escapes and no raw quote or line feed, so a
 * badly escaped value makes this throw rather than read as something else.
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name, body, value] = match as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    if (body) {
      LABEL.lastIndex = 0;
      while (LABEL.lastIndex < body.length) {
        const start = LABEL.lastIndex;
        const label = LABEL.exec(body);
        if (!label || label.index !== start) throw new Error(`bad labels in: ${line}`);
        const [, key, raw] = label as unknown as [string, string, string];
        labels[key] = raw.replace(/\\([\\"n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
      }
    }
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

export function samplesNamed(samples: readonly Sample[], name: string): Sample[] {
  return samples.filter((sample) => sample.name === name);
}
