// Every real AWS client, for entries that may call any service (CLIs, local servers on AWS_MOCK=false).
// Lambda entries never import this: their modules register only what they call.
import './autoscaling';
import './cloudwatch';
import './db-sessions';
import './dynamodb';
import './eventbridge';
import './lambda';
import './logs';
import './rds-params';
import './s3';
import './secrets';
import './sfn';
import './unified-logs';
