// Block Kit and mrkdwn rendered with DOM calls only: every string from a message becomes a text node
// or an attribute value, never HTML. Links are kept only for http(s) and mailto URLs.

(() => {
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // Slack escapes these three in message text; a raw "<" always starts a control sequence.
  const unescapeText = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const safeHref = (url) => (/^(https?:\/\/|mailto:)/i.test(url) ? url : undefined);

  // Inline tokens; bold/italic/strike need a word boundary on both sides, as in Slack.
  const INLINE =
    /(`[^`\n]+`)|(<[^<>\n]+>)|((?<![\w*])\*(?=\S)[^*\n]+?(?<=\S)\*(?![\w*]))|((?<![\w_])_(?=\S)[^_\n]+?(?<=\S)_(?![\w_]))|((?<![\w~])~(?=\S)[^~\n]+?(?<=\S)~(?![\w~]))|(\n)/g;

  function inline(text, ctx, into) {
    let last = 0;
    for (const m of text.matchAll(INLINE)) {
      if (m.index > last) into.appendChild(document.createTextNode(unescapeText(text.slice(last, m.index))));
      last = m.index + m[0].length;
      const t = m[0];
      if (m[1]) into.appendChild(el('code', '', unescapeText(t.slice(1, -1))));
      else if (m[2]) into.appendChild(control(t.slice(1, -1), ctx));
      else if (m[3]) inline(t.slice(1, -1), ctx, into.appendChild(el('b')));
      else if (m[4]) inline(t.slice(1, -1), ctx, into.appendChild(el('i')));
      else if (m[5]) inline(t.slice(1, -1), ctx, into.appendChild(el('s')));
      else into.appendChild(el('br'));
    }
    if (last < text.length) into.appendChild(document.createTextNode(unescapeText(text.slice(last))));
  }

  /** <@U…>, <#C…|name>, <!here>, <url|label>, <url>. */
  function control(inner, ctx) {
    const [target, label] = splitOnce(inner, '|');
    if (target.startsWith('@')) {
      const id = target.slice(1);
      return el('span', 'mention', `@${(ctx.names?.[id]) || label || id}`);
    }
    if (target.startsWith('#')) {
      const id = target.slice(1);
      return el('span', 'mention', `#${label || (ctx.names?.[id]) || id}`);
    }
    if (target.startsWith('!')) {
      const [word, id] = target.slice(1).split('^');
      const group = word.startsWith('subteam') ? ctx.names?.[id] || 'group' : word;
      return el('span', 'mention', `@${label || group}`);
    }
    // Local console links were built for the port asked for: point them at this page's own origin.
    const url = unescapeText(target).replace(/^http:\/\/127\.0\.0\.1:\d+(?=\/console\/)/, location.origin);
    const text = unescapeText(label || url);
    // A Slack permalink to a message here (e.g. /bdp status's card links): scroll to it in this page.
    const perma = /^https:\/\/slack\.com\/archives\/[A-Z0-9]+\/p(\d+)(\d{6})$/.exec(url);
    if (perma) {
      const a = el('a', '', text);
      const ts = `${perma[1]}.${perma[2]}`;
      a.href = `#${ts}`;
      a.dataset.messageTs = ts;
      a.addEventListener('click', (e) => {
        e.preventDefault();
        const node = document.querySelector(`#messages > [data-ts="${CSS.escape(ts)}"]`);
        if (node) {
          node.scrollIntoView({ block: 'start' });
          node.classList.add('flash');
          setTimeout(() => node.classList.remove('flash'), 1500);
        }
      });
      return a;
    }
    const href = safeHref(url);
    if (!href) return document.createTextNode(text);
    const a = el('a', '', text);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  function splitOnce(s, sep) {
    const i = s.indexOf(sep);
    return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
  }

  /** A mrkdwn string as nodes: ```blocks``` as <pre>, then inline formatting. */
  function mrkdwn(text, ctx) {
    const frag = document.createDocumentFragment();
    const parts = String(text).split(/```/);
    parts.forEach((part, i) => {
      if (i % 2 === 1 && i < parts.length - 1)
        frag.appendChild(el('pre', '', unescapeText(part.replace(/^\n/, ''))));
      else inline(i % 2 === 1 ? `\`\`\`${part}` : part, ctx, frag);
    });
    return frag;
  }

  function textObject(t, ctx) {
    if (!t || typeof t !== 'object') return document.createTextNode('');
    if (t.type === 'mrkdwn') return mrkdwn(t.text || '', ctx);
    return document.createTextNode(String(t.text || ''));
  }

  function button(b, block, ctx) {
    const btn = el('button', `btn${b.style ? ` ${b.style}` : ''}`, b.text?.text || '');
    btn.type = 'button';
    btn.dataset.testid = 'button';
    btn.dataset.actionId = b.action_id || '';
    btn.dataset.blockId = block.block_id || '';
    if (!ctx.interactive) {
      btn.disabled = true;
      return btn;
    }
    btn.addEventListener('click', () => {
      if (b.url) {
        const href = safeHref(b.url);
        if (href) window.open(href, '_blank', 'noopener');
      }
      if (b.confirm) ctx.confirm(b.confirm, () => ctx.onButton(block, b));
      else ctx.onButton(block, b);
    });
    return btn;
  }

  function accessory(a, block, ctx) {
    if (a && a.type === 'button') return button(a, block, ctx);
    if (a && a.type === 'image') return el('span', 'b-image-alt', `[image: ${a.alt_text || ''}]`);
    return undefined;
  }

  function input(block, ctx) {
    const wrap = el('div', 'b-input');
    const label = el('label', 'input-label', block.label?.text || '');
    wrap.appendChild(label);
    const e = block.element || {};
    const field = e.multiline ? el('textarea') : el('input');
    if (!e.multiline) field.type = 'text';
    if (e.multiline) field.rows = 4;
    if (e.placeholder) field.placeholder = e.placeholder.text || '';
    if (e.initial_value) field.value = e.initial_value;
    if (e.max_length) field.maxLength = e.max_length;
    field.dataset.blockId = block.block_id || '';
    field.dataset.actionId = e.action_id || '';
    field.dataset.testid = 'modal-input';
    field.id = `in-${block.block_id}-${e.action_id}`;
    label.htmlFor = field.id;
    wrap.appendChild(field);
    if (block.hint) wrap.appendChild(el('div', 'input-hint', block.hint.text || ''));
    if (block.optional) label.appendChild(el('span', 'input-hint', ' (optional)'));
    void ctx;
    return wrap;
  }

  /** Renders blocks; ctx: {names, interactive, onButton(block, button), confirm(confirmObj, yes)}. */
  function renderBlocks(blocks, ctx) {
    const frag = document.createDocumentFragment();
    for (const block of blocks || []) {
      if (!block || typeof block !== 'object') continue;
      switch (block.type) {
        case 'header':
          frag.appendChild(el('div', 'b-header', block.text?.text || ''));
          break;
        case 'section': {
          const sec = el('div', 'b-section');
          const main = el('div', 'b-section-text');
          if (block.text) main.appendChild(textObject(block.text, ctx));
          if (Array.isArray(block.fields) && block.fields.length) {
            const grid = el('div', 'b-fields');
            for (const f of block.fields)
              grid.appendChild(el('div', 'b-field')).appendChild(textObject(f, ctx));
            main.appendChild(grid);
          }
          sec.appendChild(main);
          const acc = block.accessory ? accessory(block.accessory, block, ctx) : undefined;
          if (acc) sec.appendChild(acc);
          frag.appendChild(sec);
          break;
        }
        case 'context': {
          const c = el('div', 'b-context');
          for (const e of block.elements || []) {
            if (e.type === 'image') c.appendChild(el('span', 'b-image-alt', `[${e.alt_text || 'image'}]`));
            else c.appendChild(el('span')).appendChild(textObject(e, ctx));
          }
          frag.appendChild(c);
          break;
        }
        case 'divider':
          frag.appendChild(el('hr', 'b-divider'));
          break;
        case 'actions': {
          const row = el('div', 'b-actions');
          for (const e of block.elements || [])
            if (e.type === 'button') row.appendChild(button(e, block, ctx));
          frag.appendChild(row);
          break;
        }
        case 'image':
          frag.appendChild(el('div', 'b-image-alt', `[image: ${block.alt_text || ''}]`));
          break;
        case 'input':
          frag.appendChild(input(block, ctx));
          break;
        default:
          frag.appendChild(el('div', 'b-unknown', `[${String(block.type)} block]`));
      }
    }
    return frag;
  }

  window.BlockKit = { renderBlocks, mrkdwn, el };
})();
