// A live Q&A session page: follows the session's events (Server-Sent Events), keeps the
// questions ranked by votes, shows "being answered now" and the answers as they come, and
// posts the page's forms in place. When the connection drops, the browser reconnects with
// the last event it saw and the server sends everything missed; should the browser give up,
// this script reconnects itself, from the same place.
// Without this script the page still works: its forms post and a reload shows the news.

const root = document.getElementById("live");
const list = document.getElementById("live-questions");
const template = document.getElementById("live-template");
const status = document.getElementById("live-status");

let last = Number(root?.dataset.after || 0);
let source = null;
let retry = null;

function say(text) {
  if (status) status.textContent = text;
}

function rank() {
  const items = Array.from(list.children);
  const sorted = items
    .slice()
    .sort((a, b) => Number(b.dataset.votes) - Number(a.dataset.votes) || Number(a.dataset.id) - Number(b.dataset.id));
  if (sorted.some((el, i) => el !== items[i])) {
    for (const el of sorted) list.appendChild(el);
  }
}

function item(q) {
  let el = document.getElementById(`lq-${q.id}`);
  if (el || !template) return el;
  el = template.content.firstElementChild.cloneNode(true);
  el.id = `lq-${q.id}`;
  el.dataset.id = String(q.id);
  for (const input of el.querySelectorAll('input[name="id"]')) input.value = String(q.id);
  const area = el.querySelector("textarea");
  const label = el.querySelector("label");
  if (area && label) {
    area.id = `live-answer-${q.id}`;
    label.htmlFor = area.id;
  }
  bind(el);
  list.appendChild(el);
  document.querySelector(".live-empty")?.remove();
  return el;
}

function show(q) {
  const el = item(q);
  if (!el) return;
  el.dataset.votes = String(q.votes);
  el.querySelector(".live-body").textContent = q.body;
  el.querySelector(".live-author").textContent = q.author_name || "";
  el.querySelector(".live-count").textContent = String(q.votes);
  el.classList.toggle("live-answering", q.status === "answering");
  el.classList.toggle("live-answered", q.status === "answered");
  el.classList.remove("hidden-own");
  el.querySelector(".live-held")?.remove();
  if (q.status === "answered") {
    // Sanitized on the server when the answer was saved.
    el.querySelector(".live-answer").innerHTML = q.answer_html;
    el.querySelector(".live-official")?.remove();
  }
  rank();
}

function connect() {
  clearTimeout(retry);
  source?.close();
  source = new EventSource(`/live/${root.dataset.live}/events?after=${last}`);
  source.addEventListener("open", () => say(root.dataset.lLive));
  source.addEventListener("live", (e) => {
    const event = JSON.parse(e.data);
    if (event.id <= last) return;
    last = event.id;
    if (event.kind === "hidden") document.getElementById(`lq-${event.question.id}`)?.remove();
    else show(event.question);
  });
  source.addEventListener("error", () => {
    say(root.dataset.lLost);
    // The browser retries by itself; if it gave up, start again from the last event seen.
    if (source.readyState === EventSource.CLOSED) retry = setTimeout(connect, 3000);
  });
}

function drop() {
  source?.close();
  say(root.dataset.lLost);
  retry = setTimeout(connect, 2000);
}

// Forms post in place; what they change comes back through the event stream.
function bind(scope) {
  for (const form of scope.querySelectorAll("form.live-form")) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const res = await fetch(form.action, {
          method: "POST",
          headers: { accept: "application/json" },
          body: new URLSearchParams(new FormData(form)),
        });
        if (!res.ok) throw new Error(String(res.status));
        if (form.classList.contains("live-vote")) {
          const on = form.querySelector('input[name="on"]');
          const voted = on.value === "true";
          on.value = String(!voted);
          button.classList.toggle("btn-on", voted);
          button.setAttribute("aria-pressed", String(voted));
          button.textContent = voted ? button.dataset.on : button.dataset.off;
        } else {
          form.querySelector("textarea")?.form?.reset();
        }
      } catch {
        say(root.dataset.lError);
      } finally {
        button.disabled = false;
      }
    });
  }
}

if (root && list && root.dataset.state === "live") {
  bind(root);
  connect();
  // For people and tests: drop the connection to see the catch-up.
  window.gongzhiLive = { drop, last: () => last };
}
