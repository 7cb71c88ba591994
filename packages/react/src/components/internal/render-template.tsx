import { Fragment, type ReactNode } from 'react';

/**
 * Puts `name` into a translated template at `{name}` ("{name} joined" → `<bdi>Ada</bdi> joined`),
 * so translators control word order while the name stays an isolated text node (never HTML).
 */
export function renderTemplate(template: string, name: ReactNode): ReactNode {
  const parts = template.split('{name}');
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 ? name : null}
    </Fragment>
  ));
}
