import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import { redactText, redactValue } from './redact';

type FormatArgs = Parameters<LogFormatter['formatAttributes']>;

/** Powertools' standard JSON layout, with every message and attribute passed through the redactor. */
export class RedactingLogFormatter extends LogFormatter {
  formatAttributes(attributes: FormatArgs[0], additional: FormatArgs[1]): LogItem {
    const base = {
      level: attributes.logLevel,
      message: redactText(String(attributes.message ?? '')),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base }).addAttributes(redactValue(additional));
  }
}
