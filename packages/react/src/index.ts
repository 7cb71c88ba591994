// Everything client-side: providers, hooks and components.
export * from './hooks';
export * from './components';
