// Lambda bundles only (infra/bundling.ts aliases @slack/socket-mode here). Bolt's App module loads
// every receiver; the Lambda uses AwsLambdaReceiver, so Socket Mode (and undici, ~0.5 MB) never runs.
class SocketModeClient {
  constructor() {
    throw new Error(
      'Socket Mode is not part of the Lambda bundle: use AwsLambdaReceiver (see infra/bundling.ts)',
    );
  }
}
module.exports = { SocketModeClient };
