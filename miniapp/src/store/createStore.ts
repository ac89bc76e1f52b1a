import { useSyncExternalStore } from 'react';

/**
 * A tiny store: module-level state with subscribe/get/set, read by components
 * through useSyncExternalStore. No provider is needed, so a page rendered alone
 * (in a test, or a subpackage page opened first) sees the same state.
 */
export interface Store<T> {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  subscribe(listener: () => void): () => void;
  use(): T;
}

export function createStore<T>(initial: () => T): Store<T> {
  let state: { value: T } | null = null;
  const listeners = new Set<() => void>();
  const get = () => {
    if (!state) state = { value: initial() };
    return state.value;
  };
  const set: Store<T>['set'] = (next) => {
    const prev = get();
    const value = typeof next === 'function' ? (next as (p: T) => T)(prev) : next;
    if (Object.is(value, prev)) return;
    state = { value };
    listeners.forEach((l) => l());
  };
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };
  return {
    get,
    set,
    subscribe,
    use: () => useSyncExternalStore(subscribe, get, get),
  };
}
