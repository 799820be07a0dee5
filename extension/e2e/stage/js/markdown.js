// Test double of NextChat v2.16: a very small Markdown renderer standing in for react-markdown with
// remark-breaks. Paragraphs split on blank lines, single newlines become <br>, **bold**, `code` and
// fenced code blocks. Everything else is shown as escaped text.

export function escapeHtml(text) {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function inline(text) {
  return text
    .split('`')
    .map((segment, i) => {
      const escaped = escapeHtml(segment);
      if (i % 2 === 1) return `<code>${escaped}</code>`;
      return escaped.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
    })
    .join('');
}

export function renderMarkdown(text) {
  const lines = text.split('\n');
  const html = [];
  let paragraph = [];
  const flush = () => {
    if (paragraph.length > 0) html.push(`<p dir="auto">${paragraph.map(inline).join('<br>')}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^```(\S*)/);
    if (fence) {
      flush();
      const code = [];
      i++;
      while (i < lines.length && !lines[i].startsWith('```')) code.push(lines[i++]);
      const lang = fence[1] ? ` class="language-${escapeHtml(fence[1])}"` : '';
      html.push(`<pre><code${lang}>${escapeHtml(code.join('\n'))}</code></pre>`);
    } else if (line.trim() === '') {
      flush();
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return html.join('');
}
