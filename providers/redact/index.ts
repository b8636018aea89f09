// Redaction at the source: one redactor (masks + secretlint's recommended preset) for samples,
// templates, tool outputs, prompts, cards, thread answers and our own logs.
/** Our logger: a registered Powertools Logger (Lambda context on every line) that redacts every line. */
export { serviceLogger as createLogger } from '../logging';
export { maskSecrets, REDACTED } from './masks';
export { redactText, redactTextDeep, redactValue, redactValueDeep } from './redact';
