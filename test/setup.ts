// Powertools Logger builds its own Console on stdout unless in dev mode; that keeps Jest workers alive.
process.env.POWERTOOLS_DEV = 'true';
