// Cramp Coach test console: talk to the skill through POST /api/say, hear the reply with
// the browser's speech synthesis (breaks and sounds honoured), see the device's screen as
// the reply describes it, inspect each turn, and save the conversation as a test.
// No build step and no outside requests: everything comes from this server.
//
// Who you are is the server's business: this page keeps only the opaque token the server
// gave it (localStorage), so a reload is the same user, and sends nothing else as identity
// or state.
"use strict";

const $ = (id) => document.getElementById(id);
const USER_KEY = "cramp-coach-console-user";
const state = {
  user: readUser(), freshSession: true, graphics: null, playback: 0, timers: [],
  clockSince: Date.now(), frame: null, shown: 0,
};

function readUser() {
  try { return localStorage.getItem(USER_KEY); } catch (error) { return null; }
}

function setUser(token) {
  state.user = token;
  try {
    if (token) localStorage.setItem(USER_KEY, token);
    else localStorage.removeItem(USER_KEY);
  } catch (error) { /* private mode: the user lasts as long as the page */ }
  $("who").textContent = token ? "returning" : "new user";
}

// ------------------------------------------------------------------ talking to the skill
async function post(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  let data = {};
  try { data = await response.json(); } catch (error) { data = { error: `HTTP ${response.status}` }; }
  return { status: response.status, data };
}

// The device's clock: this server's, or a chosen time of day that runs on from when it was chosen.
function deviceNow() {
  const chosen = $("clock").value;
  if (!chosen) return undefined;
  const [hours, minutes] = chosen.split(":").map(Number);
  const start = new Date();
  start.setUTCHours(hours, minutes, 0, 0);
  return new Date(start.getTime() + (Date.now() - state.clockSince)).toISOString().replace(/\.\d+Z$/, "Z");
}

async function send(body) {
  const text = body.text ?? "";
  if (body.tap === undefined) addEntry("you", text || "(opens the skill)");
  else addEntry("you", `(taps ${body.label || body.tap})`);
  const request = { text, locale: $("locale").value, screen: $("screen").value || null };
  if (body.tap !== undefined) { request.tap = body.tap; delete request.text; }
  const now = deviceNow();
  if (now) request.now = now;
  if (state.freshSession) request.new_session = true;
  let reply;
  try {
    let answer = await post("/api/say", state.user ? { ...request, user: state.user } : request);
    if (answer.status === 404 && state.user) {
      // The server no longer knows this user (restarted, or forgot it): start a new one.
      setUser(null);
      addEntry("info", "This server did not know you any more (restarted?): you are a new user now.");
      answer = await post("/api/say", request);
    }
    if (answer.status !== 200) throw new Error(answer.data.error || `HTTP ${answer.status}`);
    reply = answer.data;
  } catch (error) {
    addEntry("error", `Could not reach the skill: ${error.message}`);
    return;
  }
  state.freshSession = false;
  setUser(reply.user);
  await showReply(reply);
}

// A counted hold written as the README writes it ("1 2 3 … 29 30"), so a long reply fits
// beside the screen; every word is in the inspector's response envelope.
function shortened(speech) {
  return speech.replace(/\b1 2 3 (?:\d+ )*?(\d+) (\d+)(?= And release)/g,
    (_, before, last) => `1 2 3 … ${before} ${last} (${last} seconds)`);
}

async function showReply(reply) {
  const item = addEntry("skill", reply.speech ? shortened(reply.speech) : "(no speech)");
  item.appendChild(inspector(reply));
  if (reply.reminder) showReminder(reply.reminder);
  if (reply.end_session) addEntry("ended", "Session ended. Say something to start again.");
  play(reply.ssml);
  await showScreen(reply);
  reveal(item);
  // How many replies are fully shown (screen included): what a test waits for.
  state.shown += 1;
  document.body.dataset.shown = String(state.shown);
}

// A reminder the turn set or stopped (what Alexa would have been asked to do), and a
// button that plays it as Alexa would at its time, with the skill closed.
function showReminder(reminder) {
  if (reminder.status === "stopped") return addEntry("reminder", "Alexa reminder stopped.");
  const item = addEntry("reminder",
    `Alexa reminder: every night at ${reminder.at} (${reminder.zone}). "${reminder.text}"`);
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Simulate it going off";
  button.addEventListener("click", () => {
    addEntry("reminder", `Alexa: Reminder. ${reminder.text}`);
    speak({ say: `Reminder. ${reminder.text}`, rate: 1, volume: 1 });
  });
  item.appendChild(button);
  return item;
}

function describe(reply) {
  const slots = Object.entries(reply.slots || {}).map(
    ([name, slot]) => `${name}=${slot.value}${slot.id ? ` (${slot.id})` : ""}`);
  const route = reply.inspect && reply.inspect.route;
  return [reply.intent, ...slots, route ? `→ ${route}` : "→ error handler"].join(" · ");
}

function addEntry(kind, text) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  $("log").appendChild(item);
  reveal(item);
  return item;
}

// Scroll the conversation (only it) so this entry sits just above the input; one taller
// than the pane shows from its start.
function reveal(item) {
  const pane = $("pane");
  const top = item.offsetTop - pane.offsetTop;
  const bottom = top + item.offsetHeight;
  pane.scrollTop = item.offsetHeight > pane.clientHeight ? top : bottom - pane.clientHeight + 8;
}

// ------------------------------------------------------------------ the inspector
function inspector(reply) {
  const box = document.createElement("details");
  box.className = "inspect";
  const summary = document.createElement("summary");
  summary.className = "meta";
  summary.textContent = describe(reply);
  box.appendChild(summary);
  const inspect = reply.inspect || {};
  const facts = document.createElement("div");
  facts.textContent = `Route: ${inspect.route || "none (the error handler answered)"} · ` +
    `Reprompt: ${reply.reprompt || "none"} · Session: ${reply.end_session ? "closed" : "open"}`;
  box.appendChild(facts);
  box.appendChild(section("Session state", inspect.state ?? null));
  box.appendChild(section("Request envelope", inspect.request));
  box.appendChild(section("Response envelope", inspect.response));
  return box;
}

function section(title, value) {
  const part = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = title;
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "copy";
  copy.textContent = "Copy";
  const text = () => JSON.stringify(value, null, 2);
  copy.addEventListener("click", (event) => {
    event.preventDefault();
    copyText(text()).then((done) => { copy.textContent = done ? "Copied" : "Select and copy"; });
  });
  summary.appendChild(copy);
  part.appendChild(summary);
  const pre = document.createElement("pre");
  part.appendChild(pre);
  // Filled when first opened: a response with a screen carries the whole APL document.
  part.addEventListener("toggle", () => { if (part.open && !pre.textContent) pre.textContent = text(); });
  return part;
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (error) {
    // No clipboard API (plain http from another machine): the old way.
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand && document.execCommand("copy");
    area.remove();
    return Boolean(done);
  }
}

// ------------------------------------------------------------------ the screen (APL data)
async function graphics() {
  if (!state.graphics) {
    try {
      state.graphics = (await (await fetch("/api/apl")).json()).graphics || {};
    } catch (error) {
      state.graphics = {};
    }
  }
  return state.graphics;
}

const px = (value) => (typeof value === "number" ? `${value}px` : String(value).replace(/dp$/, "px"));

// Draw what the reply sends, as the APL document would: the layout's sizes, the theme the
// skill chose, an icon only where the layout has room for one, buttons only where it
// shows them. The frame is the device's own size in dp, scaled to fit the strip.
async function showScreen(reply) {
  const screen = reply.screen;
  clearTimers();
  if (!screen) { showStrip(false); return; }
  // Night (or an emergency) is the skill's decision, read from the reply.
  document.body.classList.toggle("night", screen.mode === "night");
  const viewport = (((reply.inspect || {}).request || {}).context || {}).Viewport || {};
  const dpi = viewport.dpi || 160;
  state.frame = {
    width: Math.round(((viewport.currentPixelWidth || 1024) * 160) / dpi),
    height: Math.round(((viewport.currentPixelHeight || 600) * 160) / dpi),
  };
  const device = $("device");
  device.className = `device ${screen.layout} ${screen.mode || ""}`;
  device.dataset.layout = screen.layout;
  const size = screen.size || {};
  const vars = {
    background: screen.theme.background, "text-colour": screen.theme.text, dim: screen.theme.dim,
    accent: screen.theme.accent, button: screen.theme.button, padding: px(size.padding),
    title: px(size.title), text: px(size.text), count: px(size.count), hint: px(size.hint),
    icon: px(size.icon), "button-size": px(size.button),
    direction: size.direction === "row" ? "row" : "column",
  };
  for (const [name, value] of Object.entries(vars)) device.style.setProperty(`--d-${name}`, value);
  $("device-title").textContent = screen.title;
  $("device-text").textContent = screen.text;
  $("device-hint").textContent = screen.hint || "";
  const icon = $("device-icon");
  icon.replaceChildren();
  const drawing = screen.icon && size.icon > 0 && (await graphics())[screen.icon];
  if (drawing) icon.appendChild(svgFor(drawing, screen.theme.dim));
  const buttons = $("device-buttons");
  buttons.replaceChildren();
  if (size.buttons) {
    for (const button of screen.buttons) {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.label;
      element.dataset.id = button.id;
      element.addEventListener("click", () => send({ tap: button.id, label: button.label }));
      buttons.appendChild(element);
    }
  }
  runCountdown(screen.holds || [], screen.labels);
  showStrip(true);
  fit();
}

function showStrip(shown) {
  $("strip").hidden = !shown;
  $("enlarge").hidden = !shown;
  if (!shown) {
    state.frame = null;
    document.body.classList.remove("large");
  }
}

// Scale the frame to the strip: a third of a phone's height, more on larger screens. A
// portrait screen (the phone app) would be too small to read whole, so its frame is shown
// as wide as the strip and cut to the part with something on it, the empty background
// above and below left out (the frame's edges are dashed where it is cut).
function fit() {
  if (!state.frame) return;
  const { width, height } = state.frame;
  const device = $("device");
  device.style.width = `${width}px`;
  device.style.height = `${height}px`;
  const large = document.body.classList.contains("large");
  const share = large ? 0.8 : window.innerHeight < 800 ? 0.3 : 0.38;
  const room = Math.max(80, window.innerHeight * share);
  const across = Math.min($("strip").clientWidth, 720) / width;
  let scale = Math.min($("strip").clientWidth / width, room / height);
  let shift = 0;
  let boxHeight = height * scale;
  if (device.dataset.layout === "portrait" && !large) {
    const parts = [...device.querySelector(".device-inner").children].filter((e) => e.offsetHeight);
    const top = Math.min(...parts.map((e) => e.offsetTop)) - 24;
    const bottom = Math.max(...parts.map((e) => e.offsetTop + e.offsetHeight)) + 24;
    scale = Math.min(across, room / Math.min(height, bottom - top));
    boxHeight = Math.min(height * scale, room);
    const middle = ((top + bottom) / 2) * scale;
    shift = Math.min(0, Math.max(boxHeight - height * scale, boxHeight / 2 - middle));
  }
  device.style.transform = `translateY(${shift}px) scale(${scale})`;
  $("frame-box").classList.toggle("cut", boxHeight < height * scale - 1);
  $("frame-box").style.width = `${width * scale}px`;
  $("frame-box").style.height = `${boxHeight}px`;
}

function svgFor(avg, colour) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${avg.width} ${avg.height}`);
  for (const item of avg.items) {
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", item.pathData);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", colour);
    path.setAttribute("stroke-width", item.strokeWidth || 4);
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.appendChild(path);
  }
  return svg;
}

// The device's countdown: wait for each hold's start, then count the seconds down.
function runCountdown(holds, labels) {
  const count = $("device-count");
  const show = (text, isNumber) => {
    count.textContent = text;
    count.classList.toggle("number", isNumber);
  };
  count.hidden = holds.length === 0;
  show(labels.ready, false);
  let at = 0;
  for (const hold of holds) {
    at += hold.wait;
    for (let second = 0; second < hold.seconds; second += 1) {
      later(at + second * 1000, () => show(String(hold.seconds - second), true));
    }
    at += hold.seconds * 1000;
    later(at, () => show(labels.release, false));
  }
}

function later(ms, action) { state.timers.push(setTimeout(action, ms)); }
function clearTimers() { state.timers.forEach(clearTimeout); state.timers = []; }

// ------------------------------------------------------------------ speaking SSML
// The reply becomes a list of steps: words (with rate and volume), silences, sounds.
function stepsOf(ssml) {
  const steps = [];
  const xml = new DOMParser().parseFromString(
    ssml.replace("<speak>", '<speak xmlns:amazon="urn:amazon">'), "application/xml");
  const walk = (node, voice) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const words = child.textContent.replace(/\s+/g, " ").trim();
        if (words) steps.push({ say: words, ...voice });
      } else if (child.nodeName === "break") {
        steps.push({ pause: parseInt(child.getAttribute("time"), 10) || 0 });
      } else if (child.nodeName === "say-as") {
        // Phone numbers, said digit by digit as Alexa will ("9 9 9", not "999").
        steps.push({ say: child.textContent.split("").join(" "), ...voice });
      } else if (child.nodeName === "audio") {
        steps.push({ sound: child.getAttribute("src") });
      } else if (child.nodeName === "prosody") {
        const rate = parseInt(child.getAttribute("rate") || "100", 10) / 100;
        const volume = { "x-soft": 0.4, soft: 0.6, loud: 1 }[child.getAttribute("volume")];
        walk(child, { ...voice, rate: rate || voice.rate, volume: volume ?? voice.volume });
      } else {
        const whisper = child.getAttribute && child.getAttribute("name") === "whispered";
        walk(child, whisper ? { ...voice, volume: 0.3 } : voice);
      }
    }
  };
  walk(xml.documentElement, { rate: 1, volume: 0.9 });
  return steps;
}

async function play(ssml) {
  const run = ++state.playback;
  if (window.speechSynthesis) speechSynthesis.cancel();
  if (!$("speak").checked || !ssml) return;
  for (const step of stepsOf(ssml)) {
    if (run !== state.playback) return;
    if (step.say) await speak(step);
    else if (step.pause) await wait(step.pause);
    else if (step.sound) await sound(step.sound);
  }
}

function speak(step) {
  // Speech synthesis may be missing or silent (no voices): never wait longer than the
  // words would take, so the reply's timing still holds.
  const estimate = (step.say.split(" ").length / 2.5 / step.rate) * 1000 + 500;
  if (!window.speechSynthesis) return wait(estimate);
  return new Promise((done) => {
    const utterance = new SpeechSynthesisUtterance(step.say);
    utterance.lang = $("locale").value;
    utterance.rate = step.rate;
    utterance.volume = step.volume;
    const timer = setTimeout(done, estimate * 2);
    utterance.onend = utterance.onerror = () => { clearTimeout(timer); done(); };
    speechSynthesis.speak(utterance);
  });
}

function sound(url) {
  return new Promise((done) => {
    const audio = new Audio(url);
    audio.onended = audio.onerror = () => done();
    audio.play().catch(() => done());
  });
}

function wait(ms) { return new Promise((done) => setTimeout(done, ms)); }

// ------------------------------------------------------------------ voice input
const MIC_ERRORS = {
  "not-allowed": "The microphone is blocked for this page. Allow it (the icon beside the address, " +
    "or the browser's site settings), then tap the microphone again. Or type.",
  "service-not-allowed": "This browser does not let this page use speech recognition. Allow the " +
    "microphone in its site settings, or type.",
  "audio-capture": "No microphone was found. Connect one or check the system's sound settings; or type.",
  network: "Speech recognition could not reach its service (Chrome sends the sound to Google). " +
    "Check the connection, or type.",
  "no-speech": "I heard nothing. Tap the microphone, then speak.",
  "language-not-supported": "This browser cannot recognise this locale. Pick another, or type.",
};

function micNote(message) {
  $("mic-note").textContent = message || "";
  $("mic-note").hidden = !message;
}

// Why voice input cannot work here, in words, with what to do; null when it can.
function micProblem(Recognition) {
  if (!window.isSecureContext) {
    return `The microphone needs HTTPS or localhost, and this page is ${location.origin}. ` +
      `On this computer open ${location.protocol}//localhost:${location.port || 80}/; from a phone, serve it ` +
      "over HTTPS. Typing works anywhere.";
  }
  if (!Recognition) {
    return "This browser has no speech recognition (Firefox has none). Use Chrome, Edge or " +
      "Safari, or type.";
  }
  return null;
}

function setUpMicrophone() {
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  const mic = $("mic");
  const problem = micProblem(Recognition);
  if (problem) micNote(problem);
  mic.addEventListener("click", () => {
    if (problem) { micNote(problem); return; }
    micNote(null);
    const recognition = new Recognition();
    recognition.lang = $("locale").value;
    recognition.interimResults = false;
    recognition.onresult = (event) => send({ text: event.results[0][0].transcript });
    recognition.onerror = (event) => {
      if (event.error !== "aborted") {
        micNote(MIC_ERRORS[event.error] || `Speech recognition failed (${event.error}). Type instead.`);
      }
    };
    recognition.onend = () => mic.classList.remove("listening");
    mic.classList.add("listening");
    if (window.speechSynthesis) speechSynthesis.cancel();
    try {
      recognition.start();
    } catch (error) {
      mic.classList.remove("listening");
      micNote(`Speech recognition did not start (${error.message}). Type instead.`);
    }
  });
}

// ------------------------------------------------------------------ users and sessions
function clearConversation() {
  state.playback += 1;
  state.freshSession = true;
  if (window.speechSynthesis) speechSynthesis.cancel();
  clearTimers();
  $("log").replaceChildren();
  showStrip(false);
}

function newSession() { clearConversation(); }

function newUser() {
  clearConversation();
  setUser(null);
  addEntry("info", "New user: nothing about you is known yet.");
}

async function forgetMe() {
  const token = state.user;
  clearConversation();
  setUser(null);
  if (!token) { addEntry("info", "Nothing to forget: this browser has no user yet."); return; }
  const answer = await post("/api/forget", { user: token });
  addEntry("info", answer.status === 200
    ? "Forgotten: your diary and preferences are erased from this server."
    : `This server had nothing for you (${answer.data.error || answer.status}).`);
}

async function saveAsTest() {
  if (!state.user) { addEntry("info", "Nothing to save yet: talk to the skill first."); return; }
  const answer = await post("/api/recording", { user: state.user });
  if (answer.status !== 200 || !answer.data.turns) {
    addEntry("info", "Nothing to save yet: talk to the skill first.");
    return;
  }
  const blob = new Blob([answer.data.yaml], { type: "application/yaml" });
  const link = $("download");
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
  link.href = URL.createObjectURL(blob);
  link.download = `conversation-${stamp}.yaml`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  addEntry("info", `Saved ${answer.data.turns} turns as ${link.download}. Replay: cramp-coach test ${link.download}`);
}

// ------------------------------------------------------------------ page set-up
function setUp() {
  setUser(state.user);
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value.trim();
    $("text").value = "";
    send({ text });
  });
  $("menu").addEventListener("click", () => {
    const open = $("settings").hidden;
    $("settings").hidden = !open;
    $("menu").setAttribute("aria-expanded", String(open));
    fit();
  });
  $("new-session").addEventListener("click", newSession);
  $("new-user").addEventListener("click", newUser);
  $("forget-me").addEventListener("click", forgetMe);
  $("save-test").addEventListener("click", saveAsTest);
  $("enlarge").addEventListener("click", () => {
    const large = document.body.classList.toggle("large");
    $("enlarge").setAttribute("aria-pressed", String(large));
    fit();
  });
  // A session belongs to one device, a device to one locale and one clock.
  for (const id of ["locale", "screen", "clock"]) {
    $(id).addEventListener("change", () => { state.clockSince = Date.now(); newSession(); });
  }
  window.addEventListener("resize", fit);
  setUpMicrophone();
}

setUp();
