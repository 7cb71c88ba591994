import { ChatRoomContext } from '@ably/chat/react';
import { render, screen } from '@testing-library/react';
import { useContext, useState, version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, test } from 'vitest';

// Each Vitest project declares which React it means to run (react-jsdom: 19, react18-jsdom: 18);
// this proves the aliases reach our code, react-dom, Testing Library and @ably/chat/react alike.
test('runs on the React major this project is for', () => {
  const expected = process.env.PRESENCEKIT_EXPECT_REACT;
  expect(expected).toMatch(/^1[89]$/);
  expect(version.split('.')[0]).toBe(expected);
  expect(domVersion.split('.')[0]).toBe(expected);

  function UsesBoth() {
    const [value] = useState('hooks work');
    // A context from @ably/chat/react read with our React: throws if they were different copies.
    const official = useContext(ChatRoomContext);
    return <p>{`${value}, official context ${official === undefined ? 'absent' : 'present'}`}</p>;
  }
  render(<UsesBoth />);
  expect(screen.getByText('hooks work, official context absent')).toBeTruthy();
});
