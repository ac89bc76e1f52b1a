import { cleanup } from '@testing-library/react';

// Taro's H5 <Input> passes `onConfirm` on to the DOM <input> (it still handles it):
// React's development warning about it is noise here, nothing else is hidden.

const originalError = console.error;
beforeAll(() => {
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    const text = args.map(String).join(' ');
    if (/Unknown event handler property/.test(text) && /onConfirm/.test(text)) return;
    originalError(...args);
  });
});

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  document.documentElement.className = '';
});
