/**
 * The panel's share of NextChat's look: its theme and where its chat sits, followed through
 * content/nextchat (the panel knows no NextChat selector), for as long as the panel is mounted.
 */
import { useEffect, useState } from 'preact/hooks';
import { followPlacement, readPlacement, type Placement } from '../nextchat/placement.ts';
import { followTheme, readTheme, type Theme } from '../nextchat/theme.ts';
import { linkedController } from '../overlay/linked-controller.ts';

/** NextChat's theme (its setting, or the system's scheme on auto). */
export function useNextChatTheme(signal: AbortSignal): Theme {
  return useFollowed(() => readTheme(document, window), (onValue, until) => followTheme(document, window, onValue, until), signal);
}

/** Where the panel goes beside NextChat's chat, and whether the window is phone-sized. */
export function useChatPlacement(signal: AbortSignal): Placement {
  return useFollowed(() => readPlacement(document, window), (onValue, until) => followPlacement(document, window, onValue, until), signal);
}

/** A value read now and followed until the component unmounts or `signal` aborts. */
function useFollowed<T>(read: () => T, follow: (onValue: (value: T) => void, signal: AbortSignal) => void, signal: AbortSignal): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const mounted = linkedController(signal);
    follow(setValue, mounted.signal);
    return () => mounted.abort();
  }, [signal]);
  return value;
}
