/** swc transform shared by the jest projects (≈ 2× faster than ts-jest cold). */
module.exports = function swcTransform({ tsx = false } = {}) {
  return [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', tsx, decorators: false },
        target: 'es2022',
        transform: tsx ? { react: { runtime: 'automatic' } } : undefined,
      },
      module: { type: 'commonjs' },
    },
  ];
};
