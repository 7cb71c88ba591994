import { compare, sizeConfig } from './benches/size';

/**
 * `pnpm size`, after size-limit's absolute budgets: each set of `.size-limit.js` `comparisons`
 * against the official `@ably/chat/react` hooks, built the same way in this run. Fails when ours
 * is more than `maxRatio` times the official set (min+gzip, production build).
 */
const { comparisons } = await sizeConfig();
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
if (failed) {
  console.error(
    'A set is larger than its budget against the official hooks (bench/.size-limit.js).',
  );
  process.exit(1);
}
