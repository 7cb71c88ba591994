import {
  type FocusEvent,
  type KeyboardEvent,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';

/** What {@link useOverflowPopover} returns: props for the trigger button and the popover. */
export interface OverflowPopover {
  readonly open: boolean;
  /** Opens or closes; closing with `returnFocus` puts focus back on the button. */
  setOpen: (open: boolean, returnFocus?: boolean) => void;
  readonly buttonProps: {
    ref: RefObject<HTMLButtonElement | null>;
    type: 'button';
    'aria-haspopup': 'dialog';
    'aria-expanded': boolean;
    'aria-controls': string | undefined;
    onClick: () => void;
  };
  readonly popoverProps: {
    ref: RefObject<HTMLDivElement | null>;
    id: string;
    role: 'dialog';
    tabIndex: -1;
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
    onBlur: (event: FocusEvent<HTMLElement>) => void;
  };
}

/**
 * A non-modal disclosure popover with the focus handling users of a keyboard or screen reader
 * expect: opening moves focus inside (to the element marked `data-autofocus`, else the popover),
 * Escape closes and returns focus to the button, tabbing or clicking away closes it without
 * stealing focus back.
 */
export function useOverflowPopover(): OverflowPopover {
  const [open, setOpenState] = useState(false);
  const buttonRef = useRef<HTMLButtonElement | null>(null);
  const popoverRef = useRef<HTMLDivElement | null>(null);
  const id = useId();

  const setOpen = useCallback((next: boolean, returnFocus = false) => {
    setOpenState(next);
    if (!next && returnFocus) buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    const popover = popoverRef.current;
    if (!open || !popover) return;
    const target = popover.querySelector<HTMLElement>('[data-autofocus]') ?? popover;
    target.focus({ preventScroll: true });
    // The owner document, not the global one: inside an iframe (Storybook, embeds) they differ.
    const doc = popover.ownerDocument;
    const onPointerDown = (event: PointerEvent) => {
      const node = event.target as Node | null;
      if (node && !popover.contains(node) && !buttonRef.current?.contains(node)) {
        setOpenState(false);
      }
    };
    doc.addEventListener('pointerdown', onPointerDown, true);
    return () => doc.removeEventListener('pointerdown', onPointerDown, true);
  }, [open]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        setOpen(false, true);
      }
    },
    [setOpen],
  );

  const onBlur = useCallback((event: FocusEvent<HTMLElement>) => {
    const next = event.relatedTarget as Node | null;
    // Focus moving within the popover, or back to its button (which toggles it), is not "away".
    if (next && (event.currentTarget.contains(next) || buttonRef.current?.contains(next))) return;
    // relatedTarget is null when focus leaves the document (another window); keep it open then.
    if (!next) return;
    setOpenState(false);
  }, []);

  const onClick = useCallback(() => setOpenState((value) => !value), []);

  return {
    open,
    setOpen,
    buttonProps: {
      ref: buttonRef,
      type: 'button',
      'aria-haspopup': 'dialog',
      'aria-expanded': open,
      'aria-controls': open ? id : undefined,
      onClick,
    },
    popoverProps: { ref: popoverRef, id, role: 'dialog', tabIndex: -1, onKeyDown, onBlur },
  };
}
