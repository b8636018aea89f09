import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLES } from '../providers/aws/dynamodb/tables';
import type { TableKey } from '../providers/aws/types';
import type { Config } from '../providers/config';

/**
 * The DynamoDB tables, from THE table definitions (providers/aws/dynamodb/tables.ts) that the
 * dynalite tests and the local workspace create too: same keys, TTL attribute, physical names from config.
 */
export class BdpTables extends Construct {
  readonly byKey: Record<TableKey, Table>;

  constructor(scope: Construct, id: string, config: Config) {
    super(scope, id);
    const byKey = {} as Record<TableKey, Table>;
    for (const def of Object.values(TABLES)) {
      byKey[def.key] = new Table(this, def.key, {
        tableName: config[def.config_name],
        partitionKey: { name: def.partition_key, type: AttributeType.STRING },
        ...(def.sort_key ? { sortKey: { name: def.sort_key, type: AttributeType.STRING } } : {}),
        timeToLiveAttribute: def.ttl_attribute,
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // Incident history and audit trail outlive a stack replacement.
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    this.byKey = byKey;
  }

  get all(): Table[] {
    return Object.values(this.byKey);
  }
}
