// The workspace page: loads the channel, follows live changes over SSE, and sends what the person
// does to the local server, which turns it into the signed request Slack would send the bot.

(() => {
  const { renderBlocks, mrkdwn, el } = window.BlockKit;
  const $ = (id) => document.getElementById(id);
  const state = {
    me: localStorage.getItem('bdp-user') || '',
    users: [],
    bot: { user_id: '', name: 'BDP Agent' },
    channel: { id: '', name: 'incidents' },
    messages: new Map(), // ts → message (channel messages and thread replies)
    private: [], // this user's ephemerals
    thread: null, // ts of the open thread
    source: null,
    clock: null, // { sim_ms, real_ms, speed }: simulated and real time at one instant
    groups: {},
    reveal: null, // ts of a message that just arrived: scrolled into view after the next render
  };

  const names = () => {
    const n = { [state.bot.user_id]: state.bot.name, [state.channel.id]: state.channel.name };
    for (const u of state.users) n[u.id] = u.name;
    for (const [id, handle] of Object.entries(state.groups)) n[id] = handle;
    return n;
  };
  const isReply = (m) => m.thread_ts && m.thread_ts !== m.ts;
  /** Real ms → simulated ms: every time on the page reads the simulated clock, as the cards do. */
  const simMs = (realMs) =>
    state.clock ? state.clock.sim_ms + (realMs - state.clock.real_ms) * state.clock.speed : realMs;
  const hhmm = (ms) => `${new Date(ms).toISOString().slice(11, 16)} UTC`;
  const time = (ts) => hhmm(simMs(Number(ts) * 1000));

  function tickClock() {
    const c = state.clock;
    const box = $('sim-clock');
    if (!c || !box) return;
    const wait = state.approval_timeout_seconds;
    const realWait = wait
      ? ` · approvals wait ${Math.round(wait / 60)} simulated min (${Math.max(1, Math.round(wait / c.speed / 60))} real min)`
      : '';
    box.textContent = `Simulated time ${hhmm(simMs(Date.now()))} · ${c.speed}× real speed${realWait}`;
    box.title =
      'The platform, the workflow and every time on the cards run on a simulated clock (npm start -- --speed <factor>).';
  }
  setInterval(tickClock, 1000);

  /** Brings the message that just arrived into view, in the channel or the open thread. */
  function revealNew() {
    const ts = state.reveal;
    if (!ts) return;
    state.reveal = null;
    const thread = document.querySelector(`.thread-list [data-ts="${CSS.escape(ts)}"]`);
    const channel = document.querySelector(`#messages > [data-ts="${CSS.escape(ts)}"]`);
    for (const node of [thread, channel]) if (node) node.scrollIntoView({ block: 'nearest' });
  }

  async function api(path, body) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: state.me, ...body }),
    });
    const out = await res.json().catch(() => ({}));
    if (!res.ok || !out.ok) throw new Error(out.error || `HTTP ${res.status}`);
    return out;
  }

  function note(where, text) {
    const n = el('div', 'error-note', text);
    n.dataset.testid = 'error';
    where.before(n);
    setTimeout(() => n.remove(), 8000);
  }

  // ── dialogs ───────────────────────────────────────────────────────────────────────────────
  function overlay(build) {
    const o = el('div', 'overlay');
    const d = el('div', 'dialog');
    o.appendChild(d);
    const close = () => o.remove();
    build(d, close);
    o.addEventListener('click', (e) => e.target === o && close());
    $('overlay-root').appendChild(o);
    return o;
  }

  function confirmDialog(c, yes) {
    overlay((d, close) => {
      d.dataset.testid = 'confirm-dialog';
      d.appendChild(el('div', 'dialog-head', c.title?.text || 'Are you sure?'));
      const body = el('div', 'dialog-body');
      body.appendChild(
        c.text && c.text.type === 'mrkdwn'
          ? mrkdwn(c.text.text, { names: names() })
          : document.createTextNode(c.text?.text || ''),
      );
      d.appendChild(body);
      const foot = el('div', 'dialog-foot');
      const no = el('button', 'btn', c.deny?.text || 'Cancel');
      no.dataset.testid = 'confirm-no';
      no.onclick = close;
      const ok = el('button', `btn ${c.style || 'primary'}`, c.confirm?.text || 'Yes');
      ok.dataset.testid = 'confirm-yes';
      ok.onclick = () => {
        close();
        yes();
      };
      foot.append(no, ok);
      d.appendChild(foot);
    });
  }

  function openModal(id, view) {
    overlay((d, close) => {
      d.dataset.testid = 'modal';
      d.dataset.callbackId = view.callback_id || '';
      d.appendChild(el('div', 'dialog-head', view.title?.text || ''));
      const body = el('div', 'dialog-body');
      body.appendChild(renderBlocks(view.blocks, { names: names(), interactive: false }));
      d.appendChild(body);
      const foot = el('div', 'dialog-foot');
      const cancel = el('button', 'btn', view.close?.text || 'Cancel');
      cancel.dataset.testid = 'modal-close';
      cancel.onclick = close;
      foot.appendChild(cancel);
      if (view.submit) {
        const submit = el('button', 'btn primary', view.submit.text);
        submit.dataset.testid = 'modal-submit';
        submit.onclick = async () => {
          const values = {};
          for (const f of body.querySelectorAll('[data-action-id]')) {
            const b = f.dataset.blockId;
            values[b] = values[b] || {};
            values[b][f.dataset.actionId] = f.value.trim() ? f.value : null;
          }
          submit.disabled = true;
          try {
            await api('/api/view', { view_id: id, values });
            close();
          } catch (e) {
            submit.disabled = false;
            note(foot, `Could not submit: ${e.message}`);
          }
        };
        foot.appendChild(submit);
      }
      d.appendChild(foot);
    });
  }

  // ── messages ──────────────────────────────────────────────────────────────────────────────
  async function click(message, block, b, btn) {
    try {
      await api('/api/action', {
        message_ts: message.ts,
        block_id: block.block_id || '',
        action_id: b.action_id,
      });
    } catch (e) {
      note(btn.closest('.message') || $('messages'), `The click did not reach the bot: ${e.message}`);
    }
  }

  function messageEl(m, opts) {
    const mine = m.user === state.me;
    const isBot = Boolean(m.bot_id) || m.user === state.bot.user_id;
    const row = el('div', `message${m.private ? ' ephemeral' : ''}`);
    row.dataset.testid = 'message';
    row.dataset.ts = m.ts;
    if (m.private) row.dataset.ephemeral = 'true';
    if (isBot) row.dataset.bot = 'true';
    const user = state.users.find((u) => u.id === m.user);
    const name = m.private || isBot ? state.bot.name : user ? user.role.split(' (')[0] : m.user;
    const av = el(
      'div',
      `avatar${isBot || m.private ? ' bot' : user && user.id !== state.users[0]?.id ? ' viewer' : ''}`,
      name.slice(0, 1).toUpperCase(),
    );
    row.appendChild(av);
    const main = el('div', 'msg-main');
    const head = el('div', 'msg-head');
    head.appendChild(el('span', 'msg-name', name));
    if (isBot || m.private) head.appendChild(el('span', 'app-badge', 'APP'));
    head.appendChild(el('span', 'msg-time', time(m.ts)));
    if (m.edited) head.appendChild(el('span', 'edited', '(edited)'));
    main.appendChild(head);
    if (m.private) main.appendChild(el('div', 'only-you', 'Only visible to you'));
    const body = el('div', 'msg-body');
    const ctx = {
      names: names(),
      interactive: !m.private,
      confirm: confirmDialog,
      onButton: (block, b) => click(m, block, b, body),
    };
    if (Array.isArray(m.blocks) && m.blocks.length) body.appendChild(renderBlocks(m.blocks, ctx));
    else body.appendChild(mrkdwn(m.text || '', ctx));
    main.appendChild(body);
    if (opts.threadable && !m.private) {
      const actions = el('div', 'msg-actions');
      const replies = [...state.messages.values()].filter(
        (r) => r.thread_ts === m.ts && r.ts !== m.ts,
      ).length;
      const open = el(
        'button',
        replies ? 'link-button' : 'link-button hover-reply',
        replies ? `${replies} ${replies === 1 ? 'reply' : 'replies'}` : 'Reply in thread',
      );
      open.type = 'button';
      open.dataset.testid = 'open-thread';
      open.onclick = () => openThread(m.ts);
      actions.appendChild(open);
      main.appendChild(actions);
    }
    void mine;
    row.appendChild(main);
    return row;
  }

  function channelItems() {
    const top = [...state.messages.values()].filter((m) => !isReply(m));
    const priv = state.private.filter((p) => !p.thread_ts).map((p) => ({ ...p, private: true }));
    return [...top, ...priv].sort((a, b) => (a._seq || 0) - (b._seq || 0));
  }

  function renderChannel() {
    const list = $('messages');
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 120;
    list.replaceChildren();
    const items = channelItems();
    if (!items.length)
      list.appendChild(el('div', 'empty', 'No incidents yet: the first scheduled run is on its way.'));
    for (const m of items) list.appendChild(messageEl(m, { threadable: true }));
    if (nearBottom) list.scrollTop = list.scrollHeight;
    renderThread();
    revealNew();
  }

  function renderThread() {
    const root = $('thread-root');
    if (!state.thread) return root.replaceChildren();
    const parent = state.messages.get(state.thread);
    if (!parent) return root.replaceChildren();
    let pane = root.querySelector('.thread');
    let list;
    if (!pane) {
      pane = el('aside', 'thread');
      pane.dataset.testid = 'thread';
      const head = el('div', 'thread-head');
      head.appendChild(el('span', '', 'Thread'));
      const x = el('button', 'link-button', '✕');
      x.type = 'button';
      x.setAttribute('aria-label', 'Close thread');
      x.dataset.testid = 'close-thread';
      x.onclick = () => {
        state.thread = null;
        renderThread();
      };
      head.appendChild(x);
      list = el('div', 'thread-list');
      const form = el('form', 'composer');
      const ta = el('textarea');
      ta.rows = 1;
      ta.placeholder = 'Reply… (ask the agent about this incident)';
      ta.dataset.testid = 'thread-composer';
      const send = el('button', 'send', 'Send');
      send.type = 'submit';
      form.append(ta, send);
      wireComposer(form, ta, () => state.thread);
      pane.append(head, list, form);
      root.replaceChildren(pane);
    } else list = pane.querySelector('.thread-list');
    pane.dataset.threadTs = state.thread;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 120;
    list.replaceChildren(messageEl(parent, { threadable: false }));
    const replies = [...state.messages.values()].filter(
      (r) => r.thread_ts === state.thread && r.ts !== state.thread,
    );
    const priv = state.private
      .filter((p) => p.thread_ts === state.thread)
      .map((p) => ({ ...p, private: true }));
    const all = [...replies, ...priv].sort((a, b) => (a._seq || 0) - (b._seq || 0));
    list.appendChild(
      el('div', 'replies-sep', `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`),
    );
    for (const r of all) list.appendChild(messageEl(r, { threadable: false }));
    if (nearBottom) list.scrollTop = list.scrollHeight;
  }

  function openThread(ts) {
    state.thread = ts;
    renderThread();
    const ta = document.querySelector('[data-testid="thread-composer"]');
    if (ta) ta.focus();
  }

  // ── composing ─────────────────────────────────────────────────────────────────────────────
  function wireComposer(form, ta, threadTs) {
    const submit = async () => {
      const text = ta.value.trim();
      if (!text) return;
      ta.disabled = true;
      try {
        const thread_ts = threadTs();
        if (text.startsWith('/') && !thread_ts) await api('/api/command', { text });
        else await api('/api/message', { text, ...(thread_ts ? { thread_ts } : {}) });
        ta.value = '';
      } catch (e) {
        note(form, `Not sent: ${e.message}`);
      } finally {
        ta.disabled = false;
        ta.focus();
      }
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void submit();
    });
    ta.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        void submit();
      }
    });
  }

  // ── live state ────────────────────────────────────────────────────────────────────────────
  let seq = 0;
  const upsert = (m) => {
    const old = state.messages.get(m.ts);
    state.messages.set(m.ts, { ...m, _seq: old ? old._seq : ++seq });
  };

  async function load() {
    const res = await fetch(`/api/state?user=${encodeURIComponent(state.me)}`);
    if (!res.ok) throw new Error(`state: HTTP ${res.status}`);
    const s = await res.json();
    state.users = s.users;
    state.groups = s.groups || {};
    state.clock = s.clock;
    state.approval_timeout_seconds = s.approval_timeout_seconds;
    tickClock();
    state.bot = s.bot;
    state.channel = s.channel;
    state.messages.clear();
    for (const m of s.messages) upsert(m);
    state.private = s.private.map((p) => ({ ...p, _seq: ++seq }));
    $('channel-name').textContent = s.channel.name;
    $('channel-title').textContent = s.channel.name;
    const me = state.users.find((u) => u.id === state.me);
    $('user-role').textContent = me ? me.role : '';
    renderChannel();
    // A hook for tests: the page now shows this user's view.
    document.body.dataset.user = state.me;
  }

  function connect() {
    if (state.source) state.source.close();
    const src = new EventSource(`/api/events?user=${encodeURIComponent(state.me)}`);
    state.source = src;
    const status = $('status');
    src.onopen = () => {
      status.textContent = 'live';
      status.className = 'status live';
    };
    src.onerror = () => {
      status.textContent = 'reconnecting…';
      status.className = 'status';
    };
    const onMessage = (e) => {
      const m = JSON.parse(e.data);
      // New messages (and a reply replacing its "Thinking…" placeholder) come into view.
      if (e.type === 'posted' || m.thread_ts) state.reveal = m.ts;
      upsert(m);
      renderChannel();
    };
    src.addEventListener('posted', onMessage);
    src.addEventListener('updated', onMessage);
    src.addEventListener('private', (e) => {
      const p = JSON.parse(e.data);
      state.private.push({ ...p, _seq: ++seq });
      state.reveal = p.ts;
      renderChannel();
    });
    src.addEventListener('view', (e) => {
      const v = JSON.parse(e.data);
      openModal(v.id, v.view);
    });
  }

  async function boot() {
    const first = await fetch('/api/state?user=U0APPROVER').then((r) => r.json());
    const sw = $('user-switch');
    for (const u of first.users) {
      const o = el('option', '', u.role);
      o.value = u.id;
      sw.appendChild(o);
    }
    if (!first.users.some((u) => u.id === state.me)) state.me = first.users[0].id;
    sw.value = state.me;
    sw.addEventListener('change', async () => {
      state.me = sw.value;
      delete document.body.dataset.user;
      localStorage.setItem('bdp-user', state.me);
      await load();
      connect();
    });
    wireComposer($('composer-form'), $('composer'), () => null);
    await load();
    connect();
  }

  boot().catch((e) => {
    $('status').textContent = `failed to load: ${e.message}`;
  });
})();
