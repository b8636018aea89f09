// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions (built for Node 22) uses.
import '../providers/polyfills';

// Powertools Logger builds its own Console on stdout unless in dev mode; that keeps Jest workers alive.
process.env.POWERTOOLS_DEV = 'true';
