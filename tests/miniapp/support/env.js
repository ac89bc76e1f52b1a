// What the Taro build defines at compile time, for code under test.
process.env.TARO_ENV = 'h5';
process.env.TARO_APP_API_BASE = 'http://api.test';
process.env.TARO_APP_DEV_LOGIN = process.env.TARO_APP_DEV_LOGIN || '0';

// Feature flags Taro's runtime expects its build to define.
for (const flag of [
  'ENABLE_INNER_HTML',
  'ENABLE_ADJACENT_HTML',
  'ENABLE_SIZE_APIS',
  'ENABLE_TEMPLATE_CONTENT',
  'ENABLE_CLONE_NODE',
  'ENABLE_CONTAINS',
  'ENABLE_MUTATION_OBSERVER',
]) {
  globalThis[flag] = true;
}
globalThis.DEPRECATED_ADAPTER_COMPONENT = false;
