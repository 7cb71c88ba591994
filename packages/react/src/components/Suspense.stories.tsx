import type { Meta, StoryObj } from '@storybook/react-vite';
import { Suspense } from 'react';
import { expect, waitFor } from 'storybook/test';

import { LiveRoom } from '../../../../.storybook/LiveRoom';
import { useSuspenseOccupancy } from '../hooks/useSuspenseOccupancy';
import { useSuspensePresenceMembers } from '../hooks/useSuspensePresenceMembers';
import { PresenceListView } from './PresenceListView';
import { ViewerCountView } from './ViewerCountView';

/** The count and the list from the Suspense hooks: numbers and members, never `undefined`. */
function Stage() {
  const { connections, status } = useSuspenseOccupancy();
  const { members } = useSuspensePresenceMembers({ groupBy: 'clientId' });
  return (
    <div style={{ display: 'grid', gap: 12, maxInlineSize: 420 }}>
      <ViewerCountView locale="en" count={connections} status={status} />
      <PresenceListView locale="en" members={members} max={5} />
    </div>
  );
}

const meta = {
  title: 'Recipes/Suspense',
  component: Stage,
} satisfies Meta<typeof Stage>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * Live against the emulator's simulated lobby: the `<Suspense>` fallback until the first count and
 * the synced member list, then live updates (visitors join and leave) without the fallback again.
 */
export const Live: Story = {
  render: () => (
    <LiveRoom
      room="storybook-lobby"
      clientId="storybook-suspense"
      options={{ occupancy: { enableEvents: true } }}
    >
      <Suspense
        fallback={
          <p className="pk-story-note" data-testid="fallback">
            Loading the room…
          </p>
        }
      >
        <Stage />
      </Suspense>
    </LiveRoom>
  ),
  play: async ({ canvas, canvasElement }) => {
    await waitFor(
      async () => {
        await expect(canvas.queryByTestId('fallback')).toBeNull();
        const count = canvasElement.querySelector('.pk-viewer-count');
        await expect(count?.getAttribute('aria-label')).toMatch(/^\d+ watching$/);
        await expect(canvasElement.querySelectorAll('.pk-avatar').length).toBeGreaterThan(0);
      },
      { timeout: 10_000 },
    );
  },
};
