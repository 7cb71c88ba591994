// React DOM's profiling build: the production renderer with <Profiler> timings kept. Same API as
// react-dom/client.
declare module 'react-dom/profiling' {
  export * from 'react-dom/client';
}
