// Lambda bundles only (infra/bundling.ts aliases express here). Bolt's public entry loads its
// ExpressReceiver, but a Lambda runs AwsLambdaReceiver: express (with body-parser, iconv-lite and
// mime-db, ~0.8 MB) never runs there. Calling it throws.
function express() {
  throw new Error('express is not part of the Lambda bundle: use AwsLambdaReceiver (see infra/bundling.ts)');
}
express.Router = express;
module.exports = express;
module.exports.default = express;
