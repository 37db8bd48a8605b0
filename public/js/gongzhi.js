// Gongzhi's progressive enhancements that need no wasm: maps (Leaflet, loaded only where a
// page has a map) and the report form (category search, extra fields of the chosen
// category, "use my location", live character counts, photo uploads with previews,
// duplicates nearby with "me too", and a draft kept on this device), "show more" in
// discussions, and similar questions while a question to a department is typed.
// Everything here is optional: without JavaScript every page and form still works.

const DRAFT_KEY = "gz-report-draft";
const DRAFT_DAYS = 7;

// ---- maps ---------------------------------------------------------------------------------

let leafletLoading = null;

function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  if (leafletLoading) return leafletLoading;
  leafletLoading = new Promise((resolve, reject) => {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = "/vendor/leaflet/leaflet.css";
    document.head.appendChild(css);
    const js = document.createElement("script");
    js.src = "/vendor/leaflet/leaflet.js";
    js.onload = () => resolve(window.L);
    js.onerror = reject;
    document.head.appendChild(js);
  });
  return leafletLoading;
}

function baseMap(L, el, lat, lon, zoom) {
  const map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], zoom);
  const tiles = el.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
  } else {
    el.classList.add("map-blank");
  }
  fetch("/grids.geojson")
    .then((r) => (r.ok ? r.json() : null))
    .then((fc) => {
      if (fc) L.geoJSON(fc, { style: { color: "#0f5f4f", weight: 1, fillOpacity: 0.04 }, interactive: false }).addTo(map);
    })
    .catch(() => {});
  return map;
}

function initMap(el) {
  if (el.dataset.ready) return;
  el.dataset.ready = "1";
  el.hidden = false;
  loadLeaflet()
    .then((L) => {
      const lat = parseFloat(el.dataset.lat);
      const lon = parseFloat(el.dataset.lon);
      if (el.dataset.map === "point") {
        const map = baseMap(L, el, lat, lon, 16);
        L.circleMarker([lat, lon], { radius: 9, color: "#a4161a", weight: 3 }).addTo(map);
      } else if (el.dataset.map === "picker") {
        initPicker(L, el, lat, lon);
      } else if (el.dataset.map === "reports") {
        initReportsMap(L, el, lat, lon);
      }
    })
    .catch(() => {
      el.hidden = true;
    });
}

function initReportsMap(L, el, lat, lon) {
  const map = baseMap(L, el, lat, lon, 13);
  const zh = document.documentElement.lang.startsWith("zh");
  fetch(el.dataset.src)
    .then((r) => (r.ok ? r.json() : null))
    .then((fc) => {
      if (!fc || !fc.features.length) return;
      const layer = L.geoJSON(fc, {
        pointToLayer: (f, ll) =>
          L.circleMarker(ll, { radius: 7, weight: 2, color: /closed|rejected/.test(f.properties.status) ? "#135f2e" : "#a4161a" }),
        onEachFeature: (f, m) => {
          const a = document.createElement("a");
          a.href = "/reports/" + f.properties.id;
          a.textContent = "#" + f.properties.id + " " + ((zh ? f.properties.category_zh : f.properties.category_en) || "");
          m.bindPopup(a);
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
    })
    .catch(() => {});
}

function initPicker(L, el, lat, lon) {
  const form = el.closest("form");
  const latIn = form.querySelector("#f-lat");
  const lonIn = form.querySelector("#f-lon");
  const current = () => {
    const a = parseFloat(latIn.value.replace(",", "."));
    const b = parseFloat(lonIn.value.replace(",", "."));
    return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : null;
  };
  const start = current();
  const map = baseMap(L, el, start ? start[0] : lat, start ? start[1] : lon, start ? 17 : 13);
  let marker = null;
  const place = (p, pan) => {
    if (!marker) marker = L.circleMarker(p, { radius: 10, color: "#a4161a", weight: 3 }).addTo(map);
    marker.setLatLng(p);
    if (pan) map.setView(p, Math.max(map.getZoom(), 17));
  };
  if (start) place(start, false);
  map.on("click", (e) => {
    latIn.value = e.latlng.lat.toFixed(6);
    lonIn.value = e.latlng.lng.toFixed(6);
    place(e.latlng, false);
    latIn.dispatchEvent(new Event("change", { bubbles: true }));
  });
  const fromInputs = () => {
    const p = current();
    if (p) place(p, true);
  };
  latIn.addEventListener("change", fromInputs);
  lonIn.addEventListener("change", fromInputs);
  form.addEventListener("gz:located", fromInputs);
}

function scanMaps(root) {
  root.querySelectorAll("[data-map]").forEach(initMap);
}

// ---- the report form ----------------------------------------------------------------------

function texts(form) {
  try {
    return JSON.parse(form.dataset.texts || "{}");
  } catch (_) {
    return {};
  }
}

function selectedCategory(form) {
  const r = form.querySelector('input[name="category"]:checked');
  return r ? r.value : "";
}

function showCategoryFields(form) {
  const code = selectedCategory(form);
  form.querySelectorAll("fieldset[data-for-category]").forEach((fs) => {
    const on = fs.dataset.forCategory === code;
    fs.hidden = !on;
    fs.disabled = !on; // disabled fieldsets are not submitted
  });
}

function initCategorySearch(form) {
  const box = form.querySelector('[data-enhance="category-search"]');
  if (!box) return;
  box.hidden = false;
  const input = box.querySelector("input");
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    form.querySelectorAll(".category-option").forEach((li) => {
      const hit = !q || (li.dataset.keywords || "").toLowerCase().includes(q);
      const checked = li.querySelector("input").checked;
      li.hidden = !(hit || checked);
    });
    form.querySelectorAll(".category-group").forEach((g) => {
      g.hidden = !g.querySelector(".category-option:not([hidden])");
    });
  });
}

function initLocate(form) {
  const btn = form.querySelector('[data-enhance="locate"]');
  if (!btn || !navigator.geolocation) return;
  btn.hidden = false;
  btn.addEventListener("click", () => {
    btn.setAttribute("aria-busy", "true");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        btn.removeAttribute("aria-busy");
        form.querySelector("#f-lat").value = pos.coords.latitude.toFixed(6);
        form.querySelector("#f-lon").value = pos.coords.longitude.toFixed(6);
        form.dispatchEvent(new Event("gz:located"));
        form.querySelector("#f-lat").dispatchEvent(new Event("change", { bubbles: true }));
      },
      () => btn.removeAttribute("aria-busy"),
      { enableHighAccuracy: true, timeout: 15000 },
    );
  });
}

function initCounters(form) {
  form.querySelectorAll("[data-counter-for]").forEach((c) => {
    const field = form.querySelector("#" + c.dataset.counterFor);
    const max = parseInt(c.dataset.max, 10);
    const out = c.querySelector("span");
    const update = () => {
      out.textContent = String(max - [...field.value].length);
    };
    field.addEventListener("input", update);
    update();
  });
}

function photoItem(photo) {
  const li = document.createElement("li");
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = "photos";
  box.value = photo.uid;
  box.checked = true;
  const img = document.createElement("img");
  img.src = "/photos/" + photo.uid + "-thumb.jpg";
  img.alt = "";
  img.width = photo.thumb_width;
  img.height = photo.thumb_height;
  label.append(box, img);
  li.append(label);
  return li;
}

function problemText(t, err) {
  const list = err && err.Invalid;
  const p = list && list[0] && list[0].problem;
  if (!p) return t.upload_failed;
  return t["p_" + p.code] || t.upload_failed;
}

function initPhotos(form, t, save) {
  const input = form.querySelector("#f-photo");
  const list = form.querySelector('[data-enhance="photo-previews"]');
  const errorEl = form.querySelector("#f-photo-error");
  if (!input || !list) return;
  const max = parseInt(input.dataset.maxPhotos, 10);
  input.addEventListener("change", async () => {
    const files = [...input.files];
    input.value = "";
    errorEl.hidden = true;
    for (const file of files) {
      if (form.querySelectorAll('input[name="photos"]:checked').length >= max) {
        errorEl.textContent = t.p_too_many_photos;
        errorEl.hidden = false;
        break;
      }
      const body = new FormData();
      body.append("submit_token", form.querySelector('input[name="submit_token"]').value);
      body.append("photo", file);
      try {
        const res = await fetch("/api/photos", { method: "POST", body, headers: { Accept: "application/json" } });
        const json = await res.json();
        if (res.ok) {
          list.append(photoItem(json));
          save();
        } else {
          errorEl.textContent = file.name + ": " + problemText(t, json);
          errorEl.hidden = false;
        }
      } catch (_) {
        errorEl.textContent = file.name + ": " + t.upload_failed;
        errorEl.hidden = false;
      }
    }
  });
}

function initDuplicates(form, t) {
  const box = form.querySelector('[data-enhance="duplicates"]');
  if (!box) return;
  let timer = null;
  const look = async () => {
    const category = selectedCategory(form);
    const lat = form.querySelector("#f-lat").value;
    const lon = form.querySelector("#f-lon").value;
    box.replaceChildren();
    if (!category || !lat || !lon) return;
    const q = new URLSearchParams({ category, lat, lon });
    let found = [];
    try {
      const res = await fetch("/api/reports/nearby?" + q);
      if (res.ok) found = await res.json();
    } catch (_) {
      return;
    }
    if (!found.length) return;
    const h = document.createElement("h3");
    h.textContent = t.duplicates_title;
    const p = document.createElement("p");
    p.textContent = t.duplicates_text;
    const ul = document.createElement("ul");
    ul.className = "duplicate-list";
    for (const n of found) {
      const r = n.report;
      const li = document.createElement("li");
      li.className = "duplicate";
      if (r.thumb) {
        const img = document.createElement("img");
        img.src = "/photos/" + r.thumb.uid + "-thumb.jpg";
        img.alt = "";
        img.className = "thumb";
        li.append(img);
      }
      const body = document.createElement("div");
      const a = document.createElement("a");
      a.href = "/reports/" + r.id;
      a.textContent = "#" + r.id + " " + r.excerpt;
      const meta = document.createElement("p");
      meta.className = "muted";
      const days = Math.max(0, Math.round((Date.now() - Date.parse(r.created_at)) / 86400000));
      meta.textContent = Math.round(n.distance_m) + " " + t.metres_away + " · " + r.created_at.slice(0, 10) + " (" + days + "d)";
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn";
      btn.textContent = t.me_too;
      btn.addEventListener("click", async () => {
        const res = await fetch("/api/support_report", {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
          body: new URLSearchParams({ id: String(r.id), on: "true" }),
        });
        if (res.ok) {
          btn.textContent = t.me_too_done;
          btn.disabled = true;
          localStorage.removeItem(DRAFT_KEY);
          window.location.href = "/reports/" + r.id;
        } else if (res.status === 401) {
          window.location.href = "/login?next=" + encodeURIComponent("/reports/" + r.id);
        }
      });
      body.append(a, meta, btn);
      li.append(body);
      ul.append(li);
    }
    box.append(h, p, ul);
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(look, 300);
  };
  form.addEventListener("change", (e) => {
    if (e.target.name === "category" || e.target.id === "f-lat" || e.target.id === "f-lon") soon();
  });
  form.addEventListener("gz:located", soon);
  soon();
}

function draftOf(form) {
  const d = { at: Date.now(), token: form.querySelector('input[name="submit_token"]').value, fields: {}, photos: [] };
  for (const el of form.elements) {
    if (!el.name || el.type === "file" || el.type === "hidden" || el.name === "photos") continue;
    if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
    (d.fields[el.name] = d.fields[el.name] || []).push(el.value);
  }
  form.querySelectorAll('input[name="photos"]:checked').forEach((b) => {
    const img = b.parentElement.querySelector("img");
    d.photos.push({ uid: b.value, thumb_width: img ? img.width : 80, thumb_height: img ? img.height : 60 });
  });
  return d;
}

function restoreDraft(form, t) {
  let d = null;
  try {
    d = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
  } catch (_) {
    return;
  }
  if (!d || Date.now() - d.at > DRAFT_DAYS * 86400000) return;
  form.querySelector('input[name="submit_token"]').value = d.token;
  for (const el of form.elements) {
    const vals = d.fields[el.name];
    if (!vals || el.type === "file" || el.type === "hidden") continue;
    if (el.type === "radio" || el.type === "checkbox") el.checked = vals.includes(el.value);
    else if (el.tagName === "SELECT" && el.multiple) [...el.options].forEach((o) => (o.selected = vals.includes(o.value)));
    else el.value = vals[0];
  }
  const list = form.querySelector('[data-enhance="photo-previews"]');
  for (const p of d.photos || []) list.append(photoItem(p));
  const note = document.createElement("p");
  note.className = "alert alert-success";
  note.setAttribute("role", "status");
  note.textContent = t.draft_restored;
  form.prepend(note);
}

function initReportForm(form) {
  if (form.dataset.ready) return;
  form.dataset.ready = "1";
  const t = texts(form);
  const save = () => {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(draftOf(form)));
    } catch (_) {}
  };
  if (form.dataset.hasFlash !== "true") restoreDraft(form, t);
  else localStorage.removeItem(DRAFT_KEY);
  initCategorySearch(form);
  showCategoryFields(form);
  initLocate(form);
  initCounters(form);
  initPhotos(form, t, save);
  initDuplicates(form, t);
  form.addEventListener("change", (e) => {
    if (e.target.name === "category") showCategoryFields(form);
    save();
  });
  form.addEventListener("input", save);
  form.addEventListener("submit", () => localStorage.removeItem(DRAFT_KEY));
}

// ---- discussions ----------------------------------------------------------------------------

// "Show more" under a discussion appends the next 20 threads in place and moves the focus to
// the first of them (a button press, never infinite scroll). Without JavaScript, or if the
// request fails, the link simply opens the next page.
function initShowMore(link) {
  if (link.dataset.ready) return;
  link.dataset.ready = "1";
  link.addEventListener("click", async (e) => {
    e.preventDefault();
    link.setAttribute("aria-busy", "true");
    try {
      const res = await fetch(link.href, { headers: { Accept: "text/html" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const list = document.querySelector("#discussion ol.threads");
      let first = null;
      doc.querySelectorAll("#discussion ol.threads > li.thread").forEach((li) => {
        const node = document.importNode(li, true);
        list.appendChild(node);
        first = first || node;
      });
      const next = doc.querySelector("#discussion a.show-more");
      if (next) {
        link.href = new URL(next.getAttribute("href"), link.href).href;
        link.removeAttribute("aria-busy");
      } else {
        link.remove();
      }
      if (first) {
        first.setAttribute("tabindex", "-1");
        first.focus();
      }
    } catch (_) {
      window.location.href = link.href;
    }
  });
}

// ---- ask a department: similar questions while the title is typed --------------------------

const SIMILAR_TEXT = {
  zh: { title: "已有的类似提问", hint: "如果已经有人问过，点“我也想知道”比重复提问更有用。", wants: "人想知道" },
  en: { title: "Similar questions already asked", hint: "If someone asked already, adding \"I want to know too\" there helps more than asking again.", wants: "want to know" },
};

function initAskForm(form) {
  if (form.dataset.ready) return;
  form.dataset.ready = "1";
  const title = form.querySelector("#f-title");
  if (!title) return;
  const text = SIMILAR_TEXT[document.documentElement.lang.startsWith("zh") ? "zh" : "en"];
  const box = document.createElement("div");
  box.className = "similar-live";
  box.setAttribute("aria-live", "polite");
  title.closest(".field").appendChild(box);
  let timer = null;
  let asked = "";
  title.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = title.value.trim();
      if (q === asked) return;
      asked = q;
      if ([...q].length < 4) {
        box.replaceChildren();
        return;
      }
      try {
        const res = await fetch(`/api/similar_questions?title=${encodeURIComponent(q)}`, { headers: { accept: "application/json" } });
        if (!res.ok || q !== asked) return;
        const list = await res.json();
        box.replaceChildren();
        if (!Array.isArray(list) || list.length === 0) return;
        const h = document.createElement("p");
        h.className = "hint";
        h.textContent = `${text.title}: ${text.hint}`;
        const ul = document.createElement("ul");
        for (const s of list) {
          const li = document.createElement("li");
          const a = document.createElement("a");
          a.href = `/questions/${s.id}`;
          a.textContent = s.title;
          li.append(a, ` · ${s.want_count} ${text.wants}`);
          ul.appendChild(li);
        }
        box.append(h, ul);
      } catch (_) {
        // Suggestions are a help, not a step: without them the form works as before.
      }
    }, 400);
  });
}

// ---- start --------------------------------------------------------------------------------

function scan(root) {
  scanMaps(root);
  root.querySelectorAll("form[data-report-form]").forEach(initReportForm);
  root.querySelectorAll("#discussion a.show-more").forEach(initShowMore);
  root.querySelectorAll("form#ask-form").forEach(initAskForm);
}

scan(document);
// Pages rendered later by the wasm router (client-side navigation) get their maps too.
new MutationObserver((changes) => {
  for (const c of changes) for (const n of c.addedNodes) if (n.nodeType === 1) scan(n.parentElement || n);
}).observe(document.body, { childList: true, subtree: true });
