// Redaction at the source: one redactor (masks + secretlint's recommended preset) for samples,
// templates, tool outputs, prompts, cards, thread answers and our own logs.
export { createLogger } from './logger';
export { maskSecrets, REDACTED } from './masks';
export { redactText, redactTextDeep, redactValue, redactValueDeep } from './redact';
