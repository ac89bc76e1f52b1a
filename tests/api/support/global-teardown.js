module.exports = async function globalTeardown() {
  // The test database is thrown away, so there is nothing to wait for.
  for (const p of (globalThis.__apiTestProcesses || []).reverse()) await p.stop('SIGKILL');
};
