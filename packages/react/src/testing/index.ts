// Test helpers for apps using PresenceKit (`@presencekit/react/testing`).
export {};
