// Helpers shared by the tests of every workspace package, the benchmarks and the reliability
// runs: one home for each (see STYLE.md, "One home per helper").
export { seededRandom } from './random.js';
export { uniqueRoomName } from './rooms.js';
export { closeRealtime, listenerCount } from './realtime.js';
