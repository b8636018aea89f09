/**
 * An empty module for the Slack Lambda bundle. Bolt's App loads the Socket Mode and HTTP receivers at
 * require time although a Lambda uses neither; aliasing their heavy dependencies here (esbuild
 * `alias`, see SLACK_LAMBDA_BUNDLE_ALIASES) drops ~1 MB (undici via @slack/socket-mode, iconv-lite
 * via raw-body). Nothing in them runs unless a Socket Mode or HTTP receiver is constructed.
 */
export {};
