/** Text split into literal runs and `{{...}}` macros, macros nesting inside macros. */
export type MacroNode = { kind: 'text'; text: string } | { kind: 'macro'; start: number; end: number; inner: MacroNode[] };

interface Frame {
  start: number;
  nodes: MacroNode[];
}

/**
 * Parses macros in one linear pass. `{{` opens and `}}` closes, so `{{setvar::x::{{char}}}}` nests. In a
 * run of three or more braces the macro takes the innermost pair (`{{{char}}}` is `{` + `{{char}}` + `}`).
 * An unclosed `{{` is literal text.
 */
export function parseMacros(source: string): MacroNode[] {
  const stack: Frame[] = [{ start: -1, nodes: [] }];
  let textStart = 0;
  const top = () => stack[stack.length - 1] ?? { start: -1, nodes: [] };
  const flush = (until: number) => {
    if (until > textStart) top().nodes.push({ kind: 'text', text: source.slice(textStart, until) });
  };
  let i = 0;
  while (i < source.length) {
    if (source[i] === '{' && source[i + 1] === '{') {
      if (source[i + 2] === '{') {
        i++;
        continue;
      }
      flush(i);
      stack.push({ start: i, nodes: [] });
      i += 2;
      textStart = i;
      continue;
    }
    if (source[i] === '}' && source[i + 1] === '}' && stack.length > 1) {
      flush(i);
      const frame = stack.pop() ?? { start: i, nodes: [] };
      top().nodes.push({ kind: 'macro', start: frame.start, end: i + 2, inner: frame.nodes });
      i += 2;
      textStart = i;
      continue;
    }
    i++;
  }
  flush(source.length);
  while (stack.length > 1) {
    const frame = stack.pop() ?? { start: 0, nodes: [] };
    top().nodes.push({ kind: 'text', text: '{{' }, ...frame.nodes);
  }
  return stack[0]?.nodes ?? [];
}
