// Preloaded into a DealDesk process by a test (node --require): at exit, prints which OpenTelemetry and Azure Monitor
// modules the process loaded, as one line on stderr.
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((file) => /[\\/]node_modules[\\/]@(opentelemetry|azure[\\/]monitor-opentelemetry)/.test(file));
  const packages = [...new Set(loaded.map((file) => /node_modules[\\/](@[^\\/]+[\\/][^\\/]+)/.exec(file)[1].replace(/\\/g, '/')))].sort();
  process.stderr.write(`LOADED-TELEMETRY-PACKAGES ${JSON.stringify(packages)}\n`);
});
