// Imported first by the CLIs: silences the Powertools loggers (created at import time) unless LOG_LEVEL=DEBUG,
// so stdout carries the result alone.
if (process.env.LOG_LEVEL !== 'DEBUG') process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
