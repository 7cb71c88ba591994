import { createContext, type ReactNode, useContext, useMemo } from 'react';

import { defaultStrings, type PresenceKitStrings } from './strings';

interface LocaleContextValue {
  readonly strings: PresenceKitStrings;
  readonly locale: string | undefined;
}

const LocaleContext = createContext<LocaleContextValue>({
  strings: defaultStrings,
  locale: undefined,
});

/** Props of {@link PresenceKitStringsProvider}. */
export interface PresenceKitStringsProviderProps {
  /** Overrides for any subset of the built-in strings; merged over an outer provider's. */
  strings?: Partial<PresenceKitStrings>;
  /**
   * BCP 47 locale for numbers, plurals and relative times ("de", "ar-EG"). Set it when rendering
   * on the server, so the server and the browser format alike.
   * @defaultValue the outer provider's, else the browser's
   */
  locale?: string;
  children?: ReactNode;
}

/**
 * Translates and localises every PresenceKit component below it.
 *
 * @example
 * ```tsx
 * <PresenceKitStringsProvider locale="de" strings={{ viewerCountLabel: () => 'schauen zu', you: '(du)' }}>
 *   <ViewerCount />
 * </PresenceKitStringsProvider>
 * ```
 */
export function PresenceKitStringsProvider({
  strings,
  locale,
  children,
}: PresenceKitStringsProviderProps) {
  const outer = useContext(LocaleContext);
  const value = useMemo(
    () => ({
      strings: strings ? { ...outer.strings, ...strings } : outer.strings,
      locale: locale ?? outer.locale,
    }),
    [outer, strings, locale],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

/**
 * The strings and locale in effect: built-in defaults, then the nearest
 * {@link PresenceKitStringsProvider}, then `overrides` (a component's `strings` prop).
 */
export function usePresenceKitStrings(
  overrides?: Partial<PresenceKitStrings>,
  locale?: string,
): LocaleContextValue {
  const context = useContext(LocaleContext);
  return useMemo(
    () => ({
      strings: overrides ? { ...context.strings, ...overrides } : context.strings,
      locale: locale ?? context.locale,
    }),
    [context, overrides, locale],
  );
}
