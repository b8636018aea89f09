// Lambda bundles only (infra/bundling.ts aliases raw-body here). Only Bolt's HTTPReceiver reads raw
// request streams; the Lambda receives whole events, so raw-body (and iconv-lite, ~0.5 MB) never runs.
module.exports = function rawBody() {
  return Promise.reject(
    new Error('raw-body is not part of the Lambda bundle: use AwsLambdaReceiver (see infra/bundling.ts)'),
  );
};
