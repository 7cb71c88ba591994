import { compare, devtoolsCost, sizeConfig } from './benches/size';

/**
 * `pnpm size`, after size-limit's absolute budgets: each set of `.size-limit.js` `comparisons`
 * against the official `@ably/chat/react` hooks, built the same way in this run. Fails when ours
 * is more than `maxRatio` times the official set (min+gzip, production build).
 */
const { comparisons, devtools } = await sizeConfig();
let failed = false;
for (const set of comparisons) {
  const { ours, official, ratio, oursDevelopment } = await compare(set);
  const ok = ratio <= set.maxRatio;
  failed ||= !ok;
  console.log(
    `${ok ? '✔' : '✖'} ${set.name}: ours ${ours} B, official ${official} B, ratio ${ratio.toFixed(3)} ` +
      `(budget ≤ ${set.maxRatio}); ours in development ${oursDevelopment} B`,
  );
}
// <PresenceKitDevtools> in production: the `() => null` and nothing else.
const cost = await devtoolsCost(devtools);
const devtoolsOk = cost.added <= devtools.maxAddedGzip && cost.leftInProduction === 0;
failed ||= !devtoolsOk || cost.inDevelopment === 0;
console.log(
  `${devtoolsOk ? '✔' : '✖'} <PresenceKitDevtools> in a production app: +${cost.added} B gzip ` +
    `(+${cost.addedMin} B minified; budget ≤ ${devtools.maxAddedGzip} B), ${cost.without} → ` +
    `${cost.with} B; development-only sources left in the production hooks and everything: ` +
    `${cost.leftInProduction} B (${cost.inDevelopment} B minified in development)`,
);
if (failed) {
  console.error(
    'A set is larger than its budget against the official hooks (bench/.size-limit.js).',
  );
  process.exit(1);
}
