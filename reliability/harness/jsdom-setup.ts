// Hook updates in these tests come from real network events, as in an app, not from code the
// test wraps in act(): tell React this is not an act() environment so it schedules them as it
// would in a browser instead of warning about each one. Testing Library's own render/act calls
// still switch it on for their duration.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
