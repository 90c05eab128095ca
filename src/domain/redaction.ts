/** A PEM block with its line end (plain, or escaped as in a quoted string), or one cut off before its END line. */
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----(?:\r?\n|(?:\\r)?\\n)?|$)/g;

/**
 * Text that may quote what a caller sent (graphql-js describes a variable it cannot coerce by printing
 * the whole input object, private key included; a stack may hold an argument): PEM blocks never leave
 * in a message or a log line. The one place that knows what a PEM block looks like for redaction.
 */
export function redactPem(text: string): string {
  return text.replace(PEM_BLOCK, '[redacted PEM]');
}

const PRIVATE_KEY_ARMOR = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** Whether text holds a PEM private key (its BEGIN line: an RSA, EC, PKCS#8 or encrypted one). */
export function holdsPrivateKey(text: string): boolean {
  return PRIVATE_KEY_ARMOR.test(text);
}
