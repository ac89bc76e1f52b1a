module.exports = async function globalTeardown() {
  for (const p of (globalThis.__apiTestProcesses || []).reverse()) await p.stop();
};
