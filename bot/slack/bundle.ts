/** Packages the Slack Lambda never runs, to alias to `bundle-stub.ts` when bundling `lambda.ts` (esbuild `alias`). */
export const SLACK_LAMBDA_BUNDLE_ALIASES = ['@slack/socket-mode', 'raw-body'] as const;
export const SLACK_LAMBDA_BUNDLE_STUB = 'bot/slack/bundle-stub.ts';
